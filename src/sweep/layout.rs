//! The shape of a sweep's outputs (parameters, arms, variants, seeds), which runs.csv,
//! sweep.csv and sweep.json share. Below them all: it knows the plan and the summary columns,
//! not the files.

use crate::report::SummaryRow;
use crate::sweep::SweepPlan;

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
        h.extend(SummaryRow::columns().iter().map(|s| s.to_string()));
        h
    }

    /// Where the summary columns start in a runs.csv row.
    pub fn summary_offset(&self) -> usize {
        3 + self.parameters.len()
    }
}
