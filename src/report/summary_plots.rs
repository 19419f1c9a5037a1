//! Run plots from summary data: the cost breakdown per arm (summary.csv's cost columns) and the
//! break-even view (breakeven.csv). Pure functions of plain rows, whichever way they were read.

use crate::report::plots::{Axis, BarComponent, Bars, LineStyle, Panel, Plot, Series};

pub use crate::report::breakeven_row::BreakevenRow;
pub use crate::report::cost_breakdown_row::CostBreakdownRow;

/// File stem of [`cost_breakdown_plot`].
pub const COST_BREAKDOWN_PLOT: &str = "cost_breakdown";
/// File stem of [`breakeven_plot`].
pub const BREAKEVEN_PLOT: &str = "breakeven";

/// Stacked horizontal bars, one per arm (top to bottom in row order): EC2 On-Demand, EC2 Spot,
/// Fargate vCPU, Fargate memory, Fargate storage, then the Spot savings as a light hatched
/// segment past what was paid (the bar's end is what On-Demand would have cost; the number
/// at its end is what was paid). Components that are zero for every arm are left out.
pub fn cost_breakdown_plot(rows: &[CostBreakdownRow]) -> Plot {
    type Pick = fn(&CostBreakdownRow) -> f64;
    let parts: [(&str, usize, bool, Pick); 6] = [
        ("EC2 On-Demand", 0, false, |r| r.cost_ec2_on_demand_usd),
        ("EC2 Spot", 5, false, |r| r.cost_ec2_spot_usd),
        ("Fargate vCPU", 1, false, |r| r.cost_fargate_vcpu_usd),
        ("Fargate memory", 4, false, |r| r.cost_fargate_memory_usd),
        ("Fargate storage", 3, false, |r| r.cost_fargate_storage_usd),
        ("Spot savings (not paid)", 2, true, |r| r.spot_savings_usd),
    ];
    let components = parts
        .iter()
        .map(|&(label, color, hatched, pick)| BarComponent {
            label: label.into(),
            color,
            hatched,
            values: rows.iter().map(pick).collect(),
        })
        .filter(|c| c.values.iter().any(|v| *v > 0.0))
        .collect();
    Plot {
        name: COST_BREAKDOWN_PLOT,
        title: "Cost breakdown per arm".into(),
        x_label: "cost over the run (USD); the number is what was paid".into(),
        panels: vec![Panel {
            y_label: "arm".into(),
            bars: Some(Bars {
                categories: rows.iter().map(|r| r.arm.clone()).collect(),
                horizontal: true,
                components,
            }),
            ..Panel::default()
        }],
    }
}

/// `100 × x` (a fraction as a percentage).
fn pct(x: f64) -> f64 {
    100.0 * x
}

/// EC2 and Fargate cost against the EC2 fleet's utilisation (0–100%), per arm pair: the EC2
/// arm's cost if the same work had kept its fleet u busy (ec2_cost × ec2_utilisation ÷ u; from
/// the utilisation where it reaches the top of the chart, then at every whole percent), the
/// Fargate arm's cost (flat: Fargate bills what tasks request), a marker at the EC2 arm's
/// actual utilisation and cost, a solid vertical line at the workload's break-even utilisation
/// and a dashed one at the catalog u* of `docs/reference/ecs-facts.md` §8.2. The chart's top is
/// twice the largest cost. Colours: arms by first appearance in the rows (EC2 arm, then its
/// Fargate arm). `None` without rows.
pub fn breakeven_plot(rows: &[BreakevenRow]) -> Option<Plot> {
    if rows.is_empty() {
        return None;
    }
    let mut arms: Vec<&str> = Vec::new();
    for r in rows {
        for a in [&r.ec2_arm, &r.fargate_arm] {
            if !arms.contains(&a.as_str()) {
                arms.push(a);
            }
        }
    }
    let color = |a: &str| arms.iter().position(|x| *x == a).unwrap_or(0);
    let top = 2.0
        * rows
            .iter()
            .map(|r| r.ec2_cost_usd.max(r.fargate_cost_usd))
            .fold(0.0, f64::max);
    let top = if top > 0.0 { top } else { 1.0 };
    let vertical = |x: f64| vec![(x, 0.0), (x, top)];
    let line = |label: String, color: usize, style: LineStyle, points: Vec<(f64, f64)>| Series {
        label,
        color,
        style,
        points,
    };
    let mut series = Vec::new();
    let mut fargate_done: Vec<&str> = Vec::new();
    for r in rows {
        let ec2 = color(&r.ec2_arm);
        // Cost at u percent: the work (ec2_cost × utilisation) spread over a fleet u busy.
        let work = r.ec2_cost_usd * pct(r.ec2_utilisation);
        if work > 0.0 {
            let from = work / top;
            let mut pts = vec![(from, top)];
            pts.extend(
                (1..=100)
                    .map(f64::from)
                    .filter(|u| *u > from)
                    .map(|u| (u, work / u)),
            );
            series.push(line(
                format!("{} at utilisation u", r.ec2_arm),
                ec2,
                LineStyle::Solid,
                pts,
            ));
        }
        if !fargate_done.contains(&r.fargate_arm.as_str()) {
            fargate_done.push(&r.fargate_arm);
            series.push(line(
                format!("{} (any u)", r.fargate_arm),
                color(&r.fargate_arm),
                LineStyle::Solid,
                vec![(0.0, r.fargate_cost_usd), (100.0, r.fargate_cost_usd)],
            ));
        }
        series.push(line(
            format!("{} as run ({:.0}%)", r.ec2_arm, pct(r.ec2_utilisation)),
            ec2,
            LineStyle::Markers,
            vec![(pct(r.ec2_utilisation), r.ec2_cost_usd)],
        ));
        let pair = if rows.len() > 1 {
            format!("{} vs {}: ", r.ec2_arm, r.fargate_arm)
        } else {
            String::new()
        };
        if let Some(u) = r.breakeven_utilisation.filter(|u| u.is_finite()) {
            series.push(line(
                format!("{pair}break-even {:.0}%", pct(u)),
                ec2,
                LineStyle::Solid,
                vertical(pct(u).min(100.0)),
            ));
        }
        if let Some(u) = r.catalog_breakeven_utilisation.filter(|u| u.is_finite()) {
            series.push(line(
                format!("{pair}catalog u* {:.1}% ({})", pct(u), r.instance_type),
                ec2,
                LineStyle::Dashed,
                vertical(pct(u).min(100.0)),
            ));
        }
    }
    Some(Plot {
        name: BREAKEVEN_PLOT,
        title: "Break-even: EC2 cost against fleet utilisation (Fargate: flat)".into(),
        x_label: String::new(),
        panels: vec![Panel {
            y_label: "cost over the run (USD)".into(),
            series,
            x_axis: Some(Axis {
                label: "EC2 fleet utilisation (% of registered capacity reserved)".into(),
                ..Axis::default()
            }),
            ..Panel::default()
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost_row(arm: &str, od: f64, spot: f64, vcpu: f64, mem: f64, sav: f64) -> CostBreakdownRow {
        CostBreakdownRow {
            arm: arm.into(),
            cost_ec2_on_demand_usd: od,
            cost_ec2_spot_usd: spot,
            cost_fargate_vcpu_usd: vcpu,
            cost_fargate_memory_usd: mem,
            cost_fargate_storage_usd: 0.0,
            spot_savings_usd: sav,
        }
    }

    #[test]
    fn cost_breakdown_stacks_the_components_per_arm_and_drops_empty_ones() {
        let p = cost_breakdown_plot(&[
            cost_row("ec2", 3.0, 1.0, 0.0, 0.0, 2.0),
            cost_row("fargate", 0.0, 0.0, 4.0, 0.5, 0.0),
        ]);
        assert_eq!(p.name, "cost_breakdown");
        let bars = p.panels[0].bars.as_ref().expect("bars");
        assert!(bars.horizontal);
        assert_eq!(bars.categories, ["ec2", "fargate"]);
        let got: Vec<(&str, bool, &[f64])> = bars
            .components
            .iter()
            .map(|c| (c.label.as_str(), c.hatched, c.values.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                ("EC2 On-Demand", false, &[3.0, 0.0][..]),
                ("EC2 Spot", false, &[1.0, 0.0][..]),
                ("Fargate vCPU", false, &[0.0, 4.0][..]),
                ("Fargate memory", false, &[0.0, 0.5][..]),
                ("Spot savings (not paid)", true, &[2.0, 0.0][..]),
            ]
        );
    }

    fn series<'a>(p: &'a Plot, label: &str) -> &'a Series {
        p.panels[0]
            .series
            .iter()
            .find(|s| s.label == label)
            .unwrap_or_else(|| panic!("no series {label}"))
    }

    #[test]
    fn breakeven_curve_crosses_fargate_at_the_breakeven_utilisation() {
        // EC2 cost 2 at 25% utilisation: the work is worth 0.5 at full use, so at u the cost
        // is 50 / u (u in percent) and equals Fargate's 1 at u = 50%.
        let row = BreakevenRow {
            ec2_arm: "ec2".into(),
            fargate_arm: "fargate".into(),
            instance_type: "m5.large".into(),
            ec2_cost_usd: 2.0,
            fargate_cost_usd: 1.0,
            ec2_utilisation: 0.25,
            breakeven_utilisation: Some(0.5),
            catalog_breakeven_utilisation: Some(0.824),
        };
        let p = breakeven_plot(std::slice::from_ref(&row)).expect("a plot");
        let labels: Vec<&str> = p.panels[0]
            .series
            .iter()
            .map(|s| s.label.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "ec2 at utilisation u",
                "fargate (any u)",
                "ec2 as run (25%)",
                "break-even 50%",
                "catalog u* 82.4% (m5.large)"
            ]
        );
        // The chart's top is 2 × the largest cost (4): the curve starts at 50 / 4 = 12.5%.
        let curve = &series(&p, "ec2 at utilisation u").points;
        assert_eq!(curve.len(), 1 + 88);
        assert_eq!(curve[0], (12.5, 4.0));
        assert_eq!(curve[1], (13.0, 50.0 / 13.0));
        assert!(curve.contains(&(25.0, 2.0)));
        assert!(curve.contains(&(50.0, 1.0)));
        assert_eq!(curve.last(), Some(&(100.0, 0.5)));
        assert_eq!(
            series(&p, "fargate (any u)").points,
            [(0.0, 1.0), (100.0, 1.0)]
        );
        let actual = series(&p, "ec2 as run (25%)");
        assert_eq!(actual.style, LineStyle::Markers);
        assert_eq!(actual.points, [(25.0, 2.0)]);
        let be = series(&p, "break-even 50%");
        assert_eq!(
            (be.style, be.points.as_slice()),
            (LineStyle::Solid, &[(50.0, 0.0), (50.0, 4.0)][..])
        );
        let cat = series(&p, "catalog u* 82.4% (m5.large)");
        assert_eq!(cat.style, LineStyle::Dashed);
        assert!((cat.points[0].0 - 82.4).abs() < 1e-9 && cat.points[1].1 == 4.0);
        assert_eq!(
            p.panels[0]
                .series
                .iter()
                .map(|s| s.color)
                .collect::<Vec<_>>(),
            [0, 1, 0, 0, 0]
        );

        // Two EC2 arms against one Fargate arm: Fargate's line once, pairs named.
        let mut other = row.clone();
        other.ec2_arm = "ec2-c5".into();
        other.breakeven_utilisation = None;
        other.catalog_breakeven_utilisation = None;
        let p = breakeven_plot(&[row, other]).expect("a plot");
        let labels: Vec<(&str, usize)> = p.panels[0]
            .series
            .iter()
            .map(|s| (s.label.as_str(), s.color))
            .collect();
        assert_eq!(
            labels,
            [
                ("ec2 at utilisation u", 0),
                ("fargate (any u)", 1),
                ("ec2 as run (25%)", 0),
                ("ec2 vs fargate: break-even 50%", 0),
                ("ec2 vs fargate: catalog u* 82.4% (m5.large)", 0),
                ("ec2-c5 at utilisation u", 2),
                ("ec2-c5 as run (25%)", 2),
            ]
        );
        assert!(breakeven_plot(&[]).is_none());
    }
}
