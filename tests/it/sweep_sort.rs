//! Sweep outputs through the external sort: a sweep, a resumed sweep and a merge whose sort
//! spills to temporary files many times write the same bytes as with the default buffer, and
//! runs are started in the documented order without a list of them.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::common::{sim, write};
use crate::sweep::BASE;

/// 3 variants × 3 seeds = 9 runs, 18 runs.csv rows.
const SWEEP: &str = r#"
scenario = "base.toml"
seeds = 3
[parameters]
"workload.jobs.batch.arrival.poisson.per_hour" = [20, 60, 40]
"#;

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    write(dir.path(), "sweep.toml", SWEEP);
    dir
}

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

fn options(out: &Path, resume: bool) -> sim::sweep::SweepOptions {
    sim::sweep::SweepOptions {
        out_dir: out.to_path_buf(),
        threads: 2,
        resume,
        shard: None,
        plots: false,
    }
}

fn assert_same_outputs(a: &Path, b: &Path) {
    for f in ["runs.csv", "sweep.csv", "sweep.json"] {
        assert_eq!(read(a.join(f)), read(b.join(f)), "{f}");
    }
}

#[test]
fn a_sweep_whose_sort_spills_writes_the_same_outputs() {
    let dir = setup();
    sim()
        .arg("sweep")
        .arg(dir.path().join("sweep.toml"))
        .args(["--quiet", "--out"])
        .arg(dir.path().join("whole"))
        .assert()
        .success();
    let plan = sim::sweep::SweepPlan::load(&dir.path().join("sweep.toml")).unwrap();
    assert_eq!(plan.runs, 9);
    let never = AtomicBool::new(false);
    // 18 rows, at most 1 or 4 in memory: 18 or 4 sorted runs spilled and merged.
    for buffer in [1, 4] {
        let out = dir.path().join(format!("b{buffer}"));
        let report =
            sim::sweep::execute_buffered(&plan, &options(&out, false), buffer, &never, &|_| ())
                .unwrap();
        assert_eq!(report.done, 9);
        assert_eq!(report.files, ["runs.csv", "sweep.csv", "sweep.json"]);
        assert_same_outputs(&out, &dir.path().join("whole"));
        let rows = read(out.join("runs.csv"));
        assert_eq!(rows.lines().count(), 1 + 18);
        // In run order: run r's rows are lines 2r+1 (ec2) and 2r+2 (fargate).
        for (i, line) in rows.lines().skip(1).enumerate() {
            assert!(line.starts_with(&format!("{},{},", i / 2, i / 6)), "{line}");
        }
    }
    // Resumed from rows of runs interleaved and a run with an arm twice: the interleaved runs
    // are kept, the spoilt one is run again, and the outputs are the same.
    let whole = read(dir.path().join("whole/runs.csv"));
    let l: Vec<&str> = whole.lines().collect();
    // Lines: 0 header; run r arm a at 1 + 2r + a.
    let cut = [l[0], l[5], l[1], l[6], l[2], l[9], l[9], l[10], l[14]].join("\n") + "\n";
    let out = dir.path().join("resumed");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(dir.path().join("whole/sweep.json"), out.join("sweep.json")).unwrap();
    std::fs::write(out.join("runs.csv"), cut).unwrap();
    let report =
        sim::sweep::execute_buffered(&plan, &options(&out, true), 3, &never, &|_| ()).unwrap();
    // Runs 0 and 2 whole (interleaved); run 4 has ec2 twice; run 6 only fargate (out of order).
    assert_eq!(report.resumed, 2);
    assert_eq!(report.done, 9);
    assert_same_outputs(&out, &dir.path().join("whole"));
}

#[test]
fn a_merge_whose_sort_spills_writes_the_same_outputs() {
    let dir = setup();
    let run = |out: &str, extra: &[&str]| {
        sim()
            .arg("sweep")
            .arg(dir.path().join("sweep.toml"))
            .args(["--quiet", "--out"])
            .arg(dir.path().join(out))
            .args(extra)
            .assert()
            .success();
    };
    run("whole", &[]);
    for i in 0..2 {
        run(&format!("s{i}"), &["--shard", &format!("{i}/2")]);
    }
    let shards = [dir.path().join("s1"), dir.path().join("s0")];
    for buffer in [1, 5] {
        let out = dir.path().join(format!("m{buffer}"));
        let report = sim::sweep::merge_buffered(&shards, &out, false, buffer).unwrap();
        assert_eq!((report.runs, report.shards), (9, 2));
        assert_same_outputs(&out, &dir.path().join("whole"));
    }
    // A shard short of a run: refused, nothing written.
    let s0 = read(dir.path().join("s0/runs.csv"));
    let kept: Vec<&str> = s0.lines().take(s0.lines().count() - 2).collect();
    std::fs::write(dir.path().join("s0/runs.csv"), kept.join("\n") + "\n").unwrap();
    let out = dir.path().join("refused");
    let e = sim::sweep::merge_buffered(&shards, &out, false, 1).unwrap_err();
    assert!(
        e.to_string().contains("1 of 9 runs are missing: run 8"),
        "{e}"
    );
    assert!(!out.exists());
}

#[test]
fn runs_start_in_longest_first_order_variant_by_variant() {
    let dir = setup();
    let plan = sim::sweep::SweepPlan::load(&dir.path().join("sweep.toml")).unwrap();
    // Rates 20, 60, 40: variant 1 is the longest, then 2, then 0.
    assert_eq!(plan.variants_longest_first(), [1, 2, 0]);
    let seeds = u64::from(plan.spec.seeds);
    let expanded: Vec<u64> = plan
        .variants_longest_first()
        .into_iter()
        .flat_map(|v| (0..seeds).map(move |s| v as u64 * seeds + s))
        .collect();
    assert_eq!(expanded, plan.longest_first((0..plan.runs).collect()));
}
