//! runs.csv: one row per run and arm: `run, variant, seed`, one column per parameter, then the
//! summary.csv columns. Rows are rendered here; the sweep appends them as runs finish and
//! rewrites the file in run order at the end. Reading it back (for `--resume`) keeps the runs
//! that have a row for every arm, and drops a torn last line.

use std::collections::BTreeMap;
use std::path::Path;

use crate::report::csv_out::SUMMARY_COLUMNS;
use crate::sweep::SweepPlan;

/// The rows of finished runs, by run index.
pub type FinishedRuns = BTreeMap<u64, Vec<Vec<String>>>;

/// The shape of a sweep's outputs, known from the plan or from sweep.json alone (so that
/// `sim merge` needs no sweep file): parameters, arms, variants, seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Parameter names (dotted paths), in order.
    pub parameters: Vec<String>,
    /// Arm names and launch types, in scenario order.
    pub arms: Vec<(String, String)>,
    /// Number of variants.
    pub variants: usize,
    /// Seeds per variant.
    pub seeds: u32,
}

impl Layout {
    /// The layout of `plan`.
    pub fn of(plan: &SweepPlan) -> Layout {
        Layout {
            parameters: plan
                .parameter_names()
                .into_iter()
                .map(String::from)
                .collect(),
            arms: plan
                .arms
                .iter()
                .map(|(n, l)| (n.clone(), (*l).to_string()))
                .collect(),
            variants: plan.variants,
            seeds: plan.spec.seeds,
        }
    }

    /// The runs.csv header: run, variant, seed, the parameters, the summary columns.
    pub fn header(&self) -> Vec<String> {
        let mut h: Vec<String> = ["run", "variant", "seed"].map(String::from).to_vec();
        h.extend(self.parameters.iter().cloned());
        h.extend(SUMMARY_COLUMNS.iter().map(|s| s.to_string()));
        h
    }

    /// Where the summary columns start in a runs.csv row.
    pub fn summary_offset(&self) -> usize {
        3 + self.parameters.len()
    }
}

/// The header: run, variant, seed, the parameters, the summary columns.
pub fn header(plan: &SweepPlan) -> Vec<String> {
    Layout::of(plan).header()
}

/// Where the summary columns start in a row.
pub fn summary_offset(plan: &SweepPlan) -> usize {
    3 + plan.spec.parameters.len()
}

/// CSV bytes of `rows` (with the header first when `with_header`).
pub fn render<'a>(
    plan: &SweepPlan,
    with_header: bool,
    rows: impl IntoIterator<Item = &'a Vec<String>>,
) -> Vec<u8> {
    render_rows(with_header.then(|| header(plan)), rows)
}

/// CSV bytes of `rows`, after `header` if given.
pub fn render_rows<'a>(
    header: Option<Vec<String>>,
    rows: impl IntoIterator<Item = &'a Vec<String>>,
) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if let Some(h) = header {
        let _ = w.write_record(h);
    }
    for r in rows {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// The finished runs recorded in `path`. A row that is cut short (a torn last line) ends the
/// reading; a run without a row for every arm is not finished. The error says what does not
/// fit this sweep.
pub fn read_finished(path: &Path, plan: &SweepPlan) -> Result<FinishedRuns, String> {
    let mut bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    // Only whole lines count: a write cut inside the last field still has every field, so a
    // last line without its newline is dropped (its run is done again).
    let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    bytes.truncate(whole);
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let expected = header(plan);
    let found: Vec<String> = r
        .headers()
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?
        .iter()
        .map(String::from)
        .collect();
    if found != expected {
        return Err(format!(
            "`{}` has the columns {}; this sweep writes {}",
            path.display(),
            found.join(","),
            expected.join(",")
        ));
    }
    let off = summary_offset(plan);
    let mut by_run: FinishedRuns = BTreeMap::new();
    for rec in r.records() {
        let Ok(rec) = rec else { break };
        if rec.len() != expected.len() {
            break;
        }
        let row: Vec<String> = rec.iter().map(String::from).collect();
        let Ok(run) = row[0].parse::<u64>() else {
            return Err(format!(
                "`{}`: run `{}` is not a run index",
                path.display(),
                row[0]
            ));
        };
        if run >= plan.runs {
            return Err(format!(
                "`{}`: run {run} is outside this sweep's {} runs",
                path.display(),
                plan.runs
            ));
        }
        let (v, _) = plan.split(run);
        if row[1] != v.to_string() || row[3..off] != plan.value_cells(v)[..] {
            return Err(format!(
                "`{}`: run {run} has other parameter values than this sweep's variant {v}",
                path.display()
            ));
        }
        by_run.entry(run).or_default().push(row);
    }
    by_run.retain(|_, rows| {
        rows.len() == plan.arms.len()
            && rows
                .iter()
                .zip(&plan.arms)
                .all(|(r, (name, _))| &r[off] == name)
    });
    Ok(by_run)
}
