//! `sim validate`: check a scenario and its trace; print what it resolves to.

use std::path::Path;

use anyhow::Context;

use crate::model::GroupTable;
use crate::scenario::{ArmKind, Scenario};
use crate::trace::{CsvTrace, TraceSource};

/// Load, check the whole trace, and print a one-screen summary.
#[allow(clippy::print_stdout)]
pub fn validate(path: &Path) -> anyhow::Result<()> {
    let scenario = crate::scenario::load(path)?;
    let rows = match &scenario.workload.trace {
        Some(p) => Some(
            count_trace(p)
                .with_context(|| format!("checking the trace of `{}`", path.display()))?,
        ),
        None => None,
    };
    print!("{}", describe(&scenario, rows));
    Ok(())
}

fn count_trace(p: &Path) -> anyhow::Result<u64> {
    let mut t = CsvTrace::open(p)?;
    let mut g = GroupTable::new();
    let mut n = 0;
    while t.next_task(&mut g)?.is_some() {
        n += 1;
    }
    Ok(n)
}

/// The one-screen summary of a resolved scenario.
pub fn describe(s: &Scenario, trace_rows: Option<u64>) -> String {
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
    o.push_str("workload\n");
    if let Some(p) = &s.workload.trace {
        o.push_str(&format!(
            "  trace {} ({} rows)\n",
            p.display(),
            trace_rows.unwrap_or(0)
        ));
    }
    for j in &s.workload.jobs {
        let mut extra = String::new();
        if let Some(e) = j.end {
            extra.push_str(&format!(", until {e}"));
        }
        if let Some(m) = j.max_tasks {
            extra.push_str(&format!(", at most {m} tasks"));
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
    o.push_str("arms\n");
    for a in &s.arms {
        match &a.kind {
            ArmKind::Ec2(e) => {
                let p = &e.providers[0];
                let types: Vec<&str> = p.instance_types.iter().map(|t| t.name.as_str()).collect();
                let fleet = match &p.capacity {
                    crate::scenario::Capacity::Fixed(n) => n.to_string(),
                    crate::scenario::Capacity::Managed { min, max, .. } => format!("{min}..{max}"),
                };
                let strategy = e.strategy.as_ref().map_or_else(
                    || "random (ECS default for tasks)".to_string(),
                    |v| {
                        v.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                );
                o.push_str(&format!(
                    "  {} EC2: {} × [{}] in {}, {}{}, strategy {strategy}",
                    a.name,
                    fleet,
                    types.join(", "),
                    a.zones.join("/"),
                    e.network_mode,
                    if e.eni_trunking { " + trunking" } else { "" },
                ));
                for c in &e.constraints {
                    o.push_str(&format!(", {c}"));
                }
                o.push_str(&format!(", task start {}\n", a.task_start_latency));
            }
            ArmKind::Fargate(f) => {
                o.push_str(&format!(
                    "  {} FARGATE: {}, task start {}\n",
                    a.name, f.architecture, a.task_start_latency
                ));
            }
        }
    }
    for w in &s.warnings {
        o.push_str(&format!("warning: {w}\n"));
    }
    o
}
