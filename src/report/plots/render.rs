//! A [`Plot`] to SVG or PNG bytes: the plotters backends, the embedded font, the layout of
//! panels and legends, axis ranges and tick labels.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::heat_scale::diverging_words;
use super::panel_ctx::PanelCtx;
use super::plot::{BarComponent, ColorScale, Panel, Plot, Series};

/// DejaVu Sans 2.37 (Debian `fonts-dejavu-core`); licence in `assets/DejaVuSans-LICENSE.txt`.
pub(super) static FONT: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");

/// The family the font is registered under.
pub(super) const FAMILY: &str = "sans-serif";

/// Why a plot could not be rendered.
#[derive(Debug, thiserror::Error)]
#[error("cannot render plot `{plot}`: {message}")]
pub struct PlotError {
    /// The plot's file stem.
    pub plot: String,
    /// What plotters or the PNG encoder said.
    pub message: String,
}

/// Width of a rendered plot, pixels.
pub(super) const WIDTH: u32 = 1000;

/// Height of a plot of `panels` panels, pixels.
pub(super) fn height(panels: usize) -> u32 {
    120 + 360 * panels.max(1) as u32
}

pub(super) fn register_font() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
            .map_err(|_| "the embedded font does not load".to_string())
    })
    .clone()
}

/// Colour-blind-safe palette (Okabe and Ito), by arm position.
pub(super) const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

pub(super) fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// `c` mixed with white: `amount` 0 keeps `c`, 1 gives white.
pub(super) fn lighter(c: RGBColor, amount: f64) -> RGBColor {
    let m = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * amount).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// `(min, max)` of `v`, from zero or below, widened so a flat line still has a range; with
/// `pad`, 4% more each side so a line at either end is not hidden by the axis.
pub(super) fn range(v: impl Iterator<Item = f64>, pad: bool) -> (f64, f64) {
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
pub(super) fn span(v: impl Iterator<Item = f64>) -> (f64, f64) {
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
pub(super) fn log_ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
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
pub(super) fn xs(panel: &Panel) -> impl Iterator<Item = f64> + '_ {
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
pub(super) fn ys(panel: &Panel) -> impl Iterator<Item = f64> + '_ {
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
pub(super) const LABEL_SIZE: u32 = 15;

/// Approximate width in pixels of `text` at [`LABEL_SIZE`] (DejaVu Sans averages a little
/// over half an em per character); used to size legend columns and label areas before
/// anything is drawn.
pub(super) fn text_px(text: &str) -> u32 {
    (text.chars().count() as u32 * 17).div_ceil(2)
}

/// At most `max_px` wide: the label, or its start and an ellipsis.
pub(super) fn fit(label: &str, max_px: u32) -> String {
    if text_px(label) <= max_px {
        return label.to_string();
    }
    let keep = ((max_px * 2) / 17).saturating_sub(1).max(1) as usize;
    let mut s: String = label.chars().take(keep).collect();
    s.push('…');
    s
}

/// One row of a legend.
pub(super) enum LegendEntry<'a> {
    /// A short line (or a marker) in a series' colour and style.
    Line(&'a Series),
    /// A filled box (a bar component).
    Box(&'a BarComponent),
}

impl LegendEntry<'_> {
    pub(super) fn label(&self) -> &str {
        match self {
            LegendEntry::Line(s) => &s.label,
            LegendEntry::Box(c) => &c.label,
        }
    }
}

/// The legend column's width for a plot: its longest entry's, from 230 to 400 pixels.
pub(super) fn legend_width(plot: &Plot) -> u32 {
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

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &Plot,
) -> Result<(), String> {
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

/// A tick label: no trailing zeros, thousands as `k`, values under 0.1 with up to four
/// decimals (costs of a few cents), rounding noise around zero as `0`.
pub(super) fn tick(v: f64) -> String {
    let a = v.abs();
    if a >= 10_000.0 {
        format!("{}k", trim_to(v / 1000.0, 2))
    } else if (1e-6..0.1).contains(&a) {
        trim_to(v, 4)
    } else {
        trim_to(v, 2)
    }
}

pub(super) fn trim_to(v: f64, decimals: usize) -> String {
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
    use crate::report::plots::run_plots::run_plots;
    use crate::report::plots::testing::run;

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
        assert_eq!(tick(-1e-9), "0");
        assert_eq!(tick(0.0125), "0.0125");
        assert_eq!(tick(-0.05), "-0.05");
    }
}
