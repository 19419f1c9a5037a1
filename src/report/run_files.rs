//! The bytes of a run folder's files: what `sim run` renders and `sim report` reads back, so
//! both draw the plots and report.html from the same bytes. The only file-system access of
//! reading a run back is [`RunFiles::read`].

use std::path::Path;

use super::output_plan::OutputPlan;
use super::run_data_error::RunDataError;

/// summary.csv: one row per arm.
pub const SUMMARY: &str = "summary.csv";
/// timeseries.csv: every sample of every arm.
pub const TIMESERIES: &str = "timeseries.csv";
/// scaling.csv: every scaling evaluation.
pub const SCALING: &str = "scaling.csv";
/// waits.csv: the wait quantiles per arm.
pub const WAITS: &str = "waits.csv";
/// tasks.csv: every task attempt (`sim run --tasks-csv`; never read back).
pub const TASKS: &str = "tasks.csv";
/// breakeven.csv: the EC2 × Fargate break-even pairs.
pub const BREAKEVEN: &str = "breakeven.csv";
/// usage.csv: on-demand usage per arm, clock hour and usage line (docs/model.md §22).
pub const USAGE: &str = "usage.csv";
/// commitments.csv: each commitment per arm and clock hour.
pub const COMMITMENTS: &str = "commitments.csv";
/// run.json: the run's manifest, written last.
pub const RUN_JSON: &str = "run.json";

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
    /// usage.csv, when some arm billed on-demand usage.
    pub usage: Option<Vec<u8>>,
    /// commitments.csv, when some arm has commitments.
    pub commitments: Option<Vec<u8>>,
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
            summary: need(SUMMARY, "a run folder has one row per arm there")?,
            timeseries: need(TIMESERIES, "the plots over time are drawn from it")?,
            scaling: read(SCALING)?,
            waits: read(WAITS)?,
            breakeven: read(BREAKEVEN)?,
            usage: read(USAGE)?,
            commitments: read(COMMITMENTS)?,
            run_json: need(RUN_JSON, "the report's provenance comes from it")?,
        })
    }

    /// The plan that writes these files into a run folder, with `tasks` (tasks.csv, when
    /// asked for): the files this run lacks (scaling.csv, tasks.csv, breakeven.csv) are
    /// absent, so an earlier run's are removed; run.json is the manifest, written last.
    pub fn plan(self, tasks: Option<Vec<u8>>) -> OutputPlan {
        let mut plan = OutputPlan::new();
        plan.file(SUMMARY, self.summary);
        plan.file(TIMESERIES, self.timeseries);
        plan.file(WAITS, self.waits.unwrap_or_default());
        plan.file_or_absent(SCALING, self.scaling);
        plan.file_or_absent(TASKS, tasks);
        plan.file_or_absent(BREAKEVEN, self.breakeven);
        plan.file_or_absent(USAGE, self.usage);
        plan.file_or_absent(COMMITMENTS, self.commitments);
        plan.manifest(RUN_JSON, self.run_json);
        plan
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
