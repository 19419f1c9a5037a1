//! Arrival processes of generated job streams.

use std::fmt;

use rand::RngExt;

use crate::engine::RngStream;
use crate::time::SimDuration;

/// A day, ms: the period of diurnal arrivals.
pub const DAY_MS: f64 = 86_400_000.0;

/// When the tasks of a job stream arrive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ArrivalProcess {
    /// Poisson arrivals at a constant rate.
    Poisson {
        /// Mean arrivals per hour.
        per_hour: f64,
    },
    /// One arrival every interval, the first at the stream's start.
    FixedInterval(SimDuration),
    /// A non-homogeneous Poisson process whose rate follows a daily cosine:
    /// `λ(t) = mean × (1 + a·cos(2π(t − peak_at)/24h))` with `a = (r − 1)/(r + 1)`, so that the
    /// peak rate is `r` times the trough rate and the daily mean is `mean`.
    Diurnal {
        /// Mean arrivals per hour over a day.
        mean_per_hour: f64,
        /// Peak rate ÷ trough rate (≥ 1).
        peak_ratio: f64,
        /// Time of day of the peak.
        peak_at: SimDuration,
    },
}

impl ArrivalProcess {
    /// The rate at time `t_ms`, arrivals per millisecond.
    pub fn rate_per_ms(&self, t_ms: f64) -> f64 {
        match *self {
            ArrivalProcess::Poisson { per_hour } => per_hour / 3_600_000.0,
            ArrivalProcess::FixedInterval(d) => 1.0 / d.as_ms().max(1) as f64,
            ArrivalProcess::Diurnal {
                mean_per_hour,
                peak_ratio,
                peak_at,
            } => {
                let a = (peak_ratio - 1.0) / (peak_ratio + 1.0);
                let phase = 2.0 * std::f64::consts::PI * (t_ms - peak_at.as_ms() as f64) / DAY_MS;
                mean_per_hour / 3_600_000.0 * (1.0 + a * phase.cos())
            }
        }
    }

    /// The arrival after one at `t_ms` (or, when `first`, the first one from the stream's start
    /// `t_ms`), as an exact float time in ms; draws only from `rng`.
    pub fn next_after(&self, t_ms: f64, first: bool, rng: &mut RngStream) -> f64 {
        match *self {
            ArrivalProcess::FixedInterval(d) => {
                if first {
                    t_ms
                } else {
                    t_ms + d.as_ms().max(1) as f64
                }
            }
            ArrivalProcess::Poisson { per_hour } => t_ms + exp_gap(per_hour / 3_600_000.0, rng),
            ArrivalProcess::Diurnal {
                mean_per_hour,
                peak_ratio,
                ..
            } => {
                // Lewis–Shedler thinning against the peak rate.
                let a = (peak_ratio - 1.0) / (peak_ratio + 1.0);
                let max_rate = mean_per_hour / 3_600_000.0 * (1.0 + a);
                let mut t = t_ms;
                loop {
                    t += exp_gap(max_rate, rng);
                    if !t.is_finite() || rng.random::<f64>() * max_rate <= self.rate_per_ms(t) {
                        return t;
                    }
                }
            }
        }
    }
}

fn exp_gap(rate_per_ms: f64, rng: &mut RngStream) -> f64 {
    // Inverse transform on (0, 1]: never ln(0).
    let u = 1.0 - rng.random::<f64>();
    -u.ln() / rate_per_ms
}

impl fmt::Display for ArrivalProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ArrivalProcess::Poisson { per_hour } => write!(f, "poisson({per_hour}/h)"),
            ArrivalProcess::FixedInterval(d) => write!(f, "every {d}"),
            ArrivalProcess::Diurnal {
                mean_per_hour,
                peak_ratio,
                peak_at,
            } => {
                write!(
                    f,
                    "diurnal(mean {mean_per_hour}/h, peak×{peak_ratio} at {peak_at})"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::{StreamPurpose, stream};

    fn count_in_day(p: ArrivalProcess) -> (usize, Vec<usize>) {
        let mut r = stream(3, StreamPurpose::Arrivals(0));
        let mut t = 0.0;
        let mut first = true;
        let mut hours = vec![0usize; 24];
        let mut n = 0;
        loop {
            t = p.next_after(t, first, &mut r);
            first = false;
            if t >= DAY_MS * 20.0 {
                break;
            }
            n += 1;
            hours[((t % DAY_MS) / 3_600_000.0) as usize] += 1;
        }
        (n, hours)
    }

    #[test]
    fn poisson_rate_is_right() {
        // 20 days at 120/h: 57,600 expected, sd 240 -> 5 sd is 1,200.
        let (n, _) = count_in_day(ArrivalProcess::Poisson { per_hour: 120.0 });
        assert!((n as f64 - 57_600.0).abs() < 1_200.0, "{n}");
    }

    #[test]
    fn diurnal_has_its_mean_and_peak() {
        let p = ArrivalProcess::Diurnal {
            mean_per_hour: 120.0,
            peak_ratio: 3.0,
            peak_at: SimDuration(14 * 3_600_000),
        };
        let (n, hours) = count_in_day(p);
        assert!((n as f64 - 57_600.0).abs() < 1_200.0, "{n}");
        let peak = hours
            .iter()
            .enumerate()
            .max_by_key(|(_, c)| **c)
            .map(|(h, _)| h)
            .unwrap();
        let trough = hours
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| **c)
            .map(|(h, _)| h)
            .unwrap();
        assert!((13..=14).contains(&peak), "peak hour {peak}");
        assert!((1..=2).contains(&trough), "trough hour {trough}");
        // Hour 13-14 (centre 13.5h) vs hour 1-2 (centre 1.5h): ratio close to 3.
        let ratio = hours[13] as f64 / hours[1] as f64;
        assert!((2.6..3.4).contains(&ratio), "{ratio}");
    }

    #[test]
    fn fixed_interval_starts_at_start() {
        let p = ArrivalProcess::FixedInterval(SimDuration(300_000));
        let mut r = stream(0, StreamPurpose::Arrivals(0));
        assert_eq!(p.next_after(1000.0, true, &mut r), 1000.0);
        assert_eq!(p.next_after(1000.0, false, &mut r), 301_000.0);
    }
}
