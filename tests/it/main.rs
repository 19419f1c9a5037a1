//! The one integration-test binary: behaviour of `sim` seen from outside, by topic.

mod absurd;
mod alloc_free;
mod arm_end;
mod bad_input;
mod capacity;
mod catalogue;
mod common;
mod determinism;
mod ecs_behaviour;
mod outputs;
mod placement_differential;
mod properties;
mod report;
mod robustness;
mod runs;
mod sample_replays;
mod slurm;
mod sweep;
mod sweep_plots;
mod sweep_sort;
mod trace_import;
mod trace_stats;
mod validation;
