//! ECS on top of the engine: the world of one arm (tasks, container instances or the Fargate
//! pool), one handler per event, billing and metrics. [`run`] simulates every arm of a scenario
//! on the same workload.

pub mod arm_sim;
pub mod billing;
pub mod deployment;
pub mod ec2_pool;
pub mod events;
pub mod managed_scaling;
pub mod metrics;
pub mod outcome;
pub mod pending_queue;
pub mod provider_split;
pub mod service_scale_in;
pub mod service_scaling;
pub mod task_table;
pub mod token_bucket;
pub mod workload;

use rayon::prelude::*;

pub use arm_sim::ArmSim;
pub use outcome::{
    ArmOutcome, ArmSummary, Outcome, Sample, ScalingRecord, TaskOutcome, TaskRecord,
};

use crate::scenario::Scenario;
use crate::time::SimTime;
use crate::trace::TraceError;

/// Options of a run that do not change the model.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Keep one record per task attempt (tasks.csv).
    pub record_tasks: bool,
    /// Check resource accounting after every event (tests; slower).
    pub check_invariants: bool,
    /// Decide placements with the reference scan and walk the whole pending queue after each
    /// release: the specification the indexed path is tested against (slow).
    pub reference_placement: bool,
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The trace could not be read.
    #[error(transparent)]
    Trace(#[from] TraceError),
    /// The run would produce more timeseries samples than sim keeps (a workload without a
    /// horizon that lasts far longer than its `metrics_interval`).
    #[error(
        "arm `{arm}`: the timeseries would exceed {limit} samples; set a longer `metrics_interval`"
    )]
    TooManySamples {
        /// The arm.
        arm: String,
        /// The limit.
        limit: u64,
    },
    /// An arm held more tasks at once (placed or waiting) than sim keeps: the arrivals outrun
    /// the capacity by far (e.g. a replayed trace far larger than the fleet).
    #[error(
        "arm `{arm}`: more than {limit} tasks placed or waiting at once (at {:.3} s); the capacity cannot keep up with the arrivals: expected fewer or smaller tasks, or more capacity",
        at.as_ms() as f64 / 1000.0
    )]
    TooManyTasks {
        /// The arm.
        arm: String,
        /// The limit ([`crate::scenario::load::MAX_LIVE_TASKS`]).
        limit: usize,
        /// Simulated time when it was exceeded.
        at: SimTime,
    },
    /// An internal accounting check failed (a bug in sim).
    #[error("internal check failed: {0}")]
    Invariant(String),
}

/// Simulate the arms of `scenario` selected by `arms` (indexes, in order) under `seed`, in
/// parallel; results come back in the order given, so output never depends on thread count.
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
