//! The run plots drawn from timeseries.csv (utilisation, fleet, cost), and the list of every
//! run plot in its order.

use super::plot::{LineStyle, Panel, Plot, Series, arm_look, with_data};
use super::scaling_plot::scaling_plot;
use super::time_axis::TimeAxis;
use super::wait_cdf::wait_cdf_plot;
use crate::report::downsample::downsample;
use crate::report::run_data::{ArmData, CommitmentHourRow, RunData, TimeseriesRow};
use crate::report::summary_plots::{
    BREAKEVEN_PLOT, COST_BREAKDOWN_PLOT, CostBreakdownRow, breakeven_plot, cost_breakdown_plot,
};

/// The file stems of every run plot [`run_plots`] can return, in its order.
pub const RUN_PLOT_NAMES: [&str; 8] = [
    "utilisation",
    "fleet",
    "cost",
    COST_BREAKDOWN_PLOT,
    "wait_cdf",
    "scaling",
    BREAKEVEN_PLOT,
    COMMITMENTS_PLOT,
];

/// The commitments plot's file stem.
pub const COMMITMENTS_PLOT: &str = "commitments";

/// Every run plot that has data, in a fixed order: the cost breakdown when summary.csv has
/// the cost components, the break-even view when the run has breakeven.csv.
pub fn run_plots(run: &RunData) -> Vec<Plot> {
    // The bars are named as the legends name the arms (marked when saturated or incomplete).
    let costs: Option<Vec<CostBreakdownRow>> = run
        .arms
        .iter()
        .map(|a| {
            a.cost.clone().map(|c| CostBreakdownRow {
                arm: a.label(),
                ..c
            })
        })
        .collect();
    let arm_names: Vec<&str> = run.arms.iter().map(|a| a.arm.as_str()).collect();
    with_data([
        Some(utilisation_plot(run)),
        Some(fleet_plot(run)),
        Some(cost_plot(run)),
        costs.as_deref().map(cost_breakdown_plot),
        wait_cdf_plot(run),
        scaling_plot(run),
        run.breakeven
            .as_deref()
            .and_then(|rows| breakeven_plot(rows, &arm_names)),
        run.commitments
            .as_deref()
            .map(|rows| commitments_plot(run, rows)),
    ])
}

/// Per arm with commitments, the fees paid (dashed) and the part used (solid) in each clock
/// hour, as steps (commitments.csv; docs/model.md §22).
pub fn commitments_plot(run: &RunData, rows: &[CommitmentHourRow]) -> Plot {
    let mut series = Vec::new();
    for (i, a) in run.arms.iter().enumerate() {
        let mine: Vec<&CommitmentHourRow> = rows.iter().filter(|r| r.arm == a.arm).collect();
        if mine.is_empty() {
            continue;
        }
        let steps = |f: fn(&CommitmentHourRow) -> f64| -> Vec<(f64, f64)> {
            mine.iter()
                .flat_map(|r| [(r.hour as f64, f(r)), ((r.hour + 1) as f64, f(r))])
                .collect()
        };
        series.push(line(
            format!("{} fee", a.label()),
            i,
            LineStyle::Dashed,
            &steps(|r| r.fee_usd),
        ));
        series.push(arm_line(
            format!("{} used", a.label()),
            i,
            &steps(|r| r.used_usd),
        ));
    }
    Plot {
        name: COMMITMENTS_PLOT,
        title: "Commitments: fee paid and fee used per clock hour".into(),
        x_label: "clock hour of the run".into(),
        panels: vec![Panel::lines("USD per hour", series)],
        x_span: None,
    }
}

/// At most about this many points per line: longer lines are reduced by
/// [`downsample`], which keeps every peak and trough.
pub const MAX_POINTS: usize = 2_000;

/// A line, reduced to at most [`MAX_POINTS`] points.
pub(super) fn line(label: String, color: usize, style: LineStyle, points: &[(f64, f64)]) -> Series {
    Series {
        label,
        color,
        style,
        marker: None,
        points: downsample(points, MAX_POINTS),
    }
}

/// The main line of the arm at position `k` ([`arm_look`]), reduced to at most [`MAX_POINTS`]
/// points.
pub(super) fn arm_line(label: String, k: usize, points: &[(f64, f64)]) -> Series {
    let (style, marker) = arm_look(k);
    Series {
        marker: Some(marker),
        ..line(label, k, style, points)
    }
}

/// `(time, f(row))` for every timeseries row of `a`.
pub(super) fn over_time(
    t: TimeAxis,
    a: &ArmData,
    f: impl Fn(&TimeseriesRow) -> f64,
) -> Vec<(f64, f64)> {
    a.timeseries
        .iter()
        .map(|s| (t.at(s.time_ms), f(s)))
        .collect()
}

/// Percent reserved of registered at each sample where anything is registered.
pub(super) fn reserved_pct(
    t: TimeAxis,
    a: &ArmData,
    pick: fn(&TimeseriesRow) -> (u64, u64),
) -> Vec<(f64, f64)> {
    a.timeseries
        .iter()
        .filter_map(|s| {
            let (reserved, registered) = pick(s);
            (registered > 0).then(|| (t.at(s.time_ms), 100.0 * reserved as f64 / registered as f64))
        })
        .collect()
}

/// Reserved CPU and memory as a percentage of registered (Fargate: requested ÷ billed), per
/// arm; samples with nothing registered are left out.
pub fn utilisation_plot(run: &RunData) -> Plot {
    let t = TimeAxis::of(run);
    let panel = |what: &str, pick: fn(&TimeseriesRow) -> (u64, u64)| Panel {
        y_label: format!("reserved {what} (% of registered)"),
        series: run
            .arms
            .iter()
            .enumerate()
            .map(|(i, a)| arm_line(a.label(), i, &reserved_pct(t, a, pick)))
            .collect(),
        ..Panel::default()
    };
    Plot {
        name: "utilisation",
        title: "Reserved CPU and memory utilisation".into(),
        x_label: t.label().into(),
        panels: vec![
            panel("CPU", |s| (s.cpu_reserved, s.cpu_registered)),
            panel("memory", |s| (s.mem_reserved, s.mem_registered)),
        ],
        x_span: Some(t.span()),
    }
}

/// Container instances (and, dashed, those still launching) per EC2 arm; tasks waiting for
/// capacity per arm.
pub fn fleet_plot(run: &RunData) -> Plot {
    let t = TimeAxis::of(run);
    let mut instances = Vec::new();
    for (i, a) in run.arms.iter().enumerate() {
        if a.launch_type != "EC2" {
            continue;
        }
        instances.push(arm_line(
            a.label(),
            i,
            &over_time(t, a, |s| s.instances as f64),
        ));
        if a.timeseries.iter().all(|s| s.instances_launching.is_some()) {
            let pts = over_time(t, a, |s| s.instances_launching.unwrap_or(0) as f64);
            instances.push(line(
                format!("{} launching", a.label()),
                i,
                LineStyle::Dashed,
                &pts,
            ));
        }
    }
    let pending = run
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| arm_line(a.label(), i, &over_time(t, a, |s| s.tasks_pending as f64)))
        .collect();
    let mut panels = Vec::new();
    if !instances.is_empty() {
        panels.push(Panel {
            y_label: "container instances".into(),
            series: instances,
            ..Panel::default()
        });
    }
    panels.push(Panel {
        y_label: "pending tasks".into(),
        series: pending,
        ..Panel::default()
    });
    Plot {
        name: "fleet",
        title: "Container instances and pending tasks".into(),
        x_label: t.label().into(),
        panels,
        x_span: Some(t.span()),
    }
}

/// Cost accrued so far, per arm.
pub fn cost_plot(run: &RunData) -> Plot {
    let t = TimeAxis::of(run);
    let series = run
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| arm_line(a.label(), i, &over_time(t, a, |s| s.cost_cum_usd)))
        .collect();
    Plot {
        name: "cost",
        title: "Cumulative cost".into(),
        x_label: t.label().into(),
        panels: vec![Panel {
            y_label: "cost (USD)".into(),
            series,
            ..Panel::default()
        }],
        x_span: Some(t.span()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report::plots::plot::mark_identical;
    use crate::report::plots::render::render_svg;
    use crate::report::plots::testing::{arm, line, run};
    use crate::report::run_data::fixture;
    use crate::report::run_data::{RunData, RunFiles};
    use LineStyle::Dashed;

    #[test]
    fn commitments_plot_steps_each_arms_fee_and_use_per_hour() {
        // Two hours of one commitment on the `ec2` arm, two rows in hour 1 summed on reading:
        // the fee line steps 0.1 → 0.3 and the used line 0.05 → 0.25, over hours 0–2.
        let mut files = fixture::files();
        files.commitments = Some(
            "arm,hour,commitment,type,fee_usd,used_usd,covered_on_demand_usd,utilisation\n\
             ec2,0,sp,compute_savings_plan,0.100000,0.050000,0.070000,0.500000\n\
             ec2,1,sp,compute_savings_plan,0.100000,0.100000,0.140000,1.000000\n\
             ec2,1,ri,reserved_instances,0.200000,0.150000,0.190000,0.750000\n"
                .into(),
        );
        let run = RunData::parse(&files).unwrap();
        let p = run_plots(&run)
            .into_iter()
            .find(|p| p.name == COMMITMENTS_PLOT)
            .expect("a commitments plot");
        let s = &p.panels[0].series;
        assert_eq!(s.len(), 2);
        let want = [(0.0, 0.1), (1.0, 0.1), (1.0, 0.3), (2.0, 0.3)];
        assert_eq!(s[0].points.len(), want.len());
        for (got, want) in s[0].points.iter().zip(want) {
            assert!(got.0 == want.0 && (got.1 - want.1).abs() < 1e-12, "{got:?}");
        }
        assert!((s[1].points[2].1 - 0.25).abs() < 1e-12);
        assert!(s[0].label.ends_with("fee") && s[1].label.ends_with("used"));
    }
    #[test]
    fn utilisation_is_reserved_over_registered_where_anything_is_registered() {
        let p = utilisation_plot(&run());
        assert_eq!(p.panels.len(), 2);
        assert_eq!(p.panels[0].y_label, "reserved CPU (% of registered)");
        assert_eq!(
            p.panels[0].series,
            vec![
                arm("ec2", 0, &[(0.0, 0.0), (0.5, 50.0), (1.0, 50.0)]),
                arm("fargate", 1, &[(0.5, 75.0), (1.0, 100.0)]),
            ]
        );
        assert_eq!(
            p.panels[1].series,
            vec![
                arm("ec2", 0, &[(0.0, 0.0), (0.5, 50.0), (1.0, 12.5)]),
                arm("fargate", 1, &[(0.5, 50.0), (1.0, 100.0)]),
            ]
        );
    }

    #[test]
    fn fleet_shows_instances_of_ec2_arms_only_and_pending_tasks_of_every_arm() {
        let p = fleet_plot(&run());
        assert_eq!(
            p.panels[0].series,
            vec![
                arm("ec2", 0, &[(0.0, 1.0), (0.5, 2.0), (1.0, 2.0)]),
                line(
                    "ec2 launching",
                    0,
                    Dashed,
                    &[(0.0, 1.0), (0.5, 1.0), (1.0, 0.0)]
                ),
            ]
        );
        assert_eq!(
            p.panels[1].series,
            vec![
                arm("ec2", 0, &[(0.0, 3.0), (0.5, 1.0), (1.0, 0.0)]),
                arm("fargate", 1, &[(0.0, 0.0), (0.5, 0.0), (1.0, 0.0)]),
            ]
        );
        // A Fargate-only run has no instances panel.
        let mut only_fargate = run();
        only_fargate.arms.remove(0);
        let p = fleet_plot(&only_fargate);
        assert_eq!(p.panels.len(), 1);
        assert_eq!(p.panels[0].y_label, "pending tasks");
        // A timeseries.csv without `instances_launching` has no dashed line.
        let mut files = fixture::files();
        let ts = fixture::TIMESERIES
            .lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
            .collect::<String>();
        files.timeseries = ts.into_bytes();
        let p = fleet_plot(&RunData::parse(&files).unwrap());
        assert_eq!(p.panels[0].series.len(), 1);
    }

    #[test]
    fn cost_is_the_cumulative_cost_per_arm() {
        let p = cost_plot(&run());
        assert_eq!(
            p.panels[0].series,
            vec![
                arm("ec2", 0, &[(0.0, 0.0), (0.5, 0.1), (1.0, 0.25)]),
                arm("fargate", 1, &[(0.0, 0.0), (0.5, 0.05), (1.0, 0.125)]),
            ]
        );
    }

    #[test]
    fn cost_breakdown_and_break_even_come_from_summary_and_breakeven_csv() {
        let plots = run_plots(&run());
        let bars = plots
            .iter()
            .find(|p| p.name == "cost_breakdown")
            .and_then(|p| p.panels[0].bars.clone())
            .expect("a cost breakdown");
        assert_eq!(bars.categories, ["ec2", "fargate"]);
        let got: Vec<(&str, &[f64])> = bars
            .components
            .iter()
            .map(|c| (c.label.as_str(), c.values.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                ("EC2 On-Demand", &[0.15, 0.0][..]),
                ("EC2 Spot", &[0.1, 0.0][..]),
                ("Fargate vCPU", &[0.0, 0.1][..]),
                ("Fargate memory", &[0.0, 0.025][..]),
                ("Spot savings (not paid)", &[0.2, 0.0][..]),
            ]
        );
        assert!(plots.iter().any(|p| p.name == "breakeven"));
        // Without the cost columns or breakeven.csv (older runs): neither plot.
        let mut files = fixture::files();
        files.breakeven = None;
        files.summary = fixture::SUMMARY
            .lines()
            .map(|l| l.split(',').take(22).collect::<Vec<_>>().join(",") + "\n")
            .collect::<String>()
            .into_bytes();
        let names: Vec<_> = run_plots(&RunData::parse(&files).unwrap())
            .iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(
            names,
            ["utilisation", "fleet", "cost", "wait_cdf", "scaling"]
        );
    }

    #[test]
    fn long_series_are_downsampled_keeping_a_spike() {
        // A day sampled every second for one arm: 86,401 rows, one second with a pending spike.
        let mut ts = String::from(
            "arm,time_s,instances,cpu_registered,cpu_reserved,mem_registered,mem_reserved,tasks_running,tasks_pending,cost_rate_usd_h,cost_cum_usd\n",
        );
        for s in 0..=86_400 {
            let pending = if s == 40_000 { 500 } else { s % 7 };
            ts.push_str(&format!(
                "ec2,{s}.000,1,1024,512,2048,1024,1,{pending},0.1,0\n"
            ));
        }
        let files = RunFiles {
            timeseries: ts.into_bytes(),
            scaling: None,
            waits: None,
            ..fixture::files()
        };
        let p = fleet_plot(&RunData::parse(&files).unwrap());
        let pending = &p.panels[1].series[0].points;
        assert!(pending.len() <= MAX_POINTS, "{}", pending.len());
        let spike = (40_000.0 / 3_600.0, 500.0);
        assert!(pending.contains(&spike), "the spike is drawn");
    }

    /// The fixture with a second Fargate arm whose results are the first one's.
    fn run_with_twin() -> RunData {
        let mut r = run();
        let mut twin = r.arms[1].clone();
        twin.arm = "fargate-b".into();
        r.arms.push(twin);
        r
    }

    #[test]
    fn arms_have_distinct_dashes_and_markers_and_identical_lines_say_so() {
        // Fixed: every arm's line was solid, so of two arms with the same results (two Fargate
        // arms at 100% utilisation) only the one drawn last showed.
        let looks: Vec<_> = (0..5).map(arm_look).collect();
        for (i, a) in looks.iter().enumerate() {
            for b in &looks[i + 1..] {
                assert!(a.0 != b.0 && a.1 != b.1, "{a:?} {b:?}");
            }
        }
        let plots = run_plots(&run_with_twin());
        for name in ["utilisation", "cost", "wait_cdf"] {
            let p = plots.iter().find(|p| p.name == name).unwrap();
            let s = &p.panels[0].series;
            assert_eq!(s[1].label, "fargate", "{name}");
            assert_eq!(s[2].label, "fargate-b (same as fargate)", "{name}");
            assert_eq!(s[1].points, s[2].points);
            assert_ne!((s[1].style, s[1].marker), (s[2].style, s[2].marker));
            assert_ne!(s[0].label, "ec2 (same as fargate)");
        }
        // The pending lines of both Fargate arms and EC2's are all zero at the end, but not
        // all the way: only the twin is marked.
        let fleet = plots.iter().find(|p| p.name == "fleet").unwrap();
        let pending: Vec<&str> = fleet.panels[1]
            .series
            .iter()
            .map(|s| s.label.as_str())
            .collect();
        assert_eq!(pending, ["ec2", "fargate", "fargate-b (same as fargate)"]);
        // Empty lines are not "the same".
        let mut empty = vec![arm("a", 0, &[]), arm("b", 1, &[])];
        mark_identical(&mut empty);
        assert_eq!(empty[1].label, "b");
    }

    /// The time plots of a run: utilisation, fleet, cost, scaling.
    fn time_plots(r: &RunData) -> Vec<Plot> {
        vec![
            utilisation_plot(r),
            fleet_plot(r),
            cost_plot(r),
            scaling_plot(r).expect("ec2 scaled"),
        ]
    }

    #[test]
    fn time_plots_span_the_whole_run_even_where_lines_stop_early() {
        // The fixture's last sample is at 1 h: the axis ends there.
        for p in time_plots(&run()) {
            assert_eq!(p.x_span, Some((0.0, 1.0)), "{}", p.name);
            assert_eq!(p.x_label, "time (hours)", "{}", p.name);
        }
        // Fixed bug: a run whose arms end at 6 h, with nothing registered after 1 h (Fargate's
        // tasks ended, the fleet scaled in). Utilisation leaves such samples out, and the axis
        // was the range of the points drawn, so it stopped at the last sample with anything
        // registered (the utilisation plot of a 6 h run ended at 2.1 h).
        let mut r = run();
        for a in &mut r.arms {
            a.summary.end_ms = Some(((6.0 * 3600.0) * 1000.0) as u64);
        }
        for p in time_plots(&r) {
            assert_eq!(p.x_span, Some((0.0, 6.0)), "{}", p.name);
        }
        let last_x = |p: &Plot| {
            p.panels[0]
                .series
                .iter()
                .filter_map(|s| s.points.last().map(|p| p.0))
                .fold(0.0, f64::max)
        };
        assert_eq!(last_x(&utilisation_plot(&r)), 1.0);
        // A sample later than every `end_s` still fits on the axis.
        r.arms[0].summary.end_ms = Some(((600.0) * 1000.0) as u64);
        r.arms[1].summary.end_ms = None;
        assert_eq!(cost_plot(&r).x_span, Some((0.0, 1.0)));
        // The SVG's x axis reaches 6 h (ticks to 6).
        let mut r = run();
        r.arms[0].summary.end_ms = Some(((6.0 * 3600.0) * 1000.0) as u64);
        let svg = String::from_utf8(render_svg(&utilisation_plot(&r)).unwrap()).unwrap();
        assert!(svg.contains(">\n6\n</text>"), "no 6 h tick");
    }

    #[test]
    fn runs_longer_than_72_hours_have_a_time_axis_in_days() {
        assert_eq!(TimeAxis::new(72 * 3_600_000).label(), "time (hours)");
        assert_eq!(TimeAxis::new(72 * 3_600_000).span(), (0.0, 72.0));
        assert_eq!(TimeAxis::new(72 * 3_600_000 + 1).label(), "time (days)");
        let mut r = run();
        r.arms[0].summary.end_ms = Some(((30.0 * 86_400.0) * 1000.0) as u64);
        for p in time_plots(&r) {
            assert_eq!(p.x_label, "time (days)", "{}", p.name);
            assert_eq!(p.x_span, Some((0.0, 30.0)), "{}", p.name);
        }
        // Samples at 0, 0.5 and 1 h are at 0, 1/48 and 1/24 days.
        let cost = cost_plot(&r);
        let xs: Vec<f64> = cost.panels[0].series[0]
            .points
            .iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(xs, [0.0, 0.5 / 24.0, 1.0 / 24.0]);
        let scaling = scaling_plot(&r).unwrap();
        assert_eq!(scaling.panels[0].series[0].points[1].0, 0.5 / 24.0);
    }
}
