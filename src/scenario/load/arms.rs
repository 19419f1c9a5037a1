//! Validating `[[arm]]`: launch type, capacity providers (fixed or managed, on-demand or
//! Spot), the capacity-provider strategy, zones and subnets.

use std::collections::BTreeSet;
use std::ops::Range;

use toml::Spanned;

use super::defaults::{EC2_AWSVPC_TASK_START, EC2_TASK_START, FARGATE_TASK_START, INSTANCE_LAUNCH};
use super::sizes::Floor;
use super::{R, Validator, suggest};
use crate::model::{Architecture, Catalog, InstanceType, NetworkMode, Pricing};
use crate::placement::PlacementStrategy;
use crate::scenario::duration::describe;
use crate::scenario::limits::{MAX_FIXED_INSTANCES, MAX_STRATEGIES};
use crate::scenario::raw::{
    RawArm, RawCapacity, RawDistribution, RawManagedScaling, RawShare, RawStrategy,
};
use crate::scenario::size::Resource;
use crate::scenario::{
    Arm, ArmKind, Capacity, Ec2Arm, Ec2Provider, FARGATE, FARGATE_SPOT, FargateArm, ManagedScaling,
    OnInterruption, OnNoCapacity, ProviderShare, Purchase,
};
use crate::time::SimDuration;

/// Most capacity providers in a strategy, and so per arm (docs/reference/ecs-facts.md §5.1, newer
/// API reference).
pub const MAX_PROVIDERS: usize = 20;
/// `capacity_provider_strategy` `base` range (docs/reference/ecs-facts.md §5.1).
pub const MAX_BASE: i64 = 100_000;
/// `capacity_provider_strategy` `weight` range (docs/reference/ecs-facts.md §5.1).
pub const MAX_WEIGHT: i64 = 1000;
/// Most Spot interruptions per instance-hour (or task-hour) a scenario may state.
pub const MAX_INTERRUPTIONS_PER_HOUR: f64 = 60.0;
/// Largest `fargate_vcpu_quota`.
pub const MAX_FARGATE_VCPU_QUOTA: i64 = 1_000_000;
/// Largest `subnet_ips` per zone (a /8 subnet).
pub const MAX_SUBNET_IPS: i64 = 16_777_216;
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

/// Whether `v` is finite and in `lo..=hi`.
fn in_range(v: f64, lo: f64, hi: f64) -> bool {
    v.is_finite() && v >= lo && v <= hi
}

impl Validator<'_> {
    pub(super) fn arm(
        &mut self,
        s: &Spanned<RawArm>,
        catalog: &Catalog,
        pricing: &Pricing,
    ) -> R<Arm> {
        let a = s.get_ref();
        let name = a.name.get_ref().trim().to_string();
        if name.is_empty() || name.contains([',', '/', '\\']) {
            return Err(self.err(
                a.name.span(),
                format!(
                    "`arm.name`: found `{name}`; expected a non-empty name without `,`, `/` or `\\`"
                ),
            ));
        }
        let on_no_capacity = match &a.on_no_capacity {
            None => OnNoCapacity::Queue,
            Some(v) => match v.get_ref().as_str() {
                "queue" => OnNoCapacity::Queue,
                "fail" => OnNoCapacity::Fail,
                other => {
                    return Err(self.err(
                        v.span(),
                        format!(
                            "`arm.on_no_capacity`: found `{other}`; expected `queue` or `fail`"
                        ),
                    ));
                }
            },
        };
        let on_interruption = match &a.on_interruption {
            None => OnInterruption::Restart,
            Some(v) => match v.get_ref().as_str() {
                "restart" => OnInterruption::Restart,
                "lose" => OnInterruption::Lose,
                other => {
                    return Err(self.err(
                        v.span(),
                        format!(
                            "`arm.on_interruption`: found `{other}`; expected `restart` or `lose`"
                        ),
                    ));
                }
            },
        };
        let launch_type = a.launch_type.get_ref().as_str();
        let zones = self.zones(a, pricing)?;
        let (kind, default_start) = match launch_type {
            "EC2" => {
                let ec2 = self.ec2(a, &name, catalog, pricing)?;
                let d = if ec2.network_mode == NetworkMode::Awsvpc {
                    EC2_AWSVPC_TASK_START
                } else {
                    EC2_TASK_START
                };
                (ArmKind::Ec2(ec2), d)
            }
            "FARGATE" | "FARGATE_SPOT" => (
                ArmKind::Fargate(self.fargate(a, pricing)?),
                FARGATE_TASK_START,
            ),
            other => {
                return Err(self.err(
                    a.launch_type.span(),
                    format!(
                        "`arm.launch_type`: found `{other}`; expected `EC2`, `FARGATE` or `FARGATE_SPOT`"
                    ),
                ));
            }
        };
        let provider_strategy = self.provider_strategy(a, &name, &kind)?;
        let runs = |p: usize| {
            provider_strategy
                .iter()
                .any(|s| s.provider == p && (s.weight > 0 || s.base > 0))
        };
        let any_spot = match &kind {
            ArmKind::Ec2(e) => {
                for (i, p) in e.providers.iter().enumerate() {
                    if !runs(i) {
                        self.warnings.push(format!(
                            "arm `{name}`: capacity provider `{}` has no entry with weight > 0 or base > 0 in capacity_provider_strategy, so it runs no tasks",
                            p.name
                        ));
                    }
                }
                e.providers
                    .iter()
                    .any(|p| matches!(p.purchase, Purchase::Spot { .. }))
            }
            ArmKind::Fargate(_) => {
                if let Some(r) = &a.spot_interruptions_per_hour
                    && !runs(FARGATE_SPOT)
                {
                    return Err(self.err(
                        r.span(),
                        format!("`arm.spot_interruptions_per_hour` applies to FARGATE_SPOT tasks, and arm `{name}` runs none; expected a FARGATE_SPOT entry with weight > 0 in `capacity_provider_strategy`, or launch_type = \"FARGATE_SPOT\""),
                    ));
                }
                runs(FARGATE_SPOT)
            }
        };
        if a.on_interruption.is_some() && !any_spot {
            self.warnings.push(format!(
                "arm `{name}`: on_interruption has no effect without Spot capacity (purchase = \"spot\" or FARGATE_SPOT)"
            ));
        }
        let subnet_ips = self.subnet_ips(a, &zones, &kind)?;
        if let (ArmKind::Fargate(_), Some(_), None) = (&kind, &a.availability_zones, &subnet_ips) {
            self.warnings.push(format!(
                "arm `{name}`: availability_zones has no effect on a Fargate arm without subnet_ips (Fargate capacity is not per zone in sim; zones matter only for their subnet addresses)"
            ));
        }
        let task_start_latency = match &a.task_start_latency {
            Some(d) => self.distribution(d, "arm.task_start_latency", false)?,
            None => default_start,
        };
        Ok(Arm {
            name,
            kind,
            task_start_latency,
            on_no_capacity,
            provider_strategy,
            on_interruption,
            zones,
            subnet_ips,
        })
    }

    fn fargate(&self, a: &RawArm, pricing: &Pricing) -> R<FargateArm> {
        let ec2_only: [(&str, Option<Range<usize>>); 8] = [
            (
                "instance_types",
                a.instance_types.as_ref().map(|x| x.span()),
            ),
            ("network_mode", a.network_mode.as_ref().map(|x| x.span())),
            ("eni_trunking", a.eni_trunking.as_ref().map(|x| x.span())),
            (
                "placement_strategy",
                a.placement_strategy.as_ref().map(|x| x.span()),
            ),
            (
                "placement_constraints",
                a.placement_constraints.as_ref().map(|x| x.span()),
            ),
            ("capacity", a.capacity.as_ref().map(|x| x.span())),
            (
                "capacity_providers",
                a.capacity_providers
                    .as_ref()
                    .map(|x| x.first().map_or(a.name.span(), Spanned::span)),
            ),
            (
                "reserved_memory_mib",
                a.reserved_memory_mib.as_ref().map(|x| x.span()),
            ),
        ];
        for (key, span) in ec2_only {
            if let Some(span) = span {
                return Err(self.err(span, format!("`arm.{key}` applies to EC2 arms only; Fargate has no instances to configure (placement strategies and constraints are not supported on Fargate, docs/reference/ecs-facts.md §1.7)")));
            }
        }
        if let Some(l) = &a.instance_launch_latency {
            return Err(self.err(l.span(), "`arm.instance_launch_latency` applies to EC2 arms only; use `task_start_latency` for Fargate"));
        }
        if let Some(p) = &a.purchase {
            return Err(self.err(p.span(), "`arm.purchase` applies to EC2 arms only; for Fargate Spot use launch_type = \"FARGATE_SPOT\" or a FARGATE_SPOT entry in `capacity_provider_strategy`"));
        }
        let architecture =
            match &a.cpu_architecture {
                None => Architecture::X86_64,
                Some(v) => match v.get_ref().as_str() {
                    "X86_64" => Architecture::X86_64,
                    "ARM64" => Architecture::Arm64,
                    other => return Err(self.err(
                        v.span(),
                        format!(
                            "`arm.cpu_architecture`: found `{other}`; expected `X86_64` or `ARM64`"
                        ),
                    )),
                },
            };
        let spot_interruptions_per_hour = match &a.spot_interruptions_per_hour {
            Some(r) => self.interruption_rate(r, "arm", "task-hour")?,
            None => 0.0,
        };
        let vcpu_quota = match &a.fargate_vcpu_quota {
            Some(q) => Some(self.int_in(q, "arm.fargate_vcpu_quota", 1, MAX_FARGATE_VCPU_QUOTA)?),
            None => None,
        };
        Ok(FargateArm {
            architecture,
            spot_discount: pricing.fargate_spot_discount,
            spot_interruptions_per_hour,
            vcpu_quota,
        })
    }

    /// Spot interruptions per hour: a finite number in 0..=60.
    fn interruption_rate(&self, r: &Spanned<f64>, key: &str, per: &str) -> R<f64> {
        let v = *r.get_ref();
        if !in_range(v, 0.0, MAX_INTERRUPTIONS_PER_HOUR) {
            return Err(self.err(
                r.span(),
                format!("`{key}.spot_interruptions_per_hour`: found {v}; expected a number in 0..={MAX_INTERRUPTIONS_PER_HOUR} (interruptions per {per})"),
            ));
        }
        Ok(v)
    }

    /// The arm's availability zones (default: the region's zones a, b and c).
    fn zones(&self, a: &RawArm, pricing: &Pricing) -> R<Vec<String>> {
        let zones = match &a.availability_zones {
            Some(z) => {
                let list: Vec<String> = z
                    .get_ref()
                    .iter()
                    .map(|s| s.get_ref().trim().to_string())
                    .collect();
                if list.is_empty() || list.len() > 64 || list.iter().any(String::is_empty) {
                    return Err(self.err(
                        z.span(),
                        "`arm.availability_zones`: expected 1 to 64 non-empty zone names",
                    ));
                }
                let uniq: BTreeSet<&String> = list.iter().collect();
                if uniq.len() != list.len() {
                    return Err(self.err(
                        z.span(),
                        "`arm.availability_zones`: a zone is listed twice; expected distinct zones",
                    ));
                }
                list
            }
            None => ["a", "b", "c"]
                .iter()
                .map(|s| format!("{}{s}", pricing.region))
                .collect(),
        };
        Ok(zones)
    }

    /// `subnet_ips`: one count for every zone, or a table with exactly the arm's zones.
    fn subnet_ips(&self, a: &RawArm, zones: &[String], kind: &ArmKind) -> R<Option<Vec<u32>>> {
        let Some(v) = &a.subnet_ips else {
            return Ok(None);
        };
        if let ArmKind::Ec2(e) = kind
            && e.network_mode != NetworkMode::Awsvpc
        {
            return Err(self.err(
                v.span(),
                format!("`arm.subnet_ips`: subnet_ips applies to awsvpc tasks (each takes an IP address of its zone's subnet), and this arm's network_mode is {}; expected network_mode = \"awsvpc\" or no subnet_ips", e.network_mode),
            ));
        }
        let list = || {
            zones
                .iter()
                .map(|z| format!("`{z}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let count = |x: &toml::Value, key: &str| -> R<u32> {
            match x {
                toml::Value::Integer(i) if (0..=MAX_SUBNET_IPS).contains(i) => Ok(*i as u32),
                other => Err(self.err(
                    v.span(),
                    format!(
                        "`{key}`: found {}; expected an integer in 0..={MAX_SUBNET_IPS} (free IP addresses)",
                        describe(other)
                    ),
                )),
            }
        };
        match v.get_ref() {
            toml::Value::Table(t) => {
                for k in t.keys() {
                    if !zones.contains(k) {
                        let near = suggest(k, zones.iter().map(String::as_str));
                        return Err(self.err(
                            v.span(),
                            format!("`arm.subnet_ips`: unknown zone `{k}`{near}; expected the arm's zones: {}", list()),
                        ));
                    }
                }
                let mut out = Vec::with_capacity(zones.len());
                for z in zones {
                    match t.get(z) {
                        Some(x) => out.push(count(x, &format!("arm.subnet_ips.\"{z}\""))?),
                        None => {
                            return Err(self.err(
                                v.span(),
                                format!("`arm.subnet_ips`: no entry for zone `{z}`; expected one for each of the arm's zones ({}), or one integer for all", list()),
                            ));
                        }
                    }
                }
                Ok(Some(out))
            }
            toml::Value::Integer(_) => Ok(Some(vec![count(v.get_ref(), "arm.subnet_ips")?; zones.len()])),
            other => Err(self.err(
                v.span(),
                format!(
                    "`arm.subnet_ips`: found {}; expected an integer (free addresses in each zone) or a table such as {{ \"us-east-1a\" = 250, \"us-east-1b\" = 100 }}",
                    describe(other)
                ),
            )),
        }
    }

    fn ec2(&mut self, a: &RawArm, name: &str, catalog: &Catalog, pricing: &Pricing) -> R<Ec2Arm> {
        if let Some(c) = &a.cpu_architecture {
            return Err(self.err(c.span(), "`arm.cpu_architecture` applies to FARGATE arms; an EC2 arm's architecture comes from its instance types"));
        }
        if let Some(q) = &a.fargate_vcpu_quota {
            return Err(self.err(
                q.span(),
                "`arm.fargate_vcpu_quota` applies to FARGATE arms only; an EC2 arm's capacity is its instances",
            ));
        }
        let providers = self.providers(a, name, catalog, pricing)?;
        let network_mode = match &a.network_mode {
            None => NetworkMode::Bridge,
            Some(m) => match m.get_ref().as_str() {
                "awsvpc" => NetworkMode::Awsvpc,
                "bridge" => NetworkMode::Bridge,
                "host" => NetworkMode::Host,
                other => return Err(self.err(
                    m.span(),
                    format!(
                        "`arm.network_mode`: found `{other}`; expected `awsvpc`, `bridge` or `host`"
                    ),
                )),
            },
        };
        // Every instance type of the arm, once, in provider order.
        let mut types: Vec<&InstanceType> = Vec::new();
        for t in providers.iter().flat_map(|p| &p.instance_types) {
            if !types.iter().any(|x| x.name == t.name) {
                types.push(t);
            }
        }
        let eni_trunking = a.eni_trunking.as_ref().is_some_and(|t| *t.get_ref());
        if eni_trunking {
            if network_mode != NetworkMode::Awsvpc {
                self.warnings.push(format!("arm `{name}`: eni_trunking has no effect in {network_mode} network mode (it applies to awsvpc)"));
            }
            for t in types.iter().filter(|t| t.trunk_tasks.is_none()) {
                self.warnings.push(format!(
                    "arm `{name}`: instance type `{}` does not support ENI trunking; it keeps {} awsvpc tasks per instance",
                    t.name,
                    t.awsvpc_task_slots(false)
                ));
            }
        }
        let strategy = match &a.placement_strategy {
            Some(list) => self.placement_strategy(list, "arm.placement_strategy")?,
            None => None,
        };
        let constraints = match &a.placement_constraints {
            Some(c) => self.constraints(c.get_ref(), "arm.placement_constraints")?,
            None => Vec::new(),
        };
        let reserved_memory_mib = match &a.reserved_memory_mib {
            Some(r) => self.size(
                r,
                "arm.reserved_memory_mib",
                &format!("arm `{name}`"),
                Resource::Memory,
                0,
                1 << 20,
                Floor::Free,
            )?,
            None => 0,
        };
        for t in &types {
            if reserved_memory_mib >= t.registered_memory_mib {
                return Err(self.err(
                    a.reserved_memory_mib.as_ref().map_or(a.name.span(), |r| r.span()),
                    format!("`arm.reserved_memory_mib`: {reserved_memory_mib} MiB leaves nothing of `{}`'s {} MiB; expected less", t.name, t.registered_memory_mib),
                ));
            }
        }
        Ok(Ec2Arm {
            providers,
            network_mode,
            eni_trunking,
            strategy,
            constraints,
            reserved_memory_mib,
        })
    }

    /// A placement strategy chain (`None` for an empty list: ECS's default applies).
    pub(super) fn placement_strategy(
        &self,
        list: &Spanned<Vec<Spanned<RawStrategy>>>,
        key: &str,
    ) -> R<Option<Vec<PlacementStrategy>>> {
        if list.get_ref().is_empty() {
            return Ok(None);
        }
        if let Some(extra) = list.get_ref().get(MAX_STRATEGIES) {
            return Err(self.err(extra.span(), format!("`{key}`: more than {MAX_STRATEGIES} strategies; ECS allows at most {MAX_STRATEGIES}")));
        }
        let mut out = Vec::new();
        for st in list.get_ref() {
            let r = st.get_ref();
            out.push(
                PlacementStrategy::from_api(&r.kind, r.field.as_deref())
                    .map_err(|m| self.err(st.span(), format!("`{key}`: {m}")))?,
            );
        }
        Ok(Some(out))
    }

    /// The arm's EC2 capacity providers: `[[arm.capacity_providers]]`, or one named after the
    /// arm from the arm's own keys.
    fn providers(
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
    fn provider_strategy(&self, a: &RawArm, name: &str, kind: &ArmKind) -> R<Vec<ProviderShare>> {
        let fargate_spot = a.launch_type.get_ref() == "FARGATE_SPOT";
        let names: Vec<&str> = match kind {
            ArmKind::Ec2(e) => e.providers.iter().map(|p| p.name.as_str()).collect(),
            ArmKind::Fargate(_) => vec!["FARGATE", "FARGATE_SPOT"],
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
