//! Run plots: each plot is first its data ([`Plot`], a pure function of the run's files read
//! back as [`RunData`], so `sim report` redraws what `sim run` drew), then rendered to SVG or
//! PNG bytes. Nothing here writes a file (the CLI hands the bytes to
//! [`super::write_atomic`]).
//!
//! Text is drawn with DejaVu Sans embedded in the binary (plotters' `ab_glyph` feature), so a
//! machine without fonts renders the same pictures (`reference/toolchain.md` §2).

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::downsample::downsample;
use super::run_data::{ArmData, RunData, TimeseriesRow};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// A solid line.
    Solid,
    /// A dashed line (targets, instances still launching).
    Dashed,
}

/// One line of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend entry.
    pub label: String,
    /// Colour index: the arm's position in the run, so an arm keeps its colour in every plot.
    pub color: usize,
    /// How the line is drawn.
    pub style: LineStyle,
    /// Points `(x, y)`, x ascending.
    pub points: Vec<(f64, f64)>,
}

/// One chart of a plot; the panels of a plot share the x axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Y axis description, with its unit.
    pub y_label: String,
    /// The lines.
    pub series: Vec<Series>,
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
}

/// The file stems of every run plot [`run_plots`] can return, in its order.
pub const RUN_PLOT_NAMES: [&str; 5] = ["utilisation", "fleet", "cost", "wait_cdf", "scaling"];

/// Every run plot that has data, in a fixed order.
pub fn run_plots(run: &RunData) -> Vec<Plot> {
    [
        Some(utilisation_plot(run)),
        Some(fleet_plot(run)),
        Some(cost_plot(run)),
        wait_cdf_plot(run),
        scaling_plot(run),
    ]
    .into_iter()
    .flatten()
    .filter(|p| {
        p.panels
            .iter()
            .any(|pn| pn.series.iter().any(|s| !s.points.is_empty()))
    })
    .collect()
}

/// At most about this many points per line: longer lines are reduced by
/// [`downsample`], which keeps every peak and trough.
pub const MAX_POINTS: usize = 2_000;

fn hours(ms: u64) -> f64 {
    ms as f64 / 3_600_000.0
}

/// A line, reduced to at most [`MAX_POINTS`] points.
fn line(label: String, color: usize, style: LineStyle, points: &[(f64, f64)]) -> Series {
    Series {
        label,
        color,
        style,
        points: downsample(points, MAX_POINTS),
    }
}

fn solid(label: String, color: usize, points: &[(f64, f64)]) -> Series {
    line(label, color, LineStyle::Solid, points)
}

/// `(hours, f(row))` for every timeseries row of `a`.
fn over_time(a: &ArmData, f: impl Fn(&TimeseriesRow) -> f64) -> Vec<(f64, f64)> {
    a.timeseries
        .iter()
        .map(|s| (hours(s.time_ms), f(s)))
        .collect()
}

/// Percent reserved of registered at each sample where anything is registered.
fn reserved_pct(a: &ArmData, pick: fn(&TimeseriesRow) -> (u64, u64)) -> Vec<(f64, f64)> {
    a.timeseries
        .iter()
        .filter_map(|s| {
            let (reserved, registered) = pick(s);
            (registered > 0).then(|| {
                (
                    hours(s.time_ms),
                    100.0 * reserved as f64 / registered as f64,
                )
            })
        })
        .collect()
}

/// Reserved CPU and memory as a percentage of registered (Fargate: requested ÷ billed), per
/// arm; samples with nothing registered are left out.
pub fn utilisation_plot(run: &RunData) -> Plot {
    let panel = |what: &str, pick: fn(&TimeseriesRow) -> (u64, u64)| Panel {
        y_label: format!("reserved {what} (% of registered)"),
        series: run
            .arms
            .iter()
            .enumerate()
            .map(|(i, a)| solid(a.arm.clone(), i, &reserved_pct(a, pick)))
            .collect(),
    };
    Plot {
        name: "utilisation",
        title: "Reserved CPU and memory utilisation".into(),
        x_label: "time (hours)".into(),
        panels: vec![
            panel("CPU", |s| (s.cpu_reserved, s.cpu_registered)),
            panel("memory", |s| (s.mem_reserved, s.mem_registered)),
        ],
    }
}

/// Container instances (and, dashed, those still launching) per EC2 arm; tasks waiting for
/// capacity per arm.
pub fn fleet_plot(run: &RunData) -> Plot {
    let mut instances = Vec::new();
    for (i, a) in run.arms.iter().enumerate() {
        if a.launch_type != "EC2" {
            continue;
        }
        instances.push(solid(
            a.arm.clone(),
            i,
            &over_time(a, |s| s.instances as f64),
        ));
        if a.timeseries.iter().all(|s| s.instances_launching.is_some()) {
            let pts = over_time(a, |s| s.instances_launching.unwrap_or(0) as f64);
            instances.push(line(
                format!("{} launching", a.arm),
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
        .map(|(i, a)| solid(a.arm.clone(), i, &over_time(a, |s| s.tasks_pending as f64)))
        .collect();
    let mut panels = Vec::new();
    if !instances.is_empty() {
        panels.push(Panel {
            y_label: "container instances".into(),
            series: instances,
        });
    }
    panels.push(Panel {
        y_label: "pending tasks".into(),
        series: pending,
    });
    Plot {
        name: "fleet",
        title: "Container instances and pending tasks".into(),
        x_label: "time (hours)".into(),
        panels,
    }
}

/// Cost accrued so far, per arm.
pub fn cost_plot(run: &RunData) -> Plot {
    let series = run
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| solid(a.arm.clone(), i, &over_time(a, |s| s.cost_cum_usd)))
        .collect();
    Plot {
        name: "cost",
        title: "Cumulative cost".into(),
        x_label: "time (hours)".into(),
        panels: vec![Panel {
            y_label: "cost (USD)".into(),
            series,
        }],
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
            solid(a.arm.clone(), i, &wait_cdf(q, unit_s))
        })
        .collect();
    Some(Plot {
        name: "wait_cdf",
        title: "Wait for capacity (arrival to RUNNING), distribution".into(),
        x_label: format!("wait ({unit})"),
        panels: vec![Panel {
            y_label: "fraction of started tasks".into(),
            series,
        }],
    })
}

/// Where an arm's capacity provider scaled: CapacityProviderReservation against its target
/// (dashed), from the provider rows of scaling.csv. `None` when no arm has such rows. Colours
/// go by provider, not by arm: an arm with two providers (On-Demand and Spot) shows both.
pub fn scaling_plot(run: &RunData) -> Option<Plot> {
    let mut series = Vec::new();
    let mut i = 0;
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
                a.arm.clone()
            } else {
                format!("{} {p}", a.arm)
            };
            let metric: Vec<_> = rows()
                .filter_map(|r| Some((hours(r.time_ms), r.metric?)))
                .collect();
            let target: Vec<_> = rows()
                .filter_map(|r| Some((hours(r.time_ms), r.target?)))
                .collect();
            series.push(solid(label.clone(), i, &metric));
            series.push(line(
                format!("{label} target"),
                i,
                LineStyle::Dashed,
                &target,
            ));
            i += 1;
        }
    }
    (!series.is_empty()).then(|| Plot {
        name: "scaling",
        title: "Managed scaling: CapacityProviderReservation against target".into(),
        x_label: "time (hours)".into(),
        panels: vec![Panel {
            y_label: "CapacityProviderReservation (%)".into(),
            series,
        }],
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

/// `(min, max)` of `v`, from zero or below, widened so a flat line still has a range; with
/// `pad`, 4% more each side so a line at either end is not hidden by the axis.
fn range(v: impl Iterator<Item = f64>, pad: bool) -> (f64, f64) {
    let (mut lo, mut hi) = v.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
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

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, plot: &Plot) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let root = root
        .titled(&plot.title, (FAMILY, 26).into_font())
        .map_err(e)?;
    let (x_lo, x_hi) = range(
        plot.panels
            .iter()
            .flat_map(|p| &p.series)
            .flat_map(|s| s.points.iter().map(|p| p.0)),
        false,
    );
    let areas = root.split_evenly((plot.panels.len().max(1), 1));
    for (i, (panel, area)) in plot.panels.iter().zip(&areas).enumerate() {
        let (y_lo, y_hi) = range(
            panel
                .series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.1)),
            true,
        );
        let last = i + 1 == plot.panels.len();
        // The legend sits right of the chart, where it can never cover a line.
        let (chart_area, legend_area) = area.split_horizontally(WIDTH - LEGEND_WIDTH);
        let legend_area = &legend_area;
        let mut chart = ChartBuilder::on(&chart_area)
            .margin(12)
            .margin_right(28)
            .x_label_area_size(if last { 56 } else { 30 })
            .y_label_area_size(72)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
            .map_err(e)?;
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(12)
            .y_labels(8)
            .light_line_style(RGBColor(235, 235, 235))
            .label_style((FAMILY, 15))
            .axis_desc_style((FAMILY, 17))
            .y_desc(panel.y_label.as_str())
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v));
        if last {
            mesh.x_desc(plot.x_label.as_str());
        }
        mesh.draw().map_err(e)?;
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
            match s.style {
                LineStyle::Solid => {
                    chart
                        .draw_series(LineSeries::new(pts, c.stroke_width(width)))
                        .map_err(e)?;
                }
                LineStyle::Dashed => {
                    chart
                        .draw_series(DashedLineSeries::new(pts, 6, 4, c.stroke_width(width)))
                        .map_err(e)?;
                }
            }
        }
        legend(legend_area, &panel.series).map_err(e)?;
    }
    root.present().map_err(e)
}

/// Width of the legend column right of each panel, pixels.
const LEGEND_WIDTH: u32 = 230;

/// One row per series: a short line in its colour and style, then its label.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for (k, s) in series.iter().enumerate() {
        let y = 28 + 24 * k as i32;
        let stroke = color(s.color).stroke_width(2);
        match s.style {
            LineStyle::Solid => area.draw(&PathElement::new(vec![(4, y), (32, y)], stroke))?,
            LineStyle::Dashed => {
                for x in [4, 15, 26] {
                    area.draw(&PathElement::new(vec![(x, y), (x + 6, y)], stroke))?;
                }
            }
        }
        area.draw(&Text::new(
            s.label.as_str(),
            (40, y - 8),
            (FAMILY, 15).into_font(),
        ))?;
    }
    Ok(())
}

/// A tick label: no trailing zeros, thousands as `k`.
fn tick(v: f64) -> String {
    let a = v.abs();
    if a >= 10_000.0 {
        format!("{}k", trim(v / 1000.0))
    } else {
        trim(v)
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
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
            points: points.to_vec(),
        }
    }

    use LineStyle::{Dashed, Solid};

    #[test]
    fn utilisation_is_reserved_over_registered_where_anything_is_registered() {
        let p = utilisation_plot(&run());
        assert_eq!(p.panels.len(), 2);
        assert_eq!(p.panels[0].y_label, "reserved CPU (% of registered)");
        assert_eq!(
            p.panels[0].series,
            vec![
                line("ec2", 0, Solid, &[(0.0, 0.0), (0.5, 50.0), (1.0, 50.0)]),
                line("fargate", 1, Solid, &[(0.5, 75.0), (1.0, 100.0)]),
            ]
        );
        assert_eq!(
            p.panels[1].series,
            vec![
                line("ec2", 0, Solid, &[(0.0, 0.0), (0.5, 50.0), (1.0, 12.5)]),
                line("fargate", 1, Solid, &[(0.5, 50.0), (1.0, 100.0)]),
            ]
        );
    }

    #[test]
    fn fleet_shows_instances_of_ec2_arms_only_and_pending_tasks_of_every_arm() {
        let p = fleet_plot(&run());
        assert_eq!(
            p.panels[0].series,
            vec![
                line("ec2", 0, Solid, &[(0.0, 1.0), (0.5, 2.0), (1.0, 2.0)]),
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
                line("ec2", 0, Solid, &[(0.0, 3.0), (0.5, 1.0), (1.0, 0.0)]),
                line("fargate", 1, Solid, &[(0.0, 0.0), (0.5, 0.0), (1.0, 0.0)]),
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
                line("ec2", 0, Solid, &[(0.0, 0.0), (0.5, 0.1), (1.0, 0.25)]),
                line(
                    "fargate",
                    1,
                    Solid,
                    &[(0.0, 0.0), (0.5, 0.05), (1.0, 0.125)]
                ),
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
                line(
                    "ec2",
                    0,
                    Solid,
                    &[(0.0, 0.0), (0.0, 0.5), (1.0, 0.75), (5.0, 1.0)]
                ),
                line(
                    "fargate",
                    1,
                    Solid,
                    &[(30.0, 0.0), (30.0, 0.5), (60.0, 1.0)]
                ),
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
        assert_eq!(names, ["utilisation", "fleet", "cost", "scaling"]);
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
                line("ec2", 0, Solid, &[(0.0, 200.0), (0.5, 150.0)]),
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
        assert_eq!(names, ["utilisation", "fleet", "cost", "wait_cdf"]);
        let names: Vec<_> = run_plots(&run()).iter().map(|p| p.name).collect();
        assert_eq!(names, RUN_PLOT_NAMES);
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

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(0.0), "0");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(0.126), "0.13");
        assert_eq!(tick(100.0), "100");
        assert_eq!(tick(25_000.0), "25k");
        assert_eq!(tick(-0.001), "0");
    }
}
