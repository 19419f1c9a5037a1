//! run.json: provenance of a run (the only output that may differ between two runs of a seed).

use serde::Serialize;

use crate::report::assumptions::{Assumption, assumptions};
use crate::scenario::{ArmKind, Capacity, Purchase, Scenario};

/// What run.json records.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    /// sim's version.
    pub sim_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file path as given.
    pub scenario_file: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Seed used.
    pub seed: u64,
    /// Arms simulated, in order.
    pub arms: Vec<ArmInfo>,
    /// Wall-clock time of the run, seconds.
    pub wall_time_s: f64,
    /// Events processed over all arms.
    pub events_processed: u64,
    /// Warnings about the scenario, then about how arms ended (saturated, or tasks that could
    /// never be placed).
    pub warnings: Vec<String>,
    /// What the run simulated, for the HTML report (deterministic: from the scenario, the
    /// seed and the arms selected).
    pub scenario_details: ScenarioInfo,
    /// Every price the simulated arms are charged by, with where it came from
    /// (docs/model.md §21).
    pub prices: Vec<PriceUsed>,
    /// The factor every charge is multiplied by (`1 − discount_percent / 100`; 1 without it).
    pub discount_factor: f64,
}

/// One price a run uses (run.json `prices`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceUsed {
    /// What is priced: `fargate linux_x86 vcpu_hour`, `ec2 linux m5.large`, `public_ipv4_hour`.
    pub item: String,
    /// USD per unit as charged (after the discount).
    pub usd: f64,
    /// USD per unit before the discount.
    pub list_usd: f64,
    /// What it is per: `vCPU-hour`, `GB-hour`, `instance-hour`, ...
    pub unit: String,
    /// `built-in (docs/reference/pricing.md §1.1; <source>)`, `price list prices.toml (AmazonECS
    /// version V, published D)` or `scenario [pricing] <key>`.
    pub origin: String,
    /// Whether the source is marked UNCERTAIN.
    pub uncertain: bool,
}

/// The prices the arms `arms` (indexes) of `scenario` are charged by: compute (each arm's
/// Fargate rates or instance types, in arm order, once each), then the other charges they use.
pub fn prices_used(scenario: &Scenario, arms: &[usize]) -> Vec<PriceUsed> {
    use crate::model::other_charges::RateSource;
    use crate::scenario::prices::{arm_items, workload_uses_storage};
    let p = &scenario.pricing;
    let f = p.discount_factor;
    let storage = workload_uses_storage(&scenario.workload);
    let used: Vec<&crate::scenario::Arm> =
        arms.iter().filter_map(|&i| scenario.arms.get(i)).collect();
    let mut out: Vec<PriceUsed> = Vec::new();
    for arm in &used {
        for (item, _) in arm_items(arm, storage) {
            if out.iter().any(|u| u.item == item) {
                continue;
            }
            if let Some(o) = p.origins.get(&item) {
                out.push(PriceUsed {
                    item,
                    usd: o.list_usd * f,
                    list_usd: o.list_usd,
                    unit: o.unit.to_string(),
                    origin: o.origin.clone(),
                    uncertain: o.uncertain,
                });
            }
        }
    }
    let oc = &scenario.other_charges;
    let lb = oc.service_load_balancers.iter().any(Option::is_some);
    for (which, key, unit, rate) in [
        (
            used.iter().any(|a| a.assign_public_ip),
            "public_ipv4_hour",
            "address-hour",
            oc.public_ipv4_hour,
        ),
        (lb, "alb_hour", "ALB-hour", oc.alb_hour),
        (lb, "alb_lcu_hour", "LCU-hour", oc.alb_lcu_hour),
        (
            used.iter().any(|a| a.tasks_behind_nat()) && oc.uses_nat(),
            "nat_gb",
            "GB",
            oc.nat_gb,
        ),
        (
            used.iter().any(|a| a.nat_gateways > 0),
            "nat_gateway_hour",
            "gateway-hour",
            oc.nat_gateway_hour,
        ),
    ] {
        let (true, Some(r)) = (which, rate) else {
            continue;
        };
        let (origin, uncertain) = match r.source {
            RateSource::Scenario => (format!("scenario [pricing] {key}"), false),
            RateSource::BuiltIn(s) => (format!("built-in ({s})"), s.contains("UNCERTAIN")),
        };
        out.push(PriceUsed {
            item: key.to_string(),
            usd: r.usd,
            list_usd: if f > 0.0 { r.usd / f } else { r.usd },
            unit: unit.to_string(),
            origin,
            uncertain,
        });
    }
    out
}

/// The scenario of a run, described for a reader (run.json `scenario_details`).
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    /// Scenario name.
    pub name: String,
    /// The scenario's description (scenario files have none yet: `null`).
    pub description: Option<String>,
    /// Simulated time, seconds; `null` when the run lasts until the workload is done.
    pub horizon_s: Option<f64>,
    /// Seed used.
    pub seed: u64,
    /// Sampling step of timeseries.csv, seconds.
    pub metrics_interval_s: f64,
    /// The arms simulated, in order.
    pub arms: Vec<ArmDetails>,
    /// The public IPv4, load balancer and NAT rates the run uses, each with its source
    /// (built-in rates name their docs/reference section and UNCERTAIN label; docs/model.md
    /// §18); left out when the run uses none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_charges: Vec<String>,
    /// What the figures rest on, with sources: prices, Spot, quotas, other charges,
    /// commitments (report.html's "Assumptions"); left out when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<Assumption>,
}

/// One arm of [`ScenarioInfo`].
#[derive(Debug, Clone, Serialize)]
pub struct ArmDetails {
    /// Arm name.
    pub name: String,
    /// `EC2` or `FARGATE`.
    pub launch_type: String,
    /// EC2: every instance type of its providers, in order, once each; Fargate: empty.
    pub instance_types: Vec<String>,
    /// Fargate: the task CPU architecture (`x86_64`, `arm64`); EC2: `null`.
    pub cpu_architecture: Option<String>,
    /// The arm's capacity providers (Fargate: `FARGATE` and `FARGATE_SPOT`).
    pub capacity_providers: Vec<ProviderDetails>,
    /// The capacity-provider strategy, in order.
    pub provider_strategy: Vec<StrategyEntry>,
    /// The whole arm in a line, e.g. `EC2 m5.xlarge, fixed 12 instances`.
    pub description: String,
}

/// One capacity provider of an arm.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderDetails {
    /// Provider name.
    pub name: String,
    /// `on-demand` or `spot`.
    pub purchase: String,
    /// Instance types in launch-priority order (Fargate: empty).
    pub instance_types: Vec<String>,
    /// `fixed`, `managed` or `fargate`.
    pub capacity: String,
    /// Fixed fleet size.
    pub fixed: Option<u32>,
    /// Managed scaling: ASG minimum.
    pub min: Option<u32>,
    /// Managed scaling: ASG maximum.
    pub max: Option<u32>,
    /// Managed scaling: `targetCapacity`, percent.
    pub target_capacity_percent: Option<u32>,
    /// In words, e.g. `managed 0-20 instances, target 100%`.
    pub description: String,
}

/// One entry of a capacity-provider strategy.
#[derive(Debug, Clone, Serialize)]
pub struct StrategyEntry {
    /// Provider name.
    pub provider: String,
    /// Tasks it runs before weights apply.
    pub base: u32,
    /// Relative share after the base.
    pub weight: u32,
}

/// Describe the arms `arms` (indexes, in order) of `scenario` run under `seed`.
pub fn scenario_info(scenario: &Scenario, arms: &[usize], seed: u64) -> ScenarioInfo {
    ScenarioInfo {
        name: scenario.name.clone(),
        description: None,
        horizon_s: scenario.horizon.map(|h| h.as_ms() as f64 / 1000.0),
        seed,
        metrics_interval_s: scenario.metrics_interval.as_ms() as f64 / 1000.0,
        arms: arms
            .iter()
            .filter_map(|&i| scenario.arms.get(i))
            .map(arm_details)
            .collect(),
        other_charges: {
            let used: Vec<&crate::scenario::Arm> =
                arms.iter().filter_map(|&i| scenario.arms.get(i)).collect();
            scenario
                .other_charges
                .describe(
                    used.iter().any(|a| a.assign_public_ip),
                    used.iter().any(|a| a.tasks_behind_nat()),
                    used.iter().any(|a| a.nat_gateways > 0),
                )
                .lines()
                .map(|l| l.trim().to_string())
                .collect()
        },
        assumptions: assumptions(scenario, arms),
    }
}

fn arm_details(arm: &crate::scenario::Arm) -> ArmDetails {
    let (providers, instance_types, cpu_architecture) = match &arm.kind {
        ArmKind::Ec2(e) => {
            let providers: Vec<ProviderDetails> = e
                .providers
                .iter()
                .map(|p| {
                    let (capacity, fixed, min, max, target, description) = match &p.capacity {
                        Capacity::Fixed(n) => (
                            "fixed",
                            Some(*n),
                            None,
                            None,
                            None,
                            format!("fixed {n} instances"),
                        ),
                        Capacity::Managed { min, max, scaling } => (
                            "managed",
                            None,
                            Some(*min),
                            Some(*max),
                            Some(scaling.target_capacity),
                            format!(
                                "managed {min}-{max} instances, target {}%",
                                scaling.target_capacity
                            ),
                        ),
                    };
                    let spot = matches!(p.purchase, Purchase::Spot { .. });
                    ProviderDetails {
                        name: p.name.clone(),
                        purchase: if spot { "spot" } else { "on-demand" }.to_string(),
                        instance_types: p.instance_types.iter().map(|t| t.name.clone()).collect(),
                        capacity: capacity.to_string(),
                        fixed,
                        min,
                        max,
                        target_capacity_percent: target,
                        description: if spot {
                            format!("{description}, Spot")
                        } else {
                            description
                        },
                    }
                })
                .collect();
            let mut types: Vec<String> = Vec::new();
            for t in providers.iter().flat_map(|p| &p.instance_types) {
                if !types.contains(t) {
                    types.push(t.clone());
                }
            }
            (providers, types, None)
        }
        ArmKind::Fargate(f) => {
            let provider = |name: &str, purchase: &str| ProviderDetails {
                name: name.to_string(),
                purchase: purchase.to_string(),
                instance_types: Vec::new(),
                capacity: "fargate".to_string(),
                fixed: None,
                min: None,
                max: None,
                target_capacity_percent: None,
                description: format!("{name} ({})", f.architecture),
            };
            (
                vec![
                    provider("FARGATE", "on-demand"),
                    provider("FARGATE_SPOT", "spot"),
                ],
                Vec::new(),
                Some(f.architecture.to_string()),
            )
        }
        ArmKind::ManagedInstances(m) => {
            let types: Vec<String> = m
                .types
                .iter()
                .map(|t| t.instance_type.name.clone())
                .collect();
            (
                vec![ProviderDetails {
                    name: "MANAGED_INSTANCES".to_string(),
                    purchase: "on-demand".to_string(),
                    instance_types: types.clone(),
                    capacity: "managed-instances".to_string(),
                    fixed: None,
                    min: Some(0),
                    max: Some(m.max_instances),
                    target_capacity_percent: None,
                    description: format!(
                        "ECS Managed Instances, up to {} instances, {}",
                        m.max_instances, m.network_mode
                    ),
                }],
                types,
                None,
            )
        }
        ArmKind::External(x) => (
            vec![ProviderDetails {
                name: "EXTERNAL".to_string(),
                purchase: "owned".to_string(),
                instance_types: x.servers.iter().map(|g| g.name.clone()).collect(),
                capacity: "external".to_string(),
                fixed: Some(x.server_count()),
                min: None,
                max: None,
                target_capacity_percent: None,
                description: format!("ECS Anywhere, {} own servers", x.server_count()),
            }],
            x.servers.iter().map(|g| g.name.clone()).collect(),
            None,
        ),
    };
    let provider_strategy: Vec<StrategyEntry> = arm
        .provider_strategy
        .iter()
        .map(|s| StrategyEntry {
            provider: arm.provider_name(s.provider),
            base: s.base,
            weight: s.weight,
        })
        .collect();
    ArmDetails {
        description: describe(
            arm,
            &providers,
            &provider_strategy,
            cpu_architecture.as_deref(),
        ),
        name: arm.name.clone(),
        launch_type: arm.launch_type().to_string(),
        instance_types,
        cpu_architecture,
        capacity_providers: providers,
        provider_strategy,
    }
}

/// The arm in a line: `EC2 m5.xlarge, fixed 12 instances`; `FARGATE x86_64`; with several
/// providers in use, each (`name: types, capacity`) and the strategy.
fn describe(
    arm: &crate::scenario::Arm,
    providers: &[ProviderDetails],
    strategy: &[StrategyEntry],
    architecture: Option<&str>,
) -> String {
    let used: Vec<&StrategyEntry> = strategy
        .iter()
        .filter(|s| s.weight > 0 || s.base > 0)
        .collect();
    let provider = |name: &str| providers.iter().find(|p| p.name == name);
    let ec2 = |p: &ProviderDetails| format!("{}, {}", p.instance_types.join("/"), p.description);
    let mut text = arm.launch_type().to_string();
    match (architecture, used.as_slice()) {
        (Some(arch), [only]) if only.provider == "FARGATE" => text += &format!(" {arch}"),
        (None, [only]) => {
            if let Some(p) = provider(&only.provider) {
                text += &format!(" {}", ec2(p));
            }
        }
        (arch, _) => {
            if let Some(arch) = arch {
                text += &format!(" {arch}");
            } else {
                let parts: Vec<String> = used
                    .iter()
                    .filter_map(|s| provider(&s.provider))
                    .map(|p| format!("{}: {}", p.name, ec2(p)))
                    .collect();
                text += &format!(" {}", parts.join("; "));
            }
            let split: Vec<String> = used
                .iter()
                .map(|s| {
                    if s.base > 0 {
                        format!("{} base {} weight {}", s.provider, s.base, s.weight)
                    } else {
                        format!("{} weight {}", s.provider, s.weight)
                    }
                })
                .collect();
            text += &format!("; strategy {}", split.join(", "));
        }
    }
    text
}

/// Per-arm provenance.
#[derive(Debug, Clone, Serialize)]
pub struct ArmInfo {
    /// Arm name.
    pub name: String,
    /// Launch type.
    pub launch_type: String,
    /// Events processed.
    pub events_processed: u64,
    /// Simulated end time, seconds (for a saturated arm, when it hit the bound).
    pub end_s: f64,
    /// How the arm ended: `complete`, `incomplete` or `saturated` (summary.csv `outcome`).
    pub outcome: String,
    /// Why, when it is not complete (summary.csv `outcome_reason`).
    pub outcome_reason: Option<String>,
}

/// run.json bytes (pretty-printed, trailing newline).
pub fn run_json(info: &RunInfo) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(info).unwrap_or_default();
    v.push(b'\n');
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str) -> Scenario {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name);
        crate::scenario::load(&p).unwrap()
    }

    #[test]
    fn quickstart_is_described_arm_by_arm() {
        let s = load("quickstart.toml");
        let info = scenario_info(&s, &[0, 1], 9);
        let v = serde_json::to_value(&info).unwrap();
        assert_eq!(v["name"], "quickstart");
        assert!(v["description"].is_null());
        assert_eq!(v["horizon_s"], 86_400.0);
        assert_eq!(v["seed"], 9);
        assert_eq!(v["metrics_interval_s"], 60.0);
        let ec2 = &v["arms"][0];
        assert_eq!(ec2["name"], "ec2-m5");
        assert_eq!(ec2["launch_type"], "EC2");
        assert_eq!(ec2["instance_types"], serde_json::json!(["m5.xlarge"]));
        assert_eq!(ec2["capacity_providers"][0]["capacity"], "fixed");
        assert_eq!(ec2["capacity_providers"][0]["fixed"], 12);
        assert_eq!(ec2["capacity_providers"][0]["purchase"], "on-demand");
        assert_eq!(ec2["description"], "EC2 m5.xlarge, fixed 12 instances");
        let fg = &v["arms"][1];
        assert_eq!(fg["launch_type"], "FARGATE");
        assert_eq!(fg["cpu_architecture"], "x86_64");
        assert_eq!(fg["provider_strategy"][0]["provider"], "FARGATE");
        assert_eq!(fg["description"], "FARGATE x86_64");
        // --only: just the arms simulated.
        assert_eq!(scenario_info(&s, &[1], 9).arms.len(), 1);
    }

    #[test]
    fn managed_and_spot_providers_are_described() {
        let s = load("spot-fleet.toml");
        let info = scenario_info(&s, &(0..s.arms.len()).collect::<Vec<_>>(), 1);
        let providers: Vec<&ProviderDetails> = info
            .arms
            .iter()
            .flat_map(|a| &a.capacity_providers)
            .collect();
        assert!(providers.iter().any(|p| p.purchase == "spot"));
        for p in providers.iter().filter(|p| p.capacity == "managed") {
            assert!(p.min.is_some() && p.max.is_some() && p.target_capacity_percent.is_some());
            assert!(p.description.starts_with("managed "), "{}", p.description);
        }
        assert_eq!(
            info.arms[1].description,
            "EC2 od: m5.xlarge, managed 0-40 instances, target 100%; spot: m5.xlarge/m6i.xlarge, \
managed 0-60 instances, target 100%, Spot; strategy od base 10 weight 1, spot weight 3"
        );
    }
}
