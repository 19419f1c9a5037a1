//! What a `[[workload.jobs]]` entry asks for, validated: the recipe a [`crate::trace::JobStream`]
//! draws its tasks from.

use crate::model::{Distribution, Os};
use crate::placement::PlacementConstraint;
use crate::time::{SimDuration, SimTime};
use crate::trace::ArrivalProcess;

/// A generated stream of one-off tasks (RunTask-like).
#[derive(Debug, Clone)]
pub struct JobSpec {
    /// Name (task ids are `<name>-<n>`).
    pub name: String,
    /// Task group: the name, or `family:<family>` when the size comes from a task definition
    /// with a `family` (docs/model.md §17.4).
    pub group: String,
    /// When tasks arrive.
    pub arrival: ArrivalProcess,
    /// How long each runs once RUNNING.
    pub duration: Distribution,
    /// CPU units per task.
    pub cpu_units: u32,
    /// Memory per task, MiB.
    pub memory_mib: u32,
    /// Ephemeral storage, GiB (20–200).
    pub storage_gib: u32,
    /// First possible arrival.
    pub start: SimTime,
    /// No arrival at or after this time.
    pub end: Option<SimTime>,
    /// At most this many tasks.
    pub max_tasks: Option<u64>,
    /// Static host ports (bridge/host modes).
    pub host_ports: Vec<u16>,
    /// Constraints on EC2 (task-definition-like), added to the arm's.
    pub constraints: Vec<PlacementConstraint>,
    /// Time from SIGTERM to SIGKILL (`stopTimeout`): how long an interrupted FARGATE_SPOT task
    /// still runs after its notice (docs/reference/ecs-facts.md §1.6).
    pub stop_timeout: SimDuration,
    /// Operating system of the tasks (`os`, or the task definition's; default Linux).
    pub os: Os,
}
