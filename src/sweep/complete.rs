//! Whether an arm's run did all its work, so that its cost may be compared with the other
//! arms' (`cheapest_arm` and `cost_vs_cheapest` in sweep.csv). The one place a sweep decides
//! it, from a runs.csv row.
//!
//! The rule is `sim run`'s comparison, [`Completion::comparable`]: the arm ended `complete`
//! (summary.csv `outcome`) and rejected nothing. A row whose cells are missing or malformed
//! counts as not complete.

use crate::report::SummaryRow;
use crate::sim::outcome::Completion;
use crate::sweep::layout::Layout;

/// Decides, for runs.csv rows of one layout, whether the arm ran every task.
#[derive(Debug, Clone, Copy)]
pub struct Completeness {
    /// The runs.csv columns of `outcome` and `tasks_rejected`.
    columns: [usize; 2],
}

impl Completeness {
    /// For the runs.csv rows of `layout`.
    pub fn new(layout: &Layout) -> Completeness {
        let col = |name: &str| {
            SummaryRow::position(name)
                .map_or(usize::MAX, |c| layout.summary_offset().saturating_add(c))
        };
        Completeness {
            columns: [col("outcome"), col("tasks_rejected")],
        }
    }

    /// Whether the run of `row` ran every task of its arm.
    pub fn is_complete(&self, row: &csv::ByteRecord) -> bool {
        let text = |c: usize| row.get(c).and_then(|b| std::str::from_utf8(b).ok());
        let outcome = text(self.columns[0]).and_then(Completion::parse);
        let rejected = text(self.columns[1]).and_then(|t| t.parse::<u64>().ok());
        matches!((outcome, rejected), (Some(o), Some(r)) if o.comparable(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(layout: &Layout, outcome: &str, rejected: &str) -> csv::ByteRecord {
        let mut cells = vec!["0"; layout.summary_offset()];
        let summary: Vec<&str> = SummaryRow::columns()
            .iter()
            .map(|c| match *c {
                "outcome" => outcome,
                "tasks_rejected" => rejected,
                _ => "1",
            })
            .collect();
        cells.extend(summary);
        csv::StringRecord::from(cells).into_byte_record()
    }

    #[test]
    fn complete_means_ended_complete_and_nothing_rejected() {
        let layout = Layout {
            parameters: vec!["a.b".into()],
            arms: vec![("ec2".into(), "EC2".into())],
            variants: 1,
            seeds: 1,
        };
        let c = Completeness::new(&layout);
        assert!(c.is_complete(&row(&layout, "complete", "0")));
        assert!(!c.is_complete(&row(&layout, "complete", "1")));
        assert!(!c.is_complete(&row(&layout, "incomplete", "0")));
        assert!(!c.is_complete(&row(&layout, "saturated", "0")));
        assert!(!c.is_complete(&row(&layout, "", "0")));
        assert!(!c.is_complete(&row(&layout, "complete", "")));
        assert!(!c.is_complete(&csv::ByteRecord::new()));
    }
}
