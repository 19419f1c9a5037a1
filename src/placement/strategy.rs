//! Placement strategies (docs/reference/ecs-facts.md §4.2).

use std::fmt;

/// The resource a `binpack` strategy packs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinpackField {
    /// CPU units.
    Cpu,
    /// Memory.
    Memory,
}

/// What a `spread` strategy spreads over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpreadField {
    /// Each instance (`instanceId`, or its synonym `host`).
    InstanceId,
    /// The values of an instance attribute, e.g. `ecs.availability-zone` (without the
    /// `attribute:` prefix).
    Attribute(String),
}

/// One step of a placement strategy chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlacementStrategy {
    /// Keep the candidates that would have the least of `field` left.
    Binpack(BinpackField),
    /// Keep the candidates whose value of the field has the fewest tasks of the task's group.
    Spread(SpreadField),
    /// Keep one candidate, drawn uniformly.
    Random,
}

impl PlacementStrategy {
    /// Parse the ECS API form `{type, field}`; `Err` says what was expected.
    pub fn from_api(kind: &str, field: Option<&str>) -> Result<PlacementStrategy, String> {
        match (kind, field) {
            ("binpack", Some("cpu")) => Ok(PlacementStrategy::Binpack(BinpackField::Cpu)),
            ("binpack", Some("memory")) => Ok(PlacementStrategy::Binpack(BinpackField::Memory)),
            ("binpack", Some(f)) => Err(format!(
                "binpack field `{f}` is not valid; expected `cpu` or `memory`"
            )),
            ("binpack", None) => {
                Err("binpack needs `field = \"cpu\"` or `field = \"memory\"`".to_string())
            }
            ("spread", Some("instanceId" | "host")) => {
                Ok(PlacementStrategy::Spread(SpreadField::InstanceId))
            }
            ("spread", Some(f)) => match f.strip_prefix("attribute:") {
                Some(name) if !name.is_empty() => Ok(PlacementStrategy::Spread(
                    SpreadField::Attribute(name.to_string()),
                )),
                _ => Err(format!(
                    "spread field `{f}` is not valid; expected `instanceId`, `host` or `attribute:<name>` (e.g. `attribute:ecs.availability-zone`)"
                )),
            },
            ("spread", None) => Err(
                "spread needs a field, e.g. `field = \"attribute:ecs.availability-zone\"`"
                    .to_string(),
            ),
            ("random", None) => Ok(PlacementStrategy::Random),
            ("random", Some(f)) => Err(format!("random takes no field (found `{f}`)")),
            (other, _) => Err(format!(
                "unknown placement strategy type `{other}`; expected `binpack`, `spread` or `random`"
            )),
        }
    }
}

impl fmt::Display for PlacementStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlacementStrategy::Binpack(BinpackField::Cpu) => f.write_str("binpack(cpu)"),
            PlacementStrategy::Binpack(BinpackField::Memory) => f.write_str("binpack(memory)"),
            PlacementStrategy::Spread(SpreadField::InstanceId) => f.write_str("spread(instanceId)"),
            PlacementStrategy::Spread(SpreadField::Attribute(a)) => {
                write!(f, "spread(attribute:{a})")
            }
            PlacementStrategy::Random => f.write_str("random"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_api_forms() {
        assert_eq!(
            PlacementStrategy::from_api("binpack", Some("memory")),
            Ok(PlacementStrategy::Binpack(BinpackField::Memory))
        );
        assert_eq!(
            PlacementStrategy::from_api("spread", Some("host")),
            Ok(PlacementStrategy::Spread(SpreadField::InstanceId))
        );
        assert_eq!(
            PlacementStrategy::from_api("spread", Some("attribute:ecs.availability-zone")),
            Ok(PlacementStrategy::Spread(SpreadField::Attribute(
                "ecs.availability-zone".into()
            )))
        );
        assert_eq!(
            PlacementStrategy::from_api("random", None),
            Ok(PlacementStrategy::Random)
        );
        assert!(
            PlacementStrategy::from_api("binpak", Some("cpu"))
                .unwrap_err()
                .contains("unknown placement strategy type `binpak`")
        );
        assert!(PlacementStrategy::from_api("binpack", Some("disk")).is_err());
        assert!(PlacementStrategy::from_api("spread", Some("attribute:")).is_err());
    }
}
