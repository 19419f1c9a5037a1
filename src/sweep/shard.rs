//! `--shard I/N`: a deterministic 1/N of a sweep's runs, for array jobs on many machines.
//!
//! Shard `I` of `N` runs exactly the runs `r` with `r mod N = I` (round robin, not contiguous
//! blocks: neighbouring runs are the seeds of one variant and neighbouring variants differ in
//! the last parameter, so dealing runs out in turn spreads slow and fast variants evenly over
//! the shards). `auto/N` takes `I` from the array-job engine's environment.

use serde::{Deserialize, Serialize};

/// The environment variables that hold an array task's index, in the order they are read:
/// Slurm, AWS Batch, Kubernetes indexed Jobs.
pub const INDEX_VARIABLES: [&str; 3] = [
    "SLURM_ARRAY_TASK_ID",
    "AWS_BATCH_JOB_ARRAY_INDEX",
    "JOB_COMPLETION_INDEX",
];

/// Shard `index` of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, from 0.
    pub index: u64,
    /// How many shards.
    pub count: u64,
}

impl Shard {
    /// The whole sweep as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Whether run `run` belongs to this shard.
    pub fn has(&self, run: u64) -> bool {
        run % self.count == self.index
    }

    /// How many of `runs` runs (0..runs) belong to this shard.
    pub fn runs_of(&self, runs: u64) -> u64 {
        if self.index >= runs {
            0
        } else {
            (runs - self.index).div_ceil(self.count)
        }
    }

    /// Parse `I/N` or `auto/N`; `env(name)` reads an environment variable (for `auto`).
    /// The message says what was found and what was expected.
    pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, String> {
        let Some((i, n)) = text.split_once('/') else {
            return Err(format!(
                "--shard: found `{text}`; expected I/N (e.g. 0/4) or auto/N"
            ));
        };
        let count: u64 = n.trim().parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
            format!("--shard: found `{n}` shards in `{text}`; expected a whole number ≥ 1")
        })?;
        let (index, source) = if i.trim() == "auto" {
            let Some((var, value)) = INDEX_VARIABLES
                .iter()
                .find_map(|v| env(v).filter(|x| !x.is_empty()).map(|x| (*v, x)))
            else {
                return Err(format!(
                    "--shard auto/{count}: none of {} is set; run it as an array job, or give the index (--shard I/{count})",
                    INDEX_VARIABLES.join(", ")
                ));
            };
            let index = value.trim().parse::<u64>().map_err(|_| {
                format!("--shard auto/{count}: {var} is `{value}`; expected a whole number")
            })?;
            (index, format!("{var} = {index}"))
        } else {
            let index = i.trim().parse::<u64>().map_err(|_| {
                format!("--shard: found index `{i}` in `{text}`; expected a whole number or auto")
            })?;
            (index, format!("index {index}"))
        };
        if index >= count {
            return Err(format!(
                "--shard {text}: {source} is out of range; expected 0 to {} for {count} shards",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn shards_partition_the_runs() {
        for n in 1..6 {
            for runs in 0..20 {
                let mut seen = vec![0; runs as usize];
                let mut total = 0;
                for i in 0..n {
                    let s = Shard { index: i, count: n };
                    let mine: Vec<u64> = (0..runs).filter(|&r| s.has(r)).collect();
                    assert_eq!(mine.len() as u64, s.runs_of(runs));
                    total += mine.len();
                    for r in mine {
                        seen[r as usize] += 1;
                    }
                }
                assert_eq!(total as u64, runs);
                assert!(seen.iter().all(|&c| c == 1));
            }
        }
    }

    #[test]
    fn parse_reads_the_first_index_variable_set() {
        let none = env(&[]);
        assert_eq!(Shard::parse("2/4", &none), Ok(Shard { index: 2, count: 4 }));
        assert!(
            Shard::parse("4/4", &none)
                .unwrap_err()
                .contains("out of range")
        );
        assert!(Shard::parse("0/0", &none).is_err());
        assert!(Shard::parse("x", &none).is_err());
        assert!(
            Shard::parse("auto/3", &none)
                .unwrap_err()
                .contains("SLURM_ARRAY_TASK_ID")
        );
        let e = env(&[
            ("AWS_BATCH_JOB_ARRAY_INDEX", "1"),
            ("JOB_COMPLETION_INDEX", "2"),
        ]);
        assert_eq!(Shard::parse("auto/3", &e), Ok(Shard { index: 1, count: 3 }));
        let e = env(&[("SLURM_ARRAY_TASK_ID", "0"), ("JOB_COMPLETION_INDEX", "2")]);
        assert_eq!(Shard::parse("auto/3", &e), Ok(Shard { index: 0, count: 3 }));
        let e = env(&[("JOB_COMPLETION_INDEX", "3")]);
        assert!(
            Shard::parse("auto/3", &e)
                .unwrap_err()
                .contains("JOB_COMPLETION_INDEX = 3")
        );
    }
}
