//! Same scenario and seed give byte-identical outputs, whatever the thread count; another seed
//! gives other outputs.

use std::path::Path;

use crate::common::{scenario, sim};

const FILES: [&str; 6] = [
    "summary.csv",
    "timeseries.csv",
    "tasks.csv",
    "waits.csv",
    "wait_cdf.svg",
    "report.html",
];

fn run(out: &Path, extra: &[&str], threads: &str) -> Vec<Vec<u8>> {
    let mut args = vec!["run", "", "--out", "", "--tasks-csv", "--quiet"];
    let s = scenario("quickstart.toml");
    args[1] = s.to_str().unwrap();
    args[3] = out.to_str().unwrap();
    args.extend_from_slice(extra);
    sim()
        .env("RAYON_NUM_THREADS", threads)
        .args(&args)
        .assert()
        .success();
    crate::common::assert_summary_file_conserved(&out.join("summary.csv"));
    FILES
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect()
}

#[test]
fn same_seed_same_bytes_and_another_seed_differs() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(&dir.path().join("a"), &[], "2");
    let b = run(&dir.path().join("b"), &[], "1");
    for (i, f) in FILES.iter().enumerate() {
        assert!(
            a[i] == b[i],
            "{f} differs between two runs of one seed (2 threads vs 1)"
        );
    }
    let c = run(&dir.path().join("c"), &["--seed", "7"], "2");
    for (i, f) in FILES.iter().enumerate() {
        assert!(a[i] != c[i], "{f} is the same under --seed 7");
    }
    let d = run(&dir.path().join("d"), &["--seed", "7"], "2");
    assert_eq!(c, d);
}
