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
