//! Robustness of outputs: a run or sweep killed at any moment leaves no file that looks
//! complete but is not, a killed sweep is repaired by `--resume`, and a full disk (or a full
//! standard output) is reported with the file it hit, never ignored.
// A test that cannot run here (no /dev/full, not root) says so on stderr and passes.
#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{scenario, sim, write};

/// The files of `dir` (not recursive) by name, with their bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_file() {
            out.insert(
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    out
}

/// Start `sim ARGS` and kill it (SIGKILL) after `after`; whether it had already finished.
fn kill_after(args: &[&str], after: Duration) -> bool {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("sim"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sim starts");
    std::thread::sleep(after);
    let finished = child.try_wait().expect("wait").is_some();
    let _ = child.kill();
    child.wait().expect("reaped");
    finished
}

/// `sim run` killed at increasing moments: every visible file left is byte-identical to the
/// one a whole run writes (only run.json differs: it holds the wall time), temporary files are
/// hidden (`.NAME.tmp-PID`), and run.json, the manifest written last, is there only with every
/// other file.
#[test]
fn a_run_killed_at_any_moment_leaves_only_whole_files() {
    let dir = tempfile::tempdir().unwrap();
    let sc = scenario("quickstart.toml");
    let whole_dir = dir.path().join("whole");
    sim()
        .args([
            "run",
            sc.to_str().unwrap(),
            "--out",
            whole_dir.to_str().unwrap(),
            "--quiet",
        ])
        .assert()
        .success();
    let whole = files(&whole_dir);
    assert!(whole.len() >= 5, "{:?}", whole.keys());
    let out = dir.path().join("killed");
    let mut finished = false;
    let mut ms = 200;
    while !finished {
        // Reuse the folder, as a user rerunning into it would: an earlier run's files must
        // never pass for this run's.
        finished = kill_after(
            &[
                "run",
                sc.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ],
            Duration::from_millis(ms),
        );
        let left = files(&out);
        for (name, bytes) in &left {
            if name.starts_with('.') {
                assert!(name.contains(".tmp-"), "unexpected hidden file {name}");
                continue;
            }
            if name == "run.json" {
                let _: serde_json::Value =
                    serde_json::from_slice(bytes).expect("run.json is whole JSON");
                for n in whole.keys() {
                    assert!(
                        left.contains_key(n),
                        "run.json without {n} (killed at {ms} ms)"
                    );
                }
            } else {
                assert!(
                    whole.get(name) == Some(bytes),
                    "{name} differs from a whole run's (killed at {ms} ms)"
                );
            }
        }
        ms = ms * 3 / 2;
        assert!(ms < 600_000, "the run never finished");
    }
}

const BASE: &str = r#"
seed = 5
horizon = "3h"
metrics_interval = "5m"
[[workload.jobs]]
name = "batch"
arrival = { poisson = { per_hour = 200 } }
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
seeds = 3
[parameters]
"arm.ec2.capacity.fixed" = { from = 1, to = 4, step = 1 }
"#;

/// Every line of a killed sweep's runs.csv but the last is whole (the header's column count),
/// and a run's rows are either all there or the run is cut at the last line.
fn runs_csv_is_whole_but_the_last_line(text: &str) {
    let mut lines = text.split_inclusive('\n');
    let Some(header) = lines.next() else { return };
    let columns = header.split(',').count();
    for l in lines {
        if l.ends_with('\n') {
            assert_eq!(
                l.split(',').count(),
                columns,
                "a torn line before the end: {l:?}"
            );
        }
    }
}

/// `sim sweep` killed (SIGKILL) at increasing moments, each time resumed by the next try with
/// `--resume`: runs.csv is whole but for at most a torn last line, sweep.json never says
/// complete while runs are missing, sweep.csv appears only at the end, and the final outputs
/// are byte-identical to an uninterrupted sweep's.
#[test]
fn a_sweep_killed_repeatedly_is_repaired_by_resume() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let sw = write(dir.path(), "sweep.toml", SWEEP);
    let whole = dir.path().join("whole");
    sim()
        .args([
            "sweep",
            sw.to_str().unwrap(),
            "--out",
            whole.to_str().unwrap(),
            "--quiet",
        ])
        .assert()
        .success();
    let out: PathBuf = dir.path().join("killed");
    let args = [
        "sweep",
        sw.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--threads",
        "2",
        "--resume",
    ];
    let mut ms = 150;
    loop {
        let finished = kill_after(&args, Duration::from_millis(ms));
        let left = files(&out);
        if let Some(runs) = left.get("runs.csv") {
            runs_csv_is_whole_but_the_last_line(&String::from_utf8_lossy(runs));
        }
        if let Some(meta) = left.get("sweep.json") {
            let meta: serde_json::Value = serde_json::from_slice(meta).expect("whole JSON");
            if meta["complete"] == true {
                assert!(left.contains_key("sweep.csv"), "complete without sweep.csv");
            }
        }
        if left.contains_key("sweep.csv") {
            assert_eq!(left.get("sweep.csv"), files(&whole).get("sweep.csv"));
        }
        if finished {
            break;
        }
        ms = ms * 3 / 2;
        assert!(ms < 600_000, "the sweep never finished");
    }
    let (a, b) = (files(&out), files(&whole));
    assert_eq!(
        a.get("runs.csv"),
        b.get("runs.csv"),
        "runs.csv after the resumes"
    );
    assert_eq!(
        a.get("sweep.csv"),
        b.get("sweep.csv"),
        "sweep.csv after the resumes"
    );
}

/// A sweep killed after writing sweep.json but before runs.csv resumes from scratch (and a
/// finished sweep with runs.csv lost is redone whole).
#[test]
fn a_sweep_without_runs_csv_resumes_from_scratch() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let sw = write(
        dir.path(),
        "sweep.toml",
        "scenario = \"base.toml\"\nseeds = 2\n",
    );
    let out = dir.path().join("out");
    let args = [
        "sweep",
        sw.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    sim().args(args).assert().success();
    let whole = files(&out);
    std::fs::remove_file(out.join("runs.csv")).unwrap();
    std::fs::remove_file(out.join("sweep.csv")).unwrap();
    sim().args(args).arg("--resume").assert().success();
    let again = files(&out);
    assert_eq!(again.get("runs.csv"), whole.get("runs.csv"));
    assert_eq!(again.get("sweep.csv"), whole.get("sweep.csv"));
}

/// A full standard output is an error (exit 1, naming it), not a panic or silence.
#[test]
fn a_full_standard_output_is_reported() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full here");
        return;
    };
    let out = Command::new(assert_cmd::cargo::cargo_bin("sim"))
        .args(["validate", scenario("quickstart.toml").to_str().unwrap()])
        .stdout(full)
        .output()
        .expect("sim starts");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.lines().next(),
        Some("error: cannot write to standard output: No space left on device (os error 28)")
    );
}

/// A 64 KiB tmpfs mounted for one test, unmounted when dropped.
struct Tiny(PathBuf);

impl Tiny {
    /// Mount it on `dir`, or say why not (not root, no mount).
    fn mount(dir: &Path) -> Result<Tiny, String> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .map_err(|e| e.to_string())?;
        if String::from_utf8_lossy(&root.stdout).trim() != "0" {
            return Err("not root".into());
        }
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let m = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| e.to_string())?;
        if !m.status.success() {
            return Err(String::from_utf8_lossy(&m.stderr).into_owned());
        }
        Ok(Tiny(dir.to_path_buf()))
    }
}

impl Drop for Tiny {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A full disk under `sim run`, `sim sweep` and `sim trace import`: exit 1, the first stderr
/// line names the file and says "No space left on device", and no file is left that looks
/// complete but is not (no temporary files either, no run.json, no complete sweep.json).
#[test]
fn a_full_disk_is_reported_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    let _mounted = match Tiny::mount(&disk) {
        Ok(m) => m,
        Err(why) => {
            eprintln!("skipped: cannot mount a tiny tmpfs ({why})");
            return;
        }
    };
    let check = |args: &[&str], written: &Path| {
        let out = sim().args(args).output().expect("sim starts");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        let first = stderr.lines().next().unwrap_or("");
        assert!(
            first.starts_with("error: ")
                && first.contains(&format!("cannot write `{}", written.display()))
                && first.ends_with("`: No space left on device (os error 28)"),
            "{args:?}: {first}"
        );
        stderr
    };

    // sim run: the plots do not fit in 64 KiB.
    let run = disk.join("run");
    let sc = scenario("quickstart.toml");
    check(
        &[
            "run",
            sc.to_str().unwrap(),
            "--out",
            run.to_str().unwrap(),
            "--quiet",
        ],
        &run,
    );
    let whole = dir.path().join("whole");
    sim()
        .args([
            "run",
            sc.to_str().unwrap(),
            "--out",
            whole.to_str().unwrap(),
            "--quiet",
        ])
        .assert()
        .success();
    let reference = files(&whole);
    let left = files(&run);
    assert!(
        !left.contains_key("run.json"),
        "a manifest for an incomplete run"
    );
    for (name, bytes) in &left {
        assert!(!name.starts_with('.'), "temporary {name} left behind");
        assert_eq!(reference.get(name), Some(bytes), "{name} is not whole");
    }
    std::fs::remove_dir_all(&run).unwrap();

    // sim sweep: runs.csv grows past 64 KiB.
    write(dir.path(), "base.toml", BASE);
    let sw = write(
        dir.path(),
        "sweep.toml",
        "scenario = \"base.toml\"\nseeds = 200\n[parameters]\n\"arm.ec2.capacity.fixed\" = [1, 2]\n",
    );
    let swept = disk.join("sweep");
    check(
        &[
            "sweep",
            sw.to_str().unwrap(),
            "--out",
            swept.to_str().unwrap(),
            "--quiet",
            "--threads",
            "2",
        ],
        &swept,
    );
    let left = files(&swept);
    assert!(!left.contains_key("sweep.csv"));
    if let Some(meta) = left.get("sweep.json") {
        let meta: serde_json::Value = serde_json::from_slice(meta).expect("whole JSON");
        assert_eq!(meta["complete"], false);
    }
    for name in left.keys() {
        assert!(!name.starts_with('.'), "temporary {name} left behind");
    }
    std::fs::remove_dir_all(&swept).unwrap();

    // sim trace import: the imported trace does not fit.
    let trace = disk.join("t.csv");
    let input = crate::common::shared_trace(
        "google-clusterdata-2011-2/task_events-part-00001-of-00500.head10000.csv",
    );
    if input.exists() {
        check(
            &[
                "trace",
                "import",
                "--format",
                "google-2011",
                input.to_str().unwrap(),
                "-o",
                trace.to_str().unwrap(),
            ],
            &trace,
        );
        assert!(files(&disk).is_empty(), "{:?}", files(&disk).keys());
    }
}
