//! Drawing one panel: lines and bands, stacked bars, or a heat map, with its axes.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::heat_scale::{HeatScale, cell_text, color_legend};
use super::marks::{draw_marker, hatch, legend, marker_phase, marker_places};
use super::plot::{BarComponent, Bars, ColorScale, HeatMap, LineStyle, Marker, Panel};
use super::render::{
    FAMILY, LABEL_SIZE, LegendEntry, color, fit, lighter, log_ticks, range, span, text_px, tick,
    xs, ys,
};
use super::wait_cdf::CDF_POINTS;

/// Where and what one panel draws.
pub(super) struct PanelCtx<'a, DB: DrawingBackend> {
    /// Where the chart goes.
    pub(super) chart_area: &'a DrawingArea<DB, Shift>,
    /// Where its legend goes, right of the chart.
    pub(super) legend_area: &'a DrawingArea<DB, Shift>,
    /// What to draw.
    pub(super) panel: &'a Panel,
    /// The x axis description under this panel, if any.
    pub(super) x_desc: Option<&'a str>,
}

pub(super) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

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
    pub(super) fn lines(&self, shared_x: (f64, f64)) -> DrawResult<DB> {
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
    pub(super) fn bars(&self, bars: &Bars, plot_x_label: &str) -> DrawResult<DB> {
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
    pub(super) fn heat(&self, h: &HeatMap) -> DrawResult<DB> {
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
