//! `sim merge`: gather the output folders of a sweep's shards into the outputs the whole sweep
//! would have written, byte for byte (runs.csv in run order, sweep.csv by the same aggregation,
//! sweep.json marked complete, without a shard).
//!
//! Refused (exit status 2, [`SweepError::Merge`]): a folder without a readable sweep.json or
//! runs.csv; shards of different sweeps (the sweep file's or the scenario's SHA-256, the grid or
//! the shard count differ: a "foreign" shard); the same shard twice, or a run recorded twice; a
//! run that belongs to another shard; an unfinished shard; any run of the grid missing (the
//! message lists the missing run indexes). Only sweep.json and runs.csv are read, so the merge
//! needs neither the sweep file nor the scenario.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::report::write_atomic;
use crate::sweep::SweepError;
use crate::sweep::aggregate::sweep_csv;
use crate::sweep::execute::write_plots;
use crate::sweep::meta::SweepMeta;
use crate::sweep::runs_file::{FinishedRuns, Layout, render_rows};
use crate::sweep::shard::Shard;

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeReport {
    /// Runs in the grid (all of them merged).
    pub runs: u64,
    /// Shards merged.
    pub shards: u64,
    /// The files written, in the output folder.
    pub files: Vec<&'static str>,
}

fn refuse(message: String) -> SweepError {
    SweepError::Merge { message }
}

/// Merge the shard folders `dirs` into `out`; with `plots`, draw the sweep plots too.
pub fn merge(dirs: &[PathBuf], out: &Path, plots: bool) -> Result<MergeReport, SweepError> {
    let Some(first_dir) = dirs.first() else {
        return Err(refuse("no shard folders given".into()));
    };
    let metas: Vec<SweepMeta> = dirs
        .iter()
        .map(|d| read_meta(d))
        .collect::<Result<_, _>>()?;
    let first = &metas[0];
    let shards: Vec<Shard> = metas
        .iter()
        .map(|m| m.shard.as_ref().map_or(Shard::WHOLE, |s| s.shard()))
        .collect();
    let count = shards[0].count;
    let mut by_index: BTreeMap<u64, &PathBuf> = BTreeMap::new();
    for ((dir, meta), shard) in dirs.iter().zip(&metas).zip(&shards) {
        if let Some(why) = foreign(first, meta) {
            return Err(refuse(format!(
                "`{}` holds a shard of another sweep than `{}`: {why}",
                dir.display(),
                first_dir.display()
            )));
        }
        if shard.count != count {
            return Err(refuse(format!(
                "`{}` holds shard {shard} but `{}` holds shard {}; all shards must be of one --shard I/N split",
                dir.display(),
                first_dir.display(),
                shards[0]
            )));
        }
        if let Some(other) = by_index.insert(shard.index, dir) {
            return Err(refuse(format!(
                "shard {shard} is given twice: `{}` and `{}` (duplicate runs)",
                other.display(),
                dir.display()
            )));
        }
        if !meta.complete {
            let to_run = shard.runs_of(meta.runs);
            return Err(refuse(format!(
                "shard {shard} in `{}` is unfinished ({} of {to_run} runs recorded); finish it with `sim sweep … --shard {shard} --resume` in that folder",
                dir.display(),
                meta.runs_done
            )));
        }
    }
    let layout = first.layout();
    if layout.arms.len() != first.arms.len() || layout.arms.is_empty() {
        return Err(refuse(format!(
            "`{}` has no launch types for its arms (written by an older sim?); rerun the shard",
            dirs[0].join("sweep.json").display()
        )));
    }
    let mut runs: FinishedRuns = BTreeMap::new();
    let mut from: BTreeMap<u64, &PathBuf> = BTreeMap::new();
    for (dir, shard) in dirs.iter().zip(&shards) {
        for (run, rows) in read_runs(dir, &layout, first.runs, *shard)? {
            if let Some(other) = from.insert(run, dir) {
                return Err(refuse(format!(
                    "run {run} is recorded twice: in `{}` and in `{}`",
                    other.display(),
                    dir.display()
                )));
            }
            runs.insert(run, rows);
        }
    }
    let missing: Vec<u64> = (0..first.runs).filter(|r| !runs.contains_key(r)).collect();
    if !missing.is_empty() {
        // Shards that hold runs (an index ≥ the runs holds none) and were not given.
        let absent: Vec<u64> = (0..count.min(first.runs))
            .filter(|i| !by_index.contains_key(i))
            .collect();
        return Err(refuse(format!(
            "{} of {} runs are missing: run {}{}",
            missing.len(),
            first.runs,
            ranges(&missing),
            if absent.is_empty() {
                String::new()
            } else {
                format!(" (shards of {count} not given: {})", ranges(&absent))
            }
        )));
    }
    write_atomic(
        &out.join("runs.csv"),
        &render_rows(Some(layout.header()), runs.values().flatten()),
    )?;
    let table = sweep_csv(&layout, &runs);
    write_atomic(&out.join("sweep.csv"), &table)?;
    let mut meta = first.clone();
    meta.shard = None;
    meta.runs_done = first.runs;
    meta.complete = true;
    let meta = meta.render();
    let mut files = vec!["runs.csv", "sweep.csv"];
    if plots {
        files.extend(write_plots(out, &table, &meta)?);
    }
    write_atomic(&out.join("sweep.json"), &meta)?;
    files.push("sweep.json");
    Ok(MergeReport {
        runs: first.runs,
        shards: dirs.len() as u64,
        files,
    })
}

fn read_meta(dir: &Path) -> Result<SweepMeta, SweepError> {
    let path = dir.join("sweep.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        refuse(format!(
            "cannot read `{}` ({e}); expected the --out folder of `sim sweep … --shard I/N`",
            path.display()
        ))
    })?;
    serde_json::from_str(&text)
        .map_err(|e| refuse(format!("`{}` is not sweep metadata: {e}", path.display())))
}

/// Why `b` is not a shard of the same sweep as `a`, if it is not.
fn foreign(a: &SweepMeta, b: &SweepMeta) -> Option<String> {
    if a.sweep_sha256 != b.sweep_sha256 {
        return Some(format!(
            "the sweep file's sha256 is {} (`{}`), not {} (`{}`)",
            b.sweep_sha256, b.sweep_file, a.sweep_sha256, a.sweep_file
        ));
    }
    if a.scenario_sha256 != b.scenario_sha256 {
        return Some(format!(
            "the scenario's sha256 is {}, not {}",
            b.scenario_sha256, a.scenario_sha256
        ));
    }
    if (
        &a.parameters,
        a.variants,
        a.seeds,
        a.runs,
        &a.arms,
        &a.launch_types,
    ) != (
        &b.parameters,
        b.variants,
        b.seeds,
        b.runs,
        &b.arms,
        &b.launch_types,
    ) {
        return Some("its grid (parameters, variants, seeds or arms) differs".into());
    }
    None
}

/// The rows of `dir`'s runs.csv by run, every run whole and in `shard`.
fn read_runs(
    dir: &Path,
    layout: &Layout,
    grid_runs: u64,
    shard: Shard,
) -> Result<FinishedRuns, SweepError> {
    let path = dir.join("runs.csv");
    let at = |what: String| refuse(format!("`{}`: {what}", path.display()));
    let mut r = csv::Reader::from_path(&path).map_err(|e| at(format!("cannot read it ({e})")))?;
    let expected = layout.header();
    let found: Vec<String> = r
        .headers()
        .map_err(|e| at(format!("cannot read it ({e})")))?
        .iter()
        .map(String::from)
        .collect();
    if found != expected {
        return Err(at(format!(
            "the columns are {}; this sweep writes {}",
            found.join(","),
            expected.join(",")
        )));
    }
    let off = layout.summary_offset();
    let seeds = u64::from(layout.seeds);
    let mut by_run: FinishedRuns = BTreeMap::new();
    for (line, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| at(format!("row {}: {e}", line + 2)))?;
        let row: Vec<String> = rec.iter().map(String::from).collect();
        let run = row[0].parse::<u64>().map_err(|_| {
            at(format!(
                "row {}: run `{}` is not a run index",
                line + 2,
                row[0]
            ))
        })?;
        if run >= grid_runs {
            return Err(at(format!(
                "row {}: run {run} is outside the sweep's {grid_runs} runs",
                line + 2
            )));
        }
        if !shard.has(run) {
            return Err(at(format!(
                "row {}: run {run} does not belong to shard {shard}",
                line + 2
            )));
        }
        if row[1] != (run / seeds).to_string() {
            return Err(at(format!(
                "row {}: run {run} is marked variant {}; expected {}",
                line + 2,
                row[1],
                run / seeds
            )));
        }
        let rows = by_run.entry(run).or_default();
        let arm = rows.len();
        if layout
            .arms
            .get(arm)
            .is_none_or(|(name, _)| row[off] != *name)
        {
            return Err(at(format!(
                "row {}: run {run} has arm `{}` where {} expected (a run recorded twice, or rows out of order)",
                line + 2,
                row[off],
                layout
                    .arms
                    .get(arm)
                    .map_or_else(|| "no more arms were".into(), |(n, _)| format!("`{n}` was"))
            )));
        }
        rows.push(row);
    }
    if let Some((run, rows)) = by_run.iter().find(|(_, r)| r.len() != layout.arms.len()) {
        return Err(at(format!(
            "run {run} has {} of {} arms",
            rows.len(),
            layout.arms.len()
        )));
    }
    Ok(by_run)
}

/// `0-3, 7, 9-10`, at most 20 pieces.
fn ranges(runs: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let mut j = i;
        while j + 1 < runs.len() && runs[j + 1] == runs[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            runs[i].to_string()
        } else {
            format!("{}-{}", runs[i], runs[j])
        });
        i = j + 1;
    }
    let more = parts.len().saturating_sub(20);
    parts.truncate(20);
    let mut s = parts.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more ranges"));
    }
    s
}
