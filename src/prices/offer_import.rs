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

/// Reads one file.
struct FileReader<'a> {
    file_index: usize,
    name: &'a str,
    gate: &'a mut RegionGate,
    collected: &'a mut Collected,
    names: &'a [String],
    counts: FileCounts,
    uncertain_windows_sp: bool,
}

/// The columns each offer uses, by index.
struct Ec2Cols {
    term: usize,
    unit: usize,
    price: usize,
    currency: usize,
    family: usize,
    instance_type: usize,
    tenancy: usize,
    os: usize,
    licence: usize,
    software: usize,
    capacity: Option<usize>,
    sku: usize,
    offer_term: usize,
    lease: usize,
    purchase: usize,
    class: usize,
    region: Option<usize>,
    location: Option<usize>,
}

struct EcsCols {
    term: usize,
    usage: usize,
    price: usize,
    currency: usize,
    starting: Option<usize>,
    region: Option<usize>,
    location: Option<usize>,
}

struct SpCols {
    rate: usize,
    currency: usize,
    family: usize,
    lease: usize,
    lease_unit: Option<usize>,
    purchase: usize,
    service: usize,
    usage: usize,
    operation: usize,
    region: usize,
    instance_type: Option<usize>,
}

enum Cols {
    Ec2(Box<Ec2Cols>),
    Ecs(EcsCols),
    Sp(SpCols),
}

impl FileReader<'_> {
    fn read(&mut self, reader: Box<dyn Read>) -> Result<PriceSource, OfferError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(reader);
        let mut record = csv::StringRecord::new();
        let mut meta = Vec::new();
        for (i, expected) in [
            "FormatVersion",
            "Disclaimer",
            "Publication Date",
            "Version",
            "OfferCode",
        ]
        .into_iter()
        .enumerate()
        {
            let line = i as u64 + 1;
            let got = self.next(&mut csv, &mut record, line)?;
            let first = if got { record.get(0).unwrap_or("") } else { "" };
            if !got || norm(first) != norm(expected) {
                return Err(OfferError::Metadata {
                    file: self.name.to_string(),
                    line,
                    expected,
                    found: if got {
                        format!("`{first}`")
                    } else {
                        "the end of the file".to_string()
                    },
                });
            }
            meta.push(record.get(1).unwrap_or("").trim().to_string());
        }
        let offer_code = meta[4].clone();
        let offer = match offer_code.as_str() {
            "AmazonEC2" => Offer::Ec2,
            "AmazonECS" => Offer::Ecs,
            "AWSComputeSavingsPlan" | "AmazonComputeSavingsPlan" => Offer::SavingsPlan,
            _ => {
                return Err(OfferError::OfferCode {
                    file: self.name.to_string(),
                    found: offer_code,
                });
            }
        };
        if !self.next(&mut csv, &mut record, 6)? {
            return Err(OfferError::Metadata {
                file: self.name.to_string(),
                line: 6,
                expected: "header",
                found: "the end of the file".to_string(),
            });
        }
        let mut by_name = BTreeMap::new();
        for (i, h) in record.iter().enumerate() {
            by_name.entry(norm(h)).or_insert(i);
        }
        let cols = self.columns(offer, &offer_code, &Columns { by_name })?;
        let mut line = 6;
        loop {
            line += 1;
            if !self.next(&mut csv, &mut record, line)? {
                break;
            }
            if let Some(p) = record.position() {
                line = p.line();
            }
            self.counts.rows += 1;
            match &cols {
                Cols::Ec2(c) => self.ec2_row(c, &record, line)?,
                Cols::Ecs(c) => self.ecs_row(c, &record, line)?,
                Cols::Sp(c) => self.sp_row(c, &record, line)?,
            }
        }
        Ok(PriceSource {
            file: self.name.to_string(),
            offer_code,
            version: meta[3].clone(),
            publication_date: meta[2].clone(),
            rows: 0,
            used: 0,
        })
    }

    /// Read the next record; `false` at the end.
    fn next(
        &self,
        csv: &mut csv::Reader<Box<dyn Read>>,
        record: &mut csv::StringRecord,
        line: u64,
    ) -> Result<bool, OfferError> {
        csv.read_record(record).map_err(|e| {
            let line = e.position().map_or(line, csv::Position::line);
            let message = e.to_string();
            match e.into_kind() {
                csv::ErrorKind::Io(error) => OfferError::Io {
                    file: self.name.to_string(),
                    error,
                },
                _ => OfferError::Malformed {
                    file: self.name.to_string(),
                    line,
                    message,
                },
            }
        })
    }

    fn columns(&self, offer: Offer, code: &str, c: &Columns) -> Result<Cols, OfferError> {
        let need = |column: &'static str| {
            c.find(column).ok_or_else(|| OfferError::MissingColumn {
                file: self.name.to_string(),
                offer: code.to_string(),
                column,
            })
        };
        Ok(match offer {
            Offer::Ec2 => {
                let region = c.find("Region Code");
                let location = c.find("Location");
                if region.is_none() && location.is_none() {
                    need("Region Code")?;
                }
                Cols::Ec2(Box::new(Ec2Cols {
                    term: need("TermType")?,
                    unit: need("Unit")?,
                    price: need("PricePerUnit")?,
                    currency: need("Currency")?,
                    family: need("Product Family")?,
                    instance_type: need("Instance Type")?,
                    tenancy: need("Tenancy")?,
                    os: need("Operating System")?,
                    licence: need("License Model")?,
                    software: need("Pre Installed S/W")?,
                    capacity: c.find("CapacityStatus"),
                    sku: need("SKU")?,
                    offer_term: need("OfferTermCode")?,
                    lease: need("LeaseContractLength")?,
                    purchase: need("PurchaseOption")?,
                    class: need("OfferingClass")?,
                    region,
                    location,
                }))
            }
            Offer::Ecs => {
                let region = c.find("Region Code");
                let location = c.find("Location");
                if region.is_none() && location.is_none() {
                    need("Region Code")?;
                }
                Cols::Ecs(EcsCols {
                    term: need("TermType")?,
                    usage: need("usageType")?,
                    price: need("PricePerUnit")?,
                    currency: need("Currency")?,
                    starting: c.find("StartingRange"),
                    region,
                    location,
                })
            }
            Offer::SavingsPlan => Cols::Sp(SpCols {
                rate: need("DiscountedRate")?,
                currency: need("Currency")?,
                family: need("Product Family")?,
                lease: need("LeaseContractLength")?,
                lease_unit: c.find("LeaseContractLengthUnit"),
                purchase: need("PurchaseOption")?,
                service: need("DiscountedServiceCode")?,
                usage: need("DiscountedUsageType")?,
                operation: need("DiscountedOperation")?,
                region: need("DiscountedRegionCode")?,
                instance_type: c.find("DiscountedInstanceType"),
            }),
        })
    }

    /// The row's region (code column, else mapped location); `None`: skip the row.
    fn region<'r>(
        &mut self,
        r: &'r csv::StringRecord,
        code: Option<usize>,
        location: Option<usize>,
    ) -> Option<&'r str> {
        let code = code.map_or("", |i| field(r, i));
        let region = if code.is_empty() {
            let loc = location.map_or("", |i| field(r, i));
            let found = LOCATIONS.iter().find(|(l, _)| *l == loc).map(|(_, c)| *c);
            if found.is_none() {
                self.counts.unknown_location += 1;
            }
            found?
        } else {
            code
        };
        if self.gate.accept(region) {
            Some(region)
        } else {
            self.counts.other_region += 1;
            None
        }
    }

    /// A price column: a finite number ≥ 0, in USD.
    fn price(
        &self,
        r: &csv::StringRecord,
        line: u64,
        (col, name): (usize, &'static str),
        (currency, currency_name): (usize, &'static str),
    ) -> Result<Seen, OfferError> {
        let text = field(r, col);
        let usd = text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0);
        let Some(usd) = usd else {
            return Err(OfferError::BadValue {
                file: self.name.to_string(),
                line,
                column: name,
                found: text.to_string(),
                expected: "a price: a number ≥ 0",
            });
        };
        let cur = field(r, currency);
        if cur != "USD" {
            return Err(OfferError::BadValue {
                file: self.name.to_string(),
                line,
                column: currency_name,
                found: cur.to_string(),
                expected: "`USD` (prices.toml is in USD)",
            });
        }
        Ok(Seen {
            usd,
            file: self.file_index,
            line,
        })
    }

    fn put(&mut self, place: Place, key: String, seen: Seen) -> Result<(), OfferError> {
        self.counts.used += 1;
        insert(self.collected, self.names, place, key, seen)
    }

    fn ec2_row(&mut self, c: &Ec2Cols, r: &csv::StringRecord, line: u64) -> Result<(), OfferError> {
        let os = match (field(r, c.os), field(r, c.licence)) {
            ("Linux", "No License required") => "linux",
            ("Windows", "License included" | "No License required") => "windows",
            _ => return Ok(()),
        };
        let term = field(r, c.term);
        let product = field(r, c.family) == "Compute Instance"
            && field(r, c.tenancy) == "Shared"
            && field(r, c.software) == "NA"
            && c.capacity.is_none_or(|i| field(r, i) == "Used");
        if !product || !(term == "OnDemand" || term == "Reserved") {
            return Ok(());
        }
        let ty = field(r, c.instance_type);
        if ty.is_empty() {
            return Ok(());
        }
        let unit = field(r, c.unit);
        if term == "OnDemand" && unit != "Hrs" {
            return Ok(());
        }
        let reserved_key = if term == "Reserved" {
            let Some(k) =
                reserved_offer(field(r, c.lease), field(r, c.class), field(r, c.purchase))
            else {
                return Ok(());
            };
            if unit != "Hrs" && unit != "Quantity" {
                return Ok(());
            }
            Some(k)
        } else {
            None
        };
        if self.region(r, c.region, c.location).is_none() {
            return Ok(());
        }
        let seen = self.price(r, line, (c.price, "PricePerUnit"), (c.currency, "Currency"))?;
        let Some((offer, needs_upfront)) = reserved_key else {
            let key = format!("ec2.{os}.\"{ty}\"");
            return self.put(
                Place::Ec2 {
                    os,
                    ty: ty.to_string(),
                },
                key,
                seen,
            );
        };
        self.counts.used += 1;
        let parts = self
            .collected
            .reserved
            .entry((
                field(r, c.sku).to_string(),
                field(r, c.offer_term).to_string(),
            ))
            .or_default();
        parts.key = Some((offer, os.to_string(), ty.to_string()));
        parts.needs_upfront = needs_upfront;
        let slot = if unit == "Hrs" {
            &mut parts.hourly
        } else {
            &mut parts.upfront
        };
        if let Some(first) = slot.as_ref().filter(|f| f.usd != seen.usd) {
            return Err(OfferError::Conflict {
                key: format!(
                    "Reserved SKU {} term {} ({unit})",
                    field(r, c.sku),
                    field(r, c.offer_term)
                ),
                first_file: self.names[first.file].clone(),
                first_line: first.line,
                first_usd: first.usd,
                second_file: self.name.to_string(),
                second_line: line,
                second_usd: seen.usd,
            });
        }
        *slot = Some(seen);
        Ok(())
    }

    fn ecs_row(&mut self, c: &EcsCols, r: &csv::StringRecord, line: u64) -> Result<(), OfferError> {
        if field(r, c.term) != "OnDemand" {
            return Ok(());
        }
        let Some((table, name)) = fargate_usage(field(r, c.usage)) else {
            return Ok(());
        };
        if c.starting.is_some_and(|i| !matches!(field(r, i), "" | "0")) {
            return Ok(());
        }
        if self.region(r, c.region, c.location).is_none() {
            return Ok(());
        }
        let seen = self.price(r, line, (c.price, "PricePerUnit"), (c.currency, "Currency"))?;
        let key = fargate_key("fargate", table, name);
        self.put(Place::Fargate { table, field: name }, key, seen)
    }

    fn sp_row(&mut self, c: &SpCols, r: &csv::StringRecord, line: u64) -> Result<(), OfferError> {
        let plan = match field(r, c.family) {
            "ComputeSavingsPlans" => "compute_savings_plan",
            "EC2InstanceSavingsPlans" => "ec2_instance_savings_plan",
            _ => return Ok(()),
        };
        let lease = field(r, c.lease);
        let term = match (lease, c.lease_unit.map_or("", |i| field(r, i))) {
            ("1yr", _) | ("1", "year" | "years" | "") => "1yr",
            ("3yr", _) | ("3", "year" | "years" | "") => "3yr",
            _ => return Ok(()),
        };
        let Some(payment) = payment(field(r, c.purchase)) else {
            return Ok(());
        };
        let offer = format!("{term}_{payment}");
        let usage = field(r, c.usage);
        let place = match field(r, c.service) {
            "AmazonEC2" => {
                let Some((_, from_usage)) = usage.split_once("BoxUsage:") else {
                    return Ok(());
                };
                let os = match field(r, c.operation) {
                    "RunInstances" => "linux",
                    "RunInstances:0002" => "windows",
                    _ => return Ok(()),
                };
                let ty = c
                    .instance_type
                    .map(|i| field(r, i))
                    .filter(|t| !t.is_empty())
                    .unwrap_or(from_usage);
                Place::SpEc2 {
                    plan,
                    offer,
                    os,
                    ty: ty.to_string(),
                }
            }
            "AmazonECS" => {
                let Some((table, name)) = fargate_usage(usage) else {
                    return Ok(());
                };
                Place::SpFargate {
                    plan,
                    offer,
                    table,
                    field: name,
                }
            }
            _ => return Ok(()),
        };
        if self.region(r, Some(c.region), None).is_none() {
            return Ok(());
        }
        let seen = self.price(
            r,
            line,
            (c.rate, "DiscountedRate"),
            (c.currency, "Currency"),
        )?;
        let key = match &place {
            Place::SpEc2 {
                plan,
                offer,
                os,
                ty,
            } => {
                if *os == "windows" {
                    self.uncertain_windows_sp = true;
                }
                format!("savings_plans.{plan}.\"{offer}\".ec2.{os}.\"{ty}\"")
            }
            Place::SpFargate {
                plan,
                offer,
                table,
                field,
            } => fargate_key(
                &format!("savings_plans.{plan}.\"{offer}\".fargate"),
                table,
                field,
            ),
            _ => String::new(),
        };
        self.put(place, key, seen)
    }
}

/// A field, trimmed; `""` when the row is short.
fn field(r: &csv::StringRecord, i: usize) -> &str {
    r.get(i).unwrap_or("").trim()
}

/// The Fargate table and field of a usage type (`EUW1-Fargate-GB-Hours` → linux_x86 gb_hour).
fn fargate_usage(usage: &str) -> Option<(&'static str, &'static str)> {
    let suffix = if usage.starts_with("Fargate-") {
        usage
    } else {
        usage.split_once('-')?.1
    };
    FARGATE_USAGE_TYPES
        .iter()
        .find(|(u, _, _)| *u == suffix)
        .map(|(_, t, f)| (*t, *f))
}

fn fargate_key(at: &str, table: &str, field: &str) -> String {
    if table.is_empty() {
        format!("{at}.{field}")
    } else {
        format!("{at}.{table}.{field}")
    }
}

/// `PurchaseOption` → prices.toml's payment word.
fn payment(p: &str) -> Option<&'static str> {
    match p {
        "No Upfront" => Some("no_upfront"),
        "Partial Upfront" => Some("partial_upfront"),
        "All Upfront" => Some("all_upfront"),
        _ => None,
    }
}

/// The Reserved offer key `"<term>_<class>_<payment>"` and whether it has an upfront fee;
/// `None` for offers prices.toml has no key for (e.g. the old Heavy Utilization options).
fn reserved_offer(lease: &str, class: &str, purchase: &str) -> Option<(String, bool)> {
    let term = match lease {
        "1yr" | "1 yr" => "1yr",
        "3yr" | "3 yr" => "3yr",
        _ => return None,
    };
    let class = match class {
        "standard" | "Standard" => "standard",
        "convertible" | "Convertible" => "convertible",
        _ => return None,
    };
    let payment = payment(purchase)?;
    Some((format!("{term}_{class}_{payment}"), payment != "no_upfront"))
}

#[cfg(test)]
mod tests {
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
