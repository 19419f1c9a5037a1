//! Why a run folder's files could not be read back ([`super::RunData::parse`]): each error
//! names the file and, in a CSV file, the line and column.

use std::path::PathBuf;

/// Why a run folder's files could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum RunDataError {
    /// A required file is not there.
    #[error("`{file}` is missing: {why}")]
    Missing {
        /// The file.
        file: PathBuf,
        /// What the file is needed for.
        why: &'static str,
    },
    /// A file exists but could not be read.
    #[error("cannot read `{file}`: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A CSV file lacks a column.
    #[error("{file}: no column `{column}` in the header (line 1)")]
    NoColumn {
        /// File name.
        file: &'static str,
        /// The missing column.
        column: &'static str,
    },
    /// A CSV cell does not hold what its column needs.
    #[error("{file}: line {line}, column `{column}`: expected {expected}, found `{found}`")]
    Cell {
        /// File name.
        file: &'static str,
        /// Line in the file (the header is line 1).
        line: u64,
        /// Column name.
        column: String,
        /// The expected form.
        expected: String,
        /// The cell as found.
        found: String,
    },
    /// A CSV file is not CSV (bad quoting, ragged rows, not UTF-8).
    #[error("{file}: line {line}: not valid CSV: {message}")]
    Csv {
        /// File name.
        file: &'static str,
        /// Line in the file.
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// A row names an arm that summary.csv does not have.
    #[error("{file}: line {line}: arm `{arm}` is not in summary.csv (expected one of {known})")]
    UnknownArm {
        /// File name.
        file: &'static str,
        /// Line in the file.
        line: u64,
        /// The arm as found.
        arm: String,
        /// The arms of summary.csv, comma-separated.
        known: String,
    },
    /// run.json is not JSON, or lacks a field.
    #[error("run.json: {0}")]
    Json(String),
}
