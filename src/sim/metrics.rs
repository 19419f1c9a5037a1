//! Time integrals of utilisation and the running cost meter (exact wait percentiles are
//! [`crate::util::percentile::nearest_rank`]).

use crate::time::SimTime;

/// Integrals over time (value × ms) of what is registered, reserved and used.
#[derive(Debug, Clone, Default)]
pub struct Integrals {
    last: SimTime,
    /// ∫ registered CPU dt.
    pub cpu_registered: u128,
    /// ∫ reserved CPU dt.
    pub cpu_reserved: u128,
    /// ∫ registered memory dt.
    pub mem_registered: u128,
    /// ∫ reserved memory dt.
    pub mem_reserved: u128,
    /// ∫ used CPU dt.
    pub cpu_used: f64,
    /// ∫ used memory dt.
    pub mem_used: f64,
}

/// The instantaneous levels the integrals integrate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Levels {
    /// Registered CPU units.
    pub cpu_registered: u64,
    /// Reserved CPU units.
    pub cpu_reserved: u64,
    /// Registered memory.
    pub mem_registered: u64,
    /// Reserved memory.
    pub mem_reserved: u64,
    /// Used CPU units (tasks with usage data).
    pub cpu_used: f64,
    /// Used memory.
    pub mem_used: f64,
}

impl Integrals {
    /// Accumulate `levels` from the last update up to `now`.
    pub fn advance(&mut self, now: SimTime, levels: &Levels) {
        let dt = now.since(self.last).as_ms();
        if dt > 0 {
            let d = u128::from(dt);
            self.cpu_registered += u128::from(levels.cpu_registered) * d;
            self.cpu_reserved += u128::from(levels.cpu_reserved) * d;
            self.mem_registered += u128::from(levels.mem_registered) * d;
            self.mem_reserved += u128::from(levels.mem_reserved) * d;
            self.cpu_used += levels.cpu_used * dt as f64;
            self.mem_used += levels.mem_used * dt as f64;
            self.last = now;
        }
    }
}

/// `num ÷ den`, or `None` when nothing was registered.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// Money accrued by things billed per unit of time, some still open: the closed ones at their
/// final billed amount, the open ones pro rata.
#[derive(Debug, Clone, Default)]
pub struct CostMeter {
    closed_usd: f64,
    /// Σ rate (USD per ms) of open items.
    open_rate: f64,
    /// Σ rate × start (ms) of open items.
    open_rate_start: f64,
}

impl CostMeter {
    /// Something starts costing `usd_per_hour` at `start`.
    pub fn open(&mut self, start: SimTime, usd_per_hour: f64) {
        let r = usd_per_hour / 3_600_000.0;
        self.open_rate += r;
        self.open_rate_start += r * start.as_ms() as f64;
    }

    /// An item opened at `start` with `usd_per_hour` is closed, billed `billed_usd` in all.
    pub fn close(&mut self, start: SimTime, usd_per_hour: f64, billed_usd: f64) {
        let r = usd_per_hour / 3_600_000.0;
        self.open_rate -= r;
        self.open_rate_start -= r * start.as_ms() as f64;
        self.closed_usd += billed_usd;
    }

    /// Current spending rate, USD per hour.
    pub fn rate_per_hour(&self) -> f64 {
        (self.open_rate * 3_600_000.0).max(0.0)
    }

    /// Cost accrued up to `now`.
    pub fn accrued(&self, now: SimTime) -> f64 {
        self.closed_usd + (self.open_rate * now.as_ms() as f64 - self.open_rate_start).max(0.0)
    }

    /// Cost of closed items only.
    pub fn closed(&self) -> f64 {
        self.closed_usd
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrals_weight_levels_by_time() {
        let mut i = Integrals::default();
        let l = Levels {
            cpu_registered: 10,
            cpu_reserved: 5,
            ..Levels::default()
        };
        i.advance(SimTime(100), &l);
        i.advance(
            SimTime(300),
            &Levels {
                cpu_registered: 10,
                cpu_reserved: 10,
                ..l
            },
        );
        assert_eq!(i.cpu_registered, 3000);
        assert_eq!(i.cpu_reserved, 100 * 5 + 200 * 10);
    }

    #[test]
    fn cost_meter_accrues_open_items_pro_rata() {
        let mut m = CostMeter::default();
        m.open(SimTime(0), 3.6);
        assert!((m.accrued(SimTime(1_800_000)) - 1.8).abs() < 1e-12);
        m.close(SimTime(0), 3.6, 2.0);
        assert!((m.accrued(SimTime(9_000_000)) - 2.0).abs() < 1e-12);
        assert_eq!(m.rate_per_hour(), 0.0);
    }
}
