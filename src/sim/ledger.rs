//! The accounts of one arm's run: the levels and their time integrals, the cost meter, task
//! waits and run time, the summary's counters, the timeseries samples, the scaling rows and the
//! task records, turned into the arm's [`ArmOutcome`] at the end.

use crate::model::GroupTable;
use crate::model::commitment::HourlyUsage;
use crate::model::task_spec::TaskSource;
use crate::scenario::{Arm, Scenario};
use crate::sim::SimError;
use crate::sim::metrics::{CostMeter, Integrals, Levels, ratio};
use crate::sim::other_charges::ArmCharges;
use crate::sim::outcome::{ArmOutcome, ArmSummary, Sample, ScalingRecord, TaskOutcome, TaskRecord};
use crate::sim::task_table::LiveTask;
use crate::time::SimTime;
use crate::util::percentile::nearest_rank;

/// Where a task ran, for its record (tasks.csv).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedOn {
    /// Name of its container instance (EC2).
    pub instance_id: Option<String>,
    /// Type of its container instance (EC2).
    pub instance_type: Option<String>,
    /// Its capacity provider.
    pub provider: String,
}

/// What the capacity holds at a sample time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CapacitySample {
    /// Instances (launching or registered).
    pub instances: u32,
    /// Instances launching.
    pub launching: u32,
    /// Tasks waiting for capacity.
    pub waiting: u64,
}

/// A running task's average CPU and memory use, where the trace gives it. On Fargate the task
/// size is a hard limit (docs/reference/ecs-facts.md §2.2: task-level `cpu` is a hard limit),
/// so use is capped at the billed size.
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

/// The accounts of one arm.
#[derive(Debug)]
pub struct Ledger {
    /// Registered, reserved and used CPU and memory now.
    pub levels: Levels,
    integrals: Integrals,
    /// What is billed, open and closed.
    pub meter: CostMeter,
    /// Public IPv4, load balancer and NAT charges of the arm (docs/model.md §18).
    pub other: ArmCharges,
    /// On-demand usage by clock hour and usage line, for commitments (docs/model.md §22.2).
    pub usage: HourlyUsage,
    /// The summary's counters (completed at the end by [`Ledger::finish`]).
    pub summary: ArmSummary,
    /// The scaling rows (scaling.csv).
    pub scaling: Vec<ScalingRecord>,
    /// Events handled.
    pub events: u64,
    has_usage: bool,
    usage_missing: bool,
    /// Whether the end of the run is its last task activity (a run without a horizon).
    tracks_activity: bool,
    /// Time of the last placement, start or finish of a task, and the integrals then.
    last_activity: SimTime,
    integrals_at_activity: Integrals,
    waits_ms: Vec<u64>,
    task_run_ms: u128,
    samples: Vec<Sample>,
    records: Option<Vec<TaskRecord>>,
    /// Job stream and service names, for task ids.
    job_names: Vec<String>,
    service_names: Vec<String>,
}

impl Ledger {
    /// Empty accounts for an arm of `scenario`; `record_tasks` keeps one record per attempt.
    pub fn new(scenario: &Scenario, record_tasks: bool) -> Ledger {
        Ledger {
            levels: Levels::default(),
            integrals: Integrals::default(),
            meter: CostMeter::default(),
            other: ArmCharges::default(),
            usage: HourlyUsage::default(),
            summary: ArmSummary::default(),
            scaling: Vec::new(),
            events: 0,
            has_usage: false,
            usage_missing: false,
            tracks_activity: scenario.horizon.is_none(),
            last_activity: SimTime::ZERO,
            integrals_at_activity: Integrals::default(),
            waits_ms: Vec::new(),
            task_run_ms: 0,
            samples: Vec::new(),
            records: record_tasks.then(Vec::new),
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
        }
    }

    /// The same accounts, with the arm's other charges (docs/model.md §18).
    pub fn with_charges(self, other: ArmCharges) -> Ledger {
        Ledger { other, ..self }
    }

    /// Accumulate the levels up to `now`.
    pub fn advance(&mut self, now: SimTime) {
        self.integrals.advance(now, &self.levels);
    }

    /// Note task activity at `now` (the integrals are already advanced to now).
    pub fn touch(&mut self, now: SimTime) {
        if self.tracks_activity && self.last_activity < now {
            self.last_activity = now;
            self.integrals_at_activity = self.integrals.clone();
        }
    }

    /// The time of the last task activity.
    pub fn last_activity(&self) -> SimTime {
        self.last_activity
    }

    /// A finite workload ends at its last task activity: forget what was integrated, sampled
    /// and scaled after it, and return its time.
    pub fn rewind_to_last_activity(&mut self) -> SimTime {
        let last = self.last_activity;
        self.integrals = self.integrals_at_activity.clone();
        self.samples.retain(|s| s.time <= last);
        self.scaling.retain(|s| s.time <= last);
        last
    }

    /// Task `t` is RUNNING at `now`; `first_start` if it never ran before (its wait ends).
    pub fn task_running(&mut self, t: &LiveTask, now: SimTime, first_start: bool) {
        if first_start {
            self.waits_ms.push(now.since(t.arrival).as_ms());
        }
        let (cpu_used, mem_used) = used(t);
        self.has_usage |= cpu_used.is_some() || mem_used.is_some();
        self.usage_missing |= cpu_used.is_none() || mem_used.is_none();
        self.levels.cpu_used += cpu_used.unwrap_or(0.0);
        self.levels.mem_used += mem_used.unwrap_or(0.0);
    }

    /// The run of task `t` (if it was RUNNING) ends at `now`: its usage leaves the levels and
    /// its run time is counted.
    pub fn run_ended(&mut self, t: &LiveTask, now: SimTime) {
        if let Some(r) = t.running_at {
            let (cpu_used, mem_used) = used(t);
            self.levels.cpu_used -= cpu_used.unwrap_or(0.0);
            self.levels.mem_used -= mem_used.unwrap_or(0.0);
            self.task_run_ms += u128::from(now.since(r).as_ms());
            self.other.ran(t.spec.source, now.since(r).as_ms());
        }
    }

    /// Run time of a task still running at the end of the run (its usage stays in the levels).
    pub fn ran_to_end(&mut self, t: &LiveTask, end: SimTime) {
        if let Some(r) = t.running_at {
            self.task_run_ms += u128::from(end.since(r).as_ms());
            self.other.ran(t.spec.source, end.since(r).as_ms());
        }
    }

    /// Count a task that stops for good with `outcome`.
    pub fn count_end(&mut self, outcome: TaskOutcome) {
        match outcome {
            TaskOutcome::Completed => self.summary.tasks_completed += 1,
            TaskOutcome::Lost => self.summary.tasks_lost += 1,
            _ => self.summary.tasks_rejected += 1,
        }
    }

    /// Whether task records are kept (then [`Ledger::record`] wants to know where tasks ran).
    pub fn records_tasks(&self) -> bool {
        self.records.is_some()
    }

    /// The record of one attempt of task `t`, which ran on `placed` and ended at `end` (if it
    /// ran) with `cost` (where it has its own) and `outcome`.
    pub fn record(
        &mut self,
        t: &LiveTask,
        groups: &GroupTable,
        placed: PlacedOn,
        end: Option<SimTime>,
        cost: Option<f64>,
        outcome: TaskOutcome,
    ) {
        let Some(records) = &mut self.records else {
            return;
        };
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
        records.push(TaskRecord {
            task_id: t.spec.label.render(name),
            group: groups.name(t.spec.group).to_string(),
            arrival: t.arrival,
            start: t.running_at,
            end: end.filter(|_| t.running_at.is_some()),
            capacity_provider: placed.provider,
            instance_id: placed.instance_id,
            instance_type: placed.instance_type,
            fargate_cpu: t.fargate.map(|s| s.cpu_units),
            fargate_memory_mib: t.fargate.map(|s| s.memory_mib),
            cost_usd: cost,
            outcome,
        });
    }

    /// A timeseries sample at `now` of the capacity and the `live` tasks (placed or waiting).
    pub fn sample(&mut self, now: SimTime, capacity: CapacitySample, live: u64) {
        let l = &self.levels;
        self.samples.push(Sample {
            time: now,
            instances: capacity.instances,
            cpu_registered: l.cpu_registered,
            cpu_reserved: l.cpu_reserved,
            mem_registered: l.mem_registered,
            mem_reserved: l.mem_reserved,
            tasks_running: live - capacity.waiting,
            tasks_pending: capacity.waiting,
            instances_launching: capacity.launching,
            cost_rate_usd_h: self.meter.rate_per_hour(),
            cost_cum_usd: self.meter.accrued(now),
        });
    }

    /// Samples taken.
    pub fn samples(&self) -> u64 {
        self.samples.len() as u64
    }

    /// The time of the last sample.
    pub fn last_sample_time(&self) -> Option<SimTime> {
        self.samples.last().map(|s| s.time)
    }

    /// The arm's outcome: check that every task is accounted for, then the cost, the wait
    /// percentiles and the utilisation (every task and instance is closed by now).
    pub fn finish(
        mut self,
        arm: &Arm,
        end: SimTime,
        warnings: Vec<String>,
    ) -> Result<ArmOutcome, SimError> {
        let s = &mut self.summary;
        let accounted = s.tasks_completed
            + s.tasks_rejected
            + s.tasks_lost
            + s.tasks_running_at_end
            + s.tasks_pending_at_end;
        if accounted != s.tasks_arrived {
            return Err(SimError::Invariant(format!(
                "arm `{}`: {} tasks arrived but {accounted} are accounted for",
                arm.name, s.tasks_arrived
            )));
        }
        s.cost_usd = self.meter.closed();
        s.cost_effective_usd = s.cost_usd;
        s.cost_public_ipv4_usd = self.other.public_ipv4_usd;
        s.cost_load_balancer_usd = self.other.load_balancer_usd(end);
        s.cost_nat_usd = self.other.nat_usd(end);
        s.include_shared_costs = self.other.include_shared_costs;
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
            arm: arm.name.clone(),
            launch_type: arm.launch_type(),
            summary: self.summary,
            timeseries: self.samples,
            tasks: self.records,
            scaling: self.scaling,
            waits_ms: self.waits_ms,
            events: self.events,
            end,
            warnings,
            usage: self.usage,
            commitments: None,
        })
    }
}
