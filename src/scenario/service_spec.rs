//! Long-running services (`[[workload.services]]`): desired count, placement, rolling
//! deployments and service auto scaling (docs/reference/ecs-facts.md §6).

use crate::placement::{PlacementConstraint, PlacementStrategy};
use crate::time::{SimDuration, SimTime};

/// A service: ECS keeps `desired` tasks running, replacing any that stop.
#[derive(Debug, Clone)]
pub struct ServiceSpec {
    /// Name; the task group is `service:<name>`.
    pub name: String,
    /// CPU units per task.
    pub cpu_units: u32,
    /// Memory per task, MiB.
    pub memory_mib: u32,
    /// Ephemeral storage, GiB (20–200).
    pub storage_gib: u32,
    /// Desired count at time 0 (and the reference for `load`).
    pub desired: u32,
    /// Static host ports (bridge/host modes).
    pub host_ports: Vec<u16>,
    /// Constraints on EC2, added to the arm's.
    pub constraints: Vec<PlacementConstraint>,
    /// Strategy chain on EC2; `None`: the arm's, else ECS's service default
    /// (`spread(attribute:ecs.availability-zone)`, `spread(instanceId)`, docs/reference/ecs-facts.md
    /// §4.3).
    pub strategy: Option<Vec<PlacementStrategy>>,
    /// Start times of rolling deployments.
    pub deployments: Vec<SimTime>,
    /// Rolling-update bounds.
    pub deployment: DeploymentConfig,
    /// Target tracking on average CPU, if any.
    pub autoscaling: Option<ServiceAutoscaling>,
    /// Time from SIGTERM to SIGKILL (`stopTimeout`): how long an interrupted FARGATE_SPOT task
    /// still runs after its notice, its replacement already started (docs/reference/ecs-facts.md
    /// §1.6).
    pub stop_timeout: SimDuration,
    /// Operating system of the tasks (`os`, or the task definition's; default Linux).
    pub os: crate::model::Os,
}

/// `deploymentConfiguration` of a rolling update (docs/reference/ecs-facts.md §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeploymentConfig {
    /// `minimumHealthyPercent` (default 100).
    pub minimum_healthy_percent: u32,
    /// `maximumPercent` (default 200).
    pub maximum_percent: u32,
}

impl Default for DeploymentConfig {
    fn default() -> DeploymentConfig {
        DeploymentConfig {
            minimum_healthy_percent: 100,
            maximum_percent: 200,
        }
    }
}

/// Service auto scaling: target tracking on `ECSServiceAverageCPUUtilization`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceAutoscaling {
    /// Target average CPU utilisation, percent (0–100, exclusive of 0).
    pub target_cpu_percent: f64,
    /// Fewest tasks.
    pub min: u32,
    /// Most tasks.
    pub max: u32,
    /// Offered CPU load over time.
    pub load: LoadCurve,
    /// After a scale-in, no further scale-in for this long (default 300 s).
    pub scale_in_cooldown: SimDuration,
    /// After a scale-out, no smaller scale-out for this long (default 300 s).
    pub scale_out_cooldown: SimDuration,
}

/// The CPU a service is asked for over time, as a fraction of the CPU of its initial `desired`
/// tasks: load 0.5 with desired 6 tasks of 1024 units is a demand of 3072 units, which is 50%
/// average utilisation at 6 running tasks and 75% at 4.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadCurve {
    /// The same load all the time.
    Constant(f64),
    /// A daily sinusoid: `mean` on average, peak ÷ trough = `peak_ratio`, peak at `peak_at`
    /// after midnight (the shape of the `diurnal` arrival process).
    Diurnal {
        /// Mean load over a day.
        mean: f64,
        /// Peak ÷ trough.
        peak_ratio: f64,
        /// Time of day of the peak.
        peak_at: SimDuration,
    },
    /// Steps from a CSV of `time_s,load`: each value holds from its time until the next
    /// (the first value also before its time).
    Steps(Vec<(SimTime, f64)>),
}

impl LoadCurve {
    /// The load at time `t`: the offered CPU behind service auto scaling (docs/reference/ecs-facts.md §6.2–§6.3):
    /// - `Constant(v)` → `v`;
    /// - `Diurnal` → `mean × (1 + a·cos(2π(t − peak_at)/24h))` with `a = (r − 1)/(r + 1)`: the
    ///   shape of the `diurnal` arrival process ([`crate::trace::ArrivalProcess::Diurnal`]), so
    ///   peak ÷ trough = `peak_ratio` and the daily mean is `mean`; `t` = 0 is midnight;
    /// - `Steps` → the value of the last step whose time is ≤ `t`, the first value before the
    ///   first time; the steps are sorted by time (an empty list is load 0).
    pub fn at(&self, t: SimTime) -> f64 {
        match self {
            LoadCurve::Constant(v) => *v,
            LoadCurve::Diurnal {
                mean,
                peak_ratio,
                peak_at,
            } => {
                let a = (peak_ratio - 1.0) / (peak_ratio + 1.0);
                let phase =
                    2.0 * std::f64::consts::PI * (t.as_ms() as f64 - peak_at.as_ms() as f64)
                        / crate::trace::arrival::DAY_MS;
                mean * (1.0 + a * phase.cos())
            }
            LoadCurve::Steps(steps) => {
                let i = steps.partition_point(|&(at, _)| at <= t);
                match steps.get(i.saturating_sub(1)) {
                    Some(&(_, v)) => v,
                    None => 0.0,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: u64 = 3_600_000;

    #[test]
    fn constant_load() {
        assert_eq!(LoadCurve::Constant(0.7).at(SimTime(0)), 0.7);
        assert_eq!(LoadCurve::Constant(0.7).at(SimTime(123 * HOUR)), 0.7);
    }

    #[test]
    fn diurnal_peak_trough_and_mean() {
        let c = LoadCurve::Diurnal {
            mean: 0.6,
            peak_ratio: 3.0,
            peak_at: SimDuration::from_ms(14 * HOUR),
        };
        let peak = c.at(SimTime(14 * HOUR));
        let trough = c.at(SimTime(2 * HOUR));
        assert!((peak / trough - 3.0).abs() < 1e-12);
        assert!((peak - 0.9).abs() < 1e-12); // 0.6 × (1 + 0.5)
        assert!((c.at(SimTime(38 * HOUR)) - peak).abs() < 1e-12); // next day
        assert!((c.at(SimTime(20 * HOUR)) - 0.6).abs() < 1e-12); // quarter day off the peak
        let mean = (0..24 * 60).map(|m| c.at(SimTime(m * 60_000))).sum::<f64>() / 1440.0;
        assert!((mean - 0.6).abs() < 1e-12);
        let flat = LoadCurve::Diurnal {
            mean: 0.4,
            peak_ratio: 1.0,
            peak_at: SimDuration::ZERO,
        };
        assert_eq!(flat.at(SimTime(5 * HOUR)), 0.4);
    }

    #[test]
    fn steps_hold_until_the_next() {
        let c = LoadCurve::Steps(vec![
            (SimTime(10_000), 0.5),
            (SimTime(20_000), 1.5),
            (SimTime(30_000), 0.25),
        ]);
        assert_eq!(c.at(SimTime(0)), 0.5); // before the first time: the first value
        assert_eq!(c.at(SimTime(10_000)), 0.5);
        assert_eq!(c.at(SimTime(19_999)), 0.5);
        assert_eq!(c.at(SimTime(20_000)), 1.5);
        assert_eq!(c.at(SimTime(29_999)), 1.5);
        assert_eq!(c.at(SimTime(30_000)), 0.25);
        assert_eq!(c.at(SimTime(1_000_000)), 0.25);
        assert_eq!(LoadCurve::Steps(Vec::new()).at(SimTime(5)), 0.0);
    }
}
