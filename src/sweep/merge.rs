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
//!
//! Memory does not grow with the runs: the shards' rows are checked as they are read (one bit
//! per run of the grid says which are whole) and go through the external sort, which writes
//! runs.csv in run order and sweep.csv in one pass, published only when every check passed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::report::OutputPlan;
use crate::sweep::SweepError;
use crate::sweep::execute::{META, RUNS, SWEEP, plan_drawings};
use crate::sweep::meta::SweepMeta;
use crate::sweep::runs_file::{self, ArmEnds, Layout, RunRow, write_run_order};
use crate::sweep::shard::Shard;
use crate::util::{BitSet, ExternalSort};

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeReport {
    /// Runs in the grid (all of them merged).
    pub runs: u64,
    /// Shards merged.
    pub shards: u64,
    /// The files written, in the output folder.
    pub files: Vec<String>,
    /// How the arm runs in runs.csv ended.
    pub ends: ArmEnds,
}

fn refuse(message: String) -> SweepError {
    SweepError::Merge { message }
}

/// Merge the shard folders `dirs` into `out`; with `plots`, draw the sweep plots too.
pub fn merge(dirs: &[PathBuf], out: &Path, plots: bool) -> Result<MergeReport, SweepError> {
    merge_buffered(dirs, out, plots, runs_file::ROWS_IN_MEMORY)
}

/// [`merge`], with the external sort keeping at most `sort_buffer` rows in memory (a small
/// buffer makes it spill to temporary files; the outputs are the same).
pub fn merge_buffered(
    dirs: &[PathBuf],
    out: &Path,
    plots: bool,
    sort_buffer: usize,
) -> Result<MergeReport, SweepError> {
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
    let mut sort = ExternalSort::new(sort_buffer);
    let mut whole = BitSet::new(first.runs);
    for (source, (dir, shard)) in dirs.iter().zip(&shards).enumerate() {
        read_runs(
            dir,
            &layout,
            *shard,
            u32::try_from(source).unwrap_or(u32::MAX),
            &mut whole,
            &mut sort,
        )?;
    }
    if whole.count() < first.runs {
        // Shards that hold runs (an index ≥ the runs holds none) and were not given.
        let absent: Vec<u64> = (0..count.min(first.runs))
            .filter(|i| !by_index.contains_key(i))
            .collect();
        let mut missing = Ranges::default();
        for r in whole.missing() {
            missing.push(r);
        }
        return Err(refuse(format!(
            "{} of {} runs are missing: run {}{}",
            first.runs - whole.count(),
            first.runs,
            missing,
            if absent.is_empty() {
                String::new()
            } else {
                format!(" (shards of {count} not given: {})", ranges(&absent))
            }
        )));
    }
    let sorted = sort.finish().map_err(|source| crate::report::OutputError {
        path: out.join("runs.csv"),
        error: source,
    })?;
    // Every run is whole in one shard (checked above); the sorted rows are checked once more
    // as they are written, a run recorded twice naming both folders.
    let arms = layout.arms.len() as u32;
    let mut expected: (u64, u32) = (0, 0);
    let mut last_source = 0usize;
    let ends = write_run_order(
        &layout,
        sorted,
        &out.join("runs.csv"),
        Some(&out.join("sweep.csv")),
        |row| {
            let source = row.source as usize;
            if (row.run, row.arm) != expected {
                return Err(refuse(if (row.run, row.arm) < expected {
                    format!(
                        "run {} is recorded twice: in `{}` and in `{}`",
                        row.run,
                        dirs[last_source].display(),
                        dirs[source].display()
                    )
                } else {
                    format!("run {} is missing", expected.0)
                }));
            }
            expected = if row.arm + 1 == arms {
                (row.run + 1, 0)
            } else {
                (row.run, row.arm + 1)
            };
            last_source = source;
            Ok(())
        },
    )?;
    let mut meta = first.clone();
    meta.shard = None;
    meta.runs_done = first.runs;
    meta.complete = true;
    let meta = meta.render();
    let mut files = vec![RUNS.to_string(), SWEEP.to_string()];
    let mut end = OutputPlan::new();
    if plots {
        let sweep_path = out.join(SWEEP);
        let table = std::fs::read(&sweep_path).map_err(|e| SweepError::Plots {
            message: format!("cannot read `{}` back: {e}", sweep_path.display()),
        })?;
        plan_drawings(&mut end, &table, &meta)?;
    }
    end.file(META, meta);
    files.extend(end.commit(out)?);
    Ok(MergeReport {
        runs: first.runs,
        shards: dirs.len() as u64,
        files,
        ends,
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

/// Check `dir`'s runs.csv row by row (every run whole, in arm order, and in `shard`), mark its
/// runs in `whole` and push its rows, tagged with `source`, into `sort`.
fn read_runs(
    dir: &Path,
    layout: &Layout,
    shard: Shard,
    source: u32,
    whole: &mut BitSet,
    sort: &mut ExternalSort<RunRow>,
) -> Result<(), SweepError> {
    let grid_runs = whole.capacity();
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
    // Runs with some of their arms so far: the arms seen.
    let mut open: BTreeMap<u64, usize> = BTreeMap::new();
    for (line, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| at(format!("row {}: {e}", line + 2)))?;
        let run = rec[0].parse::<u64>().map_err(|_| {
            at(format!(
                "row {}: run `{}` is not a run index",
                line + 2,
                &rec[0]
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
        if rec[1] != (run / seeds).to_string() {
            return Err(at(format!(
                "row {}: run {run} is marked variant {}; expected {}",
                line + 2,
                &rec[1],
                run / seeds
            )));
        }
        // Shards are disjoint, so a whole run was made whole by this file.
        let arm = open.remove(&run).unwrap_or(if whole.contains(run) {
            layout.arms.len()
        } else {
            0
        });
        if layout
            .arms
            .get(arm)
            .is_none_or(|(name, _)| rec[off] != *name)
        {
            return Err(at(format!(
                "row {}: run {run} has arm `{}` where {} expected (a run recorded twice, or rows out of order)",
                line + 2,
                &rec[off],
                layout
                    .arms
                    .get(arm)
                    .map_or_else(|| "no more arms were".into(), |(n, _)| format!("`{n}` was"))
            )));
        }
        if arm + 1 == layout.arms.len() {
            whole.insert(run);
        } else {
            open.insert(run, arm + 1);
        }
        sort.push(RunRow {
            run,
            arm: arm as u32,
            source,
            record: rec.into_byte_record(),
        })
        .map_err(|e| at(format!("cannot sort its rows ({e})")))?;
    }
    if let Some((run, n)) = open.first_key_value() {
        return Err(at(format!(
            "run {run} has {n} of {} arms",
            layout.arms.len()
        )));
    }
    Ok(())
}

/// Run indexes in ascending order, written as `0-3, 7, 9-10`: at most 20 pieces, then how many
/// more there are (so a huge list costs no memory).
#[derive(Debug, Default)]
struct Ranges {
    pieces: Vec<(u64, u64)>,
    more: usize,
    last: Option<u64>,
}

impl Ranges {
    const SHOWN: usize = 20;

    /// Add `r` (greater than every index added before).
    fn push(&mut self, r: u64) {
        let extends = self.last.is_some_and(|l| l + 1 == r);
        self.last = Some(r);
        if extends {
            if self.more == 0
                && let Some(p) = self.pieces.last_mut()
            {
                p.1 = r;
            }
        } else if self.pieces.len() < Self::SHOWN {
            self.pieces.push((r, r));
        } else {
            self.more += 1;
        }
    }
}

impl std::fmt::Display for Ranges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, &(a, b)) in self.pieces.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if a == b {
                write!(f, "{a}")?;
            } else {
                write!(f, "{a}-{b}")?;
            }
        }
        if self.more > 0 {
            write!(f, " and {} more ranges", self.more)?;
        }
        Ok(())
    }
}

/// `0-3, 7, 9-10`, at most 20 pieces.
fn ranges(runs: &[u64]) -> String {
    let mut r = Ranges::default();
    for &i in runs {
        r.push(i);
    }
    r.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_join_neighbours_and_cap_the_pieces() {
        assert_eq!(ranges(&[0, 1, 2, 3, 7, 9, 10]), "0-3, 7, 9-10");
        assert_eq!(ranges(&[]), "");
        // Even indexes to 100 and 39: 38-40 is the 20th piece, 42 to 100 the 30 more.
        let mut runs: Vec<u64> = (0..=100).step_by(2).collect();
        runs.insert(20, 39);
        let text = ranges(&runs);
        assert!(text.starts_with("0, 2, 4, "), "{text}");
        assert!(text.ends_with(", 36, 38-40 and 30 more ranges"), "{text}");
    }
}
