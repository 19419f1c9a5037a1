//! A sweep's parameters for its plots: a parameter's values as an axis (numbers, log scale or
//! categories), values written for a reader, and the combinations of the other parameters'
//! values that each line of a plot holds.

use crate::report::plots::Axis;
use crate::report::sweep_data::SweepData;

/// A parameter's values as axis positions: numbers when every value is one (sorted by the
/// axis), else categories in grid order with readable labels.
pub(super) struct ParamAxis<'a> {
    pub(super) values: Vec<&'a str>,
    /// `Some(x)` per value when numeric.
    pub(super) numbers: Option<Vec<f64>>,
    /// Positive numbers spanning a factor of 20 or more (such as 5, 10, 20, ..., 1280): drawn
    /// on a log scale.
    pub(super) log10: bool,
}

impl<'a> ParamAxis<'a> {
    pub(super) fn new(data: &'a SweepData, p: usize) -> ParamAxis<'a> {
        let values = data.values_of(p);
        let numbers: Option<Vec<f64>> = values
            .iter()
            .map(|v| v.parse::<f64>().ok().filter(|x| x.is_finite()))
            .collect();
        let log10 = numbers.as_ref().is_some_and(|n| {
            let lo = n.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = n.iter().copied().fold(0.0, f64::max);
            n.len() >= 4 && lo > 0.0 && hi / lo >= 20.0
        });
        ParamAxis {
            values,
            numbers,
            log10,
        }
    }

    /// The x position of value `i` (log10 of it on a log axis).
    pub(super) fn x(&self, i: usize) -> f64 {
        match &self.numbers {
            Some(n) if self.log10 => n[i].log10(),
            Some(n) => n[i],
            None => i as f64,
        }
    }

    /// The axis: numeric, or the values as categories.
    pub(super) fn axis(&self, label: String) -> Axis {
        Axis {
            label: if self.log10 {
                format!("{label} (log scale)")
            } else {
                label
            },
            log10: self.log10,
            categories: if self.numbers.is_some() {
                Vec::new()
            } else {
                self.values.iter().map(|v| display(v)).collect()
            },
        }
    }
}

/// A parameter value (a runs.csv / sweep.csv cell, compact TOML) for people, without TOML's
/// quotes and brackets: strings bare (`"spread"` → `spread`), a list of plain values joined by
/// commas (`["m5.large", "c5.large"]` → `m5.large,c5.large`), a table as `key=value` pairs
/// joined by spaces (`{ type = "binpack", field = "memory" }` → `type=binpack field=memory`,
/// in parentheses when inside another table), a list of tables joined by `; ` and an empty list
/// as `[]`. A cell that is not a TOML value loses its quotes and brackets only.
pub fn display(value: &str) -> String {
    match toml::from_str::<toml::Table>(&format!("v = {value}")) {
        Ok(t) if t.len() == 1 => match t.get("v") {
            // Numbers, booleans and dates as written (`1e-10` stays `1e-10`).
            Some(v @ (toml::Value::String(_) | toml::Value::Array(_) | toml::Value::Table(_))) => {
                human(v, false)
            }
            _ => value.trim().to_string(),
        },
        _ => {
            let s: String = value
                .chars()
                .filter(|c| !matches!(c, '"' | '[' | ']'))
                .collect();
            s.replace(", ", ",")
        }
    }
}

/// One TOML value for people (see [`display`]); `nested` when inside a table.
pub(super) fn human(v: &toml::Value, nested: bool) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(a) if a.is_empty() => "[]".into(),
        toml::Value::Array(a) => {
            let sep = if a.iter().any(toml::Value::is_table) {
                "; "
            } else {
                ","
            };
            a.iter()
                .map(|x| human(x, nested))
                .collect::<Vec<_>>()
                .join(sep)
        }
        toml::Value::Table(t) => {
            let pairs = t
                .iter()
                .map(|(k, x)| format!("{k}={}", human(x, true)))
                .collect::<Vec<_>>()
                .join(" ");
            if nested { format!("({pairs})") } else { pairs }
        }
        other => other.to_string(),
    }
}

/// A parameter's name for legends: its last dotted segment, or the whole path when another
/// parameter ends the same way.
fn short(data: &SweepData, p: usize) -> &str {
    let last = |s: &str| s.rsplit('.').next().unwrap_or("").to_string();
    let name = &data.parameters[p];
    let mine = last(name);
    let clash = data
        .parameters
        .iter()
        .enumerate()
        .any(|(q, o)| q != p && last(o) == mine);
    if clash {
        name
    } else {
        name.rsplit('.').next().unwrap_or(name)
    }
}

/// Every combination of the values of parameters `params`, first varying slowest.
pub(super) fn combinations<'a>(data: &'a SweepData, params: &[usize]) -> Vec<Vec<&'a str>> {
    let mut out = vec![Vec::new()];
    for &p in params {
        let vals = data.values_of(p);
        out = out
            .into_iter()
            .flat_map(|c| {
                vals.iter().map(move |v| {
                    let mut c = c.clone();
                    c.push(*v);
                    c
                })
            })
            .collect();
    }
    out
}

/// `name = value, ...` of parameters `params` at `values`.
pub(super) fn describe(data: &SweepData, params: &[usize], values: &[&str]) -> String {
    params
        .iter()
        .zip(values)
        .map(|(&p, v)| format!("{} = {}", short(data, p), display(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The full values of a variant: parameter `p` at `x`, the parameters `others` at `combo`.
pub(super) fn full<'a>(
    n: usize,
    p: usize,
    x: &'a str,
    others: &[usize],
    combo: &[&'a str],
) -> Vec<&'a str> {
    let mut v = vec![""; n];
    v[p] = x;
    for (&o, c) in others.iter().zip(combo) {
        v[o] = c;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_drops_toml_quotes_and_brackets() {
        assert_eq!(
            display("[\"m5.large\", \"c5.xlarge\"]"),
            "m5.large,c5.xlarge"
        );
        assert_eq!(display("\"spread\""), "spread");
        assert_eq!(display("0.5"), "0.5");
        assert_eq!(display("1280"), "1280");
        assert_eq!(display("1e-10"), "1e-10");
        // Whole lists of unnamed tables (sweeps over `placement_strategy`, ...).
        assert_eq!(
            display("[{ type = \"binpack\", field = \"memory\" }]"),
            "type=binpack field=memory"
        );
        assert_eq!(
            display(
                "[{ type = \"spread\", field = \"attribute:ecs.availability-zone\" }, { type = \"binpack\", field = \"cpu\" }]"
            ),
            "type=spread field=attribute:ecs.availability-zone; type=binpack field=cpu"
        );
        assert_eq!(
            display("{ min = 0, max = 4, managed_scaling = { target_capacity = 80 } }"),
            "min=0 max=4 managed_scaling=(target_capacity=80)"
        );
        assert_eq!(display("[]"), "[]");
        // Not TOML: only the quotes and brackets go.
        assert_eq!(display("[\"a\", b"), "a,b");
    }
}
