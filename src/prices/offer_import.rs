//! `sim prices import`: AWS Price List offer files (CSV) → [`PriceFile`].
//!
//! The CSV layout is docs/reference/pricing.md §2.4: five metadata rows (`FormatVersion`,
//! `Disclaimer`, `Publication Date`, `Version`, `OfferCode`), the header on line 6, then one
//! row per price dimension. Columns are found by name, compared ignoring case, spaces and
//! underscores (`Region Code` = `regionCode`), so every file version and the JSON attribute
//! names (`usagetype`, `regionCode`, used for AmazonECS, whose CSV header the reference did not
//! capture) are accepted. Files are streamed record by record; only the rows that give a price
//! are kept, so memory does not grow with the size of a file (the AmazonEC2 file is gigabytes).
//!
//! Which rows give which price (spec §C; pricing.md §2.4):
//! - AmazonEC2 on-demand: `TermType=OnDemand`, `Unit=Hrs`, `Tenancy=Shared`,
//!   `Product Family=Compute Instance`, `Pre Installed S/W=NA`, `CapacityStatus=Used` (a
//!   2017-style file without the column passes), `Operating System=Linux` with
//!   `License Model=No License required`, or `Windows` with `License included` or
//!   `No License required` (our choice: AWS's EC2 files spell Windows' included licence the
//!   second way; bring-your-own-licence rows are skipped).
//! - AmazonEC2 Reserved: the same product filters with `TermType=Reserved`; the hourly row
//!   (`Unit=Hrs`) and the `Upfront Fee` row (`Unit=Quantity`) of one offer are joined by
//!   SKU + OfferTermCode. No Upfront offers have no fee row (upfront 0); an offer with an
//!   upfront payment but no fee row, or a fee but no hourly row, is skipped and counted.
//! - AmazonECS: OnDemand rows whose usagetype, after the region prefix (`EUW1-`), is exactly
//!   one of the Fargate usage types; rows of a tier above 0 (`StartingRange`) are skipped.
//! - AWSComputeSavingsPlan: `Product Family` ComputeSavingsPlans / EC2InstanceSavingsPlans;
//!   EC2 rows of shared tenancy (`BoxUsage` usage types) with `DiscountedOperation`
//!   `RunInstances` (Linux) or `RunInstances:0002` (Windows, **UNCERTAIN** as a general rule,
//!   pricing.md §2.4), other operations skipped; AmazonECS rows by Fargate usage type.
//!
//! Region: the row's region code column (`Region Code`, `regionCode`,
//! `DiscountedRegionCode`), else its `Location` mapped for the regions of pricing.md §1.1 (a
//! 2017-style file); a row of an unknown location is skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use super::offer_error::OfferError;
use super::price_file::{
    Ec2Rates, FargateOsArchRates, FargateRates, PRICE_FILE_FORMAT, PriceFile, PriceSource,
    ReservedOffer, ReservedRates,
};

/// The Fargate usage types (after the region prefix) and where each goes:
/// (usage type, os_arch table or `""` for storage, field).
const FARGATE_USAGE_TYPES: &[(&str, &str, &str)] = &[
    ("Fargate-vCPU-Hours:perCPU", "linux_x86", "vcpu_hour"),
    ("Fargate-GB-Hours", "linux_x86", "gb_hour"),
    ("Fargate-ARM-vCPU-Hours:perCPU", "linux_arm", "vcpu_hour"),
    ("Fargate-ARM-GB-Hours", "linux_arm", "gb_hour"),
    (
        "Fargate-Windows-vCPU-Hours:perCPU",
        "windows_x86",
        "vcpu_hour",
    ),
    ("Fargate-Windows-GB-Hours", "windows_x86", "gb_hour"),
    (
        "Fargate-Windows-OS-Hours:perCPU",
        "windows_x86",
        "os_licence_vcpu_hour",
    ),
    ("Fargate-EphemeralStorage-GB-Hours", "", "storage_gb_hour"),
];

/// `Location` names of 2017-style files (no `Region Code` column) → region codes, for the
/// regions of pricing.md §1.1. AWS has written Europe as `EU (…)` and later `Europe (…)`;
/// both are accepted (our choice).
const LOCATIONS: &[(&str, &str)] = &[
    ("US East (N. Virginia)", "us-east-1"),
    ("US East (Ohio)", "us-east-2"),
    ("US West (Oregon)", "us-west-2"),
    ("EU (Ireland)", "eu-west-1"),
    ("Europe (Ireland)", "eu-west-1"),
    ("EU (Frankfurt)", "eu-central-1"),
    ("Europe (Frankfurt)", "eu-central-1"),
    ("Asia Pacific (Singapore)", "ap-southeast-1"),
    ("Asia Pacific (Tokyo)", "ap-northeast-1"),
    ("Asia Pacific (Mumbai)", "ap-south-1"),
];

/// The note written into prices.toml when Windows Savings Plan rates were imported.
pub const WINDOWS_SP_NOTE: &str = "# UNCERTAIN: Savings Plan rates under ec2.windows come from rows with DiscountedOperation\n# RunInstances:0002, taken to mean Windows (docs/reference/pricing.md §2.4).\n";

/// One offer file to read: its name as given (for messages and `[[source]]`) and its bytes.
pub struct OfferInput {
    /// The name given on the command line.
    pub name: String,
    /// The file's contents.
    pub reader: Box<dyn Read>,
}

/// What was read from one file, besides the prices.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileCounts {
    /// Data rows read.
    pub rows: u64,
    /// Rows that gave a price.
    pub used: u64,
    /// Rows that would have given a price for another region.
    pub other_region: u64,
    /// Rows skipped for an unknown `Location` (no region code column).
    pub unknown_location: u64,
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    /// The price table.
    pub prices: PriceFile,
    /// Per input file, in order.
    pub counts: Vec<FileCounts>,
    /// Reserved offers skipped because one of their two rows was missing.
    pub incomplete_reserved: u64,
    /// Whether Windows Savings Plan rates (UNCERTAIN mapping) were imported.
    pub uncertain_windows_sp: bool,
}

impl ImportOutcome {
    /// The prices.toml text, with the UNCERTAIN note when it applies.
    pub fn render(&self) -> Result<String, toml::ser::Error> {
        let text = self.prices.to_toml()?;
        if !self.uncertain_windows_sp {
            return Ok(text);
        }
        let (head, rest) = text.split_once('\n').unwrap_or((&text, ""));
        Ok(format!("{head}\n{WINDOWS_SP_NOTE}{rest}"))
    }
}

/// The offers sim reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offer {
    Ec2,
    Ecs,
    SavingsPlan,
}

/// Where a price was seen.
#[derive(Debug, Clone)]
struct Seen {
    usd: f64,
    file: usize,
    line: u64,
}

/// One Reserved offer (SKU + OfferTermCode) being joined.
#[derive(Debug, Default)]
struct ReservedParts {
    key: Option<(String, String, String)>,
    needs_upfront: bool,
    hourly: Option<Seen>,
    upfront: Option<Seen>,
}

/// Every price found so far, each with the row that gave it.
#[derive(Debug, Default)]
struct Collected {
    /// `(price-file key, typed place)` → seen.
    prices: BTreeMap<Place, (String, Seen)>,
    reserved: BTreeMap<(String, String), ReservedParts>,
}

/// Where a price goes in prices.toml.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Ec2 {
        os: &'static str,
        ty: String,
    },
    Fargate {
        table: &'static str,
        field: &'static str,
    },
    SpEc2 {
        plan: &'static str,
        offer: String,
        os: &'static str,
        ty: String,
    },
    SpFargate {
        plan: &'static str,
        offer: String,
        table: &'static str,
        field: &'static str,
    },
    Reserved {
        offer: String,
        os: String,
        ty: String,
    },
}

/// The region filter: a fixed region, or the first one seen (several seen is an error at the
/// end).
#[derive(Debug)]
struct RegionGate {
    fixed: Option<String>,
    seen: BTreeSet<String>,
    first: Option<String>,
}

impl RegionGate {
    fn accept(&mut self, region: &str) -> bool {
        if let Some(f) = &self.fixed {
            return f == region;
        }
        self.seen.insert(region.to_string());
        match &self.first {
            None => {
                self.first = Some(region.to_string());
                true
            }
            Some(f) => f == region,
        }
    }
}

/// Normalised column name: lower case, no spaces or underscores.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The header's columns by normalised name (the first of equal names wins).
struct Columns {
    by_name: BTreeMap<String, usize>,
}

impl Columns {
    fn find(&self, name: &str) -> Option<usize> {
        self.by_name.get(&norm(name)).copied()
    }
}

/// Import `inputs` for `region` (else the only region they hold).
pub fn import_offers(
    inputs: Vec<OfferInput>,
    region: Option<&str>,
) -> Result<ImportOutcome, OfferError> {
    let mut gate = RegionGate {
        fixed: region.map(str::to_string),
        seen: BTreeSet::new(),
        first: None,
    };
    let mut collected = Collected::default();
    let mut names = Vec::new();
    let mut sources = Vec::new();
    let mut counts = Vec::new();
    let mut uncertain_windows_sp = false;
    for (file_index, input) in inputs.into_iter().enumerate() {
        names.push(input.name.clone());
        let mut reader = FileReader {
            file_index,
            name: &input.name,
            gate: &mut gate,
            collected: &mut collected,
            names: &names,
            counts: FileCounts::default(),
            uncertain_windows_sp: false,
        };
        let source = reader.read(input.reader)?;
        uncertain_windows_sp |= reader.uncertain_windows_sp;
        counts.push(reader.counts);
        sources.push(source);
    }
    if gate.seen.len() > 1 {
        return Err(OfferError::SeveralRegions {
            regions: gate.seen.into_iter().collect(),
        });
    }
    let region = gate.fixed.or(gate.first);
    // Join the Reserved offers' two rows.
    let mut incomplete_reserved = 0;
    for parts in std::mem::take(&mut collected.reserved).into_values() {
        let Some((offer, os, ty)) = parts.key else {
            continue;
        };
        let (Some(hourly), upfront) = (parts.hourly, parts.upfront) else {
            incomplete_reserved += 1;
            continue;
        };
        if parts.needs_upfront && upfront.is_none() {
            incomplete_reserved += 1;
            continue;
        }
        let upfront = upfront.unwrap_or(Seen {
            usd: 0.0,
            file: hourly.file,
            line: hourly.line,
        });
        for (field, seen) in [("hourly", hourly), ("upfront", upfront)] {
            let place = Place::Reserved {
                offer: offer.clone(),
                os: os.clone(),
                ty: format!("{ty}\0{field}"),
            };
            let key = format!("reserved_instances.\"{offer}\".{os}.\"{ty}\".{field}");
            insert(&mut collected, &names, place, key, seen)?;
        }
    }
    let region = match region {
        Some(r) if !collected.prices.is_empty() => r,
        region => return Err(OfferError::NoPrices { region }),
    };
    for (s, c) in sources.iter_mut().zip(&counts) {
        s.rows = c.rows;
        s.used = c.used;
    }
    Ok(ImportOutcome {
        prices: build(region, sources, collected),
        counts,
        incomplete_reserved,
        uncertain_windows_sp,
    })
}

/// Record one price; a different price for the same place is a conflict.
fn insert(
    collected: &mut Collected,
    names: &[String],
    place: Place,
    key: String,
    seen: Seen,
) -> Result<(), OfferError> {
    match collected.prices.get(&place) {
        Some((key, first)) if first.usd != seen.usd => Err(OfferError::Conflict {
            key: key.clone(),
            first_file: names[first.file].clone(),
            first_line: first.line,
            first_usd: first.usd,
            second_file: names[seen.file].clone(),
            second_line: seen.line,
            second_usd: seen.usd,
        }),
        Some(_) => Ok(()),
        None => {
            collected.prices.insert(place, (key, seen));
            Ok(())
        }
    }
}

/// The price file from what was collected.
fn build(region: String, sources: Vec<PriceSource>, collected: Collected) -> PriceFile {
    let mut out = PriceFile {
        format: PRICE_FILE_FORMAT,
        region,
        currency: "USD".to_string(),
        sources,
        ..PriceFile::default()
    };
    fn ec2_slot<'a>(e: &'a mut Option<Ec2Rates>, os: &str) -> &'a mut BTreeMap<String, f64> {
        let e = e.get_or_insert_with(Ec2Rates::default);
        if os == "windows" {
            &mut e.windows
        } else {
            &mut e.linux
        }
    }
    fn fargate_set(f: &mut Option<FargateRates>, table: &str, field: &str, usd: f64) {
        let f = f.get_or_insert_with(FargateRates::default);
        let t = match table {
            "linux_x86" => &mut f.linux_x86,
            "linux_arm" => &mut f.linux_arm,
            "windows_x86" => &mut f.windows_x86,
            _ => {
                f.storage_gb_hour = Some(usd);
                return;
            }
        };
        let t = t.get_or_insert_with(FargateOsArchRates::default);
        match field {
            "vcpu_hour" => t.vcpu_hour = Some(usd),
            "gb_hour" => t.gb_hour = Some(usd),
            _ => t.os_licence_vcpu_hour = Some(usd),
        }
    }
    for (place, (_, seen)) in collected.prices {
        let usd = seen.usd;
        match place {
            Place::Ec2 { os, ty } => {
                ec2_slot(&mut out.ec2, os).insert(ty, usd);
            }
            Place::Fargate { table, field } => fargate_set(&mut out.fargate, table, field, usd),
            Place::SpEc2 {
                plan,
                offer,
                os,
                ty,
            } => {
                let rates = out
                    .savings_plans
                    .entry(plan.to_string())
                    .or_default()
                    .entry(offer)
                    .or_default();
                ec2_slot(&mut rates.ec2, os).insert(ty, usd);
            }
            Place::SpFargate {
                plan,
                offer,
                table,
                field,
            } => {
                let rates = out
                    .savings_plans
                    .entry(plan.to_string())
                    .or_default()
                    .entry(offer)
                    .or_default();
                fargate_set(&mut rates.fargate, table, field, usd);
            }
            Place::Reserved { offer, os, ty } => {
                let (ty, field) = ty.split_once('\0').unwrap_or((&ty, "hourly"));
                let rates: &mut ReservedRates = out.reserved_instances.entry(offer).or_default();
                let map = if os == "windows" {
                    &mut rates.windows
                } else {
                    &mut rates.linux
                };
                let o: &mut ReservedOffer = map.entry(ty.to_string()).or_default();
                if field == "upfront" {
                    o.upfront = usd;
                } else {
                    o.hourly = usd;
                }
            }
        }
    }
    out
}

mod reader;

use reader::FileReader;

#[cfg(test)]
mod tests {
    use super::reader::fargate_usage;
    use super::*;

    fn input(name: &str, text: &str) -> OfferInput {
        OfferInput {
            name: name.to_string(),
            reader: Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
        }
    }

    const META: &str = "\"FormatVersion\",\"v1.0\"\n\"Disclaimer\",\"x\"\n\"Publication Date\",\"2025-09-12T22:53:08Z\"\n\"Version\",\"20250912225308\"\n";

    #[test]
    fn column_names_match_ignoring_case_spaces_and_underscores() {
        assert_eq!(norm("Region Code"), norm("regionCode"));
        assert_eq!(norm("usage_type"), norm("usageType"));
        assert_eq!(
            fargate_usage("EUW1-Fargate-ARM-GB-Hours"),
            Some(("linux_arm", "gb_hour"))
        );
        assert_eq!(fargate_usage("EUW1-Fargate-GB-Hours-Spot"), None);
    }

    /// An ECS file with JSON attribute names as its header, and a 2017-style location.
    #[test]
    fn ecs_json_names_and_location() {
        let text = format!(
            "{META}\"OfferCode\",\"AmazonECS\"\nsku,termType,usagetype,location,pricePerUnit,currency\nA,OnDemand,EU-Fargate-vCPU-Hours:perCPU,EU (Ireland),0.04048,USD\nB,OnDemand,USE1-Fargate-vCPU-Hours:perCPU,US East (N. Virginia),0.05,USD\nC,OnDemand,XX-Fargate-GB-Hours,Mars (Olympus),1,USD\n"
        );
        let out = import_offers(vec![input("ecs.csv", &text)], Some("eu-west-1")).unwrap();
        let fg = out.prices.fargate.unwrap();
        assert_eq!(fg.linux_x86.unwrap().vcpu_hour, Some(0.04048));
        assert_eq!(out.counts[0].other_region, 1);
        assert_eq!(out.counts[0].unknown_location, 1);
        assert_eq!((out.counts[0].rows, out.counts[0].used), (3, 1));
    }
}
