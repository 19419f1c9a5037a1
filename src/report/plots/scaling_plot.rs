//! Managed scaling: CapacityProviderReservation against its target (scaling.csv), with an
//! axis that an outlier cannot stretch.

use super::plot::{LineStyle, Marker, Panel, Plot, Series};
use super::run_plots::{arm_line, line};
use super::time_axis::TimeAxis;
use crate::report::run_data::RunData;

/// The scaling plot's y axis ends at this many times the highest target, when a metric goes
/// higher: CapacityProviderReservation is M ÷ N × 100 with N the instances running, so with
/// few or none running it reaches thousands of percent, and an axis to there flattens the
/// target and everything near it into the bottom edge.
pub const SCALING_CLIP_TARGETS: f64 = 4.0;

/// A line's points.
pub(super) type Points = Vec<(f64, f64)>;

/// `points` with every y above `cap` brought down to it, and the points to mark as clipped:
/// one per run of consecutive points above the cap, at the run's highest (x, cap).
pub(super) fn clip(points: &[(f64, f64)], cap: f64) -> (Points, Points) {
    let mut marks: Vec<(f64, f64)> = Vec::new();
    let mut peak: Option<(f64, f64)> = None;
    for &(x, y) in points {
        if y > cap {
            if peak.is_none_or(|p| y > p.1) {
                peak = Some((x, y));
            }
        } else if let Some(p) = peak.take() {
            marks.push((p.0, cap));
        }
    }
    marks.extend(peak.map(|p| (p.0, cap)));
    let clipped = points.iter().map(|&(x, y)| (x, y.min(cap))).collect();
    (clipped, marks)
}

/// Where an arm's capacity provider scaled: CapacityProviderReservation against its target
/// (dashed), from the provider rows of scaling.csv. `None` when no arm has such rows. Colours
/// go by provider, not by arm: an arm with two providers (On-Demand and Spot) shows both.
/// When a metric exceeds [`SCALING_CLIP_TARGETS`] × the highest target, the axis ends there:
/// the lines are clipped at the top edge, each excursion above it is marked ([`Marker::Clipped`])
/// there, and the axis and legend say so.
pub fn scaling_plot(run: &RunData) -> Option<Plot> {
    let t = TimeAxis::of(run);
    let mut series = Vec::new();
    // Per provider: legend, metric, target.
    let mut lines: Vec<(String, Points, Points)> = Vec::new();
    for a in &run.arms {
        let mut providers: Vec<&str> = Vec::new();
        for r in &a.scaling {
            if !r.provider.starts_with("service:") && !providers.contains(&r.provider.as_str()) {
                providers.push(&r.provider);
            }
        }
        for p in providers {
            let rows = || a.scaling.iter().filter(move |r| r.provider == p);
            let label = if p == a.arm {
                a.label()
            } else {
                format!("{} {p}", a.label())
            };
            let metric: Vec<_> = rows()
                .filter_map(|r| Some((t.at(r.time_ms), r.metric?)))
                .collect();
            let target: Vec<_> = rows()
                .filter_map(|r| Some((t.at(r.time_ms), r.target?)))
                .collect();
            lines.push((label, metric, target));
        }
    }
    let highest = |pts: &mut dyn Iterator<Item = &Points>| {
        pts.flat_map(|p| p.iter().map(|p| p.1))
            .filter(|y| y.is_finite())
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let cap = SCALING_CLIP_TARGETS * highest(&mut lines.iter().map(|l| &l.2));
    let cap = (cap > 0.0 && highest(&mut lines.iter().map(|l| &l.1)) > cap).then_some(cap);
    for (i, (label, metric, target)) in lines.iter().enumerate() {
        match cap {
            Some(cap) => {
                let (clipped, marks) = clip(metric, cap);
                let max = metric.iter().map(|p| p.1).fold(0.0, f64::max);
                series.push(arm_line(label.clone(), i, &clipped));
                if !marks.is_empty() {
                    series.push(Series {
                        label: format!("{label} clipped at {cap:.0}% (max {max:.0}%)"),
                        color: i,
                        style: LineStyle::Markers,
                        marker: Some(Marker::Clipped),
                        points: marks,
                    });
                }
            }
            None => series.push(arm_line(label.clone(), i, metric)),
        }
        series.push(line(
            format!("{label} target"),
            i,
            LineStyle::Dashed,
            target,
        ));
    }
    let mut title = "Managed scaling: CapacityProviderReservation against target".to_string();
    if let Some(cap) = cap {
        title.push_str(&format!(" (values above {cap:.0}% clipped)"));
    }
    (!series.is_empty()).then(|| Plot {
        name: "scaling",
        title,
        x_label: t.label().into(),
        panels: vec![Panel {
            y_label: "CapacityProviderReservation (%)".into(),
            series,
            ..Panel::default()
        }],
        x_span: Some(t.span()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plots::arm_look;
    use crate::report::plots::plot::LineStyle::Dashed;
    use crate::report::plots::render::{range, ys};
    use crate::report::plots::run_plots::{RUN_PLOT_NAMES, run_plots};
    use crate::report::plots::testing::{arm, line, run};
    use crate::report::run_data::RunData;
    use crate::report::run_data::fixture;

    #[test]
    fn scaling_shows_provider_rows_only_with_their_target() {
        let p = scaling_plot(&run()).expect("ec2 scaled");
        assert_eq!(
            p.panels[0].series,
            vec![
                arm("ec2", 0, &[(0.0, 200.0), (0.5, 150.0)]),
                line(
                    "ec2 target",
                    0,
                    Dashed,
                    &[(0.0, 100.0), (0.5, 100.0), (1.0, 100.0)]
                ),
            ]
        );
        // Two providers of one arm get two colours, and the provider's name.
        let mut files = fixture::files();
        let mut two = fixture::SCALING.to_string();
        two.push_str("1800.000,ec2,spot,90.000,100.000,1,1,none\n");
        files.scaling = Some(two.into_bytes());
        let p = scaling_plot(&RunData::parse(&files).unwrap()).expect("ec2 scaled");
        let got: Vec<_> = p.panels[0]
            .series
            .iter()
            .map(|s| (s.label.as_str(), s.color))
            .collect();
        assert_eq!(
            got,
            [
                ("ec2", 0),
                ("ec2 target", 0),
                ("ec2 spot", 1),
                ("ec2 spot target", 1)
            ]
        );
        files.scaling = None;
        let no_scaling = RunData::parse(&files).unwrap();
        assert!(scaling_plot(&no_scaling).is_none());
        let names: Vec<_> = run_plots(&no_scaling).iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "utilisation",
                "fleet",
                "cost",
                "cost_breakdown",
                "wait_cdf",
                "breakeven"
            ]
        );
        // Every plot but the commitments plot: the fixture has no commitments.csv.
        let names: Vec<_> = run_plots(&run()).iter().map(|p| p.name).collect();
        assert_eq!(names, RUN_PLOT_NAMES[..RUN_PLOT_NAMES.len() - 1]);
    }

    #[test]
    fn scaling_axis_is_capped_at_four_times_the_target_and_clipped_values_are_marked() {
        // Fixed: a reservation of 52,450% (capacity near zero) took the axis there and the
        // target at 100% was lost in the bottom edge.
        let mut files = fixture::files();
        files.scaling = Some(
            "time_s,arm,provider,metric,target,desired,running,action\n\
             0.000,ec2,ec2,52450.000,100.000,2,0,scale_out\n\
             600.000,ec2,ec2,9000.000,100.000,2,0,none\n\
             1800.000,ec2,ec2,150.000,100.000,2,2,none\n\
             2400.000,ec2,ec2,500.000,100.000,2,2,none\n\
             3600.000,ec2,ec2,90.000,100.000,2,2,none\n"
                .into(),
        );
        let p = scaling_plot(&RunData::parse(&files).unwrap()).unwrap();
        assert!(
            p.title.ends_with("(values above 400% clipped)"),
            "{}",
            p.title
        );
        let s = &p.panels[0].series;
        assert!(s[0].points.iter().all(|p| p.1 <= 400.0));
        assert_eq!(s[0].points[0], (0.0, 400.0));
        // One marker (a shape no arm's line has) per excursion above the cap, at its peak, on the top edge.
        assert!((0..12).all(|k| arm_look(k).1 != Marker::Clipped));
        assert_eq!(s[1].label, "ec2 clipped at 400% (max 52450%)");
        assert_eq!(
            (s[1].style, s[1].marker),
            (LineStyle::Markers, Some(Marker::Clipped))
        );
        assert_eq!(s[1].points, [(0.0, 400.0), (2400.0 / 3600.0, 400.0)]);
        assert_eq!(s[2].label, "ec2 target");
        // The axis ends just above the cap (4% room for the markers).
        let (lo, hi) = range(ys(&p.panels[0]), true);
        assert!(lo < 0.0 && (hi - 416.0).abs() < 1e-9, "{lo} {hi}");
        // Under the cap nothing is clipped (the fixture peaks at 200%).
        let p = scaling_plot(&run()).unwrap();
        assert!(!p.title.contains("clipped"));
        assert!(
            p.panels[0]
                .series
                .iter()
                .all(|s| s.marker != Some(Marker::Clipped))
        );
        assert_eq!(clip(&[(0.0, 1.0), (1.0, 5.0)], 10.0).1, []);
    }
}
