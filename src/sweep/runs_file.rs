//! runs.csv: one row per run and arm: `run, variant, seed`, one column per parameter, then the
//! summary.csv columns. Rows are rendered here; the sweep appends them as runs finish and
//! rewrites the file in run order at the end, through the external sort (so memory does not
//! grow with the runs), writing sweep.csv in the same pass. Reading it back (for `--resume`)
//! keeps the runs that have a row for every arm, and drops a torn last line.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::report::{AtomicFile, OutputError, SummaryRow};
use crate::sweep::aggregate::Aggregator;
pub use crate::sweep::aggregate::FinishedRuns;
pub use crate::sweep::layout::Layout;
use crate::sweep::{SweepError, SweepPlan};
use crate::util::BitSet;
use crate::util::external_sort::{ExternalSort, Record, Sorted};

/// runs.csv rows the external sort keeps in memory before it spills a sorted run to a
/// temporary file (a row takes about 0.5 KB in memory).
pub const ROWS_IN_MEMORY: usize = 4096;

/// The header: run, variant, seed, the parameters, the summary columns.
pub fn header(plan: &SweepPlan) -> Vec<String> {
    Layout::of(plan).header()
}

/// Where the summary columns start in a row.
pub fn summary_offset(plan: &SweepPlan) -> usize {
    3 + plan.spec.parameters.len()
}

/// CSV bytes of `rows` (with the header first when `with_header`).
pub fn render<'a>(
    plan: &SweepPlan,
    with_header: bool,
    rows: impl IntoIterator<Item = &'a Vec<String>>,
) -> Vec<u8> {
    render_rows(with_header.then(|| header(plan)), rows)
}

/// CSV bytes of `rows`, after `header` if given.
pub fn render_rows<'a>(
    header: Option<Vec<String>>,
    rows: impl IntoIterator<Item = &'a Vec<String>>,
) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if let Some(h) = header {
        let _ = w.write_record(h);
    }
    for r in rows {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// One runs.csv row on its way through the external sort, ordered by (run, arm).
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// Run index.
    pub run: u64,
    /// The arm's position in the scenario.
    pub arm: u32,
    /// Where the row was read (a shard folder's index in `sim merge`; 0 otherwise).
    pub source: u32,
    /// The row's cells.
    pub record: csv::ByteRecord,
}

impl Record for RunRow {
    type Key = (u64, u32);

    fn key(&self) -> (u64, u32) {
        (self.run, self.arm)
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend(self.run.to_le_bytes());
        out.extend(self.arm.to_le_bytes());
        out.extend(self.source.to_le_bytes());
        for field in &self.record {
            out.extend((field.len() as u64).to_le_bytes());
            out.extend(field);
        }
    }

    fn decode(bytes: &[u8]) -> io::Result<RunRow> {
        let cut = || io::Error::new(io::ErrorKind::InvalidData, "a spilled row is cut short");
        let (run, rest) = bytes.split_first_chunk::<8>().ok_or_else(cut)?;
        let (arm, rest) = rest.split_first_chunk::<4>().ok_or_else(cut)?;
        let (source, mut rest) = rest.split_first_chunk::<4>().ok_or_else(cut)?;
        let mut record = csv::ByteRecord::new();
        while let Some((len, tail)) = rest.split_first_chunk::<8>() {
            let len = usize::try_from(u64::from_le_bytes(*len)).unwrap_or(usize::MAX);
            if len > tail.len() {
                return Err(cut());
            }
            let (field, tail) = tail.split_at(len);
            record.push_field(field);
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(cut());
        }
        Ok(RunRow {
            run: u64::from_le_bytes(*run),
            arm: u32::from_le_bytes(*arm),
            source: u32::from_le_bytes(*source),
            record,
        })
    }
}

/// How the arm runs of a sweep ended (runs.csv `outcome`), so the CLI can say when some did
/// less work than the workload asks: their costs are not compared in sweep.csv.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArmEnds {
    /// Rows (one per run and arm).
    pub arm_runs: u64,
    /// Rows whose arm ended `incomplete`.
    pub incomplete: u64,
    /// Rows whose arm ended `saturated`.
    pub saturated: u64,
}

impl ArmEnds {
    fn count(&mut self, outcome: Option<&[u8]>) {
        self.arm_runs += 1;
        match outcome {
            Some(b"incomplete") => self.incomplete += 1,
            Some(b"saturated") => self.saturated += 1,
            _ => {}
        }
    }
}

/// Write `rows` (sorted by run and arm) as runs.csv at `runs_path`, the header of `layout`
/// first, and, when `sweep_path` is given, sweep.csv from the same rows in the same pass; both
/// are published atomically once every row is written. `check` sees each row first and may
/// refuse it (nothing is published then). Returns how the arm runs ended.
pub fn write_run_order(
    layout: &Layout,
    rows: Sorted<RunRow>,
    runs_path: &Path,
    sweep_path: Option<&Path>,
    mut check: impl FnMut(&RunRow) -> Result<(), SweepError>,
) -> Result<ArmEnds, SweepError> {
    let at = |path: &Path| {
        let path = path.to_path_buf();
        move |e: csv::Error| OutputError {
            path: path.clone(),
            error: e.into(),
        }
    };
    let mut runs = csv::Writer::from_writer(AtomicFile::create(runs_path)?);
    runs.write_record(layout.header()).map_err(at(runs_path))?;
    let mut sweep = match sweep_path {
        Some(p) => Some((
            p,
            Aggregator::new(layout, AtomicFile::create(p)?).map_err(at(p))?,
        )),
        None => None,
    };
    let outcome = SummaryRow::position("outcome").map(|c| layout.summary_offset() + c);
    let mut ends = ArmEnds::default();
    for row in rows {
        let row = row.map_err(|source| OutputError {
            path: runs_path.to_path_buf(),
            error: source,
        })?;
        check(&row)?;
        ends.count(outcome.and_then(|c| row.record.get(c)));
        runs.write_byte_record(&row.record).map_err(at(runs_path))?;
        if let Some((p, a)) = &mut sweep {
            a.push(row.run, row.arm as usize, &row.record)
                .map_err(at(p))?;
        }
    }
    let runs = runs
        .into_inner()
        .map_err(|e| at(runs_path)(e.into_error().into()))?;
    let sweep = match sweep {
        Some((p, a)) => Some(a.finish().map_err(at(p))?),
        None => None,
    };
    runs.commit()?;
    if let Some(s) = sweep {
        s.commit()?;
    }
    Ok(ends)
}

/// Rewrite the runs.csv at `path` (written by this sweep, whole runs only, in the order they
/// finished) in run order, keeping at most `buffer` rows in memory, and write sweep.csv at
/// `sweep_path` in the same pass when given. Returns how the arm runs ended.
pub fn sort_in_place(
    plan: &SweepPlan,
    path: &Path,
    sweep_path: Option<&Path>,
    buffer: usize,
) -> Result<ArmEnds, SweepError> {
    let layout = Layout::of(plan);
    let off = layout.summary_offset();
    let io_err = |source: io::Error| OutputError {
        path: path.to_path_buf(),
        error: source,
    };
    let bad = |what: String| io_err(io::Error::new(io::ErrorKind::InvalidData, what));
    let mut r = csv::Reader::from_path(path).map_err(|e| io_err(e.into()))?;
    let mut sort = ExternalSort::new(buffer);
    for (line, rec) in r.byte_records().enumerate() {
        let record = rec.map_err(|e| io_err(e.into()))?;
        let cell = |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or_default());
        let run = cell(0).parse::<u64>().map_err(|_| {
            bad(format!(
                "row {}: `{}` is not a run index",
                line + 2,
                cell(0)
            ))
        })?;
        let arm = layout
            .arms
            .iter()
            .position(|(name, _)| *name == cell(off))
            .ok_or_else(|| bad(format!("row {}: no arm `{}`", line + 2, cell(off))))?;
        sort.push(RunRow {
            run,
            arm: arm as u32,
            source: 0,
            record,
        })
        .map_err(io_err)?;
    }
    let sorted = sort.finish().map_err(io_err)?;
    write_run_order(&layout, sorted, path, sweep_path, |_| Ok(()))
}

/// The finished runs recorded in runs.csv at `path` (for `--resume`): those with a row for every
/// arm, in arm order, and no other row. A row that is cut short (a torn last line) ends the
/// reading. The error says what does not fit this sweep. Reads the file as a stream; holds one
/// bit per run of the grid (and the runs seen with only some of their arms).
pub fn finished_runs(path: &Path, plan: &SweepPlan) -> Result<BitSet, String> {
    let arms = plan.arms.len();
    let mut closed = BitSet::new(plan.runs);
    let mut spoiled = BitSet::new(plan.runs);
    let mut open: BTreeMap<u64, usize> = BTreeMap::new();
    read_whole_rows(path, plan, |run, arm, _| {
        if spoiled.contains(run) {
            return Ok(());
        }
        let seen = open
            .remove(&run)
            .unwrap_or(if closed.contains(run) { arms } else { 0 });
        if arm == Some(seen) {
            if seen + 1 == arms {
                closed.insert(run);
            } else {
                open.insert(run, seen + 1);
            }
        } else {
            // A row too many, or out of arm order: the run is done again.
            closed.remove(run);
            spoiled.insert(run);
        }
        Ok(())
    })?;
    Ok(closed)
}

/// Rewrite runs.csv at `path` keeping only the rows of the runs in `keep` (in file order, the
/// header first), streaming, atomically: the start of a resumed sweep.
pub fn keep_runs(path: &Path, plan: &SweepPlan, keep: &BitSet) -> Result<(), SweepError> {
    let mut w = csv::Writer::from_writer(AtomicFile::create(path)?);
    let err = |e: csv::Error| OutputError {
        path: path.to_path_buf(),
        error: e.into(),
    };
    w.write_record(header(plan)).map_err(err)?;
    let mut failed = None;
    read_whole_rows(path, plan, |run, _, rec| {
        if keep.contains(run)
            && failed.is_none()
            && let Err(e) = w.write_record(rec)
        {
            failed = Some(e);
        }
        Ok(())
    })
    .map_err(|message| SweepError::Resume {
        dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        message,
    })?;
    if let Some(e) = failed {
        return Err(err(e).into());
    }
    w.into_inner()
        .map_err(|e| err(e.into_error().into()))?
        .commit()?;
    Ok(())
}

/// Every whole row of runs.csv at `path` as `--resume` reads it: `each(run, arm, row)` with the
/// arm's position (`None` for a name that is not this sweep's arm). Only whole lines count (a
/// write cut inside the last field still has every field, so a last line without its newline is
/// dropped); the first row that cannot be read or has too few or many cells ends the reading. A
/// header or a row that does not fit this sweep is an error.
fn read_whole_rows(
    path: &Path,
    plan: &SweepPlan,
    mut each: impl FnMut(u64, Option<usize>, &csv::StringRecord) -> Result<(), String>,
) -> Result<(), String> {
    let cannot = |e: &dyn std::fmt::Display| format!("cannot read `{}`: {e}", path.display());
    let mut file = File::open(path).map_err(|e| cannot(&e))?;
    let whole = whole_lines_len(&mut file).map_err(|e| cannot(&e))?;
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 16, file.take(whole)));
    let expected = header(plan);
    let found: Vec<String> = r
        .headers()
        .map_err(|e| cannot(&e))?
        .iter()
        .map(String::from)
        .collect();
    if found != expected {
        return Err(format!(
            "`{}` has the columns {}; this sweep writes {}",
            path.display(),
            found.join(","),
            expected.join(",")
        ));
    }
    let off = summary_offset(plan);
    let mut rec = csv::StringRecord::new();
    let mut variant_cells: Option<(usize, Vec<String>)> = None;
    // A row that cannot be read (cut short) ends the reading, like the end of the file.
    while let Ok(true) = r.read_record(&mut rec) {
        if rec.len() != expected.len() {
            break;
        }
        let Ok(run) = rec[0].parse::<u64>() else {
            return Err(format!(
                "`{}`: run `{}` is not a run index",
                path.display(),
                &rec[0]
            ));
        };
        if run >= plan.runs {
            return Err(format!(
                "`{}`: run {run} is outside this sweep's {} runs",
                path.display(),
                plan.runs
            ));
        }
        let (v, _) = plan.split(run);
        if variant_cells.as_ref().is_none_or(|(cv, _)| *cv != v) {
            variant_cells = Some((v, plan.value_cells(v)));
        }
        let cells = variant_cells
            .as_ref()
            .map_or(&[][..], |(_, c)| c.as_slice());
        if rec[1] != v.to_string()
            || !rec
                .iter()
                .skip(3)
                .take(off - 3)
                .eq(cells.iter().map(String::as_str))
        {
            return Err(format!(
                "`{}`: run {run} has other parameter values than this sweep's variant {v}",
                path.display()
            ));
        }
        let arm = plan.arms.iter().position(|(name, _)| name == &rec[off]);
        each(run, arm, &rec)?;
    }
    Ok(())
}

/// The length of `file` up to and including its last newline (0 without one); leaves the file
/// at its start.
fn whole_lines_len(file: &mut File) -> io::Result<u64> {
    let len = file.seek(SeekFrom::End(0))?;
    let mut end = len;
    let mut chunk = vec![0u8; 1 << 16];
    let found = loop {
        if end == 0 {
            break 0;
        }
        let start = end.saturating_sub(chunk.len() as u64);
        let n = (end - start) as usize;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut chunk[..n])?;
        if let Some(i) = chunk[..n].iter().rposition(|&b| b == b'\n') {
            break start + i as u64 + 1;
        }
        end = start;
    };
    file.seek(SeekFrom::Start(0))?;
    Ok(found)
}
