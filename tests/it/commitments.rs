//! `[[commitment]]` (docs/model.md §22): each commitment type against a hand computation, the
//! order AWS applies them in, RI size flexibility, usage.csv and commitments.csv.
//!
//! The world of every case: a 2-hour horizon; a service of 2 tasks of 1 vCPU / 2 GB that runs
//! the whole time. The EC2 arm is a fixed fleet of 2 m5.large ($0.096/h, launched at 0 and
//! billed to the horizon): 2 instance-hours per clock hour, $0.192/h on demand. The Fargate arm
//! places both tasks at 0 (billing starts at placement): per hour 2 vCPU-hours × $0.04048 +
//! 4 GB-hours × $0.004445 = $0.08096 + $0.01778 = $0.09874 on demand.

use sim::sim::ArmOutcome;

use crate::common::{load, run_checked};

const WORLD: &str = r#"
name = "commit"
horizon = "2h"
[[workload.services]]
name = "web"
cpu = 1024
memory = 2048
desired = 2

[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
capacity = { fixed = 2 }

[[arm]]
name = "fargate"
launch_type = "FARGATE"
"#;

/// Run the world with `commitments` (TOML) appended; the EC2 and Fargate arms' outcomes.
fn run(commitments: &str) -> (ArmOutcome, ArmOutcome) {
    let dir = tempfile::tempdir().unwrap();
    let s = load(dir.path(), &format!("{WORLD}\n{commitments}"));
    let out = run_checked(&s, s.seed);
    let mut arms = out.arms.into_iter();
    (arms.next().unwrap(), arms.next().unwrap())
}

/// `got` is `want` (far below a cent).
fn usd(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-6, "{what}: {got} vs {want}");
}

#[test]
fn the_world_bills_what_the_hand_computation_says() {
    let (e, f) = run("");
    usd(e.summary.cost_usd, 0.384, "EC2 2 × 2 h × 0.096");
    usd(f.summary.cost_usd, 0.19748, "Fargate 2 h × 0.09874");
    assert!(e.commitments.is_none());
    assert_eq!(e.summary.cost_effective_usd, e.summary.cost_usd);
    assert_eq!(e.summary.commitment_utilisation, None);
}

#[test]
fn a_compute_savings_plan_below_at_and_above_usage() {
    // SP rates: m5.large $0.0672 (30 % off), Fargate $0.03 per vCPU-hour (25.9 % off) and
    // $0.003 per GB-hour (32.5 % off). Each arm gets the commitment in full.
    let sp = |usd: f64| {
        format!(
            "[[commitment]]\ntype = \"compute_savings_plan\"\nusd_per_hour = {usd}\nrates = {{ \"m5.large\" = 0.0672 }}\nfargate_rates = {{ vcpu_hour = 0.03, gb_hour = 0.003 }}\n"
        )
    };
    // Below, $0.0672/h. EC2: covers 1 of the 2 instance-hours each hour: 0.192 − 0.096 +
    // 0.0672 = 0.1632/h, × 2 h = 0.3264; utilisation 1, coverage 0.096 ÷ 0.192 = 0.5.
    // Fargate: GB first (higher savings): 4 × 0.003 = 0.012 covers all GB (on demand 0.01778);
    // 0.0552 left covers 0.0552 ÷ 0.03 = 1.84 vCPU-h (on demand 1.84 × 0.04048 = 0.0744832):
    // 0.09874 − 0.0922632 + 0.0672 = 0.0736768/h, × 2 = 0.1473536.
    let (e, f) = run(&sp(0.0672));
    usd(e.summary.cost_effective_usd, 0.3264, "EC2 below");
    usd(e.summary.commitment_fee_usd, 0.1344, "EC2 fee 2 × 0.0672");
    usd(
        e.summary.commitment_utilisation.unwrap(),
        1.0,
        "EC2 below util",
    );
    usd(
        e.summary.commitment_coverage.unwrap(),
        0.5,
        "EC2 below coverage",
    );
    usd(f.summary.cost_effective_usd, 0.1473536, "Fargate below");
    usd(
        f.summary.commitment_coverage.unwrap(),
        0.0922632 / 0.09874,
        "Fargate below coverage",
    );
    // At: EC2 $0.1344/h covers both instances (2 × 0.0672): 0.1344 × 2 = 0.2688, utilisation
    // 1, coverage 1. Fargate at its own usage, $0.072/h (0.012 + 2 × 0.03): 0.144.
    let (e, _) = run(&sp(0.1344));
    usd(e.summary.cost_effective_usd, 0.2688, "EC2 at");
    usd(
        e.summary.commitment_coverage.unwrap(),
        1.0,
        "EC2 at coverage",
    );
    let (_, f) = run(&sp(0.072));
    usd(f.summary.cost_effective_usd, 0.144, "Fargate at");
    usd(
        f.summary.commitment_utilisation.unwrap(),
        1.0,
        "Fargate at util",
    );
    // Above, $0.2/h: everything covered, the fee paid in full. EC2 0.2 × 2 = 0.4 (more than
    // on demand, 0.384), utilisation 0.1344 ÷ 0.2 = 0.672; Fargate 0.4, utilisation 0.072 ÷
    // 0.2 = 0.36.
    let (e, f) = run(&sp(0.2));
    usd(e.summary.cost_effective_usd, 0.4, "EC2 above");
    usd(
        e.summary.commitment_utilisation.unwrap(),
        0.672,
        "EC2 above util",
    );
    usd(f.summary.cost_effective_usd, 0.4, "Fargate above");
    usd(
        f.summary.commitment_utilisation.unwrap(),
        0.36,
        "Fargate above util",
    );
}

#[test]
fn an_ec2_instance_savings_plan_below_at_and_above_usage() {
    // m5 family at $0.06 per m5.large-hour (37.5 % off). It does not cover Fargate: the
    // Fargate arm pays the fee on top of its on-demand bill.
    let isp = |usd: f64| {
        format!(
            "[[commitment]]\ntype = \"ec2_instance_savings_plan\"\nfamily = \"m5\"\nusd_per_hour = {usd}\nrates = {{ \"m5.large\" = 0.06 }}\n"
        )
    };
    // Below, $0.06/h: 1 instance-hour covered per hour: (0.192 − 0.096 + 0.06) × 2 = 0.312.
    // Fargate: 0.19748 + 2 × 0.06 = 0.31748, utilisation 0, coverage 0.
    let (e, f) = run(&isp(0.06));
    usd(e.summary.cost_effective_usd, 0.312, "EC2 below");
    usd(
        f.summary.cost_effective_usd,
        0.31748,
        "Fargate pays the fee",
    );
    usd(
        f.summary.commitment_utilisation.unwrap(),
        0.0,
        "Fargate util",
    );
    usd(
        f.summary.commitment_coverage.unwrap(),
        0.0,
        "Fargate coverage",
    );
    // At, $0.12/h: both covered: 0.12 × 2 = 0.24.
    let (e, _) = run(&isp(0.12));
    usd(e.summary.cost_effective_usd, 0.24, "EC2 at");
    usd(
        e.summary.commitment_utilisation.unwrap(),
        1.0,
        "EC2 at util",
    );
    // Above, $0.15/h: 0.15 × 2 = 0.30, utilisation 0.12 ÷ 0.15 = 0.8.
    let (e, _) = run(&isp(0.15));
    usd(e.summary.cost_effective_usd, 0.30, "EC2 above");
    usd(
        e.summary.commitment_utilisation.unwrap(),
        0.8,
        "EC2 above util",
    );
}

#[test]
fn reserved_instances_below_at_and_above_usage() {
    // m5.large RIs, 1-year partial upfront: $0.04/h + $175.20 upfront ÷ 8760 h = $0.02/h:
    // $0.06 per RI-hour.
    let ri = |count: u32| {
        format!(
            "[[commitment]]\ntype = \"reserved_instances\"\ninstance_type = \"m5.large\"\ncount = {count}\npayment = \"partial_upfront\"\nhourly = 0.04\nupfront = 175.2\n"
        )
    };
    // Below, 1 RI: (0.192 − 0.096 + 0.06) × 2 = 0.312. Fargate pays 0.19748 + 0.12 = 0.31748.
    let (e, f) = run(&ri(1));
    usd(e.summary.cost_effective_usd, 0.312, "EC2 below");
    usd(
        e.summary.commitment_coverage.unwrap(),
        0.5,
        "EC2 below coverage",
    );
    usd(f.summary.cost_effective_usd, 0.31748, "Fargate pays the RI");
    // At, 2 RIs: 0.12 × 2 = 0.24.
    let (e, _) = run(&ri(2));
    usd(e.summary.cost_effective_usd, 0.24, "EC2 at");
    usd(
        e.summary.commitment_utilisation.unwrap(),
        1.0,
        "EC2 at util",
    );
    // Above, 3 RIs: 0.18 × 2 = 0.36, utilisation 2 ÷ 3.
    let (e, _) = run(&ri(3));
    usd(e.summary.cost_effective_usd, 0.36, "EC2 above");
    usd(
        e.summary.commitment_utilisation.unwrap(),
        2.0 / 3.0,
        "EC2 above util",
    );
}

#[test]
fn one_m5_xlarge_ri_covers_two_m5_large_by_size_flexibility() {
    // m5.xlarge has normalization factor 8, m5.large 4 (data/ri_normalization_factors.csv):
    // one xlarge RI at $0.12/h covers both larges every hour: 0.12 × 2 = 0.24, coverage 1.
    let (e, _) = run(
        "[[commitment]]\ntype = \"reserved_instances\"\ninstance_type = \"m5.xlarge\"\nhourly = 0.12\narms = [\"ec2\"]\n",
    );
    usd(e.summary.cost_effective_usd, 0.24, "EC2");
    usd(e.summary.commitment_coverage.unwrap(), 1.0, "coverage");
    usd(
        e.summary.commitment_utilisation.unwrap(),
        1.0,
        "utilisation",
    );
}

#[test]
fn awss_order_changes_the_answer() {
    // (1) Across plans: an EC2 fleet of 1 m5.large ($0.096) and 1 c5.large ($0.085), $0.181/h.
    // An m5 EC2 Instance SP of $0.06/h (rate 0.06) and a Compute SP of $0.0576/h (m5.large
    // 0.0576, 40 % off; c5.large 0.068, 20 % off), the Compute SP listed first.
    // AWS's order (EC2 Instance SP first): the ISP covers the m5.large hour; the Compute SP
    // then covers 0.0576 ÷ 0.068 = 0.847059 h of c5.large, worth 0.072 on demand. Per hour
    // 0.181 − (0.096 + 0.072) + 0.1176 = 0.1306; × 2 h = 0.2612.
    // Compute SP first (scenario order) would take m5.large (the higher savings) and leave
    // the ISP nothing: 0.181 − 0.096 + 0.1176 = 0.2026/h, 0.4052 in all.
    let dir = tempfile::tempdir().unwrap();
    let text = r#"
horizon = "2h"
[[workload.services]]
name = "web"
cpu = 1024
memory = 2048
desired = 2

[[arm]]
name = "mixed"
launch_type = "EC2"
capacity_provider_strategy = [{ provider = "m5", weight = 1 }, { provider = "c5", weight = 1 }]

[[arm.capacity_providers]]
name = "m5"
instance_types = ["m5.large"]
capacity = { fixed = 1 }

[[arm.capacity_providers]]
name = "c5"
instance_types = ["c5.large"]
capacity = { fixed = 1 }

[[arm]]
name = "fargate"
launch_type = "FARGATE"

[[commitment]]
name = "compute"
type = "compute_savings_plan"
usd_per_hour = 0.0576
rates = { "m5.large" = 0.0576, "c5.large" = 0.068 }
fargate_rates = { vcpu_hour = 0.03, gb_hour = 0.003 }
arms = ["mixed"]

[[commitment]]
name = "isp"
type = "ec2_instance_savings_plan"
family = "m5"
usd_per_hour = 0.06
rates = { "m5.large" = 0.06 }
arms = ["mixed"]

[[commitment]]
name = "fargate-sp"
type = "compute_savings_plan"
usd_per_hour = 0.03
fargate_rates = { vcpu_hour = 0.03, gb_hour = 0.003 }
arms = ["fargate"]
"#;
    let s = load(dir.path(), text);
    let out = run_checked(&s, s.seed);
    let (e, f) = (&out.arms[0], &out.arms[1]);
    usd(e.summary.cost_usd, 0.362, "on demand 0.181 × 2");
    usd(e.summary.cost_effective_usd, 0.2612, "AWS's order");
    assert!((e.summary.cost_effective_usd - 0.4052).abs() > 0.1);
    // (2) Within a plan: $0.03/h on the Fargate arm. Highest savings first: GB (32.5 % off)
    // takes 4 × 0.003 = 0.012 (on demand 0.01778); 0.018 left covers 0.6 vCPU-h (on demand
    // 0.6 × 0.04048 = 0.024288): covered 0.042068/h, effective (0.09874 − 0.042068 + 0.03) × 2
    // = 0.173344. vCPU first would cover 1 vCPU-h (0.04048): (0.09874 − 0.04048 + 0.03) × 2 =
    // 0.17652, 0.3 cents more.
    usd(
        f.summary.cost_effective_usd,
        0.173344,
        "highest savings first",
    );
    assert!((f.summary.cost_effective_usd - 0.17652).abs() > 0.003);
}

#[test]
fn usage_and_commitments_csv_have_the_documented_rows() {
    let dir = tempfile::tempdir().unwrap();
    let s = load(
        dir.path(),
        &format!(
            "{WORLD}\n[[commitment]]\nname = \"sp\"\ntype = \"compute_savings_plan\"\nusd_per_hour = 0.1\ndiscount_percent = 30\n"
        ),
    );
    let out = run_checked(&s, s.seed);
    let usage = String::from_utf8(sim::report::usage_csv(&out).unwrap()).unwrap();
    assert_eq!(
        usage,
        "arm,hour,usage,quantity,unit,on_demand_usd\n\
         ec2,0,ec2:m5.large:linux,2.000000000,hours,0.192000\n\
         ec2,1,ec2:m5.large:linux,2.000000000,hours,0.192000\n\
         fargate,0,fargate:linux_x86:gb,4.000000000,gb-hours,0.017780\n\
         fargate,0,fargate:linux_x86:vcpu,2.000000000,vcpu-hours,0.080960\n\
         fargate,1,fargate:linux_x86:gb,4.000000000,gb-hours,0.017780\n\
         fargate,1,fargate:linux_x86:vcpu,2.000000000,vcpu-hours,0.080960\n"
    );
    // 30 % off: EC2 needs 0.192 × 0.7 = 0.1344 > 0.1: all $0.1 used, covering 0.1 ÷ 0.7 =
    // 0.142857 on demand. Fargate needs 0.09874 × 0.7 = 0.069118: covered all, utilisation
    // 0.69118.
    let c = String::from_utf8(sim::report::commitments_csv(&out).unwrap()).unwrap();
    let lines: Vec<&str> = c.lines().collect();
    assert_eq!(
        lines[0],
        "arm,hour,commitment,type,fee_usd,used_usd,covered_on_demand_usd,utilisation"
    );
    assert_eq!(
        lines[1],
        "ec2,0,sp,compute_savings_plan,0.100000,0.100000,0.142857,1.000000"
    );
    assert_eq!(
        lines[3],
        "fargate,0,sp,compute_savings_plan,0.100000,0.069118,0.098740,0.691180"
    );
    assert_eq!(lines.len(), 5);
}

#[test]
fn a_savings_plan_without_a_rate_for_eligible_usage_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = crate::common::write(
        dir.path(),
        "s.toml",
        &format!(
            "{WORLD}\n[[commitment]]\ntype = \"compute_savings_plan\"\nusd_per_hour = 1\nrates = {{ \"m5.large\" = 0.06 }}\n"
        ),
    );
    let e = sim::scenario::load(&p).unwrap_err().to_string();
    assert!(e.contains("fargate:linux_x86:vcpu"), "{e}");
    assert!(e.contains("fargate_rates"), "{e}");
    assert!(e.contains("s.toml:"), "{e}");
    // A key of the other kind, and an unknown key, are refused too.
    let p = crate::common::write(
        dir.path(),
        "t.toml",
        &format!(
            "{WORLD}\n[[commitment]]\ntype = \"reserved_instances\"\ninstance_type = \"m5.large\"\nhourly = 0.06\nusd_per_hour = 1\n"
        ),
    );
    let e = sim::scenario::load(&p).unwrap_err().to_string();
    assert!(e.contains("`usd_per_hour`"), "{e}");
    let p = crate::common::write(
        dir.path(),
        "u.toml",
        &format!(
            "{WORLD}\n[[commitment]]\ntype = \"reserved_instances\"\ninstance_type = \"m5.large\"\nhourly = 0.06\nfamly = \"m5\"\n"
        ),
    );
    assert!(sim::scenario::load(&p).is_err());
}

#[test]
fn sim_run_writes_commitments_files_and_sim_report_redraws_their_plot() {
    // From the command line: commitments.csv, usage.csv and the commitments plot are written,
    // each commitments.csv column is on docs/outputs.md's page, the verdict compares effective
    // costs, and `sim report` redraws commitments.png byte for byte.
    let dir = tempfile::tempdir().unwrap();
    let p = crate::common::write(
        dir.path(),
        "s.toml",
        &format!(
            "{WORLD}\n[[commitment]]\ntype = \"reserved_instances\"\ninstance_type = \"m5.xlarge\"\nhourly = 0.12\narms = [\"ec2\"]\n"
        ),
    );
    let out = dir.path().join("out");
    let assert = crate::common::sim()
        .args([
            "run",
            p.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    // EC2 effective 0.24 against Fargate's 0.19748: Fargate is cheaper by 0.04252.
    assert!(stdout.contains("cheapest: fargate ($0.20)"), "{stdout}");
    for f in [
        "usage.csv",
        "commitments.csv",
        "commitments.png",
        "commitments.svg",
    ] {
        assert!(out.join(f).is_file(), "no {f}");
    }
    let page = std::fs::read_to_string(crate::common::root().join("docs/outputs.md")).unwrap();
    let section = &page[page.find("\n## commitments.csv\n").expect("the section")..];
    let header = std::fs::read_to_string(out.join("commitments.csv")).unwrap();
    for col in header.lines().next().unwrap().split(',') {
        assert!(
            section.contains(&format!("`{col}`")),
            "{col} is not documented"
        );
    }
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let ec2 = summary.lines().nth(1).unwrap();
    assert!(
        ec2.ends_with(",0.240000,0.240000,1.000000,1.000000"),
        "{ec2}"
    );
    let fargate = summary.lines().nth(2).unwrap();
    assert!(fargate.ends_with(",0.197480,0.000000,,"), "{fargate}");
    let png = std::fs::read(out.join("commitments.png")).unwrap();
    std::fs::remove_file(out.join("commitments.png")).unwrap();
    crate::common::sim()
        .arg("report")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(std::fs::read(out.join("commitments.png")).unwrap(), png);
}

#[test]
fn the_shipped_commitments_scenario_is_checked() {
    // scenarios/commitments.toml with every accounting check (also in runs.rs' list).
    let s = sim::scenario::load(&crate::common::scenario("commitments.toml")).unwrap();
    let out = run_checked(&s, s.seed);
    for a in &out.arms {
        assert!(a.summary.tasks_completed > 0, "{}", a.arm);
        assert!(a.commitments.is_some(), "{}", a.arm);
    }
}

/// The world priced from tests/fixtures/prices/eu-west-1.toml (m5.large $0.107; Fargate x86
/// $0.04456 per vCPU-hour and $0.004865 per GB-hour), with `pricing` added to `[pricing]`.
fn run_listed(pricing: &str, commitments: &str) -> (ArmOutcome, ArmOutcome) {
    let list = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/prices/eu-west-1.toml");
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{WORLD}\n[pricing]\nprice_list = {:?}\n{pricing}\n{commitments}",
        list.display().to_string()
    );
    let s = load(dir.path(), &text);
    let out = run_checked(&s, s.seed);
    let mut arms = out.arms.into_iter();
    (arms.next().unwrap(), arms.next().unwrap())
}

#[test]
fn savings_plan_and_ri_rates_come_from_the_price_list_and_take_the_discount() {
    // A Compute SP of $0.10/h with no rates of its own: the list's 1yr_no_upfront rates,
    // m5.large $0.0716, Fargate $0.03565 per vCPU-hour and $0.003892 per GB-hour.
    let sp = "[[commitment]]\ntype = \"compute_savings_plan\"\nusd_per_hour = 0.1\n";
    let (e, f) = run_listed("", sp);
    // EC2, per hour: $0.10 covers 0.1 ÷ 0.0716 = 1.396648 of the 2 instance-hours; the other
    // 0.603352 pay $0.107: 0.1 + 0.603352 × 0.107 = 0.1645587; × 2 h = 0.3291173.
    let ec2 = 2.0 * (0.1 + (2.0 - 0.1 / 0.0716) * 0.107);
    usd(
        e.summary.cost_effective_usd,
        ec2,
        "EC2 with the list's SP rate",
    );
    usd(e.summary.cost_usd, 2.0 * 2.0 * 0.107, "EC2 list price");
    // Fargate, per hour: 4 GB-hours × 0.003892 = 0.015568 and 2 vCPU-hours × 0.03565 = 0.0713,
    // 0.086868 in all, under the $0.10: everything covered, the fee is the cost: 0.2.
    usd(
        f.summary.cost_effective_usd,
        0.2,
        "Fargate with the list's SP rates",
    );
    usd(
        f.summary.commitment_utilisation.unwrap(),
        0.086868 / 0.1,
        "Fargate utilisation",
    );
    // With a 10% negotiated discount every charge, fees and SP rates included, is 0.9 ×.
    let (e, f) = run_listed("discount_percent = 10", sp);
    usd(e.summary.cost_effective_usd, 0.9 * ec2, "EC2 discounted");
    usd(
        f.summary.cost_effective_usd,
        0.9 * 0.2,
        "Fargate discounted",
    );
    // Two m5.large RIs, 1-year standard partial upfront, priced by the list: $0.031/h +
    // $271 ÷ 8760 h = $0.0619361 per RI-hour; they cover the fleet: 2 × 2 h × 0.0619361.
    let ri = "[[commitment]]\ntype = \"reserved_instances\"\ninstance_type = \"m5.large\"\ncount = 2\npayment = \"partial_upfront\"\n";
    let (e, f) = run_listed("", ri);
    let ri_hour = 0.031 + 271.0 / 8760.0;
    usd(
        e.summary.cost_effective_usd,
        4.0 * ri_hour,
        "EC2 on the list's RI",
    );
    // The Fargate arm runs no m5.large but pays the RIs: 2 h × (2 × 0.04456 + 4 × 0.004865)
    // = 0.21716, plus the fees.
    usd(
        f.summary.cost_effective_usd,
        0.21716 + 4.0 * ri_hour,
        "Fargate pays the RIs",
    );
    // A term the list has no rate for is refused, naming the table to add.
    let dir = tempfile::tempdir().unwrap();
    let list = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/prices/eu-west-1.toml");
    let text = format!(
        "{WORLD}\n[pricing]\nprice_list = {:?}\n{}",
        list.display().to_string(),
        ri.replace("partial_upfront", "all_upfront")
    );
    let p = crate::common::write(dir.path(), "s.toml", &text);
    let err = sim::scenario::load(&p).unwrap_err().to_string();
    assert!(
        err.contains("reserved_instances.\"1yr_standard_all_upfront\".linux.\"m5.large\""),
        "{err}"
    );
}

/// `sim commitment DIR`: the cost-minimising Savings Plan commitment from the world's
/// usage.csv. At 40% off, an m5.large instance-hour costs $0.0576 on the plan and the fleet's
/// usage is the same every hour (2 instance-hours), so the best commitment covers it all:
/// 2 × 0.0576 = $0.1152/h, total 2 h × 0.1152 = 0.2304 against 0.384 on demand, saving 0.1536.
/// Fargate: 0.6 × 0.09874 = $0.059244/h, total 0.118488, saving 0.19748 − 0.118488 = 0.078992.
#[test]
fn sim_commitment_finds_the_cheapest_commitment_from_usage_csv() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = crate::common::write(dir.path(), "s.toml", WORLD);
    let out = dir.path().join("out");
    let o = crate::common::sim()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .arg("--no-plots")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = crate::common::sim()
        .arg("commitment")
        .arg(&out)
        .args(["--discount-percent", "40"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout.contains("wrote commitment.csv, commitment.svg, commitment.png"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out.join("commitment.csv")).unwrap();
    let best = |arm: &str, plan: &str| {
        csv.lines()
            .filter(|l| l.starts_with(&format!("{arm},{plan},")))
            .map(|l| {
                let c: Vec<f64> = l.split(',').skip(3).map(|x| x.parse().unwrap()).collect();
                (c[0], c[1], c[2])
            })
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .unwrap_or_else(|| panic!("{arm} {plan} in {csv}"))
    };
    let (c, total, saving) = best("ec2", "compute_savings_plan");
    usd(c, 0.1152, "EC2 best commitment");
    usd(total, 0.2304, "EC2 total");
    usd(saving, 0.1536, "EC2 saving");
    // The EC2 Instance SP of family m5 finds the same.
    usd(best("ec2", "ec2_instance_savings_plan").0, 0.1152, "m5 ISP");
    let (c, total, saving) = best("fargate", "compute_savings_plan");
    usd(c, 0.059244, "Fargate best commitment");
    usd(total, 0.118488, "Fargate total");
    usd(saving, 0.078992, "Fargate saving");
    assert!(
        !csv.contains("fargate,ec2_instance_savings_plan"),
        "ISPs do not cover Fargate"
    );
    assert!(out.join("commitment.png").is_file());
    // Without any source of rates: exit 2, naming the keys to give.
    let o = crate::common::sim()
        .arg("commitment")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no compute_savings_plan rate for `ec2:m5.large:linux`"),
        "{err}"
    );
    assert!(err.contains("--discount-percent"), "{err}");
    // Not a run's folder: exit 2.
    let o = crate::common::sim()
        .arg("commitment")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("usage.csv"));
}
