//! The prices of a region before the scenario's own keys: the built-in price book
//! (docs/reference/pricing.md §1.1, §2.1), then a price list on top (docs/model.md §21). Each
//! price carries its origin; a price neither gives has none (the loader refuses a run that
//! uses it, naming the key to add). `sim catalog prices` prints the same resolution.

use std::collections::BTreeMap;

use crate::model::price_book::{EC2_SECTION, FARGATE_SECTION, FargateOsArch, PriceBook};
use crate::model::{Catalog, Os, PriceList, PriceOrigin, Pricing};
use crate::scenario::{Arm, ArmKind};

/// The item names of run.json's `prices` and `sim catalog prices`.
pub mod item {
    use crate::model::Os;
    use crate::model::price_book::FargateOsArch;

    /// `fargate linux_x86 vcpu_hour`.
    pub fn fargate_vcpu(oa: FargateOsArch) -> String {
        format!("fargate {} vcpu_hour", oa.as_str())
    }
    /// `fargate linux_x86 gb_hour`.
    pub fn fargate_gb(oa: FargateOsArch) -> String {
        format!("fargate {} gb_hour", oa.as_str())
    }
    /// The Windows OS licence per vCPU-hour.
    pub const FARGATE_WINDOWS_LICENCE: &str = "fargate windows_x86 os_licence_vcpu_hour";
    /// Fargate ephemeral storage above the free 20 GB.
    pub const FARGATE_STORAGE: &str = "fargate storage_gb_hour";
    /// `ec2 linux m5.large`.
    pub fn ec2(os: Os, instance_type: &str) -> String {
        format!("ec2 {os} {instance_type}")
    }
}

/// The built-in origin text of a row: `built-in (docs/reference/pricing.md §1.1; <source>)`.
pub fn builtin_origin(section: &str, source: &str) -> String {
    format!("built-in ({section}; {source})")
}

fn set(
    origins: &mut BTreeMap<String, PriceOrigin>,
    item: String,
    usd: f64,
    unit: &'static str,
    origin: String,
    uncertain: bool,
) {
    origins.insert(
        item,
        PriceOrigin {
            list_usd: usd,
            unit,
            origin,
            uncertain,
        },
    );
}

/// The prices of `region` from the built-in book and `list` (which wins). Rates neither gives
/// keep us-east-1's values (so a run that does not use them is unchanged) but get no origin.
pub fn region_pricing(region: &str, list: Option<&PriceList>) -> Pricing {
    let book = PriceBook::builtin();
    let mut p = Pricing::us_east_1();
    p.region = region.to_string();
    let o = &mut p.origins;
    for oa in FargateOsArch::ALL {
        let mut found: Option<(f64, f64, Option<f64>, String, bool)> = None;
        if let Some(r) = book.fargate(region, oa) {
            found = Some((
                r.vcpu_hour,
                r.gb_hour,
                r.os_licence_vcpu_hour,
                builtin_origin(FARGATE_SECTION, &r.source),
                r.uncertain(),
            ));
        }
        if let Some(l) = list
            && let Some(r) = l.fargate.get(&oa)
        {
            // A list's Windows table without the licence keeps the built-in licence.
            let licence = r.os_licence_vcpu_hour.or(found.as_ref().and_then(|f| f.2));
            found = Some((
                r.vcpu_hour,
                r.gb_hour,
                licence,
                l.origin("AmazonECS"),
                false,
            ));
            if r.os_licence_vcpu_hour.is_none()
                && let Some(b) = book.fargate(region, oa)
                && let Some(lic) = b.os_licence_vcpu_hour
            {
                set(
                    o,
                    item::FARGATE_WINDOWS_LICENCE.to_string(),
                    lic,
                    "vCPU-hour",
                    builtin_origin(FARGATE_SECTION, &b.source),
                    b.uncertain(),
                );
            }
        }
        let Some((vcpu, gb, licence, origin, uncertain)) = found else {
            continue;
        };
        set(
            o,
            item::fargate_vcpu(oa),
            vcpu,
            "vCPU-hour",
            origin.clone(),
            uncertain,
        );
        set(
            o,
            item::fargate_gb(oa),
            gb,
            "GB-hour",
            origin.clone(),
            uncertain,
        );
        match oa {
            FargateOsArch::LinuxX86 => {
                p.fargate_x86.vcpu_hour = vcpu;
                p.fargate_x86.gb_hour = gb;
            }
            FargateOsArch::LinuxArm => {
                p.fargate_arm.vcpu_hour = vcpu;
                p.fargate_arm.gb_hour = gb;
            }
            FargateOsArch::WindowsX86 => {
                p.fargate_windows.rates.vcpu_hour = vcpu;
                p.fargate_windows.rates.gb_hour = gb;
                if let Some(lic) = licence {
                    p.fargate_windows.os_licence_vcpu_hour = lic;
                    if !o.contains_key(item::FARGATE_WINDOWS_LICENCE) {
                        set(
                            o,
                            item::FARGATE_WINDOWS_LICENCE.to_string(),
                            lic,
                            "vCPU-hour",
                            origin,
                            uncertain,
                        );
                    }
                }
            }
        }
    }
    // Storage: the list's, else the built-in x86 row's (else the ARM row's).
    let storage = list
        .and_then(|l| {
            l.fargate_storage_gb_hour
                .map(|s| (s, l.origin("AmazonECS"), false))
        })
        .or_else(|| {
            [FargateOsArch::LinuxX86, FargateOsArch::LinuxArm]
                .into_iter()
                .filter_map(|oa| book.fargate(region, oa))
                .find_map(|r| {
                    r.storage_gb_hour.map(|s| {
                        (
                            s,
                            builtin_origin(FARGATE_SECTION, &r.source),
                            r.storage_uncertain(),
                        )
                    })
                })
        });
    if let Some((s, origin, uncertain)) = storage {
        p.fargate_storage_gb_hour = s;
        set(
            o,
            item::FARGATE_STORAGE.to_string(),
            s,
            "GB-hour",
            origin,
            uncertain,
        );
    }
    if let Some(l) = list {
        if let Some(w) = l.ec2.get(&Os::Windows) {
            for (t, &v) in w {
                p.ec2_windows.insert(t.clone(), v);
                set(
                    o,
                    item::ec2(Os::Windows, t),
                    v,
                    "instance-hour",
                    l.origin("AmazonEC2"),
                    false,
                );
            }
        }
        p.savings_plans = l.savings_plans.clone();
        p.reserved_instances = l.reserved_instances.clone();
    }
    p
}

/// Set the Linux on-demand price of every catalog type from `list` (which wins) or the
/// built-in book for `region`, recording origins in `pricing`; a type neither prices keeps its
/// us-east-1 catalog price without an origin.
pub fn price_catalog(catalog: &mut Catalog, pricing: &mut Pricing, list: Option<&PriceList>) {
    let book = PriceBook::builtin();
    let region = pricing.region.clone();
    let types: Vec<_> = catalog.types().to_vec();
    for mut t in types {
        let found = match list.and_then(|l| l.ec2_price(Os::Linux, &t.name)) {
            Some(v) => Some((
                v,
                list.map(|l| l.origin("AmazonEC2")).unwrap_or_default(),
                false,
            )),
            None => book.ec2(&region, &t.name, Os::Linux).map(|r| {
                (
                    r.usd_per_hour,
                    builtin_origin(EC2_SECTION, &r.source),
                    r.uncertain(),
                )
            }),
        };
        if let Some((v, origin, uncertain)) = found {
            set(
                &mut pricing.origins,
                item::ec2(Os::Linux, &t.name),
                v,
                "instance-hour",
                origin,
                uncertain,
            );
            if t.price_per_hour != v {
                t.price_per_hour = v;
                catalog.upsert(t);
            }
        }
    }
}

/// The Fargate os/arch of a task of `os` on `arch`.
pub fn fargate_os_arch(os: Os, arch: crate::model::Architecture) -> FargateOsArch {
    match (os, arch) {
        (Os::Windows, _) => FargateOsArch::WindowsX86,
        (Os::Linux, crate::model::Architecture::X86_64) => FargateOsArch::LinuxX86,
        (Os::Linux, crate::model::Architecture::Arm64) => FargateOsArch::LinuxArm,
    }
}

/// The prices arm `arm` is charged by, as (item, the `[pricing]` key that sets it), in a fixed
/// order; `storage`: whether tasks may ask for more than the free 20 GiB (Fargate storage).
pub fn arm_items(arm: &Arm, storage: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match &arm.kind {
        ArmKind::Fargate(f) => {
            let oa = fargate_os_arch(arm.os, f.architecture);
            let (v, g) = match oa {
                FargateOsArch::LinuxX86 => ("fargate_vcpu_hour", "fargate_gb_hour"),
                FargateOsArch::LinuxArm => ("fargate_arm_vcpu_hour", "fargate_arm_gb_hour"),
                FargateOsArch::WindowsX86 => {
                    ("fargate_windows_vcpu_hour", "fargate_windows_gb_hour")
                }
            };
            out.push((item::fargate_vcpu(oa), format!("`pricing.{v}`")));
            out.push((item::fargate_gb(oa), format!("`pricing.{g}`")));
            if oa == FargateOsArch::WindowsX86 {
                out.push((
                    item::FARGATE_WINDOWS_LICENCE.to_string(),
                    "`pricing.fargate_windows_os_licence_vcpu_hour`".to_string(),
                ));
            }
            if storage {
                out.push((
                    item::FARGATE_STORAGE.to_string(),
                    "`pricing.fargate_storage_gb_hour`".to_string(),
                ));
            }
        }
        ArmKind::ManagedInstances(m) => {
            for t in &m.types {
                let it = item::ec2(arm.os, &t.instance_type.name);
                if !out.iter().any(|(i, _)| *i == it) {
                    out.push((it, format!("`pricing.ec2.\"{}\"`", t.instance_type.name)));
                }
            }
        }
        ArmKind::External(_) => {}
        ArmKind::Ec2(e) => {
            let key = match arm.os {
                Os::Linux => "ec2",
                Os::Windows => "ec2_windows",
            };
            for t in e.providers.iter().flat_map(|p| &p.instance_types) {
                let it = item::ec2(arm.os, &t.name);
                if !out.iter().any(|(i, _)| *i == it) {
                    out.push((it, format!("`pricing.{key}.\"{}\"`", t.name)));
                }
            }
        }
    }
    out
}

/// Whether tasks of `workload` may ask for more ephemeral storage than Fargate's free 20 GiB
/// (a trace may: its rows are not read at load).
pub fn workload_uses_storage(workload: &crate::scenario::Workload) -> bool {
    use crate::model::billing::FARGATE_FREE_STORAGE_GIB;
    workload.trace.is_some()
        || workload
            .jobs
            .iter()
            .any(|j| j.storage_gib > FARGATE_FREE_STORAGE_GIB)
        || workload
            .services
            .iter()
            .any(|s| s.storage_gib > FARGATE_FREE_STORAGE_GIB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_east_1_resolves_to_the_old_built_in_prices_with_origins() {
        let p = region_pricing("us-east-1", None);
        let mut old = Pricing::us_east_1();
        old.origins = p.origins.clone();
        assert_eq!(p, old);
        let v = &p.origins["fargate linux_x86 vcpu_hour"];
        assert!(
            v.origin
                .starts_with("built-in (docs/reference/pricing.md §1.1; AWS Price List")
        );
        assert!(!v.uncertain);
        assert!(p.origins["fargate windows_x86 vcpu_hour"].uncertain);
        assert!(p.origins.contains_key(item::FARGATE_WINDOWS_LICENCE));
        let mut c = Catalog::builtin();
        let before = c.clone();
        let mut p = p;
        price_catalog(&mut c, &mut p, None);
        assert_eq!(c, before);
        assert_eq!(p.origins["ec2 linux m5.large"].list_usd, 0.096);
    }

    #[test]
    fn eu_central_1_has_linux_x86_only() {
        let p = region_pricing("eu-central-1", None);
        assert_eq!(
            (p.fargate_x86.vcpu_hour, p.fargate_x86.gb_hour),
            (0.04656, 0.00511)
        );
        assert!(p.origins.contains_key("fargate linux_x86 gb_hour"));
        assert!(!p.origins.contains_key("fargate linux_arm gb_hour"));
        assert!(!p.origins.contains_key(item::FARGATE_STORAGE));
        let mut c = Catalog::builtin();
        let mut p = p;
        price_catalog(&mut c, &mut p, None);
        assert!(!p.origins.contains_key("ec2 linux m5.large"));
    }
}
