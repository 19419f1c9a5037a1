//! Validating `[pricing]`: the region, Fargate rates, Spot discounts; and, for a region without
//! built-in prices, that the scenario gives every price its arms use.

use std::collections::BTreeSet;

use toml::Spanned;

use super::{R, Validator};
use crate::model::billing::FARGATE_FREE_STORAGE_GIB;
use crate::model::pricing::KNOWN_REGIONS;
use crate::model::{Architecture, Pricing};
use crate::scenario::raw::{RawPricing, RawScenario};
use crate::scenario::{Arm, ArmKind, FARGATE_SPOT, Purchase, Workload};

impl Validator<'_> {
    fn price(&self, v: &Option<Spanned<f64>>, key: &str, default: f64) -> R<f64> {
        match v {
            Some(s) if !(s.get_ref().is_finite() && *s.get_ref() >= 0.0) => Err(self.err(
                s.span(),
                format!(
                    "`pricing.{key}`: found {}; expected a non-negative number",
                    s.get_ref()
                ),
            )),
            Some(s) => Ok(*s.get_ref()),
            None => Ok(default),
        }
    }

    /// The prices of the run: us-east-1's built-in ones, with the scenario's overrides. A
    /// region without built-in prices is taken here and checked by [`Self::region_prices`]
    /// once the arms are known.
    pub(super) fn pricing(&self, raw: Option<&RawPricing>) -> R<Pricing> {
        let mut p = Pricing::us_east_1();
        p.fargate_spot_discount = super::defaults::DEFAULT_FARGATE_SPOT_DISCOUNT;
        let Some(raw) = raw else { return Ok(p) };
        let discount = |d: &Spanned<f64>, key: &str| -> R<f64> {
            let v = *d.get_ref();
            if !(v.is_finite() && (0.0..1.0).contains(&v)) {
                return Err(self.err(
                    d.span(),
                    format!("`pricing.{key}`: found {v}; expected the fraction off the on-demand price, 0 <= x < 1 (0.65 is 65% off)"),
                ));
            }
            Ok(v)
        };
        if let Some(d) = &raw.spot_discount {
            p.ec2_spot_discount = Some(discount(d, "spot_discount")?);
        }
        if let Some(d) = &raw.fargate_spot_discount {
            p.fargate_spot_discount = discount(d, "fargate_spot_discount")?;
        }
        if let Some(r) = &raw.region {
            let region = r.get_ref().trim();
            let well_formed = !region.is_empty()
                && region.len() <= 32
                && region
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !well_formed {
                return Err(self.err(
                    r.span(),
                    format!("`pricing.region`: found `{}`; expected an AWS region code such as `us-east-1` or `eu-west-1`", region.chars().take(32).collect::<String>()),
                ));
            }
            p.region = region.to_string();
        }
        p.fargate_x86.vcpu_hour = self.price(
            &raw.fargate_vcpu_hour,
            "fargate_vcpu_hour",
            p.fargate_x86.vcpu_hour,
        )?;
        p.fargate_x86.gb_hour = self.price(
            &raw.fargate_gb_hour,
            "fargate_gb_hour",
            p.fargate_x86.gb_hour,
        )?;
        p.fargate_arm.vcpu_hour = self.price(
            &raw.fargate_arm_vcpu_hour,
            "fargate_arm_vcpu_hour",
            p.fargate_arm.vcpu_hour,
        )?;
        p.fargate_arm.gb_hour = self.price(
            &raw.fargate_arm_gb_hour,
            "fargate_arm_gb_hour",
            p.fargate_arm.gb_hour,
        )?;
        p.fargate_storage_gb_hour = self.price(
            &raw.fargate_storage_gb_hour,
            "fargate_storage_gb_hour",
            p.fargate_storage_gb_hour,
        )?;
        Ok(p)
    }

    /// Warnings for Spot discounts that no arm buys at (docs/model.md §17.8).
    pub(super) fn unused_discounts(&mut self, raw: Option<&RawPricing>, arms: &[Arm]) {
        let Some(p) = raw else { return };
        let ec2_spot = arms.iter().any(|a| match &a.kind {
            ArmKind::Ec2(e) => e
                .providers
                .iter()
                .any(|p| matches!(p.purchase, Purchase::Spot { .. })),
            ArmKind::Fargate(_) => false,
        });
        let fargate_spot = arms.iter().any(|a| {
            matches!(a.kind, ArmKind::Fargate(_))
                && a.provider_strategy
                    .iter()
                    .any(|s| s.provider == FARGATE_SPOT && (s.weight > 0 || s.base > 0))
        });
        if p.spot_discount.is_some() && !ec2_spot {
            self.warnings.push("`pricing.spot_discount` has no effect: no arm has a provider with purchase = \"spot\"".to_string());
        }
        if p.fargate_spot_discount.is_some() && !fargate_spot {
            self.warnings.push(
                "`pricing.fargate_spot_discount` has no effect: no arm runs FARGATE_SPOT tasks"
                    .to_string(),
            );
        }
    }

    /// In a region without built-in prices, every price the arms use must come from the
    /// scenario: the Fargate rates of each Fargate arm's architecture (and the storage rate when
    /// tasks may ask for more than the free 20 GiB), and the hourly price of every instance type
    /// of each EC2 arm (`[pricing] ec2` or `[[instance_type]] price_per_hour`). Nothing is
    /// priced at another region's rates without the user asking for it.
    pub(super) fn region_prices(
        &self,
        raw: &RawScenario,
        pricing: &Pricing,
        workload: &Workload,
        arms: &[Arm],
    ) -> R<()> {
        if KNOWN_REGIONS.contains(&pricing.region.as_str()) {
            return Ok(());
        }
        let Some(rp) = &raw.pricing else {
            return Ok(());
        };
        let Some(region) = &rp.region else {
            return Ok(());
        };
        let priced: BTreeSet<&str> = raw
            .instance_type
            .iter()
            .filter(|t| t.get_ref().price_per_hour.is_some())
            .map(|t| t.get_ref().name.get_ref().trim())
            .chain(rp.ec2.keys().map(String::as_str))
            .collect();
        let storage = workload.trace.is_some()
            || workload
                .jobs
                .iter()
                .any(|j| j.storage_gib > FARGATE_FREE_STORAGE_GIB)
            || workload
                .services
                .iter()
                .any(|s| s.storage_gib > FARGATE_FREE_STORAGE_GIB);
        let mut missing: BTreeSet<String> = BTreeSet::new();
        for arm in arms {
            match &arm.kind {
                ArmKind::Fargate(f) => {
                    let (vcpu, gb, vk, gk) = match f.architecture {
                        Architecture::X86_64 => (
                            &rp.fargate_vcpu_hour,
                            &rp.fargate_gb_hour,
                            "fargate_vcpu_hour",
                            "fargate_gb_hour",
                        ),
                        Architecture::Arm64 => (
                            &rp.fargate_arm_vcpu_hour,
                            &rp.fargate_arm_gb_hour,
                            "fargate_arm_vcpu_hour",
                            "fargate_arm_gb_hour",
                        ),
                    };
                    for (v, k) in [(vcpu, vk), (gb, gk)] {
                        if v.is_none() {
                            missing.insert(format!("`pricing.{k}`"));
                        }
                    }
                    if storage && rp.fargate_storage_gb_hour.is_none() {
                        missing.insert("`pricing.fargate_storage_gb_hour`".to_string());
                    }
                }
                ArmKind::Ec2(e) => {
                    for t in e.providers.iter().flat_map(|p| &p.instance_types) {
                        if !priced.contains(t.name.as_str()) {
                            missing.insert(format!("`pricing.ec2.\"{}\"`", t.name));
                        }
                    }
                }
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(self.err(
            region.span(),
            format!(
                "`pricing.region`: no built-in prices for `{}` (built in: {}); to simulate it, give every price the arms use: missing {}",
                pricing.region,
                KNOWN_REGIONS.join(", "),
                missing.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::scenario::ArmKind;
    use crate::scenario::load::load_str;

    const JOB: &str = "[[workload.jobs]]\nname = \"j\"\narrival = { fixed_interval = \"1m\" }\nduration = \"1m\"\ncpu = 1024\nmemory = 2048\nmax_tasks = 3\n";
    const EC2: &str = "[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\", \"c5.large\"]\ncapacity = { fixed = 2 }\n";
    const FARGATE: &str = "[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n";

    fn load(pricing: &str, arms: &str) -> Result<crate::scenario::Scenario, String> {
        let text = format!("[pricing]\n{pricing}\n{JOB}{arms}");
        load_str(Path::new("s.toml"), &text).map_err(|e| e.to_string())
    }

    #[test]
    fn another_region_runs_when_every_price_it_uses_is_given() {
        let s = load(
            "region = \"eu-west-1\"\nfargate_vcpu_hour = 0.04456\nfargate_gb_hour = 0.004865\nec2 = { \"m5.large\" = 0.107, \"c5.large\" = 0.096 }",
            &format!("{EC2}{FARGATE}"),
        )
        .unwrap();
        assert_eq!(s.pricing.region, "eu-west-1");
        assert!((s.pricing.fargate_x86.vcpu_hour - 0.04456).abs() < 1e-12);
        // The default zones are the region's.
        assert_eq!(s.arms[0].zones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        let ArmKind::Ec2(e) = &s.arms[0].kind else {
            panic!("an EC2 arm")
        };
        assert!((e.providers[0].instance_types[0].price_per_hour - 0.107).abs() < 1e-12);
    }

    #[test]
    fn another_region_names_every_price_still_missing() {
        let e = load(
            "region = \"eu-west-1\"\nec2 = { \"m5.large\" = 0.107 }",
            &format!("{EC2}{FARGATE}"),
        )
        .unwrap_err();
        assert!(
            e.contains("no built-in prices for `eu-west-1` (built in: us-east-1)"),
            "{e}"
        );
        assert!(
            e.contains(
                "missing `pricing.ec2.\"c5.large\"`, `pricing.fargate_gb_hour`, `pricing.fargate_vcpu_hour`"
            ),
            "{e}"
        );
        assert!(!e.contains("m5.large"), "{e}");
        // An instance type's own price counts as given.
        let ok = load(
            "region = \"eu-west-1\"",
            "[[instance_type]]\nname = \"m5.large\"\nprice_per_hour = 0.107\n[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = { fixed = 1 }\n",
        );
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn arm64_fargate_needs_the_graviton_rates_and_a_region_must_look_like_one() {
        let f = "[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\ncpu_architecture = \"ARM64\"\n";
        let e = load(
            "region = \"eu-west-1\"\nfargate_vcpu_hour = 0.04\nfargate_gb_hour = 0.004",
            f,
        )
        .unwrap_err();
        assert!(
            e.contains("missing `pricing.fargate_arm_gb_hour`, `pricing.fargate_arm_vcpu_hour`"),
            "{e}"
        );
        let e = load("region = \"Mars East\"", FARGATE).unwrap_err();
        assert!(e.contains("expected an AWS region code"), "{e}");
        // us-east-1 needs nothing.
        assert!(load("region = \"us-east-1\"", f).is_ok());
    }
}
