//! A run's results read back from its output files (summary.csv, timeseries.csv, scaling.csv,
//! waits.csv, run.json): what the run plots and report.html are drawn from, so that
//! `sim report DIR` redraws exactly what `sim run` drew. Parsing is pure (bytes in); only
//! [`RunFiles::read`] touches the file system.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::summary_plots::{BreakevenRow, CostBreakdownRow};
use super::summary_row::SummaryRow;
use crate::sim::Completion;

/// Why a run folder's files could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum RunDataError {
    /// A required file is not there.
    #[error("`{file}` is missing: {why}")]
    Missing {
        /// The file.
        file: PathBuf,
        /// What the file is needed for.
        why: &'static str,
    },
    /// A file exists but could not be read.
    #[error("cannot read `{file}`: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A CSV file lacks a column.
    #[error("{file}: no column `{column}` in the header (line 1)")]
    NoColumn {
        /// File name.
        file: &'static str,
        /// The missing column.
        column: &'static str,
    },
    /// A CSV cell does not hold what its column needs.
    #[error("{file}: line {line}, column `{column}`: expected {expected}, found `{found}`")]
    Cell {
        /// File name.
        file: &'static str,
        /// Line in the file (the header is line 1).
        line: u64,
        /// Column name.
        column: String,
        /// The expected form.
        expected: String,
        /// The cell as found.
        found: String,
    },
    /// A CSV file is not CSV (bad quoting, ragged rows, not UTF-8).
    #[error("{file}: line {line}: not valid CSV: {message}")]
    Csv {
        /// File name.
        file: &'static str,
        /// Line in the file.
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// A row names an arm that summary.csv does not have.
    #[error("{file}: line {line}: arm `{arm}` is not in summary.csv (expected one of {known})")]
    UnknownArm {
        /// File name.
        file: &'static str,
        /// Line in the file.
        line: u64,
        /// The arm as found.
        arm: String,
        /// The arms of summary.csv, comma-separated.
        known: String,
    },
    /// run.json is not JSON, or lacks a field.
    #[error("run.json: {0}")]
    Json(String),
}

/// The bytes of a run folder's files, as written by `sim run` (or read back by `sim report`).
#[derive(Debug, Clone, Default)]
pub struct RunFiles {
    /// summary.csv.
    pub summary: Vec<u8>,
    /// timeseries.csv.
    pub timeseries: Vec<u8>,
    /// scaling.csv, when any arm scaled.
    pub scaling: Option<Vec<u8>>,
    /// waits.csv; runs written before it existed have none (no wait plot then).
    pub waits: Option<Vec<u8>>,
    /// breakeven.csv, when the run has an EC2 arm and a Fargate arm.
    pub breakeven: Option<Vec<u8>>,
    /// run.json.
    pub run_json: Vec<u8>,
}

impl RunFiles {
    /// Read the files of the run folder `dir`.
    pub fn read(dir: &Path) -> Result<RunFiles, RunDataError> {
        let read = |name: &str| -> Result<Option<Vec<u8>>, RunDataError> {
            let file = dir.join(name);
            match std::fs::read(&file) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(RunDataError::Io { file, source }),
            }
        };
        let need = |name: &str, why| {
            read(name)?.ok_or_else(|| RunDataError::Missing {
                file: dir.join(name),
                why,
            })
        };
        Ok(RunFiles {
            summary: need("summary.csv", "a run folder has one row per arm there")?,
            timeseries: need("timeseries.csv", "the plots over time are drawn from it")?,
            scaling: read("scaling.csv")?,
            waits: read("waits.csv")?,
            breakeven: read("breakeven.csv")?,
            run_json: need("run.json", "the report's provenance comes from it")?,
        })
    }
}

/// What run.json says about the run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunMeta {
    /// sim's version.
    pub sim_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file path as given to `sim run`.
    pub scenario_file: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Seed used.
    pub seed: u64,
    /// Warnings about the scenario.
    pub warnings: Vec<String>,
    /// The scenario described for a reader (run.json `scenario_details`: name, description,
    /// horizon, arms…), when run.json has it.
    pub scenario_detail: Option<Value>,
}

/// One row of timeseries.csv.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TimeseriesRow {
    /// Sample time, ms since the start.
    pub time_ms: u64,
    /// Container instances registered.
    pub instances: u64,
    /// CPU units registered.
    pub cpu_registered: u64,
    /// CPU units reserved.
    pub cpu_reserved: u64,
    /// Memory MiB registered.
    pub mem_registered: u64,
    /// Memory MiB reserved.
    pub mem_reserved: u64,
    /// Tasks running.
    pub tasks_running: u64,
    /// Tasks pending.
    pub tasks_pending: u64,
    /// Cost accrued so far, USD.
    pub cost_cum_usd: f64,
    /// Instances still launching (absent in files written before the column existed).
    pub instances_launching: Option<u64>,
}

/// One row of scaling.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingRow {
    /// Evaluation time, ms since the start.
    pub time_ms: u64,
    /// Capacity provider, or `service:<name>` for service auto scaling.
    pub provider: String,
    /// The metric (CapacityProviderReservation, %), when defined.
    pub metric: Option<f64>,
    /// Its target, when defined.
    pub target: Option<f64>,
}

/// One arm's results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArmData {
    /// Arm name.
    pub arm: String,
    /// Launch type (`EC2` or `FARGATE`).
    pub launch_type: String,
    /// Its summary.csv row.
    pub summary: SummaryRow,
    /// Its timeseries.csv rows, in file order.
    pub timeseries: Vec<TimeseriesRow>,
    /// Its scaling.csv rows, in file order.
    pub scaling: Vec<ScalingRow>,
    /// Its cost components from summary.csv; `None` when the file has no such columns (runs
    /// written before they existed).
    pub cost: Option<CostBreakdownRow>,
    /// Its wait quantiles from waits.csv, `(quantile, wait seconds)` ascending; `None` when the
    /// run has no waits.csv.
    pub waits: Option<Vec<(f64, f64)>>,
}

impl ArmData {
    /// The arm's name for a plot's legend: marked `(saturated)` or `(incomplete)` when it ended
    /// short of complete, since its lines then cover less work than the others'.
    pub fn label(&self) -> String {
        match self.summary.completion() {
            Completion::Complete => self.arm.clone(),
            c => format!("{} ({})", self.arm, c.as_str()),
        }
    }
}

/// A run's results, as read back from its files.
#[derive(Debug, Clone, PartialEq)]
pub struct RunData {
    /// From run.json.
    pub meta: RunMeta,
    /// The arms, in summary.csv order.
    pub arms: Vec<ArmData>,
    /// breakeven.csv's rows, when the run has the file.
    pub breakeven: Option<Vec<BreakevenRow>>,
}

impl RunData {
    /// Parse a run's files.
    pub fn parse(files: &RunFiles) -> Result<RunData, RunDataError> {
        let meta = parse_run_json(&files.run_json)?;
        let mut arms = parse_summary(&files.summary)?;
        let known = arms
            .iter()
            .map(|a| a.arm.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let index = |arms: &[ArmData], file, line, arm: &str| {
            arms.iter()
                .position(|a| a.arm == arm)
                .ok_or_else(|| RunDataError::UnknownArm {
                    file,
                    line,
                    arm: arm.to_string(),
                    known: known.clone(),
                })
        };
        let mut t = Table::new("timeseries.csv", &files.timeseries)?;
        let [
            arm,
            time,
            inst,
            cpu_reg,
            cpu_res,
            mem_reg,
            mem_res,
            run,
            pend,
            cost,
        ] = t.columns([
            "arm",
            "time_s",
            "instances",
            "cpu_registered",
            "cpu_reserved",
            "mem_registered",
            "mem_reserved",
            "tasks_running",
            "tasks_pending",
            "cost_cum_usd",
        ])?;
        let launching = t.find("instances_launching");
        while let Some(row) = t.next_row()? {
            let i = index(&arms, row.file, row.line, row.get(arm)?)?;
            let r = TimeseriesRow {
                time_ms: row.ms(time)?,
                instances: row.uint(inst)?,
                cpu_registered: row.uint(cpu_reg)?,
                cpu_reserved: row.uint(cpu_res)?,
                mem_registered: row.uint(mem_reg)?,
                mem_reserved: row.uint(mem_res)?,
                tasks_running: row.uint(run)?,
                tasks_pending: row.uint(pend)?,
                cost_cum_usd: row.num(cost)?,
                instances_launching: launching.map(|c| row.uint(c)).transpose()?,
            };
            if arms[i]
                .timeseries
                .last()
                .is_some_and(|p| p.time_ms > r.time_ms)
            {
                return Err(row.bad(time, "a time no earlier than the arm's previous sample"));
            }
            arms[i].timeseries.push(r);
        }
        if let Some(bytes) = &files.scaling {
            let mut t = Table::new("scaling.csv", bytes)?;
            let [arm, time, provider, metric, target] =
                t.columns(["arm", "time_s", "provider", "metric", "target"])?;
            while let Some(row) = t.next_row()? {
                let i = index(&arms, row.file, row.line, row.get(arm)?)?;
                let r = ScalingRow {
                    time_ms: row.ms(time)?,
                    provider: row.get(provider)?.to_string(),
                    metric: row.opt_num(metric)?,
                    target: row.opt_num(target)?,
                };
                arms[i].scaling.push(r);
            }
        }
        if let Some(bytes) = &files.waits {
            for a in &mut arms {
                a.waits = Some(Vec::new());
            }
            let mut t = Table::new("waits.csv", bytes)?;
            let [arm, quantile, wait] = t.columns(["arm", "quantile", "wait_s"])?;
            while let Some(row) = t.next_row()? {
                let i = index(&arms, row.file, row.line, row.get(arm)?)?;
                let q = row.num(quantile)?;
                if !(0.0..=1.0).contains(&q) {
                    return Err(row.bad(quantile, "a quantile between 0 and 1"));
                }
                // An arm where no task started has no waits: empty cells.
                if let Some(w) = row.opt_num(wait)? {
                    let waits = arms[i].waits.get_or_insert_with(Vec::new);
                    if let Some(&(q0, w0)) = waits.last() {
                        if q <= q0 {
                            return Err(
                                row.bad(quantile, "a quantile above the arm's previous one")
                            );
                        }
                        if w < w0 {
                            return Err(
                                row.bad(wait, "a wait no shorter than at the previous quantile")
                            );
                        }
                    }
                    waits.push((q, w));
                }
            }
        }
        let breakeven = files
            .breakeven
            .as_deref()
            .map(parse_breakeven)
            .transpose()?;
        Ok(RunData {
            meta,
            arms,
            breakeven,
        })
    }
}

/// The cost columns of summary.csv, all present or all absent (runs written before they
/// existed).
const COST_COLUMNS: [&str; 6] = [
    "cost_ec2_on_demand_usd",
    "cost_ec2_spot_usd",
    "cost_fargate_vcpu_usd",
    "cost_fargate_memory_usd",
    "cost_fargate_storage_usd",
    "spot_savings_usd",
];

fn parse_summary(bytes: &[u8]) -> Result<Vec<ArmData>, RunDataError> {
    const FILE: &str = "summary.csv";
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader.headers().map_err(|e| csv_error(FILE, &e))?.clone();
    let has_cost = COST_COLUMNS.iter().all(|c| header.iter().any(|h| h == *c));
    let mut record = csv::StringRecord::new();
    let mut arms: Vec<ArmData> = Vec::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(FILE, &e))?
    {
        let line = record.position().map_or(0, csv::Position::line);
        let summary: SummaryRow = record
            .deserialize(Some(&header))
            .map_err(|e| summary_error(&e, line, &header, &record))?;
        let arm = summary.arm.clone();
        if arm.is_empty() || arms.iter().any(|a| a.arm == arm) {
            let col = header.iter().position(|h| h == "arm").unwrap_or(0);
            return Err(RunDataError::Cell {
                file: FILE,
                line,
                column: "arm".into(),
                expected: "a non-empty arm name, once per arm".into(),
                found: record.get(col).unwrap_or_default().to_string(),
            });
        }
        let cost = has_cost.then(|| CostBreakdownRow {
            arm: arm.clone(),
            cost_ec2_on_demand_usd: summary.cost_ec2_on_demand_usd,
            cost_ec2_spot_usd: summary.cost_ec2_spot_usd,
            cost_fargate_vcpu_usd: summary.cost_fargate_vcpu_usd,
            cost_fargate_memory_usd: summary.cost_fargate_memory_usd,
            cost_fargate_storage_usd: summary.cost_fargate_storage_usd,
            spot_savings_usd: summary.spot_savings_usd,
        });
        arms.push(ArmData {
            arm,
            launch_type: summary.launch_type.clone(),
            summary,
            cost,
            ..ArmData::default()
        });
    }
    Ok(arms)
}

/// What serde said about a summary.csv row, as the file, line and column it is about.
fn summary_error(
    e: &csv::Error,
    line: u64,
    header: &csv::StringRecord,
    record: &csv::StringRecord,
) -> RunDataError {
    const FILE: &str = "summary.csv";
    let csv::ErrorKind::Deserialize { err, .. } = e.kind() else {
        return csv_error(FILE, e);
    };
    let expected = match err.kind() {
        csv::DeserializeErrorKind::ParseInt(_) => "a whole number ≥ 0".to_string(),
        csv::DeserializeErrorKind::ParseFloat(_) => "a number".to_string(),
        csv::DeserializeErrorKind::Message(m) => m.clone(),
        k => k.to_string(),
    };
    match err.field() {
        Some(i) => {
            let i = usize::try_from(i).unwrap_or(usize::MAX);
            RunDataError::Cell {
                file: FILE,
                line,
                column: header.get(i).unwrap_or_default().to_string(),
                expected,
                found: record.get(i).unwrap_or_default().to_string(),
            }
        }
        None => {
            // serde's words for a column the header lacks: "missing field `name`".
            let missing = expected
                .strip_prefix("missing field `")
                .and_then(|m| m.strip_suffix('`'))
                .and_then(|m| SummaryRow::columns().iter().find(|c| **c == m));
            match missing {
                Some(column) => RunDataError::NoColumn { file: FILE, column },
                None => RunDataError::Csv {
                    file: FILE,
                    line,
                    message: expected,
                },
            }
        }
    }
}

fn parse_breakeven(bytes: &[u8]) -> Result<Vec<BreakevenRow>, RunDataError> {
    let mut t = Table::new("breakeven.csv", bytes)?;
    let c = t.columns([
        "ec2_arm",
        "fargate_arm",
        "instance_type",
        "ec2_cost_usd",
        "fargate_cost_usd",
        "ec2_utilisation",
        "breakeven_utilisation",
        "catalog_breakeven_utilisation",
    ])?;
    let mut rows = Vec::new();
    while let Some(row) = t.next_row()? {
        rows.push(BreakevenRow {
            ec2_arm: row.get(c[0])?.to_string(),
            fargate_arm: row.get(c[1])?.to_string(),
            instance_type: row.get(c[2])?.to_string(),
            ec2_cost_usd: row.num(c[3])?,
            fargate_cost_usd: row.num(c[4])?,
            // Empty when the EC2 fleet never registered anything: no curve then.
            ec2_utilisation: row.opt_num(c[5])?.unwrap_or(0.0),
            breakeven_utilisation: row.opt_num(c[6])?,
            catalog_breakeven_utilisation: row.opt_num(c[7])?,
        });
    }
    Ok(rows)
}

fn parse_run_json(bytes: &[u8]) -> Result<RunMeta, RunDataError> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| RunDataError::Json(format!("not valid JSON: {e}")))?;
    let text = |key: &str| -> Result<String, RunDataError> {
        v.get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| RunDataError::Json(format!("expected a string field `{key}`")))
    };
    let seed = v
        .get("seed")
        .and_then(Value::as_u64)
        .ok_or_else(|| RunDataError::Json("expected a whole-number field `seed`".into()))?;
    // `scenario` is the scenario's name (or an object describing it, with its `name`);
    // `scenario_details`, when there, describes it for a reader.
    let (scenario, mut scenario_detail) = match v.get("scenario") {
        Some(Value::String(s)) => (s.clone(), None),
        Some(o @ Value::Object(m)) => (
            m.get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            Some(o.clone()),
        ),
        _ => {
            return Err(RunDataError::Json(
                "expected a field `scenario` (its name, or an object with its `name`)".into(),
            ));
        }
    };
    match v.get("scenario_details") {
        None | Some(Value::Null) => {}
        Some(o @ Value::Object(_)) => scenario_detail = Some(o.clone()),
        Some(_) => {
            return Err(RunDataError::Json(
                "expected `scenario_details` to be an object".into(),
            ));
        }
    }
    let warnings = match v.get("warnings") {
        None => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|w| w.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| RunDataError::Json("expected `warnings` to be strings".into()))?,
        Some(_) => {
            return Err(RunDataError::Json(
                "expected `warnings` to be a list".into(),
            ));
        }
    };
    Ok(RunMeta {
        sim_version: text("sim_version")?,
        scenario,
        scenario_file: text("scenario_file").unwrap_or_default(),
        scenario_sha256: text("scenario_sha256")?,
        seed,
        warnings,
        scenario_detail,
    })
}

/// A CSV file being read row by row, cells found by column name.
struct Table<'a> {
    file: &'static str,
    reader: csv::Reader<&'a [u8]>,
    header: csv::StringRecord,
    record: csv::StringRecord,
}

/// One row of a [`Table`].
struct Row<'t> {
    file: &'static str,
    line: u64,
    header: &'t csv::StringRecord,
    record: &'t csv::StringRecord,
}

impl<'a> Table<'a> {
    fn new(file: &'static str, bytes: &'a [u8]) -> Result<Table<'a>, RunDataError> {
        let mut reader = csv::Reader::from_reader(bytes);
        let header = reader.headers().map_err(|e| csv_error(file, &e))?.clone();
        Ok(Table {
            file,
            reader,
            header,
            record: csv::StringRecord::new(),
        })
    }

    fn find(&self, column: &str) -> Option<usize> {
        self.header.iter().position(|h| h == column)
    }

    fn column(&self, column: &'static str) -> Result<usize, RunDataError> {
        self.find(column).ok_or(RunDataError::NoColumn {
            file: self.file,
            column,
        })
    }

    fn columns<const N: usize>(
        &self,
        names: [&'static str; N],
    ) -> Result<[usize; N], RunDataError> {
        let mut c = [0; N];
        for (k, n) in names.into_iter().enumerate() {
            c[k] = self.column(n)?;
        }
        Ok(c)
    }

    fn next_row(&mut self) -> Result<Option<Row<'_>>, RunDataError> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => Ok(Some(Row {
                file: self.file,
                line: self.record.position().map_or(0, csv::Position::line),
                header: &self.header,
                record: &self.record,
            })),
            Err(e) => Err(csv_error(self.file, &e)),
        }
    }
}

fn csv_error(file: &'static str, e: &csv::Error) -> RunDataError {
    RunDataError::Csv {
        file,
        line: e.position().map_or(1, csv::Position::line),
        message: e.to_string(),
    }
}

impl Row<'_> {
    fn bad(&self, col: usize, expected: &'static str) -> RunDataError {
        RunDataError::Cell {
            file: self.file,
            line: self.line,
            column: self.header.get(col).unwrap_or_default().to_string(),
            expected: expected.to_string(),
            found: self.record.get(col).unwrap_or_default().to_string(),
        }
    }

    fn get(&self, col: usize) -> Result<&str, RunDataError> {
        self.record.get(col).ok_or_else(|| self.bad(col, "a cell"))
    }

    fn uint(&self, col: usize) -> Result<u64, RunDataError> {
        self.get(col)?
            .parse()
            .map_err(|_| self.bad(col, "a whole number ≥ 0"))
    }

    fn num(&self, col: usize) -> Result<f64, RunDataError> {
        self.opt_num(col)?.ok_or_else(|| self.bad(col, "a number"))
    }

    fn opt_num(&self, col: usize) -> Result<Option<f64>, RunDataError> {
        let s = self.get(col)?;
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(self.bad(col, "a number or an empty cell")),
        }
    }

    /// Seconds with at most three decimals, as integer milliseconds (exact).
    fn ms(&self, col: usize) -> Result<u64, RunDataError> {
        seconds_to_ms(self.get(col)?)
            .ok_or_else(|| self.bad(col, "seconds ≥ 0 with at most three decimals"))
    }
}

/// Seconds with at most three decimals (as the CSV files write them), as integer
/// milliseconds, exactly; `None` when `s` is not that.
pub(crate) fn seconds_to_ms(s: &str) -> Option<u64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) && (frac.is_empty() || (frac.len() <= 3 && digits(frac)))) {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let frac: u64 = format!("{frac:0<3}").parse().ok()?;
    whole.checked_mul(1000)?.checked_add(frac)
}

/// A small hand-written run, shared by the tests of the plots and of report.html: two arms over
/// an hour, sampled every half hour: an EC2 fleet growing from one instance to two under
/// managed scaling, and Fargate, which has nothing registered at the start.
#[cfg(test)]
pub(crate) mod fixture {
    use super::{RunData, RunFiles};

    pub const SUMMARY: &str = "\
arm,launch_type,tasks_arrived,tasks_completed,tasks_rejected,tasks_lost,tasks_running_at_end,tasks_pending_at_end,wait_mean_s,wait_p50_s,wait_p95_s,wait_p99_s,cost_usd,cost_per_task_hour_usd,cpu_reserved_util,mem_reserved_util,cpu_used_util,mem_used_util,instance_hours,peak_instances,interruptions,eni_blocked_placements,cost_ec2_on_demand_usd,cost_ec2_spot_usd,cost_fargate_vcpu_usd,cost_fargate_memory_usd,cost_fargate_storage_usd,spot_savings_usd
ec2,EC2,4,4,0,0,0,0,1.500,0.000,5.000,5.000,0.250000,0.062500,0.500000,0.300000,,,1.500000,2,0,0,0.150000,0.100000,0,0,0,0.200000
fargate,FARGATE,2,2,0,0,0,0,45.000,30.000,60.000,60.000,0.125000,0.031250,0.900000,0.800000,,,0.000000,0,0,0,0,0,0.100000,0.025000,0,0
";

    pub const BREAKEVEN: &str = "\
ec2_arm,fargate_arm,instance_type,ec2_cost_usd,fargate_cost_usd,ec2_utilisation,breakeven_utilisation,catalog_breakeven_utilisation
ec2,fargate,m5.large,0.250000,0.125000,0.400000,0.800000,
";

    pub const TIMESERIES: &str = "\
arm,time_s,instances,cpu_registered,cpu_reserved,mem_registered,mem_reserved,tasks_running,tasks_pending,cost_rate_usd_h,cost_cum_usd,instances_launching
ec2,0.000,1,4096,0,8192,0,0,3,0.2,0.000000,1
ec2,1800.000,2,4096,2048,8192,4096,0,1,0.2,0.100000,1
ec2,3600.000,2,8192,4096,16384,2048,0,0,0.3,0.250000,0
fargate,0.000,0,0,0,0,0,0,0,0,0.000000,0
fargate,1800.000,0,1024,768,2048,1024,0,0,0.1,0.050000,0
fargate,3600.000,0,1024,1024,2048,2048,0,0,0.15,0.125000,0
";

    pub const SCALING: &str = "\
time_s,arm,provider,metric,target,desired,running,action
0.000,ec2,ec2,200.000,100.000,2,1,scale_out
0.000,ec2,service:web,70.000,50.000,2,2,none
1800.000,ec2,ec2,150.000,100.000,2,2,none
3600.000,ec2,ec2,,100.000,2,2,none
";

    pub const WAITS: &str = "\
arm,quantile,wait_s
ec2,0.000,0.000
ec2,0.250,0.000
ec2,0.500,0.000
ec2,0.750,1.000
ec2,1.000,5.000
fargate,0.000,30.000
fargate,0.500,30.000
fargate,1.000,60.000
";

    pub const RUN_JSON: &str = r#"{
  "sim_version": "9.9.9",
  "scenario": "tiny <test>",
  "scenario_file": "scenarios/tiny.toml",
  "scenario_sha256": "abc123",
  "seed": 7,
  "arms": [],
  "wall_time_s": 3.14159,
  "events_processed": 10,
  "warnings": ["one & only"]
}"#;

    pub fn files() -> RunFiles {
        RunFiles {
            summary: SUMMARY.into(),
            timeseries: TIMESERIES.into(),
            scaling: Some(SCALING.into()),
            waits: Some(WAITS.into()),
            breakeven: Some(BREAKEVEN.into()),
            run_json: RUN_JSON.into(),
        }
    }

    pub fn run() -> RunData {
        RunData::parse(&files()).expect("the fixture parses")
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::{self, files};
    use super::*;

    fn err(f: impl FnOnce(&mut RunFiles)) -> String {
        let mut files = files();
        f(&mut files);
        RunData::parse(&files).expect_err("should fail").to_string()
    }

    #[test]
    fn reads_every_file_into_its_arm() {
        let r = fixture::run();
        assert_eq!(r.meta.sim_version, "9.9.9");
        assert_eq!(r.meta.scenario, "tiny <test>");
        assert_eq!(r.meta.seed, 7);
        assert_eq!(r.meta.warnings, ["one & only"]);
        assert_eq!(r.meta.scenario_detail, None);
        let names: Vec<_> = r.arms.iter().map(|a| a.arm.as_str()).collect();
        assert_eq!(names, ["ec2", "fargate"]);
        let ec2 = &r.arms[0];
        assert_eq!(ec2.launch_type, "EC2");
        assert_eq!(ec2.summary.tasks_arrived, 4);
        assert_eq!(ec2.summary.wait_p95_s, Some(5.0));
        assert_eq!(ec2.summary.cost_usd, 0.25);
        assert_eq!(ec2.summary.peak_instances, 2);
        assert_eq!(ec2.summary.cpu_used_util, None);
        assert_eq!(ec2.summary.interruptions, 0);
        assert_eq!(ec2.timeseries.len(), 3);
        assert_eq!(
            ec2.timeseries[1],
            TimeseriesRow {
                time_ms: 1_800_000,
                instances: 2,
                cpu_registered: 4096,
                cpu_reserved: 2048,
                mem_registered: 8192,
                mem_reserved: 4096,
                tasks_running: 0,
                tasks_pending: 1,
                cost_cum_usd: 0.1,
                instances_launching: Some(1),
            }
        );
        assert_eq!(ec2.scaling.len(), 4);
        assert_eq!(ec2.scaling[3].metric, None);
        assert_eq!(ec2.waits.as_ref().map(Vec::len), Some(5));
        assert_eq!(r.arms[1].scaling, []);
        let cost = ec2.cost.as_ref().expect("summary.csv has the cost columns");
        assert_eq!(
            (
                cost.arm.as_str(),
                cost.cost_ec2_spot_usd,
                cost.spot_savings_usd
            ),
            ("ec2", 0.1, 0.2)
        );
        let be = r.breakeven.as_ref().expect("breakeven.csv");
        assert_eq!(be.len(), 1);
        assert_eq!(be[0].breakeven_utilisation, Some(0.8));
        assert_eq!(be[0].catalog_breakeven_utilisation, None);
        // An EC2 fleet that registered nothing has no utilisation: read as zero.
        let mut f = files();
        f.breakeven = Some(fixture::BREAKEVEN.replace("0.400000", "").into());
        let r = RunData::parse(&f).unwrap();
        assert_eq!(r.breakeven.unwrap()[0].ec2_utilisation, 0.0);
        assert_eq!(r.arms[1].waits.as_ref().unwrap()[2], (1.0, 60.0));
    }

    #[test]
    fn optional_files_may_be_absent_and_a_scenario_object_is_kept() {
        let mut f = files();
        f.scaling = None;
        f.waits = None;
        f.breakeven = None;
        f.summary = fixture::SUMMARY
            .lines()
            .map(|l| l.split(',').take(22).collect::<Vec<_>>().join(",") + "\n")
            .collect::<String>()
            .into_bytes();
        f.run_json = fixture::RUN_JSON
            .replace(
                r#""tiny <test>""#,
                r#"{"name": "tiny", "horizon_s": 3600, "arms": [{"name": "ec2"}]}"#,
            )
            .into();
        let r = RunData::parse(&f).unwrap();
        assert!(
            r.arms
                .iter()
                .all(|a| a.scaling.is_empty() && a.waits.is_none())
        );
        assert_eq!(r.meta.scenario, "tiny");
        let detail = r.meta.scenario_detail.unwrap();
        assert_eq!(detail["horizon_s"], 3600);
    }

    #[test]
    fn bad_files_say_which_file_line_and_column() {
        let e = err(|f| {
            f.summary = fixture::SUMMARY
                .replace("ec2,EC2,4,", "ec2,EC2,four,")
                .into()
        });
        assert_eq!(
            e,
            "summary.csv: line 2, column `tasks_arrived`: expected a whole number ≥ 0, found `four`"
        );
        let e = err(|f| {
            f.timeseries = fixture::TIMESERIES
                .replace("1800.000,2,", "1800.5555,2,")
                .into()
        });
        assert_eq!(
            e,
            "timeseries.csv: line 3, column `time_s`: expected seconds ≥ 0 with at most three decimals, found `1800.5555`"
        );
        let e = err(|f| f.timeseries = fixture::TIMESERIES.replace("cost_cum_usd", "cost").into());
        assert_eq!(
            e,
            "timeseries.csv: no column `cost_cum_usd` in the header (line 1)"
        );
        let e = err(|f| {
            f.scaling = Some(
                fixture::SCALING
                    .replace("1800.000,ec2", "1800.000,ec3")
                    .into(),
            )
        });
        assert_eq!(
            e,
            "scaling.csv: line 4: arm `ec3` is not in summary.csv (expected one of ec2, fargate)"
        );
        let e = err(|f| f.waits = Some(fixture::WAITS.replace("ec2,0.750,", "ec2,1.750,").into()));
        assert!(
            e.starts_with("waits.csv: line 5, column `quantile`: expected a quantile"),
            "{e}"
        );
        let e = err(|f| f.waits = Some(fixture::WAITS.replace("60.000", "NaN").into()));
        assert!(
            e.starts_with("waits.csv: line 9, column `wait_s`: expected a number"),
            "{e}"
        );
        let e = err(|f| {
            f.waits = Some(
                fixture::WAITS
                    .replace("ec2,1.000,5.000", "ec2,1.000,0.500")
                    .into(),
            )
        });
        assert!(
            e.starts_with("waits.csv: line 6, column `wait_s`: expected a wait no shorter"),
            "{e}"
        );
        let e = err(|f| {
            f.timeseries = fixture::TIMESERIES
                .replace("ec2,3600.000", "ec2,1000.000")
                .into()
        });
        assert!(
            e.starts_with("timeseries.csv: line 4, column `time_s`: expected a time no earlier"),
            "{e}"
        );
        let e = err(|f| f.summary.extend_from_slice(b"x,y\n"));
        assert!(e.starts_with("summary.csv: line 4: not valid CSV"), "{e}");
        let e = err(|f| f.run_json = b"{".to_vec());
        assert!(e.starts_with("run.json: not valid JSON"), "{e}");
        let e = err(|f| {
            f.run_json = fixture::RUN_JSON
                .replace("\"seed\": 7", "\"seed\": -7")
                .into()
        });
        assert_eq!(e, "run.json: expected a whole-number field `seed`");
        let e = err(|f| {
            f.summary = fixture::SUMMARY
                .replace("fargate,FARGATE", "ec2,FARGATE")
                .into()
        });
        assert!(
            e.contains("column `arm`: expected a non-empty arm name, once per arm"),
            "{e}"
        );
    }

    #[test]
    fn a_missing_folder_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("summary.csv"), fixture::SUMMARY).unwrap();
        let e = RunFiles::read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("timeseries.csv` is missing"), "{e}");
        std::fs::write(dir.path().join("timeseries.csv"), fixture::TIMESERIES).unwrap();
        std::fs::write(dir.path().join("run.json"), fixture::RUN_JSON).unwrap();
        let f = RunFiles::read(dir.path()).unwrap();
        assert!(f.scaling.is_none() && f.waits.is_none());
        assert!(RunData::parse(&f).is_ok());
    }
}
