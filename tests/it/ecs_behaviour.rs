//! ECS and Fargate behaviour pinned with hand-built scenarios: ENI density, host ports, the
//! CloudWatch reservation example, Fargate rounding and billing, rejection, pending order.

use crate::common::{CLOUDWATCH_EXAMPLE, first_arm, load, run_checked};
use sim::sim::{ArmOutcome, TaskOutcome};

/// Tasks running (or starting) and tasks waiting at the end of an arm's run.
fn running_pending(a: &ArmOutcome) -> (u64, u64) {
    (
        a.summary.tasks_running_at_end,
        a.summary.tasks_pending_at_end,
    )
}

/// One m5.large, `n` tasks of 64 CPU / 128 MiB arriving at once, running an hour.
fn density(network: &str, trunking: bool, n: u32) -> ArmOutcome {
    first_arm(&format!(
        r#"
horizon = "30m"
[[workload.jobs]]
name = "small"
arrival = {{ fixed_interval = "1ms" }}
max_tasks = {n}
duration = "1h"
cpu = 64
memory = 128
[[arm]]
name = "one"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "{network}"
eni_trunking = {trunking}
capacity = {{ fixed = 1 }}
"#
    ))
}

#[test]
fn m5_large_holds_2_awsvpc_tasks_10_with_trunking_and_is_unlimited_by_enis_in_bridge() {
    // docs/reference/ecs-facts.md §2.3-§2.4: m5.large 3 ENIs -> 2 tasks; trunking -> 10.
    let a = density("awsvpc", false, 20);
    assert_eq!(running_pending(&a), (2, 18));
    assert_eq!(a.summary.eni_blocked_placements, 18);
    let a = density("awsvpc", true, 20);
    assert_eq!(running_pending(&a), (10, 10));
    // Bridge: 20 tasks of 64 CPU fit in 2048 CPU units; ENIs play no part.
    let a = density("bridge", false, 20);
    assert_eq!(running_pending(&a), (20, 0));
    assert_eq!(a.summary.eni_blocked_placements, 0);
    // CPU is then the limit: 2048 / 64 = 32.
    let a = density("host", false, 40);
    assert_eq!(running_pending(&a), (32, 8));
}

fn ports(network: &str, port: u16) -> ArmOutcome {
    first_arm(&format!(
        r#"
horizon = "10m"
[[workload.jobs]]
name = "web"
arrival = {{ fixed_interval = "1s" }}
max_tasks = 3
duration = "1h"
cpu = 256
memory = 512
host_ports = [{port}]
[[arm]]
name = "two"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "{network}"
placement_strategy = [{{ type = "binpack", field = "memory" }}]
capacity = {{ fixed = 2 }}
"#
    ))
}

#[test]
fn static_host_ports_conflict_per_instance() {
    // §2.5: one task per host per static port in bridge and host modes. binpack would stack all
    // three on one instance; the port forces one per instance and leaves the third waiting.
    for mode in ["bridge", "host"] {
        let a = ports(mode, 80);
        assert_eq!(running_pending(&a), (2, 1), "{mode}");
        let tasks = a.tasks.unwrap();
        let on: Vec<_> = tasks.iter().filter_map(|t| t.instance_id.clone()).collect();
        assert_eq!(on, ["i-00000000", "i-00000001"], "{mode}");
    }
    // awsvpc: each task has its own ENI, so ports do not conflict (2 ENI slots per instance).
    let a = ports("awsvpc", 80);
    assert_eq!(running_pending(&a), (3, 0));
    // Port 22 is reserved by the agent (ECS_RESERVED_PORTS): such a task can never run there.
    let a = ports("bridge", 22);
    assert_eq!(a.summary.tasks_rejected, 3);
}

#[test]
fn cloudwatch_reservation_example() {
    // §2.2 [DG-CW]: c4.4xlarge (16,384 units, 30,158 MiB) + c4.large (2,048 units, 3,768 MiB);
    // ten tasks of 1,024 units / 2,048 MiB reserve 55.56% of CPU and 60.37% of memory. The
    // registered memory comes from the measured table, not from the scenario.
    let dir = tempfile::tempdir().unwrap();
    let s = load(
        dir.path(),
        &format!("horizon = \"10m\"\nmetrics_interval = \"1m\"\n{CLOUDWATCH_EXAMPLE}"),
    );
    let a = run_checked(&s, 1).arms.remove(0);
    let last = a.timeseries.last().unwrap();
    assert_eq!((last.cpu_registered, last.mem_registered), (18_432, 33_926));
    assert_eq!((last.cpu_reserved, last.mem_reserved), (10_240, 20_480));
    let cpu = 100.0 * last.cpu_reserved as f64 / last.cpu_registered as f64;
    let mem = 100.0 * last.mem_reserved as f64 / last.mem_registered as f64;
    assert_eq!(
        (format!("{cpu:.2}"), format!("{mem:.2}")),
        ("55.56".to_string(), "60.37".to_string())
    );
    // The AWS text shows whole numbers, truncated: 55% and 60%.
    assert_eq!((cpu.floor(), mem.floor()), (55.0, 60.0));
}

fn fargate(cpu: u32, mem: u32, latency: &str, duration: &str, arch: &str) -> ArmOutcome {
    let dir = tempfile::tempdir().unwrap();
    let s = load(
        dir.path(),
        &format!(
            r#"
[[workload.jobs]]
name = "one"
arrival = {{ fixed_interval = "1h" }}
max_tasks = 1
duration = "{duration}"
cpu = {cpu}
memory = {mem}
[[arm]]
name = "fg"
launch_type = "FARGATE"
cpu_architecture = "{arch}"
task_start_latency = "{latency}"
"#
        ),
    );
    run_checked(&s, 1).arms.remove(0)
}

#[test]
fn fargate_rounds_up_and_bills_from_pull_start_with_a_one_minute_minimum() {
    // 1 vCPU + 10 GiB is not a valid pair: it rounds to 2 vCPU / 10 GiB (§1.1).
    // 10 s start + 30 s run = 40 s, billed as the 60 s minimum (§1.3).
    let a = fargate(1024, 10240, "10s", "30s", "X86_64");
    let t = &a.tasks.as_ref().unwrap()[0];
    assert_eq!(
        (t.fargate_cpu, t.fargate_memory_mib),
        (Some(2048), Some(10240))
    );
    let hourly = 2.0 * 0.04048 + 10.0 * 0.004445;
    let expected = 60.0 * hourly / 3600.0;
    assert!(
        (a.summary.cost_usd - expected).abs() < 1e-12,
        "{} vs {expected}",
        a.summary.cost_usd
    );
    assert_eq!(t.cost_usd, Some(a.summary.cost_usd));
    assert_eq!(t.outcome, TaskOutcome::Completed);
    // Waiting includes the start latency: arrival to RUNNING.
    assert_eq!(a.summary.wait_mean_s, Some(10.0));
    // 10 s + 100.5 s = 110.5 s, rounded up to 111 s.
    let a = fargate(1024, 10240, "10s", "100500ms", "X86_64");
    assert!((a.summary.cost_usd - 111.0 * hourly / 3600.0).abs() < 1e-12);
    // Graviton prices: 0.25 vCPU / 0.5 GB for 120 s.
    let a = fargate(200, 300, "0s", "120s", "ARM64");
    let arm = 0.25 * 0.03238 + 0.5 * 0.00356;
    assert!((a.summary.cost_usd - 120.0 * arm / 3600.0).abs() < 1e-12);
    // Requested ÷ billed: 200/256 CPU and 300/512 memory.
    assert!((a.summary.cpu_reserved_util.unwrap() - 200.0 / 256.0).abs() < 1e-12);
    assert!((a.summary.mem_reserved_util.unwrap() - 300.0 / 512.0).abs() < 1e-12);
}

#[test]
fn tasks_that_fit_nothing_are_rejected_at_once() {
    // 17 vCPU exceeds every Fargate size and an m5.xlarge.
    let a = fargate(17 * 1024, 4096, "0s", "1m", "X86_64");
    assert_eq!(
        (a.summary.tasks_rejected, a.summary.tasks_completed),
        (1, 0)
    );
    assert_eq!(a.summary.cost_usd, 0.0);
}

#[test]
fn ec2_billing_is_per_second_from_launch_to_the_end() {
    // Two m5.large for a 90-minute horizon: 2 × 1.5 h × $0.096.
    let a = first_arm(
        r#"
horizon = "90m"
[[workload.jobs]]
name = "j"
arrival = { fixed_interval = "10m" }
duration = "1m"
cpu = 256
memory = 512
[[arm]]
name = "e"
launch_type = "EC2"
instance_types = ["m5.large"]
capacity = { fixed = 2 }
"#,
    );
    assert!((a.summary.cost_usd - 2.0 * 1.5 * 0.096).abs() < 1e-12);
    assert!((a.summary.instance_hours - 3.0).abs() < 1e-12);
    assert_eq!(a.summary.peak_instances, 2);
    let last = a.timeseries.last().unwrap();
    assert_eq!(last.time.as_ms(), 90 * 60_000);
    assert!((last.cost_cum_usd - a.summary.cost_usd).abs() < 1e-12);
    // Arrivals at 0, 10m, ..., 80m: 9 tasks, all done by 81m.
    assert_eq!((a.summary.tasks_arrived, a.summary.tasks_completed), (9, 9));
}

#[test]
fn pending_tasks_wait_in_arrival_order_and_small_ones_pass_a_blocked_large_one() {
    // One m5.large (2048 CPU). A (1536 CPU, 10 min) and X (512 CPU, 1 min) fill it at t=0.
    // B (1024) at 1 s and C (512) at 2 s wait, in that order. When X ends at 60 s the walk
    // finds B still too big but C fits: C passes B. When A ends, B runs.
    let dir = tempfile::tempdir().unwrap();
    crate::common::write(
        dir.path(),
        "t.csv",
        "arrival_s,duration_s,cpu_units,memory_mib,task_id\n0,600,1536,1024,A\n0,60,512,1024,X\n1,60,1024,1024,B\n2,60,512,1024,C\n",
    );
    let s = load(
        dir.path(),
        r#"
[workload]
trace = "t.csv"
[[arm]]
name = "e"
launch_type = "EC2"
instance_types = ["m5.large"]
task_start_latency = "0s"
capacity = { fixed = 1 }
"#,
    );
    let a = run_checked(&s, 1).arms.remove(0);
    let tasks = a.tasks.unwrap();
    let start = |id: &str| {
        tasks
            .iter()
            .find(|t| t.task_id == id)
            .unwrap()
            .start
            .unwrap()
            .as_ms()
    };
    assert_eq!((start("A"), start("X")), (0, 0));
    assert_eq!(
        start("C"),
        60_000,
        "C fits when X ends and passes the blocked B"
    );
    assert_eq!(start("B"), 600_000, "B waits for A");
    assert_eq!(a.summary.tasks_completed, 4);
    assert_eq!(a.summary.wait_max_s, Some(599.0));
}

#[test]
fn on_no_capacity_fail_rejects_instead_of_queueing() {
    let a = first_arm(
        r#"
[[workload.jobs]]
name = "j"
arrival = { fixed_interval = "1s" }
max_tasks = 5
duration = "1h"
cpu = 1024
memory = 1024
[[arm]]
name = "e"
launch_type = "EC2"
instance_types = ["m5.large"]
capacity = { fixed = 1 }
on_no_capacity = "fail"
"#,
    );
    assert_eq!(
        (
            a.summary.tasks_completed,
            a.summary.tasks_rejected,
            a.summary.tasks_pending_at_end
        ),
        (2, 3, 0)
    );
}

#[test]
fn custom_types_take_pricing_overrides_and_fargate_warns_about_constraints() {
    let dir = tempfile::tempdir().unwrap();
    let s = load(
        dir.path(),
        r#"
horizon = "1h"
[pricing]
ec2 = { "x1.custom" = 1.0 }
[[instance_type]]
name = "x1.custom"
vcpu = 4
memory_mib = 8192
max_enis = 4
price_per_hour = 0.5
[[workload.jobs]]
name = "pinned"
arrival = { fixed_interval = "10m" }
duration = "1m"
cpu = 256
memory = 512
placement_constraints = [{ type = "memberOf", expression = "attribute:ecs.instance-type == x1.custom" }]
[[arm]]
name = "custom"
launch_type = "EC2"
instance_types = ["x1.custom"]
capacity = { fixed = 1 }
[[arm]]
name = "fg"
launch_type = "FARGATE"
"#,
    );
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(
        s.warnings[0].contains("placement constraints of job(s) `pinned` do not apply on Fargate")
    );
    let out = run_checked(&s, 1);
    // [pricing] ec2 wins over the type's own price: 1 instance × 1 h × $1.
    assert!((out.arms[0].summary.cost_usd - 1.0).abs() < 1e-12);
    // 7817/8192 of 8192 MiB registered by the default rule.
    assert_eq!(out.arms[0].timeseries[0].mem_registered, 7817);
    assert_eq!(out.arms[0].summary.tasks_completed, 6);
}

#[test]
fn a_finite_workload_ends_when_the_last_task_finishes() {
    // No horizon: the run ends when the last task has finished (docs/scenario.md, `horizon`). A later task
    // that can never run here is rejected and does not stretch the EC2 bill to its arrival.
    let dir = tempfile::tempdir().unwrap();
    crate::common::write(
        dir.path(),
        "t.csv",
        "arrival_s,duration_s,cpu_units,memory_mib\n0,60,256,512\n36000,60,999999,512\n",
    );
    let s = load(
        dir.path(),
        r#"
metrics_interval = "1m"
[workload]
trace = "t.csv"
[[arm]]
name = "e"
launch_type = "EC2"
instance_types = ["m5.large"]
task_start_latency = "2s"
placement_strategy = []
capacity = { fixed = 1 }
"#,
    );
    // An empty strategy list means "none given": ECS's default.
    match &s.arms[0].kind {
        sim::scenario::ArmKind::Ec2(e) => assert!(e.strategy.is_none()),
        _ => panic!("EC2 arm"),
    }
    let a = run_checked(&s, 1).arms.remove(0);
    assert_eq!(
        (a.summary.tasks_completed, a.summary.tasks_rejected),
        (1, 1)
    );
    assert_eq!(a.end.as_ms(), 62_000);
    assert!((a.summary.cost_usd - 62.0 * 0.096 / 3600.0).abs() < 1e-12);
    let times: Vec<u64> = a.timeseries.iter().map(|x| x.time.as_ms()).collect();
    assert_eq!(times, [0, 60_000, 62_000]);
    // Reserved 256 of 2048 CPU units from placement (0 s) to the finish (62 s): the whole run.
    let expected = 256.0 / 2048.0;
    assert!((a.summary.cpu_reserved_util.unwrap() - expected).abs() < 1e-12);
}

#[test]
fn a_waiting_task_whose_constraint_a_placement_made_true_is_placed_at_the_next_walk() {
    // Two m5.large. `x` fills instance 0 (2048 CPU) from 0 s to 600 s. `follower` (1 s) must run
    // beside a `db` task: none exists yet, so it waits. `db` (2 s) lands on instance 1. Nothing
    // walks the queue until `x` ends on instance 0 at 600 s; that walk must try the follower
    // everywhere (its constraint reads the tasks on an instance) and place it on instance 1,
    // although the capacity that appeared is on instance 0.
    let a = first_arm(
        r#"
[[workload.jobs]]
name = "x"
arrival = { fixed_interval = "1h" }
max_tasks = 1
duration = "600s"
cpu = 2048
memory = 1024
[[workload.jobs]]
name = "follower"
arrival = { fixed_interval = "1h" }
start = "1s"
max_tasks = 1
duration = "60s"
cpu = 256
memory = 256
placement_constraints = [{ type = "memberOf", expression = "task:group == db" }]
[[workload.jobs]]
name = "db"
arrival = { fixed_interval = "1h" }
start = "2s"
max_tasks = 1
duration = "3000s"
cpu = 256
memory = 256
[[arm]]
name = "e"
launch_type = "EC2"
instance_types = ["m5.large"]
placement_strategy = [{ type = "binpack", field = "memory" }]
task_start_latency = "0s"
capacity = { fixed = 2 }
"#,
    );
    let tasks = a.tasks.unwrap();
    let follower = tasks.iter().find(|t| t.group == "follower").unwrap();
    assert_eq!(follower.start.map(|s| s.as_ms()), Some(600_000));
    assert_eq!(follower.instance_id.as_deref(), Some("i-00000001"));
}
