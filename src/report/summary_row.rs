//! One arm's row of summary.csv: the one list of its columns. `sim run` writes it (serde
//! `Serialize`, through [`summary_csv`]), a sweep's runs.csv carries it after its own columns,
//! and `sim report` reads it back (serde `Deserialize`) to draw report.html: the same struct
//! each way, so a column cannot be written in one place and forgotten in another. The rules
//! about a row (did the arm do all its work, why not) are its methods.
//!
//! Numbers are written with fixed decimals (money and utilisation 6, seconds 3) so that the
//! bytes are identical for identical results; a value that does not exist is an empty cell.
//! Columns added after the first releases (`tasks_running_at_end`, the `wait_max_s`…`end_s`
//! tail) read as empty or zero from files written before them.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::sim::{ArmOutcome, Completion, EndReason, Outcome};

/// summary.csv's row of one arm, its fields in column order (docs/outputs.md). The first
/// columns are the original contract's; `wait_max_s`, `task_hours`, `subnet_blocked_placements`,
/// the cost components (which sum to `cost_usd`) and Spot savings come after them; then how
/// the arm ended: `outcome`, `outcome_reason` and `end_s`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SummaryRow {
    /// Arm name.
    pub arm: String,
    /// `EC2` or `FARGATE`.
    pub launch_type: String,
    /// Tasks that arrived.
    pub tasks_arrived: u64,
    /// Tasks that ran to completion.
    pub tasks_completed: u64,
    /// Tasks refused.
    pub tasks_rejected: u64,
    /// Tasks lost.
    pub tasks_lost: u64,
    /// Tasks placed or running at the end.
    #[serde(default)]
    pub tasks_running_at_end: u64,
    /// Tasks waiting at the end.
    pub tasks_pending_at_end: u64,
    /// Mean wait (arrival to RUNNING) of tasks that started, seconds.
    #[serde(default, with = "opt3")]
    pub wait_mean_s: Option<f64>,
    /// Median wait, seconds (nearest rank).
    #[serde(with = "opt3")]
    pub wait_p50_s: Option<f64>,
    /// 95th percentile wait, seconds.
    #[serde(with = "opt3")]
    pub wait_p95_s: Option<f64>,
    /// 99th percentile wait, seconds.
    #[serde(with = "opt3")]
    pub wait_p99_s: Option<f64>,
    /// Total cost, USD.
    #[serde(with = "fixed6")]
    pub cost_usd: f64,
    /// Cost per hour of task run time, USD.
    #[serde(with = "opt6")]
    pub cost_per_task_hour_usd: Option<f64>,
    /// Reserved ÷ registered CPU over time (Fargate: requested ÷ billed), 0..1.
    #[serde(with = "opt6")]
    pub cpu_reserved_util: Option<f64>,
    /// Reserved ÷ registered memory over time (Fargate: requested ÷ billed), 0..1.
    #[serde(with = "opt6")]
    pub mem_reserved_util: Option<f64>,
    /// Used ÷ registered CPU (where the trace gives usage).
    #[serde(default, with = "opt6")]
    pub cpu_used_util: Option<f64>,
    /// Used ÷ registered memory (where the trace gives usage).
    #[serde(default, with = "opt6")]
    pub mem_used_util: Option<f64>,
    /// Instance-hours billed.
    #[serde(with = "fixed6")]
    pub instance_hours: f64,
    /// Most instances at once.
    pub peak_instances: u32,
    /// Spot interruptions.
    #[serde(default)]
    pub interruptions: u64,
    /// Tasks whose placement was blocked only by ENI slots at least once.
    #[serde(default)]
    pub eni_blocked_placements: u64,
    /// Longest wait, seconds.
    #[serde(default, with = "opt3")]
    pub wait_max_s: Option<f64>,
    /// Hours of task run time (RUNNING to end, or to the end of the run).
    #[serde(default, with = "fixed6")]
    pub task_hours: f64,
    /// Tasks whose placement was blocked only by a full subnet at least once.
    #[serde(default)]
    pub subnet_blocked_placements: u64,
    /// The cost of on-demand EC2 instances, USD. This and the next five parts sum to
    /// `cost_usd`.
    #[serde(default, with = "fixed6")]
    pub cost_ec2_on_demand_usd: f64,
    /// The cost of EC2 Spot instances at their discounted price, USD.
    #[serde(default, with = "fixed6")]
    pub cost_ec2_spot_usd: f64,
    /// The vCPU part of Fargate's cost (FARGATE_SPOT at its discounted price), USD.
    #[serde(default, with = "fixed6")]
    pub cost_fargate_vcpu_usd: f64,
    /// The memory part of Fargate's cost, USD.
    #[serde(default, with = "fixed6")]
    pub cost_fargate_memory_usd: f64,
    /// The ephemeral-storage part of Fargate's cost (storage above 20 GiB), USD.
    #[serde(default, with = "fixed6")]
    pub cost_fargate_storage_usd: f64,
    /// What the Spot capacity would have cost on demand minus what it cost, USD (not part of
    /// `cost_usd`).
    #[serde(default, with = "fixed6")]
    pub spot_savings_usd: f64,
    /// How the arm's run ended (`complete`, `incomplete`, `saturated`; docs/model.md §1.6);
    /// `None` only in files written before the column existed (see [`SummaryRow::completion`]).
    #[serde(default)]
    pub outcome: Option<Completion>,
    /// Why, when it is not complete; empty otherwise.
    #[serde(default)]
    pub outcome_reason: Option<EndReason>,
    /// When the arm's run ended (the horizon, the last task's end, or where it saturated),
    /// milliseconds; written as seconds (`end_s`) with three decimals.
    #[serde(default, rename = "end_s", with = "secs")]
    pub end_ms: Option<u64>,
    /// Public IPv4 addresses (`assign_public_ip`: per Fargate task, per EC2 instance), USD;
    /// part of `cost_usd` (docs/model.md §18.1).
    #[serde(default, with = "fixed6")]
    pub cost_public_ipv4_usd: f64,
    /// The Windows OS licence part of Fargate's cost (per vCPU-hour of the billed size), USD;
    /// 0 on Linux
    /// (docs/model.md §19).
    #[serde(default, with = "fixed6")]
    pub cost_fargate_os_licence_usd: f64,
    /// The services' load balancers (ALB-hours and LCU-hours), USD; a shared cost, not part of
    /// `cost_usd` (docs/model.md §18.2).
    #[serde(default, with = "fixed6")]
    pub cost_load_balancer_usd: f64,
    /// NAT gateway processing of private-subnet tasks' traffic, USD; a shared cost, not part
    /// of `cost_usd` (docs/model.md §18.3).
    #[serde(default, with = "fixed6")]
    pub cost_nat_usd: f64,
    /// The whole bill: `cost_usd` + `cost_load_balancer_usd` + `cost_nat_usd`, USD.
    #[serde(default, with = "fixed6")]
    pub cost_total_usd: f64,
    /// The figure the arms are compared by: `cost_total_usd` with `[pricing]
    /// include_shared_costs = true`, else `cost_usd`; empty in files written before it (then
    /// [`SummaryRow::compared_cost`] falls back to `cost_usd`).
    #[serde(default, with = "opt6")]
    pub cost_compared_usd: Option<f64>,
    /// The bill with the arm's commitments (docs/model.md §22): fees + the on-demand usage
    /// they did not cover + Spot + the rest of `cost_usd`; `cost_usd` without commitments;
    /// empty in files written before it.
    #[serde(default, with = "opt6")]
    pub cost_effective_usd: Option<f64>,
    /// The commitments' fees over the run (part of `cost_effective_usd`), USD.
    #[serde(default, with = "fixed6")]
    pub commitment_fee_usd: f64,
    /// Used ÷ committed over the run; empty without commitments.
    #[serde(default, with = "opt6")]
    pub commitment_utilisation: Option<f64>,
    /// Covered on-demand-equivalent USD ÷ all on-demand usage USD; empty without commitments.
    #[serde(default, with = "opt6")]
    pub commitment_coverage: Option<f64>,
}

impl SummaryRow {
    /// The row of one simulated arm.
    pub fn of(a: &ArmOutcome) -> SummaryRow {
        let s = &a.summary;
        let total = s.cost_usd + s.cost_load_balancer_usd + s.cost_nat_usd;
        // With commitments the arms are compared by what they would be billed with them
        // (docs/model.md §22.4); without, `cost_effective_usd` is `cost_usd`.
        let compared = if s.has_commitments {
            s.cost_effective_usd
        } else {
            s.cost_usd
        };
        SummaryRow {
            arm: a.arm.clone(),
            launch_type: a.launch_type.to_string(),
            tasks_arrived: s.tasks_arrived,
            tasks_completed: s.tasks_completed,
            tasks_rejected: s.tasks_rejected,
            tasks_lost: s.tasks_lost,
            tasks_running_at_end: s.tasks_running_at_end,
            tasks_pending_at_end: s.tasks_pending_at_end,
            wait_mean_s: s.wait_mean_s,
            wait_p50_s: s.wait_p50_s,
            wait_p95_s: s.wait_p95_s,
            wait_p99_s: s.wait_p99_s,
            cost_usd: s.cost_usd,
            cost_per_task_hour_usd: s.cost_per_task_hour_usd,
            cpu_reserved_util: s.cpu_reserved_util,
            mem_reserved_util: s.mem_reserved_util,
            cpu_used_util: s.cpu_used_util,
            mem_used_util: s.mem_used_util,
            instance_hours: s.instance_hours,
            peak_instances: s.peak_instances,
            interruptions: s.interruptions,
            eni_blocked_placements: s.eni_blocked_placements,
            wait_max_s: s.wait_max_s,
            task_hours: s.task_hours,
            subnet_blocked_placements: s.subnet_blocked_placements,
            cost_ec2_on_demand_usd: s.cost_ec2_on_demand_usd,
            cost_ec2_spot_usd: s.cost_ec2_spot_usd,
            cost_fargate_vcpu_usd: s.cost_fargate_vcpu_usd,
            cost_fargate_memory_usd: s.cost_fargate_memory_usd,
            cost_fargate_storage_usd: s.cost_fargate_storage_usd,
            cost_fargate_os_licence_usd: s.cost_fargate_os_licence_usd,
            spot_savings_usd: s.spot_savings_usd,
            outcome: Some(s.outcome),
            outcome_reason: s.outcome_reason,
            end_ms: Some(a.end.as_ms()),
            cost_public_ipv4_usd: s.cost_public_ipv4_usd,
            cost_load_balancer_usd: s.cost_load_balancer_usd,
            cost_nat_usd: s.cost_nat_usd,
            cost_total_usd: total,
            cost_compared_usd: Some(if s.include_shared_costs {
                compared + s.cost_load_balancer_usd + s.cost_nat_usd
            } else {
                compared
            }),
            cost_effective_usd: Some(compared),
            commitment_fee_usd: s.commitment_fee_usd,
            commitment_utilisation: s.commitment_utilisation,
            commitment_coverage: s.commitment_coverage,
        }
    }

    /// The cost the arms are compared by (the verdict, `cost_vs_cheapest`, the EC2 ÷ Fargate
    /// ratio): `cost_compared_usd`, or `cost_usd` in a file written before that column.
    pub fn compared_cost(&self) -> f64 {
        self.cost_compared_usd.unwrap_or(self.cost_usd)
    }

    /// The column names, in order: the fields' names as serde sees them.
    pub fn columns() -> &'static [&'static str] {
        static COLUMNS: OnceLock<&'static [&'static str]> = OnceLock::new();
        COLUMNS.get_or_init(|| {
            let mut names = FieldNames(&[]);
            // The derive hands its field list to `deserialize_struct`, which stops there.
            let _ = SummaryRow::deserialize(&mut names);
            names.0
        })
    }

    /// Where `column` is in the row, if it is one of [`SummaryRow::columns`].
    pub fn position(column: &str) -> Option<usize> {
        Self::columns().iter().position(|c| *c == column)
    }

    /// The row's cells, in column order, as summary.csv writes them (also the tail of a
    /// sweep's runs.csv rows).
    pub fn cells(&self) -> Vec<String> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        // Serializing a flat struct of numbers and strings into memory cannot fail.
        let _ = w.serialize(self);
        let bytes = w.into_inner().unwrap_or_default();
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes.as_slice())
            .records()
            .next()
            .and_then(Result::ok)
            .map(|r| r.iter().map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// How the arm ended; for files written before summary.csv had `outcome`, incomplete when
    /// tasks were left pending.
    pub fn completion(&self) -> Completion {
        self.outcome.unwrap_or(if self.tasks_pending_at_end > 0 {
            Completion::Incomplete
        } else {
            Completion::Complete
        })
    }

    /// Whether the arm did all the work, so that its cost may be compared with the other
    /// arms' ([`Completion::comparable`]: it ended complete and refused nothing).
    pub fn comparable(&self) -> bool {
        self.completion().comparable(self.tasks_rejected)
    }

    /// When the arm's run ended, seconds, when the row says.
    pub fn end_s(&self) -> Option<f64> {
        self.end_ms.map(|ms| ms as f64 / 1000.0)
    }

    /// Why the arm's cost is not compared, in words (`None` when it is): `at` writes the time
    /// a saturated arm stopped.
    pub fn shortfall(&self, at: impl Fn(f64) -> String) -> Option<String> {
        let why = self
            .outcome_reason
            .map_or_else(String::new, |w| format!(": {}", w.describe()));
        match self.completion() {
            Completion::Saturated => Some(format!(
                "{} saturated{}{why}, so its figures stop there",
                self.arm,
                self.end_s()
                    .map_or_else(String::new, |t| format!(" at {}", at(t)))
            )),
            Completion::Incomplete => Some(format!(
                "{} left {} tasks pending{why}",
                self.arm, self.tasks_pending_at_end
            )),
            Completion::Complete if self.tasks_rejected > 0 => Some(format!(
                "{} rejected {} tasks",
                self.arm, self.tasks_rejected
            )),
            Completion::Complete => None,
        }
    }
}

/// summary.csv: one row per arm, in order, under the header of [`SummaryRow::columns`].
pub fn summary_csv(outcome: &Outcome) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let _ = w.write_record(SummaryRow::columns());
    for a in &outcome.arms {
        let _ = w.serialize(SummaryRow::of(a));
    }
    // Writing to a Vec cannot fail; an empty result would be caught by the tests.
    w.into_inner().unwrap_or_default()
}

/// A deserializer that only learns the field names of the struct asked of it.
struct FieldNames(&'static [&'static str]);

impl<'de> serde::Deserializer<'de> for &mut FieldNames {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom(
            "only a struct's field names are read",
        ))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields;
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// A number read from a cell: finite, or an error naming what was expected.
fn number<E: serde::de::Error>(s: &str) -> Result<f64, E> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(E::custom("a number")),
    }
}

/// An optional number read from a cell: empty is `None`.
fn opt_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let s = String::deserialize(d)?;
    if s.is_empty() {
        return Ok(None);
    }
    number(&s)
        .map(Some)
        .map_err(|_: D::Error| serde::de::Error::custom("a number or an empty cell"))
}

/// A number with six decimals.
mod fixed6 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{v:.6}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        super::number(&String::deserialize(d)?)
    }
}

/// An optional number with six decimals (empty when there is none).
mod opt6 {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.map_or_else(String::new, |x| format!("{x:.6}")))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        super::opt_number(d)
    }
}

/// Optional seconds with three decimals (empty when there are none).
mod opt3 {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.map_or_else(String::new, |x| format!("{x:.3}")))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        super::opt_number(d)
    }
}

/// Optional integer milliseconds written as seconds with three decimals (exact at any
/// magnitude).
mod secs {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.map_or_else(String::new, |ms| format!("{}.{:03}", ms / 1000, ms % 1000)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() {
            return Ok(None);
        }
        super::super::csv_table::seconds_to_ms(&s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("seconds ≥ 0 with at most three decimals"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_are_the_fields_and_the_header_serde_writes() {
        let cols = SummaryRow::columns();
        assert_eq!(cols.len(), 44);
        assert_eq!(cols[0], "arm");
        assert_eq!(cols[33], "end_s");
        // Issue 15's other charges come after `end_s` (docs/model.md §18), then the
        // commitments' columns (§22).
        assert_eq!(
            &cols[34..],
            [
                "cost_public_ipv4_usd",
                "cost_fargate_os_licence_usd",
                "cost_load_balancer_usd",
                "cost_nat_usd",
                "cost_total_usd",
                "cost_compared_usd",
                "cost_effective_usd",
                "commitment_fee_usd",
                "commitment_utilisation",
                "commitment_coverage"
            ]
        );
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(SummaryRow::default()).unwrap();
        let bytes = w.into_inner().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().next().unwrap(), cols.join(","));
    }

    #[test]
    fn a_row_reads_back_as_written() {
        let row = SummaryRow {
            arm: "a, \"b\"".into(),
            launch_type: "EC2".into(),
            tasks_arrived: 3,
            wait_p95_s: Some(1.25),
            cost_usd: 0.5,
            outcome: Some(Completion::Saturated),
            outcome_reason: Some(EndReason::Ec2AtMax),
            end_ms: Some(22_791_001),
            ..SummaryRow::default()
        };
        let cells = row.cells();
        assert_eq!(cells.len(), SummaryRow::columns().len());
        assert_eq!(cells[0], "a, \"b\"");
        assert_eq!(cells[10], "1.250");
        assert_eq!(cells[12], "0.500000");
        assert_eq!(&cells[31..34], ["saturated", "ec2-at-max", "22791.001"]);
        // The compared cost is empty when unknown (a file written before it): cost_usd then.
        assert_eq!(cells[39], "");
        assert_eq!(row.compared_cost(), 0.5);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(SummaryRow::columns()).unwrap();
        w.write_record(&cells).unwrap();
        let bytes = w.into_inner().unwrap();
        let back: SummaryRow = csv::Reader::from_reader(bytes.as_slice())
            .deserialize()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(back, row);
        assert_eq!(
            back.shortfall(|t| format!("{t:.0} s")).unwrap(),
            "a, \"b\" saturated at 22791 s: EC2 capacity at max, so its figures stop there"
        );
    }
}
