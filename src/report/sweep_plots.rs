//! Sweep plots, pure functions of [`SweepData`]: cost against each swept parameter (mean and
//! 95% band), cost against p95 wait (the frontier), and the EC2 ÷ Fargate cost ratio across
//! the grid. Arms keep their colour (index = position in the scenario).

use crate::report::plots::{
    Axis, Band, ColorScale, HeatMap, LineStyle, Panel, Plot, Series, arm_look, with_data,
};
use crate::report::sweep_data::SweepData;
pub use crate::report::sweep_params::display;
use crate::report::sweep_params::{ParamAxis, combinations, describe, full};

/// The file stems of every sweep plot [`sweep_plots`] can return, in its order.
pub const SWEEP_PLOT_NAMES: [&str; 3] = ["sweep_cost", "sweep_frontier", "sweep_ratio"];

/// Most lines in one cost panel before the other parameters are held at their first value.
const MAX_LINES: usize = 12;

/// Most ratio heat maps (combinations of the parameters after the first two) before those
/// parameters are held at their first value.
const MAX_HEAT_MAPS: usize = 6;

/// Every sweep plot that has data, in a fixed order.
pub fn sweep_plots(data: &SweepData) -> Vec<Plot> {
    with_data([
        sweep_cost_plot(data),
        sweep_frontier_plot(data),
        sweep_ratio_plot(data),
    ])
}

const COMBO_STYLES: [LineStyle; 3] = [LineStyle::Solid, LineStyle::Dashed, LineStyle::Dotted];

/// Mean cost against each swept parameter, one panel per parameter, with the 95% confidence
/// band shaded. One line per arm and combination of the other parameters' values (line
/// style by combination); with more than 12 lines the other parameters are held at their
/// first value, as the title says. `None` without parameters or rows.
pub fn sweep_cost_plot(data: &SweepData) -> Option<Plot> {
    let n = data.parameters.len();
    if n == 0 || data.rows.is_empty() {
        return None;
    }
    let mut panels = Vec::new();
    let mut held_any = false;
    for p in 0..n {
        let axis = ParamAxis::new(data, p);
        let others: Vec<usize> = (0..n).filter(|&q| q != p).collect();
        let mut combos = combinations(data, &others);
        let held = data.arms.len() * combos.len() > MAX_LINES;
        if held {
            combos.truncate(1);
            held_any = true;
        }
        let mut series = Vec::new();
        let mut bands = Vec::new();
        for (a, arm) in data.arms.iter().enumerate() {
            for (ci, combo) in combos.iter().enumerate() {
                let mut pts: Vec<(f64, f64, Option<f64>)> = axis
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, x)| {
                        let r = data.row(arm, &full(n, p, x, &others, combo))?;
                        Some((axis.x(i), r.cost_mean?, r.cost_ci95))
                    })
                    .collect();
                pts.sort_by(|u, v| u.0.total_cmp(&v.0));
                let label = if others.is_empty() || held || combos.len() == 1 {
                    arm.clone()
                } else {
                    format!("{arm}, {}", describe(data, &others, combo))
                };
                if pts.iter().any(|q| q.2.is_some()) {
                    bands.push(Band {
                        color: a,
                        points: pts
                            .iter()
                            .map(|&(x, m, c)| (x, m - c.unwrap_or(0.0), m + c.unwrap_or(0.0)))
                            .collect(),
                    });
                }
                series.push(Series {
                    label,
                    color: a,
                    style: COMBO_STYLES[ci % COMBO_STYLES.len()],
                    marker: Some(arm_look(a).1),
                    points: pts.iter().map(|&(x, m, _)| (x, m)).collect(),
                });
            }
        }
        let mut label = data.parameters[p].clone();
        if held {
            label = format!("{label}   (held: {})", describe(data, &others, &combos[0]));
        }
        panels.push(Panel {
            y_label: "cost (USD)".into(),
            series,
            bands,
            x_axis: Some(axis.axis(label)),
            ..Panel::default()
        });
    }
    let mut title = "Cost against each swept parameter: mean over seeds, 95% CI shaded".to_string();
    if held_any {
        title.push_str("; others held at their first value where noted");
    }
    Some(Plot {
        name: "sweep_cost",
        x_span: None,
        title,
        x_label: String::new(),
        panels,
    })
}

/// The Pareto-efficient points of `pts` (lower x and lower y are better), by x: those no
/// other point beats on both (ties on x keep the cheaper).
pub fn pareto_front(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut sorted = pts.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut front: Vec<(f64, f64)> = Vec::new();
    for p in sorted {
        if front.last().is_none_or(|l| p.1 < l.1) {
            front.push(p);
        }
    }
    front
}

/// Mean cost against mean p95 wait for every variant, per arm (markers), the Pareto-efficient
/// variants of each arm joined by a line. The wait's unit (seconds, minutes or hours) follows
/// the longest. `None` when no variant has both.
pub fn sweep_frontier_plot(data: &SweepData) -> Option<Plot> {
    let max_s = data
        .rows
        .iter()
        .filter_map(|r| r.wait_p95_mean)
        .fold(0.0, f64::max);
    let (unit, per) = if max_s < 300.0 {
        ("seconds", 1.0)
    } else if max_s < 3.0 * 3600.0 {
        ("minutes", 60.0)
    } else {
        ("hours", 3600.0)
    };
    let mut series = Vec::new();
    for (a, arm) in data.arms.iter().enumerate() {
        let pts: Vec<(f64, f64)> = data
            .rows
            .iter()
            .filter(|r| &r.arm == arm)
            .filter_map(|r| Some((r.wait_p95_mean? / per, r.cost_mean?)))
            .collect();
        if pts.is_empty() {
            continue;
        }
        let front = pareto_front(&pts);
        series.push(Series {
            label: format!("{arm}: variants"),
            color: a,
            style: LineStyle::Markers,
            marker: Some(arm_look(a).1),
            points: pts,
        });
        {
            series.push(Series {
                label: format!("{arm}: Pareto front"),
                color: a,
                style: LineStyle::Solid,
                marker: None,
                points: front,
            });
        }
    }
    (!series.is_empty()).then(|| Plot {
        name: "sweep_frontier",
        x_span: None,
        title: "Cost against p95 wait: every variant, the efficient ones joined".into(),
        x_label: format!("p95 wait for capacity ({unit}), mean over seeds"),
        panels: vec![Panel::lines("cost (USD), mean over seeds", series)],
    })
}

/// What the ratio plot divides by, in its labels: "Fargate" when the scenario has one FARGATE
/// arm, else "cheapest Fargate" (the cheapest of its FARGATE arms, variant by variant).
fn fargate_name(data: &SweepData) -> &'static str {
    if data.arms_of("FARGATE").len() == 1 {
        "Fargate"
    } else {
        "cheapest Fargate"
    }
}

/// Each EC2 arm's mean cost ÷ the cheapest FARGATE arm's ([`SweepData::ec2_vs_fargate`])
/// across the grid. One parameter: a line per EC2 arm against it, with the break-even (a
/// ratio of 1) dashed. Two or more: a heat map of the first parameter (x) by the second (y), on
/// a colour scale centred on 1, with a black line between the cells either side of 1; one heat map per
/// EC2 arm and combination of the other parameters (at most 6; beyond that the other
/// parameters are held at their first value, as the title says, and then at most the first 6
/// EC2 arms are drawn). `None` without parameters or ratios (the scenario needs an EC2 arm and
/// a FARGATE arm).
pub fn sweep_ratio_plot(data: &SweepData) -> Option<Plot> {
    let n = data.parameters.len();
    let ratios = data.ec2_vs_fargate();
    let ratio = |e: &str, values: &[&str]| ratios[data.row_index(e, values)?];
    let ec2: Vec<&str> = data
        .arms_of("EC2")
        .into_iter()
        .filter(|e| {
            data.rows
                .iter()
                .zip(&ratios)
                .any(|(r, x)| r.arm == *e && x.is_some())
        })
        .collect();
    if n == 0 || ec2.is_empty() {
        return None;
    }
    let fargate = fargate_name(data);
    let one = ec2.len() == 1;
    // The label of arm `e`'s ratio: "EC2 ÷ Fargate cost" with one EC2 arm.
    let label = |e: &str| {
        if one {
            format!("EC2 ÷ {fargate} cost")
        } else {
            format!("{e} ÷ {fargate} cost")
        }
    };
    let title = format!("EC2 ÷ {fargate} cost across the grid (below 1: EC2 cheaper)");
    if n == 1 {
        let axis = ParamAxis::new(data, 0);
        let mut series: Vec<Series> = ec2
            .iter()
            .map(|e| {
                let mut pts: Vec<(f64, f64)> = axis
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| Some((axis.x(i), ratio(e, &[v])?)))
                    .collect();
                pts.sort_by(|a, b| a.0.total_cmp(&b.0));
                Series {
                    label: label(e),
                    color: if one { 6 } else { arm_color(data, e) },
                    style: LineStyle::Solid,
                    marker: Some(arm_look(arm_color(data, e)).1),
                    points: pts,
                }
            })
            .collect();
        let xs = (0..axis.values.len()).map(|i| axis.x(i));
        let (lo, hi) = match &axis.numbers {
            Some(_) => (
                xs.clone().fold(f64::INFINITY, f64::min),
                xs.fold(f64::NEG_INFINITY, f64::max),
            ),
            None => (-0.5, axis.values.len() as f64 - 0.5),
        };
        series.push(Series {
            label: "break-even (ratio 1)".into(),
            color: 6,
            style: LineStyle::Dashed,
            marker: None,
            points: vec![(lo, 1.0), (hi, 1.0)],
        });
        return Some(Plot {
            name: "sweep_ratio",
            x_span: None,
            title,
            x_label: String::new(),
            panels: vec![Panel {
                x_axis: Some(axis.axis(data.parameters[0].clone())),
                ..Panel::lines(format!("EC2 cost ÷ {fargate} cost"), series)
            }],
        });
    }
    let xs = data.values_of(0);
    let ys = data.values_of(1);
    let rest: Vec<usize> = (2..n).collect();
    let mut combos = combinations(data, &rest);
    let held = ec2.len() * combos.len() > MAX_HEAT_MAPS;
    if held {
        combos.truncate(1);
    }
    let mut panels = Vec::new();
    for e in ec2.iter().take(MAX_HEAT_MAPS) {
        for combo in &combos {
            let values = ys
                .iter()
                .map(|y| {
                    xs.iter()
                        .map(|x| {
                            let mut v = vec![*x, *y];
                            v.extend(combo);
                            ratio(e, &v)
                        })
                        .collect()
                })
                .collect();
            let mut notes = Vec::new();
            if !one {
                notes.push(format!("{e} ÷ {fargate}"));
            }
            if !rest.is_empty() {
                notes.push(format!(
                    "{}{}",
                    if held { "held: " } else { "" },
                    describe(data, &rest, combo)
                ));
            }
            let mut x_label = data.parameters[0].clone();
            if !notes.is_empty() {
                x_label = format!("{x_label}   ({})", notes.join("; "));
            }
            panels.push(Panel {
                y_label: data.parameters[1].clone(),
                x_axis: Some(Axis {
                    label: x_label,
                    categories: xs.iter().map(|v| display(v)).collect(),
                    log10: false,
                }),
                heat: Some(HeatMap {
                    y_categories: ys.iter().map(|v| display(v)).collect(),
                    values,
                    scale: ColorScale::Diverging {
                        center: 1.0,
                        below: "EC2 cheaper",
                        above: "Fargate cheaper",
                    },
                    value_label: label(e),
                }),
                ..Panel::default()
            });
        }
    }
    Some(Plot {
        name: "sweep_ratio",
        x_span: None,
        title: if held {
            format!("{title}; later parameters held at their first value")
        } else {
            title
        },
        x_label: String::new(),
        panels,
    })
}

/// Arm `arm`'s colour: its position in the scenario.
fn arm_color(data: &SweepData, arm: &str) -> usize {
    data.arms.iter().position(|a| a == arm).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sweep_data::SweepRow;

    /// A grid of `a` × `b` (values as given), arms ec2 and fargate; ec2's cost is a + b,
    /// fargate's 10, ci 0.5, p95 wait 100 ÷ a for ec2 and 1 for fargate, ratio (a + b) ÷ 10.
    fn grid(a_vals: &[&str], b_vals: &[&str]) -> SweepData {
        let mut rows = Vec::new();
        let mut v = 0;
        for a in a_vals {
            for b in b_vals {
                let av: f64 = a.parse().unwrap_or(1.0);
                let bv: f64 = b.parse().unwrap_or(1.0);
                let ratio = Some((av + bv) / 10.0);
                for (arm, launch, cost, wait) in [
                    ("ec2", "EC2", av + bv, 100.0 / av),
                    ("fargate", "FARGATE", 10.0, 1.0),
                ] {
                    rows.push(SweepRow {
                        variant: v,
                        values: vec![(*a).into(), (*b).into()],
                        arm: arm.into(),
                        launch_type: launch.into(),
                        cost_mean: Some(cost),
                        cost_ci95: Some(0.5),
                        wait_p95_mean: Some(wait),
                        ratio,
                        cost_vs_cheapest: None,
                        cheapest: String::new(),
                    });
                }
                v += 1;
            }
        }
        SweepData {
            parameters: vec!["w.per_hour".into(), "arm.ec2.types".into()],
            arms: vec!["ec2".into(), "fargate".into()],
            rows,
        }
    }

    #[test]
    fn cost_has_a_panel_per_parameter_with_a_line_per_arm_and_other_value() {
        let d = grid(&["4", "2"], &["1", "3"]);
        let p = sweep_cost_plot(&d).unwrap();
        assert_eq!(p.panels.len(), 2);
        let first = &p.panels[0];
        assert_eq!(first.x_axis.as_ref().unwrap().label, "w.per_hour");
        assert!(first.x_axis.as_ref().unwrap().categories.is_empty());
        type Line<'a> = (&'a str, usize, LineStyle, &'a [(f64, f64)]);
        let got: Vec<Line> = first
            .series
            .iter()
            .map(|s| (s.label.as_str(), s.color, s.style, s.points.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "ec2, types = 1",
                    0,
                    LineStyle::Solid,
                    &[(2.0, 3.0), (4.0, 5.0)][..]
                ),
                (
                    "ec2, types = 3",
                    0,
                    LineStyle::Dashed,
                    &[(2.0, 5.0), (4.0, 7.0)][..]
                ),
                (
                    "fargate, types = 1",
                    1,
                    LineStyle::Solid,
                    &[(2.0, 10.0), (4.0, 10.0)][..]
                ),
                (
                    "fargate, types = 3",
                    1,
                    LineStyle::Dashed,
                    &[(2.0, 10.0), (4.0, 10.0)][..]
                ),
            ]
        );
        assert_eq!(first.bands[0].points, [(2.0, 2.5, 3.5), (4.0, 4.5, 5.5)]);
        assert_eq!(first.bands.len(), 4);
        assert!(!p.title.contains("held"));
    }

    #[test]
    fn non_numeric_values_are_categories_and_many_lines_hold_the_others() {
        let types = ["[\"m5.large\"]", "[\"c5.large\", \"m5.large\"]"];
        let many: Vec<String> = (1..=7).map(|i| i.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let d = grid(&many, &types);
        let p = sweep_cost_plot(&d).unwrap();
        // Panel 2: x = types, categorical; 2 arms × 7 per_hour values = 14 lines > 12: held.
        let second = &p.panels[1];
        let axis = second.x_axis.as_ref().unwrap();
        assert_eq!(axis.categories, ["m5.large", "c5.large,m5.large"]);
        assert_eq!(axis.label, "arm.ec2.types   (held: per_hour = 1)");
        assert_eq!(second.series.len(), 2);
        assert_eq!(second.series[0].label, "ec2");
        assert_eq!(second.series[0].points, [(0.0, 2.0), (1.0, 2.0)]);
        assert!(p.title.contains("held at their first value"));
        // 1 to 7 spans less than a factor of 20: a linear axis.
        assert!(!p.panels[0].x_axis.as_ref().unwrap().log10);
        let d = grid(&["5", "10", "20", "40", "80", "160"], &["1"]);
        let log = sweep_cost_plot(&d).unwrap();
        let axis = log.panels[0].x_axis.as_ref().unwrap();
        assert!(axis.log10);
        assert_eq!(axis.label, "w.per_hour (log scale)");
        assert!((log.panels[0].series[0].points[1].0 - 1.0).abs() < 1e-12);
        // Panel 1: 2 arms × 2 types = 4 lines: not held.
        assert_eq!(p.panels[0].series.len(), 4);
    }

    #[test]
    fn pareto_front_keeps_the_points_nothing_beats_on_both() {
        let pts = [
            (3.0, 1.0),
            (1.0, 5.0),
            (2.0, 2.0),
            (2.5, 4.0),
            (1.0, 6.0),
            (4.0, 1.0),
        ];
        assert_eq!(pareto_front(&pts), [(1.0, 5.0), (2.0, 2.0), (3.0, 1.0)]);
    }

    #[test]
    fn frontier_scatters_every_variant_and_joins_the_efficient_ones() {
        let d = grid(&["1", "2"], &["1", "3"]);
        let p = sweep_frontier_plot(&d).unwrap();
        let s = &p.panels[0].series;
        assert_eq!(s[0].label, "ec2: variants");
        assert_eq!(s[0].style, LineStyle::Markers);
        assert_eq!(
            s[0].points,
            [(100.0, 2.0), (100.0, 4.0), (50.0, 3.0), (50.0, 5.0)]
        );
        assert_eq!(s[1].label, "ec2: Pareto front");
        assert_eq!(s[1].points, [(50.0, 3.0), (100.0, 2.0)]);
        // Fargate's variants all sit at one point: a front of one point.
        assert_eq!(s.len(), 4);
        assert_eq!(s[2].label, "fargate: variants");
        assert_eq!(s[3].points, [(1.0, 10.0)]);
        assert_eq!(
            p.x_label,
            "p95 wait for capacity (seconds), mean over seeds"
        );
    }

    #[test]
    fn ratio_is_a_heat_map_of_two_parameters_centred_on_one() {
        let d = grid(&["4", "8", "16"], &["1", "3"]);
        let p = sweep_ratio_plot(&d).unwrap();
        assert_eq!(p.panels.len(), 1);
        let panel = &p.panels[0];
        assert_eq!(panel.x_axis.as_ref().unwrap().categories, ["4", "8", "16"]);
        let h = panel.heat.as_ref().unwrap();
        assert_eq!(h.y_categories, ["1", "3"]);
        assert_eq!(
            h.values,
            [
                [Some(0.5), Some(0.9), Some(1.7)],
                [Some(0.7), Some(1.1), Some(1.9)]
            ]
        );
        assert!(matches!(h.scale, ColorScale::Diverging { center, .. } if center == 1.0));
    }

    #[test]
    fn ratio_of_one_parameter_is_a_line_with_break_even_dashed() {
        let mut d = grid(&["2", "8"], &["1"]);
        d.parameters.truncate(1);
        for r in &mut d.rows {
            r.values.truncate(1);
        }
        let p = sweep_ratio_plot(&d).unwrap();
        let s = &p.panels[0].series;
        assert_eq!(s[0].points, [(2.0, 0.3), (8.0, 0.9)]);
        assert_eq!(s[1].style, LineStyle::Dashed);
        assert_eq!(s[1].points, [(2.0, 1.0), (8.0, 1.0)]);
        assert!(p.panels[0].heat.is_none());
    }

    #[test]
    fn ratio_of_more_parameters_is_a_heat_map_per_combination_of_the_rest() {
        let mut d = grid(&["1", "2"], &["1", "3"]);
        d.parameters.push("c".into());
        let mut rows = Vec::new();
        for c in ["x", "y"] {
            for r in &d.rows {
                let mut r = r.clone();
                r.values.push(c.into());
                rows.push(r);
            }
        }
        d.rows = rows;
        let p = sweep_ratio_plot(&d).unwrap();
        assert_eq!(p.panels.len(), 2);
        assert_eq!(
            p.panels[1].x_axis.as_ref().unwrap().label,
            "w.per_hour   (c = y)"
        );
        assert!(!p.title.contains("held"));
        assert!(
            sweep_ratio_plot(&SweepData {
                rows: Vec::new(),
                ..d
            })
            .is_none()
        );
    }

    /// `grid` with the ratio column emptied and arms added: a second EC2 arm `ec2-b` costing
    /// twice `ec2`, and a Fargate Spot arm `spot` (launch type FARGATE) costing 5.
    fn three_arms(mut d: SweepData) -> SweepData {
        let mut rows = Vec::new();
        for pair in d.rows.chunks(2) {
            let mut ec2 = pair[0].clone();
            let fargate = pair[1].clone();
            ec2.ratio = None;
            let mut b = ec2.clone();
            b.arm = "ec2-b".into();
            b.cost_mean = ec2.cost_mean.map(|c| 2.0 * c);
            let mut spot = fargate.clone();
            spot.arm = "spot".into();
            spot.cost_mean = Some(5.0);
            let mut fargate = fargate;
            fargate.ratio = None;
            spot.ratio = None;
            rows.extend([ec2, b, fargate, spot]);
        }
        d.rows = rows;
        d.arms = ["ec2", "ec2-b", "fargate", "spot"]
            .map(String::from)
            .to_vec();
        d
    }

    #[test]
    fn ratio_with_several_arms_divides_each_ec2_arm_by_the_cheapest_fargate_arm() {
        // Two parameters: one heat map per EC2 arm, each cell ÷ 5 (the Spot arm).
        let d = three_arms(grid(&["4", "8"], &["1", "3"]));
        let p = sweep_ratio_plot(&d).expect("a ratio plot with four arms");
        assert_eq!(
            p.title,
            "EC2 ÷ cheapest Fargate cost across the grid (below 1: EC2 cheaper)"
        );
        assert_eq!(p.panels.len(), 2);
        let h = p.panels[0].heat.as_ref().unwrap();
        assert_eq!(
            h.values,
            [[Some(1.0), Some(1.8)], [Some(1.4), Some(2.2)]],
            "(a + b) ÷ 5"
        );
        assert_eq!(h.value_label, "ec2 ÷ cheapest Fargate cost");
        assert_eq!(
            p.panels[1].x_axis.as_ref().unwrap().label,
            "w.per_hour   (ec2-b ÷ cheapest Fargate)"
        );
        let h = p.panels[1].heat.as_ref().unwrap();
        assert_eq!(h.values[0], [Some(2.0), Some(3.6)]);
        // One parameter: a line per EC2 arm in its colour, break-even dashed.
        let mut one = three_arms(grid(&["2", "8"], &["1"]));
        one.parameters.truncate(1);
        for r in &mut one.rows {
            r.values.truncate(1);
        }
        let p = sweep_ratio_plot(&one).unwrap();
        let s = &p.panels[0].series;
        assert_eq!(s.len(), 3);
        assert_eq!(
            (s[0].label.as_str(), s[0].color),
            ("ec2 ÷ cheapest Fargate cost", 0)
        );
        assert_eq!(s[0].points, [(2.0, 0.6), (8.0, 1.8)]);
        assert_eq!(
            (s[1].label.as_str(), s[1].color),
            ("ec2-b ÷ cheapest Fargate cost", 1)
        );
        assert_eq!(s[1].points, [(2.0, 1.2), (8.0, 3.6)]);
        assert_eq!(s[2].style, LineStyle::Dashed);
        // Without a FARGATE arm there is nothing to divide by.
        let mut no_fargate = three_arms(grid(&["2", "8"], &["1"]));
        no_fargate.rows.retain(|r| r.launch_type == "EC2");
        assert!(sweep_ratio_plot(&no_fargate).is_none());
    }
}
