//! An ECS task definition as `sim` models it: what sizes and places a task. Pure data; the JSON
//! file is read by `scenario/task_definition_file.rs`.

use crate::model::{Architecture, NetworkMode, Os};

/// What `sim` takes from a task definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDefinition {
    /// `family`, if given (standalone tasks are in the task group `family:<family>`).
    pub family: Option<String>,
    /// CPU units the task reserves: task-level `cpu`, else the sum of the containers' `cpu`.
    pub cpu_units: u32,
    /// Memory the task reserves, MiB: task-level `memory`, else the sum over containers of
    /// `memoryReservation` if set, else `memory`.
    pub memory_mib: u32,
    /// `networkMode`, if given (`none` is refused).
    pub network_mode: Option<NetworkMode>,
    /// Static host ports of every container, in order.
    pub host_ports: Vec<u16>,
    /// `memberOf` expressions of `placementConstraints`, as written (parsed by the caller).
    pub member_of: Vec<String>,
    /// `runtimePlatform.cpuArchitecture`, if given.
    pub cpu_architecture: Option<Architecture>,
    /// `runtimePlatform.operatingSystemFamily`, if given: `LINUX` is Linux, every
    /// `WINDOWS_SERVER_*` is Windows (docs/model.md §19).
    pub os: Option<Os>,
    /// `ephemeralStorage.sizeInGiB`, if given (21–200).
    pub storage_gib: Option<u32>,
    /// Whether task-level `cpu` and `memory` were both given (Fargate requires them).
    pub task_level_size: bool,
    /// `requiresCompatibilities` (`EC2`, `FARGATE`, ...), as written; empty if absent.
    pub compatibilities: Vec<String>,
    /// Fields that are legal but not modelled, or probably not what was meant, each naming
    /// the field (docs/model.md §17.7); the scenario loader passes them on as warnings.
    pub warnings: Vec<String>,
    /// The largest `stopTimeout` of the containers, seconds (0–120), if any gives one: how long
    /// the task takes to stop after SIGTERM (docs/reference/ecs-facts.md §1.6, §6.1).
    pub stop_timeout_secs: Option<u32>,
}

/// Largest `stopTimeout`, seconds: "`stopTimeout` max 120 s on Fargate" (docs/reference/ecs-facts.md
/// §1.6, line 61).
pub const MAX_STOP_TIMEOUT_SECS: u64 = 120;
