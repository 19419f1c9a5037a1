//! CPU and memory sizes as a scenario or a task definition writes them: a plain number of CPU
//! units or MiB, or a string in the forms ECS accepts in task definitions (`"1024"`,
//! `"1 vCPU"`, `"0.25 vCPU"`; `"2048"`, `"512 MiB"`, `"2 GB"`, `"2GiB"`, `"0.5 GB"`). One parser for every
//! place a size is read (docs/model.md §17.6).
//!
//! ECS: task `cpu` "can be expressed as an integer using CPU units (for example, 1024) or as a
//! string using vCPUs (for example, 1 vCPU or 1 vcpu)"; task `memory` "as an integer using MiB
//! (for example, 1024) ... as a string using GB (for example, 1GB or 1 GB), it's converted to
//! an integer indicating the MiB" (ECS API reference, RegisterTaskDefinition / Task); 1 vCPU is
//! 1024 units (docs/reference/ecs-facts.md §2.1) and 1 GB is 1024 MiB (ecs-facts §1.1, line 30:
//! "GB" = 1024^3 bytes). *Our choice:* `GiB` is accepted as the same unit as `GB`, and `MiB` as
//! an explicit form of the plain MiB integer (`"512 MiB"` = 512); `MB` stays refused, as it is
//! ambiguous (10^6 bytes or MiB).

use serde::{Deserialize, Deserializer, de};

use crate::scenario::duration::describe;

/// Docker's smallest memory for a container, MiB (docs/reference/ecs-facts.md §2.2, line 91:
/// "Docker minimum memory per container: 6 MiB (Docker 20.10.0+)"): a task or container with
/// less is refused.
pub const MIN_MEMORY_MIB: u64 = 6;
/// Below this a plain number is probably a slip of unit (`memory = 2` meant 2 GB, `cpu = 1`
/// meant 1 vCPU): a warning, not an error (*our choice*; 128 units is also the smallest
/// task-level `cpu` on EC2, ecs-facts §2.2 line 85).
pub const PLAUSIBLE_MIN: u64 = 128;

/// Which resource a size measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// CPU units (1 vCPU = 1024).
    Cpu,
    /// MiB (1 GB = 1024 MiB).
    Memory,
}

impl Resource {
    /// The forms accepted, for messages.
    pub fn forms(self) -> &'static str {
        match self {
            Resource::Cpu => {
                "CPU units as an integer (1024) or a string: \"1024\", \"1 vCPU\", \"0.25 vCPU\""
            }
            Resource::Memory => {
                "MiB as an integer (2048) or a string: \"2048\", \"512 MiB\", \"2 GB\", \"2GiB\", \"0.5 GB\""
            }
        }
    }

    /// What a plain number is, for messages.
    fn plain_unit(self) -> &'static str {
        match self {
            Resource::Cpu => "CPU units",
            Resource::Memory => "MiB",
        }
    }
}

/// A size as written in TOML: an integer, or a string resolved by [`parse_text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawSize {
    /// `memory = 2048`
    Int(i64),
    /// `memory = "2 GB"`
    Text(String),
}

impl<'de> Deserialize<'de> for RawSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::Integer(i) => Ok(RawSize::Int(i)),
            toml::Value::String(s) => Ok(RawSize::Text(s)),
            other => Err(de::Error::custom(format!(
                "found {}; expected an integer (CPU units or MiB) or a string with a unit such as \"1 vCPU\" or \"2 GB\"",
                describe(&other)
            ))),
        }
    }
}

/// A resolved size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// CPU units or MiB.
    pub value: u64,
    /// Whether it was written as a bare number (`2`, `"2"`), so in CPU units or MiB, which a
    /// slip of unit produces.
    pub plain: bool,
}

/// A size string: `"1024"`, `"1 vCPU"` (× 1024) for CPU; `"2048"`, `"512 MiB"`, `"2 GB"`,
/// `"2GiB"` (× 1024) for memory; units case-insensitive, the space optional. `Err` says what was found
/// and the forms accepted.
pub fn parse_text(s: &str, r: Resource) -> Result<Size, String> {
    let bad = || format!("found \"{s}\"; expected {}", r.forms());
    let lower = s.trim().to_ascii_lowercase();
    // (suffix, factor to the plain unit); "mib" is checked before "gib"'s shorter rivals.
    let suffixes: &[(&str, f64)] = match r {
        Resource::Cpu => &[("vcpu", 1024.0)],
        Resource::Memory => &[("mib", 1.0), ("gib", 1024.0), ("gb", 1024.0)],
    };
    let (num, factor) = match suffixes
        .iter()
        .find_map(|(u, f)| lower.strip_suffix(u).map(|n| (n, *f)))
    {
        Some((n, f)) => (n.trim_end(), Some(f)),
        None => (lower.as_str(), None),
    };
    let scaled = factor.is_some();
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(bad());
    }
    let x: f64 = num.parse().map_err(|_| bad())?;
    let value = x * factor.unwrap_or(1.0);
    if !(value.is_finite() && value.fract() == 0.0 && value < 1e15) {
        return Err(format!(
            "found \"{s}\", which is not a whole number of {}; expected {}",
            r.plain_unit(),
            r.forms()
        ));
    }
    Ok(Size {
        value: value as u64,
        plain: !scaled,
    })
}

/// Whether plain `value` is implausibly small for a task's size, and if so what was probably
/// meant: `did you mean "2 GB" (2048 MiB)?`.
pub fn slip_hint(value: u64, r: Resource) -> Option<String> {
    (value < PLAUSIBLE_MIN).then(|| match r {
        Resource::Cpu => format!(
            "did you mean \"{value} vCPU\" ({} CPU units)? A plain number is CPU units (1 vCPU = 1024)",
            value * 1024
        ),
        Resource::Memory => format!(
            "did you mean \"{value} GB\" ({} MiB)? A plain number is MiB",
            value * 1024
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpu(s: &str) -> Result<Size, String> {
        parse_text(s, Resource::Cpu)
    }

    fn mem(s: &str) -> Result<Size, String> {
        parse_text(s, Resource::Memory)
    }

    #[test]
    fn every_form_ecs_accepts() {
        let scaled = |value| {
            Ok(Size {
                value,
                plain: false,
            })
        };
        let plain = |value| Ok(Size { value, plain: true });
        assert_eq!(cpu("1024"), plain(1024));
        assert_eq!(cpu("1 vCPU"), scaled(1024));
        assert_eq!(cpu("1 vcpu"), scaled(1024));
        assert_eq!(cpu("0.25 vCPU"), scaled(256));
        assert_eq!(cpu(" 2vCPU "), scaled(2048));
        assert_eq!(mem("2048"), plain(2048));
        assert_eq!(mem("2 GB"), scaled(2048));
        assert_eq!(mem("2GB"), scaled(2048));
        assert_eq!(mem("2GiB"), scaled(2048));
        assert_eq!(mem("2 gib"), scaled(2048));
        assert_eq!(mem("0.5 GB"), scaled(512));
        assert_eq!(mem("2"), plain(2));
        // An explicit MiB is the plain unit, but not a slip of unit (no "did you mean" hint).
        assert_eq!(mem("512 MiB"), scaled(512));
        assert_eq!(mem("512mib"), scaled(512));
        assert!(
            mem("512.5 MiB")
                .unwrap_err()
                .contains("not a whole number of MiB")
        );
    }

    #[test]
    fn malformed_strings_name_the_forms() {
        for s in ["1 vCPUs", "two", "", "1.5 GB", "-1", "1e3", "vCPU"] {
            let e = cpu(s).unwrap_err();
            assert!(e.contains(&format!("found \"{s}\"")), "{s}: {e}");
            assert!(e.contains("\"1 vCPU\""), "{s}: {e}");
        }
        for s in ["two GB", "2 MB", "2 GBs", "2 vCPU", "1.5", "2 MiBs", "MiB"] {
            let e = mem(s).unwrap_err();
            assert!(e.contains("\"2 GB\""), "{s}: {e}");
        }
        assert!(
            cpu("0.1 vCPU")
                .unwrap_err()
                .contains("not a whole number of CPU units")
        );
        assert!(
            mem("100.5")
                .unwrap_err()
                .contains("not a whole number of MiB")
        );
    }

    #[test]
    fn small_plain_numbers_get_the_likely_intent() {
        assert_eq!(
            slip_hint(2, Resource::Memory).as_deref(),
            Some("did you mean \"2 GB\" (2048 MiB)? A plain number is MiB")
        );
        assert!(
            slip_hint(1, Resource::Cpu).is_some_and(|h| h.contains("\"1 vCPU\" (1024 CPU units)"))
        );
        assert_eq!(slip_hint(128, Resource::Cpu), None);
        assert_eq!(slip_hint(512, Resource::Memory), None);
    }
}
