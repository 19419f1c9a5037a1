//! Fewer points to draw, same picture: a line of many more points than a plot has pixels
//! across is reduced to the lowest and highest point of each of about `max / 2` runs of
//! consecutive points, so every peak and trough (and the first and last point) stays.

/// `points` (x ascending) reduced to at most `max` points (`max` ≥ 4) by keeping, in each of
/// `(max - 2) / 2` equal runs of the interior points, the one with the lowest and the one with
/// the highest y, in their order; the first and last points are always kept. A line of at most
/// `max` points is returned as it is.
pub fn downsample(points: &[(f64, f64)], max: usize) -> Vec<(f64, f64)> {
    let max = max.max(4);
    let n = points.len();
    if n <= max {
        return points.to_vec();
    }
    let interior = &points[1..n - 1];
    let buckets = (max - 2) / 2;
    let mut out = Vec::with_capacity(max);
    out.push(points[0]);
    for b in 0..buckets {
        let lo = b * interior.len() / buckets;
        let hi = (b + 1) * interior.len() / buckets;
        let run = &interior[lo..hi];
        if run.is_empty() {
            continue;
        }
        let (mut min, mut max_i) = (0, 0);
        for (i, p) in run.iter().enumerate() {
            if p.1 < run[min].1 {
                min = i;
            }
            if p.1 > run[max_i].1 {
                max_i = i;
            }
        }
        let (a, b) = (min.min(max_i), min.max(max_i));
        out.push(run[a]);
        if b != a {
            out.push(run[b]);
        }
    }
    out.push(points[n - 1]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spike_and_a_dip_survive_and_the_count_is_bounded() {
        // A slow wave of 100,000 points with one spike and one dip, a point wide each.
        let mut pts: Vec<(f64, f64)> = (0..100_000)
            .map(|i| (f64::from(i), (f64::from(i) / 5_000.0).sin()))
            .collect();
        pts[31_337].1 = 50.0;
        pts[77_777].1 = -50.0;
        let d = downsample(&pts, 2_000);
        assert!(d.len() <= 2_000, "{} points", d.len());
        assert!(d.len() >= 1_000, "{} points", d.len());
        assert!(d.contains(&(31_337.0, 50.0)), "the spike is kept");
        assert!(d.contains(&(77_777.0, -50.0)), "the dip is kept");
        assert_eq!(d.first(), pts.first());
        assert_eq!(d.last(), pts.last());
        assert!(d.windows(2).all(|w| w[0].0 < w[1].0), "x stays ascending");
        // The wave's own range is kept too.
        let hi = d
            .iter()
            .filter(|p| p.1 < 2.0)
            .map(|p| p.1)
            .fold(-9.0, f64::max);
        assert!(hi > 0.999_99, "{hi}");
    }

    #[test]
    fn a_short_line_is_unchanged() {
        let pts: Vec<(f64, f64)> = (0..2_000).map(|i| (f64::from(i), 1.0)).collect();
        assert_eq!(downsample(&pts, 2_000), pts);
        assert!(downsample(&[], 2_000).is_empty());
        // A flat line of many points keeps one point per run.
        let flat: Vec<(f64, f64)> = (0..10_000).map(|i| (f64::from(i), 1.0)).collect();
        assert_eq!(downsample(&flat, 100).len(), 2 + 49);
    }
}
