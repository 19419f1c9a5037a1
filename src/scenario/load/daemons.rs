//! Validating `[[workload.daemons]]`: names, sizes and ENIs of the host agents, then (once the
//! arms are known) that every daemon fits every instance type of the EC2 arms it runs on and
//! that the sidecars leave room for a Fargate task (docs/reference/sidecars-and-daemons.md §2,
//! §4).

use std::collections::BTreeSet;

use toml::Spanned;

use super::sizes::Floor;
use super::{R, Validator};
use crate::model::FargateSizes;
use crate::scenario::raw::RawDaemon;
use crate::scenario::size::Resource;
use crate::scenario::{Arm, ArmKind, DaemonLoad, DaemonSpec};

impl Validator<'_> {
    /// The Service Connect proxy a job's or service's tasks carry, (CPU units, MiB), from
    /// `service_connect`, `service_connect_peak_rps` and `service_connect_large_namespace`
    /// (docs/reference/sidecars-and-daemons.md §1.1); `None` without the proxy. The two sizing
    /// keys without `service_connect = true` would have no effect: refused.
    pub(super) fn service_connect(
        &self,
        key: &str,
        on: &Option<Spanned<bool>>,
        peak_rps: &Option<Spanned<f64>>,
        large: &Option<Spanned<bool>>,
    ) -> R<Option<(u32, u32)>> {
        let enabled = on.as_ref().is_some_and(|c| *c.get_ref());
        if !enabled {
            let stray = peak_rps
                .as_ref()
                .map(|p| (p.span(), "service_connect_peak_rps"))
                .or_else(|| {
                    large
                        .as_ref()
                        .map(|l| (l.span(), "service_connect_large_namespace"))
                });
            if let Some((span, k)) = stray {
                return Err(self.err(
                    span,
                    format!("`{key}.{k}` sizes the Service Connect proxy, which this task does not run; expected `service_connect = true` beside it, or remove it"),
                ));
            }
            return Ok(None);
        }
        let rps = match peak_rps {
            Some(p) if !(p.get_ref().is_finite() && *p.get_ref() >= 0.0) => {
                return Err(self.err(
                    p.span(),
                    format!(
                        "`{key}.service_connect_peak_rps`: found {}; expected the task's peak requests per second, a number >= 0",
                        p.get_ref()
                    ),
                ));
            }
            Some(p) => Some(*p.get_ref()),
            None => None,
        };
        let large = large.as_ref().is_some_and(|l| *l.get_ref());
        Ok(Some(crate::scenario::daemon::service_connect_proxy(
            rps, large,
        )))
    }

    /// The daemons as written, each checked on its own.
    pub(super) fn daemons(&mut self, raw: &[Spanned<RawDaemon>]) -> R<Vec<DaemonSpec>> {
        let mut out = Vec::new();
        let mut names = BTreeSet::new();
        for d in raw {
            let d = d.get_ref();
            let name = d.name.get_ref().trim().to_string();
            if name.is_empty() {
                return Err(self.err(
                    d.name.span(),
                    "`workload.daemons.name`: expected a non-empty name",
                ));
            }
            if !names.insert(name.clone()) {
                return Err(self.err(
                    d.name.span(),
                    format!("`workload.daemons.name`: `{name}` is used by another daemon; expected unique names"),
                ));
            }
            let who = format!("daemon `{name}`");
            // A daemon's CPU may be 0 (CPU shares only, as an EC2 container may be).
            let cpu_units = self.size(
                &d.cpu,
                "workload.daemons.cpu",
                &who,
                Resource::Cpu,
                0,
                1 << 24,
                Floor::Free,
            )?;
            let memory_mib = self.size(
                &d.memory,
                "workload.daemons.memory",
                &who,
                Resource::Memory,
                1,
                1 << 26,
                Floor::Task,
            )?;
            let enis = match &d.enis {
                Some(e) => self.int_in(e, "workload.daemons.enis", 0, 1)?,
                None => 0,
            };
            let arms = d.arms.as_ref().map(|a| {
                a.iter()
                    .map(|n| n.get_ref().trim().to_string())
                    .collect::<Vec<_>>()
            });
            out.push(DaemonSpec {
                name,
                cpu_units,
                memory_mib,
                enis,
                fargate_sidecar: d.fargate_sidecar.as_ref().is_none_or(|s| *s.get_ref()),
                arms,
            });
        }
        Ok(out)
    }

    /// Checks that need the arms: `arms` names an arm; on an EC2 arm the daemons together fit
    /// every instance type (ECS would otherwise keep trying to place them for ever and no
    /// replica task would run there, docs/reference/sidecars-and-daemons.md §2 "Insufficient
    /// resources"); on a Fargate arm the sidecars leave room in the largest Fargate size.
    pub(super) fn check_daemons(
        &self,
        raw: &[Spanned<RawDaemon>],
        daemons: &[DaemonSpec],
        arms: &[Arm],
    ) -> R<()> {
        for (r, d) in raw.iter().zip(daemons) {
            for n in r.get_ref().arms.iter().flatten() {
                if !arms.iter().any(|a| a.name == n.get_ref().trim()) {
                    let known: Vec<String> = arms.iter().map(|a| format!("`{}`", a.name)).collect();
                    return Err(self.err(n.span(), format!("`workload.daemons.arms`: daemon `{}` names arm `{}`, which is not in the scenario; expected one of {}", d.name, n.get_ref(), known.join(", "))));
                }
            }
        }
        let largest = FargateSizes::builtin()
            .sizes()
            .iter()
            .fold((0, 0), |(c, m), s| {
                (c.max(s.cpu_units), m.max(s.memory_mib))
            });
        for arm in arms {
            let on: Vec<(usize, &DaemonSpec)> = daemons
                .iter()
                .enumerate()
                .filter(|(_, d)| d.on_arm(&arm.name))
                .collect();
            let Some(&(first, _)) = on.first() else {
                continue;
            };
            let span = raw[first].get_ref().name.span();
            let names = on
                .iter()
                .map(|(_, d)| format!("`{}`", d.name))
                .collect::<Vec<_>>()
                .join(", ");
            match &arm.kind {
                ArmKind::Ec2(e) => {
                    let load = DaemonLoad::ec2(daemons, &arm.name);
                    let needs_eni = e.network_mode.needs_eni();
                    for t in e.providers.iter().flat_map(|p| &p.instance_types) {
                        let cpu = t.cpu_units();
                        let mem = t
                            .registered_memory_mib
                            .saturating_sub(e.reserved_memory_mib);
                        let slots = if needs_eni {
                            t.awsvpc_task_slots(e.eni_trunking)
                        } else {
                            u32::MAX
                        };
                        let enis = if needs_eni { load.enis } else { 0 };
                        if load.cpu_units > cpu || load.memory_mib > mem || enis > slots {
                            return Err(self.err(span, format!(
                                "`workload.daemons`: on arm `{}` the daemons {names} need {} CPU units, {} MiB and {enis} ENI(s) on every instance, but `{}` offers {cpu} CPU units, {mem} MiB and {} task ENI(s); ECS would keep trying to place the daemon for ever (docs/reference/sidecars-and-daemons.md §2); expected smaller daemons, a larger instance type, or `arms = [...]` without this arm",
                                arm.name, load.cpu_units, load.memory_mib, t.name,
                                if slots == u32::MAX { "unlimited".to_string() } else { slots.to_string() },
                            )));
                        }
                    }
                }
                ArmKind::ManagedInstances(m) => {
                    let load = DaemonLoad::ec2(daemons, &arm.name);
                    let needs_eni = m.network_mode.needs_eni();
                    for t in m.types.iter().map(|t| &t.instance_type) {
                        let (cpu, mem) = (t.cpu_units(), t.registered_memory_mib);
                        let slots = if needs_eni {
                            t.awsvpc_task_slots(m.eni_trunking)
                        } else {
                            u32::MAX
                        };
                        let enis = if needs_eni { load.enis } else { 0 };
                        if load.cpu_units >= cpu
                            || load.memory_mib >= mem
                            || (needs_eni && enis >= slots)
                        {
                            return Err(self.err(span, format!(
                                "`workload.daemons`: on Managed Instances arm `{}` the daemons {names} need {} CPU units, {} MiB and {enis} ENI(s) on every instance, which leaves no room for a task on `{}` ({cpu} CPU units, {mem} MiB); expected smaller daemons, instance requirements without this type, or `arms = [...]` without this arm",
                                arm.name, load.cpu_units, load.memory_mib, t.name,
                            )));
                        }
                    }
                }
                ArmKind::External(x) => {
                    let load = DaemonLoad::ec2(daemons, &arm.name);
                    for g in &x.servers {
                        if load.cpu_units > g.cpu_units() || load.memory_mib > g.memory_mib {
                            return Err(self.err(span, format!(
                                "`workload.daemons`: on external arm `{}` the daemons {names} need {} CPU units and {} MiB on every server, but servers `{}` register {} CPU units and {} MiB; ECS would keep trying to place the daemon for ever (docs/reference/sidecars-and-daemons.md §2); expected smaller daemons, larger servers, or `arms = [...]` without this arm",
                                arm.name, load.cpu_units, load.memory_mib, g.name, g.cpu_units(), g.memory_mib,
                            )));
                        }
                    }
                }
                ArmKind::Fargate(_) => {
                    let load = DaemonLoad::fargate(daemons, &arm.name);
                    if load.cpu_units >= largest.0 || load.memory_mib >= largest.1 {
                        return Err(self.err(span, format!(
                            "`workload.daemons`: on Fargate arm `{}` the sidecars {names} take {} CPU units and {} MiB of every task, which leaves no room in the largest Fargate size ({} CPU units, {} MiB; docs/reference/ecs-facts.md §1.1); expected smaller daemons, `fargate_sidecar = false`, or `arms = [...]` without this arm",
                            arm.name, load.cpu_units, load.memory_mib, largest.0, largest.1
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{JOB, err, ok};

    const FG: &str = "[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n";
    const EC2: &str = "[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n";

    fn with(daemons: &str, arms: &str) -> String {
        format!("horizon = \"1h\"\n{JOB}{daemons}{arms}")
    }

    #[test]
    fn a_daemon_reads_sizes_and_defaults_to_a_fargate_sidecar_on_every_arm() {
        let s = ok(&with(
            "[[workload.daemons]]\nname = \"dd\"\ncpu = \"0.25 vCPU\"\nmemory = \"0.5 GB\"\n[[workload.daemons]]\nname = \"cni\"\ncpu = 0\nmemory = 64\nenis = 1\nfargate_sidecar = false\narms = [\"e\"]\n",
            &format!("{FG}{EC2}"),
        ));
        let d = &s.workload.daemons;
        assert_eq!(
            (
                d[0].cpu_units,
                d[0].memory_mib,
                d[0].enis,
                d[0].fargate_sidecar
            ),
            (256, 512, 0, true)
        );
        assert!(d[0].on_arm("f") && d[0].on_arm("e"));
        assert_eq!(
            (d[1].cpu_units, d[1].enis, d[1].fargate_sidecar),
            (0, 1, false)
        );
        assert!(!d[1].on_arm("f") && d[1].on_arm("e"));
    }

    #[test]
    fn bad_daemons_are_refused_with_the_key() {
        let dd = "[[workload.daemons]]\nname = \"dd\"\ncpu = 256\nmemory = 512\n";
        let e = err(&with(&format!("{dd}{dd}"), FG));
        assert!(
            e.contains("`workload.daemons.name`: `dd` is used by another daemon"),
            "{e}"
        );
        let e = err(&with(
            "[[workload.daemons]]\nname = \"dd\"\ncpu = 256\nmemory = 512\nenis = 2\n",
            FG,
        ));
        assert!(
            e.contains("`workload.daemons.enis`: found 2; expected an integer in 0..=1"),
            "{e}"
        );
        let e = err(&with(
            "[[workload.daemons]]\nname = \"dd\"\ncpu = 256\nmemory = 512\narms = [\"nope\"]\n",
            FG,
        ));
        assert!(
            e.contains("names arm `nope`, which is not in the scenario; expected one of `f`"),
            "{e}"
        );
        let e = err(&with(
            "[[workload.daemons]]\nname = \"dd\"\ncpu = 256\n",
            FG,
        ));
        assert!(e.contains("memory"), "{e}");
        let e = err(&with(
            "[[workload.daemons]]\nname = \"dd\"\ncpu = 256\nmemory = 512\nport = 1\n",
            FG,
        ));
        assert!(e.contains("unknown field `port`"), "{e}");
    }

    #[test]
    fn a_daemon_larger_than_an_instance_type_is_an_error_naming_the_type() {
        // m5.large registers 2048 CPU units: a 3072-unit daemon could never be placed.
        let e = err(&with(
            "[[workload.daemons]]\nname = \"big\"\ncpu = 3072\nmemory = 512\n",
            EC2,
        ));
        assert!(
            e.contains("on arm `e` the daemons `big` need 3072 CPU units"),
            "{e}"
        );
        assert!(e.contains("but `m5.large` offers 2048 CPU units"), "{e}");
        assert!(e.contains("sidecars-and-daemons.md §2"), "{e}");
        // The same daemon restricted to the Fargate arm is fine there (16 vCPU sizes exist).
        ok(&with(
            "[[workload.daemons]]\nname = \"big\"\ncpu = 3072\nmemory = 512\narms = [\"f\"]\n",
            &format!("{FG}{EC2}"),
        ));
        // ENIs on an awsvpc arm: m5.large holds max_enis − 1 = 2 awsvpc tasks. Two daemons of
        // one ENI each fit (leaving no slot for replica tasks); three do not.
        let awsvpc = "[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\nnetwork_mode = \"awsvpc\"\n";
        let one = |n: &str| {
            format!("[[workload.daemons]]\nname = \"{n}\"\ncpu = 0\nmemory = 16\nenis = 1\n")
        };
        ok(&with(&format!("{}{}", one("a"), one("b")), awsvpc));
        let e = err(&with(
            &format!("{}{}{}", one("a"), one("b"), one("c")),
            awsvpc,
        ));
        assert!(
            e.contains("3 ENI(s) on every instance") && e.contains("2 task ENI(s)"),
            "{e}"
        );
        // A sidecar that fills the largest Fargate size.
        let e = err(&with(
            "[[workload.daemons]]\nname = \"big\"\ncpu = 16384\nmemory = 512\n",
            FG,
        ));
        assert!(
            e.contains("leaves no room in the largest Fargate size (16384 CPU units"),
            "{e}"
        );
    }

    #[test]
    fn service_connect_adds_the_proxy_to_jobs_and_services() {
        let s = ok(&format!(
            "horizon = \"1h\"\n{JOB}service_connect = true\n[[workload.jobs]]\nname = \"plain\"\narrival = {{ fixed_interval = \"1m\" }}\nduration = \"1m\"\ncpu = 1024\nmemory = 2048\nservice_connect = false\n[[workload.services]]\nname = \"web\"\ncpu = 512\nmemory = 1024\ndesired = 1\nservice_connect = true\n{FG}"
        ));
        // +256 CPU units, +64 MiB (docs/reference/sidecars-and-daemons.md §1.1).
        let j = &s.workload.jobs;
        assert_eq!((j[0].cpu_units, j[0].memory_mib), (1280, 2112));
        assert_eq!((j[1].cpu_units, j[1].memory_mib), (1024, 2048));
        let w = &s.workload.services[0];
        assert_eq!((w.cpu_units, w.memory_mib), (768, 1088));
    }

    #[test]
    fn service_connect_grows_for_high_traffic_and_large_namespaces() {
        let job = |extra: &str| {
            format!(
                "horizon = \"1h\"\n[[workload.jobs]]\nname = \"j\"\narrival = {{ fixed_interval = \"1m\" }}\nduration = \"1m\"\ncpu = 1024\nmemory = 2048\n{extra}\n{FG}"
            )
        };
        let size = |extra: &str| {
            let s = ok(&job(extra));
            (s.workload.jobs[0].cpu_units, s.workload.jobs[0].memory_mib)
        };
        // 500 requests a second is not "> 500": still 256 units (§1.1).
        assert_eq!(
            size("service_connect = true\nservice_connect_peak_rps = 500"),
            (1280, 2112)
        );
        // Above 500: 512 units in place of 256; a large namespace adds 128 MiB to the 64.
        assert_eq!(
            size("service_connect = true\nservice_connect_peak_rps = 800"),
            (1536, 2112)
        );
        assert_eq!(
            size("service_connect = true\nservice_connect_large_namespace = true"),
            (1280, 2240)
        );
        // Without the proxy the sizing keys would do nothing: refused, naming the fix.
        let e = err(&job("service_connect_peak_rps = 800"));
        assert!(
            e.contains("`workload.jobs.service_connect_peak_rps` sizes the Service Connect proxy"),
            "{e}"
        );
        assert!(e.contains("expected `service_connect = true`"), "{e}");
        let e = err(&job(
            "service_connect = true\nservice_connect_peak_rps = -1",
        ));
        assert!(
            e.contains("expected the task's peak requests per second"),
            "{e}"
        );
    }
}
