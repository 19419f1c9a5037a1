//! A run's results read back from its output files (summary.csv, timeseries.csv, scaling.csv,
//! waits.csv, breakeven.csv, run.json): what the run plots and report.html are drawn from, so
//! that `sim report DIR` redraws exactly what `sim run` drew. Parsing is pure (bytes in); only
//! [`RunFiles::read`] touches the file system.

use super::breakeven_row::BreakevenRow;
use super::cost_breakdown_row::CostBreakdownRow;
use super::csv_table::{Table, csv_error, deserialize_error};
pub use super::run_data_error::RunDataError;
pub use super::run_files::RunFiles;
pub use super::run_meta::RunMeta;
use super::summary_row::SummaryRow;
use crate::sim::Completion;

#[cfg(test)]
pub(crate) use super::run_fixture as fixture;

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
    /// commitments.csv summed per arm and hour, when the run has the file.
    pub commitments: Option<Vec<CommitmentHourRow>>,
}

/// One arm's commitments in one clock hour (commitments.csv, its commitments summed): what
/// the commitments plot draws.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentHourRow {
    /// Arm.
    pub arm: String,
    /// Clock hour, 0-based.
    pub hour: u64,
    /// Fees paid, USD.
    pub fee_usd: f64,
    /// Fees used, USD.
    pub used_usd: f64,
}

impl RunData {
    /// Parse a run's files.
    pub fn parse(files: &RunFiles) -> Result<RunData, RunDataError> {
        let meta = RunMeta::parse(&files.run_json)?;
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
        let commitments = files
            .commitments
            .as_deref()
            .map(parse_commitments)
            .transpose()?;
        Ok(RunData {
            meta,
            arms,
            breakeven,
            commitments,
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
        let summary: SummaryRow = record.deserialize(Some(&header)).map_err(|e| {
            deserialize_error(FILE, SummaryRow::columns(), &e, line, &header, &record)
        })?;
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
            cost_fargate_os_licence_usd: summary.cost_fargate_os_licence_usd,
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

fn parse_commitments(bytes: &[u8]) -> Result<Vec<CommitmentHourRow>, RunDataError> {
    let mut t = Table::new("commitments.csv", bytes)?;
    let c = t.columns(["arm", "hour", "fee_usd", "used_usd"])?;
    let mut rows: Vec<CommitmentHourRow> = Vec::new();
    while let Some(row) = t.next_row()? {
        let arm = row.get(c[0])?;
        let hour = row
            .get(c[1])?
            .parse::<u64>()
            .map_err(|_| row.bad(c[1], "a clock hour, an integer ≥ 0"))?;
        let (fee, used) = (row.num(c[2])?, row.num(c[3])?);
        match rows.last_mut() {
            Some(r) if r.arm == arm && r.hour == hour => {
                r.fee_usd += fee;
                r.used_usd += used;
            }
            _ => rows.push(CommitmentHourRow {
                arm: arm.to_string(),
                hour,
                fee_usd: fee,
                used_usd: used,
            }),
        }
    }
    Ok(rows)
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
}
