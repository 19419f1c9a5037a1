//! A sweep made concrete: the base scenario, the grid of variants, the run index and each run's
//! seed. Every variant is validated when the plan is made, before any run starts.
//!
//! - Variants: the cartesian product of the parameters' values, the first parameter varying
//!   slowest (nested loops in file order). Variant `v`'s value of parameter `p` is digit `p` of
//!   `v` in the mixed radix of the list lengths.
//! - Runs: `run = variant × seeds + seed_index`, so run `r` is always the same variant and seed,
//!   whatever the threads, shards or resumptions.
//! - Seeds: run `r` of a variant whose scenario seed is `s` uses `mix64(s ^ mix64(r))`
//!   (SplitMix64's finaliser, [`crate::engine::rng::mix64`]); `sim run VARIANT --seed SEED`
//!   reproduces it.

use std::path::Path;

use crate::engine::rng::mix64;
use crate::scenario::{Scenario, ScenarioError};
use crate::sweep::SweepError;
use crate::sweep::patch::set_path;
use crate::sweep::spec::{SweepSpec, parse_file};

/// Most runs one sweep may have.
pub const MAX_RUNS: u64 = 100_000_000;

/// A validated sweep.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    /// The sweep file.
    pub spec: SweepSpec,
    /// The base scenario, validated.
    pub base: Scenario,
    base_doc: toml::Table,
    /// Arm names and launch types, in scenario order (the same in every variant).
    pub arms: Vec<(String, &'static str)>,
    /// Number of variants (1 without parameters).
    pub variants: usize,
    /// Number of runs: variants × seeds.
    pub runs: u64,
    /// Each variant's [`Scenario::work_estimate`], to start the longest runs first.
    pub work: Vec<f64>,
}

impl SweepPlan {
    /// Read the sweep file and its scenario; check every variant.
    pub fn load(path: &Path) -> Result<SweepPlan, SweepError> {
        let spec = parse_file(path)?;
        let base = crate::scenario::load(&spec.scenario).map_err(|e| match e {
            // Say where the sweep file names the scenario it cannot read.
            ScenarioError::Read { path, error } => ScenarioError::Invalid {
                path: spec.path.clone(),
                line: spec.scenario_at.0,
                column: spec.scenario_at.1,
                message: format!(
                    "`scenario`: cannot read `{}`: {error}; expected the base scenario file (a path relative to the sweep file)",
                    path.display()
                ),
                snippet: String::new(),
            },
            other => other,
        })?;
        let base_text =
            std::fs::read_to_string(&spec.scenario).map_err(|error| ScenarioError::Read {
                path: spec.scenario.clone(),
                error,
            })?;
        // The scenario loaded, so it is TOML.
        let base_doc: toml::Table = toml::from_str(&base_text).map_err(|e| {
            crate::scenario::error::SourceMap {
                path: &spec.scenario,
                text: &base_text,
            }
            .error_at(e.span().map_or(0, |s| s.start), e.message().to_string())
        })?;
        let mut variants: u64 = 1;
        for p in &spec.parameters {
            variants = variants.saturating_mul(p.values.len() as u64);
        }
        let runs = variants.saturating_mul(u64::from(spec.seeds));
        if runs > MAX_RUNS {
            let at = spec.parameters.first().map_or((1, 1), |p| p.at);
            return Err(SweepError::Parameter {
                path: spec.path.clone(),
                line: at.0,
                column: at.1,
                parameter: spec
                    .parameters
                    .iter()
                    .map(|p| p.path.clone())
                    .collect::<Vec<_>>()
                    .join(" × "),
                message: format!(
                    "the grid has {runs} runs; expected at most {MAX_RUNS} (fewer values or seeds)"
                ),
            });
        }
        let arms = base
            .arms
            .iter()
            .map(|a| (a.name.clone(), a.launch_type()))
            .collect();
        let plan = SweepPlan {
            spec,
            base,
            base_doc,
            arms,
            variants: variants as usize,
            runs,
            work: Vec::new(),
        };
        let mut work = Vec::with_capacity(plan.variants);
        for v in 0..plan.variants {
            work.push(plan.scenario(v)?.work_estimate());
        }
        Ok(SweepPlan { work, ..plan })
    }

    /// Parameter names (dotted paths), in file order.
    pub fn parameter_names(&self) -> Vec<&str> {
        self.spec
            .parameters
            .iter()
            .map(|p| p.path.as_str())
            .collect()
    }

    /// The value of every parameter in variant `v`.
    pub fn values(&self, v: usize) -> Vec<&toml::Value> {
        let mut rest = v;
        let mut out: Vec<&toml::Value> = self
            .spec
            .parameters
            .iter()
            .rev()
            .map(|p| {
                let x = &p.values[rest % p.values.len()];
                rest /= p.values.len();
                x
            })
            .collect();
        out.reverse();
        out
    }

    /// Variant `v`'s values as compact TOML, one per parameter (the runs.csv cells).
    pub fn value_cells(&self, v: usize) -> Vec<String> {
        self.values(v).into_iter().map(compact).collect()
    }

    /// `path = value, ...` for messages.
    pub fn describe(&self, v: usize) -> String {
        if self.spec.parameters.is_empty() {
            return "the base scenario".into();
        }
        self.spec
            .parameters
            .iter()
            .zip(self.values(v))
            .map(|(p, x)| format!("`{} = {}`", p.path, compact(x)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The variant and seed index of run `r`.
    pub fn split(&self, run: u64) -> (usize, u32) {
        let s = u64::from(self.spec.seeds);
        ((run / s) as usize, (run % s) as u32)
    }

    /// The runs of `runs` in the order to start them: the longest variants first (by
    /// [`Scenario::work_estimate`]), run order among equals. Only when runs finish depends on
    /// it; every output is written in run order.
    pub fn longest_first(&self, mut runs: Vec<u64>) -> Vec<u64> {
        runs.sort_by(|&a, &b| {
            let (wa, wb) = (self.work[self.split(a).0], self.work[self.split(b).0]);
            wb.total_cmp(&wa).then(a.cmp(&b))
        });
        runs
    }

    /// The variants in the order to start their runs: the longest first (by
    /// [`Scenario::work_estimate`]), variant order among equals. Running each variant's seeds in
    /// order, variant after variant, is [`SweepPlan::longest_first`] of every run, without a
    /// list of the runs.
    pub fn variants_longest_first(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.variants).collect();
        order.sort_by(|&a, &b| self.work[b].total_cmp(&self.work[a]).then(a.cmp(&b)));
        order
    }

    /// Run `r`'s seed, from its variant's scenario seed.
    pub fn run_seed(scenario_seed: u64, run: u64) -> u64 {
        mix64(scenario_seed ^ mix64(run))
    }

    /// Variant `v` as a TOML document.
    pub fn document(&self, v: usize) -> Result<toml::Table, SweepError> {
        let mut doc = self.base_doc.clone();
        for (p, x) in self.spec.parameters.iter().zip(self.values(v)) {
            set_path(&mut doc, &p.path, x.clone()).map_err(|message| SweepError::Parameter {
                path: self.spec.path.clone(),
                line: p.at.0,
                column: p.at.1,
                parameter: p.path.clone(),
                message,
            })?;
        }
        Ok(doc)
    }

    /// Variant `v`, rendered and validated as if it were the base scenario's file (so relative
    /// trace and task-definition paths still resolve).
    pub fn scenario(&self, v: usize) -> Result<Scenario, SweepError> {
        let doc = self.document(v)?;
        let invalid = |message: String| {
            let (line, column) = self.blame(v);
            SweepError::Variant {
                path: self.spec.path.clone(),
                line,
                column,
                variant: v,
                values: self.describe(v),
                message,
            }
        };
        let text = toml::to_string(&doc).map_err(|e| invalid(e.to_string()))?;
        let scenario = crate::scenario::load_str(&self.spec.scenario, &text).map_err(|e| {
            invalid(match e {
                // The line and column are in the rendered variant, not a file: give the message
                // and, when it does not name it, the key it is about.
                ScenarioError::Invalid { message, line, .. } => match rendered_key(&text, line) {
                    Some(key) if !message.contains(&key) => {
                        format!("{message} (at `{key}` in the variant)")
                    }
                    _ => message,
                },
                other => other.to_string(),
            })
        })?;
        let arms: Vec<(String, &'static str)> = scenario
            .arms
            .iter()
            .map(|a| (a.name.clone(), a.launch_type()))
            .collect();
        if arms != self.arms {
            return Err(invalid(
                "its arms differ from the base scenario's (names, order or launch types); a sweep may change arms but not which arms there are".into(),
            ));
        }
        Ok(scenario)
    }
}

impl SweepPlan {
    /// Where in the sweep file to point for an invalid variant `v`: the first parameter whose
    /// value in `v`, set alone on the base scenario, makes it invalid; else the first parameter.
    fn blame(&self, v: usize) -> (usize, usize) {
        let first = self.spec.parameters.first().map_or((1, 1), |p| p.at);
        for (p, x) in self.spec.parameters.iter().zip(self.values(v)) {
            let mut doc = self.base_doc.clone();
            let alone_invalid = set_path(&mut doc, &p.path, x.clone()).is_err()
                || toml::to_string(&doc).map_or(true, |text| {
                    crate::scenario::load_str(&self.spec.scenario, &text).is_err()
                });
            if alone_invalid {
                return p.at;
            }
        }
        first
    }
}

/// The dotted key at 1-based `line` of a rendered TOML document (`text`): the table header
/// above it (`[[arm.placement_strategy]]` → `arm.placement_strategy`) and the key on the line,
/// if any (`x = 1` → `arm.placement_strategy.x`). Array elements are not told apart: the sweep
/// parameter in the message names the element.
fn rendered_key(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    let here = lines.last()?.trim();
    let header = |l: &str| {
        let l = l.trim();
        (l.starts_with('[') && l.ends_with(']'))
            .then(|| l.trim_matches(|c| c == '[' || c == ']').trim().to_string())
    };
    if let Some(h) = header(here) {
        return Some(h);
    }
    let key = here.split_once('=')?.0.trim().trim_matches('"');
    if key.is_empty() {
        return None;
    }
    let table = lines.iter().rev().skip(1).find_map(|l| header(l));
    Some(table.map_or_else(|| key.to_string(), |t| format!("{t}.{key}")))
}

/// A value as compact one-line TOML (`"m5.large"`, `["a", "b"]`, `{ fixed = 3 }`, `0.5`).
pub fn compact(v: &toml::Value) -> String {
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::rendered_key;

    #[test]
    fn the_key_of_a_rendered_line_has_its_table() {
        let text = "seed = 1\n\n[[arm]]\nname = \"ec2\"\n\n[[arm.placement_strategy]]\ntype = \"spread\"\nx = 1\n";
        assert_eq!(rendered_key(text, 1).as_deref(), Some("seed"));
        assert_eq!(rendered_key(text, 4).as_deref(), Some("arm.name"));
        assert_eq!(
            rendered_key(text, 6).as_deref(),
            Some("arm.placement_strategy")
        );
        assert_eq!(
            rendered_key(text, 8).as_deref(),
            Some("arm.placement_strategy.x")
        );
        assert_eq!(rendered_key(text, 2), None);
        assert_eq!(rendered_key(text, 0), None);
    }
}
