//! The one interface every kind of capacity implements: EC2 capacity providers
//! ([`Ec2Capacity`]) and the Fargate pool ([`FargatePool`]). The task lifecycle (arrive, place,
//! run, finish) in `arm_sim` asks its backend whether a task can ever run, to place it, to
//! release it, what waits, and for samples, costs and the end of the run; it never looks inside.
//! A new kind of capacity is a new file implementing [`CapacityBackend`], plus one line in
//! [`backend_for`].

use crate::scenario::ArmKind;
use crate::sim::SimError;
use crate::sim::arm_context::ArmContext;
use crate::sim::ec2_capacity::Ec2Capacity;
use crate::sim::events::{Attempt, Event};
use crate::sim::fargate_pool::FargatePool;
use crate::sim::ledger::{CapacitySample, PlacedOn};
use crate::sim::outcome::EndReason;
use crate::sim::service_scale_in::InstanceKey;
use crate::sim::task_table::{LiveTask, TaskSlot};
use crate::time::{SimDuration, SimTime};

/// Spot interruption notice (docs/reference/ecs-facts.md §1.6, §6.1): two minutes.
pub const SPOT_NOTICE: SimDuration = SimDuration(120_000);

/// What the task lifecycle must do for the tasks a capacity event touches, before the backend
/// settles the event ([`CapacityBackend::settle`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Followup {
    /// Nothing.
    Nothing,
    /// These tasks are being stopped (a Spot notice): the service tasks among them are
    /// replaced now.
    Replace(Vec<TaskSlot>),
    /// These tasks are interrupted now.
    Interrupt(Vec<TaskSlot>),
}

/// A kind of capacity an arm runs its tasks on.
pub trait CapacityBackend {
    /// The capacity that exists at time 0 (an EC2 fleet), before any task arrives.
    fn start(&mut self, ctx: &mut ArmContext<'_>);

    /// Whether task `t` could ever run here (else it is rejected at once).
    fn can_ever_run(&self, ctx: &ArmContext<'_>, t: &LiveTask) -> bool;

    /// Try to place the task in `slot` now; true if placed (then [`ArmContext::placed`] has
    /// been called). `first_attempt` is the attempt at arrival, the one that counts blocked
    /// tasks.
    fn try_place(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot, first_attempt: bool) -> bool;

    /// Put a task that could not be placed in its waiting line.
    fn enqueue(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot);

    /// Take a waiting task out of its line (it is withdrawn or stopped); true if it was there.
    fn dequeue(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot) -> bool;

    /// Free what placed task `t` (in `slot`) held; its cost where it has its own (Fargate).
    /// `ended`: it stopped (not cut by the end of the run).
    fn release(
        &mut self,
        ctx: &mut ArmContext<'_>,
        slot: TaskSlot,
        t: &LiveTask,
        ended: bool,
    ) -> Option<f64>;

    /// Capacity freed by task `t` (already released): place the waiting tasks that can use it.
    fn after_release(&mut self, ctx: &mut ArmContext<'_>, t: &LiveTask);

    /// Placement `a` is RUNNING now.
    fn on_task_running(&mut self, ctx: &mut ArmContext<'_>, a: Attempt);

    /// An event of this backend (others are ignored).
    fn on_event(&mut self, ctx: &mut ArmContext<'_>, e: Event) -> Followup;

    /// The event's [`Followup`] is done: finish handling it.
    fn settle(&mut self, ctx: &mut ArmContext<'_>, e: Event);

    /// The minute's scaling evaluation of the capacity (managed scaling).
    fn on_scaling_tick(&mut self, ctx: &mut ArmContext<'_>);

    /// Whether the capacity scales itself (so the minute's scaling tick is needed).
    fn scales(&self) -> bool;

    /// Tasks waiting for capacity.
    fn waiting(&self) -> u64;

    /// What the capacity holds now, for a timeseries sample.
    fn sample(&self) -> CapacitySample;

    /// Where task `t` runs, for its record.
    fn placed_on(&self, ctx: &ArmContext<'_>, t: &LiveTask) -> PlacedOn;

    /// The zone and instance of task `t`, where it runs on an instance.
    fn instance_of(&self, ctx: &ArmContext<'_>, t: &LiveTask) -> Option<(u8, InstanceKey)>;

    /// Task `t` (in `slot`) is still placed at the end of the run, `ctx.now`: bill it; its
    /// cost where it has its own.
    fn close_task(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot, t: &LiveTask)
    -> Option<f64>;

    /// The run ends at `end`: close what is still billed and fill the summary's capacity
    /// figures and cost components.
    fn close(&mut self, ctx: &mut ArmContext<'_>, end: SimTime);

    /// Check the resource accounting (a failure is a bug in sim).
    fn check(&self, arm: &str) -> Result<(), SimError>;

    /// Whether a scaling evaluation can still add capacity for the waiting tasks (a run
    /// without a horizon goes on while it can).
    fn can_add_capacity(&self, ctx: &ArmContext<'_>) -> bool;

    /// Why tasks are waiting now, and the same in words for a warning.
    fn backlog(&self, ctx: &ArmContext<'_>) -> (EndReason, String);

    /// Whether the capacity has instances (which then cannot take the waiting tasks).
    fn has_instances(&self) -> bool;
}

/// The backend of arm `arm_index` of the scenario in `ctx`, under `seed`; `None` for a
/// launch type without one (the loader refuses such arms).
pub fn backend_for(
    ctx: &ArmContext<'_>,
    arm_index: usize,
    seed: u64,
) -> Option<Box<dyn CapacityBackend>> {
    let n = arm_index as u32;
    Some(match &ctx.arm.kind {
        ArmKind::Ec2(e) => Box::new(Ec2Capacity::new(ctx.scenario, ctx.arm, e, seed, n)),
        ArmKind::Fargate(f) => Box::new(FargatePool::new(ctx.scenario, f, ctx.arm.os, seed, n)),
        ArmKind::ManagedInstances(_) | ArmKind::External(_) => return None,
    })
}

/// `n` with thousands separated by commas (for warnings).
pub fn grouped(n: u64) -> String {
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
}
