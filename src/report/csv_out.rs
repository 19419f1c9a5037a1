//! timeseries.csv, tasks.csv and scaling.csv (docs/outputs.md), rendered to bytes (summary.csv
//! is [`super::summary_row`]'s).
//!
//! Numbers are printed with fixed decimals (money 6, utilisation 6, seconds 3) so that the bytes
//! are identical for identical results; a value that does not exist is an empty cell.

use crate::sim::{Outcome, TaskRecord};
use crate::time::SimTime;

/// timeseries.csv columns, in order.
pub const TIMESERIES_COLUMNS: [&str; 12] = [
    "arm",
    "time_s",
    "instances",
    "cpu_registered",
    "cpu_reserved",
    "mem_registered",
    "mem_reserved",
    "tasks_running",
    "tasks_pending",
    "cost_rate_usd_h",
    "cost_cum_usd",
    "instances_launching",
];

/// scaling.csv columns, in order.
pub const SCALING_COLUMNS: [&str; 8] = [
    "time_s", "arm", "provider", "metric", "target", "desired", "running", "action",
];

/// tasks.csv columns, in order.
pub const TASKS_COLUMNS: [&str; 14] = [
    "arm",
    "task_id",
    "group",
    "arrival_s",
    "start_s",
    "end_s",
    "wait_s",
    "capacity_provider",
    "instance_id",
    "instance_type",
    "fargate_cpu",
    "fargate_memory_mib",
    "cost_usd",
    "outcome",
];

fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(String::new, |x| format!("{x:.decimals$}"))
}

/// Seconds with three decimals, from the integer milliseconds (exact at any magnitude).
fn secs(t: SimTime) -> String {
    format!("{}.{:03}", t.as_ms() / 1000, t.as_ms() % 1000)
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    // Writing to a Vec cannot fail; an empty result would be caught by the tests.
    w.into_inner().unwrap_or_default()
}

/// timeseries.csv: every sample of every arm, arms in order.
pub fn timeseries_csv(outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(TIMESERIES_COLUMNS);
    for a in &outcome.arms {
        for s in &a.timeseries {
            let _ = w.write_record([
                a.arm.clone(),
                secs(s.time),
                s.instances.to_string(),
                s.cpu_registered.to_string(),
                s.cpu_reserved.to_string(),
                s.mem_registered.to_string(),
                s.mem_reserved.to_string(),
                s.tasks_running.to_string(),
                s.tasks_pending.to_string(),
                format!("{:.6}", s.cost_rate_usd_h),
                format!("{:.6}", s.cost_cum_usd),
                s.instances_launching.to_string(),
            ]);
        }
    }
    finish(w)
}

fn task_row(arm: &str, r: &TaskRecord) -> [String; 14] {
    let wait = r
        .start
        .map(|s| format!("{:.3}", s.since(r.arrival).as_secs_f64()))
        .unwrap_or_default();
    [
        arm.to_string(),
        r.task_id.clone(),
        r.group.clone(),
        secs(r.arrival),
        r.start.map(secs).unwrap_or_default(),
        r.end.map(secs).unwrap_or_default(),
        wait,
        r.capacity_provider.clone(),
        r.instance_id.clone().unwrap_or_default(),
        r.instance_type.clone().unwrap_or_default(),
        r.fargate_cpu.map(|v| v.to_string()).unwrap_or_default(),
        r.fargate_memory_mib
            .map(|v| v.to_string())
            .unwrap_or_default(),
        opt(r.cost_usd, 6),
        r.outcome.as_str().to_string(),
    ]
}

/// tasks.csv: every task attempt of every arm, arms in order, each arm's rows in the order the
/// attempts ended (then those still running or pending, in arrival order).
pub fn tasks_csv(outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(TASKS_COLUMNS);
    for a in &outcome.arms {
        for r in a.tasks.iter().flatten() {
            let _ = w.write_record(task_row(&a.arm, r));
        }
    }
    finish(w)
}

/// scaling.csv: every scaling evaluation of every arm (managed scaling of each capacity
/// provider and service auto scaling, once a minute), arms in order, each in time order.
pub fn scaling_csv(outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(SCALING_COLUMNS);
    for a in &outcome.arms {
        for r in &a.scaling {
            let _ = w.write_record([
                secs(r.time),
                a.arm.clone(),
                r.provider.clone(),
                opt(r.metric, 3),
                opt(r.target, 3),
                r.desired.to_string(),
                r.running.to_string(),
                r.action.to_string(),
            ]);
        }
    }
    finish(w)
}
