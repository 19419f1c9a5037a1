//! Every public trace sample in the sample directory beside the repository replays end to end through the CLI: `sim trace
//! import` into a temporary folder, `sim trace stats` on the result (its row count is the
//! import's task count), then `sim run` of a scenario with an EC2 arm under managed scaling and a
//! Fargate arm, whose summary.csv must conserve tasks. The Alibaba data is for research or study
//! use only, so neither it nor anything derived from it is in the repository: the shipped
//! scenarios of `scenarios/alibaba/` are copied next to the trace imported here. The Google 2011 sample (CC BY 4.0) is shipped
//! imported, as `scenarios/traces/google-2011-sample.csv`; its test also checks that a fresh
//! import reproduces that file byte for byte. docs/traces.md gives the same commands.

use std::path::{Path, PathBuf};

use crate::common::{root, scenario, shared_trace, sim, trace_import, write};

/// `sim trace import`; returns the number of tasks written, read from its summary line.
fn import(format: &str, input: &Path, out: &Path, extra: &[&str]) -> u64 {
    let stdout = trace_import(format, input, out, extra);
    let tasks = stdout
        .split(" → ")
        .nth(1)
        .and_then(|rest| rest.split(" tasks").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no task count in: {stdout}"));
    assert!(tasks > 0, "{stdout}");
    tasks
}

/// `sim trace stats --json` succeeds and counts `rows` rows.
fn stats(trace: &Path, rows: u64) {
    let a = sim()
        .args(["trace", "stats", trace.to_str().unwrap(), "--json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(json["rows"], rows, "{}", trace.display());
}

/// `sim run` of `scenario` into `dir/out`; every arm conserves tasks, saw work, and the EC2
/// arm completed some. Returns summary.csv.
fn run(scenario: &Path, dir: &Path) -> String {
    let out = dir.join("out");
    sim()
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .assert()
        .success();
    crate::common::assert_summary_file_conserved(&out.join("summary.csv"));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut launch_types = Vec::new();
    for line in summary.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let arrived: u64 = f[2].parse().unwrap();
        let completed: u64 = f[3].parse().unwrap();
        assert!(arrived > 0, "{line}");
        if f[1] == "EC2" {
            assert!(completed > 0, "{line}");
        }
        launch_types.push(f[1].to_string());
    }
    assert_eq!(launch_types, ["EC2", "FARGATE"], "{summary}");
    summary
}

/// The arrivals of arm `name` in `summary`.
fn arrived(summary: &str, name: &str) -> u64 {
    let line = summary
        .lines()
        .find(|l| l.starts_with(&format!("{name},")))
        .unwrap_or_else(|| panic!("arm {name}: {summary}"));
    line.split(',').nth(2).unwrap().parse().unwrap()
}

#[test]
fn google_2011_sample_is_reproducible_and_replays_through_the_shipped_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("google.csv");
    let tasks = import(
        "google-2011",
        &shared_trace("google-clusterdata-2011-2/task_events-part-00001-of-00500.head10000.csv"),
        &trace,
        &[],
    );
    assert_eq!(tasks, 3995);
    // The shipped file is exactly this import (scenarios/traces/google-2011-sample.md).
    let shipped = root().join("scenarios/traces/google-2011-sample.csv");
    assert!(
        std::fs::read(&trace).unwrap() == std::fs::read(&shipped).unwrap(),
        "scenarios/traces/google-2011-sample.csv is not what the import command in its .md \
         makes now: re-import it and update the .md"
    );
    stats(&shipped, tasks);
    // The shipped scenario has two EC2 arms; run it whole and check every arm saw every task.
    let out = dir.path().join("out");
    sim()
        .args([
            "run",
            scenario("google-2011-replay.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .assert()
        .success();
    crate::common::assert_summary_file_conserved(&out.join("summary.csv"));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    for arm in ["ec2-fixed", "ec2-managed", "fargate"] {
        assert_eq!(arrived(&summary, arm), tasks, "{summary}");
    }
}

/// Copy the shipped scenario `scenarios/alibaba/<name>` into `dir` (its trace, imported by the
/// test, is in `dir/data/`, as the scenario's header says to import it).
fn shipped_alibaba(dir: &Path, name: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join("scenarios/alibaba").join(name)).unwrap();
    write(dir, name, &text)
}

#[test]
fn alibaba_2017_batch_sample_replays_on_ec2_and_fargate() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("data/alibaba-2017.csv");
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    // The whole sample makes 6.4 million tasks; three instances per row keep it small.
    let tasks = import(
        "alibaba-2017-batch",
        &shared_trace("alibaba-v2017-batch-task/batch_task.head50001.csv"),
        &trace,
        &["--max-instances", "3"],
    );
    stats(&trace, tasks);
    let scenario = shipped_alibaba(dir.path(), "alibaba-2017-batch-replay.toml");
    let summary = run(&scenario, dir.path());
    let kept = arrived(&summary, "fargate");
    assert!(
        kept > 0 && kept < tasks,
        "the 6-hour window: {kept} of {tasks}"
    );
    assert_eq!(arrived(&summary, "ec2-managed"), kept);
}

/// The whole sample (6,397,344 tasks) through the shipped full scenario (issue 13): Fargate's
/// line of waiting tasks passes the live-task bound, so that arm ends saturated for its launch
/// rate, while the EC2 arm runs every task; exit 0. About 40 s in release:
/// `cargo test --release --test it alibaba_2017_batch_full -- --ignored`.
#[test]
#[ignore = "long: 6.4 million tasks; run in release with --ignored"]
fn alibaba_2017_batch_full_sample_saturates_fargate_and_completes_ec2() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("data/alibaba-2017-full.csv");
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let tasks = import(
        "alibaba-2017-batch",
        &shared_trace("alibaba-v2017-batch-task/batch_task.head50001.csv"),
        &trace,
        &[],
    );
    assert_eq!(tasks, 6_397_344);
    let scenario = shipped_alibaba(dir.path(), "alibaba-2017-batch-full.toml");
    let summary = run(&scenario, dir.path());
    let mut r = csv::Reader::from_reader(summary.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let (ec2, fargate) = (&rows[0], &rows[1]);
    assert_eq!(&ec2[col("outcome")], "complete", "{summary}");
    assert_eq!(&ec2[col("tasks_completed")], "6397344");
    assert_eq!(&fargate[col("outcome")], "saturated", "{summary}");
    assert_eq!(&fargate[col("outcome_reason")], "fargate-launch-rate");
    let pending: u64 = fargate[col("tasks_pending_at_end")].parse().unwrap();
    assert!(pending > 1_000_000, "{pending} waiting when it saturated");
}

#[test]
fn alibaba_gpu_2023_sample_replays_on_ec2_and_fargate() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("data/openb.csv");
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let tasks = import(
        "alibaba-gpu-2023",
        &shared_trace("alibaba-gpu-v2023-openb/openb_pod_list_default.csv"),
        &trace,
        &[],
    );
    assert_eq!(tasks, 7255);
    stats(&trace, tasks);
    let scenario = shipped_alibaba(dir.path(), "alibaba-gpu-2023-replay.toml");
    let summary = run(&scenario, dir.path());
    assert_eq!(arrived(&summary, "ec2-managed"), tasks);
    assert_eq!(arrived(&summary, "fargate"), tasks);
}

#[test]
fn alibaba_gpu_2025_sample_replays_on_ec2_and_fargate() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("data/dlrm.csv");
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    // `--cpu-only` drops the 7,386 GPU-node (HN) instances.
    let tasks = import(
        "alibaba-gpu-2025",
        &shared_trace("alibaba-gpu-v2025-dlrm/disaggregated_DLRM_trace.csv"),
        &trace,
        &["--cpu-only"],
    );
    assert_eq!(tasks, 16485);
    stats(&trace, tasks);
    let scenario = shipped_alibaba(dir.path(), "alibaba-gpu-2025-replay.toml");
    let summary = run(&scenario, dir.path());
    let kept = arrived(&summary, "fargate");
    assert!(
        kept > 0 && kept < tasks,
        "a tenth, one week: {kept} of {tasks}"
    );
    assert_eq!(arrived(&summary, "ec2-managed"), kept);
    let fargate = summary.lines().find(|l| l.starts_with("fargate,")).unwrap();
    let rejected: u64 = fargate.split(',').nth(4).unwrap().parse().unwrap();
    assert_eq!(rejected, kept, "no DLRM instance fits Fargate: {fargate}");
}
