//! Reading the CSV files of a run folder back: a table whose cells are found by column name,
//! parsed with errors that name the file, line, column, what was expected and what was found.

use super::run_data_error::RunDataError;

/// A CSV file being read row by row, cells found by column name.
pub(crate) struct Table<'a> {
    file: &'static str,
    reader: csv::Reader<&'a [u8]>,
    header: csv::StringRecord,
    record: csv::StringRecord,
}

/// One row of a [`Table`].
pub(crate) struct Row<'t> {
    /// File name.
    pub(crate) file: &'static str,
    /// Line in the file (the header is line 1).
    pub(crate) line: u64,
    header: &'t csv::StringRecord,
    record: &'t csv::StringRecord,
}

impl<'a> Table<'a> {
    pub(crate) fn new(file: &'static str, bytes: &'a [u8]) -> Result<Table<'a>, RunDataError> {
        let mut reader = csv::Reader::from_reader(bytes);
        let header = reader.headers().map_err(|e| csv_error(file, &e))?.clone();
        Ok(Table {
            file,
            reader,
            header,
            record: csv::StringRecord::new(),
        })
    }

    pub(crate) fn find(&self, column: &str) -> Option<usize> {
        self.header.iter().position(|h| h == column)
    }

    pub(crate) fn column(&self, column: &'static str) -> Result<usize, RunDataError> {
        self.find(column).ok_or(RunDataError::NoColumn {
            file: self.file,
            column,
        })
    }

    pub(crate) fn columns<const N: usize>(
        &self,
        names: [&'static str; N],
    ) -> Result<[usize; N], RunDataError> {
        let mut c = [0; N];
        for (k, n) in names.into_iter().enumerate() {
            c[k] = self.column(n)?;
        }
        Ok(c)
    }

    pub(crate) fn next_row(&mut self) -> Result<Option<Row<'_>>, RunDataError> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => Ok(Some(Row {
                file: self.file,
                line: self.record.position().map_or(0, csv::Position::line),
                header: &self.header,
                record: &self.record,
            })),
            Err(e) => Err(csv_error(self.file, &e)),
        }
    }
}

pub(crate) fn csv_error(file: &'static str, e: &csv::Error) -> RunDataError {
    RunDataError::Csv {
        file,
        line: e.position().map_or(1, csv::Position::line),
        message: e.to_string(),
    }
}

impl Row<'_> {
    pub(crate) fn bad(&self, col: usize, expected: &'static str) -> RunDataError {
        RunDataError::Cell {
            file: self.file,
            line: self.line,
            column: self.header.get(col).unwrap_or_default().to_string(),
            expected: expected.to_string(),
            found: self.record.get(col).unwrap_or_default().to_string(),
        }
    }

    pub(crate) fn get(&self, col: usize) -> Result<&str, RunDataError> {
        self.record.get(col).ok_or_else(|| self.bad(col, "a cell"))
    }

    pub(crate) fn uint(&self, col: usize) -> Result<u64, RunDataError> {
        self.get(col)?
            .parse()
            .map_err(|_| self.bad(col, "a whole number ≥ 0"))
    }

    pub(crate) fn num(&self, col: usize) -> Result<f64, RunDataError> {
        self.opt_num(col)?.ok_or_else(|| self.bad(col, "a number"))
    }

    pub(crate) fn opt_num(&self, col: usize) -> Result<Option<f64>, RunDataError> {
        let s = self.get(col)?;
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(self.bad(col, "a number or an empty cell")),
        }
    }

    /// Seconds with at most three decimals, as integer milliseconds (exact).
    pub(crate) fn ms(&self, col: usize) -> Result<u64, RunDataError> {
        seconds_to_ms(self.get(col)?)
            .ok_or_else(|| self.bad(col, "seconds ≥ 0 with at most three decimals"))
    }
}

/// Seconds with at most three decimals (as the CSV files write them), as integer
/// milliseconds, exactly; `None` when `s` is not that.
pub(crate) fn seconds_to_ms(s: &str) -> Option<u64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) && (frac.is_empty() || (frac.len() <= 3 && digits(frac)))) {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let frac: u64 = format!("{frac:0<3}").parse().ok()?;
    whole.checked_mul(1000)?.checked_add(frac)
}

/// What serde said about a row of `file` (at `line`) read into a struct whose fields are
/// `columns`, as the file, line and column it is about.
pub(crate) fn deserialize_error(
    file: &'static str,
    columns: &'static [&'static str],
    e: &csv::Error,
    line: u64,
    header: &csv::StringRecord,
    record: &csv::StringRecord,
) -> RunDataError {
    let csv::ErrorKind::Deserialize { err, .. } = e.kind() else {
        return csv_error(file, e);
    };
    let expected = match err.kind() {
        csv::DeserializeErrorKind::ParseInt(_) => "a whole number ≥ 0".to_string(),
        csv::DeserializeErrorKind::ParseFloat(_) => "a number".to_string(),
        csv::DeserializeErrorKind::Message(m) => m.clone(),
        k => k.to_string(),
    };
    match err.field() {
        Some(i) => {
            let i = usize::try_from(i).unwrap_or(usize::MAX);
            RunDataError::Cell {
                file,
                line,
                column: header.get(i).unwrap_or_default().to_string(),
                expected,
                found: record.get(i).unwrap_or_default().to_string(),
            }
        }
        None => {
            // serde's words for a column the header lacks: "missing field `name`".
            let missing = expected
                .strip_prefix("missing field `")
                .and_then(|m| m.strip_suffix('`'))
                .and_then(|m| columns.iter().find(|c| **c == m));
            match missing {
                Some(column) => RunDataError::NoColumn { file, column },
                None => RunDataError::Csv {
                    file,
                    line,
                    message: expected,
                },
            }
        }
    }
}
