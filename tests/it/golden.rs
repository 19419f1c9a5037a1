//! Golden outputs: small scenarios whose CSV outputs are pinned byte for byte, so that any
//! change to the model (a rule, a default, a price, the order of random draws) fails a test
//! that says what changed: the file, the first differing line, the expected and actual lines,
//! and the CSV columns whose values differ.
//!
//! Each case is a folder `tests/it/golden/<name>/` holding `scenario.toml` (and its inputs) and
//! `expected/`, the files `sim run <scenario> --no-plots [--tasks-csv]` wrote when last blessed
//! (summary.csv, timeseries.csv, waits.csv, and scaling.csv, breakeven.csv, tasks.csv where the
//! run writes them; run.json differs between runs and is left out). The test runs the real
//! binary and compares.
//!
//! When a change of output is intended, re-bless every case in one command and review the diff
//! of `tests/it/golden/*/expected/` before committing it:
//!
//! ```sh
//! BLESS_GOLDEN=1 cargo test --test it golden
//! ```
//!
//! The cases run on different thread counts (`RAYON_NUM_THREADS` 1, 2, 3): the bytes must not
//! depend on it.

mod diff;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::{root, sim};

/// The output files a golden case may pin (every CSV `sim run` writes).
const FILES: [&str; 6] = [
    "summary.csv",
    "timeseries.csv",
    "waits.csv",
    "scaling.csv",
    "breakeven.csv",
    "tasks.csv",
];

/// The folder of golden case `name`.
fn case_dir(name: &str) -> PathBuf {
    root().join("tests/it/golden").join(name)
}

/// Run golden case `name` through `sim run` with `extra` arguments on `threads` threads, and
/// compare (or, under `BLESS_GOLDEN=1`, rewrite) its expected files.
fn golden(name: &str, extra: &[&str], threads: &str) {
    let dir = case_dir(name);
    let tmp = tempfile::tempdir().expect("temporary folder");
    let out = tmp.path().join("out");
    let scenario = dir.join("scenario.toml");
    let mut args = vec![
        "run",
        scenario.to_str().expect("UTF-8 path"),
        "--out",
        out.to_str().expect("UTF-8 path"),
        "--no-plots",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    sim()
        .env("RAYON_NUM_THREADS", threads)
        .args(&args)
        .assert()
        .success();
    let expected = dir.join("expected");
    let written = present(&out);
    if std::env::var_os("BLESS_GOLDEN").is_some() {
        bless(&out, &expected, &written);
        return;
    }
    let pinned = present(&expected);
    let mut failures = Vec::new();
    for f in written.symmetric_difference(&pinned) {
        failures.push(if written.contains(f) {
            format!("{f}: written by the run but not in {}", expected.display())
        } else {
            format!("{f}: in {} but not written by the run", expected.display())
        });
    }
    for f in written.intersection(&pinned) {
        let want = std::fs::read(expected.join(f)).expect("read an expected file");
        let have = std::fs::read(out.join(f)).expect("read an output file");
        failures.extend(diff::describe(f, &want, &have));
    }
    assert!(
        failures.is_empty(),
        "golden case `{name}` changed (if intended: BLESS_GOLDEN=1 cargo test --test it golden, \
         then review the diff of tests/it/golden/{name}/expected/):\n{}",
        failures.join("\n")
    );
}

/// Which of `FILES` are in `dir`.
fn present(dir: &Path) -> BTreeSet<&'static str> {
    FILES
        .into_iter()
        .filter(|f| dir.join(f).is_file())
        .collect()
}

/// Make `expected` hold exactly the `written` files of `out`.
fn bless(out: &Path, expected: &Path, written: &BTreeSet<&'static str>) {
    std::fs::create_dir_all(expected).expect("create the expected folder");
    for f in FILES {
        let target = expected.join(f);
        if written.contains(f) {
            std::fs::copy(out.join(f), &target).expect("bless an expected file");
        } else if target.exists() {
            std::fs::remove_file(&target).expect("remove a file the run no longer writes");
        }
    }
}

/// A job stream on EC2 with managed scaling from zero (two instance types, warm-up, scale-out
/// and scale-in), against Fargate; with tasks.csv.
#[test]
fn golden_jobs_scale_from_zero() {
    golden("jobs-scale-from-zero", &["--tasks-csv"], "1");
}

/// A service (target tracking, a rolling deployment) and a job stream on EC2 with an on-demand
/// and a Spot capacity provider, and on FARGATE with FARGATE_SPOT; Spot interruptions restart
/// tasks on both.
#[test]
fn golden_spot_services() {
    golden("spot-services", &[], "2");
}

/// A trace replayed to its end (no horizon) on a mixed x86/Graviton fleet and an awsvpc fleet
/// with arm-level memberOf constraints, and on Fargate; with tasks.csv (which instance ran
/// what).
#[test]
fn golden_trace_constraints() {
    golden("trace-constraints", &["--tasks-csv"], "3");
}
