//! Validating `[[workload.jobs]]`: size, arrival process, duration, window and placement of a
//! generated stream of one-off tasks.

use std::path::Path;

use toml::Spanned;

use super::task_defs::{NamedTaskDefinition, TaskDefinitionUse};
use super::{R, Validator};
use crate::scenario::limits::MAX_CONSTRAINTS;
use crate::scenario::raw::{RawArrival, RawJob};
use crate::time::{SimDuration, SimTime};
use crate::trace::{ArrivalProcess, JobSpec};

impl Validator<'_> {
    pub(super) fn job(
        &mut self,
        j: &RawJob,
        default_td: Option<&NamedTaskDefinition>,
        path: &Path,
    ) -> R<JobSpec> {
        let name = j.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(self.err(
                j.name.span(),
                "`workload.jobs.name`: expected a non-empty name",
            ));
        }
        let size = self.task_size(
            "workload.jobs",
            &name,
            j.name.span(),
            &j.cpu,
            &j.memory,
            &j.task_definition,
            default_td,
            path,
        )?;
        let (mut cpu_units, mut memory_mib) = (size.cpu_units, size.memory_mib);
        // The Service Connect proxy's recommended size, added before Fargate rounding or EC2
        // placement (docs/reference/sidecars-and-daemons.md §1.1).
        if let Some((cpu, memory)) = self.service_connect(
            "workload.jobs",
            &j.service_connect,
            &j.service_connect_peak_rps,
            &j.service_connect_large_namespace,
        )? {
            cpu_units += cpu;
            memory_mib += memory;
        }
        let td = size.td.as_ref();
        let storage_gib = match (&j.ephemeral_storage_gib, td.and_then(|t| t.td.storage_gib)) {
            (Some(s), Some(_)) => return Err(self.err(s.span(), format!("`workload.jobs.ephemeral_storage_gib`: job `{name}`'s task definition gives `ephemeralStorage` too; expected it in one place"))),
            (Some(s), None) => self.int_in(s, "workload.jobs.ephemeral_storage_gib", 20, 200)?,
            (None, Some(g)) => g,
            (None, None) => 20,
        };
        let arrival = self.arrival(&j.arrival)?;
        let duration = self.distribution(&j.duration, "workload.jobs.duration", true)?;
        let start = SimTime(j.start.as_ref().map_or(0, |s| s.get_ref().0.as_ms()));
        let end = match &j.end {
            Some(e) if e.get_ref().0.as_ms() <= start.as_ms() => {
                return Err(self.err(
                    e.span(),
                    format!(
                        "`workload.jobs.end`: found {}; expected a time after `start` ({})",
                        e.get_ref().0,
                        SimDuration(start.as_ms())
                    ),
                ));
            }
            Some(e) => Some(SimTime(e.get_ref().0.as_ms())),
            None => None,
        };
        let max_tasks = match &j.max_tasks {
            Some(m) if *m.get_ref() < 1 => {
                return Err(self.err(
                    m.span(),
                    format!(
                        "`workload.jobs.max_tasks`: found {}; expected a positive integer",
                        m.get_ref()
                    ),
                ));
            }
            Some(m) => Some(*m.get_ref() as u64),
            None => None,
        };
        let mut host_ports = Vec::new();
        for p in j.host_ports.iter().flatten() {
            let port = self.int_in(p, "workload.jobs.host_ports", 1, 65535)? as u16;
            if host_ports.contains(&port) {
                return Err(self.err(p.span(), format!("`workload.jobs.host_ports`: port {port} is listed twice; expected distinct ports")));
            }
            host_ports.push(port);
        }
        let mut constraints = self.constraints(
            j.placement_constraints.as_deref().unwrap_or(&[]),
            "workload.jobs.placement_constraints",
        )?;
        let mut group = name.clone();
        if let Some(t) = td {
            if !t.td.host_ports.is_empty() {
                if let Some(p) = j.host_ports.as_ref().and_then(|v| v.first()) {
                    return Err(self.err(p.span(), format!("`workload.jobs.host_ports`: job `{name}`'s task definition maps host ports too; expected them in one place")));
                }
                host_ports = t.td.host_ports.clone();
            }
            constraints.extend(self.task_definition_constraints(t)?);
            if constraints.len() > MAX_CONSTRAINTS {
                return Err(self.err(t.span.clone(), format!("`{}`: job `{name}` has {} placement constraints with its task definition's; ECS allows at most {MAX_CONSTRAINTS} per task", t.key, constraints.len())));
            }
            if let Some(f) = &t.td.family {
                group = format!("family:{f}");
            }
            self.task_definitions.push(TaskDefinitionUse {
                what: format!("job `{name}`"),
                network_mode: t.td.network_mode,
                cpu_architecture: t.td.cpu_architecture,
                task_level_size: t.td.task_level_size,
                compatibilities: t.td.compatibilities.clone(),
            });
        }
        let stop_timeout = self.stop_timeout(&j.stop_timeout, td, "workload.jobs", &name)?;
        let os = self.task_os(&j.os, "workload.jobs.os", &format!("job `{name}`"), td)?;
        Ok(JobSpec {
            name,
            group,
            arrival,
            duration,
            cpu_units,
            memory_mib,
            storage_gib,
            start,
            end,
            max_tasks,
            host_ports,
            constraints,
            stop_timeout,
            os,
        })
    }

    pub(super) fn arrival(&self, a: &Spanned<RawArrival>) -> R<ArrivalProcess> {
        let span = a.span();
        let rate_ok = |v: f64, key: &str| -> R<f64> {
            if v.is_finite() && v > 0.0 && v <= 36_000_000.0 {
                Ok(v)
            } else {
                Err(self.err(
                    span.clone(),
                    format!("`{key}`: found {v}; expected a positive rate up to 36000000 per hour"),
                ))
            }
        };
        Ok(match a.get_ref() {
            RawArrival::Poisson { per_hour } => ArrivalProcess::Poisson {
                per_hour: rate_ok(*per_hour, "workload.jobs.arrival.poisson.per_hour")?,
            },
            RawArrival::FixedInterval(d) => {
                if d.0.as_ms() == 0 {
                    return Err(self.err(span, "`workload.jobs.arrival.fixed_interval`: found 0; expected a positive duration such as \"5m\""));
                }
                ArrivalProcess::FixedInterval(d.0)
            }
            RawArrival::Diurnal {
                mean_per_hour,
                peak_ratio,
                peak_at,
            } => {
                if !(peak_ratio.is_finite() && (1.0..=1000.0).contains(peak_ratio)) {
                    return Err(self.err(span, format!("`workload.jobs.arrival.diurnal.peak_ratio`: found {peak_ratio}; expected a number in 1..=1000 (peak rate ÷ trough rate)")));
                }
                ArrivalProcess::Diurnal {
                    mean_per_hour: rate_ok(
                        *mean_per_hour,
                        "workload.jobs.arrival.diurnal.mean_per_hour",
                    )?,
                    peak_ratio: *peak_ratio,
                    peak_at: peak_at.0,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{err, ok};
    use crate::scenario::limits::expected_arrivals;

    #[test]
    fn expected_arrivals_are_rate_times_active_time_capped_by_max_tasks() {
        let job = |arrival: &str, extra: &str| {
            let s = ok(&format!(
                "horizon = \"10h\"\n[[workload.jobs]]\nname = \"j\"\narrival = {arrival}\nduration = \"1m\"\ncpu = 256\nmemory = 512\n{extra}[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n"
            ));
            expected_arrivals(&s.workload.jobs[0], s.horizon)
        };
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-6, "{a} != {b}");
        close(job("{ poisson = { per_hour = 60 } }", ""), 600.0);
        close(
            job(
                "{ poisson = { per_hour = 60 } }",
                "start = \"2h\"\nend = \"4h\"\n",
            ),
            120.0,
        );
        close(
            job("{ poisson = { per_hour = 60 } }", "end = \"20h\"\n"),
            600.0,
        );
        close(job("{ fixed_interval = \"1m\" }", "max_tasks = 7\n"), 7.0);
        close(
            job(
                "{ diurnal = { mean_per_hour = 30, peak_ratio = 3.0, peak_at = \"14h\" } }",
                "",
            ),
            300.0,
        );
        // 36 million an hour for four hours is above the limit, and says where.
        let e = err(
            "horizon = \"4h\"\n[[workload.jobs]]\nname = \"j\"\narrival = { poisson = { per_hour = 36000000 } }\nduration = \"1m\"\ncpu = 256\nmemory = 512\n[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n",
        );
        assert!(
            e.starts_with("s.toml:4:11: `workload.jobs.arrival`: about 1.440e8 tasks would arrive"),
            "{e}"
        );
    }
}
