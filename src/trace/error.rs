//! Errors reading a trace, located by row and column.

use std::path::PathBuf;

/// Why a trace could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// The file could not be opened or read.
    #[error("cannot read trace `{}`: {error}", path.display())]
    Io {
        /// The trace file.
        path: PathBuf,
        /// What the OS said.
        error: std::io::Error,
    },
    /// The file has no header (it is empty).
    #[error("{}: line 1: the file is empty; expected a header with arrival_s, duration_s, cpu_units, memory_mib, then one row per task", path.display())]
    Empty {
        /// The trace file.
        path: PathBuf,
    },
    /// The header lacks a required column.
    #[error("{}: line 1 (header): missing required column `{column}`; expected a header with arrival_s, duration_s, cpu_units, memory_mib", path.display())]
    MissingColumn {
        /// The trace file.
        path: PathBuf,
        /// The column.
        column: &'static str,
    },
    /// A value is missing, malformed or out of range, or rows are out of order.
    #[error("{}: row {row} (line {line}), column `{column}`: {message}", path.display())]
    BadValue {
        /// The trace file.
        path: PathBuf,
        /// 1-based data row (the header is not counted).
        row: u64,
        /// 1-based line in the file.
        line: u64,
        /// Column name.
        column: String,
        /// What was found and what was expected.
        message: String,
    },
    /// The CSV itself is malformed (e.g. a row with too few fields, invalid UTF-8).
    #[error("{}: row {row} (line {line}): {message}", path.display())]
    Malformed {
        /// The trace file.
        path: PathBuf,
        /// 1-based data row.
        row: u64,
        /// 1-based line.
        line: u64,
        /// What the CSV parser said.
        message: String,
    },
}
