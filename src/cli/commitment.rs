//! `sim commitment DIR`: from a run's hourly on-demand usage (DIR/usage.csv), the Savings Plan
//! commitment in USD per hour that minimises each arm's total cost, per plan type (an EC2
//! Instance Savings Plan per instance family), with the saving curve written as
//! DIR/commitment.csv and plotted as DIR/commitment.{svg,png} (docs/model.md §22.6).

use std::path::PathBuf;

use anyhow::Context;

use crate::cli::UsageError;
use crate::prices::PriceFile;
use crate::report::OutputPlan;
use crate::report::commitment_curve::{
    PlanType, RateSources, commitment_csv, commitment_curves, commitment_plot, commitment_table,
    read_usage_csv,
};
use crate::report::{render_png, render_svg};

/// A Savings Plan type, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[allow(clippy::enum_variant_names)]
pub enum PlanArg {
    /// Compute Savings Plan: EC2 in any family, and Fargate.
    ComputeSavingsPlan,
    /// EC2 Instance Savings Plan: one curve per instance family.
    Ec2InstanceSavingsPlan,
}

/// The term of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TermArg {
    /// One year.
    #[value(name = "1yr")]
    OneYear,
    /// Three years.
    #[value(name = "3yr")]
    ThreeYears,
}

/// The payment option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[allow(clippy::enum_variant_names)]
pub enum PaymentArg {
    /// No upfront payment.
    NoUpfront,
    /// Part upfront.
    PartialUpfront,
    /// All upfront.
    AllUpfront,
}

/// Arguments of `sim commitment`.
#[derive(Debug, clap::Args)]
pub struct CommitmentArgs {
    /// A run's output folder (with usage.csv, which every `sim run` writes when an arm had
    /// on-demand usage).
    dir: PathBuf,
    /// The plan type to size; default: both.
    #[arg(long, value_enum)]
    plan: Option<PlanArg>,
    /// The term whose rates apply.
    #[arg(long, value_enum, default_value = "1yr")]
    term: TermArg,
    /// The payment option whose rates apply.
    #[arg(long, value_enum, default_value = "no-upfront")]
    payment: PaymentArg,
    /// Savings Plan rates from a price list (`sim prices import`, docs/prices.md): its
    /// `savings_plans.<plan>."<term>_<payment>"` tables.
    #[arg(long, value_name = "prices.toml")]
    price_list: Option<PathBuf>,
    /// The SP rate of any usage the price list does not price: its on-demand rate × (1 − X/100).
    #[arg(long, value_name = "X")]
    discount_percent: Option<f64>,
}

/// Size the commitments of the run in `args.dir`.
pub fn commitment(args: &CommitmentArgs) -> anyhow::Result<()> {
    let dir = &args.dir;
    let usage_path = dir.join("usage.csv");
    let bytes = std::fs::read(&usage_path).map_err(|e| {
        UsageError(format!(
            "cannot read `{}`: {e}; expected a run's output folder (sim run writes usage.csv when an arm has on-demand usage)",
            usage_path.display()
        ))
    })?;
    if let Some(d) = args.discount_percent
        && !(d.is_finite() && (0.0..100.0).contains(&d))
    {
        return Err(UsageError(format!(
            "`--discount-percent`: found {d}; expected a percentage off on-demand, 0 <= x < 100"
        ))
        .into());
    }
    let list = match &args.price_list {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| UsageError(format!("cannot read `{}`: {e}", p.display())))?;
            Some((
                PriceFile::parse(&text, &p.display().to_string())?,
                p.display().to_string(),
            ))
        }
        None => None,
    };
    let lines = read_usage_csv(&bytes)?;
    let term = match args.term {
        TermArg::OneYear => "1yr",
        TermArg::ThreeYears => "3yr",
    };
    let payment = match args.payment {
        PaymentArg::NoUpfront => "no_upfront",
        PaymentArg::PartialUpfront => "partial_upfront",
        PaymentArg::AllUpfront => "all_upfront",
    };
    let offer = format!("{term}_{payment}");
    let rates = RateSources {
        price_list: list.as_ref().map(|(p, n)| (p, n.as_str())),
        discount_percent: args.discount_percent,
        offer: &offer,
    };
    let plans: Vec<PlanType> = match args.plan {
        Some(PlanArg::ComputeSavingsPlan) => vec![PlanType::ComputeSavingsPlan],
        Some(PlanArg::Ec2InstanceSavingsPlan) => vec![PlanType::Ec2InstanceSavingsPlan],
        None => vec![
            PlanType::ComputeSavingsPlan,
            PlanType::Ec2InstanceSavingsPlan,
        ],
    };
    let curves = commitment_curves(&lines, &plans, &rates)?;
    if curves.is_empty() {
        return Err(UsageError(format!(
            "`{}` has no usage a Savings Plan covers (EC2 on-demand instances or Fargate tasks)",
            usage_path.display()
        ))
        .into());
    }
    let mut plan = OutputPlan::new();
    plan.file("commitment.csv", commitment_csv(&curves));
    let plot = commitment_plot(&curves, &offer);
    plan.file("commitment.svg", render_svg(&plot)?);
    plan.file("commitment.png", render_png(&plot)?);
    let written = plan
        .commit(dir)
        .with_context(|| format!("writing into `{}`", dir.display()))?;
    let table = crate::util::text_table::render(&commitment_table(&curves), 3, true);
    say!("{table}")?;
    sayln!(
        "commitments in USD per hour of {offer} Savings Plans, paid every hour of the run; rates from {}",
        match (&list, args.discount_percent) {
            (Some((_, n)), Some(d)) => format!("{n}, else {d}% off on-demand"),
            (Some((_, n)), None) => n.clone(),
            (None, Some(d)) => format!("{d}% off on-demand"),
            (None, None) => "nowhere".to_string(),
        }
    )?;
    sayln!("wrote {} in {}/", written.join(", "), dir.display())?;
    Ok(())
}
