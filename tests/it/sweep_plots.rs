//! Sweep plots: drawn by `sim sweep` with sweep.csv (valid SVG and PNG), left out with
//! `--no-plots`, and the ratio heat map's cells are sweep.csv's ratios.

use std::path::Path;

use crate::common::{root, sim};

/// The three sweep plots of scenarios/breakeven-sweep.toml (in `out`) are valid SVG and PNG,
/// and the ratio heat map holds sweep.csv's `ec2_fargate_cost_ratio` of each variant, rate
/// (x) by target capacity (y), each printed in its cell. Called by the sweep test that runs it.
pub fn check_breakeven_sweep_plots(out: &Path) {
    for name in sim::report::SWEEP_PLOT_NAMES {
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{name}");
        assert!(svg.trim_end().ends_with("</svg>"), "{name}");
        let png = std::fs::read(out.join(format!("{name}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}");
        assert!(png.len() > 10_000, "{name}: {} bytes", png.len());
    }
    let csv_bytes = std::fs::read(out.join("sweep.csv")).unwrap();
    let json = std::fs::read(out.join("sweep.json")).unwrap();
    let data = sim::report::SweepData::parse(&csv_bytes, &json).unwrap();
    let plot = sim::report::sweep_plots::sweep_ratio_plot(&data).expect("a ratio plot");
    assert_eq!(plot.panels.len(), 1);
    let panel = &plot.panels[0];
    let heat = panel.heat.as_ref().expect("a heat map");
    let xs = &panel.x_axis.as_ref().unwrap().categories;
    assert_eq!(
        xs,
        &["5", "10", "20", "40", "80", "160", "320", "640", "1280"]
    );
    assert_eq!(heat.y_categories, ["80", "100"]);

    // sweep.csv read here independently: (rate, target) -> ratio.
    let mut r = csv::Reader::from_reader(csv_bytes.as_slice());
    let head = r.headers().unwrap().clone();
    let at = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (rate, target, ratio) = (
        at("workload.jobs.batch.arrival.poisson.per_hour"),
        at("arm.ec2-m5.capacity.managed_scaling.target_capacity"),
        at("ec2_fargate_cost_ratio"),
    );
    let mut expected = std::collections::BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let v: f64 = rec[ratio].parse().unwrap();
        let key = (rec[rate].to_string(), rec[target].to_string());
        assert_eq!(
            *expected.entry(key).or_insert(v),
            v,
            "one ratio per variant"
        );
    }
    assert_eq!(expected.len(), 18);
    let svg = std::fs::read_to_string(out.join("sweep_ratio.svg")).unwrap();
    let mut below = 0;
    for (j, y) in heat.y_categories.iter().enumerate() {
        for (k, x) in xs.iter().enumerate() {
            let want = expected[&(x.clone(), y.clone())];
            assert_eq!(heat.values[j][k], Some(want), "rate {x}, target {y}");
            assert!(
                svg.contains(&format!(">\n{want:.2}\n</text>")),
                "cell {want:.2} drawn"
            );
            below += usize::from(want < 1.0);
        }
    }
    // The sweep's question has an answer: both sides of break-even are on the map.
    assert!(below > 0 && below < 18, "{below} of 18 cells below 1");
}

#[test]
fn no_plots_leaves_the_sweep_plots_out_and_merge_draws_them() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::write(
        dir.path(),
        "base.toml",
        &std::fs::read_to_string(root().join("scenarios/quickstart.toml"))
            .unwrap()
            .replace("horizon = \"24h\"", "horizon = \"2h\""),
    );
    crate::common::write(
        dir.path(),
        "sweep.toml",
        "scenario = \"base.toml\"\nseeds = 1\n[parameters]\n\"seed\" = [1, 2]\n",
    );
    let run = |out: &str, extra: &[&str]| {
        sim()
            .arg("sweep")
            .arg(dir.path().join("sweep.toml"))
            .arg("--out")
            .arg(dir.path().join(out))
            .arg("--quiet")
            .args(extra)
            .assert()
            .success();
    };
    run("plain", &["--no-plots"]);
    assert!(dir.path().join("plain/sweep.csv").exists());
    for name in sim::report::SWEEP_PLOT_NAMES {
        assert!(
            !dir.path().join(format!("plain/{name}.svg")).exists(),
            "{name}"
        );
    }
    run("s0", &["--shard", "0/2"]);
    run("s1", &["--shard", "1/2"]);
    assert!(!dir.path().join("s0/sweep_cost.svg").exists());
    sim()
        .arg("merge")
        .arg(dir.path().join("s0"))
        .arg(dir.path().join("s1"))
        .arg("--out")
        .arg(dir.path().join("merged"))
        .assert()
        .success()
        .stdout(predicates::str::contains("sweep_cost.svg"));
    run("whole", &[]);
    for f in ["sweep_cost.svg", "sweep_frontier.png", "sweep_ratio.svg"] {
        assert_eq!(
            std::fs::read(dir.path().join("merged").join(f)).unwrap(),
            std::fs::read(dir.path().join("whole").join(f)).unwrap(),
            "{f}"
        );
    }
}
