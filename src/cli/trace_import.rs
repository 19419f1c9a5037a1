//! `sim trace import`: convert a public cluster trace to sim's trace format (docs/traces.md)
//! and print what was kept, dropped and assumed.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use crate::report::{AtomicFile, OutputError};
use crate::trace::ImportError;
use crate::trace::import::{self, ImportFormat, ImportOptions, ImportSummary};

/// Arguments of `sim trace import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The source format: google-2011, alibaba-2017-batch, alibaba-2018-container,
    /// alibaba-2018-batch, alibaba-gpu-2023, alibaba-gpu-2025.
    #[arg(long, value_name = "FORMAT")]
    pub format: String,
    /// The source file, plain CSV or gzip (told apart by its first bytes).
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Where to write the trace (written to a temporary name, then renamed).
    #[arg(short = 'o', long = "out", value_name = "OUT.csv")]
    pub output: PathBuf,
    /// vCPUs of the largest machine, the scale of normalised CPU requests (google-2011;
    /// default 32).
    #[arg(long, value_name = "N")]
    pub machine_cpu: Option<f64>,
    /// MiB of the largest machine, the scale of normalised memory requests (default: 131072
    /// for google-2011, 262144 for alibaba-2017-batch, 393216 for the alibaba-2018 formats).
    #[arg(long, value_name = "N")]
    pub machine_memory_mib: Option<f64>,
    /// Count malformed rows as warnings and go on, instead of stopping at the first.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// Drop tasks that need a GPU (alibaba-gpu-2023, alibaba-gpu-2025).
    #[arg(long)]
    pub cpu_only: bool,
    /// At most N tasks per source row of the batch formats (their `instance_num`), for small
    /// demos; the instances above it are counted as dropped.
    #[arg(long, value_name = "N")]
    pub max_instances: Option<u64>,
}

/// Import, write atomically, print the summary.
pub fn trace_import(args: &ImportArgs) -> anyhow::Result<()> {
    let format: ImportFormat = args.format.parse()?;
    let options = ImportOptions {
        machine_cpu: args.machine_cpu,
        machine_memory_mib: args.machine_memory_mib,
        skip_bad_rows: args.skip_bad_rows,
        cpu_only: args.cpu_only,
        max_instances: args.max_instances,
    };
    let mut out = AtomicFile::create(&args.output)?;
    let summary = match import::import(format, &args.input, &options, &mut out) {
        Ok(s) => s,
        // The output could not be written (a full disk): name the file, as every output does.
        Err(ImportError::Write(error)) => {
            return Err(OutputError {
                path: args.output.clone(),
                error,
            }
            .into());
        }
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context(format!("importing `{}` as {format}", args.input.display())));
        }
    };
    out.commit()?;
    say!("{}", describe(&summary, &args.output))?;
    Ok(())
}

/// The printed summary: what was kept, dropped and adjusted, and the assumptions.
pub fn describe(s: &ImportSummary, output: &std::path::Path) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "imported {} rows of {} → {} tasks in {} (arrivals span {:.3} s)",
        s.rows_read,
        s.format,
        s.tasks_written,
        output.display(),
        s.arrival_span_s
    );
    if s.sort_runs > 0 {
        let _ = writeln!(o, "  sorted through {} temporary runs", s.sort_runs);
    }
    if !s.dropped.is_empty() {
        let _ = writeln!(o, "dropped ({} tasks)", s.dropped.values().sum::<u64>());
        for (why, n) in &s.dropped {
            let _ = writeln!(o, "  {n:>10}  {why}");
        }
    }
    if !s.adjusted.is_empty() {
        let _ = writeln!(o, "kept but adjusted");
        for (what, n) in &s.adjusted {
            let _ = writeln!(o, "  {n:>10}  {what}");
        }
    }
    if s.bad_rows > 0 {
        let _ = writeln!(
            o,
            "skipped {} malformed rows (--skip-bad-rows), first ones:",
            s.bad_rows
        );
        for w in &s.warnings {
            let _ = writeln!(o, "  {w}");
        }
    }
    let _ = writeln!(o, "assumptions");
    for a in &s.assumptions {
        let _ = writeln!(o, "  {a}");
    }
    o
}
