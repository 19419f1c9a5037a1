//! `sim trace import`: every public trace sample in the sample directory beside the repository
//! (see `common::shared_trace`) imports with the expected
//! counts and hand-computed rows, an imported trace replays through `sim run`, and bad input
//! (a malformed row, a truncated gzip, a wrong format name) exits 2 with a located message.

use std::path::Path;

use crate::common::{shared_trace, sim, trace_import, write};

const GOOGLE_HEAD: &str = "google-clusterdata-2011-2/task_events-part-00001-of-00500.head10000.csv";
const GOOGLE_GZ: &str = "google-clusterdata-2011-2/task_events-part-00001-of-00500.csv.gz";

/// Run `sim trace import`, require success, return (stdout, output trace text).
fn import_ok(format: &str, input: &Path, out: &Path, extra: &[&str]) -> (String, String) {
    let stdout = trace_import(format, input, out, extra);
    (stdout, std::fs::read_to_string(out).unwrap())
}

/// Run `sim trace import` expecting exit status 2; return stderr.
fn import_fails(args: &[&str]) -> String {
    let mut all = vec!["trace", "import"];
    all.extend_from_slice(args);
    let a = sim().args(&all).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn data_rows(trace: &str) -> Vec<&str> {
    trace.lines().skip(1).collect()
}

const HEADER: &str = "arrival_s,duration_s,cpu_units,memory_mib,task_id,group,storage_gib";

#[test]
fn google_2011_head_sample_rebuilds_task_lifetimes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("google.csv");
    let (stdout, trace) = import_ok("google-2011", &shared_trace(GOOGLE_HEAD), &out, &[]);
    assert!(
        stdout.contains("imported 10000 rows of google-2011 → 3995 tasks"),
        "{stdout}"
    );
    assert!(
        stdout.contains("normalised CPU 1.0 = 32 vCPUs (default"),
        "{stdout}"
    );
    assert!(
        stdout.contains("normalised memory 1.0 = 131072 MiB (default"),
        "{stdout}"
    );
    assert!(
        stdout.contains("896  submitted before the input starts"),
        "{stdout}"
    );
    let rows = data_rows(&trace);
    assert_eq!(trace.lines().next(), Some(HEADER));
    assert_eq!(rows.len(), 3995);
    // Job 6251995937 task 33: SUBMIT at 5,612,587,446 µs (the first SUBMIT: 0), SCHEDULE at
    // 5,640,468,109, still running at the file's last event (6,187,266,367): censored,
    // 6187266 − 5640468 = 546.798 s; 0.06873 × 32 × 1024 = 2252.1 → 2253 units;
    // 0.01193 × 131072 = 1563.7 → 1564 MiB.
    assert_eq!(rows[0], "0.000,546.798,2253,1564,6251995937-33,6251995937,");
    // Job 6252020624 task 0: SUBMIT 5,638,258,832 µs (25.672 s after the first), SCHEDULE
    // 5,640,467,079, FINISH 5,722,451,198: 81.984 s; 0.006248 × 32768 = 204.7 → 205 units,
    // 0.002174 × 131072 = 284.9 → 285 MiB.
    assert!(
        rows.contains(&"25.672,81.984,205,285,6252020624-0,6252020624,"),
        "hand-computed row missing"
    );
    // A different machine scale halves the CPU and doubles the memory.
    let out2 = dir.path().join("google2.csv");
    let (stdout2, trace2) = import_ok(
        "google-2011",
        &shared_trace(GOOGLE_HEAD),
        &out2,
        &["--machine-cpu", "16", "--machine-memory-mib", "262144"],
    );
    assert!(stdout2.contains("16 vCPUs (given"), "{stdout2}");
    assert_eq!(
        data_rows(&trace2)[0],
        "0.000,546.798,1127,3128,6251995937-33,6251995937,"
    );
}

#[test]
fn google_2011_gzip_shard_imports_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("google.csv");
    let (stdout, trace) = import_ok("google-2011", &shared_trace(GOOGLE_GZ), &out, &[]);
    assert!(
        stdout.contains("imported 77776 rows of google-2011 → 25766 tasks"),
        "{stdout}"
    );
    assert_eq!(data_rows(&trace).len(), 25766);
    // The same first task, here evicted at 7,907,449,395 µs: 7907449 − 5640468 = 2266.981 s;
    // it is resubmitted at 7,907,449,404 µs (2294.862 s after the first SUBMIT), its run 2.
    let rows = data_rows(&trace);
    assert_eq!(
        rows[0],
        "0.000,2266.981,2253,1564,6251995937-33,6251995937,"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("2294.862,") && r.contains(",6251995937-33.2,")),
        "the resubmitted run"
    );
}

#[test]
fn alibaba_2017_batch_sample_imports_terminated_instances() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ali2017.csv");
    // The whole sample makes 6,397,344 tasks (6,397,359 Terminated instances, 15 of zero
    // duration); one instance per row keeps the test fast and the counts checkable.
    let (stdout, trace) = import_ok(
        "alibaba-2017-batch",
        &shared_trace("alibaba-v2017-batch-task/batch_task.head50001.csv"),
        &out,
        &["--max-instances", "1"],
    );
    assert!(
        stdout.contains("imported 50001 rows of alibaba-2017-batch → 41862 tasks"),
        "{stdout}"
    );
    assert!(
        stdout.contains("6355482  instances above --max-instances"),
        "{stdout}"
    );
    assert!(stdout.contains("15  zero or negative duration"), "{stdout}");
    assert!(
        stdout.contains("normalised memory 1.0 = 262144 MiB (default"),
        "{stdout}"
    );
    let rows = data_rows(&trace);
    assert_eq!(rows.len(), 41862);
    // Line 9318: -1078,2891,9741,63358,75,Terminated,100,0.016007041: the earliest creation
    // (0), 3969 s, 1024 units, 0.016007041 × 262144 = 4196.1 → 4197 MiB.
    assert_eq!(rows[0], "0.000,3969.000,1024,4197,63358-0,9741,");
}

#[test]
fn alibaba_gpu_2023_sample_puts_gpu_pods_in_their_group() {
    let dir = tempfile::tempdir().unwrap();
    let input = shared_trace("alibaba-gpu-v2023-openb/openb_pod_list_default.csv");
    let out = dir.path().join("openb.csv");
    let (stdout, trace) = import_ok("alibaba-gpu-2023", &input, &out, &[]);
    assert!(
        stdout.contains("imported 8152 rows of alibaba-gpu-2023 → 7255 tasks"),
        "{stdout}"
    );
    assert!(stdout.contains("897  never scheduled"), "{stdout}");
    let rows = data_rows(&trace);
    assert_eq!(rows.len(), 7255);
    assert_eq!(rows.iter().filter(|r| r.ends_with(",gpu,")).count(), 6203);
    // openb-pod-0001: 6000 milli = 6144 units, created and scheduled 427061 s, deleted
    // 12902960 s: 12475899 s.
    assert_eq!(
        rows[1],
        "427061.000,12475899.000,6144,12288,openb-pod-0001,gpu,"
    );
    let cpu_out = dir.path().join("openb-cpu.csv");
    let (stdout, trace) = import_ok("alibaba-gpu-2023", &input, &cpu_out, &["--cpu-only"]);
    assert!(
        stdout.contains("6203  needs a GPU (--cpu-only)"),
        "{stdout}"
    );
    assert_eq!(data_rows(&trace).len(), 1052);
    assert!(data_rows(&trace).iter().all(|r| r.ends_with(",cpu,")));
}

#[test]
fn alibaba_gpu_2025_sample_runs_instances_to_the_trace_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dlrm.csv");
    let (stdout, trace) = import_ok(
        "alibaba-gpu-2025",
        &shared_trace("alibaba-gpu-v2025-dlrm/disaggregated_DLRM_trace.csv"),
        &out,
        &[],
    );
    assert!(
        stdout.contains("imported 23871 rows of alibaba-gpu-2025 → 23856 tasks"),
        "{stdout}"
    );
    assert!(stdout.contains("8878  alive at the trace end"), "{stdout}");
    let rows = data_rows(&trace);
    assert_eq!(rows.len(), 23856);
    // Line 2456: instance_2454,CN,app_87,64 vCPU,…,320 GiB,…,disk 255 GiB, no creation
    // (running at 0), deleted at 85 s.
    assert_eq!(
        rows[0],
        "0.000,85.000,65536,327680,instance_2454,app_87,255"
    );
    // Line 2: instance_0, HN, 12 vCPU, 120 GiB, never created or deleted in the trace: 0 to the
    // latest time in the file, 2,677,541 s.
    assert!(rows.contains(&"0.000,2677541.000,12288,122880,instance_0,gpu,640"));
}

#[test]
fn an_imported_trace_replays_through_sim_run() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("google.csv");
    import_ok("google-2011", &shared_trace(GOOGLE_HEAD), &trace, &[]);
    let scenario = write(
        dir.path(),
        "replay.toml",
        r#"name = "google-replay"
seed = 1

[workload]
trace = "google.csv"

[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.12xlarge"]
network_mode = "bridge"
placement_strategy = [{ type = "binpack", field = "memory" }]
capacity = { fixed = 20 }

[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#,
    );
    let out = dir.path().join("out");
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
    for line in summary.lines().skip(1) {
        let arrived: u64 = line.split(',').nth(2).unwrap().parse().unwrap();
        assert_eq!(arrived, 3995, "{line}");
    }
}

#[test]
fn a_malformed_row_is_reported_with_its_line_or_counted_when_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let good = "600000000,,1,0,77,0,u,0,2,0.25,0.25,0,0\n\
                601000000,,1,0,77,1,u,0,2,,,,0\n";
    let input = write(
        dir.path(),
        "events.csv",
        &format!(
            "{good}602000000,,1,1,77,SUBMIT,u,0,2,0.1,0.1,0,0\n611000000,,1,0,77,4,u,0,2,,,,0\n"
        ),
    );
    let out = dir.path().join("out.csv");
    let stderr = import_fails(&[
        "--format",
        "google-2011",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        stderr.contains(
            "events.csv: line 3, column `event type`: found `SUBMIT`; expected an integer"
        ),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written on error");
    let (stdout, trace) = import_ok("google-2011", &input, &out, &["--skip-bad-rows"]);
    assert!(stdout.contains("skipped 1 malformed rows"), "{stdout}");
    assert!(stdout.contains("line 3"), "{stdout}");
    assert_eq!(data_rows(&trace), vec!["0.000,10.000,8192,32768,1-0,1,"]);
}

#[test]
fn a_truncated_gzip_and_a_wrong_format_name_exit_2_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let gz = std::fs::read(shared_trace(GOOGLE_GZ)).unwrap();
    // Named .csv on purpose: gzip is told by its magic bytes, not the extension.
    let cut = write(dir.path(), "cut.csv", "");
    std::fs::write(&cut, &gz[..gz.len() / 2]).unwrap();
    let out = dir.path().join("out.csv");
    let stderr = import_fails(&[
        "--format",
        "google-2011",
        cut.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(stderr.contains("cut.csv: line "), "{stderr}");
    assert!(stderr.contains("cannot read further"), "{stderr}");
    assert!(!out.exists());
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file left behind");

    let stderr = import_fails(&[
        "--format",
        "google-2019",
        cut.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        stderr.contains("unknown trace format `google-2019`; expected one of google-2011, alibaba-2017-batch, alibaba-2018-container, alibaba-2018-batch, alibaba-gpu-2023, alibaba-gpu-2025"),
        "{stderr}"
    );
    let stderr = import_fails(&[
        "--format",
        "google-2011",
        dir.path().join("missing.csv").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(stderr.contains("missing.csv"), "{stderr}");
}
