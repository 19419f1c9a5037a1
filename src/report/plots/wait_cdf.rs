//! The distribution of waits for capacity, per arm (waits.csv).

use super::plot::{Panel, Plot};
use super::run_plots::arm_line;
use crate::report::run_data::RunData;

/// At most this many steps per CDF line (drawn two pixels wide up to twice this many points).
pub(super) const CDF_POINTS: usize = 500;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plots::run_plots::run_plots;
    use crate::report::plots::testing::{arm, run};
    use crate::report::run_data::RunData;
    use crate::report::run_data::fixture;

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
}
