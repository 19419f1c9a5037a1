//! waits.csv: the distribution of waits (arrival to RUNNING) of each arm's started tasks, as
//! 1001 quantiles (0, 0.001, …, 1), rendered to bytes. The wait-time plot is drawn from it.

use crate::sim::Outcome;

/// waits.csv columns, in order.
pub const WAITS_COLUMNS: [&str; 3] = ["arm", "quantile", "wait_s"];

/// Quantiles per arm, minus one: quantile `k / QUANTILES` for `k` in `0..=QUANTILES`.
pub const QUANTILES: usize = 1000;

/// waits.csv: for each arm in order, 1001 rows `arm, k/1000, wait` where the wait is the
/// nearest-rank quantile (rank ⌈k/1000 × n⌉, at least 1) of the sorted waits of the tasks that
/// started, seconds with three decimals. An arm where no task started has no rows.
pub fn waits_csv(outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(WAITS_COLUMNS);
    for a in &outcome.arms {
        let n = a.waits_ms.len();
        if n == 0 {
            continue;
        }
        for k in 0..=QUANTILES {
            let rank = (k * n).div_ceil(QUANTILES).clamp(1, n);
            let ms = a.waits_ms[rank - 1];
            let _ = w.write_record([
                a.arm.clone(),
                format!("{}.{:03}", k / QUANTILES, k % QUANTILES),
                format!("{}.{:03}", ms / 1000, ms % 1000),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ArmOutcome, ArmSummary, metrics::nearest_rank};
    use crate::time::SimTime;

    fn arm(name: &str, waits_ms: Vec<u64>) -> ArmOutcome {
        ArmOutcome {
            arm: name.into(),
            launch_type: "EC2",
            summary: ArmSummary::default(),
            timeseries: Vec::new(),
            tasks: None,
            scaling: Vec::new(),
            waits_ms,
            events: 0,
            end: SimTime(0),
        }
    }

    #[test]
    fn quantiles_are_nearest_ranks_of_the_sorted_waits() {
        let waits: Vec<u64> = (0..7).map(|i| i * i * 1500).collect();
        let out = Outcome {
            seed: 1,
            arms: vec![arm("a", waits.clone()), arm("idle", Vec::new())],
        };
        let text = String::from_utf8(waits_csv(&out)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "arm,quantile,wait_s");
        assert_eq!(lines.len(), 1 + 1001, "the idle arm has no rows");
        assert_eq!(lines[1], "a,0.000,0.000");
        assert_eq!(lines[1001], "a,1.000,54.000");
        for (k, line) in lines[1..].iter().enumerate() {
            // The same quantile as summary.csv's percentiles, p = k/10.
            let p = k as f64 / 10.0;
            let ms = nearest_rank(&waits, p).unwrap();
            let want = format!("a,{:.3},{}.{:03}", k as f64 / 1000.0, ms / 1000, ms % 1000);
            // nearest_rank's float rank may differ by one only where k × n / 1000 is whole.
            if k * 7 % 1000 != 0 {
                assert_eq!(*line, want, "k = {k}");
            }
        }
    }
}
