//! The comparison table printed at the end of `sim run` (rendered here; only the CLI prints).

use crate::sim::Outcome;

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{:.1}%", x * 100.0))
}

fn secs(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{x:.1}s"))
}

/// An aligned table, one row per arm, then a line naming the cheapest arm and by how much.
pub fn comparison_table(outcome: &Outcome) -> String {
    let header = [
        "arm", "launch", "arrived", "done", "rejected", "pending", "wait p50", "wait p95",
        "cpu util", "mem util", "cost $", "$/task-h",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for a in &outcome.arms {
        let s = &a.summary;
        rows.push(vec![
            a.arm.clone(),
            a.launch_type.to_string(),
            s.tasks_arrived.to_string(),
            s.tasks_completed.to_string(),
            s.tasks_rejected.to_string(),
            s.tasks_pending_at_end.to_string(),
            secs(s.wait_p50_s),
            secs(s.wait_p95_s),
            pct(s.cpu_reserved_util),
            pct(s.mem_reserved_util),
            format!("{:.2}", s.cost_usd),
            s.cost_per_task_hour_usd
                .map_or_else(|| "-".to_string(), |c| format!("{c:.4}")),
        ]);
    }
    let mut out = crate::report::text_table::render(&rows, 2, true);
    out.push_str(&verdict(outcome));
    out
}

/// "cheapest: X ($a), Y% less than Z ($b)", among the arms that did all the work (nothing
/// rejected, nothing left pending); arms that did less are named, since their cost covers less.
pub fn verdict(outcome: &Outcome) -> String {
    let complete = |a: &&crate::sim::ArmOutcome| {
        a.summary.tasks_rejected + a.summary.tasks_pending_at_end == 0
    };
    let mut arms: Vec<_> = outcome.arms.iter().filter(complete).collect();
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
    let incomplete: Vec<&str> = outcome
        .arms
        .iter()
        .filter(|a| !complete(a))
        .map(|a| a.arm.as_str())
        .collect();
    if !incomplete.is_empty() {
        s.push_str(&format!(
            "not compared: {} rejected tasks or left them pending, so its cost covers less work\n",
            incomplete.join(", ")
        ));
    }
    s
}
