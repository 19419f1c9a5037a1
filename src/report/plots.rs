//! Run plots: each plot is first its data ([`Plot`], a pure function of the run's files read
//! back as [`RunData`], so `sim report` redraws what `sim run` drew), then rendered to SVG or
//! PNG bytes. Nothing here writes a file (the CLI hands the bytes to
//! [`super::write_atomic`]).
//!
//! Text is drawn with DejaVu Sans embedded in the binary (plotters' `ab_glyph` feature), so a
//! machine without fonts renders the same pictures (`docs/reference/toolchain.md` §2).
//!
//! # Plots never hide or mislead
//!
//! The rules every plot keeps (issue 14 point 8):
//! - **No line hides another.** Each arm's line has its own colour, dash pattern and marker
//!   ([`arm_look`]); markers of different arms sit at different places along their lines. A
//!   series identical to an earlier one of its panel says so in the legend
//!   (`fargate-b (same as fargate-a)`, [`mark_identical`]).
//! - **Time plots span the run**, 0 → its end ([`TimeAxis`]), however early a line stops; in
//!   hours up to [`DAYS_ABOVE_H`] hours, in days above.
//! - **An outlier does not flatten the rest.** The scaling plot's axis ends at
//!   [`SCALING_CLIP_TARGETS`] × the highest target when a metric goes higher; clipped values
//!   are drawn at the top edge, each excursion marked with a triangle, and the title and
//!   legend say "values above N% clipped".
//! - **Nothing is drawn where it is not true.** A break-even above 100% utilisation is not
//!   drawn at 100%: its legend entry says "never below 100%". Each EC2 curve is drawn once,
//!   whatever the number of Fargate arms; a break-even is drawn in its Fargate arm's look.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::downsample::downsample;
use super::run_data::{ArmData, RunData, TimeseriesRow};
use super::summary_plots::{
    BREAKEVEN_PLOT, COST_BREAKDOWN_PLOT, CostBreakdownRow, breakeven_plot, cost_breakdown_plot,
};

/// DejaVu Sans 2.37 (Debian `fonts-dejavu-core`); licence in `assets/DejaVuSans-LICENSE.txt`.
static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// The family the font is registered under.
const FAMILY: &str = "sans-serif";

/// Why a plot could not be rendered.
#[derive(Debug, thiserror::Error)]
#[error("cannot render plot `{plot}`: {message}")]
pub struct PlotError {
    /// The plot's file stem.
    pub plot: String,
    /// What plotters or the PNG encoder said.
    pub message: String,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineStyle {
    /// A solid line.
    #[default]
    Solid,
    /// A dashed line (targets, instances still launching).
    Dashed,
    /// A dotted line (a second marker line besides a dashed one).
    Dotted,
    /// Dashes `on` pixels long, `off` pixels apart: an arm's own pattern ([`arm_look`]).
    Dash {
        /// Length of a dash, pixels.
        on: u32,
        /// Gap between dashes, pixels.
        off: u32,
    },
    /// Points alone, no line (a scatter): the series' marker, or filled circles.
    Markers,
}

/// A shape drawn on a line at a few places along it (and in its legend entry), or at every
/// point of a scatter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle pointing up (also: a value clipped at the top of the axis).
    TriangleUp,
    /// A filled diamond.
    Diamond,
    /// A filled triangle pointing down.
    TriangleDown,
    /// An ×.
    Cross,
    /// A large ring, around a point rather than on a line (an arm's result as run).
    Ring,
}

/// One line of a panel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Legend entry.
    pub label: String,
    /// Colour index: the arm's position in the run, so an arm keeps its colour in every plot.
    pub color: usize,
    /// How the line is drawn.
    pub style: LineStyle,
    /// The shape marked along the line (or at each point of a scatter); `None`: none along a
    /// line, circles for a scatter.
    pub marker: Option<Marker>,
    /// Points `(x, y)`, x ascending.
    pub points: Vec<(f64, f64)>,
}

/// The dash patterns of arms' lines, by arm position (after the seventh, they repeat).
const ARM_DASHES: [LineStyle; 5] = [
    LineStyle::Solid,
    LineStyle::Dash { on: 16, off: 6 },
    LineStyle::Dash { on: 5, off: 5 },
    LineStyle::Dash { on: 26, off: 5 },
    LineStyle::Dash { on: 10, off: 10 },
];

/// The markers of arms' lines, by arm position.
const ARM_MARKERS: [Marker; 6] = [
    Marker::Circle,
    Marker::Square,
    Marker::TriangleUp,
    Marker::Diamond,
    Marker::TriangleDown,
    Marker::Cross,
];

/// How the main line of the arm at position `k` is drawn: its own dash pattern and marker
/// besides its colour, so that two arms whose lines coincide both show (the gaps in the dashes
/// of the one drawn last let the other through, and their markers sit at different places
/// along the line), and the arms can be told apart in grey.
pub fn arm_look(k: usize) -> (LineStyle, Marker) {
    (
        ARM_DASHES[k % ARM_DASHES.len()],
        ARM_MARKERS[k % ARM_MARKERS.len()],
    )
}

/// Give every series whose points are exactly those of an earlier series of the same panel a
/// legend that says so (`fargate-b (same as fargate-a)`): drawn on top of each other, one
/// line would otherwise hide the other.
pub fn mark_identical(series: &mut [Series]) {
    let labels: Vec<String> = series.iter().map(|s| s.label.clone()).collect();
    for j in 1..series.len() {
        if series[j].points.is_empty() {
            continue;
        }
        if let Some(i) = (0..j).find(|&i| series[i].points == series[j].points) {
            series[j].label = format!("{} (same as {})", labels[j], labels[i]);
        }
    }
}

/// A shaded region around a line, drawn lightly in the line's colour beneath the lines: for
/// each x, the lower and upper bound (a 95% confidence interval around a mean).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Colour index (the line's).
    pub color: usize,
    /// `(x, lower, upper)`, x ascending.
    pub points: Vec<(f64, f64, f64)>,
}

/// A panel's own x axis (instead of the plot's shared one): its description and, for a
/// categorical axis, the category names, drawn at x = 0, 1, 2, ...
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Axis {
    /// Description, with its unit.
    pub label: String,
    /// Category names in axis order; empty for a numeric axis.
    pub categories: Vec<String>,
    /// A numeric axis on a log scale: the panel's x values are log10 of the quantity, and
    /// the ticks are labelled with the quantity (1, 2, 5, 10, 20, ...).
    pub log10: bool,
}

/// How a heat map turns values into colours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColorScale {
    /// Light to dark blue, from the smallest value to the largest.
    Sequential,
    /// For positive ratios: white at `center`, blue below it and orange above it, deeper with
    /// the distance on a log scale (½ and 2 are as deep); cells on either side of `center` are
    /// parted by a thick black line.
    Diverging {
        /// The value drawn white (1 for a ratio's break-even).
        center: f64,
        /// What a value below the centre means ("EC2 cheaper").
        below: &'static str,
        /// What a value above the centre means ("Fargate cheaper").
        above: &'static str,
    },
}

/// A heat map: one coloured cell per (x category, y category), with a colour legend. The x
/// categories are the panel's [`Axis`]; the y axis description is the panel's `y_label`.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    /// Row names, bottom to top.
    pub y_categories: Vec<String>,
    /// `values[row][column]`; `None` draws a grey cell (no value).
    pub values: Vec<Vec<Option<f64>>>,
    /// How values become colours.
    pub scale: ColorScale,
    /// The colour legend's title: what a value is.
    pub value_label: String,
}

/// One component of stacked bars: a value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct BarComponent {
    /// Legend entry.
    pub label: String,
    /// Colour index.
    pub color: usize,
    /// Drawn light and hatched (an amount not spent, such as Spot savings).
    pub hatched: bool,
    /// One value per category, in the bars' category order; zero or more.
    pub values: Vec<f64>,
}

/// Stacked bars: one bar per category, its components stacked in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    /// Category names (one bar each), in order: left to right, or top to bottom when
    /// horizontal.
    pub categories: Vec<String>,
    /// Bars grow to the right (categories on the y axis, values on the x axis, described by
    /// the plot's `x_label`) instead of upwards (values described by the panel's `y_label`).
    pub horizontal: bool,
    /// The components, stacked from the axis outwards.
    pub components: Vec<BarComponent>,
}

/// One chart of a plot; the panels of a plot share the x axis unless a panel has its own.
/// A panel draws its heat map if it has one, else its bars if it has them, else its bands and
/// lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    /// Y axis description, with its unit.
    pub y_label: String,
    /// The lines.
    pub series: Vec<Series>,
    /// Shaded bands, drawn beneath the lines.
    pub bands: Vec<Band>,
    /// The panel's own x axis; `None`: the plot's `x_label`, numeric, shared by the panels.
    pub x_axis: Option<Axis>,
    /// A heat map (x categories from `x_axis`).
    pub heat: Option<HeatMap>,
    /// Stacked bars.
    pub bars: Option<Bars>,
}

impl Panel {
    /// Mark the series identical to an earlier one ([`mark_identical`]).
    pub fn mark_identical(&mut self) {
        mark_identical(&mut self.series);
    }

    /// A panel of lines alone.
    pub fn lines(y_label: impl Into<String>, series: Vec<Series>) -> Panel {
        Panel {
            y_label: y_label.into(),
            series,
            ..Panel::default()
        }
    }

    /// Whether the panel has anything to draw.
    pub fn has_data(&self) -> bool {
        self.series.iter().any(|s| !s.points.is_empty())
            || self.bands.iter().any(|b| !b.points.is_empty())
            || self.heat.as_ref().is_some_and(|h| !h.values.is_empty())
            || self.bars.as_ref().is_some_and(|b| !b.categories.is_empty())
    }
}

/// A plot as data: what to draw, before any pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// File stem (`utilisation` → `utilisation.svg`, `utilisation.png`).
    pub name: &'static str,
    /// Title.
    pub title: String,
    /// X axis description, with its unit.
    pub x_label: String,
    /// One or more panels, top to bottom.
    pub panels: Vec<Panel>,
    /// The range of the shared x axis when the plot sets it rather than its data: a run's time
    /// plots span the whole run, 0 → its end ([`TimeAxis`]), even where a line stops early
    /// (nothing registered, an arm that ended first). `None`: the data's range.
    pub x_span: Option<(f64, f64)>,
}

/// The file stems of every run plot [`run_plots`] can return, in its order.
pub const RUN_PLOT_NAMES: [&str; 7] = [
    "utilisation",
    "fleet",
    "cost",
    COST_BREAKDOWN_PLOT,
    "wait_cdf",
    "scaling",
    BREAKEVEN_PLOT,
];

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
    [
        Some(utilisation_plot(run)),
        Some(fleet_plot(run)),
        Some(cost_plot(run)),
        costs.as_deref().map(cost_breakdown_plot),
        wait_cdf_plot(run),
        scaling_plot(run),
        run.breakeven
            .as_deref()
            .and_then(|rows| breakeven_plot(rows, &arm_names)),
    ]
    .into_iter()
    .flatten()
    .filter(|p| p.panels.iter().any(Panel::has_data))
    .map(|mut p| {
        p.panels.iter_mut().for_each(Panel::mark_identical);
        p
    })
    .collect()
}

/// At most about this many points per line: longer lines are reduced by
/// [`downsample`], which keeps every peak and trough.
pub const MAX_POINTS: usize = 2_000;

/// The x axis of a run's time plots: from 0 to the run's end, in hours for runs up to
/// [`DAYS_ABOVE_H`] hours and in days for longer ones (a 30-day run in hours reads as 0-720).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeAxis {
    /// Milliseconds per axis unit.
    unit_ms: f64,
    /// The run's end, ms.
    end_ms: u64,
}

/// Runs longer than this many hours get a time axis in days.
pub const DAYS_ABOVE_H: u64 = 72;

impl TimeAxis {
    /// The time axis of a run ending at `end_ms`.
    pub fn new(end_ms: u64) -> TimeAxis {
        let unit_ms = if end_ms > DAYS_ABOVE_H * 3_600_000 {
            86_400_000.0
        } else {
            3_600_000.0
        };
        TimeAxis { unit_ms, end_ms }
    }

    /// The time axis of `run`: to the latest arm's end (summary.csv `end_s`), or to its last
    /// sample or scaling evaluation when that is later or the file has no `end_s`.
    pub fn of(run: &RunData) -> TimeAxis {
        let ends = run.arms.iter().flat_map(|a| {
            let end = a
                .summary
                .end_s
                .map(|s| (s * 1000.0).round().max(0.0) as u64);
            let sample = a.timeseries.last().map(|s| s.time_ms);
            let scaled = a.scaling.iter().map(|r| r.time_ms).max();
            [end, sample, scaled].into_iter().flatten()
        });
        TimeAxis::new(ends.max().unwrap_or(0))
    }

    /// `ms` in the axis' unit.
    pub fn at(&self, ms: u64) -> f64 {
        ms as f64 / self.unit_ms
    }

    /// The axis description.
    pub fn label(&self) -> &'static str {
        if self.unit_ms > 3_600_000.0 {
            "time (days)"
        } else {
            "time (hours)"
        }
    }

    /// The axis range: 0 → the run's end.
    pub fn span(&self) -> (f64, f64) {
        (0.0, self.at(self.end_ms))
    }
}

/// A line, reduced to at most [`MAX_POINTS`] points.
fn line(label: String, color: usize, style: LineStyle, points: &[(f64, f64)]) -> Series {
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
fn arm_line(label: String, k: usize, points: &[(f64, f64)]) -> Series {
    let (style, marker) = arm_look(k);
    Series {
        marker: Some(marker),
        ..line(label, k, style, points)
    }
}

/// `(time, f(row))` for every timeseries row of `a`.
fn over_time(t: TimeAxis, a: &ArmData, f: impl Fn(&TimeseriesRow) -> f64) -> Vec<(f64, f64)> {
    a.timeseries
        .iter()
        .map(|s| (t.at(s.time_ms), f(s)))
        .collect()
}

/// Percent reserved of registered at each sample where anything is registered.
fn reserved_pct(
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

/// At most this many steps per CDF line (drawn two pixels wide up to twice this many points).
const CDF_POINTS: usize = 500;

/// The empirical CDF drawn through wait quantiles `(q, wait seconds)` (q ascending), waits in
/// units of `unit_s` seconds: the points `(wait, q)`, with the inner points of each vertical
/// or horizontal run left out (they add nothing to the line). Between two quantiles the line
/// is within one quantile step of the true distribution.
pub fn wait_cdf(quantiles: &[(f64, f64)], unit_s: f64) -> Vec<(f64, f64)> {
    let pts: Vec<(f64, f64)> = quantiles.iter().map(|&(q, w)| (w / unit_s, q)).collect();
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for (k, &p) in pts.iter().enumerate() {
        if let (Some(&prev), Some(&next)) = (out.last(), pts.get(k + 1)) {
            let vertical = prev.0 == p.0 && p.0 == next.0;
            let horizontal = prev.1 == p.1 && p.1 == next.1;
            if vertical || horizontal || prev == p {
                continue;
            }
        }
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

/// The distribution of waits (arrival to RUNNING) of the tasks that started, per arm, from
/// waits.csv (`None` when the run has none); the unit (seconds, minutes or hours) follows the
/// longest wait.
pub fn wait_cdf_plot(run: &RunData) -> Option<Plot> {
    if run.arms.iter().all(|a| a.waits.is_none()) {
        return None;
    }
    let max_s = run
        .arms
        .iter()
        .filter_map(|a| a.waits.as_ref()?.last().map(|w| w.1))
        .fold(0.0, f64::max);
    let (unit, unit_s) = if max_s < 300.0 {
        ("seconds", 1.0)
    } else if max_s < 3.0 * 3_600.0 {
        ("minutes", 60.0)
    } else {
        ("hours", 3_600.0)
    };
    let series = run
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let q = a.waits.as_deref().unwrap_or_default();
            arm_line(a.label(), i, &wait_cdf(q, unit_s))
        })
        .collect();
    Some(Plot {
        name: "wait_cdf",
        title: "Wait for capacity (arrival to RUNNING), distribution".into(),
        x_label: format!("wait ({unit})"),
        panels: vec![Panel {
            y_label: "fraction of started tasks".into(),
            series,
            ..Panel::default()
        }],
        x_span: None,
    })
}

/// The scaling plot's y axis ends at this many times the highest target, when a metric goes
/// higher: CapacityProviderReservation is M ÷ N × 100 with N the instances running, so with
/// few or none running it reaches thousands of percent, and an axis to there flattens the
/// target and everything near it into the bottom edge.
pub const SCALING_CLIP_TARGETS: f64 = 4.0;

/// A line's points.
type Points = Vec<(f64, f64)>;

/// `points` with every y above `cap` brought down to it, and the points to mark as clipped:
/// one per run of consecutive points above the cap, at the run's highest (x, cap).
fn clip(points: &[(f64, f64)], cap: f64) -> (Points, Points) {
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
/// the lines are clipped at the top edge, each excursion above it is marked with a triangle
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
                        marker: Some(Marker::TriangleUp),
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

/// Width of a rendered plot, pixels.
const WIDTH: u32 = 1000;

/// Height of a plot of `panels` panels, pixels.
fn height(panels: usize) -> u32 {
    120 + 360 * panels.max(1) as u32
}

fn register_font() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
            .map_err(|_| "the embedded font does not load".to_string())
    })
    .clone()
}

/// Colour-blind-safe palette (Okabe and Ito), by arm position.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// `c` mixed with white: `amount` 0 keeps `c`, 1 gives white.
fn lighter(c: RGBColor, amount: f64) -> RGBColor {
    let m = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * amount).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// `(min, max)` of `v`, from zero or below, widened so a flat line still has a range; with
/// `pad`, 4% more each side so a line at either end is not hidden by the axis.
fn range(v: impl Iterator<Item = f64>, pad: bool) -> (f64, f64) {
    let (mut lo, mut hi) = v
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    lo = lo.min(0.0);
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let pad = if pad { 0.04 * (hi - lo) } else { 0.0 };
    (lo - pad, hi + pad)
}

/// `(min, max)` of `v` with 4% more each side (a panel's own numeric x axis: it need not
/// start at zero).
fn span(v: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = v
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi - lo < 1e-9 {
        0.5
    } else {
        0.04 * (hi - lo)
    };
    (lo - pad, hi + pad)
}

/// Ticks of a log10 axis from `lo` to `hi` (log10 values): 1, 2 and 5 times the powers of 10
/// within, as `(position, label)`.
fn log_ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
    let mut out = Vec::new();
    let (first, last) = (lo.floor() as i32, hi.ceil() as i32);
    for k in first..=last {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(k);
            let x = v.log10();
            if (lo..=hi).contains(&x) {
                out.push((x, tick(v)));
            }
        }
    }
    out
}

/// The x values of a panel's lines and bands.
fn xs(panel: &Panel) -> impl Iterator<Item = f64> + '_ {
    let lines = panel
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0));
    let bands = panel
        .bands
        .iter()
        .flat_map(|b| b.points.iter().map(|p| p.0));
    lines.chain(bands)
}

/// The y values of a panel's lines and bands.
fn ys(panel: &Panel) -> impl Iterator<Item = f64> + '_ {
    let lines = panel
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1));
    let bands = panel
        .bands
        .iter()
        .flat_map(|b| b.points.iter().flat_map(|p| [p.1, p.2]));
    lines.chain(bands)
}

/// Font size of tick and category labels.
const LABEL_SIZE: u32 = 15;

/// Approximate width in pixels of `text` at [`LABEL_SIZE`] (DejaVu Sans averages a little
/// over half an em per character); used to size legend columns and label areas before
/// anything is drawn.
fn text_px(text: &str) -> u32 {
    (text.chars().count() as u32 * 17).div_ceil(2)
}

/// At most `max_px` wide: the label, or its start and an ellipsis.
fn fit(label: &str, max_px: u32) -> String {
    if text_px(label) <= max_px {
        return label.to_string();
    }
    let keep = ((max_px * 2) / 17).saturating_sub(1).max(1) as usize;
    let mut s: String = label.chars().take(keep).collect();
    s.push('…');
    s
}

/// One row of a legend.
enum LegendEntry<'a> {
    /// A short line (or a marker) in a series' colour and style.
    Line(&'a Series),
    /// A filled box (a bar component).
    Box(&'a BarComponent),
}

impl LegendEntry<'_> {
    fn label(&self) -> &str {
        match self {
            LegendEntry::Line(s) => &s.label,
            LegendEntry::Box(c) => &c.label,
        }
    }
}

/// The legend column's width for a plot: its longest entry's, from 230 to 400 pixels.
fn legend_width(plot: &Plot) -> u32 {
    let longest = plot
        .panels
        .iter()
        .flat_map(|p| {
            let lines = p.series.iter().map(|s| text_px(&s.label));
            let bars = p
                .bars
                .iter()
                .flat_map(|b| b.components.iter().map(|c| text_px(&c.label)));
            let heat = p.heat.iter().map(|h| {
                let (below, above) = match &h.scale {
                    ColorScale::Diverging { .. } => diverging_words(h),
                    ColorScale::Sequential => (String::new(), String::new()),
                };
                text_px(&h.value_label)
                    .max(text_px(&below))
                    .max(text_px(&above))
            });
            lines.chain(bars).chain(heat)
        })
        .max()
        .unwrap_or(0);
    (longest + 52).clamp(230, 400)
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, plot: &Plot) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    // The title shrinks to fit the width (DejaVu Sans: about 0.57 em a character).
    let chars = plot.title.chars().count().max(1) as f64;
    let size = (f64::from(WIDTH - 40) / (0.57 * chars)).clamp(16.0, 26.0);
    let root = root
        .titled(&plot.title, (FAMILY, size).into_font())
        .map_err(e)?;
    let shared_x = plot.x_span.unwrap_or_else(|| {
        range(
            plot.panels
                .iter()
                .filter(|p| p.x_axis.is_none())
                .flat_map(xs),
            false,
        )
    });
    let lw = legend_width(plot);
    let areas = root.split_evenly((plot.panels.len().max(1), 1));
    for (i, (panel, area)) in plot.panels.iter().zip(&areas).enumerate() {
        let last = i + 1 == plot.panels.len();
        // The legend sits right of the chart, where it can never cover the data.
        let (chart_area, legend_area) = area.split_horizontally(WIDTH - lw);
        let x_desc = match &panel.x_axis {
            Some(a) => Some(a.label.as_str()),
            None => last.then_some(plot.x_label.as_str()),
        };
        let ctx = PanelCtx {
            chart_area: &chart_area,
            legend_area: &legend_area,
            panel,
            x_desc,
        };
        if let Some(h) = &panel.heat {
            ctx.heat(h).map_err(e)?;
        } else if let Some(b) = &panel.bars {
            ctx.bars(b, &plot.x_label).map_err(e)?;
        } else {
            ctx.lines(shared_x).map_err(e)?;
        }
    }
    root.present().map_err(e)
}

/// Where and what one panel draws.
struct PanelCtx<'a, DB: DrawingBackend> {
    chart_area: &'a DrawingArea<DB, Shift>,
    legend_area: &'a DrawingArea<DB, Shift>,
    panel: &'a Panel,
    /// The x axis description under this panel, if any.
    x_desc: Option<&'a str>,
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// How category labels along x are laid out.
struct XCategories {
    labels: Vec<String>,
    /// Labels alternate between two rows (they would overlap on one).
    staggered: bool,
}

impl XCategories {
    /// Fit `names` into `plot_px` pixels: one row if they fit, else two staggered rows, with
    /// labels still too long shortened.
    fn new(names: &[String], plot_px: u32) -> XCategories {
        let slot = plot_px / names.len().max(1) as u32;
        let widest = names.iter().map(|n| text_px(n)).max().unwrap_or(0);
        let staggered = widest + 8 > slot;
        let max_px = if staggered { 2 * slot } else { slot }.saturating_sub(8);
        XCategories {
            labels: names.iter().map(|n| fit(n, max_px)).collect(),
            staggered,
        }
    }

    /// Extra height the labels need under the axis, pixels.
    fn extra(&self) -> u32 {
        if self.staggered { 18 } else { 0 }
    }
}

impl<DB: DrawingBackend> PanelCtx<'_, DB> {
    /// Width of the plotting area, pixels, for a y label area of `y_area` pixels.
    fn plot_px(&self, y_area: u32) -> u32 {
        self.chart_area.dim_in_pixel().0.saturating_sub(y_area + 40)
    }

    fn x_area(&self, extra: u32) -> u32 {
        if self.x_desc.is_some() { 56 } else { 30 }.max(30) + extra
    }

    /// Draw `text` at a backend pixel (absolute), anchored at `pos`.
    fn text_at(&self, text: &str, abs: (i32, i32), pos: Pos, color: RGBColor) -> DrawResult<DB> {
        let (bx, by) = self.chart_area.get_base_pixel();
        let style = TextStyle::from((FAMILY, LABEL_SIZE).into_font())
            .pos(pos)
            .color(&color);
        self.chart_area.draw(&Text::new(
            text.to_string(),
            (abs.0 - bx, abs.1 - by),
            style,
        ))
    }

    /// `m` centred on a backend pixel (absolute).
    fn marker_at(&self, m: Marker, abs: (i32, i32), c: RGBColor) -> DrawResult<DB> {
        let (bx, by) = self.chart_area.get_base_pixel();
        draw_marker(self.chart_area, m, (abs.0 - bx, abs.1 - by), c)
    }

    /// Category labels under the x axis, at x = 0, 1, 2, ... (`at(k)`: backend pixel of the
    /// axis under category k).
    fn x_category_labels(
        &self,
        cats: &XCategories,
        at: impl Fn(usize) -> (i32, i32),
    ) -> DrawResult<DB> {
        for (k, label) in cats.labels.iter().enumerate() {
            let (x, y) = at(k);
            let dy = if cats.staggered && k % 2 == 1 { 24 } else { 6 };
            self.text_at(label, (x, y + dy), Pos::new(HPos::Center, VPos::Top), BLACK)?;
        }
        Ok(())
    }

    /// Category labels left of the y axis, right-aligned (`at(k)`: backend pixel of the
    /// axis beside category k).
    fn y_category_labels(
        &self,
        labels: &[String],
        at: impl Fn(usize) -> (i32, i32),
    ) -> DrawResult<DB> {
        for (k, label) in labels.iter().enumerate() {
            let (x, y) = at(k);
            self.text_at(
                label,
                (x - 8, y),
                Pos::new(HPos::Right, VPos::Center),
                BLACK,
            )?;
        }
        Ok(())
    }

    /// Width of a y label area holding `labels` beside the axis and the rotated description.
    fn y_area_for(labels: &[String]) -> (u32, Vec<String>) {
        let labels: Vec<String> = labels.iter().map(|l| fit(l, 220)).collect();
        let widest = labels.iter().map(|l| text_px(l)).max().unwrap_or(0);
        ((widest + 44).max(72), labels)
    }

    /// Bands, then lines and markers, on a numeric or categorical x axis.
    fn lines(&self, shared_x: (f64, f64)) -> DrawResult<DB> {
        let panel = self.panel;
        let names = panel.x_axis.as_ref().map_or(&[][..], |a| &a.categories[..]);
        let log = panel.x_axis.as_ref().is_some_and(|a| a.log10);
        let (x_lo, x_hi) = if !names.is_empty() {
            (-0.5, names.len() as f64 - 0.5)
        } else if panel.x_axis.is_some() {
            span(xs(panel))
        } else {
            shared_x
        };
        let (y_lo, y_hi) = range(ys(panel), true);
        let cats = XCategories::new(names, self.plot_px(72));
        let mut chart = ChartBuilder::on(self.chart_area)
            .margin(12)
            .margin_right(28)
            .x_label_area_size(self.x_area(cats.extra()))
            .y_label_area_size(72)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(if names.is_empty() && !log { 12 } else { 0 })
            .y_labels(8)
            .light_line_style(RGBColor(235, 235, 235))
            .label_style((FAMILY, LABEL_SIZE))
            .axis_desc_style((FAMILY, 17))
            .y_desc(panel.y_label.as_str())
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v));
        if let Some(d) = self.x_desc {
            mesh.x_desc(d);
        }
        mesh.draw()?;
        if !names.is_empty() {
            self.x_category_labels(&cats, |k| chart.backend_coord(&(k as f64, y_lo)))?;
        }
        if log {
            for (x, label) in log_ticks(x_lo, x_hi) {
                let grid = RGBColor(225, 225, 225).stroke_width(1);
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, y_lo), (x, y_hi)],
                    grid,
                )))?;
                let p = chart.backend_coord(&(x, y_lo));
                self.text_at(
                    &label,
                    (p.0, p.1 + 6),
                    Pos::new(HPos::Center, VPos::Top),
                    BLACK,
                )?;
            }
        }
        for b in &panel.bands {
            let mut outline: Vec<(f64, f64)> = b.points.iter().map(|p| (p.0, p.1)).collect();
            outline.extend(b.points.iter().rev().map(|p| (p.0, p.2)));
            let fill = lighter(color(b.color), 0.8).filled();
            chart.draw_series(std::iter::once(Polygon::new(outline, fill)))?;
        }
        for s in &panel.series {
            let c = color(s.color);
            let pts = s.points.iter().copied();
            // Wide lines leave gaps in steep segments on a bitmap: a dense series (more points
            // than pixels across; a CDF never is) is drawn one pixel wide.
            let width = if s.points.len() > 2 * CDF_POINTS + 1 {
                1
            } else {
                2
            };
            let dash = |on: u32, off: u32| {
                DashedLineSeries::new(pts.clone(), on, off, c.stroke_width(width))
            };
            match s.style {
                // A line of one point would draw nothing: a ring marks the point.
                LineStyle::Markers => match s.marker {
                    None => {
                        chart.draw_series(pts.map(|p| Circle::new(p, 4, c.filled())))?;
                    }
                    Some(m) => {
                        for p in s.points.iter() {
                            self.marker_at(m, chart.backend_coord(p), c)?;
                        }
                    }
                },
                _ if s.points.len() == 1 => {
                    chart.draw_series(pts.map(|p| Circle::new(p, 8, c.stroke_width(2))))?;
                }
                LineStyle::Solid => {
                    chart.draw_series(LineSeries::new(pts, c.stroke_width(width)))?;
                }
                LineStyle::Dashed => {
                    chart.draw_series(dash(6, 4))?;
                }
                LineStyle::Dotted => {
                    chart.draw_series(dash(2, 4))?;
                }
                LineStyle::Dash { on, off } => {
                    chart.draw_series(dash(on, off))?;
                }
            }
            if let (Some(m), false) = (s.marker, s.style == LineStyle::Markers) {
                let pixels: Vec<(i32, i32)> =
                    s.points.iter().map(|p| chart.backend_coord(p)).collect();
                for p in marker_places(&pixels, marker_phase(s.color)) {
                    self.marker_at(m, p, c)?;
                }
            }
        }
        let entries: Vec<LegendEntry> = panel.series.iter().map(LegendEntry::Line).collect();
        legend(self.legend_area, &entries)
    }

    /// Stacked bars; a total (of the components not hatched) at the end of each bar.
    fn bars(&self, bars: &Bars, plot_x_label: &str) -> DrawResult<DB> {
        let n = bars.categories.len();
        let value = |c: &BarComponent, k: usize| c.values.get(k).copied().unwrap_or(0.0).max(0.0);
        let stack_top = |k: usize| bars.components.iter().map(|c| value(c, k)).sum::<f64>();
        let paid = |k: usize| {
            bars.components
                .iter()
                .filter(|c| !c.hatched)
                .map(|c| value(c, k))
                .sum::<f64>()
        };
        let top = (0..n).map(stack_top).fold(0.0, f64::max);
        // Room past the longest bar for its total.
        let v_hi = if top > 0.0 { top * 1.12 } else { 1.0 };
        let (cat_lo, cat_hi) = (-0.5, n.max(1) as f64 - 0.5);
        let half = 0.32;
        // Category k's position on its axis: top to bottom when horizontal.
        let pos = |k: usize| {
            if bars.horizontal {
                (n - 1 - k) as f64
            } else {
                k as f64
            }
        };
        let rect = |k: usize, from: f64, to: f64| {
            let p = pos(k);
            if bars.horizontal {
                [(from, p - half), (to, p + half)]
            } else {
                [(p - half, from), (p + half, to)]
            }
        };
        let mut segments = Vec::new();
        for k in 0..n {
            let mut base = 0.0;
            for c in &bars.components {
                let v = value(c, k);
                if v > 0.0 {
                    segments.push((c, rect(k, base, base + v)));
                }
                base += v;
            }
        }
        if bars.horizontal {
            let (y_area, labels) = Self::y_area_for(&bars.categories);
            let x_desc = self.x_desc.unwrap_or(plot_x_label);
            let mut chart = ChartBuilder::on(self.chart_area)
                .margin(12)
                .margin_right(28)
                .x_label_area_size(56)
                .y_label_area_size(y_area)
                .build_cartesian_2d(0.0..v_hi, cat_lo..cat_hi)?;
            chart
                .configure_mesh()
                .x_labels(10)
                .y_labels(0)
                .disable_y_mesh()
                .light_line_style(RGBColor(235, 235, 235))
                .label_style((FAMILY, LABEL_SIZE))
                .axis_desc_style((FAMILY, 17))
                .x_desc(x_desc)
                .y_desc(self.panel.y_label.as_str())
                .x_label_formatter(&|v| tick(*v))
                .draw()?;
            self.y_category_labels(&labels, |k| chart.backend_coord(&(0.0, pos(k))))?;
            for (c, r) in &segments {
                self.segment(c, (chart.backend_coord(&r[0]), chart.backend_coord(&r[1])))?;
            }
            for k in 0..n {
                let (x, y) = chart.backend_coord(&(stack_top(k), pos(k)));
                self.text_at(
                    &format!("{:.2}", paid(k)),
                    (x + 6, y),
                    Pos::new(HPos::Left, VPos::Center),
                    BLACK,
                )?;
            }
        } else {
            let cats = XCategories::new(&bars.categories, self.plot_px(72));
            let mut chart = ChartBuilder::on(self.chart_area)
                .margin(12)
                .margin_right(28)
                .x_label_area_size(self.x_area(cats.extra()))
                .y_label_area_size(72)
                .build_cartesian_2d(cat_lo..cat_hi, 0.0..v_hi)?;
            let mut mesh = chart.configure_mesh();
            mesh.x_labels(0)
                .y_labels(8)
                .disable_x_mesh()
                .light_line_style(RGBColor(235, 235, 235))
                .label_style((FAMILY, LABEL_SIZE))
                .axis_desc_style((FAMILY, 17))
                .y_desc(self.panel.y_label.as_str())
                .y_label_formatter(&|v| tick(*v));
            if let Some(d) = self.x_desc {
                mesh.x_desc(d);
            }
            mesh.draw()?;
            self.x_category_labels(&cats, |k| chart.backend_coord(&(pos(k), 0.0)))?;
            for (c, r) in &segments {
                self.segment(c, (chart.backend_coord(&r[0]), chart.backend_coord(&r[1])))?;
            }
            for k in 0..n {
                let (x, y) = chart.backend_coord(&(pos(k), stack_top(k)));
                self.text_at(
                    &format!("{:.2}", paid(k)),
                    (x, y - 4),
                    Pos::new(HPos::Center, VPos::Bottom),
                    BLACK,
                )?;
            }
        }
        let entries: Vec<LegendEntry> = bars.components.iter().map(LegendEntry::Box).collect();
        legend(self.legend_area, &entries)
    }

    /// One bar segment between two backend pixels: filled, or light and hatched.
    fn segment(&self, c: &BarComponent, corners: ((i32, i32), (i32, i32))) -> DrawResult<DB> {
        let (bx, by) = self.chart_area.get_base_pixel();
        let ((ax, ay), (cx, cy)) = corners;
        let (x0, x1) = (ax.min(cx) - bx, ax.max(cx) - bx);
        let (y0, y1) = (ay.min(cy) - by, ay.max(cy) - by);
        let c0 = color(c.color);
        let fill = if c.hatched { lighter(c0, 0.75) } else { c0 };
        self.chart_area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled()))?;
        if c.hatched {
            hatch(self.chart_area, (x0, y0, x1, y1), c0)?;
            self.chart_area
                .draw(&Rectangle::new([(x0, y0), (x1, y1)], c0.stroke_width(1)))?;
        }
        Ok(())
    }

    /// A heat map with its colour legend.
    fn heat(&self, h: &HeatMap) -> DrawResult<DB> {
        let names = self
            .panel
            .x_axis
            .as_ref()
            .map_or(&[][..], |a| &a.categories[..]);
        let nx = names.len().max(1);
        let ny = h.y_categories.len().max(1);
        let (y_area, y_labels) = Self::y_area_for(&h.y_categories);
        let cats = XCategories::new(names, self.plot_px(y_area));
        let mut chart = ChartBuilder::on(self.chart_area)
            .margin(12)
            .margin_right(28)
            .x_label_area_size(self.x_area(cats.extra()))
            .y_label_area_size(y_area)
            .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)?;
        let mut mesh = chart.configure_mesh();
        mesh.disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .axis_desc_style((FAMILY, 17))
            .y_desc(self.panel.y_label.as_str());
        if let Some(d) = self.x_desc {
            mesh.x_desc(d);
        }
        mesh.draw()?;
        let scale = HeatScale::of(h);
        let at = |k: usize, j: usize| h.values.get(j).and_then(|r| r.get(k)).copied().flatten();
        for j in 0..ny {
            for k in 0..nx {
                let (x, y) = (k as f64, j as f64);
                let c = at(k, j).map_or(RGBColor(200, 200, 200), |v| scale.color(v));
                chart.draw_series([
                    Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], c.filled()),
                    Rectangle::new(
                        [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                        WHITE.stroke_width(1),
                    ),
                ])?;
            }
        }
        // Values in the cells when they fit.
        let (px0, _) = chart.backend_coord(&(-0.5, 0.0));
        let (px1, _) = chart.backend_coord(&(0.5, 0.0));
        if nx * ny <= 150 && px1 - px0 >= 44 {
            for j in 0..ny {
                for k in 0..nx {
                    if let Some(v) = at(k, j) {
                        let c = scale.color(v);
                        let luma = 0.299 * f64::from(c.0)
                            + 0.587 * f64::from(c.1)
                            + 0.114 * f64::from(c.2);
                        let ink = if luma < 128.0 { WHITE } else { BLACK };
                        let p = chart.backend_coord(&(k as f64, j as f64));
                        self.text_at(&cell_text(v), p, Pos::new(HPos::Center, VPos::Center), ink)?;
                    }
                }
            }
        }
        // The line parting cells either side of a diverging scale's centre.
        if let ColorScale::Diverging { center, .. } = h.scale {
            let side = |v: Option<f64>| v.map(|v| v >= center);
            let edge = BLACK.stroke_width(4);
            for j in 0..ny {
                for k in 0..nx {
                    let (x, y) = (k as f64, j as f64);
                    if let (Some(a), Some(b)) = (side(at(k, j)), side(at(k + 1, j)))
                        && a != b
                    {
                        chart.draw_series(std::iter::once(PathElement::new(
                            vec![(x + 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                            edge,
                        )))?;
                    }
                    if let (Some(a), Some(b)) = (side(at(k, j)), side(at(k, j + 1)))
                        && a != b
                    {
                        chart.draw_series(std::iter::once(PathElement::new(
                            vec![(x - 0.5, y + 0.5), (x + 0.5, y + 0.5)],
                            edge,
                        )))?;
                    }
                }
            }
        }
        self.x_category_labels(&cats, |k| chart.backend_coord(&(k as f64, -0.5)))?;
        self.y_category_labels(&y_labels, |j| chart.backend_coord(&(-0.5, j as f64)))?;
        color_legend(self.legend_area, h, &scale)
    }
}

/// A value printed in a heat-map cell: three significant figures or so.
fn cell_text(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The words under and over a diverging scale's centre.
fn diverging_words(h: &HeatMap) -> (String, String) {
    match &h.scale {
        ColorScale::Diverging {
            center,
            below,
            above,
        } => (
            format!("below {}: {below}", cell_text(*center)),
            format!("above {}: {above}", cell_text(*center)),
        ),
        ColorScale::Sequential => (String::new(), String::new()),
    }
}

/// Values to colours, for one heat map.
struct HeatScale {
    scale: ColorScale,
    lo: f64,
    hi: f64,
    /// Diverging: the largest |ln(v / centre)| shown at full depth.
    depth: f64,
}

/// The diverging scale's ends (blue below the centre, orange above).
const COOL: RGBColor = RGBColor(33, 102, 172);
const WARM: RGBColor = RGBColor(202, 86, 0);
/// The sequential scale's ends.
const SEQ_LO: RGBColor = RGBColor(239, 243, 255);
const SEQ_HI: RGBColor = RGBColor(8, 69, 148);

impl HeatScale {
    fn of(h: &HeatMap) -> HeatScale {
        let vals = || {
            h.values
                .iter()
                .flatten()
                .filter_map(|v| *v)
                .filter(|v| v.is_finite())
        };
        let lo = vals().fold(f64::INFINITY, f64::min);
        let hi = vals().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let depth = match h.scale {
            ColorScale::Diverging { center, .. } => vals()
                .filter(|v| *v > 0.0 && center > 0.0)
                .map(|v| (v / center).ln().abs())
                .fold(2f64.ln(), f64::max),
            ColorScale::Sequential => 1.0,
        };
        HeatScale {
            scale: h.scale,
            lo,
            hi,
            depth,
        }
    }

    /// Position of `v` on the scale: -1 to 1 (diverging, 0 at the centre) or 0 to 1.
    fn t(&self, v: f64) -> f64 {
        match self.scale {
            ColorScale::Diverging { center, .. } => {
                if v <= 0.0 || center <= 0.0 {
                    -1.0
                } else {
                    ((v / center).ln() / self.depth).clamp(-1.0, 1.0)
                }
            }
            ColorScale::Sequential => {
                if self.hi > self.lo {
                    ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0)
                } else {
                    0.5
                }
            }
        }
    }

    /// The value at scale position `t` (inverse of [`HeatScale::t`]).
    fn value(&self, t: f64) -> f64 {
        match self.scale {
            ColorScale::Diverging { center, .. } => center * (t * self.depth).exp(),
            ColorScale::Sequential => self.lo + t * (self.hi - self.lo),
        }
    }

    fn color_at(&self, t: f64) -> RGBColor {
        match self.scale {
            ColorScale::Diverging { .. } => {
                if t < 0.0 {
                    lighter(COOL, 1.0 + t)
                } else {
                    lighter(WARM, 1.0 - t)
                }
            }
            ColorScale::Sequential => {
                let m =
                    |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
                RGBColor(
                    m(SEQ_LO.0, SEQ_HI.0),
                    m(SEQ_LO.1, SEQ_HI.1),
                    m(SEQ_LO.2, SEQ_HI.2),
                )
            }
        }
    }

    fn color(&self, v: f64) -> RGBColor {
        self.color_at(self.t(v))
    }
}

/// A heat map's legend: its title, a colour bar with values, and for a diverging scale the
/// centre marked by the black line that parts the cells.
fn color_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    h: &HeatMap,
    scale: &HeatScale,
) -> DrawResult<DB> {
    let (_, height) = area.dim_in_pixel();
    let font = (FAMILY, LABEL_SIZE).into_font();
    area.draw(&Text::new(h.value_label.clone(), (4, 14), font.clone()))?;
    let diverging = matches!(h.scale, ColorScale::Diverging { .. });
    let (top, bottom) = (62, height as i32 - if diverging { 92 } else { 30 });
    let (t_lo, t_hi) = if diverging { (-1.0, 1.0) } else { (0.0, 1.0) };
    let steps = 60;
    let y_of =
        |t: f64| bottom - ((t - t_lo) / (t_hi - t_lo) * f64::from(bottom - top)).round() as i32;
    for s in 0..steps {
        let t0 = t_lo + (t_hi - t_lo) * f64::from(s) / f64::from(steps);
        let t1 = t_lo + (t_hi - t_lo) * f64::from(s + 1) / f64::from(steps);
        let c = scale.color_at((t0 + t1) / 2.0);
        area.draw(&Rectangle::new([(8, y_of(t1)), (30, y_of(t0))], c.filled()))?;
    }
    area.draw(&Rectangle::new(
        [(8, top), (30, bottom)],
        BLACK.stroke_width(1),
    ))?;
    let ticks: &[f64] = if diverging {
        &[-1.0, -0.5, 0.0, 0.5, 1.0]
    } else {
        &[0.0, 0.5, 1.0]
    };
    let label_style = TextStyle::from(font.clone()).pos(Pos::new(HPos::Left, VPos::Center));
    for &t in ticks {
        let y = y_of(t);
        area.draw(&PathElement::new(
            vec![(30, y), (36, y)],
            BLACK.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            cell_text(scale.value(t)),
            (40, y),
            label_style.clone(),
        ))?;
    }
    if let ColorScale::Diverging { center, .. } = h.scale {
        let y = y_of(0.0);
        area.draw(&PathElement::new(
            vec![(4, y), (34, y)],
            BLACK.stroke_width(4),
        ))?;
        let (below, above) = diverging_words(h);
        area.draw(&Text::new(above, (4, 34), font.clone()))?;
        area.draw(&Text::new(below, (4, bottom + 14), font.clone()))?;
        area.draw(&PathElement::new(
            vec![(4, bottom + 56), (34, bottom + 56)],
            BLACK.stroke_width(4),
        ))?;
        area.draw(&Text::new(
            format!("{}: break-even", cell_text(center)),
            (40, bottom + 48),
            font,
        ))?;
    }
    Ok(())
}

/// Diagonal lines across the rectangle `(x0, y0, x1, y1)` (pixels of `area`).
fn hatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x0, y0, x1, y1): (i32, i32, i32, i32),
    c: RGBColor,
) -> DrawResult<DB> {
    let (w, h) = (x1 - x0, y1 - y0);
    // Line d runs from (x0 + d, y1) up and right: points (x0 + d + t, y1 - t), t in 0..=h,
    // kept where x stays within the rectangle.
    let mut d = -h;
    while d < w {
        let t0 = (-d).max(0);
        let t1 = h.min(w - d);
        if t0 < t1 {
            area.draw(&PathElement::new(
                vec![(x0 + d + t0, y1 - t0), (x0 + d + t1, y1 - t1)],
                c.stroke_width(1),
            ))?;
        }
        d += 8;
    }
    Ok(())
}

/// Markers along a line: at most this many, ...
const MARKERS_PER_LINE: usize = 8;

/// Markers along a line are at least this far apart, pixels.
const MARKER_GAP_PX: f64 = 40.0;

/// Where along a line (a polyline in pixels) its markers go: at equal distances along its
/// length, one per [`MARKERS_PER_LINE`]th of it (fewer on a line shorter than
/// [`MARKER_GAP_PX`] a marker), `phase` (0 to 1) of the way into each part. Arms get
/// different phases ([`marker_phase`]), so the markers of two coinciding lines do not cover
/// each other.
fn marker_positions(line: &[(i32, i32)], phase: f64) -> Vec<(i32, i32)> {
    let seg = |w: &[(i32, i32)]| f64::from(w[1].0 - w[0].0).hypot(f64::from(w[1].1 - w[0].1));
    let total: f64 = line.windows(2).map(seg).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let n = ((total / MARKER_GAP_PX).floor() as usize).clamp(1, MARKERS_PER_LINE);
    let step = total / n as f64;
    let mut out = Vec::with_capacity(n);
    let mut walked = 0.0;
    let mut next = phase * step;
    for w in line.windows(2) {
        let d = seg(w);
        while out.len() < n && next <= walked + d && d > 0.0 {
            let t = (next - walked) / d;
            let at = |a: i32, b: i32| (f64::from(a) + t * f64::from(b - a)).round() as i32;
            out.push((at(w[0].0, w[1].0), at(w[0].1, w[1].1)));
            next += step;
        }
        walked += d;
    }
    out
}

/// A line of more than two and at most this many points (a sweep's values, a short run's
/// samples) has its markers on its points: between them they would look like data.
const MARKERS_ON_POINTS_UP_TO: usize = 20;

/// Where a line's markers go: on its points when it has few ([`MARKERS_ON_POINTS_UP_TO`]),
/// else spread along it ([`marker_positions`]).
fn marker_places(line: &[(i32, i32)], phase: f64) -> Vec<(i32, i32)> {
    if (3..=MARKERS_ON_POINTS_UP_TO).contains(&line.len()) {
        line.to_vec()
    } else {
        marker_positions(line, phase)
    }
}

/// How far into each part of a line the markers of colour index `k` sit: spread by the
/// golden ratio, so any two of the first arms are well apart.
fn marker_phase(k: usize) -> f64 {
    (0.5 + 0.618_034 * k as f64).fract()
}

/// Marker `m` centred at `(x, y)` (pixels of `area`), in colour `c` with a white rim, so it
/// stands out on a line of its own colour.
fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: Marker,
    (x, y): (i32, i32),
    c: RGBColor,
) -> DrawResult<DB> {
    let poly = |pts: Vec<(i32, i32)>| -> DrawResult<DB> {
        let mut ring = pts.clone();
        ring.push(pts[0]);
        area.draw(&Polygon::new(pts, c.filled()))?;
        area.draw(&PathElement::new(ring, WHITE.stroke_width(1)))
    };
    match m {
        Marker::Circle => {
            area.draw(&Circle::new((x, y), 5, c.filled()))?;
            area.draw(&Circle::new((x, y), 5, WHITE.stroke_width(1)))
        }
        Marker::Square => poly(vec![
            (x - 4, y - 4),
            (x + 4, y - 4),
            (x + 4, y + 4),
            (x - 4, y + 4),
        ]),
        Marker::TriangleUp => poly(vec![(x, y - 6), (x + 6, y + 4), (x - 6, y + 4)]),
        Marker::TriangleDown => poly(vec![(x, y + 6), (x + 6, y - 4), (x - 6, y - 4)]),
        Marker::Diamond => poly(vec![(x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)]),
        Marker::Ring => area.draw(&Circle::new((x, y), 8, c.stroke_width(3))),
        Marker::Cross => {
            for (a, b) in [
                ((x - 5, y - 5), (x + 5, y + 5)),
                ((x - 5, y + 5), (x + 5, y - 5)),
            ] {
                area.draw(&PathElement::new(vec![a, b], c.stroke_width(3)))?;
            }
            Ok(())
        }
    }
}

/// One row per entry: a short line in the series' colour and style (a dot for markers), or a
/// box in a bar component's colour; then the label.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
) -> DrawResult<DB> {
    for (k, entry) in entries.iter().enumerate() {
        let y = 28 + 24 * k as i32;
        match entry {
            LegendEntry::Line(s) => {
                let c = color(s.color);
                let stroke = c.stroke_width(2);
                match s.style {
                    LineStyle::Solid => {
                        area.draw(&PathElement::new(vec![(4, y), (32, y)], stroke))?
                    }
                    LineStyle::Dashed => {
                        for x in [4, 15, 26] {
                            area.draw(&PathElement::new(vec![(x, y), (x + 6, y)], stroke))?;
                        }
                    }
                    LineStyle::Dotted => {
                        for x in (4..32).step_by(6) {
                            area.draw(&PathElement::new(vec![(x, y), (x + 2, y)], stroke))?;
                        }
                    }
                    LineStyle::Dash { on, off } => {
                        // The pattern over 28 pixels, the last dash cut at the end.
                        let mut x = 4;
                        while x < 32 {
                            let to = (x + on as i32).min(32);
                            area.draw(&PathElement::new(vec![(x, y), (to, y)], stroke))?;
                            x = to + off as i32;
                        }
                    }
                    LineStyle::Markers if s.marker.is_none() => {
                        area.draw(&Circle::new((18, y), 4, c.filled()))?
                    }
                    LineStyle::Markers => {}
                }
                if let Some(m) = s.marker {
                    draw_marker(area, m, (18, y), c)?;
                }
            }
            LegendEntry::Box(b) => {
                let c = color(b.color);
                let rect = (8, y - 8, 28, y + 8);
                if b.hatched {
                    area.draw(&Rectangle::new(
                        [(8, y - 8), (28, y + 8)],
                        lighter(c, 0.75).filled(),
                    ))?;
                    hatch(area, rect, c)?;
                    area.draw(&Rectangle::new(
                        [(8, y - 8), (28, y + 8)],
                        c.stroke_width(1),
                    ))?;
                } else {
                    area.draw(&Rectangle::new([(8, y - 8), (28, y + 8)], c.filled()))?;
                }
            }
        }
        area.draw(&Text::new(
            entry.label().to_string(),
            (40, y - 8),
            (FAMILY, LABEL_SIZE).into_font(),
        ))?;
    }
    Ok(())
}

/// A tick label: no trailing zeros, thousands as `k`, values under 0.1 with up to four
/// decimals (costs of a few cents), rounding noise around zero as `0`.
fn tick(v: f64) -> String {
    let a = v.abs();
    if a >= 10_000.0 {
        format!("{}k", trim_to(v / 1000.0, 2))
    } else if (1e-6..0.1).contains(&a) {
        trim_to(v, 4)
    } else {
        trim_to(v, 2)
    }
}

fn trim_to(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Render `plot` as an SVG document.
pub fn render_svg(plot: &Plot) -> Result<Vec<u8>, PlotError> {
    let err = |message| PlotError {
        plot: plot.name.into(),
        message,
    };
    register_font().map_err(err)?;
    let mut s = String::new();
    {
        let root =
            SVGBackend::with_string(&mut s, (WIDTH, height(plot.panels.len()))).into_drawing_area();
        draw(&root, plot).map_err(err)?;
    }
    Ok(s.into_bytes())
}

/// Render `plot` as a PNG image (8-bit RGB).
pub fn render_png(plot: &Plot) -> Result<Vec<u8>, PlotError> {
    let err = |message| PlotError {
        plot: plot.name.into(),
        message,
    };
    register_font().map_err(err)?;
    let (w, h) = (WIDTH, height(plot.panels.len()));
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw(&root, plot).map_err(err)?;
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Balanced);
    let mut writer = enc.write_header().map_err(|x| err(x.to_string()))?;
    writer
        .write_image_data(&rgb)
        .map_err(|x| err(x.to_string()))?;
    writer.finish().map_err(|x| err(x.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::run_data::fixture;
    use crate::report::run_data::{RunData, RunFiles};

    fn run() -> RunData {
        fixture::run()
    }

    fn line(label: &str, color: usize, style: LineStyle, points: &[(f64, f64)]) -> Series {
        Series {
            label: label.into(),
            color,
            style,
            marker: None,
            points: points.to_vec(),
        }
    }

    /// The main line of the arm at position `k`, in its own dash and marker.
    fn arm(label: &str, k: usize, points: &[(f64, f64)]) -> Series {
        let (style, marker) = arm_look(k);
        Series {
            marker: Some(marker),
            ..line(label, k, style, points)
        }
    }

    use LineStyle::Dashed;

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
    fn wait_cdf_goes_through_the_quantiles_without_inner_points_of_vertical_runs() {
        let p = wait_cdf_plot(&run()).expect("the run has waits.csv");
        // The longest wait is a minute: seconds.
        assert_eq!(p.x_label, "wait (seconds)");
        assert_eq!(
            p.panels[0].series,
            vec![
                arm("ec2", 0, &[(0.0, 0.0), (0.0, 0.5), (1.0, 0.75), (5.0, 1.0)]),
                arm("fargate", 1, &[(30.0, 0.0), (30.0, 0.5), (60.0, 1.0)]),
            ]
        );
        // Waits of hours are drawn in hours; an arm where nothing started has an empty line.
        let mut files = fixture::files();
        files.waits = Some(
            b"arm,quantile,wait_s\nec2,0.000,3600.000\nec2,0.500,7200.000\nec2,1.000,36000.000\n"
                .to_vec(),
        );
        let p = wait_cdf_plot(&RunData::parse(&files).unwrap()).unwrap();
        assert_eq!(p.x_label, "wait (hours)");
        assert_eq!(
            p.panels[0].series[0].points,
            [(1.0, 0.0), (2.0, 0.5), (10.0, 1.0)]
        );
        assert_eq!(p.panels[0].series[1].points, []);
        // No waits.csv (a run written before it existed): no wait plot.
        files.waits = None;
        let r = RunData::parse(&files).unwrap();
        assert!(wait_cdf_plot(&r).is_none());
        let names: Vec<_> = run_plots(&r).iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "utilisation",
                "fleet",
                "cost",
                "cost_breakdown",
                "scaling",
                "breakeven"
            ]
        );
    }

    #[test]
    fn wait_cdf_of_1001_quantiles_of_many_tasks_is_monotone_and_short() {
        // Quantiles of 100,000 waits 0..99,999 s, with a block of equal waits.
        let n = 100_000_usize;
        let q: Vec<(f64, f64)> = (0..=1000)
            .map(|k| {
                let rank = (k * n).div_ceil(1000).clamp(1, n);
                let w = if (20_000..60_000).contains(&rank) {
                    20_000
                } else {
                    rank - 1
                };
                (k as f64 / 1000.0, w as f64)
            })
            .collect();
        let pts = wait_cdf(&q, 1.0);
        assert!(pts.len() <= 2 * CDF_POINTS + 1, "{}", pts.len());
        assert_eq!(pts.first(), Some(&(0.0, 0.0)));
        assert_eq!(pts.last(), Some(&(99_999.0, 1.0)));
        assert!(pts.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 < w[1].1));
        // The block of equal waits is one vertical step.
        let at_block: Vec<_> = pts.iter().filter(|p| p.0 == 20_000.0).collect();
        assert_eq!(at_block.len(), 2, "{at_block:?}");
        assert!(wait_cdf(&[], 1.0).is_empty());
    }

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
        let names: Vec<_> = run_plots(&run()).iter().map(|p| p.name).collect();
        assert_eq!(names, RUN_PLOT_NAMES);
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

    #[test]
    fn renders_valid_svg_and_png_with_title_and_axis_labels() {
        for plot in run_plots(&run()) {
            let svg = String::from_utf8(render_svg(&plot).unwrap()).unwrap();
            assert!(svg.starts_with("<svg"), "{}", plot.name);
            assert!(svg.trim_end().ends_with("</svg>"), "{}", plot.name);
            assert!(svg.contains(&plot.title), "{}: title", plot.name);
            assert!(svg.contains(&plot.x_label), "{}: x label", plot.name);
            for panel in &plot.panels {
                let y = &panel.y_label;
                assert!(svg.contains(y), "{}: y label {y}", plot.name);
                for s in &panel.series {
                    assert!(svg.contains(&s.label), "{}: legend {}", plot.name, s.label);
                }
            }
            let png = render_png(&plot).unwrap();
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", plot.name);
            assert!(png.len() > 10_000, "{}: {} bytes", plot.name, png.len());
            // IHDR: width and height as drawn.
            assert_eq!(&png[16..20], &WIDTH.to_be_bytes());
            assert_eq!(&png[20..24], &height(plot.panels.len()).to_be_bytes());
        }
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

    #[test]
    fn markers_of_coinciding_lines_sit_apart() {
        // A flat line 400 pixels long: 8 markers 50 px apart, each arm's at its own phase.
        let flat = [(0, 100), (400, 100)];
        let a = marker_positions(&flat, marker_phase(0));
        let b = marker_positions(&flat, marker_phase(1));
        assert_eq!(a.len(), 8);
        assert_eq!(a[0], (25, 100));
        assert_eq!(b.len(), 8);
        for p in &a {
            assert!(b.iter().all(|q| (p.0 - q.0).abs() >= 10), "{p:?} {b:?}");
        }
        // Along a vertical line too (a break-even), and fewer on a short line.
        let v = marker_positions(&[(50, 0), (50, 300)], 0.5);
        assert!(v.len() == 7 && v.iter().all(|p| p.0 == 50));
        assert_eq!(marker_positions(&[(0, 0), (30, 0)], 0.5), [(15, 0)]);
        assert!(marker_positions(&[(0, 0)], 0.5).is_empty());
        // A line of a few points (a sweep's values) has its markers on them.
        let few = [(0, 0), (10, 5), (20, 0)];
        assert_eq!(marker_places(&few, 0.5), few);
        assert_eq!(marker_places(&flat, 0.5).len(), 8);
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
        // One triangle per excursion above the cap, at its peak, on the top edge.
        assert_eq!(s[1].label, "ec2 clipped at 400% (max 52450%)");
        assert_eq!(
            (s[1].style, s[1].marker),
            (LineStyle::Markers, Some(Marker::TriangleUp))
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
                .all(|s| s.marker != Some(Marker::TriangleUp))
        );
        assert_eq!(clip(&[(0.0, 1.0), (1.0, 5.0)], 10.0).1, []);
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
            a.summary.end_s = Some(6.0 * 3600.0);
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
        r.arms[0].summary.end_s = Some(600.0);
        r.arms[1].summary.end_s = None;
        assert_eq!(cost_plot(&r).x_span, Some((0.0, 1.0)));
        // The SVG's x axis reaches 6 h (ticks to 6).
        let mut r = run();
        r.arms[0].summary.end_s = Some(6.0 * 3600.0);
        let svg = String::from_utf8(render_svg(&utilisation_plot(&r)).unwrap()).unwrap();
        assert!(svg.contains(">\n6\n</text>"), "no 6 h tick");
    }

    #[test]
    fn runs_longer_than_72_hours_have_a_time_axis_in_days() {
        assert_eq!(TimeAxis::new(72 * 3_600_000).label(), "time (hours)");
        assert_eq!(TimeAxis::new(72 * 3_600_000).span(), (0.0, 72.0));
        assert_eq!(TimeAxis::new(72 * 3_600_000 + 1).label(), "time (days)");
        let mut r = run();
        r.arms[0].summary.end_s = Some(30.0 * 86_400.0);
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

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(0.0), "0");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(0.126), "0.13");
        assert_eq!(tick(100.0), "100");
        assert_eq!(tick(25_000.0), "25k");
        assert_eq!(tick(-1e-9), "0");
        assert_eq!(tick(0.0125), "0.0125");
        assert_eq!(tick(-0.05), "-0.05");
    }
}
