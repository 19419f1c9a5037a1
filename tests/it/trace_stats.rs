//! `sim trace stats`: figures of the shipped sample trace, checked against values computed
//! here straight from the CSV, and bad traces exiting 2 with the row and column.

use crate::common::{root, sim, write};

/// One row of the sample: arrival and duration in ms (rounded as the reader rounds), requests.
struct Row {
    arrival_ms: u64,
    duration_ms: u64,
    cpu_units: u64,
    memory_mib: u64,
    group: String,
}

fn sample_rows() -> Vec<Row> {
    let mut reader = csv::Reader::from_path(root().join("scenarios/traces/sample.csv"))
        .expect("the sample trace opens");
    let header = reader.headers().expect("a header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (a, d, c, m, g) = (
        col("arrival_s"),
        col("duration_s"),
        col("cpu_units"),
        col("memory_mib"),
        col("group"),
    );
    let ms = |s: &str| (s.parse::<f64>().expect("a number") * 1000.0).round() as u64;
    reader
        .records()
        .map(|r| {
            let r = r.expect("a well-formed row");
            Row {
                arrival_ms: ms(&r[a]),
                duration_ms: ms(&r[d]),
                cpu_units: r[c].parse().expect("integer cpu"),
                memory_mib: r[m].parse().expect("integer memory"),
                group: r[g].to_string(),
            }
        })
        .collect()
}

fn sample_json() -> serde_json::Value {
    let out = sim()
        .args(["trace", "stats", "scenarios/traces/sample.csv", "--json"])
        .current_dir(root())
        .output()
        .expect("sim runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("--json prints JSON")
}

#[test]
fn sample_figures_match_a_direct_count_of_the_csv() {
    let rows = sample_rows();
    let j = sample_json();
    assert_eq!(j["rows"], rows.len() as u64);
    let groups: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.group.as_str()).collect();
    assert_eq!(j["groups"], groups.len() as u64);
    let max_cpu = rows.iter().map(|r| r.cpu_units).max().unwrap();
    assert_eq!(j["cpu_units"]["max"], max_cpu);
    assert_eq!(
        j["memory_mib"]["min"],
        rows.iter().map(|r| r.memory_mib).min().unwrap()
    );
    let last_end = rows
        .iter()
        .map(|r| r.arrival_ms + r.duration_ms)
        .max()
        .unwrap();
    assert_eq!(j["span"]["last_end_s"], last_end as f64 / 1000.0);
    let hours = (rows.last().unwrap().arrival_ms / 3_600_000 + 1) as usize;
    let per_hour = j["arrivals"]["per_hour"].as_array().unwrap();
    assert_eq!(per_hour.len(), hours);
    for (h, n) in per_hour.iter().enumerate() {
        let want = rows
            .iter()
            .filter(|r| r.arrival_ms / 3_600_000 == h as u64)
            .count();
        assert_eq!(n, want, "hour {h}");
    }

    // Peak concurrency by brute force: at each arrival, everything started and not yet ended.
    let (mut cpu, mut mem, mut tasks) = (0u64, 0u64, 0u64);
    for r in &rows {
        let t = r.arrival_ms;
        let alive = rows
            .iter()
            .filter(|o| o.arrival_ms <= t && t < o.arrival_ms + o.duration_ms);
        cpu = cpu.max(alive.clone().map(|o| o.cpu_units).sum());
        mem = mem.max(alive.clone().map(|o| o.memory_mib).sum());
        tasks = tasks.max(alive.count() as u64);
    }
    assert_eq!(j["peak"]["cpu_units"], cpu);
    assert_eq!(j["peak"]["memory_mib"], mem);
    assert_eq!(j["peak"]["tasks"], tasks);

    // Every row lands in some Fargate size (the sample's requests are all valid sizes).
    let sized: u64 = j["fargate"]["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tasks"].as_u64().unwrap())
        .sum();
    assert_eq!(sized, rows.len() as u64);
    assert_eq!(j["fargate"]["no_fit"], 0);
}

#[test]
fn the_report_names_the_trace_and_its_row_count() {
    let out = sim()
        .args(["trace", "stats", "scenarios/traces/sample.csv"])
        .current_dir(root())
        .output()
        .expect("sim runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("trace            scenarios/traces/sample.csv\n"));
    assert!(text.contains(&format!("\nrows             {}\n", sample_rows().len())));
    for section in [
        "arrivals per hour",
        "requests and durations",
        "Fargate sizes",
    ] {
        assert!(text.contains(section), "{section}:\n{text}");
    }
}

#[test]
fn a_malformed_trace_exits_2_naming_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.csv",
        "arrival_s,duration_s,cpu_units,memory_mib\n0,10,512,1024\n5,10,abc,1024\n",
    );
    let out = sim()
        .args(["trace", "stats"])
        .arg(&bad)
        .output()
        .expect("sim runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.csv: row 2 (line 3), column `cpu_units`: found `abc`; expected a number"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing printed before the error");

    let out = sim()
        .args(["trace", "stats"])
        .arg(dir.path().join("missing.csv"))
        .output()
        .expect("sim runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("missing.csv")
    );
}
