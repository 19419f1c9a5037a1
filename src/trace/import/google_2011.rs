//! Google cluster-data 2011 (clusterdata-2011-2) `task_events`: 13 columns, no header, events in
//! time order. Each (job ID, task index) is rebuilt into runs: a SUBMIT opens a run (its arrival),
//! the next SCHEDULE starts it, and the next EVICT, FAIL, FINISH, KILL or LOST ends it (its
//! duration is SCHEDULE to end). A task resubmitted after an EVICT, FAIL or LOST is a new run
//! of the same task, written as `job-index.2`, `.3`, …. Runs whose SUBMIT (or SCHEDULE) happened
//! before the input starts are dropped and counted, as are runs never scheduled; runs still
//! going at the end of the input are censored at its last event. Memory holds the tasks that
//! are open (submitted or running) plus those whose last run was evicted, failed or lost (they
//! may be resubmitted), never the whole file.

use std::collections::HashMap;

use super::input::Records;
use super::{Collector, ImportError, RowError, SourceTask, field, integer, optional_number};

const COLUMNS: usize = 13;
const SUBMIT: i64 = 0;
const SCHEDULE: i64 = 1;
const EVICT: i64 = 2;
const FAIL: i64 = 3;
const FINISH: i64 = 4;
const KILL: i64 = 5;
const LOST: i64 = 6;
const UPDATE_PENDING: i64 = 7;
const UPDATE_RUNNING: i64 = 8;
/// Timestamp meaning "after the trace window".
const AFTER_WINDOW: i64 = i64::MAX;

/// One task's current run.
#[derive(Debug, Default, Clone)]
struct Run {
    /// SUBMIT time, µs (None: not submitted inside the input, or between runs).
    submit_us: Option<i64>,
    /// SCHEDULE time, µs.
    schedule_us: Option<i64>,
    /// Whether the task was seen running without a SUBMIT in the input.
    started_before: bool,
    cpu: Option<f64>,
    memory: Option<f64>,
    /// Runs so far, this one included.
    attempt: u32,
}

/// One parsed event.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Event {
    time_us: i64,
    job: i64,
    index: i64,
    kind: i64,
    cpu: Option<f64>,
    memory: Option<f64>,
}

fn parse(rec: &csv::StringRecord) -> Result<Event, RowError> {
    if rec.len() != COLUMNS {
        return Err(RowError::new(
            "(row)",
            format!(
                "found {} fields; expected {COLUMNS} (task_events has 13 columns)",
                rec.len()
            ),
        ));
    }
    let f = |i: usize, name: &str| field(rec, i, name, COLUMNS);
    let time_us = integer(f(0, "timestamp")?, "timestamp")?;
    if time_us < 0 {
        return Err(RowError::new(
            "timestamp",
            format!("found `{time_us}`; expected microseconds >= 0"),
        ));
    }
    let kind = integer(f(5, "event type")?, "event type")?;
    if !(0..=8).contains(&kind) {
        return Err(RowError::new(
            "event type",
            format!("found `{kind}`; expected 0 to 8 (SUBMIT … UPDATE_RUNNING)"),
        ));
    }
    let request = |i: usize, name: &str| -> Result<Option<f64>, RowError> {
        let v = optional_number(f(i, name)?, name)?;
        if let Some(x) = v
            && !(0.0..=1.0e6).contains(&x)
        {
            return Err(RowError::new(
                name,
                format!("found `{x}`; expected a normalised request >= 0"),
            ));
        }
        Ok(v)
    };
    Ok(Event {
        time_us,
        job: integer(f(2, "job ID")?, "job ID")?,
        index: integer(f(3, "task index")?, "task index")?,
        kind,
        cpu: request(9, "CPU request")?,
        memory: request(10, "memory request")?,
    })
}

fn us_to_ms(us: i64) -> i64 {
    us / 1000 + i64::from(us % 1000 >= 500)
}

/// Emit the current run of `run` ending at `end_us`, or count why it cannot be.
fn close(
    c: &mut Collector,
    job: i64,
    index: i64,
    run: &Run,
    end_us: i64,
) -> Result<(), ImportError> {
    let (Some(submit), Some(schedule)) = (run.submit_us, run.schedule_us) else {
        if run.started_before || run.submit_us.is_none() {
            c.drop_tasks("submitted before the input starts (no SUBMIT)", 1);
        } else {
            c.drop_tasks("ended before it was scheduled", 1);
        }
        return Ok(());
    };
    let (Some(cpu), Some(memory)) = (run.cpu, run.memory) else {
        c.drop_tasks("no CPU or memory request", 1);
        return Ok(());
    };
    let task_id = if run.attempt <= 1 {
        format!("{job}-{index}")
    } else {
        format!("{job}-{index}.{}", run.attempt)
    };
    c.push(SourceTask {
        arrival_ms: us_to_ms(submit),
        duration_ms: us_to_ms(end_us) - us_to_ms(schedule),
        cpu_units: cpu * c.scale.machine_cpu * 1024.0,
        memory_mib: memory * c.scale.machine_memory_mib,
        storage_gib: None,
        task_id,
        group: job.to_string(),
    })
}

/// Import a `task_events` file.
pub fn import(mut r: Records, c: &mut Collector) -> Result<(), ImportError> {
    c.assume("google-2011: a run is SUBMIT (arrival) → SCHEDULE (start) → EVICT/FAIL/FINISH/KILL/LOST (end); duration = end − SCHEDULE");
    c.assume("google-2011: a task resubmitted after EVICT/FAIL/LOST is a new arrival (task_id job-index.N); runs without a SUBMIT in the input are dropped; runs still going at the end are censored at the last event");
    c.assume("google-2011: group = job ID; events stamped 0 (before the window) are treated as before the input, events stamped 2^63-1 (after the window) are ignored");
    let mut open: HashMap<(i64, i64), Run> = HashMap::new();
    let mut last_us: i64 = 0;
    while r.next(c)? {
        c.row_read();
        let e = match parse(&r.record) {
            Ok(e) => e,
            Err(err) => {
                c.bad_row(r.line, err)?;
                continue;
            }
        };
        if e.time_us == AFTER_WINDOW {
            continue;
        }
        last_us = last_us.max(e.time_us);
        let key = (e.job, e.index);
        let known_time = (e.time_us > 0).then_some(e.time_us);
        match e.kind {
            SUBMIT => {
                let run = open.entry(key).or_default();
                if run.schedule_us.is_some() {
                    // A SUBMIT while running: the running run has no end event.
                    c.drop_tasks("resubmitted while running (no end event)", 1);
                }
                if run.schedule_us.is_some() || run.submit_us.is_none() {
                    run.attempt += 1;
                    run.submit_us = known_time;
                    run.schedule_us = None;
                    run.started_before = false;
                }
                run.cpu = e.cpu.or(run.cpu);
                run.memory = e.memory.or(run.memory);
            }
            SCHEDULE => {
                let run = open.entry(key).or_default();
                if run.schedule_us.is_none() {
                    if run.submit_us.is_none() {
                        run.started_before = true;
                        run.attempt += 1;
                    }
                    run.schedule_us = Some(e.time_us);
                }
                run.cpu = e.cpu.or(run.cpu);
                run.memory = e.memory.or(run.memory);
            }
            EVICT | FAIL | FINISH | KILL | LOST => match open.get_mut(&key) {
                None => c.drop_tasks("submitted before the input starts (no SUBMIT)", 1),
                Some(run) if run.submit_us.is_none() && run.schedule_us.is_none() => {
                    c.drop_tasks("submitted before the input starts (no SUBMIT)", 1);
                }
                Some(run) => {
                    let ended = run.clone();
                    if matches!(e.kind, FINISH | KILL) {
                        open.remove(&key);
                    } else {
                        run.submit_us = None;
                        run.schedule_us = None;
                        run.started_before = false;
                    }
                    close(c, e.job, e.index, &ended, e.time_us)?;
                }
            },
            UPDATE_PENDING | UPDATE_RUNNING => {
                if let Some(run) = open.get_mut(&key) {
                    run.cpu = e.cpu.or(run.cpu);
                    run.memory = e.memory.or(run.memory);
                }
            }
            _ => {}
        }
    }
    // What is still open at the end, in a fixed order (not hash order).
    let mut left: Vec<((i64, i64), Run)> = open
        .into_iter()
        .filter(|(_, run)| run.submit_us.is_some() || run.schedule_us.is_some())
        .collect();
    left.sort_by_key(|((job, index), run)| (run.submit_us, *job, *index));
    for ((job, index), run) in left {
        match (run.submit_us, run.schedule_us) {
            (Some(_), Some(_)) => {
                c.adjust("still running at the end of the input: censored at its last event");
                close(c, job, index, &run, last_us)?;
            }
            (Some(_), None) => c.drop_tasks("never scheduled in the input", 1),
            _ => c.drop_tasks("submitted before the input starts (no SUBMIT)", 1),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{rows, run};
    use super::super::{ImportFormat, ImportOptions};

    fn ev(t_s: f64, job: u64, index: u64, kind: u8, cpu: &str, mem: &str) -> String {
        format!(
            "{},,{job},{index},77,{kind},user,0,2,{cpu},{mem},0.0001,0\n",
            (t_s * 1e6) as i64
        )
    }

    #[test]
    fn runs_are_rebuilt_from_events_and_scaled_to_the_machine() {
        let mut text = String::new();
        // Task 1-0: submitted at 600 s, scheduled at 602 s, finished at 632.5 s.
        text += &ev(600.0, 1, 0, 0, "0.025", "0.0155");
        // Task 1-1: submitted 601 s, scheduled 603 s, evicted 610 s, resubmitted 611 s,
        // scheduled 612 s, finished 700 s: two runs.
        text += &ev(601.0, 1, 1, 0, "0.5", "0.5");
        text += &ev(602.0, 1, 0, 1, "", "");
        text += &ev(603.0, 1, 1, 1, "", "");
        text += &ev(610.0, 1, 1, 2, "", "");
        text += &ev(611.0, 1, 1, 0, "0.5", "0.5");
        text += &ev(612.0, 1, 1, 1, "", "");
        text += &ev(632.5, 1, 0, 4, "", "");
        // Task 2-0: scheduled without SUBMIT in the input, then killed: dropped.
        text += &ev(640.0, 2, 0, 1, "0.1", "0.1");
        text += &ev(650.0, 2, 0, 5, "", "");
        // Task 3-0: submitted, never scheduled: dropped at the end.
        text += &ev(660.0, 3, 0, 0, "0.1", "0.1");
        // Task 4-0: submitted, scheduled, still running at the end (700 s): censored.
        text += &ev(680.0, 4, 0, 0, "0", "0.001");
        text += &ev(690.0, 4, 0, 1, "", "");
        text += &ev(700.0, 1, 1, 4, "", "");
        let (s, out) = run(ImportFormat::Google2011, &text, &ImportOptions::default()).unwrap();
        assert_eq!(s.rows_read, 14);
        assert_eq!(
            rows(&out),
            vec![
                // 0.025 × 32 vCPU × 1024 = 819.2 → 820 units; 0.0155 × 131072 = 2031.6 → 2032.
                "0.000,30.500,820,2032,1-0,1,",
                // 0.5 × 32 × 1024 = 16384; 0.5 × 131072 = 65536.
                "1.000,7.000,16384,65536,1-1,1,",
                "11.000,88.000,16384,65536,1-1.2,1,",
                // CPU request 0 raised to 1 unit; 0.001 × 131072 = 131.07 → 132 MiB.
                "80.000,10.000,1,132,4-0,4,",
            ]
        );
        assert_eq!(s.tasks_written, 4);
        assert_eq!(
            s.dropped["submitted before the input starts (no SUBMIT)"],
            1
        );
        assert_eq!(s.dropped["never scheduled in the input"], 1);
        assert_eq!(
            s.adjusted["still running at the end of the input: censored at its last event"],
            1
        );
        assert!(
            s.assumptions
                .iter()
                .any(|a| a.contains("32 vCPUs (default"))
        );
    }

    #[test]
    fn the_machine_scale_is_an_option() {
        let text = ev(600.0, 1, 0, 0, "0.25", "0.25")
            + &ev(601.0, 1, 0, 1, "", "")
            + &ev(611.0, 1, 0, 4, "", "");
        let o = ImportOptions {
            machine_cpu: Some(64.0),
            machine_memory_mib: Some(262_144.0),
            ..ImportOptions::default()
        };
        let (s, out) = run(ImportFormat::Google2011, &text, &o).unwrap();
        assert_eq!(rows(&out), vec!["0.000,10.000,16384,65536,1-0,1,"]);
        assert!(s.assumptions.iter().any(|a| a.contains("64 vCPUs (given")));
    }

    #[test]
    fn a_malformed_row_names_its_line_and_can_be_skipped() {
        let text = ev(600.0, 1, 0, 0, "0.25", "0.25")
            + "601000000,,1,0,77,x,user,0,2,,,,0\n"
            + &ev(601.0, 1, 0, 1, "", "")
            + "602000000,,1,0\n"
            + &ev(611.0, 1, 0, 4, "", "");
        let e = run(ImportFormat::Google2011, &text, &ImportOptions::default()).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("in.csv: line 2, column `event type`: found `x`"),
            "{m}"
        );
        let o = ImportOptions {
            skip_bad_rows: true,
            ..ImportOptions::default()
        };
        let (s, out) = run(ImportFormat::Google2011, &text, &o).unwrap();
        assert_eq!(s.bad_rows, 2);
        assert_eq!(s.rows_read, 5);
        assert!(s.warnings[1].contains("line 4"), "{:?}", s.warnings);
        assert!(
            s.warnings[1].contains("found 4 fields; expected 13"),
            "{:?}",
            s.warnings
        );
        assert_eq!(rows(&out).len(), 1);
    }
}
