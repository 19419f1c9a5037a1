//! `sim report DIR`: (re)draw the plots and report.html of a run, or the plots of a sweep,
//! from its files (the one dispatch on the folder's kind).
//! The drawings are rendered by `report` (`plan_run_drawings`, `plan_sweep_drawings`), as
//! `sim run` and `sim sweep` render them, so both draw the same bytes from the same files.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::UsageError;
use crate::report::{OutputPlan, RunData, RunFiles, SweepData, plan_run_drawings};

/// Arguments of `sim report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The output folder of a run (with summary.csv) or of a sweep (with sweep.json and
    /// sweep.csv).
    dir: PathBuf,
}

/// What kind of output folder `dir` is.
enum Folder {
    Run,
    Sweep,
}

fn folder_kind(dir: &Path) -> Result<Folder, UsageError> {
    if dir.join("summary.csv").is_file() {
        Ok(Folder::Run)
    } else if dir.join("sweep.json").is_file() && dir.join("sweep.csv").is_file() {
        Ok(Folder::Sweep)
    } else if !dir.is_dir() {
        Err(UsageError(format!("`{}` is not a folder", dir.display())))
    } else {
        Err(UsageError(format!(
            "`{}` is neither a run's output folder (no summary.csv) nor a sweep's (no sweep.json \
             and sweep.csv)",
            dir.display()
        )))
    }
}

/// Redraw every plot and page of the run or sweep in `args.dir`, from its files.
pub fn report(args: &ReportArgs) -> anyhow::Result<()> {
    let dir = &args.dir;
    match folder_kind(dir)? {
        Folder::Run => {
            let files = RunFiles::read(dir)?;
            let drawn = draw_run(dir, &files)
                .with_context(|| format!("reporting the run in `{}`", dir.display()))?;
            let mut written: Vec<String> =
                drawn.iter().map(|n| format!("{n}.{{svg,png}}")).collect();
            written.push("report.html".into());
            sayln!("wrote {} in {}/", written.join(", "), dir.display())?;
            Ok(())
        }
        Folder::Sweep => {
            let written = draw_sweep(dir)
                .with_context(|| format!("reporting the sweep in `{}`", dir.display()))?;
            sayln!("wrote {} in {}/", written.join(", "), dir.display())?;
            Ok(())
        }
    }
}

/// Draw a run's plots (`<name>.svg`, `<name>.png`) and report.html into `dir` from the bytes
/// of its files, as `sim run` does, removing any plot an earlier run left that this one does
/// not have. Returns the plots drawn.
fn draw_run(dir: &Path, files: &RunFiles) -> anyhow::Result<Vec<&'static str>> {
    let run = RunData::parse(files)?;
    let mut plan = OutputPlan::new();
    let plots = plan_run_drawings(&mut plan, Some(&run))?;
    plan.commit(dir)?;
    Ok(plots)
}

/// Draw a sweep's plots (`sweep_*.svg`, `.png`) and report.html into `dir` from its sweep.csv
/// and sweep.json, as `sim sweep` does, removing any plot an earlier sweep left that this one
/// does not have. Returns the files written.
fn draw_sweep(dir: &Path) -> anyhow::Result<Vec<String>> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path)
            .map_err(|e| UsageError(format!("cannot read `{}`: {e}", path.display())))
    };
    let (csv, json) = (read("sweep.csv")?, read("sweep.json")?);
    // Bad files are bad input (exit 2), as for a run's folder.
    SweepData::parse(&csv, &json)?;
    let mut plan = OutputPlan::new();
    crate::sweep::execute::plan_drawings(&mut plan, &csv, &json)?;
    Ok(plan.commit(dir)?)
}
