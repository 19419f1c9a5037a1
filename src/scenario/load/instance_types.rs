//! Validating `[[instance_type]]`: a new type, or an override of a built-in one.

use toml::Spanned;

use super::sizes::Floor;
use super::{R, Validator};
use crate::model::instance_type::default_registered_memory_mib;
use crate::model::{Architecture, Catalog, InstanceType};
use crate::scenario::raw::RawInstanceType;
use crate::scenario::size::Resource;

impl Validator<'_> {
    pub(super) fn instance_type(
        &mut self,
        s: &Spanned<RawInstanceType>,
        catalog: &Catalog,
    ) -> R<InstanceType> {
        let it = s.get_ref();
        let name = it.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(self.err(
                it.name.span(),
                "`instance_type.name`: expected a non-empty name",
            ));
        }
        let base = catalog.get(&name).cloned();
        let who = format!("instance type `{name}`");
        let memory_mib = match &it.memory_mib {
            Some(m) => self.size(
                m,
                "instance_type.memory_mib",
                &who,
                Resource::Memory,
                1,
                u64::from(u32::MAX),
                Floor::Instance,
            )?,
            None => base
                .as_ref()
                .map(|b| b.memory_mib)
                .ok_or_else(|| {
                    self.err(s.span(), format!("`instance_type` `{name}` is not a built-in type, so `memory_mib` is required"))
                })?,
        };
        let registered_memory_mib = match &it.registered_memory_mib {
            Some(r) => {
                let key = "instance_type.registered_memory_mib";
                let v = self.size(
                    r,
                    key,
                    &who,
                    Resource::Memory,
                    1,
                    u64::from(u32::MAX),
                    Floor::Free,
                )?;
                if v > memory_mib {
                    return Err(self.err(r.span(), format!("`{key}`: found {v} MiB; expected 1..={memory_mib} (at most the nominal memory)")));
                }
                v
            }
            None if it.memory_mib.is_none() => base.as_ref().map_or(0, |b| b.registered_memory_mib),
            None => default_registered_memory_mib(&name, memory_mib),
        };
        let missing = |key: &str| {
            self.err(
                s.span(),
                format!("`instance_type` `{name}` is not a built-in type, so `{key}` is required"),
            )
        };
        let positive = |v: &Option<Spanned<u32>>, key: &str, fallback: Option<u32>| -> R<u32> {
            match v {
                Some(x) if *x.get_ref() == 0 => Err(self.err(
                    x.span(),
                    format!("`instance_type.{key}`: found 0; expected a positive integer"),
                )),
                Some(x) => Ok(*x.get_ref()),
                None => fallback.ok_or_else(|| missing(key)),
            }
        };
        let vcpu = positive(&it.vcpu, "vcpu", base.as_ref().map(|b| b.vcpu))?;
        if vcpu > 4096 {
            return Err(self.err(
                it.vcpu.as_ref().map_or(s.span(), |v| v.span()),
                format!("`instance_type.vcpu`: found {vcpu}; expected at most 4096"),
            ));
        }
        let max_enis = positive(&it.max_enis, "max_enis", base.as_ref().map(|b| b.max_enis))?;
        let trunk_tasks = match &it.trunk_tasks {
            Some(t) => Some(*t.get_ref()),
            None => base.as_ref().and_then(|b| b.trunk_tasks),
        };
        let price_per_hour = match &it.price_per_hour {
            Some(p) if !(p.get_ref().is_finite() && *p.get_ref() >= 0.0) => {
                return Err(self.err(
                    p.span(),
                    format!(
                        "`instance_type.price_per_hour`: found {}; expected a non-negative number",
                        p.get_ref()
                    ),
                ));
            }
            Some(p) => *p.get_ref(),
            None => base
                .as_ref()
                .map(|b| b.price_per_hour)
                .ok_or_else(|| missing("price_per_hour"))?,
        };
        let architecture = match &it.architecture {
            Some(a) => Architecture::parse(a.get_ref()).ok_or_else(|| {
                self.err(
                    a.span(),
                    format!(
                        "`instance_type.architecture`: found `{}`; expected `x86_64` or `arm64`",
                        a.get_ref()
                    ),
                )
            })?,
            None => base
                .as_ref()
                .map_or(Architecture::X86_64, |b| b.architecture),
        };
        Ok(InstanceType {
            name,
            vcpu,
            memory_mib,
            registered_memory_mib,
            max_enis,
            trunk_tasks,
            price_per_hour,
            architecture,
        })
    }
}
