//! The Savings Plan commitment (USD per hour) that minimises the total cost of a run's hourly
//! usage (`sim commitment DIR`, docs/model.md "Choosing a commitment"). Pure: no I/O.
//!
//! Each clock hour the commitment `c` is spent on the eligible usage lines in AWS's order —
//! highest savings percentage first, equal savings the lowest Savings Plan rate first —
//! at Savings Plan prices; what it does not reach is billed on demand; `c` is paid whether used
//! or not (docs/reference/pricing.md §3.2). So the cost of one hour is
//! `c + on_demand − covered(c)`, where `covered` (the on-demand value of what the commitment
//! covers) is piecewise linear in `c`, its slopes (on-demand ÷ SP cost of each line, in the
//! order above) falling: concave. The total over the run, `H·c + on_demand − Σ covered_h(c)`,
//! is convex and piecewise linear, with breakpoints where an hour's commitment runs past a
//! line: the cumulative SP cost of its lines in order. Its minimum is at one of them (or 0),
//! so [`cost_curve`] evaluates the total exactly at every breakpoint, in one sweep of slope
//! changes; [`total_cost_at`] is the plain evaluation it is checked against.

/// One eligible usage line of one hour: what it costs on demand and what covering all of it
/// would take from the commitment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EligibleLine {
    /// 0-based clock hour.
    pub hour: u64,
    /// On-demand cost of the line, USD.
    pub on_demand_usd: f64,
    /// The line at Savings Plan rates (quantity × SP rate), USD.
    pub savings_plan_usd: f64,
    /// The SP rate (USD per unit), the tie-break between equal savings percentages.
    pub savings_plan_rate: f64,
}

/// One plan's search problem (one arm, one plan type, one EC2 family for an EC2 Instance SP).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommitmentProblem {
    /// Hours the commitment is paid for (every hour the run touches).
    pub hours: u64,
    /// The usage the plan can cover. Lines with a zero on-demand or SP cost are left on demand.
    pub lines: Vec<EligibleLine>,
    /// On-demand cost of the usage the plan cannot cover, USD (in every total).
    pub other_usd: f64,
}

/// One point of the cost curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    /// The commitment, USD per hour.
    pub usd_per_hour: f64,
    /// Total cost of the run with it: fees + uncovered on-demand + the rest, USD.
    pub total_usd: f64,
    /// Total at no commitment minus this total, USD (negative: a loss).
    pub saving_usd: f64,
}

/// The lines of each hour in AWS's order (savings % descending, SP rate ascending); lines
/// that cost nothing on one side are dropped.
fn ordered_hours(p: &CommitmentProblem) -> Vec<Vec<EligibleLine>> {
    let mut lines: Vec<EligibleLine> = p
        .lines
        .iter()
        .copied()
        .filter(|l| l.on_demand_usd > 0.0 && l.savings_plan_usd > 0.0)
        .collect();
    // Savings % = 1 − sp/od, descending ⇔ sp/od ascending.
    lines.sort_by(|a, b| {
        a.hour
            .cmp(&b.hour)
            .then(
                (a.savings_plan_usd / a.on_demand_usd)
                    .total_cmp(&(b.savings_plan_usd / b.on_demand_usd)),
            )
            .then(a.savings_plan_rate.total_cmp(&b.savings_plan_rate))
    });
    let mut hours: Vec<Vec<EligibleLine>> = Vec::new();
    for l in lines {
        match hours.last_mut() {
            Some(h) if h[0].hour == l.hour => h.push(l),
            _ => hours.push(vec![l]),
        }
    }
    hours
}

/// On-demand cost of all the usage, USD (the total at no commitment).
pub fn on_demand_usd(p: &CommitmentProblem) -> f64 {
    p.other_usd + p.lines.iter().map(|l| l.on_demand_usd).sum::<f64>()
}

/// The total cost at commitment `c` (USD per hour), evaluated directly: the reference.
pub fn total_cost_at(p: &CommitmentProblem, c: f64) -> f64 {
    let mut covered = 0.0;
    for hour in ordered_hours(p) {
        let mut left = c;
        for l in hour {
            if left <= 0.0 {
                break;
            }
            let take = left.min(l.savings_plan_usd);
            covered += l.on_demand_usd * take / l.savings_plan_usd;
            left -= take;
        }
    }
    p.hours as f64 * c + on_demand_usd(p) - covered
}

/// What the commitment pays for at `c`, USD over the run: Σ over hours of min(c, the hour's
/// eligible usage at SP rates) (the rest of the fee is unused).
pub fn used_usd_at(p: &CommitmentProblem, c: f64) -> f64 {
    ordered_hours(p)
        .iter()
        .map(|h| c.min(h.iter().map(|l| l.savings_plan_usd).sum::<f64>()))
        .sum()
}

/// The total cost at 0 and at every breakpoint, ascending in commitment (equal breakpoints
/// once), computed in one sweep: between breakpoints the total is linear with slope
/// `H − Σ_h slope_h`, each hour's slope stepping down as its commitment passes a line.
pub fn cost_curve(p: &CommitmentProblem) -> Vec<CurvePoint> {
    // (position, change of the covered slope at it).
    let mut events: Vec<(f64, f64)> = Vec::new();
    let mut covered_slope = 0.0;
    for hour in ordered_hours(p) {
        let mut at = 0.0;
        let mut slope = 0.0;
        for (k, l) in hour.iter().enumerate() {
            let s = l.on_demand_usd / l.savings_plan_usd;
            if k == 0 {
                covered_slope += s;
            } else {
                events.push((at, s - slope));
            }
            slope = s;
            at += l.savings_plan_usd;
        }
        events.push((at, -slope));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    let base = on_demand_usd(p);
    let h = p.hours as f64;
    let mut points = vec![CurvePoint {
        usd_per_hour: 0.0,
        total_usd: base,
        saving_usd: 0.0,
    }];
    let (mut c, mut total) = (0.0, base);
    for (at, delta) in events {
        if at > c {
            total += (h - covered_slope) * (at - c);
            c = at;
            points.push(CurvePoint {
                usd_per_hour: c,
                total_usd: total,
                saving_usd: base - total,
            });
        }
        covered_slope += delta;
    }
    points
}

/// The cheapest point of a curve (the smallest commitment among equal totals); `None` for an
/// empty curve.
pub fn optimum(curve: &[CurvePoint]) -> Option<CurvePoint> {
    curve.iter().copied().reduce(|best, p| {
        if p.total_usd < best.total_usd - 1e-12 * best.total_usd.abs().max(1.0) {
            p
        } else {
            best
        }
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn line(hour: u64, od: f64, sp: f64, rate: f64) -> EligibleLine {
        EligibleLine {
            hour,
            on_demand_usd: od,
            savings_plan_usd: sp,
            savings_plan_rate: rate,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    /// Two hours of m5.large at 0.10 on demand and 0.06 under the plan (40% off): 10
    /// instance-hours in hour 0 (on demand 1.00, at SP rates 0.60), 2 in hour 1 (0.20, 0.12).
    /// Breakpoints 0, 0.12, 0.60:
    /// - c = 0: 1.20 on demand.
    /// - c = 0.12: fees 2 × 0.12 = 0.24; hour 0 covers 0.12 / 0.06 = 2 instance-hours (0.20 of
    ///   on demand), leaving 0.80; hour 1 is covered whole. Total 0.24 + 0.80 = 1.04.
    /// - c = 0.60: fees 1.20, everything covered: 1.20.
    ///
    /// Slope below 0.12: 2 − 2 × (0.10 / 0.06) = −1.33; above: 2 − 1.67 = +0.33; so the optimum
    /// is 0.12 USD/h, saving 1.20 − 1.04 = 0.16.
    #[test]
    fn two_hours_by_hand() {
        let p = CommitmentProblem {
            hours: 2,
            lines: vec![line(0, 1.0, 0.6, 0.06), line(1, 0.2, 0.12, 0.06)],
            other_usd: 0.0,
        };
        let curve = cost_curve(&p);
        let got: Vec<(f64, f64)> = curve
            .iter()
            .map(|q| (q.usd_per_hour, q.total_usd))
            .collect();
        let want = [(0.0, 1.2), (0.12, 1.04), (0.6, 1.2)];
        assert_eq!(got.len(), 3, "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert!(close(g.0, w.0) && close(g.1, w.1), "{got:?}");
        }
        let best = optimum(&curve).unwrap();
        assert!(
            close(best.usd_per_hour, 0.12) && close(best.saving_usd, 0.16),
            "{best:?}"
        );
        // Used at the optimum: min(0.12, 0.60) + min(0.12, 0.12) = 0.24 of 0.24 paid.
        assert!(close(used_usd_at(&p, 0.12), 0.24));
        // Between breakpoints the direct evaluation agrees: c = 0.3 → 0.6 + (1.0 − 0.5) + 0 = 1.1.
        assert!(close(total_cost_at(&p, 0.3), 1.1));
    }

    /// The order within an hour: the line with the higher savings % is covered first. Hour 0
    /// has A (on demand 1.00, SP 0.50: 50% off) and B (1.00, 0.80: 20% off), listed B first.
    /// At c = 0.50 only A is covered: total 0.50 + 1.00 (B) = 1.50. Covering B first would
    /// give 0.50 + (1 − 0.625) + 1.00 = 1.875.
    #[test]
    fn highest_savings_first() {
        let p = CommitmentProblem {
            hours: 1,
            lines: vec![line(0, 1.0, 0.8, 0.08), line(0, 1.0, 0.5, 0.05)],
            other_usd: 0.25,
        };
        assert!(close(total_cost_at(&p, 0.5), 1.5 + 0.25));
        let curve = cost_curve(&p);
        // Breakpoints 0, 0.5, 1.3: totals 2.25, 1.75, 1.3 + 0.25 = 1.55 (the last covers all).
        let totals: Vec<f64> = curve.iter().map(|q| q.total_usd).collect();
        assert_eq!(totals.len(), 3);
        assert!(close(totals[0], 2.25) && close(totals[1], 1.75) && close(totals[2], 1.55));
        assert!(close(optimum(&curve).unwrap().usd_per_hour, 1.3));
    }

    fn problems() -> impl Strategy<Value = CommitmentProblem> {
        (
            1u64..6,
            prop::collection::vec((0u64..6, 0.0f64..10.0, 0.05f64..1.2, 0.01f64..1.0), 0..12),
            0.0f64..3.0,
        )
            .prop_map(|(extra_hours, raw, other)| {
                let lines: Vec<EligibleLine> = raw
                    .into_iter()
                    // SP cost = on-demand × (SP ÷ on-demand ratio); ratios above 1 included.
                    .map(|(h, od, ratio, rate)| line(h, od, od * ratio, rate))
                    .collect();
                let hours = lines.iter().map(|l| l.hour + 1).max().unwrap_or(0) + extra_hours;
                CommitmentProblem {
                    hours,
                    lines,
                    other_usd: other,
                }
            })
    }

    proptest! {
        /// The sweep gives the direct evaluation at every breakpoint, and no commitment on a
        /// fine grid (nor any breakpoint ± a little) beats its optimum.
        #[test]
        fn sweep_matches_brute_force(p in problems()) {
            let curve = cost_curve(&p);
            for q in &curve {
                let direct = total_cost_at(&p, q.usd_per_hour);
                prop_assert!(close(q.total_usd, direct), "at {}: {} vs {}", q.usd_per_hour, q.total_usd, direct);
            }
            let best = optimum(&curve).unwrap();
            let top = curve.last().unwrap().usd_per_hour * 1.5 + 0.1;
            for k in 0..=400 {
                let c = top * f64::from(k) / 400.0;
                prop_assert!(total_cost_at(&p, c) >= best.total_usd - 1e-9, "c = {c} beats the optimum {best:?}");
            }
            for q in &curve {
                for c in [q.usd_per_hour * 0.999, q.usd_per_hour * 1.001] {
                    prop_assert!(total_cost_at(&p, c) >= best.total_usd - 1e-9);
                }
            }
        }
    }
}
