//! Capacity that moves (issue 4): managed scaling, EC2 Spot, capacity-provider strategies,
//! FARGATE_SPOT, services (deployments, auto scaling), Fargate launch rate and vCPU quota,
//! subnet addresses. Each test pins one documented rule of docs/reference/ecs-facts.md (§5–§7) or
//! of the design notes of issue 4, with small hand-built scenarios.

use std::path::Path;

use crate::common::{assert_conserved, first_arm, load, run_checked, scenario, write};
use sim::sim::{ArmOutcome, ScalingRecord, TaskOutcome, TaskRecord};

const S: u64 = 1_000; // one second, in ms
const MIN: u64 = 60 * S;
const H: u64 = 60 * MIN;

/// A trace CSV of tasks `(arrival_s, duration_s, cpu_units, memory_mib, task_id)` written as
/// `dir/trace.csv`; returns its file name (relative to a scenario in `dir`).
fn trace(dir: &Path, rows: &[(f64, f64, u32, u32, &str)]) -> &'static str {
    let mut text = String::from("arrival_s,duration_s,cpu_units,memory_mib,task_id,group\n");
    for (a, d, c, m, id) in rows {
        text.push_str(&format!("{a},{d},{c},{m},{id},batch\n"));
    }
    write(dir, "trace.csv", &text);
    "trace.csv"
}

/// `n` identical trace rows arriving at time 0, ids `t000`, `t001`, …
fn at_zero(n: usize, duration_s: f64, cpu: u32, mem: u32) -> Vec<(f64, f64, u32, u32, String)> {
    (0..n)
        .map(|i| (0.0, duration_s, cpu, mem, format!("t{i:03}")))
        .collect()
}

/// Scenario `text` whose workload is the trace `rows` (the text names `trace.csv`), run checked
/// with seed 1; every arm.
fn run_with_trace(text: &str, rows: &[(f64, f64, u32, u32, String)]) -> Vec<ArmOutcome> {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<_> = rows
        .iter()
        .map(|(a, d, c, m, id)| (*a, *d, *c, *m, id.as_str()))
        .collect();
    trace(dir.path(), &rows);
    let s = load(dir.path(), text);
    run_checked(&s, 1).arms
}

fn tasks(a: &ArmOutcome) -> &[TaskRecord] {
    a.tasks.as_deref().expect("tasks are recorded")
}

fn scaling_of<'a>(a: &'a ArmOutcome, provider: &str) -> Vec<&'a ScalingRecord> {
    a.scaling
        .iter()
        .filter(|r| r.provider == provider)
        .collect()
}

fn ms(t: Option<sim::time::SimTime>) -> u64 {
    t.expect("time is set").as_ms()
}

/// Most tasks alive at once over half-open intervals [arrival, end) (no end: still alive).
fn max_alive(records: &[&TaskRecord]) -> usize {
    let mut edges: Vec<(u64, i32)> = Vec::new();
    for r in records {
        edges.push((r.arrival.as_ms(), 1));
        if let Some(e) = r.end {
            edges.push((e.as_ms(), -1));
        }
    }
    // At equal times, ends (-1) before starts (+1): the intervals are half-open.
    edges.sort_unstable();
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most as usize
}

/// Tasks alive at `t` (arrival ≤ t < end).
fn alive_at(records: &[&TaskRecord], t: u64) -> usize {
    records
        .iter()
        .filter(|r| r.arrival.as_ms() <= t && r.end.is_none_or(|e| e.as_ms() > t))
        .count()
}

// ---- managed scaling (§5.2–§5.4) ------------------------------------------------------------

/// One managed m5.large group, `min`..`max`, with `managed` settings, fed by `trace.csv`.
fn managed_arm(min: u32, max: u32, managed: &str) -> String {
    format!(
        r#"
[[arm]]
name = "asg"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "bridge"
placement_strategy = [{{ type = "binpack", field = "cpu" }}]
capacity = {{ min = {min}, max = {max}, managed_scaling = {{ {managed} }} }}
instance_launch_latency = "2m"
"#
    )
}

#[test]
fn scale_from_zero_goes_to_200_percent() {
    // ecs-facts §5.2: M > 0 and N = 0 → CPR = 200, and "ECS always scales-out to 200% (two
    // instances)" (line 179): 2 at target 100 and 2 at target 75 too (issue 13: the sentence
    // says "always" and names the count; not ceil(200 / 75) = 3, docs/model.md §6.7).
    for (target, want) in [(100, 2), (75, 2)] {
        let a = first_arm(&format!(
            r#"
horizon = "5m"
[[workload.jobs]]
name = "one"
arrival = {{ fixed_interval = "1h" }}
max_tasks = 1
duration = "10m"
cpu = 1024
memory = 1024
{}"#,
            managed_arm(0, 10, &format!("target_capacity = {target}"))
        ));
        let first = &a.scaling[0];
        assert_eq!(first.time.as_ms(), 0, "target {target}");
        assert_eq!(first.metric, Some(200.0), "target {target}");
        assert_eq!(first.target, Some(f64::from(target)));
        assert_eq!(
            (first.desired, first.running, first.action),
            (want, 0, "scale-out"),
            "target {target}"
        );
        assert_eq!(a.summary.peak_instances, want, "target {target}");
        assert_eq!(a.timeseries[0].instances_launching, want);
        assert_eq!(a.summary.tasks_running_at_end, 1, "target {target}");
    }
    // §5.2: M = N = 0 reads 100 %, which is above a 75 % target, yet an idle empty group has
    // nothing to scale out for: it stays at 0 until the task arrives at 2 min (design4 note,
    // "an idle empty group stays empty below a 100% target").
    let a = first_arm(&format!(
        r#"
horizon = "5m"
[[workload.jobs]]
name = "one"
arrival = {{ fixed_interval = "1h" }}
start = "2m"
max_tasks = 1
duration = "10m"
cpu = 1024
memory = 1024
{}"#,
        managed_arm(0, 10, "target_capacity = 75")
    ));
    let r = &a.scaling;
    for x in &r[..2] {
        assert_eq!(
            (x.metric, x.desired, x.action),
            (Some(100.0), 0, "none"),
            "{x:?}"
        );
    }
    assert_eq!(r[2].time.as_ms(), 2 * MIN);
    assert_eq!(
        (r[2].metric, r[2].desired, r[2].action),
        (Some(200.0), 2, "scale-out")
    );
    assert!(a.timeseries.iter().take(2).all(|x| x.instances == 0));
}

#[test]
fn warm_up_blocks_scale_out_for_300_seconds() {
    // ecs-facts §5.3: "Scale-out is blocked while any instance is within its warm-up"
    // (instanceWarmupPeriod default 300 s). 20 tasks of a whole m5.large: scale out to 2 at t = 0
    // (§5.2, 200%), no scale-out at 60..240 s although CPR > 100, then at 300 s to the
    // estimate: N + provisioning = 2 + 18 = 20 (design4: M = N + estimate).
    let arms = run_with_trace(
        &format!(
            "horizon = \"10m\"\n[workload]\ntrace = \"trace.csv\"\n{}",
            managed_arm(0, 30, "target_capacity = 100")
        ),
        &at_zero(20, 7200.0, 2048, 1024),
    );
    let a = &arms[0];
    let r = scaling_of(a, "asg");
    assert_eq!(
        (r[0].time.as_ms(), r[0].desired, r[0].action),
        (0, 2, "scale-out")
    );
    for x in &r[1..5] {
        assert!(x.time.as_ms() < 300 * S);
        assert_eq!(x.action, "none", "{x:?}: still in warm-up");
        assert_eq!(x.desired, 2, "{x:?}");
        assert!(
            x.metric.unwrap() > 100.0,
            "{x:?}: the metric stays above 100"
        );
    }
    let at300 = r[5];
    assert_eq!(at300.time.as_ms(), 300 * S);
    assert_eq!(at300.metric, Some(1000.0), "M = 2 + 18 over N = 2");
    assert_eq!((at300.desired, at300.action), (20, "scale-out"));
    // The two first instances registered after the launch latency (2 min) and took 2 tasks.
    let at3m = a
        .timeseries
        .iter()
        .find(|s| s.time.as_ms() == 3 * MIN)
        .unwrap();
    assert_eq!((at3m.instances, at3m.instances_launching), (2, 0));
    assert_eq!((at3m.tasks_running, at3m.tasks_pending), (2, 18));
}

#[test]
fn scaling_step_sizes_raise_and_cut_the_step() {
    // ecs-facts §5.3: step = minimumScalingStepSize if the estimate is below it, else
    // min(maximumScalingStepSize, estimate). A group of 2 (min 2) with one more whole-instance
    // task waiting needs +1: raised to +5 (desired 7). With 18 waiting it needs +18: cut to +3
    // (desired 5). Warm-up 0 so that only the step rule decides the first evaluation (t = 0).
    for (tasks, managed, want) in [
        (3, "minimum_scaling_step_size = 5", 7),
        (3, "minimum_scaling_step_size = 1", 3),
        (20, "maximum_scaling_step_size = 3", 5),
        (20, "maximum_scaling_step_size = 10000", 20),
    ] {
        let arms = run_with_trace(
            &format!(
                "horizon = \"1m\"\n[workload]\ntrace = \"trace.csv\"\n{}",
                managed_arm(
                    2,
                    30,
                    &format!("{managed}, instance_warmup_period = \"0s\"")
                )
            ),
            &at_zero(tasks, 7200.0, 2048, 1024),
        );
        let r = &arms[0].scaling[0];
        assert_eq!(r.time.as_ms(), 0);
        assert_eq!((r.running, r.action), (2, "scale-out"), "{managed}");
        assert_eq!(r.desired, want, "{tasks} tasks, {managed}");
    }
}

#[test]
fn initial_fleet_does_not_hold_a_warm_up() {
    // design4 "Initial fleet": a managed group's `min` instances are "registered at time 0 and
    // billed from 0 (existed before the window)": they were launched before the window, so
    // their warm-up (ecs-facts §5.3, "now minus the instance launch time") is over at t = 0 and
    // a waiting task triggers a scale-out at the first evaluation.
    let arms = run_with_trace(
        &format!(
            "horizon = \"1m\"\n[workload]\ntrace = \"trace.csv\"\n{}",
            managed_arm(2, 30, "target_capacity = 100")
        ),
        &at_zero(3, 7200.0, 2048, 1024),
    );
    let r = &arms[0].scaling[0];
    assert_eq!((r.time.as_ms(), r.metric), (0, Some(150.0)));
    assert_eq!((r.desired, r.action), (3, "scale-out"));
}

#[test]
fn scale_in_terminates_only_empty_instances_and_returns_to_zero() {
    // ecs-facts §5.4 (managed termination protection): ECS "only terminates EC2 instances that
    // don't have any running Amazon ECS tasks"; §5.2: CPR < 100 for 15 datapoints → scale in;
    // min 0 → the group returns to 0 instances. The two short tasks arrive first, so they run
    // on the OLDEST instances and the long ones on the newest: a newest-first choice that
    // ignored protection would kill the long tasks.
    let mut rows = at_zero(2, 600.0, 2048, 1024);
    rows.extend(at_zero(2, 7200.0, 2048, 1024).into_iter().map(|mut r| {
        r.4 = r.4.replace('t', "long");
        r
    }));
    let arms = run_with_trace(
        &format!(
            "horizon = \"3h\"\nmetrics_interval = \"1m\"\n[workload]\ntrace = \"trace.csv\"\n{}",
            managed_arm(0, 10, "target_capacity = 100")
        ),
        &rows,
    );
    let a = &arms[0];
    let s = &a.summary;
    assert_eq!(
        (s.tasks_completed, s.tasks_lost, s.interruptions),
        (4, 0, 0)
    );
    assert_eq!(s.peak_instances, 4);
    let recs = tasks(a);
    for t in recs {
        assert_eq!(t.outcome, TaskOutcome::Completed, "{t:?}");
        let want = if t.task_id.starts_with("long") {
            7200
        } else {
            600
        };
        assert_eq!(ms(t.end) - ms(t.start), want * S, "{t:?} ran to its end");
    }
    // Every task needs a whole instance: registered instances never fall below running tasks.
    for x in &a.timeseries {
        assert!(
            u64::from(x.instances - x.instances_launching) >= x.tasks_running,
            "{x:?}"
        );
    }
    let short_end = recs
        .iter()
        .filter(|t| !t.task_id.starts_with("long"))
        .map(|t| ms(t.end))
        .max()
        .unwrap();
    let long_start = recs
        .iter()
        .filter(|t| t.task_id.starts_with("long"))
        .map(|t| ms(t.start))
        .max()
        .unwrap();
    let long_end = recs.iter().map(|t| ms(t.end)).max().unwrap();
    let ins: Vec<_> = scaling_of(a, "asg")
        .into_iter()
        .filter(|r| r.action == "scale-in")
        .collect();
    // The first scale-in: 15 one-minute datapoints after the short tasks left two instances
    // empty, while the long tasks ran; it removes exactly the two empty instances.
    let first = ins[0];
    assert!(first.time.as_ms() > long_start);
    assert!(
        (short_end + 14 * MIN..=short_end + 15 * MIN).contains(&first.time.as_ms()),
        "first scale-in at {} ms, short tasks ended at {short_end} ms",
        first.time.as_ms()
    );
    assert_eq!(first.desired, 2, "{first:?}");
    // No further scale-in while the long tasks run; after they end, down to zero.
    assert!(
        ins[1..]
            .iter()
            .all(|r| r.time.as_ms() >= long_end + 14 * MIN),
        "{ins:?}"
    );
    assert_eq!(ins.last().unwrap().desired, 0);
    assert_eq!(a.timeseries.last().unwrap().instances, 0);
    let long_ids: Vec<_> = recs
        .iter()
        .filter(|t| t.task_id.starts_with("long"))
        .map(|t| t.instance_id.clone().unwrap())
        .collect();
    let short_ids: Vec<_> = recs
        .iter()
        .filter(|t| !t.task_id.starts_with("long"))
        .map(|t| t.instance_id.clone().unwrap())
        .collect();
    assert!(long_ids.iter().all(|i| !short_ids.contains(i)));
}

#[test]
fn target_tracking_settles_at_target_capacity() {
    // ecs-facts §5.2–§5.3: target tracking on CPR with target = targetCapacity; 8 tasks each
    // needing a whole m5.large with target 80 → N = ceil(8 × 100 / 80) = 10, CPR 8/10 = 80 %
    // (at the target: no action, so it stays).
    let arms = run_with_trace(
        &format!(
            "horizon = \"1h\"\n[workload]\ntrace = \"trace.csv\"\n{}",
            managed_arm(0, 30, "target_capacity = 80")
        ),
        &at_zero(8, 7200.0, 2048, 1024),
    );
    let a = &arms[0];
    let r = scaling_of(a, "asg");
    let last = r.last().unwrap();
    assert_eq!(
        (last.metric, last.desired, last.running),
        (Some(80.0), 10, 10)
    );
    // Settled: the last 30 evaluations are all at 80 % with no action.
    for x in &r[r.len() - 30..] {
        assert_eq!((x.metric, x.desired, x.action), (Some(80.0), 10, "none"));
    }
    assert_eq!(a.summary.peak_instances, 10);
    assert_eq!(a.summary.tasks_running_at_end, 8);
}

// ---- acceptance: a bursty trace ---------------------------------------------------------------

fn bursty(capacity: &str) -> String {
    let trace = scenario("traces/bursty.csv");
    format!(
        r#"
horizon = "12h"
metrics_interval = "1m"
[workload]
trace = "{}"
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.2xlarge"]
network_mode = "bridge"
placement_strategy = [{{ type = "binpack", field = "memory" }}]
capacity = {capacity}
instance_launch_latency = "2m"
"#,
        trace.display()
    )
}

#[test]
fn managed_group_scales_to_zero_between_bursts_and_beats_a_peak_sized_fleet() {
    // Acceptance of issue 4 (ecs-facts §5.2–§5.4): on four bursts with idle gaps, a managed
    // group (the ec2-managed arm of scenarios/scale-from-zero.toml) runs every task, is at 0
    // instances in each gap (scale-in of empty instances down to min 0), and costs less than
    // a fixed fleet of its own peak size.
    let managed = first_arm(&bursty(
        "{ min = 0, max = 40, managed_scaling = { target_capacity = 100, \
         instance_warmup_period = \"3m\" } }",
    ));
    let s = &managed.summary;
    assert_eq!(s.tasks_arrived, 620);
    assert_eq!(s.tasks_completed, 620, "{s:?}");
    for gap in [150 * MIN, 330 * MIN, 510 * MIN] {
        let x = managed
            .timeseries
            .iter()
            .find(|x| x.time.as_ms() == gap)
            .unwrap();
        assert_eq!((x.instances, x.tasks_running), (0, 0), "{x:?}");
    }
    // ... and it did scale out for each burst (bursts at 0h30, 3h, 6h30, 9h).
    for burst in [30 * MIN, 3 * H, 390 * MIN, 9 * H] {
        assert!(
            managed
                .timeseries
                .iter()
                .any(|x| (burst..burst + H).contains(&x.time.as_ms()) && x.instances > 0)
        );
    }
    let peak = s.peak_instances;
    assert!((1..=40).contains(&peak));
    let fixed = first_arm(&bursty(&format!("{{ fixed = {peak} }}")));
    assert_eq!(fixed.summary.tasks_completed, 620);
    assert!(
        s.cost_usd < fixed.summary.cost_usd,
        "managed ${} vs fixed {peak} instances ${}",
        s.cost_usd,
        fixed.summary.cost_usd
    );
}

// ---- capacity-provider strategy (§5.1) --------------------------------------------------------

#[test]
fn base_then_weights_split_tasks_between_providers() {
    // ecs-facts §5.1 test case: FARGATE base 2 weight 1 + FARGATE_SPOT weight 3, ten tasks →
    // the first 2 on FARGATE, the other 8 split 1:3 → FARGATE 4, FARGATE_SPOT 6.
    let a = first_arm(
        r#"
horizon = "10m"
[[workload.jobs]]
name = "j"
arrival = { fixed_interval = "1ms" }
max_tasks = 10
duration = "1h"
cpu = 256
memory = 512
[[arm]]
name = "fg"
launch_type = "FARGATE"
capacity_provider_strategy = [{ provider = "FARGATE", base = 2, weight = 1 },
                              { provider = "FARGATE_SPOT", weight = 3 }]
"#,
    );
    let mut recs: Vec<_> = tasks(&a).iter().collect();
    recs.sort_by_key(|t| t.arrival);
    let on = |p: &str| recs.iter().filter(|t| t.capacity_provider == p).count();
    assert_eq!((on("FARGATE"), on("FARGATE_SPOT")), (4, 6));
    assert_eq!(recs[0].capacity_provider, "FARGATE");
    assert_eq!(recs[1].capacity_provider, "FARGATE");
    // FARGATE_SPOT is billed at (1 − 0.7) of FARGATE for the same size (§1.4, design4).
    let cost = |p: &str| {
        recs.iter()
            .find(|t| t.capacity_provider == p)
            .unwrap()
            .cost_usd
            .unwrap()
    };
    assert!((cost("FARGATE_SPOT") - 0.3 * cost("FARGATE")).abs() < 1e-12);

    // Two EC2 capacity providers (Auto Scaling groups) with weight 1 each: 1:1.
    let a = first_arm(
        r#"
horizon = "10m"
[[workload.jobs]]
name = "j"
arrival = { fixed_interval = "1ms" }
max_tasks = 10
duration = "1h"
cpu = 256
memory = 512
[[arm]]
name = "ec2"
launch_type = "EC2"
network_mode = "bridge"
capacity_provider_strategy = [{ provider = "a", weight = 1 }, { provider = "b", weight = 1 }]
[[arm.capacity_providers]]
name = "a"
instance_types = ["m5.large"]
capacity = { fixed = 2 }
[[arm.capacity_providers]]
name = "b"
instance_types = ["m5.large"]
capacity = { fixed = 2 }
"#,
    );
    let recs = tasks(&a);
    let on = |p: &str| recs.iter().filter(|t| t.capacity_provider == p).count();
    assert_eq!((on("a"), on("b")), (5, 5));
    assert_eq!(a.summary.tasks_running_at_end, 10);
    // design4: each provider places on its own instances, named `<provider>:i-…`.
    for t in recs {
        let id = t.instance_id.as_deref().unwrap();
        assert!(
            id.starts_with(&format!("{}:", t.capacity_provider)),
            "{t:?}"
        );
    }
}

// ---- services: deployments (§6.1) and auto scaling (§6.3) --------------------------------------

fn service(desired: u32, min_pct: u32, max_pct: u32) -> ArmOutcome {
    first_arm(&format!(
        r#"
horizon = "30m"
[[workload.services]]
name = "web"
cpu = 256
memory = 512
desired = {desired}
deployments = ["10m"]
deployment = {{ minimum_healthy_percent = {min_pct}, maximum_percent = {max_pct} }}
[[arm]]
name = "fg"
launch_type = "FARGATE"
task_start_latency = "1s"
"#
    ))
}

#[test]
fn rolling_deployment_respects_minimum_healthy_and_maximum_percent() {
    let deploy = 10 * MIN;
    // ecs-facts §6.1: desired 4, maximumPercent 200 → floor(8): "may start 4 new before
    // stopping 4 old"; minimumHealthyPercent 100 → ceil(4) healthy: the old ones stop only
    // once new ones are healthy (40 s after RUNNING).
    let a = service(4, 100, 200);
    let recs: Vec<_> = tasks(&a).iter().collect();
    assert_eq!(recs.len(), 8);
    assert_eq!(
        alive_at(&recs, deploy),
        8,
        "4 old + 4 new alive at the deployment"
    );
    assert_eq!(max_alive(&recs), 8);
    let (old, new): (Vec<&TaskRecord>, Vec<&TaskRecord>) =
        recs.iter().partition(|t| t.arrival.as_ms() < deploy);
    assert_eq!((old.len(), new.len()), (4, 4));
    assert!(new.iter().all(|t| t.arrival.as_ms() == deploy));
    assert!(new.iter().all(|t| t.outcome == TaskOutcome::Running));
    for t in &old {
        assert_eq!(t.outcome, TaskOutcome::Completed);
        assert!(
            ms(t.end) >= deploy + 41 * S,
            "{t:?} stopped before a new one was healthy"
        );
    }
    assert_eq!(a.summary.tasks_running_at_end, 4);

    // desired 3, maximumPercent 125 → floor(3.75) = 3: can't start any new one before old ones
    // stop; minimumHealthyPercent 0 lets them stop first.
    let a = service(3, 0, 125);
    let recs: Vec<_> = tasks(&a).iter().collect();
    assert_eq!(max_alive(&recs), 3);
    let new: Vec<_> = recs
        .iter()
        .filter(|t| t.arrival.as_ms() >= deploy)
        .collect();
    assert_eq!(new.len(), 3);
    assert!(new.iter().all(|t| t.outcome == TaskOutcome::Running));
    assert_eq!(a.summary.tasks_running_at_end, 3);

    // desired 2, minimumHealthyPercent 50 → ceil(1) healthy, maximumPercent 200 → 4: the
    // deployment finishes with 2 new tasks.
    let a = service(2, 50, 200);
    let recs: Vec<_> = tasks(&a).iter().collect();
    assert!(max_alive(&recs) <= 4);
    let running: Vec<_> = recs
        .iter()
        .filter(|t| t.outcome == TaskOutcome::Running)
        .collect();
    assert_eq!(running.len(), 2);
    assert!(running.iter().all(|t| t.arrival.as_ms() >= deploy));
    assert_eq!(a.summary.tasks_running_at_end, 2);
}

#[test]
fn service_target_tracking_converges_without_oscillation() {
    // ecs-facts §6.3: target tracking on average CPU; new ≈ ceil(running × metric / target).
    // Load 1.0 of 4 tasks of 1024 units = 4096 units; at target 50 % that is 8 tasks.
    let a = first_arm(
        r#"
horizon = "4h"
[[workload.services]]
name = "web"
cpu = 1024
memory = 2048
desired = 4
autoscaling = { target_cpu_percent = 50, min = 1, max = 20, load = 1.0 }
[[arm]]
name = "fg"
launch_type = "FARGATE"
"#,
    );
    let r = scaling_of(&a, "service:web");
    let settled = r
        .iter()
        .position(|x| x.desired == 8)
        .expect("reaches 8 tasks");
    assert!(r[settled].time.as_ms() <= H, "{:?}", r[settled]);
    for x in &r[settled..] {
        assert_eq!(x.desired, 8, "{x:?}");
    }
    for x in r.iter().filter(|x| x.time.as_ms() >= 3 * H) {
        assert_eq!((x.metric, x.running, x.action), (Some(50.0), 8, "none"));
    }
    assert_eq!(a.summary.tasks_running_at_end, 8);
}

// ---- EC2 Spot and FARGATE_SPOT ---------------------------------------------------------------

#[test]
fn ec2_spot_interruptions_restart_or_lose_tasks_and_spot_costs_less() {
    // design4 "EC2 Spot": 2-minute notice, reclaim; one-off tasks restart (recorded as
    // `interrupted`, never lost) or are lost per on_interruption; the group replaces the
    // instance, so the fleet keeps its size and the cost is (1 − spot_discount) × on demand.
    let arm = |name: &str, purchase: &str| {
        format!(
            r#"
[[arm]]
name = "{name}"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "bridge"
capacity = {{ fixed = 4 }}
{purchase}
"#
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let s = load(
        dir.path(),
        &format!(
            r#"
horizon = "6h"
[pricing]
spot_discount = 0.65
[[workload.jobs]]
name = "j"
arrival = {{ fixed_interval = "2m" }}
duration = "20m"
cpu = 512
memory = 1024
{}{}{}{}"#,
            arm("od", ""),
            arm("spot0", "purchase = \"spot\""),
            arm(
                "restart",
                "purchase = \"spot\"\nspot_interruptions_per_hour = 2\non_interruption = \"restart\""
            ),
            arm(
                "lose",
                "purchase = \"spot\"\nspot_interruptions_per_hour = 2\non_interruption = \"lose\""
            ),
        ),
    );
    let out = run_checked(&s, 1);
    let [od, spot0, restart, lose] = &out.arms[..] else {
        panic!("four arms")
    };
    for a in &out.arms {
        assert_conserved(a);
    }
    assert!(restart.summary.interruptions > 0);
    assert_eq!(restart.summary.tasks_lost, 0);
    let interrupted = tasks(restart)
        .iter()
        .filter(|t| t.outcome == TaskOutcome::Interrupted)
        .count();
    assert!(interrupted > 0);
    // A restarted task has one `interrupted` row per interruption plus its final attempt; the
    // counts of the summary are per task, not per attempt.
    assert_eq!(
        tasks(restart).len() - interrupted,
        restart.summary.tasks_arrived as usize
    );
    assert!(lose.summary.interruptions > 0);
    assert!(lose.summary.tasks_lost > 0);
    assert!(
        tasks(lose)
            .iter()
            .all(|t| t.outcome != TaskOutcome::Interrupted)
    );
    assert_eq!(
        tasks(lose)
            .iter()
            .filter(|t| t.outcome == TaskOutcome::Lost)
            .count() as u64,
        lose.summary.tasks_lost
    );
    assert_eq!(od.summary.interruptions, 0);
    // Without interruptions: exactly (1 − 0.65) × the on-demand fleet.
    let rel = |x: f64, y: f64| (x - y).abs() / y;
    assert!(
        rel(spot0.summary.cost_usd, 0.35 * od.summary.cost_usd) < 1e-9,
        "{} vs {}",
        spot0.summary.cost_usd,
        od.summary.cost_usd
    );
    // With interruptions the group relaunches at once, so 4 instances run throughout (a
    // reclaimed instance lived ≥ 2 minutes, over the 60 s minimum); each reclaimed instance adds
    // at most the rounding of its life up to the whole second (per-second billing, §3): the
    // on-demand price of the seconds used (cost + savings) is the on-demand arm's cost plus that.
    // What is paid is less than (1 − discount) × that: an instance EC2 interrupts in its first
    // hour is not charged (docs/reference/pricing.md §5.1; pinned exactly in tests/it/fidelity.rs).
    let od_per_second = 0.096 / 3600.0; // m5.large on demand, us-east-1
    let r = &restart.summary;
    let used_at_on_demand = r.cost_usd + r.spot_savings_usd;
    let extra = used_at_on_demand - od.summary.cost_usd;
    assert!(
        (-1e-9..=r.interruptions as f64 * od_per_second + 1e-9).contains(&extra),
        "{extra} over on demand, {} interruptions",
        r.interruptions
    );
    assert!(
        r.cost_usd < 0.35 * used_at_on_demand - 1e-6,
        "{} vs {}",
        r.cost_usd,
        0.35 * used_at_on_demand
    );
    assert!(restart.summary.instance_hours > 4.0 * 6.0 - 1e-6);
}

#[test]
fn fargate_spot_service_tasks_are_replaced_and_stay_at_desired() {
    // ecs-facts §1.6: a FARGATE_SPOT task gets a 2-minute notice (SIGTERM) and stops after its
    // stopTimeout (30 s by default); the service scheduler relaunches it at the notice (on
    // FARGATE_SPOT, design4; issue 13): the service stays at its desired count, and each
    // stopped task counts as lost.
    let a = first_arm(
        r#"
horizon = "6h"
[[workload.services]]
name = "web"
cpu = 256
memory = 512
desired = 4
[[arm]]
name = "fg"
launch_type = "FARGATE"
task_start_latency = "1s"
capacity_provider_strategy = [{ provider = "FARGATE_SPOT", weight = 1 }]
spot_interruptions_per_hour = 1
"#,
    );
    let s = &a.summary;
    assert!(s.interruptions > 0);
    assert!(s.tasks_lost > 0);
    // Every notice stops its task 30 s later, except notices in the last 30 s.
    assert!(
        s.tasks_lost <= s.interruptions && s.interruptions <= s.tasks_lost + 4,
        "{s:?}"
    );
    assert_eq!(
        s.tasks_arrived,
        4 + s.interruptions,
        "one replacement per notice"
    );
    let recs = tasks(&a);
    assert_eq!(
        recs.iter()
            .filter(|t| t.outcome == TaskOutcome::Lost)
            .count() as u64,
        s.tasks_lost
    );
    assert!(recs.iter().all(|t| t.capacity_provider == "FARGATE_SPOT"));
    // Four live, plus the interrupted ones still stopping (their replacements already run).
    for x in &a.timeseries {
        assert!(
            (4..=8).contains(&(x.tasks_running + x.tasks_pending)),
            "{x:?}"
        );
    }
    assert!(a.timeseries.iter().any(|x| x.tasks_running > 4));
    assert_eq!(s.tasks_running_at_end, 4 + s.interruptions - s.tasks_lost);
}

// ---- Fargate limits (§7.2) ------------------------------------------------------------------

fn fargate_trace(rows: &[(f64, f64, u32, u32, String)], extra: &str) -> ArmOutcome {
    let text = format!(
        r#"
horizon = "30m"
[workload]
trace = "trace.csv"
[[arm]]
name = "fg"
launch_type = "FARGATE"
task_start_latency = "1s"
{extra}
"#
    );
    run_with_trace(&text, rows).remove(0)
}

#[test]
fn fargate_launch_rate_is_a_token_bucket_of_100_refilled_at_20_per_second() {
    // ecs-facts §7.2 [DG-FgThrottle]: on-demand tasks burst 100, refill 20/s. 150 tasks at t = 0
    // with a 1 s start: 100 RUNNING at 1 s, then one every 50 ms (the 150th at 3.5 s).
    let a = fargate_trace(&at_zero(150, 600.0, 256, 512), "");
    let mut starts: Vec<u64> = tasks(&a).iter().map(|t| ms(t.start)).collect();
    starts.sort_unstable();
    assert_eq!(starts.len(), 150);
    assert!(starts[..100].iter().all(|&t| t == S));
    for (k, &t) in starts[100..].iter().enumerate() {
        assert_eq!(t, S + 50 * (k as u64 + 1), "task {}", 101 + k);
    }
    assert_eq!(starts[149], 3_500);
}

#[test]
fn fargate_vcpu_quota_holds_tasks_until_one_finishes() {
    // design4 "Fargate limits": the vCPUs of placed Fargate tasks stay ≤ fargate_vcpu_quota;
    // the others wait until a task ends. Quota 4, eight 1-vCPU tasks of 10 minutes.
    let a = fargate_trace(&at_zero(8, 600.0, 1024, 2048), "fargate_vcpu_quota = 4");
    let recs = tasks(&a);
    let waits: Vec<u64> = recs
        .iter()
        .map(|t| ms(t.start) - t.arrival.as_ms())
        .collect();
    assert_eq!(waits.iter().filter(|&&w| w == S).count(), 4, "{waits:?}");
    assert_eq!(
        waits.iter().filter(|&&w| w >= 600 * S).count(),
        4,
        "{waits:?}"
    );
    assert_eq!(a.summary.tasks_completed, 8);
    assert!(a.timeseries.iter().all(|x| x.cpu_reserved <= 4 * 1024));
}

// ---- subnet addresses ------------------------------------------------------------------------

#[test]
fn a_full_subnet_blocks_awsvpc_tasks_until_an_address_frees() {
    // design4 "Subnet addresses": every awsvpc task takes one address in its zone; with
    // subnet_ips = 2 in the only zone, 2 of 5 tasks run (ENI trunking: 10 ENI slots, not the
    // limit) and 3 wait, blocked by the subnet only; when one ends, the next one starts.
    let mut rows = at_zero(5, 3600.0, 256, 512);
    rows[0].1 = 600.0;
    let arms = run_with_trace(
        r#"
horizon = "20m"
[workload]
trace = "trace.csv"
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
availability_zones = ["us-east-1a"]
network_mode = "awsvpc"
eni_trunking = true
capacity = { fixed = 1 }
subnet_ips = 2
"#,
        &rows,
    );
    let a = &arms[0];
    let s = &a.summary;
    assert_eq!(s.subnet_blocked_placements, 3);
    assert_eq!(s.eni_blocked_placements, 0);
    assert_eq!(
        (
            s.tasks_completed,
            s.tasks_running_at_end,
            s.tasks_pending_at_end
        ),
        (1, 2, 2)
    );
    let recs = tasks(a);
    let t0_end = ms(recs.iter().find(|t| t.task_id == "t000").unwrap().end);
    let t2 = recs.iter().find(|t| t.task_id == "t002").unwrap();
    assert!(
        ms(t2.start) >= t0_end,
        "{t2:?} starts after t000 freed its address"
    );
    assert!(
        recs.iter()
            .filter(|t| ["t003", "t004"].contains(&t.task_id.as_str()))
            .all(|t| t.start.is_none())
    );
    let early = a
        .timeseries
        .iter()
        .find(|x| x.time.as_ms() == 5 * MIN)
        .unwrap();
    assert_eq!((early.tasks_running, early.tasks_pending), (2, 3));

    // Fargate: one address in each of two zones, three tasks → 2 run, 1 blocked.
    let a = fargate_trace(
        &at_zero(3, 3600.0, 256, 512),
        "availability_zones = [\"us-east-1a\", \"us-east-1b\"]\nsubnet_ips = 1",
    );
    let s = &a.summary;
    assert_eq!((s.tasks_running_at_end, s.tasks_pending_at_end), (2, 1));
    assert_eq!(s.subnet_blocked_placements, 1);
}

// ---- determinism -------------------------------------------------------------------------------

#[test]
fn new_scenarios_are_deterministic_across_runs_and_thread_counts() {
    // Same scenario and seed → the same outcome, whatever the thread count (docs/model.md §2:
    // one seed drives every random draw), for the three scenarios of issue 4; tasks conserved per arm.
    let opts = sim::sim::RunOptions {
        record_tasks: true,
        check_invariants: true,
        ..sim::sim::RunOptions::default()
    };
    for name in [
        "scale-from-zero.toml",
        "web-service-autoscaling.toml",
        "spot-fleet.toml",
    ] {
        let s = sim::scenario::load(&scenario(name)).unwrap();
        let arms: Vec<usize> = (0..s.arms.len()).collect();
        let run_in = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| sim::sim::run(&s, &arms, s.seed, opts, &|_, _| {}))
                .unwrap()
        };
        let one = run_in(1);
        let two = run_in(2);
        assert!(one == two, "{name}: 1 thread and 2 threads differ");
        let again = run_in(2);
        assert!(two == again, "{name}: two runs of one seed differ");
        for a in &one.arms {
            assert_conserved(a);
        }
    }
}

/// Eight bridge tasks that all bind host port 80 need eight instances: the scaling estimate
/// counts ports (docs/reference/ecs-facts.md §4.1: the estimate counts "vCPU, memory, ENIs, ports,
/// and GPUs"), so after the first scale-out (to 2, from zero) the next one asks for all of
/// them at once, not one instance per warm-up period.
#[test]
fn the_scaling_estimate_counts_static_host_ports() {
    let a = first_arm(
        r#"
horizon = "1h"
[[workload.jobs]]
name = "j"
arrival = { fixed_interval = "1ms" }
max_tasks = 8
duration = "2h"
cpu = 256
memory = 512
host_ports = [80]
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "bridge"
capacity = { min = 0, max = 10, managed_scaling = { target_capacity = 100 } }
"#,
    );
    let outs: Vec<(u64, u32)> = a
        .scaling
        .iter()
        .filter(|r| r.action == "scale-out")
        .map(|r| (r.time.as_ms(), r.desired))
        .collect();
    assert_eq!(outs, [(0, 2), (300_000, 8)]);
    assert_eq!(a.summary.tasks_running_at_end, 8);
}

/// Tasks that wait only because every subnet is full do not drive managed scaling: new
/// instances could not take them either. One zone with 2 addresses, 5 tasks: 2 run, 3 wait, and
/// the group does not grow towards its maximum.
#[test]
fn tasks_waiting_for_subnet_addresses_do_not_drive_scaling() {
    let a = first_arm(
        r#"
horizon = "1h"
[[workload.jobs]]
name = "j"
arrival = { fixed_interval = "1ms" }
max_tasks = 5
duration = "2h"
cpu = 256
memory = 512
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
availability_zones = ["us-east-1a"]
network_mode = "awsvpc"
eni_trunking = true
capacity = { min = 0, max = 10, managed_scaling = { target_capacity = 100 } }
subnet_ips = 2
"#,
    );
    assert_eq!(
        (
            a.summary.tasks_running_at_end,
            a.summary.tasks_pending_at_end
        ),
        (2, 3)
    );
    // (No placement was blocked by the subnet at arrival: there was no instance yet.)
    assert!(
        a.summary.peak_instances <= 2,
        "peak {} instances",
        a.summary.peak_instances
    );
}

/// A Spot notice replaces a service's tasks at once; the replaced tasks stop counting for the
/// capacity-provider split at that moment, so the replacements go back to Spot and a 1:1 split
/// stays 5/5 through a day of interruptions (docs/reference/ecs-facts.md §5.1, §1.6).
#[test]
fn spot_replacements_keep_the_provider_split() {
    let dir = tempfile::tempdir().unwrap();
    let s = load(
        dir.path(),
        r#"
seed = 4
horizon = "24h"
metrics_interval = "10m"
[pricing]
spot_discount = 0.6
[[workload.services]]
name = "web"
cpu = 512
memory = 1024
desired = 10
[[arm]]
name = "mix"
launch_type = "EC2"
capacity_provider_strategy = [{ provider = "od", weight = 1 }, { provider = "spot", weight = 1 }]
[[arm.capacity_providers]]
name = "od"
instance_types = ["m5.xlarge"]
capacity = { fixed = 10 }
[[arm.capacity_providers]]
name = "spot"
instance_types = ["m5.xlarge"]
purchase = "spot"
spot_interruptions_per_hour = 0.5
capacity = { fixed = 10 }
"#,
    );
    let a = run_checked(&s, 4).arms.remove(0);
    assert!(a.summary.interruptions > 5, "{:?}", a.summary);
    let running = |p: &str| {
        tasks(&a)
            .iter()
            .filter(|t| t.outcome == TaskOutcome::Running && t.capacity_provider == p)
            .count()
    };
    assert_eq!((running("od"), running("spot")), (5, 5));
}

/// Types need not nest (c5.xlarge: more CPU, less memory than r5.large). A task that fits
/// r5.large but not c5.xlarge exceeds the smallest type on memory, so it is left out of the
/// scaling estimate (docs/reference/ecs-facts.md §5.3) and does not push the group to its maximum
/// with instances that could never hold it.
#[test]
fn tasks_larger_than_the_smallest_type_do_not_drive_scaling() {
    let a = first_arm(
        r#"
horizon = "3h"
[[workload.jobs]]
name = "mem"
arrival = { poisson = { per_hour = 6 } }
duration = "2h"
cpu = 1024
memory = 12000
[[arm]]
name = "e"
launch_type = "EC2"
instance_types = ["c5.xlarge", "r5.large"]
capacity = { min = 2, max = 30, managed_scaling = { target_capacity = 100 } }
"#,
    );
    assert!(
        a.summary.peak_instances <= 2,
        "peak {} instances",
        a.summary.peak_instances
    );
}

/// Desired 4 with maximum 125% can deploy (⌊5⌋ = 5), but after auto scaling lowers desired to 3
/// the bounds allow no step (⌊3.75⌋ = 3 alive at most, ⌈3⌉ = 3 healthy at least: ecs-facts
/// §6.1's stuck case): the deployment is reported stuck and ended, the old tasks keep running.
#[test]
fn a_deployment_that_cannot_progress_is_reported_and_ended() {
    let a = first_arm(
        r#"
horizon = "2h"
[[workload.services]]
name = "web"
cpu = 512
memory = 1024
desired = 4
deployments = ["1h"]
deployment = { minimum_healthy_percent = 100, maximum_percent = 125 }
autoscaling = { target_cpu_percent = 60, min = 3, max = 4, load = 0.1 }
[[arm]]
name = "fg"
launch_type = "FARGATE"
"#,
    );
    let rows = scaling_of(&a, "service:web");
    let acts: Vec<(u64, &str, u32)> = rows
        .iter()
        .filter(|r| r.action != "none")
        .map(|r| (r.time.as_ms(), r.action, r.desired))
        .collect();
    assert!(
        acts.contains(&(H, "deployment-start", 3)) && acts.contains(&(H, "deployment-stuck", 3)),
        "{acts:?}"
    );
    assert_eq!(a.summary.tasks_running_at_end, 3);
}
