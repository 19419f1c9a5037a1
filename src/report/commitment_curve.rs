//! `sim commitment DIR`: a run's hourly usage (usage.csv, docs/outputs.md) → for each arm and
//! plan type (an EC2 Instance Savings Plan per instance family) the cost curve over the
//! commitment and its cheapest point ([`crate::model::commitment_search`]), rendered as
//! commitment.csv, a terminal table and the commitment plot. Nothing here writes a file.
//!
//! Savings Plan rates per usage line: the price list's
//! `[savings_plans.<plan>."<term>_<payment>"]` rate for it, else `--discount-percent` off its
//! own on-demand rate (on_demand_usd ÷ quantity); an eligible line with neither is refused.
//! Which usage a plan covers (docs/reference/pricing.md §3.1): a Compute Savings Plan every
//! `ec2:<type>:<os>` and `fargate:<os_arch>:vcpu|gb` line; an EC2 Instance Savings Plan the
//! `ec2:` lines of its family. Anything else in usage.csv stays on demand.

use std::collections::BTreeMap;

use super::csv_table::Table;
use super::plots::{Axis, Marker, Panel, Plot, Series, arm_look};
use super::run_data_error::RunDataError;
use crate::model::commitment_search::{
    CommitmentProblem, CurvePoint, EligibleLine, cost_curve, on_demand_usd, optimum, used_usd_at,
};
use crate::prices::PriceFile;

/// commitment.csv's columns, in order.
pub const COMMITMENT_COLUMNS: [&str; 6] = [
    "arm",
    "plan",
    "family",
    "usd_per_hour",
    "total_usd",
    "saving_usd",
];

/// A Savings Plan type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlanType {
    /// `compute_savings_plan`: EC2 in any family and Fargate.
    ComputeSavingsPlan,
    /// `ec2_instance_savings_plan`: EC2 of one family.
    Ec2InstanceSavingsPlan,
}

impl PlanType {
    /// The name used in prices.toml, commitment.csv and the CLI.
    pub fn key(self) -> &'static str {
        match self {
            PlanType::ComputeSavingsPlan => "compute_savings_plan",
            PlanType::Ec2InstanceSavingsPlan => "ec2_instance_savings_plan",
        }
    }
}

/// What a usage line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageKind {
    /// `ec2:<type>:<os>`, instance-hours.
    Ec2 {
        /// Instance type, e.g. `m5.large`.
        instance_type: String,
        /// `linux` or `windows`.
        os: String,
    },
    /// `fargate:<os_arch>:vcpu|gb`, vCPU-hours or GB-hours.
    Fargate {
        /// `linux_x86`, `linux_arm`, `windows_x86`.
        os_arch: String,
        /// `vcpu` or `gb`.
        resource: String,
    },
    /// Anything else (no plan covers it here).
    Other,
}

/// One row of usage.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageLine {
    /// Arm name.
    pub arm: String,
    /// 0-based clock hour.
    pub hour: u64,
    /// The `usage` cell as written.
    pub usage: String,
    /// What it is.
    pub kind: UsageKind,
    /// Amount in the line's unit.
    pub quantity: f64,
    /// On-demand cost, USD.
    pub on_demand_usd: f64,
    /// Line in usage.csv.
    pub line: u64,
}

/// Read usage.csv (`arm,hour,usage,quantity,unit,on_demand_usd`).
pub fn read_usage_csv(bytes: &[u8]) -> Result<Vec<UsageLine>, RunDataError> {
    let mut t = Table::new("usage.csv", bytes)?;
    let [arm, hour, usage, quantity, _unit, od] =
        t.columns(["arm", "hour", "usage", "quantity", "unit", "on_demand_usd"])?;
    let mut out = Vec::new();
    while let Some(row) = t.next_row()? {
        let q = row.num(quantity)?;
        let o = row.num(od)?;
        if q < 0.0 {
            return Err(row.bad(quantity, "a quantity ≥ 0"));
        }
        if o < 0.0 {
            return Err(row.bad(od, "a cost ≥ 0 in USD"));
        }
        let text = row.get(usage)?.to_string();
        let parts: Vec<&str> = text.split(':').collect();
        let kind = match parts.as_slice() {
            ["ec2", ty, os @ ("linux" | "windows")] if !ty.is_empty() => UsageKind::Ec2 {
                instance_type: (*ty).to_string(),
                os: (*os).to_string(),
            },
            [
                "fargate",
                oa @ ("linux_x86" | "linux_arm" | "windows_x86"),
                r @ ("vcpu" | "gb"),
            ] => UsageKind::Fargate {
                os_arch: (*oa).to_string(),
                resource: (*r).to_string(),
            },
            ["ec2", ..] => {
                return Err(row.bad(usage, "ec2:<instance type>:linux|windows"));
            }
            _ => UsageKind::Other,
        };
        out.push(UsageLine {
            arm: row.get(arm)?.to_string(),
            hour: row.uint(hour)?,
            usage: text,
            kind,
            quantity: q,
            on_demand_usd: o,
            line: row.line,
        });
    }
    Ok(out)
}

/// Where Savings Plan rates come from.
#[derive(Debug, Clone, Copy)]
pub struct RateSources<'a> {
    /// A price list and the name it was given as.
    pub price_list: Option<(&'a PriceFile, &'a str)>,
    /// A discount off on-demand for lines the price list does not price, percent.
    pub discount_percent: Option<f64>,
    /// `"<term>_<payment>"`, e.g. `1yr_no_upfront`.
    pub offer: &'a str,
}

/// No rate for an eligible usage line.
#[derive(Debug, thiserror::Error)]
#[error(
    "usage.csv: line {line}: no {plan} rate for `{usage}` (arm `{arm}`): give --price-list with {key} (`sim prices import`, docs/prices.md), or --discount-percent X"
)]
pub struct MissingRateError {
    /// Line in usage.csv.
    pub line: u64,
    /// Plan type key.
    pub plan: &'static str,
    /// The usage cell.
    pub usage: String,
    /// The arm.
    pub arm: String,
    /// The prices.toml key that would give it.
    pub key: String,
}

impl RateSources<'_> {
    /// The SP rate of `l` under `plan` (USD per unit); `Ok(None)` when the plan does not cover
    /// it or it costs nothing.
    fn rate(&self, plan: PlanType, l: &UsageLine) -> Result<Option<f64>, MissingRateError> {
        if l.quantity <= 0.0 || l.on_demand_usd <= 0.0 {
            return Ok(None);
        }
        let at = format!("[savings_plans.{}.\"{}\"", plan.key(), self.offer);
        let sp = self
            .price_list
            .and_then(|(p, _)| p.savings_plans.get(plan.key()))
            .and_then(|o| o.get(self.offer));
        let (listed, key) = match &l.kind {
            UsageKind::Ec2 { instance_type, os } => {
                let m = sp.and_then(|s| s.ec2.as_ref()).map(|e| {
                    if os == "windows" {
                        &e.windows
                    } else {
                        &e.linux
                    }
                });
                (
                    m.and_then(|m| m.get(instance_type)).copied(),
                    format!("{at}.ec2.{os}] \"{instance_type}\""),
                )
            }
            UsageKind::Fargate { os_arch, resource } => {
                if plan != PlanType::ComputeSavingsPlan {
                    return Ok(None);
                }
                let f = sp
                    .and_then(|s| s.fargate.as_ref())
                    .and_then(|f| match os_arch.as_str() {
                        "linux_x86" => f.linux_x86.as_ref(),
                        "linux_arm" => f.linux_arm.as_ref(),
                        _ => f.windows_x86.as_ref(),
                    });
                let field = if resource == "vcpu" {
                    "vcpu_hour"
                } else {
                    "gb_hour"
                };
                let v = f.and_then(|f| {
                    if resource == "vcpu" {
                        f.vcpu_hour
                    } else {
                        f.gb_hour
                    }
                });
                (v, format!("{at}.fargate.{os_arch}] {field}"))
            }
            UsageKind::Other => return Ok(None),
        };
        if let Some(r) = listed {
            return Ok(Some(r));
        }
        if let Some(d) = self.discount_percent {
            return Ok(Some(l.on_demand_usd / l.quantity * (1.0 - d / 100.0)));
        }
        Err(MissingRateError {
            line: l.line,
            plan: plan.key(),
            usage: l.usage.clone(),
            arm: l.arm.clone(),
            key,
        })
    }
}

/// One arm's curve for one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCurve {
    /// Arm name.
    pub arm: String,
    /// Position of the arm in usage.csv (its colour).
    pub arm_index: usize,
    /// Plan type.
    pub plan: PlanType,
    /// Instance family for an EC2 Instance SP; empty for a Compute SP.
    pub family: String,
    /// The total at 0 and every breakpoint.
    pub curve: Vec<CurvePoint>,
    /// The cheapest point.
    pub best: CurvePoint,
    /// Total at no commitment, USD.
    pub on_demand_usd: f64,
    /// Commitment fees at the best point, USD.
    pub fee_usd: f64,
    /// Of which used, USD.
    pub used_usd: f64,
    /// Hours paid.
    pub hours: u64,
}

/// The curves of every arm (usage.csv order) and plan (`plans` order; EC2 Instance SPs per
/// family, sorted). The run spans hours 0 ..= the last hour in usage.csv, and the commitment
/// is paid for each of them.
pub fn commitment_curves(
    lines: &[UsageLine],
    plans: &[PlanType],
    rates: &RateSources<'_>,
) -> Result<Vec<PlanCurve>, MissingRateError> {
    let hours = lines.iter().map(|l| l.hour + 1).max().unwrap_or(0);
    let mut arms: Vec<&str> = Vec::new();
    for l in lines {
        if !arms.contains(&l.arm.as_str()) {
            arms.push(&l.arm);
        }
    }
    let mut out = Vec::new();
    for (arm_index, arm) in arms.iter().enumerate() {
        let mine: Vec<&UsageLine> = lines.iter().filter(|l| l.arm == *arm).collect();
        for &plan in plans {
            let families: Vec<String> = match plan {
                PlanType::ComputeSavingsPlan => vec![String::new()],
                PlanType::Ec2InstanceSavingsPlan => {
                    let mut f: Vec<String> = mine
                        .iter()
                        .filter_map(|l| match &l.kind {
                            UsageKind::Ec2 { instance_type, .. } => Some(family(instance_type)),
                            _ => None,
                        })
                        .collect();
                    f.sort();
                    f.dedup();
                    f
                }
            };
            for fam in families {
                let mut p = CommitmentProblem {
                    hours,
                    ..CommitmentProblem::default()
                };
                for l in &mine {
                    let eligible = match (&l.kind, plan) {
                        (
                            UsageKind::Ec2 { instance_type, .. },
                            PlanType::Ec2InstanceSavingsPlan,
                        ) => family(instance_type) == fam,
                        (
                            UsageKind::Ec2 { .. } | UsageKind::Fargate { .. },
                            PlanType::ComputeSavingsPlan,
                        ) => true,
                        _ => false,
                    };
                    let rate = if eligible { rates.rate(plan, l)? } else { None };
                    match rate {
                        Some(r) => p.lines.push(EligibleLine {
                            hour: l.hour,
                            on_demand_usd: l.on_demand_usd,
                            savings_plan_usd: l.quantity * r,
                            savings_plan_rate: r,
                        }),
                        None => p.other_usd += l.on_demand_usd,
                    }
                }
                let curve = cost_curve(&p);
                let Some(best) = optimum(&curve) else {
                    continue;
                };
                out.push(PlanCurve {
                    arm: (*arm).to_string(),
                    arm_index,
                    plan,
                    family: fam,
                    on_demand_usd: on_demand_usd(&p),
                    fee_usd: best.usd_per_hour * hours as f64,
                    used_usd: used_usd_at(&p, best.usd_per_hour),
                    hours,
                    curve,
                    best,
                });
            }
        }
    }
    Ok(out)
}

/// The family of an instance type (`m5.large` → `m5`).
fn family(instance_type: &str) -> String {
    instance_type
        .split_once('.')
        .map_or(instance_type, |(f, _)| f)
        .to_string()
}

/// commitment.csv: every curve point.
pub fn commitment_csv(curves: &[PlanCurve]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![
        COMMITMENT_COLUMNS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    ];
    for c in curves {
        for q in &c.curve {
            rows.push(vec![
                c.arm.clone(),
                c.plan.key().to_string(),
                c.family.clone(),
                format!("{:.6}", q.usd_per_hour),
                format!("{:.6}", q.total_usd),
                format!("{:.6}", q.saving_usd),
            ]);
        }
    }
    for r in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// The terminal table: one row per curve, its best commitment.
pub fn commitment_table(curves: &[PlanCurve]) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "arm",
            "plan",
            "family",
            "best_usd_per_hour",
            "on_demand_usd",
            "total_usd",
            "saving_usd",
            "saving_%",
            "utilisation",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    ];
    for c in curves {
        let pct = if c.on_demand_usd > 0.0 {
            format!("{:.1}", 100.0 * c.best.saving_usd / c.on_demand_usd)
        } else {
            "-".to_string()
        };
        let util = if c.fee_usd > 0.0 {
            format!("{:.3}", c.used_usd / c.fee_usd)
        } else {
            "-".to_string()
        };
        rows.push(vec![
            c.arm.clone(),
            c.plan.key().to_string(),
            if c.family.is_empty() {
                "-".to_string()
            } else {
                c.family.clone()
            },
            format!("{:.6}", c.best.usd_per_hour),
            format!("{:.2}", c.on_demand_usd),
            format!("{:.2}", c.best.total_usd),
            format!("{:.2}", c.best.saving_usd),
            pct,
            util,
        ]);
    }
    rows
}

/// The commitment plot: one panel per plan (and family), the saving over the commitment of
/// each arm in its own look, its optimum ringed.
pub fn commitment_plot(curves: &[PlanCurve], offer: &str) -> Plot {
    let mut panels: BTreeMap<(PlanType, String), Vec<Series>> = BTreeMap::new();
    for c in curves {
        let (style, marker) = arm_look(c.arm_index);
        let series = panels.entry((c.plan, c.family.clone())).or_default();
        series.push(Series {
            label: c.arm.clone(),
            color: c.arm_index,
            style,
            marker: Some(marker),
            points: c
                .curve
                .iter()
                .map(|q| (q.usd_per_hour, q.saving_usd))
                .collect(),
        });
        series.push(Series {
            label: format!(
                "{} best: {:.4} USD/h, saves {:.2} USD",
                c.arm, c.best.usd_per_hour, c.best.saving_usd
            ),
            color: c.arm_index,
            style: super::plots::LineStyle::Markers,
            marker: Some(Marker::Ring),
            points: vec![(c.best.usd_per_hour, c.best.saving_usd)],
        });
    }
    let x_label = "commitment, USD per hour";
    Plot {
        name: "commitment",
        title: format!("Saving by Savings Plan commitment ({offer}), from usage.csv"),
        x_label: x_label.to_string(),
        panels: panels
            .into_iter()
            .map(|((plan, fam), series)| Panel {
                y_label: if fam.is_empty() {
                    format!("saving, USD ({})", plan.key())
                } else {
                    format!("saving, USD ({} {fam})", plan.key())
                },
                series,
                x_axis: Some(Axis {
                    label: x_label.to_string(),
                    ..Axis::default()
                }),
                ..Panel::default()
            })
            .collect(),
        x_span: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USAGE: &str = "arm,hour,usage,quantity,unit,on_demand_usd\n\
        ec2,0,ec2:m5.large:linux,10,hours,1.0\n\
        ec2,1,ec2:m5.large:linux,2,hours,0.2\n\
        ec2,1,ec2:c5.large:linux,1,hours,0.085\n\
        fg,0,fargate:linux_x86:vcpu,4,vcpu-hours,0.16192\n\
        fg,0,fargate:linux_x86:gb,8,gb-hours,0.03556\n";

    #[test]
    fn usage_lines_and_a_missing_rate() {
        let lines = read_usage_csv(USAGE.as_bytes()).unwrap();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[3].line, 5);
        let rates = RateSources {
            price_list: None,
            discount_percent: None,
            offer: "1yr_no_upfront",
        };
        let e = commitment_curves(&lines, &[PlanType::ComputeSavingsPlan], &rates)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("usage.csv: line 2: no compute_savings_plan rate for `ec2:m5.large:linux`")
                && e.contains(
                    "[savings_plans.compute_savings_plan.\"1yr_no_upfront\".ec2.linux] \"m5.large\""
                ),
            "{e}"
        );
        let bad = read_usage_csv(
            b"arm,hour,usage,quantity,unit,on_demand_usd\na,x,ec2:m5.large:linux,1,hours,1\n",
        )
        .unwrap_err()
        .to_string();
        assert!(bad.contains("line 2, column `hour`"), "{bad}");
    }

    /// 40% off everything (`--discount-percent 40`). Arm ec2, Compute SP: hour 0 m5 (1.00
    /// on demand, 0.60 at SP rates); hour 1 m5 (0.20, 0.12) and c5 (0.085, 0.051). Equal
    /// savings in hour 1, so the lower SP rate first: c5 (0.051/h) before m5 (0.06/h); hour 1's
    /// breakpoints are 0.051 and 0.171, hour 0's 0.6. Totals (fees for 2 hours):
    /// - 0: 1.285;
    /// - 0.051: 0.102 + hour 0 (1.0 − 0.051/0.6 × 1.0 = 0.915) + hour 1 (m5 0.2) = 1.217;
    /// - 0.171: 0.342 + (1.0 − 0.285) + 0 = 1.057, the optimum, saving 0.228;
    /// - 0.6: 1.2.
    ///
    /// The EC2 Instance SP has one curve per family (c5, m5).
    #[test]
    fn curves_per_plan_and_family() {
        let lines = read_usage_csv(USAGE.as_bytes()).unwrap();
        let rates = RateSources {
            price_list: None,
            discount_percent: Some(40.0),
            offer: "1yr_no_upfront",
        };
        let curves = commitment_curves(
            &lines,
            &[
                PlanType::ComputeSavingsPlan,
                PlanType::Ec2InstanceSavingsPlan,
            ],
            &rates,
        )
        .unwrap();
        let keys: Vec<(String, &str, String)> = curves
            .iter()
            .map(|c| (c.arm.clone(), c.plan.key(), c.family.clone()))
            .collect();
        assert_eq!(
            keys,
            [
                ("ec2".to_string(), "compute_savings_plan", String::new()),
                (
                    "ec2".to_string(),
                    "ec2_instance_savings_plan",
                    "c5".to_string()
                ),
                (
                    "ec2".to_string(),
                    "ec2_instance_savings_plan",
                    "m5".to_string()
                ),
                ("fg".to_string(), "compute_savings_plan", String::new()),
            ]
        );
        let csp = &curves[0];
        let pts: Vec<(f64, f64)> = csp
            .curve
            .iter()
            .map(|q| (q.usd_per_hour, q.total_usd))
            .collect();
        let want = [(0.0, 1.285), (0.051, 1.217), (0.171, 1.057), (0.6, 1.2)];
        assert_eq!(pts.len(), want.len(), "{pts:?}");
        for (g, w) in pts.iter().zip(want) {
            assert!(
                (g.0 - w.0).abs() < 1e-12 && (g.1 - w.1).abs() < 1e-12,
                "{pts:?}"
            );
        }
        assert!((csp.best.usd_per_hour - 0.171).abs() < 1e-12);
        // Saving 1.285 − 1.057 = 0.228.
        assert!((csp.best.saving_usd - 0.228).abs() < 1e-12);
        // fg: one hour of 0.19748 on demand, 0.118488 at SP: best covers it all, but the fee is
        // paid for both hours of the run: 2 × 0.118488 = 0.236976 > 0.19748, so the best is 0.
        assert_eq!(curves[3].best.usd_per_hour, 0.0);
        let csv = String::from_utf8(commitment_csv(&curves)).unwrap();
        assert!(csv.starts_with("arm,plan,family,usd_per_hour,total_usd,saving_usd\nec2,compute_savings_plan,,0.000000,1.285000,0.000000\n"), "{csv}");
        let plot = commitment_plot(&curves, "1yr_no_upfront");
        assert_eq!(plot.panels.len(), 3);
    }
}
