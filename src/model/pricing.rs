//! Prices: Fargate rates per architecture and EC2 on-demand prices (held on the instance types).

use crate::model::Architecture;

/// Fargate Linux rates for one architecture (reference/ecs-facts.md §1.4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FargateRates {
    /// USD per vCPU-hour.
    pub vcpu_hour: f64,
    /// USD per GB-hour (GB = 1024 MiB, §1.1).
    pub gb_hour: f64,
}

/// The prices a run uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Pricing {
    /// AWS region the prices are for.
    pub region: String,
    /// Fargate Linux/x86 rates.
    pub fargate_x86: FargateRates,
    /// Fargate Linux/ARM (Graviton) rates.
    pub fargate_arm: FargateRates,
    /// Fargate ephemeral storage above 20 GiB, USD per GB-hour.
    pub fargate_storage_gb_hour: f64,
    /// EC2 Spot price = on-demand × (1 − this) (`[pricing] spot_discount`); no reference
    /// default exists, so `None` unless the scenario sets it.
    pub ec2_spot_discount: Option<f64>,
    /// Fargate Spot price = on-demand × (1 − this) (`[pricing] fargate_spot_discount`).
    pub fargate_spot_discount: f64,
}

/// Regions with built-in prices.
pub const KNOWN_REGIONS: [&str; 1] = ["us-east-1"];

impl Pricing {
    /// us-east-1 on-demand prices from reference/ecs-facts.md §1.4: x86 $0.04048 per vCPU-hour
    /// and $0.004445 per GB-hour, ARM $0.03238 and $0.00356, storage $0.000111 per GB-hour;
    /// Fargate Spot "up to a 70% discount" (§1.4); no EC2 Spot discount.
    pub fn us_east_1() -> Pricing {
        Pricing {
            region: "us-east-1".to_string(),
            fargate_x86: FargateRates {
                vcpu_hour: 0.04048,
                gb_hour: 0.004445,
            },
            fargate_arm: FargateRates {
                vcpu_hour: 0.03238,
                gb_hour: 0.00356,
            },
            fargate_storage_gb_hour: 0.000111,
            ec2_spot_discount: None,
            fargate_spot_discount: 0.7,
        }
    }

    /// The Fargate rates for `arch`.
    pub fn fargate(&self, arch: Architecture) -> FargateRates {
        match arch {
            Architecture::X86_64 => self.fargate_x86,
            Architecture::Arm64 => self.fargate_arm,
        }
    }
}

impl FargateRates {
    /// USD per hour for a task of `cpu_units` and `memory_mib`.
    pub fn per_hour(&self, cpu_units: u32, memory_mib: u32) -> f64 {
        f64::from(cpu_units) / 1024.0 * self.vcpu_hour
            + f64::from(memory_mib) / 1024.0 * self.gb_hour
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hourly_prices_match_the_reference_table() {
        // fargate_sizes.csv: 256/512 -> 0.0123425 (x86), 0.0098750 (ARM); 2048/4096 -> 0.09874.
        let p = Pricing::us_east_1();
        let x = p.fargate(Architecture::X86_64);
        let a = p.fargate(Architecture::Arm64);
        assert!((x.per_hour(256, 512) - 0.0123425).abs() < 1e-12);
        assert!((a.per_hour(256, 512) - 0.0098750).abs() < 1e-12);
        assert!((x.per_hour(2048, 4096) - 0.09874).abs() < 1e-12);
    }
}
