//! Property tests: resource accounting and task conservation over random inputs.

use proptest::prelude::*;
use sim::ids::{GroupId, InstanceId, ZoneId};
use sim::model::cluster::{ClusterType, ResourceRequest};
use sim::model::{Architecture, Cluster};
use sim::sim::Outcome;

const PORTS: [&[u16]; 3] = [&[], &[80], &[80, 443]];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random reserves and releases never over-commit an instance, and releasing everything
    /// restores exactly what was registered.
    #[test]
    fn reserve_release_never_overcommits(ops in prop::collection::vec((0u32..4, 1u32..3000, 1u32..9000, 0usize..3, any::<bool>(), 0u32..3), 1..200)) {
        let t = ClusterType { name: "m5.xlarge".into(), architecture: Architecture::X86_64, trunk: false };
        let mut c = Cluster::new(vec![t], vec!["a".into(), "b".into()]);
        for _ in 0..4 {
            let z = c.next_zone();
            c.add_instance(0, ZoneId(z.0), 4096, 15634, 3, &[22]);
        }
        let mut held: Vec<(u32, ResourceRequest<'static>)> = Vec::new();
        for (i, cpu, mem, ports, eni, group) in ops {
            let r = ResourceRequest { cpu_units: cpu, memory_mib: mem, needs_eni: eni, host_ports: PORTS[ports], group: GroupId(group) };
            if cpu % 3 == 0 && !held.is_empty() {
                let (k, r) = held.swap_remove((cpu as usize) % held.len());
                c.release(InstanceId(k), &r);
            } else if c.reserve(InstanceId(i), &r) {
                held.push((i, r));
            }
            prop_assert!(c.check_invariants().is_ok(), "{:?}", c.check_invariants());
            for k in 0..4 {
                prop_assert!(c.free()[k][0] <= 4096 && c.free()[k][1] <= 15634 && c.free()[k][2] <= 3);
            }
        }
        for (k, r) in held.drain(..) {
            c.release(InstanceId(k), &r);
        }
        prop_assert_eq!(c.total_reserved_cpu(), 0);
        prop_assert_eq!(c.total_reserved_mem(), 0);
        for k in 0..4 {
            prop_assert_eq!((c.free()[k], c.task_count()[k]), ([4096, 15634, 3], 0));
            prop_assert_eq!(c.ports_on(InstanceId(k as u32)), &[22][..]);
        }
    }
}

/// What every run's outputs must satisfy, beyond what [`crate::common::run_checked`] checks
/// (conservation, no over-commit after every event, indexed = reference): every cost component
/// is non-negative (summary cost and cost per task-hour, every timeseries cost rate and running
/// total, every task's cost), utilisation is within [0, 1] in the summary and in every
/// timeseries row, and two runs with the same seed render byte-identical CSV files.
fn outputs_sound(a: &Outcome, b: &Outcome) -> Result<(), TestCaseError> {
    let unit = |u: f64| (0.0..=1.0 + 1e-12).contains(&u);
    for arm in &a.arms {
        let s = &arm.summary;
        let tasks_conserved = s.tasks_completed
            + s.tasks_rejected
            + s.tasks_lost
            + s.tasks_running_at_end
            + s.tasks_pending_at_end;
        prop_assert_eq!(
            s.tasks_arrived,
            tasks_conserved,
            "arm {}: tasks not conserved",
            &arm.arm
        );
        prop_assert!(s.cost_usd >= 0.0, "arm {}: cost {}", arm.arm, s.cost_usd);
        prop_assert!(s.cost_per_task_hour_usd.is_none_or(|c| c >= 0.0), "{s:?}");
        prop_assert!(s.instance_hours >= 0.0 && s.task_hours >= 0.0, "{s:?}");
        for u in [
            s.cpu_reserved_util,
            s.mem_reserved_util,
            s.cpu_used_util,
            s.mem_used_util,
        ]
        .into_iter()
        .flatten()
        {
            prop_assert!(unit(u), "arm {}: summary utilisation {u}", arm.arm);
        }
        for x in &arm.timeseries {
            prop_assert!(x.cost_rate_usd_h >= 0.0 && x.cost_cum_usd >= 0.0, "{x:?}");
            prop_assert!(
                x.cpu_reserved <= x.cpu_registered,
                "cpu over-committed: {x:?}"
            );
            prop_assert!(
                x.mem_reserved <= x.mem_registered,
                "memory over-committed: {x:?}"
            );
            for (used, of) in [
                (x.cpu_reserved, x.cpu_registered),
                (x.mem_reserved, x.mem_registered),
            ] {
                if of > 0 {
                    #[allow(clippy::cast_precision_loss)]
                    let u = used as f64 / of as f64;
                    prop_assert!(unit(u), "row utilisation {u}: {x:?}");
                }
            }
        }
        for t in arm.tasks.iter().flatten() {
            prop_assert!(t.cost_usd.is_none_or(|c| c >= 0.0), "task cost: {t:?}");
        }
    }
    for render in [
        sim::report::summary_csv,
        sim::report::timeseries_csv,
        sim::report::tasks_csv,
        sim::report::scaling_csv,
    ] {
        let (x, y) = (render(a), render(b));
        prop_assert!(!x.is_empty());
        prop_assert!(x == y, "same seed, different CSV bytes");
    }
    Ok(())
}

fn scenario_text(
    jobs: &[(u32, u32, u32, u32)],
    network: &str,
    strategy: &str,
    fixed: u32,
    fail: bool,
    zone_count: usize,
) -> String {
    let zones = [
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-east-1d",
        "us-east-1e",
    ][..zone_count]
        .iter()
        .map(|z| format!("\"{z}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = String::from("horizon = \"3h\"\nmetrics_interval = \"5m\"\n");
    for (i, (rate, cpu, mem, dur)) in jobs.iter().enumerate() {
        s.push_str(&format!(
            "[[workload.jobs]]\nname = \"j{i}\"\narrival = {{ poisson = {{ per_hour = {rate} }} }}\nduration = {{ exponential = {{ mean = \"{dur}s\" }} }}\ncpu = {cpu}\nmemory = {mem}\n"
        ));
        // Constraints of every kind, dynamic ones (reading the tasks on an instance) included.
        let constraint = match i % 6 {
            1 => "{ type = \"distinctInstance\" }",
            2 => {
                "{ type = \"memberOf\", expression = \"task:group == j0 or runningTasksCount < 2\" }"
            }
            3 => {
                "{ type = \"memberOf\", expression = \"attribute:ecs.availability-zone != us-east-1b\" }"
            }
            4 => "{ type = \"memberOf\", expression = \"not(task:group == j1)\" }",
            _ => "",
        };
        if !constraint.is_empty() {
            s.push_str(&format!("placement_constraints = [{constraint}]\n"));
        }
        if i % 3 == 2 {
            s.push_str("host_ports = [8080]\n");
        }
    }
    s.push_str(&format!(
        "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\", \"c5.xlarge\"]\navailability_zones = [{zones}]\nnetwork_mode = \"{network}\"\nplacement_strategy = [{strategy}]\ncapacity = {{ fixed = {fixed} }}\non_no_capacity = \"{}\"\n",
        if fail { "fail" } else { "queue" }
    ));
    s.push_str("[[arm]]\nname = \"fg\"\nlaunch_type = \"FARGATE\"\n");
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random small scenarios: tasks are conserved, nothing is over-committed (checked after
    /// every event), costs are non-negative, utilisation within [0, 1], and a second run with
    /// the same seed is identical.
    #[test]
    fn random_scenarios_conserve_tasks(
        jobs in prop::collection::vec((1u32..600, 1u32..5000, 6u32..12000, 1u32..3600), 1..6),
        network in prop::sample::select(vec!["awsvpc", "bridge", "host"]),
        strategy in prop::sample::select(vec![
            "{ type = \"random\" }",
            "{ type = \"binpack\", field = \"memory\" }",
            "{ type = \"spread\", field = \"attribute:ecs.availability-zone\" }, { type = \"binpack\", field = \"cpu\" }",
            "{ type = \"spread\", field = \"instanceId\" }",
        ]),
        fixed in 1u32..9,
        zone_count in 1usize..6,
        fail in any::<bool>(),
        seed in 0u64..1000,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let s = crate::common::load(dir.path(), &scenario_text(&jobs, network, strategy, fixed, fail, zone_count));
        let a = crate::common::run_checked(&s, seed);
        let b = crate::common::run_checked(&s, seed);
        prop_assert_eq!(&a, &b);
        outputs_sound(&a, &b)?;
    }
}

/// Parameters of a random scenario with capacity that moves.
#[derive(Debug, Clone)]
struct Moving {
    jobs: Vec<(u32, u32, u32, u32)>,
    network: &'static str,
    min: u32,
    max: u32,
    target: u32,
    warmup_s: u32,
    launch_s: u32,
    spot_rate: Option<u32>,
    two_providers: Option<(u32, u32, u32)>,
    lose: bool,
    service: Option<(u32, bool, bool)>,
    fargate_split: (u32, u32, u32),
    quota: Option<u32>,
    subnet: Option<u32>,
}

fn moving_text(m: &Moving) -> String {
    let mut s = String::from(
        "horizon = \"3h\"\nmetrics_interval = \"5m\"\n[pricing]\nspot_discount = 0.6\n",
    );
    for (i, (rate, cpu, mem, dur)) in m.jobs.iter().enumerate() {
        s.push_str(&format!(
            "[[workload.jobs]]\nname = \"j{i}\"\narrival = {{ poisson = {{ per_hour = {rate} }} }}\nduration = {{ exponential = {{ mean = \"{dur}s\" }} }}\ncpu = {cpu}\nmemory = {mem}\n"
        ));
        if i == 1 {
            s.push_str("placement_constraints = [{ type = \"distinctInstance\" }]\n");
        }
    }
    if let Some((desired, deploy, auto)) = m.service {
        s.push_str(&format!(
            "[[workload.services]]\nname = \"web\"\ncpu = 512\nmemory = 1024\ndesired = {desired}\n"
        ));
        if deploy {
            s.push_str("deployments = [\"40m\", \"2h\"]\ndeployment = { minimum_healthy_percent = 50, maximum_percent = 200 }\n");
        }
        if auto {
            s.push_str("autoscaling = { target_cpu_percent = 50, min = 1, max = 12, load = { diurnal = { mean = 0.8, peak_ratio = 3.0, peak_at = \"1h\" } }, scale_in_cooldown = \"5m\", scale_out_cooldown = \"2m\" }\n");
        }
    }
    let capacity = format!(
        "capacity = {{ min = {}, max = {}, managed_scaling = {{ target_capacity = {}, instance_warmup_period = \"{}s\" }} }}\ninstance_launch_latency = \"{}s\"\n",
        m.min, m.max, m.target, m.warmup_s, m.launch_s
    );
    let purchase = match m.spot_rate {
        Some(r) => format!("purchase = \"spot\"\nspot_interruptions_per_hour = {r}\n"),
        None => String::new(),
    };
    s.push_str(&format!(
        "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\navailability_zones = [\"us-east-1a\", \"us-east-1b\"]\nnetwork_mode = \"{}\"\neni_trunking = true\nplacement_strategy = [{{ type = \"binpack\", field = \"memory\" }}]\non_interruption = \"{}\"\n",
        m.network,
        if m.lose { "lose" } else { "restart" }
    ));
    if let (Some(ips), "awsvpc") = (m.subnet, m.network) {
        s.push_str(&format!("subnet_ips = {ips}\n"));
    }
    match m.two_providers {
        None => s.push_str(&format!(
            "instance_types = [\"m5.large\", \"c5.xlarge\"]\n{capacity}{purchase}"
        )),
        Some((base, w1, w2)) => {
            s.push_str(&format!(
                "capacity_provider_strategy = [{{ provider = \"od\", base = {base}, weight = {w1} }}, {{ provider = \"sp\", weight = {w2} }}]\n"
            ));
            s.push_str(&format!(
                "[[arm.capacity_providers]]\nname = \"od\"\ninstance_types = [\"m5.large\"]\n{capacity}"
            ));
            s.push_str(&format!(
                "[[arm.capacity_providers]]\nname = \"sp\"\ninstance_types = [\"m5.xlarge\", \"m5.large\"]\n{capacity}{}",
                if purchase.is_empty() { "purchase = \"spot\"\nspot_interruptions_per_hour = 1\n".to_string() } else { purchase.clone() }
            ));
        }
    }
    let (base, w1, w2) = m.fargate_split;
    s.push_str(&format!(
        "[[arm]]\nname = \"fg\"\nlaunch_type = \"FARGATE\"\ncapacity_provider_strategy = [{{ provider = \"FARGATE\", base = {base}, weight = {w1} }}, {{ provider = \"FARGATE_SPOT\", weight = {w2} }}]\nspot_interruptions_per_hour = 2\non_interruption = \"{}\"\n",
        if m.lose { "lose" } else { "restart" }
    ));
    if let Some(q) = m.quota {
        s.push_str(&format!("fargate_vcpu_quota = {q}\n"));
    }
    if let Some(ips) = m.subnet {
        s.push_str(&format!("subnet_ips = {ips}\n"));
    }
    s
}

fn moving() -> impl Strategy<Value = Moving> {
    (
        (
            prop::collection::vec((1u32..400, 1u32..4000, 6u32..8000, 1u32..3600), 1..4),
            prop::sample::select(vec!["awsvpc", "bridge"]),
            0u32..3,
            1u32..12,
            50u32..101,
            0u32..600,
            10u32..300,
        ),
        (
            prop::option::of(0u32..4),
            prop::option::of((0u32..5, 0u32..4, 1u32..4)),
            any::<bool>(),
            prop::option::of((0u32..6, any::<bool>(), any::<bool>())),
            (0u32..4, 0u32..3, 1u32..4),
            prop::option::of(2u32..40),
            prop::option::of(1u32..30),
        ),
    )
        .prop_map(
            |(
                (jobs, network, min, max, target, warmup_s, launch_s),
                (spot_rate, two_providers, lose, service, fargate_split, quota, subnet),
            )| Moving {
                jobs,
                network,
                min: min.min(max),
                max,
                target,
                warmup_s,
                launch_s,
                spot_rate,
                two_providers,
                lose,
                service,
                fargate_split,
                quota,
                subnet,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random scenarios with managed scaling, Spot on EC2 and Fargate, two providers with a
    /// base/weight split, a service with deployments and auto scaling, a Fargate vCPU quota and
    /// subnet limits: tasks are conserved (interruptions included), nothing is over-committed
    /// (checked after every event), the indexed run equals the reference run, and a second run
    /// with the same seed is identical.
    #[test]
    fn random_moving_scenarios_conserve_tasks(m in moving(), seed in 0u64..1000) {
        let dir = tempfile::tempdir().unwrap();
        let text = moving_text(&m);
        let s = crate::common::load(dir.path(), &text);
        let a = crate::common::run_checked(&s, seed);
        let b = crate::common::run_checked(&s, seed);
        prop_assert_eq!(&a, &b);
        outputs_sound(&a, &b)?;
        for arm in &a.arms {
            for r in &arm.scaling {
                prop_assert!(r.desired <= 40, "{text}\n{r:?}");
            }
        }
    }
}

/// A small scenario for the random sweeps: one job, an EC2 arm and a Fargate arm.
const SWEEP_BASE: &str = r#"
seed = 3
horizon = "1h"
metrics_interval = "10m"
[[workload.jobs]]
name = "batch"
arrival = { poisson = { per_hour = 60 } }
duration = { exponential = { mean = "10m" } }
cpu = 1024
memory = 2048
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
capacity = { fixed = 2 }
[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#;

/// Run the sweep in `dir/sweep.toml` through the library with `threads` threads into
/// `dir/out`; the bytes of its runs.csv and sweep.csv.
fn sweep_bytes(dir: &std::path::Path, threads: usize) -> (Vec<u8>, Vec<u8>) {
    let plan = sim::sweep::SweepPlan::load(&dir.join("sweep.toml")).expect("sweep loads");
    let out = dir.join(format!("t{threads}"));
    let opts = sim::sweep::SweepOptions {
        out_dir: out.clone(),
        threads,
        resume: false,
        shard: None,
        plots: false,
    };
    let stop = std::sync::atomic::AtomicBool::new(false);
    let report = sim::sweep::execute(&plan, &opts, &stop, &|_| {}).expect("sweep runs");
    assert_eq!(report.done, plan.runs);
    let read = |n: &str| std::fs::read(out.join(n)).expect("sweep output");
    (read("runs.csv"), read("sweep.csv"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// A small random sweep (random rates, a random `{ from, to, step }` range of fleet sizes,
    /// 1-3 seeds) gives byte-identical runs.csv and sweep.csv on one thread and on two.
    #[test]
    fn sweeps_do_not_depend_on_the_thread_count(
        rates in prop::collection::btree_set(1u32..300, 1..3),
        from in 1u32..4,
        span in 0u32..4,
        step in 1u32..3,
        seeds in 1u32..4,
    ) {
        let dir = tempfile::tempdir().unwrap();
        crate::common::write(dir.path(), "base.toml", SWEEP_BASE);
        let rates: Vec<String> = rates.iter().map(u32::to_string).collect();
        crate::common::write(dir.path(), "sweep.toml", &format!(
            "scenario = \"base.toml\"\nseeds = {seeds}\n[parameters]\n\"workload.jobs.batch.arrival.poisson.per_hour\" = [{}]\n\"arm.ec2.capacity.fixed\" = {{ from = {from}, to = {}, step = {step} }}\n",
            rates.join(", "),
            from + span,
        ));
        let one = sweep_bytes(dir.path(), 1);
        let two = sweep_bytes(dir.path(), 2);
        prop_assert!(one.0.len() > 100 && one.1.len() > 100);
        prop_assert!(one == two, "runs.csv or sweep.csv depends on the thread count");
    }
}
