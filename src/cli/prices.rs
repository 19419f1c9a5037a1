//! `sim prices import OFFER.csv... [--region R] -o prices.toml`: read AWS Price List offer
//! files (docs/reference/pricing.md §2.4), write the compact price table of docs/prices.md,
//! print what was read from each file.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::prices::{OfferError, OfferInput, import_offers};
use crate::report::write_atomic;

/// `sim prices …` subcommands.
#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// Read AWS Price List offer files (CSV: AmazonEC2, AmazonECS, AWSComputeSavingsPlan) and
    /// write the prices of one region as prices.toml, for `[pricing] price_list`
    /// (docs/prices.md).
    Import(PricesImportArgs),
}

/// Arguments of `sim prices import`.
#[derive(Debug, Args)]
pub struct PricesImportArgs {
    /// Offer files in AWS's CSV format (five metadata rows, then a header), any order.
    #[arg(value_name = "OFFER.csv", required = true)]
    pub offers: Vec<PathBuf>,
    /// The region to take (e.g. eu-west-1); default: the only region the files hold.
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// Where to write the price table (a temporary name, then renamed).
    #[arg(short = 'o', long = "out", value_name = "prices.toml")]
    pub output: PathBuf,
}

/// Run a `sim prices` command.
pub fn prices(command: &PricesCommand) -> anyhow::Result<()> {
    match command {
        PricesCommand::Import(args) => prices_import(args),
    }
}

fn prices_import(args: &PricesImportArgs) -> anyhow::Result<()> {
    let mut inputs = Vec::new();
    for path in &args.offers {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|error| OfferError::Io {
            file: name.clone(),
            error,
        })?;
        inputs.push(OfferInput {
            name,
            reader: Box::new(file),
        });
    }
    let outcome = import_offers(inputs, args.region.as_deref())?;
    let text = outcome.render()?;
    write_atomic(&args.output, text.as_bytes())?;
    let mut msg = String::new();
    for (s, c) in outcome.prices.sources.iter().zip(&outcome.counts) {
        let _ = writeln!(
            msg,
            "{}: {} version {} (published {}): {} rows, {} used, {} for other regions{}",
            s.file,
            s.offer_code,
            s.version,
            s.publication_date,
            c.rows,
            c.used,
            c.other_region,
            if c.unknown_location > 0 {
                format!(", {} of unknown locations skipped", c.unknown_location)
            } else {
                String::new()
            }
        );
    }
    if outcome.incomplete_reserved > 0 {
        let _ = writeln!(
            msg,
            "warning: {} Reserved Instance offers skipped: their hourly or upfront-fee row is missing",
            outcome.incomplete_reserved
        );
    }
    if outcome.uncertain_windows_sp {
        let _ = writeln!(
            msg,
            "note: Windows Savings Plan rates taken from DiscountedOperation RunInstances:0002 (UNCERTAIN, docs/reference/pricing.md §2.4)"
        );
    }
    let p = &outcome.prices;
    let count = |m: Option<&crate::prices::Ec2Rates>| {
        m.map_or((0, 0), |e| (e.linux.len(), e.windows.len()))
    };
    let (linux, windows) = count(p.ec2.as_ref());
    let _ = writeln!(
        msg,
        "wrote {} for {}: EC2 on-demand {linux} Linux, {windows} Windows types; Fargate {}; {} Savings Plan offers; {} Reserved Instance offers",
        args.output.display(),
        p.region,
        if p.fargate.is_some() { "rates" } else { "none" },
        p.savings_plans.values().map(|o| o.len()).sum::<usize>(),
        p.reserved_instances.len(),
    );
    say!("{msg}")
}
