//! Run plots: each plot is first its data ([`Plot`], a pure function of the [`Outcome`]), then
//! rendered to SVG or PNG bytes. Nothing here writes a file (the CLI hands the bytes to
//! [`super::write_atomic`]).
//!
//! Text is drawn with DejaVu Sans embedded in the binary (plotters' `ab_glyph` feature), so a
//! machine without fonts renders the same pictures (`reference/toolchain.md` §2).

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::sim::{ArmOutcome, Outcome};

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
pub fn run_plots(outcome: &Outcome) -> Vec<Plot> {
    [
        Some(utilisation_plot(outcome)),
        Some(fleet_plot(outcome)),
        Some(cost_plot(outcome)),
        Some(wait_cdf_plot(outcome)),
        scaling_plot(outcome),
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

fn hours(ms: u64) -> f64 {
    ms as f64 / 3_600_000.0
}

fn solid(label: String, color: usize, points: Vec<(f64, f64)>) -> Series {
    Series {
        label,
        color,
        style: LineStyle::Solid,
        points,
    }
}

/// Percent reserved of registered at each sample where anything is registered.
fn reserved_pct(a: &ArmOutcome, pick: fn(&crate::sim::Sample) -> (u64, u64)) -> Vec<(f64, f64)> {
    a.timeseries
        .iter()
        .filter_map(|s| {
            let (reserved, registered) = pick(s);
            (registered > 0).then(|| {
                (
                    hours(s.time.as_ms()),
                    100.0 * reserved as f64 / registered as f64,
                )
            })
        })
        .collect()
}

/// Reserved CPU and memory as a percentage of registered (Fargate: requested ÷ billed), per
/// arm; samples with nothing registered are left out.
pub fn utilisation_plot(outcome: &Outcome) -> Plot {
    let panel = |what: &str, pick: fn(&crate::sim::Sample) -> (u64, u64)| Panel {
        y_label: format!("reserved {what} (% of registered)"),
        series: outcome
            .arms
            .iter()
            .enumerate()
            .map(|(i, a)| solid(a.arm.clone(), i, reserved_pct(a, pick)))
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
pub fn fleet_plot(outcome: &Outcome) -> Plot {
    let mut instances = Vec::new();
    for (i, a) in outcome.arms.iter().enumerate() {
        if a.launch_type != "EC2" {
            continue;
        }
        let pts = |f: fn(&crate::sim::Sample) -> u32| {
            a.timeseries
                .iter()
                .map(|s| (hours(s.time.as_ms()), f64::from(f(s))))
                .collect()
        };
        instances.push(solid(a.arm.clone(), i, pts(|s| s.instances)));
        instances.push(Series {
            label: format!("{} launching", a.arm),
            color: i,
            style: LineStyle::Dashed,
            points: pts(|s| s.instances_launching),
        });
    }
    let pending = outcome
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let pts = a
                .timeseries
                .iter()
                .map(|s| (hours(s.time.as_ms()), s.tasks_pending as f64))
                .collect();
            solid(a.arm.clone(), i, pts)
        })
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
pub fn cost_plot(outcome: &Outcome) -> Plot {
    let series = outcome
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let pts = a
                .timeseries
                .iter()
                .map(|s| (hours(s.time.as_ms()), s.cost_cum_usd))
                .collect();
            solid(a.arm.clone(), i, pts)
        })
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

/// At most this many steps per CDF line: a million tasks draw as well as a thousand.
const CDF_POINTS: usize = 500;

/// The empirical CDF of sorted waits, in `unit_ms` units, as a step line of at most about
/// [`CDF_POINTS`] steps: `(w, F(w))` where F is the fraction of started tasks that waited at
/// most `w`.
pub fn wait_cdf(waits_ms: &[u64], unit_ms: f64) -> Vec<(f64, f64)> {
    let n = waits_ms.len();
    if n == 0 {
        return Vec::new();
    }
    let m = CDF_POINTS.min(n);
    let mut pts = vec![(waits_ms[0] as f64 / unit_ms, 0.0)];
    // The first index no step covers yet.
    let mut next = 0;
    for k in 1..=m {
        // The last index of the k-th of m slices of the sorted waits, moved on to the last
        // wait equal to it (F jumps once per distinct value).
        let mut i = (k * n).div_ceil(m) - 1;
        if i < next {
            continue;
        }
        while i + 1 < n && waits_ms[i + 1] == waits_ms[i] {
            i += 1;
        }
        let x = waits_ms[i] as f64 / unit_ms;
        let (_, y) = *pts.last().expect("starts with a point");
        pts.push((x, y));
        pts.push((x, (i + 1) as f64 / n as f64));
        next = i + 1;
    }
    pts.dedup();
    pts
}

/// The distribution of waits (arrival to RUNNING) of the tasks that started, per arm; the unit
/// (seconds, minutes or hours) follows the longest wait.
pub fn wait_cdf_plot(outcome: &Outcome) -> Plot {
    let max_ms = outcome
        .arms
        .iter()
        .filter_map(|a| a.waits_ms.last().copied())
        .max()
        .unwrap_or(0);
    let (unit, unit_ms) = if max_ms < 300_000 {
        ("seconds", 1_000.0)
    } else if max_ms < 3 * 3_600_000 {
        ("minutes", 60_000.0)
    } else {
        ("hours", 3_600_000.0)
    };
    let series = outcome
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| solid(a.arm.clone(), i, wait_cdf(&a.waits_ms, unit_ms)))
        .collect();
    Plot {
        name: "wait_cdf",
        title: "Wait for capacity (arrival to RUNNING), distribution".into(),
        x_label: format!("wait ({unit})"),
        panels: vec![Panel {
            y_label: "fraction of started tasks".into(),
            series,
        }],
    }
}

/// Where an arm's capacity provider scaled: CapacityProviderReservation against its target
/// (dashed), from the provider rows of scaling.csv. `None` when no arm has such rows. Colours
/// go by provider, not by arm: an arm with two providers (On-Demand and Spot) shows both.
pub fn scaling_plot(outcome: &Outcome) -> Option<Plot> {
    let mut series = Vec::new();
    let mut i = 0;
    for a in &outcome.arms {
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
            let metric = rows()
                .filter_map(|r| Some((hours(r.time.as_ms()), r.metric?)))
                .collect();
            let target = rows()
                .filter_map(|r| Some((hours(r.time.as_ms()), r.target?)))
                .collect();
            series.push(solid(label.clone(), i, metric));
            series.push(Series {
                label: format!("{label} target"),
                color: i,
                style: LineStyle::Dashed,
                points: target,
            });
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
    use crate::sim::{ArmSummary, Sample, ScalingRecord};
    use crate::time::SimTime;

    const HALF_HOUR_MS: u64 = 1_800_000;

    #[allow(clippy::too_many_arguments)]
    fn sample(
        k: u64,
        instances: u32,
        launching: u32,
        cpu: (u64, u64),
        mem: (u64, u64),
        pending: u64,
        cost_cum_usd: f64,
    ) -> Sample {
        Sample {
            time: SimTime(k * HALF_HOUR_MS),
            instances,
            cpu_registered: cpu.1,
            cpu_reserved: cpu.0,
            mem_registered: mem.1,
            mem_reserved: mem.0,
            tasks_running: 0,
            tasks_pending: pending,
            instances_launching: launching,
            cost_rate_usd_h: 0.0,
            cost_cum_usd,
        }
    }

    fn scaling(k: u64, provider: &str, metric: Option<f64>, target: Option<f64>) -> ScalingRecord {
        ScalingRecord {
            time: SimTime(k * HALF_HOUR_MS),
            provider: provider.into(),
            metric,
            target,
            desired: 0,
            running: 0,
            action: "none",
        }
    }

    fn arm(name: &str, launch_type: &'static str, timeseries: Vec<Sample>) -> ArmOutcome {
        ArmOutcome {
            arm: name.into(),
            launch_type,
            summary: ArmSummary::default(),
            timeseries,
            tasks: None,
            scaling: Vec::new(),
            waits_ms: Vec::new(),
            events: 0,
            end: SimTime(2 * HALF_HOUR_MS),
        }
    }

    /// Two arms over an hour, sampled every half hour: an EC2 fleet growing from one instance
    /// to two under managed scaling, and Fargate, which has nothing registered at the start.
    fn outcome() -> Outcome {
        let mut ec2 = arm(
            "ec2",
            "EC2",
            vec![
                sample(0, 1, 1, (0, 4096), (0, 8192), 3, 0.0),
                sample(1, 2, 1, (2048, 4096), (4096, 8192), 1, 0.1),
                sample(2, 2, 0, (4096, 8192), (2048, 16384), 0, 0.25),
            ],
        );
        ec2.waits_ms = vec![0, 0, 1000, 5000];
        ec2.scaling = vec![
            scaling(0, "ec2", Some(200.0), Some(100.0)),
            scaling(0, "service:web", Some(70.0), Some(50.0)),
            scaling(1, "ec2", Some(150.0), Some(100.0)),
            scaling(2, "ec2", None, Some(100.0)),
        ];
        let mut fargate = arm(
            "fargate",
            "FARGATE",
            vec![
                sample(0, 0, 0, (0, 0), (0, 0), 0, 0.0),
                sample(1, 0, 0, (768, 1024), (1024, 2048), 0, 0.05),
                sample(2, 0, 0, (1024, 1024), (2048, 2048), 0, 0.125),
            ],
        );
        fargate.waits_ms = vec![30_000, 60_000];
        Outcome {
            seed: 1,
            arms: vec![ec2, fargate],
        }
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
        let p = utilisation_plot(&outcome());
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
        let p = fleet_plot(&outcome());
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
        let mut only_fargate = outcome();
        only_fargate.arms.remove(0);
        let p = fleet_plot(&only_fargate);
        assert_eq!(p.panels.len(), 1);
        assert_eq!(p.panels[0].y_label, "pending tasks");
    }

    #[test]
    fn cost_is_the_cumulative_cost_per_arm() {
        let p = cost_plot(&outcome());
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
    fn wait_cdf_steps_once_per_distinct_wait() {
        let p = wait_cdf_plot(&outcome());
        // The longest wait is a minute: seconds.
        assert_eq!(p.x_label, "wait (seconds)");
        assert_eq!(
            p.panels[0].series,
            vec![
                line(
                    "ec2",
                    0,
                    Solid,
                    &[
                        (0.0, 0.0),
                        (0.0, 0.5),
                        (1.0, 0.5),
                        (1.0, 0.75),
                        (5.0, 0.75),
                        (5.0, 1.0)
                    ]
                ),
                line(
                    "fargate",
                    1,
                    Solid,
                    &[(30.0, 0.0), (30.0, 0.5), (60.0, 0.5), (60.0, 1.0)]
                ),
            ]
        );
    }

    #[test]
    fn wait_cdf_of_many_tasks_keeps_at_most_a_few_hundred_steps() {
        let waits: Vec<u64> = (0..100_000).collect();
        let pts = wait_cdf(&waits, 1.0);
        assert!(pts.len() <= 2 * CDF_POINTS + 1, "{}", pts.len());
        assert_eq!(pts.first(), Some(&(0.0, 0.0)));
        assert_eq!(pts.last(), Some(&(99_999.0, 1.0)));
        assert!(pts.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
        // Each step's height is the true fraction of tasks at most that wait.
        for &(x, y) in &pts[1..] {
            let true_f = (x + 1.0) / 100_000.0;
            assert!(
                y <= true_f + 1e-12 && y >= true_f - 0.002 - 1e-12,
                "({x}, {y})"
            );
        }
        assert!(wait_cdf(&[], 1.0).is_empty());
    }

    #[test]
    fn scaling_shows_provider_rows_only_with_their_target() {
        let p = scaling_plot(&outcome()).expect("ec2 scaled");
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
        let mut two = outcome();
        two.arms[0]
            .scaling
            .push(scaling(1, "spot", Some(90.0), Some(100.0)));
        let p = scaling_plot(&two).expect("ec2 scaled");
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
        let mut no_scaling = outcome();
        no_scaling.arms[0].scaling.clear();
        assert!(scaling_plot(&no_scaling).is_none());
        let names: Vec<_> = run_plots(&no_scaling).iter().map(|p| p.name).collect();
        assert_eq!(names, ["utilisation", "fleet", "cost", "wait_cdf"]);
        let names: Vec<_> = run_plots(&outcome()).iter().map(|p| p.name).collect();
        assert_eq!(names, RUN_PLOT_NAMES);
    }

    #[test]
    fn renders_valid_svg_and_png_with_title_and_axis_labels() {
        for plot in run_plots(&outcome()) {
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
