//! Sweeps over whole lists (issue 13, part 4): a parameter sets a list of tables without names
//! (`placement_strategy`, `placement_constraints`, ...) whole, even where the base scenario
//! already has one; each variant is exactly the scenario with that list written in, and the
//! values read well in runs.csv, sweep.csv, the plots and report.html.

use std::path::Path;

use crate::common::{sim, write};

/// One EC2 arm with a placement strategy and a constraint of its own, and a Fargate arm.
const BASE: &str = r#"
name = "lists"
seed = 11
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
placement_strategy = [{ type = "binpack", field = "memory" }]
placement_constraints = [{ type = "memberOf", expression = "attribute:ecs.instance-type == m5.xlarge" }]

[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#;

const STRATEGIES: [&str; 3] = [
    r#"[{ type = "binpack", field = "memory" }]"#,
    r#"[{ type = "spread", field = "instanceId" }]"#,
    r#"[{ type = "random" }]"#,
];

const CONSTRAINTS: [&str; 2] = ["[]", r#"[{ type = "distinctInstance" }]"#];

fn sweep_file() -> String {
    format!(
        "scenario = \"base.toml\"\n[parameters]\n\"arm.ec2.placement_strategy\" = [{}]\n\"arm.ec2.placement_constraints\" = [{}]\n",
        STRATEGIES.join(", "),
        CONSTRAINTS.join(", ")
    )
}

fn records(path: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head = r.headers().unwrap().clone();
    let rows = r.records().map(Result::unwrap).collect();
    (head, rows)
}

#[test]
fn a_sweep_sets_whole_lists_of_unnamed_tables_and_each_variant_is_that_scenario() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    write(dir.path(), "sweep.toml", &sweep_file());
    let out = dir.path().join("out");
    sim()
        .arg("sweep")
        .arg(dir.path().join("sweep.toml"))
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();

    let (head, rows) = records(&out.join("runs.csv"));
    let at = |n: &str| head.iter().position(|h| h == n).unwrap();
    assert_eq!(rows.len(), 6 * 2, "6 variants × 1 seed × 2 arms");
    // The cells are the values as compact TOML, in grid order (the last parameter fastest).
    for (v, pair) in rows.chunks(2).enumerate() {
        for row in pair {
            assert_eq!(&row[at("arm.ec2.placement_strategy")], STRATEGIES[v / 2]);
            assert_eq!(
                &row[at("arm.ec2.placement_constraints")],
                CONSTRAINTS[v % 2]
            );
        }
    }

    // Every variant's EC2 row is `sim run` of the base with the two lists written in, at the
    // run's seed: the patch sets exactly the list given.
    let summary_from = at("arm");
    let mut ec2_rows = Vec::new();
    for (v, pair) in rows.chunks(2).enumerate() {
        let ec2 = &pair[0];
        let scenario = BASE
            .replace(
                r#"placement_strategy = [{ type = "binpack", field = "memory" }]"#,
                &format!("placement_strategy = {}", STRATEGIES[v / 2]),
            )
            .replace(
                r#"placement_constraints = [{ type = "memberOf", expression = "attribute:ecs.instance-type == m5.xlarge" }]"#,
                &format!("placement_constraints = {}", CONSTRAINTS[v % 2]),
            );
        let name = format!("variant{v}.toml");
        write(dir.path(), &name, &scenario);
        let run_out = dir.path().join(format!("run{v}"));
        sim()
            .arg("run")
            .arg(dir.path().join(&name))
            .arg("--out")
            .arg(&run_out)
            .arg("--seed")
            .arg(&ec2[at("seed")])
            .arg("--no-plots")
            .arg("--quiet")
            .assert()
            .success();
        let (_, summary) = records(&run_out.join("summary.csv"));
        let want: Vec<&str> = summary[0].iter().collect();
        let got: Vec<&str> = ec2.iter().skip(summary_from).collect();
        assert_eq!(got, want, "variant {v}");
        ec2_rows.push(got.join(","));
    }
    // The lists change the placements: the EC2 results are not all alike.
    let mut distinct = ec2_rows.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() >= 3, "{distinct:#?}");

    // sweep.csv keeps the cells; the plots and the page name the values readably.
    let (s_head, s_rows) = records(&out.join("sweep.csv"));
    let s_at = |n: &str| s_head.iter().position(|h| h == n).unwrap();
    assert_eq!(s_rows.len(), 12);
    assert_eq!(
        &s_rows[3][s_at("arm.ec2.placement_strategy")],
        STRATEGIES[0]
    );
    assert_eq!(
        &s_rows[3][s_at("arm.ec2.placement_constraints")],
        CONSTRAINTS[1]
    );
    let cost = std::fs::read_to_string(out.join("sweep_cost.svg")).unwrap();
    for label in [
        "type=binpack field=memory",
        "type=spread field=instanceId",
        "type=random",
        "type=distinctInstance",
    ] {
        assert!(cost.contains(label), "sweep_cost.svg names `{label}`");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("[{ type = &quot;spread&quot;, field = &quot;instanceId&quot; }]"),
        "report.html shows the value"
    );
}
