//! Reading one offer file: its metadata rows and header, the columns of its service, and each
//! row sorted into the price it gives (or counted as skipped). The parent module drives the
//! files and assembles the price table.

use std::io::Read;

use super::*;

/// Reads one file.
pub(super) struct FileReader<'a> {
    pub(super) file_index: usize,
    pub(super) name: &'a str,
    pub(super) gate: &'a mut RegionGate,
    pub(super) collected: &'a mut Collected,
    pub(super) names: &'a [String],
    pub(super) counts: FileCounts,
    pub(super) uncertain_windows_sp: bool,
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
    pub(super) fn read(&mut self, reader: Box<dyn Read>) -> Result<PriceSource, OfferError> {
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
pub(super) fn fargate_usage(usage: &str) -> Option<(&'static str, &'static str)> {
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
