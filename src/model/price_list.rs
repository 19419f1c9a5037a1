//! A price list: the compact price table a scenario names with `[pricing] price_list =
//! "prices.toml"` (written by `sim prices import` from AWS Price List offer files; the format is
//! in docs/scenario.md, "Price lists"). Pure data; `scenario::price_list_file` reads it.

use std::collections::BTreeMap;

use crate::model::Os;
use crate::model::price_book::FargateOsArch;

/// One offer file the list was made from (`[[source]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceListSource {
    /// The file name given to the importer.
    pub file: String,
    /// `AmazonEC2`, `AmazonECS` or `AWSComputeSavingsPlan`.
    pub offer_code: String,
    /// The offer file's version.
    pub version: String,
    /// Its publication date.
    pub publication_date: String,
    /// Data rows read.
    pub rows: u64,
    /// Rows that gave a price.
    pub used: u64,
}

/// Fargate rates of one os/arch in a price list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ListFargateRates {
    /// USD per vCPU-hour.
    pub vcpu_hour: f64,
    /// USD per GB-hour.
    pub gb_hour: f64,
    /// Windows OS licence, USD per vCPU-hour (Windows only).
    pub os_licence_vcpu_hour: Option<f64>,
}

/// The rates of one Savings Plan type, term and payment option: USD per unit of usage at the
/// plan's price.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SavingsPlanRates {
    /// EC2: per OS, per instance type, USD per instance-hour.
    pub ec2: BTreeMap<Os, BTreeMap<String, f64>>,
    /// Fargate: per os/arch, the vCPU-hour and GB-hour rates (no licence fee).
    pub fargate: BTreeMap<FargateOsArch, ListFargateRates>,
}

/// A Reserved Instance rate: hourly, and the upfront fee per instance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReservedRate {
    /// USD per instance-hour.
    pub hourly: f64,
    /// USD per instance, once per term.
    pub upfront: f64,
}

/// A whole price list, values as written (no discount applied).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceList {
    /// The file as the scenario names it (`prices.toml`), for origins.
    pub name: String,
    /// Region code.
    pub region: String,
    /// Always `USD` (the reader refuses others).
    pub currency: String,
    /// The offer files read, in file order.
    pub sources: Vec<PriceListSource>,
    /// Fargate rates per os/arch.
    pub fargate: BTreeMap<FargateOsArch, ListFargateRates>,
    /// Fargate ephemeral storage above the free 20 GB, USD per GB-hour.
    pub fargate_storage_gb_hour: Option<f64>,
    /// EC2 on-demand, per OS, per instance type, USD per instance-hour.
    pub ec2: BTreeMap<Os, BTreeMap<String, f64>>,
    /// Savings Plan rates: plan type (`compute_savings_plan`, `ec2_instance_savings_plan`) →
    /// `<term>_<payment>` (`1yr_no_upfront`, ...) → rates.
    pub savings_plans: BTreeMap<String, BTreeMap<String, SavingsPlanRates>>,
    /// Reserved Instances: `<term>_<class>_<payment>` → OS → instance type → rate.
    pub reserved_instances: BTreeMap<String, BTreeMap<Os, BTreeMap<String, ReservedRate>>>,
}

impl PriceList {
    /// The origin text of a price read from offer `offer_code`:
    /// `price list prices.toml (AmazonECS version V, published D)`, or without the parenthesis
    /// when the list names no such source.
    pub fn origin(&self, offer_code: &str) -> String {
        match self.sources.iter().find(|s| s.offer_code == offer_code) {
            Some(s) => format!(
                "price list {} ({} version {}, published {})",
                self.name, s.offer_code, s.version, s.publication_date
            ),
            None => format!("price list {}", self.name),
        }
    }

    /// The on-demand EC2 price of `instance_type` with `os`.
    pub fn ec2_price(&self, os: Os, instance_type: &str) -> Option<f64> {
        self.ec2.get(&os)?.get(instance_type).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_name_the_offer_version_and_date() {
        let mut l = PriceList {
            name: "prices.toml".into(),
            ..PriceList::default()
        };
        assert_eq!(l.origin("AmazonECS"), "price list prices.toml");
        l.sources.push(PriceListSource {
            file: "AmazonECS.csv".into(),
            offer_code: "AmazonECS".into(),
            version: "20250912225308".into(),
            publication_date: "2025-09-12T22:53:08Z".into(),
            rows: 10,
            used: 3,
        });
        assert_eq!(
            l.origin("AmazonECS"),
            "price list prices.toml (AmazonECS version 20250912225308, published 2025-09-12T22:53:08Z)"
        );
    }
}
