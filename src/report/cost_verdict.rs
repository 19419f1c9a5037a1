//! "The cheapest complete arm": which arm costs least among those that did all the work
//! ([`SummaryRow::comparable`](super::SummaryRow::comparable)), and the next one. The one rule
//! behind the terminal table's verdict, report.html's `cheapest` badge and sweep.csv's
//! `cheapest_arm` and `cost_vs_cheapest`.

/// The cost ranking of a run's (or a sweep variant's) arms, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostVerdict {
    /// No arm's cost may be compared.
    NoneComparable,
    /// One arm's cost may be compared.
    Only(usize),
    /// The two cheapest comparable arms cost the same (the first is the earlier arm).
    Tie(usize, usize),
    /// `best` costs less than `next`, the second cheapest.
    Cheapest {
        /// The cheapest arm.
        best: usize,
        /// The second cheapest.
        next: usize,
    },
}

impl CostVerdict {
    /// The verdict on arms given in order as their cost, `None` for an arm whose cost may not
    /// be compared (it did less work, or has no cost). Equal costs keep the arms' order.
    pub fn of(costs: impl IntoIterator<Item = Option<f64>>) -> CostVerdict {
        let mut ranked: Vec<(usize, f64)> = costs
            .into_iter()
            .enumerate()
            .filter_map(|(i, c)| Some((i, c?)))
            .collect();
        ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
        match ranked.as_slice() {
            [] => CostVerdict::NoneComparable,
            [(best, _)] => CostVerdict::Only(*best),
            [(best, a), (next, b), ..] if a == b => CostVerdict::Tie(*best, *next),
            [(best, _), (next, _), ..] => CostVerdict::Cheapest {
                best: *best,
                next: *next,
            },
        }
    }

    /// The cheapest comparable arm (the earlier on a tie), if any.
    pub fn cheapest(self) -> Option<usize> {
        match self {
            CostVerdict::NoneComparable => None,
            CostVerdict::Only(best)
            | CostVerdict::Tie(best, _)
            | CostVerdict::Cheapest { best, .. } => Some(best),
        }
    }

    /// The arm that costs strictly less than every other comparable arm, when there are two
    /// or more and the cheapest does not tie.
    pub fn clear_winner(self) -> Option<(usize, usize)> {
        match self {
            CostVerdict::Cheapest { best, next } => Some((best, next)),
            _ => None,
        }
    }
}

/// What `best` saves against `next`: (USD, percent of `next`'s cost; 0 when that is zero).
pub fn saving(best_usd: f64, next_usd: f64) -> (f64, f64) {
    let saving = next_usd - best_usd;
    let rel = if next_usd > 0.0 {
        saving / next_usd * 100.0
    } else {
        0.0
    };
    (saving, rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_comparable_arms_by_cost_keeping_arm_order_on_ties() {
        use CostVerdict::*;
        assert_eq!(CostVerdict::of([None, None]), NoneComparable);
        assert_eq!(CostVerdict::of([None, Some(3.0)]), Only(1));
        // Arm 0 is cheaper but not comparable.
        assert_eq!(
            CostVerdict::of([None, Some(3.0), Some(2.0), Some(5.0)]),
            Cheapest { best: 2, next: 1 }
        );
        assert_eq!(
            CostVerdict::of([Some(2.0), Some(1.0), Some(1.0)]),
            Tie(1, 2)
        );
        assert_eq!(Tie(1, 2).cheapest(), Some(1));
        assert_eq!(Tie(1, 2).clear_winner(), None);
        assert_eq!(saving(1.0, 4.0), (3.0, 75.0));
        assert_eq!(saving(0.0, 0.0), (0.0, 0.0));
    }
}
