//! Scenario files: TOML → raw serde structs (unknown keys refused) → a validated [`Scenario`]
//! whose every value is in range and every name resolved. Errors name the file, line, column,
//! field, what was found and what was expected.

pub mod capacity;
pub mod daemon;
pub mod duration;
pub mod error;
pub mod external;
pub mod limits;
pub mod load;
pub mod managed_instances;
pub mod price_list_file;
pub mod prices;
pub mod raw;
pub mod service_spec;
pub mod size;
pub mod task_definition_file;
mod work_estimate;

use std::path::PathBuf;

pub use capacity::{
    Capacity, Ec2Provider, FARGATE, FARGATE_SPOT, ManagedScaling, OnInterruption, ProviderShare,
    Purchase,
};
pub use daemon::{DaemonLoad, DaemonSpec};
pub use error::ScenarioError;
pub use external::{ExternalArm, ServerGroup};
pub use load::{load, load_str};
pub use managed_instances::{ManagedInstancesArm, ManagedType};
pub use service_spec::{DeploymentConfig, LoadCurve, ServiceAutoscaling, ServiceSpec};

use crate::model::commitment::Commitment;
use crate::model::other_charges::OtherCharges;
use crate::model::{Architecture, Catalog, Distribution, NetworkMode, Os, Pricing};
use crate::placement::{PlacementConstraint, PlacementStrategy};
use crate::time::SimDuration;
use crate::trace::{JobSpec, ReplayOptions};

/// A validated scenario: everything `sim run` needs.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name (default: file stem); names the output folder.
    pub name: String,
    /// The scenario file.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex (provenance).
    pub source_sha256: String,
    /// Seed of every random draw.
    pub seed: u64,
    /// Simulated time; `None` runs until the finite workload is done.
    pub horizon: Option<SimDuration>,
    /// Sampling step of `timeseries.csv`.
    pub metrics_interval: SimDuration,
    /// Prices.
    pub pricing: Pricing,
    /// Public IPv4, load balancer and NAT rates and what the workload declares of them
    /// (docs/model.md §18).
    pub other_charges: OtherCharges,
    /// Instance types: the built-ins with the scenario's additions and overrides.
    pub catalog: Catalog,
    /// What arrives.
    pub workload: Workload,
    /// The launch configurations to compare.
    pub arms: Vec<Arm>,
    /// `[[commitment]]`: Savings Plans and Reserved Instances, in scenario order
    /// (docs/model.md §22).
    pub commitments: Vec<Commitment>,
    /// Things that are legal but probably not what the user meant.
    pub warnings: Vec<String>,
}

/// The tasks that arrive.
#[derive(Debug, Clone, Default)]
pub struct Workload {
    /// A trace file (docs/traces.md), resolved relative to the scenario.
    pub trace: Option<PathBuf>,
    /// How the trace is replayed (window, speed, sample, scales); applies to the trace only.
    pub replay: ReplayOptions,
    /// Generated one-off task streams, in scenario order.
    pub jobs: Vec<JobSpec>,
    /// Long-running services, in scenario order.
    pub services: Vec<ServiceSpec>,
    /// Host agents (`[[workload.daemons]]`): a DAEMON task on every EC2 instance, a sidecar in
    /// every Fargate task (docs/reference/sidecars-and-daemons.md §2, §4).
    pub daemons: Vec<DaemonSpec>,
}

/// `stopTimeout` when none is given: 30 s (docs/reference/ecs-facts.md §1.6, line 61); also the stop
/// timeout of trace tasks.
pub const DEFAULT_STOP_TIMEOUT: SimDuration = SimDuration(30_000);

/// What a task that cannot be placed at once does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnNoCapacity {
    /// Wait in PROVISIONING until capacity appears (capacity providers).
    Queue,
    /// Fail at once, counted as rejected (plain RunTask).
    Fail,
}

/// One launch configuration to compare.
#[derive(Debug, Clone)]
pub struct Arm {
    /// Name (unique).
    pub name: String,
    /// EC2 or Fargate specifics.
    pub kind: ArmKind,
    /// Placement (or Fargate start) to RUNNING.
    pub task_start_latency: Distribution,
    /// What an unplaceable task does.
    pub on_no_capacity: OnNoCapacity,
    /// How tasks are split between the arm's capacity providers (never empty; some weight > 0).
    pub provider_strategy: Vec<ProviderShare>,
    /// What a Spot interruption does to the tasks it stops.
    pub on_interruption: OnInterruption,
    /// Availability zones (EC2: instances are balanced over them; Fargate: tasks are spread
    /// over them, which matters only with `subnet_ips`).
    pub zones: Vec<String>,
    /// IP addresses free per zone's subnet (same order as `zones`); `None`: unlimited. Every
    /// awsvpc task on EC2 and every Fargate task takes one.
    pub subnet_ips: Option<Vec<u32>>,
    /// `assign_public_ip`: a public IPv4 address per Fargate task or per EC2 instance, charged
    /// per address-hour (docs/model.md §18.1).
    pub assign_public_ip: bool,
    /// `nat_gateways`: NAT gateways charged per hour over the arm's run (docs/model.md §18.3).
    pub nat_gateways: u32,
    /// Operating system of the arm's capacity (EC2: the instances' AMI; Fargate: the platform
    /// family), `os` (default Linux); every task the arm runs has this OS (docs/model.md
    /// §19).
    pub os: Os,
}

/// The launch type of an arm.
#[derive(Debug, Clone)]
pub enum ArmKind {
    /// A cluster of container instances.
    Ec2(Ec2Arm),
    /// The Fargate pool.
    Fargate(FargateArm),
    /// ECS Managed Instances.
    ManagedInstances(ManagedInstancesArm),
    /// ECS Anywhere: the planner's own servers.
    External(ExternalArm),
}

/// An EC2-mode cluster.
#[derive(Debug, Clone)]
pub struct Ec2Arm {
    /// The Auto Scaling group capacity providers (at least one).
    pub providers: Vec<Ec2Provider>,
    /// Task networking.
    pub network_mode: NetworkMode,
    /// ENI trunking on (awsvpc only; per type where supported).
    pub eni_trunking: bool,
    /// Strategy chain; `None` means ECS's default for the kind of task.
    pub strategy: Option<Vec<PlacementStrategy>>,
    /// Constraints applied to every task on this arm.
    pub constraints: Vec<PlacementConstraint>,
    /// `ECS_RESERVED_MEMORY`: MiB each instance holds back from ECS.
    pub reserved_memory_mib: u32,
}

/// The Fargate pool.
#[derive(Debug, Clone)]
pub struct FargateArm {
    /// Task CPU architecture (prices differ).
    pub architecture: Architecture,
    /// Fargate Spot price = on-demand × (1 − this) (`[pricing] fargate_spot_discount`).
    pub spot_discount: f64,
    /// FARGATE_SPOT interruptions per task-hour (Poisson), 2-minute notice.
    pub spot_interruptions_per_hour: f64,
    /// Account quota of vCPUs running on Fargate at once (`fargate_vcpu_quota`), if any.
    pub vcpu_quota: Option<u32>,
}

impl Arm {
    /// Whether the arm's tasks reach the internet through a NAT gateway (docs/model.md §18.3):
    /// without `assign_public_ip` they sit in a private subnet; awsvpc tasks on EC2 cannot
    /// have public IPs at all (docs/reference/pricing.md §4.1 [API-AwsVpc]), whatever the
    /// instance has.
    pub fn tasks_behind_nat(&self) -> bool {
        match &self.kind {
            ArmKind::Ec2(e) => !self.assign_public_ip || e.network_mode == NetworkMode::Awsvpc,
            ArmKind::Fargate(_) => !self.assign_public_ip,
            // Managed Instances tasks are awsvpc or host on instances in the arm's subnets;
            // external servers reach the internet their own way (no AWS NAT).
            ArmKind::ManagedInstances(m) => {
                !self.assign_public_ip || m.network_mode == NetworkMode::Awsvpc
            }
            ArmKind::External(_) => false,
        }
    }

    /// The name of provider `i` of the arm's `provider_strategy` (tasks.csv
    /// `capacity_provider`).
    pub fn provider_name(&self, i: usize) -> String {
        match &self.kind {
            ArmKind::Ec2(e) => e
                .providers
                .get(i)
                .map_or_else(String::new, |p| p.name.clone()),
            ArmKind::Fargate(_) if i == FARGATE_SPOT => "FARGATE_SPOT".to_string(),
            ArmKind::Fargate(_) => "FARGATE".to_string(),
            ArmKind::ManagedInstances(_) => "MANAGED_INSTANCES".to_string(),
            ArmKind::External(_) => "EXTERNAL".to_string(),
        }
    }

    /// `EC2`, `FARGATE`, `MANAGED_INSTANCES` or `EXTERNAL`, as in summary.csv.
    pub fn launch_type(&self) -> &'static str {
        match self.kind {
            ArmKind::Ec2(_) => "EC2",
            ArmKind::Fargate(_) => "FARGATE",
            ArmKind::ManagedInstances(_) => "MANAGED_INSTANCES",
            ArmKind::External(_) => "EXTERNAL",
        }
    }
}

impl Scenario {
    /// Whether the workload ends by itself (so `horizon` may be left out).
    pub fn workload_is_finite(&self) -> bool {
        self.workload.services.is_empty()
            && self
                .workload
                .jobs
                .iter()
                .all(|j| j.end.is_some() || j.max_tasks.is_some())
    }
}
