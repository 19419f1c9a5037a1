//! run.json: provenance of a run (the only output that may differ between two runs of a seed).

use serde::Serialize;

/// What run.json records.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    /// sim's version.
    pub sim_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file path as given.
    pub scenario_file: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Seed used.
    pub seed: u64,
    /// Arms simulated, in order.
    pub arms: Vec<ArmInfo>,
    /// Wall-clock time of the run, seconds.
    pub wall_time_s: f64,
    /// Events processed over all arms.
    pub events_processed: u64,
    /// Warnings about the scenario.
    pub warnings: Vec<String>,
}

/// Per-arm provenance.
#[derive(Debug, Clone, Serialize)]
pub struct ArmInfo {
    /// Arm name.
    pub name: String,
    /// Launch type.
    pub launch_type: String,
    /// Events processed.
    pub events_processed: u64,
    /// Simulated end time, seconds.
    pub end_s: f64,
}

/// run.json bytes (pretty-printed, trailing newline).
pub fn run_json(info: &RunInfo) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(info).unwrap_or_default();
    v.push(b'\n');
    v
}
