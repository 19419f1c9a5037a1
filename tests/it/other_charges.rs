//! Public IPv4 addresses and the shared costs (docs/model.md §18), by hand: an address per
//! Fargate task and per EC2 instance (part of `cost_usd`), a service's load balancer and NAT
//! processing (beside it, in `cost_total_usd`), and `include_shared_costs` switching the
//! comparison; refusals of a region without built-in rates and of bad values.

use crate::common::{load, run_checked, sim, write};

const IPV4: f64 = 0.005;

fn close(x: f64, want: f64) -> bool {
    (x - want).abs() < 1e-9
}

/// Every arm of `text`, run checked with seed 1.
fn arms(text: &str) -> Vec<sim::sim::ArmOutcome> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let s = load(dir.path(), text);
    run_checked(&s, 1).arms
}

/// Three 30-minute Fargate tasks arriving at 0, 10 and 20 minutes, started at once.
fn fargate_jobs(extra: &str) -> String {
    format!(
        r#"
horizon = "2h"
[[workload.jobs]]
name = "j"
arrival = {{ fixed_interval = "10m" }}
max_tasks = 3
duration = "30m"
cpu = 256
memory = 512
[[arm]]
name = "f"
launch_type = "FARGATE"
task_start_latency = "0s"
{extra}
"#
    )
}

#[test]
fn a_fargate_task_pays_for_its_address_from_placement_to_release() {
    // 3 tasks × 1800 s × 0.005 / 3600 = 0.0075, on top of the same compute.
    let with = arms(&fargate_jobs("assign_public_ip = true"));
    let without = arms(&fargate_jobs("assign_public_ip = false"));
    let absent = arms(&fargate_jobs(""));
    let (w, o) = (&with[0].summary, &without[0].summary);
    assert!(
        close(w.cost_public_ipv4_usd, 3.0 * 1800.0 * IPV4 / 3600.0),
        "{w:?}"
    );
    assert!(close(w.cost_usd - o.cost_usd, 0.0075), "{w:?} {o:?}");
    assert!(close(
        w.cost_fargate_vcpu_usd + w.cost_fargate_memory_usd,
        o.cost_usd
    ));
    // The timeseries' cumulative cost ends at cost_usd, the address included.
    let last = with[0].timeseries.last().expect("samples");
    assert!(close(last.cost_cum_usd, w.cost_usd), "{last:?}");
    // Off, or the key left out: nothing is charged and the outcome is identical.
    assert_eq!(o.cost_public_ipv4_usd, 0.0);
    assert_eq!(without, absent);
}

fn ec2_fleet(purchase: &str, public: bool) -> String {
    format!(
        r#"
horizon = "3h"
[pricing]
spot_discount = 0.6
[[workload.jobs]]
name = "j"
arrival = {{ fixed_interval = "5m" }}
duration = "20m"
cpu = 256
memory = 512
[[arm]]
name = "ec2"
launch_type = "EC2"
network_mode = "bridge"
instance_types = ["m5.large"]
capacity = {{ fixed = 2 }}
assign_public_ip = {public}
{purchase}
"#
    )
}

#[test]
fn an_ec2_instance_pays_for_its_address_for_its_whole_life() {
    // Two fixed m5.large for 3 h: 2 × 3 × 0.005 = 0.03 of addresses; compute 2 × 3 × 0.096.
    let a = &arms(&ec2_fleet("", true))[0].summary;
    assert!(close(a.cost_public_ipv4_usd, 0.03), "{a:?}");
    assert!(close(a.cost_ec2_on_demand_usd, 0.576), "{a:?}");
    assert!(close(a.cost_usd, 0.606), "{a:?}");
    let off = &arms(&ec2_fleet("", false))[0].summary;
    assert_eq!(off.cost_public_ipv4_usd, 0.0);
    assert!(close(off.cost_usd, 0.576));
}

#[test]
fn an_interrupted_spot_instance_still_pays_for_its_address() {
    // Spot instances interrupted often (2 an hour): those Amazon EC2 interrupts in their
    // first hour cost no compute (pricing.md §5.1), but the address is charged for every
    // instance's whole life: Σ lifetimes (instance_hours) × 0.005, to within a second per
    // instance (per-second rounding).
    let a = &arms(&ec2_fleet(
        "purchase = \"spot\"\nspot_interruptions_per_hour = 2",
        true,
    ))[0]
        .summary;
    assert!(a.interruptions > 0, "{a:?}");
    let by_lifetime = a.instance_hours * IPV4;
    assert!(
        (a.cost_public_ipv4_usd - by_lifetime).abs() < 20.0 * IPV4 / 3600.0,
        "{} vs {by_lifetime}",
        a.cost_public_ipv4_usd
    );
    // Compute is discounted and free for early interruptions, so it is below the lifetimes at
    // the Spot price; the address is not discounted.
    assert!(
        a.cost_ec2_spot_usd < a.instance_hours * 0.096 * 0.4 + 1e-9,
        "{a:?}"
    );
}

/// A service of two tasks on an EC2 arm (bridge or awsvpc) and a Fargate arm.
fn service(service_extra: &str, pricing: &str, ec2: &str, fargate: &str) -> String {
    format!(
        r#"
horizon = "10h"
[pricing]
{pricing}
[[workload.services]]
name = "web"
cpu = 256
memory = 512
desired = 2
{service_extra}
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.large"]
capacity = {{ fixed = 1 }}
task_start_latency = "0s"
{ec2}
[[arm]]
name = "fargate"
launch_type = "FARGATE"
task_start_latency = "0s"
{fargate}
"#
    )
}

#[test]
fn a_load_balancer_costs_the_same_on_every_arm_and_stays_out_of_cost_usd() {
    // 100 requests a second: max(100 / 25 new connections, 100 / 1000 rule evaluations) = 4
    // LCU; 10 h × (0.0225 + 4 × 0.008) = 0.545.
    let lb = "load_balancer = { requests_per_second = 100 }";
    let with = arms(&service(lb, "", "network_mode = \"bridge\"", ""));
    let without = arms(&service("", "", "network_mode = \"bridge\"", ""));
    for (w, o) in with.iter().zip(&without) {
        let (ws, os) = (&w.summary, &o.summary);
        assert!(close(ws.cost_load_balancer_usd, 0.545), "{}: {ws:?}", w.arm);
        assert_eq!(ws.cost_usd, os.cost_usd, "{}", w.arm);
        let row = sim::report::SummaryRow::of(w);
        assert!(close(row.cost_total_usd, ws.cost_usd + 0.545));
        // Not asked for: the comparison stays on cost_usd.
        assert_eq!(row.compared_cost(), ws.cost_usd);
    }
}

#[test]
fn nat_processing_is_charged_where_tasks_sit_behind_nat() {
    // 2 tasks × 10 h × 0.5 GB = 10 GB × 0.045 = 0.45 on a private Fargate arm and on an
    // awsvpc EC2 arm even with public instance addresses (its tasks cannot have public IPs);
    // nothing on a Fargate arm whose tasks have public IPs or on a bridge EC2 arm with them.
    let nat = "nat_gb_per_task_hour = 0.5";
    let private = arms(&service(
        nat,
        "",
        "network_mode = \"awsvpc\"\nassign_public_ip = true",
        "",
    ));
    for a in &private {
        let s = &a.summary;
        assert!(close(s.task_hours, 20.0), "{}: {s:?}", a.arm);
        assert!(close(s.cost_nat_usd, 0.45), "{}: {s:?}", a.arm);
    }
    let public = arms(&service(
        nat,
        "",
        "network_mode = \"bridge\"\nassign_public_ip = true",
        "assign_public_ip = true",
    ));
    for a in &public {
        assert_eq!(a.summary.cost_nat_usd, 0.0, "{}", a.arm);
    }
}

#[test]
fn include_shared_costs_switches_the_verdict() {
    // Compute for 10 h: EC2 one m5.large with a public address, 10 × (0.096 + 0.005) = 1.01;
    // Fargate two 0.25 vCPU / 0.5 GB tasks in private subnets, 2 × 10 × 0.0123425 = 0.24685:
    // Fargate is cheaper. Its tasks send 1 GB per task-hour through NAT: 20 GB × 0.045 = 0.9,
    // so its whole bill is 1.14685 against EC2's 1.01 (bridge tasks use the instance's
    // address: no NAT). Comparing whole bills, EC2 wins.
    let dir = tempfile::tempdir().expect("temporary folder");
    let text = |include: bool| {
        service(
            "nat_gb_per_task_hour = 1",
            &format!("include_shared_costs = {include}"),
            "network_mode = \"bridge\"\nassign_public_ip = true",
            "",
        )
    };
    let run = |include: bool| {
        let p = write(dir.path(), &format!("s{include}.toml"), &text(include));
        let out = dir.path().join(format!("out{include}"));
        let assert = sim()
            .arg("run")
            .arg(&p)
            .arg("--out")
            .arg(&out)
            .args(["--no-plots", "--quiet"])
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        let csv = std::fs::read_to_string(out.join("summary.csv")).expect("summary.csv");
        (stdout, csv)
    };
    let (compute, csv) = run(false);
    assert!(
        compute.contains("cheapest: fargate ($0.25)"),
        "{compute}\n{csv}"
    );
    assert!(
        compute.contains("shared $") && compute.contains("total $"),
        "{compute}"
    );
    let (whole, csv) = run(true);
    assert!(
        whole.contains("cheapest, shared costs included: ec2 ($1.01)")
            && whole.contains("fargate ($1.15)"),
        "{whole}\n{csv}"
    );
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<sim::report::SummaryRow> =
        rows.deserialize().map(|r| r.expect("a row")).collect();
    assert!(close(rows[0].compared_cost(), 1.01), "{rows:?}");
    assert!(close(rows[1].cost_nat_usd, 0.9), "{rows:?}");
    assert!(close(rows[1].compared_cost(), 0.24685 + 0.9), "{rows:?}");
    assert!(close(rows[1].cost_total_usd, rows[1].compared_cost()));
}

#[test]
fn a_region_without_built_in_rates_and_bad_values_are_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let refused = |name: &str, text: &str, wants: &[&str]| {
        let p = write(dir.path(), name, text);
        let assert = sim().arg("validate").arg(&p).assert().code(2);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        for w in wants {
            assert!(err.contains(w), "{name}: {err}");
        }
    };
    let region = "region = \"eu-west-1\"\nfargate_vcpu_hour = 0.04\nfargate_gb_hour = 0.004\nec2 = { \"m5.large\" = 0.107 }";
    refused(
        "ipv4.toml",
        &service(
            "",
            region,
            "network_mode = \"bridge\"",
            "assign_public_ip = true",
        ),
        &[
            // The file, line and column of the key.
            "ipv4.toml:25:20:",
            "`arm.assign_public_ip` on arm `fargate` needs a price per public IPv4 address-hour, and `eu-west-1` has none built in",
            "`[pricing] public_ipv4_hour = ...`",
        ],
    );
    refused(
        "alb.toml",
        &service(
            "load_balancer = { requests_per_second = 5 }",
            region,
            "network_mode = \"bridge\"",
            "",
        ),
        &["needs a price per ALB-hour", "`[pricing] alb_hour = ...`"],
    );
    refused(
        "nat.toml",
        &service(
            "nat_gb_per_task_hour = 2",
            region,
            "network_mode = \"bridge\"",
            "",
        ),
        &["needs a price per GB processed by a NAT gateway"],
    );
    refused(
        "rps.toml",
        &service(
            "load_balancer = { requests_per_second = -1 }",
            "",
            "network_mode = \"bridge\"",
            "",
        ),
        &["`workload.services.load_balancer.requests_per_second`: found -1"],
    );
    refused(
        "key.toml",
        &service(
            "load_balancer = { requests_per_second = 1, lcus = 3 }",
            "",
            "network_mode = \"bridge\"",
            "",
        ),
        &["unknown field `lcus`"],
    );
    // With the rates given, the same scenario runs.
    let p = write(
        dir.path(),
        "given.toml",
        &service(
            "nat_gb_per_task_hour = 2\nload_balancer = { requests_per_second = 5 }",
            &format!(
                "{region}\npublic_ipv4_hour = 0.005\nalb_hour = 0.0252\nalb_lcu_hour = 0.008\nnat_gb = 0.048"
            ),
            "network_mode = \"bridge\"",
            "assign_public_ip = true",
        ),
    );
    sim().arg("validate").arg(&p).assert().success();
}

#[test]
fn nat_gateway_hours_are_charged_per_arm_for_the_whole_run() {
    // Three gateways for 10 h at 0.045 = 1.35 on the Fargate arm, on top of its processing
    // (2 tasks × 10 h × 0.5 GB × 0.045 = 0.45); the EC2 arm has none.
    let a = arms(&service(
        "nat_gb_per_task_hour = 0.5",
        "",
        "network_mode = \"awsvpc\"",
        "nat_gateways = 3",
    ));
    assert!(close(a[0].summary.cost_nat_usd, 0.45), "{:?}", a[0].summary);
    assert!(
        close(a[1].summary.cost_nat_usd, 0.45 + 1.35),
        "{:?}",
        a[1].summary
    );
    // ap-southeast-1 has a built-in gateway-hour rate (0.059) but no per-GB rate.
    let dir = tempfile::tempdir().expect("temporary folder");
    let aps = "region = \"ap-southeast-1\"\nfargate_vcpu_hour = 0.05056\nfargate_gb_hour = 0.00553\nec2 = { \"m5.large\" = 0.12 }";
    let s = load(
        dir.path(),
        &service("", aps, "network_mode = \"bridge\"", "nat_gateways = 2"),
    );
    let out = run_checked(&s, 1);
    assert!(close(out.arms[1].summary.cost_nat_usd, 2.0 * 10.0 * 0.059));
}
