//! Prices by region, price lists and discounts (docs/model.md §21): the built-in regional
//! Fargate rates, a price list (`[pricing] price_list`) on top, the scenario's keys on top of
//! both, `discount_percent`, run.json's `prices` and `sim catalog prices`.

use std::path::Path;

use serde_json::Value;

use crate::common::{first_arm, load, root, run_checked, sim, write};

/// Three tasks of 1 vCPU / 2 GB (a valid Fargate size), one hour each, started at once.
const JOB: &str = "[[workload.jobs]]\nname = \"j\"\narrival = { fixed_interval = \"1m\" }\nmax_tasks = 3\nduration = \"1h\"\ncpu = 1024\nmemory = 2048\n";
const FARGATE: &str =
    "[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\ntask_start_latency = \"0s\"\n";
const EC2: &str = "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\ninstance_launch_latency = \"0s\"\ntask_start_latency = \"0s\"\n";

/// The fixture price list, copied beside the scenario as `prices.toml`.
fn with_list(dir: &Path) {
    let text = std::fs::read_to_string(root().join("tests/fixtures/prices/eu-west-1.toml"))
        .expect("the fixture price list");
    write(dir, "prices.toml", &text);
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn eu_central_1_runs_on_built_in_fargate_rates() {
    // fargate_prices.csv, eu-central-1 linux_x86: $0.04656 per vCPU-hour, $0.00511 per GB-hour
    // (not UNCERTAIN). 3 tasks × 1 h × (1 vCPU × 0.04656 + 2 GB × 0.00511) = 3 × 0.05678 =
    // $0.17034.
    let text = format!("[pricing]\nregion = \"eu-central-1\"\n{JOB}{FARGATE}");
    let dir = tempfile::tempdir().expect("temporary folder");
    let s = load(dir.path(), &text);
    assert!(
        !s.warnings.iter().any(|w| w.contains("UNCERTAIN")),
        "{:?}",
        s.warnings
    );
    let a = first_arm(&text);
    assert!(
        close(a.summary.cost_usd, 3.0 * (0.04656 + 2.0 * 0.00511)),
        "{}",
        a.summary.cost_usd
    );
    assert!(close(a.summary.cost_usd, 0.17034));
    // EC2 has no built-in eu-central-1 prices (docs/reference/pricing.md §2.1): refused, naming
    // the key to add.
    let p = write(
        dir.path(),
        "e.toml",
        &format!("[pricing]\nregion = \"eu-central-1\"\n{JOB}{EC2}"),
    );
    let e = sim::scenario::load(&p).unwrap_err().to_string();
    assert!(
        e.contains("no built-in or price-list price in `eu-central-1`")
            && e.contains("missing `pricing.ec2.\"m5.large\"`"),
        "{e}"
    );
}

#[test]
fn an_uncertain_built_in_row_is_warned_about() {
    // eu-west-1's built-in row is from 2021 only: "UNCERTAIN (old)".
    let dir = tempfile::tempdir().expect("temporary folder");
    let s = load(
        dir.path(),
        &format!("[pricing]\nregion = \"eu-west-1\"\n{JOB}{FARGATE}"),
    );
    assert!(
        s.warnings.iter().any(|w| w.starts_with(
            "arm `fargate` uses UNCERTAIN built-in rates for eu-west-1 (docs/reference/pricing.md §1.1)"
        ) && w.contains("UNCERTAIN (old): GitHub theuves/fgcalc")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn an_eu_west_1_scenario_runs_from_a_price_list() {
    let dir = tempfile::tempdir().expect("temporary folder");
    with_list(dir.path());
    let win = "[[arm]]\nname = \"win\"\nlaunch_type = \"EC2\"\nos = \"windows\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n";
    let text =
        format!("horizon = \"2h\"\n[pricing]\nprice_list = \"prices.toml\"\n{JOB}{FARGATE}{EC2}");
    let s = load(dir.path(), &text);
    assert_eq!(s.pricing.region, "eu-west-1");
    // The list replaces the UNCERTAIN built-in row: no warning.
    assert!(
        !s.warnings.iter().any(|w| w.contains("UNCERTAIN built-in")),
        "{:?}",
        s.warnings
    );
    // The commitments code reads the list's Savings Plan and RI rates from the pricing.
    assert_eq!(
        s.pricing.savings_plans["compute_savings_plan"]["1yr_no_upfront"].ec2
            [&sim::model::Os::Linux]["m5.large"],
        0.0716
    );
    assert_eq!(
        s.pricing.reserved_instances["1yr_standard_partial_upfront"][&sim::model::Os::Linux]
            ["m5.large"]
            .upfront,
        271.0
    );
    let out = run_checked(&s, 1);
    // Fargate: 3 × 1 h × (0.04456 + 2 × 0.004865) = 3 × 0.05429 = $0.16287.
    assert!(
        close(out.arms[0].summary.cost_usd, 0.16287),
        "{}",
        out.arms[0].summary.cost_usd
    );
    // EC2: one m5.large for the 2 h horizon at the list's $0.107: $0.214.
    assert!(
        close(out.arms[1].summary.cost_usd, 2.0 * 0.107),
        "{}",
        out.arms[1].summary.cost_usd
    );
    // A Windows EC2 arm takes the list's [ec2.windows] price: the list's $0.199.
    let wjob = JOB.replace("memory = 2048\n", "memory = 2048\nos = \"windows\"\n");
    let s = load(
        dir.path(),
        &format!("horizon = \"1h\"\n[pricing]\nprice_list = \"prices.toml\"\n{wjob}{win}"),
    );
    let crate_arm = &s.arms[0];
    let sim::scenario::ArmKind::Ec2(e) = &crate_arm.kind else {
        panic!("an EC2 arm")
    };
    assert_eq!(e.providers[0].instance_types[0].price_per_hour, 0.199);
    // A scenario key still beats the list.
    let s = load(
        dir.path(),
        &format!(
            "[pricing]\nprice_list = \"prices.toml\"\nfargate_vcpu_hour = 0.05\n{JOB}{FARGATE}"
        ),
    );
    assert_eq!(s.pricing.fargate_x86.vcpu_hour, 0.05);
    assert_eq!(s.pricing.fargate_x86.gb_hour, 0.004865);
    assert_eq!(
        s.pricing.origins["fargate linux_x86 vcpu_hour"].origin,
        "scenario [pricing] fargate_vcpu_hour"
    );
}

#[test]
fn run_json_records_every_price_used_with_its_origin() {
    let dir = tempfile::tempdir().expect("temporary folder");
    with_list(dir.path());
    let p = write(
        dir.path(),
        "s.toml",
        &format!(
            "horizon = \"1h\"\n[pricing]\nprice_list = \"prices.toml\"\ndiscount_percent = 10\n{JOB}{FARGATE}{EC2}"
        ),
    );
    let out = dir.path().join("out");
    sim()
        .args(["run", "--quiet", "--out"])
        .arg(&out)
        .arg(&p)
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).expect("run.json"))
        .expect("JSON");
    assert!(close(v["discount_factor"].as_f64().unwrap(), 0.9));
    let prices = v["prices"].as_array().expect("a prices array");
    let items: Vec<&str> = prices.iter().map(|p| p["item"].as_str().unwrap()).collect();
    assert_eq!(
        items,
        [
            "fargate linux_x86 vcpu_hour",
            "fargate linux_x86 gb_hour",
            "ec2 linux m5.large"
        ]
    );
    let ecs =
        "price list prices.toml (AmazonECS version 20250912225308, published 2025-09-12T22:53:08Z)";
    assert_eq!(prices[0]["origin"], ecs);
    assert_eq!(prices[0]["unit"], "vCPU-hour");
    assert_eq!(prices[0]["uncertain"], false);
    // The list price and the price charged: 0.04456 × 0.9 = 0.040104.
    assert!(close(prices[0]["list_usd"].as_f64().unwrap(), 0.04456));
    assert!(close(prices[0]["usd"].as_f64().unwrap(), 0.040104));
    assert_eq!(
        prices[2]["origin"],
        "price list prices.toml (AmazonEC2 version 20250910181203, published 2025-09-10T18:12:03Z)"
    );
    assert!(close(prices[2]["usd"].as_f64().unwrap(), 0.107 * 0.9));
    // report.html lists them too.
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(
        html.contains("<h3>Prices used</h3>") && html.contains(ecs),
        "report.html lacks the prices"
    );
    // The built-in us-east-1 origin names the reference section and the source column.
    let text = format!("[pricing]\nregion = \"us-east-1\"\n{JOB}{FARGATE}");
    let s = load(dir.path(), &text);
    let u = sim::report::run_json::prices_used(&s, &[0]);
    assert!(
        u[0].origin
            .starts_with("built-in (docs/reference/pricing.md §1.1; AWS Price List GetProducts"),
        "{}",
        u[0].origin
    );
}

#[test]
fn a_discount_multiplies_every_charge() {
    // 10% off: Fargate 3 × 1 h × (0.04048 + 2 × 0.004445) × 0.9 = 3 × 0.04937 × 0.9 =
    // $0.133299; one m5.large for the 2 h horizon: 2 × 0.096 × 0.9 = $0.1728; a public IPv4
    // address on the EC2 instance for 2 h: 2 × 0.005 × 0.9 = $0.009.
    let text = format!(
        "horizon = \"2h\"\n[pricing]\ndiscount_percent = 10\n{JOB}{FARGATE}{}",
        EC2.replace("capacity", "assign_public_ip = true\ncapacity")
    );
    let dir = tempfile::tempdir().expect("temporary folder");
    let s = load(dir.path(), &text);
    assert!(close(s.pricing.discount_factor, 0.9));
    let out = run_checked(&s, 1);
    assert!(
        close(out.arms[0].summary.cost_usd, 0.133299),
        "{}",
        out.arms[0].summary.cost_usd
    );
    let ec2 = &out.arms[1].summary;
    assert!(
        close(ec2.cost_usd, 0.1728 + 0.009),
        "{} (ipv4 {})",
        ec2.cost_usd,
        ec2.cost_public_ipv4_usd
    );
    // Out of range: refused.
    let p = write(
        dir.path(),
        "bad.toml",
        &format!("[pricing]\ndiscount_percent = 100\n{JOB}{FARGATE}"),
    );
    let e = sim::scenario::load(&p).unwrap_err().to_string();
    assert!(
        e.contains("bad.toml:2:20: `pricing.discount_percent`: found 100; expected the negotiated discount off every charge, in percent, 0 <= x < 100"),
        "{e}"
    );
}

#[test]
fn a_bad_or_mismatched_price_list_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    with_list(dir.path());
    let refused = |pricing: &str| -> String {
        let p = write(
            dir.path(),
            "s.toml",
            &format!("[pricing]\n{pricing}\n{JOB}{FARGATE}"),
        );
        sim::scenario::load(&p).unwrap_err().to_string()
    };
    let e = refused("region = \"us-east-1\"\nprice_list = \"prices.toml\"");
    assert!(
        e.contains("s.toml:2:10: `pricing.region`: found `us-east-1`, but the price list `prices.toml` is for `eu-west-1`"),
        "{e}"
    );
    let e = refused("price_list = \"nowhere.toml\"");
    assert!(
        e.contains("s.toml:2:14: `pricing.price_list`: cannot read") && e.contains("nowhere.toml"),
        "{e}"
    );
    write(
        dir.path(),
        "typo.toml",
        "format = 1\nregion = \"eu-west-1\"\n[fargate.linux_x86]\nvcpu_hour = 0.04\ngb_hour = 0.004\nspot = 0.7\n",
    );
    let e = refused("price_list = \"typo.toml\"");
    assert!(
        e.contains("typo.toml:6:1:") && e.contains("unknown field `spot`"),
        "{e}"
    );
    // Exit status 2 through the binary.
    let p = write(
        dir.path(),
        "s.toml",
        &format!("[pricing]\nprice_list = \"typo.toml\"\n{JOB}{FARGATE}"),
    );
    sim().args(["validate"]).arg(&p).assert().code(2);
}

#[test]
fn catalog_prices_shows_origins_and_uncertain_marks() {
    let stdout = |args: &[&str]| -> String {
        let out = sim().args(args).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).to_string()
    };
    let t = stdout(&["catalog", "prices", "--region", "eu-west-1"]);
    let x86 = t
        .lines()
        .find(|l| l.starts_with("linux_x86") && l.contains("vcpu_hour"))
        .expect("a linux_x86 row");
    assert!(x86.contains("0.04048") && x86.ends_with("UNCERTAIN"), "{t}");
    assert!(t.contains("UNCERTAIN (old): GitHub theuves/fgcalc"), "{t}");
    let fixture = root().join("tests/fixtures/prices/eu-west-1.toml");
    let fixture = fixture.to_str().expect("a UTF-8 path");
    let t = stdout(&["catalog", "prices", "--price-list", fixture]);
    assert!(t.starts_with("region eu-west-1, price list"), "{t}");
    let m5 = t
        .lines()
        .find(|l| l.starts_with("m5.large "))
        .expect("an m5.large row");
    assert!(m5.contains("0.1070") && m5.contains("0.1990"), "{m5}");
    assert!(t.contains("(AmazonEC2 version 20250910181203, published 2025-09-10T18:12:03Z)"));
    sim()
        .args([
            "catalog",
            "prices",
            "--region",
            "us-east-1",
            "--price-list",
            fixture,
        ])
        .assert()
        .code(2);
    sim()
        .args(["catalog", "instance-types", "--region", "us-east-1"])
        .assert()
        .code(2);
}
