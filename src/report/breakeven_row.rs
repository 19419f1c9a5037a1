//! One row of breakeven.csv, as read back: what the break-even plot draws.

/// One EC2 × Fargate arm pair of breakeven.csv (columns of the same names). Utilisations are
/// fractions (0.5 = 50%).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BreakevenRow {
    /// The EC2 arm.
    pub ec2_arm: String,
    /// The Fargate arm.
    pub fargate_arm: String,
    /// The EC2 arm's instance type(s), as summary.csv writes them.
    pub instance_type: String,
    /// The EC2 arm's cost over the run.
    pub ec2_cost_usd: f64,
    /// The Fargate arm's cost over the run.
    pub fargate_cost_usd: f64,
    /// The EC2 fleet's reserved utilisation over the run.
    pub ec2_utilisation: f64,
    /// The utilisation at which the EC2 arm would cost what the Fargate arm does (EC2 cost at
    /// utilisation u = ec2_cost × ec2_utilisation ÷ u); `None` when there is none.
    pub breakeven_utilisation: Option<f64>,
    /// The instance type's u* in `docs/reference/ecs-facts.md` §8.2; `None` when it has none.
    pub catalog_breakeven_utilisation: Option<f64>,
}
