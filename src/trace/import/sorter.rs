//! Sorting imported tasks by arrival in bounded memory: an external merge sort. Tasks are
//! buffered up to a limit, each full buffer is sorted and spilled to an anonymous temporary
//! file as a run, and the runs are merged while the output is written. Memory is bounded by
//! the buffer (plus one task per run), not by the length of the trace.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use super::ImportError;

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

impl Task {
    fn key(&self) -> (i64, u64) {
        (self.arrival_ms, self.seq)
    }
}

/// Collects tasks in any order and writes them sorted by (arrival, seq).
#[derive(Debug)]
pub struct Sorter {
    buffer: Vec<Task>,
    limit: usize,
    runs: Vec<File>,
    min_arrival_ms: Option<i64>,
    len: u64,
}

impl Sorter {
    /// A sorter keeping at most `limit` tasks in memory.
    pub fn new(limit: usize) -> Sorter {
        Sorter {
            buffer: Vec::new(),
            limit: limit.max(1),
            runs: Vec::new(),
            min_arrival_ms: None,
            len: 0,
        }
    }

    /// Tasks pushed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether no task was pushed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The earliest arrival pushed so far.
    pub fn min_arrival_ms(&self) -> Option<i64> {
        self.min_arrival_ms
    }

    /// Sorted runs spilled to temporary files so far.
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Add a task.
    pub fn push(&mut self, task: Task) -> Result<(), ImportError> {
        self.min_arrival_ms = Some(
            self.min_arrival_ms
                .map_or(task.arrival_ms, |m| m.min(task.arrival_ms)),
        );
        self.len += 1;
        self.buffer.push(task);
        if self.buffer.len() >= self.limit {
            self.spill().map_err(ImportError::Spill)?;
        }
        Ok(())
    }

    fn spill(&mut self) -> std::io::Result<()> {
        self.buffer.sort_unstable_by_key(Task::key);
        let mut file = tempfile::tempfile()?;
        {
            let mut w = BufWriter::with_capacity(1 << 16, &mut file);
            for t in self.buffer.drain(..) {
                encode(&t, &mut w)?;
            }
            w.flush()?;
        }
        file.seek(SeekFrom::Start(0))?;
        self.runs.push(file);
        Ok(())
    }

    /// Write the header and every task, sorted, with arrivals shifted so the first is 0.
    pub fn finish(mut self, out: impl Write) -> Result<(), ImportError> {
        let shift = self.min_arrival_ms.unwrap_or(0);
        let mut w = csv::Writer::from_writer(out);
        let werr = |e: csv::Error| ImportError::Write(e.into());
        w.write_record(HEADER).map_err(werr)?;
        if self.runs.is_empty() {
            self.buffer.sort_unstable_by_key(Task::key);
            for t in &self.buffer {
                write_task(&mut w, t, shift).map_err(werr)?;
            }
        } else {
            if !self.buffer.is_empty() {
                self.spill().map_err(ImportError::Spill)?;
            }
            let mut readers: Vec<BufReader<File>> = self
                .runs
                .drain(..)
                .map(|f| BufReader::with_capacity(1 << 16, f))
                .collect();
            let mut heads: Vec<Option<Task>> = Vec::with_capacity(readers.len());
            let mut heap = BinaryHeap::new();
            for (i, r) in readers.iter_mut().enumerate() {
                let t = decode(r).map_err(ImportError::Spill)?;
                if let Some(t) = &t {
                    heap.push(Reverse((t.key(), i)));
                }
                heads.push(t);
            }
            while let Some(Reverse((_, i))) = heap.pop() {
                let Some(t) = heads[i].take() else { continue };
                write_task(&mut w, &t, shift).map_err(werr)?;
                let next = decode(&mut readers[i]).map_err(ImportError::Spill)?;
                if let Some(n) = &next {
                    heap.push(Reverse((n.key(), i)));
                }
                heads[i] = next;
            }
        }
        w.flush().map_err(ImportError::Write)?;
        Ok(())
    }
}

/// The columns written (DESIGN.md §4).
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

fn put_str(s: &str, w: &mut impl Write) -> std::io::Result<()> {
    w.write_all(&(s.len() as u64).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn encode(t: &Task, w: &mut impl Write) -> std::io::Result<()> {
    w.write_all(&t.arrival_ms.to_le_bytes())?;
    w.write_all(&t.seq.to_le_bytes())?;
    w.write_all(&t.duration_ms.to_le_bytes())?;
    w.write_all(&t.cpu_units.to_le_bytes())?;
    w.write_all(&t.memory_mib.to_le_bytes())?;
    w.write_all(&t.storage_gib.map_or(u64::MAX, u64::from).to_le_bytes())?;
    put_str(&t.task_id, w)?;
    put_str(&t.group, w)
}

fn u64_of(r: &mut impl Read) -> std::io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn u32_of(r: &mut impl Read) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn string_of(r: &mut impl Read) -> std::io::Result<String> {
    let n = u64_of(r)?;
    let mut s = Vec::new();
    r.take(n).read_to_end(&mut s)?;
    String::from_utf8(s).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// The next task of a run, `None` at its end.
fn decode(r: &mut impl Read) -> std::io::Result<Option<Task>> {
    let mut b = [0u8; 8];
    match r.read_exact(&mut b) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let arrival_ms = i64::from_le_bytes(b);
    let seq = u64_of(r)?;
    let duration_ms = u64_of(r)?;
    let cpu_units = u32_of(r)?;
    let memory_mib = u32_of(r)?;
    let storage = u64_of(r)?;
    Ok(Some(Task {
        arrival_ms,
        seq,
        duration_ms,
        cpu_units,
        memory_mib,
        storage_gib: u32::try_from(storage).ok(),
        task_id: string_of(r)?,
        group: string_of(r)?,
    }))
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
