//! waits.csv: the wait-time distribution of each arm as fixed quantiles (0, 0.001, …, 1), so
//! the wait CDF can be redrawn from the file alone.

use std::fmt::Write as _;

use crate::sim::Outcome;

/// waits.csv columns, in order.
pub const WAITS_COLUMNS: [&str; 3] = ["arm", "quantile", "wait_s"];

/// Quantile steps per arm: quantile `k / STEPS` for k = 0..=STEPS.
pub const STEPS: u64 = 1000;

/// The nearest-rank `k / STEPS` quantile of `sorted` (ascending): the value at rank
/// ⌈k × n / STEPS⌉, at least 1 (so quantile 0 is the smallest value). Integer arithmetic,
/// exact for any n.
pub fn quantile(sorted: &[u64], k: u64) -> Option<u64> {
    let n = sorted.len() as u64;
    if n == 0 {
        return None;
    }
    let rank = (k.min(STEPS) * n).div_ceil(STEPS).max(1);
    sorted.get((rank - 1) as usize).copied()
}

/// waits.csv: per arm (in order), `STEPS + 1` rows of quantile and wait in seconds (three
/// decimals, from the integer milliseconds), over the attempts that started; an arm where no
/// task started has no rows.
pub fn waits_csv(outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(WAITS_COLUMNS);
    // Two cells reused for every row (2,002 rows for two arms).
    let (mut q, mut wait) = (String::new(), String::new());
    for a in &outcome.arms {
        for k in 0..=STEPS {
            let Some(ms) = quantile(&a.waits_ms, k) else {
                break;
            };
            q.clear();
            wait.clear();
            let _ = write!(q, "{}.{:03}", k / STEPS, k % STEPS);
            let _ = write!(wait, "{}.{:03}", ms / 1000, ms % 1000);
            let _ = w.write_record([a.arm.as_str(), q.as_str(), wait.as_str()]);
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ArmOutcome, ArmSummary};
    use crate::time::SimTime;

    fn arm(name: &str, waits_ms: Vec<u64>) -> ArmOutcome {
        ArmOutcome {
            arm: name.to_string(),
            launch_type: "EC2",
            summary: ArmSummary::default(),
            timeseries: Vec::new(),
            tasks: None,
            scaling: Vec::new(),
            waits_ms,
            events: 0,
            end: SimTime::ZERO,
            warnings: Vec::new(),
            usage: Default::default(),
            commitments: None,
        }
    }

    #[test]
    fn nearest_rank_quantiles_of_a_known_list() {
        // 1..=10 seconds: quantile q is the ⌈10 q⌉-th value (at least the first).
        let v: Vec<u64> = (1..=10).map(|s| s * 1000).collect();
        assert_eq!(quantile(&v, 0), Some(1000));
        assert_eq!(quantile(&v, 1), Some(1000)); // ⌈0.01⌉ = 1
        assert_eq!(quantile(&v, 100), Some(1000)); // 0.1 × 10 = 1 exactly
        assert_eq!(quantile(&v, 101), Some(2000));
        assert_eq!(quantile(&v, 500), Some(5000));
        assert_eq!(quantile(&v, 501), Some(6000));
        assert_eq!(quantile(&v, 950), Some(10_000));
        assert_eq!(quantile(&v, 900), Some(9000));
        assert_eq!(quantile(&v, 1000), Some(10_000));
        assert_eq!(quantile(&[], 500), None);
        // Agrees with the summary's percentiles (p50, p95, p99) on a longer list.
        let w: Vec<u64> = (0..1234).map(|i| i * 7 % 1000 + i).collect::<Vec<_>>();
        let mut w = w;
        w.sort_unstable();
        for (k, p) in [(500, 50.0), (950, 95.0), (990, 99.0)] {
            assert_eq!(
                quantile(&w, k),
                crate::util::percentile::nearest_rank(&w, p)
            );
        }
    }

    #[test]
    fn one_row_per_quantile_and_none_for_an_arm_that_never_started_a_task() {
        let out = Outcome {
            seed: 1,
            arms: vec![arm("a", vec![250, 1500, 61_000]), arm("b", Vec::new())],
        };
        let text = String::from_utf8(waits_csv(&out)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "arm,quantile,wait_s");
        assert_eq!(lines.len(), 1 + 1001);
        assert_eq!(lines[1], "a,0.000,0.250");
        assert_eq!(lines[2], "a,0.001,0.250");
        // ⌈0.334 × 3⌉ = 2: the second wait; ⌈0.667 × 3⌉ = 3.
        assert_eq!(lines[1 + 334], "a,0.334,1.500");
        assert_eq!(lines[1 + 667], "a,0.667,61.000");
        assert_eq!(lines[1001], "a,1.000,61.000");
        assert!(!text.contains("\nb,"));
    }
}
