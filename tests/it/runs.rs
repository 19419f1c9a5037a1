//! Every shipped scenario runs with every accounting check on, and the CLI commands work.

use crate::common::{run_checked, scenario, sim};

pub(crate) const SCENARIOS: [&str; 11] = [
    "breakeven.toml",
    "quickstart.toml",
    "awsvpc-vs-bridge.toml",
    "memberof-constraint.toml",
    "trace-replay.toml",
    "scale-from-zero.toml",
    "web-service-autoscaling.toml",
    "spot-fleet.toml",
    "taskdef-replay.toml",
    "google-2011-replay.toml",
    "commitments.toml",
];

#[test]
fn every_shipped_scenario_conserves_tasks_and_never_overcommits() {
    let mut found: Vec<String> = std::fs::read_dir(crate::common::root().join("scenarios"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml") && !n.ends_with("-sweep.toml"))
        .collect();
    found.sort();
    let mut listed: Vec<String> = SCENARIOS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "every scenario in scenarios/ is exercised here"
    );
    for name in SCENARIOS {
        let s = sim::scenario::load(&scenario(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = run_checked(&s, s.seed);
        for a in &out.arms {
            assert!(a.summary.tasks_arrived > 0, "{name}/{}: no work", a.arm);
            assert!(
                a.summary.tasks_completed > 0,
                "{name}/{}: nothing completed",
                a.arm
            );
        }
    }
}

#[test]
fn quickstart_runs_from_the_cli_and_writes_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let assert = sim()
        .args([
            "run",
            scenario("quickstart.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--tasks-csv",
            "--quiet",
        ])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("cheapest: "), "{stdout}");
    assert!(
        stdout.contains("ec2-m5") && stdout.contains("fargate"),
        "{stdout}"
    );
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "breakeven.csv",
            "breakeven.png",
            "breakeven.svg",
            "cost.png",
            "cost.svg",
            "cost_breakdown.png",
            "cost_breakdown.svg",
            "fleet.png",
            "fleet.svg",
            "report.html",
            "run.json",
            "summary.csv",
            "tasks.csv",
            "timeseries.csv",
            "usage.csv",
            "utilisation.png",
            "utilisation.svg",
            "wait_cdf.png",
            "wait_cdf.svg",
            "waits.csv",
        ],
        "quickstart does not scale: no scaling.csv, no scaling plot"
    );
    let svg = std::fs::read_to_string(out.join("cost.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Cumulative cost"));
    assert!(
        std::fs::read(out.join("cost.png"))
            .unwrap()
            .starts_with(b"\x89PNG")
    );
    crate::common::assert_summary_file_conserved(&out.join("summary.csv"));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let header = summary.lines().next().unwrap();
    assert!(header.starts_with(
        "arm,launch_type,tasks_arrived,tasks_completed,tasks_rejected,tasks_lost,tasks_running_at_end,\
tasks_pending_at_end,wait_mean_s,wait_p50_s,wait_p95_s,wait_p99_s,cost_usd,cost_per_task_hour_usd,\
cpu_reserved_util,mem_reserved_util,cpu_used_util,mem_used_util,instance_hours,peak_instances,\
interruptions,eni_blocked_placements"
    ));
    assert_eq!(summary.lines().count(), 3);
    let ts = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    // The original columns first, in order; the additions after them (docs/outputs.md).
    assert!(ts.lines().next().unwrap().starts_with(
        "arm,time_s,instances,cpu_registered,cpu_reserved,mem_registered,mem_reserved,tasks_running,tasks_pending,cost_rate_usd_h,cost_cum_usd,"
    ));
    // 24 h sampled every minute, both ends included, per arm.
    assert_eq!(ts.lines().count(), 1 + 2 * 1441);
    let tasks = std::fs::read_to_string(out.join("tasks.csv")).unwrap();
    assert_eq!(
        tasks.lines().next().unwrap(),
        "arm,task_id,group,arrival_s,start_s,end_s,wait_s,capacity_provider,instance_id,instance_type,fargate_cpu,fargate_memory_mib,cost_usd,outcome"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(json["seed"], 42);
    assert_eq!(json["scenario"], "quickstart");
    assert_eq!(json["scenario_sha256"].as_str().unwrap().len(), 64);
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn no_plots_writes_no_plots_nor_report_and_removes_stale_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let file = scenario("quickstart.toml");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ];
        args.extend_from_slice(extra);
        sim().args(args).assert().success()
    };
    run(&[]);
    assert!(out.join("wait_cdf.png").is_file());
    assert!(out.join("report.html").is_file());
    let assert = run(&["--no-plots"]);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(!stdout.contains(".svg"), "{stdout}");
    assert!(!stdout.contains("report.html"), "{stdout}");
    assert!(
        !out.join("report.html").exists(),
        "--no-plots: no report.html"
    );
    let plots: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".svg") || n.ends_with(".png"))
        .collect();
    assert!(plots.is_empty(), "{plots:?}");
}

#[test]
fn only_runs_the_named_arms() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    sim()
        .args([
            "run",
            scenario("quickstart.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--only",
            "fargate",
            "--quiet",
        ])
        .assert()
        .success();
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), 2);
    assert!(
        summary
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("fargate,FARGATE,")
    );
}

#[test]
fn validate_summarises_every_shipped_scenario() {
    for name in SCENARIOS {
        let out = sim()
            .args(["validate", scenario(name).to_str().unwrap()])
            .assert()
            .success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            text.contains("is valid") && text.contains("arms"),
            "{name}: {text}"
        );
    }
    let out = sim()
        .args(["validate", scenario("trace-replay.toml").to_str().unwrap()])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("sample.csv (1642 rows)"), "{text}");
}

#[test]
fn catalog_prints_the_embedded_reference_data() {
    let out = sim().args(["catalog", "instance-types"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(
        text.lines()
            .filter(|l| l.contains('.') && l.contains("x86_64") || l.contains("arm64"))
            .count(),
        39
    );
    assert!(text.contains("m5.large") && text.contains("0.0960"));
    let out = sim().args(["catalog", "fargate-sizes"]).assert().success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .count(),
        1 + 74
    );
    let out = sim().args(["catalog", "prices"]).assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("0.04048"));
    sim().args(["catalog", "nothing"]).assert().code(2);
}
