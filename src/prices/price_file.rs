//! `prices.toml`, the compact price table `sim prices import` writes (issue 15 spec §B): serde
//! structs matching that text exactly, a writer and a small reader that checks what it reads
//! back (unknown keys, `format`, `currency`, negative or non-finite prices).
//!
//! Every table is optional. Maps are [`BTreeMap`]s, so the same prices always give the same
//! bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The only `format` this code writes and reads.
pub const PRICE_FILE_FORMAT: u32 = 1;

/// The first line of every file `sim prices import` writes.
pub const PRICE_FILE_HEADER: &str =
    "# Written by `sim prices import` from AWS Price List offer files; edit freely.\n";

/// A whole `prices.toml`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceFile {
    /// Always [`PRICE_FILE_FORMAT`].
    pub format: u32,
    /// The AWS region code the prices are for, e.g. `eu-west-1`.
    pub region: String,
    /// Always `USD`.
    pub currency: String,
    /// One entry per offer file read.
    #[serde(default, rename = "source", skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<PriceSource>,
    /// Fargate on-demand rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fargate: Option<FargateRates>,
    /// EC2 on-demand USD per instance-hour, shared tenancy, by OS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ec2: Option<Ec2Rates>,
    /// Savings Plan rates: plan type (`compute_savings_plan`, `ec2_instance_savings_plan`) →
    /// `"<term>_<payment>"` → rates.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub savings_plans: BTreeMap<String, BTreeMap<String, SavingsPlanRates>>,
    /// Reserved Instances: `"<term>_<class>_<payment>"` → OS → instance type → offer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reserved_instances: BTreeMap<String, ReservedRates>,
}

/// One offer file read (`[[source]]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceSource {
    /// The name given on the command line.
    pub file: String,
    /// From the `OfferCode` metadata row.
    pub offer_code: String,
    /// From the `Version` metadata row.
    pub version: String,
    /// From the `Publication Date` metadata row.
    pub publication_date: String,
    /// Data rows read.
    pub rows: u64,
    /// Rows that gave a price in this file.
    pub used: u64,
}

/// Fargate rates: storage and one optional table per OS and architecture.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FargateRates {
    /// Ephemeral storage above the free 20 GB, USD per GB-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_gb_hour: Option<f64>,
    /// Linux on x86.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linux_x86: Option<FargateOsArchRates>,
    /// Linux on ARM (Graviton).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linux_arm: Option<FargateOsArchRates>,
    /// Windows on x86.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows_x86: Option<FargateOsArchRates>,
}

/// The rates of one Fargate OS/architecture.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FargateOsArchRates {
    /// USD per vCPU-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpu_hour: Option<f64>,
    /// USD per GB-hour of memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gb_hour: Option<f64>,
    /// Windows OS licence, USD per vCPU-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_licence_vcpu_hour: Option<f64>,
}

/// EC2 prices by OS: instance type → USD per instance-hour.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2Rates {
    /// Linux (no licence).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub linux: BTreeMap<String, f64>,
    /// Windows (licence included).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub windows: BTreeMap<String, f64>,
}

/// The rates of one Savings Plan offer (plan type, term, payment): USD per unit of usage.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavingsPlanRates {
    /// EC2 instance-hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ec2: Option<Ec2Rates>,
    /// Fargate (Compute Savings Plans only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fargate: Option<FargateRates>,
}

/// Reserved Instance offers of one term, class and payment, by OS.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReservedRates {
    /// Linux.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub linux: BTreeMap<String, ReservedOffer>,
    /// Windows.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub windows: BTreeMap<String, ReservedOffer>,
}

/// One Reserved Instance offer for one instance type.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReservedOffer {
    /// USD per instance-hour, every hour of the term.
    pub hourly: f64,
    /// USD per instance, once (0 for No Upfront).
    pub upfront: f64,
}

/// Why a `prices.toml` was refused.
#[derive(Debug, thiserror::Error)]
pub enum PriceFileError {
    /// Not TOML, or a key or value the format does not have.
    #[error("{file}: {message}")]
    Syntax {
        /// The file as named.
        file: String,
        /// The toml parser's message (with line and column).
        message: String,
    },
    /// A value the format refuses.
    #[error("{file}: `{key}`: {message}")]
    Value {
        /// The file as named.
        file: String,
        /// Dotted key.
        key: String,
        /// What was found and what was expected.
        message: String,
    },
}

impl PriceFile {
    /// The file's text: the header comment, then the tables in a fixed order.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        Ok(format!("{PRICE_FILE_HEADER}{}", toml::to_string(self)?))
    }

    /// Read a `prices.toml` back (`file` names it in errors) and check it.
    pub fn parse(text: &str, file: &str) -> Result<PriceFile, PriceFileError> {
        let parsed: PriceFile = toml::from_str(text).map_err(|e| PriceFileError::Syntax {
            file: file.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let bad = |key: &str, message: String| PriceFileError::Value {
            file: file.to_string(),
            key: key.to_string(),
            message,
        };
        if parsed.format != PRICE_FILE_FORMAT {
            return Err(bad(
                "format",
                format!("found {}, expected {PRICE_FILE_FORMAT}", parsed.format),
            ));
        }
        if parsed.currency != "USD" {
            return Err(bad(
                "currency",
                format!("found `{}`, expected `USD`", parsed.currency),
            ));
        }
        let mut problem = None;
        parsed.each_price(&mut |key, usd| {
            if problem.is_none() && !(usd.is_finite() && usd >= 0.0) {
                problem = Some(bad(
                    &key,
                    format!("found {usd}, expected a price ≥ 0 in USD"),
                ));
            }
        });
        problem.map_or(Ok(parsed), Err)
    }

    /// Call `f(dotted key, usd)` for every price in the file, in file order.
    pub fn each_price(&self, f: &mut dyn FnMut(String, f64)) {
        if let Some(fg) = &self.fargate {
            fargate_prices("fargate", fg, f);
        }
        if let Some(ec2) = &self.ec2 {
            ec2_prices("ec2", ec2, f);
        }
        for (plan, offers) in &self.savings_plans {
            for (offer, rates) in offers {
                let at = format!("savings_plans.{plan}.\"{offer}\"");
                if let Some(ec2) = &rates.ec2 {
                    ec2_prices(&format!("{at}.ec2"), ec2, f);
                }
                if let Some(fg) = &rates.fargate {
                    fargate_prices(&format!("{at}.fargate"), fg, f);
                }
            }
        }
        for (offer, rates) in &self.reserved_instances {
            for (os, map) in [("linux", &rates.linux), ("windows", &rates.windows)] {
                for (ty, o) in map {
                    let at = format!("reserved_instances.\"{offer}\".{os}.\"{ty}\"");
                    f(format!("{at}.hourly"), o.hourly);
                    f(format!("{at}.upfront"), o.upfront);
                }
            }
        }
    }
}

fn fargate_prices(at: &str, fg: &FargateRates, f: &mut dyn FnMut(String, f64)) {
    if let Some(v) = fg.storage_gb_hour {
        f(format!("{at}.storage_gb_hour"), v);
    }
    for (name, t) in [
        ("linux_x86", &fg.linux_x86),
        ("linux_arm", &fg.linux_arm),
        ("windows_x86", &fg.windows_x86),
    ] {
        let Some(t) = t else { continue };
        for (k, v) in [
            ("vcpu_hour", t.vcpu_hour),
            ("gb_hour", t.gb_hour),
            ("os_licence_vcpu_hour", t.os_licence_vcpu_hour),
        ] {
            if let Some(v) = v {
                f(format!("{at}.{name}.{k}"), v);
            }
        }
    }
}

fn ec2_prices(at: &str, ec2: &Ec2Rates, f: &mut dyn FnMut(String, f64)) {
    for (os, map) in [("linux", &ec2.linux), ("windows", &ec2.windows)] {
        for (ty, v) in map {
            f(format!("{at}.{os}.\"{ty}\""), *v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of docs/prices.md (the shared spec's section B), shared with the scenario
    /// reader's tests.
    const SPEC_EXAMPLE: &str = include_str!("../../tests/fixtures/prices/spec-example.toml");

    /// The example of spec §B reads, and what is written from it reads back the same.
    #[test]
    fn spec_example_round_trips() {
        let p = PriceFile::parse(SPEC_EXAMPLE, "prices.toml").unwrap();
        assert_eq!(p.ec2.as_ref().unwrap().windows["m5.large"], 0.199);
        let ri = &p.reserved_instances["1yr_standard_partial_upfront"].linux["m5.large"];
        assert_eq!((ri.hourly, ri.upfront), (0.031, 271.0));
        let sp = &p.savings_plans["compute_savings_plan"]["1yr_no_upfront"];
        let fg = sp.fargate.as_ref().unwrap().linux_x86.as_ref().unwrap();
        assert_eq!(fg.gb_hour, Some(0.003556));
        let text = p.to_toml().unwrap();
        assert!(text.starts_with(PRICE_FILE_HEADER));
        assert_eq!(PriceFile::parse(&text, "again").unwrap(), p);
    }

    #[test]
    fn refuses_unknown_keys_format_currency_and_negative_prices() {
        let unknown = SPEC_EXAMPLE.replace("storage_gb_hour", "storage_gib_hour");
        let e = PriceFile::parse(&unknown, "p.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("storage_gib_hour") && e.contains("line"), "{e}");
        let e = PriceFile::parse(&SPEC_EXAMPLE.replace("format = 1", "format = 2"), "p.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`format`") && e.contains("expected 1"), "{e}");
        let e = PriceFile::parse(&SPEC_EXAMPLE.replace("\"USD\"", "\"EUR\""), "p.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`currency`"), "{e}");
        let e = PriceFile::parse(&SPEC_EXAMPLE.replace("0.199", "-0.199"), "p.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("ec2.windows.\"m5.large\""), "{e}");
    }
}
