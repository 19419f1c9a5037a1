//! Legal but absurd inputs: each either runs within a deadline and a memory limit (an arm that
//! outgrows sim's bounds ends there, saturated) or is refused with a reason (exit status 2,
//! nothing written); none hangs or exhausts memory.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::write;

/// Virtual memory allowed to `sim` (KiB): a run that needs more aborts, and the case fails.
const MEMORY_KIB: u64 = 2_000_000;

/// How a case must end.
enum Expect<'a> {
    /// Exit 0, summary.csv written.
    Runs,
    /// Exit 2, the first stderr line containing every fragment, no output folder.
    Refused(&'a [&'a str]),
}

/// A scenario: `horizon`, `metrics_interval`, one job (`arrival`, `cpu`, extra keys) and an
/// EC2 arm with `capacity`, plus a Fargate arm when `fargate`.
fn scenario(
    horizon: &str,
    interval: &str,
    arrival: &str,
    cpu: u32,
    extra: &str,
    capacity: &str,
    fargate: bool,
) -> String {
    let mut s = String::new();
    if !horizon.is_empty() {
        s.push_str(&format!("horizon = \"{horizon}\"\n"));
    }
    s.push_str(&format!(
        "metrics_interval = \"{interval}\"\n[[workload.jobs]]\nname = \"j\"\narrival = {arrival}\nduration = \"5m\"\ncpu = {cpu}\nmemory = 2048\n{extra}[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\", \"c5.xlarge\"]\ncapacity = {capacity}\n"
    ));
    if fargate {
        s.push_str("[[arm]]\nname = \"fg\"\nlaunch_type = \"FARGATE\"\n");
    }
    s
}

/// Run `sim ARGS` in `dir` under the memory limit and `deadline`; require it finished in time
/// and ended as `expect` says.
fn check(dir: &Path, args: &str, deadline: Duration, expect: &Expect<'_>) -> String {
    let sim = assert_cmd::cargo::cargo_bin("sim");
    let start = Instant::now();
    let out = assert_cmd::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_KIB}; exec '{}' {args}",
            sim.display()
        ))
        .current_dir(dir)
        .timeout(deadline)
        .output()
        .expect("sh starts");
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        took < deadline,
        "`sim {args}` did not finish within {deadline:?}; stderr: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "{stderr}"
    );
    match expect {
        Expect::Runs => {
            assert_eq!(out.status.code(), Some(0), "`sim {args}`: {stderr}");
            assert!(dir.join("out/summary.csv").exists());
            crate::common::assert_summary_file_conserved(&dir.join("out/summary.csv"));
        }
        Expect::Refused(fragments) => {
            assert_eq!(out.status.code(), Some(2), "`sim {args}`: {stderr}");
            let first = stderr.lines().next().unwrap_or("");
            for f in *fragments {
                assert!(first.contains(f), "`sim {args}`: {first:?} lacks {f:?}");
            }
            assert!(!dir.join("out").exists(), "an output folder was left");
        }
    }
    stderr
}

/// Write `text` as s.toml in a new folder and check `sim run s.toml --out out --quiet`.
fn run_case(text: &str, deadline_s: u64, expect: &Expect<'_>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.toml", text);
    let stderr = check(
        dir.path(),
        "run s.toml --out out --quiet",
        Duration::from_secs(deadline_s),
        expect,
    );
    (dir, stderr)
}

#[test]
fn a_ten_year_horizon_runs_with_daily_samples_and_is_refused_with_minute_samples() {
    let poisson = "{ poisson = { per_hour = 0.2 } }";
    let capacity = "{ fixed = 1 }";
    run_case(
        &scenario("3650d", "1d", poisson, 1024, "", capacity, true),
        120,
        &Expect::Runs,
    );
    run_case(
        &scenario("3650d", "1m", poisson, 1024, "", capacity, true),
        30,
        &Expect::Refused(&[
            "s.toml:1:11:",
            "more than 2000000 samples",
            "expected a longer metrics_interval",
        ]),
    );
}

#[test]
fn a_million_instances_are_refused() {
    let poisson = "{ poisson = { per_hour = 10 } }";
    for (capacity, at) in [
        ("{ fixed = 1000000 }", "`arm.capacity.fixed`: found 1000000"),
        (
            "{ min = 0, max = 1000000 }",
            "`arm.capacity.max`: found 1000000",
        ),
    ] {
        run_case(
            &scenario("1h", "1m", poisson, 1024, "", capacity, false),
            30,
            &Expect::Refused(&[at, "expected an integer in 1..=100000"]),
        );
    }
}

#[test]
fn a_task_larger_than_every_instance_type_is_rejected_on_arrival() {
    let (dir, _) = run_case(
        &scenario(
            "2h",
            "1m",
            "{ poisson = { per_hour = 30 } }",
            100_000,
            "",
            "{ min = 0, max = 10 }",
            true,
        ),
        60,
        &Expect::Runs,
    );
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    for row in summary.lines().skip(1) {
        let c: Vec<&str> = row.split(',').collect();
        assert!(c[2].parse::<u64>().unwrap() > 0, "{row}");
        assert_eq!(c[2], c[4], "every task rejected: {row}");
    }
}

#[test]
fn absurd_arrival_rates_are_refused_or_stopped_before_memory_runs_out() {
    // Above the rate limit.
    run_case(
        &scenario(
            "1h",
            "1m",
            "{ poisson = { per_hour = 1e9 } }",
            1024,
            "",
            "{ fixed = 1 }",
            true,
        ),
        30,
        &Expect::Refused(&[
            "s.toml:5:11:",
            "found 1000000000",
            "up to 36000000 per hour",
        ]),
    );
    // Legal rates over ten years: 8.8e10 tasks, refused before any run.
    run_case(
        &scenario(
            "3650d",
            "1d",
            "{ poisson = { per_hour = 1000000 } }",
            1024,
            "",
            "{ fixed = 1 }",
            true,
        ),
        30,
        &Expect::Refused(&[
            "s.toml:5:11:",
            "about 8.760e10 tasks would arrive",
            "expected at most 100000000",
        ]),
    );
    // An endless stream bounded only by max_tasks = 10^12.
    run_case(
        &scenario(
            "",
            "1m",
            "{ fixed_interval = \"1s\" }",
            1024,
            "max_tasks = 1000000000000\n",
            "{ fixed = 1 }",
            false,
        ),
        30,
        &Expect::Refused(&["s.toml:4:11:", "about 1.000e12 tasks", "`max_tasks`"]),
    );
    // The highest legal rate on one instance: the waiting line outgrows the live-task limit
    // within minutes of simulated time; the arm stops there, saturated, says why, and the run
    // ends normally with what it has (issue 13: one arm out of bounds does not lose the run).
    let (dir, stderr) = run_case(
        &scenario(
            "1h",
            "1m",
            "{ poisson = { per_hour = 36000000 } }",
            1024,
            "",
            "{ fixed = 1 }",
            false,
        ),
        300,
        &Expect::Runs,
    );
    assert!(
        stderr.contains("warning: arm `ec2` saturated at ")
            && stderr.contains("more than 2,000,000 tasks placed or waiting at once")
            && stderr.contains("capacity provider `ec2` is a fixed fleet of 1 instance"),
        "{stderr}"
    );
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    let mut r = csv::Reader::from_reader(summary.as_bytes());
    let h = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let get = |n: &str| &row[h.iter().position(|c| c == n).unwrap()];
    assert_eq!(
        (get("outcome"), get("outcome_reason")),
        ("saturated", "ec2-fixed-fleet")
    );
    let end: f64 = get("end_s").parse().unwrap();
    assert!(
        end > 0.0 && end < 3600.0,
        "saturated at {end} s, before the horizon"
    );
    let (running, pending): (u64, u64) = (
        get("tasks_running_at_end").parse().unwrap(),
        get("tasks_pending_at_end").parse().unwrap(),
    );
    assert_eq!(running + pending, 2_000_001);
}

#[test]
fn a_trace_of_tasks_lasting_a_century_runs_to_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let mut trace = String::from("arrival_s,duration_s,cpu_units,memory_mib\n");
    for i in 0..20_000 {
        trace.push_str(&format!("{},3153600000,256,512\n", i / 10));
    }
    write(dir.path(), "t.csv", &trace);
    write(
        dir.path(),
        "s.toml",
        "horizon = \"2h\"\n[workload]\ntrace = \"t.csv\"\n[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 2 }\n[[arm]]\nname = \"fg\"\nlaunch_type = \"FARGATE\"\n",
    );
    check(
        dir.path(),
        "run s.toml --out out --quiet",
        Duration::from_secs(120),
        &Expect::Runs,
    );
}

#[test]
fn a_sweep_of_ten_billion_runs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "base.toml",
        &scenario(
            "1h",
            "1m",
            "{ poisson = { per_hour = 10 } }",
            1024,
            "",
            "{ fixed = 1 }",
            true,
        ),
    );
    write(
        dir.path(),
        "sw.toml",
        "scenario = \"base.toml\"\nseeds = 100\n[parameters]\n\"workload.jobs.j.cpu\" = { from = 1, to = 100000, step = 1 }\n\"workload.jobs.j.memory\" = { from = 1, to = 100000, step = 1 }\n",
    );
    check(
        dir.path(),
        "sweep sw.toml --out out --quiet",
        Duration::from_secs(60),
        &Expect::Refused(&[
            "sw.toml:4:25:",
            "the grid has 1000000000000 runs",
            "expected at most 100000000",
        ]),
    );
}
