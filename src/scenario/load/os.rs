//! Operating systems (`os = "linux" | "windows"` on arms, jobs and services, and a task
//! definition's `runtimePlatform.operatingSystemFamily`): the Windows `[pricing]` keys, the
//! arm-against-task checks, and the Windows prices of EC2 arms (docs/model.md §19;
//! docs/reference/pricing.md §1.1, §1.3, §1.5, §2.1).

use std::collections::BTreeSet;

use toml::Spanned;

use super::task_defs::NamedTaskDefinition;
use super::{R, Validator};
use crate::model::billing::FARGATE_FREE_STORAGE_GIB;
use crate::model::price_book::FargateOsArch;
use crate::model::{Architecture, Os, Pricing};
use crate::scenario::prices::item;
use crate::scenario::raw::{RawArm, RawPricing};
use crate::scenario::{Arm, ArmKind, FARGATE_SPOT, Workload};

impl Validator<'_> {
    /// An `os` key (`key` names it in errors): `linux`, `windows`, or `None` when absent.
    pub(super) fn os_key(&self, v: &Option<Spanned<String>>, key: &str) -> R<Option<Os>> {
        match v {
            None => Ok(None),
            Some(s) => match Os::parse(s.get_ref().trim()) {
                Some(os) => Ok(Some(os)),
                None => Err(self.err(
                    s.span(),
                    format!(
                        "`{key}`: found `{}`; expected `linux` or `windows`",
                        s.get_ref()
                    ),
                )),
            },
        }
    }

    /// The OS of a job's or service's tasks (`what` is `job `etl``): its `os` key, else its
    /// task definition's `runtimePlatform.operatingSystemFamily`, else Linux. The two must
    /// agree when both are given.
    pub(super) fn task_os(
        &self,
        v: &Option<Spanned<String>>,
        key: &str,
        what: &str,
        td: Option<&NamedTaskDefinition>,
    ) -> R<Os> {
        let own = self.os_key(v, key)?;
        let from_td = td.and_then(|t| t.td.os);
        match (own, from_td, v) {
            (Some(a), Some(b), Some(s)) if a != b => Err(self.err(
                s.span(),
                format!("`{key}`: {what} says `{a}`, but its task definition's runtimePlatform.operatingSystemFamily says {b}; expected one operating system (drop `os` to take the task definition's)"),
            )),
            (Some(a), _, _) => Ok(a),
            (None, Some(b), _) => Ok(b),
            (None, None, _) => Ok(Os::Linux),
        }
    }

    /// The Windows `[pricing]` keys: `fargate_windows_vcpu_hour`, `fargate_windows_gb_hour`,
    /// `fargate_windows_os_licence_vcpu_hour` (defaults: the UNCERTAIN built-ins of
    /// docs/reference/pricing.md §1.3) and `ec2_windows = { "m5.large" = 0.188 }`.
    pub(super) fn windows_pricing(&self, raw: &RawPricing, p: &mut Pricing) -> R<()> {
        let w = &mut p.fargate_windows;
        let mut given = Vec::new();
        for (v, key, slot) in [
            (
                &raw.fargate_windows_vcpu_hour,
                "fargate_windows_vcpu_hour",
                &mut w.rates.vcpu_hour,
            ),
            (
                &raw.fargate_windows_gb_hour,
                "fargate_windows_gb_hour",
                &mut w.rates.gb_hour,
            ),
            (
                &raw.fargate_windows_os_licence_vcpu_hour,
                "fargate_windows_os_licence_vcpu_hour",
                &mut w.os_licence_vcpu_hour,
            ),
        ] {
            if let Some(x) = v {
                let f = *x.get_ref();
                if !(f.is_finite() && f >= 0.0) {
                    return Err(self.err(
                        x.span(),
                        format!("`pricing.{key}`: found {f}; expected a non-negative number (USD per hour)"),
                    ));
                }
                *slot = f;
                given.push((key, f));
            }
        }
        for (key, f) in given {
            let (it, unit) = match key {
                "fargate_windows_vcpu_hour" => {
                    (item::fargate_vcpu(FargateOsArch::WindowsX86), "vCPU-hour")
                }
                "fargate_windows_gb_hour" => {
                    (item::fargate_gb(FargateOsArch::WindowsX86), "GB-hour")
                }
                _ => (item::FARGATE_WINDOWS_LICENCE.to_string(), "vCPU-hour"),
            };
            super::pricing::scenario_origin(p, it, f, unit, key);
        }
        for (ty, price) in &raw.ec2_windows {
            let v = *price.get_ref();
            if !(v.is_finite() && v >= 0.0) {
                return Err(self.err(
                    price.span(),
                    format!("`pricing.ec2_windows.\"{ty}\"`: found {v}; expected a non-negative Windows on-demand price per hour"),
                ));
            }
            p.ec2_windows.insert(ty.trim().to_string(), v);
            super::pricing::scenario_origin(
                p,
                item::ec2(Os::Windows, ty.trim()),
                v,
                "instance-hour",
                &format!("ec2_windows.\"{}\"", ty.trim()),
            );
        }
        Ok(())
    }

    /// The checks of arm `arm` (raw `a`) against the OS of the workload, and the Windows prices
    /// of a Windows EC2 arm's instance types (docs/model.md §19):
    /// - a job or service whose OS is not the arm's is refused (ECS runs a Windows task only on
    ///   Windows capacity, and a Linux task only on Linux capacity); trace tasks are Linux;
    /// - a Windows Fargate arm runs no FARGATE_SPOT (pricing.md §1.5), asks for a storage rate
    ///   when a task has more than the free 20 GiB (pricing.md §1.1 gives none for Windows), and
    ///   warns when it prices at the UNCERTAIN built-in Windows rates (pricing.md §1.3);
    /// - a Windows EC2 arm prices each type at `pricing.ec2_windows` (none built in, §2.1).
    pub(super) fn check_arm_os(
        &mut self,
        a: &Spanned<RawArm>,
        arm: &mut Arm,
        workload: &Workload,
        pricing: &Pricing,
    ) -> R<()> {
        let span = a
            .get_ref()
            .os
            .as_ref()
            .map_or(a.get_ref().name.span(), Spanned::span);
        let name = arm.name.clone();
        let os = arm.os;
        let fix = |what: &str, other: Os| {
            format!(
                "arm `{name}` is {os} (its `os`, default linux) and {what} is {other}: ECS runs a task only on capacity of its own operating system; expected `os = \"{other}\"` on an arm of its own for it, or the same `os` on both"
            )
        };
        if os == Os::Windows && workload.trace.is_some() {
            return Err(self.err(span, fix("the trace's tasks", Os::Linux)));
        }
        for j in &workload.jobs {
            if j.os != os {
                return Err(self.err(span, fix(&format!("job `{}`", j.name), j.os)));
            }
        }
        for s in &workload.services {
            if s.os != os {
                return Err(self.err(span, fix(&format!("service `{}`", s.name), s.os)));
            }
        }
        if os == Os::Linux {
            return Ok(());
        }
        match &mut arm.kind {
            ArmKind::Fargate(f) => {
                if f.architecture == Architecture::Arm64 {
                    return Err(self.err(span, format!("arm `{name}` is windows with cpu_architecture = \"ARM64\": Fargate prices Windows only on x86 (Windows/X86, docs/reference/pricing.md §1.1); expected cpu_architecture = \"X86_64\"")));
                }
                let spot = arm
                    .provider_strategy
                    .iter()
                    .any(|s| s.provider == FARGATE_SPOT && (s.weight > 0 || s.base > 0));
                if spot {
                    return Err(self.err(span, format!("arm `{name}` is windows and runs FARGATE_SPOT tasks: \"Fargate Spot is not supported on Windows-based containers on Fargate\" (docs/reference/pricing.md §1.5); expected launch_type = \"FARGATE\" with no FARGATE_SPOT weight or base")));
                }
                // The scenario's or the price list's storage rate (the list's SKU has no OS
                // attribute, pricing.md §1.4); the built-in rates are Linux rows' only.
                let storage_rate = pricing
                    .origins
                    .get(item::FARGATE_STORAGE)
                    .is_some_and(|o| !o.origin.starts_with("built-in"));
                let big = workload
                    .jobs
                    .iter()
                    .map(|j| (format!("job `{}`", j.name), j.storage_gib))
                    .chain(
                        workload
                            .services
                            .iter()
                            .map(|s| (format!("service `{}`", s.name), s.storage_gib)),
                    )
                    .find(|(_, g)| *g > FARGATE_FREE_STORAGE_GIB);
                if let (Some((what, g)), false) = (big, storage_rate) {
                    return Err(self.err(span, format!("arm `{name}` is windows and {what} asks for {g} GiB of ephemeral storage: no Windows rate for storage above the free {FARGATE_FREE_STORAGE_GIB} GiB is known (docs/reference/pricing.md §1.1); expected `pricing.fargate_storage_gb_hour` to say what to charge, or at most {FARGATE_FREE_STORAGE_GIB} GiB")));
                }
                // A rate is "given" when the scenario or a price list gives it; a missing one
                // (a region without built-in Windows rates) is refused by `region_prices`.
                let w_items = [
                    (
                        "fargate_windows_vcpu_hour",
                        item::fargate_vcpu(FargateOsArch::WindowsX86),
                    ),
                    (
                        "fargate_windows_gb_hour",
                        item::fargate_gb(FargateOsArch::WindowsX86),
                    ),
                    (
                        "fargate_windows_os_licence_vcpu_hour",
                        item::FARGATE_WINDOWS_LICENCE.to_string(),
                    ),
                ];
                let built_in: Vec<&str> = w_items
                    .iter()
                    .filter(|(_, it)| {
                        pricing
                            .origins
                            .get(it)
                            .is_some_and(|o| o.origin.starts_with("built-in") && o.uncertain)
                    })
                    .map(|(k, _)| *k)
                    .collect();
                if !built_in.is_empty() {
                    let w = pricing.fargate_windows;
                    self.warnings.push(format!(
                        "arm `{name}`: Windows Fargate is priced at built-in rates that are UNCERTAIN (docs/reference/pricing.md §1.3: $ {} per vCPU-hour and $ {} per GB-hour from 2026 third-party Price List reads, against $0.09148 and $0.01005 in AWS's 2022 price list; licence $ {} per vCPU-hour); set {} in [pricing] from a current offer file",
                        w.rates.vcpu_hour,
                        w.rates.gb_hour,
                        w.os_licence_vcpu_hour,
                        built_in
                            .iter()
                            .map(|k| format!("`pricing.{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
            ArmKind::Ec2(e) => {
                let mut missing = BTreeSet::new();
                for t in e
                    .providers
                    .iter_mut()
                    .flat_map(|p| p.instance_types.iter_mut())
                {
                    match pricing.ec2_windows.get(&t.name) {
                        Some(&v) => t.price_per_hour = v,
                        None => {
                            missing.insert(format!("`{}`", t.name));
                        }
                    }
                }
                if !missing.is_empty() {
                    let list = missing.into_iter().collect::<Vec<_>>().join(", ");
                    return Err(self.err(span, format!("arm `{name}` is windows, and no Windows on-demand price is known for {list} (none are built in, docs/reference/pricing.md §2.1); expected `ec2_windows = {{ \"<type>\" = <USD per hour> }}` in [pricing], or a `price_list` that prices them under `[ec2.windows]` (`sim prices import`)")));
                }
            }
            ArmKind::ManagedInstances(_) => {
                return Err(self.err(span, format!("arm `{name}` is windows, and \"Amazon ECS Managed Instances support Linux containers\" only (docs/reference/managed-instances.md §1.1, §1.11: Bottlerocket instances); expected os = \"linux\", or an EC2 or Fargate arm for Windows tasks")));
            }
            // ECS Anywhere runs Windows Server with the planner's own licence
            // (docs/reference/managed-instances.md §2): the cost of ownership includes it.
            ArmKind::External(_) => {}
        }
        Ok(())
    }
}
