//! Sorting imported tasks by arrival in bounded memory, with the crate's external merge sort
//! ([`crate::util::external_sort`]): tasks are buffered up to a limit, each full buffer is
//! sorted and spilled to an anonymous temporary file as a run, and the runs are merged while the
//! output is written. Memory is bounded by the buffer (plus one task per merged run), not by
//! the length of the trace.

use std::io::Write;

use super::ImportError;
use crate::util::external_sort::{ExternalSort, Record};

/// Tasks kept in memory before a sorted run is spilled (about 100 bytes each).
pub const DEFAULT_BUFFER: usize = 1 << 18;

/// One task of the output trace, in whole milliseconds and ECS units.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Arrival in the source's clock, ms (shifted so the first arrival is 0 when written).
    pub arrival_ms: i64,
    /// Sort tiebreak: the source order in which the importer produced the task.
    pub seq: u64,
    /// Run time, ms, > 0.
    pub duration_ms: u64,
    /// CPU units, > 0.
    pub cpu_units: u32,
    /// Memory, MiB, > 0.
    pub memory_mib: u32,
    /// Ephemeral storage, GiB, where the source gives it.
    pub storage_gib: Option<u32>,
    /// The task's id in the source.
    pub task_id: String,
    /// Its group (job, application, `gpu`).
    pub group: String,
}

/// Collects tasks in any order and writes them sorted by (arrival, seq).
#[derive(Debug)]
pub struct Sorter {
    sort: ExternalSort<Task>,
    min_arrival_ms: Option<i64>,
}

impl Sorter {
    /// A sorter keeping at most `limit` tasks in memory.
    pub fn new(limit: usize) -> Sorter {
        Sorter {
            sort: ExternalSort::new(limit),
            min_arrival_ms: None,
        }
    }

    /// Tasks pushed so far.
    pub fn len(&self) -> u64 {
        self.sort.len()
    }

    /// Whether no task was pushed.
    pub fn is_empty(&self) -> bool {
        self.sort.is_empty()
    }

    /// The earliest arrival pushed so far.
    pub fn min_arrival_ms(&self) -> Option<i64> {
        self.min_arrival_ms
    }

    /// Sorted runs spilled to temporary files so far.
    pub fn runs(&self) -> usize {
        self.sort.spills()
    }

    /// Add a task.
    pub fn push(&mut self, task: Task) -> Result<(), ImportError> {
        self.min_arrival_ms = Some(
            self.min_arrival_ms
                .map_or(task.arrival_ms, |m| m.min(task.arrival_ms)),
        );
        self.sort.push(task).map_err(ImportError::Spill)
    }

    /// Write the header and every task, sorted, with arrivals shifted so the first is 0.
    pub fn finish(self, out: impl Write) -> Result<(), ImportError> {
        let shift = self.min_arrival_ms.unwrap_or(0);
        let mut w = csv::Writer::from_writer(out);
        let werr = |e: csv::Error| ImportError::Write(e.into());
        w.write_record(HEADER).map_err(werr)?;
        for t in self.sort.finish().map_err(ImportError::Spill)? {
            let t = t.map_err(ImportError::Spill)?;
            write_task(&mut w, &t, shift).map_err(werr)?;
        }
        w.flush().map_err(ImportError::Write)?;
        Ok(())
    }
}

/// The columns written (the trace format of docs/traces.md).
pub const HEADER: [&str; 7] = [
    "arrival_s",
    "duration_s",
    "cpu_units",
    "memory_mib",
    "task_id",
    "group",
    "storage_gib",
];

/// Milliseconds as seconds with exactly three decimals.
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

fn write_task<W: Write>(w: &mut csv::Writer<W>, t: &Task, shift: i64) -> csv::Result<()> {
    let arrival = u64::try_from(t.arrival_ms - shift).unwrap_or(0);
    w.write_record([
        seconds(arrival).as_str(),
        seconds(t.duration_ms).as_str(),
        t.cpu_units.to_string().as_str(),
        t.memory_mib.to_string().as_str(),
        t.task_id.as_str(),
        t.group.as_str(),
        t.storage_gib
            .map(|s| s.to_string())
            .unwrap_or_default()
            .as_str(),
    ])
}

fn put_str(s: &str, out: &mut Vec<u8>) {
    out.extend((s.len() as u64).to_le_bytes());
    out.extend(s.as_bytes());
}

/// Reads a spilled task's fields in order.
struct Fields<'a>(&'a [u8]);

impl Fields<'_> {
    fn take<const N: usize>(&mut self) -> std::io::Result<[u8; N]> {
        let cut = || {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "a spilled task is cut short",
            )
        };
        let (head, rest) = self.0.split_first_chunk::<N>().ok_or_else(cut)?;
        self.0 = rest;
        Ok(*head)
    }

    fn u64(&mut self) -> std::io::Result<u64> {
        self.take().map(u64::from_le_bytes)
    }

    fn u32(&mut self) -> std::io::Result<u32> {
        self.take().map(u32::from_le_bytes)
    }

    fn string(&mut self) -> std::io::Result<String> {
        let n = usize::try_from(self.u64()?).unwrap_or(usize::MAX);
        if n > self.0.len() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "a spilled task is cut short",
            ));
        }
        let (s, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8(s.to_vec())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

impl Record for Task {
    type Key = (i64, u64);

    fn key(&self) -> (i64, u64) {
        (self.arrival_ms, self.seq)
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend(self.arrival_ms.to_le_bytes());
        out.extend(self.seq.to_le_bytes());
        out.extend(self.duration_ms.to_le_bytes());
        out.extend(self.cpu_units.to_le_bytes());
        out.extend(self.memory_mib.to_le_bytes());
        out.extend(self.storage_gib.map_or(u64::MAX, u64::from).to_le_bytes());
        put_str(&self.task_id, out);
        put_str(&self.group, out);
    }

    fn decode(bytes: &[u8]) -> std::io::Result<Task> {
        let mut f = Fields(bytes);
        Ok(Task {
            arrival_ms: f.take().map(i64::from_le_bytes)?,
            seq: f.u64()?,
            duration_ms: f.u64()?,
            cpu_units: f.u32()?,
            memory_mib: f.u32()?,
            storage_gib: u32::try_from(f.u64()?).ok(),
            task_id: f.string()?,
            group: f.string()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(arrival_ms: i64, seq: u64) -> Task {
        Task {
            arrival_ms,
            seq,
            duration_ms: 1500,
            cpu_units: 256,
            memory_mib: 512,
            storage_gib: seq.is_multiple_of(2).then_some(30),
            task_id: format!("t{seq}"),
            group: "g,\"x\"".to_string(),
        }
    }

    fn sorted(limit: usize, tasks: &[(i64, u64)]) -> (String, usize) {
        let mut s = Sorter::new(limit);
        for &(a, q) in tasks {
            s.push(task(a, q)).unwrap();
        }
        let runs = s.runs();
        let mut out = Vec::new();
        s.finish(&mut out).unwrap();
        (String::from_utf8(out).unwrap(), runs)
    }

    #[test]
    fn spilled_runs_merge_to_the_same_output_as_memory() {
        let tasks: Vec<(i64, u64)> = (0..50u64)
            .map(|i| (((i * 37) % 11) as i64 * 1000 - 3000, i))
            .collect();
        let (in_memory, r0) = sorted(1000, &tasks);
        let (spilled, r1) = sorted(4, &tasks);
        assert_eq!(r0, 0);
        assert!(r1 >= 12, "{r1} runs");
        assert_eq!(in_memory, spilled);
        let lines: Vec<&str> = in_memory.lines().collect();
        assert_eq!(
            lines[0],
            "arrival_s,duration_s,cpu_units,memory_mib,task_id,group,storage_gib"
        );
        // The earliest arrival (-3 s) becomes 0; ties keep the source order.
        assert_eq!(lines[1], "0.000,1.500,256,512,t0,\"g,\"\"x\"\"\",30");
        assert_eq!(lines[2], "0.000,1.500,256,512,t11,\"g,\"\"x\"\"\",");
        assert_eq!(lines.len(), 51);
    }

    #[test]
    fn an_empty_trace_is_a_header() {
        let (out, _) = sorted(4, &[]);
        assert_eq!(out.lines().count(), 1);
    }
}
