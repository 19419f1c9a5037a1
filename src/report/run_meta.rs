//! What run.json says about a run, read back for report.html's provenance.

use serde_json::Value;

use super::run_data_error::RunDataError;

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
    /// run.json's `prices` (each `{item, usd, list_usd, unit, origin, uncertain}`), when there.
    pub prices: Vec<Value>,
}

impl RunMeta {
    /// Read run.json's bytes.
    pub fn parse(bytes: &[u8]) -> Result<RunMeta, RunDataError> {
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
            prices: v
                .get("prices")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        })
    }
}
