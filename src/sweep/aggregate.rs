//! sweep.csv: per variant and arm, the parameters, then the mean, sample standard deviation and
//! 95% confidence half-width over the seeds of the headline metrics; per variant, the cheapest
//! arm and the EC2 ÷ Fargate cost ratio. Computed from runs.csv rows, so a resumed sweep
//! aggregates exactly as an uninterrupted one.

use crate::report::csv_out::SUMMARY_COLUMNS;
use crate::sweep::runs_file::{FinishedRuns, Layout};
use crate::sweep::stats::summarise;

/// The metrics summarised over seeds.
pub const METRICS: [&str; 5] = [
    "cost_usd",
    "wait_mean_s",
    "wait_p95_s",
    "cpu_reserved_util",
    "mem_reserved_util",
];

fn col(name: &str) -> usize {
    SUMMARY_COLUMNS
        .iter()
        .position(|c| *c == name)
        .unwrap_or(usize::MAX)
}

/// The header of sweep.csv.
pub fn header(plan: &Layout) -> Vec<String> {
    let mut h = vec!["variant".to_string()];
    h.extend(plan.parameters.iter().cloned());
    h.extend(["arm", "launch_type", "runs"].map(String::from));
    for m in METRICS {
        for s in ["mean", "sd", "ci95"] {
            h.push(format!("{m}_{s}"));
        }
    }
    h.extend(["cheapest_arm", "ec2_fargate_cost_ratio"].map(String::from));
    h
}

fn cell(x: Option<f64>) -> String {
    x.map_or_else(String::new, |v| format!("{v:.6}"))
}

/// Writes sweep.csv from runs.csv rows streamed in run order, holding one variant at a time
/// (its parameter values and, per arm and metric, one number per run): a variant's runs are
/// contiguous in run order (`run = variant × seeds + seed`), so it is written as soon as the
/// next variant's first row arrives (or at [`Aggregator::finish`]).
///
/// - Variants with no finished run are left out. A variant's parameter values are taken from
///   its first row (runs.csv checks them against the grid).
/// - A metric's statistics are over the runs where it has a value (a run where no task started
///   has no wait); `runs` counts the variant's finished runs.
/// - `cheapest_arm`: the arm with the lowest mean cost among those that ran every task (nothing
///   rejected or left pending, `outcome` complete) in every seed; the first in scenario order on a tie; empty when
///   none did.
/// - `ec2_fargate_cost_ratio`: mean EC2 cost ÷ mean Fargate cost when the scenario has exactly
///   one EC2 arm and one FARGATE arm (and the Fargate cost is not zero), else empty.
#[derive(Debug)]
pub struct Aggregator<W: std::io::Write> {
    layout: Layout,
    w: csv::Writer<W>,
    /// The summary columns of the metrics, then of `tasks_rejected` and `tasks_pending_at_end`.
    columns: [usize; METRICS.len() + 2],
    /// The variant being gathered.
    variant: Option<u64>,
    values: Vec<String>,
    runs: usize,
    /// Per arm, per metric: the values over the variant's runs.
    xs: Vec<[Vec<f64>; METRICS.len()]>,
    /// Per arm: whether every run so far ran every task.
    complete: Vec<bool>,
}

impl<W: std::io::Write> Aggregator<W> {
    /// Start sweep.csv (its header) on `out`.
    pub fn new(layout: &Layout, out: W) -> csv::Result<Aggregator<W>> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(header(layout))?;
        let off = layout.summary_offset();
        let mut columns = [0; METRICS.len() + 2];
        for (c, name) in columns.iter_mut().zip(
            METRICS
                .iter()
                .chain(&["tasks_rejected", "tasks_pending_at_end"]),
        ) {
            *c = off.saturating_add(col(name));
        }
        Ok(Aggregator {
            layout: layout.clone(),
            w,
            columns,
            variant: None,
            values: Vec::new(),
            runs: 0,
            xs: vec![Default::default(); layout.arms.len()],
            complete: vec![true; layout.arms.len()],
        })
    }

    /// Add the row of run `run`'s arm `arm` (the arm's position in the layout). Rows must come
    /// in run order, each run's arms in order.
    pub fn push(&mut self, run: u64, arm: usize, row: &csv::ByteRecord) -> csv::Result<()> {
        let variant = run / u64::from(self.layout.seeds.max(1));
        if self.variant != Some(variant) {
            self.flush()?;
            self.variant = Some(variant);
            let off = self.layout.summary_offset();
            self.values = (3..off)
                .map(|i| String::from_utf8_lossy(row.get(i).unwrap_or_default()).into_owned())
                .collect();
        }
        if arm == 0 {
            self.runs += 1;
        }
        let num = |c: usize| {
            row.get(c)
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(|t| t.parse::<f64>().ok())
        };
        let Some(xs) = self.xs.get_mut(arm) else {
            return Ok(());
        };
        for (m, x) in xs.iter_mut().enumerate() {
            if let Some(v) = num(self.columns[m]) {
                x.push(v);
            }
        }
        let n = METRICS.len();
        if num(self.columns[n]).unwrap_or(1.0) + num(self.columns[n + 1]).unwrap_or(1.0) != 0.0 {
            self.complete[arm] = false;
        }
        // A saturated arm covers less work even when it left nothing pending.
        let outcome = self.layout.summary_offset().saturating_add(col("outcome"));
        if row.get(outcome).is_some_and(|o| o != b"complete") {
            self.complete[arm] = false;
        }
        Ok(())
    }

    /// Write the gathered variant's rows, if any, and start afresh.
    fn flush(&mut self) -> csv::Result<()> {
        let Some(v) = self.variant.take() else {
            return Ok(());
        };
        let arms = &self.layout.arms;
        let per_arm: Vec<Vec<Option<crate::sweep::stats::Summary>>> = self
            .xs
            .iter()
            .map(|metrics| metrics.iter().map(|xs| summarise(xs)).collect())
            .collect();
        let mean_cost = |a: usize| per_arm[a][0].map(|s| s.mean);
        let mut cheapest: Option<(usize, f64)> = None;
        for a in (0..arms.len()).filter(|&a| self.complete[a]) {
            if let Some(c) = mean_cost(a)
                && cheapest.is_none_or(|(_, best)| c < best)
            {
                cheapest = Some((a, c));
            }
        }
        let ec2: Vec<usize> = (0..arms.len()).filter(|&a| arms[a].1 == "EC2").collect();
        let fargate: Vec<usize> = (0..arms.len())
            .filter(|&a| arms[a].1 == "FARGATE")
            .collect();
        let ratio = match (ec2.as_slice(), fargate.as_slice()) {
            ([e], [f]) => match (mean_cost(*e), mean_cost(*f)) {
                (Some(ce), Some(cf)) if cf > 0.0 => Some(ce / cf),
                _ => None,
            },
            _ => None,
        };
        for (a, (name, launch)) in arms.iter().enumerate() {
            let mut rec = vec![v.to_string()];
            rec.extend(self.values.iter().cloned());
            rec.extend([name.clone(), launch.clone(), self.runs.to_string()]);
            for s in &per_arm[a] {
                rec.push(cell(s.map(|s| s.mean)));
                rec.push(cell(s.and_then(|s| s.sd)));
                rec.push(cell(s.and_then(|s| s.ci95)));
            }
            rec.push(cheapest.map_or_else(String::new, |(c, _)| arms[c].0.clone()));
            rec.push(cell(ratio));
            self.w.write_record(rec)?;
        }
        self.runs = 0;
        for xs in self.xs.iter_mut().flatten() {
            xs.clear();
        }
        self.complete.fill(true);
        Ok(())
    }

    /// Write the last variant and hand back the output, flushed.
    pub fn finish(mut self) -> csv::Result<W> {
        self.flush()?;
        self.w.into_inner().map_err(|e| e.into_error().into())
    }
}

/// Render sweep.csv from finished runs held in memory (see [`Aggregator`] for the rules).
pub fn sweep_csv(plan: &Layout, runs: &FinishedRuns) -> Vec<u8> {
    let Ok(mut a) = Aggregator::new(plan, Vec::new()) else {
        return Vec::new();
    };
    for (&run, rows) in runs {
        for (arm, row) in rows.iter().enumerate() {
            let _ = a.push(
                run,
                arm,
                &csv::StringRecord::from(row.clone()).into_byte_record(),
            );
        }
    }
    a.finish().unwrap_or_default()
}
