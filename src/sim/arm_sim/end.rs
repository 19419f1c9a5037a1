//! How an arm's run ends (docs/model.md "How a run ends"): whether anything left in a run
//! without a horizon can still place the waiting tasks (it goes on while something can), and,
//! when an arm ends short of complete (work left, or one of sim's bounds hit), why: the
//! summary's `outcome` and `outcome_reason`, and the warning the CLI prints.

use super::ArmSim;
use crate::sim::capacity::grouped;
use crate::sim::outcome::{Completion, EndReason};
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
    /// More timeseries samples than [`crate::scenario::load::MAX_SAMPLES`].
    Samples,
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
        self.capacity.waiting()
    }

    /// Whether a scaling evaluation can still add capacity for the waiting tasks (see
    /// [`CapacityBackend::can_add_capacity`]). Scale-in never helps a waiting task, and service
    /// auto scaling needs a horizon (a workload with services is refused without one), so
    /// neither keeps a run going.
    ///
    /// [`CapacityBackend::can_add_capacity`]: crate::sim::capacity::CapacityBackend::can_add_capacity
    pub(super) fn scaling_can_add_capacity(&self) -> bool {
        self.ticks && self.capacity.can_add_capacity(&self.ctx)
    }

    /// Why tasks are waiting now, and the same in words for a warning. With `saturated`, an arm
    /// whose live tasks are nearly all placed (fewer than one in ten waits) is said to hold too
    /// many tasks at once: the capacity kept up, the workload itself is that large.
    fn backlog(&self, saturated: bool) -> (EndReason, String) {
        let live = self.ctx.tasks.len() as u64;
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
        self.capacity.backlog(&self.ctx)
    }

    /// The arm's outcome, its reason and the warnings for a loop that stopped with `stop` at
    /// `end` (the state is still as it was when the loop stopped).
    pub(super) fn ending(
        &self,
        stop: Stop,
        end: SimTime,
    ) -> (Completion, Option<EndReason>, Vec<String>) {
        let arm = &self.ctx.arm.name;
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
                let held = if self.capacity.has_instances() {
                    " and none of its instances can take them (placement constraints, host ports or ENI slots)"
                } else {
                    ""
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
                    grouped(self.ctx.opts.max_live_tasks as u64),
                    grouped(pending)
                );
                (Completion::Saturated, Some(reason), vec![warning])
            }
            Stop::Samples => {
                let warning = format!(
                    "arm `{arm}` saturated at {}: its timeseries reached the {} samples sim keeps ({} tasks waiting); a longer `metrics_interval` lets it run further. The arm stops there and its figures cover the run up to then; the other arms go on",
                    at(end),
                    grouped(crate::scenario::load::MAX_SAMPLES),
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
    fn times_past_an_hour_also_in_hours() {
        assert_eq!(at(SimTime(1500)), "1.500 s");
        assert_eq!(at(SimTime(22_791_000)), "22791.000 s (6.33 h)");
    }
}
