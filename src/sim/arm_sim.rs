//! One arm's run: the event loop and one handler per event.

use std::collections::VecDeque;

use crate::engine::rng::{StreamPurpose, stream};
use crate::engine::{EventQueue, RngStream};
use crate::ids::{GroupId, InstanceId};
use crate::model::Fit;
use crate::model::billing::{
    FARGATE_MINIMUM_SECS, FargateUsage, billed_secs, cost_of, fargate_hourly,
};
use crate::model::cluster::{AGENT_RESERVED_PORTS, ClusterType, ResourceRequest, unavailable};
use crate::model::task_spec::{TaskLabel, TaskSource};
use crate::model::{
    Distribution, FargateRates, FargateSize, FargateSizes, GroupTable, RankedSizes, TaskSpec,
};
use crate::placement::constraints_hold;
use crate::placement::reference::place_by_scan;
use crate::placement::{
    self, BinpackField, Placement, PlacementConstraint, PlacementRequest, PlacementScratch,
    PlacementStrategy, SpreadField,
};
use crate::scenario::limits::MAX_SAMPLES;
use crate::scenario::{
    Arm, ArmKind, Capacity, DEFAULT_STOP_TIMEOUT, Ec2Arm, FARGATE_SPOT, OnInterruption,
    OnNoCapacity, Scenario, ServiceSpec,
};
use crate::sim::deployment::{self, DeploymentState};
use crate::sim::ec2_pool::{Ec2Pool, Termination, TypeCapacity};
use crate::sim::events::{Attempt, Event, KIND_ARRIVAL, KIND_CONTROL};
use crate::sim::managed_scaling::{
    ProvisioningEstimate, ScalingAction, capacity_provider_reservation, needed_for,
};
use crate::sim::metrics::{CostMeter, Integrals, Levels, ratio};
use crate::sim::outcome::{ArmOutcome, ArmSummary, Sample, ScalingRecord, TaskOutcome, TaskRecord};
use crate::sim::provider_split::choose_provider;
use crate::sim::service_scale_in::{Candidate, scale_in_order};
use crate::sim::service_scaling::{ServiceScaler, ServiceScalingAction};
use crate::sim::task_table::{LiveTask, TaskSlot, TaskTable};
use crate::sim::token_bucket::{FARGATE_LAUNCH_BURST, FARGATE_LAUNCH_PER_SECOND, TokenBucket};
use crate::sim::workload::Arrivals;
use crate::sim::{RunOptions, SimError};
use crate::time::{SimDuration, SimTime};
use crate::util::percentile::nearest_rank;

mod end;
use end::Stop;

/// Fargate's largest ephemeral storage, GiB (docs/reference/ecs-facts.md §1.2).
const FARGATE_MAX_STORAGE_GIB: u32 = 200;
/// Spot interruption notice (docs/reference/ecs-facts.md §1.6, §6.1): two minutes.
const SPOT_NOTICE: SimDuration = SimDuration(120_000);
/// Without a load balancer or health checks a task counts as healthy 40 s after RUNNING
/// (docs/reference/ecs-facts.md §6.1).
const HEALTH_GRACE: SimDuration = SimDuration(40_000);
/// Without a horizon, a run whose remaining tasks have made no progress for this long ends
/// (their instances could go on being replaced for ever).
const STALL_LIMIT: SimDuration = SimDuration(7 * 24 * 3_600_000);
/// Managed scaling and service auto scaling evaluate once a minute (docs/reference/ecs-facts.md §7.1).
const SCALING_PERIOD: SimDuration = SimDuration(60_000);

/// Per-source placement inputs on an EC2 arm: constraints, strategy and host ports.
#[derive(Debug)]
struct SourceRules {
    constraints: Vec<PlacementConstraint>,
    strategy: Vec<PlacementStrategy>,
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

/// EC2-mode state: one pool per capacity provider.
#[derive(Debug)]
struct Ec2State {
    pools: Vec<Ec2Pool>,
    needs_eni: bool,
    ports_conflict: bool,
    /// Per source (trace, jobs, services).
    rules: Vec<SourceRules>,
    scratch: PlacementScratch,
    rng: RngStream,
    /// Per pool, per instance: the tasks on it (kept only for pools that can be interrupted).
    tasks_on: Vec<Option<Vec<Vec<TaskSlot>>>>,
}

/// Fargate state.
#[derive(Debug)]
struct FargateState {
    /// Valid sizes, cheapest first at this arm's rates.
    sizes: RankedSizes,
    rates: FargateRates,
    storage_gb_hour: f64,
    /// FARGATE_SPOT price ÷ FARGATE price.
    spot_factor: f64,
    /// Launch-rate buckets: on-demand and Spot (docs/reference/ecs-facts.md §7.2).
    buckets: [TokenBucket; 2],
    /// Account vCPU quota, in CPU units.
    quota_units: Option<u64>,
    /// CPU units of the Fargate sizes placed.
    in_use_units: u64,
    /// Tasks waiting (quota, launch rate or subnet), per launch-rate bucket (on-demand, Spot),
    /// each in arrival order.
    waiting: [VecDeque<TaskSlot>; 2],
    /// A retry is scheduled at this time (launch rate).
    retry_at: Option<SimTime>,
    /// Per bucket, the last time it refused a task (no token).
    refused_at: [Option<SimTime>; 2],
    /// Time to interruption of a FARGATE_SPOT task.
    interruption: Option<Distribution>,
    spot_rng: RngStream,
    /// What was billed, per provider (on-demand, Spot), for the cost breakdown.
    billed: [FargateUsage; 2],
}

#[derive(Debug)]
enum Mode {
    Ec2(Box<Ec2State>),
    Fargate(Box<FargateState>),
}

/// A service during the run.
#[derive(Debug)]
struct ServiceState {
    group: GroupId,
    desired: u32,
    revision: u32,
    deploying: bool,
    /// Live tasks the service counts (not those being replaced), in start order.
    tasks: Vec<TaskSlot>,
    next_label: u64,
    scaler: Option<ServiceScaler>,
}

/// The simulation of one arm.
pub struct ArmSim<'a> {
    scenario: &'a Scenario,
    arm: &'a Arm,
    /// Job stream and service names, for task labels.
    job_names: Vec<String>,
    service_names: Vec<String>,
    horizon: Option<SimTime>,
    interval: SimDuration,
    opts: RunOptions,
    queue: EventQueue<Event>,
    arrivals: Arrivals,
    next_sample: Option<SimTime>,
    next_tick: Option<SimTime>,
    groups: GroupTable,
    tasks: TaskTable,
    /// Per group, live tasks per strategy entry (only with several entries).
    live_by_group: Vec<Vec<u32>>,
    mode: Mode,
    services: Vec<ServiceState>,
    /// Free subnet addresses per zone, if limited.
    subnet_free: Option<Vec<u32>>,
    start_rng: RngStream,
    next_attempt: u32,
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
    scaling: Vec<ScalingRecord>,
    records: Option<Vec<TaskRecord>>,
    events: u64,
}

/// A running task's average CPU and memory use, where the trace gives it. On Fargate the task
/// size is a hard limit (docs/reference/ecs-facts.md §2.2: task-level `cpu` is a hard limit), so use
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
            ArmKind::Ec2(e) => Mode::Ec2(Box::new(Ec2State::new(scenario, arm, e, seed, n))),
            ArmKind::Fargate(f) => {
                let rates = scenario.pricing.fargate(f.architecture);
                let bucket = TokenBucket::new(FARGATE_LAUNCH_BURST, FARGATE_LAUNCH_PER_SECOND);
                Mode::Fargate(Box::new(FargateState {
                    sizes: FargateSizes::builtin().ranked(rates),
                    rates,
                    storage_gb_hour: scenario.pricing.fargate_storage_gb_hour,
                    spot_factor: 1.0 - f.spot_discount,
                    buckets: [bucket.clone(), bucket],
                    quota_units: f.vcpu_quota.map(|q| u64::from(q) * 1024),
                    in_use_units: 0,
                    waiting: [VecDeque::new(), VecDeque::new()],
                    retry_at: None,
                    refused_at: [None; 2],
                    interruption: (f.spot_interruptions_per_hour > 0.0).then(|| {
                        Distribution::Exponential {
                            mean_ms: 3_600_000.0 / f.spot_interruptions_per_hour,
                        }
                    }),
                    spot_rng: stream(seed, StreamPurpose::SpotInterruptions(n << 8)),
                    billed: [FargateUsage::default(); 2],
                }))
            }
        };
        let services = scenario
            .workload
            .services
            .iter()
            .map(|s| ServiceState {
                group: groups.intern(&format!("service:{}", s.name)),
                desired: s.desired,
                revision: 0,
                deploying: false,
                tasks: Vec::new(),
                next_label: 0,
                scaler: s.autoscaling.as_ref().map(|a| {
                    ServiceScaler::new(
                        a.target_cpu_percent,
                        a.min,
                        a.max,
                        a.scale_in_cooldown,
                        a.scale_out_cooldown,
                    )
                }),
            })
            .collect::<Vec<_>>();
        let managed = match &arm.kind {
            ArmKind::Ec2(e) => e
                .providers
                .iter()
                .any(|p| matches!(p.capacity, Capacity::Managed { .. })),
            ArmKind::Fargate(_) => false,
        };
        let ticks = managed
            || scenario
                .workload
                .services
                .iter()
                .any(|s| s.autoscaling.is_some());
        let mut queue = EventQueue::new();
        for (i, s) in scenario.workload.services.iter().enumerate() {
            for &t in &s.deployments {
                let e = Event::Deployment(i as u16);
                queue.schedule(t, e.kind(), e);
            }
        }
        let mut sim = ArmSim {
            scenario,
            arm,
            job_names: scenario
                .workload
                .jobs
                .iter()
                .map(|j| j.name.clone())
                .collect(),
            service_names: scenario
                .workload
                .services
                .iter()
                .map(|s| s.name.clone())
                .collect(),
            horizon: scenario.horizon.map(|h| SimTime(h.as_ms())),
            interval: scenario.metrics_interval,
            opts,
            queue,
            arrivals,
            next_sample: Some(SimTime::ZERO),
            next_tick: ticks.then_some(SimTime::ZERO),
            groups,
            tasks: TaskTable::default(),
            live_by_group: Vec::new(),
            mode,
            services,
            subnet_free: arm.subnet_ips.clone(),
            start_rng: stream(seed, StreamPurpose::TaskStart(n)),
            next_attempt: 0,
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
            scaling: Vec::new(),
            records: opts.record_tasks.then(Vec::new),
            events: 0,
        };
        sim.launch_initial_fleet();
        if let Some(free) = sim.subnet_free.clone() {
            for (z, &n) in free.iter().enumerate() {
                if n == 0 {
                    sim.set_zone_full(z, true);
                }
            }
        }
        for i in 0..sim.services.len() {
            sim.reconcile_service(i);
        }
        Ok(sim)
    }

    /// The instances each provider has at time 0 (a fixed fleet, or a managed group's `min`)
    /// existed before the simulated window: registered at once and billed from time 0. The
    /// count is split evenly over the provider's types (earlier types get the remainder),
    /// launched type by type, each instance to the zone with the fewest instances.
    fn launch_initial_fleet(&mut self) {
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
        let mut notices = Vec::new();
        for (p, (pool, provider)) in ec2.pools.iter_mut().zip(&spec.providers).enumerate() {
            let count = match provider.capacity {
                Capacity::Fixed(n) => n,
                Capacity::Managed { min, .. } => min,
            };
            let n_types = pool.types.len() as u32;
            for ti in 0..pool.types.len() {
                let k = count / n_types + u32::from((ti as u32) < count % n_types);
                for _ in 0..k {
                    let (m, _) = pool.request(ti as u16, SimTime::ZERO, &mut self.meter);
                    pool.machines[m as usize].initial = true;
                    let (id, notice) = pool.register(m, SimTime::ZERO, reserved);
                    if let Some(t) = notice {
                        notices.push((t, p as u8, id.0));
                    }
                    if let Some(on) = &mut ec2.tasks_on[p] {
                        on.push(Vec::new());
                    }
                }
            }
        }
        for (t, p, i) in notices {
            let e = Event::SpotNotice(p, i);
            self.queue.schedule(t, e.kind(), e);
        }
        self.note_instances();
        self.refresh_cluster_levels();
    }

    fn note_instances(&mut self) {
        if let Mode::Ec2(ec2) = &self.mode {
            let n: u32 = ec2.pools.iter().map(Ec2Pool::instances).sum();
            self.summary.peak_instances = self.summary.peak_instances.max(n);
        }
    }

    fn refresh_cluster_levels(&mut self) {
        if let Mode::Ec2(ec2) = &self.mode {
            let l = &mut self.levels;
            l.cpu_registered = 0;
            l.mem_registered = 0;
            l.cpu_reserved = 0;
            l.mem_reserved = 0;
            for p in &ec2.pools {
                let c = &p.cluster;
                l.cpu_registered += c.total_registered_cpu();
                l.mem_registered += c.total_registered_mem();
                l.cpu_reserved += c.total_reserved_cpu();
                l.mem_reserved += c.total_reserved_mem();
            }
        }
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
            let event = self.queue.peek_key();
            let tick = self.next_tick.map(|t| (t, KIND_CONTROL));
            let sample = self.next_sample.map(|t| (t, KIND_CONTROL));
            if self.horizon.is_none() && arrival.is_none() {
                if self.tasks.is_empty() {
                    break Stop::Done; // the finite workload is done
                }
                // What is left cannot progress while nothing is placed and only instance
                // events (such as Spot replacements) go on.
                if self.now.since(self.last_activity) > STALL_LIMIT
                    && self.pending_count() == self.tasks.len() as u64
                {
                    break Stop::Stalled;
                }
                if event.is_none() && !self.scaling_can_add_capacity() {
                    break Stop::Stuck;
                }
            }
            let Some((t, kind)) = [arrival, event, tick, sample].into_iter().flatten().min() else {
                break Stop::Stuck;
            };
            if self.horizon.is_some_and(|h| t > h) {
                break Stop::Done;
            }
            self.integrals.advance(t, &self.levels);
            self.now = t;
            self.events += 1;
            if self.events.is_multiple_of(1 << 16) {
                progress(t);
            }
            if Some((t, kind)) == arrival && event.is_none_or(|e| (t, kind) < e) {
                if let Some((at, spec)) = self.arrivals.pop(&mut self.groups)? {
                    let _ = self.on_task_arrived(at, spec);
                }
            } else if Some((t, kind)) == event {
                if let Some((_, e)) = self.queue.pop() {
                    self.on_event(e);
                }
            } else if Some((t, kind)) == tick {
                self.on_scaling_tick();
            } else {
                self.on_metric_sample();
            }
            if self.opts.check_invariants {
                self.check()?;
            }
            if self.tasks.len() > self.opts.max_live_tasks {
                break Stop::LiveTasks;
            }
            if self.samples.len() as u64 > MAX_SAMPLES {
                break Stop::Samples;
            }
        };
        let end = match (stop, self.horizon) {
            (Stop::Done, Some(h)) => h,
            (Stop::Done, None) => {
                // A finite workload ends when the last task finished (DESIGN.md §2); later
                // arrivals that were rejected or could never be placed do not extend the run.
                self.integrals = self.integrals_at_activity.clone();
                self.samples.retain(|s| s.time <= self.last_activity);
                self.scaling.retain(|s| s.time <= self.last_activity);
                self.last_activity
            }
            // Stuck: when the last thing that could happen happened; stalled: when the guard
            // fired (the fleet that waited is billed to then); saturated: at the bound.
            _ => self.now,
        };
        let (completion, reason, warnings) = self.ending(stop, end);
        self.summary.outcome = completion;
        self.summary.outcome_reason = reason;
        self.integrals.advance(end, &self.levels);
        self.now = end;
        if self.samples.last().is_none_or(|s| s.time < end) {
            self.on_metric_sample();
        }
        self.finish(end, warnings)
    }

    fn on_event(&mut self, e: Event) {
        match e {
            Event::TaskFinished(a) => self.on_task_finished(a),
            Event::TaskRunning(a) => self.on_task_running(a),
            Event::TaskHealthy(a) => self.on_task_healthy(a),
            Event::InstanceRegistered(p, m) => self.on_instance_registered(usize::from(p), m),
            Event::FargateRetry => self.on_fargate_retry(),
            Event::SpotNotice(p, i) => self.on_spot_notice(usize::from(p), InstanceId(i)),
            Event::SpotReclaimed(p, i) => self.on_spot_reclaimed(usize::from(p), InstanceId(i)),
            Event::FargateSpotNotice(a) => self.on_fargate_spot_notice(a),
            Event::FargateSpotReclaimed(a) => self.on_fargate_spot_reclaimed(a),
            Event::Deployment(s) => self.on_deployment(usize::from(s)),
        }
    }

    fn check(&self) -> Result<(), SimError> {
        if let Mode::Ec2(ec2) = &self.mode {
            for p in &ec2.pools {
                p.cluster.check_invariants().map_err(|m| {
                    SimError::Invariant(format!(
                        "arm `{}` provider `{}`: {m}",
                        self.arm.name, p.name
                    ))
                })?;
            }
        }
        Ok(())
    }

    /// The live task of placement `a`, if that placement is still current.
    fn current(&self, a: Attempt) -> bool {
        self.tasks
            .get(a.0)
            .is_some_and(|t| t.attempt == a.1 && t.placed_at.is_some())
    }

    // ---- arrivals and providers -----------------------------------------------------------

    /// A task arrives; returns its slot while it is alive (placed or waiting).
    fn on_task_arrived(&mut self, at: SimTime, spec: TaskSpec) -> Option<TaskSlot> {
        self.summary.tasks_arrived += 1;
        let seq = self.summary.tasks_arrived - 1;
        let mut task = LiveTask {
            spec,
            seq,
            arrival: at,
            placed_at: None,
            running_at: None,
            instance: None,
            fargate: None,
            eni_blocked: false,
            subnet_blocked: false,
            entry: 0,
            attempt: 0,
            subnet_zone: None,
            started_before: false,
            revision: 0,
            healthy: false,
            replaced: false,
        };
        let Some(entry) = self.choose_entry(task.spec.group) else {
            self.reject(&task);
            return None;
        };
        task.entry = entry as u8;
        if !self.can_ever_run(&task) {
            self.reject(&task);
            return None;
        }
        self.count_live(task.spec.group, entry, true);
        let service = matches!(task.spec.source, TaskSource::Service(_));
        let slot = self.tasks.insert(task);
        if self.try_place(slot, Target::Anywhere, true) {
            return Some(slot);
        }
        // Services keep trying (the service scheduler retries); one-off tasks may fail at once.
        if self.arm.on_no_capacity == OnNoCapacity::Fail && !service {
            if let Some(t) = self.tasks.remove(slot) {
                self.count_live(t.spec.group, usize::from(t.entry), false);
                self.reject(&t);
            }
            None
        } else {
            self.enqueue(slot);
            Some(slot)
        }
    }

    /// The strategy entry the next task of `group` runs on (docs/reference/ecs-facts.md §5.1).
    fn choose_entry(&mut self, group: GroupId) -> Option<usize> {
        let strategy = &self.arm.provider_strategy;
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

    fn count_live(&mut self, group: GroupId, entry: usize, add: bool) {
        if let Some(v) = self
            .live_by_group
            .get_mut(group.0 as usize)
            .and_then(|l| l.get_mut(entry))
        {
            *v = if add { *v + 1 } else { v.saturating_sub(1) };
        }
    }

    /// Whether the task could ever run on its provider (else it is rejected at once).
    fn can_ever_run(&self, t: &LiveTask) -> bool {
        let provider = self.arm.provider_strategy[usize::from(t.entry)].provider;
        match &self.mode {
            Mode::Ec2(ec2) => {
                let ports = &ec2.rules[self.source_index(t.spec.source)].host_ports;
                if ec2.ports_conflict && ports.iter().any(|p| AGENT_RESERVED_PORTS.contains(p)) {
                    return false;
                }
                ec2.pools[provider].fits_some_type(&t.spec)
            }
            Mode::Fargate(f) => f
                .size_for(&t.spec)
                .is_some_and(|size| f.quota_units.is_none_or(|q| u64::from(size.cpu_units) <= q)),
        }
    }

    fn source_index(&self, s: TaskSource) -> usize {
        source_index(s, self.job_names.len())
    }

    /// Put a task that could not be placed in its provider's waiting line.
    fn enqueue(&mut self, slot: TaskSlot) {
        let dynamic = self.is_dynamic(slot);
        let Some(t) = self.tasks.get(slot) else {
            return;
        };
        let provider = self.arm.provider_strategy[usize::from(t.entry)].provider;
        let source = self.source_index(t.spec.source);
        match &mut self.mode {
            Mode::Ec2(ec2) => {
                let ports = ec2.ports_source(source);
                let pool = &mut ec2.pools[provider];
                pool.pending
                    .push(slot, t.spec.cpu_units, t.spec.memory_mib, dynamic);
                pool.count_provisioning(&t.spec, source, ports.is_some(), true);
            }
            Mode::Fargate(f) => f.waiting[usize::from(provider == FARGATE_SPOT)].push_back(slot),
        }
    }

    /// Take a waiting task out of its line (it is placed, withdrawn or stopped).
    fn dequeue(&mut self, slot: TaskSlot) -> bool {
        let Some(t) = self.tasks.get(slot) else {
            return false;
        };
        let provider = self.arm.provider_strategy[usize::from(t.entry)].provider;
        let source = self.source_index(t.spec.source);
        match &mut self.mode {
            Mode::Ec2(ec2) => {
                let ports = ec2.ports_source(source);
                let pool = &mut ec2.pools[provider];
                if pool.pending.remove_slot(slot) {
                    pool.count_provisioning(&t.spec, source, ports.is_some(), false);
                    return true;
                }
                false
            }
            Mode::Fargate(f) => {
                let list = &mut f.waiting[usize::from(provider == FARGATE_SPOT)];
                match list.iter().position(|&s| s == slot) {
                    Some(p) => {
                        list.remove(p);
                        true
                    }
                    None => false,
                }
            }
        }
    }

    // ---- task lifecycle -------------------------------------------------------------------

    fn on_task_running(&mut self, a: Attempt) {
        if !self.current(a) {
            return;
        }
        self.touch();
        let now = self.now;
        let slot = a.0;
        let (spot, service) = {
            let Some(t) = self.tasks.get_mut(slot) else {
                return;
            };
            t.running_at = Some(now);
            if !t.started_before {
                t.started_before = true;
                self.waits_ms.push(now.since(t.arrival).as_ms());
            }
            let (cpu_used, mem_used) = used(t);
            self.has_usage |= cpu_used.is_some() || mem_used.is_some();
            self.usage_missing |= cpu_used.is_none() || mem_used.is_none();
            self.levels.cpu_used += cpu_used.unwrap_or(0.0);
            self.levels.mem_used += mem_used.unwrap_or(0.0);
            let service = matches!(t.spec.source, TaskSource::Service(_));
            if !service {
                let e = Event::TaskFinished(a);
                self.queue.schedule(now.after(t.spec.duration), e.kind(), e);
            }
            (
                self.arm.provider_strategy[usize::from(t.entry)].provider == FARGATE_SPOT,
                service,
            )
        };
        if service {
            let e = Event::TaskHealthy(a);
            self.queue.schedule(now.after(HEALTH_GRACE), e.kind(), e);
        }
        if spot
            && let Mode::Fargate(f) = &mut self.mode
            && let Some(d) = &f.interruption
        {
            let at = now.after(d.sample(&mut f.spot_rng));
            let e = Event::FargateSpotNotice(a);
            self.queue.schedule(at, e.kind(), e);
        }
    }

    fn on_task_healthy(&mut self, a: Attempt) {
        if !self.current(a) {
            return;
        }
        let Some(t) = self.tasks.get_mut(a.0) else {
            return;
        };
        t.healthy = true;
        if let TaskSource::Service(i) = t.spec.source
            && self.services[usize::from(i)].deploying
        {
            self.reconcile_service(usize::from(i));
        }
    }

    fn on_task_finished(&mut self, a: Attempt) {
        if !self.current(a) {
            return;
        }
        self.end_task(a.0, TaskOutcome::Completed);
    }

    /// A placed or waiting task stops for good with `outcome` (completed, lost, or rejected
    /// when withdrawn before it ran): free what it held, count it, and let waiting tasks use
    /// the room.
    fn end_task(&mut self, slot: TaskSlot, outcome: TaskOutcome) {
        let now = self.now;
        let waiting = self.tasks.get(slot).is_some_and(|t| t.placed_at.is_none());
        if waiting {
            self.dequeue(slot);
        }
        let Some(t) = self.tasks.remove(slot) else {
            return;
        };
        self.touch();
        if !t.replaced {
            self.count_live(t.spec.group, usize::from(t.entry), false);
        }
        if let TaskSource::Service(i) = t.spec.source {
            let s = &mut self.services[usize::from(i)];
            if let Some(p) = s.tasks.iter().position(|&x| x == slot) {
                s.tasks.remove(p);
            }
        }
        match outcome {
            TaskOutcome::Completed => self.summary.tasks_completed += 1,
            TaskOutcome::Lost => self.summary.tasks_lost += 1,
            _ => self.summary.tasks_rejected += 1,
        }
        if waiting {
            self.record(&t, None, None, outcome);
            return;
        }
        self.end_run(&t, now);
        let cost = self.release(slot, &t, now, true);
        self.record(&t, Some(now), cost, outcome);
        self.after_release(&t);
    }

    /// The run of task `t` (if it was RUNNING) ends at `now`: its usage leaves the levels and
    /// its run time is counted.
    fn end_run(&mut self, t: &LiveTask, now: SimTime) {
        if let Some(r) = t.running_at {
            let (cpu_used, mem_used) = used(t);
            self.levels.cpu_used -= cpu_used.unwrap_or(0.0);
            self.levels.mem_used -= mem_used.unwrap_or(0.0);
            self.task_run_ms += u128::from(now.since(r).as_ms());
        }
    }

    /// Capacity freed by task `t`: walk the waiting tasks that might use it.
    fn after_release(&mut self, t: &LiveTask) {
        let provider = self.arm.provider_strategy[usize::from(t.entry)].provider;
        let zone_reopened = self.free_subnet_address(t);
        if zone_reopened {
            self.walk_everything();
            return;
        }
        match &self.mode {
            Mode::Ec2(_) => {
                if let Some(i) = t.instance {
                    self.walk_pending(provider, i);
                }
            }
            Mode::Fargate(_) => self.walk_fargate(),
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
        let (instances, launching, pending) = match &self.mode {
            Mode::Ec2(e) => (
                e.pools.iter().map(Ec2Pool::instances).sum(),
                e.pools.iter().map(|p| p.launching).sum(),
                e.pools.iter().map(|p| p.pending.len() as u64).sum(),
            ),
            Mode::Fargate(f) => (0, 0, (f.waiting[0].len() + f.waiting[1].len()) as u64),
        };
        self.samples.push(Sample {
            time: now,
            instances,
            cpu_registered: self.levels.cpu_registered,
            cpu_reserved: self.levels.cpu_reserved,
            mem_registered: self.levels.mem_registered,
            mem_reserved: self.levels.mem_reserved,
            tasks_running: self.tasks.len() as u64 - pending,
            tasks_pending: pending,
            instances_launching: launching,
            cost_rate_usd_h: self.meter.rate_per_hour(),
            cost_cum_usd: self.meter.accrued(now),
        });
        self.next_sample = Some(now.after(self.interval));
    }

    // ---- placement ------------------------------------------------------------------------

    /// Whether the task in `slot` has a constraint that a placement can make true (so a walk
    /// must try it everywhere, see [`PendingQueue`]).
    ///
    /// [`PendingQueue`]: crate::sim::pending_queue::PendingQueue
    fn is_dynamic(&self, slot: TaskSlot) -> bool {
        match (&self.mode, self.tasks.get(slot)) {
            (Mode::Ec2(ec2), Some(t)) => ec2.rules[self.source_index(t.spec.source)].dynamic,
            _ => false,
        }
    }

    fn next_attempt(&mut self) -> u32 {
        self.next_attempt = self.next_attempt.wrapping_add(1);
        self.next_attempt
    }

    /// Try to place the task in `slot` now, anywhere or only on one instance; true if placed.
    /// `first_attempt` is the attempt at arrival, the one that counts blocked tasks.
    fn try_place(&mut self, slot: TaskSlot, target: Target, first_attempt: bool) -> bool {
        let now = self.now;
        let attempt = self.next_attempt();
        let jobs = self.job_names.len();
        let Some(task) = self.tasks.get_mut(slot) else {
            return false;
        };
        let source = source_index(task.spec.source, jobs);
        let provider = self.arm.provider_strategy[usize::from(task.entry)].provider;
        // The zone of the subnet address an EC2 task takes, if subnets are limited.
        let ec2_zone = match &mut self.mode {
            Mode::Fargate(f) => {
                let Some(size) = f.size_for(&task.spec) else {
                    return false;
                };
                if f.quota_units
                    .is_some_and(|q| f.in_use_units + u64::from(size.cpu_units) > q)
                {
                    return false;
                }
                // Fargate spreads tasks over the zones: with limited subnets, the zone with the
                // most free addresses (ties to the earlier zone).
                let zone = match &self.subnet_free {
                    None => None,
                    Some(free) => {
                        let best = (0..free.len()).max_by_key(|&z| (free[z], std::cmp::Reverse(z)));
                        match best {
                            Some(z) if free[z] > 0 => Some(z as u8),
                            _ => {
                                if first_attempt && !task.subnet_blocked {
                                    task.subnet_blocked = true;
                                    self.summary.subnet_blocked_placements += 1;
                                }
                                return false;
                            }
                        }
                    }
                };
                let b = usize::from(provider == FARGATE_SPOT);
                if let Err(at) = f.buckets[b].try_take(now) {
                    f.refused_at[b] = Some(now);
                    if f.retry_at.is_none_or(|r| at < r) {
                        f.retry_at = Some(at);
                        self.queue
                            .schedule(at, Event::FargateRetry.kind(), Event::FargateRetry);
                    }
                    return false;
                }
                let hourly =
                    fargate_hourly(size, task.spec.storage_gib, f.rates, f.storage_gb_hour)
                        * if b == 1 { f.spot_factor } else { 1.0 };
                f.in_use_units += u64::from(size.cpu_units);
                task.fargate = Some(size);
                task.placed_at = Some(now);
                task.subnet_zone = zone;
                self.levels.cpu_registered += u64::from(size.cpu_units);
                self.levels.mem_registered += u64::from(size.memory_mib);
                self.levels.cpu_reserved += u64::from(task.spec.cpu_units);
                self.levels.mem_reserved += u64::from(task.spec.memory_mib);
                self.meter.open(now, hourly);
                if let (Some(z), Some(free)) = (zone, &mut self.subnet_free) {
                    free[usize::from(z)] -= 1;
                }
                task.attempt = attempt;
                None
            }
            Mode::Ec2(ec2) => {
                let rules = &ec2.rules[source];
                let pool = &mut ec2.pools[provider];
                let request = PlacementRequest {
                    resources: ResourceRequest {
                        cpu_units: task.spec.cpu_units,
                        memory_mib: task.spec.memory_mib,
                        needs_eni: ec2.needs_eni,
                        host_ports: &rules.host_ports,
                        group: task.spec.group,
                    },
                    constraints: &rules.constraints,
                    strategy: &rules.strategy,
                };
                let names = self.groups.names();
                let decision = match target {
                    Target::Only(i) => {
                        let fits = pool.cluster.fit(i, &request.resources) == Fit::Fits
                            && constraints_hold(&pool.cluster, names, &request, i.0);
                        if fits {
                            Placement::Placed(i)
                        } else {
                            Placement::NoInstance { eni_blocked: false }
                        }
                    }
                    Target::Anywhere if self.opts.reference_placement => place_by_scan(
                        &pool.cluster,
                        names,
                        &request,
                        &mut ec2.scratch,
                        &mut ec2.rng,
                    ),
                    Target::Anywhere => placement::place(
                        &pool.cluster,
                        names,
                        &request,
                        &mut ec2.scratch,
                        &mut ec2.rng,
                    ),
                };
                match decision {
                    Placement::Placed(i) => {
                        if !pool.cluster.reserve(i, &request.resources) {
                            return false;
                        }
                        task.instance = Some(i);
                        task.placed_at = Some(now);
                        task.attempt = attempt;
                        if let Some(on) = &mut ec2.tasks_on[provider] {
                            on[i.index()].push(slot);
                        }
                        if ec2.needs_eni && self.subnet_free.is_some() {
                            task.subnet_zone = Some(pool.cluster.zone_of()[i.index()].0);
                        }
                        task.subnet_zone
                    }
                    Placement::NoInstance { eni_blocked } => {
                        if first_attempt && eni_blocked && !task.eni_blocked {
                            task.eni_blocked = true;
                            self.summary.eni_blocked_placements += 1;
                        }
                        if first_attempt
                            && !task.subnet_blocked
                            && subnet_blocks(pool, &request.resources)
                        {
                            task.subnet_blocked = true;
                            self.summary.subnet_blocked_placements += 1;
                        }
                        return false;
                    }
                }
            }
        };
        if let Some(z) = ec2_zone
            && let Some(free) = &mut self.subnet_free
        {
            free[usize::from(z)] -= 1;
            if free[usize::from(z)] == 0 {
                self.set_zone_full(usize::from(z), true);
            }
        }
        self.touch();
        let latency = self.arm.task_start_latency.sample(&mut self.start_rng);
        let e = Event::TaskRunning((slot, attempt));
        self.queue.schedule(now.after(latency), e.kind(), e);
        self.refresh_cluster_levels();
        true
    }

    /// Give back the subnet address task `t` held; true if its zone was full and has room now.
    fn free_subnet_address(&mut self, t: &LiveTask) -> bool {
        let (Some(z), Some(free)) = (t.subnet_zone, &mut self.subnet_free) else {
            return false;
        };
        let z = usize::from(z);
        free[z] += 1;
        if free[z] == 1 {
            if let Mode::Ec2(_) = self.mode {
                self.set_zone_full(z, false);
            }
            return true;
        }
        false
    }

    /// Mark the instances of zone `z` (every provider) as in a full subnet, or not.
    fn set_zone_full(&mut self, z: usize, full: bool) {
        let Mode::Ec2(ec2) = &mut self.mode else {
            return;
        };
        if !ec2.needs_eni {
            return;
        }
        for pool in &mut ec2.pools {
            for k in 0..pool.cluster.len() {
                if usize::from(pool.cluster.zone_of()[k].0) == z {
                    pool.cluster.set_unavailable(
                        InstanceId(k as u32),
                        unavailable::SUBNET_FULL,
                        full,
                    );
                }
            }
        }
    }

    /// After a release on instance `released` of pool `p`, walk the pool's pending queue in
    /// arrival order and place every task that now fits (DESIGN.md §3). Only `released` has
    /// changed, so a waiting task can now fit only there: the queue's index yields, in order,
    /// the tasks whose CPU and memory fit what it has free, plus the dynamic ones, which are
    /// tried everywhere (see [`PendingQueue`]). With `reference_placement`, every waiting task
    /// is tried everywhere.
    ///
    /// [`PendingQueue`]: crate::sim::pending_queue::PendingQueue
    fn walk_pending(&mut self, p: usize, released: InstanceId) {
        if self.opts.reference_placement {
            self.walk_pool_everywhere(p);
            return;
        }
        let mut from = 0;
        loop {
            let Mode::Ec2(ec2) = &self.mode else { return };
            let pool = &ec2.pools[p];
            let free = pool.cluster.free()[released.index()];
            let Some(pos) = pool.pending.next_candidate(from, free[0], free[1]) else {
                break;
            };
            from = pos + 1;
            let Some((slot, dynamic)) = pool.pending.at(pos) else {
                continue;
            };
            let target = if dynamic {
                Target::Anywhere
            } else {
                Target::Only(released)
            };
            if self.try_place(slot, target, false) {
                self.placed_from_queue(p, pos, slot);
            }
        }
    }

    fn placed_from_queue(&mut self, p: usize, pos: usize, slot: TaskSlot) {
        let Some(t) = self.tasks.get(slot) else {
            return;
        };
        let source = self.source_index(t.spec.source);
        if let Mode::Ec2(ec2) = &mut self.mode {
            let ports = ec2.ports_source(source);
            let pool = &mut ec2.pools[p];
            pool.pending.remove(pos);
            pool.count_provisioning(&t.spec, source, ports.is_some(), false);
        }
    }

    /// Try every waiting task of pool `p` everywhere, in arrival order.
    fn walk_pool_everywhere(&mut self, p: usize) {
        let waiting: Vec<(usize, TaskSlot)> = match &self.mode {
            Mode::Ec2(ec2) => ec2.pools[p].pending.iter().collect(),
            Mode::Fargate(_) => return,
        };
        for (pos, slot) in waiting {
            if self.try_place(slot, Target::Anywhere, false) {
                self.placed_from_queue(p, pos, slot);
            }
        }
    }

    /// Try every waiting task everywhere (a zone's subnet has room again).
    fn walk_everything(&mut self) {
        match &self.mode {
            Mode::Ec2(ec2) => {
                for p in 0..ec2.pools.len() {
                    self.walk_pool_everywhere(p);
                }
            }
            Mode::Fargate(_) => self.walk_fargate(),
        }
    }

    /// Try the waiting Fargate tasks, each launch-rate bucket's in arrival order. A bucket's
    /// walk stops at its first refusal for want of a token (every later task of the bucket
    /// would be refused too), so a long throttled backlog costs what is placed, not its length.
    /// Tasks held back by the quota or the subnets keep their place; later ones may pass them.
    fn walk_fargate(&mut self) {
        let now = self.now;
        for b in 0..2 {
            let mut list = match &mut self.mode {
                Mode::Fargate(f) if !f.waiting[b].is_empty() => std::mem::take(&mut f.waiting[b]),
                _ => continue,
            };
            let mut kept = Vec::new();
            let mut visited = 0;
            while visited < list.len() {
                let refused = match &self.mode {
                    Mode::Fargate(f) => f.refused_at[b] == Some(now),
                    Mode::Ec2(_) => false,
                };
                if refused {
                    break;
                }
                let slot = list[visited];
                visited += 1;
                if !self.try_place(slot, Target::Anywhere, false) {
                    kept.push(slot);
                }
            }
            list.drain(..visited);
            for slot in kept.into_iter().rev() {
                list.push_front(slot);
            }
            if let Mode::Fargate(f) = &mut self.mode {
                // Nothing is added to a bucket's line during its walk.
                f.waiting[b] = list;
            }
        }
    }

    fn on_fargate_retry(&mut self) {
        if let Mode::Fargate(f) = &mut self.mode {
            if f.retry_at.is_some_and(|r| r > self.now) {
                return; // a later retry replaced this one
            }
            f.retry_at = None;
        }
        self.walk_fargate();
    }

    /// Free what task `t` held; returns its cost where it has its own (Fargate).
    fn release(&mut self, slot: TaskSlot, t: &LiveTask, now: SimTime, ended: bool) -> Option<f64> {
        let provider = self.arm.provider_strategy[usize::from(t.entry)].provider;
        let source = self.source_index(t.spec.source);
        match &mut self.mode {
            Mode::Ec2(ec2) => {
                if let Some(i) = t.instance {
                    let rules = &ec2.rules[source];
                    let req = ResourceRequest {
                        cpu_units: t.spec.cpu_units,
                        memory_mib: t.spec.memory_mib,
                        needs_eni: ec2.needs_eni,
                        host_ports: &rules.host_ports,
                        group: t.spec.group,
                    };
                    ec2.pools[provider].cluster.release(i, &req);
                    if let Some(on) = &mut ec2.tasks_on[provider] {
                        let list = &mut on[i.index()];
                        if let Some(p) = list.iter().position(|&s| s == slot) {
                            list.swap_remove(p);
                        }
                    }
                }
                self.refresh_cluster_levels();
                None
            }
            Mode::Fargate(f) => {
                let (size, placed) = (t.fargate?, t.placed_at?);
                f.in_use_units -= u64::from(size.cpu_units);
                self.levels.cpu_registered -= u64::from(size.cpu_units);
                self.levels.mem_registered -= u64::from(size.memory_mib);
                self.levels.cpu_reserved -= u64::from(t.spec.cpu_units);
                self.levels.mem_reserved -= u64::from(t.spec.memory_mib);
                let spot = provider == FARGATE_SPOT;
                let hourly = fargate_hourly(size, t.spec.storage_gib, f.rates, f.storage_gb_hour)
                    * if spot { f.spot_factor } else { 1.0 };
                let secs = billed_secs(now.since(placed), ended, FARGATE_MINIMUM_SECS);
                let cost = cost_of(secs, hourly);
                f.billed[usize::from(spot)].add(size, t.spec.storage_gib, secs);
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
        let provider = self.arm.provider_strategy[usize::from(t.entry)].provider;
        let (instance_id, instance_type, provider) = match &self.mode {
            Mode::Ec2(ec2) => {
                let pool = &ec2.pools[provider];
                (
                    t.instance
                        .map(|i| pool.cluster.instance_name(i).to_string()),
                    t.instance.map(|i| {
                        pool.types[usize::from(pool.cluster.type_of()[i.index()])]
                            .name
                            .clone()
                    }),
                    pool.name.clone(),
                )
            }
            Mode::Fargate(_) => (
                None,
                None,
                if provider == FARGATE_SPOT {
                    "FARGATE_SPOT"
                } else {
                    "FARGATE"
                }
                .to_string(),
            ),
        };
        records.push(TaskRecord {
            task_id: {
                let name = match t.spec.source {
                    TaskSource::Job(i) => self
                        .job_names
                        .get(usize::from(i))
                        .map_or("", String::as_str),
                    TaskSource::Service(i) => self
                        .service_names
                        .get(usize::from(i))
                        .map_or("", String::as_str),
                    TaskSource::Trace => "",
                };
                t.spec.label.render(name)
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

    // ---- capacity: instances ------------------------------------------------------------

    /// Launch `count` instances of type `type_index` in pool `p` now.
    fn launch(&mut self, p: usize, type_index: u16, count: u32) {
        let now = self.now;
        let Mode::Ec2(ec2) = &mut self.mode else {
            return;
        };
        for _ in 0..count {
            let (m, ready) = ec2.pools[p].request(type_index, now, &mut self.meter);
            let e = Event::InstanceRegistered(p as u8, m);
            self.queue.schedule(ready, e.kind(), e);
        }
        self.note_instances();
    }

    fn on_instance_registered(&mut self, p: usize, m: u32) {
        let now = self.now;
        let full_zones: Vec<usize> = self
            .subnet_free
            .as_ref()
            .map(|f| (0..f.len()).filter(|&z| f[z] == 0).collect())
            .unwrap_or_default();
        let Mode::Ec2(ec2) = &mut self.mode else {
            return;
        };
        let reserved: &[u16] = if ec2.ports_conflict {
            &AGENT_RESERVED_PORTS
        } else {
            &[]
        };
        let (id, notice) = ec2.pools[p].register(m, now, reserved);
        if let Some(on) = &mut ec2.tasks_on[p] {
            on.push(Vec::new());
        }
        let zone = usize::from(ec2.pools[p].cluster.zone_of()[id.index()].0);
        if ec2.needs_eni && full_zones.contains(&zone) {
            ec2.pools[p]
                .cluster
                .set_unavailable(id, unavailable::SUBNET_FULL, true);
        }
        if let Some(t) = notice {
            let e = Event::SpotNotice(p as u8, id.0);
            self.queue.schedule(t, e.kind(), e);
        }
        self.refresh_cluster_levels();
        // A new instance is capacity that appears: walk as after a release there.
        if self.opts.reference_placement {
            self.walk_pool_everywhere(p);
        } else {
            self.walk_pending(p, id);
        }
    }

    fn on_spot_notice(&mut self, p: usize, i: InstanceId) {
        let Mode::Ec2(ec2) = &mut self.mode else {
            return;
        };
        let cluster = &mut ec2.pools[p].cluster;
        if cluster.unavailable(i) & (unavailable::TERMINATED | unavailable::DRAINING) != 0 {
            return;
        }
        // ECS drains the instance (ECS_ENABLE_SPOT_INSTANCE_DRAINING, docs/reference/ecs-facts.md
        // §6.1): no new task, and the services replace their tasks on it at once.
        cluster.set_unavailable(i, unavailable::DRAINING, true);
        self.summary.interruptions += 1;
        let on = ec2.tasks_on[p]
            .as_ref()
            .map(|on| on[i.index()].clone())
            .unwrap_or_default();
        let e = Event::SpotReclaimed(p as u8, i.0);
        self.queue
            .schedule(self.now.after(SPOT_NOTICE), e.kind(), e);
        for slot in on {
            let Some(t) = self.tasks.get(slot) else {
                continue;
            };
            if let TaskSource::Service(s) = t.spec.source {
                // Replaced now; it runs until the instance is reclaimed.
                self.replace_service_task(slot, usize::from(s));
            }
        }
        self.refresh_cluster_levels();
    }

    fn on_spot_reclaimed(&mut self, p: usize, i: InstanceId) {
        let on = match &self.mode {
            Mode::Ec2(ec2) => ec2.tasks_on[p]
                .as_ref()
                .map(|on| on[i.index()].clone())
                .unwrap_or_default(),
            Mode::Fargate(_) => return,
        };
        for slot in on {
            self.interrupt(slot);
        }
        let now = self.now;
        let Mode::Ec2(ec2) = &mut self.mode else {
            return;
        };
        let pool = &mut ec2.pools[p];
        let type_index = pool.cluster.type_of()[i.index()];
        // EC2 interrupts it: free in its first hour (docs/reference/pricing.md §5.1).
        if pool.terminate(i, now, Termination::SpotInterruption, &mut self.meter) {
            // The group keeps its desired capacity: it launches a replacement.
            self.launch(p, type_index, 1);
        }
        self.refresh_cluster_levels();
    }

    /// A Spot interruption stops the task in `slot`: a service task is lost (its service has
    /// replaced or will replace it); a one-off task starts again or is lost per
    /// `on_interruption`.
    fn interrupt(&mut self, slot: TaskSlot) {
        let Some(t) = self.tasks.get(slot) else {
            return;
        };
        let service = match t.spec.source {
            TaskSource::Service(s) => Some(usize::from(s)),
            _ => None,
        };
        if service.is_some() || self.arm.on_interruption == OnInterruption::Lose {
            self.end_task(slot, TaskOutcome::Lost);
            if let Some(s) = service {
                self.reconcile_service(s);
            }
            return;
        }
        // Restart: this attempt ends (recorded as interrupted), the task waits again.
        let now = self.now;
        let old = t.clone();
        self.end_run(&old, now);
        let cost = self.release(slot, &old, now, true);
        self.record(&old, Some(now), cost, TaskOutcome::Interrupted);
        if let Some(t) = self.tasks.get_mut(slot) {
            t.placed_at = None;
            t.running_at = None;
            t.instance = None;
            t.fargate = None;
            t.subnet_zone = None;
        }
        self.after_release(&old);
        if !self.try_place(slot, Target::Anywhere, false) {
            self.enqueue(slot);
        }
    }

    /// A FARGATE_SPOT task's two-minute warning, with SIGTERM (docs/reference/ecs-facts.md §1.6,
    /// lines 59–62): the task stops `stop_timeout` later (SIGKILL, at most 120 s, so within the
    /// two minutes), billed to then; a service starts its replacement now, as on a draining EC2
    /// Spot instance. A one-off task runs on until it stops (or finishes first), and only then
    /// restarts or is lost (`on_interruption`). See docs/model.md §8.7.1.
    fn on_fargate_spot_notice(&mut self, a: Attempt) {
        if !self.current(a) {
            return;
        }
        self.summary.interruptions += 1;
        let Some(t) = self.tasks.get(a.0) else {
            return;
        };
        let source = t.spec.source;
        let stop_timeout = match source {
            TaskSource::Trace => DEFAULT_STOP_TIMEOUT,
            TaskSource::Job(j) => self.scenario.workload.jobs[usize::from(j)].stop_timeout,
            TaskSource::Service(s) => self.scenario.workload.services[usize::from(s)].stop_timeout,
        };
        let e = Event::FargateSpotReclaimed(a);
        self.queue
            .schedule(self.now.after(stop_timeout.min(SPOT_NOTICE)), e.kind(), e);
        if let TaskSource::Service(s) = source {
            self.replace_service_task(a.0, usize::from(s));
        }
    }

    /// The service task in `slot` of service `s` is being stopped (a Spot notice): it stops
    /// counting for its service and for the provider split now (so the replacement goes where
    /// the split wants it), though it runs until it stops; the service starts a replacement.
    fn replace_service_task(&mut self, slot: TaskSlot, s: usize) {
        let Some(t) = self.tasks.get_mut(slot) else {
            return;
        };
        if t.replaced {
            return;
        }
        t.replaced = true;
        let (group, entry) = (t.spec.group, usize::from(t.entry));
        self.count_live(group, entry, false);
        let svc = &mut self.services[s];
        if let Some(pos) = svc.tasks.iter().position(|&x| x == slot) {
            svc.tasks.remove(pos);
        }
        self.reconcile_service(s);
    }

    fn on_fargate_spot_reclaimed(&mut self, a: Attempt) {
        if self.current(a) {
            self.interrupt(a.0);
        }
    }

    // ---- scaling ------------------------------------------------------------------------

    /// Once a minute: managed scaling of every provider, then service auto scaling.
    fn on_scaling_tick(&mut self) {
        let now = self.now;
        self.next_tick = Some(now.after(SCALING_PERIOD));
        let pools = match &self.mode {
            Mode::Ec2(ec2) => ec2.pools.len(),
            Mode::Fargate(_) => 0,
        };
        for p in 0..pools {
            self.scale_pool(p);
        }
        for s in 0..self.services.len() {
            self.scale_service(s);
        }
    }

    fn scale_pool(&mut self, p: usize) {
        let now = self.now;
        let no_addresses = self
            .subnet_free
            .as_ref()
            .is_some_and(|f| f.iter().all(|&n| n == 0));
        let Mode::Ec2(ec2) = &mut self.mode else {
            return;
        };
        let pool = &mut ec2.pools[p];
        if pool.scaler.is_none() {
            return;
        }
        let n = pool.instances();
        // Tasks that wait only because every subnet is full would not fit on new instances
        // either: they do not drive scaling (ECS would place them and fail to attach an ENI;
        // it never counts them as needing instances).
        let estimate = if no_addresses {
            ProvisioningEstimate::Nothing
        } else {
            pool.provisioning_estimate()
        };
        let m = needed_for(pool.non_empty(), n, estimate);
        let warm = pool.in_warmup(now);
        let Some(scaler) = &mut pool.scaler else {
            return;
        };
        let target = f64::from(scaler.target());
        let (action, metric) = match m {
            Some(m) => (
                scaler.evaluate(m, n, warm),
                capacity_provider_reservation(m, n),
            ),
            // Every provisioning task fits no instance the group launches: CPR stays at the
            // target (docs/reference/ecs-facts.md §5.3, line 184).
            None => (scaler.hold(n), target),
        };
        let registered = pool.cluster.live() as u32;
        let name = pool.name.clone();
        let (desired, label) = match action {
            ScalingAction::None => (n, "none"),
            ScalingAction::ScaleOut { to } => {
                self.launch(p, 0, to.saturating_sub(n));
                (to.max(n), "scale-out")
            }
            ScalingAction::ScaleIn { by } => {
                let Mode::Ec2(ec2) = &mut self.mode else {
                    return;
                };
                let pool = &mut ec2.pools[p];
                let victims = pool.scale_in_victims(by);
                let mut gone = 0;
                for i in victims {
                    if pool.terminate(i, now, Termination::ByUs, &mut self.meter) {
                        gone += 1;
                    }
                }
                self.refresh_cluster_levels();
                (n - gone, if gone > 0 { "scale-in" } else { "none" })
            }
        };
        self.scaling.push(ScalingRecord {
            time: now,
            provider: name,
            metric: Some(metric),
            target: Some(target),
            desired,
            running: registered,
            action: label,
        });
    }

    fn scale_service(&mut self, s: usize) {
        let now = self.now;
        let spec: &ServiceSpec = &self.scenario.workload.services[s];
        let Some(auto) = &spec.autoscaling else {
            return;
        };
        let running = self.services[s]
            .tasks
            .iter()
            .filter(|&&slot| self.tasks.get(slot).is_some_and(|t| t.running_at.is_some()))
            .count() as u32;
        // The offered load, as CPU units, over the running tasks; a task cannot use more than
        // its task-level CPU (a hard limit), so utilisation is at most 100%.
        let demand = auto.load.at(now) * f64::from(spec.desired) * f64::from(spec.cpu_units);
        let utilisation = (running > 0).then(|| {
            (demand / (f64::from(running) * f64::from(spec.cpu_units)) * 100.0).min(100.0)
        });
        let svc = &mut self.services[s];
        let deploying = svc.deploying;
        let desired = svc.desired;
        let Some(scaler) = &mut svc.scaler else {
            return;
        };
        let action = scaler.evaluate(now, utilisation, running, desired, deploying);
        let (new, label) = match action {
            ServiceScalingAction::None => (desired, "none"),
            ServiceScalingAction::SetDesired(d) => {
                (d, if d > desired { "scale-out" } else { "scale-in" })
            }
        };
        svc.desired = new;
        self.scaling.push(ScalingRecord {
            time: now,
            provider: format!("service:{}", spec.name),
            metric: utilisation,
            target: Some(auto.target_cpu_percent),
            desired: new,
            running,
            action: label,
        });
        if new != desired {
            self.reconcile_service(s);
        }
    }

    // ---- services -----------------------------------------------------------------------

    fn on_deployment(&mut self, s: usize) {
        let svc = &mut self.services[s];
        svc.revision += 1;
        svc.deploying = true;
        self.deployment_record(s, "deployment-start");
        self.reconcile_service(s);
    }

    /// A scaling.csv row for a step of service `s`'s deployment.
    fn deployment_record(&mut self, s: usize, action: &'static str) {
        let running = self.services[s]
            .tasks
            .iter()
            .filter(|&&slot| self.tasks.get(slot).is_some_and(|t| t.running_at.is_some()))
            .count() as u32;
        self.scaling.push(ScalingRecord {
            time: self.now,
            provider: format!("service:{}", self.scenario.workload.services[s].name),
            metric: None,
            target: None,
            desired: self.services[s].desired,
            running,
            action,
        });
    }

    /// Bring service `s` toward its desired count, or one step further in its deployment.
    fn reconcile_service(&mut self, s: usize) {
        if self.services[s].deploying {
            // Stops take effect at once here, so take steps until one changes nothing (each
            // step starts or stops at least one task, so this ends).
            let cfg = self.scenario.workload.services[s].deployment;
            loop {
                let state = self.deployment_state(s);
                if deployment::is_done(state) {
                    self.services[s].deploying = false;
                    self.deployment_record(s, "deployment-done");
                    break;
                }
                let step = deployment::next_step(state, cfg);
                if step.start_new == 0 && step.stop_old == 0 {
                    if state.new_tasks == state.new_healthy && state.old_tasks == state.old_healthy
                    {
                        // Nothing it waits for will change (the bounds allow no step at this
                        // desired count, docs/reference/ecs-facts.md §6.1): ECS would stay stuck;
                        // sim ends the deployment so that scale-in works again, and says so.
                        self.services[s].deploying = false;
                        self.deployment_record(s, "deployment-stuck");
                    }
                    return; // else wait for a task to become healthy
                }
                self.stop_service_tasks(s, step.stop_old, true);
                for _ in 0..step.start_new {
                    if !self.start_service_task(s) {
                        return; // the task cannot run here; nothing more to do now
                    }
                }
            }
        }
        let live = self.services[s].tasks.len() as u32;
        let desired = self.services[s].desired;
        if live < desired {
            for _ in 0..desired - live {
                if !self.start_service_task(s) {
                    break;
                }
            }
        } else if live > desired {
            self.stop_service_tasks(s, live - desired, false);
        }
    }

    fn deployment_state(&self, s: usize) -> DeploymentState {
        let svc = &self.services[s];
        let mut st = DeploymentState {
            desired: svc.desired,
            old_tasks: 0,
            old_healthy: 0,
            new_tasks: 0,
            new_healthy: 0,
        };
        for &slot in &svc.tasks {
            let Some(t) = self.tasks.get(slot) else {
                continue;
            };
            if t.revision == svc.revision {
                st.new_tasks += 1;
                st.new_healthy += u32::from(t.healthy);
            } else {
                st.old_tasks += 1;
                st.old_healthy += u32::from(t.healthy);
            }
        }
        st
    }

    /// Stop `n` tasks of service `s` (only old-revision ones when `old_only`): waiting ones
    /// first, then those not yet healthy, then the newest (a scale-in without a strategy on
    /// EC2: see `default_scale_in_order`).
    fn stop_service_tasks(&mut self, s: usize, n: u32, old_only: bool) {
        let revision = self.services[s].revision;
        let mut order: Vec<(u8, std::cmp::Reverse<usize>, TaskSlot)> = self.services[s]
            .tasks
            .iter()
            .enumerate()
            .filter_map(|(k, &slot)| {
                let t = self.tasks.get(slot)?;
                if old_only && t.revision == revision {
                    return None;
                }
                let rank = if t.placed_at.is_none() {
                    0
                } else if !t.healthy {
                    1
                } else {
                    2
                };
                Some((rank, std::cmp::Reverse(k), slot))
            })
            .collect();
        order.sort_unstable();
        if !old_only {
            self.default_scale_in_order(s, &mut order, n as usize);
        }
        for &(rank, _, slot) in order.iter().take(n as usize) {
            let outcome = if rank == 0 {
                TaskOutcome::Rejected
            } else {
                TaskOutcome::Completed
            };
            self.end_task(slot, outcome);
        }
    }

    /// On EC2, for a service without a placement strategy (its own or the arm's), reorder the
    /// running healthy tasks of `order` (rank 2, newest first) that a scale-in by `n` reaches:
    /// from the zone with the most tasks of the service, then the instance with the most
    /// (docs/reference/ecs-facts.md §4.3, line 148; docs/model.md §16.3).
    fn default_scale_in_order(
        &self,
        s: usize,
        order: &mut [(u8, std::cmp::Reverse<usize>, TaskSlot)],
        n: usize,
    ) {
        let (Mode::Ec2(ec2), ArmKind::Ec2(spec)) = (&self.mode, &self.arm.kind) else {
            return;
        };
        if spec.strategy.is_some() || self.scenario.workload.services[s].strategy.is_some() {
            return;
        }
        let first = order.partition_point(|e| e.0 < 2);
        if first >= n {
            return;
        }
        let healthy = &mut order[first..];
        let cands: Vec<Candidate> = healthy
            .iter()
            .filter_map(|e| {
                let t = self.tasks.get(e.2)?;
                let i = t.instance?;
                let p = self.arm.provider_strategy[usize::from(t.entry)].provider;
                Some(Candidate {
                    zone: ec2.pools[p].cluster.zone_of()[i.index()].0,
                    instance: ((p as u64) << 32) | u64::from(i.0),
                })
            })
            .collect();
        if cands.len() != healthy.len() {
            return;
        }
        let picked = scale_in_order(&cands, n - first);
        let mut reordered: Vec<_> = picked.iter().map(|&k| healthy[k]).collect();
        let mut taken = vec![false; healthy.len()];
        for &k in &picked {
            taken[k] = true;
        }
        reordered.extend(
            healthy
                .iter()
                .zip(&taken)
                .filter(|&(_, &t)| !t)
                .map(|(e, _)| *e),
        );
        healthy.copy_from_slice(&reordered);
    }

    /// The service scheduler starts a task of service `s` (it arrives now); false if the task
    /// was rejected (it can never run on this arm).
    fn start_service_task(&mut self, s: usize) -> bool {
        let spec = &self.scenario.workload.services[s];
        let svc = &mut self.services[s];
        let label = svc.next_label;
        svc.next_label += 1;
        let task = TaskSpec {
            label: TaskLabel::Job(label),
            source: TaskSource::Service(s as u16),
            group: svc.group,
            cpu_units: spec.cpu_units,
            memory_mib: spec.memory_mib,
            duration: SimDuration(u64::MAX),
            storage_gib: spec.storage_gib,
            cpu_used_units: None,
            memory_used_mib: None,
        };
        let revision = svc.revision;
        match self.on_task_arrived(self.now, task) {
            Some(slot) => {
                if let Some(t) = self.tasks.get_mut(slot) {
                    t.revision = revision;
                }
                self.services[s].tasks.push(slot);
                true
            }
            None => false,
        }
    }

    // ---- the end --------------------------------------------------------------------------

    /// The summary's cost components, from what each pool or Fargate provider billed
    /// (every instance and task is closed by now).
    fn cost_breakdown(&mut self) {
        let s = &mut self.summary;
        match &self.mode {
            Mode::Ec2(ec2) => {
                for pool in &ec2.pools {
                    if pool.spot {
                        s.cost_ec2_spot_usd += pool.billed_usd;
                        s.spot_savings_usd +=
                            (pool.billed_on_demand_usd - pool.billed_usd).max(0.0);
                    } else {
                        s.cost_ec2_on_demand_usd += pool.billed_usd;
                    }
                }
            }
            Mode::Fargate(f) => {
                let [on_demand, spot] = f.billed;
                let od = on_demand.costs(f.rates, f.storage_gb_hour, 1.0);
                let sp = spot.costs(f.rates, f.storage_gb_hour, f.spot_factor);
                s.cost_fargate_vcpu_usd = od.vcpu + sp.vcpu;
                s.cost_fargate_memory_usd = od.memory + sp.memory;
                s.cost_fargate_storage_usd = od.storage + sp.storage;
                let full = spot.costs(f.rates, f.storage_gb_hour, 1.0);
                s.spot_savings_usd = (full.total() - sp.total()).max(0.0);
            }
        }
    }

    fn finish(mut self, end: SimTime, warnings: Vec<String>) -> Result<ArmOutcome, SimError> {
        self.check()?;
        // Tasks still alive, in arrival order: running (placed) or pending.
        let mut alive: Vec<(u64, TaskSlot)> = self.tasks.iter().map(|(s, t)| (t.seq, s)).collect();
        alive.sort_unstable();
        for (_, slot) in alive {
            let Some(t) = self.tasks.remove(slot) else {
                continue;
            };
            if t.placed_at.is_none() {
                self.summary.tasks_pending_at_end += 1;
                self.record(&t, None, None, TaskOutcome::Pending);
            } else {
                self.summary.tasks_running_at_end += 1;
                if let Some(r) = t.running_at {
                    self.task_run_ms += u128::from(end.since(r).as_ms());
                }
                let cost = match self.mode {
                    Mode::Fargate(_) => self.release(slot, &t, end, false),
                    Mode::Ec2(_) => None,
                };
                self.record(&t, Some(end), cost, TaskOutcome::Running);
            }
        }
        if let Mode::Ec2(ec2) = &mut self.mode {
            let mut instance_ms: u128 = 0;
            for pool in &mut ec2.pools {
                instance_ms += pool.close_all(end, &mut self.meter);
            }
            self.summary.instance_hours = instance_ms as f64 / 3_600_000.0;
        }
        self.cost_breakdown();
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
            scaling: self.scaling,
            waits_ms: self.waits_ms,
            events: self.events,
            end,
            warnings,
        })
    }
}

/// ECS's placement for a service without a strategy (docs/reference/ecs-facts.md §4.3, line 148):
/// "Gives priority to instances that have the fewest number of running tasks for this service
/// in their respective Availability Zone ... Favors container instances with the fewest number
/// of running tasks for this service": `spread(attribute:ecs.availability-zone)` then
/// `spread(instanceId)`, both counting the service's task group. Remaining ties go to the
/// lowest id (docs/model.md §5.5).
fn service_default_strategy() -> Vec<PlacementStrategy> {
    vec![
        PlacementStrategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_string())),
        PlacementStrategy::Spread(SpreadField::InstanceId),
    ]
}

/// Index of a task source in the per-source rules: the trace, then the `jobs` job streams, then
/// the services.
fn source_index(s: TaskSource, jobs: usize) -> usize {
    match s {
        TaskSource::Trace => 0,
        TaskSource::Job(i) => usize::from(i) + 1,
        TaskSource::Service(i) => 1 + jobs + usize::from(i),
    }
}

/// Whether a full subnet is all that keeps `req` off pool `p`: some instance whose only reason
/// to be unavailable is its zone's full subnet has the room.
fn subnet_blocks(pool: &Ec2Pool, req: &ResourceRequest<'_>) -> bool {
    let c = &pool.cluster;
    (0..c.len() as u32)
        .map(InstanceId)
        .any(|i| c.unavailable(i) == unavailable::SUBNET_FULL && c.would_fit_if_available(i, req))
}

impl Ec2State {
    /// `source`, if its tasks have static host ports.
    fn ports_source(&self, source: usize) -> Option<usize> {
        (!self.rules[source].host_ports.is_empty()).then_some(source)
    }

    fn new(scenario: &Scenario, arm: &Arm, spec: &Ec2Arm, seed: u64, n: u32) -> Ec2State {
        let needs_eni = spec.network_mode.needs_eni();
        let ports_conflict = spec.network_mode.ports_conflict();
        // ECS's default for one-off tasks (RunTask) is random; for services, spread over
        // zones, then favour the instances with the fewest tasks of the service
        // (docs/reference/ecs-facts.md §4.3, line 148: see `service_default_strategy`).
        let task_strategy = spec
            .strategy
            .clone()
            .unwrap_or_else(|| vec![PlacementStrategy::Random]);
        let mut rules = vec![SourceRules {
            dynamic: reads_task_state(&spec.constraints),
            constraints: spec.constraints.clone(),
            strategy: task_strategy.clone(),
            host_ports: Vec::new(),
        }];
        let ports = |p: &Vec<u16>| {
            if ports_conflict {
                p.clone()
            } else {
                Vec::new()
            }
        };
        for j in &scenario.workload.jobs {
            let mut constraints = spec.constraints.clone();
            constraints.extend(j.constraints.iter().cloned());
            rules.push(SourceRules {
                dynamic: reads_task_state(&constraints),
                constraints,
                strategy: task_strategy.clone(),
                host_ports: ports(&j.host_ports),
            });
        }
        for s in &scenario.workload.services {
            let mut constraints = spec.constraints.clone();
            constraints.extend(s.constraints.iter().cloned());
            let strategy = s
                .strategy
                .clone()
                .or_else(|| spec.strategy.clone())
                .unwrap_or_else(service_default_strategy);
            rules.push(SourceRules {
                dynamic: reads_task_state(&constraints),
                constraints,
                strategy,
                host_ports: ports(&s.host_ports),
            });
        }
        // Keep only the indexes the strategies in use need (see `Cluster::keep_indexes`).
        let binpacks = |f: BinpackField| {
            rules
                .iter()
                .any(|r| r.strategy.contains(&PlacementStrategy::Binpack(f)))
        };
        let spreads_zone = rules.iter().any(|r| {
            r.strategy.iter().any(|s| {
                matches!(s, PlacementStrategy::Spread(SpreadField::Attribute(a)) if a == "ecs.availability-zone")
            })
        });
        // The id index serves first fit, `random`, `spread` alone and the ENI check (awsvpc);
        // `spread(zone), binpack` in bridge or host mode never needs it.
        let by_id = needs_eni
            || rules.iter().any(|r| {
                !matches!(
                    r.strategy.as_slice(),
                    [PlacementStrategy::Binpack(_)]
                        | [
                            PlacementStrategy::Spread(SpreadField::Attribute(_)),
                            PlacementStrategy::Binpack(_)
                        ]
                )
            });
        let several = spec.providers.len() > 1;
        let mut pools = Vec::new();
        let mut tasks_on = Vec::new();
        for (p, provider) in spec.providers.iter().enumerate() {
            let types = &provider.instance_types;
            let capacity = types
                .iter()
                .map(|t| TypeCapacity {
                    cpu_units: t.cpu_units(),
                    memory_mib: t
                        .registered_memory_mib
                        .saturating_sub(spec.reserved_memory_mib),
                    task_slots: if needs_eni {
                        t.awsvpc_task_slots(spec.eni_trunking)
                    } else {
                        u32::MAX
                    },
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
            let k = (n << 8) | p as u32;
            let mut pool = Ec2Pool::new(
                provider,
                cluster_types,
                capacity,
                arm.zones.clone(),
                (
                    stream(seed, StreamPurpose::InstanceLaunch(k)),
                    stream(seed, StreamPurpose::SpotInterruptions(k | 0x80)),
                ),
            );
            let prefix = if several {
                format!("{}:", provider.name)
            } else {
                String::new()
            };
            pool.cluster.set_name_prefix(&prefix);
            pool.launchable = rules
                .iter()
                .map(|r| pool.fresh_instance_holds(&prefix, &r.constraints))
                .collect();
            pool.cluster.keep_indexes(
                by_id,
                binpacks(BinpackField::Cpu),
                binpacks(BinpackField::Memory) || spreads_zone,
            );
            let interruptible = matches!(
                provider.purchase,
                crate::scenario::Purchase::Spot { interruptions_per_hour, .. } if interruptions_per_hour > 0.0
            );
            tasks_on.push(interruptible.then(Vec::new));
            pools.push(pool);
        }
        Ec2State {
            pools,
            needs_eni,
            ports_conflict,
            rules,
            scratch: PlacementScratch::default(),
            rng: stream(seed, StreamPurpose::Placement(n)),
            tasks_on,
        }
    }
}

impl FargateState {
    fn size_for(&self, spec: &TaskSpec) -> Option<FargateSize> {
        if spec.storage_gib > FARGATE_MAX_STORAGE_GIB {
            return None;
        }
        self.sizes.round_up(spec.cpu_units, spec.memory_mib)
    }
}
