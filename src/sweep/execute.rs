//! Running a sweep: the runs not yet recorded, in parallel on a rayon pool of `threads` threads,
//! each run single-threaded (its arms one after the other). Each finished run's rows are
//! appended to runs.csv at once; at the end (or on a stop) runs.csv is rewritten in run order,
//! so its bytes never depend on the thread count or on how often the sweep was resumed.
//!
//! Memory does not grow with the number of runs: it holds the plan, one bit per run (which runs
//! a resumed sweep found finished), the runs under way (one per thread, their timeseries dropped
//! when they end) and, at the end, the external sort's buffer
//! ([`runs_file::ROWS_IN_MEMORY`] rows) that puts runs.csv in run order while sweep.csv is
//! aggregated one variant at a time.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::report::{
    AppendFile, OutputPlan, SummaryRow, SweepData, plan_sweep_drawings, sweep_drawing_names,
};
use crate::sim::{ArmSim, RunOptions};
use crate::sweep::meta::SweepMeta;
use crate::sweep::runs_file::{self, ArmEnds};
use crate::sweep::shard::Shard;
use crate::sweep::{SweepError, SweepPlan};
use crate::util::BitSet;

/// How to run a sweep.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// Output folder.
    pub out_dir: PathBuf,
    /// Threads; 0 for one per core.
    pub threads: usize,
    /// Keep the finished runs already recorded in `out_dir` and run only the others.
    pub resume: bool,
    /// Run only this shard's runs (`--shard I/N`); no sweep.csv then (`sim merge` writes it).
    pub shard: Option<Shard>,
    /// Draw the sweep plots (SVG and PNG) when sweep.csv is written.
    pub plots: bool,
}

/// What a sweep did.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepReport {
    /// Runs to run: the grid's, or the shard's.
    pub runs: u64,
    /// Runs found finished when resuming.
    pub resumed: u64,
    /// Runs finished in all (resumed included).
    pub done: u64,
    /// Whether the sweep stopped early on request.
    pub stopped: bool,
    /// The files written, in `out_dir`.
    pub files: Vec<String>,
    /// How the arm runs in runs.csv ended.
    pub ends: ArmEnds,
}

/// Run `plan` as `opts` say. `stop` is polled before each run starts: once set, the runs under
/// way finish and are recorded, and no other starts. `progress(done)` is called after each run.
pub fn execute(
    plan: &SweepPlan,
    opts: &SweepOptions,
    stop: &AtomicBool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SweepReport, SweepError> {
    execute_buffered(plan, opts, runs_file::ROWS_IN_MEMORY, stop, progress)
}

/// [`execute`], with the external sort that rewrites runs.csv in run order keeping at most
/// `sort_buffer` rows in memory (a small buffer makes it spill to temporary files; the outputs
/// are the same).
pub fn execute_buffered(
    plan: &SweepPlan,
    opts: &SweepOptions,
    sort_buffer: usize,
    stop: &AtomicBool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SweepReport, SweepError> {
    let dir = &opts.out_dir;
    let runs_path = dir.join(RUNS);
    let meta_path = dir.join(META);
    let sweep_path = dir.join(SWEEP);
    let shard = opts.shard;
    let to_run = shard.map_or(plan.runs, |s| s.runs_of(plan.runs));
    let resuming = opts.resume && runs_path.exists();
    let finished = if resuming {
        let finished = resume(plan, shard, dir, &runs_path, &meta_path)?;
        // Keep the finished runs alone (this also drops a torn last line).
        runs_file::keep_runs(&runs_path, plan, &finished)?;
        finished
    } else {
        BitSet::new(plan.runs)
    };
    let resumed = finished.count();
    // sweep.json first: a try killed before runs.csv exists leaves a folder that `--resume`
    // starts afresh, never a runs.csv without the metadata that lets it be resumed. It says
    // `complete` only at the end, once runs.csv and sweep.csv are rewritten.
    let mut meta = SweepMeta::new(plan, shard, resumed);
    meta.complete = false;
    let mut start = OutputPlan::new();
    start.file(META, meta.render());
    if !resuming {
        start.file(RUNS, runs_file::render(plan, true, []));
    }
    if resumed < plan.runs || shard.is_some() {
        // sweep.csv and its drawings describe a finished sweep: an earlier one's would be stale.
        start.absent(SWEEP);
        for name in sweep_drawing_names() {
            start.absent(name);
        }
    }
    start.commit(dir)?;

    // The runs to start, longest variants first (as [`SweepPlan::longest_first`] orders them),
    // without a list of the runs: position `p` is seed `p mod seeds` of the `p / seeds`-th
    // variant in that order; runs of other shards, or finished, are skipped.
    let order = plan.variants_longest_first();
    let seeds = u64::from(plan.spec.seeds);
    let state = Mutex::new(State {
        file: AppendFile::open(&runs_path)?,
        done: resumed,
        error: None,
    });
    let failed = AtomicBool::new(false);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| SweepError::Threads {
            threads: opts.threads,
            message: e.to_string(),
        })?;
    // One worker per thread takes the next run from the shared order, longest first, so the
    // threads stay busy until none is left (rayon's splitting of a list of unequal runs could
    // leave one thread with the last long run while the other idles).
    let next = AtomicU64::new(0);
    let work = || {
        loop {
            if stop.load(Ordering::SeqCst) || failed.load(Ordering::SeqCst) {
                return;
            }
            let p = next.fetch_add(1, Ordering::SeqCst);
            if p >= plan.runs {
                return;
            }
            let run = order[(p / seeds) as usize] as u64 * seeds + p % seeds;
            if shard.is_some_and(|s| !s.has(run)) || finished.contains(run) {
                continue;
            }
            let result = one_run(plan, run);
            let mut st = state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let recorded = result.and_then(|rows| {
                st.file.append(&runs_file::render(plan, false, &rows))?;
                st.done += 1;
                Ok(())
            });
            match recorded {
                Ok(()) => progress(st.done),
                Err(e) => {
                    failed.store(true, Ordering::SeqCst);
                    if st.error.is_none() {
                        st.error = Some(e);
                    }
                }
            }
        }
    };
    pool.scope(|s| {
        for _ in 0..pool.current_num_threads() {
            s.spawn(|_| work());
        }
    });
    let st = state
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(e) = st.error {
        return Err(e);
    }
    drop(st.file);
    let done = st.done;
    let mut files = vec![RUNS.to_string()];
    let meta = SweepMeta::new(plan, shard, done).render();
    // runs.csv in run order and, for a whole finished sweep, sweep.csv from the same pass.
    let whole = done == plan.runs && shard.is_none();
    let ends = runs_file::sort_in_place(
        plan,
        &runs_path,
        whole.then_some(sweep_path.as_path()),
        sort_buffer,
    )?;
    let mut end = OutputPlan::new();
    if whole {
        files.push(SWEEP.to_string());
        if opts.plots {
            let table = std::fs::read(&sweep_path).map_err(|e| SweepError::Plots {
                message: format!("cannot read `{}` back: {e}", sweep_path.display()),
            })?;
            plan_drawings(&mut end, &table, &meta)?;
        }
    }
    // sweep.json last: it says `complete` once everything else is written.
    end.file(META, meta);
    files.extend(end.commit(dir)?);
    Ok(SweepReport {
        runs: to_run,
        resumed,
        done,
        stopped: done < to_run,
        files,
        ends,
    })
}

/// runs.csv: one row per run and arm.
pub const RUNS: &str = "runs.csv";
/// sweep.csv: the statistics over seeds, per variant and arm.
pub const SWEEP: &str = "sweep.csv";
/// sweep.json: the sweep's metadata (what `--resume` and `sim merge` check), written last.
pub const META: &str = "sweep.json";

/// Render the sweep plots of `sweep_csv` and `sweep_json` (the bytes of sweep.csv and
/// sweep.json) and the sweep's report.html into `plan`; a plot an earlier sweep left that this
/// one does not draw is absent from it (removed on commit).
pub fn plan_drawings(
    plan: &mut OutputPlan,
    sweep_csv: &[u8],
    sweep_json: &[u8],
) -> Result<(), SweepError> {
    let err = |message: String| SweepError::Plots { message };
    let data = SweepData::parse(sweep_csv, sweep_json).map_err(|e| err(e.to_string()))?;
    let meta: serde_json::Value =
        serde_json::from_slice(sweep_json).map_err(|e| err(e.to_string()))?;
    plan_sweep_drawings(plan, &data, &meta).map_err(|e| err(e.to_string()))
}

struct State {
    file: AppendFile,
    /// Runs finished (resumed included).
    done: u64,
    error: Option<SweepError>,
}

/// Simulate run `run` (its arms one after the other, on this thread) and render its rows.
fn one_run(plan: &SweepPlan, run: u64) -> Result<Vec<Vec<String>>, SweepError> {
    let (v, _) = plan.split(run);
    let scenario = plan.scenario(v)?;
    let seed = SweepPlan::run_seed(scenario.seed, run);
    let head = [run.to_string(), v.to_string(), seed.to_string()];
    let values = plan.value_cells(v);
    let mut rows = Vec::with_capacity(scenario.arms.len());
    for i in 0..scenario.arms.len() {
        let arm = ArmSim::new(&scenario, i, seed, RunOptions::default())
            .and_then(|a| a.run(&|_| ()))
            .map_err(|source| SweepError::Run {
                run,
                variant: v,
                seed,
                source,
            })?;
        let mut row: Vec<String> = head.to_vec();
        row.extend(values.iter().cloned());
        row.extend(SummaryRow::of(&arm).cells());
        rows.push(row);
    }
    Ok(rows)
}

/// The finished runs of an earlier try of this sweep in `dir`.
fn resume(
    plan: &SweepPlan,
    shard: Option<Shard>,
    dir: &Path,
    runs_path: &Path,
    meta_path: &Path,
) -> Result<BitSet, SweepError> {
    let err = |message: String| SweepError::Resume {
        dir: dir.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(meta_path).map_err(|e| {
        err(format!(
            "`{}` has runs.csv but `{}` cannot be read ({e}); expected the folder of an earlier `sim sweep` of this file",
            dir.display(),
            meta_path.display()
        ))
    })?;
    let meta: SweepMeta = serde_json::from_str(&text).map_err(|e| {
        err(format!(
            "`{}` is not sweep metadata: {e}",
            meta_path.display()
        ))
    })?;
    if meta.sweep_sha256 != plan.spec.sha256 {
        return Err(err(format!(
            "the results come from another sweep file (sha256 {} in sweep.json, {} for `{}`); resume with the same file, or use another --out",
            meta.sweep_sha256,
            plan.spec.sha256,
            plan.spec.path.display()
        )));
    }
    if meta.scenario_sha256 != plan.base.source_sha256 {
        return Err(err(format!(
            "the scenario `{}` changed since the results were recorded (sha256 {} in sweep.json, {} now); resume with the same scenario, or use another --out",
            plan.spec.scenario.display(),
            meta.scenario_sha256,
            plan.base.source_sha256
        )));
    }
    let recorded = meta.shard.as_ref().map(|s| s.shard());
    if recorded != shard {
        let name =
            |s: Option<Shard>| s.map_or_else(|| "the whole sweep".into(), |s| format!("shard {s}"));
        return Err(err(format!(
            "the folder holds {} and this try asks for {}; resume with the same --shard, or use another --out",
            name(recorded),
            name(shard)
        )));
    }
    let finished = runs_file::finished_runs(runs_path, plan).map_err(err)?;
    if let (Some(s), Some(run)) = (
        shard,
        finished.iter().find(|&r| shard.is_some_and(|s| !s.has(r))),
    ) {
        return Err(err(format!(
            "runs.csv has run {run}, which is not in shard {s}"
        )));
    }
    Ok(finished)
}
