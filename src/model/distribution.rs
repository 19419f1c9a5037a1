//! Random durations: fixed, exponential, lognormal or uniform, drawn from a seeded stream.

use std::fmt;

use rand::RngExt;
use rand_distr::{Distribution as _, Exp, LogNormal};

use crate::engine::RngStream;
use crate::time::SimDuration;

/// A distribution of durations (task run times, latencies).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Always the same.
    Fixed(SimDuration),
    /// Exponential with this mean, milliseconds.
    Exponential {
        /// Mean, ms.
        mean_ms: f64,
    },
    /// Lognormal with this median (ms) and log-space standard deviation.
    LogNormal {
        /// Median, ms.
        median_ms: f64,
        /// σ of the underlying normal.
        sigma: f64,
    },
    /// Uniform between two bounds, milliseconds.
    Uniform {
        /// Lower bound, ms.
        min_ms: f64,
        /// Upper bound, ms.
        max_ms: f64,
    },
}

impl Distribution {
    /// Draw one duration, rounded to the millisecond. Parameters were validated when the
    /// scenario was read; a degenerate one gives its obvious value instead of panicking.
    pub fn sample(&self, rng: &mut RngStream) -> SimDuration {
        let ms = match *self {
            Distribution::Fixed(d) => return d,
            Distribution::Exponential { mean_ms } => match Exp::new(1.0 / mean_ms) {
                Ok(e) => e.sample(rng),
                Err(_) => mean_ms,
            },
            Distribution::LogNormal { median_ms, sigma } => {
                match LogNormal::new(median_ms.ln(), sigma) {
                    Ok(l) => l.sample(rng),
                    Err(_) => median_ms,
                }
            }
            Distribution::Uniform { min_ms, max_ms } => {
                if max_ms > min_ms {
                    rng.random_range(min_ms..max_ms)
                } else {
                    min_ms
                }
            }
        };
        let capped = ms.clamp(0.0, crate::time::MAX_DURATION_MS as f64);
        SimDuration(if capped.is_finite() {
            capped.round() as u64
        } else {
            0
        })
    }

    /// The mean, milliseconds (for summaries and theory checks).
    pub fn mean_ms(&self) -> f64 {
        match *self {
            Distribution::Fixed(d) => d.as_ms() as f64,
            Distribution::Exponential { mean_ms } => mean_ms,
            Distribution::LogNormal { median_ms, sigma } => median_ms * (sigma * sigma / 2.0).exp(),
            Distribution::Uniform { min_ms, max_ms } => (min_ms + max_ms) / 2.0,
        }
    }
}

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = |ms: f64| SimDuration(ms.round() as u64);
        match *self {
            Distribution::Fixed(x) => write!(f, "{x}"),
            Distribution::Exponential { mean_ms } => write!(f, "exponential(mean {})", d(mean_ms)),
            Distribution::LogNormal { median_ms, sigma } => {
                write!(f, "lognormal(median {}, sigma {sigma})", d(median_ms))
            }
            Distribution::Uniform { min_ms, max_ms } => {
                write!(f, "uniform({}..{})", d(min_ms), d(max_ms))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::{StreamPurpose, stream};

    fn mean_of(d: Distribution, n: usize) -> f64 {
        let mut r = stream(7, StreamPurpose::Durations(0));
        (0..n).map(|_| d.sample(&mut r).as_ms() as f64).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_theory() {
        // 200k draws: standard error of the mean is well under 1% for these shapes.
        let n = 200_000;
        for d in [
            Distribution::Exponential { mean_ms: 60_000.0 },
            Distribution::LogNormal {
                median_ms: 600_000.0,
                sigma: 0.8,
            },
            Distribution::Uniform {
                min_ms: 60_000.0,
                max_ms: 300_000.0,
            },
        ] {
            let m = mean_of(d, n);
            let rel = (m - d.mean_ms()).abs() / d.mean_ms();
            assert!(rel < 0.01, "{d}: sample mean {m}, theory {}", d.mean_ms());
        }
        assert_eq!(mean_of(Distribution::Fixed(SimDuration(5)), 10), 5.0);
    }
}
