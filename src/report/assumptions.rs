//! The assumptions a run's figures rest on besides its prices (run.json `prices`), one row each
//! with its source: Spot discounts and interruption rates, quotas and launch rates, other charges,
//! commitments. run.json records them (`scenario_details.assumptions`) and report.html shows
//! them, so a reader of a sent report can audit every figure (docs/outputs.md, "report.html").

use serde::Serialize;

use crate::model::pricing::DEFAULT_FARGATE_SPOT_DISCOUNT;
use crate::scenario::{Arm, ArmKind, FARGATE_SPOT, Purchase, Scenario};
use crate::sim::token_bucket::{FARGATE_LAUNCH_BURST, FARGATE_LAUNCH_PER_SECOND};

/// One assumption of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumption {
    /// What it is about: `prices`, `spot`, `quotas`, `other charges`, `commitments`.
    pub topic: String,
    /// The thing assumed, e.g. `arm fargate: FARGATE_SPOT discount`.
    pub item: String,
    /// Its value, with its unit.
    pub value: String,
    /// Where it comes from: the scenario key, or the built-in's docs/reference section (with
    /// its UNCERTAIN label where the reference gives one).
    pub source: String,
}

fn row(topic: &str, item: String, value: String, source: impl Into<String>) -> Assumption {
    Assumption {
        topic: topic.to_string(),
        item,
        value,
        source: source.into(),
    }
}

/// The assumptions of running `arms` (indexes, in order) of `scenario`.
pub fn assumptions(scenario: &Scenario, arms: &[usize]) -> Vec<Assumption> {
    let used: Vec<&Arm> = arms.iter().filter_map(|&i| scenario.arms.get(i)).collect();
    let mut out = Vec::new();
    spot(&used, &mut out);
    quotas(&used, &mut out);
    other_charges(scenario, &used, &mut out);
    commitments(scenario, &used, &mut out);
    out
}

/// Each commitment that applies to one of the arms: its terms and what it costs per hour
/// (docs/model.md §22).
fn commitments(scenario: &Scenario, arms: &[&Arm], out: &mut Vec<Assumption>) {
    use crate::model::commitment::Plan;
    for c in &scenario.commitments {
        if !arms.iter().any(|a| c.applies_to(&a.name)) {
            continue;
        }
        let terms = format!(
            "{}, {}",
            c.term.as_str(),
            c.payment.as_str().replace('_', " ")
        );
        let value = match &c.plan {
            Plan::ComputeSavingsPlan { usd_per_hour, .. } => {
                format!("${usd_per_hour} per hour, any EC2 family and Fargate; {terms}")
            }
            Plan::Ec2InstanceSavingsPlan {
                usd_per_hour,
                family,
                ..
            } => format!("${usd_per_hour} per hour, family {family}; {terms}"),
            Plan::ReservedInstances {
                instance_type,
                count,
                offering_class,
                usd_per_instance_hour,
            } => format!(
                "{count} × {instance_type} ({offering_class}) at ${usd_per_instance_hour:.6} per RI-hour; {terms}"
            ),
        };
        let arms_text = c
            .arms
            .as_ref()
            .map_or_else(|| "every arm".to_string(), |a| a.join(", "));
        out.push(row(
            "commitments",
            format!("{} ({}; {arms_text})", c.name, c.plan.type_name()),
            value,
            "scenario [[commitment]]; rates from the scenario, the price list or discount_percent, applied each clock hour as docs/reference/pricing.md §3.2 says (docs/model.md §22)",
        ));
    }
}

/// Spot discounts and interruption rates, per arm and provider that buys Spot.
fn spot(arms: &[&Arm], out: &mut Vec<Assumption>) {
    for a in arms {
        match &a.kind {
            ArmKind::Ec2(e) => {
                for p in &e.providers {
                    if let Purchase::Spot {
                        discount,
                        interruptions_per_hour,
                    } = p.purchase
                    {
                        let who = format!("arm {}, provider {}", a.name, p.name);
                        out.push(row(
                            "spot",
                            format!("{who}: EC2 Spot price"),
                            format!("{:.1}% off on-demand", discount * 100.0),
                            "scenario [pricing] spot_discount (no reference default: docs/reference/pricing.md §5.2)",
                        ));
                        out.push(row(
                            "spot",
                            format!("{who}: Spot interruptions"),
                            format!("{interruptions_per_hour} per instance-hour, 2-minute notice"),
                            "scenario spot_interruptions_per_hour (docs/model.md, Spot)",
                        ));
                    }
                }
            }
            ArmKind::ManagedInstances(_) | ArmKind::External(_) => {}
            ArmKind::Fargate(f) => {
                let spot_tasks = a
                    .provider_strategy
                    .iter()
                    .any(|s| s.provider == FARGATE_SPOT && (s.weight > 0 || s.base > 0));
                if !spot_tasks {
                    continue;
                }
                let who = format!("arm {}", a.name);
                let default = (f.spot_discount - DEFAULT_FARGATE_SPOT_DISCOUNT).abs() < 1e-12;
                out.push(row(
                    "spot",
                    format!("{who}: FARGATE_SPOT price"),
                    format!("{:.1}% off on-demand", f.spot_discount * 100.0),
                    if default {
                        "built-in: \"up to a 70% discount\" (docs/reference/ecs-facts.md §1.4); real Spot rates vary (docs/reference/pricing.md §1.1)"
                    } else {
                        "scenario [pricing] fargate_spot_discount"
                    },
                ));
                out.push(row(
                    "spot",
                    format!("{who}: FARGATE_SPOT interruptions"),
                    format!(
                        "{} per task-hour, 2-minute notice",
                        f.spot_interruptions_per_hour
                    ),
                    "scenario arm.spot_interruptions_per_hour (default 0)",
                ));
            }
        }
    }
}

/// The account quotas and launch rates the Fargate arms run under.
fn quotas(arms: &[&Arm], out: &mut Vec<Assumption>) {
    for a in arms {
        let ArmKind::Fargate(f) = &a.kind else {
            continue;
        };
        let who = format!("arm {}", a.name);
        out.push(row(
            "quotas",
            format!("{who}: Fargate vCPU quota"),
            f.vcpu_quota
                .map_or_else(|| "none".to_string(), |q| format!("{q} vCPUs at once")),
            "scenario arm.fargate_vcpu_quota (none unless given)",
        ));
        out.push(row(
            "quotas",
            format!("{who}: Fargate launch rate"),
            format!(
                "{FARGATE_LAUNCH_PER_SECOND} tasks a second after a burst of {FARGATE_LAUNCH_BURST}, per provider"
            ),
            "built-in: docs/reference/ecs-facts.md §7.2",
        ));
    }
}

/// Whether the shared costs count in the comparison, when the arms have any (docs/model.md
/// §18.4). Their rates, like every other price, are in run.json's `prices` with origins.
fn other_charges(scenario: &Scenario, arms: &[&Arm], out: &mut Vec<Assumption>) {
    let o = &scenario.other_charges;
    let lb = o.service_load_balancers.iter().any(Option::is_some);
    let nat = arms.iter().any(|a| a.tasks_behind_nat()) && o.uses_nat();
    let gateways = arms.iter().any(|a| a.nat_gateways > 0);
    if lb || nat || gateways {
        out.push(row(
            "other charges",
            "shared costs in the comparison".to_string(),
            if o.include_shared_costs {
                "yes".to_string()
            } else {
                "no: reported beside cost_usd".to_string()
            },
            "scenario [pricing] include_shared_costs (default false; docs/model.md §18.4)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::load_str;

    #[test]
    fn spot_quotas_and_other_charges_are_listed_with_their_sources() {
        let text = "[pricing]\nspot_discount = 0.6\n[[workload.jobs]]\nname = \"j\"\narrival = { fixed_interval = \"1m\" }\nduration = \"1m\"\ncpu = 1024\nmemory = 2048\nmax_tasks = 3\n\
[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\nassign_public_ip = true\n[[arm.capacity_providers]]\nname = \"spot\"\npurchase = \"spot\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\nspot_interruptions_per_hour = 0.05\n\
[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE_SPOT\"\nfargate_vcpu_quota = 8\n";
        let s = load_str(Path::new("s.toml"), text).unwrap_or_else(|e| panic!("{e}"));
        let a = assumptions(&s, &[0, 1]);
        let find = |item: &str| {
            a.iter()
                .find(|r| r.item == item)
                .unwrap_or_else(|| panic!("{item} in {a:#?}"))
        };
        let ec2 = find("arm e, provider spot: EC2 Spot price");
        assert_eq!(ec2.value, "60.0% off on-demand");
        assert!(ec2.source.contains("spot_discount"));
        assert_eq!(
            find("arm e, provider spot: Spot interruptions").value,
            "0.05 per instance-hour, 2-minute notice"
        );
        let fs = find("arm f: FARGATE_SPOT price");
        assert_eq!(fs.value, "70.0% off on-demand");
        assert!(fs.source.contains("built-in"), "{fs:?}");
        assert_eq!(find("arm f: Fargate vCPU quota").value, "8 vCPUs at once");
        assert!(find("arm f: Fargate launch rate").source.contains("§7.2"));
        // Prices, other charges' rates included, are in run.json's `prices`, not here.
        assert!(
            a.iter()
                .all(|r| r.topic != "prices" && r.topic != "other charges"),
            "{a:#?}"
        );
        assert!(a.iter().all(|r| r.topic != "commitments"));
        // A commitment is listed with its terms.
        let with = format!(
            "{text}[[commitment]]\ntype = \"compute_savings_plan\"\nusd_per_hour = 0.5\ndiscount_percent = 20\nterm = \"3yr\"\n"
        );
        let s2 = load_str(Path::new("s.toml"), &with).unwrap_or_else(|e| panic!("{e}"));
        let c = assumptions(&s2, &[0, 1]);
        let sp = c
            .iter()
            .find(|r| r.topic == "commitments")
            .expect("a commitment row");
        assert_eq!(
            sp.item,
            "compute_savings_plan-1 (compute_savings_plan; every arm)"
        );
        assert_eq!(
            sp.value,
            "$0.5 per hour, any EC2 family and Fargate; 3yr, no upfront"
        );
        // Only what the arms selected use: arm e alone has no Fargate rows.
        let only_e = assumptions(&s, &[0]);
        assert!(only_e.iter().all(|r| r.topic != "quotas"), "{only_e:#?}");
    }
}
