//! `sim prices import`: the three offer-file fixtures of tests/fixtures/offers/ (illustrative
//! values in AWS's CSV layout, docs/reference/pricing.md §2.4) import for eu-west-1 to the
//! prices their rows give (checked row by row below), the file reads back, and bad input (a
//! wrong OfferCode, a missing column, a bad number, two rows disagreeing, several regions
//! without --region) exits 2 naming the file, line and column.

use std::path::{Path, PathBuf};

use sim::prices::PriceFile;

use crate::common::{root, sim, write};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/offers").join(name)
}

fn all_fixtures() -> Vec<PathBuf> {
    [
        "AmazonEC2.csv",
        "AmazonECS.csv",
        "AWSComputeSavingsPlan.csv",
    ]
    .iter()
    .map(|n| fixture(n))
    .collect()
}

/// Run `sim prices import FILES... EXTRA -o OUT`; return (status, stdout, stderr).
fn import(files: &[PathBuf], extra: &[&str], out: &Path) -> (i32, String, String) {
    let mut cmd = sim();
    cmd.args(["prices", "import"]).args(files).args(extra);
    cmd.arg("-o").arg(out);
    let o = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).to_string(),
        stderr,
    )
}

/// Expect exit 2 and no output file; return stderr.
fn import_fails(files: &[PathBuf], extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("prices.toml");
    let (code, _, stderr) = import(files, extra, &out);
    assert_eq!(code, 2, "{stderr}");
    assert!(!out.exists(), "a failed import must not leave prices.toml");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "temporary file left"
    );
    stderr
}

/// A copy of a fixture with `from` replaced by `to` (once, on the given line).
fn edited(dir: &Path, name: &str, line: usize, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert!(
        lines[line - 1].contains(from),
        "line {line}: {}",
        lines[line - 1]
    );
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    write(dir, name, &(lines.join("\n") + "\n"))
}

#[test]
fn the_three_fixtures_import_for_eu_west_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("prices.toml");
    let (code, stdout, stderr) = import(&all_fixtures(), &["--region", "eu-west-1"], &out);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("# Written by `sim prices import`"),
        "{text}"
    );
    assert!(
        text.contains("UNCERTAIN"),
        "the Windows SP mapping is labelled: {text}"
    );
    let p = PriceFile::parse(&text, "prices.toml").unwrap();
    assert_eq!(
        (p.format, p.region.as_str(), p.currency.as_str()),
        (1, "eu-west-1", "USD")
    );

    // Sources: versions and dates from each file's metadata rows 3-5. Rows: per region 6
    // types × (6 Linux/RHEL/SUSE variants) + 5 Windows-capable types × 3 Windows variants +
    // 6 types × 5 Reserved rows + 4 other families = 36 + 15 + 30 + 4 = 85; × 3 regions = 255.
    // Used in eu-west-1: 6 Linux + 5 Windows on-demand + 30 Reserved rows = 41.
    let s = &p.sources;
    assert_eq!(s.len(), 3);
    assert_eq!(
        (
            s[0].offer_code.as_str(),
            s[0].version.as_str(),
            s[0].publication_date.as_str()
        ),
        ("AmazonEC2", "20250912225308", "2025-09-12T22:53:08Z")
    );
    assert_eq!((s[0].rows, s[0].used), (255, 41));
    // ECS: 3 regions × (8 Fargate + 6 noise) = 42 rows; 8 used.
    assert_eq!(
        (s[1].offer_code.as_str(), s[1].rows, s[1].used),
        ("AmazonECS", 42, 8)
    );
    // SP: per offer and region 6 Linux + 5 Windows + 6 dedicated + 6 RHEL EC2 rows, and for
    // Compute SPs 6 Fargate + 1 Lambda: 2 × 30 + 2 × 23 = 106 per region, 318 in all; used
    // in eu-west-1: Compute 2 × (11 + 6) + ISP 2 × 11 = 56.
    assert_eq!(
        (s[2].offer_code.as_str(), s[2].rows, s[2].used),
        ("AmazonComputeSavingsPlan", 318, 56)
    );
    // The rows that would have given a price elsewhere: 41 for each of the two other regions.
    assert!(
        stdout.contains("255 rows, 41 used, 82 for other regions"),
        "{stdout}"
    );

    // EC2 on-demand, AmazonEC2.csv: line 7 (Linux, Shared, Used, NA) 0.1070000000; lines 8-12
    // (Dedicated 0.1177, UnusedCapacityReservation, AllocatedCapacityReservation 0, RHEL 0.167,
    // SUSE 0.207) skipped; line 13 (Windows, No License required, NA) 0.199; line 14 (BYOL
    // 0.107) and line 15 (SQL Web 0.219) skipped.
    let ec2 = p.ec2.as_ref().unwrap();
    assert_eq!(ec2.linux["m5.large"], 0.107);
    assert_eq!(ec2.windows["m5.large"], 0.199);
    assert_eq!(ec2.linux["m7g.large"], 0.0912);
    assert!(
        !ec2.windows.contains_key("m7g.large"),
        "the fixture has no Windows m7g rows"
    );
    assert_eq!(ec2.linux.len(), 6);
    assert_eq!(ec2.windows.len(), 5);

    // Reserved, lines 16-20 (SKU FX00000000000010): 1yr standard No Upfront hourly 0.06634;
    // Partial Upfront hourly 0.03103 (line 17) joined with its Upfront Fee 271 (line 18);
    // 3yr convertible All Upfront hourly 0 (line 19) with fee 1650 (line 20).
    let ri = |offer: &str| p.reserved_instances[offer].linux["m5.large"];
    assert_eq!(
        (
            ri("1yr_standard_no_upfront").hourly,
            ri("1yr_standard_no_upfront").upfront
        ),
        (0.06634, 0.0)
    );
    let partial = ri("1yr_standard_partial_upfront");
    assert_eq!((partial.hourly, partial.upfront), (0.03103, 271.0));
    let all = ri("3yr_convertible_all_upfront");
    assert_eq!((all.hourly, all.upfront), (0.0, 1650.0));
    assert_eq!(p.reserved_instances.len(), 3);

    // Fargate, AmazonECS.csv lines 7-14 (EUW1-…); lines 15-20 (Spot, ECS-EC2 metering,
    // Anywhere, a GPU suffix) are not exact matches and are skipped.
    let fg = p.fargate.as_ref().unwrap();
    let x86 = fg.linux_x86.as_ref().unwrap();
    assert_eq!(
        (x86.vcpu_hour, x86.gb_hour),
        (Some(0.04048), Some(0.004445))
    );
    let arm = fg.linux_arm.as_ref().unwrap();
    assert_eq!((arm.vcpu_hour, arm.gb_hour), (Some(0.03238), Some(0.00356)));
    let win = fg.windows_x86.as_ref().unwrap();
    assert_eq!(
        (win.vcpu_hour, win.gb_hour, win.os_licence_vcpu_hour),
        (Some(0.046552), Some(0.0051117), Some(0.046))
    );
    assert_eq!(fg.storage_gb_hour, Some(0.000111));

    // Savings Plans, AWSComputeSavingsPlan.csv: line 7 Compute 1yr No Upfront m5.large
    // RunInstances 0.071583; line 8 RunInstances:0002 (Windows) 0.133131; line 9
    // (DedicatedUsage) and line 10 (RunInstances:0010, RHEL) skipped; lines 30-31 Fargate
    // 0.032384 / 0.003556; line 187 EC2 Instance SP 1yr No Upfront 0.0642; line 256 3yr Partial
    // Upfront 0.0428.
    let sp = &p.savings_plans;
    let csp = &sp["compute_savings_plan"]["1yr_no_upfront"];
    let csp_ec2 = csp.ec2.as_ref().unwrap();
    assert_eq!(csp_ec2.linux["m5.large"], 0.071583);
    assert_eq!(csp_ec2.windows["m5.large"], 0.133131);
    let csp_fg = csp.fargate.as_ref().unwrap().linux_x86.as_ref().unwrap();
    assert_eq!(
        (csp_fg.vcpu_hour, csp_fg.gb_hour),
        (Some(0.032384), Some(0.003556))
    );
    assert_eq!(
        sp["compute_savings_plan"]["3yr_all_upfront"]
            .ec2
            .as_ref()
            .unwrap()
            .linux["m5.large"],
        0.04815
    );
    let isp = &sp["ec2_instance_savings_plan"];
    assert_eq!(
        isp["1yr_no_upfront"].ec2.as_ref().unwrap().linux["m5.large"],
        0.0642
    );
    assert_eq!(
        isp["3yr_partial_upfront"].ec2.as_ref().unwrap().linux["m5.large"],
        0.0428
    );
    assert!(
        isp["1yr_no_upfront"].fargate.is_none(),
        "EC2 Instance SPs do not cover Fargate"
    );
    assert_eq!(sp["compute_savings_plan"].len() + isp.len(), 4);
}

/// One region in the files: no --region needed; the same bytes every time.
#[test]
fn the_only_region_is_taken_and_output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    // A 2017-style ECS file: no region code column, regions from `Location`; an unknown
    // location is skipped.
    let ecs = write(
        dir.path(),
        "ecs2017.csv",
        "\"FormatVersion\",\"v1.0\"\n\"Disclaimer\",\"x\"\n\"Publication Date\",\"2017-11-29T00:00:00Z\"\n\"Version\",\"20171129000000\"\n\"OfferCode\",\"AmazonECS\"\n\"SKU\",\"TermType\",\"PricePerUnit\",\"Currency\",\"Location\",\"usageType\"\n\"A\",\"OnDemand\",\"0.0506\",\"USD\",\"EU (Ireland)\",\"EU-Fargate-vCPU-Hours:perCPU\"\n\"B\",\"OnDemand\",\"0.0127\",\"USD\",\"EU (Ireland)\",\"EU-Fargate-GB-Hours\"\n\"C\",\"OnDemand\",\"9\",\"USD\",\"Somewhere (New)\",\"XX-Fargate-GB-Hours\"\n",
    );
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    let (code, stdout, stderr) = import(std::slice::from_ref(&ecs), &[], &a);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("1 of unknown locations skipped"),
        "{stdout}"
    );
    assert_eq!(import(&[ecs], &[], &b).0, 0);
    let text = std::fs::read_to_string(&a).unwrap();
    assert_eq!(text, std::fs::read_to_string(&b).unwrap());
    let p = PriceFile::parse(&text, "a.toml").unwrap();
    assert_eq!(p.region, "eu-west-1");
    let x86 = p.fargate.unwrap().linux_x86.unwrap();
    assert_eq!((x86.vcpu_hour, x86.gb_hour), (Some(0.0506), Some(0.0127)));
}

#[test]
fn several_regions_without_region_are_listed() {
    let e = import_fails(&all_fixtures(), &[]);
    assert!(
        e.contains("several regions (eu-central-1, eu-west-1, us-east-1)")
            && e.contains("--region"),
        "{e}"
    );
}

#[test]
fn a_wrong_offer_code_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = edited(dir.path(), "AmazonECS.csv", 5, "AmazonECS", "AWSELB");
    let e = import_fails(&[f], &["--region", "eu-west-1"]);
    assert!(
        e.contains("AmazonECS.csv: line 5: OfferCode `AWSELB`"),
        "{e}"
    );
    assert!(
        e.contains("expected AmazonEC2, AmazonECS or AWSComputeSavingsPlan"),
        "{e}"
    );
}

#[test]
fn a_missing_metadata_row_or_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = edited(dir.path(), "AmazonEC2.csv", 6, "\"Tenancy\"", "\"Tenant\"");
    let e = import_fails(&[f], &["--region", "eu-west-1"]);
    assert!(
        e.contains("AmazonEC2.csv: line 6 (header): missing column `Tenancy`"),
        "{e}"
    );
    let f = edited(
        dir.path(),
        "AmazonECS.csv",
        4,
        "\"Version\"",
        "\"Versions\"",
    );
    let e = import_fails(&[f], &["--region", "eu-west-1"]);
    assert!(
        e.contains("AmazonECS.csv: line 4: found `Versions`, expected the metadata row `Version`"),
        "{e}"
    );
}

#[test]
fn a_bad_number_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = edited(
        dir.path(),
        "AWSComputeSavingsPlan.csv",
        187,
        "\"0.064200\"",
        "\"0,0642\"",
    );
    let e = import_fails(&[f], &["--region", "eu-west-1"]);
    assert!(
        e.contains("AWSComputeSavingsPlan.csv: line 187, column `DiscountedRate`: found `0,0642`, expected a price"),
        "{e}"
    );
    // A bad number in a row for another region is skipped, not refused.
    let f = edited(
        dir.path(),
        "AmazonECS.csv",
        21,
        "\"0.0364320000\"",
        "\"n/a\"",
    );
    let out = dir.path().join("p.toml");
    let (code, _, stderr) = import(&[f], &["--region", "eu-west-1"], &out);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn two_rows_disagreeing_name_both() {
    let dir = tempfile::tempdir().unwrap();
    // Line 9 is m5.large Linux in a capacity reservation; made `Used`, it gives 0.107 again
    // (no conflict); line 10 (AllocatedCapacityReservation, 0.0) made `Used` conflicts.
    let f = edited(
        dir.path(),
        "AmazonEC2.csv",
        10,
        "AllocatedCapacityReservation",
        "Used",
    );
    let e = import_fails(&[f], &["--region", "eu-west-1"]);
    assert!(
        e.contains("ec2.linux.\"m5.large\": ")
            && e.contains("AmazonEC2.csv line 7 gives 0.107")
            && e.contains("AmazonEC2.csv line 10 gives 0"),
        "{e}"
    );
    let f = edited(
        dir.path(),
        "AmazonEC2.csv",
        9,
        "UnusedCapacityReservation",
        "Used",
    );
    let out = dir.path().join("p.toml");
    assert_eq!(
        import(&[f], &["--region", "eu-west-1"], &out).0,
        0,
        "equal duplicates are fine"
    );
}

#[test]
fn a_region_with_no_prices_and_a_missing_file_are_refused() {
    let e = import_fails(&all_fixtures(), &["--region", "ap-south-1"]);
    assert!(
        e.contains("no row of the offer files gives a price for region `ap-south-1`"),
        "{e}"
    );
    let e = import_fails(&[fixture("nope.csv")], &[]);
    assert!(
        e.contains("cannot read offer file") && e.contains("nope.csv"),
        "{e}"
    );
}

/// Acceptance (issue 15): an eu-west-1 scenario runs from the imported fixtures, on-demand and
/// Savings Plan rates included. The world: 2 m5.large for 2 h and 2 Fargate tasks of 1 vCPU /
/// 2 GB for 2 h, with a $0.10/h Compute Savings Plan whose rates all come from the import.
#[test]
fn an_eu_west_1_scenario_runs_on_the_imported_price_list() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("prices.toml");
    let (code, _, stderr) = import(&all_fixtures(), &["--region", "eu-west-1"], &out);
    assert_eq!(code, 0, "{stderr}");
    let scenario = "name = \"euw1\"\nhorizon = \"2h\"\n[pricing]\nregion = \"eu-west-1\"\nprice_list = \"prices.toml\"\n\
[[workload.services]]\nname = \"web\"\ncpu = 1024\nmemory = 2048\ndesired = 2\n\
[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 2 }\n\
[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n\
[[commitment]]\ntype = \"compute_savings_plan\"\nusd_per_hour = 0.1\n";
    let path = write(dir.path(), "s.toml", scenario);
    let s = sim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    // Every price the arms use is the list's, and none is the UNCERTAIN built-in eu-west-1 row.
    for item in [
        "ec2 linux m5.large",
        "fargate linux_x86 vcpu_hour",
        "fargate linux_x86 gb_hour",
    ] {
        let o = &s.pricing.origins[item];
        assert!(
            o.origin.starts_with("price list prices.toml"),
            "{item}: {o:?}"
        );
        assert!(!o.uncertain, "{item}");
    }
    assert!(
        s.warnings.iter().all(|w| !w.contains("UNCERTAIN")),
        "{:?}",
        s.warnings
    );
    let outcome = crate::common::run_checked(&s, s.seed);
    let (e, f) = (&outcome.arms[0].summary, &outcome.arms[1].summary);
    let usd = |got: f64, want: f64, what: &str| {
        assert!((got - want).abs() < 1e-6, "{what}: {got} vs {want}");
    };
    // AmazonEC2.csv line 7: m5.large $0.107 in eu-west-1: 2 instances × 2 h.
    usd(e.cost_usd, 4.0 * 0.107, "EC2 on demand");
    // AmazonECS.csv: $0.04048 per vCPU-hour, $0.004445 per GB-hour: 2 h × (2 × 0.04048 + 4 ×
    // 0.004445) = 2 × 0.09874.
    usd(f.cost_usd, 2.0 * 0.09874, "Fargate on demand");
    // The Compute SP at the list's m5.large rate 0.071583: $0.10 covers 0.1 ÷ 0.071583
    // instance-hours an hour; the rest of the 2 pays $0.107.
    usd(
        e.cost_effective_usd,
        2.0 * (0.1 + (2.0 - 0.1 / 0.071583) * 0.107),
        "EC2 effective",
    );
    // Fargate at the list's SP rates (0.032384 per vCPU-hour, 0.003556 per GB-hour, both 20%
    // off): 2 × 0.032384 + 4 × 0.003556 = 0.078992 an hour, under the $0.10 fee: all covered.
    usd(f.cost_effective_usd, 2.0 * 0.1, "Fargate effective");
    usd(
        f.commitment_utilisation.unwrap(),
        0.078992 / 0.1,
        "Fargate utilisation",
    );
}
