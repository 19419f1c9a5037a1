//! Errors importing a public trace, located by file and line.

use std::path::PathBuf;

use super::ImportFormat;

/// Why a trace could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// `--format` names no known format.
    #[error(
        "unknown trace format `{found}`; expected one of {}",
        ImportFormat::names()
    )]
    UnknownFormat {
        /// What was given.
        found: String,
    },
    /// An option is out of range.
    #[error("`{flag}`: found `{found}`; expected {expected}")]
    BadOption {
        /// The flag, e.g. `--machine-cpu`.
        flag: &'static str,
        /// What was given.
        found: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// The input could not be opened.
    #[error("cannot read `{}`: {error}", path.display())]
    Open {
        /// The input file.
        path: PathBuf,
        /// What the OS said.
        error: std::io::Error,
    },
    /// The byte stream broke off or is corrupt (a truncated gzip file, an I/O error).
    #[error("{}: line {line}: cannot read further: {message}; expected a complete plain or gzip CSV file", path.display())]
    Read {
        /// The input file.
        path: PathBuf,
        /// 1-based line reached when reading failed.
        line: u64,
        /// What the decoder or the OS said.
        message: String,
    },
    /// The header row is not the format's header.
    #[error("{}: line 1 (header): {message}", path.display())]
    BadHeader {
        /// The input file.
        path: PathBuf,
        /// What was found and what was expected.
        message: String,
    },
    /// A row has a missing or malformed value (turned into a counted warning by
    /// `--skip-bad-rows`).
    #[error("{}: line {line}{}: {message}", path.display(), column_text(column))]
    BadRow {
        /// The input file.
        path: PathBuf,
        /// 1-based line where the row starts.
        line: u64,
        /// The column, by the name the format's schema gives it.
        column: String,
        /// What was found and what was expected.
        message: String,
    },
    /// A temporary file used to sort a large trace could not be written or read back.
    #[error("cannot sort the trace through a temporary file in `{dir}` (TMPDIR): {0}", dir = std::env::temp_dir().display())]
    Spill(std::io::Error),
    /// The output could not be written.
    #[error("cannot write the imported trace: {0}")]
    Write(std::io::Error),
}

/// `, column `NAME``, or nothing for an error of the whole row (column `(row)`).
fn column_text(column: &str) -> String {
    if column == "(row)" {
        String::new()
    } else {
        format!(", column `{column}`")
    }
}

impl ImportError {
    /// Whether the error lies in the input or the options (exit status 2) rather than in the
    /// machine (a full disk: exit status 1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, ImportError::Spill(_) | ImportError::Write(_))
    }
}

/// A malformed value in one row, before the file and line are attached.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// The column, by its schema name.
    pub column: String,
    /// What was found and what was expected.
    pub message: String,
}

impl RowError {
    /// A row error on `column`.
    pub fn new(column: &str, message: String) -> RowError {
        RowError {
            column: column.to_string(),
            message,
        }
    }
}
