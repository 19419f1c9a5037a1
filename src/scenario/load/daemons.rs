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
