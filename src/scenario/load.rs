//! Reading and validating a scenario file: the `Validator` walks the raw serde structs and
//! builds the [`Scenario`], one file per part of the file under `load/` (arms, instance types,
//! the workload, jobs, services, task definitions, pricing, sizes, distributions, constraints),
//! with the model's defaults in [`defaults`]; the bounds it checks are in
//! [`crate::scenario::limits`].

mod arms;
mod capacity_providers;
mod commitments;
mod constraints;
mod daemons;
pub mod defaults;
mod distributions;
mod instance_types;
mod jobs;
mod os;
mod other_charges;
mod pricing;
mod services;
mod sizes;
mod stop_timeout;
mod suggest;
mod task_defs;
mod workload;

use task_defs::TaskDefinitionUse;

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::model::Catalog;
use crate::scenario::error::SourceMap;
use crate::scenario::limits::{MAX_CONSTRAINTS, MAX_SAMPLES, samples_for};
use crate::scenario::raw::RawScenario;
use crate::scenario::{ArmKind, Scenario, ScenarioError, Workload};
use defaults::{DEFAULT_METRICS_INTERVAL, DEFAULT_SEED};
use suggest::suggest;

/// Read and validate the scenario at `path`.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let bytes = std::fs::read(path).map_err(|error| ScenarioError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let byte = e.as_bytes()[offset];
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        SourceMap { path, text: &text }.error_at(
            offset,
            format!(
                "found the byte 0x{byte:02X}, which is not valid UTF-8; expected a UTF-8 text file"
            ),
        )
    })?;
    load_str(path, &text)
}

/// Validate scenario `text`, as if read from `path` (which locates the trace and names errors).
pub fn load_str(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
    let map = SourceMap { path, text };
    let raw: RawScenario = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let msg = map.toml_message(offset, plain(e.message().trim()));
        map.error_at(offset, msg)
    })?;
    Validator {
        map,
        warnings: Vec::new(),
        task_definitions: Vec::new(),
    }
    .scenario(raw)
}

struct Validator<'a> {
    map: SourceMap<'a>,
    warnings: Vec<String>,
    /// Task definitions in use, checked against the arms.
    task_definitions: Vec<TaskDefinitionUse>,
}

type R<T> = Result<T, ScenarioError>;

impl Validator<'_> {
    fn err(&self, span: Range<usize>, msg: impl Into<String>) -> ScenarioError {
        self.map.error_in(span, msg)
    }

    fn scenario(mut self, raw: RawScenario) -> R<Scenario> {
        let path = self.map.path;
        let name = match &raw.name {
            Some(n) => {
                let s = n.get_ref().trim();
                if s.is_empty() || s.contains(['/', '\\']) || s == "." || s == ".." {
                    return Err(self.err(n.span(), format!("`name`: found `{s}`; expected a non-empty name without `/` or `\\` (it names the output folder)")));
                }
                s.to_string()
            }
            None => path.file_stem().map_or_else(
                || "scenario".to_string(),
                |s| s.to_string_lossy().into_owned(),
            ),
        };
        let seed = match &raw.seed {
            Some(s) if *s.get_ref() < 0 => {
                return Err(self.err(
                    s.span(),
                    format!(
                        "`seed`: found {}; expected a non-negative integer",
                        s.get_ref()
                    ),
                ));
            }
            Some(s) => *s.get_ref() as u64,
            None => DEFAULT_SEED,
        };
        let horizon = raw.horizon.as_ref().map(|h| (h.get_ref().0, h.span()));
        if let Some((d, span)) = &horizon
            && d.as_ms() == 0
        {
            return Err(self.err(
                span.clone(),
                "`horizon`: found 0; expected a positive duration such as \"24h\"",
            ));
        }
        let metrics_interval = match &raw.metrics_interval {
            Some(m) if m.get_ref().0.as_ms() == 0 => {
                return Err(self.err(
                    m.span(),
                    "`metrics_interval`: found 0; expected a positive duration such as \"1m\"",
                ));
            }
            Some(m) => m.get_ref().0,
            None => DEFAULT_METRICS_INTERVAL,
        };
        if let Some((h, span)) = &horizon
            && samples_for(*h, metrics_interval) > MAX_SAMPLES
        {
            return Err(self.err(
                span.clone(),
                format!("`horizon` / `metrics_interval` gives more than {MAX_SAMPLES} samples; expected a longer metrics_interval"),
            ));
        }
        let (mut pricing, price_list) = self.pricing(raw.pricing.as_ref())?;
        if let Some(p) = &raw.pricing {
            self.windows_pricing(p, &mut pricing)?;
        }
        let mut catalog = Catalog::builtin();
        crate::scenario::prices::price_catalog(&mut catalog, &mut pricing, price_list.as_ref());
        for it in &raw.instance_type {
            let t = self.instance_type(it, &catalog)?;
            if it.get_ref().price_per_hour.is_some() {
                pricing::scenario_origin(
                    &mut pricing,
                    crate::scenario::prices::item::ec2(crate::model::Os::Linux, &t.name),
                    t.price_per_hour,
                    "instance-hour",
                    "[[instance_type]] price_per_hour",
                );
                if let Some(o) = pricing.origins.get_mut(&format!("ec2 linux {}", t.name)) {
                    o.origin = format!("scenario [[instance_type]] `{}` price_per_hour", t.name);
                }
            }
            catalog.upsert(t);
        }
        if let Some(p) = &raw.pricing {
            for (ty, price) in &p.ec2 {
                let v = *price.get_ref();
                if !(v.is_finite() && v >= 0.0) {
                    return Err(self.err(price.span(), format!("`pricing.ec2.\"{ty}\"`: found {v}; expected a non-negative price per hour")));
                }
                match catalog.get(ty) {
                    Some(t) => {
                        let mut t = t.clone();
                        t.price_per_hour = v;
                        pricing::scenario_origin(
                            &mut pricing,
                            crate::scenario::prices::item::ec2(crate::model::Os::Linux, &t.name),
                            v,
                            "instance-hour",
                            &format!("ec2.\"{}\"", t.name),
                        );
                        catalog.upsert(t);
                    }
                    None => return Err(self.err(price.span(), format!("`pricing.ec2`: unknown instance type `{ty}`; expected a catalog type (see `sim catalog instance-types`) or one defined in [[instance_type]]"))),
                }
            }
        }
        let workload = match &raw.workload {
            Some(w) => self.workload(w, path, horizon.as_ref().map(|h| h.0))?,
            None => Workload::default(),
        };
        if workload.trace.is_none() && workload.jobs.is_empty() && workload.services.is_empty() {
            return Err(self.map.error_at(raw.workload.as_ref().map_or(0, |w| w.span().start), "the workload is empty; expected `[workload]` with a `trace`, at least one `[[workload.jobs]]` or at least one `[[workload.services]]`"));
        }
        if raw.arm.is_empty() {
            return Err(self.map.error_at(
                self.map.text.len(),
                "no `[[arm]]`; expected at least one launch configuration to simulate",
            ));
        }
        let mut arms = Vec::new();
        let mut names = BTreeSet::new();
        for a in &raw.arm {
            let mut arm = self.arm(a, &catalog, &pricing)?;
            if !names.insert(arm.name.clone()) {
                return Err(self.err(
                    a.get_ref().name.span(),
                    format!(
                        "`arm.name`: `{}` is used by another arm; expected unique names",
                        arm.name
                    ),
                ));
            }
            if let ArmKind::Ec2(e) = &arm.kind {
                for j in &workload.jobs {
                    let n = e.constraints.len() + j.constraints.len();
                    if n > MAX_CONSTRAINTS {
                        return Err(self.err(a.get_ref().name.span(), format!(
                            "arm `{}` and job `{}` together give {n} placement constraints; ECS allows at most {MAX_CONSTRAINTS} per task (task definition and RunTask combined)",
                            arm.name, j.name
                        )));
                    }
                }
                for sv in &workload.services {
                    let n = e.constraints.len() + sv.constraints.len();
                    if n > MAX_CONSTRAINTS {
                        return Err(self.err(a.get_ref().name.span(), format!(
                            "arm `{}` and service `{}` together give {n} placement constraints; ECS allows at most {MAX_CONSTRAINTS} per task (task definition and service combined)",
                            arm.name, sv.name
                        )));
                    }
                }
            } else {
                let constrained: Vec<String> = workload
                    .jobs
                    .iter()
                    .filter(|j| !j.constraints.is_empty())
                    .map(|j| format!("`{}`", j.name))
                    .collect();
                if !constrained.is_empty() {
                    self.warnings.push(format!(
                        "arm `{}`: the placement constraints of job(s) {} do not apply on Fargate (docs/reference/ecs-facts.md §1.7)",
                        arm.name,
                        constrained.join(", ")
                    ));
                }
                let placed: Vec<String> = workload
                    .services
                    .iter()
                    .filter(|s| !s.constraints.is_empty() || s.strategy.is_some())
                    .map(|s| format!("`{}`", s.name))
                    .collect();
                if !placed.is_empty() {
                    self.warnings.push(format!(
                        "arm `{}`: the placement constraints and strategies of service(s) {} do not apply on Fargate (docs/reference/ecs-facts.md §1.7)",
                        arm.name,
                        placed.join(", ")
                    ));
                }
            }
            self.check_arm_os(a, &mut arm, &workload, &pricing)?;
            self.check_task_definitions(&arm);
            arms.push(arm);
        }
        if let Some(w) = &raw.workload {
            self.check_daemons(&w.get_ref().daemons, &workload.daemons, &arms)?;
        }
        self.region_prices(&raw, &pricing, &workload, &arms)?;
        self.unused_discounts(raw.pricing.as_ref(), &arms);
        let mut other_charges = self.other_charges(&raw, &pricing.region, &arms)?;
        Self::apply_discount(&mut pricing, &mut catalog, &mut arms, &mut other_charges);
        let commitments = self.commitments(&raw.commitment, &arms, &catalog, &pricing)?;
        let scenario = Scenario {
            name,
            path: path.to_path_buf(),
            source_sha256: hex(&Sha256::digest(self.map.text.as_bytes())),
            seed,
            horizon: horizon.map(|h| h.0),
            metrics_interval,
            pricing,
            other_charges,
            catalog,
            workload,
            arms,
            commitments,
            warnings: std::mem::take(&mut self.warnings),
        };
        if scenario.horizon.is_none() && !scenario.workload.services.is_empty() {
            return Err(self.map.error_at(0, "no `horizon`, and the workload has services: services run until the horizon, so the run would never end; expected `horizon = \"24h\"`"));
        }
        if scenario.horizon.is_none() && !scenario.workload_is_finite() {
            return Err(self.map.error_at(0, "no `horizon`, and a job stream has neither `end` nor `max_tasks`: the run would never end; expected `horizon = \"24h\"` (or an end on every job)"));
        }
        Ok(scenario)
    }

    /// Warnings where a task definition asks for what the arm decides (docs/model.md §17.5).
    fn check_task_definitions(&mut self, arm: &crate::scenario::Arm) {
        let mut found = Vec::new();
        for u in &self.task_definitions {
            // requiresCompatibilities: ECS runs a task only on a launch type it lists.
            let launch = arm.launch_type();
            if !u.compatibilities.is_empty() && !u.compatibilities.iter().any(|c| c == launch) {
                found.push(format!("arm `{}`: the task definition of {} has requiresCompatibilities [{}], without {launch}, so ECS would not run it on this arm; sim runs it as if it were compatible", arm.name, u.what, u.compatibilities.join(", ")));
            }
            match &arm.kind {
                ArmKind::Ec2(e) => {
                    if let Some(m) = u.network_mode
                        && m != e.network_mode
                    {
                        found.push(format!("arm `{}`: the task definition of {} has networkMode `{m}`, but the arm's network_mode `{}` decides how its tasks are networked", arm.name, u.what, e.network_mode));
                    }
                }
                ArmKind::ManagedInstances(m) => {
                    // "You will not be able to run tasks on Amazon ECS Managed Instances using a
                    // task definition that does not specify a network mode"
                    // (docs/reference/managed-instances.md §1.6).
                    match u.network_mode {
                        None => found.push(format!("arm `{}`: the task definition of {} has no networkMode, and ECS Managed Instances refuses such task definitions (docs/reference/managed-instances.md §1.6); sim runs it in the arm's network_mode `{}`", arm.name, u.what, m.network_mode)),
                        Some(n) if n != m.network_mode => found.push(format!("arm `{}`: the task definition of {} has networkMode `{n}`, but the arm's network_mode `{}` decides how its tasks are networked", arm.name, u.what, m.network_mode)),
                        Some(_) => {}
                    }
                }
                ArmKind::External(x) => {
                    if let Some(n) = u.network_mode
                        && n != x.network_mode
                    {
                        found.push(format!("arm `{}`: the task definition of {} has networkMode `{n}`, but the arm's network_mode `{}` decides how its tasks are networked", arm.name, u.what, x.network_mode));
                    }
                }
                ArmKind::Fargate(f) => {
                    if !u.task_level_size {
                        found.push(format!("arm `{}`: the task definition of {} has no task-level `cpu` and `memory`, which Fargate requires (docs/reference/ecs-facts.md §1.1); sim rounds the container sum up to a Fargate size", arm.name, u.what));
                    }
                    if let Some(a) = u.cpu_architecture
                        && a != f.architecture
                    {
                        found.push(format!("arm `{}`: the task definition of {} asks for {a}, but the arm's cpu_architecture `{}` decides the Fargate price", arm.name, u.what, f.architecture));
                    }
                }
            }
        }
        self.warnings.extend(found);
    }

    fn int_in(&self, v: &Spanned<i64>, key: &str, lo: i64, hi: i64) -> R<u32> {
        let x = *v.get_ref();
        if x < lo || x > hi {
            return Err(self.err(
                v.span(),
                format!("`{key}`: found {x}; expected an integer in {lo}..={hi}"),
            ));
        }
        Ok(x as u32)
    }
}

/// A message from the TOML parser with serde's Rust type names (`i64`, `struct RawArm`,
/// `a sequence`) put in the scenario's terms.
/// A TOML/serde message in the words the scenario errors use (`expected an integer`, not
/// `expected i64`).
pub fn plain(msg: &str) -> String {
    let mut m = msg
        .replace(
            "` as i128, expected i64",
            "`, expected an integer that fits in 64 bits",
        )
        .replace("expected i64", "expected an integer")
        .replace("expected u32", "expected an integer in 0..=4294967295")
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected an array")
        .replace("expected a map", "expected a table");
    if let Some(i) = m.find("expected struct ") {
        m.truncate(i);
        m.push_str("expected a table");
    }
    m
}

/// `path` relative to the scenario file's folder (absolute paths unchanged).
pub fn resolve(scenario: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        scenario.parent().unwrap_or(Path::new(".")).join(p)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Distribution;
    use crate::time::{SimDuration, SimTime};
    use defaults::{DEFAULT_FARGATE_SPOT_DISCOUNT, INSTANCE_LAUNCH};

    use crate::scenario::{
        Capacity, FARGATE, FARGATE_SPOT, LoadCurve, ManagedScaling, OnInterruption, ProviderShare,
        Purchase,
    };

    pub(super) fn ok(text: &str) -> Scenario {
        match load_str(Path::new("s.toml"), text) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    pub(super) fn err(text: &str) -> String {
        match load_str(Path::new("s.toml"), text) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    pub(super) const JOB: &str = "[[workload.jobs]]\nname = \"etl\"\narrival = { poisson = { per_hour = 60 } }\nduration = \"5m\"\ncpu = 1024\nmemory = 2048\n";

    const FULL: &str = r#"
horizon = "24h"
[pricing]
spot_discount = 0.65
fargate_spot_discount = 0.6

[[workload.services]]
name = "web"
cpu = 512
memory = 1024
desired = 6
ephemeral_storage_gib = 30
host_ports = [8080]
placement_constraints = [{ type = "distinctInstance" }]
placement_strategy = [{ type = "binpack", field = "memory" }]
deployments = ["18h", "6h"]
deployment = { minimum_healthy_percent = 50, maximum_percent = 150 }
autoscaling = { target_cpu_percent = 60, min = 2, max = 40, scale_in_cooldown = "10m",
                load = { diurnal = { mean = 0.45, peak_ratio = 2.0, peak_at = "14h" } } }

[[workload.services]]
name = "api"
cpu = 256
memory = 512
desired = 1
autoscaling = { target_cpu_percent = 50.5, min = 1, max = 4, load = 0.3, scale_out_cooldown = 60 }

[[arm]]
name = "ec2"
launch_type = "EC2"
availability_zones = ["us-east-1a", "us-east-1b"]
network_mode = "awsvpc"
subnet_ips = { "us-east-1b" = 100, "us-east-1a" = 250 }
on_interruption = "lose"
capacity_provider_strategy = [{ provider = "spot", weight = 3 }, { provider = "od", base = 2, weight = 1 }]

[[arm.capacity_providers]]
name = "od"
instance_types = ["m5.xlarge"]
capacity = { fixed = 4 }

[[arm.capacity_providers]]
name = "spot"
instance_types = ["m5.large", "c5.large"]
capacity = { min = 1, max = 50, managed_scaling = { target_capacity = 90, minimum_scaling_step_size = 2, maximum_scaling_step_size = 20, instance_warmup_period = "2m" } }
purchase = "spot"
spot_interruptions_per_hour = 0.05
instance_launch_latency = "3m"

[[arm]]
name = "single"
launch_type = "EC2"
instance_types = ["m5.large"]
capacity = { max = 10 }
purchase = "on-demand"
instance_launch_latency = "1m"

[[arm]]
name = "fargate"
launch_type = "FARGATE"
capacity_provider_strategy = [{ provider = "FARGATE", base = 2, weight = 1 }, { provider = "FARGATE_SPOT", weight = 3 }]
spot_interruptions_per_hour = 0.1
fargate_vcpu_quota = 4000
availability_zones = ["us-east-1a", "us-east-1b"]
subnet_ips = 500

[[arm]]
name = "fspot"
launch_type = "FARGATE_SPOT"
"#;

    #[test]
    fn every_new_key_parses_into_its_value() {
        let s = ok(FULL);
        assert_eq!(s.pricing.ec2_spot_discount, Some(0.65));
        assert_eq!(s.pricing.fargate_spot_discount, 0.6);

        let ArmKind::Ec2(e) = &s.arms[0].kind else {
            panic!("ec2 arm")
        };
        assert_eq!(e.providers.len(), 2);
        let (od, spot) = (&e.providers[0], &e.providers[1]);
        assert_eq!(od.name, "od");
        assert_eq!(od.capacity, Capacity::Fixed(4));
        assert_eq!(od.purchase, Purchase::OnDemand);
        assert_eq!(od.instance_launch_latency, INSTANCE_LAUNCH);
        assert_eq!(spot.name, "spot");
        let names: Vec<&str> = spot
            .instance_types
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, ["m5.large", "c5.large"]);
        assert_eq!(
            spot.capacity,
            Capacity::Managed {
                min: 1,
                max: 50,
                scaling: ManagedScaling {
                    target_capacity: 90,
                    minimum_scaling_step_size: 2,
                    maximum_scaling_step_size: 20,
                    instance_warmup_period: SimDuration::from_secs(120),
                },
            }
        );
        assert_eq!(
            spot.purchase,
            Purchase::Spot {
                discount: 0.65,
                interruptions_per_hour: 0.05
            }
        );
        assert_eq!(
            spot.instance_launch_latency,
            Distribution::Fixed(SimDuration::from_secs(180))
        );
        let a = &s.arms[0];
        assert_eq!(
            a.provider_strategy,
            [
                ProviderShare {
                    provider: 1,
                    base: 0,
                    weight: 3
                },
                ProviderShare {
                    provider: 0,
                    base: 2,
                    weight: 1
                },
            ]
        );
        assert_eq!(a.on_interruption, OnInterruption::Lose);
        assert_eq!(a.zones, ["us-east-1a", "us-east-1b"]);
        assert_eq!(a.subnet_ips, Some(vec![250, 100]), "in zone order");

        let single = &s.arms[1];
        let ArmKind::Ec2(e) = &single.kind else {
            panic!("ec2 arm")
        };
        assert_eq!(e.providers.len(), 1);
        assert_eq!(e.providers[0].name, "single");
        assert_eq!(
            e.providers[0].capacity,
            Capacity::Managed {
                min: 0,
                max: 10,
                scaling: ManagedScaling::default()
            }
        );
        assert_eq!(
            single.provider_strategy,
            [ProviderShare {
                provider: 0,
                base: 0,
                weight: 1
            }]
        );
        assert_eq!(single.on_interruption, OnInterruption::Restart);
        assert_eq!(single.subnet_ips, None);

        let f = &s.arms[2];
        let ArmKind::Fargate(fa) = &f.kind else {
            panic!("fargate arm")
        };
        assert_eq!(fa.spot_discount, 0.6);
        assert_eq!(fa.spot_interruptions_per_hour, 0.1);
        assert_eq!(fa.vcpu_quota, Some(4000));
        assert_eq!(
            f.provider_strategy,
            [
                ProviderShare {
                    provider: FARGATE,
                    base: 2,
                    weight: 1
                },
                ProviderShare {
                    provider: FARGATE_SPOT,
                    base: 0,
                    weight: 3
                },
            ]
        );
        assert_eq!(f.zones, ["us-east-1a", "us-east-1b"]);
        assert_eq!(f.subnet_ips, Some(vec![500, 500]));
        let fs = &s.arms[3];
        assert_eq!(
            fs.provider_strategy,
            [ProviderShare {
                provider: FARGATE_SPOT,
                base: 0,
                weight: 1
            }]
        );
        assert_eq!(fs.launch_type(), "FARGATE");

        let web = &s.workload.services[0];
        assert_eq!(web.name, "web");
        assert_eq!(
            (web.cpu_units, web.memory_mib, web.storage_gib),
            (512, 1024, 30)
        );
        assert_eq!(web.desired, 6);
        assert_eq!(web.host_ports, [8080]);
        assert_eq!(web.constraints.len(), 1);
        assert_eq!(web.strategy.as_ref().map(Vec::len), Some(1));
        assert_eq!(
            web.deployments,
            [SimTime(6 * 3_600_000), SimTime(18 * 3_600_000)],
            "sorted"
        );
        assert_eq!(web.deployment.minimum_healthy_percent, 50);
        assert_eq!(web.deployment.maximum_percent, 150);
        let auto = web.autoscaling.as_ref().expect("autoscaling");
        assert_eq!(auto.target_cpu_percent, 60.0);
        assert_eq!((auto.min, auto.max), (2, 40));
        assert_eq!(
            auto.load,
            LoadCurve::Diurnal {
                mean: 0.45,
                peak_ratio: 2.0,
                peak_at: SimDuration::from_secs(14 * 3600)
            }
        );
        assert_eq!(auto.scale_in_cooldown, SimDuration::from_secs(600));
        assert_eq!(auto.scale_out_cooldown, SimDuration::from_secs(300));
        let api = &s.workload.services[1];
        assert!(api.deployments.is_empty() && api.strategy.is_none());
        assert_eq!(api.deployment, crate::scenario::DeploymentConfig::default());
        let auto = api.autoscaling.as_ref().expect("autoscaling");
        assert_eq!(auto.load, LoadCurve::Constant(0.3));
        assert_eq!(auto.target_cpu_percent, 50.5);
        assert_eq!(auto.scale_in_cooldown, SimDuration::from_secs(300));
        assert_eq!(auto.scale_out_cooldown, SimDuration::from_secs(60));
        assert!(!s.workload_is_finite());
        // The managed single-provider arm launches, so its instance_launch_latency matters.
        assert!(
            !s.warnings
                .iter()
                .any(|w| w.contains("instance_launch_latency")),
            "{:?}",
            s.warnings
        );
    }

    #[test]
    fn defaults_without_the_new_keys() {
        let s = ok(&format!(
            "horizon = \"1h\"\n{JOB}[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ncapacity = {{ fixed = 2 }}\n[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n"
        ));
        assert_eq!(s.pricing.ec2_spot_discount, None);
        assert_eq!(
            s.pricing.fargate_spot_discount,
            DEFAULT_FARGATE_SPOT_DISCOUNT
        );
        assert_eq!(
            crate::model::Pricing::us_east_1().fargate_spot_discount,
            DEFAULT_FARGATE_SPOT_DISCOUNT
        );
        let share = |provider| ProviderShare {
            provider,
            base: 0,
            weight: 1,
        };
        assert_eq!(s.arms[0].provider_strategy, [share(0)]);
        assert_eq!(s.arms[1].provider_strategy, [share(FARGATE)]);
        for a in &s.arms {
            assert_eq!(a.on_interruption, OnInterruption::Restart);
            assert_eq!(a.subnet_ips, None);
        }
        let ArmKind::Fargate(f) = &s.arms[1].kind else {
            panic!("fargate")
        };
        assert_eq!(f.spot_discount, DEFAULT_FARGATE_SPOT_DISCOUNT);
        assert_eq!((f.spot_interruptions_per_hour, f.vcpu_quota), (0.0, None));
        assert!(s.workload.services.is_empty());
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    #[test]
    fn keys_without_effect_are_warned_about() {
        let w = ok(&format!(
            "horizon = \"1h\"\n[pricing]\nspot_discount = 0.6\nfargate_spot_discount = 0.5\n{JOB}[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 2\ndeployment = {{ maximum_percent = 150 }}\n[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\navailability_zones = [\"us-east-1a\"]\n"
        ))
        .warnings;
        assert_eq!(
            w,
            vec![
                "service `web`: `deployment` has no effect without `deployments` (sim applies minimum_healthy_percent and maximum_percent to rolling deployments only, docs/model.md §16.5)",
                "arm `f`: availability_zones has no effect on a Fargate arm without subnet_ips (Fargate capacity is not per zone in sim; zones matter only for their subnet addresses)",
                "`pricing.spot_discount` has no effect: no arm has a provider with purchase = \"spot\"",
                "`pricing.fargate_spot_discount` has no effect: no arm runs FARGATE_SPOT tasks",
            ]
        );
        let used = ok(&format!(
            "horizon = \"1h\"\n[pricing]\nfargate_spot_discount = 0.5\n{JOB}[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE_SPOT\"\navailability_zones = [\"us-east-1a\"]\nsubnet_ips = 100\n"
        ));
        assert!(used.warnings.is_empty(), "{:?}", used.warnings);
    }

    #[test]
    fn launch_latency_warning_only_for_fixed_on_demand() {
        let arm = |extra: &str| {
            // The Spot discount only where an arm buys Spot (elsewhere it warns, unused).
            let pricing = if extra.contains("spot") {
                "[pricing]\nspot_discount = 0.5\n"
            } else {
                ""
            };
            ok(&format!(
                "horizon = \"1h\"\n{pricing}{JOB}[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\"]\ninstance_launch_latency = \"1m\"\n{extra}"
            ))
            .warnings
        };
        let w = arm("capacity = { fixed = 2 }\n");
        assert!(
            w.iter()
                .any(|w| w.contains("no effect with fixed on-demand capacity")),
            "{w:?}"
        );
        assert!(arm("capacity = { fixed = 2 }\npurchase = \"spot\"\n").is_empty());
        assert!(arm("capacity = { max = 2 }\n").is_empty());
    }

    #[test]
    fn services_alone_are_a_workload_and_warn_when_odd() {
        let s = ok(
            "horizon = \"1h\"\n[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 8\nautoscaling = { target_cpu_percent = 50, min = 1, max = 4, load = 1 }\n[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\non_interruption = \"lose\"\n",
        );
        assert_eq!(s.workload.services.len(), 1);
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("desired 8 is outside autoscaling min..max (1..4)")),
            "{:?}",
            s.warnings
        );
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("on_interruption has no effect without Spot")),
            "{:?}",
            s.warnings
        );
    }

    #[test]
    fn unused_provider_is_warned_about() {
        let s = ok(&format!(
            "horizon = \"1h\"\n{JOB}[[arm]]\nname = \"e\"\nlaunch_type = \"EC2\"\ncapacity_provider_strategy = [{{ provider = \"a\", weight = 1 }}, {{ provider = \"b\" }}]\n[[arm.capacity_providers]]\nname = \"a\"\ninstance_types = [\"m5.large\"]\ncapacity = {{ fixed = 1 }}\n[[arm.capacity_providers]]\nname = \"b\"\ninstance_types = [\"m5.large\"]\ncapacity = {{ max = 3 }}\n"
        ));
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("capacity provider `b`")),
            "{:?}",
            s.warnings
        );
    }

    #[test]
    fn stuck_deployments_follow_the_reference_cases() {
        let service = |desired: u32, extra: &str| {
            format!(
                "horizon = \"1h\"\n[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = {desired}\n{extra}\n[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n"
            )
        };
        let stuck = "deployments = [\"10m\"]\ndeployment = { minimum_healthy_percent = 100, maximum_percent = 125 }";
        // §6.1: desired 3, max 125 -> floor(3.75) = 3, cannot start any; min 100 cannot stop any.
        assert!(err(&service(3, stuck)).contains("a deployment can never progress"));
        // desired 4, max 125 -> 5: one new task can start.
        ok(&service(4, stuck));
        // desired 0: nothing to replace.
        ok(&service(0, stuck));
        // Without deployments the bounds never matter.
        ok(&service(
            3,
            "deployment = { minimum_healthy_percent = 100, maximum_percent = 125 }",
        ));
        // desired 2, min 75 -> ceil(1.5) = 2 cannot stop, but max 200 can start: fine.
        ok(&service(
            2,
            "deployments = [\"10m\"]\ndeployment = { minimum_healthy_percent = 75 }",
        ));
    }

    #[test]
    fn load_csv_becomes_steps() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(
            dir.path().join("load.csv"),
            "time_s,load,note\n0,0.2,night\n3600,0.8,day\n3600.5,0.5,x\n",
        )
        .expect("write csv");
        let text = "horizon = \"1h\"\n[[workload.services]]\nname = \"web\"\ncpu = 256\nmemory = 512\ndesired = 2\nautoscaling = { target_cpu_percent = 50, min = 1, max = 4, load = { csv = \"load.csv\" } }\n[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n";
        let s = match load_str(&dir.path().join("s.toml"), text) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let auto = s.workload.services[0]
            .autoscaling
            .as_ref()
            .expect("autoscaling");
        assert_eq!(
            auto.load,
            LoadCurve::Steps(vec![
                (SimTime(0), 0.2),
                (SimTime(3_600_000), 0.8),
                (SimTime(3_600_500), 0.5)
            ])
        );
    }
}
