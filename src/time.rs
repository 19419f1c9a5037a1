//! Simulated time: integer milliseconds since the start of the run.

use std::fmt;

/// The longest duration the simulator accepts anywhere (100 years, in ms): what a scenario may
/// state, what a generated job may draw, what an imported trace may hold; so arithmetic on
/// times and durations never overflows.
pub const MAX_DURATION_MS: u64 = 100 * 365 * 86_400_000;

/// A point in simulated time, in milliseconds since the start of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

/// A length of simulated time, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimDuration(pub u64);

impl SimTime {
    /// The start of the run.
    pub const ZERO: SimTime = SimTime(0);

    /// Milliseconds since the start.
    pub fn as_ms(self) -> u64 {
        self.0
    }

    /// Seconds since the start, as a float (for reports only).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// The time `d` later, saturating at the end of representable time.
    pub fn after(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }

    /// The duration from `earlier` to `self` (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A duration of `ms` milliseconds.
    pub fn from_ms(ms: u64) -> SimDuration {
        SimDuration(ms)
    }

    /// A duration of `s` whole seconds.
    pub fn from_secs(s: u64) -> SimDuration {
        SimDuration(s.saturating_mul(1000))
    }

    /// Milliseconds.
    pub fn as_ms(self) -> u64 {
        self.0
    }

    /// Seconds, as a float (for reports only).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// Whole seconds, rounded up: the unit AWS bills in.
    pub fn billed_secs(self) -> u64 {
        self.0.div_ceil(1000)
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        if ms > 0 && ms.is_multiple_of(86_400_000) {
            write!(f, "{}d", ms / 86_400_000)
        } else if ms > 0 && ms.is_multiple_of(3_600_000) {
            write!(f, "{}h", ms / 3_600_000)
        } else if ms > 0 && ms.is_multiple_of(60_000) {
            write!(f, "{}m", ms / 60_000)
        } else if ms.is_multiple_of(1000) {
            write!(f, "{}s", ms / 1000)
        } else {
            write!(f, "{ms}ms")
        }
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        SimDuration(self.0).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billed_seconds_round_up() {
        assert_eq!(SimDuration(0).billed_secs(), 0);
        assert_eq!(SimDuration(1).billed_secs(), 1);
        assert_eq!(SimDuration(1000).billed_secs(), 1);
        assert_eq!(SimDuration(1001).billed_secs(), 2);
    }

    #[test]
    fn display_picks_the_largest_whole_unit() {
        assert_eq!(SimDuration(250).to_string(), "250ms");
        assert_eq!(SimDuration(90_000).to_string(), "90s");
        assert_eq!(SimDuration(900_000).to_string(), "15m");
        assert_eq!(SimDuration(7_200_000).to_string(), "2h");
        assert_eq!(SimDuration(0).to_string(), "0s");
    }

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(SimTime(u64::MAX).after(SimDuration(5)), SimTime(u64::MAX));
        assert_eq!(SimTime(3).since(SimTime(5)), SimDuration::ZERO);
    }
}
