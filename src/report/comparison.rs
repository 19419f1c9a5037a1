//! The comparison table printed at the end of `sim run` (rendered here; only the CLI prints).

use super::cost_verdict::{CostVerdict, saving};
use super::summary_row::SummaryRow;
use crate::sim::Outcome;

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{:.1}%", x * 100.0))
}

fn secs(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{x:.1}s"))
}

/// An aligned table, one row per arm, then a line naming the cheapest arm and by how much.
/// Where some arm pays for public IPv4 addresses or shared costs (docs/model.md §18), columns
/// `ipv4 $` (part of `cost $`), `shared $` (load balancers and NAT) and `total $` follow
/// `cost $`; with commitments (docs/model.md §22), `effective $` too.
pub fn comparison_table(outcome: &Outcome) -> String {
    let header = [
        "arm", "launch", "arrived", "done", "running", "rejected", "pending", "wait p50",
        "wait p95", "cpu util", "mem util", "cost $", "$/task-h", "outcome",
    ];
    let ipv4 = outcome
        .arms
        .iter()
        .any(|a| a.summary.cost_public_ipv4_usd > 0.0);
    let shared = outcome
        .arms
        .iter()
        .any(|a| a.summary.cost_load_balancer_usd + a.summary.cost_nat_usd > 0.0);
    let mut head: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    let extra_at = 12;
    let mut extra: Vec<&str> = Vec::new();
    if ipv4 {
        extra.push("ipv4 $");
    }
    if shared {
        extra.extend(["shared $", "total $"]);
    }
    let committed = outcome.arms.iter().any(|a| a.summary.has_commitments);
    if committed {
        extra.push("effective $");
    }
    head.splice(extra_at..extra_at, extra.iter().map(|s| s.to_string()));
    let mut rows: Vec<Vec<String>> = vec![head];
    for a in &outcome.arms {
        let s = &a.summary;
        let mut cells = Vec::new();
        if ipv4 {
            cells.push(format!("{:.2}", s.cost_public_ipv4_usd));
        }
        if shared {
            let sh = s.cost_load_balancer_usd + s.cost_nat_usd;
            cells.push(format!("{sh:.2}"));
            cells.push(format!("{:.2}", s.cost_usd + sh));
        }
        if committed {
            cells.push(format!("{:.2}", s.cost_effective_usd));
        }
        let mut row = vec![
            a.arm.clone(),
            a.launch_type.to_string(),
            s.tasks_arrived.to_string(),
            s.tasks_completed.to_string(),
            s.tasks_running_at_end.to_string(),
            s.tasks_rejected.to_string(),
            s.tasks_pending_at_end.to_string(),
            secs(s.wait_p50_s),
            secs(s.wait_p95_s),
            pct(s.cpu_reserved_util),
            pct(s.mem_reserved_util),
            format!("{:.2}", s.cost_usd),
            s.cost_per_task_hour_usd
                .map_or_else(|| "-".to_string(), |c| format!("{c:.4}")),
            s.outcome.as_str().to_string(),
        ];
        row.splice(extra_at..extra_at, cells);
        rows.push(row);
    }
    let mut out = crate::util::text_table::render(&rows, 2, true);
    out.push_str(&verdict(outcome));
    out
}

/// "cheapest: X ($a), Y% less than Z ($b)", among the arms that did all the work (ended
/// complete, nothing rejected: [`CostVerdict`]); arms that did less are named with why
/// (saturated, incomplete, rejected tasks), since their cost covers less.
pub fn verdict(outcome: &Outcome) -> String {
    let rows: Vec<SummaryRow> = outcome.arms.iter().map(SummaryRow::of).collect();
    let verdict = CostVerdict::of(
        rows.iter()
            .map(|r| r.comparable().then(|| r.compared_cost())),
    );
    let several = rows.len() > 1;
    // With `include_shared_costs` the verdict compares whole bills (docs/model.md §18.4).
    let label = if outcome.arms.iter().any(|a| a.summary.include_shared_costs) {
        "cheapest, shared costs included"
    } else {
        "cheapest"
    };
    let mut s = String::new();
    match verdict {
        CostVerdict::Tie(best, next) => {
            s.push_str(&format!(
                "{label}: {} and {} tie at ${:.2}\n",
                rows[best].arm,
                rows[next].arm,
                rows[best].compared_cost()
            ));
        }
        CostVerdict::Cheapest { best, next } => {
            let (best, next) = (&rows[best], &rows[next]);
            let (b, n) = (best.compared_cost(), next.compared_cost());
            let (saving, rel) = saving(b, n);
            s.push_str(&format!(
                "{label}: {} (${b:.2}), {rel:.1}% (${saving:.2}) less than {} (${n:.2})\n",
                best.arm, next.arm
            ));
        }
        CostVerdict::Only(best) if several => {
            s.push_str(&format!(
                "{label}: {} (${:.2}), the only arm that ran every task\n",
                rows[best].arm,
                rows[best].compared_cost()
            ));
        }
        CostVerdict::NoneComparable if several => {
            s.push_str("no arm ran every task; costs are not comparable\n")
        }
        _ => {}
    }
    let short: Vec<String> = rows
        .iter()
        .filter_map(|r| r.shortfall(|t| format!("{t:.0} s")))
        .collect();
    if !short.is_empty() {
        s.push_str(&format!(
            "not compared, its cost covers less work: {}\n",
            short.join("; ")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ArmOutcome, ArmSummary, Completion, EndReason};
    use crate::time::SimTime;

    fn arm(name: &str, cost: f64, outcome: Completion, pending: u64) -> ArmOutcome {
        ArmOutcome {
            arm: name.into(),
            launch_type: "EC2",
            summary: ArmSummary {
                tasks_arrived: 10,
                tasks_completed: 10 - pending,
                tasks_pending_at_end: pending,
                cost_usd: cost,
                outcome,
                outcome_reason: (outcome != Completion::Complete)
                    .then_some(EndReason::FargateLaunchRate),
                ..ArmSummary::default()
            },
            timeseries: Vec::new(),
            tasks: None,
            scaling: Vec::new(),
            waits_ms: Vec::new(),
            events: 0,
            end: SimTime(22_791_000),
            warnings: Vec::new(),
            usage: Default::default(),
            commitments: None,
        }
    }

    #[test]
    fn a_saturated_arm_is_never_the_cheapest_and_is_named() {
        // The saturated arm is cheapest by far (its figures stop early): it must not win.
        let out = Outcome {
            seed: 1,
            arms: vec![
                arm("ec2", 50.0, Completion::Complete, 0),
                arm("fargate", 5.0, Completion::Saturated, 0),
            ],
        };
        let v = verdict(&out);
        assert!(v.starts_with("cheapest: ec2 ($50.00), the only arm"), "{v}");
        assert!(
            v.contains("fargate saturated at 22791 s: Fargate launch rate"),
            "{v}"
        );
        let table = comparison_table(&out);
        let header = table.lines().next().unwrap();
        assert!(
            header.contains("running") && header.ends_with("outcome"),
            "{table}"
        );
        assert!(
            table.lines().nth(3).unwrap().ends_with("saturated"),
            "{table}"
        );
    }

    #[test]
    fn an_incomplete_arm_is_named_with_its_pending_tasks() {
        let out = Outcome {
            seed: 1,
            arms: vec![
                arm("a", 1.0, Completion::Incomplete, 3),
                arm("b", 2.0, Completion::Complete, 0),
                arm("c", 3.0, Completion::Complete, 0),
            ],
        };
        let v = verdict(&out);
        assert!(v.starts_with("cheapest: b ($2.00)"), "{v}");
        assert!(v.contains("a left 3 tasks pending"), "{v}");
    }
}
