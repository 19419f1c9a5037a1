//! Host agents and the Service Connect proxy: what they add to an EC2 instance or a task
//! (docs/reference/sidecars-and-daemons.md §1.1, §2, §4; docs/model.md §20).

/// CPU units the Service Connect proxy adds to each task: "We recommend adding 256 CPU units
/// and at least 64 MiB of memory to your task CPU and memory for the Service Connect proxy
/// container" (docs/reference/sidecars-and-daemons.md §1.1).
pub const SERVICE_CONNECT_CPU_UNITS: u32 = 256;

/// Memory, MiB, the Service Connect proxy adds to each task (same quote, §1.1).
pub const SERVICE_CONNECT_MEMORY_MIB: u32 = 64;

/// CPU units of the proxy when the task serves ">500 requests per second at their peak load":
/// "adding 512 CPU units to your task CPU ... for the Service Connect proxy container"
/// (docs/reference/sidecars-and-daemons.md §1.1), in place of the 256.
pub const SERVICE_CONNECT_HIGH_RPS_CPU_UNITS: u32 = 512;

/// The peak request rate above which the proxy takes [`SERVICE_CONNECT_HIGH_RPS_CPU_UNITS`].
pub const SERVICE_CONNECT_HIGH_RPS: f64 = 500.0;

/// Memory, MiB, added on top of the 64 in a large namespace (">100 Service Connect services in
/// the namespace or 2000 tasks in total": "adding 128 MiB of memory", §1.1).
pub const SERVICE_CONNECT_LARGE_NAMESPACE_MIB: u32 = 128;

/// The Service Connect proxy's size, (CPU units, MiB), for a task whose peak request rate is
/// `peak_rps` (unknown: `None`) in a namespace that is `large` or not (§1.1).
pub fn service_connect_proxy(peak_rps: Option<f64>, large: bool) -> (u32, u32) {
    let cpu = if peak_rps.is_some_and(|r| r > SERVICE_CONNECT_HIGH_RPS) {
        SERVICE_CONNECT_HIGH_RPS_CPU_UNITS
    } else {
        SERVICE_CONNECT_CPU_UNITS
    };
    let memory = SERVICE_CONNECT_MEMORY_MIB
        + if large {
            SERVICE_CONNECT_LARGE_NAMESPACE_MIB
        } else {
            0
        };
    (cpu, memory)
}

/// One `[[workload.daemons]]`: an agent run once per EC2 container instance (a DAEMON service,
/// reserved before any replica task, docs/reference/sidecars-and-daemons.md §2) and, on
/// Fargate, as a sidecar container in every task (§4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonSpec {
    /// Name (unique).
    pub name: String,
    /// CPU units of the daemon task.
    pub cpu_units: u32,
    /// Memory of the daemon task, MiB.
    pub memory_mib: u32,
    /// ENIs (task slots) it takes on an awsvpc EC2 instance: 0, or 1 when it runs in awsvpc.
    pub enis: u32,
    /// Whether the agent runs on Fargate arms, as a sidecar in every task.
    pub fargate_sidecar: bool,
    /// The arms it runs on (names); `None`: every arm.
    pub arms: Option<Vec<String>>,
}

impl DaemonSpec {
    /// Whether the daemon runs on the arm named `arm`.
    pub fn on_arm(&self, arm: &str) -> bool {
        self.arms
            .as_ref()
            .is_none_or(|a| a.iter().any(|n| n == arm))
    }
}

/// What the daemons of one arm take together: per EC2 instance, or per Fargate task.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DaemonLoad {
    /// CPU units.
    pub cpu_units: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
    /// ENIs (task slots on an awsvpc instance; nothing on Fargate).
    pub enis: u32,
}

impl DaemonLoad {
    /// The daemons of `daemons` that reserve resources on every instance of EC2 arm `arm`.
    pub fn ec2(daemons: &[DaemonSpec], arm: &str) -> DaemonLoad {
        Self::sum(daemons.iter().filter(|d| d.on_arm(arm)))
    }

    /// The sidecars `daemons` add to every task of Fargate arm `arm` (those with
    /// `fargate_sidecar`); they take no ENI of their own (the task's is shared).
    pub fn fargate(daemons: &[DaemonSpec], arm: &str) -> DaemonLoad {
        DaemonLoad {
            enis: 0,
            ..Self::sum(
                daemons
                    .iter()
                    .filter(|d| d.fargate_sidecar && d.on_arm(arm)),
            )
        }
    }

    fn sum<'a>(it: impl Iterator<Item = &'a DaemonSpec>) -> DaemonLoad {
        it.fold(DaemonLoad::default(), |a, d| DaemonLoad {
            cpu_units: a.cpu_units.saturating_add(d.cpu_units),
            memory_mib: a.memory_mib.saturating_add(d.memory_mib),
            enis: a.enis.saturating_add(d.enis),
        })
    }

    /// Whether nothing is reserved.
    pub fn is_empty(&self) -> bool {
        *self == DaemonLoad::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(
        name: &str,
        cpu: u32,
        mem: u32,
        enis: u32,
        sidecar: bool,
        arms: Option<&[&str]>,
    ) -> DaemonSpec {
        DaemonSpec {
            name: name.to_string(),
            cpu_units: cpu,
            memory_mib: mem,
            enis,
            fargate_sidecar: sidecar,
            arms: arms.map(|a| a.iter().map(|s| s.to_string()).collect()),
        }
    }

    #[test]
    fn loads_sum_the_daemons_of_the_arm_and_fargate_keeps_only_sidecars() {
        let ds = [
            d("dd", 256, 512, 1, true, None),
            d("xray", 32, 256, 0, false, None),
            d("only-b", 100, 100, 0, true, Some(&["b"])),
        ];
        // Arm a, EC2: dd + xray = 288 CPU, 768 MiB, 1 ENI (only-b is not on a).
        assert_eq!(
            DaemonLoad::ec2(&ds, "a"),
            DaemonLoad {
                cpu_units: 288,
                memory_mib: 768,
                enis: 1
            }
        );
        // Arm b, Fargate: dd + only-b (xray has fargate_sidecar = false); no ENI.
        assert_eq!(
            DaemonLoad::fargate(&ds, "b"),
            DaemonLoad {
                cpu_units: 356,
                memory_mib: 612,
                enis: 0
            }
        );
        assert!(DaemonLoad::ec2(&[], "a").is_empty());
    }
}
