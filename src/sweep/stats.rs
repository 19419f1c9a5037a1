//! Mean, sample standard deviation and 95% confidence half-width over a variant's seeds.

/// Two-sided 95% quantiles of Student's t (the 0.975 quantile) for 1 to 30 degrees of freedom.
const T975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];

/// The 0.975 quantile of Student's t with `df` degrees of freedom: the table up to 30, past it
/// the Cornish–Fisher expansion around the normal quantile (four terms: within 0.0005 of the
/// exact value from 31 on, rounded to three decimals like the table); `None` for 0.
pub fn t975(df: usize) -> Option<f64> {
    match df {
        0 => None,
        1..=30 => Some(T975[df - 1]),
        _ => {
            let z: f64 = 1.959_963_985;
            let v = df as f64;
            let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
            let t = z
                + (z3 + z) / (4.0 * v)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
                + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z)
                    / (92_160.0 * v.powi(4));
            Some((t * 1000.0).round() / 1000.0)
        }
    }
}

/// The `p` quantile of the standard normal distribution (0 < p < 1), by Acklam's rational
/// approximation (relative error below 1.2e-9); `None` outside (0, 1).
pub fn normal_quantile(p: f64) -> Option<f64> {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let low = 0.024_25;
    Some(if p < low {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - low {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    })
}

/// The `p` quantile of Student's t with `df` degrees of freedom, by the four-term
/// Cornish–Fisher expansion around the normal quantile (within 0.1% of the exact value for
/// df ≥ 10 and p ≤ 0.9999; looser below 10). Used for simultaneous (Bonferroni) confidence
/// intervals, whose levels the 0.975 table of [`t975`] does not cover. `None` for df = 0 or p
/// outside (0, 1).
pub fn t_quantile(p: f64, df: usize) -> Option<f64> {
    if df == 0 {
        return None;
    }
    let z = normal_quantile(p)?;
    let v = df as f64;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    Some(
        z + (z3 + z) / (4.0 * v)
            + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
            + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
            + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z)
                / (92_160.0 * v.powi(4)),
    )
}

/// What is reported of one metric over n seeds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Values the mean is over.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1); `None` for n = 1.
    pub sd: Option<f64>,
    /// Half-width of the 95% confidence interval of the mean, t(n−1) × sd ÷ √n; `None` for n = 1.
    pub ci95: Option<f64>,
}

/// Summarise `xs`; `None` when empty.
pub fn summarise(xs: &[f64]) -> Option<Summary> {
    let n = xs.len();
    if n == 0 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    let (sd, ci95) = if n > 1 {
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        let sd = var.sqrt();
        (Some(sd), t975(n - 1).map(|t| t * sd / (n as f64).sqrt()))
    } else {
        (None, None)
    };
    Some(Summary { n, mean, sd, ci95 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_follow_the_table_then_the_expansion() {
        assert_eq!(t975(0), None);
        assert_eq!(t975(1), Some(12.706));
        assert_eq!(t975(4), Some(2.776));
        assert_eq!(t975(30), Some(2.042));
        // Published t(0.975) values: 31 → 2.040, 40 → 2.021, 60 → 2.000, 120 → 1.980.
        assert_eq!(t975(31), Some(2.040));
        assert_eq!(t975(40), Some(2.021));
        assert_eq!(t975(60), Some(2.000));
        assert_eq!(t975(120), Some(1.980));
        assert_eq!(t975(100_000), Some(1.960));
    }

    #[test]
    fn normal_and_t_quantiles_match_published_values() {
        // Normal: 0.975 → 1.959964, 0.5 → 0, 0.001 → −3.090232, 0.9995 → 3.290527.
        for (p, z) in [
            (0.975, 1.959_964),
            (0.5, 0.0),
            (0.001, -3.090_232),
            (0.9995, 3.290_527),
        ] {
            assert!((normal_quantile(p).unwrap() - z).abs() < 1e-6, "{p}");
        }
        assert_eq!(normal_quantile(0.0), None);
        assert_eq!(normal_quantile(1.0), None);
        // Student's t tables: t(0.995, 10) = 3.169, t(0.999, 20) = 3.552, t(0.9995, 15) =
        // 4.073, t(0.9995, 19) = 3.883, t(0.975, 15) = 2.131.
        for (p, df, t) in [
            (0.995, 10, 3.169),
            (0.999, 20, 3.552),
            (0.9995, 15, 4.073),
            (0.9995, 19, 3.883),
            (0.975, 15, 2.131),
        ] {
            assert!((t_quantile(p, df).unwrap() - t).abs() < 0.001, "{p} {df}");
        }
        assert_eq!(t_quantile(0.975, 0), None);
    }

    #[test]
    fn mean_sd_and_half_width_by_hand() {
        // 2, 4, 6: mean 4, variance (4 + 0 + 4) / 2 = 4, sd 2, half-width 4.303 × 2 / √3.
        let s = summarise(&[2.0, 4.0, 6.0]).unwrap();
        assert_eq!(s.n, 3);
        assert!((s.mean - 4.0).abs() < 1e-12);
        assert!((s.sd.unwrap() - 2.0).abs() < 1e-12);
        assert!((s.ci95.unwrap() - 4.303 * 2.0 / 3f64.sqrt()).abs() < 1e-12);
        // Two values 1 and 3: sd √2, half-width 12.706 × √2 / √2 = 12.706.
        let s = summarise(&[1.0, 3.0]).unwrap();
        assert!((s.ci95.unwrap() - 12.706).abs() < 1e-12);
        let one = summarise(&[5.0]).unwrap();
        assert_eq!((one.mean, one.sd, one.ci95), (5.0, None, None));
        assert_eq!(summarise(&[]), None);
    }
}
