//! Whether an arm's run did all its work, so that its cost may be compared with the other
//! arms' (`cheapest_arm` and `cost_vs_cheapest` in sweep.csv). The one place a sweep decides
//! it, from a runs.csv row.
//!
//! The rule is `sim run`'s comparison (`report::comparison::verdict`): nothing rejected and
//! nothing left pending at the end (`tasks_rejected + tasks_pending_at_end = 0`). A row whose
//! cells are missing or not numbers counts as not complete.

use crate::report::csv_out::SUMMARY_COLUMNS;
use crate::sweep::runs_file::Layout;

/// Decides, for runs.csv rows of one layout, whether the arm ran every task.
#[derive(Debug, Clone, Copy)]
pub struct Completeness {
    /// The runs.csv columns of `tasks_rejected` and `tasks_pending_at_end`.
    columns: [usize; 2],
}

impl Completeness {
    /// For the runs.csv rows of `layout`.
    pub fn new(layout: &Layout) -> Completeness {
        let col = |name: &str| {
            SUMMARY_COLUMNS
                .iter()
                .position(|c| *c == name)
                .map_or(usize::MAX, |c| layout.summary_offset().saturating_add(c))
        };
        Completeness {
            columns: [col("tasks_rejected"), col("tasks_pending_at_end")],
        }
    }

    /// Whether the run of `row` ran every task of its arm.
    pub fn is_complete(&self, row: &csv::ByteRecord) -> bool {
        self.columns.iter().all(|&c| {
            row.get(c)
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(|t| t.parse::<f64>().ok())
                == Some(0.0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(layout: &Layout, rejected: &str, pending: &str) -> csv::ByteRecord {
        let mut cells = vec!["0"; layout.summary_offset()];
        let summary: Vec<&str> = SUMMARY_COLUMNS
            .iter()
            .map(|c| match *c {
                "tasks_rejected" => rejected,
                "tasks_pending_at_end" => pending,
                _ => "1",
            })
            .collect();
        cells.extend(summary);
        csv::StringRecord::from(cells).into_byte_record()
    }

    #[test]
    fn complete_means_nothing_rejected_and_nothing_pending() {
        let layout = Layout {
            parameters: vec!["a.b".into()],
            arms: vec![("ec2".into(), "EC2".into())],
            variants: 1,
            seeds: 1,
        };
        let c = Completeness::new(&layout);
        assert!(c.is_complete(&row(&layout, "0", "0")));
        assert!(!c.is_complete(&row(&layout, "1", "0")));
        assert!(!c.is_complete(&row(&layout, "0", "3")));
        assert!(!c.is_complete(&row(&layout, "", "0")));
        assert!(!c.is_complete(&csv::ByteRecord::new()));
    }
}
