//! The streaming CSV trace reader (docs/traces.md): one row at a time, checked as it is read.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use crate::model::task_spec::TaskSource;
use crate::model::{GroupTable, TaskLabel, TaskSpec};
use crate::time::{SimDuration, SimTime};
use crate::trace::{TraceError, TraceSource};

/// Column positions found in the header.
#[derive(Debug, Clone, Copy)]
struct Columns {
    arrival: usize,
    duration: usize,
    cpu: usize,
    memory: usize,
    task_id: Option<usize>,
    group: Option<usize>,
    cpu_used: Option<usize>,
    memory_used: Option<usize>,
    storage: Option<usize>,
}

/// Reads a trace file row by row; memory does not grow with the file.
pub struct CsvTrace {
    path: PathBuf,
    reader: csv::Reader<Box<dyn std::io::Read + Send>>,
    columns: Columns,
    header: csv::StringRecord,
    record: csv::StringRecord,
    row: u64,
    last_arrival_s: f64,
}

impl std::fmt::Debug for CsvTrace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvTrace")
            .field("path", &self.path)
            .field("row", &self.row)
            .finish()
    }
}

impl CsvTrace {
    /// Open `path` and check its header.
    pub fn open(path: &Path) -> Result<CsvTrace, TraceError> {
        let file = File::open(path).map_err(|error| TraceError::Io {
            path: path.to_path_buf(),
            error,
        })?;
        CsvTrace::from_reader(path, Box::new(BufReader::with_capacity(1 << 16, file)))
    }

    /// Read a trace from any byte stream; `path` names it in errors.
    pub fn from_reader(
        path: &Path,
        input: Box<dyn std::io::Read + Send>,
    ) -> Result<CsvTrace, TraceError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(input);
        let header = reader
            .headers()
            .map_err(|e| csv_error(path, 0, None, e))?
            .clone();
        if header.is_empty() {
            return Err(TraceError::Empty {
                path: path.to_path_buf(),
            });
        }
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        let need = |name: &'static str| {
            find(name).ok_or_else(|| TraceError::MissingColumn {
                path: path.to_path_buf(),
                column: name,
            })
        };
        let columns = Columns {
            arrival: need("arrival_s")?,
            duration: need("duration_s")?,
            cpu: need("cpu_units")?,
            memory: need("memory_mib")?,
            task_id: find("task_id"),
            group: find("group"),
            cpu_used: find("cpu_used_units"),
            memory_used: find("memory_used_mib"),
            storage: find("storage_gib"),
        };
        Ok(CsvTrace {
            path: path.to_path_buf(),
            reader,
            columns,
            header,
            record: csv::StringRecord::new(),
            row: 0,
            last_arrival_s: 0.0,
        })
    }

    fn bad(&self, column: &str, message: String) -> TraceError {
        TraceError::BadValue {
            path: self.path.clone(),
            row: self.row,
            // Where the row starts: quoted line breaks make lines differ from rows.
            line: self
                .record
                .position()
                .map_or(self.row + 1, csv::Position::line),
            column: column.to_string(),
            message,
        }
    }

    /// The text of field `idx` of the current row, trimmed.
    fn raw(&self, idx: usize) -> &str {
        self.record.get(idx).unwrap_or("").trim_ascii()
    }

    fn number(&self, idx: usize, column: &str, positive: bool) -> Result<f64, TraceError> {
        let raw = self.raw(idx);
        if raw.is_empty() {
            return Err(self.bad(column, "missing value; expected a number".to_string()));
        }
        let v = match plain_decimal(raw) {
            Some(v) => v,
            None => raw
                .parse()
                .map_err(|_| self.bad(column, format!("found `{raw}`; expected a number")))?,
        };
        if !v.is_finite() {
            return Err(self.bad(column, format!("found `{raw}`; expected a finite number")));
        }
        if positive && v <= 0.0 {
            return Err(self.bad(column, format!("found `{raw}`; expected a number > 0")));
        }
        if v < 0.0 {
            return Err(self.bad(column, format!("found `{raw}`; expected a number >= 0")));
        }
        Ok(v)
    }

    fn optional(&self, idx: Option<usize>, column: &str) -> Result<Option<f64>, TraceError> {
        match idx {
            Some(i) if !self.raw(i).is_empty() => self.number(i, column, false).map(Some),
            _ => Ok(None),
        }
    }

    /// An optional usage figure, at most `u32::MAX` (like requests), so sums stay finite.
    fn usage(&self, idx: Option<usize>, column: &str) -> Result<Option<f64>, TraceError> {
        let v = self.optional(idx, column)?;
        if let (Some(x), Some(i)) = (v, idx)
            && x > f64::from(u32::MAX)
        {
            return Err(self.bad(
                column,
                format!("found `{}`; expected at most {}", self.raw(i), u32::MAX),
            ));
        }
        Ok(v)
    }

    fn units(&self, idx: usize, column: &str) -> Result<u32, TraceError> {
        let v = self.number(idx, column, true)?;
        if v > f64::from(u32::MAX) {
            return Err(self.bad(
                column,
                format!("found `{}`; expected at most {}", self.raw(idx), u32::MAX),
            ));
        }
        // ECS units are integers: a fractional request is rounded up.
        Ok(v.ceil() as u32)
    }
}

/// The value of a plain decimal such as `123` or `4.567` (at most 15 significant digits),
/// computed exactly as `str::parse::<f64>` would: the digits form an integer below 2^53 and the
/// power of ten is exact, so one correctly rounded division gives the correctly rounded value
/// (the fast path of every correct decimal parser). Anything else returns `None` (the caller
/// falls back to `str::parse`).
fn plain_decimal(s: &str) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let b = s.as_bytes();
    let (mut mantissa, mut digits, mut fraction) = (0u64, 0usize, None::<usize>);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                digits += 1;
            }
            b'.' if fraction.is_none() && i > 0 && i + 1 < b.len() => fraction = Some(i + 1),
            _ => return None,
        }
        if digits > 15 {
            return None;
        }
    }
    let decimals = fraction.map_or(0, |start| b.len() - start);
    (digits > 0).then(|| mantissa as f64 / POW10[decimals])
}

/// Seconds to ms, rounded to the nearest millisecond (docs/model.md §1.2).
fn secs_to_ms(s: f64) -> u64 {
    (s * 1000.0).round() as u64
}

/// A CSV-level error (unequal field counts, invalid UTF-8, I/O) at data row `row` (0: the
/// header), naming the column from `header` where the parser says which field is at fault.
fn csv_error(
    path: &Path,
    row: u64,
    header: Option<&csv::StringRecord>,
    e: csv::Error,
) -> TraceError {
    let line = e.position().map_or(row + 1, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            let missing = header
                .and_then(|h| h.get(*len as usize))
                .filter(|_| len < expected_len)
                .map_or(String::new(), |c| format!(" (no value for `{c}`)"));
            format!("found {len} fields{missing}; expected {expected_len}, one per header column")
        }
        csv::ErrorKind::Utf8 { err, .. } => {
            let field = err.field();
            match header.and_then(|h| h.get(field)) {
                Some(column) => {
                    return TraceError::BadValue {
                        path: path.to_path_buf(),
                        row,
                        line,
                        column: column.trim().to_string(),
                        message: "the value is not valid UTF-8; expected UTF-8 text".to_string(),
                    };
                }
                None if row == 0 => format!(
                    "header field {} is not valid UTF-8; expected UTF-8 text",
                    field + 1
                ),
                None => format!(
                    "field {} is not valid UTF-8; expected UTF-8 text",
                    field + 1
                ),
            }
        }
        _ => e.to_string(),
    };
    TraceError::Malformed {
        path: path.to_path_buf(),
        row,
        line,
        message,
    }
}

/// Traces longer than this many seconds are refused (100 years), so times never overflow.
const MAX_TRACE_SECONDS: f64 = 100.0 * 365.0 * 86_400.0;

impl TraceSource for CsvTrace {
    fn next_task(
        &mut self,
        groups: &mut GroupTable,
    ) -> Result<Option<(SimTime, TaskSpec)>, TraceError> {
        let more = self
            .reader
            .read_record(&mut self.record)
            .map_err(|e| csv_error(&self.path, self.row + 1, Some(&self.header), e))?;
        if !more {
            return Ok(None);
        }
        self.row += 1;
        let c = self.columns;
        let arrival_s = self.number(c.arrival, "arrival_s", false)?;
        if arrival_s > MAX_TRACE_SECONDS {
            return Err(self.bad(
                "arrival_s",
                format!(
                    "found `{}`; expected at most {MAX_TRACE_SECONDS} (100 years)",
                    self.raw(c.arrival)
                ),
            ));
        }
        if arrival_s < self.last_arrival_s {
            return Err(self.bad(
                "arrival_s",
                format!(
                    "found {arrival_s}, earlier than the previous row's {}; expected rows sorted by arrival_s (non-decreasing)",
                    self.last_arrival_s
                ),
            ));
        }
        self.last_arrival_s = arrival_s;
        let duration_s = self.number(c.duration, "duration_s", true)?;
        if duration_s > MAX_TRACE_SECONDS {
            return Err(self.bad(
                "duration_s",
                format!(
                    "found `{}`; expected at most {MAX_TRACE_SECONDS} (100 years)",
                    self.raw(c.duration)
                ),
            ));
        }
        let cpu_units = self.units(c.cpu, "cpu_units")?;
        let memory_mib = self.units(c.memory, "memory_mib")?;
        let cpu_used_units = self.usage(c.cpu_used, "cpu_used_units")?;
        let memory_used_mib = self.usage(c.memory_used, "memory_used_mib")?;
        let storage_gib = match self.optional(c.storage, "storage_gib")? {
            Some(s) if s > 100_000.0 => {
                return Err(self.bad(
                    "storage_gib",
                    format!(
                        "found `{}`; expected at most 100000",
                        self.raw(c.storage.unwrap_or_default())
                    ),
                ));
            }
            Some(s) => s.ceil() as u32,
            None => 20,
        };
        let text = |i: Option<usize>| {
            i.and_then(|i| self.record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let label = text(c.task_id).map_or(TaskLabel::Row(self.row), |s| {
            TaskLabel::Given(s.to_string())
        });
        let group = groups.intern(text(c.group).unwrap_or("default"));
        let task = TaskSpec {
            label,
            source: TaskSource::Trace,
            group,
            cpu_units,
            memory_mib,
            duration: SimDuration(secs_to_ms(duration_s).max(1)),
            storage_gib,
            cpu_used_units,
            memory_used_mib,
        };
        Ok(Some((SimTime(secs_to_ms(arrival_s)), task)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<(SimTime, TaskSpec)>, TraceError> {
        let mut t = CsvTrace::from_reader(
            Path::new("t.csv"),
            Box::new(std::io::Cursor::new(text.to_string())),
        )?;
        let mut g = GroupTable::new();
        let mut out = Vec::new();
        while let Some(x) = t.next_task(&mut g)? {
            out.push(x);
        }
        Ok(out)
    }

    #[test]
    fn reads_required_and_optional_columns() {
        let rows = read("arrival_s,duration_s,cpu_units,memory_mib,task_id,group,cpu_used_units,extra\n0.0004,10,512,1024,a,web,300,x\n1.5,0.25,256.2,512,,,,\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, SimTime(0));
        assert_eq!(rows[0].1.label, TaskLabel::Given("a".into()));
        assert_eq!(rows[0].1.cpu_used_units, Some(300.0));
        assert_eq!(rows[1].0, SimTime(1500));
        assert_eq!(rows[1].1.duration, SimDuration(250));
        assert_eq!(rows[1].1.cpu_units, 257);
        assert_eq!(rows[1].1.label, TaskLabel::Row(2));
        assert_eq!(rows[1].1.storage_gib, 20);
    }

    fn err(text: &str) -> String {
        read(text).unwrap_err().to_string()
    }

    #[test]
    fn plain_decimals_parse_exactly_as_std_does() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut cases: Vec<String> = [
            "0",
            "0.5",
            "1.000",
            "123456789012345",
            "0.001",
            "100146.159",
            "9.999999999999999",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let int = x % 1_000_000_000;
            let frac_digits = (x >> 40) % 7;
            let frac = (x >> 20) % 10u64.pow(frac_digits as u32);
            cases.push(if frac_digits == 0 {
                int.to_string()
            } else {
                format!("{int}.{frac:0width$}", width = frac_digits as usize)
            });
        }
        let mut fast = 0;
        for c in &cases {
            let std: f64 = c.parse().unwrap();
            // Either the fast path gives the very same bits, or it declines (and std parses).
            if let Some(v) = plain_decimal(c) {
                assert_eq!(v.to_bits(), std.to_bits(), "{c}");
                fast += 1;
            }
        }
        assert!(
            fast >= cases.len() - 1,
            "the fast path takes plain decimals"
        );
        assert_eq!(
            plain_decimal("9.999999999999999"),
            None,
            "16 digits: declined"
        );
        for odd in [
            "",
            ".",
            "1.",
            ".5",
            "1e3",
            "-1",
            "+1",
            "1.2.3",
            "1234567890123456",
            "NaN",
            " 1",
        ] {
            assert_eq!(plain_decimal(odd), None, "{odd:?}");
        }
    }

    #[test]
    fn errors_name_row_and_column() {
        let h = "arrival_s,duration_s,cpu_units,memory_mib\n";
        assert_eq!(
            err(&format!("{h}0,10,512,1024\n5,10,abc,1024\n")),
            "t.csv: row 2 (line 3), column `cpu_units`: found `abc`; expected a number"
        );
        assert!(
            err(&format!("{h}5,10,512,1024\n4,10,512,1024\n"))
                .contains("row 2 (line 3), column `arrival_s`: found 4, earlier than")
        );
        assert!(
            err(&format!("{h}0,NaN,512,1024\n"))
                .contains("column `duration_s`: found `NaN`; expected a finite number")
        );
        assert!(err(&format!("{h}0,0,512,1024\n")).contains("expected a number > 0"));
        assert!(err(&format!("{h}-1,5,512,1024\n")).contains("expected a number >= 0"));
        assert!(err(&format!("{h}0,5,,1024\n")).contains("column `cpu_units`: missing value"));
        assert_eq!(
            err(&format!("{h}0,5,512\n")),
            "t.csv: row 1 (line 2): found 3 fields (no value for `memory_mib`); expected 4, one per header column"
        );
        assert!(
            err("arrival_s,duration_s,cpu_units,memory_mib,task_id\n0,5,512,1024,\"a\nb\"\n1,5,x,1024,c\n")
                .contains("row 2 (line 4), column `cpu_units`"),
            "a quoted line break counts in lines, not rows"
        );
        assert!(
            err("arrival_s,cpu_units,memory_mib\n")
                .contains("missing required column `duration_s`")
        );
        assert_eq!(
            err(""),
            "t.csv: line 1: the file is empty; expected a header with arrival_s, duration_s, cpu_units, memory_mib, then one row per task"
        );
    }
}
