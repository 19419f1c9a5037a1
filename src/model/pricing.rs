//! Prices: Fargate rates per architecture and EC2 on-demand prices (held on the instance types).

use std::collections::BTreeMap;

use crate::model::price_list::{ReservedRate, SavingsPlanRates};
use crate::model::{Architecture, InstanceType, Os};

/// Fargate Linux rates for one architecture (docs/reference/ecs-facts.md §1.4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FargateRates {
    /// USD per vCPU-hour.
    pub vcpu_hour: f64,
    /// USD per GB-hour (GB = 1024 MiB, §1.1).
    pub gb_hour: f64,
}

/// Fargate Windows/x86 rates (docs/reference/pricing.md §1.1, §1.5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FargateWindowsRates {
    /// USD per vCPU-hour and per GB-hour.
    pub rates: FargateRates,
    /// Windows OS licence fee, USD per vCPU-hour (`Fargate-Windows-OS-Hours:perCPU`).
    pub os_licence_vcpu_hour: f64,
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
    /// Fargate Windows/x86 rates: vCPU and GB per hour plus the OS licence per vCPU-hour.
    pub fargate_windows: FargateWindowsRates,
    /// Fargate ephemeral storage above 20 GiB, USD per GB-hour.
    pub fargate_storage_gb_hour: f64,
    /// EC2 Spot price = on-demand × (1 − this) (`[pricing] spot_discount`); no reference
    /// default exists, so `None` unless the scenario sets it.
    pub ec2_spot_discount: Option<f64>,
    /// Fargate Spot price = on-demand × (1 − this) (`[pricing] fargate_spot_discount`).
    pub fargate_spot_discount: f64,
    /// EC2 Windows on-demand prices per instance type, USD per hour (`[pricing] ec2_windows`,
    /// or an imported price list). None are built in (docs/reference/pricing.md §2.1).
    pub ec2_windows: BTreeMap<String, f64>,
    /// Every charge is multiplied by this (`1 − discount_percent / 100`; 1.0 without
    /// `[pricing] discount_percent`). The rates above, the instance types' prices and the other
    /// charges are already multiplied at load; [`Self::origins`] keeps the list prices.
    pub discount_factor: f64,
    /// Where each price came from, by item (`fargate linux_x86 vcpu_hour`, `ec2 linux m5.large`,
    /// ...), with its list price (before the discount); a price nobody gave has no entry.
    pub origins: BTreeMap<String, PriceOrigin>,
    /// The price list's Savings Plan rates (plan type → `<term>_<payment>` → rates), as
    /// written: *not* multiplied by [`Self::discount_factor`] (the commitments code applies it).
    pub savings_plans: BTreeMap<String, BTreeMap<String, SavingsPlanRates>>,
    /// The price list's Reserved Instance rates (`<term>_<class>_<payment>` → OS → type), as
    /// written, not discounted.
    pub reserved_instances: BTreeMap<String, BTreeMap<Os, BTreeMap<String, ReservedRate>>>,
    /// ECS Managed Instances management fees given per instance type (`[pricing]
    /// management_fee` over the price list's), USD per instance-hour, discounted; the built-in
    /// ones are in [`crate::model::ecs_fees`].
    pub management_fee: BTreeMap<String, f64>,
    /// `[pricing] management_fee_percent`: the planner's rule for a type with no known fee,
    /// the fee as a fraction of its on-demand Linux price.
    pub management_fee_fraction: Option<f64>,
    /// The ECS Anywhere fee, USD per registered external instance-hour, discounted.
    pub ecs_anywhere_instance_hour: f64,
}

/// Where one price of a run comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceOrigin {
    /// The price before any discount, USD per unit.
    pub list_usd: f64,
    /// What it is per (`vCPU-hour`, `GB-hour`, `instance-hour`, ...).
    pub unit: &'static str,
    /// `built-in (docs/reference/pricing.md §1.1; <source>)`, `price list prices.toml
    /// (AmazonECS version V, published D)`, `scenario [pricing] fargate_vcpu_hour`, ...
    pub origin: String,
    /// Whether the source is marked UNCERTAIN.
    pub uncertain: bool,
}

/// Default Fargate Spot discount: "up to a 70% discount" (docs/reference/ecs-facts.md §1.4).
pub const DEFAULT_FARGATE_SPOT_DISCOUNT: f64 = 0.7;

/// Regions with built-in EC2 prices (docs/reference/pricing.md §2.1); Fargate rates are built
/// in for more (`model::price_book`).
pub const KNOWN_REGIONS: [&str; 1] = ["us-east-1"];

impl Pricing {
    /// us-east-1 on-demand prices from docs/reference/ecs-facts.md §1.4: x86 $0.04048 per vCPU-hour
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
            // docs/reference/pricing.md §1.1/§1.3: the 2026 Price List reads (UNCERTAIN: they
            // conflict with the 2022 capture of $0.09148 and $0.01005); the licence fee agrees.
            fargate_windows: FargateWindowsRates {
                rates: FargateRates {
                    vcpu_hour: 0.046552,
                    gb_hour: 0.0051117,
                },
                os_licence_vcpu_hour: 0.046,
            },
            fargate_storage_gb_hour: 0.000111,
            ec2_spot_discount: None,
            fargate_spot_discount: 0.7,
            ec2_windows: BTreeMap::new(),
            discount_factor: 1.0,
            origins: BTreeMap::new(),
            savings_plans: BTreeMap::new(),
            reserved_instances: BTreeMap::new(),
            management_fee: BTreeMap::new(),
            management_fee_fraction: None,
            ecs_anywhere_instance_hour: crate::model::ecs_fees::ECS_ANYWHERE_INSTANCE_HOUR,
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

/// The break-even utilisation of `instance` against Fargate (docs/reference/ecs-facts.md §8.2): its
/// on-demand price ÷ what Fargate charges for its full nominal vCPU and memory (x86 rates for
/// x86 types, ARM rates for Graviton). EC2 is cheaper when tasks reserve more than this
/// fraction of the instance. `None` for a type with no resources.
pub fn catalog_breakeven(instance: &InstanceType, pricing: &Pricing) -> Option<f64> {
    let rates = pricing.fargate(instance.architecture);
    let fargate = f64::from(instance.vcpu) * rates.vcpu_hour
        + f64::from(instance.memory_mib) / 1024.0 * rates.gb_hour;
    (fargate > 0.0).then(|| instance.price_per_hour / fargate)
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

    #[test]
    fn catalog_breakeven_matches_ecs_facts_8_2() {
        // §8.2's table: m5 82.4%, c5 86.1%, r5 82.9%, m7g (vs Fargate ARM) 87.5%.
        let p = Pricing::us_east_1();
        let c = crate::model::Catalog::builtin();
        for (name, want) in [
            ("m5.large", 0.824),
            ("c5.large", 0.861),
            ("r5.large", 0.829),
            ("m7g.large", 0.875),
            ("m5.xlarge", 0.824),
        ] {
            let t = c
                .get(name)
                .unwrap_or_else(|| panic!("{name} in the catalog"));
            let u = catalog_breakeven(t, &p).unwrap();
            assert!((u - want).abs() < 0.001, "{name}: {u} vs {want}");
        }
        // By hand for m5.large: 0.096 ÷ (2 × 0.04048 + 8 × 0.004445).
        let m5 = c.get("m5.large").unwrap();
        let by_hand = 0.096 / (2.0 * 0.04048 + 8.0 * 0.004445);
        assert!((catalog_breakeven(m5, &p).unwrap() - by_hand).abs() < 1e-12);
    }
}
