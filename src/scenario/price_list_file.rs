//! Reading a price list (`prices.toml`, the format of docs/scenario.md "Price lists", written by
//! `sim prices import`) into a [`PriceList`]. Unknown keys, a `format` other than 1, a currency
//! other than USD, and a negative or non-finite price are refused with the file, line, column
//! and key.

#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::model::Os;
use crate::model::price_book::FargateOsArch;
use crate::model::price_list::{
    ListFargateRates, PriceList, PriceListSource, ReservedRate, SavingsPlanRates,
};
use crate::scenario::ScenarioError;
use crate::scenario::error::SourceMap;
use crate::scenario::load::plain;

/// The price list formats this reader knows.
pub const PRICE_LIST_FORMAT: i64 = 1;

/// The Savings Plan types a price list may key.
pub const PLAN_TYPES: [&str; 2] = ["compute_savings_plan", "ec2_instance_savings_plan"];
/// Commitment terms.
pub const TERMS: [&str; 2] = ["1yr", "3yr"];
/// Payment options.
pub const PAYMENTS: [&str; 3] = ["no_upfront", "partial_upfront", "all_upfront"];
/// Reserved Instance offering classes.
pub const RI_CLASSES: [&str; 2] = ["standard", "convertible"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriceList {
    format: Spanned<i64>,
    region: Spanned<String>,
    currency: Option<Spanned<String>>,
    #[serde(default)]
    source: Vec<RawSource>,
    fargate: Option<RawFargate>,
    ec2: Option<RawEc2>,
    #[serde(default)]
    savings_plans: BTreeMap<String, Spanned<BTreeMap<String, Spanned<RawPlanRates>>>>,
    #[serde(default)]
    reserved_instances: BTreeMap<String, Spanned<RawRiOs>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    file: String,
    offer_code: String,
    version: String,
    publication_date: String,
    rows: Option<u64>,
    used: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFargate {
    storage_gb_hour: Option<Spanned<f64>>,
    linux_x86: Option<RawFargateRates>,
    linux_arm: Option<RawFargateRates>,
    windows_x86: Option<RawWindowsRates>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFargateRates {
    vcpu_hour: Spanned<f64>,
    gb_hour: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWindowsRates {
    vcpu_hour: Spanned<f64>,
    gb_hour: Spanned<f64>,
    os_licence_vcpu_hour: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEc2 {
    #[serde(default)]
    linux: BTreeMap<String, Spanned<f64>>,
    #[serde(default)]
    windows: BTreeMap<String, Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanRates {
    ec2: Option<RawEc2>,
    fargate: Option<RawPlanFargate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanFargate {
    linux_x86: Option<RawFargateRates>,
    linux_arm: Option<RawFargateRates>,
    windows_x86: Option<RawFargateRates>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRiOs {
    #[serde(default)]
    linux: BTreeMap<String, Spanned<RawRi>>,
    #[serde(default)]
    windows: BTreeMap<String, Spanned<RawRi>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRi {
    hourly: Option<Spanned<f64>>,
    upfront: Option<Spanned<f64>>,
}

/// Read the price list at `path`; `name` is how origins name it (the scenario's
/// `price_list` value).
pub fn read_price_list(path: &Path, name: &str) -> Result<PriceList, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|error| ScenarioError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    parse_price_list(path, &text, name)
}

/// Parse price list `text`, as if read from `path`.
pub fn parse_price_list(path: &Path, text: &str, name: &str) -> Result<PriceList, ScenarioError> {
    let map = SourceMap { path, text };
    let raw: RawPriceList = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        map.error_at(offset, map.toml_message(offset, plain(e.message().trim())))
    })?;
    Reader { map: &map }.list(raw, name)
}

struct Reader<'a, 'b> {
    map: &'a SourceMap<'b>,
}

type R<T> = Result<T, ScenarioError>;

impl Reader<'_, '_> {
    fn err(&self, span: Range<usize>, msg: impl Into<String>) -> ScenarioError {
        self.map.error_in(span, msg)
    }

    fn price(&self, v: &Spanned<f64>, key: &str) -> R<f64> {
        let x = *v.get_ref();
        if !(x.is_finite() && x >= 0.0) {
            return Err(self.err(
                v.span(),
                format!("`{key}`: found {x}; expected a non-negative price in USD"),
            ));
        }
        Ok(x)
    }

    fn types(&self, m: &BTreeMap<String, Spanned<f64>>, key: &str) -> R<BTreeMap<String, f64>> {
        let mut out = BTreeMap::new();
        for (ty, v) in m {
            let k = format!("{key}.\"{ty}\"");
            if ty.trim().is_empty() || ty.trim() != ty {
                return Err(self.err(
                    v.span(),
                    format!("`{k}`: expected an instance type name such as `m5.large`"),
                ));
            }
            out.insert(ty.clone(), self.price(v, &k)?);
        }
        Ok(out)
    }

    fn ec2(&self, e: &RawEc2, key: &str) -> R<BTreeMap<Os, BTreeMap<String, f64>>> {
        let mut out = BTreeMap::new();
        for (os, m) in [(Os::Linux, &e.linux), (Os::Windows, &e.windows)] {
            if !m.is_empty() {
                out.insert(os, self.types(m, &format!("{key}.{os}"))?);
            }
        }
        Ok(out)
    }

    fn rates(&self, r: &RawFargateRates, key: &str) -> R<ListFargateRates> {
        Ok(ListFargateRates {
            vcpu_hour: self.price(&r.vcpu_hour, &format!("{key}.vcpu_hour"))?,
            gb_hour: self.price(&r.gb_hour, &format!("{key}.gb_hour"))?,
            os_licence_vcpu_hour: None,
        })
    }

    fn list(&self, raw: RawPriceList, name: &str) -> R<PriceList> {
        if *raw.format.get_ref() != PRICE_LIST_FORMAT {
            return Err(self.err(
                raw.format.span(),
                format!(
                    "`format`: found {}; expected {PRICE_LIST_FORMAT} (the only price list format this sim reads)",
                    raw.format.get_ref()
                ),
            ));
        }
        let region = raw.region.get_ref().trim();
        let well_formed = !region.is_empty()
            && region.len() <= 32
            && region
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            return Err(self.err(
                raw.region.span(),
                "`region`: expected an AWS region code such as `eu-west-1`",
            ));
        }
        let currency = match &raw.currency {
            Some(c) if c.get_ref() != "USD" => {
                return Err(self.err(
                    c.span(),
                    format!(
                        "`currency`: found `{}`; expected `USD` (sim's money is USD)",
                        c.get_ref()
                    ),
                ));
            }
            _ => "USD".to_string(),
        };
        let sources = raw
            .source
            .into_iter()
            .map(|s| PriceListSource {
                file: s.file,
                offer_code: s.offer_code,
                version: s.version,
                publication_date: s.publication_date,
                rows: s.rows.unwrap_or(0),
                used: s.used.unwrap_or(0),
            })
            .collect();
        let mut list = PriceList {
            name: name.to_string(),
            region: region.to_string(),
            currency,
            sources,
            ..PriceList::default()
        };
        if let Some(f) = &raw.fargate {
            if let Some(s) = &f.storage_gb_hour {
                list.fargate_storage_gb_hour = Some(self.price(s, "fargate.storage_gb_hour")?);
            }
            if let Some(r) = &f.linux_x86 {
                list.fargate
                    .insert(FargateOsArch::LinuxX86, self.rates(r, "fargate.linux_x86")?);
            }
            if let Some(r) = &f.linux_arm {
                list.fargate
                    .insert(FargateOsArch::LinuxArm, self.rates(r, "fargate.linux_arm")?);
            }
            if let Some(w) = &f.windows_x86 {
                let key = "fargate.windows_x86";
                list.fargate.insert(
                    FargateOsArch::WindowsX86,
                    ListFargateRates {
                        vcpu_hour: self.price(&w.vcpu_hour, &format!("{key}.vcpu_hour"))?,
                        gb_hour: self.price(&w.gb_hour, &format!("{key}.gb_hour"))?,
                        os_licence_vcpu_hour: match &w.os_licence_vcpu_hour {
                            Some(v) => Some(self.price(v, &format!("{key}.os_licence_vcpu_hour"))?),
                            None => None,
                        },
                    },
                );
            }
        }
        if let Some(e) = &raw.ec2 {
            list.ec2 = self.ec2(e, "ec2")?;
        }
        for (plan, terms) in &raw.savings_plans {
            if !PLAN_TYPES.contains(&plan.as_str()) {
                return Err(self.err(
                    terms.span(),
                    format!(
                        "`savings_plans.{plan}`: unknown Savings Plan type; expected one of {}",
                        PLAN_TYPES.join(", ")
                    ),
                ));
            }
            let mut by_term = BTreeMap::new();
            for (term, rates) in terms.get_ref() {
                let key = format!("savings_plans.{plan}.\"{term}\"");
                let ok = TERMS
                    .iter()
                    .any(|t| PAYMENTS.iter().any(|p| *term == format!("{t}_{p}")));
                if !ok {
                    return Err(self.err(
                        rates.span(),
                        format!("`{key}`: expected `<term>_<payment>` with term 1yr or 3yr and payment no_upfront, partial_upfront or all_upfront, e.g. \"1yr_no_upfront\""),
                    ));
                }
                let r = rates.get_ref();
                let mut out = SavingsPlanRates::default();
                if let Some(e) = &r.ec2 {
                    out.ec2 = self.ec2(e, &format!("{key}.ec2"))?;
                }
                if let Some(f) = &r.fargate {
                    for (oa, v) in [
                        (FargateOsArch::LinuxX86, &f.linux_x86),
                        (FargateOsArch::LinuxArm, &f.linux_arm),
                        (FargateOsArch::WindowsX86, &f.windows_x86),
                    ] {
                        if let Some(v) = v {
                            out.fargate.insert(
                                oa,
                                self.rates(v, &format!("{key}.fargate.{}", oa.as_str()))?,
                            );
                        }
                    }
                }
                by_term.insert(term.clone(), out);
            }
            list.savings_plans.insert(plan.clone(), by_term);
        }
        for (k, by_os) in &raw.reserved_instances {
            let key = format!("reserved_instances.\"{k}\"");
            let ok = TERMS.iter().any(|t| {
                RI_CLASSES
                    .iter()
                    .any(|c| PAYMENTS.iter().any(|p| *k == format!("{t}_{c}_{p}")))
            });
            if !ok {
                return Err(self.err(
                    by_os.span(),
                    format!("`{key}`: expected `<term>_<class>_<payment>` with term 1yr or 3yr, class standard or convertible and payment no_upfront, partial_upfront or all_upfront, e.g. \"1yr_standard_partial_upfront\""),
                ));
            }
            let mut out = BTreeMap::new();
            for (os, m) in [
                (Os::Linux, &by_os.get_ref().linux),
                (Os::Windows, &by_os.get_ref().windows),
            ] {
                let mut types = BTreeMap::new();
                for (ty, ri) in m {
                    let tk = format!("{key}.{os}.\"{ty}\"");
                    let r = ri.get_ref();
                    if r.hourly.is_none() && r.upfront.is_none() {
                        return Err(self.err(
                            ri.span(),
                            format!("`{tk}`: expected `hourly` and/or `upfront` (USD)"),
                        ));
                    }
                    let get = |v: &Option<Spanned<f64>>, f: &str| -> R<f64> {
                        v.as_ref()
                            .map_or(Ok(0.0), |v| self.price(v, &format!("{tk}.{f}")))
                    };
                    types.insert(
                        ty.clone(),
                        ReservedRate {
                            hourly: get(&r.hourly, "hourly")?,
                            upfront: get(&r.upfront, "upfront")?,
                        },
                    );
                }
                if !types.is_empty() {
                    out.insert(os, types);
                }
            }
            list.reserved_instances.insert(k.clone(), out);
        }
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of docs/scenario.md "Price lists" (the shared spec's section B).
    pub const EXAMPLE: &str = include_str!("../../tests/fixtures/prices/spec-example.toml");

    fn parse(text: &str) -> Result<PriceList, String> {
        parse_price_list(Path::new("prices.toml"), text, "prices.toml").map_err(|e| e.to_string())
    }

    #[test]
    fn the_documented_example_is_read_whole() {
        let l = parse(EXAMPLE).unwrap();
        assert_eq!(l.region, "eu-west-1");
        assert_eq!(l.sources.len(), 1);
        assert_eq!((l.sources[0].rows, l.sources[0].used), (412, 37));
        assert_eq!(l.fargate_storage_gb_hour, Some(0.000111));
        let x = l.fargate[&FargateOsArch::LinuxX86];
        assert_eq!((x.vcpu_hour, x.gb_hour), (0.04048, 0.004445));
        assert_eq!(
            l.fargate[&FargateOsArch::WindowsX86].os_licence_vcpu_hour,
            Some(0.046)
        );
        assert!(!l.fargate.contains_key(&FargateOsArch::LinuxArm));
        assert_eq!(l.ec2_price(Os::Linux, "m5.large"), Some(0.107));
        assert_eq!(l.ec2_price(Os::Windows, "m5.large"), Some(0.199));
        let csp = &l.savings_plans["compute_savings_plan"]["1yr_no_upfront"];
        assert_eq!(csp.ec2[&Os::Linux]["m5.large"], 0.0716);
        assert_eq!(csp.fargate[&FargateOsArch::LinuxX86].gb_hour, 0.003556);
        assert_eq!(
            l.savings_plans["ec2_instance_savings_plan"]["1yr_no_upfront"].ec2[&Os::Linux]["m5.large"],
            0.0642
        );
        let ri = l.reserved_instances["1yr_standard_partial_upfront"][&Os::Linux]["m5.large"];
        assert_eq!((ri.hourly, ri.upfront), (0.031, 271.0));
        // Every table is optional.
        let bare = parse("format = 1\nregion = \"eu-west-1\"\n").unwrap();
        assert!(bare.fargate.is_empty() && bare.ec2.is_empty());
    }

    #[test]
    fn bad_lists_are_refused_with_line_and_key() {
        let e = parse(&EXAMPLE.replace("rows = 412", "rowz = 412")).unwrap_err();
        assert!(
            e.starts_with("prices.toml:11:1:") && e.contains("unknown field `rowz`"),
            "{e}"
        );
        let e = parse(&EXAMPLE.replace("format = 1", "format = 2")).unwrap_err();
        assert!(
            e.starts_with("prices.toml:2:10: `format`: found 2; expected 1"),
            "{e}"
        );
        let e = parse(&EXAMPLE.replace("\"USD\"", "\"EUR\"")).unwrap_err();
        assert!(
            e.starts_with("prices.toml:4:12: `currency`: found `EUR`; expected `USD`"),
            "{e}"
        );
        let e =
            parse(&EXAMPLE.replace("\"m5.large\" = 0.199", "\"m5.large\" = -0.199")).unwrap_err();
        assert!(
            e.starts_with("prices.toml:27:14: `ec2.windows.\"m5.large\"`: found -0.199; expected a non-negative price"),
            "{e}"
        );
        let e = parse(&EXAMPLE.replace("gb_hour = 0.004445", "gb_hour = nan")).unwrap_err();
        assert!(
            e.starts_with("prices.toml:18:11: `fargate.linux_x86.gb_hour`: found NaN"),
            "{e}"
        );
        let e =
            parse(&EXAMPLE.replace("[fargate.windows_x86]", "[fargate.windows_arm]")).unwrap_err();
        assert!(
            e.contains("prices.toml:19:") && e.contains("unknown field `windows_arm`"),
            "{e}"
        );
        let e = parse(&EXAMPLE.replace("\"1yr_no_upfront\".ec2", "\"2yr_no_upfront\".ec2"))
            .unwrap_err();
        assert!(e.contains("`savings_plans.compute_savings_plan.\"2yr_no_upfront\"`: expected `<term>_<payment>`"), "{e}");
        let e = parse(&EXAMPLE.replace("1yr_standard", "1yr_gold")).unwrap_err();
        assert!(
            e.contains("`reserved_instances.\"1yr_gold_partial_upfront\"`"),
            "{e}"
        );
        let e = parse("region = \"eu-west-1\"\n").unwrap_err();
        assert!(e.contains("missing field `format`"), "{e}");
    }
}
