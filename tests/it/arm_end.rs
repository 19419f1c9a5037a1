//! How an arm's run ends (issue 13, parts 1 and 3): a run without a horizon goes on while
//! anything can still place its waiting tasks and ends when the last task has finished; an arm
//! whose tasks nothing can place ends `incomplete` with a warning; an arm that holds more tasks
//! at once than sim keeps ends `saturated` there while the other arms go on (exit 0); summary.csv,
//! run.json, report.html, the plots' legends and a sweep's runs.csv say how each arm ended; the
//! run table shows the tasks still running at the end.

use std::path::Path;

use crate::common::{assert_conserved, load, sim, write};
use sim::report::summary_csv;
use sim::sim::{ArmOutcome, Completion, EndReason, Outcome, RunOptions};

/// A trace of `n` tasks arriving every `every_s` seconds from `first_s`, each `duration_s`
/// long with `cpu` units and `mem` MiB, as `dir/t.csv`.
fn trace(dir: &Path, n: usize, first_s: f64, every_s: f64, duration_s: u32, cpu: u32, mem: u32) {
    let mut text = String::from("arrival_s,duration_s,cpu_units,memory_mib\n");
    for i in 0..n {
        let at = first_s + every_s * i as f64;
        text.push_str(&format!("{at:.3},{duration_s},{cpu},{mem}\n"));
    }
    write(dir, "t.csv", &text);
}

/// `sim run s.toml --out out --quiet --no-plots` in `dir`: exit 0; returns stdout, stderr.
fn run_cli(dir: &Path, extra: &[&str]) -> (String, String) {
    let a = sim()
        .current_dir(dir)
        .args(["run", "s.toml", "--out", "out", "--quiet"])
        .args(extra)
        .assert()
        .success();
    let o = a.get_output();
    crate::common::assert_summary_file_conserved(&dir.join("out/summary.csv"));
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// summary.csv of `dir/out`, as (arm, column → cell) rows.
fn summary(dir: &Path) -> Vec<(String, Vec<(String, String)>)> {
    let mut r = csv::Reader::from_path(dir.join("out/summary.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let cells = h
                .iter()
                .zip(rec.iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            (rec[0].to_string(), cells)
        })
        .collect()
}

/// The cell of `column` in the row of `arm`.
fn cell<'a>(rows: &'a [(String, Vec<(String, String)>)], arm: &str, column: &str) -> &'a str {
    let (_, cells) = rows
        .iter()
        .find(|(a, _)| a == arm)
        .unwrap_or_else(|| panic!("arm {arm}"));
    cells
        .iter()
        .find(|(k, _)| k == column)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("column {column}"))
}

/// Every arm of `s` with invariants checked, indexed and reference placement alike, under
/// `opts` (tasks recorded); each arm conserves tasks.
fn run_both(s: &sim::scenario::Scenario, opts: RunOptions) -> Outcome {
    let arms: Vec<usize> = (0..s.arms.len()).collect();
    let opts = RunOptions {
        record_tasks: true,
        check_invariants: true,
        ..opts
    };
    let out = sim::sim::run(s, &arms, 1, opts, &|_, _| {}).unwrap();
    let reference = RunOptions {
        reference_placement: true,
        ..opts
    };
    let spec = sim::sim::run(s, &arms, 1, reference, &|_, _| {}).unwrap();
    for (a, b) in out.arms.iter().zip(&spec.arms) {
        assert_conserved(a);
        assert!(a == b, "arm {}: indexed and reference runs differ", a.arm);
    }
    out
}

fn arm<'a>(out: &'a Outcome, name: &str) -> &'a ArmOutcome {
    out.arms.iter().find(|a| a.arm == name).unwrap()
}

/// The nightly batch of issue 13: 2,000 tasks arriving at 3600 s on a fleet scaled from zero,
/// no horizon. Today's main ended the run at time 0 (no event was due; the scaling evaluations
/// are not events), printed `done 0` and billed $0.00.
const NIGHTLY: &str = r#"
name = "nightly"
[workload]
trace = "t.csv"
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.xlarge"]
capacity = { min = 0, max = 2000, managed_scaling = { target_capacity = 100 } }
[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#;

#[test]
fn a_fleet_scaled_from_zero_without_a_horizon_runs_the_whole_nightly_batch() {
    let dir = tempfile::tempdir().unwrap();
    trace(dir.path(), 2000, 3600.0, 0.0, 600, 1024, 2048);
    write(dir.path(), "s.toml", NIGHTLY);
    let (stdout, stderr) = run_cli(dir.path(), &["--no-plots"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let rows = summary(dir.path());
    for a in ["ec2", "fargate"] {
        assert_eq!(cell(&rows, a, "tasks_completed"), "2000", "{a}: {stdout}");
        assert_eq!(cell(&rows, a, "tasks_pending_at_end"), "0", "{a}");
        assert_eq!(cell(&rows, a, "outcome"), "complete", "{a}");
        let cost: f64 = cell(&rows, a, "cost_usd").parse().unwrap();
        assert!(cost > 0.0, "{a}: cost {cost}");
        // The run ends when the last task has finished: after 3600 s + 600 s of work.
        let end: f64 = cell(&rows, a, "end_s").parse().unwrap();
        assert!(end > 4200.0, "{a}: ended at {end}");
    }
    let ec2_instances: u32 = cell(&rows, "ec2", "peak_instances").parse().unwrap();
    assert!(
        ec2_instances >= 500,
        "2000 vCPU of tasks on 4-vCPU instances"
    );
    // The same with every accounting check, indexed and reference placement alike: the run ends
    // at the last task's end, and its figures are the billed fleet's.
    let s = load(dir.path(), NIGHTLY);
    let out = run_both(&s, RunOptions::default());
    let ec2 = arm(&out, "ec2");
    let last_end = ec2
        .tasks
        .as_ref()
        .unwrap()
        .iter()
        .filter_map(|t| t.end)
        .max()
        .unwrap();
    assert_eq!(ec2.end, last_end);
    assert_eq!(ec2.summary.tasks_completed, 2000);
    assert!(ec2.summary.instance_hours > 0.0 && ec2.summary.cost_usd > 0.0);
}

/// Tasks whose constraint no instance of the arm meets: a managed provider does not count them
/// (no fresh instance could take them, docs/reference/ecs-facts.md §5.3), so it launches nothing;
/// a fixed fleet can do nothing. Fargate runs them.
const STUCK: &str = r#"
name = "stuck"
[workload]
trace = "t.csv"
[[arm]]
name = "managed"
launch_type = "EC2"
instance_types = ["m5.large"]
placement_constraints = [{ type = "memberOf", expression = "attribute:ecs.instance-type == c5.large" }]
capacity = { min = 0, max = 2, managed_scaling = { target_capacity = 100 } }
[[arm]]
name = "fixed"
launch_type = "EC2"
instance_types = ["m5.large"]
placement_constraints = [{ type = "memberOf", expression = "attribute:ecs.instance-type == c5.large" }]
capacity = { fixed = 2 }
[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#;

#[test]
fn an_arm_whose_tasks_nothing_can_place_ends_incomplete_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    trace(dir.path(), 3, 0.0, 0.0, 60, 1024, 2048);
    write(dir.path(), "s.toml", STUCK);
    let (stdout, stderr) = run_cli(dir.path(), &[]);
    assert!(
        stderr.contains(
            "warning: arm `managed`: 3 tasks wait and nothing left in the run can place them: managed scaling of `managed` does not count them: they exceed its smallest instance type or no fresh instance meets their constraints (docs/reference/ecs-facts.md §5.3), so it launches nothing for them; the arm ends at "
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "warning: arm `fixed`: 3 tasks wait and nothing left in the run can place them: capacity provider `fixed` is a fixed fleet of 2 instances"
        ),
        "{stderr}"
    );
    let rows = summary(dir.path());
    assert_eq!(cell(&rows, "managed", "outcome"), "incomplete");
    assert_eq!(cell(&rows, "managed", "outcome_reason"), "ec2-not-counted");
    assert_eq!(cell(&rows, "fixed", "outcome"), "incomplete");
    assert_eq!(cell(&rows, "fixed", "outcome_reason"), "ec2-fixed-fleet");
    assert_eq!(cell(&rows, "fargate", "outcome"), "complete");
    assert_eq!(cell(&rows, "fargate", "outcome_reason"), "");
    // The managed arm launched nothing for tasks it does not count: its $0 is marked, not silent.
    assert_eq!(cell(&rows, "managed", "peak_instances"), "0");
    // The table marks them and the verdict does not compare them.
    assert!(stdout.contains("cheapest: fargate"), "{stdout}");
    assert!(
        stdout.contains("managed left 3 tasks pending: tasks managed scaling does not count"),
        "{stdout}"
    );
    let managed_row = stdout.lines().find(|l| l.starts_with("managed ")).unwrap();
    assert!(managed_row.ends_with("incomplete"), "{managed_row}");
    // run.json keeps the warnings and each arm's outcome; report.html shows them.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/run.json")).unwrap()).unwrap();
    assert_eq!(json["warnings"].as_array().unwrap().len(), 2, "{json}");
    assert_eq!(json["arms"][0]["outcome"], "incomplete");
    assert_eq!(json["arms"][0]["outcome_reason"], "ec2-not-counted");
    assert_eq!(json["arms"][2]["outcome"], "complete");
    let page = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        page.contains("<td class=\"text\">incomplete (tasks managed scaling does not count)</td>")
    );
    assert!(page.contains("managed left 3 tasks pending"));
    // The legends mark the arms that did less work.
    let cost_svg = std::fs::read_to_string(dir.path().join("out/cost.svg")).unwrap();
    assert!(cost_svg.contains("managed (incomplete)"), "cost.svg legend");
    // No break-even against arms whose cost covers less work (none is complete on EC2).
    assert!(!dir.path().join("out/breakeven.csv").exists());
    // `sim report` redraws exactly what `sim run` drew.
    let drawn: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "svg" || x == "png" || x == "html")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    assert!(drawn.len() > 5);
    sim()
        .current_dir(dir.path())
        .args(["report", "out"])
        .assert()
        .success();
    for (name, bytes) in drawn {
        let again = std::fs::read(dir.path().join("out").join(&name)).unwrap();
        assert!(again == bytes, "{name}: sim report drew other bytes");
    }
}

/// Two arms on one steady stream (40 tasks a second for 30 s, each 5 s of 0.5 vCPU): a large
/// fixed fleet keeps up; Fargate, launching 20 tasks a second after a burst of 100, falls
/// behind. A bound of `max_live_tasks` on the tasks alive at once stops only Fargate.
const STREAM: &str = r#"
name = "stream"
[workload]
trace = "t.csv"
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.4xlarge"]
capacity = { fixed = 20 }
[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#;

#[test]
fn an_arm_over_the_live_task_bound_is_saturated_while_the_other_completes() {
    let dir = tempfile::tempdir().unwrap();
    trace(dir.path(), 1200, 0.0, 0.025, 5, 512, 1024);
    let s = load(dir.path(), STREAM);
    // Without a bound both arms complete, Fargate with a long line of waiting tasks.
    let free = run_both(&s, RunOptions::default());
    let ec2_peak = arm(&free, "ec2")
        .timeseries
        .iter()
        .map(|x| x.tasks_running + x.tasks_pending)
        .max()
        .unwrap();
    for a in &free.arms {
        assert_eq!(a.summary.outcome, Completion::Complete, "{}", a.arm);
        assert_eq!(a.summary.tasks_completed, 1200, "{}", a.arm);
    }
    let bound = 600;
    assert!(
        ec2_peak < bound as u64,
        "EC2 holds {ec2_peak} tasks at most"
    );
    let out = run_both(
        &s,
        RunOptions {
            max_live_tasks: bound,
            ..RunOptions::default()
        },
    );
    let (ec2, fargate) = (arm(&out, "ec2"), arm(&out, "fargate"));
    assert_eq!(ec2.summary, arm(&free, "ec2").summary, "EC2 is untouched");
    assert_eq!(fargate.summary.outcome, Completion::Saturated);
    assert_eq!(
        fargate.summary.outcome_reason,
        Some(EndReason::FargateLaunchRate)
    );
    // It stops where it held more than the bound: before the stream ended, with the line still
    // there, billed up to then.
    let s_ = &fargate.summary;
    assert!(fargate.end.as_ms() < 30_000, "saturated at {}", fargate.end);
    assert_eq!(
        s_.tasks_running_at_end + s_.tasks_pending_at_end,
        bound as u64 + 1
    );
    assert!(
        s_.tasks_pending_at_end * 10 > bound as u64,
        "a line of waiting tasks"
    );
    assert!(s_.tasks_arrived < 1200 && s_.cost_usd > 0.0);
    let w = fargate.warnings.join("\n");
    assert!(
        w.contains("arm `fargate` saturated at ")
            && w.contains("more than 600 tasks placed or waiting at once")
            && w.contains("Fargate's launch rate (20 tasks a second"),
        "{w}"
    );
    assert!(ec2.warnings.is_empty());
    // summary.csv says so.
    let csv_text = String::from_utf8(summary_csv(&out)).unwrap();
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.iter()
            .map(|r| (&r[0], &r[col("outcome")], &r[col("outcome_reason")]))
            .collect::<Vec<_>>(),
        [
            ("ec2", "complete", ""),
            ("fargate", "saturated", "fargate-launch-rate")
        ]
    );
    let end: f64 = rows[1][col("end_s")].parse().unwrap();
    assert!((end - fargate.end.as_secs_f64()).abs() < 1e-9);
}

/// A service runs all day: at the horizon its tasks are running, not done; the table says so.
#[test]
fn the_run_table_shows_the_service_tasks_running_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "s.toml",
        "name = \"svc\"\nhorizon = \"2h\"\n[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 3\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
    );
    let (stdout, _) = run_cli(dir.path(), &["--no-plots"]);
    let mut lines = stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    let row: Vec<&str> = lines
        .find(|l| l.starts_with("fargate "))
        .unwrap()
        .split_whitespace()
        .collect();
    // The columns up to `pending` are one word each.
    let at = |name: &str| {
        let i = header.iter().position(|h| *h == name).unwrap_or_else(|| {
            panic!("no `{name}` column in {header:?}");
        });
        row[i]
    };
    assert_eq!(at("done"), "0");
    assert_eq!(at("running"), "3", "{stdout}");
    // (Later headers have spaces in them: the outcome is the last cell.)
    assert_eq!(row.last(), Some(&"complete"), "{stdout}");
}

/// The real bound through the CLI: a job stream that Fargate keeps up with, on an EC2 arm whose
/// one instance can take none of its tasks (a constraint no instance meets): the EC2 arm's
/// line passes 2,000,000 tasks after about 31 hours and ends saturated there; Fargate runs the
/// whole day and a half; exit 0. Today's main exited 2 and wrote nothing.
#[test]
fn the_cli_finishes_the_other_arms_when_one_saturates_at_the_real_bound() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "s.toml",
        r#"
name = "mixed"
horizon = "32h"
metrics_interval = "10m"
[[workload.jobs]]
name = "j"
arrival = { poisson = { per_hour = 64000 } }
duration = "10s"
cpu = 256
memory = 512
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
placement_constraints = [{ type = "memberOf", expression = "attribute:ecs.instance-type == c5.large" }]
capacity = { fixed = 1 }
[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#,
    );
    let (stdout, stderr) = run_cli(dir.path(), &["--no-plots"]);
    assert!(
        stderr.contains("warning: arm `ec2` saturated at ")
            && stderr.contains(
                "more than 2,000,000 tasks placed or waiting at once (2,000,001 waiting)"
            ),
        "{stderr}"
    );
    let rows = summary(dir.path());
    assert_eq!(cell(&rows, "ec2", "outcome"), "saturated");
    assert_eq!(cell(&rows, "ec2", "outcome_reason"), "ec2-fixed-fleet");
    assert_eq!(cell(&rows, "ec2", "tasks_pending_at_end"), "2000001");
    let end: f64 = cell(&rows, "ec2", "end_s").parse().unwrap();
    assert!(end > 100_000.0 && end < 32.0 * 3600.0, "{end}");
    assert_eq!(cell(&rows, "fargate", "outcome"), "complete");
    assert_eq!(cell(&rows, "fargate", "end_s"), "115200.000");
    let arrived: u64 = cell(&rows, "fargate", "tasks_arrived").parse().unwrap();
    assert!(arrived > 2_000_001, "{arrived}");
    assert!(stdout.contains("cheapest: fargate"), "{stdout}");
    assert!(stdout.contains("ec2 saturated at "), "{stdout}");
}

/// Tasks no instance takes, on a fixed Spot fleet that is interrupted and replaced for ever:
/// events never run out, so the guard ends the arm a week after its last task activity,
/// incomplete, with its fleet billed to then and a warning that says so. Today's main ended the
/// arm at time 0 with the replaced instances billed past that end, and said nothing.
#[test]
fn an_arm_whose_fleet_is_replaced_for_ever_ends_incomplete_after_a_week() {
    let dir = tempfile::tempdir().unwrap();
    trace(dir.path(), 3, 0.0, 0.0, 60, 1024, 2048);
    write(
        dir.path(),
        "s.toml",
        r#"
name = "stall"
[pricing]
spot_discount = 0.6
[workload]
trace = "t.csv"
[[arm]]
name = "spot"
launch_type = "EC2"
instance_types = ["m5.large"]
purchase = "spot"
spot_interruptions_per_hour = 1
placement_constraints = [{ type = "memberOf", expression = "attribute:ecs.instance-type == c5.large" }]
capacity = { fixed = 2 }
"#,
    );
    let (_, stderr) = run_cli(dir.path(), &["--no-plots"]);
    assert!(
        stderr.contains(
            "warning: arm `spot`: 3 tasks waited with no progress for 7 days of simulated time while only instance events (Spot replacements) went on; the arm ends there"
        ),
        "{stderr}"
    );
    let rows = summary(dir.path());
    assert_eq!(cell(&rows, "spot", "outcome"), "incomplete");
    assert_eq!(cell(&rows, "spot", "outcome_reason"), "stalled");
    let end: f64 = cell(&rows, "spot", "end_s").parse().unwrap();
    assert!(
        end > 7.0 * 86_400.0 && end < 7.0 * 86_400.0 + 3_600.0,
        "{end}"
    );
    // Two instances all along (each replaced within the launch latency), billed to the end.
    let hours: f64 = cell(&rows, "spot", "instance_hours").parse().unwrap();
    assert!(
        (hours - 2.0 * end / 3600.0).abs() < 2.0,
        "{hours} instance-hours"
    );
}

/// Why an arm saturated is read from its state when it hit the bound: the waiting tasks'
/// blocker (a Fargate vCPU quota, a managed provider still scaling out), or, when nearly every
/// task alive is placed, the workload itself.
#[test]
fn a_saturated_arm_says_what_held_its_tasks() {
    let bounded = RunOptions {
        max_live_tasks: 20,
        ..RunOptions::default()
    };
    let reason = |text: &str, rows: (usize, f64, u32)| {
        let dir = tempfile::tempdir().unwrap();
        trace(dir.path(), rows.0, 0.0, rows.1, rows.2, 1024, 2048);
        let out = run_both(&load(dir.path(), text), bounded);
        let a = &out.arms[0];
        assert_eq!(a.summary.outcome, Completion::Saturated, "{}", a.arm);
        a.summary.outcome_reason
    };
    // A 1-vCPU quota: one task runs, the others wait for it.
    assert_eq!(
        reason(
            "[workload]\ntrace = \"t.csv\"\n[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\nfargate_vcpu_quota = 1\n",
            (40, 0.5, 600)
        ),
        Some(EndReason::FargateVcpuQuota)
    );
    // 40 tasks at once on a fleet scaled from zero: the first instances are still launching.
    assert_eq!(
        reason(
            "[workload]\ntrace = \"t.csv\"\n[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { min = 0, max = 50, managed_scaling = { target_capacity = 100 } }\n",
            (40, 0.0, 600)
        ),
        Some(EndReason::Ec2ScalingOut)
    );
    // A fleet with room for all 40 at once: they are all placed, none waits.
    assert_eq!(
        reason(
            "[workload]\ntrace = \"t.csv\"\n[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.4xlarge\"]\ncapacity = { fixed = 4 }\n",
            (40, 0.0, 600)
        ),
        Some(EndReason::TasksAtOnce)
    );
}

/// A sweep's runs.csv carries each run's outcome, and sweep.csv names as cheapest only an arm
/// that ended complete in every run.
#[test]
fn a_sweep_records_each_arms_outcome_and_compares_only_complete_arms() {
    let dir = tempfile::tempdir().unwrap();
    trace(dir.path(), 3, 0.0, 0.0, 60, 1024, 2048);
    write(dir.path(), "s.toml", STUCK);
    write(
        dir.path(),
        "sweep.toml",
        "scenario = \"s.toml\"\nseeds = 1\n[parameters]\n\"arm.managed.capacity.max\" = [1, 2]\n",
    );
    let a = sim()
        .current_dir(dir.path())
        .args(["sweep", "sweep.toml", "--out", "sw", "--quiet"])
        .assert()
        .success();
    // The sweep prints no per-run warning, so it says once how many arm runs fell short.
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr.contains("warning: 4 of 6 arm runs did less work than the workload asks (4 incomplete, 0 saturated; runs.csv `outcome` and `outcome_reason` say which and why)"),
        "{stderr}"
    );
    let mut r = csv::Reader::from_path(dir.path().join("sw/runs.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let outcomes: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                &r[col("arm")],
                &r[col("outcome")],
                &r[col("outcome_reason")],
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("managed", "incomplete", "ec2-not-counted"),
            ("fixed", "incomplete", "ec2-fixed-fleet"),
            ("fargate", "complete", ""),
        ]
        .repeat(2)
    );
    let mut s = csv::Reader::from_path(dir.path().join("sw/sweep.csv")).unwrap();
    let sh = s.headers().unwrap().clone();
    let cheapest = sh.iter().position(|c| c == "cheapest_arm").unwrap();
    for row in s.records() {
        assert_eq!(&row.unwrap()[cheapest], "fargate");
    }
}

/// Work left at the horizon by a managed provider at its max: incomplete, "EC2 capacity at max",
/// and not compared; no warning (a horizon cuts a workload wherever it is).
#[test]
fn a_provider_at_its_max_at_the_horizon_is_incomplete_at_max() {
    let dir = tempfile::tempdir().unwrap();
    // Ten 2 GiB tasks of two hours at once; one m5.large (7,680 MiB registered) holds three.
    trace(dir.path(), 10, 0.0, 0.0, 7200, 512, 2048);
    write(
        dir.path(),
        "s.toml",
        r#"
name = "at-max"
horizon = "1h"
[workload]
trace = "t.csv"
[[arm]]
name = "managed"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "bridge"
capacity = { min = 0, max = 1, managed_scaling = { target_capacity = 100 } }
[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#,
    );
    let (stdout, stderr) = run_cli(dir.path(), &[]);
    assert!(!stderr.contains("warning: arm `managed`"), "{stderr}");
    let rows = summary(dir.path());
    assert_eq!(cell(&rows, "managed", "outcome"), "incomplete");
    assert_eq!(cell(&rows, "managed", "outcome_reason"), "ec2-at-max");
    assert_eq!(cell(&rows, "managed", "tasks_pending_at_end"), "7");
    assert_eq!(cell(&rows, "managed", "peak_instances"), "1");
    // Fargate runs all ten to the horizon: complete (running work is billed up to it).
    assert_eq!(cell(&rows, "fargate", "outcome"), "complete");
    assert!(
        stdout.contains("managed left 7 tasks pending: EC2 capacity at max"),
        "{stdout}"
    );
}
