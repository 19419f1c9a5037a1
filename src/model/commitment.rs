//! Commitments (`[[commitment]]`): Savings Plans and Reserved Instances applied to an arm's
//! hourly on-demand usage, as AWS applies them each clock hour (docs/reference/pricing.md §3.2,
//! §3.4; docs/model.md §22). Pure: the simulator hands in the usage ([`HourlyUsage`], filled as
//! instances and tasks are billed), [`apply`] returns what each commitment covered and cost.
//!
//! Per clock hour k = [k·3600 s, (k+1)·3600 s) of simulated time:
//! 1. Reserved Instances, in scenario order: each covers up to `count × 3600` instance-seconds
//!    of its type per hour, in normalized units (size flexibility within the family, Linux
//!    only, smallest size first; `data/ri_normalization_factors.csv`, §3.4);
//! 2. EC2 Instance Savings Plans (one family, any size and OS), then
//! 3. Compute Savings Plans (any EC2 and Fargate), each in scenario order; within a plan the
//!    usage lines are taken by savings percentage descending, then SP rate ascending (§3.2),
//!    each consuming the hourly commitment at its SP rate;
//! 4. the rest is on-demand. Every commitment's fee is paid every hour, used or not (§3.2).
//!
//! Spot usage never reaches this module (Savings Plans and RIs apply to on-demand usage, §3.1).

use std::collections::BTreeMap;

use crate::model::{Architecture, FargateRates, Os};

/// The normalization factors of instance sizes (docs/reference/pricing.md §3.4), verbatim.
pub const RI_NORMALIZATION_FACTORS_CSV: &str =
    include_str!("../../data/ri_normalization_factors.csv");

/// Milliseconds in a clock hour.
pub const HOUR_MS: u64 = 3_600_000;

/// The normalization factor of an instance size (`large`, `2xlarge`, …), from
/// [`RI_NORMALIZATION_FACTORS_CSV`]; `None` for a size the table does not list (e.g. `metal`).
pub fn normalization_factor(size: &str) -> Option<f64> {
    RI_NORMALIZATION_FACTORS_CSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split(',');
            Some((c.next()?, c.next()?.parse::<f64>().ok()?))
        })
        .find(|(s, _)| *s == size)
        .map(|(_, f)| f)
}

/// `m5.large` → (`m5`, `large`).
pub fn family_and_size(instance_type: &str) -> (&str, &str) {
    instance_type.split_once('.').unwrap_or((instance_type, ""))
}

/// What a usage line is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum UsageKind {
    /// On-demand EC2 instance-hours of one type.
    Ec2 {
        /// Instance type.
        instance_type: String,
    },
    /// On-demand Fargate vCPU-hours.
    FargateVcpu(Architecture),
    /// On-demand Fargate GB-hours.
    FargateGb(Architecture),
}

/// A usage line: what, on which operating system.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UsageKey {
    /// What.
    pub kind: UsageKind,
    /// Operating system.
    pub os: Os,
}

impl UsageKey {
    /// usage.csv's name: `ec2:m5.large:linux`, `fargate:linux_x86:vcpu`, `fargate:linux_arm:gb`.
    pub fn name(&self) -> String {
        let os_arch = |a: Architecture| {
            format!(
                "{}_{}",
                self.os.as_str(),
                match a {
                    Architecture::X86_64 => "x86",
                    Architecture::Arm64 => "arm",
                }
            )
        };
        match &self.kind {
            UsageKind::Ec2 { instance_type } => format!("ec2:{instance_type}:{}", self.os),
            UsageKind::FargateVcpu(a) => format!("fargate:{}:vcpu", os_arch(*a)),
            UsageKind::FargateGb(a) => format!("fargate:{}:gb", os_arch(*a)),
        }
    }

    /// usage.csv's unit: `hours`, `vcpu-hours`, `gb-hours`.
    pub fn unit(&self) -> &'static str {
        match self.kind {
            UsageKind::Ec2 { .. } => "hours",
            UsageKind::FargateVcpu(_) => "vcpu-hours",
            UsageKind::FargateGb(_) => "gb-hours",
        }
    }

    /// Units of the accumulated quantity per unit of usage: 1 instance, 1024 CPU units per
    /// vCPU, 1024 MiB per GB (docs/reference/ecs-facts.md §1.1).
    fn scale(&self) -> u64 {
        match self.kind {
            UsageKind::Ec2 { .. } => 1,
            UsageKind::FargateVcpu(_) | UsageKind::FargateGb(_) => 1024,
        }
    }
}

/// One usage line's accumulation: per clock hour, quantity × milliseconds (instance-ms,
/// CPU-unit-ms, MiB-ms), integers, so any run length is exact.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageSeries {
    /// On-demand price, USD per unit-hour (per instance-hour, vCPU-hour, GB-hour).
    pub usd_per_unit_hour: f64,
    /// Per hour, quantity-milliseconds billed.
    pub per_hour: Vec<u128>,
}

/// An arm's on-demand usage by clock hour and usage line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HourlyUsage {
    /// The lines, by key.
    pub lines: BTreeMap<UsageKey, UsageSeries>,
}

impl HourlyUsage {
    /// Add a billed stretch of `weight` units (1 instance; CPU units; MiB) of `key` at
    /// `usd_per_unit_hour`, running over [`start_ms`, `end_ms`) and billed `billed_ms` in all.
    /// The time run is split at clock-hour boundaries; what is billed beyond it (the rounding
    /// up to a whole second and a billing minimum) goes to the hour of the stretch's last
    /// instant, where the charge arises (docs/model.md §22.2).
    pub fn add(
        &mut self,
        key: UsageKey,
        usd_per_unit_hour: f64,
        start_ms: u64,
        end_ms: u64,
        billed_ms: u64,
        weight: u64,
    ) {
        let end_ms = end_ms.max(start_ms);
        let series = self.lines.entry(key).or_insert_with(|| UsageSeries {
            usd_per_unit_hour,
            per_hour: Vec::new(),
        });
        let w = u128::from(weight);
        let mut add = |hour: u64, ms: u64| {
            let h = hour as usize;
            if series.per_hour.len() <= h {
                series.per_hour.resize(h + 1, 0);
            }
            series.per_hour[h] += u128::from(ms) * w;
        };
        let mut t = start_ms;
        while t < end_ms {
            let hour = t / HOUR_MS;
            let next = ((hour + 1) * HOUR_MS).min(end_ms);
            add(hour, next - t);
            t = next;
        }
        let extra = billed_ms.saturating_sub(end_ms - start_ms);
        if extra > 0 || end_ms == start_ms {
            add(end_ms.saturating_sub(1).max(start_ms) / HOUR_MS, extra);
        }
    }

    /// Merge `other` into this one (an arm's several capacity providers).
    pub fn merge(&mut self, other: &HourlyUsage) {
        for (k, s) in &other.lines {
            let mine = self.lines.entry(k.clone()).or_insert_with(|| UsageSeries {
                usd_per_unit_hour: s.usd_per_unit_hour,
                per_hour: Vec::new(),
            });
            if mine.per_hour.len() < s.per_hour.len() {
                mine.per_hour.resize(s.per_hour.len(), 0);
            }
            for (h, q) in s.per_hour.iter().enumerate() {
                mine.per_hour[h] += q;
            }
        }
    }

    /// Whether any usage was billed.
    pub fn is_empty(&self) -> bool {
        self.lines
            .values()
            .all(|s| s.per_hour.iter().all(|&q| q == 0))
    }

    /// Hours the usage touches (the last hour with usage, plus one).
    pub fn hours(&self) -> usize {
        self.lines
            .values()
            .map(|s| s.per_hour.len())
            .max()
            .unwrap_or(0)
    }

    /// The quantity of `key` in hour `h`, in its unit (instance-hours, vCPU-hours, GB-hours).
    pub fn quantity(&self, key: &UsageKey, h: usize) -> f64 {
        self.lines.get(key).map_or(0.0, |s| {
            s.per_hour.get(h).copied().unwrap_or(0) as f64 / (key.scale() as f64 * HOUR_MS as f64)
        })
    }
}

/// Commitment term (docs/reference/pricing.md §3.1, §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Term {
    /// One year, 8760 hours.
    #[default]
    OneYear,
    /// Three years, 26280 hours.
    ThreeYears,
}

impl Term {
    /// Hours in the term (365 and 1095 days, §3.4).
    pub fn hours(self) -> f64 {
        match self {
            Term::OneYear => 8760.0,
            Term::ThreeYears => 26280.0,
        }
    }

    /// The scenario spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Term::OneYear => "1yr",
            Term::ThreeYears => "3yr",
        }
    }
}

/// Payment option (§3.1, §3.4). It decides which rate applies; the fee per hour is the same
/// (the hourly commitment, or the RI's hourly rate plus its upfront fee amortised).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Payment {
    /// No upfront.
    #[default]
    NoUpfront,
    /// Partial upfront.
    PartialUpfront,
    /// All upfront.
    AllUpfront,
}

impl Payment {
    /// The scenario spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Payment::NoUpfront => "no_upfront",
            Payment::PartialUpfront => "partial_upfront",
            Payment::AllUpfront => "all_upfront",
        }
    }
}

/// The rates of a Savings Plan: explicit SP rates, else a discount on the on-demand price.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpRates {
    /// SP USD per instance-hour of Linux instances, by type (`rates`).
    pub ec2_linux: BTreeMap<String, f64>,
    /// SP rates of Fargate Linux x86 (`fargate_rates.vcpu_hour`, `gb_hour`).
    pub fargate_x86: Option<FargateRates>,
    /// SP rates of Fargate Linux ARM (`fargate_rates.arm_vcpu_hour`, `arm_gb_hour`).
    pub fargate_arm: Option<FargateRates>,
    /// SP USD per instance-hour of Windows instances, by type (from a price list only).
    pub ec2_windows: BTreeMap<String, f64>,
    /// SP rates of Fargate Windows x86 (from a price list only; the OS licence is not covered).
    pub fargate_windows: Option<FargateRates>,
    /// `discount_percent`: the SP rate of any eligible usage without an explicit rate.
    pub discount_percent: Option<f64>,
}

impl SpRates {
    /// The SP rate of `key` whose on-demand rate is `od`, if any source gives one.
    pub fn rate(&self, key: &UsageKey, od: f64) -> Option<f64> {
        let explicit = match (&key.kind, key.os) {
            (UsageKind::Ec2 { instance_type }, Os::Linux) => {
                self.ec2_linux.get(instance_type).copied()
            }
            (UsageKind::FargateVcpu(a), Os::Linux) => self.fargate(*a).map(|r| r.vcpu_hour),
            (UsageKind::FargateGb(a), Os::Linux) => self.fargate(*a).map(|r| r.gb_hour),
            (UsageKind::Ec2 { instance_type }, Os::Windows) => {
                self.ec2_windows.get(instance_type).copied()
            }
            (UsageKind::FargateVcpu(_), Os::Windows) => self.fargate_windows.map(|r| r.vcpu_hour),
            (UsageKind::FargateGb(_), Os::Windows) => self.fargate_windows.map(|r| r.gb_hour),
        };
        explicit.or_else(|| self.discount_percent.map(|d| od * (1.0 - d / 100.0)))
    }

    fn fargate(&self, a: Architecture) -> Option<FargateRates> {
        match a {
            Architecture::X86_64 => self.fargate_x86,
            Architecture::Arm64 => self.fargate_arm,
        }
    }
}

/// What kind of commitment, with its terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Compute Savings Plan: any EC2 instance and Fargate (§3.1).
    ComputeSavingsPlan {
        /// The commitment, USD per hour.
        usd_per_hour: f64,
        /// SP rates.
        rates: SpRates,
    },
    /// EC2 Instance Savings Plan: one instance family, any size and OS (§3.1).
    Ec2InstanceSavingsPlan {
        /// The commitment, USD per hour.
        usd_per_hour: f64,
        /// The family (`m5`).
        family: String,
        /// SP rates.
        rates: SpRates,
    },
    /// Regional Reserved Instances (§3.4).
    ReservedInstances {
        /// The type reserved.
        instance_type: String,
        /// How many.
        count: u32,
        /// `standard` or `convertible` (does not change how the discount applies, §3.4).
        offering_class: &'static str,
        /// What one RI costs per hour of the term: the hourly rate plus the upfront fee ÷ the
        /// term's hours.
        usd_per_instance_hour: f64,
    },
}

impl Plan {
    /// The scenario spelling of the type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Plan::ComputeSavingsPlan { .. } => "compute_savings_plan",
            Plan::Ec2InstanceSavingsPlan { .. } => "ec2_instance_savings_plan",
            Plan::ReservedInstances { .. } => "reserved_instances",
        }
    }

    /// The fee paid every hour of the term, USD.
    pub fn fee_per_hour(&self) -> f64 {
        match self {
            Plan::ComputeSavingsPlan { usd_per_hour, .. }
            | Plan::Ec2InstanceSavingsPlan { usd_per_hour, .. } => *usd_per_hour,
            Plan::ReservedInstances {
                count,
                usd_per_instance_hour,
                ..
            } => f64::from(*count) * usd_per_instance_hour,
        }
    }

    /// Where AWS applies it: 0 RIs, 1 EC2 Instance SPs, 2 Compute SPs (§3.2).
    fn stage(&self) -> u8 {
        match self {
            Plan::ReservedInstances { .. } => 0,
            Plan::Ec2InstanceSavingsPlan { .. } => 1,
            Plan::ComputeSavingsPlan { .. } => 2,
        }
    }
}

/// One `[[commitment]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    /// Name (`name`, default `<type>-<n>`).
    pub name: String,
    /// The arms it applies to; `None`: every arm (each arm gets it in full).
    pub arms: Option<Vec<String>>,
    /// Term.
    pub term: Term,
    /// Payment option.
    pub payment: Payment,
    /// Kind and terms.
    pub plan: Plan,
}

impl Commitment {
    /// Whether it applies to arm `arm`.
    pub fn applies_to(&self, arm: &str) -> bool {
        self.arms
            .as_ref()
            .is_none_or(|a| a.iter().any(|x| x == arm))
    }

    /// Whether it can cover usage line `key` (for SPs: given a rate).
    pub fn eligible(&self, key: &UsageKey) -> bool {
        match (&self.plan, &key.kind) {
            (Plan::ComputeSavingsPlan { .. }, _) => true,
            (Plan::Ec2InstanceSavingsPlan { family, .. }, UsageKind::Ec2 { instance_type }) => {
                family_and_size(instance_type).0 == family
            }
            (
                Plan::ReservedInstances {
                    instance_type: ri, ..
                },
                UsageKind::Ec2 { instance_type },
            ) => key.os == Os::Linux && ri_weight(ri, instance_type).is_some(),
            _ => false,
        }
    }
}

/// The normalized units per instance-hour of `used` under an RI of type `ri` (size
/// flexibility, §3.4), with the RI's own units per instance-hour; `None` when the RI cannot
/// cover it. A size the table lacks is covered only by an RI of exactly its type (weight 1).
fn ri_weight(ri: &str, used: &str) -> Option<(f64, f64)> {
    if ri == used {
        let (_, s) = family_and_size(ri);
        let f = normalization_factor(s).unwrap_or(1.0);
        return Some((f, f));
    }
    let (rf, rs) = family_and_size(ri);
    let (uf, us) = family_and_size(used);
    if rf != uf {
        return None;
    }
    Some((normalization_factor(us)?, normalization_factor(rs)?))
}

/// One commitment in one hour.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CommitmentHour {
    /// Fee paid, USD.
    pub fee_usd: f64,
    /// The part of the fee that covered usage, USD (SP: Σ covered × SP rate; RI: fee × the
    /// fraction of its normalized units used).
    pub used_usd: f64,
    /// What the covered usage would have cost on demand, USD.
    pub covered_on_demand_usd: f64,
}

/// What an arm's commitments did over its run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommitmentOutcome {
    /// Per commitment (the arm's, in scenario order): its name, type and hours.
    pub commitments: Vec<(String, &'static str, Vec<CommitmentHour>)>,
    /// Σ on-demand cost of every usage line, USD.
    pub on_demand_usd: f64,
}

impl CommitmentOutcome {
    /// Σ fees, USD.
    pub fn fee_usd(&self) -> f64 {
        self.sum(|h| h.fee_usd)
    }

    /// Σ used fees, USD.
    pub fn used_usd(&self) -> f64 {
        self.sum(|h| h.used_usd)
    }

    /// Σ on-demand cost covered, USD.
    pub fn covered_on_demand_usd(&self) -> f64 {
        self.sum(|h| h.covered_on_demand_usd)
    }

    fn sum(&self, f: impl Fn(&CommitmentHour) -> f64) -> f64 {
        self.commitments
            .iter()
            .flat_map(|(_, _, hs)| hs.iter())
            .map(f)
            .sum()
    }

    /// The compute bill with the commitments: on-demand − covered + fees, USD.
    pub fn effective_usd(&self) -> f64 {
        self.on_demand_usd - self.covered_on_demand_usd() + self.fee_usd()
    }

    /// Used ÷ paid over the run (`None` when nothing was paid).
    pub fn utilisation(&self) -> Option<f64> {
        let fee = self.fee_usd();
        (fee > 0.0).then(|| self.used_usd() / fee)
    }

    /// Covered ÷ all on-demand usage over the run (`None` without usage).
    pub fn coverage(&self) -> Option<f64> {
        (self.on_demand_usd > 0.0).then(|| self.covered_on_demand_usd() / self.on_demand_usd)
    }
}

/// Apply `commitments` (those of one arm, scenario order) to `usage` over `hours` clock hours
/// (the hours the run touches; each pays every fee). A line a Savings Plan has no rate for is
/// not covered by it (the loader refuses such scenarios).
pub fn apply(usage: &HourlyUsage, commitments: &[&Commitment], hours: usize) -> CommitmentOutcome {
    let hours = hours.max(usage.hours());
    let keys: Vec<&UsageKey> = usage.lines.keys().collect();
    let od: Vec<f64> = keys
        .iter()
        .map(|k| usage.lines[*k].usd_per_unit_hour)
        .collect();
    let mut order: Vec<usize> = (0..commitments.len()).collect();
    order.sort_by_key(|&c| commitments[c].plan.stage());
    let mut out: Vec<Vec<CommitmentHour>> = vec![Vec::with_capacity(hours); commitments.len()];
    let mut on_demand_usd = 0.0;
    let mut remaining = vec![0.0; keys.len()];
    for h in 0..hours {
        for (i, k) in keys.iter().enumerate() {
            remaining[i] = usage.quantity(k, h);
            on_demand_usd += remaining[i] * od[i];
        }
        for &c in &order {
            let cm = commitments[c];
            let fee = cm.plan.fee_per_hour();
            let mut hour = CommitmentHour {
                fee_usd: fee,
                ..CommitmentHour::default()
            };
            match &cm.plan {
                Plan::ReservedInstances {
                    instance_type: ri,
                    count,
                    ..
                } => {
                    // Lines it may cover, smallest normalization factor first (§3.4).
                    let mut lines: Vec<(usize, f64)> = keys
                        .iter()
                        .enumerate()
                        .filter(|(i, k)| remaining[*i] > 0.0 && cm.eligible(k))
                        .filter_map(|(i, k)| match &k.kind {
                            UsageKind::Ec2 { instance_type } => {
                                ri_weight(ri, instance_type).map(|(w, _)| (i, w))
                            }
                            _ => None,
                        })
                        .collect();
                    lines.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                    let own = normalization_factor(family_and_size(ri).1).unwrap_or(1.0);
                    let capacity = f64::from(*count) * own;
                    let mut left = capacity;
                    for (i, w) in lines {
                        if left <= 0.0 {
                            break;
                        }
                        let take = (remaining[i] * w).min(left);
                        let covered = take / w;
                        left -= take;
                        remaining[i] -= covered;
                        hour.covered_on_demand_usd += covered * od[i];
                    }
                    if capacity > 0.0 {
                        hour.used_usd = fee * (capacity - left) / capacity;
                    }
                }
                Plan::ComputeSavingsPlan {
                    usd_per_hour,
                    rates,
                }
                | Plan::Ec2InstanceSavingsPlan {
                    usd_per_hour,
                    rates,
                    ..
                } => {
                    // (line, SP rate, savings fraction), highest savings first, then the
                    // lowest SP rate (§3.2); then the line order, for determinism.
                    let mut lines: Vec<(usize, f64, f64)> = keys
                        .iter()
                        .enumerate()
                        .filter(|(i, k)| remaining[*i] > 0.0 && cm.eligible(k))
                        .filter_map(|(i, k)| {
                            let r = rates.rate(k, od[i])?;
                            let saving = if od[i] > 0.0 { 1.0 - r / od[i] } else { 0.0 };
                            Some((i, r, saving))
                        })
                        .collect();
                    lines.sort_by(|a, b| {
                        b.2.total_cmp(&a.2)
                            .then(a.1.total_cmp(&b.1))
                            .then(a.0.cmp(&b.0))
                    });
                    let mut left = *usd_per_hour;
                    for (i, r, _) in lines {
                        if left <= 0.0 {
                            break;
                        }
                        let covered = if r > 0.0 {
                            remaining[i].min(left / r)
                        } else {
                            remaining[i]
                        };
                        left -= covered * r;
                        remaining[i] -= covered;
                        hour.used_usd += covered * r;
                        hour.covered_on_demand_usd += covered * od[i];
                    }
                }
            }
            out[c].push(hour);
        }
    }
    CommitmentOutcome {
        commitments: commitments
            .iter()
            .zip(out)
            .map(|(c, hs)| (c.name.clone(), c.plan.type_name(), hs))
            .collect(),
        on_demand_usd,
    }
}

/// The clock hours a run ending at `end_ms` touches: ⌈end ÷ 1 h⌉ (each pays every fee,
/// docs/model.md §22.3).
pub fn hours_touched(end_ms: u64) -> usize {
    end_ms.div_ceil(HOUR_MS) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ec2(t: &str) -> UsageKey {
        UsageKey {
            kind: UsageKind::Ec2 {
                instance_type: t.to_string(),
            },
            os: Os::Linux,
        }
    }

    fn sp(kind: &str, usd: f64, rates: &[(&str, f64)], discount: Option<f64>) -> Commitment {
        let rates = SpRates {
            ec2_linux: rates.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            discount_percent: discount,
            ..SpRates::default()
        };
        Commitment {
            name: kind.to_string(),
            arms: None,
            term: Term::OneYear,
            payment: Payment::NoUpfront,
            plan: if kind == "compute" {
                Plan::ComputeSavingsPlan {
                    usd_per_hour: usd,
                    rates,
                }
            } else {
                Plan::Ec2InstanceSavingsPlan {
                    usd_per_hour: usd,
                    family: "m5".into(),
                    rates,
                }
            },
        }
    }

    fn ri(t: &str, count: u32, per_hour: f64) -> Commitment {
        Commitment {
            name: format!("ri-{t}"),
            arms: None,
            term: Term::OneYear,
            payment: Payment::NoUpfront,
            plan: Plan::ReservedInstances {
                instance_type: t.into(),
                count,
                offering_class: "standard",
                usd_per_instance_hour: per_hour,
            },
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_normalization_table_is_read() {
        assert_eq!(normalization_factor("large"), Some(4.0));
        assert_eq!(normalization_factor("xlarge"), Some(8.0));
        assert_eq!(normalization_factor("nano"), Some(0.25));
        assert_eq!(normalization_factor("112xlarge"), Some(896.0));
        assert_eq!(normalization_factor("metal"), None);
    }

    #[test]
    fn a_stretch_is_split_at_hour_boundaries_and_the_padding_goes_to_its_last_hour() {
        // 0:30:00 to 2:15:00 billed 6300 s: 30 min in hour 0, 60 in hour 1, 15 in hour 2.
        let mut u = HourlyUsage::default();
        let k = ec2("m5.large");
        u.add(k.clone(), 0.096, 1_800_000, 8_100_000, 6_300_000, 1);
        assert_eq!(u.hours(), 3);
        assert!(close(u.quantity(&k, 0), 0.5));
        assert!(close(u.quantity(&k, 1), 1.0));
        assert!(close(u.quantity(&k, 2), 0.25));
        // A 10 s stretch ending at 3:59:59.5 billed the 60 s minimum: 60 s in hour 3.
        u.add(k.clone(), 0.096, 14_389_500, 14_399_500, 60_000, 1);
        assert!(close(u.quantity(&k, 3), 60.0 / 3600.0));
        // Fargate vCPU: 512 CPU units for one hour is half a vCPU-hour.
        let v = UsageKey {
            kind: UsageKind::FargateVcpu(Architecture::X86_64),
            os: Os::Linux,
        };
        u.add(v.clone(), 0.04048, 0, HOUR_MS, HOUR_MS, 512);
        assert!(close(u.quantity(&v, 0), 0.5));
        assert_eq!(v.name(), "fargate:linux_x86:vcpu");
        assert_eq!(k.name(), "ec2:m5.large:linux");
    }

    #[test]
    fn an_ri_covers_an_hour_of_its_size_flexibly_smallest_first() {
        // One m5.xlarge RI (8 units) in an hour with two m5.large (4 each) running the whole
        // hour and one m5.2xlarge (16): the two larges use all 8 units; the 2xlarge is on
        // demand. Fee $0.12; covered 2 × $0.096 = $0.192.
        let mut u = HourlyUsage::default();
        u.add(ec2("m5.large"), 0.096, 0, HOUR_MS, HOUR_MS, 2);
        u.add(ec2("m5.2xlarge"), 0.384, 0, HOUR_MS, HOUR_MS, 1);
        let r = ri("m5.xlarge", 1, 0.12);
        let out = apply(&u, &[&r], 1);
        let h = out.commitments[0].2[0];
        assert!(close(h.fee_usd, 0.12));
        assert!(close(h.used_usd, 0.12));
        assert!(close(h.covered_on_demand_usd, 0.192));
        // effective = 0.192 + 0.384 − 0.192 + 0.12 = 0.504
        assert!(close(out.effective_usd(), 0.504));
        // Four m5.xlarge for 15 min each share one RI hour (§3.4's example): fully covered.
        let mut u = HourlyUsage::default();
        for q in 0..4 {
            u.add(
                ec2("m5.xlarge"),
                0.192,
                q * 900_000,
                (q + 1) * 900_000,
                900_000,
                1,
            );
        }
        let out = apply(&u, &[&r], 1);
        assert!(close(out.covered_on_demand_usd(), 0.192));
        assert!(close(out.utilisation().unwrap(), 1.0));
        // Another family, or Windows, is not covered; an idle hour still pays the fee.
        let mut u = HourlyUsage::default();
        u.add(ec2("c5.large"), 0.085, 0, HOUR_MS, HOUR_MS, 1);
        let out = apply(&u, &[&r], 2);
        assert!(close(out.covered_on_demand_usd(), 0.0));
        assert!(close(out.fee_usd(), 0.24));
        assert_eq!(out.utilisation(), Some(0.0));
    }

    #[test]
    fn a_savings_plan_takes_the_highest_savings_first_then_the_lowest_rate() {
        // $0.10/h Compute SP. m5.large od 0.096 at SP 0.0672 (30 % off), c5.large od 0.085 at
        // SP 0.0510 (40 % off): c5 first, costing 0.051 of the commitment; the 0.049 left
        // covers 0.049 ÷ 0.0672 = 0.729167 h of m5.large (on-demand value 0.07).
        let mut u = HourlyUsage::default();
        u.add(ec2("m5.large"), 0.096, 0, HOUR_MS, HOUR_MS, 1);
        u.add(ec2("c5.large"), 0.085, 0, HOUR_MS, HOUR_MS, 1);
        let c = sp(
            "compute",
            0.10,
            &[("m5.large", 0.0672), ("c5.large", 0.051)],
            None,
        );
        let out = apply(&u, &[&c], 1);
        let covered = 0.085 + 0.049 / 0.0672 * 0.096;
        assert!(close(out.covered_on_demand_usd(), covered));
        assert!(close(out.used_usd(), 0.10));
        // Equal savings (both 30 % off): the lower SP rate goes first.
        let c = sp("compute", 0.0595, &[], Some(30.0));
        let out = apply(&u, &[&c], 1);
        // c5 at 0.0595 uses the whole commitment: covered 0.085.
        assert!(close(out.covered_on_demand_usd(), 0.085));
    }

    #[test]
    fn ris_then_instance_sps_then_compute_sps_whatever_the_scenario_order() {
        // One m5.large hour and one c5.large hour; the Compute SP ($0.0672/h, 30 % off) is
        // listed first, but the stage order applies the m5 EC2 Instance SP ($0.0576/h at 40 %
        // off m5: exactly the m5.large hour) first; the Compute SP then covers c5.large
        // (0.0595 at 30 % off): 0.0595 of its 0.0672. Covered 0.096 + 0.085.
        let mut u = HourlyUsage::default();
        u.add(ec2("m5.large"), 0.096, 0, HOUR_MS, HOUR_MS, 1);
        u.add(ec2("c5.large"), 0.085, 0, HOUR_MS, HOUR_MS, 1);
        let compute = sp("compute", 0.0672, &[], Some(30.0));
        let isp = sp("isp", 0.0576, &[], Some(40.0));
        let out = apply(&u, &[&compute, &isp], 1);
        assert!(close(out.covered_on_demand_usd(), 0.096 + 0.085));
        // Names keep the scenario order.
        assert_eq!(out.commitments[0].0, "compute");
        assert!(close(out.commitments[0].2[0].used_usd, 0.0595));
        assert!(close(out.commitments[1].2[0].used_usd, 0.0576));
    }

    #[test]
    fn hours_touched_rounds_up() {
        assert_eq!(hours_touched(0), 0);
        assert_eq!(hours_touched(1), 1);
        assert_eq!(hours_touched(HOUR_MS), 1);
        assert_eq!(hours_touched(HOUR_MS + 1), 2);
    }
}
