//! Operating system of a task or an arm: what Fargate sizes, bills and licenses by, and what an
//! EC2 instance's hourly price depends on.

use std::fmt;

/// Operating system family (`os = "linux" | "windows"`; a task definition's
/// `runtimePlatform.operatingSystemFamily` maps `LINUX` to Linux and `WINDOWS_*` to Windows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Os {
    /// Linux (the default everywhere).
    #[default]
    Linux,
    /// Windows Server.
    Windows,
}

impl Os {
    /// The scenario spelling (`linux`, `windows`).
    pub fn as_str(self) -> &'static str {
        match self {
            Os::Linux => "linux",
            Os::Windows => "windows",
        }
    }

    /// Parse the scenario spelling (`linux`, `windows`).
    pub fn parse(s: &str) -> Option<Os> {
        match s {
            "linux" => Some(Os::Linux),
            "windows" => Some(Os::Windows),
            _ => None,
        }
    }
}

impl fmt::Display for Os {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip_and_others_are_refused() {
        for os in [Os::Linux, Os::Windows] {
            assert_eq!(Os::parse(os.as_str()), Some(os));
        }
        assert_eq!(Os::parse("Windows"), None);
        assert_eq!(Os::default(), Os::Linux);
    }
}
