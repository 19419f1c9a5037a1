//! Price lists from AWS's own files: `prices.toml` ([`PriceFile`], issue 15 spec §B) and the
//! importer of AWS Price List offer files that writes it ([`import_offers`], `sim prices
//! import`; the CSV format is docs/reference/pricing.md §2.4). An input layer like `trace`:
//! it reads files, knows no simulation, and writes nothing (the CLI commits the bytes).

mod offer_error;
mod offer_import;
mod price_file;

pub use offer_error::OfferError;
pub use offer_import::{FileCounts, ImportOutcome, OfferInput, WINDOWS_SP_NOTE, import_offers};
pub use price_file::{
    Ec2Rates, FargateOsArchRates, FargateRates, PRICE_FILE_FORMAT, PRICE_FILE_HEADER, PriceFile,
    PriceFileError, PriceSource, ReservedOffer, ReservedRates, SavingsPlanRates,
};
