//! Cost ratios with any number of arms (issue 13, part 5): with an EC2 arm, a Fargate arm and a
//! Fargate Spot arm, sweep.csv's `cost_vs_cheapest` divides each arm's mean cost by the
//! cheapest complete arm's, `sweep_ratio` draws the EC2 arm against the cheapest Fargate-family
//! arm, the old `ec2_fargate_cost_ratio` stays empty (it needs exactly one arm of each), and
//! `sim merge` and `sim report` give the same bytes as the sweep.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{sim, write};

/// Three arms; with `capacity.fixed = 1` the EC2 arm cannot finish the hour's work by the
/// horizon (tasks left pending: not complete) and is then the cheapest, with 4 it finishes.
/// A Spot discount of 20% keeps Fargate Spot dearer than that unfinished EC2 arm.
const BASE: &str = r#"
name = "three-arms"
seed = 3
horizon = "2h"
metrics_interval = "5m"

[pricing]
fargate_spot_discount = 0.2

[workload]
[[workload.jobs]]
name = "batch"
arrival = { poisson = { per_hour = 60 } }
duration = { exponential = { mean = "10m" } }
end = "1h"
cpu = 1024
memory = 2048

[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.xlarge"]
capacity = { fixed = 4 }

[[arm]]
name = "fargate"
launch_type = "FARGATE"

[[arm]]
name = "fargate-spot"
launch_type = "FARGATE"
capacity_provider_strategy = [{ provider = "FARGATE_SPOT", weight = 1 }]
"#;

const SWEEP: &str = r#"
scenario = "base.toml"
seeds = 2
[parameters]
"arm.ec2.capacity.fixed" = [1, 4, 8]
"#;

fn sweep(dir: &Path, out: &str, extra: &[&str]) {
    sim()
        .arg("sweep")
        .arg(dir.join("sweep.toml"))
        .arg("--out")
        .arg(dir.join(out))
        .arg("--quiet")
        .args(extra)
        .assert()
        .success();
}

fn records(path: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head = r.headers().unwrap().clone();
    let rows = r.records().map(Result::unwrap).collect();
    (head, rows)
}

#[test]
fn three_arms_get_cost_vs_cheapest_and_a_ratio_plot_against_the_cheapest_fargate_arm() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    write(dir.path(), "sweep.toml", SWEEP);
    sweep(dir.path(), "whole", &[]);
    let out = dir.path().join("whole");

    // From runs.csv, independently: per (variant, arm) the costs and whether every seed ran
    // every task.
    let (head, rows) = records(&out.join("runs.csv"));
    let at = |n: &str| head.iter().position(|h| h == n).unwrap();
    let mut costs: BTreeMap<(usize, String), Vec<f64>> = BTreeMap::new();
    let mut complete: BTreeMap<(usize, String), bool> = BTreeMap::new();
    for r in &rows {
        let key = (r[at("variant")].parse().unwrap(), r[at("arm")].to_string());
        costs
            .entry(key.clone())
            .or_default()
            .push(r[at("cost_usd")].parse().unwrap());
        let done = r[at("tasks_rejected")] == *"0" && r[at("tasks_pending_at_end")] == *"0";
        *complete.entry(key).or_insert(true) &= done;
    }
    let mean = |v: usize, arm: &str| {
        let c = &costs[&(v, arm.to_string())];
        c.iter().sum::<f64>() / c.len() as f64
    };
    let arms = ["ec2", "fargate", "fargate-spot"];
    assert!(
        !complete[&(0, "ec2".to_string())],
        "one m5.xlarge cannot finish the hour's work by the horizon"
    );
    assert!(complete[&(2, "ec2".to_string())]);

    let (s_head, s_rows) = records(&out.join("sweep.csv"));
    let s_at = |n: &str| s_head.iter().position(|h| h == n).unwrap();
    assert_eq!(
        s_head.iter().rev().take(3).collect::<Vec<_>>(),
        ["cost_vs_cheapest", "ec2_fargate_cost_ratio", "cheapest_arm"],
        "the new column comes last; the old ones keep their places"
    );
    assert_eq!(s_rows.len(), 3 * 3);
    for (i, r) in s_rows.iter().enumerate() {
        let v = i / 3;
        let arm = &r[s_at("arm")];
        assert_eq!(arm, arms[i % 3]);
        let cheapest = arms
            .iter()
            .filter(|a| complete[&(v, a.to_string())])
            .min_by(|a, b| mean(v, a).total_cmp(&mean(v, b)))
            .expect("the Fargate arms finish");
        assert_eq!(&r[s_at("cheapest_arm")], *cheapest, "variant {v}");
        let want = mean(v, arm) / mean(v, cheapest);
        let got: f64 = r[s_at("cost_vs_cheapest")].parse().unwrap();
        assert!(
            (got - want).abs() < 2e-6,
            "variant {v} {arm}: {got} vs {want}"
        );
        assert_eq!(&r[s_at("ec2_fargate_cost_ratio")], "", "two FARGATE arms");
    }
    // Variant 0: the unfinished EC2 arm cost least, but it did less work: the cheapest arm is
    // a complete one, and EC2's figure, below 1, says so.
    assert!(mean(0, "ec2") < mean(0, "fargate-spot"));
    assert_eq!(&s_rows[0][s_at("cheapest_arm")], "fargate-spot");
    let ec2_0: f64 = s_rows[0][s_at("cost_vs_cheapest")].parse().unwrap();
    assert!(ec2_0 < 1.0, "{ec2_0}");

    // The ratio plot is drawn: EC2 ÷ the cheaper of the two Fargate arms, per variant.
    for ext in ["svg", "png"] {
        assert!(
            out.join(format!("sweep_ratio.{ext}")).exists(),
            "sweep_ratio.{ext}"
        );
    }
    let data = sim::report::SweepData::parse(
        &std::fs::read(out.join("sweep.csv")).unwrap(),
        &std::fs::read(out.join("sweep.json")).unwrap(),
    )
    .unwrap();
    let plot = sim::report::sweep_plots::sweep_ratio_plot(&data).expect("a ratio plot");
    let line = &plot.panels[0].series[0];
    assert_eq!(line.label, "EC2 ÷ cheapest Fargate cost");
    assert_eq!(line.points.len(), 3);
    for (v, (x, y)) in line.points.iter().enumerate() {
        assert_eq!(*x, [1.0, 4.0, 8.0][v]);
        let want = mean(v, "ec2") / mean(v, "fargate").min(mean(v, "fargate-spot"));
        assert!((y - want).abs() < 1e-5, "variant {v}: {y} vs {want}");
    }
    let svg = std::fs::read_to_string(out.join("sweep_ratio.svg")).unwrap();
    assert!(svg.contains("EC2 ÷ cheapest Fargate cost"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<th>fargate-spot ÷ cheapest</th>"));
    assert!(html.contains("<figure id=\"sweep_ratio\">"));

    // Two shards merged: byte for byte the sweep's outputs, the new column and plot included.
    sweep(dir.path(), "s0", &["--shard", "0/2"]);
    sweep(dir.path(), "s1", &["--shard", "1/2"]);
    sim()
        .arg("merge")
        .args(["s1", "s0", "--out", "merged"])
        .current_dir(dir.path())
        .assert()
        .success();
    let merged = dir.path().join("merged");
    let files = [
        "runs.csv",
        "sweep.csv",
        "sweep.json",
        "report.html",
        "sweep_cost.svg",
        "sweep_cost.png",
        "sweep_frontier.svg",
        "sweep_frontier.png",
        "sweep_ratio.svg",
        "sweep_ratio.png",
    ];
    for f in files {
        assert_eq!(
            std::fs::read(merged.join(f)).unwrap(),
            std::fs::read(out.join(f)).unwrap(),
            "merged {f}"
        );
    }

    // `sim report` redraws the page and the plots from sweep.csv and sweep.json alone.
    for f in &files[3..] {
        std::fs::remove_file(merged.join(f)).unwrap();
    }
    sim().arg("report").arg(&merged).assert().success();
    for f in &files[3..] {
        assert_eq!(
            std::fs::read(merged.join(f)).unwrap(),
            std::fs::read(out.join(f)).unwrap(),
            "redrawn {f}"
        );
    }
}
