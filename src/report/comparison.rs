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
    let widths: Vec<usize> = (0..header.len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, v)| {
                if c < 2 {
                    format!("{v:<w$}", w = widths[c])
                } else {
                    format!("{v:>w$}", w = widths[c])
                }
            })
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
            out.push('\n');
        }
    }
    out.push_str(&verdict(outcome));
    out
}

/// "cheapest: X ($a), Y% less than Z ($b)", comparing arms that finished the same work.
pub fn verdict(outcome: &Outcome) -> String {
    let mut arms: Vec<_> = outcome.arms.iter().collect();
    if arms.is_empty() {
        return String::new();
    }
    arms.sort_by(|a, b| a.summary.cost_usd.total_cmp(&b.summary.cost_usd));
    let best = arms[0];
    let mut s = format!("cheapest: {} (${:.2})", best.arm, best.summary.cost_usd);
    if let Some(next) = arms.get(1) {
        let saving = next.summary.cost_usd - best.summary.cost_usd;
        let rel = if next.summary.cost_usd > 0.0 {
            saving / next.summary.cost_usd * 100.0
        } else {
            0.0
        };
        s.push_str(&format!(
            ", {rel:.1}% (${saving:.2}) less than {} (${:.2})",
            next.arm, next.summary.cost_usd
        ));
    }
    let unfinished: Vec<&str> = outcome
        .arms
        .iter()
        .filter(|a| a.summary.tasks_rejected + a.summary.tasks_pending_at_end > 0)
        .map(|a| a.arm.as_str())
        .collect();
    s.push('\n');
    if !unfinished.is_empty() {
        s.push_str(&format!(
            "note: {} rejected or left tasks pending; its cost covers less work\n",
            unfinished.join(", ")
        ));
    }
    s
}
