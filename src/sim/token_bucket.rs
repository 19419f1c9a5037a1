//! A token bucket in integer milliseconds: Fargate's task launch rate (docs/reference/ecs-facts.md §7.2).

use crate::time::SimTime;

/// Fargate task launches: burst of 100 tasks (docs/reference/ecs-facts.md §7.2 [DG-FgThrottle]).
pub const FARGATE_LAUNCH_BURST: u32 = 100;
/// Fargate task launches: sustained 20 tasks per second (docs/reference/ecs-facts.md §7.2
/// [DG-FgThrottle]).
pub const FARGATE_LAUNCH_PER_SECOND: u32 = 20;

/// One token, in milli-tokens.
const TOKEN: u64 = 1000;

/// A token bucket: `burst` tokens, refilled at `per_second`; exact in integer milli-tokens
/// (`per_second` tokens per second is `per_second` milli-tokens per millisecond).
#[derive(Debug, Clone)]
pub struct TokenBucket {
    /// Capacity, milli-tokens.
    capacity: u64,
    /// Refill, milli-tokens per ms.
    per_ms: u64,
    /// Tokens held at `at`, milli-tokens.
    tokens: u64,
    /// When `tokens` was last brought up to date.
    at: SimTime,
}

impl TokenBucket {
    /// A bucket of `burst` tokens refilled at `per_second` tokens per second; it starts full at
    /// time 0.
    pub fn new(burst: u32, per_second: u32) -> TokenBucket {
        let capacity = u64::from(burst) * TOKEN;
        TokenBucket {
            capacity,
            per_ms: u64::from(per_second),
            tokens: capacity,
            at: SimTime::ZERO,
        }
    }

    /// Take one token at `now` if there is one (Ok), else Err(time the next token is available).
    /// A `now` earlier than a previous call is treated as that call's time (no refill). A bucket
    /// that never refills (`per_second` = 0) answers `Err(SimTime(u64::MAX))` once empty.
    pub fn try_take(&mut self, now: SimTime) -> Result<(), SimTime> {
        if now > self.at {
            let gained = (now.0 - self.at.0).saturating_mul(self.per_ms);
            self.tokens = self.tokens.saturating_add(gained).min(self.capacity);
            self.at = now;
        }
        if self.tokens >= TOKEN {
            self.tokens -= TOKEN;
            return Ok(());
        }
        if self.per_ms == 0 {
            return Err(SimTime(u64::MAX));
        }
        let wait = (TOKEN - self.tokens).div_ceil(self.per_ms);
        Err(SimTime(self.at.0.saturating_add(wait)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fargate() -> TokenBucket {
        TokenBucket::new(FARGATE_LAUNCH_BURST, FARGATE_LAUNCH_PER_SECOND)
    }

    #[test]
    fn burst_then_refill() {
        let mut b = fargate();
        for _ in 0..100 {
            assert_eq!(b.try_take(SimTime(0)), Ok(()));
        }
        assert_eq!(b.try_take(SimTime(0)), Err(SimTime(50)));
        assert_eq!(b.try_take(SimTime(49)), Err(SimTime(50)));
        assert_eq!(b.try_take(SimTime(50)), Ok(()));
        // From empty at 50 ms, one second later: 20 more.
        for _ in 0..20 {
            assert_eq!(b.try_take(SimTime(1050)), Ok(()));
        }
        assert_eq!(b.try_take(SimTime(1050)), Err(SimTime(1100)));
    }

    #[test]
    fn twenty_per_second_after_the_burst() {
        let mut b = fargate();
        for _ in 0..100 {
            b.try_take(SimTime(0)).unwrap();
        }
        for _ in 0..20 {
            assert_eq!(b.try_take(SimTime(1000)), Ok(()));
        }
        assert!(b.try_take(SimTime(1000)).is_err());
    }

    #[test]
    fn never_exceeds_burst_after_idle() {
        let mut b = fargate();
        b.try_take(SimTime(0)).unwrap();
        let t = SimTime(10 * 86_400_000);
        for _ in 0..100 {
            assert_eq!(b.try_take(t), Ok(()));
        }
        assert_eq!(b.try_take(t), Err(SimTime(t.0 + 50)));
    }

    #[test]
    fn taking_at_the_answered_time_succeeds_and_times_are_monotone() {
        let mut b = TokenBucket::new(3, 7);
        let mut now = SimTime(0);
        let mut taken = 0u32;
        for _ in 0..1000 {
            match b.try_take(now) {
                Ok(()) => taken += 1,
                Err(next) => {
                    assert!(next > now);
                    now = next;
                    assert_eq!(b.try_take(now), Ok(()));
                    taken += 1;
                }
            }
        }
        // 3 at once, then 7 per second: 997 more need 997 / 7 s.
        assert_eq!(taken, 1000);
        assert_eq!(now, SimTime((997_000u64).div_ceil(7)));
        // An earlier time than seen before gets no refill.
        assert!(b.try_take(SimTime(0)).is_err());
    }

    #[test]
    fn zero_refill_never_recovers() {
        let mut b = TokenBucket::new(1, 0);
        assert_eq!(b.try_take(SimTime(0)), Ok(()));
        assert_eq!(b.try_take(SimTime(5)), Err(SimTime(u64::MAX)));
    }
}
