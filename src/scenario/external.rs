//! An ECS Anywhere arm (`launch_type = "EXTERNAL"`): a fixed fleet of the planner's own servers,
//! each charged the ECS Anywhere fee per instance-hour plus the cost of ownership the planner
//! gives (docs/reference/managed-instances.md §2; docs/model.md §25).

use crate::model::NetworkMode;
use crate::placement::{PlacementConstraint, PlacementStrategy};

/// One group of identical servers.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerGroup {
    /// Name (instances are named `{name}-{k}`).
    pub name: String,
    /// Servers in the group.
    pub count: u32,
    /// CPU cores; a server registers `cores × 1024` CPU units.
    pub cores: u32,
    /// Memory a server registers with ECS, MiB.
    pub memory_mib: u32,
    /// The planner's cost of ownership per server-hour, USD (may be 0).
    pub cost_per_hour: f64,
}

impl ServerGroup {
    /// CPU units a server registers.
    pub fn cpu_units(&self) -> u32 {
        self.cores.saturating_mul(1024)
    }
}

/// The external instances of an arm.
#[derive(Debug, Clone)]
pub struct ExternalArm {
    /// The server groups, in scenario order (never empty).
    pub servers: Vec<ServerGroup>,
    /// `bridge`, `host` or `none` (awsvpc is refused, as ECS does).
    pub network_mode: NetworkMode,
    /// Strategy chain; `None` means ECS's default for the kind of task (our choice: ECS's
    /// scheduler treats external instances as it treats EC2 ones, docs/model.md §25).
    pub strategy: Option<Vec<PlacementStrategy>>,
    /// Constraints applied to every task on this arm.
    pub constraints: Vec<PlacementConstraint>,
    /// The ECS Anywhere fee, USD per registered instance-hour.
    pub fee_per_hour: f64,
}

impl ExternalArm {
    /// Servers over every group.
    pub fn server_count(&self) -> u32 {
        self.servers.iter().map(|g| g.count).sum()
    }
}
