//! The x axis of a run's time plots.

use crate::report::run_data::RunData;

/// The x axis of a run's time plots: from 0 to the run's end, in hours for runs up to
/// [`DAYS_ABOVE_H`] hours and in days for longer ones (a 30-day run in hours reads as 0-720).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeAxis {
    /// Milliseconds per axis unit.
    unit_ms: f64,
    /// The run's end, ms.
    end_ms: u64,
}

/// Runs longer than this many hours get a time axis in days.
pub const DAYS_ABOVE_H: u64 = 72;

impl TimeAxis {
    /// The time axis of a run ending at `end_ms`.
    pub fn new(end_ms: u64) -> TimeAxis {
        let unit_ms = if end_ms > DAYS_ABOVE_H * 3_600_000 {
            86_400_000.0
        } else {
            3_600_000.0
        };
        TimeAxis { unit_ms, end_ms }
    }

    /// The time axis of `run`: to the latest arm's end (summary.csv `end_s`), or to its last
    /// sample or scaling evaluation when that is later or the file has no `end_s`.
    pub fn of(run: &RunData) -> TimeAxis {
        let ends = run.arms.iter().flat_map(|a| {
            let end = a.summary.end_ms;
            let sample = a.timeseries.last().map(|s| s.time_ms);
            let scaled = a.scaling.iter().map(|r| r.time_ms).max();
            [end, sample, scaled].into_iter().flatten()
        });
        TimeAxis::new(ends.max().unwrap_or(0))
    }

    /// `ms` in the axis' unit.
    pub fn at(&self, ms: u64) -> f64 {
        ms as f64 / self.unit_ms
    }

    /// The axis description.
    pub fn label(&self) -> &'static str {
        if self.unit_ms > 3_600_000.0 {
            "time (days)"
        } else {
            "time (hours)"
        }
    }

    /// The axis range: 0 → the run's end.
    pub fn span(&self) -> (f64, f64) {
        (0.0, self.at(self.end_ms))
    }
}
