//! One arm's cost by component: what the cost breakdown plot draws, read from summary.csv's
//! cost columns.

/// One arm's cost components (summary.csv columns of the same names), USD.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CostBreakdownRow {
    /// The arm.
    pub arm: String,
    /// EC2 On-Demand instance-hours.
    pub cost_ec2_on_demand_usd: f64,
    /// EC2 Spot instance-hours.
    pub cost_ec2_spot_usd: f64,
    /// Fargate vCPU-hours.
    pub cost_fargate_vcpu_usd: f64,
    /// Fargate GiB-hours.
    pub cost_fargate_memory_usd: f64,
    /// Fargate ephemeral storage beyond the free 20 GiB.
    pub cost_fargate_storage_usd: f64,
    /// Fargate's Windows OS licence per vCPU-hour (0 on Linux).
    pub cost_fargate_os_licence_usd: f64,
    /// What the Spot instance-hours would have cost more at On-Demand prices (not paid).
    pub spot_savings_usd: f64,
}
