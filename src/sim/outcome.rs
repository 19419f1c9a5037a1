//! What a run produces: per arm, the summary, the time series and (optionally) every task.

use crate::model::commitment::{CommitmentOutcome, HourlyUsage};
use crate::time::SimTime;

/// How a task attempt ended (tasks.csv `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskOutcome {
    /// Ran to completion.
    Completed,
    /// Could not run on this arm (fits no instance type / Fargate size, or no capacity with
    /// `on_no_capacity = "fail"`).
    Rejected,
    /// Lost (interrupted and not restarted).
    Lost,
    /// Interrupted and restarted as a new attempt.
    Interrupted,
    /// Still placed or running at the end of the run.
    Running,
    /// Still waiting for capacity at the end of the run.
    Pending,
}

impl TaskOutcome {
    /// The tasks.csv spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskOutcome::Completed => "completed",
            TaskOutcome::Rejected => "rejected",
            TaskOutcome::Lost => "lost",
            TaskOutcome::Interrupted => "interrupted",
            TaskOutcome::Running => "running",
            TaskOutcome::Pending => "pending",
        }
    }
}

/// One row of tasks.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRecord {
    /// Task identifier.
    pub task_id: String,
    /// Task group.
    pub group: String,
    /// Arrival time.
    pub arrival: SimTime,
    /// When it became RUNNING.
    pub start: Option<SimTime>,
    /// When it ended (completed, or cut at the end of the run for running tasks).
    pub end: Option<SimTime>,
    /// Capacity provider (`FARGATE`, or the EC2 arm's name).
    pub capacity_provider: String,
    /// Container instance (EC2).
    pub instance_id: Option<String>,
    /// Instance type (EC2).
    pub instance_type: Option<String>,
    /// Billed Fargate CPU units.
    pub fargate_cpu: Option<u32>,
    /// Billed Fargate memory, MiB.
    pub fargate_memory_mib: Option<u32>,
    /// Cost of the task (Fargate; EC2 cost is per instance, not per task).
    pub cost_usd: Option<f64>,
    /// How it ended.
    pub outcome: TaskOutcome,
}

/// One row of timeseries.csv.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// When.
    pub time: SimTime,
    /// Container instances launching or registered, not terminated (0 on Fargate).
    pub instances: u32,
    /// Registered CPU units (Fargate: billed CPU of placed tasks).
    pub cpu_registered: u64,
    /// Reserved CPU units (Fargate: requested).
    pub cpu_reserved: u64,
    /// Registered memory, MiB (Fargate: billed).
    pub mem_registered: u64,
    /// Reserved memory, MiB (Fargate: requested).
    pub mem_reserved: u64,
    /// Tasks placed or running.
    pub tasks_running: u64,
    /// Tasks waiting for capacity.
    pub tasks_pending: u64,
    /// Instances requested and not yet registered (included in `instances`).
    pub instances_launching: u32,
    /// Spending rate at this instant, USD per hour.
    pub cost_rate_usd_h: f64,
    /// Cost accrued so far, USD.
    pub cost_cum_usd: f64,
}

/// One row of scaling.csv: a scaling evaluation of a capacity provider (managed scaling, once
/// a minute) or of a service (service auto scaling), and what it did.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingRecord {
    /// When.
    pub time: SimTime,
    /// The capacity provider, or `service:<name>`.
    pub provider: String,
    /// The metric: CapacityProviderReservation (percent) for a provider, average CPU
    /// utilisation (percent) for a service; `None` when there is no data.
    pub metric: Option<f64>,
    /// The metric's target (`None` on a deployment row).
    pub target: Option<f64>,
    /// Desired count after the evaluation (instances, or tasks).
    pub desired: u32,
    /// Registered instances, or running tasks, at the evaluation.
    pub running: u32,
    /// `scale-out`, `scale-in` or `none` for a scaling evaluation; for a service's rolling
    /// deployment `deployment-start`, `deployment-done`, or `deployment-stuck` (it can neither
    /// start nor stop a task and nothing it waits for will change).
    pub action: &'static str,
}

/// How an arm's run ended (summary.csv `outcome`, docs/model.md §1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Completion {
    /// Every task that arrived was run (or refused): nothing was left waiting at the end.
    #[default]
    Complete,
    /// Work was left: tasks still waiting for capacity at the horizon, or, without a horizon,
    /// tasks that nothing left in the run could place.
    Incomplete,
    /// The arm hit one of sim's bounds (tasks alive at once, timeseries samples) and stopped
    /// there; the other arms went on. Its figures cover the run up to then.
    Saturated,
}

impl Completion {
    /// The summary.csv spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Completion::Complete => "complete",
            Completion::Incomplete => "incomplete",
            Completion::Saturated => "saturated",
        }
    }

    /// Whether an arm that ended so, having rejected `tasks_rejected` tasks, did all the work,
    /// so that its cost may be compared with the other arms' ("the cheapest complete arm"):
    /// it ended complete and refused nothing. The one rule the run table, report.html
    /// and sweep.csv (`cheapest_arm`, `cost_vs_cheapest`) apply.
    pub fn comparable(self, tasks_rejected: u64) -> bool {
        self == Completion::Complete && tasks_rejected == 0
    }

    /// The value of a summary.csv spelling.
    pub fn parse(s: &str) -> Option<Completion> {
        [
            Completion::Complete,
            Completion::Incomplete,
            Completion::Saturated,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// Written and read in its summary.csv spelling ([`Completion::as_str`]).
impl serde::Serialize for Completion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Completion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Completion, D::Error> {
        let s = String::deserialize(d)?;
        Completion::parse(&s)
            .ok_or_else(|| serde::de::Error::custom("`complete`, `incomplete` or `saturated`"))
    }
}

/// Why tasks were waiting when an arm ended short of complete (summary.csv `outcome_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// Fargate tasks waited for the launch rate (docs/reference/ecs-facts.md §7.2).
    FargateLaunchRate,
    /// Fargate tasks waited for the account's vCPU quota.
    FargateVcpuQuota,
    /// Tasks waited for a free address in the arm's subnets.
    SubnetAddresses,
    /// A managed capacity provider was at its `max`.
    Ec2AtMax,
    /// A fixed fleet was full (or could not take the tasks).
    Ec2FixedFleet,
    /// Managed scaling was still adding instances (launch latency, warm-up, step sizes).
    Ec2ScalingOut,
    /// Managed scaling does not count the waiting tasks (they fit no instance type it
    /// launches, docs/reference/ecs-facts.md §5.3), so it launches nothing for them.
    Ec2NotCounted,
    /// Most tasks alive were placed, not waiting: the workload itself holds that many at once.
    TasksAtOnce,
    /// The timeseries reached the samples sim keeps (a run far longer than its
    /// `metrics_interval`).
    TimeseriesSamples,
    /// Without a horizon, the waiting tasks made no progress for a week of simulated time while
    /// only instance events (Spot replacements) went on.
    Stalled,
}

impl EndReason {
    /// The summary.csv spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::FargateLaunchRate => "fargate-launch-rate",
            EndReason::FargateVcpuQuota => "fargate-vcpu-quota",
            EndReason::SubnetAddresses => "subnet-addresses",
            EndReason::Ec2AtMax => "ec2-at-max",
            EndReason::Ec2FixedFleet => "ec2-fixed-fleet",
            EndReason::Ec2ScalingOut => "ec2-scaling-out",
            EndReason::Ec2NotCounted => "ec2-not-counted",
            EndReason::TasksAtOnce => "tasks-at-once",
            EndReason::TimeseriesSamples => "timeseries-samples",
            EndReason::Stalled => "stalled",
        }
    }

    /// In words, for the terminal table and report.html.
    pub fn describe(self) -> &'static str {
        match self {
            EndReason::FargateLaunchRate => "Fargate launch rate",
            EndReason::FargateVcpuQuota => "Fargate vCPU quota",
            EndReason::SubnetAddresses => "subnet addresses",
            EndReason::Ec2AtMax => "EC2 capacity at max",
            EndReason::Ec2FixedFleet => "fixed EC2 fleet",
            EndReason::Ec2ScalingOut => "EC2 scale-out too slow",
            EndReason::Ec2NotCounted => "tasks managed scaling does not count",
            EndReason::TasksAtOnce => "tasks alive at once",
            EndReason::TimeseriesSamples => "timeseries samples",
            EndReason::Stalled => "no progress for a week",
        }
    }

    /// The reason of a summary.csv spelling.
    pub fn parse(s: &str) -> Option<EndReason> {
        use EndReason::*;
        [
            FargateLaunchRate,
            FargateVcpuQuota,
            SubnetAddresses,
            Ec2AtMax,
            Ec2FixedFleet,
            Ec2ScalingOut,
            Ec2NotCounted,
            TasksAtOnce,
            TimeseriesSamples,
            Stalled,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// Written and read in its summary.csv spelling ([`EndReason::as_str`]).
impl serde::Serialize for EndReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for EndReason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<EndReason, D::Error> {
        let s = String::deserialize(d)?;
        EndReason::parse(&s).ok_or_else(|| {
            serde::de::Error::custom("a reason sim writes (`fargate-launch-rate`, `ec2-at-max`, …)")
        })
    }
}

/// The summary.csv row of one arm.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArmSummary {
    /// Tasks that arrived.
    pub tasks_arrived: u64,
    /// Tasks that ran to completion.
    pub tasks_completed: u64,
    /// Tasks refused.
    pub tasks_rejected: u64,
    /// Tasks lost.
    pub tasks_lost: u64,
    /// Tasks placed or running at the end.
    pub tasks_running_at_end: u64,
    /// Tasks waiting at the end.
    pub tasks_pending_at_end: u64,
    /// Mean wait (arrival to RUNNING) of tasks that started, seconds.
    pub wait_mean_s: Option<f64>,
    /// Median wait, seconds (nearest rank).
    pub wait_p50_s: Option<f64>,
    /// 95th percentile wait, seconds.
    pub wait_p95_s: Option<f64>,
    /// 99th percentile wait, seconds.
    pub wait_p99_s: Option<f64>,
    /// Total cost, USD.
    pub cost_usd: f64,
    /// Cost per hour of task run time, USD.
    pub cost_per_task_hour_usd: Option<f64>,
    /// Reserved ÷ registered CPU over time (Fargate: requested ÷ billed).
    pub cpu_reserved_util: Option<f64>,
    /// Reserved ÷ registered memory over time (Fargate: requested ÷ billed).
    pub mem_reserved_util: Option<f64>,
    /// Used ÷ registered CPU (where the trace gives usage).
    pub cpu_used_util: Option<f64>,
    /// Used ÷ registered memory (where the trace gives usage).
    pub mem_used_util: Option<f64>,
    /// Instance-hours billed.
    pub instance_hours: f64,
    /// Most instances at once.
    pub peak_instances: u32,
    /// Spot interruptions.
    pub interruptions: u64,
    /// Tasks whose placement was blocked only by ENI slots at least once.
    pub eni_blocked_placements: u64,
    /// Longest wait, seconds.
    pub wait_max_s: Option<f64>,
    /// Hours of task run time (RUNNING to end, or to the end of the run).
    pub task_hours: f64,
    /// Tasks whose placement was blocked only by a full subnet at least once.
    pub subnet_blocked_placements: u64,
    /// The cost of on-demand EC2 instances (Managed Instances: the EC2 part), USD. This, the
    /// next five parts, the public IPv4 addresses and the three ECS parts below
    /// (management fee, ECS Anywhere fee, owned servers) sum to `cost_usd`.
    pub cost_ec2_on_demand_usd: f64,
    /// The cost of EC2 Spot instances at their discounted price, USD.
    pub cost_ec2_spot_usd: f64,
    /// The vCPU part of Fargate's cost (FARGATE_SPOT at its discounted price), USD.
    pub cost_fargate_vcpu_usd: f64,
    /// The memory part of Fargate's cost, USD.
    pub cost_fargate_memory_usd: f64,
    /// The ephemeral-storage part of Fargate's cost (storage above 20 GiB), USD.
    pub cost_fargate_storage_usd: f64,
    /// The Windows OS licence part of Fargate's cost, USD (0 on Linux; docs/reference/pricing.md
    /// §1.5).
    pub cost_fargate_os_licence_usd: f64,
    /// What the Spot capacity (EC2 Spot instances, FARGATE_SPOT tasks) would have cost on
    /// demand minus what it cost, USD (not part of `cost_usd`).
    pub spot_savings_usd: f64,
    /// Public IPv4 addresses (per Fargate task, per EC2 instance), USD; part of `cost_usd`.
    pub cost_public_ipv4_usd: f64,
    /// The services' load balancers, USD; a shared cost, not part of `cost_usd`.
    pub cost_load_balancer_usd: f64,
    /// NAT gateway processing of the tasks' traffic, USD; a shared cost, not part of `cost_usd`.
    pub cost_nat_usd: f64,
    /// Whether the shared costs count in the comparison (`[pricing] include_shared_costs`).
    pub include_shared_costs: bool,
    /// The bill with the arm's commitments (docs/model.md §22): `cost_usd` − the on-demand
    /// cost the commitments covered + their fees, USD; `cost_usd` without commitments.
    pub cost_effective_usd: f64,
    /// The commitments' fees over the run (every hour it touches), USD.
    pub commitment_fee_usd: f64,
    /// Used ÷ paid commitment over the run; `None` without commitments.
    pub commitment_utilisation: Option<f64>,
    /// Covered ÷ all on-demand usage (on-demand-equivalent USD); `None` without commitments.
    pub commitment_coverage: Option<f64>,
    /// Whether any commitment applies to the arm.
    pub has_commitments: bool,
    /// ECS Managed Instances management fees, USD; part of `cost_usd`.
    pub cost_management_fee_usd: f64,
    /// ECS Anywhere fees of the external instances, USD; part of `cost_usd`.
    pub cost_ecs_anywhere_usd: f64,
    /// The planner's cost of owning the external servers, USD; part of `cost_usd`.
    pub cost_owned_servers_usd: f64,
    /// How the arm's run ended.
    pub outcome: Completion,
    /// Why, when it is not complete.
    pub outcome_reason: Option<EndReason>,
}

/// The result of simulating one arm.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmOutcome {
    /// Arm name.
    pub arm: String,
    /// `EC2` or `FARGATE`.
    pub launch_type: &'static str,
    /// The summary row.
    pub summary: ArmSummary,
    /// The time series.
    pub timeseries: Vec<Sample>,
    /// Every task attempt, when asked for.
    pub tasks: Option<Vec<TaskRecord>>,
    /// Every scaling evaluation, in time order.
    pub scaling: Vec<ScalingRecord>,
    /// Wait (arrival to RUNNING) of every task attempt that started, milliseconds, sorted
    /// ascending: one `u64` per task, for the wait-time distribution plot.
    pub waits_ms: Vec<u64>,
    /// Events processed (arrivals included).
    pub events: u64,
    /// When the run ended (for a saturated arm, when it hit the bound).
    pub end: SimTime,
    /// What the user should know about how this arm ended (a saturated arm, tasks that could
    /// never be placed), in words naming the arm; the CLI prints them.
    pub warnings: Vec<String>,
    /// On-demand usage by clock hour and usage line (usage.csv; docs/model.md §22.2).
    pub usage: HourlyUsage,
    /// What the arm's commitments did, hour by hour, when it has any (commitments.csv).
    pub commitments: Option<CommitmentOutcome>,
}

/// The result of simulating every arm of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Seed used.
    pub seed: u64,
    /// Per arm, in scenario order.
    pub arms: Vec<ArmOutcome>,
}
