//! Validating a duration distribution (`duration`, `task_start_latency`, ...).

use toml::Spanned;

use super::{R, Validator};
use crate::model::Distribution;
use crate::scenario::raw::RawDistribution;

impl Validator<'_> {
    pub(super) fn distribution(
        &self,
        d: &Spanned<RawDistribution>,
        key: &str,
        positive: bool,
    ) -> R<Distribution> {
        let span = d.span();
        let e = |m: String| self.err(span.clone(), format!("`{key}`: {m}"));
        Ok(match d.get_ref() {
            RawDistribution::Fixed(x) => {
                if positive && x.0.as_ms() == 0 {
                    return Err(e("found 0; expected a positive duration".to_string()));
                }
                Distribution::Fixed(x.0)
            }
            RawDistribution::Exponential { mean } => {
                if mean.0.as_ms() == 0 {
                    return Err(e(
                        "exponential mean is 0; expected a positive duration".to_string()
                    ));
                }
                Distribution::Exponential {
                    mean_ms: mean.0.as_ms() as f64,
                }
            }
            RawDistribution::LogNormal { median, sigma } => {
                if median.0.as_ms() == 0 {
                    return Err(e(
                        "lognormal median is 0; expected a positive duration".to_string()
                    ));
                }
                if !(sigma.is_finite() && (0.0..=10.0).contains(sigma)) {
                    return Err(e(format!(
                        "lognormal sigma is {sigma}; expected a number in 0..=10"
                    )));
                }
                Distribution::LogNormal {
                    median_ms: median.0.as_ms() as f64,
                    sigma: *sigma,
                }
            }
            RawDistribution::Uniform { min, max } => {
                if min.0 > max.0 || (positive && max.0.as_ms() == 0) {
                    return Err(e(format!(
                        "uniform min {} and max {}; expected min <= max and max > 0",
                        min.0, max.0
                    )));
                }
                Distribution::Uniform {
                    min_ms: min.0.as_ms() as f64,
                    max_ms: max.0.as_ms() as f64,
                }
            }
        })
    }
}
