//! Validating `[[arm]]`: launch type, Fargate settings, EC2 instance settings, zones and subnets,
//! the placement strategy; the EC2 capacity providers and the capacity-provider strategy are in
//! `capacity_providers.rs`.

use std::collections::BTreeSet;
use std::ops::Range;

use toml::Spanned;

use super::defaults::{EC2_AWSVPC_TASK_START, EC2_TASK_START, FARGATE_TASK_START};
use super::sizes::Floor;
use super::{R, Validator, suggest};
use crate::model::{Architecture, Catalog, InstanceType, NetworkMode, Pricing};
use crate::placement::PlacementStrategy;
use crate::scenario::duration::describe;
use crate::scenario::limits::MAX_STRATEGIES;
use crate::scenario::raw::{RawArm, RawStrategy};
use crate::scenario::size::Resource;
use crate::scenario::{
    Arm, ArmKind, Ec2Arm, FARGATE_SPOT, FargateArm, OnInterruption, OnNoCapacity, Purchase,
};

/// Most Spot interruptions per instance-hour (or task-hour) a scenario may state.
pub const MAX_INTERRUPTIONS_PER_HOUR: f64 = 60.0;
/// Largest `fargate_vcpu_quota`.
pub const MAX_FARGATE_VCPU_QUOTA: i64 = 1_000_000;
/// Largest `subnet_ips` per zone (a /8 subnet).
pub const MAX_SUBNET_IPS: i64 = 16_777_216;

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
            ArmKind::ManagedInstances(_) | ArmKind::External(_) => false,
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
            assign_public_ip: a.assign_public_ip.as_ref().is_some_and(|v| *v.get_ref()),
            nat_gateways: match &a.nat_gateways {
                Some(v) => self.int_in(v, "arm.nat_gateways", 0, 64)?,
                None => 0,
            },
            os: self.os_key(&a.os, "arm.os")?.unwrap_or_default(),
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
    pub(super) fn interruption_rate(&self, r: &Spanned<f64>, key: &str, per: &str) -> R<f64> {
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
}
