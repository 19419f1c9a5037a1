//! ECS on top of the engine: the world of one arm, one handler per event, billing and metrics.
//! [`run`] simulates every arm of a scenario on the same workload.
//!
//! One arm: [`ArmSim`] (`arm_sim`) runs the event loop and the task lifecycle (arrive, place,
//! run, finish) over an [`arm_context::ArmContext`] (clock, event queue, live tasks, the
//! [`ledger::Ledger`] of accounts). What varies with the kind of capacity sits behind
//! [`capacity::CapacityBackend`]: [`ec2_capacity`] (container instances, one pool per
//! capacity provider) and [`fargate_pool`]; services (desired counts, deployments, auto
//! scaling) are in [`services`].

pub mod arm_context;
pub mod arm_sim;
pub mod capacity;
pub mod deployment;
pub mod ec2_capacity;
pub mod ec2_pool;
pub mod events;
pub mod fargate_pool;
pub mod ledger;
pub mod managed_scaling;
pub mod metrics;
pub mod other_charges;
pub mod outcome;
pub mod pending_queue;
pub mod provider_split;
pub mod service_scale_in;
pub mod service_scaling;
pub mod services;
pub mod source_rules;
pub mod task_table;
pub mod token_bucket;
pub mod workload;

use rayon::prelude::*;

pub use arm_sim::ArmSim;
pub use outcome::{
    ArmOutcome, ArmSummary, Completion, EndReason, Outcome, Sample, ScalingRecord, TaskOutcome,
    TaskRecord,
};

use crate::scenario::Scenario;
use crate::scenario::limits::MAX_LIVE_TASKS;
use crate::time::SimTime;
use crate::trace::TraceError;

/// Options of a run that do not change the model.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Keep one record per task attempt (tasks.csv).
    pub record_tasks: bool,
    /// Check resource accounting after every event (tests; slower).
    pub check_invariants: bool,
    /// Decide placements with the reference scan and walk the whole pending queue after each
    /// release: the specification the indexed path is tested against (slow).
    pub reference_placement: bool,
    /// Tasks an arm may hold at once (placed or waiting) before it is stopped as saturated:
    /// [`MAX_LIVE_TASKS`] (a test may set a small bound to reach it with a small trace).
    pub max_live_tasks: usize,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            record_tasks: false,
            check_invariants: false,
            reference_placement: false,
            max_live_tasks: MAX_LIVE_TASKS,
        }
    }
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The trace could not be read.
    #[error(transparent)]
    Trace(#[from] TraceError),
    /// An internal accounting check failed (a bug in sim).
    #[error("internal check failed: {0}")]
    Invariant(String),
}

/// Simulate the arms of `scenario` selected by `arms` (indexes, in order) under `seed`, in
/// parallel; results come back in the order given, so output never depends on thread count.
/// An arm that hits one of sim's bounds ends there as saturated (its [`ArmSummary::outcome`]
/// says so) and does not stop the others.
/// `progress(arm, t)` is called now and then with an arm's simulated time.
pub fn run(
    scenario: &Scenario,
    arms: &[usize],
    seed: u64,
    opts: RunOptions,
    progress: &(dyn Fn(usize, SimTime) + Sync),
) -> Result<Outcome, SimError> {
    let results: Vec<Result<ArmOutcome, SimError>> = arms
        .par_iter()
        .map(|&i| ArmSim::new(scenario, i, seed, opts)?.run(&|t| progress(i, t)))
        .collect();
    let arms = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(Outcome { seed, arms })
}
