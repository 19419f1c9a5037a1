//! The built-in regional price book: Fargate rates by region and os/arch
//! (`data/fargate_prices.csv`, docs/reference/pricing.md §1.1) and EC2 on-demand prices
//! (`data/ec2_prices.csv`, §2.1), embedded with `include_str!` and parsed once. A row whose
//! `source` starts with `UNCERTAIN` is uncertain and is shown so wherever it is used.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::Os;

/// The Fargate rate table compiled into the binary.
pub const FARGATE_PRICES_CSV: &str = include_str!("../../data/fargate_prices.csv");
/// The EC2 on-demand price table compiled into the binary.
pub const EC2_PRICES_CSV: &str = include_str!("../../data/ec2_prices.csv");
/// The Reserved Instance normalization factors (read by the commitments code).
pub const RI_NORMALIZATION_FACTORS_CSV: &str =
    include_str!("../../data/ri_normalization_factors.csv");

/// Where the built-in Fargate rates are documented.
pub const FARGATE_SECTION: &str = "docs/reference/pricing.md §1.1";
/// Where the built-in EC2 prices are documented.
pub const EC2_SECTION: &str = "docs/reference/pricing.md §2.1";

/// Fargate's operating system and CPU architecture pairs, as price tables key them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FargateOsArch {
    /// Linux on x86-64.
    LinuxX86,
    /// Linux on ARM64 (Graviton).
    LinuxArm,
    /// Windows Server on x86-64.
    WindowsX86,
}

impl FargateOsArch {
    /// Every pair, in table order.
    pub const ALL: [FargateOsArch; 3] = [
        FargateOsArch::LinuxX86,
        FargateOsArch::LinuxArm,
        FargateOsArch::WindowsX86,
    ];

    /// The table spelling: `linux_x86`, `linux_arm`, `windows_x86`.
    pub fn as_str(self) -> &'static str {
        match self {
            FargateOsArch::LinuxX86 => "linux_x86",
            FargateOsArch::LinuxArm => "linux_arm",
            FargateOsArch::WindowsX86 => "windows_x86",
        }
    }

    /// Parse the table spelling.
    pub fn parse(s: &str) -> Option<FargateOsArch> {
        FargateOsArch::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// One row of `fargate_prices.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct FargateRow {
    /// Region code.
    pub region: String,
    /// Which OS and architecture.
    pub os_arch: FargateOsArch,
    /// USD per vCPU-hour.
    pub vcpu_hour: f64,
    /// USD per GB-hour.
    pub gb_hour: f64,
    /// Windows OS licence, USD per vCPU-hour.
    pub os_licence_vcpu_hour: Option<f64>,
    /// Ephemeral storage above the free 20 GB, USD per GB-hour.
    pub storage_gb_hour: Option<f64>,
    /// The `source` column, verbatim.
    pub source: String,
}

impl FargateRow {
    /// Whether the row's rates are UNCERTAIN (its source starts with `UNCERTAIN`).
    pub fn uncertain(&self) -> bool {
        self.source.starts_with("UNCERTAIN")
    }

    /// Whether its storage rate is UNCERTAIN: *our rule*, the row is, or its source says
    /// UNCERTAIN anywhere (us-east-2's row marks only its storage rate "inferred = UNCERTAIN").
    pub fn storage_uncertain(&self) -> bool {
        self.source.contains("UNCERTAIN")
    }
}

/// One row of `ec2_prices.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ec2Row {
    /// Region code.
    pub region: String,
    /// Instance type name.
    pub instance_type: String,
    /// Operating system.
    pub os: Os,
    /// On-demand USD per instance-hour.
    pub usd_per_hour: f64,
    /// The `source` column, verbatim.
    pub source: String,
}

impl Ec2Row {
    /// Whether the price is UNCERTAIN.
    pub fn uncertain(&self) -> bool {
        self.source.starts_with("UNCERTAIN")
    }
}

/// The built-in price book.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceBook {
    fargate: Vec<FargateRow>,
    ec2: Vec<Ec2Row>,
}

#[derive(Debug, Deserialize)]
struct RawFargate {
    region: String,
    os_arch: String,
    vcpu_hour: f64,
    gb_hour: f64,
    os_licence_vcpu_hour: Option<f64>,
    storage_gb_hour: Option<f64>,
    source: String,
}

#[derive(Debug, Deserialize)]
struct RawEc2 {
    region: String,
    instance_type: String,
    os: String,
    usd_per_hour: f64,
    source: String,
}

impl PriceBook {
    /// The embedded tables, parsed on first use. A malformed row is a build defect (a unit test
    /// reads every row); it would be skipped, never panic.
    pub fn builtin() -> &'static PriceBook {
        static BOOK: OnceLock<PriceBook> = OnceLock::new();
        BOOK.get_or_init(|| {
            let fargate = csv::Reader::from_reader(FARGATE_PRICES_CSV.as_bytes())
                .deserialize::<RawFargate>()
                .filter_map(Result::ok)
                .filter_map(|r| {
                    Some(FargateRow {
                        os_arch: FargateOsArch::parse(&r.os_arch)?,
                        region: r.region,
                        vcpu_hour: r.vcpu_hour,
                        gb_hour: r.gb_hour,
                        os_licence_vcpu_hour: r.os_licence_vcpu_hour,
                        storage_gb_hour: r.storage_gb_hour,
                        source: r.source,
                    })
                })
                .collect();
            let ec2 = csv::Reader::from_reader(EC2_PRICES_CSV.as_bytes())
                .deserialize::<RawEc2>()
                .filter_map(Result::ok)
                .filter_map(|r| {
                    Some(Ec2Row {
                        os: Os::parse(&r.os)?,
                        region: r.region,
                        instance_type: r.instance_type,
                        usd_per_hour: r.usd_per_hour,
                        source: r.source,
                    })
                })
                .collect();
            PriceBook { fargate, ec2 }
        })
    }

    /// The Fargate row of `region` and `os_arch`.
    pub fn fargate(&self, region: &str, os_arch: FargateOsArch) -> Option<&FargateRow> {
        self.fargate
            .iter()
            .find(|r| r.region == region && r.os_arch == os_arch)
    }

    /// The EC2 on-demand row of `instance_type` with `os` in `region`.
    pub fn ec2(&self, region: &str, instance_type: &str, os: Os) -> Option<&Ec2Row> {
        self.ec2
            .iter()
            .find(|r| r.region == region && r.instance_type == instance_type && r.os == os)
    }

    /// Every Fargate row, in file order.
    pub fn fargate_rows(&self) -> &[FargateRow] {
        &self.fargate
    }

    /// Every EC2 row, in file order.
    pub fn ec2_rows(&self) -> &[Ec2Row] {
        &self.ec2
    }

    /// Regions with a built-in Fargate rate (file order, once each).
    pub fn fargate_regions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.fargate {
            if !out.contains(&r.region.as_str()) {
                out.push(&r.region);
            }
        }
        out
    }

    /// Regions with a built-in EC2 price (file order, once each).
    pub fn ec2_regions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.ec2 {
            if !out.contains(&r.region.as_str()) {
                out.push(&r.region);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_row_is_read() {
        let b = PriceBook::builtin();
        // fargate_prices.csv: 13 rows; ec2_prices.csv: 39 (one per instance_types.csv type).
        assert_eq!(b.fargate_rows().len(), 13);
        assert_eq!(b.ec2_rows().len(), 39);
        assert_eq!(
            b.fargate_regions(),
            [
                "us-east-1",
                "us-east-2",
                "us-west-2",
                "eu-west-1",
                "eu-central-1",
                "ap-southeast-1",
                "ap-northeast-1",
                "ap-south-1"
            ]
        );
        assert_eq!(b.ec2_regions(), ["us-east-1"]);
    }

    #[test]
    fn rows_match_pricing_md_1_1_and_uncertain_rows_are_labelled() {
        let b = PriceBook::builtin();
        let euc1 = b.fargate("eu-central-1", FargateOsArch::LinuxX86).unwrap();
        assert_eq!((euc1.vcpu_hour, euc1.gb_hour), (0.04656, 0.00511));
        assert!(!euc1.uncertain());
        assert_eq!(euc1.storage_gb_hour, None);
        let euw1 = b.fargate("eu-west-1", FargateOsArch::LinuxX86).unwrap();
        assert!(euw1.uncertain());
        let win = b.fargate("us-east-1", FargateOsArch::WindowsX86).unwrap();
        assert!(win.uncertain());
        assert_eq!(win.os_licence_vcpu_hour, Some(0.046));
        let use1 = b.fargate("us-east-1", FargateOsArch::LinuxX86).unwrap();
        assert!(!use1.uncertain() && !use1.storage_uncertain());
        // us-east-2's x86 row is sure of its vCPU and GB rates, not of its storage rate.
        let use2 = b.fargate("us-east-2", FargateOsArch::LinuxX86).unwrap();
        assert!(!use2.uncertain() && use2.storage_uncertain());
        assert!(b.fargate("eu-west-1", FargateOsArch::LinuxArm).is_none());
        let m5 = b.ec2("us-east-1", "m5.large", Os::Linux).unwrap();
        assert_eq!(m5.usd_per_hour, 0.096);
        assert!(b.ec2("us-east-1", "m5.large", Os::Windows).is_none());
        // The embedded EC2 table agrees with instance_types.csv's price column.
        let c = crate::model::Catalog::builtin();
        for r in b.ec2_rows() {
            assert_eq!(
                c.get(&r.instance_type).map(|t| t.price_per_hour),
                Some(r.usd_per_hour),
                "{}",
                r.instance_type
            );
        }
        assert!(RI_NORMALIZATION_FACTORS_CSV.starts_with("instance_size,"));
    }
}
