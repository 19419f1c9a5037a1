//! usage.csv (every run with on-demand usage: what `sim commitment DIR` reads) and
//! commitments.csv (runs with commitments): the hourly views of docs/model.md §22.

use crate::sim::Outcome;

/// usage.csv columns, in order.
pub const USAGE_COLUMNS: [&str; 6] = ["arm", "hour", "usage", "quantity", "unit", "on_demand_usd"];

/// commitments.csv columns, in order.
pub const COMMITMENTS_COLUMNS: [&str; 8] = [
    "arm",
    "hour",
    "commitment",
    "type",
    "fee_usd",
    "used_usd",
    "covered_on_demand_usd",
    "utilisation",
];

/// usage.csv: per arm (in order), per clock hour (0-based), per usage line (by name), the
/// on-demand quantity billed (9 decimals: instance-hours, vCPU-hours, GB-hours) and its
/// on-demand cost (6 decimals); lines with nothing in an hour are left out. `None` when no arm
/// billed on-demand usage (Spot only, or nothing ran).
pub fn usage_csv(outcome: &Outcome) -> Option<Vec<u8>> {
    if outcome.arms.iter().all(|a| a.usage.is_empty()) {
        return None;
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(USAGE_COLUMNS);
    for a in &outcome.arms {
        let mut lines: Vec<(String, _, _)> = a
            .usage
            .lines
            .iter()
            .map(|(k, s)| (k.name(), k, s))
            .collect();
        lines.sort_by(|x, y| x.0.cmp(&y.0));
        for h in 0..a.usage.hours() {
            for (name, key, series) in &lines {
                if series.per_hour.get(h).copied().unwrap_or(0) == 0 {
                    continue;
                }
                let q = a.usage.quantity(key, h);
                let _ = w.write_record([
                    a.arm.clone(),
                    h.to_string(),
                    name.clone(),
                    format!("{q:.9}"),
                    key.unit().to_string(),
                    format!("{:.6}", q * series.usd_per_unit_hour),
                ]);
            }
        }
    }
    w.into_inner().ok()
}

/// commitments.csv: per arm with commitments (in order), per clock hour the run touches, per
/// commitment (scenario order): its fee, the part used, the on-demand cost it covered and
/// used ÷ fee (empty when the fee is 0). `None` when no arm has a commitment.
pub fn commitments_csv(outcome: &Outcome) -> Option<Vec<u8>> {
    if outcome.arms.iter().all(|a| a.commitments.is_none()) {
        return None;
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(COMMITMENTS_COLUMNS);
    for a in &outcome.arms {
        let Some(c) = &a.commitments else { continue };
        let hours = c.commitments.first().map_or(0, |(_, _, hs)| hs.len());
        for h in 0..hours {
            for (name, kind, hs) in &c.commitments {
                let x = hs[h];
                let util = if x.fee_usd > 0.0 {
                    format!("{:.6}", x.used_usd / x.fee_usd)
                } else {
                    String::new()
                };
                let _ = w.write_record([
                    a.arm.clone(),
                    h.to_string(),
                    name.clone(),
                    (*kind).to_string(),
                    format!("{:.6}", x.fee_usd),
                    format!("{:.6}", x.used_usd),
                    format!("{:.6}", x.covered_on_demand_usd),
                    util,
                ]);
            }
        }
    }
    w.into_inner().ok()
}
