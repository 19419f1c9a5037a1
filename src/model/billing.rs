//! Billing rules: what a task or an instance costs for a stretch of time. Pure arithmetic on
//! model types, used by the simulator and by trace statistics alike.

use crate::model::{FargateRates, FargateSize};
use crate::time::SimDuration;

/// Fargate's 1-minute minimum (docs/reference/ecs-facts.md §1.3).
pub const FARGATE_MINIMUM_SECS: u64 = 60;
/// Fargate's 5-minute minimum for Windows tasks: "For Windows containers, billing is calculated
/// per second with a 5-minute minimum" (docs/reference/pricing.md §1.5, [FP]).
pub const FARGATE_WINDOWS_MINIMUM_SECS: u64 = 300;
/// EC2 Linux per-second billing's 60-second minimum (docs/reference/ecs-facts.md §3).
pub const EC2_MINIMUM_SECS: u64 = 60;
/// Fargate storage included free (GiB, §1.2).
pub const FARGATE_FREE_STORAGE_GIB: u32 = 20;

/// Seconds billed for a stretch that `ended` (rounded up to the second, with `minimum`), or that
/// is cut at the end of the run (no minimum: the minimum is charged at termination, after the
/// simulated window).
pub fn billed_secs(elapsed: SimDuration, ended: bool, minimum: u64) -> u64 {
    let s = elapsed.billed_secs();
    if ended { s.max(minimum) } else { s }
}

/// Hourly price of a Fargate task: its rounded size plus storage above 20 GiB.
pub fn fargate_hourly(
    size: FargateSize,
    storage_gib: u32,
    rates: FargateRates,
    storage_gb_hour: f64,
) -> f64 {
    rates.per_hour(size.cpu_units, size.memory_mib)
        + f64::from(storage_gib.saturating_sub(FARGATE_FREE_STORAGE_GIB)) * storage_gb_hour
}

/// Cost of `secs` billed seconds at `usd_per_hour`.
pub fn cost_of(secs: u64, usd_per_hour: f64) -> f64 {
    secs as f64 * usd_per_hour / 3600.0
}

/// What Fargate billed, by resource, as integer resource-seconds (exact at any length): the
/// cost breakdown's vCPU, memory and storage parts are these times the rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FargateUsage {
    /// Σ billed seconds × CPU units of the rounded size.
    pub cpu_unit_secs: u128,
    /// Σ billed seconds × MiB of the rounded size.
    pub mem_mib_secs: u128,
    /// Σ billed seconds × GiB of ephemeral storage above the free 20 GiB.
    pub storage_gib_secs: u128,
}

/// Fargate cost split by resource, USD.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FargateCosts {
    /// vCPU part.
    pub vcpu: f64,
    /// Memory part.
    pub memory: f64,
    /// Ephemeral storage above 20 GiB.
    pub storage: f64,
    /// The Windows OS licence per vCPU (0 for Linux; docs/reference/pricing.md §1.5).
    pub os_licence: f64,
}

impl FargateCosts {
    /// The parts together.
    pub fn total(&self) -> f64 {
        self.vcpu + self.memory + self.storage + self.os_licence
    }
}

impl FargateUsage {
    /// A task of `size` with `storage_gib` of storage billed for `secs` seconds.
    pub fn add(&mut self, size: FargateSize, storage_gib: u32, secs: u64) {
        let s = u128::from(secs);
        self.cpu_unit_secs += u128::from(size.cpu_units) * s;
        self.mem_mib_secs += u128::from(size.memory_mib) * s;
        self.storage_gib_secs +=
            u128::from(storage_gib.saturating_sub(FARGATE_FREE_STORAGE_GIB)) * s;
    }

    /// The usage priced at `rates` and `storage_gb_hour`, times `factor` (1 on demand, the
    /// Spot price ÷ the on-demand price on FARGATE_SPOT), the same rules as
    /// [`fargate_hourly`] and [`cost_of`].
    pub fn costs(&self, rates: FargateRates, storage_gb_hour: f64, factor: f64) -> FargateCosts {
        self.costs_with_licence(rates, storage_gb_hour, 0.0, factor)
    }

    /// [`FargateUsage::costs`] plus an OS licence of `licence_vcpu_hour` per vCPU-hour of the
    /// rounded size (Windows; docs/reference/pricing.md §1.5).
    pub fn costs_with_licence(
        &self,
        rates: FargateRates,
        storage_gb_hour: f64,
        licence_vcpu_hour: f64,
        factor: f64,
    ) -> FargateCosts {
        let per = |resource_secs: u128, per_unit_hour: f64| {
            resource_secs as f64 * per_unit_hour * factor / 3600.0
        };
        FargateCosts {
            vcpu: per(self.cpu_unit_secs, rates.vcpu_hour / 1024.0),
            memory: per(self.mem_mib_secs, rates.gb_hour / 1024.0),
            storage: per(self.storage_gib_secs, storage_gb_hour),
            os_licence: per(self.cpu_unit_secs, licence_vcpu_hour / 1024.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Architecture, Pricing};

    #[test]
    fn fargate_one_minute_minimum_and_rounding() {
        assert_eq!(
            billed_secs(SimDuration(10_000), true, FARGATE_MINIMUM_SECS),
            60
        );
        assert_eq!(
            billed_secs(SimDuration(60_001), true, FARGATE_MINIMUM_SECS),
            61
        );
        assert_eq!(
            billed_secs(SimDuration(10_000), false, FARGATE_MINIMUM_SECS),
            10
        );
    }

    #[test]
    fn fargate_cost_by_hand() {
        // 1 vCPU / 2 GiB x86 for 10 minutes: (0.04048 + 2 × 0.004445) / 6 = 0.0082283…
        let p = Pricing::us_east_1();
        let size = FargateSize {
            cpu_units: 1024,
            memory_mib: 2048,
        };
        let h = fargate_hourly(
            size,
            20,
            p.fargate(Architecture::X86_64),
            p.fargate_storage_gb_hour,
        );
        assert!((cost_of(600, h) - (0.04048 + 2.0 * 0.004445) / 6.0).abs() < 1e-15);
        // 50 GiB of storage: 30 billed GiB at $0.000111 per GB-hour on top.
        let h50 = fargate_hourly(
            size,
            50,
            p.fargate(Architecture::X86_64),
            p.fargate_storage_gb_hour,
        );
        assert!((h50 - h - 30.0 * 0.000111).abs() < 1e-15);
    }

    #[test]
    fn windows_five_minute_minimum_and_licence_by_hand() {
        // pricing.md §1.5: a Windows task of 90 s is billed 300 s; one of 301.2 s, 302 s.
        let m = FARGATE_WINDOWS_MINIMUM_SECS;
        assert_eq!(billed_secs(SimDuration(90_000), true, m), 300);
        assert_eq!(billed_secs(SimDuration(301_200), true, m), 302);
        assert_eq!(billed_secs(SimDuration(90_000), false, m), 90);
        // 2 vCPU / 4 GiB for 300 s at the built-in Windows rates (UNCERTAIN, pricing.md §1.3):
        // vCPU 2 × 0.046552 / 12, memory 4 × 0.0051117 / 12, licence 2 × 0.046 / 12.
        let w = Pricing::us_east_1().fargate_windows;
        let mut u = FargateUsage::default();
        let size = FargateSize {
            cpu_units: 2048,
            memory_mib: 4096,
        };
        u.add(size, 20, 300);
        let c = u.costs_with_licence(w.rates, 0.000111, w.os_licence_vcpu_hour, 1.0);
        assert!((c.vcpu - 2.0 * 0.046552 / 12.0).abs() < 1e-15);
        assert!((c.memory - 4.0 * 0.0051117 / 12.0).abs() < 1e-15);
        assert!((c.os_licence - 2.0 * 0.046 / 12.0).abs() < 1e-15);
        assert_eq!(c.storage, 0.0);
        // Linux pays no licence.
        assert_eq!(u.costs(w.rates, 0.000111, 1.0).os_licence, 0.0);
    }

    #[test]
    fn fargate_usage_splits_cost_by_resource_by_hand() {
        // 1 vCPU / 2 GiB / 30 GiB storage for 10 minutes, x86 us-east-1 (ecs-facts.md §1.4):
        // vCPU 0.04048 / 6, memory 2 × 0.004445 / 6, storage 10 GiB × 0.000111 / 6.
        let p = Pricing::us_east_1();
        let size = FargateSize {
            cpu_units: 1024,
            memory_mib: 2048,
        };
        let mut u = FargateUsage::default();
        u.add(size, 30, 600);
        let od = u.costs(
            p.fargate(Architecture::X86_64),
            p.fargate_storage_gb_hour,
            1.0,
        );
        assert!((od.vcpu - 0.04048 / 6.0).abs() < 1e-15);
        assert!((od.memory - 0.008_89 / 6.0).abs() < 1e-15);
        assert!((od.storage - 0.001_11 / 6.0).abs() < 1e-15);
        assert!((od.total() - 0.050_48 / 6.0).abs() < 1e-15);
        // The same task on FARGATE_SPOT at 70% off pays 30% of each part.
        let spot = u.costs(
            p.fargate(Architecture::X86_64),
            p.fargate_storage_gb_hour,
            0.3,
        );
        assert!((spot.vcpu - 0.3 * 0.04048 / 6.0).abs() < 1e-15);
        assert!((spot.memory - 0.3 * 0.008_89 / 6.0).abs() < 1e-15);
        assert!((spot.storage - 0.3 * 0.001_11 / 6.0).abs() < 1e-15);
        // 20 GiB or less: no storage part.
        let mut free = FargateUsage::default();
        free.add(size, 20, 600);
        assert_eq!(free.storage_gib_secs, 0);
    }
}
