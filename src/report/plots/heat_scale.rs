//! Heat-map colours: values to colours on a sequential or diverging scale, and the colour
//! legend.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::panel_ctx::DrawResult;
use super::plot::{ColorScale, HeatMap};
use super::render::{FAMILY, LABEL_SIZE, lighter};

/// A value printed in a heat-map cell: three significant figures or so.
pub(super) fn cell_text(v: f64) -> String {
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
pub(super) fn diverging_words(h: &HeatMap) -> (String, String) {
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
pub(super) struct HeatScale {
    scale: ColorScale,
    lo: f64,
    hi: f64,
    /// Diverging: the largest |ln(v / centre)| shown at full depth.
    depth: f64,
}

/// The diverging scale's ends (blue below the centre, orange above).
pub(super) const COOL: RGBColor = RGBColor(33, 102, 172);
pub(super) const WARM: RGBColor = RGBColor(202, 86, 0);
/// The sequential scale's ends.
pub(super) const SEQ_LO: RGBColor = RGBColor(239, 243, 255);
pub(super) const SEQ_HI: RGBColor = RGBColor(8, 69, 148);

impl HeatScale {
    pub(super) fn of(h: &HeatMap) -> HeatScale {
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

    pub(super) fn color(&self, v: f64) -> RGBColor {
        self.color_at(self.t(v))
    }
}

/// A heat map's legend: its title, a colour bar with values, and for a diverging scale the
/// centre marked by the black line that parts the cells.
pub(super) fn color_legend<DB: DrawingBackend>(
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
