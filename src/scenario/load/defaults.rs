//! The model's defaults that a scenario may leave out: what ECS and EC2 do when nothing else is
//! known (docs/model.md, with their sources).

use crate::model::Distribution;
use crate::time::SimDuration;

/// Default sampling step of timeseries.csv.
pub const DEFAULT_METRICS_INTERVAL: SimDuration = SimDuration(60_000);
/// Default seed when the scenario gives none.
pub const DEFAULT_SEED: u64 = 1;
/// Default task start latency on EC2 (placement to RUNNING) for bridge/host networking: about
/// 2 s with a cached image and spare capacity (docs/reference/ecs-facts.md §7.1, anecdotal).
pub const EC2_TASK_START: Distribution = Distribution::Fixed(SimDuration(2_000));
/// Default on EC2 with awsvpc: 2 s plus ENI attachment, "several seconds" (§2.3, §7.1): 7 s.
pub const EC2_AWSVPC_TASK_START: Distribution = Distribution::Fixed(SimDuration(7_000));
/// Default Fargate start latency: user reports of ~45 s (§7.1, unconfirmed), modelled as a
/// lognormal with median 45 s and σ 0.3.
pub const FARGATE_TASK_START: Distribution = Distribution::LogNormal {
    median_ms: 45_000.0,
    sigma: 0.3,
};
pub use crate::model::pricing::DEFAULT_FARGATE_SPOT_DISCOUNT;
/// Default instance launch to registration: 1–3 minutes (§7.1, unconfirmed): 2 minutes.
pub const INSTANCE_LAUNCH: Distribution = Distribution::Fixed(SimDuration(120_000));
