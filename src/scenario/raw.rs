//! The scenario file as written: serde structs that mirror docs/scenario.md key for key. Unknown
//! keys are errors (`deny_unknown_fields`).

// The fields mirror docs/scenario.md key for key; the page is their documentation, and
// tests/it/scenario_doc.rs fails when a field here is missing there.
#![allow(missing_docs)]

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, de};
use toml::Spanned;

use crate::scenario::duration::{DurationValue, describe, duration_from_value};
use crate::scenario::size::RawSize;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<Spanned<String>>,
    pub seed: Option<Spanned<i64>>,
    pub horizon: Option<Spanned<DurationValue>>,
    pub metrics_interval: Option<Spanned<DurationValue>>,
    pub pricing: Option<RawPricing>,
    #[serde(default)]
    pub instance_type: Vec<Spanned<RawInstanceType>>,
    pub workload: Option<Spanned<RawWorkload>>,
    #[serde(default)]
    pub arm: Vec<Spanned<RawArm>>,
    #[serde(default)]
    pub commitment: Vec<Spanned<RawCommitment>>,
}

/// `[[commitment]]` (load/commitments.rs): a Savings Plan or Reserved Instances.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommitment {
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    pub name: Option<Spanned<String>>,
    pub arms: Option<Vec<Spanned<String>>>,
    pub term: Option<Spanned<String>>,
    pub payment: Option<Spanned<String>>,
    pub usd_per_hour: Option<Spanned<f64>>,
    pub family: Option<Spanned<String>>,
    pub rates: Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
    pub fargate_rates: Option<Spanned<RawFargateSpRates>>,
    pub discount_percent: Option<Spanned<f64>>,
    pub instance_type: Option<Spanned<String>>,
    pub count: Option<Spanned<i64>>,
    pub offering_class: Option<Spanned<String>>,
    pub hourly: Option<Spanned<f64>>,
    pub upfront: Option<Spanned<f64>>,
}

/// A Compute Savings Plan's `fargate_rates`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFargateSpRates {
    pub vcpu_hour: Option<Spanned<f64>>,
    pub gb_hour: Option<Spanned<f64>>,
    pub arm_vcpu_hour: Option<Spanned<f64>>,
    pub arm_gb_hour: Option<Spanned<f64>>,
}

/// `[pricing]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPricing {
    pub region: Option<Spanned<String>>,
    pub fargate_vcpu_hour: Option<Spanned<f64>>,
    pub fargate_gb_hour: Option<Spanned<f64>>,
    pub fargate_arm_vcpu_hour: Option<Spanned<f64>>,
    pub fargate_arm_gb_hour: Option<Spanned<f64>>,
    pub fargate_storage_gb_hour: Option<Spanned<f64>>,
    pub fargate_spot_discount: Option<Spanned<f64>>,
    pub spot_discount: Option<Spanned<f64>>,
    #[serde(default)]
    pub ec2: BTreeMap<String, Spanned<f64>>,
    // Charges besides compute (load/other_charges.rs).
    pub public_ipv4_hour: Option<Spanned<f64>>,
    pub alb_hour: Option<Spanned<f64>>,
    pub alb_lcu_hour: Option<Spanned<f64>>,
    pub nat_gb: Option<Spanned<f64>>,
    pub nat_gateway_hour: Option<Spanned<f64>>,
    pub include_shared_costs: Option<Spanned<bool>>,
    pub fargate_windows_vcpu_hour: Option<Spanned<f64>>,
    pub fargate_windows_gb_hour: Option<Spanned<f64>>,
    pub fargate_windows_os_licence_vcpu_hour: Option<Spanned<f64>>,
    #[serde(default)]
    pub ec2_windows: BTreeMap<String, Spanned<f64>>,
    // Price lists and discounts (load/pricing.rs, docs/model.md §21).
    pub price_list: Option<Spanned<String>>,
    pub discount_percent: Option<Spanned<f64>>,
}

/// `[[instance_type]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstanceType {
    pub name: Spanned<String>,
    pub vcpu: Option<Spanned<u32>>,
    pub memory_mib: Option<Spanned<RawSize>>,
    pub registered_memory_mib: Option<Spanned<RawSize>>,
    pub max_enis: Option<Spanned<u32>>,
    pub trunk_tasks: Option<Spanned<u32>>,
    pub price_per_hour: Option<Spanned<f64>>,
    pub architecture: Option<Spanned<String>>,
}

/// `[workload]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    pub trace: Option<Spanned<String>>,
    #[serde(default)]
    pub jobs: Vec<Spanned<RawJob>>,
    #[serde(default)]
    pub services: Vec<Spanned<RawService>>,
    #[serde(default)]
    pub daemons: Vec<Spanned<RawDaemon>>,
    pub task_definition: Option<Spanned<String>>,
    pub time_scale: Option<Spanned<f64>>,
    pub start: Option<Spanned<DurationValue>>,
    pub end: Option<Spanned<DurationValue>>,
    pub sample: Option<Spanned<f64>>,
    pub cpu_scale: Option<Spanned<f64>>,
    pub memory_scale: Option<Spanned<f64>>,
}

/// `[[workload.jobs]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJob {
    pub name: Spanned<String>,
    pub arrival: Spanned<RawArrival>,
    pub duration: Spanned<RawDistribution>,
    pub cpu: Option<Spanned<RawSize>>,
    pub memory: Option<Spanned<RawSize>>,
    pub ephemeral_storage_gib: Option<Spanned<i64>>,
    pub start: Option<Spanned<DurationValue>>,
    pub end: Option<Spanned<DurationValue>>,
    pub max_tasks: Option<Spanned<i64>>,
    pub host_ports: Option<Vec<Spanned<i64>>>,
    pub placement_constraints: Option<Vec<Spanned<RawConstraint>>>,
    pub task_definition: Option<Spanned<String>>,
    pub stop_timeout: Option<Spanned<DurationValue>>,
    pub os: Option<Spanned<String>>,
    pub nat_gb_per_task_hour: Option<Spanned<f64>>,
    pub service_connect: Option<Spanned<bool>>,
    pub service_connect_peak_rps: Option<Spanned<f64>>,
    pub service_connect_large_namespace: Option<Spanned<bool>>,
}

/// `[[workload.daemons]]`: a host agent (one DAEMON task per EC2 instance; a sidecar in every
/// Fargate task).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDaemon {
    pub name: Spanned<String>,
    pub cpu: Spanned<RawSize>,
    pub memory: Spanned<RawSize>,
    pub enis: Option<Spanned<i64>>,
    pub fargate_sidecar: Option<Spanned<bool>>,
    pub arms: Option<Vec<Spanned<String>>>,
}

/// An arrival process.
#[derive(Debug)]
pub enum RawArrival {
    /// `{ poisson = { per_hour = 120 } }`
    Poisson {
        /// Mean arrivals per hour.
        per_hour: f64,
    },
    /// `{ fixed_interval = "5m" }`
    FixedInterval(DurationValue),
    /// `{ diurnal = { mean_per_hour = 120, peak_ratio = 3.0, peak_at = "14h" } }`
    Diurnal {
        /// Mean arrivals per hour over a day.
        mean_per_hour: f64,
        /// Peak rate ÷ trough rate.
        peak_ratio: f64,
        /// Time of day of the peak.
        peak_at: DurationValue,
    },
}

const ARRIVAL_FORMS: &str = "{ poisson = { per_hour = 120 } }, { fixed_interval = \"5m\" } or \
{ diurnal = { mean_per_hour = 120, peak_ratio = 3.0, peak_at = \"14h\" } }";

impl<'de> Deserialize<'de> for RawArrival {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        parse_arrival(&v).map_err(de::Error::custom)
    }
}

fn parse_arrival(v: &toml::Value) -> Result<RawArrival, String> {
    let (kind, value) = match v {
        toml::Value::Table(t) if t.len() == 1 => t
            .iter()
            .next()
            .ok_or_else(|| format!("expected {ARRIVAL_FORMS}"))?,
        other => {
            return Err(format!(
                "found {}; expected {ARRIVAL_FORMS}",
                describe(other)
            ));
        }
    };
    if kind == "fixed_interval" {
        return duration_from_value(value)
            .map(|d| RawArrival::FixedInterval(DurationValue(d)))
            .map_err(|e| format!("`fixed_interval`: {e}"));
    }
    let allowed: &[&str] = match kind.as_str() {
        "poisson" => &["per_hour"],
        "diurnal" => &["mean_per_hour", "peak_ratio", "peak_at"],
        other => {
            return Err(format!(
                "unknown arrival process `{other}`; expected {ARRIVAL_FORMS}"
            ));
        }
    };
    let toml::Value::Table(params) = value else {
        return Err(format!(
            "`{kind}`: found {}; expected {ARRIVAL_FORMS}",
            describe(value)
        ));
    };
    let list = || {
        allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(k) = params.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!(
            "unknown field `{k}` in `{kind}`, expected {}",
            list()
        ));
    }
    let get = |k: &str| {
        params
            .get(k)
            .ok_or_else(|| format!("`{kind}` needs `{k}` (it takes {})", list()))
    };
    let number = |k: &str| -> Result<f64, String> {
        match get(k)? {
            toml::Value::Float(f) => Ok(*f),
            toml::Value::Integer(i) => Ok(*i as f64),
            other => Err(format!(
                "`{kind}.{k}`: found {}; expected a number",
                describe(other)
            )),
        }
    };
    if kind == "poisson" {
        return Ok(RawArrival::Poisson {
            per_hour: number("per_hour")?,
        });
    }
    Ok(RawArrival::Diurnal {
        mean_per_hour: number("mean_per_hour")?,
        peak_ratio: number("peak_ratio")?,
        peak_at: duration_from_value(get("peak_at")?)
            .map(DurationValue)
            .map_err(|e| format!("`diurnal.peak_at`: {e}"))?,
    })
}

/// A distribution of durations as written: a duration, or one of the named shapes.
#[derive(Debug, Clone)]
pub enum RawDistribution {
    /// `"10m"` or a number of seconds.
    Fixed(DurationValue),
    /// `{ exponential = { mean = "60s" } }`
    Exponential { mean: DurationValue },
    /// `{ lognormal = { median = "10m", sigma = 0.8 } }`
    LogNormal { median: DurationValue, sigma: f64 },
    /// `{ uniform = { min = "1m", max = "5m" } }`
    Uniform {
        min: DurationValue,
        max: DurationValue,
    },
}

const DISTRIBUTION_FORMS: &str = "a duration (\"10m\"), { exponential = { mean = \"60s\" } }, \
{ lognormal = { median = \"10m\", sigma = 0.8 } } or { uniform = { min = \"1m\", max = \"5m\" } }";

impl<'de> Deserialize<'de> for RawDistribution {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        parse_distribution(&v).map_err(de::Error::custom)
    }
}

fn parse_distribution(v: &toml::Value) -> Result<RawDistribution, String> {
    let table = match v {
        toml::Value::Table(t) => t,
        other => {
            return duration_from_value(other)
                .map(|d| RawDistribution::Fixed(DurationValue(d)))
                .map_err(|e| format!("{e}; or a distribution: {DISTRIBUTION_FORMS}"));
        }
    };
    let (shape, params) = match (table.len(), table.iter().next()) {
        (1, Some((k, toml::Value::Table(p)))) => (k.as_str(), p),
        _ => return Err(format!("expected {DISTRIBUTION_FORMS}")),
    };
    let keys = |allowed: &[&str]| -> Result<(), String> {
        for k in params.keys() {
            if !allowed.contains(&k.as_str()) {
                return Err(format!(
                    "unknown field `{k}` in `{shape}`, expected {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ));
            }
        }
        Ok(())
    };
    let dur = |k: &str| -> Result<DurationValue, String> {
        let x = params
            .get(k)
            .ok_or_else(|| format!("`{shape}` needs `{k}`"))?;
        duration_from_value(x)
            .map(DurationValue)
            .map_err(|e| format!("`{shape}.{k}`: {e}"))
    };
    match shape {
        "exponential" => {
            keys(&["mean"])?;
            Ok(RawDistribution::Exponential { mean: dur("mean")? })
        }
        "lognormal" => {
            keys(&["median", "sigma"])?;
            let sigma = match params.get("sigma") {
                Some(toml::Value::Float(f)) => *f,
                Some(toml::Value::Integer(i)) => *i as f64,
                Some(other) => {
                    return Err(format!(
                        "`lognormal.sigma`: found {}; expected a number",
                        describe(other)
                    ));
                }
                None => return Err("`lognormal` needs `sigma`".to_string()),
            };
            Ok(RawDistribution::LogNormal {
                median: dur("median")?,
                sigma,
            })
        }
        "uniform" => {
            keys(&["min", "max"])?;
            Ok(RawDistribution::Uniform {
                min: dur("min")?,
                max: dur("max")?,
            })
        }
        other => Err(format!(
            "unknown distribution `{other}`; expected {DISTRIBUTION_FORMS}"
        )),
    }
}

/// A placement constraint as in the ECS API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConstraint {
    #[serde(rename = "type")]
    pub kind: String,
    pub expression: Option<String>,
}

/// A placement strategy step as in the ECS API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStrategy {
    #[serde(rename = "type")]
    pub kind: String,
    pub field: Option<String>,
}

/// `capacity = { ... }` of an EC2 arm or provider.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCapacity {
    pub fixed: Option<Spanned<i64>>,
    pub min: Option<Spanned<i64>>,
    pub max: Option<Spanned<i64>>,
    pub managed_scaling: Option<Spanned<RawManagedScaling>>,
}

/// `managed_scaling = { ... }` (the `managedScaling` of the ECS API).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawManagedScaling {
    pub target_capacity: Option<Spanned<i64>>,
    pub minimum_scaling_step_size: Option<Spanned<i64>>,
    pub maximum_scaling_step_size: Option<Spanned<i64>>,
    pub instance_warmup_period: Option<Spanned<DurationValue>>,
}

/// `[[arm.capacity_providers]]`: one Auto Scaling group capacity provider.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub name: Spanned<String>,
    pub instance_types: Option<Spanned<Vec<Spanned<String>>>>,
    pub capacity: Option<Spanned<RawCapacity>>,
    pub purchase: Option<Spanned<String>>,
    pub spot_interruptions_per_hour: Option<Spanned<f64>>,
    pub instance_launch_latency: Option<Spanned<RawDistribution>>,
}

/// One `capacity_provider_strategy` entry, as in the ECS API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShare {
    pub provider: Spanned<String>,
    pub base: Option<Spanned<i64>>,
    pub weight: Option<Spanned<i64>>,
}

/// `[[workload.services]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub name: Spanned<String>,
    pub cpu: Option<Spanned<RawSize>>,
    pub memory: Option<Spanned<RawSize>>,
    pub ephemeral_storage_gib: Option<Spanned<i64>>,
    pub desired: Spanned<i64>,
    pub host_ports: Option<Vec<Spanned<i64>>>,
    pub placement_constraints: Option<Vec<Spanned<RawConstraint>>>,
    pub placement_strategy: Option<Spanned<Vec<Spanned<RawStrategy>>>>,
    pub deployments: Option<Spanned<Vec<Spanned<DurationValue>>>>,
    pub deployment: Option<Spanned<RawDeployment>>,
    pub autoscaling: Option<Spanned<RawAutoscaling>>,
    pub task_definition: Option<Spanned<String>>,
    pub stop_timeout: Option<Spanned<DurationValue>>,
    pub os: Option<Spanned<String>>,
    pub load_balancer: Option<Spanned<RawLoadBalancer>>,
    pub nat_gb_per_task_hour: Option<Spanned<f64>>,
    pub service_connect: Option<Spanned<bool>>,
    pub service_connect_peak_rps: Option<Spanned<f64>>,
    pub service_connect_large_namespace: Option<Spanned<bool>>,
}

/// `load_balancer = { ... }` of a service: an Application Load Balancer's traffic.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoadBalancer {
    pub requests_per_second: Spanned<f64>,
    pub new_connections_per_second: Option<Spanned<f64>>,
    pub active_connections: Option<Spanned<f64>>,
    pub processed_gb_per_hour: Option<Spanned<f64>>,
    pub rule_evaluations_per_second: Option<Spanned<f64>>,
}

/// `deployment = { ... }` of a service (`deploymentConfiguration`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeployment {
    pub minimum_healthy_percent: Option<Spanned<i64>>,
    pub maximum_percent: Option<Spanned<i64>>,
}

/// `autoscaling = { ... }` of a service (target tracking on average CPU).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAutoscaling {
    pub target_cpu_percent: Option<Spanned<f64>>,
    pub min: Option<Spanned<i64>>,
    pub max: Option<Spanned<i64>>,
    pub load: Option<Spanned<RawLoad>>,
    pub scale_in_cooldown: Option<Spanned<DurationValue>>,
    pub scale_out_cooldown: Option<Spanned<DurationValue>>,
}

/// The offered load of an auto-scaled service.
#[derive(Debug, Clone, PartialEq)]
pub enum RawLoad {
    /// `0.6`
    Constant(f64),
    /// `{ diurnal = { mean = 0.45, peak_ratio = 2.0, peak_at = "14h" } }`
    Diurnal {
        mean: f64,
        peak_ratio: f64,
        peak_at: DurationValue,
    },
    /// `{ csv = "load.csv" }`
    Csv(String),
}

const LOAD_FORMS: &str = "a number (0.6), { diurnal = { mean = 0.45, peak_ratio = 2.0, \
peak_at = \"14h\" } } or { csv = \"load.csv\" }";

impl<'de> Deserialize<'de> for RawLoad {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        parse_load(&v).map_err(de::Error::custom)
    }
}

fn parse_load(v: &toml::Value) -> Result<RawLoad, String> {
    let (kind, value) = match v {
        toml::Value::Float(f) => return Ok(RawLoad::Constant(*f)),
        toml::Value::Integer(i) => return Ok(RawLoad::Constant(*i as f64)),
        toml::Value::Table(t) if t.len() == 1 => t
            .iter()
            .next()
            .ok_or_else(|| format!("expected {LOAD_FORMS}"))?,
        other => return Err(format!("found {}; expected {LOAD_FORMS}", describe(other))),
    };
    match (kind.as_str(), value) {
        ("csv", toml::Value::String(s)) => Ok(RawLoad::Csv(s.clone())),
        ("csv", other) => Err(format!(
            "`csv`: found {}; expected the path of a CSV file with columns time_s and load",
            describe(other)
        )),
        ("diurnal", toml::Value::Table(params)) => {
            const ALLOWED: [&str; 3] = ["mean", "peak_ratio", "peak_at"];
            if let Some(k) = params.keys().find(|k| !ALLOWED.contains(&k.as_str())) {
                return Err(format!(
                    "unknown field `{k}` in `diurnal`, expected `mean`, `peak_ratio`, `peak_at`"
                ));
            }
            let get = |k: &str| {
                params.get(k).ok_or_else(|| {
                    format!("`diurnal` needs `{k}` (it takes `mean`, `peak_ratio`, `peak_at`)")
                })
            };
            let number = |k: &str| -> Result<f64, String> {
                match get(k)? {
                    toml::Value::Float(f) => Ok(*f),
                    toml::Value::Integer(i) => Ok(*i as f64),
                    other => Err(format!(
                        "`diurnal.{k}`: found {}; expected a number",
                        describe(other)
                    )),
                }
            };
            Ok(RawLoad::Diurnal {
                mean: number("mean")?,
                peak_ratio: number("peak_ratio")?,
                peak_at: duration_from_value(get("peak_at")?)
                    .map(DurationValue)
                    .map_err(|e| format!("`diurnal.peak_at`: {e}"))?,
            })
        }
        ("diurnal", other) => Err(format!(
            "`diurnal`: found {}; expected {LOAD_FORMS}",
            describe(other)
        )),
        (other, _) => Err(format!(
            "unknown load form `{other}`; expected {LOAD_FORMS}"
        )),
    }
}

/// `[[arm]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArm {
    pub name: Spanned<String>,
    pub launch_type: Spanned<String>,
    pub instance_types: Option<Spanned<Vec<Spanned<String>>>>,
    pub availability_zones: Option<Spanned<Vec<Spanned<String>>>>,
    pub network_mode: Option<Spanned<String>>,
    pub eni_trunking: Option<Spanned<bool>>,
    pub placement_strategy: Option<Spanned<Vec<Spanned<RawStrategy>>>>,
    pub placement_constraints: Option<Spanned<Vec<Spanned<RawConstraint>>>>,
    pub capacity: Option<Spanned<RawCapacity>>,
    pub purchase: Option<Spanned<String>>,
    pub spot_interruptions_per_hour: Option<Spanned<f64>>,
    pub on_interruption: Option<Spanned<String>>,
    pub on_no_capacity: Option<Spanned<String>>,
    pub instance_launch_latency: Option<Spanned<RawDistribution>>,
    pub task_start_latency: Option<Spanned<RawDistribution>>,
    pub reserved_memory_mib: Option<Spanned<RawSize>>,
    pub capacity_providers: Option<Vec<Spanned<RawProvider>>>,
    pub capacity_provider_strategy: Option<Spanned<Vec<Spanned<RawShare>>>>,
    pub cpu_architecture: Option<Spanned<String>>,
    pub fargate_vcpu_quota: Option<Spanned<i64>>,
    /// An integer or a table `{ zone = count }`; checked against the arm's zones in load.rs.
    pub subnet_ips: Option<Spanned<toml::Value>>,
    pub assign_public_ip: Option<Spanned<bool>>,
    pub nat_gateways: Option<Spanned<i64>>,
    pub os: Option<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(src: &str) -> Result<RawDistribution, String> {
        #[derive(Deserialize)]
        struct W {
            d: RawDistribution,
        }
        toml::from_str::<W>(&format!("d = {src}"))
            .map(|w| w.d)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn distributions_in_every_form() {
        assert!(
            matches!(dist("\"10m\""), Ok(RawDistribution::Fixed(DurationValue(d))) if d.as_ms() == 600_000)
        );
        assert!(matches!(dist("30"), Ok(RawDistribution::Fixed(_))));
        assert!(matches!(
            dist("{ exponential = { mean = \"60s\" } }"),
            Ok(RawDistribution::Exponential { .. })
        ));
        assert!(matches!(
            dist("{ lognormal = { median = \"10m\", sigma = 0.8 } }"),
            Ok(RawDistribution::LogNormal { .. })
        ));
        assert!(matches!(
            dist("{ uniform = { min = \"1m\", max = \"5m\" } }"),
            Ok(RawDistribution::Uniform { .. })
        ));
    }

    fn arrival(src: &str) -> Result<RawArrival, String> {
        #[derive(Deserialize)]
        struct W {
            a: RawArrival,
        }
        toml::from_str::<W>(&format!("a = {src}"))
            .map(|w| w.a)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn arrivals_in_every_form_and_malformed() {
        assert!(matches!(
            arrival("{ poisson = { per_hour = 120 } }"),
            Ok(RawArrival::Poisson { per_hour }) if per_hour == 120.0
        ));
        assert!(matches!(
            arrival("{ fixed_interval = \"5m\" }"),
            Ok(RawArrival::FixedInterval(DurationValue(d))) if d.as_ms() == 300_000
        ));
        assert!(matches!(
            arrival("{ diurnal = { mean_per_hour = 1, peak_ratio = 3.0, peak_at = \"14h\" } }"),
            Ok(RawArrival::Diurnal { .. })
        ));
        for (src, msg) in [
            ("5", "found the integer 5; expected { poisson"),
            ("{}", "expected { poisson"),
            (
                "{ bursty = { per_hour = 1 } }",
                "unknown arrival process `bursty`",
            ),
            (
                "{ poisson = 5 }",
                "`poisson`: found the integer 5; expected",
            ),
            (
                "{ poisson = { per_hour = 1, burst = 2 } }",
                "unknown field `burst` in `poisson`, expected `per_hour`",
            ),
            (
                "{ poisson = { per_hour = \"x\" } }",
                "`poisson.per_hour`: found the string \"x\"; expected a number",
            ),
            (
                "{ diurnal = { mean_per_hour = 1, peak_ratio = 2 } }",
                "`diurnal` needs `peak_at`",
            ),
            (
                "{ fixed_interval = \"5q\" }",
                "`fixed_interval`: `5q` is not a duration",
            ),
        ] {
            let e = arrival(src).unwrap_err();
            assert!(e.contains(msg), "{src}: {e}");
        }
    }

    #[test]
    fn malformed_distributions_say_what_is_expected() {
        assert!(
            dist("{ gaussian = { mean = 1 } }")
                .unwrap_err()
                .contains("unknown distribution `gaussian`")
        );
        assert!(
            dist("{ lognormal = { median = \"10m\" } }")
                .unwrap_err()
                .contains("needs `sigma`")
        );
        assert!(
            dist("{ lognormal = { median = \"10m\", sigma = 1, mu = 2 } }")
                .unwrap_err()
                .contains("unknown field `mu`")
        );
        assert!(dist("true").unwrap_err().contains("expected a duration"));
    }
}
