//! sweep.csv: per variant and arm, the parameters, then the mean, sample standard deviation and
//! 95% confidence half-width over the seeds of the headline metrics; per variant, the cheapest
//! arm and the EC2 ÷ Fargate cost ratio; per arm, its cost ÷ the cheapest arm's. Computed from
//! runs.csv rows, so a resumed sweep aggregates exactly as an uninterrupted one.

use crate::report::SummaryRow;
use crate::report::cost_verdict::CostVerdict;
use crate::sweep::complete::Completeness;
use crate::sweep::layout::Layout;
use crate::sweep::stats::summarise;

/// The rows of finished runs, by run index (for tests and small in-memory uses; sweeps and
/// merges stream runs.csv instead).
pub type FinishedRuns = std::collections::BTreeMap<u64, Vec<Vec<String>>>;

/// The metrics summarised over seeds.
pub const METRICS: [&str; 5] = [
    "cost_usd",
    "wait_mean_s",
    "wait_p95_s",
    "cpu_reserved_util",
    "mem_reserved_util",
];

fn col(name: &str) -> usize {
    SummaryRow::position(name).unwrap_or(usize::MAX)
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
    h.extend(["cheapest_arm", "ec2_fargate_cost_ratio", "cost_vs_cheapest"].map(String::from));
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
/// - `cheapest_arm`: the arm with the lowest mean cost among the complete ones (those that ran
///   every task in every seed, by [`Completeness`]; [`CostVerdict`], as `sim run` decides it);
///   the first in scenario order on a tie;
///   empty when none is complete.
/// - `ec2_fargate_cost_ratio`: mean EC2 cost ÷ mean Fargate cost when the scenario has exactly
///   one EC2 arm and one FARGATE arm (and the Fargate cost is not zero), else empty.
/// - `cost_vs_cheapest` (per arm): the arm's mean cost ÷ the cheapest arm's (docs/sweeps.md):
///   1 for the cheapest, above 1 for a complete arm that costs more; below 1 only for an arm
///   that is not complete (it did less work for less money). Empty when no arm is complete, the
///   cheapest arm's cost is zero, or the arm has no cost.
#[derive(Debug)]
pub struct Aggregator<W: std::io::Write> {
    layout: Layout,
    w: csv::Writer<W>,
    /// The runs.csv columns of the metrics.
    columns: [usize; METRICS.len()],
    /// Which rows ran every task.
    completeness: Completeness,
    /// The variant being gathered.
    variant: Option<u64>,
    values: Vec<String>,
    runs: usize,
    /// Per arm, per metric: the values over the variant's runs.
    xs: Vec<[Vec<f64>; METRICS.len()]>,
    /// The runs.csv column of `cost_compared_usd` (docs/model.md §18.4).
    compared_column: usize,
    /// Per arm: the compared cost over the variant's runs (`cost_compared_usd`, or `cost_usd`
    /// in rows written before that column).
    compared: Vec<Vec<f64>>,
    /// Per arm: whether every run so far ran every task.
    complete: Vec<bool>,
}

impl<W: std::io::Write> Aggregator<W> {
    /// Start sweep.csv (its header) on `out`.
    pub fn new(layout: &Layout, out: W) -> csv::Result<Aggregator<W>> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(header(layout))?;
        let off = layout.summary_offset();
        let mut columns = [0; METRICS.len()];
        for (c, name) in columns.iter_mut().zip(METRICS) {
            *c = off.saturating_add(col(name));
        }
        Ok(Aggregator {
            layout: layout.clone(),
            w,
            columns,
            completeness: Completeness::new(layout),
            variant: None,
            values: Vec::new(),
            runs: 0,
            xs: vec![Default::default(); layout.arms.len()],
            compared_column: off.saturating_add(col("cost_compared_usd")),
            compared: vec![Vec::new(); layout.arms.len()],
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
        if let Some(v) = num(self.compared_column).or_else(|| num(self.columns[0])) {
            self.compared[arm].push(v);
        }
        if !self.completeness.is_complete(row) {
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
        // The cost the arms are compared by: `cost_usd`, or the whole bill with
        // `include_shared_costs` (the `cost_usd_*` columns stay `cost_usd`'s).
        let compared: Vec<Option<f64>> = self
            .compared
            .iter()
            .map(|xs| summarise(xs).map(|s| s.mean))
            .collect();
        let mean_cost = |a: usize| compared[a];
        let cheapest =
            CostVerdict::of((0..arms.len()).map(|a| mean_cost(a).filter(|_| self.complete[a])))
                .cheapest()
                .and_then(|a| Some((a, mean_cost(a)?)));
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
            rec.push(cell(match (mean_cost(a), cheapest) {
                (Some(c), Some((_, best))) if best > 0.0 => Some(c / best),
                _ => None,
            }));
            self.w.write_record(rec)?;
        }
        self.runs = 0;
        for xs in self.xs.iter_mut().flatten() {
            xs.clear();
        }
        for xs in &mut self.compared {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A runs.csv row of `arm` (launch type `launch`) in run `run` with `cost` and
    /// `pending` tasks left at the end; the other summary cells 0, but `cost_compared_usd`
    /// empty (as in a row written before it, so `cost_usd` is compared).
    fn row(run: u64, arm: &str, launch: &str, cost: f64, pending: u32) -> Vec<String> {
        let mut r = vec![run.to_string(), "0".into(), "7".into(), "x".into()];
        r.extend(SummaryRow::columns().iter().map(|c| match *c {
            "arm" => arm.to_string(),
            "launch_type" => launch.to_string(),
            "cost_usd" => cost.to_string(),
            "tasks_pending_at_end" => pending.to_string(),
            // Tasks left pending at the end make the arm incomplete, as in a real run.
            "outcome" if pending > 0 => "incomplete".to_string(),
            "outcome" => "complete".to_string(),
            "cost_compared_usd" => String::new(),
            _ => "0".to_string(),
        }));
        r
    }

    fn sweep(rows: &[(u64, [(f64, u32); 3])]) -> Vec<csv::StringRecord> {
        sweep_compared(rows, None)
    }

    /// As [`sweep`], with every row's `cost_compared_usd` set to `compared` (per arm) if given.
    fn sweep_compared(
        rows: &[(u64, [(f64, u32); 3])],
        compared: Option<[f64; 3]>,
    ) -> Vec<csv::StringRecord> {
        let layout = Layout {
            parameters: vec!["p".into()],
            arms: [("ec2", "EC2"), ("fargate", "FARGATE"), ("spot", "FARGATE")]
                .map(|(a, l)| (a.to_string(), l.to_string()))
                .to_vec(),
            variants: 1,
            seeds: 2,
        };
        let mut runs = FinishedRuns::new();
        for (run, arms) in rows {
            let v = layout
                .arms
                .iter()
                .zip(arms)
                .enumerate()
                .map(|(i, ((a, l), (cost, pending)))| {
                    let mut r = row(*run, a, l, *cost, *pending);
                    if let (Some(c), Some(at)) =
                        (compared, SummaryRow::position("cost_compared_usd"))
                    {
                        r[4 + at] = c[i].to_string();
                    }
                    r
                })
                .collect();
            runs.insert(*run, v);
        }
        let bytes = sweep_csv(&layout, &runs);
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(
            r.headers()
                .unwrap()
                .iter()
                .rev()
                .take(3)
                .collect::<Vec<_>>(),
            ["cost_vs_cheapest", "ec2_fargate_cost_ratio", "cheapest_arm"]
        );
        r.records().map(Result::unwrap).collect()
    }

    fn last3(r: &csv::StringRecord) -> [&str; 3] {
        let n = r.len();
        [&r[n - 3], &r[n - 2], &r[n - 1]]
    }

    #[test]
    fn cost_vs_cheapest_divides_by_the_cheapest_complete_arm() {
        // Means over the two seeds: ec2 3, fargate 5, spot 4; all complete.
        let rows = sweep(&[
            (0, [(2.0, 0), (5.0, 0), (3.0, 0)]),
            (1, [(4.0, 0), (5.0, 0), (5.0, 0)]),
        ]);
        assert_eq!(last3(&rows[0]), ["ec2", "", "1.000000"]);
        assert_eq!(last3(&rows[1]), ["ec2", "", "1.666667"]);
        assert_eq!(last3(&rows[2]), ["ec2", "", "1.333333"]);
        // ec2 left tasks pending in one seed: it is not complete, so spot is the cheapest,
        // and ec2's figure (below 1) says it did less work for less money.
        let rows = sweep(&[
            (0, [(2.0, 0), (5.0, 0), (3.0, 0)]),
            (1, [(4.0, 9), (5.0, 0), (5.0, 0)]),
        ]);
        assert_eq!(last3(&rows[0]), ["spot", "", "0.750000"]);
        assert_eq!(last3(&rows[1]), ["spot", "", "1.250000"]);
        assert_eq!(last3(&rows[2]), ["spot", "", "1.000000"]);
        // No arm complete: no cheapest arm and no figure.
        let rows = sweep(&[
            (0, [(2.0, 1), (5.0, 1), (3.0, 1)]),
            (1, [(4.0, 0), (5.0, 0), (5.0, 0)]),
        ]);
        for r in &rows {
            assert_eq!(last3(r), ["", "", ""]);
        }
        // The cheapest complete arm cost nothing: no ratio to it.
        let rows = sweep(&[
            (0, [(2.0, 0), (0.0, 0), (3.0, 0)]),
            (1, [(4.0, 0), (0.0, 0), (5.0, 0)]),
        ]);
        assert_eq!(last3(&rows[0]), ["fargate", "", ""]);
    }

    #[test]
    fn the_compared_cost_decides_the_cheapest_arm_and_the_ratios() {
        // cost_usd: ec2 2, fargate 5, spot 3; compared (shared costs included): ec2 6,
        // fargate 5, spot 4. spot is the cheapest by the compared cost; ec2 ÷ cheapest =
        // 6 / 4 = 1.5, while cost_usd_mean stays 2.
        let rows = sweep_compared(
            &[
                (0, [(2.0, 0), (5.0, 0), (3.0, 0)]),
                (1, [(2.0, 0), (5.0, 0), (3.0, 0)]),
            ],
            Some([6.0, 5.0, 4.0]),
        );
        assert_eq!(last3(&rows[0]), ["spot", "", "1.500000"]);
        assert_eq!(last3(&rows[2]), ["spot", "", "1.000000"]);
        assert_eq!(
            &rows[0][5], "2.000000",
            "cost_usd_mean is cost_usd's: {:?}",
            rows[0]
        );
    }
}
