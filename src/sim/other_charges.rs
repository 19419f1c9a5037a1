//! One arm's charges besides compute (docs/model.md §18): public IPv4 addresses, metered
//! while they are held (part of `cost_usd`), and the shared costs of load balancers and NAT
//! gateway processing (apart from `cost_usd`, compared only with
//! `[pricing] include_shared_costs`).

use crate::model::billing::cost_of;
use crate::model::task_spec::TaskSource;
use crate::scenario::{Arm, Scenario};
use crate::sim::metrics::CostMeter;
use crate::time::SimTime;

/// An address at `usd_per_hour` (none: the arm assigns no public IPs) is taken at `start`.
pub fn open_address(usd_per_hour: Option<f64>, meter: &mut CostMeter, start: SimTime) {
    if let Some(r) = usd_per_hour {
        meter.open(start, r);
    }
}

/// The address taken at `start` is released at `end`: it is billed per second (rounded up),
/// with no minimum (*our choice*, docs/model.md §18.1); returns what it cost.
pub fn close_address(
    usd_per_hour: Option<f64>,
    meter: &mut CostMeter,
    start: SimTime,
    end: SimTime,
) -> f64 {
    let Some(r) = usd_per_hour else { return 0.0 };
    let cost = cost_of(end.since(start).billed_secs(), r);
    meter.close(start, r, cost);
    cost
}

/// What one arm's run needs of the scenario's other charges, and what it has accrued.
#[derive(Debug, Clone, Default)]
pub struct ArmCharges {
    /// USD per address-hour when the arm assigns public IPs.
    pub public_ipv4_hour: Option<f64>,
    /// What the arm's public addresses cost, USD (EC2 pools add theirs at the end).
    pub public_ipv4_usd: f64,
    /// Σ over the load balancers of (ALB-hour + LCUs × LCU-hour), USD per hour.
    load_balancers_per_hour: f64,
    /// USD per GB through a NAT gateway, when the arm's tasks sit behind one.
    nat_gb: Option<f64>,
    job_gb: Vec<f64>,
    service_gb: Vec<f64>,
    /// Σ run time × GB per task-hour of the tasks that send traffic through NAT (ms × GB/h).
    nat_gb_ms: f64,
    /// The arm's NAT gateways × their hourly rate, USD per hour.
    nat_gateways_per_hour: f64,
    /// `[pricing] include_shared_costs`.
    pub include_shared_costs: bool,
}

impl ArmCharges {
    /// The charges of `arm` in `scenario`.
    pub fn new(scenario: &Scenario, arm: &Arm) -> ArmCharges {
        let o = &scenario.other_charges;
        let load_balancers_per_hour = o.load_balancer_cost(1.0);
        let nat_gb = if arm.tasks_behind_nat() && o.uses_nat() {
            o.nat_gb.map(|r| r.usd)
        } else {
            None
        };
        ArmCharges {
            public_ipv4_hour: if arm.assign_public_ip {
                o.public_ipv4_hour.map(|r| r.usd)
            } else {
                None
            },
            public_ipv4_usd: 0.0,
            load_balancers_per_hour,
            nat_gb,
            job_gb: o.job_nat_gb_per_task_hour.clone(),
            service_gb: o.service_nat_gb_per_task_hour.clone(),
            nat_gb_ms: 0.0,
            nat_gateways_per_hour: o
                .nat_gateway_hour
                .map_or(0.0, |r| f64::from(arm.nat_gateways) * r.usd),
            include_shared_costs: o.include_shared_costs,
        }
    }

    /// A task of `source` ran `ms` milliseconds (RUNNING to its end or the end of the run).
    pub fn ran(&mut self, source: TaskSource, ms: u64) {
        if self.nat_gb.is_none() {
            return;
        }
        let gb = match source {
            TaskSource::Trace => 0.0,
            TaskSource::Job(j) => self.job_gb.get(usize::from(j)).copied().unwrap_or(0.0),
            TaskSource::Service(s) => self.service_gb.get(usize::from(s)).copied().unwrap_or(0.0),
        };
        self.nat_gb_ms += gb * ms as f64;
    }

    /// The load balancers' cost over a run that ended at `end` (they exist from time 0).
    pub fn load_balancer_usd(&self, end: SimTime) -> f64 {
        self.load_balancers_per_hour * end.as_ms() as f64 / 3_600_000.0
    }

    /// The NAT gateway processing of the tasks' traffic plus the arm's gateway-hours over a run
    /// that ended at `end`, USD.
    pub fn nat_usd(&self, end: SimTime) -> f64 {
        self.nat_gb
            .map_or(0.0, |r| self.nat_gb_ms / 3_600_000.0 * r)
            + self.nat_gateways_per_hour * end.as_ms() as f64 / 3_600_000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_costs_its_seconds_and_nothing_when_off() {
        let mut m = CostMeter::default();
        open_address(Some(0.005), &mut m, SimTime(0));
        // Half-way the meter accrues pro rata: 1800 s × 0.005 / 3600 = 0.0025.
        assert!((m.accrued(SimTime(1_800_000)) - 0.0025).abs() < 1e-15);
        // 90.5 s is billed as 91 s: 91 × 0.005 / 3600; no 60-second minimum for 30 s.
        let c = close_address(Some(0.005), &mut m, SimTime(0), SimTime(90_500));
        assert!((c - 91.0 * 0.005 / 3600.0).abs() < 1e-15);
        open_address(Some(0.005), &mut m, SimTime(0));
        let short = close_address(Some(0.005), &mut m, SimTime(0), SimTime(30_000));
        assert!((short - 30.0 * 0.005 / 3600.0).abs() < 1e-15);
        assert_eq!(m.rate_per_hour(), 0.0);
        let mut off = CostMeter::default();
        open_address(None, &mut off, SimTime(0));
        assert_eq!(
            close_address(None, &mut off, SimTime(0), SimTime(9_000)),
            0.0
        );
        assert_eq!(off.closed(), 0.0);
    }
}
