//! sweep.json: what a sweep's outputs came from, for `--resume` (and for merging shards):
//! the sweep file's and scenario's hashes, the grid, the seeds, the sim version.

use serde::{Deserialize, Serialize};

use crate::sweep::SweepPlan;

/// The contents of sweep.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepMeta {
    /// sim's version.
    pub sim_version: String,
    /// The sweep file, as given.
    pub sweep_file: String,
    /// SHA-256 of the sweep file, hex.
    pub sweep_sha256: String,
    /// The base scenario file.
    pub scenario_file: String,
    /// SHA-256 of the base scenario file, hex.
    pub scenario_sha256: String,
    /// Parameters (dotted paths), in order.
    pub parameters: Vec<String>,
    /// Number of variants.
    pub variants: usize,
    /// Seeds per variant.
    pub seeds: u32,
    /// Runs in the grid: variants × seeds.
    pub runs: u64,
    /// Arm names, in order.
    pub arms: Vec<String>,
    /// How a run's seed is derived.
    pub seed_rule: String,
    /// Runs finished and recorded in runs.csv.
    pub runs_done: u64,
    /// Whether every run has finished (runs.csv is then in run order and sweep.csv is written).
    pub complete: bool,
}

impl SweepMeta {
    /// The metadata of `plan` with `runs_done` runs finished.
    pub fn new(plan: &SweepPlan, runs_done: u64) -> SweepMeta {
        SweepMeta {
            sim_version: env!("CARGO_PKG_VERSION").to_string(),
            sweep_file: plan.spec.path.display().to_string(),
            sweep_sha256: plan.spec.sha256.clone(),
            scenario_file: plan.spec.scenario.display().to_string(),
            scenario_sha256: plan.base.source_sha256.clone(),
            parameters: plan.parameter_names().into_iter().map(String::from).collect(),
            variants: plan.variants,
            seeds: plan.spec.seeds,
            runs: plan.runs,
            arms: plan.arms.iter().map(|(n, _)| n.clone()).collect(),
            seed_rule: "run r of a variant with scenario seed s uses mix64(s ^ mix64(r)); r = variant × seeds + seed index".into(),
            runs_done,
            complete: runs_done == plan.runs,
        }
    }

    /// Pretty JSON bytes.
    pub fn render(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}
