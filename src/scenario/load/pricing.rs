//! Validating `[pricing]`: the region, Fargate rates, Spot discounts; and, for a region without
//! built-in prices, that the scenario gives every price its arms use.

use std::collections::BTreeSet;

use toml::Spanned;

use super::{R, Validator};
use crate::model::other_charges::OtherCharges;
use crate::model::price_book::{FargateOsArch, PriceBook};
use crate::model::{Catalog, PriceList, PriceOrigin, Pricing};
use crate::scenario::price_list_file::read_price_list;
use crate::scenario::prices::{arm_items, item, region_pricing, workload_uses_storage};
use crate::scenario::raw::{RawPricing, RawScenario};
use crate::scenario::{Arm, ArmKind, FARGATE_SPOT, Purchase, ScenarioError, Workload};

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

    /// The prices of the run and its price list: the region's built-in prices, the price
    /// list's on top, the scenario's keys on top of both (docs/model.md §21). A rate nobody
    /// gives keeps us-east-1's value without an origin and is checked by
    /// [`Self::region_prices`] once the arms are known. The discount is applied later, by
    /// [`Self::apply_discount`].
    pub(super) fn pricing(&self, raw: Option<&RawPricing>) -> R<(Pricing, Option<PriceList>)> {
        let Some(raw) = raw else {
            let mut p = region_pricing("us-east-1", None);
            p.fargate_spot_discount = super::defaults::DEFAULT_FARGATE_SPOT_DISCOUNT;
            return Ok((p, None));
        };
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
        let mut region = None;
        if let Some(r) = &raw.region {
            let code = r.get_ref().trim();
            let well_formed = !code.is_empty()
                && code.len() <= 32
                && code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !well_formed {
                return Err(self.err(
                    r.span(),
                    format!("`pricing.region`: found `{}`; expected an AWS region code such as `us-east-1` or `eu-west-1`", code.chars().take(32).collect::<String>()),
                ));
            }
            region = Some(code.to_string());
        }
        let list = match &raw.price_list {
            Some(pl) => {
                let name = pl.get_ref().trim();
                if name.is_empty() {
                    return Err(self.err(
                        pl.span(),
                        "`pricing.price_list`: expected the path of a price list such as \"prices.toml\" (written by `sim prices import`)",
                    ));
                }
                let path = super::resolve(self.map.path, name);
                let l = read_price_list(&path, name).map_err(|e| match e {
                    ScenarioError::Read { path, error } => self.err(
                        pl.span(),
                        format!(
                            "`pricing.price_list`: cannot read `{}`: {error}; expected a price list written by `sim prices import` (relative paths are relative to the scenario file)",
                            path.display()
                        ),
                    ),
                    other => other,
                })?;
                if let (Some(r), Some(rk)) = (&region, &raw.region)
                    && *r != l.region
                {
                    return Err(self.err(
                        rk.span(),
                        format!("`pricing.region`: found `{r}`, but the price list `{name}` is for `{}`; expected one region (drop `region` to take the list's)", l.region),
                    ));
                }
                Some(l)
            }
            None => None,
        };
        let region = region
            .or_else(|| list.as_ref().map(|l| l.region.clone()))
            .unwrap_or_else(|| "us-east-1".to_string());
        let mut p = region_pricing(&region, list.as_ref());
        p.fargate_spot_discount = super::defaults::DEFAULT_FARGATE_SPOT_DISCOUNT;
        if let Some(d) = &raw.spot_discount {
            p.ec2_spot_discount = Some(discount(d, "spot_discount")?);
        }
        if let Some(d) = &raw.fargate_spot_discount {
            p.fargate_spot_discount = discount(d, "fargate_spot_discount")?;
        }
        if let Some(d) = &raw.discount_percent {
            let v = *d.get_ref();
            if !(v.is_finite() && (0.0..100.0).contains(&v)) {
                return Err(self.err(
                    d.span(),
                    format!("`pricing.discount_percent`: found {v}; expected the negotiated discount off every charge, in percent, 0 <= x < 100"),
                ));
            }
            p.discount_factor = 1.0 - v / 100.0;
        }
        let x86 = FargateOsArch::LinuxX86;
        let arm = FargateOsArch::LinuxArm;
        for (v, key, it, unit) in [
            (
                &raw.fargate_vcpu_hour,
                "fargate_vcpu_hour",
                item::fargate_vcpu(x86),
                "vCPU-hour",
            ),
            (
                &raw.fargate_gb_hour,
                "fargate_gb_hour",
                item::fargate_gb(x86),
                "GB-hour",
            ),
            (
                &raw.fargate_arm_vcpu_hour,
                "fargate_arm_vcpu_hour",
                item::fargate_vcpu(arm),
                "vCPU-hour",
            ),
            (
                &raw.fargate_arm_gb_hour,
                "fargate_arm_gb_hour",
                item::fargate_gb(arm),
                "GB-hour",
            ),
            (
                &raw.fargate_storage_gb_hour,
                "fargate_storage_gb_hour",
                item::FARGATE_STORAGE.to_string(),
                "GB-hour",
            ),
        ] {
            if v.is_none() {
                continue;
            }
            let usd = self.price(v, key, 0.0)?;
            match key {
                "fargate_vcpu_hour" => p.fargate_x86.vcpu_hour = usd,
                "fargate_gb_hour" => p.fargate_x86.gb_hour = usd,
                "fargate_arm_vcpu_hour" => p.fargate_arm.vcpu_hour = usd,
                "fargate_arm_gb_hour" => p.fargate_arm.gb_hour = usd,
                _ => p.fargate_storage_gb_hour = usd,
            }
            scenario_origin(&mut p, it, usd, unit, key);
        }
        Ok((p, list))
    }

    /// Multiply every charge of the run by the discount factor (docs/model.md §21): the
    /// Fargate rates, the Windows prices, the instance types' prices (catalog and arms) and the
    /// other charges. Spot prices follow, being fractions of on-demand.
    pub(super) fn apply_discount(
        pricing: &mut Pricing,
        catalog: &mut Catalog,
        arms: &mut [Arm],
        other: &mut OtherCharges,
    ) {
        let f = pricing.discount_factor;
        if f == 1.0 {
            return;
        }
        for r in [
            &mut pricing.fargate_x86,
            &mut pricing.fargate_arm,
            &mut pricing.fargate_windows.rates,
        ] {
            r.vcpu_hour *= f;
            r.gb_hour *= f;
        }
        pricing.fargate_windows.os_licence_vcpu_hour *= f;
        pricing.fargate_storage_gb_hour *= f;
        for v in pricing.ec2_windows.values_mut() {
            *v *= f;
        }
        let types: Vec<_> = catalog.types().to_vec();
        for mut t in types {
            t.price_per_hour *= f;
            catalog.upsert(t);
        }
        for a in arms {
            if let ArmKind::Ec2(e) = &mut a.kind {
                for t in e
                    .providers
                    .iter_mut()
                    .flat_map(|p| p.instance_types.iter_mut())
                {
                    t.price_per_hour *= f;
                }
            }
        }
        for r in [
            &mut other.public_ipv4_hour,
            &mut other.alb_hour,
            &mut other.alb_lcu_hour,
            &mut other.nat_gb,
            &mut other.nat_gateway_hour,
        ]
        .into_iter()
        .flatten()
        {
            r.usd *= f;
        }
    }

    /// Warnings for Spot discounts that no arm buys at (docs/model.md §17.8).
    pub(super) fn unused_discounts(&mut self, raw: Option<&RawPricing>, arms: &[Arm]) {
        let Some(p) = raw else { return };
        let ec2_spot = arms.iter().any(|a| match &a.kind {
            ArmKind::Ec2(e) => e
                .providers
                .iter()
                .any(|p| matches!(p.purchase, Purchase::Spot { .. })),
            ArmKind::Fargate(_) | ArmKind::ManagedInstances(_) | ArmKind::External(_) => false,
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

    /// Every price the arms use must have come from somewhere: the region's built-in prices,
    /// the price list or the scenario's keys. A price nobody gives is refused, naming the key to
    /// add (nothing is priced at another region's rates without the user asking for it). A
    /// price the arms use from an UNCERTAIN built-in row gets a warning (Windows Fargate's
    /// built-in rates are warned about in `check_arm_os`).
    pub(super) fn region_prices(
        &mut self,
        raw: &RawScenario,
        pricing: &Pricing,
        workload: &Workload,
        arms: &[Arm],
    ) -> R<()> {
        let storage = workload_uses_storage(workload);
        let mut missing: BTreeSet<String> = BTreeSet::new();
        let mut uncertain: Vec<String> = Vec::new();
        for arm in arms {
            let mut shaky: Vec<String> = Vec::new();
            for (it, key) in arm_items(arm, storage) {
                match pricing.origins.get(&it) {
                    None => {
                        missing.insert(key);
                    }
                    Some(o) if o.uncertain && !it.starts_with("fargate windows_x86") => {
                        if !shaky.iter().any(|s| s.ends_with(&o.origin)) {
                            shaky.push(format!("{it}: {}", o.origin));
                        } else {
                            shaky.push(it.clone());
                        }
                    }
                    Some(_) => {}
                }
            }
            if !shaky.is_empty() {
                uncertain.push(format!(
                    "arm `{}` uses UNCERTAIN built-in rates for {} (docs/reference/pricing.md §1.1): {}; set them in [pricing] or a price_list from a current offer file",
                    arm.name,
                    pricing.region,
                    shaky.join("; ")
                ));
            }
        }
        self.warnings.extend(uncertain);
        if missing.is_empty() {
            return Ok(());
        }
        let rp = raw.pricing.as_ref();
        let (key, span) = match (
            rp.and_then(|p| p.region.as_ref()),
            rp.and_then(|p| p.price_list.as_ref()),
        ) {
            (Some(r), _) => ("pricing.region", r.span()),
            (None, Some(l)) => ("pricing.price_list", l.span()),
            (None, None) => ("pricing", 0..0),
        };
        let book = PriceBook::builtin();
        Err(self.err(
            span,
            format!(
                "`{key}`: no built-in or price-list price in `{}` for everything the arms use (built in: EC2 for {}; Fargate for {}; see `sim catalog prices --region {}`); give each in [pricing] or a price_list: missing {}",
                pricing.region,
                book.ec2_regions().join(", "),
                book.fargate_regions().join(", "),
                pricing.region,
                missing.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ))
    }
}

/// Record that `item` (`usd` per `unit`) comes from the scenario's `[pricing] key`.
pub(super) fn scenario_origin(
    p: &mut Pricing,
    item: String,
    usd: f64,
    unit: &'static str,
    key: &str,
) {
    p.origins.insert(
        item,
        PriceOrigin {
            list_usd: usd,
            unit,
            origin: format!("scenario [pricing] {key}"),
            uncertain: false,
        },
    );
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
        // sa-east-1 has no built-in price at all (docs/reference/pricing.md §1.1, §2.1).
        let e = load(
            "region = \"sa-east-1\"\nec2 = { \"m5.large\" = 0.107 }",
            &format!("{EC2}{FARGATE}"),
        )
        .unwrap_err();
        assert!(
            e.contains("no built-in or price-list price in `sa-east-1` for everything the arms use (built in: EC2 for us-east-1; Fargate for us-east-1, us-east-2,"),
            "{e}"
        );
        assert!(
            e.contains(
                "missing `pricing.ec2.\"c5.large\"`, `pricing.fargate_gb_hour`, `pricing.fargate_vcpu_hour`"
            ),
            "{e}"
        );
        // eu-west-1 has built-in Fargate Linux/x86 rates (UNCERTAIN, old): only c5.large is
        // missing there.
        let e = load(
            "region = \"eu-west-1\"\nec2 = { \"m5.large\" = 0.107 }",
            &format!("{EC2}{FARGATE}"),
        )
        .unwrap_err();
        assert!(
            e.ends_with(
                "missing `pricing.ec2.\"c5.large\"`\n  | region = \"eu-west-1\"\n  |          ^"
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
