//! Validating `[[commitment]]` (docs/scenario.md, docs/model.md §22): Savings Plans and
//! Reserved Instances, their terms and rates, checked against the arms they apply to: every
//! on-demand usage a plan may cover must have a rate from some source (docs/reference/pricing.md
//! §3).

use std::collections::BTreeSet;
use std::ops::Range;

use toml::Spanned;

use super::{R, Validator};
use crate::model::commitment::{
    Commitment, Payment, Plan, SpRates, Term, UsageKey, UsageKind, family_and_size,
    normalization_factor,
};
use crate::model::price_book::FargateOsArch;
use crate::model::{Catalog, FargateRates, Os, Pricing};
use crate::scenario::raw::{RawCommitment, RawFargateSpRates};
use crate::scenario::{Arm, ArmKind, FARGATE, Purchase};

/// The largest commitment, rate or fee a scenario may state (far above any real one).
const MAX_COMMITMENT_VALUE: f64 = 1e9;

/// The three `type`s.
const TYPES: [&str; 3] = [
    "compute_savings_plan",
    "ec2_instance_savings_plan",
    "reserved_instances",
];

impl Validator<'_> {
    /// The scenario's commitments, checked against `arms` (after their OS prices are set).
    pub(super) fn commitments(
        &mut self,
        raw: &[Spanned<RawCommitment>],
        arms: &[Arm],
        catalog: &Catalog,
        pricing: &Pricing,
    ) -> R<Vec<Commitment>> {
        let mut out = Vec::new();
        let mut names = BTreeSet::new();
        for (n, c) in raw.iter().enumerate() {
            let commitment =
                self.commitment(c.get_ref(), n + 1, c.span(), arms, catalog, pricing)?;
            if !names.insert(commitment.name.clone()) {
                return Err(self.err(
                    c.get_ref().name.as_ref().map_or(c.span(), Spanned::span),
                    format!(
                        "`commitment.name`: `{}` is used by another commitment; expected unique names",
                        commitment.name
                    ),
                ));
            }
            self.check_rates(c, &commitment, arms, pricing)?;
            out.push(commitment);
        }
        Ok(out)
    }

    fn commitment_value(&self, v: &Spanned<f64>, key: &str, what: &str) -> R<f64> {
        let x = *v.get_ref();
        if !(x.is_finite() && (0.0..=MAX_COMMITMENT_VALUE).contains(&x)) {
            return Err(self.err(
                v.span(),
                format!("`commitment.{key}`: found {x}; expected {what}, a number in 0..=1e9"),
            ));
        }
        Ok(x)
    }

    fn commitment(
        &mut self,
        c: &RawCommitment,
        n: usize,
        span: Range<usize>,
        arms: &[Arm],
        catalog: &Catalog,
        pricing: &Pricing,
    ) -> R<Commitment> {
        let kind = c.kind.get_ref().as_str();
        if !TYPES.contains(&kind) {
            return Err(self.err(
                c.kind.span(),
                format!(
                    "`commitment.type`: found `{kind}`; expected `compute_savings_plan`, `ec2_instance_savings_plan` or `reserved_instances` (docs/reference/pricing.md §3)"
                ),
            ));
        }
        let name = match &c.name {
            Some(s) if s.get_ref().trim().is_empty() => {
                return Err(self.err(
                    s.span(),
                    "`commitment.name`: found an empty name; expected a name such as \"sp-1\"",
                ));
            }
            Some(s) => s.get_ref().trim().to_string(),
            None => format!("{kind}-{n}"),
        };
        let arm_names = match &c.arms {
            None => None,
            Some(list) => {
                let mut v = Vec::new();
                for a in list {
                    if !arms.iter().any(|x| x.name == *a.get_ref()) {
                        let known: Vec<String> =
                            arms.iter().map(|x| format!("`{}`", x.name)).collect();
                        return Err(self.err(
                            a.span(),
                            format!(
                                "`commitment.arms`: no arm is named `{}`; expected one of {}",
                                a.get_ref(),
                                known.join(", ")
                            ),
                        ));
                    }
                    v.push(a.get_ref().clone());
                }
                Some(v)
            }
        };
        let term = match c.term.as_ref().map(|t| (t.get_ref().as_str(), t.span())) {
            None | Some(("1yr", _)) => Term::OneYear,
            Some(("3yr", _)) => Term::ThreeYears,
            Some((t, s)) => {
                return Err(self.err(
                    s,
                    format!("`commitment.term`: found `{t}`; expected `1yr` or `3yr`"),
                ));
            }
        };
        let payment = match c.payment.as_ref().map(|t| (t.get_ref().as_str(), t.span())) {
            None | Some(("no_upfront", _)) => Payment::NoUpfront,
            Some(("partial_upfront", _)) => Payment::PartialUpfront,
            Some(("all_upfront", _)) => Payment::AllUpfront,
            Some((t, s)) => {
                return Err(self.err(s, format!("`commitment.payment`: found `{t}`; expected `no_upfront`, `partial_upfront` or `all_upfront`")));
            }
        };
        // The price list's RI rate, as the (None, None, None) case below takes it.
        let listed_ri = |ty: &str, class: &str| {
            let key = format!("{}_{class}_{}", term.as_str(), payment.as_str());
            pricing
                .reserved_instances
                .get(&key)?
                .get(&Os::Linux)?
                .get(ty)
                .copied()
        };
        let discount = match &c.discount_percent {
            Some(d) => {
                let x = *d.get_ref();
                if !(x.is_finite() && (0.0..100.0).contains(&x)) {
                    return Err(self.err(
                        d.span(),
                        format!("`commitment.discount_percent`: found {x}; expected a percentage off the on-demand price, 0 ≤ x < 100"),
                    ));
                }
                Some(x)
            }
            None => None,
        };
        // Keys of the other kind are refused, naming them.
        fn not_for(present: bool, key: &'static str) -> (bool, &'static str) {
            (present, key)
        }
        let misplaced = if kind == "reserved_instances" {
            [
                not_for(c.usd_per_hour.is_some(), "usd_per_hour"),
                not_for(c.family.is_some(), "family"),
                not_for(c.rates.is_some(), "rates"),
                not_for(c.fargate_rates.is_some(), "fargate_rates"),
            ]
            .into_iter()
            .find(|(p, _)| *p)
        } else {
            [
                not_for(c.instance_type.is_some(), "instance_type"),
                not_for(c.count.is_some(), "count"),
                not_for(c.offering_class.is_some(), "offering_class"),
                not_for(c.hourly.is_some(), "hourly"),
                not_for(c.upfront.is_some(), "upfront"),
                not_for(
                    c.fargate_rates.is_some() && kind == "ec2_instance_savings_plan",
                    "fargate_rates",
                ),
                not_for(
                    c.family.is_some() && kind == "compute_savings_plan",
                    "family",
                ),
            ]
            .into_iter()
            .find(|(p, _)| *p)
        };
        if let Some((_, key)) = misplaced {
            return Err(self.err(span, format!("commitment `{name}` of type `{kind}` has `{key}`, which only {}; expected it removed", match key {
                "usd_per_hour" | "rates" => "Savings Plans have",
                "family" => "an EC2 Instance Savings Plan has",
                "fargate_rates" => "a Compute Savings Plan has (EC2 Instance Savings Plans do not cover Fargate, docs/reference/pricing.md §3.1)",
                _ => "Reserved Instances have",
            })));
        }
        let plan = if kind == "reserved_instances" {
            let Some(t) = &c.instance_type else {
                return Err(self.err(span, format!("commitment `{name}` (reserved_instances) has no `instance_type`; expected `instance_type = \"m5.large\"`")));
            };
            let Some(it) = catalog.get(t.get_ref()) else {
                return Err(self.err(t.span(), format!("`commitment.instance_type`: unknown instance type `{}`; expected a catalog type (see `sim catalog instance-types`) or one defined in [[instance_type]]", t.get_ref())));
            };
            let count = match &c.count {
                None => 1,
                Some(k) => self.int_in(k, "commitment.count", 1, 1_000_000)?,
            };
            let offering_class = match c
                .offering_class
                .as_ref()
                .map(|o| (o.get_ref().as_str(), o.span()))
            {
                None | Some(("standard", _)) => "standard",
                Some(("convertible", _)) => "convertible",
                Some((o, s)) => {
                    return Err(self.err(s, format!("`commitment.offering_class`: found `{o}`; expected `standard` or `convertible`")));
                }
            };
            let hourly = match &c.hourly {
                Some(h) => Some(self.commitment_value(h, "hourly", "USD per instance-hour")?),
                None => None,
            };
            let upfront = match &c.upfront {
                Some(u) => Some(self.commitment_value(u, "upfront", "USD per instance")?),
                None => None,
            };
            let per_hour = match (hourly, upfront, discount) {
                (None, None, None) => match listed_ri(&it.name, offering_class) {
                    Some(r) => (r.hourly + r.upfront / term.hours()) * pricing.discount_factor,
                    None => {
                        return Err(self.err(span, format!("commitment `{name}` (reserved_instances) has no rate; expected `hourly` (USD per instance-hour) and/or `upfront` (USD per instance), `discount_percent` off the on-demand price, or a `[pricing] price_list` with a `reserved_instances.\"{}_{offering_class}_{}\".linux.\"{}\"` rate", term.as_str(), payment.as_str(), it.name)));
                    }
                },
                (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
                    return Err(self.err(span, format!("commitment `{name}` gives both `discount_percent` and `hourly`/`upfront`; expected one way of pricing it")));
                }
                // The on-demand price is already discounted by `[pricing] discount_percent`.
                (None, None, Some(d)) => it.price_per_hour * (1.0 - d / 100.0),
                (h, u, None) => {
                    (h.unwrap_or(0.0) + u.unwrap_or(0.0) / term.hours()) * pricing.discount_factor
                }
            };
            let (_, size) = family_and_size(&it.name);
            if normalization_factor(size).is_none() {
                self.warnings.push(format!("commitment `{name}`: the size of `{}` has no normalization factor (data/ri_normalization_factors.csv), so it covers only `{}` itself, not other sizes of its family", it.name, it.name));
            }
            Plan::ReservedInstances {
                instance_type: it.name.clone(),
                count,
                offering_class,
                usd_per_instance_hour: per_hour,
            }
        } else {
            let Some(usd) = &c.usd_per_hour else {
                return Err(self.err(span, format!("commitment `{name}` ({kind}) has no `usd_per_hour`; expected the hourly commitment in USD, e.g. `usd_per_hour = 1.5`")));
            };
            let usd_per_hour = self.commitment_value(usd, "usd_per_hour", "USD per hour")?
                * pricing.discount_factor;
            let mut rates = SpRates {
                discount_percent: discount,
                ..SpRates::default()
            };
            if let Some(r) = &c.rates {
                for (t, v) in r.get_ref() {
                    if catalog.get(t).is_none() {
                        return Err(self.err(v.span(), format!("`commitment.rates`: unknown instance type `{t}`; expected a catalog type (see `sim catalog instance-types`) or one defined in [[instance_type]]")));
                    }
                    let x = self.commitment_value(
                        v,
                        &format!("rates.\"{t}\""),
                        "the SP rate in USD per Linux instance-hour",
                    )?;
                    rates.ec2_linux.insert(t.clone(), x);
                }
            }
            if let Some(f) = &c.fargate_rates {
                let (x86, arm) = self.fargate_sp_rates(f)?;
                rates.fargate_x86 = x86;
                rates.fargate_arm = arm;
            }
            // Scenario rates are list rates: discounted like every other price. Then the price
            // list's rates of this plan, term and payment fill what the scenario left out.
            let f = pricing.discount_factor;
            for r in rates.ec2_linux.values_mut() {
                *r *= f;
            }
            let scale = |r: FargateRates| FargateRates {
                vcpu_hour: r.vcpu_hour * f,
                gb_hour: r.gb_hour * f,
            };
            rates.fargate_x86 = rates.fargate_x86.map(scale);
            rates.fargate_arm = rates.fargate_arm.map(scale);
            let listed = pricing
                .savings_plans
                .get(kind)
                .and_then(|p| p.get(&format!("{}_{}", term.as_str(), payment.as_str())));
            // An EC2 Instance SP takes only its family's rates from the list.
            let in_plan = |t: &str| {
                kind != "ec2_instance_savings_plan"
                    || c.family
                        .as_ref()
                        .is_some_and(|fam| family_and_size(t).0 == fam.get_ref())
            };
            let scenario_rates = rates.ec2_linux.clone();
            if let Some(l) = listed {
                for (os, map) in [
                    (Os::Linux, &mut rates.ec2_linux),
                    (Os::Windows, &mut rates.ec2_windows),
                ] {
                    for (t, r) in l.ec2.get(&os).into_iter().flatten() {
                        if in_plan(t) {
                            map.entry(t.clone()).or_insert(r * f);
                        }
                    }
                }
                let fargate = |k: FargateOsArch| {
                    l.fargate.get(&k).map(|r| FargateRates {
                        vcpu_hour: r.vcpu_hour * f,
                        gb_hour: r.gb_hour * f,
                    })
                };
                if kind == "compute_savings_plan" {
                    rates.fargate_x86 = rates.fargate_x86.or(fargate(FargateOsArch::LinuxX86));
                    rates.fargate_arm = rates.fargate_arm.or(fargate(FargateOsArch::LinuxArm));
                    rates.fargate_windows = fargate(FargateOsArch::WindowsX86);
                }
            }
            if kind == "ec2_instance_savings_plan" {
                let Some(family) = &c.family else {
                    return Err(self.err(span, format!("commitment `{name}` (ec2_instance_savings_plan) has no `family`; expected the instance family it commits to, e.g. `family = \"m5\"` (docs/reference/pricing.md §3.1)")));
                };
                let family = family.get_ref().clone();
                if let Some(t) = scenario_rates
                    .keys()
                    .find(|t| family_and_size(t).0 != family)
                {
                    return Err(self.err(span, format!("commitment `{name}` commits to family `{family}` and has a rate for `{t}`, of another family; expected rates of `{family}` types only")));
                }
                Plan::Ec2InstanceSavingsPlan {
                    usd_per_hour,
                    family,
                    rates,
                }
            } else {
                Plan::ComputeSavingsPlan {
                    usd_per_hour,
                    rates,
                }
            }
        };
        Ok(Commitment {
            name,
            arms: arm_names,
            term,
            payment,
            plan,
        })
    }

    /// `fargate_rates`: x86 (`vcpu_hour` with `gb_hour`) and ARM (`arm_vcpu_hour` with
    /// `arm_gb_hour`), each pair whole or absent.
    fn fargate_sp_rates(
        &self,
        f: &Spanned<RawFargateSpRates>,
    ) -> R<(Option<FargateRates>, Option<FargateRates>)> {
        let r = f.get_ref();
        let pair = |v: &Option<Spanned<f64>>,
                    g: &Option<Spanned<f64>>,
                    keys: (&str, &str)|
         -> R<Option<FargateRates>> {
            match (v, g) {
                (None, None) => Ok(None),
                (Some(v), Some(g)) => Ok(Some(FargateRates {
                    vcpu_hour: self.commitment_value(v, &format!("fargate_rates.{}", keys.0), "the SP rate per vCPU-hour")?,
                    gb_hour: self.commitment_value(g, &format!("fargate_rates.{}", keys.1), "the SP rate per GB-hour")?,
                })),
                _ => Err(self.err(f.span(), format!("`commitment.fargate_rates` gives one of `{}` and `{}`; expected both (or `discount_percent` for the rest)", keys.0, keys.1))),
            }
        };
        Ok((
            pair(&r.vcpu_hour, &r.gb_hour, ("vcpu_hour", "gb_hour"))?,
            pair(
                &r.arm_vcpu_hour,
                &r.arm_gb_hour,
                ("arm_vcpu_hour", "arm_gb_hour"),
            )?,
        ))
    }

    /// Every on-demand usage line a Savings Plan may cover on the arms it applies to has a
    /// rate; Reserved Instances on a Windows arm cover nothing (§3.4) and say so.
    fn check_rates(
        &mut self,
        raw: &Spanned<RawCommitment>,
        c: &Commitment,
        arms: &[Arm],
        pricing: &Pricing,
    ) -> R<()> {
        for arm in arms.iter().filter(|a| c.applies_to(&a.name)) {
            let lines = on_demand_lines(arm, pricing);
            if let Plan::ReservedInstances { instance_type, .. } = &c.plan {
                if matches!(arm.kind, ArmKind::Ec2(_)) && arm.os == Os::Windows {
                    self.warnings.push(format!("commitment `{}`: arm `{}` is windows, and Reserved Instance size flexibility covers Linux only (docs/reference/pricing.md §3.4), so the {instance_type} RIs cover nothing there", c.name, arm.name));
                }
                continue;
            }
            let rates = match &c.plan {
                Plan::ComputeSavingsPlan { rates, .. }
                | Plan::Ec2InstanceSavingsPlan { rates, .. } => rates,
                Plan::ReservedInstances { .. } => continue,
            };
            for (key, od) in lines {
                if c.eligible(&key) && rates.rate(&key, od).is_none() {
                    let fix = match &key.kind {
                        UsageKind::Ec2 { instance_type } if key.os == Os::Linux => {
                            format!("`rates = {{ \"{instance_type}\" = <SP USD per hour> }}` or `discount_percent`")
                        }
                        UsageKind::Ec2 { .. } => {
                            "`discount_percent` (`rates` are Linux rates)".to_string()
                        }
                        UsageKind::FargateVcpu(_) | UsageKind::FargateGb(_) if key.os == Os::Windows => {
                            "`discount_percent` (`fargate_rates` are Linux rates)".to_string()
                        }
                        UsageKind::FargateVcpu(crate::model::Architecture::Arm64)
                        | UsageKind::FargateGb(crate::model::Architecture::Arm64) => {
                            "`fargate_rates = { arm_vcpu_hour = .., arm_gb_hour = .. }` or `discount_percent`".to_string()
                        }
                        _ => "`fargate_rates = { vcpu_hour = .., gb_hour = .. }` or `discount_percent`".to_string(),
                    };
                    return Err(self.err(raw.span(), format!("commitment `{}` ({}) applies to arm `{}`, whose on-demand usage `{}` it may cover, but no Savings Plan rate for it is given; expected {fix}", c.name, c.plan.type_name(), arm.name, key.name())));
                }
            }
        }
        Ok(())
    }
}

/// The on-demand usage lines arm `arm` can bill, each with its on-demand rate per unit-hour:
/// each instance type of its on-demand providers (Spot is never covered, §3.1), or Fargate's
/// vCPU and GB lines when FARGATE (not only FARGATE_SPOT) may run tasks.
pub fn on_demand_lines(arm: &Arm, pricing: &Pricing) -> Vec<(UsageKey, f64)> {
    match &arm.kind {
        ArmKind::Ec2(e) => e
            .providers
            .iter()
            .filter(|p| matches!(p.purchase, Purchase::OnDemand))
            .flat_map(|p| p.instance_types.iter())
            .map(|t| {
                (
                    UsageKey {
                        kind: UsageKind::Ec2 {
                            instance_type: t.name.clone(),
                        },
                        os: arm.os,
                    },
                    t.price_per_hour,
                )
            })
            .collect(),
        // The EC2 part of a Managed Instances bill is EC2 usage (docs/reference/managed-instances.md
        // §1.8: "You pay the EC2 instance price ... plus an ECS management fee"); the fee is
        // not covered (docs/model.md §24.6).
        ArmKind::ManagedInstances(m) => m
            .types
            .iter()
            .map(|t| {
                (
                    UsageKey {
                        kind: UsageKind::Ec2 {
                            instance_type: t.instance_type.name.clone(),
                        },
                        os: arm.os,
                    },
                    t.instance_type.price_per_hour,
                )
            })
            .collect(),
        ArmKind::External(_) => Vec::new(),
        ArmKind::Fargate(f) => {
            if !arm
                .provider_strategy
                .iter()
                .any(|s| s.provider == FARGATE && (s.weight > 0 || s.base > 0))
            {
                return Vec::new();
            }
            let rates = match arm.os {
                Os::Linux => pricing.fargate(f.architecture),
                Os::Windows => pricing.fargate_windows.rates,
            };
            vec![
                (
                    UsageKey {
                        kind: UsageKind::FargateVcpu(f.architecture),
                        os: arm.os,
                    },
                    rates.vcpu_hour,
                ),
                (
                    UsageKey {
                        kind: UsageKind::FargateGb(f.architecture),
                        os: arm.os,
                    },
                    rates.gb_hour,
                ),
            ]
        }
    }
}
