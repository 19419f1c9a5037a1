//! sweep.json: what a sweep's outputs came from, for `--resume` (and for merging shards):
//! the sweep file's and scenario's hashes, the grid, the seeds, the sim version.

use serde::{Deserialize, Serialize};

use crate::sweep::SweepPlan;
use crate::sweep::layout::Layout;
use crate::sweep::shard::Shard;

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
    /// The arms' launch types, in the same order.
    #[serde(default)]
    pub launch_types: Vec<String>,
    /// How a run's seed is derived.
    pub seed_rule: String,
    /// The shard of the grid this folder holds (`--shard I/N`); absent for a whole sweep (or a
    /// merged one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardMeta>,
    /// Runs finished and recorded in runs.csv.
    pub runs_done: u64,
    /// Whether every run this folder was to run has finished (runs.csv is then in run order;
    /// sweep.csv is written when the folder holds the whole sweep).
    pub complete: bool,
}

/// Which runs a shard's folder was to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardMeta {
    /// The shard index, from 0.
    pub index: u64,
    /// The number of shards.
    pub count: u64,
    /// Which runs the shard holds.
    pub rule: String,
    /// How many runs that is.
    pub runs: u64,
}

impl ShardMeta {
    /// The shard, as `--shard` gave it.
    pub fn shard(&self) -> Shard {
        Shard {
            index: self.index,
            count: self.count,
        }
    }
}

impl SweepMeta {
    /// The metadata of `plan` (or of its shard `shard`) with `runs_done` runs finished.
    pub fn new(plan: &SweepPlan, shard: Option<Shard>, runs_done: u64) -> SweepMeta {
        let to_run = shard.map_or(plan.runs, |s| s.runs_of(plan.runs));
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
            launch_types: plan.arms.iter().map(|(_, l)| (*l).to_string()).collect(),
            seed_rule: "run r of a variant with scenario seed s uses mix64(s ^ mix64(r)); r = variant × seeds + seed index".into(),
            shard: shard.map(|s| ShardMeta {
                index: s.index,
                count: s.count,
                rule: format!("runs r with r mod {} = {}", s.count, s.index),
                runs: to_run,
            }),
            runs_done,
            complete: runs_done == to_run,
        }
    }

    /// The layout of the outputs, from the metadata alone.
    pub fn layout(&self) -> Layout {
        Layout {
            parameters: self.parameters.clone(),
            arms: self
                .arms
                .iter()
                .cloned()
                .zip(self.launch_types.iter().cloned())
                .collect(),
            variants: self.variants,
            seeds: self.seeds,
        }
    }

    /// Pretty JSON bytes.
    pub fn render(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}
