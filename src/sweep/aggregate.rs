//! sweep.csv: per variant and arm, the parameters, then the mean, sample standard deviation and
//! 95% confidence half-width over the seeds of the headline metrics; per variant, the cheapest
//! arm and the EC2 ÷ Fargate cost ratio. Computed from runs.csv rows, so a resumed sweep
//! aggregates exactly as an uninterrupted one.

use crate::report::csv_out::SUMMARY_COLUMNS;
use crate::sweep::runs_file::{FinishedRuns, Layout};
use crate::sweep::stats::summarise;

/// The metrics summarised over seeds.
pub const METRICS: [&str; 5] = [
    "cost_usd",
    "wait_mean_s",
    "wait_p95_s",
    "cpu_reserved_util",
    "mem_reserved_util",
];

fn col(name: &str) -> usize {
    SUMMARY_COLUMNS
        .iter()
        .position(|c| *c == name)
        .unwrap_or(usize::MAX)
}

/// The header of sweep.csv.
pub fn header(plan: &Layout) -> Vec<String> {
    let mut h = vec!["variant".to_string()];
    h.extend(plan.parameters.iter().cloned());
    h.extend(["arm", "launch_type", "runs"].map(String::from));
    for m in METRICS {
        for s in ["mean", "sd", "ci95"] {
            h.push(format!("{m}_{s}"));
        }
    }
    h.extend(["cheapest_arm", "ec2_fargate_cost_ratio"].map(String::from));
    h
}

fn cell(x: Option<f64>) -> String {
    x.map_or_else(String::new, |v| format!("{v:.6}"))
}

/// Render sweep.csv from the finished runs. Variants with no finished run are left out. A
/// variant's parameter values are taken from its rows (runs.csv checks them against the grid).
///
/// - A metric's statistics are over the runs where it has a value (a run where no task started
///   has no wait); `runs` counts the variant's finished runs.
/// - `cheapest_arm`: the arm with the lowest mean cost among those that ran every task (nothing
///   rejected or left pending) in every seed; the first in scenario order on a tie; empty when
///   none did.
/// - `ec2_fargate_cost_ratio`: mean EC2 cost ÷ mean Fargate cost when the scenario has exactly
///   one EC2 arm and one FARGATE arm (and the Fargate cost is not zero), else empty.
pub fn sweep_csv(plan: &Layout, runs: &FinishedRuns) -> Vec<u8> {
    let off = plan.summary_offset();
    let seeds = u64::from(plan.seeds);
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header(plan));
    let num = |row: &Vec<String>, name: &str| {
        row.get(off + col(name)).and_then(|c| c.parse::<f64>().ok())
    };
    let ec2: Vec<usize> = (0..plan.arms.len())
        .filter(|&a| plan.arms[a].1 == "EC2")
        .collect();
    let fargate: Vec<usize> = (0..plan.arms.len())
        .filter(|&a| plan.arms[a].1 == "FARGATE")
        .collect();
    for v in 0..plan.variants {
        let first = v as u64 * seeds;
        let rows: Vec<&Vec<Vec<String>>> =
            runs.range(first..first + seeds).map(|(_, r)| r).collect();
        if rows.is_empty() {
            continue;
        }
        let values = &rows[0][0][3..off];
        let per_arm: Vec<Vec<Option<crate::sweep::stats::Summary>>> = (0..plan.arms.len())
            .map(|a| {
                METRICS
                    .iter()
                    .map(|m| {
                        let xs: Vec<f64> = rows.iter().filter_map(|r| num(&r[a], m)).collect();
                        summarise(&xs)
                    })
                    .collect()
            })
            .collect();
        let mean_cost = |a: usize| per_arm[a][0].map(|s| s.mean);
        let complete = |a: usize| {
            rows.iter().all(|r| {
                num(&r[a], "tasks_rejected").unwrap_or(1.0)
                    + num(&r[a], "tasks_pending_at_end").unwrap_or(1.0)
                    == 0.0
            })
        };
        let mut cheapest: Option<(usize, f64)> = None;
        for a in (0..plan.arms.len()).filter(|&a| complete(a)) {
            if let Some(c) = mean_cost(a)
                && cheapest.is_none_or(|(_, best)| c < best)
            {
                cheapest = Some((a, c));
            }
        }
        let ratio = match (ec2.as_slice(), fargate.as_slice()) {
            ([e], [f]) => match (mean_cost(*e), mean_cost(*f)) {
                (Some(ce), Some(cf)) if cf > 0.0 => Some(ce / cf),
                _ => None,
            },
            _ => None,
        };
        for (a, (name, launch)) in plan.arms.iter().enumerate() {
            let mut rec = vec![v.to_string()];
            rec.extend(values.iter().cloned());
            rec.extend([name.clone(), launch.clone(), rows.len().to_string()]);
            for s in &per_arm[a] {
                rec.push(cell(s.map(|s| s.mean)));
                rec.push(cell(s.and_then(|s| s.sd)));
                rec.push(cell(s.and_then(|s| s.ci95)));
            }
            rec.push(cheapest.map_or_else(String::new, |(c, _)| plan.arms[c].0.clone()));
            rec.push(cell(ratio));
            let _ = w.write_record(rec);
        }
    }
    w.into_inner().unwrap_or_default()
}
