//! breakeven.csv: for each pair of an EC2 arm and a Fargate arm, the utilisation at which the
//! EC2 fleet would cost what Fargate costs for the same workload (docs/model.md "Break-even
//! view"), next to the catalog break-even of docs/reference/ecs-facts.md §8.2.

use crate::model::catalog_breakeven;
use crate::scenario::{ArmKind, Scenario};
use crate::sim::{ArmOutcome, Completion, Outcome};

/// breakeven.csv columns, in order.
pub const BREAKEVEN_COLUMNS: [&str; 8] = [
    "ec2_arm",
    "fargate_arm",
    "instance_type",
    "ec2_cost_usd",
    "fargate_cost_usd",
    "ec2_utilisation",
    "breakeven_utilisation",
    "catalog_breakeven_utilisation",
];

/// The EC2 fleet's utilisation: reserved ÷ registered of the binding resource (the larger of
/// CPU and memory); `None` when nothing was registered.
pub fn fleet_utilisation(a: &ArmOutcome) -> Option<f64> {
    match (a.summary.cpu_reserved_util, a.summary.mem_reserved_util) {
        (Some(c), Some(m)) => Some(c.max(m)),
        (c, m) => c.or(m),
    }
}

/// The utilisation at which EC2 would cost what Fargate costs: EC2's cost scales as
/// 1 ÷ utilisation for the same reserved resource-hours, so it is `ec2_cost × ec2_util ÷
/// fargate_cost` (above 1: EC2 cannot win at any packing). `None` when Fargate cost nothing.
pub fn breakeven_utilisation(ec2_cost: f64, ec2_util: f64, fargate_cost: f64) -> Option<f64> {
    (fargate_cost > 0.0).then(|| ec2_cost * ec2_util / fargate_cost)
}

/// The arms of `launch_type` whose cost covers the whole workload (they ended complete): a
/// saturated or incomplete arm's cost covers less work, so no break-even is drawn against it.
fn paired<'a>(outcome: &'a Outcome, launch_type: &'a str) -> impl Iterator<Item = &'a ArmOutcome> {
    outcome
        .arms
        .iter()
        .filter(move |a| a.launch_type == launch_type && a.summary.outcome == Completion::Complete)
}

/// Whether the run has at least one EC2 arm and one Fargate arm that ended complete (then
/// breakeven.csv exists).
pub fn has_breakeven(outcome: &Outcome) -> bool {
    paired(outcome, "EC2").next().is_some() && paired(outcome, "FARGATE").next().is_some()
}

/// breakeven.csv: one row per (EC2 arm, Fargate arm) pair of arms that ended complete, EC2
/// arms in scenario order, each with the Fargate arms in scenario order. `scenario` gives each EC2 arm's first instance
/// type (its first provider's first type) for the catalog break-even.
pub fn breakeven_csv(outcome: &Outcome, scenario: &Scenario) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(BREAKEVEN_COLUMNS);
    let f6 = |x: Option<f64>| x.map_or_else(String::new, |v| format!("{v:.6}"));
    for e in paired(outcome, "EC2") {
        let first_type = scenario
            .arms
            .iter()
            .find(|a| a.name == e.arm)
            .and_then(|a| match &a.kind {
                ArmKind::Ec2(ec2) => ec2.providers.first()?.instance_types.first(),
                ArmKind::ManagedInstances(m) => m.types.first().map(|t| &t.instance_type),
                ArmKind::Fargate(_) | ArmKind::External(_) => None,
            });
        let util = fleet_utilisation(e);
        for f in paired(outcome, "FARGATE") {
            // With commitments, each arm at its effective (committed) cost, and the catalog
            // break-even at effective prices: the instance's price and Fargate's rates each
            // scaled by their arm's effective ÷ list cost (docs/model.md §22.4).
            let cost = |a: &ArmOutcome| {
                if a.summary.has_commitments {
                    a.summary.cost_effective_usd
                } else {
                    a.summary.cost_usd
                }
            };
            let (ec2_cost, fargate_cost) = (cost(e), cost(f));
            let factor = |a: &ArmOutcome| {
                if a.summary.has_commitments && a.summary.cost_usd > 0.0 {
                    a.summary.cost_effective_usd / a.summary.cost_usd
                } else {
                    1.0
                }
            };
            let scale = factor(e) / factor(f);
            let _ = w.write_record([
                e.arm.clone(),
                f.arm.clone(),
                first_type.map(|t| t.name.clone()).unwrap_or_default(),
                format!("{ec2_cost:.6}"),
                format!("{fargate_cost:.6}"),
                f6(util),
                f6(util.and_then(|u| breakeven_utilisation(ec2_cost, u, fargate_cost))),
                f6(first_type
                    .and_then(|t| catalog_breakeven(t, &scenario.pricing))
                    .map(|b| b * scale)),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakeven_by_hand() {
        // EC2 paid $120 at 40% utilisation: the same work at 100% would cost $48; Fargate paid
        // $60, so EC2 matches it at 48 ÷ 60 = 80%.
        assert!((breakeven_utilisation(120.0, 0.4, 60.0).unwrap() - 0.8).abs() < 1e-12);
        // EC2 at 100% would still cost more than Fargate: above 1.
        assert!(breakeven_utilisation(200.0, 0.5, 80.0).unwrap() > 1.0);
        assert_eq!(breakeven_utilisation(1.0, 0.5, 0.0), None);
    }

    #[test]
    fn quickstart_pairs_its_ec2_and_fargate_arms() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/quickstart.toml");
        let s = crate::scenario::load(&path).unwrap();
        let mut s = s;
        // A short window keeps the test quick; the file's shape is what is checked.
        s.horizon = Some(crate::time::SimDuration::from_secs(1800));
        let arms: Vec<usize> = (0..s.arms.len()).collect();
        let out =
            crate::sim::run(&s, &arms, 7, crate::sim::RunOptions::default(), &|_, _| {}).unwrap();
        assert!(has_breakeven(&out));
        let text = String::from_utf8(breakeven_csv(&out, &s)).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(r.headers().unwrap(), BREAKEVEN_COLUMNS.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(
            (&row[0], &row[1], &row[2]),
            ("ec2-m5", "fargate", "m5.xlarge")
        );
        let num = |i: usize| row[i].parse::<f64>().unwrap();
        let (ec2, fargate, u, be) = (num(3), num(4), num(5), num(6));
        assert!((be - ec2 * u / fargate).abs() < 1e-5, "{row:?}");
        assert!((num(7) - 0.824).abs() < 0.001, "{row:?}");
    }
}
