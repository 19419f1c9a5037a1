//! How an arm's run ends (docs/model.md "How a run ends"): whether anything left in a run
//! without a horizon can still place the waiting tasks (it goes on while something can), and,
//! when an arm ends short of complete (work left, or one of sim's bounds hit), why: the
//! summary's `outcome` and `outcome_reason`, and the warning the CLI prints.

use super::{ArmSim, Mode};
use crate::scenario::{ArmKind, Capacity};
use crate::sim::ec2_pool::Ec2Pool;
use crate::sim::managed_scaling::ProvisioningEstimate;
use crate::sim::outcome::{Completion, EndReason};
use crate::sim::token_bucket::{FARGATE_LAUNCH_BURST, FARGATE_LAUNCH_PER_SECOND};
use crate::time::SimTime;

/// Why the event loop stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// At the horizon, or, without one, when no task was left.
    Done,
    /// Without a horizon: tasks wait and nothing left in the run can place them (no event is
    /// due and no scaling evaluation can add capacity for them).
    Stuck,
    /// Without a horizon: the waiting tasks made no progress for
    /// [`super::STALL_LIMIT`] while instance events (Spot replacements) went on.
    Stalled,
    /// More tasks alive at once than the run's bound ([`crate::sim::RunOptions::max_live_tasks`]).
    LiveTasks,
    /// More timeseries samples than [`crate::scenario::limits::MAX_SAMPLES`].
    Samples,
}

/// `n` with thousands separated by commas (for warnings).
fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n instances`, or `1 instance`.
fn instances(n: u32) -> String {
    if n == 1 {
        "1 instance".to_string()
    } else {
        format!("{} instances", grouped(u64::from(n)))
    }
}

/// Simulated time as seconds with three decimals and, past an hour, hours.
fn at(t: SimTime) -> String {
    let s = format!("{}.{:03} s", t.as_ms() / 1000, t.as_ms() % 1000);
    if t.as_ms() >= 3_600_000 {
        format!("{s} ({:.2} h)", t.as_ms() as f64 / 3_600_000.0)
    } else {
        s
    }
}

impl ArmSim<'_> {
    /// Tasks waiting for capacity.
    pub(super) fn pending_count(&self) -> u64 {
        match &self.mode {
            Mode::Ec2(e) => e.pools.iter().map(|p| p.pending.len() as u64).sum(),
            Mode::Fargate(f) => (f.waiting[0].len() + f.waiting[1].len()) as u64,
        }
    }

    /// Whether every subnet of the arm is full (then no task that needs an address can be
    /// placed, and managed scaling does not count such tasks).
    fn no_addresses(&self) -> bool {
        self.subnet_free
            .as_ref()
            .is_some_and(|f| f.iter().all(|&n| n == 0))
    }

    /// The `min` and `max` of provider `p`, if it has managed scaling.
    fn bounds(&self, p: usize) -> Option<(u32, u32)> {
        match &self.arm.kind {
            ArmKind::Ec2(e) => match e.providers.get(p)?.capacity {
                Capacity::Managed { min, max, .. } => Some((min, max)),
                Capacity::Fixed(_) => None,
            },
            ArmKind::Fargate(_) => None,
        }
    }

    /// Whether a managed scaling evaluation can still add capacity for the waiting tasks: some
    /// provider with managed scaling has waiting tasks its estimate counts (so CPR is above
    /// 100% and above any target, docs/reference/ecs-facts.md §5.2) and is below its `max`, or is
    /// below its `min`. Warm-up only delays such a scale-out, so the run goes on through it.
    /// Scale-in never helps a waiting task, and service auto scaling needs a horizon (a
    /// workload with services is refused without one), so neither keeps a run going.
    pub(super) fn scaling_can_add_capacity(&self) -> bool {
        if self.next_tick.is_none() {
            return false;
        }
        let Mode::Ec2(ec2) = &self.mode else {
            return false;
        };
        let no_addresses = self.no_addresses();
        ec2.pools.iter().enumerate().any(|(p, pool)| {
            let Some((min, max)) = self.bounds(p) else {
                return false;
            };
            let n = pool.instances();
            n < min
                || (!pool.pending.is_empty()
                    && n < max
                    && !no_addresses
                    && matches!(
                        pool.provisioning_estimate(),
                        ProvisioningEstimate::Instances(_)
                    ))
        })
    }

    /// Why tasks are waiting now, and the same in words for a warning. With `saturated`, an arm
    /// whose live tasks are nearly all placed (fewer than one in ten waits) is said to hold too
    /// many tasks at once: the capacity kept up, the workload itself is that large.
    fn backlog(&self, saturated: bool) -> (EndReason, String) {
        let live = self.tasks.len() as u64;
        let pending = self.pending_count();
        if saturated && pending * 10 < live {
            return (
                EndReason::TasksAtOnce,
                format!(
                    "{} of them are placed: the workload itself holds more tasks at once than sim keeps",
                    grouped(live - pending)
                ),
            );
        }
        match &self.mode {
            Mode::Fargate(f) => {
                let first = f.waiting.iter().filter_map(|w| w.front()).find_map(|&s| {
                    let t = self.tasks.get(s)?;
                    f.size_for(&t.spec)
                });
                let quota = f
                    .quota_units
                    .zip(first)
                    .is_some_and(|(q, size)| f.in_use_units + u64::from(size.cpu_units) > q);
                if quota {
                    let q = f.quota_units.unwrap_or(0) / 1024;
                    (
                        EndReason::FargateVcpuQuota,
                        format!("the account's Fargate vCPU quota ({q} vCPU) is in use"),
                    )
                } else if self.no_addresses() {
                    (
                        EndReason::SubnetAddresses,
                        "every subnet address of the arm is taken".to_string(),
                    )
                } else {
                    (
                        EndReason::FargateLaunchRate,
                        format!(
                            "Fargate's launch rate ({FARGATE_LAUNCH_PER_SECOND} tasks a second after a burst of {FARGATE_LAUNCH_BURST}, docs/reference/ecs-facts.md §7.2) cannot keep up with the arrivals"
                        ),
                    )
                }
            }
            Mode::Ec2(ec2) => {
                if ec2.needs_eni && self.no_addresses() {
                    return (
                        EndReason::SubnetAddresses,
                        "every subnet address of the arm is taken".to_string(),
                    );
                }
                // The provider with the most waiting tasks speaks for the arm.
                let Some((p, pool)) = ec2
                    .pools
                    .iter()
                    .enumerate()
                    .max_by_key(|(p, pool)| (pool.pending.len(), std::cmp::Reverse(*p)))
                else {
                    return (EndReason::Ec2FixedFleet, String::new());
                };
                self.pool_backlog(p, pool)
            }
        }
    }

    fn pool_backlog(&self, p: usize, pool: &Ec2Pool) -> (EndReason, String) {
        let n = pool.instances();
        let name = &pool.name;
        match self.bounds(p) {
            None => (
                EndReason::Ec2FixedFleet,
                format!(
                    "capacity provider `{name}` is a fixed fleet of {}",
                    instances(n)
                ),
            ),
            Some((_, max)) if n >= max => (
                EndReason::Ec2AtMax,
                format!(
                    "capacity provider `{name}` is at its max of {}",
                    instances(max)
                ),
            ),
            Some(_)
                if !matches!(
                    pool.provisioning_estimate(),
                    ProvisioningEstimate::Instances(_)
                ) =>
            {
                (
                    EndReason::Ec2NotCounted,
                    format!(
                        "managed scaling of `{name}` does not count them: they exceed its smallest instance type or no fresh instance meets their constraints (docs/reference/ecs-facts.md §5.3), so it launches nothing for them"
                    ),
                )
            }
            Some((_, max)) => (
                EndReason::Ec2ScalingOut,
                format!(
                    "capacity provider `{name}` is still scaling out ({n} of at most {}, {} launching)",
                    instances(max),
                    pool.launching
                ),
            ),
        }
    }

    /// The arm's outcome, its reason and the warnings for a loop that stopped with `stop` at
    /// `end` (the state is still as it was when the loop stopped).
    pub(super) fn ending(
        &self,
        stop: Stop,
        end: SimTime,
    ) -> (Completion, Option<EndReason>, Vec<String>) {
        let arm = &self.arm.name;
        let pending = self.pending_count();
        match stop {
            Stop::Done if pending == 0 => (Completion::Complete, None, Vec::new()),
            // Work left at the horizon: the table and summary.csv say so; no warning (a
            // horizon cuts a steady workload wherever it is).
            Stop::Done => (
                Completion::Incomplete,
                Some(self.backlog(false).0),
                Vec::new(),
            ),
            Stop::Stuck => {
                let (reason, why) = self.backlog(false);
                let held = match &self.mode {
                    Mode::Ec2(e) if e.pools.iter().any(|p| p.instances() > 0) => {
                        " and none of its instances can take them (placement constraints, host ports or ENI slots)"
                    }
                    _ => "",
                };
                let warning = format!(
                    "arm `{arm}`: {} tasks wait and nothing left in the run can place them: {why}{held}; the arm ends at {}, incomplete",
                    grouped(pending),
                    at(end)
                );
                (Completion::Incomplete, Some(reason), vec![warning])
            }
            Stop::Stalled => {
                let warning = format!(
                    "arm `{arm}`: {} tasks waited with no progress for 7 days of simulated time while only instance events (Spot replacements) went on; the arm ends there, at {}, incomplete (its fleet is billed to then)",
                    grouped(pending),
                    at(end)
                );
                (
                    Completion::Incomplete,
                    Some(EndReason::Stalled),
                    vec![warning],
                )
            }
            Stop::LiveTasks => {
                let (reason, why) = self.backlog(true);
                let warning = format!(
                    "arm `{arm}` saturated at {}: more than {} tasks placed or waiting at once ({} waiting): {why}. The arm stops there and its figures cover the run up to then; the other arms go on",
                    at(end),
                    grouped(self.opts.max_live_tasks as u64),
                    grouped(pending)
                );
                (Completion::Saturated, Some(reason), vec![warning])
            }
            Stop::Samples => {
                let warning = format!(
                    "arm `{arm}` saturated at {}: its timeseries reached the {} samples sim keeps ({} tasks waiting); a longer `metrics_interval` lets it run further. The arm stops there and its figures cover the run up to then; the other arms go on",
                    at(end),
                    grouped(crate::scenario::limits::MAX_SAMPLES),
                    grouped(pending)
                );
                (
                    Completion::Saturated,
                    Some(EndReason::TimeseriesSamples),
                    vec![warning],
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(2_000_000), "2,000,000");
    }

    #[test]
    fn times_past_an_hour_also_in_hours() {
        assert_eq!(at(SimTime(1500)), "1.500 s");
        assert_eq!(at(SimTime(22_791_000)), "22791.000 s (6.33 h)");
    }
}
