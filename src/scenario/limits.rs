//! The bounds a scenario must stay within so that a run ends in bounded time and memory, and the
//! ECS quotas it is checked against. The loader refuses a scenario beyond them; the simulator
//! stops an arm that reaches [`MAX_LIVE_TASKS`] or [`MAX_SAMPLES`] at run time.

use crate::time::SimDuration;
use crate::trace::{ArrivalProcess, JobSpec};

/// Most timeseries samples a run may keep per arm (about 160 MB); a year sampled every minute
/// is 525,601 samples. A horizon that needs more is refused; a run without one whose arm
/// reaches it stops that arm there, reported `saturated`.
pub const MAX_SAMPLES: u64 = 2_000_000;

/// Most task arrivals the generated jobs of a scenario may be expected to bring over a run (the
/// sum over jobs of mean rate × active time, each capped by its `max_tasks`), so that a run
/// ends in bounded time: 10,000 tasks an hour for a year is 87.6 million.
pub const MAX_EXPECTED_ARRIVALS: f64 = 100_000_000.0;
/// Most tasks an arm may hold at once, placed or waiting (about 170 bytes each, so about
/// 340 MB): an arm that exceeds it stops there, reported `saturated`, instead of exhausting
/// memory (the other arms go on). ECS itself
/// allows 300 tasks in PROVISIONING per cluster (docs/reference/ecs-facts.md §5.5).
pub const MAX_LIVE_TASKS: usize = 2_000_000;

/// The mean number of tasks job `j` brings over a run of `horizon` (infinite if it never
/// stops): mean rate × time from `start` to `end` or the horizon, capped by `max_tasks`.
pub fn expected_arrivals(j: &JobSpec, horizon: Option<SimDuration>) -> f64 {
    let stop = match (j.end, horizon) {
        (Some(e), Some(h)) => Some(e.as_ms().min(h.as_ms())),
        (Some(e), None) => Some(e.as_ms()),
        (None, Some(h)) => Some(h.as_ms()),
        (None, None) => None,
    };
    let per_ms = match j.arrival {
        ArrivalProcess::Poisson { per_hour } => per_hour / 3_600_000.0,
        ArrivalProcess::FixedInterval(d) => 1.0 / d.as_ms().max(1) as f64,
        ArrivalProcess::Diurnal { mean_per_hour, .. } => mean_per_hour / 3_600_000.0,
    };
    let expected = stop.map_or(f64::INFINITY, |s| {
        per_ms * s.saturating_sub(j.start.as_ms()) as f64
    });
    j.max_tasks.map_or(expected, |m| expected.min(m as f64))
}

/// Samples a run of `horizon` takes every `interval`: at 0, every interval, and at the end.
pub fn samples_for(horizon: SimDuration, interval: SimDuration) -> u64 {
    let (h, i) = (horizon.as_ms(), interval.as_ms().max(1));
    h / i + 1 + u64::from(!h.is_multiple_of(i))
}

/// ECS limits (docs/reference/ecs-facts.md §7.2): strategies and constraints per task.
pub const MAX_STRATEGIES: usize = 5;
/// See [`MAX_STRATEGIES`].
pub const MAX_CONSTRAINTS: usize = 10;
/// Most instances a fixed-capacity arm may hold: ECS's default 5,000 container instances per
/// cluster quota is adjustable, so allow well beyond it but stay bounded.
pub const MAX_FIXED_INSTANCES: i64 = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_count_both_ends() {
        assert_eq!(
            samples_for(SimDuration(86_400_000), SimDuration(60_000)),
            1441
        );
        assert_eq!(samples_for(SimDuration(90_000), SimDuration(60_000)), 3);
        assert_eq!(samples_for(SimDuration(10), SimDuration(60_000)), 2);
    }
}
