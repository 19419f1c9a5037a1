//! Validating an EC2 arm's capacity providers: each provider's Auto Scaling group (instance
//! types, fixed capacity or managed scaling, on-demand or Spot, launch latency) and the
//! capacity-provider strategy over them.

use std::ops::Range;

use toml::Spanned;

use super::defaults::INSTANCE_LAUNCH;
use super::{R, Validator, suggest};
use crate::model::{Catalog, InstanceType, Pricing};
use crate::scenario::limits::MAX_FIXED_INSTANCES;
use crate::scenario::raw::{RawArm, RawCapacity, RawDistribution, RawManagedScaling, RawShare};
use crate::scenario::{
    ArmKind, Capacity, Ec2Provider, FARGATE, FARGATE_SPOT, ManagedScaling, ProviderShare, Purchase,
};
use crate::time::SimDuration;

/// Most capacity providers in a strategy, and so per arm (docs/reference/ecs-facts.md §5.1, newer
/// API reference).
pub const MAX_PROVIDERS: usize = 20;
/// `capacity_provider_strategy` `base` range (docs/reference/ecs-facts.md §5.1).
pub const MAX_BASE: i64 = 100_000;
/// `capacity_provider_strategy` `weight` range (docs/reference/ecs-facts.md §5.1).
pub const MAX_WEIGHT: i64 = 1000;
/// `managed_scaling` step sizes range (docs/reference/ecs-facts.md §5.3).
pub const MAX_SCALING_STEP: i64 = 10_000;
/// Longest `instance_warmup_period` (docs/reference/ecs-facts.md §5.3), seconds.
pub const MAX_WARMUP_SECS: u64 = 10_000;

/// The keys of one EC2 capacity provider, from `[[arm.capacity_providers]]` or (for an arm's
/// single implicit provider) from the arm itself.
struct ProviderKeys<'r> {
    /// Provider name.
    name: String,
    /// Who owns the keys, for messages: "arm `x`" or "provider `p` of arm `x`".
    who: String,
    /// Key prefix in messages: `arm` or `arm.capacity_providers`.
    key: &'static str,
    /// Where to point when a required key is missing.
    at: Range<usize>,
    instance_types: Option<&'r Spanned<Vec<Spanned<String>>>>,
    capacity: Option<&'r Spanned<RawCapacity>>,
    purchase: Option<&'r Spanned<String>>,
    spot_interruptions_per_hour: Option<&'r Spanned<f64>>,
    instance_launch_latency: Option<&'r Spanned<RawDistribution>>,
}

impl Validator<'_> {
    /// The arm's EC2 capacity providers: `[[arm.capacity_providers]]`, or one named after the
    /// arm from the arm's own keys.
    pub(super) fn providers(
        &mut self,
        a: &RawArm,
        name: &str,
        catalog: &Catalog,
        pricing: &Pricing,
    ) -> R<Vec<Ec2Provider>> {
        let Some(list) = &a.capacity_providers else {
            let keys = ProviderKeys {
                name: name.to_string(),
                who: format!("arm `{name}`"),
                key: "arm",
                at: a.name.span(),
                instance_types: a.instance_types.as_ref(),
                capacity: a.capacity.as_ref(),
                purchase: a.purchase.as_ref(),
                spot_interruptions_per_hour: a.spot_interruptions_per_hour.as_ref(),
                instance_launch_latency: a.instance_launch_latency.as_ref(),
            };
            return Ok(vec![self.provider(keys, catalog, pricing)?]);
        };
        let arm_level: [(&str, Option<Range<usize>>); 5] = [
            (
                "instance_types",
                a.instance_types.as_ref().map(Spanned::span),
            ),
            ("capacity", a.capacity.as_ref().map(Spanned::span)),
            ("purchase", a.purchase.as_ref().map(Spanned::span)),
            (
                "spot_interruptions_per_hour",
                a.spot_interruptions_per_hour.as_ref().map(Spanned::span),
            ),
            (
                "instance_launch_latency",
                a.instance_launch_latency.as_ref().map(Spanned::span),
            ),
        ];
        for (key, span) in arm_level {
            if let Some(span) = span {
                return Err(self.err(
                    span,
                    format!("`arm.{key}`: arm `{name}` has [[arm.capacity_providers]]; set it per provider in [[arm.capacity_providers]]"),
                ));
            }
        }
        if list.is_empty() {
            return Err(self.err(
                a.name.span(),
                format!("arm `{name}`: `capacity_providers` is empty; expected at least one [[arm.capacity_providers]] (or none, and the arm's own instance_types and capacity)"),
            ));
        }
        if let Some(extra) = list.get(MAX_PROVIDERS) {
            return Err(self.err(
                extra.span(),
                format!("arm `{name}`: more than {MAX_PROVIDERS} [[arm.capacity_providers]]; ECS allows at most {MAX_PROVIDERS} providers in a strategy (docs/reference/ecs-facts.md §5.1)"),
            ));
        }
        let mut out: Vec<Ec2Provider> = Vec::new();
        for p in list {
            let r = p.get_ref();
            let pname = r.name.get_ref().trim().to_string();
            if pname.is_empty() || pname == "FARGATE" || pname == "FARGATE_SPOT" {
                return Err(self.err(
                    r.name.span(),
                    format!("`arm.capacity_providers.name`: found `{pname}`; expected a non-empty name other than `FARGATE` and `FARGATE_SPOT` (those are the Fargate providers)"),
                ));
            }
            if out.iter().any(|o| o.name == pname) {
                return Err(self.err(
                    r.name.span(),
                    format!("`arm.capacity_providers.name`: `{pname}` is used by another provider of arm `{name}`; expected unique names"),
                ));
            }
            let keys = ProviderKeys {
                who: format!("provider `{pname}` of arm `{name}`"),
                name: pname,
                key: "arm.capacity_providers",
                at: r.name.span(),
                instance_types: r.instance_types.as_ref(),
                capacity: r.capacity.as_ref(),
                purchase: r.purchase.as_ref(),
                spot_interruptions_per_hour: r.spot_interruptions_per_hour.as_ref(),
                instance_launch_latency: r.instance_launch_latency.as_ref(),
            };
            out.push(self.provider(keys, catalog, pricing)?);
        }
        Ok(out)
    }

    fn provider(
        &mut self,
        k: ProviderKeys<'_>,
        catalog: &Catalog,
        pricing: &Pricing,
    ) -> R<Ec2Provider> {
        let (key, who) = (k.key, &k.who);
        let what = if key == "arm" {
            "an EC2 arm"
        } else {
            "a capacity provider"
        };
        let types_raw = k.instance_types.ok_or_else(|| {
            self.err(k.at.clone(), format!("{who}: `instance_types` is required for {what}; expected e.g. instance_types = [\"m5.xlarge\"]"))
        })?;
        if types_raw.get_ref().is_empty() {
            return Err(self.err(
                types_raw.span(),
                format!("`{key}.instance_types`: empty; expected at least one instance type"),
            ));
        }
        let mut instance_types: Vec<InstanceType> = Vec::new();
        for t in types_raw.get_ref() {
            let it = catalog.get(t.get_ref()).ok_or_else(|| {
                let near = suggest(t.get_ref(), catalog.names());
                self.err(t.span(), format!(
                    "`{key}.instance_types`: unknown instance type `{}`{near}; expected a catalog type (see `sim catalog instance-types`) or one defined in [[instance_type]]",
                    t.get_ref()
                ))
            })?;
            if instance_types.iter().any(|x| x.name == it.name) {
                return Err(self.err(
                    t.span(),
                    format!("`{key}.instance_types`: `{}` is listed twice", it.name),
                ));
            }
            instance_types.push(it.clone());
        }
        let cap = k.capacity.ok_or_else(|| {
            self.err(k.at.clone(), format!("{who}: `capacity` is required for {what}; expected capacity = {{ fixed = N }} or capacity = {{ min = A, max = B }} (managed scaling)"))
        })?;
        let capacity = self.capacity(cap, key)?;
        let spot = match k.purchase {
            None => false,
            Some(p) => match p.get_ref().as_str() {
                "on-demand" => false,
                "spot" => true,
                other => {
                    return Err(self.err(
                        p.span(),
                        format!(
                            "`{key}.purchase`: found `{other}`; expected `on-demand` or `spot`"
                        ),
                    ));
                }
            },
        };
        let interruptions_per_hour = match k.spot_interruptions_per_hour {
            Some(r) if !spot => {
                return Err(self.err(
                    r.span(),
                    format!("`{key}.spot_interruptions_per_hour` applies to purchase = \"spot\", and {who} is on-demand; expected purchase = \"spot\" or no spot_interruptions_per_hour"),
                ));
            }
            Some(r) => self.interruption_rate(r, key, "instance-hour")?,
            None => 0.0,
        };
        let purchase = match (spot, k.purchase) {
            (true, Some(p)) => Purchase::Spot {
                discount: pricing.ec2_spot_discount.ok_or_else(|| {
                    self.err(p.span(), format!("{who}: purchase = \"spot\" needs the EC2 Spot discount, which has no reference default; set `[pricing] spot_discount` (the fraction off the on-demand price, e.g. 0.65)"))
                })?,
                interruptions_per_hour,
            },
            _ => Purchase::OnDemand,
        };
        let instance_launch_latency = match k.instance_launch_latency {
            Some(d) => {
                if matches!(capacity, Capacity::Fixed(_)) && purchase == Purchase::OnDemand {
                    self.warnings.push(format!("{who}: instance_launch_latency has no effect with fixed on-demand capacity (the fleet is registered at time 0 and never replaced)"));
                }
                self.distribution(d, &format!("{key}.instance_launch_latency"), false)?
            }
            None => INSTANCE_LAUNCH,
        };
        Ok(Ec2Provider {
            name: k.name,
            instance_types,
            capacity,
            purchase,
            instance_launch_latency,
        })
    }

    /// `capacity = { fixed = N }` or `{ min, max, managed_scaling }`.
    fn capacity(&self, cap: &Spanned<RawCapacity>, key: &str) -> R<Capacity> {
        let c = cap.get_ref();
        let k = format!("{key}.capacity");
        if let Some(f) = &c.fixed {
            let other = c
                .min
                .as_ref()
                .map(|x| ("min", x.span()))
                .or_else(|| c.max.as_ref().map(|x| ("max", x.span())))
                .or_else(|| {
                    c.managed_scaling
                        .as_ref()
                        .map(|x| ("managed_scaling", x.span()))
                });
            if let Some((other, span)) = other {
                return Err(self.err(
                    span,
                    format!("`{k}`: `fixed` together with `{other}`; expected either {{ fixed = N }} (a fixed fleet) or {{ min = A, max = B, managed_scaling = {{ .. }} }} (managed scaling)"),
                ));
            }
            let n = self.int_in(f, &format!("{k}.fixed"), 1, MAX_FIXED_INSTANCES)?;
            return Ok(Capacity::Fixed(n));
        }
        let Some(max_raw) = &c.max else {
            let msg = if c.min.is_some() || c.managed_scaling.is_some() {
                format!(
                    "`{k}`: `max` is required for managed scaling; expected {{ min = A, max = B }} with 1 <= B <= {MAX_FIXED_INSTANCES}"
                )
            } else {
                format!(
                    "`{k}`: expected {{ fixed = N }} with N >= 1, or {{ min = A, max = B }} for managed scaling"
                )
            };
            return Err(self.err(cap.span(), msg));
        };
        let max = self.int_in(max_raw, &format!("{k}.max"), 1, MAX_FIXED_INSTANCES)?;
        let min = match &c.min {
            Some(m) => {
                let v = self.int_in(m, &format!("{k}.min"), 0, MAX_FIXED_INSTANCES)?;
                if v > max {
                    return Err(self.err(
                        m.span(),
                        format!("`{k}.min`: found {v}; expected at most `max` ({max})"),
                    ));
                }
                v
            }
            None => 0,
        };
        let scaling = match &c.managed_scaling {
            Some(ms) => self.managed_scaling(ms.get_ref(), &format!("{k}.managed_scaling"))?,
            None => ManagedScaling::default(),
        };
        Ok(Capacity::Managed { min, max, scaling })
    }

    fn managed_scaling(&self, m: &RawManagedScaling, k: &str) -> R<ManagedScaling> {
        let d = ManagedScaling::default();
        let target_capacity = match &m.target_capacity {
            Some(t) => self.int_in(t, &format!("{k}.target_capacity"), 1, 100)?,
            None => d.target_capacity,
        };
        let minimum_scaling_step_size = match &m.minimum_scaling_step_size {
            Some(s) => self.int_in(
                s,
                &format!("{k}.minimum_scaling_step_size"),
                1,
                MAX_SCALING_STEP,
            )?,
            None => d.minimum_scaling_step_size,
        };
        let maximum_scaling_step_size = match &m.maximum_scaling_step_size {
            Some(s) => {
                let v = self.int_in(
                    s,
                    &format!("{k}.maximum_scaling_step_size"),
                    1,
                    MAX_SCALING_STEP,
                )?;
                if v < minimum_scaling_step_size {
                    return Err(self.err(
                        s.span(),
                        format!("`{k}.maximum_scaling_step_size`: found {v}; expected at least `minimum_scaling_step_size` ({minimum_scaling_step_size})"),
                    ));
                }
                v
            }
            None => d.maximum_scaling_step_size,
        };
        let instance_warmup_period = match &m.instance_warmup_period {
            Some(w) => {
                let v = w.get_ref().0;
                if v > SimDuration::from_secs(MAX_WARMUP_SECS) {
                    return Err(self.err(
                        w.span(),
                        format!("`{k}.instance_warmup_period`: found {v}; expected a duration of at most {MAX_WARMUP_SECS} s"),
                    ));
                }
                v
            }
            None => d.instance_warmup_period,
        };
        Ok(ManagedScaling {
            target_capacity,
            minimum_scaling_step_size,
            maximum_scaling_step_size,
            instance_warmup_period,
        })
    }

    /// `capacity_provider_strategy`, or the arm's default strategy.
    pub(super) fn provider_strategy(
        &self,
        a: &RawArm,
        name: &str,
        kind: &ArmKind,
    ) -> R<Vec<ProviderShare>> {
        let fargate_spot = a.launch_type.get_ref() == "FARGATE_SPOT";
        let names: Vec<&str> = match kind {
            ArmKind::Ec2(e) => e.providers.iter().map(|p| p.name.as_str()).collect(),
            ArmKind::Fargate(_) => vec!["FARGATE", "FARGATE_SPOT"],
            ArmKind::ManagedInstances(_) | ArmKind::External(_) => Vec::new(),
        };
        let share = |provider| ProviderShare {
            provider,
            base: 0,
            weight: 1,
        };
        let Some(list) = &a.capacity_provider_strategy else {
            return match kind {
                ArmKind::Fargate(_) if fargate_spot => Ok(vec![share(FARGATE_SPOT)]),
                ArmKind::Fargate(_) => Ok(vec![share(FARGATE)]),
                ArmKind::Ec2(e) if e.providers.len() == 1 => Ok(vec![share(0)]),
                ArmKind::ManagedInstances(_) | ArmKind::External(_) => Ok(vec![share(0)]),
                ArmKind::Ec2(_) => Err(self.err(
                    a.name.span(),
                    format!(
                        "arm `{name}` has {} capacity providers ({}) but no `capacity_provider_strategy`; expected one to say how tasks are split, e.g. capacity_provider_strategy = [{}]",
                        names.len(),
                        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                        names.iter().map(|n| format!("{{ provider = \"{n}\", weight = 1 }}")).collect::<Vec<_>>().join(", "),
                    ),
                )),
            };
        };
        const K: &str = "arm.capacity_provider_strategy";
        if fargate_spot {
            return Err(self.err(
                list.span(),
                format!("`{K}`: launch_type = \"FARGATE_SPOT\" already means [{{ provider = \"FARGATE_SPOT\", weight = 1 }}]; expected launch_type = \"FARGATE\" with a strategy, or no strategy"),
            ));
        }
        let entries: &[Spanned<RawShare>] = list.get_ref();
        if entries.is_empty() {
            return Err(self.err(
                list.span(),
                format!("`{K}`: empty; expected at least one {{ provider, base, weight }}"),
            ));
        }
        if let Some(extra) = entries.get(MAX_PROVIDERS) {
            return Err(self.err(
                extra.span(),
                format!("`{K}`: more than {MAX_PROVIDERS} entries; ECS allows at most {MAX_PROVIDERS} capacity providers in a strategy (docs/reference/ecs-facts.md §5.1)"),
            ));
        }
        let mut out: Vec<ProviderShare> = Vec::new();
        let mut with_base: Option<&str> = None;
        for e in entries {
            let r = e.get_ref();
            let pname = r.provider.get_ref().trim();
            let provider = match names.iter().position(|n| *n == pname) {
                Some(i) => i,
                None => {
                    let near = suggest(pname, names.iter().copied());
                    let msg = match kind {
                        ArmKind::Ec2(_) if pname == "FARGATE" || pname == "FARGATE_SPOT" => {
                            format!(
                                "`{K}`: `{pname}` is a Fargate provider and arm `{name}` is an EC2 arm; a strategy may mix only Auto Scaling group providers or only Fargate providers, docs/reference/ecs-facts.md §5.1; expected one of {}",
                                names
                                    .iter()
                                    .map(|n| format!("`{n}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        }
                        ArmKind::Ec2(_) => format!(
                            "`{K}`: unknown provider `{pname}`{near}; expected one of the arm's capacity providers: {}",
                            names
                                .iter()
                                .map(|n| format!("`{n}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        ArmKind::ManagedInstances(_) | ArmKind::External(_) => format!(
                            "`{K}`: arm `{name}` is {}, which has no capacity provider strategy in sim; expected no `capacity_provider_strategy`",
                            a.launch_type.get_ref()
                        ),
                        ArmKind::Fargate(_) => format!(
                            "`{K}`: unknown provider `{pname}`{near} on a Fargate arm; expected `FARGATE` or `FARGATE_SPOT` (a strategy may mix only Auto Scaling group providers or only Fargate providers, docs/reference/ecs-facts.md §5.1)"
                        ),
                    };
                    return Err(self.err(r.provider.span(), msg));
                }
            };
            if out.iter().any(|s| s.provider == provider) {
                return Err(self.err(
                    r.provider.span(),
                    format!("`{K}`: provider `{pname}` is listed twice; expected each provider at most once"),
                ));
            }
            let base = match &r.base {
                Some(b) => {
                    let v = self.int_in(b, &format!("{K}.base"), 0, MAX_BASE)?;
                    if v > 0 {
                        if let Some(prev) = with_base {
                            return Err(self.err(
                                b.span(),
                                format!("`{K}.base`: both `{prev}` and `{pname}` have base > 0; ECS allows a base on only one provider of a strategy (docs/reference/ecs-facts.md §5.1)"),
                            ));
                        }
                        with_base = Some(pname);
                    }
                    v
                }
                None => 0,
            };
            let weight = match &r.weight {
                Some(w) => self.int_in(w, &format!("{K}.weight"), 0, MAX_WEIGHT)?,
                None => 0,
            };
            out.push(ProviderShare {
                provider,
                base,
                weight,
            });
        }
        if out.iter().all(|s| s.weight == 0) {
            return Err(self.err(
                list.span(),
                format!("`{K}`: every weight is 0 (weight defaults to 0, as in the ECS API); at least one provider needs weight > 0; ECS refuses all-zero weights"),
            ));
        }
        Ok(out)
    }
}
