//! Where tasks come from: the [`TraceSource`] trait (tasks in arrival order), the streaming CSV
//! trace reader of docs/traces.md, the replay options applied to it, generated job streams, and
//! trace statistics.

pub mod arrival;
pub mod csv_trace;
pub mod error;
pub mod import;
pub mod job_spec;
pub mod job_stream;
pub mod replay;
pub mod stats;
pub mod stats_text;

pub use arrival::ArrivalProcess;
pub use csv_trace::CsvTrace;
pub use error::TraceError;
pub use import::{ImportError, ImportFormat, ImportOptions, ImportSummary};
pub use job_spec::JobSpec;
pub use job_stream::JobStream;
pub use replay::{Replay, ReplayOptions};
pub use stats::{TraceStats, trace_stats};

use crate::model::{GroupTable, TaskSpec};
use crate::time::SimTime;

/// A source of tasks. Contract: tasks come out in non-decreasing arrival time, and the same
/// source built from the same inputs yields the same tasks in the same order.
pub trait TraceSource {
    /// The next task and its arrival time; `None` when the source is exhausted. New task group
    /// names are interned in `groups`.
    fn next_task(
        &mut self,
        groups: &mut GroupTable,
    ) -> Result<Option<(SimTime, TaskSpec)>, TraceError>;
}
