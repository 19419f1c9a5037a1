//! summary.csv, timeseries.csv, tasks.csv and scaling.csv (DESIGN.md §5), rendered to bytes.
//!
//! Numbers are printed with fixed decimals (money 6, utilisation 6, seconds 3) so that the bytes
//! are identical for identical results; a value that does not exist is an empty cell.

use crate::sim::{ArmOutcome, Outcome, TaskRecord};
use crate::time::SimTime;

/// summary.csv columns, in order.
pub const SUMMARY_COLUMNS: [&str; 34] = [
    "arm",
    "launch_type",
    "tasks_arrived",
    "tasks_completed",
    "tasks_rejected",
    "tasks_lost",
    "tasks_running_at_end",
    "tasks_pending_at_end",
    "wait_mean_s",
    "wait_p50_s",
    "wait_p95_s",
    "wait_p99_s",
    "cost_usd",
    "cost_per_task_hour_usd",
    "cpu_reserved_util",
    "mem_reserved_util",
    "cpu_used_util",
    "mem_used_util",
    "instance_hours",
    "peak_instances",
    "interruptions",
    "eni_blocked_placements",
    "wait_max_s",
    "task_hours",
    "subnet_blocked_placements",
    "cost_ec2_on_demand_usd",
    "cost_ec2_spot_usd",
    "cost_fargate_vcpu_usd",
    "cost_fargate_memory_usd",
    "cost_fargate_storage_usd",
    "spot_savings_usd",
    "outcome",
    "outcome_reason",
    "end_s",
];

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

/// summary.csv: one row per arm. The DESIGN.md columns come first, in order; `wait_max_s`,
/// `task_hours`, `subnet_blocked_placements` and the cost components (which sum to `cost_usd`)
/// and Spot savings are added after them; then how the arm ended: `outcome` (`complete`,
/// `incomplete`, `saturated`, DESIGN.md §7), `outcome_reason` (why, when not complete; empty
/// otherwise) and `end_s` (when the arm's run ended: the horizon, the last task's end, or
/// where it saturated).
pub fn summary_csv(outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(SUMMARY_COLUMNS);
    for a in &outcome.arms {
        let _ = w.write_record(summary_record(a));
    }
    finish(w)
}

/// The summary.csv cells of one arm, in [`SUMMARY_COLUMNS`] order (also the tail of a sweep's
/// runs.csv rows).
pub fn summary_record(a: &ArmOutcome) -> [String; SUMMARY_COLUMNS.len()] {
    let s = &a.summary;
    [
        a.arm.clone(),
        a.launch_type.to_string(),
        s.tasks_arrived.to_string(),
        s.tasks_completed.to_string(),
        s.tasks_rejected.to_string(),
        s.tasks_lost.to_string(),
        s.tasks_running_at_end.to_string(),
        s.tasks_pending_at_end.to_string(),
        opt(s.wait_mean_s, 3),
        opt(s.wait_p50_s, 3),
        opt(s.wait_p95_s, 3),
        opt(s.wait_p99_s, 3),
        format!("{:.6}", s.cost_usd),
        opt(s.cost_per_task_hour_usd, 6),
        opt(s.cpu_reserved_util, 6),
        opt(s.mem_reserved_util, 6),
        opt(s.cpu_used_util, 6),
        opt(s.mem_used_util, 6),
        format!("{:.6}", s.instance_hours),
        s.peak_instances.to_string(),
        s.interruptions.to_string(),
        s.eni_blocked_placements.to_string(),
        opt(s.wait_max_s, 3),
        format!("{:.6}", s.task_hours),
        s.subnet_blocked_placements.to_string(),
        format!("{:.6}", s.cost_ec2_on_demand_usd),
        format!("{:.6}", s.cost_ec2_spot_usd),
        format!("{:.6}", s.cost_fargate_vcpu_usd),
        format!("{:.6}", s.cost_fargate_memory_usd),
        format!("{:.6}", s.cost_fargate_storage_usd),
        format!("{:.6}", s.spot_savings_usd),
        s.outcome.as_str().to_string(),
        s.outcome_reason
            .map(|r| r.as_str().to_string())
            .unwrap_or_default(),
        secs(a.end),
    ]
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
