//! Why an offer file could not be imported: every error names the file and, where there is
//! one, the 1-based line and the column.

/// Why `sim prices import` refused its input (all exit status 2: the input is at fault).
#[derive(Debug, thiserror::Error)]
pub enum OfferError {
    /// The file could not be opened or read.
    #[error("cannot read offer file `{file}`: {error}")]
    Io {
        /// The file as named.
        file: String,
        /// What the OS said.
        error: std::io::Error,
    },
    /// One of the five metadata rows is missing or out of place.
    #[error(
        "{file}: line {line}: found {found}, expected the metadata row `{expected}` (an AWS Price List offer file starts with FormatVersion, Disclaimer, Publication Date, Version, OfferCode; docs/reference/pricing.md §2.4)"
    )]
    Metadata {
        /// The file as named.
        file: String,
        /// 1-based line.
        line: u64,
        /// The row expected there.
        expected: &'static str,
        /// What is there.
        found: String,
    },
    /// The OfferCode is not one this importer reads.
    #[error(
        "{file}: line 5: OfferCode `{found}` is not an offer file sim imports; expected AmazonEC2, AmazonECS or AWSComputeSavingsPlan (also spelt AmazonComputeSavingsPlan)"
    )]
    OfferCode {
        /// The file as named.
        file: String,
        /// The OfferCode found.
        found: String,
    },
    /// The header (line 6) lacks a column this offer needs.
    #[error(
        "{file}: line 6 (header): missing column `{column}`, which {offer} rows need (column names are matched ignoring case, spaces and underscores)"
    )]
    MissingColumn {
        /// The file as named.
        file: String,
        /// The offer code.
        offer: String,
        /// The column (as AWS names it).
        column: &'static str,
    },
    /// A value is not what the column holds.
    #[error("{file}: line {line}, column `{column}`: found `{found}`, expected {expected}")]
    BadValue {
        /// The file as named.
        file: String,
        /// 1-based line.
        line: u64,
        /// The column.
        column: &'static str,
        /// The text found.
        found: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The CSV itself is malformed (an unclosed quote, invalid UTF-8).
    #[error("{file}: line {line}: {message}")]
    Malformed {
        /// The file as named.
        file: String,
        /// 1-based line.
        line: u64,
        /// What the CSV parser said.
        message: String,
    },
    /// Two rows give different prices for one key of prices.toml.
    #[error(
        "{key}: {first_file} line {first_line} gives {first_usd} but {second_file} line {second_line} gives {second_usd}; one price per key is expected (remove one row or file)"
    )]
    Conflict {
        /// The price, e.g. `ec2.linux."m5.large"`.
        key: String,
        /// The file of the first row.
        first_file: String,
        /// Its line.
        first_line: u64,
        /// Its price.
        first_usd: f64,
        /// The file of the second row.
        second_file: String,
        /// Its line.
        second_line: u64,
        /// Its price.
        second_usd: f64,
    },
    /// Prices for several regions and no `--region`.
    #[error("the offer files hold prices for several regions ({}); choose one with --region", regions.join(", "))]
    SeveralRegions {
        /// The region codes, sorted.
        regions: Vec<String>,
    },
    /// No row gave a price for the region.
    #[error("no row of the offer files gives a price{}; check --region and the files", region.as_ref().map_or(String::new(), |r| format!(" for region `{r}`")))]
    NoPrices {
        /// The region asked for, if any.
        region: Option<String>,
    },
}
