//! The comparison table printed at the end of `sim run` (rendered here; only the CLI prints).

use crate::sim::{ArmOutcome, Completion, EndReason, Outcome};

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{:.1}%", x * 100.0))
}

fn secs(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{x:.1}s"))
}

/// An aligned table, one row per arm, then a line naming the cheapest arm and by how much.
pub fn comparison_table(outcome: &Outcome) -> String {
    let header = [
        "arm", "launch", "arrived", "done", "running", "rejected", "pending", "wait p50",
        "wait p95", "cpu util", "mem util", "cost $", "$/task-h", "outcome",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for a in &outcome.arms {
        let s = &a.summary;
        rows.push(vec![
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
        ]);
    }
    let mut out = crate::util::text_table::render(&rows, 2, true);
    out.push_str(&verdict(outcome));
    out
}

/// Whether an arm's cost may be compared: it ended complete and refused nothing.
fn comparable(a: &ArmOutcome) -> bool {
    a.summary.outcome.comparable(a.summary.tasks_rejected)
}

/// Why an arm's cost is not compared, in words (`None` when it is).
fn shortfall(a: &ArmOutcome) -> Option<String> {
    let s = &a.summary;
    let why = s.outcome_reason.map(EndReason::describe);
    let why = why.map_or_else(String::new, |w| format!(": {w}"));
    match s.outcome {
        Completion::Saturated => Some(format!(
            "{} saturated at {:.0} s{why}, so its figures stop there",
            a.arm,
            a.end.as_secs_f64()
        )),
        Completion::Incomplete => Some(format!(
            "{} left {} tasks pending{why}",
            a.arm, s.tasks_pending_at_end
        )),
        Completion::Complete if s.tasks_rejected > 0 => {
            Some(format!("{} rejected {} tasks", a.arm, s.tasks_rejected))
        }
        Completion::Complete => None,
    }
}

/// "cheapest: X ($a), Y% less than Z ($b)", among the arms that did all the work (ended
/// complete, nothing rejected); arms that did less are named with why (saturated, incomplete,
/// rejected tasks), since their cost covers less.
pub fn verdict(outcome: &Outcome) -> String {
    let mut arms: Vec<_> = outcome.arms.iter().filter(|a| comparable(a)).collect();
    arms.sort_by(|a, b| a.summary.cost_usd.total_cmp(&b.summary.cost_usd));
    let mut s = String::new();
    match (arms.first(), arms.get(1)) {
        (Some(best), Some(next)) if best.summary.cost_usd == next.summary.cost_usd => {
            s.push_str(&format!(
                "cheapest: {} and {} tie at ${:.2}\n",
                best.arm, next.arm, best.summary.cost_usd
            ));
        }
        (Some(best), Some(next)) => {
            let saving = next.summary.cost_usd - best.summary.cost_usd;
            let rel = if next.summary.cost_usd > 0.0 {
                saving / next.summary.cost_usd * 100.0
            } else {
                0.0
            };
            s.push_str(&format!(
                "cheapest: {} (${:.2}), {rel:.1}% (${saving:.2}) less than {} (${:.2})\n",
                best.arm, best.summary.cost_usd, next.arm, next.summary.cost_usd
            ));
        }
        (Some(best), None) if outcome.arms.len() > 1 => {
            s.push_str(&format!(
                "cheapest: {} (${:.2}), the only arm that ran every task\n",
                best.arm, best.summary.cost_usd
            ));
        }
        (None, _) if outcome.arms.len() > 1 => {
            s.push_str("no arm ran every task; costs are not comparable\n")
        }
        _ => {}
    }
    let short: Vec<String> = outcome.arms.iter().filter_map(shortfall).collect();
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
    use crate::sim::ArmSummary;
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
