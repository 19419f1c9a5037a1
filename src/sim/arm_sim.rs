//! One arm's run: the event loop and one handler per event.

use crate::engine::rng::{StreamPurpose, stream};
use crate::engine::{EventQueue, RngStream};
use crate::ids::{InstanceId, ZoneId};
use crate::model::Fit;
use crate::model::cluster::{AGENT_RESERVED_PORTS, ClusterType, ResourceRequest};
use crate::model::task_spec::TaskSource;
use crate::model::{
    Cluster, FargateRates, FargateSizes, GroupTable, InstanceType, RankedSizes, TaskSpec,
};
use crate::placement::constraints_hold;
use crate::placement::reference::place_by_scan;
use crate::placement::{
    self, BinpackField, Placement, PlacementConstraint, PlacementRequest, PlacementScratch,
    PlacementStrategy, SpreadField,
};
use crate::scenario::load::MAX_SAMPLES;
use crate::scenario::{Arm, ArmKind, Ec2Arm, OnNoCapacity, Scenario};
use crate::sim::billing::{
    EC2_MINIMUM_SECS, FARGATE_MINIMUM_SECS, billed_secs, cost_of, fargate_hourly,
};
use crate::sim::events::{Event, KIND_ARRIVAL, KIND_CONTROL};
use crate::sim::metrics::{CostMeter, Integrals, Levels, nearest_rank, ratio};
use crate::sim::outcome::{ArmOutcome, ArmSummary, Sample, TaskOutcome, TaskRecord};
use crate::sim::pending_queue::PendingQueue;
use crate::sim::task_table::{LiveTask, TaskSlot, TaskTable};
use crate::sim::workload::Arrivals;
use crate::sim::{RunOptions, SimError};
use crate::time::{SimDuration, SimTime};

/// Fargate's largest ephemeral storage, GiB (reference/ecs-facts.md §1.2).
const FARGATE_MAX_STORAGE_GIB: u32 = 200;

/// Per-source placement inputs on an EC2 arm: constraints and host ports.
#[derive(Debug)]
struct SourceRules {
    constraints: Vec<PlacementConstraint>,
    host_ports: Vec<u16>,
    /// A constraint reads the tasks on an instance, so a placement can make it true.
    dynamic: bool,
}

/// Where a placement attempt may put a task.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// Wherever the strategy chooses.
    Anywhere,
    /// On this instance or nowhere (the pending-queue walk after a release there).
    Only(InstanceId),
}

fn reads_task_state(constraints: &[PlacementConstraint]) -> bool {
    constraints
        .iter()
        .any(|c| matches!(c, PlacementConstraint::MemberOf(e) if e.reads_task_state()))
}

/// EC2-mode state.
#[derive(Debug)]
struct Ec2State {
    cluster: Cluster,
    types: Vec<InstanceType>,
    /// Per local type: CPU, memory (after reserved memory) and task slots an instance offers.
    capacity: Vec<(u32, u32, u32)>,
    needs_eni: bool,
    ports_conflict: bool,
    strategy: Vec<PlacementStrategy>,
    rules: Vec<SourceRules>,
    scratch: PlacementScratch,
    rng: RngStream,
    launched: Vec<SimTime>,
    /// Per local type: whether the fleet has (or can get) instances of it.
    present: Vec<bool>,
}

/// Fargate state.
#[derive(Debug)]
struct FargateState {
    /// Valid sizes, cheapest first at this arm's rates.
    sizes: RankedSizes,
    rates: FargateRates,
    storage_gb_hour: f64,
}

#[derive(Debug)]
enum Mode {
    Ec2(Box<Ec2State>),
    Fargate(FargateState),
}

/// The simulation of one arm.
pub struct ArmSim<'a> {
    arm: &'a Arm,
    /// Job stream names, for task labels.
    job_names: Vec<String>,
    horizon: Option<SimTime>,
    interval: SimDuration,
    opts: RunOptions,
    queue: EventQueue<Event>,
    arrivals: Arrivals,
    next_sample: Option<SimTime>,
    groups: GroupTable,
    tasks: TaskTable,
    pending: PendingQueue,
    mode: Mode,
    start_rng: RngStream,
    now: SimTime,
    levels: Levels,
    integrals: Integrals,
    meter: CostMeter,
    has_usage: bool,
    /// Time of the last placement, start or finish of a task, and the integrals then.
    last_activity: SimTime,
    integrals_at_activity: Integrals,
    usage_missing: bool,
    waits_ms: Vec<u64>,
    task_run_ms: u128,
    summary: ArmSummary,
    samples: Vec<Sample>,
    records: Option<Vec<TaskRecord>>,
    events: u64,
}

/// A running task's average CPU and memory use, where the trace gives it. On Fargate the task
/// size is a hard limit (reference/ecs-facts.md §2.2: task-level `cpu` is a hard limit), so use
/// is capped at the billed size.
fn used(t: &LiveTask) -> (Option<f64>, Option<f64>) {
    let (cpu, mem) = (t.spec.cpu_used_units, t.spec.memory_used_mib);
    match t.fargate {
        Some(size) => (
            cpu.map(|c| c.min(f64::from(size.cpu_units))),
            mem.map(|m| m.min(f64::from(size.memory_mib))),
        ),
        None => (cpu, mem),
    }
}

fn source_index(s: TaskSource) -> usize {
    match s {
        TaskSource::Trace => 0,
        TaskSource::Job(i) => usize::from(i) + 1,
    }
}

impl<'a> ArmSim<'a> {
    /// Prepare arm `arm_index` of `scenario` under `seed`.
    pub fn new(
        scenario: &'a Scenario,
        arm_index: usize,
        seed: u64,
        opts: RunOptions,
    ) -> Result<ArmSim<'a>, SimError> {
        let arm = &scenario.arms[arm_index];
        let mut groups = GroupTable::new();
        let arrivals = Arrivals::open(scenario, seed, &mut groups)?;
        let n = arm_index as u32;
        let mode = match &arm.kind {
            ArmKind::Ec2(e) => Mode::Ec2(Box::new(Ec2State::new(
                scenario,
                arm,
                e,
                stream(seed, StreamPurpose::Placement(n)),
            ))),
            ArmKind::Fargate(f) => Mode::Fargate(FargateState {
                sizes: FargateSizes::builtin().ranked(scenario.pricing.fargate(f.architecture)),
                rates: scenario.pricing.fargate(f.architecture),
                storage_gb_hour: scenario.pricing.fargate_storage_gb_hour,
            }),
        };
        let mut sim = ArmSim {
            arm,
            job_names: scenario
                .workload
                .jobs
                .iter()
                .map(|j| j.name.clone())
                .collect(),
            horizon: scenario.horizon.map(|h| SimTime(h.as_ms())),
            interval: scenario.metrics_interval,
            opts,
            queue: EventQueue::new(),
            arrivals,
            next_sample: Some(SimTime::ZERO),
            groups,
            tasks: TaskTable::default(),
            pending: PendingQueue::default(),
            mode,
            start_rng: stream(seed, StreamPurpose::TaskStart(n)),
            now: SimTime::ZERO,
            levels: Levels::default(),
            integrals: Integrals::default(),
            meter: CostMeter::default(),
            has_usage: false,
            last_activity: SimTime::ZERO,
            integrals_at_activity: Integrals::default(),
            usage_missing: false,
            waits_ms: Vec::new(),
            task_run_ms: 0,
            summary: ArmSummary::default(),
            samples: Vec::new(),
            records: opts.record_tasks.then(Vec::new),
            events: 0,
        };
        sim.launch_fixed_fleet();
        Ok(sim)
    }

    /// The fixed fleet exists from time 0 (it was running before the simulated window):
    /// registered at once and billed from time 0. `fixed = N` is split evenly over the arm's
    /// types (earlier types get the remainder), launched type by type, each instance to the
    /// zone with the fewest instances, so every type is balanced over the zones.
    fn launch_fixed_fleet(&mut self) {
        let Mode::Ec2(ec2) = &mut self.mode else {
            return;
        };
        let ArmKind::Ec2(spec) = &self.arm.kind else {
            return;
        };
        let reserved: &[u16] = if ec2.ports_conflict {
            &AGENT_RESERVED_PORTS
        } else {
            &[]
        };
        let fixed = match spec.providers[0].capacity {
            crate::scenario::Capacity::Fixed(n) => n,
            crate::scenario::Capacity::Managed { min, .. } => min,
        };
        let n_types = ec2.types.len() as u32;
        for ti in 0..ec2.types.len() {
            let count = fixed / n_types + u32::from((ti as u32) < fixed % n_types);
            if count > 0 {
                ec2.present[ti] = true;
            }
            for _ in 0..count {
                let (cpu, mem, slots) = ec2.capacity[ti];
                let zone: ZoneId = ec2.cluster.next_zone();
                ec2.cluster
                    .add_instance(ti as u16, zone, cpu, mem, slots, reserved);
                ec2.launched.push(SimTime::ZERO);
                self.meter.open(SimTime::ZERO, ec2.types[ti].price_per_hour);
            }
        }
        self.summary.peak_instances = self.summary.peak_instances.max(ec2.cluster.len() as u32);
        self.refresh_cluster_levels();
    }

    fn refresh_cluster_levels(&mut self) {
        if let Mode::Ec2(ec2) = &self.mode {
            let c = &ec2.cluster;
            self.levels.cpu_registered = c.total_registered_cpu();
            self.levels.mem_registered = c.total_registered_mem();
            self.levels.cpu_reserved = c.total_reserved_cpu();
            self.levels.mem_reserved = c.total_reserved_mem();
        }
    }

    /// Run to the end and summarise. `progress` is called now and then with the simulated time.
    pub fn run(mut self, progress: &dyn Fn(SimTime)) -> Result<ArmOutcome, SimError> {
        loop {
            let arrival = self.arrivals.peek_time().map(|t| (t, KIND_ARRIVAL));
            let event = self.queue.peek_key();
            let sample = self.next_sample.map(|t| (t, KIND_CONTROL));
            if self.horizon.is_none() && event.is_none() && arrival.is_none() {
                break; // the finite workload is done
            }
            let Some((t, kind)) = [arrival, event, sample].into_iter().flatten().min() else {
                break;
            };
            if self.horizon.is_some_and(|h| t > h) {
                break;
            }
            self.integrals.advance(t, &self.levels);
            self.now = t;
            self.events += 1;
            if self.events.is_multiple_of(1 << 16) {
                progress(t);
            }
            if Some((t, kind)) == arrival && event.is_none_or(|e| (t, kind) < e) {
                if let Some((at, spec)) = self.arrivals.pop(&mut self.groups)? {
                    self.on_task_arrived(at, spec);
                }
            } else if Some((t, kind)) == event {
                match self.queue.pop() {
                    Some((_, Event::TaskFinished(s))) => self.on_task_finished(s),
                    Some((_, Event::TaskRunning(s))) => self.on_task_running(s),
                    None => {}
                }
            } else {
                self.on_metric_sample();
            }
            if self.opts.check_invariants {
                self.check()?;
            }
            if self.samples.len() as u64 > MAX_SAMPLES {
                return Err(SimError::TooManySamples {
                    arm: self.arm.name.clone(),
                    limit: MAX_SAMPLES,
                });
            }
        }
        let end = match self.horizon {
            Some(h) => h,
            None => {
                // A finite workload ends when the last task finished (DESIGN.md §2); later
                // arrivals that were rejected or could never be placed do not extend the run.
                self.integrals = self.integrals_at_activity.clone();
                self.samples.retain(|s| s.time <= self.last_activity);
                self.last_activity
            }
        };
        self.integrals.advance(end, &self.levels);
        self.now = end;
        if self.samples.last().is_none_or(|s| s.time < end) {
            self.on_metric_sample();
        }
        self.finish(end)
    }

    fn check(&self) -> Result<(), SimError> {
        if let Mode::Ec2(ec2) = &self.mode {
            ec2.cluster
                .check_invariants()
                .map_err(|m| SimError::Invariant(format!("arm `{}`: {m}", self.arm.name)))?;
        }
        Ok(())
    }

    // ---- handlers -------------------------------------------------------------------------

    fn on_task_arrived(&mut self, at: SimTime, spec: TaskSpec) {
        let seq = self.summary.tasks_arrived;
        self.summary.tasks_arrived += 1;
        let task = LiveTask {
            spec,
            seq,
            arrival: at,
            placed_at: None,
            running_at: None,
            instance: None,
            fargate: None,
            eni_blocked: false,
        };
        let fits = match &self.mode {
            Mode::Ec2(ec2) => ec2.fits_some_type(&task.spec),
            Mode::Fargate(f) => f.size_for(&task.spec).is_some(),
        };
        if !fits {
            self.reject(&task);
            return;
        }
        let slot = self.tasks.insert(task);
        if self.try_place(slot, Target::Anywhere, true) {
            return;
        }
        if self.arm.on_no_capacity == OnNoCapacity::Fail {
            if let Some(t) = self.tasks.remove(slot) {
                self.reject(&t);
            }
        } else {
            let dynamic = self.is_dynamic(slot);
            if let Some(t) = self.tasks.get(slot) {
                self.pending
                    .push(slot, t.spec.cpu_units, t.spec.memory_mib, dynamic);
            }
        }
    }

    fn on_task_running(&mut self, slot: TaskSlot) {
        self.touch();
        let now = self.now;
        let Some(t) = self.tasks.get_mut(slot) else {
            return;
        };
        t.running_at = Some(now);
        self.waits_ms.push(now.since(t.arrival).as_ms());
        let (cpu_used, mem_used) = used(t);
        self.has_usage |= cpu_used.is_some() || mem_used.is_some();
        self.usage_missing |= cpu_used.is_none() || mem_used.is_none();
        self.levels.cpu_used += cpu_used.unwrap_or(0.0);
        self.levels.mem_used += mem_used.unwrap_or(0.0);
        let done = now.after(t.spec.duration);
        self.queue.schedule(
            done,
            Event::TaskFinished(slot).kind(),
            Event::TaskFinished(slot),
        );
    }

    fn on_task_finished(&mut self, slot: TaskSlot) {
        self.touch();
        let now = self.now;
        let Some(t) = self.tasks.remove(slot) else {
            return;
        };
        self.summary.tasks_completed += 1;
        if t.running_at.is_some() {
            let (cpu_used, mem_used) = used(&t);
            self.levels.cpu_used -= cpu_used.unwrap_or(0.0);
            self.levels.mem_used -= mem_used.unwrap_or(0.0);
        }
        if let Some(r) = t.running_at {
            self.task_run_ms += u128::from(now.since(r).as_ms());
        }
        let cost = self.release(&t, now, true);
        self.record(&t, Some(now), cost, TaskOutcome::Completed);
        if let (Mode::Ec2(_), Some(i)) = (&self.mode, t.instance) {
            self.walk_pending(i);
        }
    }

    /// Note task activity now (the integrals are already advanced to now).
    fn touch(&mut self) {
        if self.horizon.is_none() && self.last_activity < self.now {
            self.last_activity = self.now;
            self.integrals_at_activity = self.integrals.clone();
        }
    }

    fn on_metric_sample(&mut self) {
        let now = self.now;
        let instances = match &self.mode {
            Mode::Ec2(e) => e.cluster.len() as u32,
            Mode::Fargate(_) => 0,
        };
        let pending = self.pending.len() as u64;
        self.samples.push(Sample {
            time: now,
            instances,
            cpu_registered: self.levels.cpu_registered,
            cpu_reserved: self.levels.cpu_reserved,
            mem_registered: self.levels.mem_registered,
            mem_reserved: self.levels.mem_reserved,
            tasks_running: self.tasks.len() as u64 - pending,
            tasks_pending: pending,
            cost_rate_usd_h: self.meter.rate_per_hour(),
            cost_cum_usd: self.meter.accrued(now),
        });
        self.next_sample = Some(now.after(self.interval));
    }

    // ---- placement ------------------------------------------------------------------------

    /// Whether the task in `slot` has a constraint that a placement can make true (so a walk
    /// must try it everywhere, see [`PendingQueue`]).
    fn is_dynamic(&self, slot: TaskSlot) -> bool {
        match (&self.mode, self.tasks.get(slot)) {
            (Mode::Ec2(ec2), Some(t)) => ec2.rules[source_index(t.spec.source)].dynamic,
            _ => false,
        }
    }

    /// Try to place the task in `slot` now, anywhere or only on one instance; true if placed.
    /// `first_attempt` is the attempt at arrival, the one that counts ENI-blocked tasks.
    fn try_place(&mut self, slot: TaskSlot, target: Target, first_attempt: bool) -> bool {
        let now = self.now;
        let Some(task) = self.tasks.get_mut(slot) else {
            return false;
        };
        match &mut self.mode {
            Mode::Fargate(f) => {
                let Some(size) = f.size_for(&task.spec) else {
                    return false;
                };
                task.fargate = Some(size);
                task.placed_at = Some(now);
                self.levels.cpu_registered += u64::from(size.cpu_units);
                self.levels.mem_registered += u64::from(size.memory_mib);
                self.levels.cpu_reserved += u64::from(task.spec.cpu_units);
                self.levels.mem_reserved += u64::from(task.spec.memory_mib);
                self.meter.open(
                    now,
                    fargate_hourly(size, task.spec.storage_gib, f.rates, f.storage_gb_hour),
                );
            }
            Mode::Ec2(ec2) => {
                let rules = &ec2.rules[source_index(task.spec.source)];
                let request = PlacementRequest {
                    resources: ec2.request(&task.spec, &rules.host_ports),
                    constraints: &rules.constraints,
                    strategy: &ec2.strategy,
                };
                let names = self.groups.names();
                let decision = match target {
                    Target::Only(i) => {
                        let fits = ec2.cluster.fit(i, &request.resources) == Fit::Fits
                            && constraints_hold(&ec2.cluster, names, &request, i.0);
                        if fits {
                            Placement::Placed(i)
                        } else {
                            Placement::NoInstance { eni_blocked: false }
                        }
                    }
                    Target::Anywhere if self.opts.reference_placement => place_by_scan(
                        &ec2.cluster,
                        names,
                        &request,
                        &mut ec2.scratch,
                        &mut ec2.rng,
                    ),
                    Target::Anywhere => placement::place(
                        &ec2.cluster,
                        names,
                        &request,
                        &mut ec2.scratch,
                        &mut ec2.rng,
                    ),
                };
                match decision {
                    Placement::Placed(i) => {
                        if !ec2.cluster.reserve(i, &request.resources) {
                            return false;
                        }
                        task.instance = Some(i);
                        task.placed_at = Some(now);
                    }
                    Placement::NoInstance { eni_blocked } => {
                        if eni_blocked && first_attempt && !task.eni_blocked {
                            task.eni_blocked = true;
                            self.summary.eni_blocked_placements += 1;
                        }
                        return false;
                    }
                }
            }
        }
        self.touch();
        let latency = self.arm.task_start_latency.sample(&mut self.start_rng);
        self.queue.schedule(
            now.after(latency),
            Event::TaskRunning(slot).kind(),
            Event::TaskRunning(slot),
        );
        self.refresh_cluster_levels();
        true
    }

    /// After a release on instance `released`, walk the pending queue in arrival order and
    /// place every task that now fits (DESIGN.md §3). Only `released` has changed, so a waiting
    /// task can now fit only there: the queue's index yields, in order, the tasks whose CPU and
    /// memory fit what it has free, plus the dynamic ones, which are tried everywhere (see
    /// [`PendingQueue`]). With `reference_placement`, every waiting task is tried everywhere.
    fn walk_pending(&mut self, released: InstanceId) {
        if self.opts.reference_placement {
            let waiting: Vec<(usize, TaskSlot)> = self.pending.iter().collect();
            for (pos, slot) in waiting {
                if self.try_place(slot, Target::Anywhere, false) {
                    self.pending.remove(pos);
                }
            }
            return;
        }
        let mut from = 0;
        loop {
            let Mode::Ec2(ec2) = &self.mode else { return };
            let free = ec2.cluster.free()[released.index()];
            let Some(pos) = self.pending.next_candidate(from, free[0], free[1]) else {
                break;
            };
            from = pos + 1;
            let Some((slot, dynamic)) = self.pending.at(pos) else {
                continue;
            };
            let target = if dynamic {
                Target::Anywhere
            } else {
                Target::Only(released)
            };
            if self.try_place(slot, target, false) {
                self.pending.remove(pos);
            }
        }
    }

    /// Free what task `t` held; returns its cost where it has its own (Fargate).
    fn release(&mut self, t: &LiveTask, now: SimTime, ended: bool) -> Option<f64> {
        match &mut self.mode {
            Mode::Ec2(ec2) => {
                if let Some(i) = t.instance {
                    let rules = &ec2.rules[source_index(t.spec.source)];
                    let req = ec2.request(&t.spec, &rules.host_ports);
                    ec2.cluster.release(i, &req);
                }
                self.refresh_cluster_levels();
                None
            }
            Mode::Fargate(f) => {
                let (size, placed) = (t.fargate?, t.placed_at?);
                self.levels.cpu_registered -= u64::from(size.cpu_units);
                self.levels.mem_registered -= u64::from(size.memory_mib);
                self.levels.cpu_reserved -= u64::from(t.spec.cpu_units);
                self.levels.mem_reserved -= u64::from(t.spec.memory_mib);
                let hourly = fargate_hourly(size, t.spec.storage_gib, f.rates, f.storage_gb_hour);
                let cost = cost_of(
                    billed_secs(now.since(placed), ended, FARGATE_MINIMUM_SECS),
                    hourly,
                );
                self.meter.close(placed, hourly, cost);
                Some(cost)
            }
        }
    }

    fn reject(&mut self, t: &LiveTask) {
        self.summary.tasks_rejected += 1;
        self.record(t, None, None, TaskOutcome::Rejected);
    }

    fn record(
        &mut self,
        t: &LiveTask,
        end: Option<SimTime>,
        cost: Option<f64>,
        outcome: TaskOutcome,
    ) {
        let Some(records) = &mut self.records else {
            return;
        };
        let (instance_id, instance_type, provider) = match &self.mode {
            Mode::Ec2(ec2) => (
                t.instance.map(|i| ec2.cluster.instance_name(i).to_string()),
                t.instance.map(|i| {
                    ec2.types[usize::from(ec2.cluster.type_of()[i.index()])]
                        .name
                        .clone()
                }),
                self.arm.name.clone(),
            ),
            Mode::Fargate(_) => (None, None, "FARGATE".to_string()),
        };
        records.push(TaskRecord {
            task_id: {
                let job = match t.spec.source {
                    TaskSource::Job(i) => self
                        .job_names
                        .get(usize::from(i))
                        .map_or("", String::as_str),
                    TaskSource::Trace => "",
                };
                t.spec.label.render(job)
            },
            group: self.groups.name(t.spec.group).to_string(),
            arrival: t.arrival,
            start: t.running_at,
            end: end.filter(|_| t.running_at.is_some()),
            capacity_provider: provider,
            instance_id,
            instance_type,
            fargate_cpu: t.fargate.map(|s| s.cpu_units),
            fargate_memory_mib: t.fargate.map(|s| s.memory_mib),
            cost_usd: cost,
            outcome,
        });
    }

    // ---- the end --------------------------------------------------------------------------

    fn finish(mut self, end: SimTime) -> Result<ArmOutcome, SimError> {
        self.check()?;
        // Tasks still alive, in arrival order: running (placed) or pending.
        let mut alive: Vec<(u64, TaskSlot)> = self.tasks.iter().map(|(s, t)| (t.seq, s)).collect();
        alive.sort_unstable();
        let pending: std::collections::BTreeSet<TaskSlot> =
            self.pending.iter().map(|(_, s)| s).collect();
        for (_, slot) in alive {
            let Some(t) = self.tasks.remove(slot) else {
                continue;
            };
            if pending.contains(&slot) {
                self.summary.tasks_pending_at_end += 1;
                self.record(&t, None, None, TaskOutcome::Pending);
            } else {
                self.summary.tasks_running_at_end += 1;
                if let Some(r) = t.running_at {
                    self.task_run_ms += u128::from(end.since(r).as_ms());
                }
                let cost = match self.mode {
                    Mode::Fargate(_) => self.release(&t, end, false),
                    Mode::Ec2(_) => None,
                };
                self.record(&t, Some(end), cost, TaskOutcome::Running);
            }
        }
        if let Mode::Ec2(ec2) = &self.mode {
            let mut instance_ms: u128 = 0;
            for (k, launched) in ec2.launched.iter().enumerate() {
                let ty = &ec2.types[usize::from(ec2.cluster.type_of()[k])];
                let elapsed = end.since(*launched);
                instance_ms += u128::from(elapsed.as_ms());
                let cost = cost_of(
                    billed_secs(elapsed, false, EC2_MINIMUM_SECS),
                    ty.price_per_hour,
                );
                self.meter.close(*launched, ty.price_per_hour, cost);
            }
            self.summary.instance_hours = instance_ms as f64 / 3_600_000.0;
        }
        let s = &mut self.summary;
        let accounted = s.tasks_completed
            + s.tasks_rejected
            + s.tasks_lost
            + s.tasks_running_at_end
            + s.tasks_pending_at_end;
        if accounted != s.tasks_arrived {
            return Err(SimError::Invariant(format!(
                "arm `{}`: {} tasks arrived but {accounted} are accounted for",
                self.arm.name, s.tasks_arrived
            )));
        }
        s.cost_usd = self.meter.closed();
        if let Some(last) = self.samples.last_mut()
            && last.time == end
        {
            last.cost_cum_usd = s.cost_usd;
        }
        self.waits_ms.sort_unstable();
        let w = &self.waits_ms;
        let secs = |ms: Option<u64>| ms.map(|v| v as f64 / 1000.0);
        if !w.is_empty() {
            s.wait_mean_s = Some(
                w.iter().map(|&x| u128::from(x)).sum::<u128>() as f64 / w.len() as f64 / 1000.0,
            );
        }
        s.wait_p50_s = secs(nearest_rank(w, 50.0));
        s.wait_p95_s = secs(nearest_rank(w, 95.0));
        s.wait_p99_s = secs(nearest_rank(w, 99.0));
        s.wait_max_s = secs(w.last().copied());
        let task_hours = self.task_run_ms as f64 / 3_600_000.0;
        s.task_hours = task_hours;
        s.cost_per_task_hour_usd = ratio(s.cost_usd, task_hours);
        let i = &self.integrals;
        s.cpu_reserved_util = ratio(i.cpu_reserved as f64, i.cpu_registered as f64);
        s.mem_reserved_util = ratio(i.mem_reserved as f64, i.mem_registered as f64);
        if self.has_usage && !self.usage_missing {
            s.cpu_used_util = ratio(i.cpu_used, i.cpu_registered as f64);
            s.mem_used_util = ratio(i.mem_used, i.mem_registered as f64);
        }
        Ok(ArmOutcome {
            arm: self.arm.name.clone(),
            launch_type: self.arm.launch_type(),
            summary: self.summary,
            timeseries: self.samples,
            tasks: self.records,
            events: self.events,
            end,
        })
    }
}

impl Ec2State {
    fn new(scenario: &Scenario, arm: &Arm, spec: &Ec2Arm, rng: RngStream) -> Ec2State {
        let needs_eni = spec.network_mode.needs_eni();
        let types = spec.providers[0].instance_types.clone();
        let capacity = types
            .iter()
            .map(|t| {
                let slots = if needs_eni {
                    t.awsvpc_task_slots(spec.eni_trunking)
                } else {
                    u32::MAX
                };
                (
                    t.cpu_units(),
                    t.registered_memory_mib
                        .saturating_sub(spec.reserved_memory_mib),
                    slots,
                )
            })
            .collect();
        let cluster_types = types
            .iter()
            .map(|t| ClusterType {
                name: t.name.clone(),
                architecture: t.architecture,
                trunk: needs_eni && spec.eni_trunking && t.trunk_tasks.is_some(),
            })
            .collect();
        let ports_conflict = spec.network_mode.ports_conflict();
        let mut rules = vec![SourceRules {
            dynamic: reads_task_state(&spec.constraints),
            constraints: spec.constraints.clone(),
            host_ports: Vec::new(),
        }];
        for j in &scenario.workload.jobs {
            let mut constraints = spec.constraints.clone();
            constraints.extend(j.constraints.iter().cloned());
            let host_ports = if ports_conflict {
                j.host_ports.clone()
            } else {
                Vec::new()
            };
            rules.push(SourceRules {
                dynamic: reads_task_state(&constraints),
                constraints,
                host_ports,
            });
        }
        // ECS's default for one-off tasks (RunTask) is random (reference/ecs-facts.md §4.3).
        let strategy = spec
            .strategy
            .clone()
            .unwrap_or_else(|| vec![PlacementStrategy::Random]);
        let mut cluster = Cluster::new(cluster_types, arm.zones.clone());
        let binpacks = |f: BinpackField| strategy.contains(&PlacementStrategy::Binpack(f));
        let spreads_zone = strategy.iter().any(|s| {
            matches!(s, PlacementStrategy::Spread(SpreadField::Attribute(a)) if a == "ecs.availability-zone")
        });
        // The id index serves first fit, `random`, `spread` alone and the ENI check (awsvpc);
        // `spread(zone), binpack` in bridge or host mode never needs it.
        let by_id = needs_eni
            || !matches!(
                strategy.as_slice(),
                [PlacementStrategy::Binpack(_)]
                    | [
                        PlacementStrategy::Spread(SpreadField::Attribute(_)),
                        PlacementStrategy::Binpack(_)
                    ]
            );
        cluster.keep_indexes(
            by_id,
            binpacks(BinpackField::Cpu),
            binpacks(BinpackField::Memory) || spreads_zone,
        );
        let types_len = types.len();
        Ec2State {
            cluster,
            types,
            capacity,
            needs_eni,
            ports_conflict,
            strategy,
            rules,
            scratch: PlacementScratch::default(),
            rng,
            launched: Vec::new(),
            present: vec![false; types_len],
        }
    }

    fn request<'p>(&self, spec: &TaskSpec, host_ports: &'p [u16]) -> ResourceRequest<'p> {
        ResourceRequest {
            cpu_units: spec.cpu_units,
            memory_mib: spec.memory_mib,
            needs_eni: self.needs_eni,
            host_ports,
            group: spec.group,
        }
    }

    /// Whether an empty instance of some type the fleet has could hold the task (else it can
    /// never run here and is rejected at once).
    fn fits_some_type(&self, spec: &TaskSpec) -> bool {
        let ports = &self.rules[source_index(spec.source)].host_ports;
        if self.ports_conflict && ports.iter().any(|p| AGENT_RESERVED_PORTS.contains(p)) {
            return false;
        }
        self.capacity
            .iter()
            .zip(&self.present)
            .any(|(&(cpu, mem, slots), &present)| {
                present && spec.cpu_units <= cpu && spec.memory_mib <= mem && slots > 0
            })
    }
}

impl FargateState {
    fn size_for(&self, spec: &TaskSpec) -> Option<crate::model::FargateSize> {
        if spec.storage_gib > FARGATE_MAX_STORAGE_GIB {
            return None;
        }
        self.sizes.round_up(spec.cpu_units, spec.memory_mib)
    }
}
