//! `sim trace import`: converting public cluster traces to the trace format of docs/traces.md.
//!
//! Each format has its own file with one function that reads the source row by row and hands
//! tasks to a [`Collector`]; the collector converts units, counts what is dropped and why, and
//! sorts by arrival through the bounded-memory [`sorter`]. Input is plain or gzip CSV (told
//! apart by the gzip magic bytes, not the file name), read as a stream. The schemas, units and
//! every normalisation assumption are in `docs/traces.md`.

mod alibaba_2017_batch;
mod alibaba_2018_batch;
mod alibaba_2018_container;
mod alibaba_gpu_2023;
mod alibaba_gpu_2025;
pub mod error;
mod google_2011;
mod input;
pub mod sorter;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use error::{ImportError, RowError};
use sorter::{Sorter, Task};

use crate::time::MAX_DURATION_MS;

/// A public trace format that `sim trace import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ImportFormat {
    /// Google cluster-data 2011 (clusterdata-2011-2) `task_events`.
    Google2011,
    /// Alibaba cluster-trace-v2017 `batch_task`.
    Alibaba2017Batch,
    /// Alibaba cluster-trace-v2018 `container_meta`.
    Alibaba2018Container,
    /// Alibaba cluster-trace-v2018 `batch_task`.
    Alibaba2018Batch,
    /// Alibaba cluster-trace-gpu-v2023 `openb_pod_list_*`.
    AlibabaGpu2023,
    /// Alibaba cluster-trace-gpu-v2025 `disaggregated_DLRM_trace`.
    AlibabaGpu2025,
}

impl ImportFormat {
    /// Every format, in the order the message for an unknown `--format` lists them.
    pub const ALL: [ImportFormat; 6] = [
        ImportFormat::Google2011,
        ImportFormat::Alibaba2017Batch,
        ImportFormat::Alibaba2018Container,
        ImportFormat::Alibaba2018Batch,
        ImportFormat::AlibabaGpu2023,
        ImportFormat::AlibabaGpu2025,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Google2011 => "google-2011",
            ImportFormat::Alibaba2017Batch => "alibaba-2017-batch",
            ImportFormat::Alibaba2018Container => "alibaba-2018-container",
            ImportFormat::Alibaba2018Batch => "alibaba-2018-batch",
            ImportFormat::AlibabaGpu2023 => "alibaba-gpu-2023",
            ImportFormat::AlibabaGpu2025 => "alibaba-gpu-2025",
        }
    }

    /// All names, comma-separated, for error messages.
    pub fn names() -> String {
        ImportFormat::ALL.map(ImportFormat::name).join(", ")
    }

    /// The default scale of normalised requests: (vCPUs, MiB) of the largest machine, where the
    /// format needs it (`None`: the format's requests are absolute).
    pub fn default_machine(self) -> (Option<f64>, Option<f64>) {
        match self {
            ImportFormat::Google2011 => (Some(32.0), Some(131_072.0)),
            ImportFormat::Alibaba2017Batch => (None, Some(262_144.0)),
            ImportFormat::Alibaba2018Container | ImportFormat::Alibaba2018Batch => {
                (None, Some(393_216.0))
            }
            ImportFormat::AlibabaGpu2023 | ImportFormat::AlibabaGpu2025 => (None, None),
        }
    }
}

impl fmt::Display for ImportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ImportFormat {
    type Err = ImportError;

    fn from_str(s: &str) -> Result<ImportFormat, ImportError> {
        ImportFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| ImportError::UnknownFormat {
                found: s.to_string(),
            })
    }
}

/// How to import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOptions {
    /// vCPUs of the largest machine, for formats with normalised CPU (Google 2011).
    pub machine_cpu: Option<f64>,
    /// MiB of the largest machine, for formats with normalised memory.
    pub machine_memory_mib: Option<f64>,
    /// Count malformed rows as warnings and go on, instead of stopping at the first.
    pub skip_bad_rows: bool,
    /// Drop tasks that need a GPU.
    pub cpu_only: bool,
    /// At most this many tasks per source row of the batch formats (`instance_num`); the
    /// instances above it are dropped and counted. `None`: all.
    pub max_instances: Option<u64>,
}

/// What an import kept, dropped and assumed.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSummary {
    /// The source format.
    pub format: ImportFormat,
    /// Data rows read (header not counted).
    pub rows_read: u64,
    /// Tasks written to the output trace.
    pub tasks_written: u64,
    /// Tasks (or rows that would have made tasks) left out, by reason.
    pub dropped: BTreeMap<String, u64>,
    /// Tasks kept but changed, by what was done (e.g. censored at the end of the trace).
    pub adjusted: BTreeMap<String, u64>,
    /// Malformed rows skipped under `--skip-bad-rows`.
    pub bad_rows: u64,
    /// The first messages of the skipped rows (at most [`MAX_WARNINGS`]).
    pub warnings: Vec<String>,
    /// The assumptions used, e.g. the machine scale of normalised requests.
    pub assumptions: Vec<String>,
    /// The span of arrivals written, seconds.
    pub arrival_span_s: f64,
    /// Sorted runs spilled to temporary files (0: the trace was sorted in memory).
    pub sort_runs: usize,
}

/// How many skipped-row messages a summary keeps.
pub const MAX_WARNINGS: usize = 10;

/// Import `input` (plain or gzip) in `format`, writing the sorted trace to `out`.
pub fn import(
    format: ImportFormat,
    input: &Path,
    options: &ImportOptions,
    out: impl Write,
) -> Result<ImportSummary, ImportError> {
    import_with_buffer(format, input, options, out, sorter::DEFAULT_BUFFER)
}

/// [`import`] keeping at most `buffer` tasks in memory before spilling a sorted run.
pub fn import_with_buffer(
    format: ImportFormat,
    input: &Path,
    options: &ImportOptions,
    out: impl Write,
    buffer: usize,
) -> Result<ImportSummary, ImportError> {
    let records = input::Records::open(input)?;
    import_records(format, input, records, options, out, buffer)
}

/// [`import_with_buffer`] from any byte stream (plain or gzip, told apart by its first bytes)
/// instead of a file; `name` names the input in errors. For callers that hold the trace in
/// memory (tests, fuzzing).
pub fn import_from_reader(
    format: ImportFormat,
    name: &Path,
    input: Box<dyn std::io::BufRead>,
    options: &ImportOptions,
    out: impl Write,
    buffer: usize,
) -> Result<ImportSummary, ImportError> {
    let records =
        input::Records::from_buf_read(name, input).map_err(|error| ImportError::Open {
            path: name.to_path_buf(),
            error,
        })?;
    import_records(format, name, records, options, out, buffer)
}

/// Run `format`'s importer over `records` (read from `input`).
fn import_records(
    format: ImportFormat,
    input: &Path,
    records: input::Records,
    options: &ImportOptions,
    out: impl Write,
    buffer: usize,
) -> Result<ImportSummary, ImportError> {
    let scale = Scale::resolve(format, options)?;
    let mut c = Collector::new(format, input, options, scale, buffer);
    match format {
        ImportFormat::Google2011 => google_2011::import(records, &mut c)?,
        ImportFormat::Alibaba2017Batch => alibaba_2017_batch::import(records, &mut c)?,
        ImportFormat::Alibaba2018Container => alibaba_2018_container::import(records, &mut c)?,
        ImportFormat::Alibaba2018Batch => alibaba_2018_batch::import(records, &mut c)?,
        ImportFormat::AlibabaGpu2023 => alibaba_gpu_2023::import(records, &mut c)?,
        ImportFormat::AlibabaGpu2025 => alibaba_gpu_2025::import(records, &mut c)?,
    }
    c.finish(out)
}

/// The machine scale of normalised requests, resolved from the options and the defaults.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// vCPUs of the largest machine.
    pub machine_cpu: f64,
    /// MiB of the largest machine.
    pub machine_memory_mib: f64,
}

impl Scale {
    fn resolve(format: ImportFormat, o: &ImportOptions) -> Result<Scale, ImportError> {
        let check = |flag: &'static str, v: Option<f64>| match v {
            Some(x) if !(x.is_finite() && x > 0.0 && x <= 1e9) => Err(ImportError::BadOption {
                flag,
                found: x.to_string(),
                expected: "a number > 0 and at most 1e9",
            }),
            _ => Ok(v),
        };
        let cpu = check("--machine-cpu", o.machine_cpu)?;
        let mem = check("--machine-memory-mib", o.machine_memory_mib)?;
        let (dc, dm) = format.default_machine();
        Ok(Scale {
            machine_cpu: cpu.or(dc).unwrap_or(1.0),
            machine_memory_mib: mem.or(dm).unwrap_or(1.0),
        })
    }
}

/// A task as a format reads it, before units are rounded and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceTask {
    /// Arrival in the source's clock, ms.
    pub arrival_ms: i64,
    /// Run time, ms (a task with 0 or less is dropped and counted).
    pub duration_ms: i64,
    /// CPU units (fractional: rounded up).
    pub cpu_units: f64,
    /// MiB (fractional: rounded up).
    pub memory_mib: f64,
    /// Ephemeral storage, GiB.
    pub storage_gib: Option<f64>,
    /// Id in the source.
    pub task_id: String,
    /// Group.
    pub group: String,
}

/// Receives a format's tasks: converts, counts, sorts.
#[derive(Debug)]
pub struct Collector {
    path: PathBuf,
    options: ImportOptions,
    /// The resolved machine scale.
    pub scale: Scale,
    sorter: Sorter,
    summary: ImportSummary,
    seq: u64,
    last_arrival_ms: Option<i64>,
}

/// Largest request accepted in CPU units or MiB (the trace reader's limit).
const MAX_UNITS: f64 = u32::MAX as f64;

impl Collector {
    fn new(
        format: ImportFormat,
        path: &Path,
        options: &ImportOptions,
        scale: Scale,
        buffer: usize,
    ) -> Collector {
        let mut assumptions = Vec::new();
        let (dc, dm) = format.default_machine();
        let given = |v: Option<f64>| if v.is_some() { "given" } else { "default" };
        if dc.is_some() {
            assumptions.push(format!(
                "normalised CPU 1.0 = {} vCPUs ({}; --machine-cpu)",
                scale.machine_cpu,
                given(options.machine_cpu)
            ));
        } else if options.machine_cpu.is_some() {
            assumptions.push(format!(
                "--machine-cpu ignored: {format} gives absolute CPU requests"
            ));
        }
        if dm.is_some() {
            assumptions.push(format!(
                "normalised memory 1.0 = {} MiB ({}; --machine-memory-mib)",
                scale.machine_memory_mib,
                given(options.machine_memory_mib)
            ));
        } else if options.machine_memory_mib.is_some() {
            assumptions.push(format!(
                "--machine-memory-mib ignored: {format} gives absolute memory requests"
            ));
        }
        assumptions.push(
            "requests below 1 CPU unit or 1 MiB are raised to 1; fractions are rounded up"
                .to_string(),
        );
        assumptions.push(
            "arrivals are shifted so the first written is 0 s; times rounded to the millisecond"
                .to_string(),
        );
        Collector {
            path: path.to_path_buf(),
            options: options.clone(),
            scale,
            sorter: Sorter::new(buffer),
            summary: ImportSummary {
                format,
                rows_read: 0,
                tasks_written: 0,
                dropped: BTreeMap::new(),
                adjusted: BTreeMap::new(),
                bad_rows: 0,
                warnings: Vec::new(),
                assumptions,
                arrival_span_s: 0.0,
                sort_runs: 0,
            },
            seq: 0,
            last_arrival_ms: None,
        }
    }

    /// The import options.
    pub fn options(&self) -> &ImportOptions {
        &self.options
    }

    /// How many of a row's `instances` to write; the rest are counted as dropped.
    pub fn instances_kept(&mut self, instances: u64) -> u64 {
        let kept = self
            .options
            .max_instances
            .map_or(instances, |m| m.min(instances));
        self.drop_tasks("instances above --max-instances", instances - kept);
        kept
    }

    /// Record an assumption the format made (shown in the summary).
    pub fn assume(&mut self, text: &str) {
        self.summary.assumptions.push(text.to_string());
    }

    /// Count one data row read.
    pub fn row_read(&mut self) {
        self.summary.rows_read += 1;
    }

    /// Count `n` tasks left out for `reason`.
    pub fn drop_tasks(&mut self, reason: &str, n: u64) {
        if n > 0 {
            *self.summary.dropped.entry(reason.to_string()).or_default() += n;
        }
    }

    /// Count one task kept but changed as `what` says.
    pub fn adjust(&mut self, what: &str) {
        *self.summary.adjusted.entry(what.to_string()).or_default() += 1;
    }

    /// A malformed row at `line`: an error, or with `--skip-bad-rows` a counted warning.
    pub fn bad_row(&mut self, line: u64, e: RowError) -> Result<(), ImportError> {
        let err = ImportError::BadRow {
            path: self.path.clone(),
            line,
            column: e.column,
            message: e.message,
        };
        if !self.options.skip_bad_rows {
            return Err(err);
        }
        self.summary.bad_rows += 1;
        if self.summary.warnings.len() < MAX_WARNINGS {
            self.summary.warnings.push(err.to_string());
        }
        Ok(())
    }

    /// The header row is wrong.
    pub fn bad_header(&self, message: String) -> ImportError {
        ImportError::BadHeader {
            path: self.path.clone(),
            message,
        }
    }

    /// Add a task: round requests up (at least 1), drop it if its duration is not positive.
    pub fn push(&mut self, t: SourceTask) -> Result<(), ImportError> {
        if t.duration_ms <= 0 {
            self.drop_tasks("zero or negative duration", 1);
            return Ok(());
        }
        let duration_ms = t.duration_ms.min(MAX_DURATION_MS as i64) as u64;
        let units = |v: f64, what: &str, this: &mut Collector| -> Option<u32> {
            if v.is_nan() || v > MAX_UNITS {
                this.drop_tasks(&format!("{what} request above {}", u32::MAX), 1);
                return None;
            }
            if v < 1.0 {
                this.adjust(&format!("{what} request below 1 raised to 1"));
            }
            // Rounded to a millionth first, so 0.0079 × 100000 (790.0000000000001 in binary
            // floating point) is 790, not 791.
            Some(((v * 1e6).round() / 1e6).ceil().max(1.0) as u32)
        };
        let Some(cpu_units) = units(t.cpu_units, "CPU", self) else {
            return Ok(());
        };
        let Some(memory_mib) = units(t.memory_mib, "memory", self) else {
            return Ok(());
        };
        let storage_gib = t
            .storage_gib
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| s.ceil().min(100_000.0) as u32);
        self.seq += 1;
        self.summary.tasks_written += 1;
        let lo = self
            .last_arrival_ms
            .map_or(t.arrival_ms, |a| a.max(t.arrival_ms));
        self.last_arrival_ms = Some(lo);
        self.sorter.push(Task {
            arrival_ms: t.arrival_ms,
            seq: self.seq,
            duration_ms,
            cpu_units,
            memory_mib,
            storage_gib,
            task_id: t.task_id,
            group: t.group,
        })
    }

    fn finish(mut self, out: impl Write) -> Result<ImportSummary, ImportError> {
        let first = self.sorter_min();
        if let (Some(a), Some(b)) = (first, self.last_arrival_ms) {
            self.summary.arrival_span_s = (b - a) as f64 / 1000.0;
        }
        self.summary.sort_runs = self.sorter.runs();
        debug_assert_eq!(self.sorter.len(), self.summary.tasks_written);
        self.sorter.finish(out)?;
        Ok(self.summary)
    }

    fn sorter_min(&self) -> Option<i64> {
        self.sorter.min_arrival_ms()
    }
}

/// The positions of the `wanted` columns in a header row, or which one is missing.
pub fn header_columns<const N: usize>(
    c: &Collector,
    header: &csv::StringRecord,
    wanted: [&str; N],
) -> Result<[usize; N], ImportError> {
    let mut at = [0; N];
    for (slot, name) in at.iter_mut().zip(wanted) {
        *slot = header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| {
                c.bad_header(format!(
                    "missing column `{name}`; expected a header with {}",
                    wanted.join(", ")
                ))
            })?;
    }
    Ok(at)
}

/// Seconds (finite, within 100 years either way) to whole milliseconds.
pub fn seconds_to_ms(s: f64, column: &str) -> Result<i64, RowError> {
    if !s.is_finite() || s.abs() > 100.0 * 365.0 * 86_400.0 {
        return Err(RowError::new(
            column,
            format!("found `{s}`; expected a time in seconds within 100 years"),
        ));
    }
    Ok((s * 1000.0).round() as i64)
}

/// The text of column `idx` (trimmed), or an error if the row is too short.
pub fn field<'r>(
    rec: &'r csv::StringRecord,
    idx: usize,
    name: &str,
    expected_len: usize,
) -> Result<&'r str, RowError> {
    rec.get(idx).map(str::trim).ok_or_else(|| {
        RowError::new(
            name,
            format!("the row has {} fields; expected {expected_len}", rec.len()),
        )
    })
}

/// A required number.
pub fn number(text: &str, name: &str) -> Result<f64, RowError> {
    if text.is_empty() {
        return Err(RowError::new(
            name,
            "missing value; expected a number".to_string(),
        ));
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(RowError::new(
            name,
            format!("found `{text}`; expected a number"),
        )),
    }
}

/// An optional number (empty or `NaN` is `None`).
pub fn optional_number(text: &str, name: &str) -> Result<Option<f64>, RowError> {
    if text.is_empty() || text.eq_ignore_ascii_case("nan") {
        Ok(None)
    } else {
        number(text, name).map(Some)
    }
}

/// A required number that must be `>= 0`.
pub fn non_negative(text: &str, name: &str) -> Result<f64, RowError> {
    let v = number(text, name)?;
    if v < 0.0 {
        return Err(RowError::new(
            name,
            format!("found `{text}`; expected a number >= 0"),
        ));
    }
    Ok(v)
}

/// A required integer.
pub fn integer(text: &str, name: &str) -> Result<i64, RowError> {
    if text.is_empty() {
        return Err(RowError::new(
            name,
            "missing value; expected an integer".to_string(),
        ));
    }
    text.parse::<i64>()
        .map_err(|_| RowError::new(name, format!("found `{text}`; expected an integer")))
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Running an importer on hand-written rows.

    use super::*;

    /// Import `text` (written to a temporary file) and return the summary and output CSV.
    pub fn run(
        format: ImportFormat,
        text: &str,
        options: &ImportOptions,
    ) -> Result<(ImportSummary, String), ImportError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("in.csv");
        std::fs::write(&p, text).expect("write input");
        let mut out = Vec::new();
        let s = import_with_buffer(format, &p, options, &mut out, 3)?;
        Ok((s, String::from_utf8(out).expect("utf-8 output")))
    }

    /// The data lines of an output trace.
    pub fn rows(out: &str) -> Vec<&str> {
        out.lines().skip(1).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip_and_a_wrong_name_lists_the_valid_ones() {
        for f in ImportFormat::ALL {
            assert_eq!(f.name().parse::<ImportFormat>().unwrap(), f);
        }
        let e = "google2011".parse::<ImportFormat>().unwrap_err();
        let m = e.to_string();
        assert!(m.contains("`google2011`"), "{m}");
        assert!(m.contains("google-2011, alibaba-2017-batch"), "{m}");
        assert!(m.contains("alibaba-gpu-2025"), "{m}");
        assert!(e.is_bad_input());
    }

    #[test]
    fn a_reader_imports_like_a_file_plain_or_gzip() {
        let text = "M1,2,j_1,1,Terminated,157213,157322,100,0.39\n\
                    M2,1,j_2,1,Terminated,157000,157100,50,0.1\n";
        let o = ImportOptions::default();
        let (from_file, file_out) =
            test_support::run(ImportFormat::Alibaba2018Batch, text, &o).expect("file import");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        for bytes in [text.as_bytes().to_vec(), gz] {
            let mut out = Vec::new();
            let s = import_from_reader(
                ImportFormat::Alibaba2018Batch,
                Path::new("in.csv"),
                Box::new(std::io::Cursor::new(bytes)),
                &o,
                &mut out,
                3,
            )
            .expect("reader import");
            assert_eq!(s.tasks_written, from_file.tasks_written);
            assert_eq!(String::from_utf8(out).unwrap(), file_out);
        }
        assert_eq!(from_file.tasks_written, 3);
    }

    #[test]
    fn a_bad_machine_scale_is_refused() {
        let o = ImportOptions {
            machine_cpu: Some(0.0),
            ..ImportOptions::default()
        };
        let e = Scale::resolve(ImportFormat::Google2011, &o).unwrap_err();
        assert!(e.to_string().contains("--machine-cpu"), "{e}");
    }

    #[test]
    fn number_helpers_say_what_they_found() {
        assert_eq!(
            number("x", "c").unwrap_err().message,
            "found `x`; expected a number"
        );
        assert_eq!(optional_number("NaN", "c").unwrap(), None);
        assert!(non_negative("-1", "c").is_err());
        assert!(integer("1.5", "c").is_err());
        assert!(seconds_to_ms(f64::INFINITY, "c").is_err());
        assert_eq!(seconds_to_ms(1.2345, "c").unwrap(), 1235);
    }
}
