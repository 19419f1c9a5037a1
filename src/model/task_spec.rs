//! What a task asks for: the immutable request the simulator places and runs.

use crate::ids::GroupId;
use crate::time::SimDuration;

/// Where a task came from: the trace, or generated job stream `n` (scenario order). Placement
/// constraints and host ports are per source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskSource {
    /// A row of the workload trace.
    Trace,
    /// Generated job stream `n` (`[[workload.jobs]]`, in scenario order).
    Job(u16),
    /// Service `n` (`[[workload.services]]`, in scenario order).
    Service(u16),
}

/// How a task is named in outputs; built only when a record is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskLabel {
    /// The trace gave no `task_id`: the data row number (1-based).
    Row(u64),
    /// The trace's `task_id`.
    Given(String),
    /// The `n`-th task (from 0) of the task's job stream or service: `<name>-<n>`.
    Job(u64),
}

impl TaskLabel {
    /// The label as written in tasks.csv; `job` is the name of the task's job stream.
    pub fn render(&self, job: &str) -> String {
        match self {
            TaskLabel::Row(n) => n.to_string(),
            TaskLabel::Given(s) => s.clone(),
            TaskLabel::Job(n) => format!("{job}-{n}"),
        }
    }
}

/// One task as the workload submits it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSpec {
    /// Identifier in outputs (`task_id` column of the trace, or `<job>-<n>`).
    pub label: TaskLabel,
    /// Where the task came from.
    pub source: TaskSource,
    /// Task group (for `spread`, `distinctInstance` and reports).
    pub group: GroupId,
    /// Requested CPU units (1 vCPU = 1024).
    pub cpu_units: u32,
    /// Requested memory, MiB (the reservation ECS subtracts, docs/reference/ecs-facts.md §2.2).
    pub memory_mib: u32,
    /// Run time once RUNNING.
    pub duration: SimDuration,
    /// Ephemeral storage, GiB (Fargate bills what is above 20).
    pub storage_gib: u32,
    /// Average CPU units actually used, where the trace says.
    pub cpu_used_units: Option<f64>,
    /// Average memory actually used (MiB), where the trace says.
    pub memory_used_mib: Option<f64>,
}
