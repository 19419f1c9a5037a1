//! Parameter sweeps (docs/sweeps.md): a grid of scenario variants × seeds, run in parallel on a
//! rayon pool, results recorded as runs finish and written in run order.
//!
//! - [`spec`]: the sweep file (base scenario, seeds, parameters by dotted path).
//! - [`patch`]: setting a value in the scenario's TOML document by dotted path.
//! - [`plan`]: the grid, the run index and per-run seeds; every variant validated up front.
//! - [`execute`](mod@execute): the runs, runs.csv as they finish, `--resume`, a clean stop.
//! - [`layout`]: the shape the output files share (parameters, arms, variants, seeds).
//! - [`runs_file`], [`aggregate`], [`meta`]: runs.csv, sweep.csv and sweep.json (render bytes).
//! - [`complete`]: whether an arm's run did all its work (the cost comparisons of sweep.csv).
//! - [`shard`]: `--shard I/N`, which runs a shard holds; [`merge`](mod@merge): `sim merge`.
//! - [`stats`]: mean, standard deviation, Student-t confidence half-width.
//!
//! Depends on `scenario`, `sim` and `report`; prints nothing (the CLI does).

pub mod aggregate;
pub mod complete;
pub mod error;
pub mod execute;
pub mod layout;
pub mod merge;
pub mod meta;
pub mod patch;
pub mod plan;
pub mod runs_file;
pub mod shard;
pub mod spec;
pub mod stats;

pub use error::SweepError;
pub use execute::{SweepOptions, SweepReport, execute, execute_buffered};
pub use merge::{MergeReport, merge, merge_buffered};
pub use meta::SweepMeta;
pub use plan::SweepPlan;
pub use shard::Shard;
pub use spec::{Parameter, SweepSpec};
