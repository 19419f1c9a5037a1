//! Sorting more records than memory holds: an external merge sort. Records are buffered up to a
//! limit; each full buffer is sorted and spilled to an anonymous temporary file as a sorted run;
//! the runs are merged (k-way, with a binary heap) while the sorted records are read back.
//! Memory is bounded by the buffer plus one record and one read buffer per merged run, never by
//! the number of records: at most [`FAN_IN`] runs are merged at once (more are first merged, the
//! newest `FAN_IN` at a time, into one longer run).
//!
//! Order: by [`Record::key`]; records with equal keys come out in the order they were pushed.
//! Used by `sim trace import` (tasks by arrival) and by sweeps (runs.csv rows by run).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Most sorted runs merged at once (each holds a read buffer and one record).
pub const FAN_IN: usize = 64;

/// Bytes of each sorted run's read and write buffer.
const IO_BUFFER: usize = 1 << 15;

/// A record the external sort can order and spill to a file.
pub trait Record: Sized {
    /// What records are ordered by.
    type Key: Ord;

    /// This record's key.
    fn key(&self) -> Self::Key;

    /// Append this record's bytes to `out` (the sort frames them; any encoding that
    /// [`Record::decode`] reads back whole will do).
    fn encode(&self, out: &mut Vec<u8>);

    /// The record whose [`Record::encode`] wrote `bytes`.
    fn decode(bytes: &[u8]) -> io::Result<Self>;
}

/// Collects records in any order and gives them back sorted, in bounded memory.
#[derive(Debug)]
pub struct ExternalSort<T> {
    buffer: Vec<T>,
    limit: usize,
    /// Sorted runs on disk, oldest first (their records were pushed before the next run's).
    runs: Vec<File>,
    spilled: usize,
    len: u64,
}

impl<T: Record> ExternalSort<T> {
    /// A sort keeping at most `limit` records in memory (at least 1).
    pub fn new(limit: usize) -> ExternalSort<T> {
        ExternalSort {
            buffer: Vec::new(),
            limit: limit.max(1),
            runs: Vec::new(),
            spilled: 0,
            len: 0,
        }
    }

    /// Records pushed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether no record was pushed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Sorted runs spilled to temporary files so far (a full buffer each).
    pub fn spills(&self) -> usize {
        self.spilled
    }

    /// Add a record; spills the buffer to a temporary file when it is full.
    pub fn push(&mut self, record: T) -> io::Result<()> {
        self.len += 1;
        self.buffer.push(record);
        if self.buffer.len() >= self.limit {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        // Stable: equal keys keep their push order.
        self.buffer.sort_by_key(Record::key);
        let mut w = RunWriter::new()?;
        for r in self.buffer.drain(..) {
            w.write(&r)?;
        }
        self.runs.push(w.finish()?);
        self.spilled += 1;
        if self.runs.len() >= FAN_IN {
            self.merge_tail()?;
        }
        Ok(())
    }

    /// Merge the newest [`FAN_IN`] runs into one (they are consecutive, so the push order of
    /// equal keys is kept).
    fn merge_tail(&mut self) -> io::Result<()> {
        let tail = self.runs.split_off(self.runs.len().saturating_sub(FAN_IN));
        let mut merge = Merge::<T>::new(tail)?;
        let mut w = RunWriter::new()?;
        while let Some(r) = merge.next_record()? {
            w.write(&r)?;
        }
        self.runs.push(w.finish()?);
        Ok(())
    }

    /// Every record pushed, sorted (an iterator of `io::Result`: reading a spilled run can fail).
    pub fn finish(mut self) -> io::Result<Sorted<T>> {
        if self.runs.is_empty() {
            self.buffer.sort_by_key(Record::key);
            return Ok(Sorted(Inner::Memory(self.buffer.into_iter())));
        }
        if !self.buffer.is_empty() {
            self.spill()?;
        }
        while self.runs.len() > FAN_IN {
            self.merge_tail()?;
        }
        Ok(Sorted(Inner::Merge(Merge::new(self.runs)?)))
    }
}

/// The sorted records of an [`ExternalSort`].
pub struct Sorted<T: Record>(Inner<T>);

impl<T: Record> std::fmt::Debug for Sorted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match &self.0 {
            Inner::Memory(_) => "Sorted(in memory)",
            Inner::Merge(_) => "Sorted(merging spilled runs)",
        })
    }
}

enum Inner<T: Record> {
    Memory(std::vec::IntoIter<T>),
    Merge(Merge<T>),
}

impl<T: Record> Iterator for Sorted<T> {
    type Item = io::Result<T>;

    fn next(&mut self) -> Option<io::Result<T>> {
        match &mut self.0 {
            Inner::Memory(it) => it.next().map(Ok),
            Inner::Merge(m) => m.next_record().transpose(),
        }
    }
}

/// Writes one sorted run to an anonymous temporary file: each record as its length (u64, little
/// endian) and its bytes.
struct RunWriter {
    w: BufWriter<File>,
    bytes: Vec<u8>,
}

impl RunWriter {
    fn new() -> io::Result<RunWriter> {
        Ok(RunWriter {
            w: BufWriter::with_capacity(IO_BUFFER, tempfile::tempfile()?),
            bytes: Vec::new(),
        })
    }

    fn write<T: Record>(&mut self, r: &T) -> io::Result<()> {
        self.bytes.clear();
        r.encode(&mut self.bytes);
        self.w.write_all(&(self.bytes.len() as u64).to_le_bytes())?;
        self.w.write_all(&self.bytes)
    }

    /// The run's file, rewound.
    fn finish(self) -> io::Result<File> {
        let mut file = self
            .w
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }
}

/// The next record of a run, `None` at its end.
fn read_record<T: Record>(r: &mut impl Read, bytes: &mut Vec<u8>) -> io::Result<Option<T>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from_le_bytes(len);
    bytes.clear();
    r.take(len).read_to_end(bytes)?;
    if bytes.len() as u64 != len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "a spilled record is cut short",
        ));
    }
    T::decode(bytes).map(Some)
}

/// A k-way merge of sorted runs: the heap holds each run's next key; ties go to the older run.
struct Merge<T: Record> {
    readers: Vec<BufReader<File>>,
    heads: Vec<Option<T>>,
    heap: BinaryHeap<Reverse<(T::Key, usize)>>,
    bytes: Vec<u8>,
}

impl<T: Record> Merge<T> {
    fn new(files: Vec<File>) -> io::Result<Merge<T>> {
        let mut m = Merge {
            readers: files
                .into_iter()
                .map(|f| BufReader::with_capacity(IO_BUFFER, f))
                .collect(),
            heads: Vec::new(),
            heap: BinaryHeap::new(),
            bytes: Vec::new(),
        };
        for i in 0..m.readers.len() {
            let head = read_record::<T>(&mut m.readers[i], &mut m.bytes)?;
            if let Some(h) = &head {
                m.heap.push(Reverse((h.key(), i)));
            }
            m.heads.push(head);
        }
        Ok(m)
    }

    fn next_record(&mut self) -> io::Result<Option<T>> {
        let Some(Reverse((_, i))) = self.heap.pop() else {
            return Ok(None);
        };
        let next = read_record::<T>(&mut self.readers[i], &mut self.bytes)?;
        if let Some(n) = &next {
            self.heap.push(Reverse((n.key(), i)));
        }
        Ok(std::mem::replace(&mut self.heads[i], next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key and the order it was pushed in.
    #[derive(Debug, Clone, PartialEq)]
    struct Item {
        key: u32,
        pushed: u32,
        text: String,
    }

    impl Record for Item {
        type Key = u32;
        fn key(&self) -> u32 {
            self.key
        }
        fn encode(&self, out: &mut Vec<u8>) {
            out.extend(self.key.to_le_bytes());
            out.extend(self.pushed.to_le_bytes());
            out.extend(self.text.as_bytes());
        }
        fn decode(bytes: &[u8]) -> io::Result<Item> {
            let u = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
            Ok(Item {
                key: u(0),
                pushed: u(4),
                text: String::from_utf8(bytes[8..].to_vec()).unwrap(),
            })
        }
    }

    fn sort(limit: usize, keys: impl IntoIterator<Item = u32>) -> (Vec<Item>, usize) {
        let mut s = ExternalSort::new(limit);
        for (i, key) in keys.into_iter().enumerate() {
            let pushed = i as u32;
            s.push(Item {
                key,
                pushed,
                text: "x".repeat(i % 7),
            })
            .unwrap();
        }
        let spills = s.spills();
        (s.finish().unwrap().map(Result::unwrap).collect(), spills)
    }

    #[test]
    fn many_spills_merge_to_the_in_memory_order_with_ties_in_push_order() {
        // 5,000 records with 13 distinct keys, spilled 3 at a time: 1,666 runs, so the newest
        // 64 are merged into one again and again, and still every tie keeps its push order.
        let keys: Vec<u32> = (0..5_000u32).map(|i| (i * 7919) % 13).collect();
        let (memory, none) = sort(100_000, keys.clone());
        let (spilled, spills) = sort(3, keys.clone());
        assert_eq!(none, 0);
        assert_eq!(spills, 1_666);
        assert_eq!(memory.len(), 5_000);
        assert_eq!(memory, spilled);
        for w in spilled.windows(2) {
            assert!(
                (w[0].key, w[0].pushed) < (w[1].key, w[1].pushed),
                "{:?} then {:?}",
                w[0],
                w[1]
            );
        }
        assert_eq!(spilled[0].text, "x".repeat(spilled[0].pushed as usize % 7));
    }

    #[test]
    fn an_exact_multiple_of_the_buffer_and_an_empty_input() {
        let (out, spills) = sort(4, [3, 1, 2, 0, 7, 5, 6, 4]);
        assert_eq!(spills, 2);
        assert_eq!(
            out.iter().map(|i| i.key).collect::<Vec<_>>(),
            (0..8).collect::<Vec<_>>()
        );
        let (out, spills) = sort(4, []);
        assert!(out.is_empty());
        assert_eq!(spills, 0);
        let s = ExternalSort::<Item>::new(0);
        assert!(s.is_empty());
        assert_eq!(s.finish().unwrap().count(), 0);
    }
}
