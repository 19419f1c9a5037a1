//! CPU architecture of an instance type or a Fargate task.

use std::fmt;

/// CPU architecture, as ECS reports it in `ecs.cpu-architecture`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Architecture {
    /// Intel/AMD 64-bit.
    X86_64,
    /// AWS Graviton.
    Arm64,
}

impl Architecture {
    /// The attribute value ECS uses (`x86_64`, `arm64`).
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }

    /// Parse the instance-type spelling (`x86_64`, `arm64`).
    pub fn parse(s: &str) -> Option<Architecture> {
        match s {
            "x86_64" => Some(Architecture::X86_64),
            "arm64" => Some(Architecture::Arm64),
            _ => None,
        }
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
