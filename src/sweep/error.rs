//! Why a sweep could not be planned or run.

use std::path::PathBuf;

use crate::report::OutputError;
use crate::scenario::ScenarioError;
use crate::sim::SimError;

/// Why a sweep could not be planned or run.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The sweep file could not be read.
    #[error("cannot read sweep file `{}`: {error}", path.display())]
    Read {
        /// The sweep file.
        path: PathBuf,
        /// What the OS said.
        error: std::io::Error,
    },
    /// The sweep file is not valid (located by line and column), or its base scenario is not.
    #[error(transparent)]
    Invalid(#[from] ScenarioError),
    /// A parameter's path names nothing in the scenario (or goes through a value that is not a
    /// table).
    #[error("{}:{line}:{column}: parameter `{parameter}`: {message}", path.display())]
    Parameter {
        /// The sweep file.
        path: PathBuf,
        /// Line of the parameter's key in the sweep file (1-based).
        line: usize,
        /// Column of the parameter's key (1-based).
        column: usize,
        /// The parameter (its dotted path).
        parameter: String,
        /// What is wrong with the path.
        message: String,
    },
    /// A variant of the scenario does not validate.
    #[error("{}:{line}:{column}: variant {variant} ({values}) is not a valid scenario: {message}", path.display())]
    Variant {
        /// The sweep file.
        path: PathBuf,
        /// Line of the first parameter whose value the scenario refuses (1-based; the
        /// `[parameters]` of the first parameter when no single one is to blame).
        line: usize,
        /// Its column (1-based).
        column: usize,
        /// Variant index.
        variant: usize,
        /// The variant's parameter values, `path = value, ...`.
        values: String,
        /// What the scenario validation said.
        message: String,
    },
    /// `--resume` found outputs that do not belong to this sweep, or cannot be read.
    #[error("cannot resume in `{}`: {message}", dir.display())]
    Resume {
        /// The output folder.
        dir: PathBuf,
        /// Why.
        message: String,
    },
    /// `sim merge` refused its folders: a run missing or duplicated, a shard of another sweep,
    /// or a folder that is not a shard's.
    #[error("cannot merge: {message}")]
    Merge {
        /// Why.
        message: String,
    },
    /// A run failed.
    #[error("run {run} (variant {variant}, seed {seed}): {source}")]
    Run {
        /// Run index.
        run: u64,
        /// Variant index.
        variant: usize,
        /// The run's seed.
        seed: u64,
        /// What went wrong.
        source: SimError,
    },
    /// An output could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The sweep plots could not be drawn (from the sweep.csv and sweep.json just rendered).
    #[error("cannot draw the sweep plots: {message}")]
    Plots {
        /// What the reader or the renderer said.
        message: String,
    },
    /// The thread pool could not be built.
    #[error("cannot start {threads} threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// What rayon said.
        message: String,
    },
}

impl SweepError {
    /// Whether the error is the input's fault (exit status 2), not the machine's.
    pub fn is_bad_input(&self) -> bool {
        match self {
            SweepError::Invalid(_)
            | SweepError::Parameter { .. }
            | SweepError::Variant { .. }
            | SweepError::Resume { .. }
            | SweepError::Merge { .. }
            | SweepError::Read { .. } => true,
            SweepError::Run { source, .. } => {
                matches!(source, SimError::Trace(_))
            }
            SweepError::Output(_) | SweepError::Plots { .. } | SweepError::Threads { .. } => false,
        }
    }
}
