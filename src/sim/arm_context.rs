//! What every handler of an arm may touch besides its own state: the clock, the event queue
//! (handlers [`ArmContext::emit`] new events into it), the live tasks, the accounts, the
//! subnet addresses and the arm's inputs. The capacity backend and the services are not in it,
//! so a backend's handler borrows the context, not the whole arm.

use crate::engine::rng::{StreamPurpose, stream};
use crate::engine::{EventQueue, RngStream};
use crate::model::GroupTable;
use crate::model::task_spec::TaskSource;
use crate::scenario::{Arm, FARGATE_SPOT, Scenario};
use crate::sim::RunOptions;
use crate::sim::events::{Attempt, Event};
use crate::sim::ledger::Ledger;
use crate::sim::other_charges::ArmCharges;
use crate::sim::task_table::{LiveTask, TaskSlot, TaskTable};
use crate::time::{SimDuration, SimTime};

/// The shared state of one arm's run.
pub struct ArmContext<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The arm simulated.
    pub arm: &'a Arm,
    /// Options of the run.
    pub opts: RunOptions,
    /// Simulated time now.
    pub now: SimTime,
    queue: EventQueue<Event>,
    /// Clock events (scaling ticks, samples) in the queue.
    clocks_queued: usize,
    /// Task groups (names for constraints and records).
    pub groups: GroupTable,
    /// Tasks alive: placed or waiting.
    pub tasks: TaskTable,
    /// The accounts.
    pub ledger: Ledger,
    /// Free subnet addresses per zone, if limited.
    pub subnet_free: Option<Vec<u32>>,
    start_rng: RngStream,
    next_attempt: u32,
}

impl<'a> ArmContext<'a> {
    /// The context of arm `arm_index` of `scenario` under `seed`, with no event queued yet.
    pub fn new(
        scenario: &'a Scenario,
        arm_index: usize,
        seed: u64,
        opts: RunOptions,
        groups: GroupTable,
    ) -> ArmContext<'a> {
        let arm = &scenario.arms[arm_index];
        ArmContext {
            scenario,
            arm,
            opts,
            now: SimTime::ZERO,
            queue: EventQueue::new(),
            clocks_queued: 0,
            groups,
            tasks: TaskTable::default(),
            ledger: Ledger::new(scenario, opts.record_tasks)
                .with_charges(ArmCharges::new(scenario, arm)),
            subnet_free: arm.subnet_ips.clone(),
            start_rng: stream(seed, StreamPurpose::TaskStart(arm_index as u32)),
            next_attempt: 0,
        }
    }

    /// Queue `event` at `at`.
    pub fn emit(&mut self, at: SimTime, event: Event) {
        self.clocks_queued += usize::from(event.is_clock());
        self.queue.schedule(at, event.kind(), event);
    }

    /// Queue `event` `delay` from now.
    pub fn emit_after(&mut self, delay: SimDuration, event: Event) {
        self.emit(self.now.after(delay), event);
    }

    /// The time and ordering class of the next queued event.
    pub fn peek_event(&self) -> Option<(SimTime, u8)> {
        self.queue.peek_key()
    }

    /// Whether an event other than the run's clocks (see [`Event::is_clock`]) is queued.
    pub fn has_event_besides_clocks(&self) -> bool {
        self.queue.len() > self.clocks_queued
    }

    /// Take the next queued event.
    pub fn pop_event(&mut self) -> Option<Event> {
        let (_, e) = self.queue.pop()?;
        self.clocks_queued -= usize::from(e.is_clock());
        Some(e)
    }

    /// A new placement serial.
    pub fn next_attempt(&mut self) -> u32 {
        self.next_attempt = self.next_attempt.wrapping_add(1);
        self.next_attempt
    }

    /// The task in `slot` was just placed as placement `serial`: it starts, and is RUNNING
    /// after the arm's start latency.
    pub fn placed(&mut self, slot: TaskSlot, serial: u32) {
        self.ledger.touch(self.now);
        let latency = self.arm.task_start_latency.sample(&mut self.start_rng);
        self.emit_after(
            latency,
            Event::TaskRunning {
                attempt: Attempt { slot, serial },
            },
        );
    }

    /// Whether placement `a` is still current (its task is alive and placed by it).
    pub fn current(&self, a: Attempt) -> bool {
        self.tasks
            .get(a.slot)
            .is_some_and(|t| t.attempt == a.serial && t.placed_at.is_some())
    }

    /// Index in the arm of the capacity provider task `t` runs on.
    pub fn provider_of(&self, t: &LiveTask) -> usize {
        self.arm.provider_strategy[usize::from(t.entry)].provider
    }

    /// Whether task `t` runs on FARGATE_SPOT.
    pub fn on_fargate_spot(&self, t: &LiveTask) -> bool {
        self.provider_of(t) == FARGATE_SPOT
    }

    /// Index of a task source in per-source tables: the trace, then the job streams, then the
    /// services.
    pub fn source_index(&self, s: TaskSource) -> usize {
        source_index(s, self.scenario.workload.jobs.len())
    }

    /// Whether every subnet of the arm is full (then no task that needs an address can be
    /// placed, and managed scaling does not count such tasks).
    pub fn no_addresses(&self) -> bool {
        self.subnet_free
            .as_ref()
            .is_some_and(|f| f.iter().all(|&n| n == 0))
    }

    /// Give back the subnet address task `t` held; the zone, if it was full and has room now.
    pub fn free_subnet_address(&mut self, t: &LiveTask) -> Option<usize> {
        let (Some(z), Some(free)) = (t.subnet_zone, &mut self.subnet_free) else {
            return None;
        };
        let z = usize::from(z);
        free[z] += 1;
        (free[z] == 1).then_some(z)
    }
}

/// Index of a task source in per-source tables: the trace, then the `jobs` job streams, then
/// the services.
pub fn source_index(s: TaskSource, jobs: usize) -> usize {
    match s {
        TaskSource::Trace => 0,
        TaskSource::Job(i) => usize::from(i) + 1,
        TaskSource::Service(i) => 1 + jobs + usize::from(i),
    }
}

/// Helpers for the backends' unit tests: a scenario from TOML, the context of its first arm,
/// and tasks that arrive in it.
#[cfg(test)]
pub mod testing {
    use std::path::Path;

    use super::ArmContext;
    use crate::model::task_spec::{TaskLabel, TaskSource};
    use crate::model::{GroupTable, TaskSpec};
    use crate::scenario::{Scenario, load_str};
    use crate::sim::RunOptions;
    use crate::sim::task_table::{LiveTask, TaskSlot};
    use crate::time::SimDuration;

    /// A one-hour scenario with a token job stream and the arms of `arms` (TOML).
    pub fn scenario(arms: &str) -> Scenario {
        let text = format!(
            "name = \"t\"\nhorizon = \"1h\"\n[[workload.jobs]]\nname = \"j\"\narrival = {{ poisson = {{ per_hour = 1 }} }}\nduration = \"5m\"\ncpu = 256\nmemory = 512\n{arms}"
        );
        load_str(Path::new("t.toml"), &text).expect("the test scenario loads")
    }

    /// The context of the scenario's first arm, at time 0.
    pub fn context(s: &Scenario) -> ArmContext<'_> {
        ArmContext::new(s, 0, 7, RunOptions::default(), GroupTable::new())
    }

    /// A trace task of `cpu_units` and `memory_mib` (and `storage_gib`) arrives now.
    pub fn arrive(
        ctx: &mut ArmContext<'_>,
        cpu_units: u32,
        memory_mib: u32,
        storage_gib: u32,
    ) -> TaskSlot {
        let group = ctx.groups.intern("g");
        let seq = ctx.ledger.summary.tasks_arrived;
        ctx.ledger.summary.tasks_arrived += 1;
        let spec = TaskSpec {
            label: TaskLabel::Job(seq),
            source: TaskSource::Trace,
            group,
            cpu_units,
            memory_mib,
            duration: SimDuration(600_000),
            storage_gib,
            cpu_used_units: None,
            memory_used_mib: None,
        };
        ctx.tasks.insert(LiveTask::arrived(spec, seq, ctx.now))
    }
}
