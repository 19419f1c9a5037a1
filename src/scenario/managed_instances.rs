//! An ECS Managed Instances arm (`launch_type = "MANAGED_INSTANCES"`): AWS chooses, launches,
//! consolidates and replaces the EC2 instances; the bill is the EC2 price plus a management fee
//! per instance-hour (docs/reference/managed-instances.md §1; docs/model.md §24).

use crate::model::{Distribution, InstanceType, NetworkMode};
use crate::placement::PlacementConstraint;
use crate::time::SimDuration;

/// One instance type ECS may launch for the arm, with its management fee.
#[derive(Debug, Clone)]
pub struct ManagedType {
    /// The type (its `price_per_hour` is the on-demand Linux EC2 price).
    pub instance_type: InstanceType,
    /// The ECS management fee, USD per instance-hour.
    pub fee_per_hour: f64,
}

impl ManagedType {
    /// EC2 price plus management fee, USD per instance-hour.
    pub fn hourly(&self) -> f64 {
        self.instance_type.price_per_hour + self.fee_per_hour
    }
}

/// The Managed Instances capacity provider of an arm.
#[derive(Debug, Clone)]
pub struct ManagedInstancesArm {
    /// The types that match the instance requirements (or the explicit list), in catalogue
    /// order; never empty.
    pub types: Vec<ManagedType>,
    /// `awsvpc` or `host` (docs/reference/managed-instances.md §1.6).
    pub network_mode: NetworkMode,
    /// ENI trunking for awsvpc tasks (ECS "uses ENI trunking for high task density", §1.6):
    /// on by default.
    pub eni_trunking: bool,
    /// Constraints applied to every task on this arm.
    pub constraints: Vec<PlacementConstraint>,
    /// Most instances at once (`max_instances`; default the 5,000 container instances per
    /// cluster quota, docs/reference/ecs-facts.md §7.2).
    pub max_instances: u32,
    /// `scale_in_after`: how long an instance is idle or under-used before ECS optimizes it
    /// away; `None` when -1 disables infrastructure optimization (§1.4).
    pub scale_in_after: Option<SimDuration>,
    /// Launch request to registration of an instance.
    pub instance_launch_latency: Distribution,
}
