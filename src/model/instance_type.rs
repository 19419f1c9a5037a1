//! An EC2 instance type as ECS sees it: what it registers and what it costs.

use crate::model::Architecture;

/// Registered memory measured on real instances, as (type, nominal MiB, registered MiB),
/// docs/reference/ecs-facts.md §2.1: m4.large 7985 [DG-MemMgmt], c4.large 3768 and c4.4xlarge 30158
/// [DG-CW], m6i.large 7817 (ECS AMI 2.0.20251209 and later) [ECSAMI-597].
pub const MEASURED_REGISTERED_MEMORY_MIB: [(&str, u32, u32); 4] = [
    ("c4.4xlarge", 30720, 30158),
    ("c4.large", 3840, 3768),
    ("m4.large", 8192, 7985),
    ("m6i.large", 8192, 7817),
];

/// Default registered-memory rule for types without a measurement: nominal memory scaled by the
/// m6i.large ratio 7817 / 8192 (≈ 95.4%), the only current-generation (Nitro) data point in
/// docs/reference/ecs-facts.md §2.1. A modelling choice, documented in docs/model.md.
pub const DEFAULT_REGISTERED_MEMORY_RATIO: (u32, u32) = (7817, 8192);

/// The memory an instance registers with ECS before `ECS_RESERVED_MEMORY` is taken off: the
/// measurement where one exists for this type and nominal memory, else the default ratio.
pub fn default_registered_memory_mib(name: &str, nominal_mib: u32) -> u32 {
    let measured = MEASURED_REGISTERED_MEMORY_MIB
        .iter()
        .find(|(n, nominal, _)| *n == name && *nominal == nominal_mib);
    if let Some(&(_, _, mib)) = measured {
        return mib;
    }
    let (num, den) = DEFAULT_REGISTERED_MEMORY_RATIO;
    (u64::from(nominal_mib) * u64::from(num) / u64::from(den)) as u32
}

/// An EC2 instance type.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceType {
    /// API name, e.g. `m5.large`.
    pub name: String,
    /// vCPUs; the instance registers `vcpu × 1024` CPU units.
    pub vcpu: u32,
    /// Nominal memory, MiB.
    pub memory_mib: u32,
    /// Memory the instance registers with ECS (before `ECS_RESERVED_MEMORY`), MiB.
    pub registered_memory_mib: u32,
    /// Maximum network interfaces, the primary one included.
    pub max_enis: u32,
    /// awsvpc tasks per instance with ENI trunking; `None` where trunking is not supported.
    pub trunk_tasks: Option<u32>,
    /// On-demand Linux price, USD per hour.
    pub price_per_hour: f64,
    /// CPU architecture.
    pub architecture: Architecture,
}

impl InstanceType {
    /// CPU units registered with ECS (docs/reference/ecs-facts.md §2.1: `NumCPU * 1024`).
    pub fn cpu_units(&self) -> u32 {
        self.vcpu.saturating_mul(1024)
    }

    /// awsvpc task slots: `max ENIs − 1` (§2.3), or the trunking limit (§2.4) when `trunking`
    /// is on and the type supports it.
    pub fn awsvpc_task_slots(&self, trunking: bool) -> u32 {
        match (trunking, self.trunk_tasks) {
            (true, Some(n)) => n,
            _ => self.max_enis.saturating_sub(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measured_types_use_their_measurement() {
        assert_eq!(default_registered_memory_mib("c4.large", 3840), 3768);
        assert_eq!(default_registered_memory_mib("m6i.large", 8192), 7817);
        // A type redefined with other memory is no longer the measured machine.
        assert_eq!(default_registered_memory_mib("m6i.large", 4096), 3908);
    }

    #[test]
    fn other_types_scale_by_the_m6i_ratio() {
        assert_eq!(default_registered_memory_mib("m5.large", 8192), 7817);
        assert_eq!(default_registered_memory_mib("m5.xlarge", 16384), 15634);
    }
}
