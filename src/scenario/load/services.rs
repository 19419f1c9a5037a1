//! Validating `[[workload.services]]`: size, desired count, placement, deployments and auto
//! scaling with its load curve.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::task_defs::{NamedTaskDefinition, TaskDefinitionUse};
use super::{R, Validator, resolve};
use crate::scenario::limits::MAX_CONSTRAINTS;
use crate::scenario::raw::{RawAutoscaling, RawDeployment, RawLoad, RawService};
use crate::scenario::{DeploymentConfig, LoadCurve, ServiceAutoscaling, ServiceSpec};
use crate::time::{MAX_DURATION_MS, SimDuration, SimTime};

/// Tasks per service (desired count), ECS's default quota (docs/reference/ecs-facts.md §7.2).
pub const MAX_SERVICE_TASKS: i64 = 5000;
/// Most rows of a load CSV.
pub const MAX_LOAD_ROWS: u64 = 1_000_000;
/// Default auto-scaling cooldowns, scale-in and scale-out (docs/reference/ecs-facts.md §6.3).
pub const DEFAULT_COOLDOWN: SimDuration = SimDuration(300_000);

const K: &str = "workload.services";

impl Validator<'_> {
    pub(super) fn service(
        &mut self,
        s: &RawService,
        path: &Path,
        horizon: Option<SimDuration>,
        default_td: Option<&NamedTaskDefinition>,
    ) -> R<ServiceSpec> {
        let name = s.name.get_ref().trim().to_string();
        if name.is_empty() || name.contains(',') {
            return Err(self.err(
                s.name.span(),
                format!("`{K}.name`: found `{name}`; expected a non-empty name without `,`"),
            ));
        }
        let size = self.task_size(
            K,
            &name,
            s.name.span(),
            &s.cpu,
            &s.memory,
            &s.task_definition,
            default_td,
            path,
        )?;
        let (mut cpu_units, mut memory_mib) = (size.cpu_units, size.memory_mib);
        // The Service Connect proxy's recommended size, added before Fargate rounding or EC2
        // placement (docs/reference/sidecars-and-daemons.md §1.1).
        if let Some((cpu, memory)) = self.service_connect(
            K,
            &s.service_connect,
            &s.service_connect_peak_rps,
            &s.service_connect_large_namespace,
        )? {
            cpu_units += cpu;
            memory_mib += memory;
        }
        let td = size.td.as_ref();
        let storage_gib = match (&s.ephemeral_storage_gib, td.and_then(|t| t.td.storage_gib)) {
            (Some(x), Some(_)) => return Err(self.err(x.span(), format!("`{K}.ephemeral_storage_gib`: service `{name}`'s task definition gives `ephemeralStorage` too; expected it in one place"))),
            (Some(x), None) => self.int_in(x, &format!("{K}.ephemeral_storage_gib"), 20, 200)?,
            (None, Some(g)) => g,
            (None, None) => 20,
        };
        let desired = self.int_in(&s.desired, &format!("{K}.desired"), 0, MAX_SERVICE_TASKS)?;
        let mut host_ports = Vec::new();
        for p in s.host_ports.iter().flatten() {
            let port = self.int_in(p, &format!("{K}.host_ports"), 1, 65535)? as u16;
            if host_ports.contains(&port) {
                return Err(self.err(
                    p.span(),
                    format!(
                        "`{K}.host_ports`: port {port} is listed twice; expected distinct ports"
                    ),
                ));
            }
            host_ports.push(port);
        }
        let mut constraints = self.constraints(
            s.placement_constraints.as_deref().unwrap_or(&[]),
            "workload.services.placement_constraints",
        )?;
        if let Some(t) = td {
            if !t.td.host_ports.is_empty() {
                if let Some(p) = s.host_ports.as_ref().and_then(|v| v.first()) {
                    return Err(self.err(p.span(), format!("`{K}.host_ports`: service `{name}`'s task definition maps host ports too; expected them in one place")));
                }
                host_ports = t.td.host_ports.clone();
            }
            constraints.extend(self.task_definition_constraints(t)?);
            if constraints.len() > MAX_CONSTRAINTS {
                return Err(self.err(t.span.clone(), format!("`{}`: service `{name}` has {} placement constraints with its task definition's; ECS allows at most {MAX_CONSTRAINTS} per task", t.key, constraints.len())));
            }
            self.task_definitions.push(TaskDefinitionUse {
                what: format!("service `{name}`"),
                network_mode: t.td.network_mode,
                cpu_architecture: t.td.cpu_architecture,
                task_level_size: t.td.task_level_size,
                compatibilities: t.td.compatibilities.clone(),
            });
        }
        let strategy = match &s.placement_strategy {
            Some(list) => self.placement_strategy(list, "workload.services.placement_strategy")?,
            None => None,
        };
        let mut deployments = Vec::new();
        for d in s.deployments.iter().flat_map(|d| d.get_ref()) {
            let t = d.get_ref().0;
            if let Some(h) = horizon
                && t >= h
            {
                return Err(self.err(
                    d.span(),
                    format!(
                        "`{K}.deployments`: found {t}; expected a time before the horizon ({h})"
                    ),
                ));
            }
            deployments.push(SimTime(t.as_ms()));
        }
        deployments.sort_unstable();
        let deployment = match &s.deployment {
            Some(d) => self.deployment(d.get_ref())?,
            None => DeploymentConfig::default(),
        };
        if s.deployment.is_some() && deployments.is_empty() {
            self.warnings.push(format!(
                "service `{name}`: `deployment` has no effect without `deployments` (sim applies minimum_healthy_percent and maximum_percent to rolling deployments only, docs/model.md §16.5)"
            ));
        }
        if !deployments.is_empty() && desired >= 1 {
            let d = u64::from(desired);
            let most = d * u64::from(deployment.maximum_percent) / 100;
            let least = (d * u64::from(deployment.minimum_healthy_percent)).div_ceil(100);
            if most <= d && least >= d {
                let span = s.deployment.as_ref().map_or_else(
                    || s.deployments.as_ref().map_or(s.name.span(), Spanned::span),
                    Spanned::span,
                );
                return Err(self.err(
                    span,
                    format!(
                        "service `{name}`: a deployment can never progress: with desired {d}, maximum_percent {} allows floor({d} × {} / 100) = {most} tasks, so no new task can start, and minimum_healthy_percent {} keeps ceil({d} × {} / 100) = {least} running, so no old task can stop (docs/reference/ecs-facts.md §6.1); expected a higher maximum_percent or a lower minimum_healthy_percent",
                        deployment.maximum_percent,
                        deployment.maximum_percent,
                        deployment.minimum_healthy_percent,
                        deployment.minimum_healthy_percent,
                    ),
                ));
            }
        }
        let autoscaling = match &s.autoscaling {
            Some(a) => {
                let a = self.autoscaling(a, path)?;
                if desired < a.min || desired > a.max {
                    self.warnings.push(format!(
                        "service `{name}`: desired {desired} is outside autoscaling min..max ({}..{}); scaling will move it",
                        a.min, a.max
                    ));
                }
                if desired == 0 {
                    self.warnings.push(format!(
                        "service `{name}`: desired is 0, and the autoscaling load is a fraction of the CPU of the initial desired tasks, so the offered load is always 0"
                    ));
                }
                Some(a)
            }
            None => None,
        };
        let stop_timeout = self.stop_timeout(&s.stop_timeout, td, K, &name)?;
        let os = self.task_os(&s.os, &format!("{K}.os"), &format!("service `{name}`"), td)?;
        Ok(ServiceSpec {
            name,
            cpu_units,
            memory_mib,
            storage_gib,
            desired,
            host_ports,
            constraints,
            strategy,
            deployments,
            deployment,
            autoscaling,
            stop_timeout,
            os,
        })
    }

    fn deployment(&self, d: &RawDeployment) -> R<DeploymentConfig> {
        let def = DeploymentConfig::default();
        Ok(DeploymentConfig {
            minimum_healthy_percent: match &d.minimum_healthy_percent {
                Some(m) => self.int_in(
                    m,
                    &format!("{K}.deployment.minimum_healthy_percent"),
                    0,
                    100,
                )?,
                None => def.minimum_healthy_percent,
            },
            maximum_percent: match &d.maximum_percent {
                Some(m) => self.int_in(m, &format!("{K}.deployment.maximum_percent"), 100, 1000)?,
                None => def.maximum_percent,
            },
        })
    }

    fn autoscaling(&self, s: &Spanned<RawAutoscaling>, path: &Path) -> R<ServiceAutoscaling> {
        let a = s.get_ref();
        let k = format!("{K}.autoscaling");
        let missing = |key: &str, what: &str| {
            self.err(
                s.span(),
                format!("`{k}` needs `{key}` ({what}); it takes target_cpu_percent, min, max, load, scale_in_cooldown and scale_out_cooldown"),
            )
        };
        let target = a.target_cpu_percent.as_ref().ok_or_else(|| {
            missing(
                "target_cpu_percent",
                "the average CPU utilisation to hold, e.g. 60",
            )
        })?;
        let target_cpu_percent = *target.get_ref();
        if !(target_cpu_percent.is_finite()
            && target_cpu_percent > 0.0
            && target_cpu_percent <= 100.0)
        {
            return Err(self.err(
                target.span(),
                format!("`{k}.target_cpu_percent`: found {target_cpu_percent}; expected a number with 0 < x <= 100"),
            ));
        }
        let min_raw = a
            .min
            .as_ref()
            .ok_or_else(|| missing("min", "the fewest tasks"))?;
        let max_raw = a
            .max
            .as_ref()
            .ok_or_else(|| missing("max", "the most tasks"))?;
        let max = self.int_in(max_raw, &format!("{k}.max"), 1, MAX_SERVICE_TASKS)?;
        let min = self.int_in(min_raw, &format!("{k}.min"), 0, MAX_SERVICE_TASKS)?;
        if min > max {
            return Err(self.err(
                min_raw.span(),
                format!("`{k}.min`: found {min}; expected at most `max` ({max})"),
            ));
        }
        let load_raw = a.load.as_ref().ok_or_else(|| {
            missing("load", "the offered CPU load as a fraction of the initial desired tasks' CPU: a number, { diurnal = { .. } } or { csv = \"load.csv\" }")
        })?;
        let load = self.load_curve(load_raw, path)?;
        let cooldown = |c: &Option<Spanned<crate::scenario::duration::DurationValue>>| {
            c.as_ref().map_or(DEFAULT_COOLDOWN, |c| c.get_ref().0)
        };
        Ok(ServiceAutoscaling {
            target_cpu_percent,
            min,
            max,
            load,
            scale_in_cooldown: cooldown(&a.scale_in_cooldown),
            scale_out_cooldown: cooldown(&a.scale_out_cooldown),
        })
    }

    fn load_curve(&self, l: &Spanned<RawLoad>, path: &Path) -> R<LoadCurve> {
        let k = format!("{K}.autoscaling.load");
        let span = l.span();
        Ok(match l.get_ref() {
            RawLoad::Constant(x) => {
                if !(x.is_finite() && *x >= 0.0) {
                    return Err(self.err(span, format!("`{k}`: found {x}; expected a number >= 0 (a fraction of the CPU of the initial desired tasks)")));
                }
                LoadCurve::Constant(*x)
            }
            RawLoad::Diurnal {
                mean,
                peak_ratio,
                peak_at,
            } => {
                if !(mean.is_finite() && *mean >= 0.0) {
                    return Err(self.err(
                        span,
                        format!("`{k}.diurnal.mean`: found {mean}; expected a number >= 0"),
                    ));
                }
                if !(peak_ratio.is_finite() && (1.0..=1000.0).contains(peak_ratio)) {
                    return Err(self.err(span, format!("`{k}.diurnal.peak_ratio`: found {peak_ratio}; expected a number in 1..=1000 (peak load ÷ trough load)")));
                }
                LoadCurve::Diurnal {
                    mean: *mean,
                    peak_ratio: *peak_ratio,
                    peak_at: peak_at.0,
                }
            }
            RawLoad::Csv(file) => LoadCurve::Steps(self.load_csv(span, file, path)?),
        })
    }

    /// A `time_s,load` CSV, every row checked; errors name the CSV file, row and column.
    fn load_csv(&self, span: Range<usize>, file: &str, path: &Path) -> R<Vec<(SimTime, f64)>> {
        let p = resolve(path, file);
        let shown = p.display().to_string();
        let e = |m: String| self.err(span.clone(), format!("`{K}.autoscaling.load.csv`: {m}"));
        match std::fs::metadata(&p) {
            Err(er) => {
                return Err(e(format!(
                    "cannot open `{shown}`: {er}; expected a CSV file with columns time_s and load (relative paths are relative to the scenario)"
                )));
            }
            Ok(m) if m.is_dir() => {
                return Err(e(format!(
                    "`{shown}` is a folder; expected a CSV file with columns time_s and load"
                )));
            }
            Ok(_) => {}
        }
        let f = std::fs::File::open(&p).map_err(|er| e(format!("cannot open `{shown}`: {er}")))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(std::io::BufReader::new(f));
        let header = reader
            .headers()
            .map_err(|er| e(format!("{shown}: line 1 (header): {er}")))?
            .clone();
        let column = |name: &str| {
            header.iter().position(|h| h.trim() == name).ok_or_else(|| {
                e(format!("{shown}: line 1 (header): missing required column `{name}`; expected a header with time_s and load"))
            })
        };
        let (ti, li) = (column("time_s")?, column("load")?);
        let mut out: Vec<(SimTime, f64)> = Vec::new();
        let mut record = csv::StringRecord::new();
        let mut row: u64 = 0;
        let mut last_s = 0.0_f64;
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(er) => {
                    let line = er.position().map_or(row + 2, csv::Position::line);
                    return Err(e(format!("{shown}: row {} (line {line}): {er}", row + 1)));
                }
            }
            row += 1;
            let line = record.position().map_or(row + 1, csv::Position::line);
            if row > MAX_LOAD_ROWS {
                return Err(e(format!(
                    "{shown}: row {row} (line {line}): more than {MAX_LOAD_ROWS} rows; expected fewer steps"
                )));
            }
            let at = |c: &str, m: String| {
                e(format!(
                    "{shown}: row {row} (line {line}), column `{c}`: {m}"
                ))
            };
            let number = |idx: usize, c: &str| -> R<f64> {
                let raw = record.get(idx).unwrap_or("").trim();
                if raw.is_empty() {
                    return Err(at(c, "missing value; expected a number".to_string()));
                }
                match raw.parse::<f64>() {
                    Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
                    Ok(_) => Err(at(
                        c,
                        format!("found `{raw}`; expected a finite number >= 0"),
                    )),
                    Err(_) => Err(at(c, format!("found `{raw}`; expected a number"))),
                }
            };
            let t = number(ti, "time_s")?;
            if t * 1000.0 > MAX_DURATION_MS as f64 {
                return Err(at(
                    "time_s",
                    format!("found {t}; expected at most 100 years of seconds"),
                ));
            }
            if t < last_s {
                return Err(at(
                    "time_s",
                    format!(
                        "found {t}, earlier than the previous row's {last_s}; expected rows sorted by time_s (non-decreasing)"
                    ),
                ));
            }
            last_s = t;
            let load = number(li, "load")?;
            out.push((SimTime((t * 1000.0).round() as u64), load));
        }
        if out.is_empty() {
            return Err(e(format!(
                "{shown}: no data rows; expected at least one `time_s,load` row after the header"
            )));
        }
        Ok(out)
    }
}
