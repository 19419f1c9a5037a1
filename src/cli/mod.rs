//! The command line (README.md, Commands): the only code that prints or exits. Each command
//! reads as one pipeline: parse → validate → run → export.

/// `print!` that returns an error (a full disk behind a redirect, say) instead of panicking,
/// flushing at once so that the error is seen here. A closed pipe (`sim … | head`) is not an
/// error: the reader wanted no more.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        match write!(out, $($arg)*).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(anyhow::anyhow!("cannot write to standard output: {e}"))
            }
            _ => anyhow::Ok(()),
        }
    }};
}

/// [`say!`] with a newline.
macro_rules! sayln {
    ($($arg:tt)*) => {
        say!("{}\n", format_args!($($arg)*))
    };
}

mod catalog;
mod commitment;
mod prices;
mod report;
mod run;
mod sweep;
mod trace_import;
mod trace_stats;
mod validate;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::prices::OfferError;
use crate::report::{RunDataError, SweepDataError};
use crate::scenario::ScenarioError;
use crate::sim::SimError;
use crate::sweep::SweepError;
use crate::trace::{ImportError, TraceError};

/// Discrete-event simulator of Amazon ECS clusters: compares EC2 mode and Fargate on one
/// workload for cost, utilisation and waiting.
#[derive(Debug, Parser)]
#[command(name = "sim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate every arm of a scenario on the same workload and compare them.
    Run(run::RunArgs),
    /// Run a grid of scenario variants × seeds in parallel (docs/sweeps.md): runs.csv, sweep.csv.
    Sweep(sweep::SweepArgs),
    /// Merge the output folders of a sweep's shards (`sim sweep --shard I/N`) into the outputs
    /// of the whole sweep, checking that every run is there exactly once.
    Merge(sweep::MergeArgs),
    /// (Re)draw the plots and report.html of a run from its CSV files and run.json, or the
    /// plots of a sweep from its sweep.csv and sweep.json.
    Report(report::ReportArgs),
    /// Check a scenario (and its trace) and print what it resolves to; simulate nothing.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Print the built-in reference data the model uses.
    Catalog {
        /// What to print.
        #[arg(value_enum)]
        what: catalog::What,
        /// `prices`: the region whose prices to show (default: the price list's, else
        /// us-east-1).
        #[arg(long)]
        region: Option<String>,
        /// `prices`: a price list (prices.toml, written by `sim prices import`) on top of the
        /// built-in prices.
        #[arg(long)]
        price_list: Option<PathBuf>,
    },
    /// The Savings Plan commitment (USD per hour) that minimises each arm's cost, from a run's
    /// hourly usage (DIR/usage.csv); writes commitment.csv and commitment.{svg,png} there.
    Commitment(commitment::CommitmentArgs),
    /// Price lists from AWS's own files: `sim prices import OFFER.csv... [--region R] -o
    /// prices.toml` (docs/prices.md).
    Prices {
        #[command(subcommand)]
        command: prices::PricesCommand,
    },
    /// Work with trace files (the CSV format of docs/traces.md): import public cluster traces,
    /// summarise a trace.
    Trace {
        #[command(subcommand)]
        command: TraceCommand,
    },
}

/// `sim trace …` subcommands.
#[derive(Debug, Subcommand)]
enum TraceCommand {
    /// Convert a public cluster trace (Google 2011, Alibaba 2017/2018/GPU) to sim's trace
    /// format, sorted by arrival; print what was kept, dropped and assumed.
    Import(trace_import::ImportArgs),
    /// Summarise a trace: rows, groups, time span, arrival rate, request and duration
    /// percentiles, peak concurrent CPU and memory, and the Fargate size mix.
    Stats {
        /// The trace file (CSV).
        trace: PathBuf,
        /// Print the figures as JSON instead of a report.
        #[arg(long)]
        json: bool,
    },
}

/// A command-line mistake (exit status 2), e.g. an unknown arm in `--only`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Parse the command line, run the command, and map any error to an exit status:
/// 0 success, 2 bad usage or invalid input, 1 anything else.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Merge(args) => sweep::merge(&args),
        Command::Report(args) => report::report(&args),
        Command::Validate { scenario } => validate::validate(&scenario),
        Command::Catalog {
            what,
            region,
            price_list,
        } => catalog::catalog(what, region.as_deref(), price_list.as_deref()),
        Command::Prices { command } => prices::prices(&command),
        Command::Commitment(args) => commitment::commitment(&args),
        Command::Trace { command } => match command {
            TraceCommand::Import(args) => trace_import::trace_import(&args),
            TraceCommand::Stats { trace, json } => trace_stats::trace_stats(&trace, json),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(exit_status(&e))
        }
    }
}

/// 2 for invalid input or usage, 1 for anything else.
fn exit_status(e: &anyhow::Error) -> u8 {
    let invalid_input = e.chain().any(|c| {
        c.is::<ScenarioError>()
            || c.is::<TraceError>()
            || c.is::<UsageError>()
            || c.is::<RunDataError>()
            || c.is::<SweepDataError>()
            || c.is::<OfferError>()
            || c.is::<crate::prices::PriceFileError>()
            || c.is::<crate::report::commitment_curve::MissingRateError>()
            || c.downcast_ref::<SweepError>()
                .is_some_and(SweepError::is_bad_input)
            || c.downcast_ref::<ImportError>()
                .is_some_and(ImportError::is_bad_input)
            || c.downcast_ref::<SimError>()
                .is_some_and(|s| matches!(s, SimError::Trace(_)))
    });
    if invalid_input { 2 } else { 1 }
}

/// Whether to draw progress bars: a terminal on stderr, and not `--quiet`.
fn show_progress(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}
