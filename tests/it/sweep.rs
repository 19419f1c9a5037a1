//! `sim sweep`: the grid, runs.csv independent of the thread count, resume, aggregates, and
//! bad sweeps refused (exit 2) before any run.

use std::path::Path;

use crate::common::{root, sim, write};

/// The base scenario of the sweep tests (also `sweep_sort`): two arms, one job stream.
pub(crate) const BASE: &str = r#"
name = "base"
seed = 5
horizon = "2h"
metrics_interval = "5m"

[workload]
[[workload.jobs]]
name = "batch"
arrival = { poisson = { per_hour = 60 } }
duration = { exponential = { mean = "10m" } }
cpu = 1024
memory = 2048

[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.xlarge"]
capacity = { fixed = 3 }

[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#;

const SWEEP: &str = r#"
scenario = "base.toml"
seeds = 2
[parameters]
"workload.jobs.batch.arrival.poisson.per_hour" = [30, 90]
"arm.ec2.capacity.fixed" = { from = 1, to = 3, step = 2 }
"#;

/// A folder with base.toml and sweep.toml (`sweep` as given).
fn setup(sweep: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    write(dir.path(), "sweep.toml", sweep);
    dir
}

fn run_sweep(dir: &Path, out: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    sim()
        .arg("sweep")
        .arg(dir.join("sweep.toml"))
        .arg("--out")
        .arg(dir.join(out))
        .arg("--quiet")
        .args(extra)
        .assert()
}

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

#[test]
fn runs_csv_is_the_same_on_one_and_two_threads() {
    let dir = setup(SWEEP);
    run_sweep(dir.path(), "t1", &["--threads", "1"]).success();
    run_sweep(dir.path(), "t2", &["--threads", "2"]).success();
    let one = read(dir.path().join("t1/runs.csv"));
    assert_eq!(one, read(dir.path().join("t2/runs.csv")));
    assert_eq!(
        read(dir.path().join("t1/sweep.csv")),
        read(dir.path().join("t2/sweep.csv"))
    );
    // The sweep plots too (SVG and PNG bytes).
    for f in sim::report::SWEEP_PLOT_NAMES {
        for ext in ["svg", "png"] {
            let name = format!("{f}.{ext}");
            let one = std::fs::read(dir.path().join("t1").join(&name)).unwrap();
            assert!(!one.is_empty(), "{name}");
            assert_eq!(
                one,
                std::fs::read(dir.path().join("t2").join(&name)).unwrap(),
                "{name}"
            );
        }
    }
    // 4 variants × 2 seeds × 2 arms, in run order, each run with its own seed.
    let rows: Vec<&str> = one.lines().skip(1).collect();
    assert_eq!(rows.len(), 16);
    let head = one.lines().next().unwrap();
    assert!(head.starts_with(
        "run,variant,seed,workload.jobs.batch.arrival.poisson.per_hour,arm.ec2.capacity.fixed,arm,launch_type,"
    ), "{head}");
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<&str> = r.split(',').collect();
        assert_eq!(cells[0], (i / 2).to_string());
        assert_eq!(cells[1], (i / 4).to_string());
        assert_eq!(cells[5], if i % 2 == 0 { "ec2" } else { "fargate" });
    }
    let cells = |i: usize| rows[i].split(',').map(String::from).collect::<Vec<_>>();
    // Variant 1 is per_hour 30, fixed 3 (the last parameter varies fastest).
    assert_eq!(&cells(4)[3..5], ["30", "3"]);
    assert_eq!(&cells(8)[3..5], ["90", "1"]);
    // The two arms of a run share a seed; two runs do not.
    assert_eq!(cells(0)[2], cells(1)[2]);
    assert_ne!(cells(0)[2], cells(2)[2]);
    let meta: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("t1/sweep.json"))).unwrap();
    assert_eq!(meta["runs"], 8);
    assert_eq!(meta["complete"], true);
    assert_eq!(meta["sweep_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn an_interrupted_sweep_resumes_with_every_run_exactly_once() {
    let dir = setup(SWEEP);
    run_sweep(dir.path(), "out", &["--threads", "2"]).success();
    let whole = read(dir.path().join("out/runs.csv"));
    let whole_sweep = read(dir.path().join("out/sweep.csv"));
    // As if killed: runs 0 and 1 whole, run 5 (out of order) whole, run 2 with one arm of
    // two, and a torn last line; no sweep.csv yet.
    let lines: Vec<&str> = whole.lines().collect();
    let torn = &lines[8][..lines[8].len() / 2];
    let cut = [
        lines[0], lines[1], lines[2], lines[3], lines[4], lines[11], lines[12], lines[5], torn,
    ]
    .join("\n");
    std::fs::write(dir.path().join("out/runs.csv"), cut).unwrap();
    std::fs::remove_file(dir.path().join("out/sweep.csv")).unwrap();
    run_sweep(dir.path(), "out", &["--resume", "--threads", "2"])
        .success()
        .stdout(predicates::str::contains("3 of them recorded before"));
    assert_eq!(read(dir.path().join("out/runs.csv")), whole);
    assert_eq!(read(dir.path().join("out/sweep.csv")), whole_sweep);
    // Resuming a finished sweep runs nothing and changes nothing.
    run_sweep(dir.path(), "out", &["--resume"])
        .success()
        .stdout(predicates::str::contains("8 of them recorded before"));
    assert_eq!(read(dir.path().join("out/runs.csv")), whole);
}

#[test]
fn resume_refuses_the_results_of_another_sweep_file() {
    let dir = setup(SWEEP);
    run_sweep(dir.path(), "out", &[]).success();
    write(
        dir.path(),
        "sweep.toml",
        &SWEEP.replace("[30, 90]", "[30, 120]"),
    );
    run_sweep(dir.path(), "out", &["--resume"])
        .code(2)
        .stderr(predicates::str::contains("another sweep file"));
    let dir2 = setup(SWEEP);
    std::fs::create_dir_all(dir2.path().join("out")).unwrap();
    write(dir2.path(), "out/runs.csv", "run\n");
    run_sweep(dir2.path(), "out", &["--resume"])
        .code(2)
        .stderr(predicates::str::contains("sweep.json"));
}

#[test]
fn a_bad_parameter_path_is_refused_naming_it() {
    let dir = setup(&SWEEP.replace("arm.ec2.capacity.fixed", "arm.ec2-c5.capacity.fixed"));
    run_sweep(dir.path(), "out", &[])
        .code(2)
        .stderr(predicates::str::contains("sweep.toml"))
        .stderr(predicates::str::contains(
            "parameter `arm.ec2-c5.capacity.fixed`",
        ))
        .stderr(predicates::str::contains("no `arm` named `ec2-c5`"));
    // A key the scenario does not know: the scenario validation names it.
    let dir = setup(&SWEEP.replace("arm.ec2.capacity.fixed", "arm.ec2.capacity.fixd"));
    run_sweep(dir.path(), "out", &[])
        .code(2)
        .stderr(predicates::str::contains("`arm.ec2.capacity.fixd = 1`"))
        .stderr(predicates::str::contains("fixd"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_bad_value_fails_before_any_run() {
    // The last variant is invalid: nothing may run first.
    let dir = setup(&SWEEP.replace("[30, 90]", "[30, -5]"));
    run_sweep(dir.path(), "out", &[])
        .code(2)
        .stderr(predicates::str::contains("variant 2"))
        .stderr(predicates::str::contains(
            "`workload.jobs.batch.arrival.poisson.per_hour = -5`",
        ));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn unknown_keys_in_the_sweep_file_are_located() {
    let dir = setup("scenario = \"base.toml\"\nseedz = 2\n");
    run_sweep(dir.path(), "out", &[])
        .code(2)
        .stderr(predicates::str::contains("sweep.toml:2:1"))
        .stderr(predicates::str::contains("seedz"));
}

#[test]
fn sweep_csv_aggregates_the_seeds() {
    let dir = setup(
        "scenario = \"base.toml\"\nseeds = 2\n[parameters]\n\"arm.ec2.capacity.fixed\" = [4]\n",
    );
    run_sweep(dir.path(), "out", &[]).success();
    let runs = read(dir.path().join("out/runs.csv"));
    let sweep = read(dir.path().join("out/sweep.csv"));
    let head: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let at = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let s_head: Vec<&str> = sweep.lines().next().unwrap().split(',').collect();
    let s_at = |name: &str| s_head.iter().position(|h| *h == name).unwrap();
    let s_rows: Vec<Vec<&str>> = sweep
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(s_rows.len(), 2, "one variant × two arms");
    let mut mean_cost = Vec::new();
    for (arm, s) in s_rows.iter().enumerate() {
        // runs.csv rows `arm` and `arm + 2`: this arm in seed 0 (run 0) and seed 1 (run 1).
        let x: Vec<f64> = [arm, arm + 2]
            .map(|i| rows[i][at("cost_usd")].parse().unwrap())
            .to_vec();
        let mean = (x[0] + x[1]) / 2.0;
        // n = 2: sd = |a − b| / √2; half-width = 12.706 × sd / √2 = 12.706 × |a − b| / 2.
        let sd = (x[0] - x[1]).abs() / 2f64.sqrt();
        let ci = 12.706 * (x[0] - x[1]).abs() / 2.0;
        let got = |c: &str| s[s_at(c)].parse::<f64>().unwrap();
        assert_eq!(s[s_at("arm")], rows[arm][at("arm")]);
        assert_eq!(s[s_at("runs")], "2");
        assert!((got("cost_usd_mean") - mean).abs() < 1e-6, "{s:?}");
        assert!((got("cost_usd_sd") - sd).abs() < 1e-6, "{s:?}");
        assert!((got("cost_usd_ci95") - ci).abs() < 1e-5, "{s:?}");
        mean_cost.push(mean);
    }
    let ratio: f64 = s_rows[0][s_at("ec2_fargate_cost_ratio")].parse().unwrap();
    assert!((ratio - mean_cost[0] / mean_cost[1]).abs() < 1e-6);
    let cheapest = if mean_cost[0] < mean_cost[1] {
        "ec2"
    } else {
        "fargate"
    };
    assert_eq!(s_rows[1][s_at("cheapest_arm")], cheapest);
}

#[test]
fn the_shipped_breakeven_sweep_is_valid_and_answers_its_question() {
    let out = tempfile::tempdir().unwrap();
    sim()
        .arg("sweep")
        .arg(root().join("scenarios/breakeven-sweep.toml"))
        .arg("--out")
        .arg(out.path())
        .arg("--quiet")
        .assert()
        .success();
    let sweep = read(out.path().join("sweep.csv"));
    let column = sweep
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "cheapest_arm")
        .unwrap();
    let cheapest: Vec<&str> = sweep
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(column).unwrap())
        .collect();
    // Fargate at the lowest rate, the m5 fleet at the highest.
    assert_eq!(cheapest.first(), Some(&"fargate"));
    assert_eq!(cheapest.last(), Some(&"ec2-m5"));
    crate::sweep_plots::check_breakeven_sweep_plots(out.path());
}

#[test]
fn a_stop_request_records_the_finished_runs_and_a_resume_completes_them() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = setup(SWEEP);
    run_sweep(dir.path(), "whole", &[]).success();
    let plan = sim::sweep::SweepPlan::load(&dir.path().join("sweep.toml")).unwrap();
    let opts = sim::sweep::SweepOptions {
        out_dir: dir.path().join("out"),
        threads: 2,
        resume: false,
        shard: None,
        plots: true,
    };
    // As Ctrl-C does: the flag is set while runs are under way (here after the third).
    let stop = AtomicBool::new(false);
    let report = sim::sweep::execute(&plan, &opts, &stop, &|done| {
        if done >= 3 {
            stop.store(true, Ordering::SeqCst);
        }
    })
    .unwrap();
    assert!(report.stopped);
    assert!((3..8).contains(&report.done), "{report:?}");
    assert_eq!(report.files, ["runs.csv", "sweep.json"]);
    let partial = read(dir.path().join("out/runs.csv"));
    assert_eq!(partial.lines().count() as u64, 1 + 2 * report.done);
    assert!(!dir.path().join("out/sweep.csv").exists());
    let meta: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("out/sweep.json"))).unwrap();
    assert_eq!(meta["complete"], false);
    assert_eq!(meta["runs_done"], report.done);
    run_sweep(dir.path(), "out", &["--resume"]).success();
    assert_eq!(
        read(dir.path().join("out/runs.csv")),
        read(dir.path().join("whole/runs.csv"))
    );
    assert_eq!(
        read(dir.path().join("out/sweep.csv")),
        read(dir.path().join("whole/sweep.csv"))
    );
}

#[test]
fn shards_merged_equal_the_whole_sweep() {
    let dir = setup(SWEEP);
    run_sweep(dir.path(), "whole", &[]).success();
    // 8 runs in 3 shards: 0,3,6 / 1,4,7 / 2,5.
    for i in 0..3 {
        run_sweep(
            dir.path(),
            &format!("s{i}"),
            &["--shard", &format!("{i}/3")],
        )
        .success()
        .stdout(predicates::str::contains(format!("shard {i}/3")));
        assert!(!dir.path().join(format!("s{i}/sweep.csv")).exists());
        let meta: serde_json::Value =
            serde_json::from_str(&read(dir.path().join(format!("s{i}/sweep.json")))).unwrap();
        assert_eq!(meta["shard"]["index"], i);
        assert_eq!(meta["shard"]["count"], 3);
        assert_eq!(meta["shard"]["runs"], if i == 2 { 2 } else { 3 });
        assert_eq!(meta["complete"], true);
    }
    // auto/3 reads the array index (Slurm's first).
    sim()
        .arg("sweep")
        .arg(dir.path().join("sweep.toml"))
        .args(["--quiet", "--shard", "auto/3", "--out"])
        .arg(dir.path().join("a1"))
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("JOB_COMPLETION_INDEX", "2")
        .assert()
        .success();
    assert_eq!(
        read(dir.path().join("a1/runs.csv")),
        read(dir.path().join("s1/runs.csv"))
    );
    // Given in any order.
    sim()
        .arg("merge")
        .args(["s2", "s0", "a1", "--out", "merged"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "merged 8 runs from 3 shard folders",
        ));
    for f in ["runs.csv", "sweep.csv", "sweep.json"] {
        assert_eq!(
            read(dir.path().join("merged").join(f)),
            read(dir.path().join("whole").join(f)),
            "{f}"
        );
    }
}

#[test]
fn a_merge_with_a_missing_duplicate_or_foreign_shard_is_refused() {
    let dir = setup(SWEEP);
    for i in 0..3 {
        run_sweep(
            dir.path(),
            &format!("s{i}"),
            &["--shard", &format!("{i}/3")],
        )
        .success();
    }
    let merge = |dirs: &[&str]| {
        sim()
            .arg("merge")
            .args(dirs)
            .args(["--out", "merged"])
            .current_dir(dir.path())
            .assert()
    };
    merge(&["s0", "s2"])
        .code(2)
        .stderr(predicates::str::contains(
            "3 of 8 runs are missing: run 1, 4, 7",
        ))
        .stderr(predicates::str::contains("shards of 3 not given: 1)"));
    merge(&["s0", "s1", "s2", "s1"])
        .code(2)
        .stderr(predicates::str::contains("shard 1/3 is given twice"));
    // A shard of another sweep file (one value changed).
    write(
        dir.path(),
        "other.toml",
        &SWEEP.replace("[30, 90]", "[30, 120]"),
    );
    sim()
        .arg("sweep")
        .arg(dir.path().join("other.toml"))
        .args(["--quiet", "--shard", "1/3", "--out"])
        .arg(dir.path().join("o1"))
        .assert()
        .success();
    merge(&["s0", "o1", "s2"])
        .code(2)
        .stderr(predicates::str::contains(
            "`o1` holds a shard of another sweep",
        ));
    // Another split of the same sweep.
    run_sweep(dir.path(), "h1", &["--shard", "1/2"]).success();
    merge(&["s0", "h1", "s2"])
        .code(2)
        .stderr(predicates::str::contains("one --shard I/N split"));
    // A run copied into another shard's runs.csv.
    let s0 = read(dir.path().join("s0/runs.csv"));
    let s1 = read(dir.path().join("s1/runs.csv"));
    let extra: String = s1
        .lines()
        .skip(1)
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("s0/runs.csv"), format!("{s0}{extra}")).unwrap();
    merge(&["s0", "s1", "s2"])
        .code(2)
        .stderr(predicates::str::contains(
            "run 1 does not belong to shard 0/3",
        ));
    // A folder that is no shard.
    merge(&["s1", "nowhere"])
        .code(2)
        .stderr(predicates::str::contains("sweep.json"));
    assert!(!dir.path().join("merged").exists());
    // A bad --shard, or auto without an array index.
    run_sweep(dir.path(), "x", &["--shard", "3/3"])
        .code(2)
        .stderr(predicates::str::contains("out of range"));
    sim()
        .arg("sweep")
        .arg(dir.path().join("sweep.toml"))
        .args(["--quiet", "--shard", "auto/3", "--out"])
        .arg(dir.path().join("x"))
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("AWS_BATCH_JOB_ARRAY_INDEX")
        .env_remove("JOB_COMPLETION_INDEX")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("JOB_COMPLETION_INDEX"));
}

#[test]
fn a_shard_resumes_only_its_own_runs() {
    let dir = setup(SWEEP);
    run_sweep(dir.path(), "s1", &["--shard", "1/3"]).success();
    let whole = read(dir.path().join("s1/runs.csv"));
    let lines: Vec<&str> = whole.lines().collect();
    std::fs::write(dir.path().join("s1/runs.csv"), lines[..3].join("\n") + "\n").unwrap();
    run_sweep(dir.path(), "s1", &["--shard", "1/3", "--resume"])
        .success()
        .stdout(predicates::str::contains("1 of them recorded before"));
    assert_eq!(read(dir.path().join("s1/runs.csv")), whole);
    run_sweep(dir.path(), "s1", &["--shard", "2/3", "--resume"])
        .code(2)
        .stderr(predicates::str::contains("shard 1/3"));
}

#[test]
fn the_longest_runs_start_first() {
    let dir = setup(SWEEP);
    let plan = sim::sweep::SweepPlan::load(&dir.path().join("sweep.toml")).unwrap();
    // Variants in grid order: (30, 1), (30, 3), (90, 1), (90, 3); two seeds each. The 90-an-hour
    // variants have three times the arrivals, so their runs (4–7) start first, in run order.
    assert!(
        (plan.work[2] / plan.work[0] - 3.0).abs() < 1e-9,
        "{:?}",
        plan.work
    );
    assert_eq!(
        plan.longest_first((0..plan.runs).collect()),
        [4, 5, 6, 7, 0, 1, 2, 3]
    );
}
