//! Long-running services (`[[workload.services]]`): desired count, placement, rolling
//! deployments and service auto scaling (reference/ecs-facts.md §6).

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
    /// (`spread(attribute:ecs.availability-zone)`, reference/ecs-facts.md §4.3).
    pub strategy: Option<Vec<PlacementStrategy>>,
    /// Start times of rolling deployments.
    pub deployments: Vec<SimTime>,
    /// Rolling-update bounds.
    pub deployment: DeploymentConfig,
    /// Target tracking on average CPU, if any.
    pub autoscaling: Option<ServiceAutoscaling>,
}

/// `deploymentConfiguration` of a rolling update (reference/ecs-facts.md §6.1).
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
