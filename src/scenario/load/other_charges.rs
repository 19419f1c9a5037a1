//! Validating the charges besides compute (docs/model.md §18): `[pricing] public_ipv4_hour`,
//! `alb_hour`, `alb_lcu_hour`, `nat_gb` and `include_shared_costs`; an arm's
//! `assign_public_ip`; a service's `load_balancer`; a job's or service's
//! `nat_gb_per_task_hour`. A rate the region has no built-in value for
//! ([`builtin_rates`]) must be given when an arm or the workload needs it.

use std::ops::Range;

use toml::Spanned;

use super::{R, Validator};
use crate::model::other_charges::{
    LoadBalancer, OtherCharges, RATES, Rate, RateSource, builtin_rates,
};
use crate::scenario::raw::{RawLoadBalancer, RawScenario};
use crate::scenario::{Arm, ArmKind};

/// Largest rate, traffic figure or GB per task-hour a scenario may state (far above any real
/// one; it keeps every product finite).
pub const MAX_OTHER_CHARGE_VALUE: f64 = 1e9;

/// The `[pricing]` keys of the rates, in [`builtin_rates`]' order, with what each is for.
const RATE_KEYS: [(&str, &str); RATES] = [
    ("public_ipv4_hour", "public IPv4 address-hour"),
    ("alb_hour", "ALB-hour"),
    ("alb_lcu_hour", "LCU-hour"),
    ("nat_gb", "GB processed by a NAT gateway"),
    ("nat_gateway_hour", "NAT gateway-hour"),
];

impl Validator<'_> {
    /// A number ≥ 0 (and at most [`MAX_OTHER_CHARGE_VALUE`]) at `key`.
    fn charge_value(&self, v: &Spanned<f64>, key: &str, what: &str) -> R<f64> {
        let x = *v.get_ref();
        if !(x.is_finite() && (0.0..=MAX_OTHER_CHARGE_VALUE).contains(&x)) {
            return Err(self.err(
                v.span(),
                format!("`{key}`: found {x}; expected {what}, a number in 0..=1e9"),
            ));
        }
        Ok(x)
    }

    /// The error for rate `i` (of [`RATE_KEYS`]) that `needed_by` needs and `region` lacks.
    fn missing_rate(
        &self,
        i: usize,
        span: Range<usize>,
        needed_by: &str,
        region: &str,
    ) -> crate::scenario::ScenarioError {
        self.err(
            span,
            format!(
                "{needed_by} needs a price per {}, and `{region}` has none built in (docs/reference/pricing.md §4 gives {}); expected `[pricing] {} = ...`",
                RATE_KEYS[i].1,
                match i {
                    0 => "the public IPv4 rate for us-east-1 only",
                    1 | 2 => "ALB rates for us-east-1 and ap-southeast-1 only",
                    3 => "NAT processing for us-east-1 only",
                    _ => "NAT gateway-hours for us-east-1 and ap-southeast-1 only",
                },
                RATE_KEYS[i].0
            ),
        )
    }

    /// The charges besides compute of the scenario, checked against its `arms` in `region`.
    pub(super) fn other_charges(
        &mut self,
        raw: &RawScenario,
        region: &str,
        arms: &[Arm],
    ) -> R<OtherCharges> {
        let rp = raw.pricing.as_ref();
        let given = |i: usize| -> Option<&Spanned<f64>> {
            let p = rp?;
            [
                &p.public_ipv4_hour,
                &p.alb_hour,
                &p.alb_lcu_hour,
                &p.nat_gb,
                &p.nat_gateway_hour,
            ][i]
                .as_ref()
        };
        let builtin = builtin_rates(region);
        let mut rates: [Option<Rate>; RATES] = [None; RATES];
        for (i, (key, what)) in RATE_KEYS.iter().enumerate() {
            rates[i] = match given(i) {
                Some(v) => Some(Rate {
                    usd: self.charge_value(
                        v,
                        &format!("pricing.{key}"),
                        &format!("USD per {what}"),
                    )?,
                    source: RateSource::Scenario,
                }),
                None => builtin[i],
            };
        }
        let include_shared_costs = rp
            .and_then(|p| p.include_shared_costs.as_ref())
            .is_some_and(|b| *b.get_ref());
        let missing = |i: usize, span: Range<usize>, needed_by: &str| {
            self.missing_rate(i, span, needed_by, region)
        };
        let mut warnings = Vec::new();
        // Public IPv4 addresses.
        for (a, arm) in raw.arm.iter().zip(arms) {
            let Some(flag) = &a.get_ref().assign_public_ip else {
                continue;
            };
            if !arm.assign_public_ip {
                continue;
            }
            if rates[0].is_none() {
                return Err(missing(
                    0,
                    flag.span(),
                    &format!("`arm.assign_public_ip` on arm `{}`", arm.name),
                ));
            }
            if let ArmKind::Ec2(e) = &arm.kind
                && e.network_mode == crate::model::NetworkMode::Awsvpc
            {
                warnings.push(format!(
                    "arm `{}`: assign_public_ip gives each EC2 instance a public IPv4 address (charged), but awsvpc tasks on EC2 cannot have public IPs (docs/reference/pricing.md §4.1), so their traffic still goes through a NAT gateway",
                    arm.name
                ));
            }
        }
        // NAT gateways of the arms.
        for (a, arm) in raw.arm.iter().zip(arms) {
            let Some(n) = &a.get_ref().nat_gateways else {
                continue;
            };
            if arm.nat_gateways == 0 {
                continue;
            }
            if rates[4].is_none() {
                return Err(missing(
                    4,
                    n.span(),
                    &format!("`arm.nat_gateways` on arm `{}`", arm.name),
                ));
            }
            if !arm.tasks_behind_nat() {
                warnings.push(format!(
                    "arm `{}`: nat_gateways are charged, but every task of the arm has a public IP (assign_public_ip), so none sends traffic through them",
                    arm.name
                ));
            }
        }
        // Load balancers and NAT traffic of the workload.
        let (raw_jobs, raw_services) = match &raw.workload {
            Some(w) => (&w.get_ref().jobs[..], &w.get_ref().services[..]),
            None => (&[][..], &[][..]),
        };
        let behind_nat = arms.iter().any(Arm::tasks_behind_nat);
        let nat = |v: &Option<Spanned<f64>>, key: &str, name: &str| -> R<f64> {
            let Some(v) = v else { return Ok(0.0) };
            let g = self.charge_value(v, key, "GB per task-hour through a NAT gateway")?;
            if g > 0.0 && behind_nat && rates[3].is_none() {
                return Err(missing(3, v.span(), &format!("`{key}` of `{name}`")));
            }
            Ok(g)
        };
        let mut job_nat = Vec::with_capacity(raw_jobs.len());
        for j in raw_jobs {
            let j = j.get_ref();
            job_nat.push(nat(
                &j.nat_gb_per_task_hour,
                "workload.jobs.nat_gb_per_task_hour",
                j.name.get_ref().trim(),
            )?);
        }
        let mut service_nat = Vec::with_capacity(raw_services.len());
        for s in raw_services {
            let s = s.get_ref();
            service_nat.push(nat(
                &s.nat_gb_per_task_hour,
                "workload.services.nat_gb_per_task_hour",
                s.name.get_ref().trim(),
            )?);
        }
        let mut load_balancers = Vec::with_capacity(raw_services.len());
        for s in raw_services {
            let s = s.get_ref();
            let Some(lb) = &s.load_balancer else {
                load_balancers.push(None);
                continue;
            };
            let name = s.name.get_ref().trim();
            for i in [1, 2] {
                if rates[i].is_none() {
                    return Err(missing(
                        i,
                        lb.span(),
                        &format!("`workload.services.load_balancer` of `{name}`"),
                    ));
                }
            }
            load_balancers.push(Some(self.load_balancer(lb.get_ref())?));
        }
        if include_shared_costs
            && load_balancers.iter().all(Option::is_none)
            && !(behind_nat && job_nat.iter().chain(&service_nat).any(|&g| g > 0.0))
            && arms.iter().all(|a| a.nat_gateways == 0)
        {
            warnings.push("`pricing.include_shared_costs` has no effect: no service has a `load_balancer`, no arm has `nat_gateways` and no task sends `nat_gb_per_task_hour` through a NAT gateway".to_string());
        }
        self.warnings.extend(warnings);
        let [
            public_ipv4_hour,
            alb_hour,
            alb_lcu_hour,
            nat_gb,
            nat_gateway_hour,
        ] = rates;
        Ok(OtherCharges {
            public_ipv4_hour,
            alb_hour,
            alb_lcu_hour,
            nat_gb,
            nat_gateway_hour,
            include_shared_costs,
            service_load_balancers: load_balancers,
            job_nat_gb_per_task_hour: job_nat,
            service_nat_gb_per_task_hour: service_nat,
        })
    }

    /// A service's `load_balancer`: `requests_per_second` required; new connections and rule
    /// evaluations default to one per request, the other dimensions to 0 (docs/model.md §18.2).
    fn load_balancer(&self, lb: &RawLoadBalancer) -> R<LoadBalancer> {
        const K: &str = "workload.services.load_balancer";
        let v = |x: &Spanned<f64>, key: &str, what: &str| {
            self.charge_value(x, &format!("{K}.{key}"), what)
        };
        let opt = |x: &Option<Spanned<f64>>, key: &str, what: &str, default: f64| match x {
            Some(x) => v(x, key, what),
            None => Ok(default),
        };
        let rps = v(
            &lb.requests_per_second,
            "requests_per_second",
            "requests a second",
        )?;
        Ok(LoadBalancer {
            requests_per_second: rps,
            new_connections_per_second: opt(
                &lb.new_connections_per_second,
                "new_connections_per_second",
                "new connections a second",
                rps,
            )?,
            active_connections: opt(
                &lb.active_connections,
                "active_connections",
                "active connections",
                0.0,
            )?,
            processed_gb_per_hour: opt(
                &lb.processed_gb_per_hour,
                "processed_gb_per_hour",
                "GB processed an hour",
                0.0,
            )?,
            rule_evaluations_per_second: opt(
                &lb.rule_evaluations_per_second,
                "rule_evaluations_per_second",
                "rule evaluations a second",
                rps,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::other_charges::RateSource;
    use crate::scenario::load::load_str;

    const SERVICE: &str =
        "[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 2\n";
    const FARGATE: &str = "[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n";

    fn load(text: &str) -> Result<crate::scenario::Scenario, String> {
        load_str(Path::new("s.toml"), &format!("horizon = \"1h\"\n{text}"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_are_off_and_the_built_in_rates_say_where_they_come_from() {
        let s = load(&format!("{SERVICE}{FARGATE}")).unwrap();
        let o = &s.other_charges;
        assert!(!s.arms[0].assign_public_ip && !o.include_shared_costs);
        assert_eq!(o.service_load_balancers, [None]);
        assert_eq!(o.service_nat_gb_per_task_hour, [0.0]);
        assert_eq!(o.public_ipv4_hour.map(|r| r.usd), Some(0.005));
        let s = load(&format!(
            "[pricing]\npublic_ipv4_hour = 0.006\ninclude_shared_costs = true\n[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 2\nload_balancer = {{ requests_per_second = 50, active_connections = 600 }}\n{FARGATE}assign_public_ip = true\n"
        ))
        .unwrap();
        let o = &s.other_charges;
        assert_eq!(
            o.public_ipv4_hour.map(|r| (r.usd, r.source)),
            Some((0.006, RateSource::Scenario))
        );
        let lb = o.service_load_balancers[0].expect("a load balancer");
        // Defaults from rps: 50 new connections and 50 rule evaluations a second.
        assert_eq!(
            (
                lb.new_connections_per_second,
                lb.rule_evaluations_per_second,
                lb.active_connections,
                lb.processed_gb_per_hour
            ),
            (50.0, 50.0, 600.0, 0.0)
        );
        assert!(o.include_shared_costs && s.arms[0].assign_public_ip);
    }

    #[test]
    fn a_region_without_a_rate_is_refused_where_it_is_needed() {
        let region = "[pricing]\nregion = \"eu-west-1\"\nfargate_vcpu_hour = 0.04\nfargate_gb_hour = 0.004\n";
        let e = load(&format!(
            "{region}{SERVICE}{FARGATE}assign_public_ip = true\n"
        ))
        .unwrap_err();
        assert!(e.contains("`arm.assign_public_ip` on arm `f` needs a price per public IPv4 address-hour, and `eu-west-1` has none built in"), "{e}");
        assert!(
            e.contains("expected `[pricing] public_ipv4_hour = ...`"),
            "{e}"
        );
        // Given, it loads.
        load(&format!(
            "{region}public_ipv4_hour = 0.005\n{SERVICE}{FARGATE}assign_public_ip = true\n"
        ))
        .unwrap();
        // assign_public_ip = false needs no rate.
        load(&format!(
            "{region}{SERVICE}{FARGATE}assign_public_ip = false\n"
        ))
        .unwrap();
        let lb = "[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 2\nload_balancer = { requests_per_second = 10 }\n";
        let e = load(&format!("{region}{lb}{FARGATE}")).unwrap_err();
        assert!(e.contains("needs a price per ALB-hour"), "{e}");
        // ap-southeast-1 has ALB rates built in, but no NAT per-GB rate.
        let aps = "[pricing]\nregion = \"ap-southeast-1\"\nfargate_vcpu_hour = 0.05056\nfargate_gb_hour = 0.00553\n";
        let s = load(&format!("{aps}{lb}{FARGATE}")).unwrap();
        assert_eq!(s.other_charges.alb_hour.map(|r| r.usd), Some(0.0252));
        let nat = "[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 2\nnat_gb_per_task_hour = 0.5\n";
        let e = load(&format!("{aps}{nat}{FARGATE}")).unwrap_err();
        assert!(
            e.contains("needs a price per GB processed by a NAT gateway"),
            "{e}"
        );
        // Every task with a public IP: nothing goes through a NAT gateway, no rate needed.
        load(&format!(
            "{aps}public_ipv4_hour = 0.005\n{nat}{FARGATE}assign_public_ip = true\n"
        ))
        .unwrap();
    }

    #[test]
    fn bad_values_are_refused_with_their_key() {
        for (text, msg) in [
            (
                format!("[pricing]\nalb_hour = -1\n{SERVICE}{FARGATE}"),
                "`pricing.alb_hour`: found -1; expected USD per ALB-hour",
            ),
            (
                format!("[pricing]\nnat_gb = nan\n{SERVICE}{FARGATE}"),
                "`pricing.nat_gb`: found NaN",
            ),
            (
                format!(
                    "[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 2\nload_balancer = {{ requests_per_second = -5 }}\n{FARGATE}"
                ),
                "`workload.services.load_balancer.requests_per_second`: found -5",
            ),
            (
                format!(
                    "[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 2\nload_balancer = {{ active_connections = 5 }}\n{FARGATE}"
                ),
                "missing field `requests_per_second`",
            ),
            (
                format!(
                    "[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 2\nnat_gb_per_task_hour = 1e10\n{FARGATE}"
                ),
                "`workload.services.nat_gb_per_task_hour`: found 10000000000",
            ),
            (
                format!("{SERVICE}{FARGATE}assign_public_ip = \"yes\"\n"),
                "expected a boolean",
            ),
        ] {
            let e = load(&text).unwrap_err();
            assert!(e.contains(msg), "{text}\n{e}");
        }
    }

    #[test]
    fn nat_gateways_need_a_rate_and_are_warned_about_without_private_tasks() {
        let region = "[pricing]\nregion = \"eu-west-1\"\nfargate_vcpu_hour = 0.04\nfargate_gb_hour = 0.004\n";
        let e = load(&format!("{region}{SERVICE}{FARGATE}nat_gateways = 2\n")).unwrap_err();
        assert!(
            e.contains("`arm.nat_gateways` on arm `f` needs a price per NAT gateway-hour"),
            "{e}"
        );
        let e = load(&format!("{SERVICE}{FARGATE}nat_gateways = 65\n")).unwrap_err();
        assert!(
            e.contains("`arm.nat_gateways`: found 65; expected an integer in 0..=64"),
            "{e}"
        );
        let s = load(&format!(
            "{SERVICE}{FARGATE}nat_gateways = 1\nassign_public_ip = true\n"
        ))
        .unwrap();
        assert!(
            s.warnings.iter().any(|w| w
                .contains("nat_gateways are charged, but every task of the arm has a public IP")),
            "{:?}",
            s.warnings
        );
        assert_eq!(s.arms[0].nat_gateways, 1);
    }

    #[test]
    fn include_shared_costs_without_shared_costs_is_warned_about() {
        let s = load(&format!(
            "[pricing]\ninclude_shared_costs = true\n{SERVICE}{FARGATE}"
        ))
        .unwrap();
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("`pricing.include_shared_costs` has no effect")),
            "{:?}",
            s.warnings
        );
    }
}
