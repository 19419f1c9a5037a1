//! Reading a source file as a stream of CSV records: plain or gzip (told apart by the gzip
//! magic bytes `1f 8b`, not by the file name), one record at a time.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;

use super::{Collector, ImportError, RowError};

/// The records of one source file.
pub struct Records {
    path: PathBuf,
    reader: csv::Reader<Box<dyn Read>>,
    /// The current record.
    pub record: csv::StringRecord,
    /// The 1-based line where the current record starts.
    pub line: u64,
}

impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("path", &self.path)
            .field("line", &self.line)
            .finish()
    }
}

/// Whether `head` starts with the gzip magic bytes.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

impl Records {
    /// Open `path`, plain or gzip.
    pub fn open(path: &Path) -> Result<Records, ImportError> {
        let open_err = |error| ImportError::Open {
            path: path.to_path_buf(),
            error,
        };
        let file = File::open(path).map_err(open_err)?;
        let buffered = BufReader::with_capacity(1 << 16, file);
        Records::from_buf_read(path, Box::new(buffered)).map_err(open_err)
    }

    /// Records from a buffered stream, plain or gzip (told apart by its first bytes); `path`
    /// names it in errors. Fails only if the first bytes cannot be read.
    pub fn from_buf_read(
        path: &Path,
        mut buffered: Box<dyn BufRead>,
    ) -> Result<Records, std::io::Error> {
        let gzip = is_gzip(buffered.fill_buf()?);
        let stream: Box<dyn Read> = if gzip {
            Box::new(MultiGzDecoder::new(buffered))
        } else {
            Box::new(buffered)
        };
        Ok(Records::from_reader(path, stream))
    }

    /// Records from any byte stream; `path` names it in errors.
    pub fn from_reader(path: &Path, stream: Box<dyn Read>) -> Records {
        // The published traces quote nothing (their SOURCE.md files name no quoting); reading
        // `"` literally keeps one stray quote from swallowing the rest of the file as a field.
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .quoting(false)
            .buffer_capacity(1 << 16)
            .from_reader(stream);
        Records {
            path: path.to_path_buf(),
            reader,
            record: csv::StringRecord::new(),
            line: 0,
        }
    }

    /// Move to the next record; `false` at the end. Records that are not UTF-8 are bad rows
    /// (skipped and counted under `--skip-bad-rows`); a stream that breaks off is an error.
    pub fn next(&mut self, c: &mut Collector) -> Result<bool, ImportError> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(more) => {
                    if more {
                        self.line = self.record.position().map_or(self.line + 1, |p| p.line());
                    }
                    return Ok(more);
                }
                Err(e) => {
                    let line = e.position().map_or(self.line + 1, csv::Position::line);
                    match e.kind() {
                        csv::ErrorKind::Utf8 { err, .. } => {
                            let message = format!(
                                "field {} is not valid UTF-8; expected UTF-8 text",
                                err.field() + 1
                            );
                            self.line = line;
                            c.row_read();
                            c.bad_row(line, RowError::new("(row)", message))?;
                        }
                        _ => {
                            return Err(ImportError::Read {
                                path: self.path.clone(),
                                line,
                                message: match e.into_kind() {
                                    csv::ErrorKind::Io(io) => io.to_string(),
                                    other => format!("{other:?}"),
                                },
                            });
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_told_by_its_magic_bytes() {
        assert!(is_gzip(&[0x1f, 0x8b, 8, 0]));
        assert!(!is_gzip(b"1,2,3"));
        assert!(!is_gzip(&[0x1f]));
    }
}
