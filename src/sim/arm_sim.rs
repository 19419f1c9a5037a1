//! One arm's run: the event loop and the task lifecycle (arrive → place → run → finish). What
//! varies with the kind of capacity is behind [`CapacityBackend`]; the services are in
//! `sim::services`, the accounts in `sim::ledger`.

use crate::ids::GroupId;
use crate::model::commitment::{self, Commitment, hours_touched};
use crate::model::task_spec::TaskSource;
use crate::model::{GroupTable, TaskSpec};
use crate::scenario::limits::MAX_SAMPLES;
use crate::scenario::{OnInterruption, OnNoCapacity, Scenario};
use crate::sim::arm_context::ArmContext;
use crate::sim::capacity::{CapacityBackend, Followup, backend_for};
use crate::sim::events::{Attempt, Event, KIND_ARRIVAL};
use crate::sim::outcome::{ArmOutcome, TaskOutcome};
use crate::sim::provider_split::choose_provider;
use crate::sim::services::{ServiceState, service_states};
use crate::sim::task_table::{LiveTask, TaskSlot};
use crate::sim::workload::Arrivals;
use crate::sim::{RunOptions, SimError};
use crate::time::{SimDuration, SimTime};

mod end;
use end::Stop;

/// Without a load balancer or health checks a task counts as healthy 40 s after RUNNING
/// (docs/reference/ecs-facts.md §6.1).
const HEALTH_GRACE: SimDuration = SimDuration(40_000);
/// Without a horizon, a run whose remaining tasks have made no progress for this long ends
/// (their instances could go on being replaced for ever).
const STALL_LIMIT: SimDuration = SimDuration(7 * 24 * 3_600_000);
/// Managed scaling and service auto scaling evaluate once a minute (docs/reference/ecs-facts.md
/// §7.1).
const SCALING_PERIOD: SimDuration = SimDuration(60_000);

/// The simulation of one arm.
pub struct ArmSim<'a> {
    /// The clock, the queue, the live tasks and the accounts.
    pub(super) ctx: ArmContext<'a>,
    /// The arm's capacity.
    pub(super) capacity: Box<dyn CapacityBackend>,
    /// The services, in workload order.
    pub(super) services: Vec<ServiceState>,
    arrivals: Arrivals,
    /// Per group, live tasks per strategy entry (only with several entries).
    live_by_group: Vec<Vec<u32>>,
    horizon: Option<SimTime>,
    interval: SimDuration,
    /// Whether the minute's scaling tick runs (managed scaling or service auto scaling).
    ticks: bool,
}

impl<'a> ArmSim<'a> {
    /// Prepare arm `arm_index` of `scenario` under `seed`.
    pub fn new(
        scenario: &'a Scenario,
        arm_index: usize,
        seed: u64,
        opts: RunOptions,
    ) -> Result<ArmSim<'a>, SimError> {
        let mut groups = GroupTable::new();
        let arrivals = Arrivals::open(scenario, seed, &mut groups)?;
        let services = service_states(scenario, &mut groups);
        let mut ctx = ArmContext::new(scenario, arm_index, seed, opts, groups);
        let capacity = backend_for(&ctx, arm_index, seed).ok_or_else(|| {
            SimError::Invariant(format!(
                "arm `{}`: launch type {} has no backend",
                scenario.arms[arm_index].name,
                scenario.arms[arm_index].launch_type()
            ))
        })?;
        let ticks = capacity.scales()
            || scenario
                .workload
                .services
                .iter()
                .any(|s| s.autoscaling.is_some());
        for (i, s) in scenario.workload.services.iter().enumerate() {
            for &t in &s.deployments {
                ctx.emit(t, Event::Deployment { service: i as u16 });
            }
        }
        // The clocks: at equal times their ordering classes put them after every other event,
        // the scaling tick before the sample.
        if ticks {
            ctx.emit(SimTime::ZERO, Event::ScalingTick);
        }
        ctx.emit(SimTime::ZERO, Event::MetricSample);
        let mut sim = ArmSim {
            ctx,
            capacity,
            services,
            arrivals,
            live_by_group: Vec::new(),
            horizon: scenario.horizon.map(|h| SimTime(h.as_ms())),
            interval: scenario.metrics_interval,
            ticks,
        };
        sim.capacity.start(&mut sim.ctx);
        for i in 0..sim.services.len() {
            sim.reconcile_service(i);
        }
        Ok(sim)
    }

    /// Run to the end and summarise. `progress` is called now and then with the simulated time.
    ///
    /// With a horizon the run ends there. Without one it goes on while anything can still
    /// happen for the tasks alive (an event is due, or a scaling evaluation can add capacity for
    /// the waiting ones) and ends when the last task has finished; tasks that nothing can place
    /// end the arm incomplete, with a warning. An arm that holds more tasks at once than
    /// `max_live_tasks`, or more samples than [`MAX_SAMPLES`], stops there, saturated.
    pub fn run(mut self, progress: &dyn Fn(SimTime)) -> Result<ArmOutcome, SimError> {
        let stop = loop {
            let arrival = self.arrivals.peek_time().map(|t| (t, KIND_ARRIVAL));
            let event = self.ctx.peek_event();
            if self.horizon.is_none() && arrival.is_none() {
                if self.ctx.tasks.is_empty() {
                    break Stop::Done; // the finite workload is done
                }
                // What is left cannot progress while nothing is placed and only instance
                // events (such as Spot replacements) go on.
                if self.ctx.now.since(self.ctx.ledger.last_activity()) > STALL_LIMIT
                    && self.capacity.waiting() == self.ctx.tasks.len() as u64
                {
                    break Stop::Stalled;
                }
                if !self.ctx.has_event_besides_clocks() && !self.scaling_can_add_capacity() {
                    break Stop::Stuck;
                }
            }
            let Some((t, kind)) = [arrival, event].into_iter().flatten().min() else {
                break Stop::Stuck;
            };
            if self.horizon.is_some_and(|h| t > h) {
                break Stop::Done;
            }
            self.ctx.ledger.advance(t);
            self.ctx.now = t;
            self.ctx.ledger.events += 1;
            if self.ctx.ledger.events.is_multiple_of(1 << 16) {
                progress(t);
            }
            if Some((t, kind)) == arrival && event.is_none_or(|e| (t, kind) < e) {
                if let Some((at, spec)) = self.arrivals.pop(&mut self.ctx.groups)? {
                    let _ = self.on_task_arrived(at, spec);
                }
            } else if let Some(e) = self.ctx.pop_event() {
                self.on_event(e);
            }
            if self.ctx.opts.check_invariants {
                self.check()?;
            }
            if self.ctx.tasks.len() > self.ctx.opts.max_live_tasks {
                break Stop::LiveTasks;
            }
            if self.ctx.ledger.samples() > MAX_SAMPLES {
                break Stop::Samples;
            }
        };
        let end = match (stop, self.horizon) {
            (Stop::Done, Some(h)) => h,
            // A finite workload ends when the last task finished (docs/model.md §1.4); later
            // arrivals that were rejected or could never be placed do not extend the run.
            (Stop::Done, None) => self.ctx.ledger.rewind_to_last_activity(),
            // Stuck: when the last thing that could happen happened; stalled: when the guard
            // fired (the fleet that waited is billed to then); saturated: at the bound.
            _ => self.ctx.now,
        };
        let (completion, reason, warnings) = self.ending(stop, end);
        self.ctx.ledger.summary.outcome = completion;
        self.ctx.ledger.summary.outcome_reason = reason;
        self.ctx.ledger.advance(end);
        self.ctx.now = end;
        if self.ctx.ledger.last_sample_time().is_none_or(|t| t < end) {
            self.on_metric_sample();
        }
        self.finish(end, warnings)
    }

    fn on_event(&mut self, e: Event) {
        match e {
            Event::TaskFinished { attempt } => self.on_task_finished(attempt),
            Event::TaskRunning { attempt } => self.on_task_running(attempt),
            Event::TaskHealthy { attempt } => self.on_task_healthy(attempt),
            Event::Deployment { service } => self.on_deployment(usize::from(service)),
            Event::ScalingTick => self.on_scaling_tick(),
            Event::MetricSample => self.on_metric_sample(),
            _ => self.on_capacity_event(e),
        }
    }

    /// An event of the capacity backend; the tasks it touches are replaced or interrupted
    /// before the backend settles it.
    fn on_capacity_event(&mut self, e: Event) {
        match self.capacity.on_event(&mut self.ctx, e) {
            Followup::Nothing => {}
            Followup::Replace(slots) => {
                for slot in slots {
                    if let Some(t) = self.ctx.tasks.get(slot)
                        && let TaskSource::Service(s) = t.spec.source
                    {
                        self.replace_service_task(slot, usize::from(s));
                    }
                }
            }
            Followup::Interrupt(slots) => {
                for slot in slots {
                    self.interrupt(slot);
                }
            }
        }
        self.capacity.settle(&mut self.ctx, e);
    }

    fn check(&self) -> Result<(), SimError> {
        self.capacity.check(&self.ctx.arm.name)
    }

    // ---- arrival --------------------------------------------------------------------------

    /// A task arrives; returns its slot while it is alive (placed or waiting).
    pub(super) fn on_task_arrived(&mut self, at: SimTime, spec: TaskSpec) -> Option<TaskSlot> {
        let summary = &mut self.ctx.ledger.summary;
        summary.tasks_arrived += 1;
        let seq = summary.tasks_arrived - 1;
        let mut task = LiveTask::arrived(spec, seq, at);
        let Some(entry) = self.choose_entry(task.spec.group) else {
            self.reject(&task);
            return None;
        };
        task.entry = entry as u8;
        if !self.capacity.can_ever_run(&self.ctx, &task) {
            self.reject(&task);
            return None;
        }
        self.count_live(task.spec.group, entry, true);
        let service = matches!(task.spec.source, TaskSource::Service(_));
        let slot = self.ctx.tasks.insert(task);
        if self.capacity.try_place(&mut self.ctx, slot, true) {
            return Some(slot);
        }
        // Services keep trying (the service scheduler retries); one-off tasks may fail at once.
        if self.ctx.arm.on_no_capacity == OnNoCapacity::Fail && !service {
            if let Some(t) = self.ctx.tasks.remove(slot) {
                self.count_live(t.spec.group, usize::from(t.entry), false);
                self.reject(&t);
            }
            None
        } else {
            self.capacity.enqueue(&mut self.ctx, slot);
            Some(slot)
        }
    }

    /// The strategy entry the next task of `group` runs on (docs/reference/ecs-facts.md §5.1).
    fn choose_entry(&mut self, group: GroupId) -> Option<usize> {
        let strategy = &self.ctx.arm.provider_strategy;
        if strategy.len() == 1 {
            return (strategy[0].weight > 0 || strategy[0].base > 0).then_some(0);
        }
        let g = group.0 as usize;
        if self.live_by_group.len() <= g {
            self.live_by_group.resize(g + 1, Vec::new());
        }
        let live = &mut self.live_by_group[g];
        if live.is_empty() {
            live.resize(strategy.len(), 0);
        }
        choose_provider(strategy, live)
    }

    /// A task of `group` on strategy entry `entry` starts (`add`) or stops counting for the
    /// provider split.
    pub(super) fn count_live(&mut self, group: GroupId, entry: usize, add: bool) {
        if let Some(v) = self
            .live_by_group
            .get_mut(group.0 as usize)
            .and_then(|l| l.get_mut(entry))
        {
            *v = if add { *v + 1 } else { v.saturating_sub(1) };
        }
    }

    // ---- run and finish -------------------------------------------------------------------

    fn on_task_running(&mut self, a: Attempt) {
        if !self.ctx.current(a) {
            return;
        }
        let now = self.ctx.now;
        self.ctx.ledger.touch(now);
        let Some(t) = self.ctx.tasks.get_mut(a.slot) else {
            return;
        };
        t.running_at = Some(now);
        let first_start = !t.started_before;
        t.started_before = true;
        self.ctx.ledger.task_running(t, now, first_start);
        let service = matches!(t.spec.source, TaskSource::Service(_));
        let duration = t.spec.duration;
        if service {
            self.ctx
                .emit_after(HEALTH_GRACE, Event::TaskHealthy { attempt: a });
        } else {
            self.ctx
                .emit(now.after(duration), Event::TaskFinished { attempt: a });
        }
        self.capacity.on_task_running(&mut self.ctx, a);
    }

    fn on_task_healthy(&mut self, a: Attempt) {
        if !self.ctx.current(a) {
            return;
        }
        let Some(t) = self.ctx.tasks.get_mut(a.slot) else {
            return;
        };
        t.healthy = true;
        if let TaskSource::Service(i) = t.spec.source
            && self.services[usize::from(i)].deploying()
        {
            self.reconcile_service(usize::from(i));
        }
    }

    fn on_task_finished(&mut self, a: Attempt) {
        if !self.ctx.current(a) {
            return;
        }
        self.end_task(a.slot, TaskOutcome::Completed);
    }

    /// A placed or waiting task stops for good with `outcome` (completed, lost, or rejected
    /// when withdrawn before it ran): free what it held, count it, and let waiting tasks use
    /// the room.
    pub(super) fn end_task(&mut self, slot: TaskSlot, outcome: TaskOutcome) {
        let now = self.ctx.now;
        let waiting = self
            .ctx
            .tasks
            .get(slot)
            .is_some_and(|t| t.placed_at.is_none());
        if waiting {
            self.capacity.dequeue(&mut self.ctx, slot);
        }
        let Some(t) = self.ctx.tasks.remove(slot) else {
            return;
        };
        self.ctx.ledger.touch(now);
        if !t.replaced {
            self.count_live(t.spec.group, usize::from(t.entry), false);
        }
        if let TaskSource::Service(i) = t.spec.source {
            self.services[usize::from(i)].forget(slot);
        }
        self.ctx.ledger.count_end(outcome);
        if waiting {
            self.record(&t, None, None, outcome);
            return;
        }
        self.ctx.ledger.run_ended(&t, now);
        let cost = self.capacity.release(&mut self.ctx, slot, &t, true);
        self.record(&t, Some(now), cost, outcome);
        self.capacity.after_release(&mut self.ctx, &t);
    }

    /// A Spot interruption stops the task in `slot`: a service task is lost (its service has
    /// replaced or will replace it); a one-off task starts again or is lost per
    /// `on_interruption`.
    fn interrupt(&mut self, slot: TaskSlot) {
        let Some(t) = self.ctx.tasks.get(slot) else {
            return;
        };
        let service = match t.spec.source {
            TaskSource::Service(s) => Some(usize::from(s)),
            _ => None,
        };
        if service.is_some() || self.ctx.arm.on_interruption == OnInterruption::Lose {
            self.end_task(slot, TaskOutcome::Lost);
            if let Some(s) = service {
                self.reconcile_service(s);
            }
            return;
        }
        // Restart: this attempt ends (recorded as interrupted), the task waits again.
        let now = self.ctx.now;
        let old = t.clone();
        self.ctx.ledger.run_ended(&old, now);
        let cost = self.capacity.release(&mut self.ctx, slot, &old, true);
        self.record(&old, Some(now), cost, TaskOutcome::Interrupted);
        if let Some(t) = self.ctx.tasks.get_mut(slot) {
            t.placed_at = None;
            t.running_at = None;
            t.instance = None;
            t.fargate = None;
            t.subnet_zone = None;
        }
        self.capacity.after_release(&mut self.ctx, &old);
        if !self.capacity.try_place(&mut self.ctx, slot, false) {
            self.capacity.enqueue(&mut self.ctx, slot);
        }
    }

    fn reject(&mut self, t: &LiveTask) {
        self.ctx.ledger.summary.tasks_rejected += 1;
        self.record(t, None, None, TaskOutcome::Rejected);
    }

    /// The record of an attempt of task `t` (if records are kept).
    fn record(
        &mut self,
        t: &LiveTask,
        end: Option<SimTime>,
        cost: Option<f64>,
        outcome: TaskOutcome,
    ) {
        if !self.ctx.ledger.records_tasks() {
            return;
        }
        let placed = self.capacity.placed_on(&self.ctx, t);
        let ctx = &mut self.ctx;
        ctx.ledger
            .record(t, &ctx.groups, placed, end, cost, outcome);
    }

    // ---- control --------------------------------------------------------------------------

    /// Once a minute: managed scaling of the capacity, then service auto scaling.
    fn on_scaling_tick(&mut self) {
        self.ctx.emit_after(SCALING_PERIOD, Event::ScalingTick);
        self.capacity.on_scaling_tick(&mut self.ctx);
        for s in 0..self.services.len() {
            self.scale_service(s);
        }
    }

    fn on_metric_sample(&mut self) {
        let now = self.ctx.now;
        let capacity = self.capacity.sample();
        let live = self.ctx.tasks.len() as u64;
        self.ctx.ledger.sample(now, capacity, live);
        self.ctx.emit_after(self.interval, Event::MetricSample);
    }

    // ---- the end --------------------------------------------------------------------------

    fn finish(mut self, end: SimTime, warnings: Vec<String>) -> Result<ArmOutcome, SimError> {
        self.check()?;
        // Tasks still alive, in arrival order: running (placed) or pending.
        let mut alive: Vec<(u64, TaskSlot)> =
            self.ctx.tasks.iter().map(|(s, t)| (t.seq, s)).collect();
        alive.sort_unstable();
        for (_, slot) in alive {
            let Some(t) = self.ctx.tasks.remove(slot) else {
                continue;
            };
            if t.placed_at.is_none() {
                self.ctx.ledger.summary.tasks_pending_at_end += 1;
                self.record(&t, None, None, TaskOutcome::Pending);
            } else {
                self.ctx.ledger.summary.tasks_running_at_end += 1;
                self.ctx.ledger.ran_to_end(&t, end);
                let cost = self.capacity.close_task(&mut self.ctx, slot, &t);
                self.record(&t, Some(end), cost, TaskOutcome::Running);
            }
        }
        self.capacity.close(&mut self.ctx, end);
        let arm = self.ctx.arm;
        let mut out = self.ctx.ledger.finish(arm, end, warnings)?;
        apply_commitments(&mut out, &self.ctx.scenario.commitments);
        Ok(out)
    }
}

/// Apply the commitments that apply to the arm to its hourly usage (docs/model.md §22) and set
/// the summary's effective cost, fees, utilisation and coverage. Every hour the run touches
/// pays every fee.
pub fn apply_commitments(out: &mut ArmOutcome, all: &[Commitment]) {
    let mine: Vec<&Commitment> = all.iter().filter(|c| c.applies_to(&out.arm)).collect();
    if mine.is_empty() {
        return;
    }
    let result = commitment::apply(&out.usage, &mine, hours_touched(out.end.as_ms()));
    let s = &mut out.summary;
    s.has_commitments = true;
    s.cost_effective_usd = s.cost_usd - result.covered_on_demand_usd() + result.fee_usd();
    s.commitment_fee_usd = result.fee_usd();
    s.commitment_utilisation = result.utilisation();
    s.commitment_coverage = Some(result.coverage().unwrap_or(0.0));
    out.commitments = Some(result);
}
