//! Task network modes on EC2.

use std::fmt;

/// How tasks on an EC2 arm are networked (docs/reference/ecs-facts.md §2.3–§2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkMode {
    /// Each task gets its own ENI; an instance holds `max ENIs − 1` tasks (or its trunking limit).
    Awsvpc,
    /// Docker bridge: static host ports conflict per instance; no ENI limit.
    Bridge,
    /// Host networking: container ports are host ports and conflict per instance.
    Host,
    /// No networking (`none`, external instances only here): no ports, no ENI.
    None,
}

impl NetworkMode {
    /// The scenario spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkMode::Awsvpc => "awsvpc",
            NetworkMode::Bridge => "bridge",
            NetworkMode::Host => "host",
            NetworkMode::None => "none",
        }
    }

    /// Whether each task needs an ENI slot on its instance.
    pub fn needs_eni(self) -> bool {
        self == NetworkMode::Awsvpc
    }

    /// Whether static host ports of tasks conflict on one instance.
    pub fn ports_conflict(self) -> bool {
        matches!(self, NetworkMode::Bridge | NetworkMode::Host)
    }
}

impl fmt::Display for NetworkMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
