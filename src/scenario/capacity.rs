//! Capacity of an arm: EC2 capacity providers (Auto Scaling groups, fixed or with managed
//! scaling, on-demand or Spot) and the capacity-provider strategy that splits tasks between
//! providers (docs/reference/ecs-facts.md §5).

use crate::model::{Distribution, InstanceType};
use crate::time::SimDuration;

/// ECS managed scaling of an Auto Scaling group capacity provider (`managedScaling`,
/// docs/reference/ecs-facts.md §5.2–§5.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ManagedScaling {
    /// `targetCapacity`, percent of instances in use, 1–100 (default 100).
    pub target_capacity: u32,
    /// `minimumScalingStepSize` (default 1).
    pub minimum_scaling_step_size: u32,
    /// `maximumScalingStepSize` (default 10000).
    pub maximum_scaling_step_size: u32,
    /// `instanceWarmupPeriod` (default 300 s): scale-out waits while an instance is this young.
    pub instance_warmup_period: SimDuration,
}

impl Default for ManagedScaling {
    /// The documented defaults (docs/reference/ecs-facts.md §5.3).
    fn default() -> ManagedScaling {
        ManagedScaling {
            target_capacity: 100,
            minimum_scaling_step_size: 1,
            maximum_scaling_step_size: 10_000,
            instance_warmup_period: SimDuration::from_secs(300),
        }
    }
}

/// How many instances a provider has.
#[derive(Debug, Clone, PartialEq)]
pub enum Capacity {
    /// A fixed fleet, registered from time 0 (`capacity = { fixed = N }`).
    Fixed(u32),
    /// An Auto Scaling group between `min` and `max`, driven by ECS managed scaling
    /// (`capacity = { min, max, managed_scaling = { .. } }`).
    Managed {
        /// ASG MinSize (instances launched at time 0 and never scaled in below).
        min: u32,
        /// ASG MaxSize.
        max: u32,
        /// The managed-scaling settings.
        scaling: ManagedScaling,
    },
}

/// How instances are bought.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Purchase {
    /// On-demand prices, never interrupted.
    OnDemand,
    /// EC2 Spot: on-demand price × (1 − `discount`), each instance interrupted at
    /// `interruptions_per_hour` (Poisson) with a 2-minute notice.
    Spot {
        /// Fraction off the on-demand price (`[pricing] spot_discount`), 0–1.
        discount: f64,
        /// Interruptions per instance-hour.
        interruptions_per_hour: f64,
    },
}

/// One EC2 capacity provider: an Auto Scaling group of container instances.
#[derive(Debug, Clone)]
pub struct Ec2Provider {
    /// Provider name (the arm's name for an arm's single implicit provider).
    pub name: String,
    /// Instance types in launch-priority order (prioritized allocation).
    pub instance_types: Vec<InstanceType>,
    /// Fixed or managed.
    pub capacity: Capacity,
    /// On-demand or Spot.
    pub purchase: Purchase,
    /// Launch request to registered, for instances launched during the run.
    pub instance_launch_latency: Distribution,
}

/// One entry of a capacity-provider strategy (`{ provider, base, weight }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderShare {
    /// Index of the provider: into `Ec2Arm::providers` on EC2 arms; on Fargate arms
    /// [`FARGATE`] or [`FARGATE_SPOT`].
    pub provider: usize,
    /// Tasks this provider runs before weights apply (at most one entry has base > 0).
    pub base: u32,
    /// Relative share after the base (0 = unused).
    pub weight: u32,
}

/// Provider index of on-demand Fargate in a Fargate arm's strategy.
pub const FARGATE: usize = 0;
/// Provider index of Fargate Spot in a Fargate arm's strategy.
pub const FARGATE_SPOT: usize = 1;

/// What happens to a task stopped by a Spot interruption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnInterruption {
    /// Start it again from the beginning (it waits in the pending queue like a new task).
    Restart,
    /// Count it as lost.
    Lose,
}
