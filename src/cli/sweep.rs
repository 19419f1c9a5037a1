//! `sim sweep`: plan and validate every variant, run the grid in parallel, write runs.csv,
//! sweep.csv, sweep.json and the sweep plots.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::show_progress;
use crate::sweep::runs_file::ArmEnds;
use crate::sweep::{Shard, SweepOptions, SweepPlan, execute};

/// Arguments of `sim sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The sweep file (TOML, docs/sweeps.md).
    sweep: PathBuf,
    /// Output folder (default: output/<sweep file name>/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Runs at once (default: one per core). Each run is single-threaded.
    #[arg(long)]
    threads: Option<usize>,
    /// Run only shard I of N: the runs r with r mod N = I (`auto/N`: I from
    /// SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX). Gather the
    /// shards' folders with `sim merge`.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Keep the runs already recorded in the output folder by an earlier, interrupted try of
    /// the same sweep file, and run only the others.
    #[arg(long)]
    resume: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Do not draw the sweep plots (sweep_cost, sweep_frontier, sweep_ratio; SVG and PNG).
    #[arg(long)]
    no_plots: bool,
}

/// Plan → validate every variant → run → export.
#[allow(clippy::print_stderr)]
pub fn sweep(args: &SweepArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    if args.threads == Some(0) {
        return Err(crate::cli::UsageError(
            "--threads: found 0; expected at least 1 (leave it out for one per core)".into(),
        )
        .into());
    }
    let shard = match &args.shard {
        Some(text) => {
            Some(Shard::parse(text, &|v| std::env::var(v).ok()).map_err(crate::cli::UsageError)?)
        }
        None => None,
    };
    let plan = SweepPlan::load(&args.sweep)?;
    for w in &plan.base.warnings {
        eprintln!("warning: {w}");
    }
    let out_dir = args.out.clone().unwrap_or_else(|| {
        let stem = args
            .sweep
            .file_stem()
            .map_or_else(|| "sweep".into(), |s| s.to_string_lossy().into_owned());
        Path::new("output").join(stem)
    });

    // Ctrl-C (or SIGTERM) lets the runs under way finish and be recorded, then stops.
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        eprintln!("warning: cannot catch Ctrl-C ({e}); an interrupt will lose the runs under way");
    }

    let bar = if show_progress(args.quiet) {
        let b = ProgressBar::new(shard.map_or(plan.runs, |s| s.runs_of(plan.runs)));
        b.set_style(
            ProgressStyle::with_template(
                "{bar:30} {pos}/{len} runs  {per_sec}  elapsed {elapsed}  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let opts = SweepOptions {
        out_dir: out_dir.clone(),
        threads: args.threads.unwrap_or(0),
        resume: args.resume,
        shard,
        plots: !args.no_plots,
    };
    let report = execute(&plan, &opts, &stop, &|done| bar.set_position(done))
        .with_context(|| format!("sweeping `{}`", args.sweep.display()))?;
    bar.finish_and_clear();

    if report.stopped {
        anyhow::bail!(
            "interrupted: {} of {} runs finished and recorded in {}/runs.csv; run again with --resume to finish",
            report.done,
            report.runs,
            out_dir.display()
        );
    }
    sayln!(
        "{}{} runs ({} variants × {} seeds, {} arms each){} in {:.1}s",
        shard.map_or_else(String::new, |s| format!(
            "shard {s}: {} of the ",
            report.runs
        )),
        plan.runs,
        plan.variants,
        plan.spec.seeds,
        plan.arms.len(),
        if report.resumed > 0 {
            format!(", {} of them recorded before", report.resumed)
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    )?;
    sayln!(
        "wrote {} in {}/",
        report.files.join(", "),
        out_dir.display()
    )?;
    if let Some(w) = shortfall_warning(&report.ends) {
        eprintln!("warning: {w}");
    }
    if let Some(s) = shard {
        sayln!(
            "when all {} shards are done: sim merge SHARD_FOLDERS... --out DIR (shard {s} is in {})",
            s.count,
            out_dir.display()
        )?;
    }
    Ok(())
}

/// Arguments of `sim merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shards' output folders (each written by `sim sweep … --shard I/N`).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Output folder (default: output/merged/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Do not draw the sweep plots.
    #[arg(long)]
    no_plots: bool,
}

/// Check the shards → write runs.csv, sweep.csv and sweep.json as the whole sweep would.
#[allow(clippy::print_stderr)]
pub fn merge(args: &MergeArgs) -> anyhow::Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join("merged"));
    let report = crate::sweep::merge(&args.dirs, &out, !args.no_plots)?;
    sayln!(
        "merged {} runs from {} shard folders; wrote {} in {}/",
        report.runs,
        report.shards,
        report.files.join(", "),
        out.display()
    )?;
    if let Some(w) = shortfall_warning(&report.ends) {
        eprintln!("warning: {w}");
    }
    Ok(())
}

/// What a sweep says when some arm runs did less work than the workload asks (they ended
/// incomplete or saturated), since it prints no per-run warning: how many, and where to look.
fn shortfall_warning(e: &ArmEnds) -> Option<String> {
    let short = e.incomplete + e.saturated;
    (short > 0).then(|| {
        format!(
            "{short} of {} arm runs did less work than the workload asks ({} incomplete, {} saturated; runs.csv `outcome` and `outcome_reason` say which and why); sweep.csv compares only complete arms (`cheapest_arm`, `cost_vs_cheapest`)",
            e.arm_runs, e.incomplete, e.saturated
        )
    })
}
