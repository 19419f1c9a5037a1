//! The sweep file (docs/sweeps.md): the base scenario, the number of seeds, and the parameters,
//! each a dotted path with a list of values or a `{ from, to, step }` range.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::scenario::error::SourceMap;
use crate::sweep::SweepError;

/// Most values one `{ from, to, step }` range may produce.
pub const MAX_RANGE_VALUES: usize = 100_000;

/// A parsed sweep file.
#[derive(Debug, Clone)]
pub struct SweepSpec {
    /// The sweep file.
    pub path: PathBuf,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// The base scenario, resolved relative to the sweep file.
    pub scenario: PathBuf,
    /// Line and column of the `scenario` value in the sweep file (1-based), for messages.
    pub scenario_at: (usize, usize),
    /// Seeds per variant (at least 1).
    pub seeds: u32,
    /// The parameters, in file order.
    pub parameters: Vec<Parameter>,
}

/// One swept parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Dotted path into the scenario (arrays of tables addressed by `name`).
    pub path: String,
    /// Its values, in order (at least one).
    pub values: Vec<toml::Value>,
    /// Line and column of its value in the sweep file (1-based), for messages.
    pub at: (usize, usize),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    scenario: Spanned<String>,
    seeds: Option<Spanned<toml::Value>>,
    #[serde(default)]
    parameters: RawParameters,
}

/// `[parameters]` in file order (serde maps would sort or lose the key order).
#[derive(Debug, Default)]
struct RawParameters(Vec<(String, Spanned<toml::Value>)>);

impl<'de> Deserialize<'de> for RawParameters {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawParameters;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of dotted paths, each with a list of values or a range")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<RawParameters, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = m.next_entry::<String, Spanned<toml::Value>>()? {
                    v.push(entry);
                }
                Ok(RawParameters(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// Read and check the sweep file at `path` (the scenario is not read here).
pub fn parse_file(path: &Path) -> Result<SweepSpec, SweepError> {
    let bytes = std::fs::read(path).map_err(|error| SweepError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut spec = parse_str(path, &text)?;
    spec.sha256 = hex(&Sha256::digest(&bytes));
    Ok(spec)
}

/// Check sweep `text`, as if read from `path`.
pub fn parse_str(path: &Path, text: &str) -> Result<SweepSpec, SweepError> {
    let map = SourceMap { path, text };
    let raw: RawSweep = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let msg = map.toml_message(offset, crate::scenario::load::plain(e.message().trim()));
        map.error_at(offset, msg)
    })?;
    let seeds = match &raw.seeds {
        None => 1,
        Some(v) => match v.get_ref() {
            toml::Value::Integer(n) if (1..=i64::from(u32::MAX)).contains(n) => *n as u32,
            other => {
                return Err(map
                    .error_at(
                        v.span().start,
                        format!("`seeds`: found {other}; expected a positive integer"),
                    )
                    .into());
            }
        },
    };
    let mut parameters = Vec::new();
    for (key, value) in raw.parameters.0 {
        flatten(
            &map,
            key,
            value.span().start,
            value.into_inner(),
            &mut parameters,
        )?;
    }
    for (i, p) in parameters.iter().enumerate() {
        if parameters[..i].iter().any(|q| q.path == p.path) {
            return Err(SweepError::Parameter {
                path: path.to_path_buf(),
                line: p.at.0,
                column: p.at.1,
                parameter: p.path.clone(),
                message: "given twice; expected each path once".into(),
            });
        }
        // One path inside another: the later would overwrite the earlier, and runs.csv would
        // show a value that was never used.
        if let Some(q) = parameters[..i].iter().find(|q| {
            p.path.starts_with(&format!("{}.", q.path))
                || q.path.starts_with(&format!("{}.", p.path))
        }) {
            return Err(SweepError::Parameter {
                path: path.to_path_buf(),
                line: p.at.0,
                column: p.at.1,
                parameter: p.path.clone(),
                message: format!(
                    "overlaps `{}` (one sets a value inside the other); expected separate keys",
                    q.path
                ),
            });
        }
    }
    Ok(SweepSpec {
        path: path.to_path_buf(),
        sha256: hex(&Sha256::digest(text.as_bytes())),
        scenario: crate::scenario::load::resolve(path, raw.scenario.get_ref()),
        scenario_at: map.line_column(raw.scenario.span().start),
        seeds,
        parameters,
    })
}

/// One `[parameters]` entry: a list, a range, or (an unquoted dotted key) a table of further
/// entries.
fn flatten(
    map: &SourceMap<'_>,
    key: String,
    at: usize,
    value: toml::Value,
    out: &mut Vec<Parameter>,
) -> Result<(), SweepError> {
    let err =
        |m: String| -> SweepError { map.error_at(at, format!("parameter `{key}`: {m}")).into() };
    match value {
        toml::Value::Array(values) if values.is_empty() => {
            Err(err("the list is empty; expected at least one value".into()))
        }
        toml::Value::Array(values) => {
            out.push(Parameter {
                path: key,
                values,
                at: map.line_column(at),
            });
            Ok(())
        }
        toml::Value::Table(t)
            if t.contains_key("from") || t.contains_key("to") || t.contains_key("step") =>
        {
            let values = range(&t).map_err(err)?;
            out.push(Parameter {
                path: key,
                values,
                at: map.line_column(at),
            });
            Ok(())
        }
        toml::Value::Table(t) => {
            for (k, v) in t {
                flatten(map, format!("{key}.{k}"), at, v, out)?;
            }
            Ok(())
        }
        other => Err(err(format!(
            "found {other}; expected a list of values or a range `{{ from = .., to = .., step = .. }}`"
        ))),
    }
}

/// The values of a `{ from, to, step }` range: integers when all three are integers, else
/// floats (`from + i × step`, up to `to` within a relative 1e-9).
pub fn range(t: &toml::Table) -> Result<Vec<toml::Value>, String> {
    if let Some(k) = t
        .keys()
        .find(|k| !matches!(k.as_str(), "from" | "to" | "step"))
    {
        return Err(format!(
            "unknown key `{k}` in a range; expected `from`, `to` and `step`"
        ));
    }
    let get = |k: &str| -> Result<&toml::Value, String> {
        t.get(k)
            .ok_or_else(|| format!("the range has no `{k}`; expected `from`, `to` and `step`"))
    };
    let (from, to, step) = (get("from")?, get("to")?, get("step")?);
    let num = |k: &str, v: &toml::Value| -> Result<f64, String> {
        match v {
            toml::Value::Integer(i) => Ok(*i as f64),
            toml::Value::Float(f) if f.is_finite() => Ok(*f),
            other => Err(format!("range `{k}`: found {other}; expected a number")),
        }
    };
    let (f, e, s) = (num("from", from)?, num("to", to)?, num("step", step)?);
    if s <= 0.0 {
        return Err(format!(
            "range `step`: found {step}; expected a positive number"
        ));
    }
    if e < f {
        return Err(format!(
            "range: `to` ({to}) is below `from` ({from}); expected from <= to"
        ));
    }
    let count = ((e - f) / s * (1.0 + 1e-9) + 1e-9).floor() + 1.0;
    if count > MAX_RANGE_VALUES as f64 {
        return Err(format!(
            "the range has {count} values; expected at most {MAX_RANGE_VALUES} (a larger step or a narrower range)"
        ));
    }
    let count = count as usize;
    Ok(match (from, step) {
        (toml::Value::Integer(a), toml::Value::Integer(d))
            if matches!(to, toml::Value::Integer(_)) =>
        {
            (0..count as i64)
                .map(|i| toml::Value::Integer(a + i * d))
                .collect()
        }
        _ => (0..count)
            .map(|i| {
                let x = f + i as f64 * s;
                // Round away binary noise (0.1 × 3 = 0.30000000000000004) at nine digits below
                // the step, so small steps keep their values.
                let k = 9 - s.log10().floor() as i32;
                let r = if k >= 0 {
                    let p = 10f64.powi(k);
                    (x * p).round() / p
                } else {
                    let p = 10f64.powi(-k);
                    (x / p).round() * p
                };
                toml::Value::Float(r)
            })
            .collect(),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SweepSpec, SweepError> {
        parse_str(Path::new("dir/s.toml"), text)
    }

    #[test]
    fn parameters_keep_file_order_and_ranges_expand() {
        let s = parse(
            "scenario = \"base.toml\"\nseeds = 3\n[parameters]\n\"z.b\" = [1, 2]\n\"a.c\" = { from = 10, to = 30, step = 10 }\n\"m.f\" = { from = 0.1, to = 0.3, step = 0.1 }\n",
        )
        .unwrap();
        assert_eq!(s.scenario, Path::new("dir/base.toml"));
        assert_eq!(s.seeds, 3);
        let names: Vec<&str> = s.parameters.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(names, ["z.b", "a.c", "m.f"]);
        assert_eq!(
            s.parameters[1].values,
            [10, 20, 30].map(toml::Value::Integer)
        );
        assert_eq!(
            s.parameters[2].values,
            [0.1, 0.2, 0.3].map(toml::Value::Float)
        );
    }

    #[test]
    fn small_float_steps_keep_their_values_and_overlapping_paths_are_refused() {
        let s = parse(
            "scenario = \"b.toml\"\n[parameters]\n\"p.x\" = { from = 0.0, to = 4e-10, step = 1e-10 }\n",
        )
        .unwrap();
        assert_eq!(
            s.parameters[0].values,
            [0.0, 1e-10, 2e-10, 3e-10, 4e-10].map(toml::Value::Float)
        );
        let e = parse(
            "scenario = \"b.toml\"\n[parameters]\n\"arm.a.capacity.max\" = [1]\n\"arm.a.capacity\" = [{ fixed = 2 }]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("overlaps `arm.a.capacity.max`"), "{e}");
    }

    #[test]
    fn unquoted_dotted_keys_are_paths_too() {
        let s = parse("scenario = \"b.toml\"\n[parameters]\narm.ec2.x = [1]\n").unwrap();
        assert_eq!(s.parameters[0].path, "arm.ec2.x");
        assert_eq!(s.seeds, 1);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_located() {
        let e = parse("scenario = \"b.toml\"\nseed = 3\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("dir/s.toml:2:1:") && e.contains("seed"),
            "{e}"
        );
        let e = parse("scenario = \"b.toml\"\nseeds = 0\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("dir/s.toml:2:9") && e.contains("positive"),
            "{e}"
        );
        let e = parse("scenario = \"b.toml\"\n[parameters]\n\"a.b\" = []\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains(":3:") && e.contains("empty"), "{e}");
        let e = parse(
            "scenario = \"b.toml\"\n[parameters]\n\"a.b\" = { from = 3, to = 1, step = 1 }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("below"), "{e}");
    }
}
