//! Small shapes drawn in pixels: markers along lines, hatching, and legend rows.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::panel_ctx::DrawResult;
use super::plot::{LineStyle, Marker};
use super::render::{FAMILY, LABEL_SIZE, LegendEntry, color, lighter};

/// Diagonal lines across the rectangle `(x0, y0, x1, y1)` (pixels of `area`).
pub(super) fn hatch<DB: DrawingBackend>(
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
pub(super) const MARKERS_PER_LINE: usize = 8;

/// Markers along a line are at least this far apart, pixels.
pub(super) const MARKER_GAP_PX: f64 = 40.0;

/// Where along a line (a polyline in pixels) its markers go: at equal distances along its
/// length, one per [`MARKERS_PER_LINE`]th of it (fewer on a line shorter than
/// [`MARKER_GAP_PX`] a marker), `phase` (0 to 1) of the way into each part. Arms get
/// different phases ([`marker_phase`]), so the markers of two coinciding lines do not cover
/// each other.
pub(super) fn marker_positions(line: &[(i32, i32)], phase: f64) -> Vec<(i32, i32)> {
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
pub(super) const MARKERS_ON_POINTS_UP_TO: usize = 20;

/// Where a line's markers go: on its points when it has few ([`MARKERS_ON_POINTS_UP_TO`]),
/// else spread along it ([`marker_positions`]).
pub(super) fn marker_places(line: &[(i32, i32)], phase: f64) -> Vec<(i32, i32)> {
    if (3..=MARKERS_ON_POINTS_UP_TO).contains(&line.len()) {
        line.to_vec()
    } else {
        marker_positions(line, phase)
    }
}

/// How far into each part of a line the markers of colour index `k` sit: spread by the
/// golden ratio, so any two of the first arms are well apart.
pub(super) fn marker_phase(k: usize) -> f64 {
    (0.5 + 0.618_034 * k as f64).fract()
}

/// Marker `m` centred at `(x, y)` (pixels of `area`), in colour `c` with a white rim, so it
/// stands out on a line of its own colour.
pub(super) fn draw_marker<DB: DrawingBackend>(
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
        Marker::Clipped => {
            let pts = vec![(x, y - 9), (x + 7, y + 3), (x - 7, y + 3)];
            let mut ring = pts.clone();
            ring.push(pts[0]);
            area.draw(&Polygon::new(pts, c.filled()))?;
            area.draw(&PathElement::new(ring, BLACK.stroke_width(1)))
        }
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
pub(super) fn legend<DB: DrawingBackend>(
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
