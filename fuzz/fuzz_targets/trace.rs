//! Fuzz target: the streaming CSV trace reader (`sim::trace::CsvTrace`, the format of
//! docs/traces.md), read to the end through `trace_stats_of` (every row checked, statistics
//! computed) and, depending on the first byte, through one of four `Replay` option presets.
//!
//! Input: byte 0 selects the replay preset; the rest is the CSV file. Contract: every input
//! gives statistics or a `TraceError`, never a panic.

use std::io::Cursor;
use std::path::Path;

use sim::time::SimDuration;
use sim::trace::stats::trace_stats_of;
use sim::trace::stats_text::render_text;
use sim::trace::{CsvTrace, Replay, ReplayOptions, TraceSource};

fn preset(b: u8) -> ReplayOptions {
    let mut o = ReplayOptions::default();
    match b % 4 {
        0 => {}
        1 => {
            o.time_scale = 2.5;
            o.sample = 0.5;
        }
        2 => {
            o.start = SimDuration(10_000);
            o.end = Some(SimDuration(1_000_000));
        }
        _ => {
            o.cpu_scale = 0.3;
            o.memory_scale = 3.5;
        }
    }
    o
}

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&first, csv)) = data.split_first() else {
            return;
        };
        let path = Path::new("fuzz.csv");
        let trace = match CsvTrace::from_reader(path, Box::new(Cursor::new(csv.to_vec()))) {
            Ok(t) => t,
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        };
        let options = preset(first);
        let mut source: Box<dyn TraceSource> = if options.is_identity() {
            Box::new(trace)
        } else {
            Box::new(Replay::new(trace, options, u64::from(first)))
        };
        match trace_stats_of(source.as_mut()) {
            Ok(stats) => {
                let _ = render_text(&stats, "fuzz.csv");
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    });
}
