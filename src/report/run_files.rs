//! The bytes of a run folder's files: what `sim run` renders and `sim report` reads back, so
//! both draw the plots and report.html from the same bytes. The only file-system access of
//! reading a run back is [`RunFiles::read`].

use std::path::Path;

use super::run_data_error::RunDataError;

/// The bytes of a run folder's files, as written by `sim run` (or read back by `sim report`).
#[derive(Debug, Clone, Default)]
pub struct RunFiles {
    /// summary.csv.
    pub summary: Vec<u8>,
    /// timeseries.csv.
    pub timeseries: Vec<u8>,
    /// scaling.csv, when any arm scaled.
    pub scaling: Option<Vec<u8>>,
    /// waits.csv; runs written before it existed have none (no wait plot then).
    pub waits: Option<Vec<u8>>,
    /// breakeven.csv, when the run has an EC2 arm and a Fargate arm.
    pub breakeven: Option<Vec<u8>>,
    /// run.json.
    pub run_json: Vec<u8>,
}

impl RunFiles {
    /// Read the files of the run folder `dir`.
    pub fn read(dir: &Path) -> Result<RunFiles, RunDataError> {
        let read = |name: &str| -> Result<Option<Vec<u8>>, RunDataError> {
            let file = dir.join(name);
            match std::fs::read(&file) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(RunDataError::Io { file, source }),
            }
        };
        let need = |name: &str, why| {
            read(name)?.ok_or_else(|| RunDataError::Missing {
                file: dir.join(name),
                why,
            })
        };
        Ok(RunFiles {
            summary: need("summary.csv", "a run folder has one row per arm there")?,
            timeseries: need("timeseries.csv", "the plots over time are drawn from it")?,
            scaling: read("scaling.csv")?,
            waits: read("waits.csv")?,
            breakeven: read("breakeven.csv")?,
            run_json: need("run.json", "the report's provenance comes from it")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::run_data::{RunData, fixture};

    #[test]
    fn a_missing_folder_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("summary.csv"), fixture::SUMMARY).unwrap();
        let e = RunFiles::read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("timeseries.csv` is missing"), "{e}");
        std::fs::write(dir.path().join("timeseries.csv"), fixture::TIMESERIES).unwrap();
        std::fs::write(dir.path().join("run.json"), fixture::RUN_JSON).unwrap();
        let f = RunFiles::read(dir.path()).unwrap();
        assert!(f.scaling.is_none() && f.waits.is_none());
        assert!(RunData::parse(&f).is_ok());
    }
}
