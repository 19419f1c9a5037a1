//! Service auto scaling: target tracking on average CPU utilisation with alarm shapes and cooldowns (docs/reference/ecs-facts.md §6.3).

use crate::time::{SimDuration, SimTime};

/// Consecutive one-minute datapoints above the target that the scale-out alarm needs (3 of 3,
/// docs/reference/ecs-facts.md §6.3, user report).
pub const SCALE_OUT_DATAPOINTS: u32 = 3;
/// Consecutive one-minute datapoints below the target that the scale-in alarm needs (15 of 15,
/// docs/reference/ecs-facts.md §6.3, user report).
pub const SCALE_IN_DATAPOINTS: u32 = 15;

/// What service auto scaling asks of the service after one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceScalingAction {
    /// Leave the desired count as it is.
    None,
    /// Set the desired count (never the current one).
    SetDesired(u32),
}

/// Target tracking on `ECSServiceAverageCPUUtilization` for one service
/// (docs/reference/ecs-facts.md §6.3).
#[derive(Debug, Clone)]
pub struct ServiceScaler {
    target: f64,
    min: u32,
    max: u32,
    scale_in_cooldown: SimDuration,
    scale_out_cooldown: SimDuration,
    /// Consecutive datapoints above the target.
    high: u32,
    /// Consecutive datapoints below the target.
    low: u32,
    /// Time and result of the last scale-out.
    last_out: Option<(SimTime, u32)>,
    /// Time of the last scale-in.
    last_in: Option<SimTime>,
}

impl ServiceScaler {
    /// A scaler keeping average CPU near `target_cpu_percent` (> 0) with the desired count in
    /// `[min, max]` (`min` is cut to `max` if larger).
    pub fn new(
        target_cpu_percent: f64,
        min: u32,
        max: u32,
        scale_in_cooldown: SimDuration,
        scale_out_cooldown: SimDuration,
    ) -> ServiceScaler {
        debug_assert!(target_cpu_percent > 0.0);
        ServiceScaler {
            target: target_cpu_percent,
            min: min.min(max),
            max,
            scale_in_cooldown,
            scale_out_cooldown,
            high: 0,
            low: 0,
            last_out: None,
            last_in: None,
        }
    }

    /// The capacity target tracking asks for: `ceil(running × metric / target)` clamped to
    /// `[min, max]` (docs/reference/ecs-facts.md §6.3: from the running count). The ceiling ignores
    /// a relative excess of 1e-12 so that float noise does not add a task (e.g. 10 × 20 / 50).
    fn wanted(&self, running: u32, metric: f64) -> u32 {
        let x = f64::from(running) * metric / self.target;
        let n = (x * (1.0 - 1e-12)).ceil().clamp(0.0, f64::from(self.max));
        (n as u32).clamp(self.min, self.max)
    }

    /// One 1-minute evaluation at `now`: `utilisation_percent` = the average CPU utilisation of
    /// the running tasks (None when no task runs: insufficient data, reference §6.3), `running`
    /// tasks, `desired` current desired count, `deploying` = a deployment is in progress
    /// (scale-in disabled).
    ///
    /// Rules (docs/reference/ecs-facts.md §6.3; choices marked):
    /// - Alarms: scale-out after 3 consecutive datapoints above the target, scale-in after 15
    ///   consecutive below; a datapoint on the other side, at the target, or `None` resets the
    ///   streak. Acting does not reset a streak: an alarm that still holds fires again each
    ///   minute (cooldowns and "never the current count" keep that quiet).
    /// - New capacity = `ceil(running × metric / target)` clamped to `[min, max]`; scale-out only
    ///   if it exceeds `desired`, scale-in only if it is below.
    /// - Scale-out cooldown: within `scale_out_cooldown` of the last scale-out, scale out again
    ///   only to more than that scale-out's result.
    /// - Scale-in: never while `deploying`; not within `scale_in_cooldown` of the last scale-in,
    ///   nor within `scale_out_cooldown` of the last scale-out (our choice).
    /// - A `desired` outside `[min, max]` is set to the nearest bound when no alarm acts (not a
    ///   scaling activity: starts no cooldown).
    /// - No running task → no datapoint → no scaling (§6.3). Hence a service at 0 tasks stays
    ///   at `min`: with `min` = 0 it never scales out again, so `min` ≥ 1 is advised (our
    ///   reading; AWS scales out "by the minimum amount" once a datapoint exists).
    pub fn evaluate(
        &mut self,
        now: SimTime,
        utilisation_percent: Option<f64>,
        running: u32,
        desired: u32,
        deploying: bool,
    ) -> ServiceScalingAction {
        match utilisation_percent {
            Some(u) if u > self.target => {
                self.high = self.high.saturating_add(1);
                self.low = 0;
            }
            Some(u) if u < self.target => {
                self.low = self.low.saturating_add(1);
                self.high = 0;
            }
            _ => {
                self.high = 0;
                self.low = 0;
            }
        }
        let within = |last: SimTime, cooldown: SimDuration| now.since(last) < cooldown;

        if let Some(metric) = utilisation_percent {
            if self.high >= SCALE_OUT_DATAPOINTS {
                let wanted = self.wanted(running, metric);
                let cooled = match self.last_out {
                    Some((t, to)) => !within(t, self.scale_out_cooldown) || wanted > to,
                    None => true,
                };
                if wanted > desired && cooled {
                    self.last_out = Some((now, wanted));
                    return ServiceScalingAction::SetDesired(wanted);
                }
            }
            if self.low >= SCALE_IN_DATAPOINTS && !deploying {
                let wanted = self.wanted(running, metric);
                let cooled = self
                    .last_in
                    .is_none_or(|t| !within(t, self.scale_in_cooldown))
                    && self
                        .last_out
                        .is_none_or(|(t, _)| !within(t, self.scale_out_cooldown));
                if wanted < desired && cooled {
                    self.last_in = Some(now);
                    return ServiceScalingAction::SetDesired(wanted);
                }
            }
        }
        let clamped = desired.clamp(self.min, self.max);
        if clamped != desired {
            ServiceScalingAction::SetDesired(clamped)
        } else {
            ServiceScalingAction::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60_000;

    fn scaler(target: f64, min: u32, max: u32) -> ServiceScaler {
        ServiceScaler::new(
            target,
            min,
            max,
            SimDuration::from_secs(300),
            SimDuration::from_secs(300),
        )
    }

    fn at(minute: u64) -> SimTime {
        SimTime(minute * MIN)
    }

    use ServiceScalingAction::{None as Nothing, SetDesired};

    #[test]
    fn three_high_datapoints_scale_out_to_the_ceiling() {
        let mut s = scaler(50.0, 1, 100);
        assert_eq!(s.evaluate(at(0), Some(80.0), 4, 4, false), Nothing);
        assert_eq!(s.evaluate(at(1), Some(80.0), 4, 4, false), Nothing);
        // ceil(4 × 80 / 50) = ceil(6.4) = 7.
        assert_eq!(s.evaluate(at(2), Some(80.0), 4, 4, false), SetDesired(7));
    }

    #[test]
    fn two_high_datapoints_do_nothing() {
        let mut s = scaler(50.0, 1, 100);
        assert_eq!(s.evaluate(at(0), Some(80.0), 4, 4, false), Nothing);
        assert_eq!(s.evaluate(at(1), Some(80.0), 4, 4, false), Nothing);
        assert_eq!(s.evaluate(at(2), Some(40.0), 4, 4, false), Nothing);
        assert_eq!(s.evaluate(at(3), Some(80.0), 4, 4, false), Nothing);
        assert_eq!(s.evaluate(at(4), None, 4, 4, false), Nothing);
        assert_eq!(s.evaluate(at(5), Some(80.0), 4, 4, false), Nothing);
        assert_eq!(s.evaluate(at(6), Some(50.0), 4, 4, false), Nothing);
    }

    #[test]
    fn fifteen_low_datapoints_scale_in() {
        let mut s = scaler(50.0, 1, 100);
        for m in 0..14 {
            assert_eq!(s.evaluate(at(m), Some(20.0), 10, 10, false), Nothing);
        }
        // ceil(10 × 20 / 50) = 4 exactly (no float noise).
        assert_eq!(s.evaluate(at(14), Some(20.0), 10, 10, false), SetDesired(4));
    }

    #[test]
    fn scale_in_respects_min() {
        let mut s = scaler(50.0, 6, 100);
        for m in 0..14 {
            s.evaluate(at(m), Some(1.0), 10, 10, false);
        }
        assert_eq!(s.evaluate(at(14), Some(1.0), 10, 10, false), SetDesired(6));
    }

    #[test]
    fn scale_out_cooldown_blocks_an_equal_scale_out_but_not_a_larger() {
        let mut s = scaler(50.0, 1, 100);
        for m in 0..2 {
            s.evaluate(at(m), Some(80.0), 4, 4, false);
        }
        assert_eq!(s.evaluate(at(2), Some(80.0), 4, 4, false), SetDesired(7));
        // The same request again within the cooldown (desired reported as 4): blocked.
        assert_eq!(s.evaluate(at(3), Some(80.0), 4, 4, false), Nothing);
        // A larger one: allowed.
        assert_eq!(s.evaluate(at(4), Some(90.0), 4, 4, false), SetDesired(8));
        // Equal to the last (8) within the cooldown: blocked; after it: allowed.
        assert_eq!(s.evaluate(at(8), Some(90.0), 4, 4, false), Nothing);
        assert_eq!(s.evaluate(at(9), Some(90.0), 4, 4, false), SetDesired(8));
    }

    #[test]
    fn scale_in_cooldowns() {
        let mut s = scaler(50.0, 1, 100);
        for m in 0..14 {
            s.evaluate(at(m), Some(25.0), 20, 20, false);
        }
        assert_eq!(
            s.evaluate(at(14), Some(25.0), 20, 20, false),
            SetDesired(10)
        );
        // Still low at 10 tasks: the alarm holds but the scale-in cooldown blocks.
        for m in 15..19 {
            assert_eq!(s.evaluate(at(m), Some(25.0), 10, 10, false), Nothing);
        }
        assert_eq!(s.evaluate(at(19), Some(25.0), 10, 10, false), SetDesired(5));

        // After a scale-out, no scale-in within the scale-out cooldown.
        let mut s = scaler(50.0, 1, 100);
        for m in 0..20 {
            s.evaluate(at(m), Some(25.0), 20, 20, false);
        }
        s.last_in = None;
        s.last_out = Some((at(18), 20));
        assert_eq!(s.evaluate(at(20), Some(25.0), 20, 20, false), Nothing);
        assert_eq!(
            s.evaluate(at(23), Some(25.0), 20, 20, false),
            SetDesired(10)
        );
    }

    #[test]
    fn deploying_blocks_scale_in_but_not_scale_out() {
        let mut s = scaler(50.0, 1, 100);
        for m in 0..30 {
            assert_eq!(s.evaluate(at(m), Some(20.0), 10, 10, true), Nothing);
        }
        assert_eq!(s.evaluate(at(30), Some(20.0), 10, 10, false), SetDesired(4));
        let mut s = scaler(50.0, 1, 100);
        for m in 0..2 {
            s.evaluate(at(m), Some(100.0), 2, 2, true);
        }
        assert_eq!(s.evaluate(at(2), Some(100.0), 2, 2, true), SetDesired(4));
    }

    #[test]
    fn bounds_are_enforced_at_the_first_evaluation() {
        let mut s = scaler(50.0, 1, 10);
        assert_eq!(s.evaluate(at(0), None, 0, 0, false), SetDesired(1));
        let mut s = scaler(50.0, 1, 10);
        assert_eq!(s.evaluate(at(0), Some(50.0), 20, 20, false), SetDesired(10));
        // Scale-out is capped at max.
        let mut s = scaler(50.0, 1, 10);
        for m in 0..2 {
            s.evaluate(at(m), Some(100.0), 8, 8, false);
        }
        assert_eq!(s.evaluate(at(2), Some(100.0), 8, 8, false), SetDesired(10));
        assert_eq!(s.evaluate(at(3), Some(100.0), 10, 10, false), Nothing);
    }

    #[test]
    fn no_running_task_means_no_data() {
        let mut s = scaler(50.0, 0, 10);
        for m in 0..30 {
            assert_eq!(s.evaluate(at(m), None, 0, 0, false), Nothing);
        }
    }

    /// Constant demand `d` (in tasks' worth of CPU), utilisation = d / running capped at 100%,
    /// desired applied immediately. Returns the desired count after each minute.
    fn simulate(d: f64, start: u32, target: f64) -> Vec<u32> {
        let mut s = scaler(target, 1, 50);
        let mut n = start;
        (0..300)
            .map(|m| {
                let util = (d / f64::from(n) * 100.0).min(100.0);
                if let SetDesired(to) = s.evaluate(at(m), Some(util), n, n, false) {
                    assert_ne!(to, n);
                    n = to;
                }
                n
            })
            .collect()
    }

    #[test]
    fn converges_without_oscillating() {
        for (d, start, target) in [
            (7.3, 2, 75.0),
            (7.3, 40, 75.0),
            (3.0, 1, 50.0),
            (12.0, 30, 60.0),
            (0.2, 10, 70.0),
        ] {
            let seq = simulate(d, start, target);
            let last = *seq.last().unwrap();
            assert!(d / f64::from(last) * 100.0 <= target, "{d} {start}: {last}");
            // Settles within two hours and moves in one direction only.
            assert!(seq[120..].iter().all(|&n| n == last), "{seq:?}");
            let ups = seq.windows(2).any(|w| w[1] > w[0]);
            let downs = seq.windows(2).any(|w| w[1] < w[0]);
            assert!(!(ups && downs), "oscillates: {seq:?}");
        }
        // 7.3 tasks' worth at 75%: ceil(7.3 / 0.75) = 10.
        assert_eq!(*simulate(7.3, 2, 75.0).last().unwrap(), 10);
        assert_eq!(*simulate(7.3, 40, 75.0).last().unwrap(), 10);
    }
}
