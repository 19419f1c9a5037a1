//! The fidelity fixes of issue 13, part 7: each test pins one ECS rule against its line in
//! reference/ (service default placement, EC2 Spot billing on interruption, FARGATE_SPOT's
//! stop timeout, managed scaling from zero, CPR with tasks no instance type can take).

use std::collections::BTreeMap;

use crate::common::{assert_conserved, first_arm, load, run_checked, write};
use sim::sim::{ArmOutcome, TaskOutcome, TaskRecord};

fn tasks(a: &ArmOutcome) -> &[TaskRecord] {
    a.tasks.as_deref().expect("tasks are recorded")
}

// ---- 1. service default placement (docs/reference/ecs-facts.md §4.3, line 148) -------------------

/// Without a strategy a service's tasks go to the zones with the fewest of its tasks and, within
/// them, to the instances with the fewest ("Favors container instances with the fewest number of
/// running tasks for this service"): 6 tasks on 6 m5.xlarge in 3 zones land one per instance
/// (spread over zones alone would pile them 2/2/2 on the three lowest ids).
#[test]
fn service_tasks_without_a_strategy_go_one_per_instance() {
    let a = first_arm(
        r#"
horizon = "1h"
[[workload.services]]
name = "web"
cpu = 512
memory = 1024
desired = 6
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.xlarge"]
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
network_mode = "bridge"
capacity = { fixed = 6 }
"#,
    );
    assert_conserved(&a);
    let mut per_instance: BTreeMap<String, u32> = BTreeMap::new();
    for t in tasks(&a) {
        *per_instance
            .entry(t.instance_id.clone().expect("placed"))
            .or_default() += 1;
    }
    assert_eq!(per_instance.len(), 6, "{per_instance:?}");
    assert!(per_instance.values().all(|&n| n == 1), "{per_instance:?}");
}

/// The default only applies without a strategy: `spread(zone)` written out keeps its own
/// reading (ties to the lowest id), so 6 tasks use three instances.
#[test]
fn an_explicit_zone_spread_keeps_lowest_id_ties() {
    let a = first_arm(
        r#"
horizon = "1h"
[[workload.services]]
name = "web"
cpu = 512
memory = 1024
desired = 6
placement_strategy = [{ type = "spread", field = "attribute:ecs.availability-zone" }]
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.xlarge"]
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
network_mode = "bridge"
capacity = { fixed = 6 }
"#,
    );
    let used: std::collections::BTreeSet<String> = tasks(&a)
        .iter()
        .filter_map(|t| t.instance_id.clone())
        .collect();
    assert_eq!(used.len(), 3, "{used:?}");
}

// ---- 4. managed scaling from zero (docs/reference/ecs-facts.md §5.2, line 179) --------------------

/// The first scale-out of an empty group, for one task, at target 100 and target 50.
fn first_scale_out_from_zero(target: u32) -> u32 {
    let a = first_arm(&format!(
        r#"
horizon = "30m"
[[workload.jobs]]
name = "j"
arrival = {{ fixed_interval = "1ms" }}
max_tasks = 1
duration = "1h"
cpu = 512
memory = 1024
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "bridge"
capacity = {{ min = 0, max = 10, managed_scaling = {{ target_capacity = {target} }} }}
"#
    ));
    assert_conserved(&a);
    let first = a
        .scaling
        .iter()
        .find(|r| r.action == "scale-out")
        .expect("a scale-out");
    assert_eq!(first.time.as_ms(), 0);
    first.desired
}

/// "When a scale-out process is required and there are no available container instances ...
/// Amazon ECS always scales-out to 200% (two instances)": two at target 100, and two at 50
/// (not ceil(200 / 50) = 4).
#[test]
fn an_empty_group_first_scales_out_to_two_instances_at_any_target() {
    assert_eq!(first_scale_out_from_zero(100), 2);
    assert_eq!(first_scale_out_from_zero(50), 2);
}

// ---- 5. CPR when no instance could take the provisioning tasks (§5.3, line 184) --------------

/// A task whose constraint no instance the group launches satisfies (an m5.large group, a task
/// pinned to c5.large) waits in PROVISIONING without driving scaling: the two short tasks get
/// their two instances from zero; afterwards the pinned task alone keeps CPR at the target, so
/// the group neither grows towards its max nor scales in its empty instances.
#[test]
fn tasks_no_launchable_instance_can_take_leave_cpr_at_the_target() {
    let a = first_arm(
        r#"
horizon = "2h"
[[workload.jobs]]
name = "work"
arrival = { fixed_interval = "1ms" }
max_tasks = 2
duration = "10m"
cpu = 1024
memory = 2048
[[workload.jobs]]
name = "pinned"
arrival = { fixed_interval = "1ms" }
max_tasks = 1
duration = "10m"
cpu = 256
memory = 512
placement_constraints = [{ type = "memberOf", expression = "attribute:ecs.instance-type == c5.large" }]
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "bridge"
capacity = { min = 0, max = 10, managed_scaling = { target_capacity = 100 } }
"#,
    );
    assert_conserved(&a);
    let s = &a.summary;
    assert_eq!((s.tasks_completed, s.tasks_pending_at_end), (2, 1), "{s:?}");
    assert_eq!(s.peak_instances, 2, "{s:?}");
    let rows: Vec<_> = a
        .scaling
        .iter()
        .map(|r| (r.time.as_ms(), r.action, r.desired, r.metric))
        .collect();
    assert_eq!(rows[0].1, "scale-out", "{rows:?}");
    assert_eq!(rows[0].2, 2, "{rows:?}");
    // Once the short tasks are done (by 15 minutes), only the pinned task is provisioning: CPR
    // reads the target, nothing happens, and the two empty instances stay to the end.
    for r in a.scaling.iter().filter(|r| r.time.as_ms() >= 15 * 60_000) {
        assert_eq!(
            (r.action, r.desired, r.metric),
            ("none", 2, Some(100.0)),
            "{r:?}"
        );
    }
    assert!(a.scaling.iter().all(|r| r.action != "scale-in"));
    assert_eq!(a.timeseries.last().expect("samples").instances, 2);
}

// ---- 2. EC2 Spot billing when EC2 interrupts (docs/reference/pricing.md §5.1, lines 345–356) ------

/// One Spot m5.large, interrupted about once an hour, replaced at once, running one long task
/// that restarts after each reclaim: each reclaim ends one instance's life (tasks.csv
/// `interrupted` rows give the times). An instance EC2 interrupts within its first hour costs
/// nothing; one interrupted later, or still running at the end, costs its seconds.
#[test]
fn ec2_spot_instances_interrupted_in_their_first_hour_are_not_charged() {
    let a = first_arm(
        r#"
horizon = "12h"
[pricing]
spot_discount = 0.65
[[workload.jobs]]
name = "long"
arrival = { fixed_interval = "1ms" }
max_tasks = 1
duration = "24h"
cpu = 512
memory = 1024
[[arm]]
name = "spot"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "bridge"
capacity = { fixed = 1 }
purchase = "spot"
spot_interruptions_per_hour = 1
on_interruption = "restart"
task_start_latency = "1s"
"#,
    );
    assert_conserved(&a);
    let mut reclaims: Vec<u64> = tasks(&a)
        .iter()
        .filter(|t| t.outcome == TaskOutcome::Interrupted)
        .map(|t| t.end.expect("an interrupted attempt has an end").as_ms())
        .collect();
    reclaims.sort_unstable();
    assert_eq!(
        reclaims.len() as u64,
        a.summary.interruptions,
        "{reclaims:?}"
    );
    let spot = 0.096 * 0.35; // m5.large us-east-1 on demand × (1 − 0.65)
    let secs = |ms: u64| ms.div_ceil(1000).max(60) as f64;
    let (mut expected, mut on_demand, mut free, mut charged) = (0.0, 0.0, 0, 0);
    let mut start = 0;
    for &r in &reclaims {
        let life = r - start;
        on_demand += secs(life) * 0.096 / 3600.0;
        if life < 3_600_000 {
            free += 1;
        } else {
            charged += 1;
            expected += secs(life) * spot / 3600.0;
        }
        start = r;
    }
    let last = (12 * 3_600_000 - start).div_ceil(1000) as f64;
    expected += last * spot / 3600.0;
    on_demand += last * 0.096 / 3600.0;
    assert!(free > 0 && charged > 0, "free {free}, charged {charged}");
    let s = &a.summary;
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * y.max(1.0);
    assert!(close(s.cost_usd, expected), "{} vs {expected}", s.cost_usd);
    assert!(close(s.cost_ec2_spot_usd, s.cost_usd), "{s:?}");
    assert!(close(s.spot_savings_usd, on_demand - expected), "{s:?}");
    let cum = a.timeseries.last().expect("samples").cost_cum_usd;
    assert!(close(cum, s.cost_usd), "{cum} vs {}", s.cost_usd);
}

// ---- 3. FARGATE_SPOT: replacement at the notice, stop after stop_timeout (§1.6, lines 59–62) --

/// A service on FARGATE_SPOT with `stop_timeout = "45s"`: at each two-minute notice the service
/// starts the replacement at once (it arrives at the notice), and the interrupted task stops
/// 45 s later (SIGKILL after stopTimeout), billed to then. So every lost task ends 45 s after
/// a replacement arrived, and is billed from its placement to its stop.
#[test]
fn fargate_spot_service_tasks_are_replaced_at_the_notice_and_stop_after_stop_timeout() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // The same service with its stop timeout in the scenario, and in its task definition (the
    // largest container `stopTimeout`).
    write(
        dir.path(),
        "td.json",
        r#"{ "cpu": "256", "memory": "512", "containerDefinitions": [
             { "name": "app", "stopTimeout": 45 }, { "name": "sidecar", "stopTimeout": 5 } ] }"#,
    );
    for size in [
        "cpu = 256
memory = 512
stop_timeout = \"45s\"",
        "task_definition = \"td.json\"",
    ] {
        let s = load(
            dir.path(),
            &format!(
                r#"
horizon = "8h"
[[workload.services]]
name = "web"
desired = 4
{size}
[[arm]]
name = "fg"
launch_type = "FARGATE"
task_start_latency = "1s"
capacity_provider_strategy = [{{ provider = "FARGATE_SPOT", weight = 1 }}]
spot_interruptions_per_hour = 1
"#
            ),
        );
        replaced_at_notice_stopped_45s_later(&run_checked(&s, 1).arms[0]);
    }
}

fn replaced_at_notice_stopped_45s_later(a: &ArmOutcome) {
    assert_conserved(a);
    let recs = tasks(a);
    let mut replacements: Vec<u64> = recs
        .iter()
        .map(|t| t.arrival.as_ms())
        .filter(|&t| t > 0)
        .collect();
    replacements.sort_unstable();
    let lost: Vec<&TaskRecord> = recs
        .iter()
        .filter(|t| t.outcome == TaskOutcome::Lost)
        .collect();
    assert!(lost.len() >= 3, "{} lost", lost.len());
    let mut stops: Vec<u64> = lost
        .iter()
        .map(|t| t.end.expect("a lost task ran").as_ms() - 45_000)
        .collect();
    stops.sort_unstable();
    // Every notice brought a replacement; notices in the last 45 s have not stopped their task.
    assert_eq!(replacements.len() as u64, a.summary.interruptions);
    assert_eq!(
        &replacements[..stops.len()],
        &stops[..],
        "replacements at the notices"
    );
    // Billed from placement (1 s before RUNNING) to the stop, at one rate for all.
    let rate = |t: &TaskRecord| {
        let ms = t.end.expect("ended").as_ms() - (t.start.expect("ran").as_ms() - 1000);
        t.cost_usd.expect("Fargate tasks have a cost") / (ms.div_ceil(1000).max(60) as f64)
    };
    let r0 = rate(lost[0]);
    assert!(lost.iter().all(|t| (rate(t) - r0).abs() <= 1e-12 * r0));
}

/// A one-off task on FARGATE_SPOT with `on_interruption = "restart"` restarts when it actually
/// stops (the default stop timeout, 30 s after the notice), not at the notice: its next attempt
/// is placed at the interrupted attempt's end.
#[test]
fn a_fargate_spot_job_restarts_when_it_stops() {
    let a = first_arm(
        r#"
horizon = "6h"
[[workload.jobs]]
name = "long"
arrival = { fixed_interval = "1ms" }
max_tasks = 2
duration = "20h"
cpu = 256
memory = 512
[[arm]]
name = "fg"
launch_type = "FARGATE_SPOT"
task_start_latency = "1s"
spot_interruptions_per_hour = 1
on_interruption = "restart"
"#,
    );
    assert_conserved(&a);
    let recs = tasks(&a);
    let mut by_task: BTreeMap<&str, Vec<&TaskRecord>> = BTreeMap::new();
    for t in recs {
        by_task.entry(t.task_id.as_str()).or_default().push(t);
    }
    let mut restarts = 0;
    for attempts in by_task.values_mut() {
        attempts.sort_by_key(|t| t.start.map(|s| s.as_ms()));
        for w in attempts.windows(2) {
            assert_eq!(w[0].outcome, TaskOutcome::Interrupted);
            let stopped = w[0].end.expect("ended").as_ms();
            assert_eq!(w[1].start.expect("restarted").as_ms(), stopped + 1000);
            restarts += 1;
        }
    }
    assert!(restarts > 0);
}

// ---- service scale-in without a strategy (docs/reference/ecs-facts.md §4.3, line 148) -------------

/// "Service scale-in without strategy: prefer AZ with the most tasks of the service, then the
/// instance with most tasks of the service." Three tasks of a whole-ish m5.large share: two fit
/// the one instance of zone a, the third waits for a new instance (zone b). When auto scaling
/// lowers the service to two, the task stopped is the newer of zone a's two, not the newest
/// task of the service (in zone b).
#[test]
fn a_service_without_a_strategy_scales_in_from_its_most_loaded_zone() {
    let a = first_arm(
        r#"
horizon = "1h"
[[workload.services]]
name = "web"
cpu = 1024
memory = 2048
desired = 3
autoscaling = { target_cpu_percent = 60, min = 2, max = 3, load = 0.1 }
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
network_mode = "bridge"
capacity = { min = 1, max = 3, managed_scaling = { target_capacity = 100 } }
"#,
    );
    assert_conserved(&a);
    let recs = tasks(&a);
    let on = |id: &str| {
        recs.iter()
            .find(|t| t.task_id == id)
            .and_then(|t| t.instance_id.clone())
            .expect("placed")
    };
    assert_eq!(on("web-0"), on("web-1"), "two on the first instance");
    assert_ne!(on("web-2"), on("web-0"));
    let stopped: Vec<&str> = recs
        .iter()
        .filter(|t| t.outcome == TaskOutcome::Completed)
        .map(|t| t.task_id.as_str())
        .collect();
    assert_eq!(stopped, ["web-1"], "{recs:?}");
}
