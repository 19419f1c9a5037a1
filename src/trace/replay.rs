//! Replay options of `[workload]` (`time_scale`, `start`, `end`, `sample`, `cpu_scale`,
//! `memory_scale`) as a [`TraceSource`] adapter over the trace: it streams, one row at a time,
//! and allocates nothing per row. The rules are in docs/model.md §12.1.

use rand::RngExt;

use crate::engine::RngStream;
use crate::engine::rng::{StreamPurpose, stream};
use crate::model::{GroupTable, TaskSpec};
use crate::time::{SimDuration, SimTime};
use crate::trace::{TraceError, TraceSource};

/// How the trace is replayed. The default changes nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplayOptions {
    /// Replay speed: arrival gaps are divided by it (2.0 replays twice as fast). Run times are
    /// unchanged.
    pub time_scale: f64,
    /// Rows arriving before this trace time are skipped; `start` becomes time 0.
    pub start: SimDuration,
    /// Rows arriving at or after this trace time are skipped (reading stops there).
    pub end: Option<SimDuration>,
    /// Fraction of rows kept, 0 < f ≤ 1, chosen by the `trace-sample` stream.
    pub sample: f64,
    /// Requested and used CPU are multiplied by this.
    pub cpu_scale: f64,
    /// Requested and used memory are multiplied by this.
    pub memory_scale: f64,
}

impl Default for ReplayOptions {
    fn default() -> ReplayOptions {
        ReplayOptions {
            time_scale: 1.0,
            start: SimDuration::ZERO,
            end: None,
            sample: 1.0,
            cpu_scale: 1.0,
            memory_scale: 1.0,
        }
    }
}

impl ReplayOptions {
    /// Whether these options change nothing.
    pub fn is_identity(&self) -> bool {
        *self == ReplayOptions::default()
    }

    /// The simulated arrival of a row that arrives at trace time `t` (inside the window):
    /// `round((t − start) ÷ time_scale)` ms.
    pub fn arrival(&self, t: SimTime) -> SimTime {
        let since = t.as_ms().saturating_sub(self.start.as_ms());
        if self.time_scale == 1.0 {
            return SimTime(since);
        }
        SimTime((since as f64 / self.time_scale).round() as u64)
    }
}

/// `units × scale` rounded up to a whole unit, at least 1. The product is first rounded to six
/// decimal places, so that `1000 × 0.3` (300.00000000000006 in binary) gives 300, not 301.
pub fn scale_units(units: u32, scale: f64) -> u32 {
    if scale == 1.0 {
        return units;
    }
    let p = ((f64::from(units) * scale) * 1e6).round() / 1e6;
    // `as` saturates at u32::MAX.
    (p.ceil() as u32).max(1)
}

/// The trace seen through [`ReplayOptions`].
#[derive(Debug)]
pub struct Replay<S> {
    inner: S,
    options: ReplayOptions,
    sample: RngStream,
    done: bool,
}

impl<S: TraceSource> Replay<S> {
    /// `inner` replayed with `options`; the sample is drawn from the `trace-sample` stream of
    /// `seed`.
    pub fn new(inner: S, options: ReplayOptions, seed: u64) -> Replay<S> {
        Replay {
            inner,
            options,
            sample: stream(seed, StreamPurpose::TraceSample),
            done: false,
        }
    }
}

impl<S: TraceSource> TraceSource for Replay<S> {
    fn next_task(
        &mut self,
        groups: &mut GroupTable,
    ) -> Result<Option<(SimTime, TaskSpec)>, TraceError> {
        let o = self.options;
        while !self.done {
            let Some((t, mut task)) = self.inner.next_task(groups)? else {
                self.done = true;
                break;
            };
            // One draw per row read, whatever the window: row k is kept or not by the seed
            // alone, so moving `start` or `end` never changes which of the remaining rows are
            // sampled.
            let keep = o.sample >= 1.0 || self.sample.random::<f64>() < o.sample;
            if o.end.is_some_and(|e| t.as_ms() >= e.as_ms()) {
                // Rows are sorted: nothing later can be inside the window.
                self.done = true;
                break;
            }
            if t.as_ms() < o.start.as_ms() || !keep {
                continue;
            }
            task.cpu_units = scale_units(task.cpu_units, o.cpu_scale);
            task.memory_mib = scale_units(task.memory_mib, o.memory_scale);
            task.cpu_used_units = task.cpu_used_units.map(|u| u * o.cpu_scale);
            task.memory_used_mib = task.memory_used_mib.map(|u| u * o.memory_scale);
            return Ok(Some((o.arrival(t), task)));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TaskLabel;
    use crate::model::task_spec::TaskSource;
    use crate::trace::CsvTrace;
    use std::path::Path;

    fn trace(rows: u32) -> CsvTrace {
        let mut text = String::from("arrival_s,duration_s,cpu_units,memory_mib,cpu_used_units\n");
        for i in 0..rows {
            text.push_str(&format!("{i},10,1000,1024,250.5\n"));
        }
        CsvTrace::from_reader(Path::new("t.csv"), Box::new(std::io::Cursor::new(text))).unwrap()
    }

    fn all(o: ReplayOptions, rows: u32, seed: u64) -> Vec<(SimTime, TaskSpec)> {
        let mut r = Replay::new(trace(rows), o, seed);
        let mut g = GroupTable::new();
        let mut out = Vec::new();
        while let Some(x) = r.next_task(&mut g).unwrap() {
            out.push(x);
        }
        out
    }

    fn rows(v: &[(SimTime, TaskSpec)]) -> Vec<u64> {
        v.iter()
            .map(|(_, t)| match t.label {
                TaskLabel::Row(n) => n,
                _ => 0,
            })
            .collect()
    }

    #[test]
    fn default_options_change_nothing() {
        let o = ReplayOptions::default();
        assert!(o.is_identity());
        let out = all(o, 5, 1);
        assert_eq!(out.len(), 5);
        assert_eq!(out[3].0, SimTime(3000));
        assert_eq!(out[3].1.cpu_units, 1000);
        assert_eq!(out[3].1.cpu_used_units, Some(250.5));
        assert_eq!(out[3].1.source, TaskSource::Trace);
    }

    #[test]
    fn window_skips_and_shifts_then_time_scale_divides() {
        let o = ReplayOptions {
            start: SimDuration(2_000),
            end: Some(SimDuration(6_000)),
            time_scale: 2.0,
            ..ReplayOptions::default()
        };
        let out = all(o, 10, 1);
        // Rows 3..=6 arrive at 2..=5 s: start inclusive, end exclusive.
        assert_eq!(rows(&out), vec![3, 4, 5, 6]);
        let times: Vec<u64> = out.iter().map(|(t, _)| t.as_ms()).collect();
        assert_eq!(times, vec![0, 500, 1000, 1500]);
        assert!(out.iter().all(|(_, t)| t.duration == SimDuration(10_000)));
        // Stretching: 0.5 replays at half speed.
        let slow = ReplayOptions {
            time_scale: 0.5,
            ..ReplayOptions::default()
        };
        assert_eq!(all(slow, 3, 1)[2].0, SimTime(4_000));
        // Rounded to the nearest ms: 1 ms ÷ 3 → 0, 2 ms ÷ 3 → 1.
        let third = ReplayOptions {
            time_scale: 3.0,
            ..ReplayOptions::default()
        };
        assert_eq!(third.arrival(SimTime(1)), SimTime(0));
        assert_eq!(third.arrival(SimTime(2)), SimTime(1));
    }

    #[test]
    fn scales_round_up_to_whole_units_at_least_one() {
        assert_eq!(scale_units(1000, 0.3), 300);
        assert_eq!(scale_units(256, 1.1), 282); // 281.6
        assert_eq!(scale_units(3, 0.01), 1); // 0.03
        assert_eq!(scale_units(1024, 1.0), 1024);
        assert_eq!(scale_units(u32::MAX, 1000.0), u32::MAX);
        let o = ReplayOptions {
            cpu_scale: 0.5,
            memory_scale: 1.5,
            ..ReplayOptions::default()
        };
        let t = &all(o, 1, 1)[0].1;
        assert_eq!((t.cpu_units, t.memory_mib), (500, 1536));
        assert_eq!(t.cpu_used_units, Some(125.25)); // usage: multiplied, not rounded
        assert_eq!(t.memory_used_mib, None);
    }

    #[test]
    fn sample_is_seeded_and_independent_of_the_window() {
        let half = ReplayOptions {
            sample: 0.5,
            ..ReplayOptions::default()
        };
        let a = rows(&all(half, 2000, 7));
        assert_eq!(a, rows(&all(half, 2000, 7)), "same seed, same rows");
        assert_ne!(a, rows(&all(half, 2000, 8)), "another seed, other rows");
        assert!((900..1100).contains(&a.len()), "{} of 2000 kept", a.len());
        let windowed = ReplayOptions {
            start: SimDuration(500_000),
            end: Some(SimDuration(1_500_000)),
            ..half
        };
        let w = rows(&all(windowed, 2000, 7));
        let expect: Vec<u64> = a.into_iter().filter(|r| (501..=1500).contains(r)).collect();
        assert_eq!(w, expect, "the window keeps the same sampled rows");
    }
}
