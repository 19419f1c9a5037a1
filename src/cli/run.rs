//! `sim run`: simulate every arm, print the comparison, write the outputs.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::cli::{UsageError, show_progress};
use crate::report::run_json::{ArmInfo, prices_used, scenario_info};
use crate::report::{
    RunData, RunFiles, RunInfo, breakeven_csv, commitments_csv, comparison_table, has_breakeven,
    plan_run_drawings, run_json, scaling_csv, summary_csv, tasks_csv, timeseries_csv, usage_csv,
    waits_csv,
};
use crate::sim::RunOptions;

/// Arguments of `sim run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Output folder (default: output/<scenario name>/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed instead of the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Only these arms (comma-separated names).
    #[arg(long, value_delimiter = ',')]
    only: Option<Vec<String>>,
    /// Also write tasks.csv, one row per task attempt and arm.
    #[arg(long)]
    tasks_csv: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Do not draw the run plots (<name>.svg and <name>.png) nor report.html (they can be drawn
    /// later from the CSV files with `sim report DIR`).
    #[arg(long)]
    no_plots: bool,
}

/// Run the pipeline: load → select arms → simulate → export.
#[allow(clippy::print_stderr)]
pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let scenario = crate::scenario::load(&args.scenario)?;
    for w in &scenario.warnings {
        eprintln!("warning: {w}");
    }
    let seed = args.seed.unwrap_or(scenario.seed);
    let arms: Vec<usize> = match &args.only {
        None => (0..scenario.arms.len()).collect(),
        Some(names) => {
            let mut idx = Vec::new();
            for n in names {
                let n = n.trim();
                let i = scenario
                    .arms
                    .iter()
                    .position(|a| a.name == n)
                    .ok_or_else(|| {
                        let known: Vec<&str> =
                            scenario.arms.iter().map(|a| a.name.as_str()).collect();
                        UsageError(format!(
                            "--only: no arm named `{n}` in `{}`; expected one of {}",
                            args.scenario.display(),
                            known.join(", ")
                        ))
                    })?;
                if !idx.contains(&i) {
                    idx.push(i);
                }
            }
            // Outputs keep the scenario's arm order, whatever the order given.
            idx.sort_unstable();
            idx
        }
    };
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));

    let bars = Bars::new(show_progress(args.quiet), &scenario, &arms);
    let opts = RunOptions {
        record_tasks: args.tasks_csv,
        ..RunOptions::default()
    };
    let outcome = crate::sim::run(&scenario, &arms, seed, opts, &|arm, t| {
        bars.tick(arm, t.as_ms())
    })
    .with_context(|| format!("simulating `{}`", args.scenario.display()))?;
    bars.finish();
    let arm_warnings: Vec<String> = outcome
        .arms
        .iter()
        .flat_map(|a| a.warnings.iter().cloned())
        .collect();
    for w in &arm_warnings {
        eprintln!("warning: {w}");
    }

    let scales = outcome.arms.iter().any(|a| !a.scaling.is_empty());
    let breakeven = has_breakeven(&outcome);
    let info = RunInfo {
        sim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario.name.clone(),
        scenario_file: args.scenario.display().to_string(),
        scenario_sha256: scenario.source_sha256.clone(),
        seed,
        arms: outcome
            .arms
            .iter()
            .map(|a| ArmInfo {
                name: a.arm.clone(),
                launch_type: a.launch_type.to_string(),
                events_processed: a.events,
                end_s: a.end.as_secs_f64(),
                outcome: a.summary.outcome.as_str().to_string(),
                outcome_reason: a.summary.outcome_reason.map(|r| r.as_str().to_string()),
            })
            .collect(),
        wall_time_s: started.elapsed().as_secs_f64(),
        events_processed: outcome.arms.iter().map(|a| a.events).sum(),
        warnings: scenario
            .warnings
            .iter()
            .chain(&arm_warnings)
            .cloned()
            .collect(),
        scenario_details: scenario_info(&scenario, &arms, seed),
        prices: prices_used(&scenario, &arms),
        discount_factor: scenario.pricing.discount_factor,
    };
    // The plots and report.html are drawn from these bytes, as `sim report` draws them from
    // the files.
    let files = RunFiles {
        summary: summary_csv(&outcome),
        timeseries: timeseries_csv(&outcome),
        scaling: scales.then(|| scaling_csv(&outcome)),
        waits: Some(waits_csv(&outcome)),
        breakeven: breakeven.then(|| breakeven_csv(&outcome, &scenario)),
        usage: usage_csv(&outcome),
        commitments: commitments_csv(&outcome),
        run_json: run_json(&info),
    };
    let run = if args.no_plots {
        None
    } else {
        Some(RunData::parse(&files)?)
    };
    let mut plan = files.plan(args.tasks_csv.then(|| tasks_csv(&outcome)));
    let plots = plan_run_drawings(&mut plan, run.as_ref())?;
    plan.commit(&out_dir)?;

    say!("{}", comparison_table(&outcome))?;
    let mut files = vec!["summary.csv", "timeseries.csv", "waits.csv"];
    if args.tasks_csv {
        files.push("tasks.csv");
    }
    if scales {
        files.push("scaling.csv");
    }
    if breakeven {
        files.push("breakeven.csv");
    }
    if outcome.arms.iter().any(|a| !a.usage.is_empty()) {
        files.push("usage.csv");
    }
    if outcome.arms.iter().any(|a| a.commitments.is_some()) {
        files.push("commitments.csv");
    }
    files.push("run.json");
    let mut files: Vec<String> = files.into_iter().map(String::from).collect();
    files.extend(plots.iter().map(|p| format!("{p}.{{svg,png}}")));
    if !args.no_plots {
        files.push("report.html".into());
    }
    sayln!("wrote {} in {}/", files.join(", "), out_dir.display())?;
    Ok(())
}

/// One progress bar per arm, on stderr, when it is a terminal.
struct Bars {
    bars: Vec<(usize, ProgressBar)>,
    _multi: Option<MultiProgress>,
    lock: Mutex<()>,
}

impl Bars {
    fn new(show: bool, scenario: &crate::scenario::Scenario, arms: &[usize]) -> Bars {
        if !show {
            return Bars {
                bars: Vec::new(),
                _multi: None,
                lock: Mutex::new(()),
            };
        }
        let multi = MultiProgress::new();
        let style = ProgressStyle::with_template("{prefix:>16} [{bar:30}] {percent:>3}% {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let len = scenario.horizon.map_or(0, |h| h.as_ms());
        let bars = arms
            .iter()
            .map(|&i| {
                let b = multi.add(if len > 0 {
                    ProgressBar::new(len)
                } else {
                    ProgressBar::new_spinner()
                });
                b.set_style(style.clone());
                b.set_prefix(scenario.arms[i].name.clone());
                (i, b)
            })
            .collect();
        Bars {
            bars,
            _multi: Some(multi),
            lock: Mutex::new(()),
        }
    }

    fn tick(&self, arm: usize, t_ms: u64) {
        let _guard = self.lock.lock();
        if let Some((_, b)) = self.bars.iter().find(|(i, _)| *i == arm) {
            b.set_position(t_ms);
            b.set_message(format!("t = {}", crate::time::SimTime(t_ms)));
        }
    }

    fn finish(&self) {
        for (_, b) in &self.bars {
            b.finish_and_clear();
        }
    }
}
