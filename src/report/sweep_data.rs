//! A sweep's results as the sweep plots need them, read back from sweep.csv and sweep.json
//! bytes (so `sim sweep`, `sim merge` and a later redraw all draw from the same files).

use serde::Deserialize;

/// Why sweep.csv or sweep.json could not be read as a sweep's results.
#[derive(Debug, thiserror::Error)]
pub enum SweepDataError {
    /// sweep.json is not sweep metadata.
    #[error("sweep.json: {0}; expected the metadata `sim sweep` writes")]
    Meta(String),
    /// sweep.csv is not CSV (or has a row of the wrong length).
    #[error("sweep.csv: {0}")]
    Csv(String),
    /// sweep.csv lacks a column.
    #[error("sweep.csv: no column `{0}` in the header; expected the columns `sim sweep` writes")]
    MissingColumn(String),
    /// sweep.csv's parameter columns are not sweep.json's parameters.
    #[error(
        "sweep.csv: parameter columns {found:?} differ from sweep.json's parameters {expected:?}"
    )]
    Parameters {
        /// The header's columns after `variant`.
        found: Vec<String>,
        /// sweep.json's parameters.
        expected: Vec<String>,
    },
    /// A cell that should hold a number (or nothing) does not.
    #[error(
        "sweep.csv line {line}: column `{column}`: found `{value}`; expected a number or an empty cell"
    )]
    Number {
        /// Line in the file (the header is line 1).
        line: usize,
        /// The column.
        column: String,
        /// The cell.
        value: String,
    },
}

/// One row of sweep.csv: a variant's statistics for one arm.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// The variant's index.
    pub variant: usize,
    /// The variant's parameter values (compact TOML, as in the file), in parameter order.
    pub values: Vec<String>,
    /// The arm.
    pub arm: String,
    /// The arm's launch type (`EC2`, `FARGATE`).
    pub launch_type: String,
    /// Mean cost over the seeds, USD.
    pub cost_mean: Option<f64>,
    /// 95% confidence half-width of the cost, USD (none with one seed).
    pub cost_ci95: Option<f64>,
    /// Mean p95 wait over the seeds, seconds.
    pub wait_p95_mean: Option<f64>,
    /// The variant's EC2 ÷ Fargate cost ratio (only with one EC2 and one FARGATE arm).
    pub ratio: Option<f64>,
    /// The arm's mean cost ÷ the variant's cheapest complete arm's (none in a sweep.csv
    /// written before the column existed).
    pub cost_vs_cheapest: Option<f64>,
    /// The variant's cheapest arm among those that ran every task (empty: none did, or the
    /// file has no `cheapest_arm` column).
    pub cheapest: String,
}

/// A sweep's results: its parameters and arms (from sweep.json) and sweep.csv's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepData {
    /// Parameters (dotted paths), in order.
    pub parameters: Vec<String>,
    /// Arm names, in scenario order (colour index = position).
    pub arms: Vec<String>,
    /// The rows, in file order (variant by variant, arms in order).
    pub rows: Vec<SweepRow>,
}

#[derive(Deserialize)]
struct Meta {
    parameters: Vec<String>,
    arms: Vec<String>,
}

impl SweepData {
    /// Read sweep.csv and sweep.json bytes.
    pub fn parse(sweep_csv: &[u8], sweep_json: &[u8]) -> Result<SweepData, SweepDataError> {
        let meta: Meta =
            serde_json::from_slice(sweep_json).map_err(|e| SweepDataError::Meta(e.to_string()))?;
        let mut r = csv::ReaderBuilder::new().from_reader(sweep_csv);
        let header: Vec<String> = r
            .headers()
            .map_err(|e| SweepDataError::Csv(e.to_string()))?
            .iter()
            .map(String::from)
            .collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| SweepDataError::MissingColumn(name.into()))
        };
        let variant = col("variant")?;
        let arm = col("arm")?;
        let launch = col("launch_type")?;
        let found = header
            .get(variant + 1..arm)
            .map(<[String]>::to_vec)
            .unwrap_or_default();
        if found != meta.parameters {
            return Err(SweepDataError::Parameters {
                found,
                expected: meta.parameters,
            });
        }
        let cost = col("cost_usd_mean")?;
        let cost_ci = col("cost_usd_ci95")?;
        let wait = col("wait_p95_s_mean")?;
        let ratio = col("ec2_fargate_cost_ratio")?;
        let cheapest = col("cheapest_arm").ok();
        let vs_cheapest = col("cost_vs_cheapest").ok();
        let mut rows = Vec::new();
        for (i, rec) in r.records().enumerate() {
            let rec = rec.map_err(|e| SweepDataError::Csv(e.to_string()))?;
            let line = i + 2;
            let cell = |c: usize| rec.get(c).unwrap_or("");
            let num = |c: usize| -> Result<Option<f64>, SweepDataError> {
                let v = cell(c);
                if v.is_empty() {
                    return Ok(None);
                }
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map(Some)
                    .ok_or_else(|| SweepDataError::Number {
                        line,
                        column: header[c].clone(),
                        value: v.into(),
                    })
            };
            let v = cell(variant);
            rows.push(SweepRow {
                variant: v.parse().map_err(|_| SweepDataError::Number {
                    line,
                    column: "variant".into(),
                    value: v.into(),
                })?,
                values: (variant + 1..arm).map(|c| cell(c).to_string()).collect(),
                arm: cell(arm).into(),
                launch_type: cell(launch).into(),
                cost_mean: num(cost)?,
                cost_ci95: num(cost_ci)?,
                wait_p95_mean: num(wait)?,
                ratio: num(ratio)?,
                cost_vs_cheapest: vs_cheapest.map_or(Ok(None), num)?,
                cheapest: cheapest.map_or_else(String::new, |c| cell(c).to_string()),
            });
        }
        Ok(SweepData {
            parameters: meta.parameters,
            arms: meta.arms,
            rows,
        })
    }

    /// The distinct values of parameter `p`, in order of first appearance (grid order).
    pub fn values_of(&self, p: usize) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.rows {
            if let Some(v) = r.values.get(p)
                && !out.contains(&v.as_str())
            {
                out.push(v);
            }
        }
        out
    }

    /// The row of `arm` in the variant whose parameter values are `values`.
    pub fn row(&self, arm: &str, values: &[&str]) -> Option<&SweepRow> {
        self.rows.iter().find(|r| {
            r.arm == arm
                && r.values
                    .iter()
                    .map(String::as_str)
                    .eq(values.iter().copied())
        })
    }

    /// The arms of launch type `launch`, in scenario order.
    pub fn arms_of(&self, launch: &str) -> Vec<&str> {
        self.arms
            .iter()
            .filter(|a| {
                self.rows
                    .iter()
                    .any(|r| &r.arm == *a && r.launch_type == launch)
            })
            .map(String::as_str)
            .collect()
    }

    /// Per row (aligned with [`SweepData::rows`]): for an EC2 arm, its mean cost ÷ the cheapest
    /// FARGATE arm's (any capacity provider strategy: Fargate, Fargate Spot or a mix) in the
    /// same variant; `None` for other arms, without both costs, or when that Fargate cost is
    /// zero. With one EC2 and one FARGATE arm this is sweep.csv's `ec2_fargate_cost_ratio`,
    /// taken as written; otherwise it is computed from the `cost_usd_mean` cells. Like that
    /// column, it does not ask whether the arms ran every task. One pass over the rows.
    pub fn ec2_vs_fargate(&self) -> Vec<Option<f64>> {
        let mut cheapest_fargate: std::collections::BTreeMap<usize, f64> = Default::default();
        for r in self.rows.iter().filter(|r| r.launch_type == "FARGATE") {
            if let Some(c) = r.cost_mean {
                let best = cheapest_fargate.entry(r.variant).or_insert(c);
                *best = best.min(c);
            }
        }
        self.rows
            .iter()
            .map(|r| {
                if r.launch_type != "EC2" {
                    return None;
                }
                if r.ratio.is_some() {
                    return r.ratio;
                }
                let f = *cheapest_fargate.get(&r.variant)?;
                (f > 0.0).then(|| r.cost_mean.map(|c| c / f))?
            })
            .collect()
    }

    /// The index in [`SweepData::rows`] of `arm`'s row in the variant whose parameter values
    /// are `values`.
    pub fn row_index(&self, arm: &str, values: &[&str]) -> Option<usize> {
        self.rows.iter().position(|r| {
            r.arm == arm
                && r.values
                    .iter()
                    .map(String::as_str)
                    .eq(values.iter().copied())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{"parameters": ["a.x", "b"], "arms": ["ec2", "fargate"], "other": 1}"#;

    fn csv(rows: &[&str]) -> Vec<u8> {
        let mut s = String::from(
            "variant,a.x,b,arm,launch_type,runs,cost_usd_mean,cost_usd_sd,cost_usd_ci95,wait_p95_s_mean,cheapest_arm,ec2_fargate_cost_ratio\n",
        );
        for r in rows {
            s.push_str(r);
            s.push('\n');
        }
        s.into_bytes()
    }

    #[test]
    fn reads_rows_and_distinct_values_in_grid_order() {
        let d = SweepData::parse(
            &csv(&[
                "0,2,\"[\"\"m5.large\"\"]\",ec2,EC2,3,1.5,0.1,0.2,30,ec2,0.75",
                "0,2,\"[\"\"m5.large\"\"]\",fargate,FARGATE,3,2.0,,,,ec2,0.75",
                "1,1,\"[\"\"m5.large\"\"]\",ec2,EC2,3,1.0,0.1,0.2,40,ec2,",
            ]),
            JSON.as_bytes(),
        )
        .unwrap();
        assert_eq!(d.parameters, ["a.x", "b"]);
        assert_eq!(d.arms, ["ec2", "fargate"]);
        assert_eq!(d.rows.len(), 3);
        assert_eq!(d.rows[0].values, ["2", "[\"m5.large\"]"]);
        assert_eq!(d.rows[1].cost_ci95, None);
        assert_eq!(d.rows[1].wait_p95_mean, None);
        assert_eq!(d.rows[0].ratio, Some(0.75));
        assert_eq!(d.rows[2].ratio, None);
        assert_eq!(
            d.rows[0].cost_vs_cheapest, None,
            "a file without the column"
        );
        assert_eq!(d.rows[1].launch_type, "FARGATE");
        assert_eq!(d.values_of(0), ["2", "1"]);
        assert_eq!(
            d.row("ec2", &["1", "[\"m5.large\"]"]).unwrap().cost_mean,
            Some(1.0)
        );
        assert!(d.row("fargate", &["1", "[\"m5.large\"]"]).is_none());
    }

    #[test]
    fn three_arms_compare_each_ec2_arm_with_the_cheapest_fargate_arm() {
        let json = r#"{"parameters": ["a.x"], "arms": ["ec2", "fargate", "spot"]}"#;
        let text = "variant,a.x,arm,launch_type,runs,cost_usd_mean,cost_usd_ci95,wait_p95_s_mean,cheapest_arm,ec2_fargate_cost_ratio,cost_vs_cheapest\n\
            0,1,ec2,EC2,2,6,,,spot,,1.5\n\
            0,1,fargate,FARGATE,2,5,,,spot,,1.25\n\
            0,1,spot,FARGATE,2,4,,,spot,,1\n\
            1,2,ec2,EC2,2,3,,,ec2,,1\n\
            1,2,fargate,FARGATE,2,,,,ec2,,\n\
            1,2,spot,FARGATE,2,0,,,ec2,,0\n";
        let d = SweepData::parse(text.as_bytes(), json.as_bytes()).unwrap();
        assert_eq!(d.arms_of("EC2"), ["ec2"]);
        assert_eq!(d.arms_of("FARGATE"), ["fargate", "spot"]);
        assert_eq!(d.rows[1].cost_vs_cheapest, Some(1.25));
        assert_eq!(d.rows[4].cost_vs_cheapest, None);
        assert_eq!(d.rows[2].launch_type, "FARGATE");
        // 6 ÷ 4 (the cheaper Fargate arm); a zero Fargate cost gives no ratio.
        assert_eq!(
            d.ec2_vs_fargate(),
            [Some(1.5), None, None, None, None, None]
        );
        assert_eq!(d.row_index("spot", &["2"]), Some(5));
        // With one arm of each, the file's ratio is taken as written.
        let two = "variant,a.x,arm,launch_type,runs,cost_usd_mean,cost_usd_ci95,wait_p95_s_mean,ec2_fargate_cost_ratio\n\
            0,1,ec2,EC2,2,1.000001,,,0.333333\n\
            0,1,fargate,FARGATE,2,3,,,0.333333\n";
        let json = r#"{"parameters": ["a.x"], "arms": ["ec2", "fargate"]}"#;
        let d = SweepData::parse(two.as_bytes(), json.as_bytes()).unwrap();
        assert_eq!(d.ec2_vs_fargate(), [Some(0.333333), None]);
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let err =
            SweepData::parse(&csv(&["0,2,3,ec2,EC2,3,abc,,,,,"]), JSON.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, SweepDataError::Number { line: 2, column, value } if column == "cost_usd_mean" && value == "abc"),
            "{err}"
        );
        assert!(matches!(
            SweepData::parse(&csv(&[]), b"{").unwrap_err(),
            SweepDataError::Meta(_)
        ));
        let other = r#"{"parameters": ["c"], "arms": []}"#;
        assert!(matches!(
            SweepData::parse(&csv(&[]), other.as_bytes()).unwrap_err(),
            SweepDataError::Parameters { .. }
        ));
        assert!(matches!(
            SweepData::parse(b"variant,a.x,b,arm\n", JSON.as_bytes()).unwrap_err(),
            SweepDataError::MissingColumn(c) if c == "launch_type"
        ));
        assert!(matches!(
            SweepData::parse(b"variant,a.x,b,arm,launch_type\n", JSON.as_bytes()).unwrap_err(),
            SweepDataError::MissingColumn(c) if c == "cost_usd_mean"
        ));
        assert!(matches!(
            SweepData::parse(&csv(&["0,2"]), JSON.as_bytes()).unwrap_err(),
            SweepDataError::Csv(_)
        ));
    }
}
