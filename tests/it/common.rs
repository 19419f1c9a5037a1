//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `sim` binary under test.
pub fn sim() -> Command {
    Command::cargo_bin("sim").expect("the sim binary is built by cargo test")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scenario shipped in `scenarios/`.
pub fn scenario(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

/// Write `text` to `dir/name` and return the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("create test folder");
    }
    std::fs::write(&p, text).expect("write test file");
    p
}

/// Load a scenario from text (written to a temporary folder).
pub fn load(dir: &Path, text: &str) -> sim::scenario::Scenario {
    let p = write(dir, "s.toml", text);
    sim::scenario::load(&p).unwrap_or_else(|e| panic!("scenario should load: {e}"))
}

/// Simulate every arm of `scenario` with every accounting check on after every event, once
/// with the indexed placement and once with the reference scan and full queue walks, and
/// require the two outcomes to be identical.
pub fn run_checked(scenario: &sim::scenario::Scenario, seed: u64) -> sim::sim::Outcome {
    let arms: Vec<usize> = (0..scenario.arms.len()).collect();
    let opts = sim::sim::RunOptions {
        record_tasks: true,
        check_invariants: true,
        ..sim::sim::RunOptions::default()
    };
    let out = sim::sim::run(scenario, &arms, seed, opts, &|_, _| {})
        .unwrap_or_else(|e| panic!("run failed: {e}"));
    let reference = sim::sim::RunOptions {
        reference_placement: true,
        ..opts
    };
    let spec = sim::sim::run(scenario, &arms, seed, reference, &|_, _| {})
        .unwrap_or_else(|e| panic!("reference run failed: {e}"));
    for (a, b) in out.arms.iter().zip(&spec.arms) {
        assert_conserved(a);
        assert!(
            a == b,
            "arm {}: the indexed run differs from the reference run",
            a.arm
        );
    }
    out
}

/// Tasks are conserved: arrived = completed + rejected + lost + running + pending, and the
/// task records agree with the counts.
pub fn assert_conserved(a: &sim::sim::ArmOutcome) {
    let s = &a.summary;
    assert_eq!(
        s.tasks_arrived,
        s.tasks_completed
            + s.tasks_rejected
            + s.tasks_lost
            + s.tasks_running_at_end
            + s.tasks_pending_at_end,
        "arm {}: tasks not conserved: {s:?}",
        a.arm
    );
    if let Some(tasks) = &a.tasks {
        // One final record per task, plus one per interrupted attempt that was restarted.
        let finals = tasks
            .iter()
            .filter(|t| t.outcome != sim::sim::TaskOutcome::Interrupted)
            .count();
        assert_eq!(
            finals as u64, s.tasks_arrived,
            "arm {}: one final record per task",
            a.arm
        );
    }
    assert!(s.cost_usd >= 0.0);
    // The cost components sum to the cost (to far below a cent), none is negative, and an
    // arm has only the components of its launch type.
    let parts = [
        s.cost_ec2_on_demand_usd,
        s.cost_ec2_spot_usd,
        s.cost_fargate_vcpu_usd,
        s.cost_fargate_memory_usd,
        s.cost_fargate_storage_usd,
        s.cost_public_ipv4_usd,
        s.cost_fargate_os_licence_usd,
    ];
    assert!(
        (parts.iter().sum::<f64>() - s.cost_usd).abs() <= 1e-9 * s.cost_usd.max(1.0),
        "arm {}: cost components {parts:?} do not sum to {}",
        a.arm,
        s.cost_usd
    );
    assert!(
        parts.iter().chain([&s.spot_savings_usd]).all(|&x| x >= 0.0),
        "arm {}: a negative cost component in {s:?}",
        a.arm
    );
    // The hourly on-demand usage (usage.csv, docs/model.md §22.2) is what was billed on
    // demand: all of EC2's on-demand cost; on Fargate at most its vCPU and memory parts (the
    // rest is FARGATE_SPOT). Without commitments the effective cost is the cost.
    let usage_od: f64 = a
        .usage
        .lines
        .iter()
        .map(|(k, l)| {
            (0..l.per_hour.len())
                .map(|h| a.usage.quantity(k, h))
                .sum::<f64>()
                * l.usd_per_unit_hour
        })
        .sum();
    if a.launch_type == "EC2" {
        assert!(
            (usage_od - s.cost_ec2_on_demand_usd).abs() <= 1e-9 * usage_od.max(1.0),
            "arm {}: hourly usage {usage_od} is not the on-demand cost {}",
            a.arm,
            s.cost_ec2_on_demand_usd
        );
    } else {
        assert!(
            usage_od <= s.cost_fargate_vcpu_usd + s.cost_fargate_memory_usd + 1e-9,
            "arm {}: hourly usage {usage_od} above Fargate's vCPU and memory cost",
            a.arm
        );
    }
    match &a.commitments {
        None => assert_eq!(s.cost_effective_usd, s.cost_usd, "arm {}", a.arm),
        Some(c) => assert!(
            (s.cost_effective_usd - (s.cost_usd - c.covered_on_demand_usd() + c.fee_usd())).abs()
                <= 1e-9,
            "arm {}",
            a.arm
        ),
    }
    let (ec2, fargate) = (parts[0] + parts[1], parts[2] + parts[3] + parts[4]);
    assert!(
        s.cost_load_balancer_usd >= 0.0 && s.cost_nat_usd >= 0.0,
        "arm {}: a negative shared cost in {s:?}",
        a.arm
    );
    assert!(
        if a.launch_type == "EC2" {
            fargate == 0.0
        } else {
            ec2 == 0.0
        },
        "arm {}: components of the other launch type in {s:?}",
        a.arm
    );
    for u in [s.cpu_reserved_util, s.mem_reserved_util]
        .into_iter()
        .flatten()
    {
        assert!(
            (0.0..=1.0 + 1e-12).contains(&u),
            "arm {}: utilisation {u} out of [0, 1]",
            a.arm
        );
    }
    // Cumulative cost never falls, except where Amazon EC2 interrupted a Spot instance in its
    // first hour: what it had accrued is not charged (docs/reference/pricing.md §5.1).
    let refunds = a.launch_type == "EC2" && s.interruptions > 0;
    for w in a.timeseries.windows(2) {
        assert!(w[0].time < w[1].time, "samples in time order");
        assert!(
            refunds || w[0].cost_cum_usd <= w[1].cost_cum_usd + 1e-9,
            "cumulative cost never falls"
        );
    }
    for x in &a.timeseries {
        assert!(
            x.cpu_reserved <= x.cpu_registered && x.mem_reserved <= x.mem_registered,
            "no over-commit in {x:?}"
        );
    }
}

/// Conservation read back from a summary.csv the CLI wrote: for every arm, arrived = completed
/// + rejected + lost + running + pending, and utilisations within [0, 1].
pub fn assert_summary_file_conserved(path: &Path) {
    let mut r = csv::Reader::from_path(path).expect("summary.csv readable");
    let h = r.headers().expect("header").clone();
    let col = |name: &str| {
        h.iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let mut rows = 0;
    for rec in r.records() {
        let rec = rec.expect("row");
        let n = |name: &str| rec[col(name)].parse::<u64>().expect("count");
        let arrived = n("tasks_arrived");
        let sum = n("tasks_completed")
            + n("tasks_rejected")
            + n("tasks_lost")
            + n("tasks_running_at_end")
            + n("tasks_pending_at_end");
        assert_eq!(arrived, sum, "arm {}: tasks not conserved", &rec[0]);
        for u in [
            "cpu_reserved_util",
            "mem_reserved_util",
            "cpu_used_util",
            "mem_used_util",
        ] {
            if let Ok(v) = rec[col(u)].parse::<f64>() {
                assert!((0.0..=1.0).contains(&v), "arm {}: {u} = {v}", &rec[0]);
            }
        }
        rows += 1;
    }
    assert!(rows > 0, "summary.csv has rows");
}

/// Load scenario `text` (from a temporary folder), run it checked with seed 1, and return the
/// first arm's outcome.
pub fn first_arm(text: &str) -> sim::sim::ArmOutcome {
    let dir = tempfile::tempdir().expect("temporary folder");
    let s = load(dir.path(), text);
    run_checked(&s, 1).arms.remove(0)
}

/// A public trace sample, from the sample directory CI places beside the repository (the
/// traces' licences keep most of them out of it; docs/traces.md says where each comes from).
pub fn shared_trace(rel: &str) -> PathBuf {
    root().join("../shared/traces").join(rel)
}

/// Run `sim trace import --format FORMAT IN -o OUT EXTRA…`, require success; its stdout.
pub fn trace_import(format: &str, input: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "trace",
        "import",
        "--format",
        format,
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let a = sim().args(&args).assert().success();
    String::from_utf8_lossy(&a.get_output().stdout).to_string()
}

/// ecs-facts §2.2 (line 93) [DG-CW]: the CloudWatch reservation example's cluster, a c4.4xlarge
/// and a c4.large, and its ten tasks of 1,024 units / 2,048 MiB (still running two hours on).
/// Prepend the horizon (and sampling step) a test wants.
pub const CLOUDWATCH_EXAMPLE: &str = r#"
[[instance_type]]
name = "c4.4xlarge"
vcpu = 16
memory_mib = 30720
max_enis = 8
price_per_hour = 0.796
[[instance_type]]
name = "c4.large"
vcpu = 2
memory_mib = 3840
max_enis = 3
price_per_hour = 0.1
[[workload.jobs]]
name = "t"
arrival = { fixed_interval = "1ms" }
max_tasks = 10
duration = "2h"
cpu = 1024
memory = 2048
[[arm]]
name = "c4"
launch_type = "EC2"
instance_types = ["c4.4xlarge", "c4.large"]
network_mode = "bridge"
capacity = { fixed = 2 }
"#;
