//! `sim report DIR`: (re)draw the plots and report.html of a run, or the plots of a sweep,
//! from its files (the one dispatch on the folder's kind).
//! Also the one place that draws a run's plots and page, for `sim run` too, so both draw the
//! same bytes from the same files.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::UsageError;
use crate::report::html::{Figure, report_html};
use crate::report::{
    RUN_PLOT_NAMES, RunData, RunFiles, SweepData, render_png, render_svg, run_plots, write_atomic,
};

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
            let drawn = draw_run(dir, &files, true)
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

/// Draw a run's plots (`<name>.svg`, `<name>.png`) and report.html into `out_dir` from the
/// bytes of its files, and remove any of them left by an earlier run that this one does not
/// have; with `draw` false, draw nothing and remove them all. Returns the plots drawn.
pub(crate) fn draw_run(
    out_dir: &Path,
    files: &RunFiles,
    draw: bool,
) -> anyhow::Result<Vec<&'static str>> {
    let run = if draw {
        Some(RunData::parse(files)?)
    } else {
        None
    };
    let plots = run.as_ref().map(run_plots).unwrap_or_default();
    let mut svgs = Vec::new();
    for name in RUN_PLOT_NAMES {
        let plot = plots.iter().find(|p| p.name == name);
        if let Some(p) = plot {
            let svg = render_svg(p)?;
            write_atomic(&out_dir.join(format!("{name}.svg")), &svg)?;
            write_atomic(&out_dir.join(format!("{name}.png")), &render_png(p)?)?;
            svgs.push((
                p,
                String::from_utf8(svg).context("plotters wrote non-UTF-8 SVG")?,
            ));
        } else {
            remove_stale(&out_dir.join(format!("{name}.svg")))?;
            remove_stale(&out_dir.join(format!("{name}.png")))?;
        }
    }
    let page = out_dir.join("report.html");
    if let Some(run) = &run {
        let figures: Vec<Figure<'_>> = svgs
            .iter()
            .map(|(p, svg)| Figure {
                name: p.name,
                title: &p.title,
                svg,
            })
            .collect();
        write_atomic(&page, report_html(run, &figures).as_bytes())?;
    } else {
        remove_stale(&page)?;
    }
    Ok(plots.iter().map(|p| p.name).collect())
}

/// Draw a sweep's plots (`sweep_*.svg`, `.png`) and report.html into `dir` from its sweep.csv
/// and sweep.json, as `sim sweep` does, removing any plot an earlier sweep left that this one
/// does not have. Returns the files written.
pub(crate) fn draw_sweep(dir: &Path) -> anyhow::Result<Vec<&'static str>> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path)
            .map_err(|e| UsageError(format!("cannot read `{}`: {e}", path.display())))
    };
    let (csv, json) = (read("sweep.csv")?, read("sweep.json")?);
    // Bad files are bad input (exit 2), as for a run's folder.
    SweepData::parse(&csv, &json)?;
    Ok(crate::sweep::execute::write_plots(dir, &csv, &json)?)
}

/// Remove `path` if it exists: a file from an earlier run would not match this run's others.
pub(crate) fn remove_stale(path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        std::fs::remove_file(path)
            .with_context(|| format!("removing stale `{}`", path.display()))?;
    }
    Ok(())
}
