//! Setting one value in a scenario's TOML document by dotted path.
//!
//! Tables are walked by key; an array of named tables (`arm`, `workload.jobs`,
//! `workload.services`, `instance_type`, `arm.capacity_providers`, ...) is entered by the `name`
//! of one of its elements, which may itself contain dots (`instance_type.m5.large.vcpu`: the
//! longest name that matches wins). Any other list (of plain values, such as `instance_types`
//! and `availability_zones`, or of tables without a `name`, such as `placement_strategy`,
//! `placement_constraints` and `capacity_provider_strategy`) is a value: a path ends on it and
//! sets it whole. A key that is absent is created, tables on the way included: whether it is a
//! legal scenario key (and the value of the right shape) is for the scenario validation to
//! judge, which names it.

/// Set `path` in `doc` to `value`. The error says what in the path names nothing.
pub fn set_path(doc: &mut toml::Table, path: &str, value: toml::Value) -> Result<(), String> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!("`{path}` is not a dotted path (an empty segment)"));
    }
    let mut table = doc;
    let mut i = 0;
    loop {
        let key = segments[i];
        let walked = segments[..=i].join(".");
        if i + 1 == segments.len() {
            if let Some(toml::Value::Array(a)) = table.get(key)
                && named_tables(a)
            {
                return Err(format!(
                    "`{walked}` is a list of named tables; name one element and a key in it (`{walked}.<name>.<key>`)"
                ));
            }
            table.insert(key.to_string(), value);
            return Ok(());
        }
        let next = table
            .entry(key.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Array(a) = next
            && !a.is_empty()
            && a.iter().all(toml::Value::is_table)
            && !named_tables(a)
        {
            return Err(format!(
                "`{walked}` is a list of tables without names, so its elements have no path; expected the whole list as each value (`\"{walked}\" = [[{{ .. }}], [{{ .. }}]]`)"
            ));
        }
        let table_array = matches!(next, toml::Value::Array(a) if named_tables(a));
        if !table_array && !next.is_table() {
            return Err(format!(
                "`{walked}` is {}, not a table, so it has no key `{}`",
                kind(next),
                segments[i + 1]
            ));
        }
        match next {
            toml::Value::Table(t) => {
                table = t;
                i += 1;
            }
            toml::Value::Array(a) => {
                let rest = &segments[i + 1..];
                // The longest element name that leaves at least one key after it.
                let found = (1..rest.len()).rev().find_map(|k| {
                    let name = rest[..k].join(".");
                    a.iter()
                        .position(|e| e.get("name").and_then(toml::Value::as_str) == Some(&name))
                        .map(|p| (p, k))
                });
                let Some((p, k)) = found else {
                    let names: Vec<&str> = a
                        .iter()
                        .filter_map(|e| e.get("name").and_then(toml::Value::as_str))
                        .collect();
                    return Err(if rest.len() < 2 {
                        format!("`{walked}` is a list of tables; expected `{walked}.<name>.<key>`")
                    } else {
                        format!(
                            "no `{walked}` named `{}`; the scenario has {}",
                            rest[0],
                            if names.is_empty() {
                                "no named ones".to_string()
                            } else {
                                names
                                    .iter()
                                    .map(|n| format!("`{n}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            }
                        )
                    });
                };
                let Some(t) = a[p].as_table_mut() else {
                    unreachable!("every element is a table");
                };
                table = t;
                i += 1 + k;
            }
            _ => unreachable!("checked above: a table or a list of tables"),
        }
    }
}

/// Whether `a` is an array of tables entered by element name (`arm`, `workload.jobs`, ...):
/// every element a table and at least one with a `name`. A list of tables without names
/// (`placement_strategy`, `capacity_provider_strategy`, ...) is set whole instead.
fn named_tables(a: &[toml::Value]) -> bool {
    !a.is_empty()
        && a.iter().all(toml::Value::is_table)
        && a.iter()
            .any(|e| e.get("name").is_some_and(toml::Value::is_str))
}

fn kind(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a float",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date-time",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"
seed = 1
[workload]
[[workload.jobs]]
name = "etl"
arrival = { poisson = { per_hour = 60 } }
[[arm]]
name = "ec2-m5"
capacity = { fixed = 3 }
capacity_providers = [{ name = "od", weight = 1 }, { name = "spot", weight = 2 }]
placement_strategy = [{ type = "binpack", field = "memory" }]
placement_constraints = [{ type = "distinctInstance" }]
capacity_provider_strategy = [{ provider = "od", weight = 1 }]
availability_zones = ["us-east-1a", "us-east-1b"]
instance_types = ["m5.large"]
[[arm]]
name = "fargate"
[[instance_type]]
name = "x1.big"
vcpu = 4
"#;

    fn doc() -> toml::Table {
        toml::from_str(DOC).unwrap()
    }

    fn set(path: &str, v: toml::Value) -> Result<toml::Table, String> {
        let mut d = doc();
        set_path(&mut d, path, v)?;
        Ok(d)
    }

    #[test]
    fn tables_and_named_array_elements_are_addressed() {
        let d = set("workload.jobs.etl.arrival.poisson.per_hour", 120.into()).unwrap();
        assert_eq!(
            d["workload"]["jobs"][0]["arrival"]["poisson"]["per_hour"].as_integer(),
            Some(120)
        );
        let d = set("arm.fargate.task_start_latency", "5s".into()).unwrap();
        assert_eq!(d["arm"][1]["task_start_latency"].as_str(), Some("5s"));
        assert!(d["arm"][0].get("task_start_latency").is_none());
        let d = set("arm.ec2-m5.capacity_providers.spot.weight", 5.into()).unwrap();
        assert_eq!(
            d["arm"][0]["capacity_providers"][1]["weight"].as_integer(),
            Some(5)
        );
        assert_eq!(
            d["arm"][0]["capacity_providers"][0]["weight"].as_integer(),
            Some(1)
        );
        // A name with dots: the longest match.
        let d = set("instance_type.x1.big.vcpu", 8.into()).unwrap();
        assert_eq!(d["instance_type"][0]["vcpu"].as_integer(), Some(8));
        let d = set("seed", 7.into()).unwrap();
        assert_eq!(d["seed"].as_integer(), Some(7));
    }

    /// The value of `toml` (one TOML value, as written in a sweep file).
    fn value(toml: &str) -> toml::Value {
        let t: toml::Table = toml::from_str(&format!("v = {toml}")).unwrap();
        t["v"].clone()
    }

    #[test]
    fn lists_of_unnamed_tables_and_of_plain_values_are_set_whole() {
        for (key, v) in [
            (
                "placement_strategy",
                r#"[{ type = "spread", field = "instanceId" }, { type = "random" }]"#,
            ),
            (
                "placement_constraints",
                r#"[{ type = "memberOf", expression = "attribute:ecs.instance-type =~ m5.*" }]"#,
            ),
            (
                "capacity_provider_strategy",
                r#"[{ provider = "spot", weight = 3 }, { provider = "od", base = 1 }]"#,
            ),
            ("availability_zones", r#"["us-east-1c"]"#),
            ("instance_types", r#"["c5.large", "m5.large"]"#),
            ("placement_strategy", "[]"),
        ] {
            let d = set(&format!("arm.ec2-m5.{key}"), value(v)).unwrap();
            assert_eq!(d["arm"][0][key], value(v), "{key}");
            assert!(d["arm"][1].get(key).is_none(), "{key}");
        }
        // Absent in the base: created whole as well.
        let d = set(
            "arm.fargate.placement_strategy",
            value(r#"[{ type = "random" }]"#),
        )
        .unwrap();
        assert_eq!(
            d["arm"][1]["placement_strategy"],
            value(r#"[{ type = "random" }]"#)
        );
    }

    #[test]
    fn absent_keys_are_created_for_the_validation_to_judge() {
        let d = set(
            "arm.ec2-m5.capacity.managed_scaling.target_capacity",
            80.into(),
        )
        .unwrap();
        assert_eq!(
            d["arm"][0]["capacity"]["managed_scaling"]["target_capacity"].as_integer(),
            Some(80)
        );
        assert_eq!(d["arm"][0]["capacity"]["fixed"].as_integer(), Some(3));
    }

    #[test]
    fn paths_that_name_nothing_are_refused() {
        let e = set("arm.ec2-c5.capacity.fixed", 1.into()).unwrap_err();
        assert!(
            e.contains("no `arm` named `ec2-c5`") && e.contains("`ec2-m5`, `fargate`"),
            "{e}"
        );
        let e = set("arm.launch_type", 1.into()).unwrap_err();
        assert!(e.contains("list of tables"), "{e}");
        let e = set("arm", 1.into()).unwrap_err();
        assert!(e.contains("list of named tables"), "{e}");
        let e = set("arm.ec2-m5.capacity_providers", toml::Value::Array(vec![])).unwrap_err();
        assert!(e.contains("list of named tables"), "{e}");
        let e = set("arm.ec2-m5.placement_strategy.binpack.field", "cpu".into()).unwrap_err();
        assert!(
            e.contains("`arm.ec2-m5.placement_strategy` is a list of tables without names"),
            "{e}"
        );
        assert!(e.contains("the whole list"), "{e}");
        let e = set("seed.x", 1.into()).unwrap_err();
        assert!(e.contains("`seed` is an integer, not a table"), "{e}");
        let e = set("a..b", 1.into()).unwrap_err();
        assert!(e.contains("empty segment"), "{e}");
    }
}
