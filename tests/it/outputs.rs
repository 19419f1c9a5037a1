//! The data behind the plots and the HTML report: the cost components in summary.csv (by hand,
//! and summing to `cost_usd`), waits.csv, breakeven.csv and run.json's `scenario_details`.

use crate::common::{first_arm, scenario, sim};

/// A cent, the rounding the components must sum to `cost_usd` within.
const CENT: f64 = 0.005;

#[test]
fn ec2_on_demand_and_spot_instances_for_an_hour_by_hand() {
    // One m5.large on demand and one on Spot at 65% off, both fixed, for exactly 1 h (the run
    // ends at the horizon: no 60-second minimum applies). m5.large is $0.096 per hour
    // (data/instance_types.csv, ecs-facts.md §8.2).
    let a = first_arm(
        r#"
horizon = "1h"
[pricing]
spot_discount = 0.65
[[workload.jobs]]
name = "j"
arrival = { fixed_interval = "1m" }
max_tasks = 1
duration = "10m"
cpu = 256
memory = 512
[[arm]]
name = "ec2"
launch_type = "EC2"
network_mode = "bridge"
capacity_provider_strategy = [{ provider = "od", weight = 1 }, { provider = "spot", weight = 1 }]
[[arm.capacity_providers]]
name = "od"
instance_types = ["m5.large"]
capacity = { fixed = 1 }
[[arm.capacity_providers]]
name = "spot"
instance_types = ["m5.large"]
purchase = "spot"
spot_interruptions_per_hour = 0
capacity = { fixed = 1 }
"#,
    );
    let s = &a.summary;
    let close = |x: f64, want: f64| (x - want).abs() < 1e-9;
    assert!(close(s.cost_ec2_on_demand_usd, 0.096), "{s:?}");
    assert!(close(s.cost_ec2_spot_usd, 0.096 * 0.35), "{s:?}");
    assert!(close(s.spot_savings_usd, 0.096 * 0.65), "{s:?}");
    assert!(close(s.cost_usd, 0.096 + 0.096 * 0.35), "{s:?}");
    for x in [
        s.cost_fargate_vcpu_usd,
        s.cost_fargate_memory_usd,
        s.cost_fargate_storage_usd,
    ] {
        assert_eq!(x, 0.0);
    }
}

fn fargate_task(strategy: &str) -> sim::sim::ArmSummary {
    first_arm(&format!(
        r#"
[[workload.jobs]]
name = "j"
arrival = {{ fixed_interval = "1m" }}
max_tasks = 1
duration = "10m"
cpu = 1024
memory = 2048
ephemeral_storage_gib = 30
[[arm]]
name = "fg"
launch_type = "FARGATE"
task_start_latency = "0s"
{interruptions}capacity_provider_strategy = [{{ provider = "{strategy}", weight = 1 }}]
"#,
        interruptions = if strategy == "FARGATE_SPOT" {
            "spot_interruptions_per_hour = 0\n"
        } else {
            ""
        }
    ))
    .summary
}

#[test]
fn one_fargate_task_on_demand_and_on_spot_by_hand() {
    // 1 vCPU / 2 GiB / 30 GiB of storage for 10 minutes, x86 us-east-1 (ecs-facts.md §1.4):
    // vCPU $0.04048/h, memory $0.004445 per GB-hour, storage above 20 GiB $0.000111 per
    // GB-hour; FARGATE_SPOT at the default 70% off.
    let vcpu = 0.04048 / 6.0;
    let memory = 2.0 * 0.004445 / 6.0;
    let storage = 10.0 * 0.000111 / 6.0;
    let close = |x: f64, want: f64| (x - want).abs() < 1e-12;
    let od = fargate_task("FARGATE");
    assert!(close(od.cost_fargate_vcpu_usd, vcpu), "{od:?}");
    assert!(close(od.cost_fargate_memory_usd, memory), "{od:?}");
    assert!(close(od.cost_fargate_storage_usd, storage), "{od:?}");
    assert!(close(od.cost_usd, vcpu + memory + storage), "{od:?}");
    assert_eq!(od.spot_savings_usd, 0.0);
    let spot = fargate_task("FARGATE_SPOT");
    assert!(close(spot.cost_fargate_vcpu_usd, 0.3 * vcpu), "{spot:?}");
    assert!(
        close(spot.cost_fargate_memory_usd, 0.3 * memory),
        "{spot:?}"
    );
    assert!(
        close(spot.cost_fargate_storage_usd, 0.3 * storage),
        "{spot:?}"
    );
    assert!(
        close(spot.spot_savings_usd, 0.7 * (vcpu + memory + storage)),
        "{spot:?}"
    );
    for s in [&od, &spot] {
        assert_eq!(s.cost_ec2_on_demand_usd + s.cost_ec2_spot_usd, 0.0);
    }
}

fn read_csv(path: &std::path::Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let h = r.headers().unwrap().clone();
    let rows = r.records().map(Result::unwrap).collect();
    (h, rows)
}

#[test]
fn quickstart_writes_waits_and_breakeven_that_agree_with_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    sim()
        .args([
            "run",
            scenario("quickstart.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
            "--no-plots",
        ])
        .assert()
        .success();
    let (sh, summary) = read_csv(&out.join("summary.csv"));
    let scol = |name: &str| sh.iter().position(|c| c == name).unwrap();
    let cost_of = |arm: &str| -> f64 {
        let row = summary.iter().find(|r| &r[0] == arm).unwrap();
        row[scol("cost_usd")].parse().unwrap()
    };
    // The cost columns come after the others, in this order, then how each arm ended; the
    // parts sum to cost_usd.
    let first = scol("cost_ec2_on_demand_usd");
    let tail: Vec<&str> = sh.iter().skip(first).collect();
    assert_eq!(
        tail,
        [
            "cost_ec2_on_demand_usd",
            "cost_ec2_spot_usd",
            "cost_fargate_vcpu_usd",
            "cost_fargate_memory_usd",
            "cost_fargate_storage_usd",
            "spot_savings_usd",
            "outcome",
            "outcome_reason",
            "end_s",
            "cost_public_ipv4_usd",
            "cost_fargate_os_licence_usd",
            "cost_load_balancer_usd",
            "cost_nat_usd",
            "cost_total_usd",
            "cost_compared_usd",
            "cost_effective_usd",
            "commitment_fee_usd",
            "commitment_utilisation",
            "commitment_coverage"
        ]
    );
    for row in &summary {
        assert_eq!(&row[scol("outcome")], "complete", "{row:?}");
        assert_eq!(&row[scol("end_s")], "86400.000", "the horizon");
        let parts: f64 = (first..first + 6)
            .map(|i| row[i].parse::<f64>().unwrap())
            .sum();
        let cost: f64 = row[scol("cost_usd")].parse().unwrap();
        assert!((parts - cost).abs() < CENT, "{row:?}");
    }

    let (wh, waits) = read_csv(&out.join("waits.csv"));
    assert_eq!(wh.iter().collect::<Vec<_>>(), ["arm", "quantile", "wait_s"]);
    for arm in ["ec2-m5", "fargate"] {
        let rows: Vec<_> = waits.iter().filter(|r| &r[0] == arm).collect();
        assert_eq!(rows.len(), 1001, "{arm}");
        assert_eq!(&rows[0][1], "0.000");
        assert_eq!(&rows[500][1], "0.500");
        assert_eq!(&rows[1000][1], "1.000");
        let w: Vec<f64> = rows.iter().map(|r| r[2].parse().unwrap()).collect();
        assert!(w.windows(2).all(|p| p[0] <= p[1]), "{arm}: quantiles rise");
        // The median, p95 and max agree with summary.csv.
        let row = summary.iter().find(|r| &r[0] == arm).unwrap();
        for (i, col) in [
            (500, "wait_p50_s"),
            (950, "wait_p95_s"),
            (1000, "wait_max_s"),
        ] {
            assert_eq!(rows[i][2], row[scol(col)], "{arm} {col}");
        }
    }

    let (bh, be) = read_csv(&out.join("breakeven.csv"));
    assert_eq!(
        bh.iter().collect::<Vec<_>>(),
        [
            "ec2_arm",
            "fargate_arm",
            "instance_type",
            "ec2_cost_usd",
            "fargate_cost_usd",
            "ec2_utilisation",
            "breakeven_utilisation",
            "catalog_breakeven_utilisation"
        ]
    );
    assert_eq!(be.len(), 1);
    let r = &be[0];
    assert_eq!((&r[0], &r[1], &r[2]), ("ec2-m5", "fargate", "m5.xlarge"));
    let n = |i: usize| r[i].parse::<f64>().unwrap();
    assert_eq!(n(3), cost_of("ec2-m5"));
    assert_eq!(n(4), cost_of("fargate"));
    let ec2 = summary.iter().find(|r| &r[0] == "ec2-m5").unwrap();
    let util = |c: &str| ec2[scol(c)].parse::<f64>().unwrap();
    assert_eq!(
        n(5),
        util("cpu_reserved_util").max(util("mem_reserved_util"))
    );
    assert!((n(6) - n(3) * n(5) / n(4)).abs() < 1e-5, "{r:?}");
    assert!((n(7) - 0.824).abs() < 0.001, "{r:?}");

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(json["scenario"], "quickstart");
    let d = &json["scenario_details"];
    assert_eq!(d["name"], "quickstart");
    assert_eq!(d["seed"], 42);
    assert_eq!(d["horizon_s"], 86_400.0);
    assert_eq!(d["arms"].as_array().unwrap().len(), 2);
    assert_eq!(d["arms"][0]["capacity_providers"][0]["fixed"], 12);
}

#[test]
fn breakeven_csv_needs_both_launch_types_and_a_stale_one_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = |only: &str| {
        sim()
            .args([
                "run",
                scenario("quickstart.toml").to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--quiet",
                "--no-plots",
                "--only",
                only,
                "--seed",
                "3",
            ])
            .assert()
            .success();
    };
    run("ec2-m5,fargate");
    assert!(out.join("breakeven.csv").exists());
    run("fargate");
    assert!(!out.join("breakeven.csv").exists());
    assert!(out.join("waits.csv").exists());
}
