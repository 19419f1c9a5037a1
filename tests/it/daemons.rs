//! Daemons and sidecars (issue 15 point 5): a host agent is one DAEMON task per EC2 instance,
//! reserved before any replica task, and a sidecar in every Fargate task; Service Connect adds
//! its proxy to every task on both (docs/reference/sidecars-and-daemons.md §1.1, §2, §4).

use sim::sim::{ArmOutcome, Outcome, Sample};
use sim::time::SimTime;

use crate::common::{load, run_checked};

/// A 4-vCPU type registering exactly 15,000 MiB, so the arithmetic below is by hand.
const TYPE: &str = "[[instance_type]]\nname = \"x4.test\"\nvcpu = 4\nmemory_mib = 16384\nregistered_memory_mib = 15000\nmax_enis = 4\nprice_per_hour = 0.2\n";

fn run(text: &str) -> Outcome {
    let dir = tempfile::tempdir().expect("temporary folder");
    let s = load(dir.path(), text);
    run_checked(&s, 1)
}

fn arm<'a>(o: &'a Outcome, name: &str) -> &'a ArmOutcome {
    o.arms
        .iter()
        .find(|a| a.arm == name)
        .unwrap_or_else(|| panic!("arm `{name}`"))
}

/// The sample at `t_s` seconds.
fn at(a: &ArmOutcome, t_s: u64) -> &Sample {
    a.timeseries
        .iter()
        .find(|s| s.time == SimTime(t_s * 1000))
        .unwrap_or_else(|| panic!("arm `{}`: no sample at {t_s} s", a.arm))
}

/// Tasks started on each instance before `t_s` seconds, by instance id (sorted).
fn started_per_instance(a: &ArmOutcome, t_s: u64) -> Vec<(String, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for r in a.tasks.as_ref().expect("task records") {
        if r.start.is_some_and(|s| s < SimTime(t_s * 1000)) {
            *counts
                .entry(r.instance_id.clone().expect("an EC2 task has an instance"))
                .or_insert(0) += 1;
        }
    }
    counts.into_iter().collect()
}

/// The acceptance test of issue 15 point 5: a DataDog-like daemon (256 CPU units, 512 MiB)
/// and Service Connect on a job of 1 vCPU / 2 GiB tasks.
#[test]
fn a_datadog_daemon_and_service_connect_move_the_fargate_size_and_take_the_daemon_share_of_each_instance()
 {
    let o = run(&format!(
        "horizon = \"3h\"\nmetrics_interval = \"1m\"\n{TYPE}\
         [[workload.jobs]]\nname = \"app\"\narrival = {{ fixed_interval = \"1s\" }}\nduration = \"1h\"\ncpu = \"1 vCPU\"\nmemory = \"2 GiB\"\nmax_tasks = 8\nservice_connect = true\n\
         [[workload.daemons]]\nname = \"datadog\"\ncpu = 256\nmemory = \"0.5 GiB\"\n\
         [[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\ntask_start_latency = \"0s\"\n\
         [[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"x4.test\"]\ncapacity = {{ fixed = 2 }}\ntask_start_latency = \"0s\"\n"
    ));

    // Fargate: the task asks 1024 + 256 (proxy) + 256 (sidecar) = 1536 CPU units and
    // 2048 + 64 (proxy) + 512 (sidecar) = 2624 MiB. No 1-vCPU size has 1536 units; the 2-vCPU
    // sizes run 4096..16384 MiB, and 4096 ≥ 2624, so the task is billed as 2 vCPU / 4 GiB
    // (without the agents it would be exactly the valid 1 vCPU / 2 GiB).
    // One hour at us-east-1 rates: 2 × 0.04048 + 4 × 0.004445 = 0.08096 + 0.01778 = 0.09874 USD.
    let f = arm(&o, "fargate");
    let records = f.tasks.as_ref().expect("task records");
    assert_eq!(records.len(), 8);
    for r in records {
        assert_eq!(
            (r.fargate_cpu, r.fargate_memory_mib),
            (Some(2048), Some(4096))
        );
        let cost = r.cost_usd.expect("a finished task is billed");
        assert!((cost - 0.09874).abs() < 1e-9, "task cost {cost}");
    }
    assert!((f.summary.cost_usd - 8.0 * 0.09874).abs() < 1e-9);
    // Reserved on Fargate: the task with its sidecar, 8 × 1536 of 8 × 2048 billed units.
    let s = at(f, 60);
    assert_eq!((s.cpu_reserved, s.cpu_registered), (8 * 1536, 8 * 2048));
    assert_eq!((s.mem_reserved, s.mem_registered), (8 * 2624, 8 * 4096));

    // EC2: a task is 1024 + 256 = 1280 CPU units and 2048 + 64 = 2112 MiB (no sidecar: the
    // agent is the instance's daemon). Each instance offers 4096 − 256 = 3840 units and
    // 15000 − 512 = 14488 MiB to tasks: 3840 / 1280 = 3 tasks (memory would allow
    // 14488 / 2112 = 6), so 2 instances run 6 tasks and 2 wait for the first to finish.
    let e = arm(&o, "ec2");
    let s = at(e, 60);
    assert_eq!((s.tasks_running, s.tasks_pending), (6, 2));
    // Registered: 2 × 4096 units, 2 × 15000 MiB. Reserved: the daemons' 2 × 256 + 6 × 1280 =
    // 8192 units (every unit) and 2 × 512 + 6 × 2112 = 13696 MiB.
    assert_eq!((s.cpu_registered, s.cpu_reserved), (8192, 8192));
    assert_eq!((s.mem_registered, s.mem_reserved), (30_000, 13_696));
    assert_eq!(
        started_per_instance(e, 60)
            .iter()
            .map(|(_, n)| *n)
            .collect::<Vec<_>>(),
        vec![3, 3]
    );
    assert_eq!(e.summary.tasks_completed, 8);
}

/// Against a twin arm without the daemon, the EC2 fleet loses exactly the daemon's share per
/// instance, and a Fargate task moves to the next size only where the sidecar runs.
#[test]
fn the_daemon_costs_its_share_once_per_instance_on_ec2_and_once_per_task_on_fargate() {
    let o = run(&format!(
        "horizon = \"2h\"\nmetrics_interval = \"1m\"\n{TYPE}\
         [[workload.jobs]]\nname = \"app\"\narrival = {{ fixed_interval = \"1s\" }}\nduration = \"1h\"\ncpu = 1024\nmemory = 2048\nmax_tasks = 8\n\
         [[workload.daemons]]\nname = \"datadog\"\ncpu = \"0.25 vCPU\"\nmemory = 512\narms = [\"with\", \"fg-with\"]\n\
         [[arm]]\nname = \"with\"\nlaunch_type = \"EC2\"\ninstance_types = [\"x4.test\"]\ncapacity = {{ fixed = 1 }}\ntask_start_latency = \"0s\"\n\
         [[arm]]\nname = \"bare\"\nlaunch_type = \"EC2\"\ninstance_types = [\"x4.test\"]\ncapacity = {{ fixed = 1 }}\ntask_start_latency = \"0s\"\n\
         [[arm]]\nname = \"fg-with\"\nlaunch_type = \"FARGATE\"\ntask_start_latency = \"0s\"\n\
         [[arm]]\nname = \"fg-bare\"\nlaunch_type = \"FARGATE\"\ntask_start_latency = \"0s\"\n"
    ));
    // With the daemon: (4096 − 256) / 1024 = 3.75 → 3 tasks; without: 4096 / 1024 = 4.
    let with = at(arm(&o, "with"), 60);
    let bare = at(arm(&o, "bare"), 60);
    assert_eq!((with.tasks_running, bare.tasks_running), (3, 4));
    // Registered is the instance's either way; reserved is 256 + 3 × 1024 = 3328 against
    // 4 × 1024 = 4096, and memory 512 + 3 × 2048 = 6656 against 4 × 2048 = 8192.
    assert_eq!((with.cpu_registered, bare.cpu_registered), (4096, 4096));
    assert_eq!((with.cpu_reserved, bare.cpu_reserved), (3328, 4096));
    assert_eq!((with.mem_reserved, bare.mem_reserved), (6656, 8192));
    // Fargate: 1024 + 256 = 1280 units and 2048 + 512 = 2560 MiB → 2 vCPU / 4 GiB; without the
    // sidecar the task is the valid 1 vCPU / 2 GiB.
    let size = |name: &str| {
        let r = &arm(&o, name).tasks.as_ref().expect("records")[0];
        (r.fargate_cpu, r.fargate_memory_mib)
    };
    assert_eq!(size("fg-with"), (Some(2048), Some(4096)));
    assert_eq!(size("fg-bare"), (Some(1024), Some(2048)));
    // `fargate_sidecar = false` leaves the Fargate task as it is.
    let o = run(
        "horizon = \"2h\"\n[[workload.jobs]]\nname = \"app\"\narrival = { fixed_interval = \"1s\" }\nduration = \"10m\"\ncpu = 1024\nmemory = 2048\nmax_tasks = 2\n\
         [[workload.daemons]]\nname = \"host-only\"\ncpu = 256\nmemory = 512\nfargate_sidecar = false\n\
         [[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n",
    );
    let r = &o.arms[0].tasks.as_ref().expect("records")[0];
    assert_eq!(
        (r.fargate_cpu, r.fargate_memory_mib),
        (Some(1024), Some(2048))
    );
}

/// An instance running only its daemon is empty to managed scaling (docs/reference/ecs-facts.md
/// §5.2), so the group scales in once the replica tasks are done.
#[test]
fn an_instance_running_only_its_daemon_is_scaled_in() {
    let o = run(&format!(
        "horizon = \"3h\"\nmetrics_interval = \"1m\"\n{TYPE}\
         [[workload.jobs]]\nname = \"app\"\narrival = {{ fixed_interval = \"1s\" }}\nduration = \"20m\"\ncpu = 1024\nmemory = 2048\nmax_tasks = 6\n\
         [[workload.daemons]]\nname = \"datadog\"\ncpu = 256\nmemory = 512\n\
         [[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"x4.test\"]\ncapacity = {{ min = 0, max = 4 }}\n"
    ));
    let a = &o.arms[0];
    assert_eq!(a.summary.tasks_completed, 6);
    // 6 tasks at 3 per instance (3840 / 1024) need 2 instances.
    assert_eq!(a.summary.peak_instances, 2);
    let last = a.timeseries.last().expect("samples");
    assert_eq!(
        last.instances, 0,
        "the daemon-only instances were scaled in"
    );
    assert_eq!((last.cpu_registered, last.cpu_reserved), (0, 0));
}
