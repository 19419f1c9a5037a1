//! Windows (`os = "windows"`, a task definition's `runtimePlatform.operatingSystemFamily`):
//! Windows Fargate sizes, rates, OS licence and 5-minute minimum; Windows EC2 prices; and the
//! refusals (docs/model.md §19; docs/reference/pricing.md §1.1, §1.3, §1.5, §2.1).

use std::path::Path;

use crate::common::{first_arm, load, run_checked, write};

/// Load `text` (with `td.json` beside it when given); the error message.
fn refused(text: &str, td: Option<&str>) -> String {
    let dir = tempfile::tempdir().expect("temporary folder");
    if let Some(td) = td {
        write(dir.path(), "td.json", td);
    }
    let p = write(dir.path(), "s.toml", text);
    match sim::scenario::load(&p) {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => e.to_string(),
    }
}

/// A job `j` of one 10-minute task with `extra` lines.
fn job(extra: &str) -> String {
    format!(
        "[[workload.jobs]]\nname = \"j\"\narrival = {{ fixed_interval = \"1m\" }}\nmax_tasks = 1\nduration = \"10m\"\n{extra}"
    )
}

/// The built-in Windows rates (docs/reference/pricing.md §1.1, UNCERTAIN): vCPU, GB, licence.
const W: (f64, f64, f64) = (0.046552, 0.0051117, 0.046);

#[test]
fn a_windows_task_definition_loads_and_is_priced_as_windows() {
    // WINDOWS_SERVER_2022_CORE with 0.5 vCPU / 3 GB (no FARGATE compatibility, so the size is
    // not checked against the Windows table): on a Windows Fargate arm it is rounded to 1 vCPU
    // ("cannot be less than 1 vCPU", pricing.md §1.5) and 3 GB, and billed 600 s at the
    // Windows rates plus the licence: 600 × (1 × 0.046552 + 3 × 0.0051117 + 1 × 0.046) / 3600.
    let dir = tempfile::tempdir().expect("temporary folder");
    write(
        dir.path(),
        "td.json",
        r#"{"family": "iis", "cpu": "512", "memory": "3 GB",
            "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
            "containerDefinitions": [{"name": "iis"}]}"#,
    );
    let text = format!(
        "{}[[arm]]\nname = \"fargate-windows\"\nlaunch_type = \"FARGATE\"\nos = \"windows\"\ntask_start_latency = \"0s\"\n",
        job("task_definition = \"td.json\"\n")
    );
    let s = load(dir.path(), &text);
    assert_eq!(s.workload.jobs[0].os, sim::model::Os::Windows);
    // The run uses the UNCERTAIN built-in rates: a warning says so.
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("UNCERTAIN") && w.contains("pricing.md §1.3")),
        "{:?}",
        s.warnings
    );
    let a = run_checked(&s, 1).arms.remove(0);
    let sm = &a.summary;
    let want = 600.0 * (W.0 + 3.0 * W.1 + W.2) / 3600.0;
    assert!(
        (sm.cost_usd - want).abs() < 1e-12,
        "{} vs {want}",
        sm.cost_usd
    );
    assert!((sm.cost_fargate_os_licence_usd - 600.0 * W.2 / 3600.0).abs() < 1e-12);
    assert!((sm.cost_fargate_vcpu_usd - 600.0 * W.0 / 3600.0).abs() < 1e-12);
    let t = &a.tasks.as_ref().expect("tasks recorded")[0];
    assert_eq!(
        (t.fargate_cpu, t.fargate_memory_mib),
        (Some(1024), Some(3072))
    );
}

#[test]
fn windows_pricing_overrides_replace_the_built_in_rates_and_silence_the_warning() {
    // 2 vCPU / 4 GB Windows for 10 min at $1 per vCPU-hour, $0.1 per GB-hour, $0.5 licence:
    // 600 × (2 × 1 + 4 × 0.1 + 2 × 0.5) / 3600 = 0.5666…
    let text = format!(
        "[pricing]\nfargate_windows_vcpu_hour = 1.0\nfargate_windows_gb_hour = 0.1\nfargate_windows_os_licence_vcpu_hour = 0.5\n{}[[arm]]\nname = \"w\"\nlaunch_type = \"FARGATE\"\nos = \"windows\"\ntask_start_latency = \"0s\"\n",
        job("cpu = 2048\nmemory = 4096\nos = \"windows\"\n")
    );
    let dir = tempfile::tempdir().expect("temporary folder");
    let s = load(dir.path(), &text);
    assert!(
        !s.warnings.iter().any(|w| w.contains("UNCERTAIN")),
        "{:?}",
        s.warnings
    );
    let a = run_checked(&s, 1).arms.remove(0);
    let want = 600.0 * (2.0 + 0.4 + 1.0) / 3600.0;
    assert!(
        (a.summary.cost_usd - want).abs() < 1e-12,
        "{}",
        a.summary.cost_usd
    );
}

#[test]
fn a_task_whose_os_is_not_the_arms_is_refused_naming_both_and_the_fix() {
    // A Windows job on a Linux (default) arm.
    let e = refused(
        &format!(
            "{}[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
            job("cpu = 1024\nmemory = 2048\nos = \"windows\"\n")
        ),
        None,
    );
    assert!(
        e.contains("arm `fargate` is linux (its `os`, default linux) and job `j` is windows"),
        "{e}"
    );
    assert!(
        e.contains("expected `os = \"windows\"` on an arm of its own"),
        "{e}"
    );
    // A Linux service on a Windows EC2 arm.
    let e = refused(
        "horizon = \"1h\"\n[[workload.services]]\nname = \"web\"\ncpu = 1024\nmemory = 2048\ndesired = 1\n[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\nos = \"windows\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n",
        None,
    );
    assert!(
        e.contains("arm `ec2` is windows (its `os`, default linux) and service `web` is linux"),
        "{e}"
    );
    // A job's `os` against its task definition's operatingSystemFamily.
    let e = refused(
        &format!(
            "{}[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\nos = \"windows\"\n",
            job("task_definition = \"td.json\"\nos = \"linux\"\n")
        ),
        Some(
            r#"{"cpu": "1024", "memory": "2048", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"}, "containerDefinitions": [{"name": "a"}]}"#,
        ),
    );
    assert!(e.contains("`workload.jobs.os`: job `j` says `linux`, but its task definition's runtimePlatform.operatingSystemFamily says windows"), "{e}");
    // A misspelt os.
    let e = refused(
        &format!(
            "{}[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\nos = \"Windows\"\n",
            job("cpu = 1024\nmemory = 2048\n")
        ),
        None,
    );
    assert!(
        e.contains("`arm.os`: found `Windows`; expected `linux` or `windows`"),
        "{e}"
    );
}

#[test]
fn windows_on_fargate_spot_arm64_or_with_unpriced_storage_is_refused() {
    let windows_job = job("cpu = 1024\nmemory = 2048\nos = \"windows\"\n");
    for arm in [
        "launch_type = \"FARGATE_SPOT\"\n",
        "launch_type = \"FARGATE\"\ncapacity_provider_strategy = [{ provider = \"FARGATE\", weight = 1 }, { provider = \"FARGATE_SPOT\", weight = 1 }]\n",
    ] {
        let e = refused(
            &format!("{windows_job}[[arm]]\nname = \"w\"\nos = \"windows\"\n{arm}"),
            None,
        );
        assert!(e.contains("arm `w` is windows and runs FARGATE_SPOT tasks: \"Fargate Spot is not supported on Windows-based containers on Fargate\" (docs/reference/pricing.md §1.5)"), "{e}");
    }
    let e = refused(
        &format!(
            "{windows_job}[[arm]]\nname = \"w\"\nos = \"windows\"\nlaunch_type = \"FARGATE\"\ncpu_architecture = \"ARM64\"\n"
        ),
        None,
    );
    assert!(
        e.contains("arm `w` is windows with cpu_architecture = \"ARM64\""),
        "{e}"
    );
    // 30 GiB of storage on Windows: no rate is known unless the scenario gives one.
    let big = job("cpu = 1024\nmemory = 2048\nos = \"windows\"\nephemeral_storage_gib = 30\n");
    let arm = "[[arm]]\nname = \"w\"\nos = \"windows\"\nlaunch_type = \"FARGATE\"\n";
    let e = refused(&format!("{big}{arm}"), None);
    assert!(e.contains("job `j` asks for 30 GiB of ephemeral storage: no Windows rate for storage above the free 20 GiB is known (docs/reference/pricing.md §1.1); expected `pricing.fargate_storage_gb_hour`"), "{e}");
    let dir = tempfile::tempdir().expect("temporary folder");
    let s = load(
        dir.path(),
        &format!("[pricing]\nfargate_storage_gb_hour = 0.000111\n{big}{arm}"),
    );
    assert_eq!(s.arms[0].os, sim::model::Os::Windows);
}

#[test]
fn a_windows_ec2_arm_needs_windows_prices_and_pays_them_on_demand_and_on_spot() {
    let arm = "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\nos = \"windows\"\nnetwork_mode = \"bridge\"\ncapacity_provider_strategy = [{ provider = \"od\", weight = 1 }, { provider = \"spot\", weight = 1 }]\n[[arm.capacity_providers]]\nname = \"od\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n[[arm.capacity_providers]]\nname = \"spot\"\ninstance_types = [\"m5.large\", \"c5.large\"]\npurchase = \"spot\"\nspot_interruptions_per_hour = 0\ncapacity = { fixed = 1 }\n";
    let windows_job = job("cpu = 256\nmemory = 512\nos = \"windows\"\n");
    let e = refused(
        &format!(
            "horizon = \"1h\"\n[pricing]\nspot_discount = 0.6\nec2_windows = {{ \"m5.large\" = 0.188 }}\n{windows_job}{arm}"
        ),
        None,
    );
    assert!(e.contains("arm `ec2` is windows, and no Windows on-demand price is known for `c5.large` (none are built in, docs/reference/pricing.md §2.1); expected `ec2_windows = { \"<type>\" = <USD per hour> }` in [pricing], or a `price_list` that prices them under `[ec2.windows]` (`sim prices import`)"), "{e}");
    // With both prices: for exactly 1 h, m5.large at its Windows price $0.188 on demand and
    // at 60% off on Spot (the Spot discount applies to the Windows price): 0.188 + 0.188 × 0.4.
    // (The Spot provider launches its first type, m5.large.)
    let a = first_arm(&format!(
        "horizon = \"1h\"\n[pricing]\nspot_discount = 0.6\nec2_windows = {{ \"m5.large\" = 0.188, \"c5.large\" = 0.17 }}\n{windows_job}{arm}"
    ));
    let s = &a.summary;
    assert!((s.cost_ec2_on_demand_usd - 0.188).abs() < 1e-9, "{s:?}");
    assert!((s.cost_ec2_spot_usd - 0.188 * 0.4).abs() < 1e-9, "{s:?}");
    assert_eq!(s.cost_fargate_os_licence_usd, 0.0);
    // The same arm as Linux keeps the Linux price ($0.096, data/instance_types.csv).
    let linux = first_arm(&format!(
        "horizon = \"1h\"\n[pricing]\nspot_discount = 0.6\nec2_windows = {{ \"m5.large\" = 0.188 }}\n{}{}",
        job("cpu = 256\nmemory = 512\n"),
        arm.replace("os = \"windows\"\n", "")
    ));
    assert!((linux.summary.cost_ec2_on_demand_usd - 0.096).abs() < 1e-9);
}

#[test]
fn the_licence_column_is_written_to_summary_csv() {
    // One Windows task of 90 s: the 5-minute minimum bills 300 s of licence at $0.046 per
    // vCPU-hour: 300 × 0.046 / 3600 = 0.003833 (summary.csv has 6 decimals).
    let dir = tempfile::tempdir().expect("temporary folder");
    let text = "horizon = \"1h\"\n[[workload.jobs]]\nname = \"j\"\narrival = { fixed_interval = \"1m\" }\nmax_tasks = 1\nduration = \"90s\"\ncpu = 1024\nmemory = 2048\nos = \"windows\"\n[[arm]]\nname = \"w\"\nlaunch_type = \"FARGATE\"\nos = \"windows\"\n";
    let p = write(dir.path(), "s.toml", text);
    let out = dir.path().join("out");
    crate::common::sim()
        .args(["run", "--quiet", "--out"])
        .arg(&out)
        .arg(&p)
        .assert()
        .success();
    let csv = std::fs::read_to_string(Path::new(&out).join("summary.csv")).expect("summary.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let row: Vec<&str> = lines.next().expect("row").split(',').collect();
    let i = header
        .iter()
        .position(|h| *h == "cost_fargate_os_licence_usd")
        .expect("the licence column");
    assert_eq!(row[i], "0.003833");
}
