//! Run plots from summary data: the cost breakdown per arm (summary.csv's cost columns) and the
//! break-even view (breakeven.csv). Pure functions of plain rows, whichever way they were read.

use crate::report::plots::{
    Axis, BarComponent, Bars, LineStyle, Marker, Panel, Plot, Series, arm_look,
};

pub use crate::report::breakeven_row::BreakevenRow;
pub use crate::report::cost_breakdown_row::CostBreakdownRow;

/// File stem of [`cost_breakdown_plot`].
pub const COST_BREAKDOWN_PLOT: &str = "cost_breakdown";
/// File stem of [`breakeven_plot`].
pub const BREAKEVEN_PLOT: &str = "breakeven";

/// Stacked horizontal bars, one per arm (top to bottom in row order): EC2 On-Demand, EC2 Spot,
/// Fargate vCPU, Fargate memory, Fargate storage, Fargate Windows licence, then the Spot savings as a light hatched
/// segment past what was paid (the bar's end is what On-Demand would have cost; the number
/// at its end is what was paid). Components that are zero for every arm are left out.
pub fn cost_breakdown_plot(rows: &[CostBreakdownRow]) -> Plot {
    type Pick = fn(&CostBreakdownRow) -> f64;
    let parts: [(&str, usize, bool, Pick); 7] = [
        ("EC2 On-Demand", 0, false, |r| r.cost_ec2_on_demand_usd),
        ("EC2 Spot", 5, false, |r| r.cost_ec2_spot_usd),
        ("Fargate vCPU", 1, false, |r| r.cost_fargate_vcpu_usd),
        ("Fargate memory", 4, false, |r| r.cost_fargate_memory_usd),
        ("Fargate storage", 3, false, |r| r.cost_fargate_storage_usd),
        ("Fargate Windows licence", 6, false, |r| {
            r.cost_fargate_os_licence_usd
        }),
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
        x_span: None,
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

/// EC2 and Fargate cost against the EC2 fleet's utilisation (0–100%): for each EC2 arm (once,
/// however many Fargate arms it is paired with), its cost if the same work had kept its fleet
/// u busy (ec2_cost × ec2_utilisation ÷ u; from the utilisation where it reaches the top of the
/// chart, then at every whole percent), a marker at its actual utilisation and cost, and a
/// dashed vertical line at its instance type's catalog u* (`docs/reference/ecs-facts.md`
/// §8.2); for each Fargate arm its cost (flat: Fargate bills what tasks request); for each pair
/// a vertical line at the workload's break-even utilisation, in the Fargate arm's colour and
/// dash with the EC2 arm's marker. A break-even above 100% (EC2 dearer even with its fleet
/// full) is not drawn: a legend entry says "never below 100%". The chart's top is twice the
/// largest cost. Colours and looks ([`arm_look`]) go by the arm's position in `arms` (the
/// run's arms, so an arm looks as in the other plots), arms not there after them by first
/// appearance in the rows. `None` without rows.
pub fn breakeven_plot(rows: &[BreakevenRow], arms: &[&str]) -> Option<Plot> {
    if rows.is_empty() {
        return None;
    }
    let mut order: Vec<&str> = arms.to_vec();
    for r in rows {
        for a in [&r.ec2_arm, &r.fargate_arm] {
            if !order.contains(&a.as_str()) {
                order.push(a);
            }
        }
    }
    let color = |a: &str| order.iter().position(|x| *x == a).unwrap_or(0);
    let top = 2.0
        * rows
            .iter()
            .map(|r| r.ec2_cost_usd.max(r.fargate_cost_usd))
            .fold(0.0, f64::max);
    let top = if top > 0.0 { top } else { 1.0 };
    // A vertical line at `u` (a fraction), or none past 100%.
    let vertical = |u: f64| {
        if pct(u) <= 100.0 {
            vec![(pct(u), 0.0), (pct(u), top)]
        } else {
            Vec::new()
        }
    };
    // What a vertical line at `u` is, or that there is none below 100%.
    let at = |u: f64, prefix: &str, what: String| {
        if pct(u) <= 100.0 {
            format!("{prefix}{what}")
        } else {
            format!("{prefix}never below 100%")
        }
    };
    let many = rows.len() > 1;
    let mut series = Vec::new();
    let mut done: Vec<&str> = Vec::new();
    for r in rows {
        let ec2 = color(&r.ec2_arm);
        let (ec2_style, ec2_marker) = arm_look(ec2);
        if !done.contains(&r.ec2_arm.as_str()) {
            done.push(&r.ec2_arm);
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
                series.push(Series {
                    label: format!("{} at utilisation u", r.ec2_arm),
                    color: ec2,
                    style: ec2_style,
                    marker: Some(ec2_marker),
                    points: pts,
                });
            }
            series.push(Series {
                label: format!("{} as run ({:.0}%)", r.ec2_arm, pct(r.ec2_utilisation)),
                color: ec2,
                style: LineStyle::Markers,
                marker: Some(Marker::Ring),
                points: vec![(pct(r.ec2_utilisation), r.ec2_cost_usd)],
            });
            if let Some(u) = r.catalog_breakeven_utilisation.filter(|u| u.is_finite()) {
                let arm = if many {
                    format!("{}: ", r.ec2_arm)
                } else {
                    String::new()
                };
                series.push(Series {
                    label: at(
                        u,
                        &format!("{arm}catalog u* "),
                        format!("{:.1}% ({})", pct(u), r.instance_type),
                    ),
                    color: ec2,
                    style: LineStyle::Dashed,
                    marker: None,
                    points: vertical(u),
                });
            }
        }
        let fargate = color(&r.fargate_arm);
        let (fargate_style, fargate_marker) = arm_look(fargate);
        if !done.contains(&r.fargate_arm.as_str()) {
            done.push(&r.fargate_arm);
            series.push(Series {
                label: format!("{} (any u)", r.fargate_arm),
                color: fargate,
                style: fargate_style,
                marker: Some(fargate_marker),
                points: vec![(0.0, r.fargate_cost_usd), (100.0, r.fargate_cost_usd)],
            });
        }
        if let Some(u) = r.breakeven_utilisation.filter(|u| u.is_finite()) {
            let pair = if many {
                format!("{} vs {}: ", r.ec2_arm, r.fargate_arm)
            } else {
                String::new()
            };
            series.push(Series {
                label: at(u, &format!("{pair}break-even "), format!("{:.0}%", pct(u))),
                color: fargate,
                style: fargate_style,
                marker: Some(ec2_marker),
                points: vertical(u),
            });
        }
    }
    Some(Plot {
        name: BREAKEVEN_PLOT,
        x_span: None,
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
            cost_fargate_os_licence_usd: 0.0,
            spot_savings_usd: sav,
        }
    }

    #[test]
    fn cost_breakdown_shows_the_windows_licence_when_an_arm_pays_it() {
        let mut win = cost_row("fargate-windows", 0.0, 0.0, 2.0, 0.5, 0.0);
        win.cost_fargate_os_licence_usd = 1.5;
        let p = cost_breakdown_plot(&[cost_row("ec2", 3.0, 0.0, 0.0, 0.0, 0.0), win]);
        let bars = p.panels[0].bars.as_ref().expect("bars");
        let licence = bars
            .components
            .iter()
            .find(|c| c.label == "Fargate Windows licence")
            .expect("the licence component");
        assert_eq!(licence.values, [0.0, 1.5]);
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
        let p = breakeven_plot(std::slice::from_ref(&row), &["ec2", "fargate"]).expect("a plot");
        let labels: Vec<&str> = p.panels[0]
            .series
            .iter()
            .map(|s| s.label.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "ec2 at utilisation u",
                "ec2 as run (25%)",
                "catalog u* 82.4% (m5.large)",
                "fargate (any u)",
                "break-even 50%",
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
        // The break-even in the Fargate arm's colour and dash, with the EC2 arm's marker.
        let be = series(&p, "break-even 50%");
        assert_eq!(
            (be.color, be.style, be.marker, be.points.as_slice()),
            (
                1,
                arm_look(1).0,
                Some(arm_look(0).1),
                &[(50.0, 0.0), (50.0, 4.0)][..]
            )
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
            [0, 0, 0, 1, 1]
        );

        // Two EC2 arms against one Fargate arm: Fargate's line once, pairs named.
        let mut other = row.clone();
        other.ec2_arm = "ec2-c5".into();
        other.breakeven_utilisation = None;
        other.catalog_breakeven_utilisation = None;
        let p = breakeven_plot(&[row, other], &[]).expect("a plot");
        let labels: Vec<(&str, usize)> = p.panels[0]
            .series
            .iter()
            .map(|s| (s.label.as_str(), s.color))
            .collect();
        assert_eq!(
            labels,
            [
                ("ec2 at utilisation u", 0),
                ("ec2 as run (25%)", 0),
                ("ec2: catalog u* 82.4% (m5.large)", 0),
                ("fargate (any u)", 1),
                ("ec2 vs fargate: break-even 50%", 1),
                ("ec2-c5 at utilisation u", 2),
                ("ec2-c5 as run (25%)", 2),
            ]
        );
        assert!(breakeven_plot(&[], &[]).is_none());
    }

    #[test]
    fn breakeven_with_two_fargate_arms_draws_each_ec2_curve_once_and_no_line_past_100() {
        // Fixed: each EC2 curve, its marker and its catalog u* were drawn (and listed) once per
        // Fargate arm, every break-even in the EC2 arm's style, and a break-even of 126% as a
        // solid line at 100%, where it looked like another arm's line.
        let pair = |ec2: &str, fargate: &str, cost: f64, be: f64| BreakevenRow {
            ec2_arm: ec2.into(),
            fargate_arm: fargate.into(),
            instance_type: "m5.xlarge".into(),
            ec2_cost_usd: cost,
            fargate_cost_usd: 3.7,
            ec2_utilisation: 0.5,
            breakeven_utilisation: Some(be),
            catalog_breakeven_utilisation: Some(0.82),
        };
        let rows = [
            pair("ec2-m5", "fargate-a", 4.3, 0.78),
            pair("ec2-m5", "fargate-b", 4.3, 0.781),
            pair("ec2-c5", "fargate-a", 10.9, 1.26),
            pair("ec2-c5", "fargate-b", 10.9, 1.25),
        ];
        // The run's arms, in its order: colours as in the other plots.
        let arms = ["ec2-m5", "ec2-c5", "fargate-a", "fargate-b"];
        let p = breakeven_plot(&rows, &arms).expect("a plot");
        let s = &p.panels[0].series;
        let labels: Vec<&str> = s.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "ec2-m5 at utilisation u",
                "ec2-m5 as run (50%)",
                "ec2-m5: catalog u* 82.0% (m5.xlarge)",
                "fargate-a (any u)",
                "ec2-m5 vs fargate-a: break-even 78%",
                "fargate-b (any u)",
                "ec2-m5 vs fargate-b: break-even 78%",
                "ec2-c5 at utilisation u",
                "ec2-c5 as run (50%)",
                "ec2-c5: catalog u* 82.0% (m5.xlarge)",
                "ec2-c5 vs fargate-a: break-even never below 100%",
                "ec2-c5 vs fargate-b: break-even never below 100%",
            ]
        );
        let look = |label: &str| {
            let s = series(&p, label);
            (s.color, s.style, s.marker)
        };
        let (m5, c5, fa, fb) = (arm_look(0), arm_look(1), arm_look(2), arm_look(3));
        assert_eq!(look("ec2-c5 at utilisation u"), (1, c5.0, Some(c5.1)));
        assert_eq!(look("fargate-b (any u)"), (3, fb.0, Some(fb.1)));
        assert_eq!(
            look("ec2-m5 vs fargate-a: break-even 78%"),
            (2, fa.0, Some(m5.1))
        );
        assert_eq!(
            look("ec2-m5 vs fargate-b: break-even 78%"),
            (3, fb.0, Some(m5.1))
        );
        // Past 100%: a legend entry alone, in the Fargate arm's look; nothing drawn at 100%.
        let never = series(&p, "ec2-c5 vs fargate-a: break-even never below 100%");
        assert!(never.points.is_empty());
        assert_eq!((never.color, never.style), (2, fa.0));
        let vertical_at_100 = s
            .iter()
            .any(|s| s.points.len() == 2 && s.points.iter().all(|p| p.0 == 100.0));
        assert!(!vertical_at_100);
    }
}
