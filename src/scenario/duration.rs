//! Durations in scenario files: strings with a unit (`"250ms"`, `"90s"`, `"15m"`, `"2h"`,
//! `"7d"`) or plain numbers of seconds.

use serde::{Deserialize, Deserializer, de};

use crate::time::{MAX_DURATION_MS, SimDuration};

/// Parse a duration string; `Err` says what was expected.
pub fn parse_duration(s: &str) -> Result<SimDuration, String> {
    let t = s.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let unit_ms: f64 = match unit {
        "ms" => 1.0,
        "s" | "" => 1000.0,
        "m" | "min" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => {
            return Err(format!(
                "`{s}` is not a duration: unknown unit `{unit}`; expected a number with ms, s, m, h or d (e.g. \"90s\", \"15m\")"
            ));
        }
    };
    let bad = || {
        format!(
            "`{s}` is not a duration; expected a non-negative number with a unit, e.g. \"250ms\", \"90s\", \"15m\", \"2h\", \"7d\""
        )
    };
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(bad());
    }
    let v: f64 = num.parse().map_err(|_| bad())?;
    from_ms_f64(v * unit_ms).ok_or_else(bad)
}

/// Seconds (from a plain TOML number) to a duration.
pub fn duration_from_secs(v: f64) -> Result<SimDuration, String> {
    from_ms_f64(v * 1000.0).ok_or_else(|| {
        format!(
            "`{v}` is not a duration; expected a non-negative number of seconds up to 100 years"
        )
    })
}

fn from_ms_f64(ms: f64) -> Option<SimDuration> {
    if !ms.is_finite() || ms < 0.0 || ms > MAX_DURATION_MS as f64 {
        return None;
    }
    Some(SimDuration(ms.round() as u64))
}

/// A duration as written in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationValue(pub SimDuration);

impl<'de> Deserialize<'de> for DurationValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        duration_from_value(&v)
            .map(DurationValue)
            .map_err(de::Error::custom)
    }
}

/// A duration from a TOML value (string with unit, or number of seconds).
pub fn duration_from_value(v: &toml::Value) -> Result<SimDuration, String> {
    match v {
        toml::Value::String(s) => parse_duration(s),
        toml::Value::Integer(i) if *i >= 0 => duration_from_secs(*i as f64),
        toml::Value::Float(f) => duration_from_secs(*f),
        other => Err(format!(
            "found {}; expected a duration such as \"90s\", \"15m\", \"2h\" or a number of seconds",
            describe(other)
        )),
    }
}

/// A short description of a TOML value for error messages.
pub fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("the string \"{s}\""),
        toml::Value::Integer(i) => format!("the integer {i}"),
        toml::Value::Float(f) => format!("the number {f}"),
        toml::Value::Boolean(b) => format!("the boolean {b}"),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "an array".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!(parse_duration("250ms"), Ok(SimDuration(250)));
        assert_eq!(parse_duration("90s"), Ok(SimDuration(90_000)));
        assert_eq!(parse_duration("15m"), Ok(SimDuration(900_000)));
        assert_eq!(parse_duration("2h"), Ok(SimDuration(7_200_000)));
        assert_eq!(parse_duration("7d"), Ok(SimDuration(604_800_000)));
        assert_eq!(parse_duration("1.5h"), Ok(SimDuration(5_400_000)));
        assert_eq!(parse_duration("30"), Ok(SimDuration(30_000)));
    }

    #[test]
    fn rejects_malformed_durations() {
        for bad in [
            "",
            "h",
            "-5s",
            "5 hours",
            "5x",
            "NaNs",
            "1e3s",
            "..s",
            "inf",
            "1000000000d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(duration_from_secs(f64::NAN).is_err());
        assert!(duration_from_secs(-1.0).is_err());
    }
}
