//! `sim validate`: check a scenario and its trace; print what it resolves to.

use std::path::Path;

use anyhow::Context;

use crate::model::GroupTable;
use crate::scenario::{
    ArmKind, Capacity, Ec2Provider, FARGATE_SPOT, LoadCurve, OnInterruption, Purchase, Scenario,
    ServiceSpec,
};
use crate::trace::{CsvTrace, Replay, ReplayOptions, TraceSource};

/// Load, check the whole trace, and print a one-screen summary.
pub fn validate(path: &Path) -> anyhow::Result<()> {
    let scenario = crate::scenario::load(path)?;
    let rows = match &scenario.workload.trace {
        Some(p) => Some(
            count_trace(p, &scenario)
                .with_context(|| format!("checking the trace of `{}`", path.display()))?,
        ),
        None => None,
    };
    say!("{}", describe(&scenario, rows))?;
    Ok(())
}

/// Rows in the trace (every one is checked), and how many the replay options keep.
fn count_trace(p: &Path, s: &Scenario) -> anyhow::Result<TraceRows> {
    let mut t = CsvTrace::open(p)?;
    let mut g = GroupTable::new();
    let mut rows = 0;
    while t.next_task(&mut g)?.is_some() {
        rows += 1;
    }
    let mut kept = rows;
    if !s.workload.replay.is_identity() {
        let mut r = Replay::new(CsvTrace::open(p)?, s.workload.replay, s.seed);
        kept = 0;
        while r.next_task(&mut g)?.is_some() {
            kept += 1;
        }
    }
    Ok(TraceRows { rows, kept })
}

/// What `sim validate` counted in the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceRows {
    /// Data rows in the file.
    pub rows: u64,
    /// Rows the replay options keep (under the scenario's seed).
    pub kept: u64,
}

/// The replay options as one line, or nothing when they change nothing.
fn replay_line(o: &ReplayOptions, kept: u64) -> String {
    if o.is_identity() {
        return String::new();
    }
    let mut parts = Vec::new();
    if o.start.as_ms() > 0 || o.end.is_some() {
        let end = o
            .end
            .map_or_else(|| "the end".to_string(), |e| e.to_string());
        parts.push(format!("window {} to {end} (shifted to 0)", o.start));
    }
    if o.time_scale != 1.0 {
        parts.push(format!(
            "time_scale {} (arrival gaps ÷ {})",
            o.time_scale, o.time_scale
        ));
    }
    if o.sample < 1.0 {
        parts.push(format!("sample {} (seeded)", o.sample));
    }
    if o.cpu_scale != 1.0 {
        parts.push(format!("cpu × {}", o.cpu_scale));
    }
    if o.memory_scale != 1.0 {
        parts.push(format!("memory × {}", o.memory_scale));
    }
    format!("    replay: {}; {kept} tasks kept\n", parts.join(", "))
}

/// The one-screen summary of a resolved scenario.
pub fn describe(s: &Scenario, trace_rows: Option<TraceRows>) -> String {
    let mut o = String::new();
    let horizon = s.horizon.map_or_else(
        || "until the workload is done".to_string(),
        |h| h.to_string(),
    );
    o.push_str(&format!(
        "scenario `{}` ({}) is valid\n",
        s.name,
        s.path.display()
    ));
    o.push_str(&format!(
        "  seed {}, horizon {horizon}, metrics every {}\n",
        s.seed, s.metrics_interval
    ));
    o.push_str(&format!("  prices: {}\n", s.pricing.region));
    o.push_str(&s.other_charges.describe(
        s.arms.iter().any(|a| a.assign_public_ip),
        s.arms.iter().any(|a| a.tasks_behind_nat()),
        s.arms.iter().any(|a| a.nat_gateways > 0),
    ));
    o.push_str("workload\n");
    if let Some(p) = &s.workload.trace {
        let rows = trace_rows.unwrap_or(TraceRows { rows: 0, kept: 0 });
        o.push_str(&format!("  trace {} ({} rows)\n", p.display(), rows.rows));
        o.push_str(&replay_line(&s.workload.replay, rows.kept));
    }
    for j in &s.workload.jobs {
        let mut extra = String::new();
        match (j.start, j.end) {
            (s, Some(e)) if s.as_ms() > 0 => extra.push_str(&format!(", from {s} until {e}")),
            (s, None) if s.as_ms() > 0 => extra.push_str(&format!(", from {s}")),
            (_, Some(e)) => extra.push_str(&format!(", until {e}")),
            _ => {}
        }
        if let Some(m) = j.max_tasks {
            extra.push_str(&format!(", at most {m} tasks"));
        }
        if j.group != j.name {
            extra.push_str(&format!(", task group {}", j.group));
        }
        if !j.host_ports.is_empty() {
            extra.push_str(&format!(", host ports {:?}", j.host_ports));
        }
        for c in &j.constraints {
            extra.push_str(&format!(", {c}"));
        }
        o.push_str(&format!(
            "  job {}: {}, duration {}, {} CPU units / {} MiB{extra}\n",
            j.name, j.arrival, j.duration, j.cpu_units, j.memory_mib
        ));
    }
    for sv in &s.workload.services {
        o.push_str(&service_line(sv));
    }
    o.push_str("arms\n");
    for a in &s.arms {
        match &a.kind {
            ArmKind::Ec2(e) => {
                let strategy = e.strategy.as_ref().map_or_else(
                    || "ECS default (random for tasks, zone spread for services)".to_string(),
                    |v| {
                        v.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                );
                o.push_str(&format!(
                    "  {} EC2: {}{}, placement strategy {strategy}",
                    a.name,
                    e.network_mode,
                    if e.eni_trunking { " + trunking" } else { "" },
                ));
                for c in &e.constraints {
                    o.push_str(&format!(", {c}"));
                }
                if e.reserved_memory_mib > 0 {
                    o.push_str(&format!(", {} MiB reserved", e.reserved_memory_mib));
                }
                o.push_str(&format!(", task start {}\n", a.task_start_latency));
                for p in &e.providers {
                    o.push_str(&format!("    provider {}\n", provider(p)));
                }
            }
            ArmKind::Fargate(f) => {
                o.push_str(&format!(
                    "  {} FARGATE: {}, task start {}",
                    a.name, f.architecture, a.task_start_latency
                ));
                if a.provider_strategy
                    .iter()
                    .any(|p| p.provider == FARGATE_SPOT)
                {
                    o.push_str(&format!(
                        ", Spot {}% off, {} interruptions per task-hour",
                        percent(f.spot_discount),
                        f.spot_interruptions_per_hour
                    ));
                }
                if let Some(q) = f.vcpu_quota {
                    o.push_str(&format!(", quota {q} vCPUs"));
                }
                o.push('\n');
            }
            ArmKind::ManagedInstances(m) => {
                o.push_str(&format!(
                    "  {} MANAGED_INSTANCES: {}{}, up to {} instances of {}, scale-in after {}, task start {}\n",
                    a.name,
                    m.network_mode,
                    if m.eni_trunking { " + trunking" } else { "" },
                    m.max_instances,
                    m.types
                        .iter()
                        .map(|t| format!("{} (fee ${}/h)", t.instance_type.name, t.fee_per_hour))
                        .collect::<Vec<_>>()
                        .join(", "),
                    m.scale_in_after
                        .map_or_else(|| "never (-1)".to_string(), |d| format!("{} s", d.as_ms() / 1000)),
                    a.task_start_latency
                ));
            }
            ArmKind::External(x) => {
                o.push_str(&format!(
                    "  {} EXTERNAL: {}, ECS Anywhere fee ${}/instance-hour, task start {}\n",
                    a.name, x.network_mode, x.fee_per_hour, a.task_start_latency
                ));
                for g in &x.servers {
                    o.push_str(&format!(
                        "    servers {}: {} x {} cores, {} MiB, ${}/h each\n",
                        g.name, g.count, g.cores, g.memory_mib, g.cost_per_hour
                    ));
                }
            }
        }
        let names = |i: usize| a.provider_name(i);
        let shares: Vec<String> = a
            .provider_strategy
            .iter()
            .map(|p| format!("{} {}/{}", names(p.provider), p.base, p.weight))
            .collect();
        o.push_str(&format!(
            "    capacity provider strategy (base/weight): {}\n",
            shares.join(", ")
        ));
        let spot = match &a.kind {
            ArmKind::Ec2(e) => e
                .providers
                .iter()
                .any(|p| matches!(p.purchase, Purchase::Spot { .. })),
            ArmKind::Fargate(_) => a
                .provider_strategy
                .iter()
                .any(|p| p.provider == FARGATE_SPOT),
            ArmKind::ManagedInstances(_) | ArmKind::External(_) => false,
        };
        if spot {
            let what = match a.on_interruption {
                OnInterruption::Restart => "restart",
                OnInterruption::Lose => "lose",
            };
            o.push_str(&format!("    on Spot interruption: {what}\n"));
        }
        o.push_str(&format!("    zones {}", a.zones.join("/")));
        if let Some(ips) = &a.subnet_ips {
            let per: Vec<String> = a
                .zones
                .iter()
                .zip(ips)
                .map(|(z, n)| format!("{z} {n}"))
                .collect();
            o.push_str(&format!(", subnet IPs {}", per.join(", ")));
        }
        o.push('\n');
    }
    for w in &s.warnings {
        o.push_str(&format!("warning: {w}\n"));
    }
    o
}

/// A fraction as a whole-ish percentage (0.65 -> "65").
fn percent(x: f64) -> String {
    let p = (x * 100.0 * 1000.0).round() / 1000.0;
    p.to_string()
}

/// One EC2 provider: name, types, size, purchase, launch latency.
fn provider(p: &Ec2Provider) -> String {
    let types: Vec<&str> = p.instance_types.iter().map(|t| t.name.as_str()).collect();
    let size = match &p.capacity {
        Capacity::Fixed(n) => format!("fixed {n}"),
        Capacity::Managed { min, max, scaling } => format!(
            "{min}..{max}, target {}%, steps {}..{}, warm-up {}",
            scaling.target_capacity,
            scaling.minimum_scaling_step_size,
            scaling.maximum_scaling_step_size,
            scaling.instance_warmup_period
        ),
    };
    let purchase = match p.purchase {
        Purchase::OnDemand => "on-demand".to_string(),
        Purchase::Spot {
            discount,
            interruptions_per_hour,
        } => format!(
            "spot ({}% off, {interruptions_per_hour} interruptions per instance-hour)",
            percent(discount)
        ),
    };
    format!(
        "{}: [{}], {size}, {purchase}, instance launch {}",
        p.name,
        types.join(", "),
        p.instance_launch_latency
    )
}

/// One service: size, desired count, deployments, auto scaling.
fn service_line(sv: &ServiceSpec) -> String {
    let mut o = format!(
        "  service {}: {} CPU units / {} MiB, desired {}",
        sv.name, sv.cpu_units, sv.memory_mib, sv.desired
    );
    if !sv.host_ports.is_empty() {
        o.push_str(&format!(", host ports {:?}", sv.host_ports));
    }
    for c in &sv.constraints {
        o.push_str(&format!(", {c}"));
    }
    if let Some(st) = &sv.strategy {
        let v: Vec<String> = st.iter().map(ToString::to_string).collect();
        o.push_str(&format!(", placement strategy {}", v.join(", ")));
    }
    if !sv.deployments.is_empty() {
        let at: Vec<String> = sv.deployments.iter().map(ToString::to_string).collect();
        o.push_str(&format!(
            ", deployments at {} (min healthy {}%, max {}%)",
            at.join(", "),
            sv.deployment.minimum_healthy_percent,
            sv.deployment.maximum_percent
        ));
    }
    if let Some(a) = &sv.autoscaling {
        let load = match &a.load {
            LoadCurve::Constant(x) => format!("{x}"),
            LoadCurve::Diurnal {
                mean,
                peak_ratio,
                peak_at,
            } => format!("diurnal mean {mean}, peak ×{peak_ratio} at {peak_at}"),
            LoadCurve::Steps(v) => format!("{} steps from CSV", v.len()),
        };
        o.push_str(&format!(
            ", autoscaling to {}% CPU within {}..{} tasks (load {load}; cooldowns in {}, out {})",
            a.target_cpu_percent, a.min, a.max, a.scale_in_cooldown, a.scale_out_cooldown
        ));
    }
    o.push('\n');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_shows_providers_strategy_subnets_and_services() {
        let text = r#"
horizon = "1d"
[pricing]
spot_discount = 0.65
[[workload.services]]
name = "web"
cpu = 512
memory = 1024
desired = 6
deployments = ["6h"]
autoscaling = { target_cpu_percent = 60, min = 2, max = 40, load = 0.5 }
[[arm]]
name = "ec2"
launch_type = "EC2"
network_mode = "awsvpc"
availability_zones = ["us-east-1a", "us-east-1b"]
subnet_ips = 250
capacity_provider_strategy = [{ provider = "od", base = 2, weight = 1 }, { provider = "spot", weight = 3 }]
[[arm.capacity_providers]]
name = "od"
instance_types = ["m5.xlarge"]
capacity = { fixed = 4 }
[[arm.capacity_providers]]
name = "spot"
instance_types = ["m5.large"]
capacity = { min = 0, max = 50, managed_scaling = { target_capacity = 90 } }
purchase = "spot"
spot_interruptions_per_hour = 0.05
[[arm]]
name = "fspot"
launch_type = "FARGATE_SPOT"
"#;
        let s = match crate::scenario::load_str(Path::new("s.toml"), text) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let out = describe(&s, None);
        for want in [
            "service web: 512 CPU units / 1024 MiB, desired 6, deployments at 6h (min healthy 100%, max 200%), autoscaling to 60% CPU within 2..40 tasks",
            "provider od: [m5.xlarge], fixed 4, on-demand",
            "provider spot: [m5.large], 0..50, target 90%",
            "spot (65% off, 0.05 interruptions per instance-hour)",
            "capacity provider strategy (base/weight): od 2/1, spot 0/3",
            "on Spot interruption: restart",
            "zones us-east-1a/us-east-1b, subnet IPs us-east-1a 250, us-east-1b 250",
            "capacity provider strategy (base/weight): FARGATE_SPOT 0/1",
            "Spot 70% off",
        ] {
            assert!(out.contains(want), "missing {want:?} in:\n{out}");
        }
    }

    #[test]
    fn summary_shows_a_jobs_window() {
        let job = |window: &str| {
            format!(
                "horizon = \"1d\"\n[[workload.jobs]]\nname = \"etl\"\narrival = {{ poisson = {{ per_hour = 10 }} }}\nduration = \"10m\"\ncpu = 1024\nmemory = 2048\n{window}\n[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n"
            )
        };
        for (window, want) in [
            (
                "start = \"2h\"\nend = \"5h\"",
                "2048 MiB, from 2h until 5h\n",
            ),
            ("start = \"2h\"", "2048 MiB, from 2h\n"),
            ("end = \"5h\"", "2048 MiB, until 5h\n"),
            ("", "2048 MiB\n"),
        ] {
            let s = match crate::scenario::load_str(Path::new("s.toml"), &job(window)) {
                Ok(s) => s,
                Err(e) => panic!("{e}"),
            };
            let out = describe(&s, None);
            assert!(
                out.contains(want),
                "{window:?}: missing {want:?} in:\n{out}"
            );
        }
    }
}
