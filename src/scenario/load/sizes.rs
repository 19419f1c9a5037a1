//! Reading a CPU or memory size from a scenario key (`cpu = "1 vCPU"`, `memory = "2 GB"`, or
//! plain units), with the range check, the 6 MiB floor and the slip-of-unit warning
//! (docs/model.md §17.6).

use toml::Spanned;

use super::{R, Validator};
use crate::scenario::size::{MIN_MEMORY_MIB, RawSize, Resource, parse_text, slip_hint};

/// How a small plain value of a key is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Floor {
    /// A task's size: memory below 6 MiB is refused; a plain memory or cpu below 128 warns.
    Task,
    /// An instance type's memory: a plain value below 128 warns.
    Instance,
    /// No judgement (e.g. `reserved_memory_mib`, where small values are ordinary).
    Free,
}

impl Validator<'_> {
    /// The size at `v`, of key `key` (e.g. `workload.jobs.memory`) of `who` (e.g. "job `etl`"),
    /// in `lo..=hi` CPU units or MiB.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn size(
        &mut self,
        v: &Spanned<RawSize>,
        key: &str,
        who: &str,
        r: Resource,
        lo: u64,
        hi: u64,
        floor: Floor,
    ) -> R<u32> {
        let (size, shown) = match v.get_ref() {
            RawSize::Int(x) => {
                if *x < lo as i64 || *x > hi as i64 {
                    return Err(self.err(
                        v.span(),
                        format!("`{key}`: found {x}; expected an integer in {lo}..={hi}"),
                    ));
                }
                (
                    crate::scenario::size::Size {
                        value: *x as u64,
                        plain: true,
                    },
                    x.to_string(),
                )
            }
            RawSize::Text(s) => {
                let size =
                    parse_text(s, r).map_err(|m| self.err(v.span(), format!("`{key}`: {m}")))?;
                if size.value < lo || size.value > hi {
                    let unit = if r == Resource::Cpu {
                        "CPU units"
                    } else {
                        "MiB"
                    };
                    return Err(self.err(
                        v.span(),
                        format!(
                            "`{key}`: found \"{s}\" ({} {unit}); expected {lo}..={hi} {unit}",
                            size.value
                        ),
                    ));
                }
                (size, format!("\"{s}\""))
            }
        };
        let hint = if size.plain {
            slip_hint(size.value, r)
        } else {
            None
        };
        if floor == Floor::Task && r == Resource::Memory && size.value < MIN_MEMORY_MIB {
            return Err(self.err(
                v.span(),
                format!(
                    "`{key}`: found {shown} MiB; expected at least {MIN_MEMORY_MIB} MiB, the least memory Docker gives a container (docs/reference/ecs-facts.md §2.2){}",
                    hint.map_or(String::new(), |h| format!("; {h}"))
                ),
            ));
        }
        if floor != Floor::Free
            && let Some(h) = hint
        {
            self.warnings
                .push(format!("`{key}` = {shown} ({who}): {h}"));
        }
        Ok(size.value as u32)
    }
}
