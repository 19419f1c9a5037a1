//! Billing rules: what a task or an instance costs for a stretch of time.

use crate::model::{FargateRates, FargateSize};
use crate::time::SimDuration;

/// Fargate's 1-minute minimum (reference/ecs-facts.md §1.3).
pub const FARGATE_MINIMUM_SECS: u64 = 60;
/// EC2 Linux per-second billing's 60-second minimum (reference/ecs-facts.md §3).
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
}
