//! `task_definition = "taskdef.json"` on a job, a service or `[workload]`: reading the JSON,
//! choosing between it and `cpu`/`memory`, and turning its placement fields into constraints
//! (docs/model.md §17).

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::sizes::Floor;
use super::{R, Validator, resolve};
use crate::model::TaskDefinition;
use crate::model::{Architecture, NetworkMode};
use crate::placement::PlacementConstraint;
use crate::placement::query::Expression;
use crate::scenario::size::{RawSize, Resource};
use crate::scenario::task_definition_file;

/// A task definition with where the scenario names it.
#[derive(Debug, Clone)]
pub(super) struct NamedTaskDefinition {
    pub td: TaskDefinition,
    /// The span of the `task_definition` value.
    pub span: Range<usize>,
    /// The key, e.g. `workload.jobs.task_definition`.
    pub key: String,
}

/// The size of a job's or service's tasks, and the task definition it came from, if any.
#[derive(Debug, Clone)]
pub(super) struct TaskSize {
    pub cpu_units: u32,
    pub memory_mib: u32,
    pub td: Option<NamedTaskDefinition>,
}

/// A task definition in use, kept to check it against the arms.
#[derive(Debug, Clone)]
pub(super) struct TaskDefinitionUse {
    /// `job `etl``, `service `web``.
    pub what: String,
    pub network_mode: Option<NetworkMode>,
    pub cpu_architecture: Option<Architecture>,
    pub task_level_size: bool,
    /// `requiresCompatibilities`, empty if absent.
    pub compatibilities: Vec<String>,
}

impl Validator<'_> {
    /// Read and size the task definition named by `s` (relative to the scenario).
    pub(super) fn read_task_definition(
        &mut self,
        s: &Spanned<String>,
        key: &str,
        path: &Path,
    ) -> R<NamedTaskDefinition> {
        let p = resolve(path, s.get_ref());
        let text = std::fs::read_to_string(&p).map_err(|e| {
            self.err(
                s.span(),
                format!(
                    "`{key}`: cannot read `{}`: {e}; expected an ECS task definition JSON file (relative paths are relative to the scenario)",
                    p.display()
                ),
            )
        })?;
        let td = task_definition_file::parse(s.get_ref(), &text)
            .map_err(|e| self.err(s.span(), format!("`{key}`: {e}")))?;
        for w in &td.warnings {
            self.warnings.push(format!("`{key}`: {}: {w}", s.get_ref()));
        }
        Ok(NamedTaskDefinition {
            td,
            span: s.span(),
            key: key.to_string(),
        })
    }

    /// The size of the tasks of an entry `k` (`workload.jobs`, `workload.services`) named
    /// `name`: `cpu` and `memory`, or its own task definition, or the `[workload]` default.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn task_size(
        &mut self,
        k: &str,
        name: &str,
        name_span: Range<usize>,
        cpu: &Option<Spanned<RawSize>>,
        memory: &Option<Spanned<RawSize>>,
        own: &Option<Spanned<String>>,
        default: Option<&NamedTaskDefinition>,
        path: &Path,
    ) -> R<TaskSize> {
        if let Some(td) = own {
            if let Some(given) = cpu.as_ref().or(memory.as_ref()) {
                let which = if cpu.is_some() { "cpu" } else { "memory" };
                return Err(self.err(given.span(), format!(
                    "`{k}.{which}`: `{name}` also has a `task_definition`, which sizes its tasks; expected `cpu` and `memory` or a `task_definition`, not both"
                )));
            }
            let named = self.read_task_definition(td, &format!("{k}.task_definition"), path)?;
            return Ok(TaskSize {
                cpu_units: named.td.cpu_units,
                memory_mib: named.td.memory_mib,
                td: Some(named),
            });
        }
        match (cpu, memory) {
            (Some(c), Some(m)) => {
                let kind = if k == "workload.jobs" { "job" } else { "service" };
                let who = format!("{kind} `{name}`");
                let (cpu_key, memory_key) = (format!("{k}.cpu"), format!("{k}.memory"));
                let cpu_units =
                    self.size(c, &cpu_key, &who, Resource::Cpu, 1, 1 << 24, Floor::Task)?;
                let memory_mib =
                    self.size(m, &memory_key, &who, Resource::Memory, 1, 1 << 26, Floor::Task)?;
                Ok(TaskSize {
                    cpu_units,
                    memory_mib,
                    td: None,
                })
            }
            (Some(c), None) => Err(self.err(c.span(), format!(
                "`{k}.cpu`: `{name}` has `cpu` but no `memory`; expected both, or a `task_definition`"
            ))),
            (None, Some(m)) => Err(self.err(m.span(), format!(
                "`{k}.memory`: `{name}` has `memory` but no `cpu`; expected both, or a `task_definition`"
            ))),
            (None, None) => match default {
                Some(d) => Ok(TaskSize {
                    cpu_units: d.td.cpu_units,
                    memory_mib: d.td.memory_mib,
                    td: Some(d.clone()),
                }),
                None => Err(self.err(name_span, format!(
                    "`{k}`: `{name}` has no size; expected `cpu` and `memory`, or `task_definition = \"taskdef.json\"` (here or in [workload])"
                ))),
            },
        }
    }

    /// The task definition's placement: its `memberOf` expressions, then its
    /// `runtimePlatform.cpuArchitecture` as `attribute:ecs.cpu-architecture == <arch>`.
    pub(super) fn task_definition_constraints(
        &self,
        n: &NamedTaskDefinition,
    ) -> R<Vec<PlacementConstraint>> {
        let mut out = Vec::new();
        let texts = n.td.member_of.iter().cloned().chain(
            n.td.cpu_architecture
                .map(|a| format!("attribute:ecs.cpu-architecture == {}", a.as_str())),
        );
        for text in texts {
            let e = Expression::parse(&text).map_err(|q| {
                self.err(
                    n.span.clone(),
                    format!(
                        "`{}`: placementConstraints memberOf expression `{text}`: {q}",
                        n.key
                    ),
                )
            })?;
            if let Some(subject) = e.unsupported_subject() {
                return Err(self.err(n.span.clone(), format!(
                    "`{}`: placementConstraints memberOf expression `{text}`: subject `{subject}` is not modelled by sim",
                    n.key
                )));
            }
            out.push(PlacementConstraint::MemberOf(e));
        }
        Ok(out)
    }
}
