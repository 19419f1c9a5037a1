//! Reading an ECS task-definition JSON file (RegisterTaskDefinition input or
//! `describe-task-definition` output) into a [`TaskDefinition`], sized as ECS sizes a task
//! (docs/reference/ecs-facts.md §2.2). The caller reads the file; this parses its text. The rules
//! are in docs/model.md §17.

mod audit;

use serde_json::{Map, Value};

use crate::model::task_definition::MAX_STOP_TIMEOUT_SECS;
use crate::model::{Architecture, FargateSizes, NetworkMode, Os, TaskDefinition};
use crate::scenario::size::{MIN_MEMORY_MIB, Resource, Size, parse_text, slip_hint};

/// A task definition that cannot be used: the JSON field at fault and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: `{field}`: {message}")]
pub struct TaskDefinitionError {
    /// The JSON file, as the scenario names it.
    pub file: String,
    /// The field, as a JSON path (`containerDefinitions[1].memory`); `(file)` for the whole.
    pub field: String,
    /// What was found and what was expected.
    pub message: String,
}

type R<T> = Result<T, TaskDefinitionError>;

/// Largest CPU a task may ask for (as a scenario's `cpu`).
const MAX_CPU: u64 = 1 << 24;
/// Largest memory a task may ask for, MiB (as a scenario's `memory`).
const MAX_MEMORY: u64 = 1 << 26;

struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, field: &str, message: impl Into<String>) -> TaskDefinitionError {
        TaskDefinitionError {
            file: self.file.to_string(),
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// A size from a JSON number or string, in the forms of `crate::scenario::size`:
    /// `1024`, `"1024"`, `"1 vCPU"`, `"0.25 vcpu"` for CPU; `"2048"`, `"2 GB"`, `"0.5GB"` for
    /// memory.
    fn units(&self, v: &Value, field: &str, r: Resource, max: u64) -> R<Size> {
        let size = match v {
            Value::Number(n) => match n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|x| *x >= 0.0 && x.fract() == 0.0 && *x <= max as f64)
                    .map(|x| x as u64)
            }) {
                Some(value) => Size { value, plain: true },
                None => {
                    return Err(self.err(
                        field,
                        format!(
                            "found {v}, which is not a whole number; expected {}",
                            r.forms()
                        ),
                    ));
                }
            },
            Value::String(s) => parse_text(s, r).map_err(|m| self.err(field, m))?,
            other => {
                return Err(self.err(field, format!("found {other}; expected {}", r.forms())));
            }
        };
        if size.value > max {
            return Err(self.err(field, format!("found {v}; expected at most {max}")));
        }
        Ok(size)
    }

    /// An optional integer field of `obj`.
    fn int(&self, obj: &Map<String, Value>, key: &str, at: &str, max: u64) -> R<Option<u64>> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.as_u64().is_some_and(|x| x <= max) => Ok(n.as_u64()),
            Some(other) => Err(self.err(
                &format!("{at}{key}"),
                format!("found {other}; expected an integer in 0..={max}"),
            )),
        }
    }
}

/// Parse and size the task definition in `text`; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<TaskDefinition, TaskDefinitionError> {
    let c = Ctx { file };
    let root: Value = serde_json::from_str(text).map_err(|e| {
        c.err(
            "(file)",
            format!(
                "not valid JSON at line {}, column {}: {e}; expected an ECS task definition",
                e.line(),
                e.column()
            ),
        )
    })?;
    let top = match &root {
        Value::Object(o) => o,
        other => {
            return Err(c.err(
                "(file)",
                format!(
                    "found {}; expected a JSON object (a task definition, or {{ \"taskDefinition\": {{...}} }})",
                    kind(other)
                ),
            ));
        }
    };
    // `describe-task-definition` wraps the definition; RegisterTaskDefinition input is bare.
    let (td, at) = match top.get("taskDefinition") {
        Some(Value::Object(o)) => (o, "taskDefinition."),
        Some(other) => {
            return Err(c.err(
                "taskDefinition",
                format!("found {}; expected an object", kind(other)),
            ));
        }
        None => (top, ""),
    };
    let path = |k: &str| format!("{at}{k}");
    let audit::Audit {
        mut warnings,
        compatibilities,
        os,
    } = audit::check(&c, td, at)?;
    let family = match td.get("family") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(other) => {
            return Err(c.err(
                &path("family"),
                format!("found {other}; expected a non-empty string"),
            ));
        }
    };
    let task_cpu = match td.get("cpu") {
        None | Some(Value::Null) => None,
        Some(v) => Some(c.units(v, &path("cpu"), Resource::Cpu, MAX_CPU)?),
    };
    let task_memory = match td.get("memory") {
        None | Some(Value::Null) => None,
        Some(v) => Some(c.units(v, &path("memory"), Resource::Memory, MAX_MEMORY)?),
    };
    for (field, size, r) in [
        ("cpu", task_cpu, Resource::Cpu),
        ("memory", task_memory, Resource::Memory),
    ] {
        let Some(size) = size else { continue };
        let hint = size.plain.then(|| slip_hint(size.value, r)).flatten();
        if r == Resource::Memory && size.value < MIN_MEMORY_MIB {
            return Err(c.err(
                &path(field),
                format!(
                    "found {} MiB; expected at least {MIN_MEMORY_MIB} MiB, the least memory Docker gives a container (docs/reference/ecs-facts.md §2.2){}",
                    size.value,
                    hint.map_or(String::new(), |h| format!("; {h}"))
                ),
            ));
        }
        if let Some(h) = hint {
            warnings.push(format!("`{}` = {}: {h}", path(field), size.value));
        }
    }
    let task_cpu = task_cpu.map(|s| s.value);
    let task_memory = task_memory.map(|s| s.value);
    let network_mode = match td.get("networkMode") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(match s.as_str() {
            "awsvpc" => NetworkMode::Awsvpc,
            "bridge" => NetworkMode::Bridge,
            "host" => NetworkMode::Host,
            other => {
                return Err(c.err(
                    &path("networkMode"),
                    format!("found \"{other}\"; expected \"awsvpc\", \"bridge\" or \"host\" (sim does not model \"none\")"),
                ));
            }
        }),
        Some(other) => {
            return Err(c.err(
                &path("networkMode"),
                format!("found {other}; expected a string"),
            ));
        }
    };
    let containers = match td.get("containerDefinitions") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(c.err(
                &path("containerDefinitions"),
                format!("found {}; expected an array", kind(other)),
            ));
        }
    };
    if containers.is_empty() && (task_cpu.is_none() || task_memory.is_none()) {
        return Err(c.err(
            &path("containerDefinitions"),
            "no containers, and no task-level `cpu` and `memory`; expected at least one container definition",
        ));
    }
    let (mut cpu_sum, mut memory_sum) = (0u64, 0u64);
    let mut host_ports: Vec<u16> = Vec::new();
    let mut stop_timeout_secs: Option<u32> = None;
    for (i, cv) in containers.iter().enumerate() {
        let at_c = format!("{at}containerDefinitions[{i}].");
        let Value::Object(cd) = cv else {
            return Err(c.err(
                &format!("{at}containerDefinitions[{i}]"),
                format!("found {}; expected an object", kind(cv)),
            ));
        };
        match cd.get("stopTimeout") {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|x| x <= MAX_STOP_TIMEOUT_SECS) => {
                let t = n.as_u64().unwrap_or(0) as u32;
                stop_timeout_secs = Some(stop_timeout_secs.map_or(t, |m| m.max(t)));
            }
            Some(other) => {
                return Err(c.err(
                    &format!("{at_c}stopTimeout"),
                    format!("found {other}; expected whole seconds in 0..={MAX_STOP_TIMEOUT_SECS} (\"`stopTimeout` max 120 s on Fargate\", docs/reference/ecs-facts.md §1.6)"),
                ));
            }
        }
        cpu_sum += c.int(cd, "cpu", &at_c, MAX_CPU)?.unwrap_or(0);
        let hard = c.int(cd, "memory", &at_c, MAX_MEMORY)?;
        let soft = c.int(cd, "memoryReservation", &at_c, MAX_MEMORY)?;
        if let (Some(h), Some(s)) = (hard, soft)
            && h <= s
        {
            return Err(c.err(
                &format!("{at_c}memory"),
                format!("found {h} with memoryReservation {s}; expected memory > memoryReservation (the hard limit above the soft one, docs/reference/ecs-facts.md §2.2)"),
            ));
        }
        if let Some(h) = hard {
            if h < MIN_MEMORY_MIB {
                return Err(c.err(
                    &format!("{at_c}memory"),
                    format!("found {h}; expected at least {MIN_MEMORY_MIB} MiB, the least memory Docker gives a container (docs/reference/ecs-facts.md §2.2)"),
                ));
            }
            if let Some(t) = task_memory
                && h > t
            {
                return Err(c.err(
                    &format!("{at_c}memory"),
                    format!("found {h} MiB, more than the task's `memory` ({t} MiB); ECS refuses it (\"The total amount of memory reserved for all containers within a task must be lower than the task memory value\", ContainerDefinition `memory`, docs/model.md §17.3); expected at most {t} MiB"),
                ));
            }
        }
        match soft.or(hard) {
            Some(m) => memory_sum += m,
            None if task_memory.is_none() => {
                return Err(c.err(
                    &format!("{at_c}memory"),
                    "no `memory` or `memoryReservation`, and no task-level `memory`; expected one of them (on EC2, task-level or container-level memory is required, docs/reference/ecs-facts.md §2.2)",
                ));
            }
            None => {}
        }
        let mappings = match cd.get("portMappings") {
            None | Some(Value::Null) => &Vec::new(),
            Some(Value::Array(a)) => a,
            Some(other) => {
                return Err(c.err(
                    &format!("{at_c}portMappings"),
                    format!("found {}; expected an array", kind(other)),
                ));
            }
        };
        for (k, pm) in mappings.iter().enumerate() {
            let at_p = format!("{at_c}portMappings[{k}].");
            let Value::Object(pm) = pm else {
                return Err(c.err(
                    &format!("{at_c}portMappings[{k}]"),
                    format!("found {}; expected an object", kind(pm)),
                ));
            };
            let container_port = c.int(pm, "containerPort", &at_p, 65535)?;
            let host_port = c.int(pm, "hostPort", &at_p, 65535)?;
            // bridge: hostPort omitted or 0 is a dynamic port (no conflict); host and awsvpc:
            // the host port is the container port (docs/reference/ecs-facts.md §2.5).
            let port = match (network_mode.unwrap_or(NetworkMode::Bridge), host_port) {
                (_, Some(h)) if h > 0 => Some(h),
                (NetworkMode::Bridge, _) => None,
                (_, _) => container_port.filter(|&p| p > 0),
            };
            if let Some(p) = port {
                let p = p as u16;
                if host_ports.contains(&p) {
                    return Err(c.err(
                        &format!("{at_p}hostPort"),
                        format!("host port {p} is mapped twice; expected distinct host ports"),
                    ));
                }
                host_ports.push(p);
            }
        }
    }
    if let Some(t) = task_memory
        && memory_sum > t
    {
        return Err(c.err(
            &path("containerDefinitions"),
            format!("the containers reserve {memory_sum} MiB (memoryReservation, else memory), more than the task's `memory` ({t} MiB); ECS refuses it (\"The total amount of memory reserved for all containers within a task must be lower than the task memory value\", docs/model.md §17.3); expected at most {t} MiB in all"),
        ));
    }
    let cpu_units = task_cpu.unwrap_or(cpu_sum).max(1);
    let memory_mib = task_memory.unwrap_or(memory_sum);
    if memory_mib == 0 {
        return Err(c.err(
            &path("memory"),
            "the task reserves 0 MiB; expected a positive memory",
        ));
    }
    if cpu_units > MAX_CPU || memory_mib > MAX_MEMORY {
        return Err(c.err(
            "containerDefinitions",
            format!("the containers sum to {cpu_units} CPU units and {memory_mib} MiB; expected at most {MAX_CPU} and {MAX_MEMORY}"),
        ));
    }
    let mut member_of = Vec::new();
    match td.get("placementConstraints") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for (i, pc) in list.iter().enumerate() {
                let at_pc = format!("{at}placementConstraints[{i}]");
                let kind_of = pc.get("type").and_then(Value::as_str);
                let expression = pc.get("expression").and_then(Value::as_str);
                match (kind_of, expression) {
                    (Some("memberOf"), Some(e)) => member_of.push(e.to_string()),
                    (Some("memberOf"), None) => {
                        return Err(c.err(
                            &format!("{at_pc}.expression"),
                            "missing; expected a cluster query language expression",
                        ));
                    }
                    _ => {
                        return Err(c.err(
                            &format!("{at_pc}.type"),
                            format!("found {}; expected \"memberOf\" (the only type a task definition takes, docs/reference/ecs-facts.md §4.4)", pc.get("type").unwrap_or(&Value::Null)),
                        ));
                    }
                }
            }
        }
        Some(other) => {
            return Err(c.err(
                &path("placementConstraints"),
                format!("found {}; expected an array", kind(other)),
            ));
        }
    }
    let cpu_architecture = match td
        .get("runtimePlatform")
        .and_then(|r| r.get("cpuArchitecture"))
    {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s == "X86_64" => Some(Architecture::X86_64),
        Some(Value::String(s)) if s == "ARM64" => Some(Architecture::Arm64),
        Some(other) => {
            return Err(c.err(
                &path("runtimePlatform.cpuArchitecture"),
                format!("found {other}; expected \"X86_64\" or \"ARM64\""),
            ));
        }
    };
    let storage_gib = match td.get("ephemeralStorage") {
        None | Some(Value::Null) => None,
        Some(Value::Object(es)) => {
            match c.int(es, "sizeInGiB", &path("ephemeralStorage."), 200)? {
                Some(g) if g >= 21 => Some(g as u32),
                Some(g) => {
                    return Err(c.err(
                        &path("ephemeralStorage.sizeInGiB"),
                        format!("found {g}; expected 21..=200 (docs/reference/ecs-facts.md §1.2)"),
                    ));
                }
                None => None,
            }
        }
        Some(other) => {
            return Err(c.err(
                &path("ephemeralStorage"),
                format!("found {}; expected an object", kind(other)),
            ));
        }
    };
    let task_level_size = task_cpu.is_some() && task_memory.is_some();
    let fargate = td
        .get("requiresCompatibilities")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("FARGATE")));
    if fargate {
        if !task_level_size {
            return Err(c.err(
                &path(if task_cpu.is_none() { "cpu" } else { "memory" }),
                "missing; `requiresCompatibilities` has FARGATE, which requires task-level `cpu` and `memory` (docs/reference/ecs-facts.md §1.1)",
            ));
        }
        let windows = os == Some(Os::Windows);
        let valid = FargateSizes::for_os(os.unwrap_or_default())
            .sizes()
            .iter()
            .any(|s| u64::from(s.cpu_units) == cpu_units && u64::from(s.memory_mib) == memory_mib);
        if !valid && windows {
            return Err(c.err(
                &path("cpu"),
                format!("{cpu_units} CPU units with {memory_mib} MiB is not a valid Fargate size for Windows (ECS refuses it); expected cpu 1024 with 2–8 GB, 2048 with 4–16 GB or 4096 with 8–30 GB, in 1 GB steps (docs/reference/pricing.md §1.5)"),
            ));
        }
        if !valid {
            return Err(c.err(
                &path("cpu"),
                format!("{cpu_units} CPU units with {memory_mib} MiB is not a valid Fargate size (ECS refuses it: \"Invalid 'cpu' setting for task\"); expected a pair of docs/reference/ecs-facts.md §1.1 (`sim catalog fargate-sizes`)"),
            ));
        }
    }
    Ok(TaskDefinition {
        family,
        cpu_units: cpu_units as u32,
        memory_mib: memory_mib as u32,
        network_mode,
        host_ports,
        member_of,
        cpu_architecture,
        os,
        storage_gib,
        task_level_size,
        compatibilities,
        warnings,
        stop_timeout_secs,
    })
}

/// A JSON value's kind, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> TaskDefinition {
        parse("td.json", text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn err(text: &str) -> String {
        parse("td.json", text).unwrap_err().to_string()
    }

    #[test]
    fn task_level_size_wins_in_every_spelling() {
        let t = ok(r#"{"family":"web","cpu":"1 vCPU","memory":"2 GB",
            "containerDefinitions":[{"name":"a","cpu":128,"memory":256}]}"#);
        assert_eq!((t.cpu_units, t.memory_mib), (1024, 2048));
        assert!(t.task_level_size);
        assert_eq!(t.family.as_deref(), Some("web"));
        let t = ok(r#"{"cpu":"256","memory":"512","containerDefinitions":[{"memory":8}]}"#);
        assert_eq!((t.cpu_units, t.memory_mib), (256, 512));
        let t = ok(r#"{"cpu":512,"memory":1024,"containerDefinitions":[]}"#);
        assert_eq!((t.cpu_units, t.memory_mib), (512, 1024));
        let t = ok(r#"{"cpu":512.0,"memory":1024,"containerDefinitions":[]}"#);
        assert_eq!((t.cpu_units, t.memory_mib), (512, 1024));
        assert!(
            err(r#"{"cpu":512.5,"memory":1024}"#)
                .contains("`cpu`: found 512.5, which is not a whole number")
        );
        let t = ok(r#"{"cpu":"0.25 vcpu","memory":"0.5GB","containerDefinitions":[{}]}"#);
        assert_eq!((t.cpu_units, t.memory_mib), (256, 512));
    }

    #[test]
    fn describe_output_is_unwrapped() {
        let t = ok(
            r#"{"taskDefinition":{"family":"x","cpu":"2048","memory":"4096",
            "containerDefinitions":[{"name":"a"}]}}"#,
        );
        assert_eq!((t.cpu_units, t.memory_mib), (2048, 4096));
        assert!(
            err(r#"{"taskDefinition":{"cpu":"lots","memory":"1"}}"#)
                .starts_with("td.json: `taskDefinition.cpu`: found \"lots\"")
        );
    }

    #[test]
    fn without_task_level_the_containers_are_summed() {
        // ecs-facts §2.2: memoryReservation if set, else memory; cpu summed, missing = 0.
        let t = ok(r#"{"containerDefinitions":[
            {"name":"app","cpu":256,"memory":300,"memoryReservation":128},
            {"name":"sidecar","memory":64},
            {"name":"log","cpu":0,"memoryReservation":32}]}"#);
        assert_eq!((t.cpu_units, t.memory_mib), (256, 128 + 64 + 32));
        assert!(!t.task_level_size);
        // Task-level memory alone: cpu still from containers; containers may omit memory.
        let t = ok(r#"{"memory":"1024","containerDefinitions":[{"cpu":100},{"cpu":28}]}"#);
        assert_eq!((t.cpu_units, t.memory_mib), (128, 1024));
        // No cpu anywhere: 1 unit (sim's minimum).
        let t = ok(r#"{"containerDefinitions":[{"memory":512}]}"#);
        assert_eq!(t.cpu_units, 1);
    }

    #[test]
    fn memory_rules_are_enforced() {
        assert!(err(r#"{"containerDefinitions":[{"memory":512},{"cpu":5}]}"#).contains(
            "`containerDefinitions[1].memory`: no `memory` or `memoryReservation`, and no task-level `memory`"
        ));
        assert!(
            err(r#"{"containerDefinitions":[{"memory":128,"memoryReservation":128}]}"#)
                .contains("expected memory > memoryReservation")
        );
        assert!(
            err(r#"{"containerDefinitions":[{"memory":"512"}]}"#)
                .contains("`containerDefinitions[0].memory`: found \"512\"; expected an integer")
        );
        assert!(err(r#"{"cpu":"1.5 GB","memory":"1"}"#).contains("`cpu`: found \"1.5 GB\""));
        assert!(
            err(r#"{"cpu":"100.5","memory":"1","containerDefinitions":[{}]}"#)
                .contains("which is not a whole number of CPU units")
        );
        assert!(err("[1]").contains("`(file)`: found an array; expected a JSON object"));
        assert!(err("{").contains("`(file)`: not valid JSON at line 1"));
    }

    #[test]
    fn ports_follow_the_network_mode() {
        let bridge = ok(r#"{"containerDefinitions":[{"memory":64,"portMappings":[
            {"containerPort":80,"hostPort":8080},{"containerPort":81},{"containerPort":82,"hostPort":0}]}]}"#);
        assert_eq!(
            bridge.host_ports,
            vec![8080],
            "bridge: 0 or no hostPort is dynamic"
        );
        assert_eq!(bridge.network_mode, None);
        let host = ok(
            r#"{"networkMode":"host","containerDefinitions":[{"memory":64,"portMappings":[
            {"containerPort":80},{"containerPort":443,"hostPort":443}]}]}"#,
        );
        assert_eq!(host.host_ports, vec![80, 443]);
        assert_eq!(host.network_mode, Some(NetworkMode::Host));
        assert!(err(r#"{"networkMode":"host","containerDefinitions":[{"memory":64,"portMappings":[{"containerPort":80}]},{"memory":64,"portMappings":[{"containerPort":80}]}]}"#)
            .contains("`containerDefinitions[1].portMappings[0].hostPort`: host port 80 is mapped twice"));
        assert!(
            err(r#"{"networkMode":"none","containerDefinitions":[{"memory":64}]}"#)
                .contains("`networkMode`: found \"none\"")
        );
    }

    #[test]
    fn constraints_platform_and_storage() {
        let t = ok(r#"{"containerDefinitions":[{"memory":64}],
            "placementConstraints":[{"type":"memberOf","expression":"attribute:ecs.instance-type =~ m5.*"}],
            "runtimePlatform":{"cpuArchitecture":"ARM64","operatingSystemFamily":"LINUX"},
            "ephemeralStorage":{"sizeInGiB":50}}"#);
        assert_eq!(t.member_of, vec!["attribute:ecs.instance-type =~ m5.*"]);
        assert_eq!(t.cpu_architecture, Some(Architecture::Arm64));
        assert_eq!(t.storage_gib, Some(50));
        assert!(err(r#"{"containerDefinitions":[{"memory":64}],"placementConstraints":[{"type":"distinctInstance"}]}"#)
            .contains("`placementConstraints[0].type`: found \"distinctInstance\"; expected \"memberOf\""));
        assert!(
            err(r#"{"containerDefinitions":[{"memory":64}],"ephemeralStorage":{"sizeInGiB":20}}"#)
                .contains("`ephemeralStorage.sizeInGiB`: found 20; expected 21..=200")
        );
        assert!(err(r#"{"containerDefinitions":[{"memory":64}],"runtimePlatform":{"cpuArchitecture":"arm64"}}"#)
            .contains("expected \"X86_64\" or \"ARM64\""));
    }

    #[test]
    fn fargate_needs_a_valid_task_level_pair() {
        let t = ok(
            r#"{"requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024","containerDefinitions":[{"name":"a"}]}"#,
        );
        assert_eq!((t.cpu_units, t.memory_mib), (512, 1024));
        assert!(err(r#"{"requiresCompatibilities":["FARGATE"],"cpu":"512","containerDefinitions":[{"memory":64}]}"#)
            .contains("`memory`: missing; `requiresCompatibilities` has FARGATE"));
        assert!(err(r#"{"requiresCompatibilities":["EC2","FARGATE"],"cpu":"1024","memory":"1024","containerDefinitions":[{}]}"#)
            .contains("1024 CPU units with 1024 MiB is not a valid Fargate size"));
    }

    #[test]
    fn windows_families_map_to_windows_and_others_are_refused() {
        for os in ["WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2022_CORE"] {
            let t = ok(&format!(
                r#"{{"cpu":"1 vCPU","memory":"2 GB","containerDefinitions":[{{}}],"runtimePlatform":{{"operatingSystemFamily":"{os}"}}}}"#
            ));
            assert_eq!(t.os, Some(Os::Windows), "{os}");
        }
        assert!(err(r#"{"containerDefinitions":[{"memory":64}],"runtimePlatform":{"operatingSystemFamily":"MACOS"}}"#)
            .contains("`runtimePlatform.operatingSystemFamily`: found \"MACOS\"; expected \"LINUX\" or a \"WINDOWS_SERVER_*\" family"));
        let t = ok(
            r#"{"containerDefinitions":[{"memory":64}],"runtimePlatform":{"operatingSystemFamily":"LINUX"}}"#,
        );
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        assert_eq!(t.os, Some(Os::Linux));
        assert_eq!(ok(r#"{"containerDefinitions":[{"memory":64}]}"#).os, None);
        // A Fargate Windows task definition must have a Windows size: 0.5 vCPU is Linux only.
        let e = err(
            r#"{"requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024","containerDefinitions":[{}],"runtimePlatform":{"operatingSystemFamily":"WINDOWS_SERVER_2022_FULL"}}"#,
        );
        assert!(
            e.contains("512 CPU units with 1024 MiB is not a valid Fargate size for Windows"),
            "{e}"
        );
        let t = ok(
            r#"{"requiresCompatibilities":["FARGATE"],"cpu":"1024","memory":"2048","containerDefinitions":[{}],"runtimePlatform":{"operatingSystemFamily":"WINDOWS_SERVER_2022_FULL"}}"#,
        );
        assert_eq!(
            (t.cpu_units, t.memory_mib, t.os),
            (1024, 2048, Some(Os::Windows))
        );
    }

    #[test]
    fn fields_that_would_change_placement_are_refused() {
        assert!(err(r#"{"containerDefinitions":[{"memory":64,"resourceRequirements":[{"type":"GPU","value":"1"}]}]}"#)
            .contains("`containerDefinitions[0].resourceRequirements[0].type`: found \"GPU\"; GPUs are not modelled"));
        assert!(err(r#"{"containerDefinitions":[{"memory":64}],"inferenceAccelerators":[{"deviceName":"d","deviceType":"eia2.medium"}]}"#)
            .contains("`inferenceAccelerators`: inference accelerators are not modelled"));
        assert!(err(r#"{"networkMode":"host","containerDefinitions":[{"memory":64,"portMappings":[{"containerPortRange":"8000-8099"}]}]}"#)
            .contains("`containerDefinitions[0].portMappings[0].containerPortRange`: port ranges are not modelled"));
        assert!(
            err(r#"{"requiresCompatibilities":["EC3"],"containerDefinitions":[{"memory":64}]}"#)
                .contains("`requiresCompatibilities[0]`: found \"EC3\"")
        );
        let t = ok(
            r#"{"requiresCompatibilities":["EC2","EXTERNAL"],"containerDefinitions":[{"memory":64}],"inferenceAccelerators":[]}"#,
        );
        assert_eq!(t.compatibilities, vec!["EC2", "EXTERNAL"]);
    }

    #[test]
    fn unmodelled_and_unknown_fields_are_warned_about() {
        let t = ok(
            r#"{"family":"x","ipcMode":"host","pidMode":"task","volumes":[],"memroy":512,
            "containerDefinitions":[{"name":"a","image":"i","essential":true,"memory":64,"stopTimeout":30,
              "healthCheck":{"command":["CMD","true"]},"portMappings":[{"containerPort":80,"protcol":"tcp"}]}]}"#,
        );
        assert_eq!(
            t.warnings,
            vec![
                "`memroy` is not a field of an ECS task definition; ignored (a typo?)",
                "`containerDefinitions[0].portMappings[0].protcol` is not a field of an ECS port mapping; ignored (a typo?)",
                "`containerDefinitions[0].healthCheck` is not modelled: a service task counts as healthy 40 s after it is RUNNING, as without health checks (docs/model.md §16.4)",
            ]
        );
        // The sample task definition of the repository has no warning.
        let web = ok(include_str!("../../scenarios/taskdefs/web.json"));
        assert!(web.warnings.is_empty(), "{:?}", web.warnings);
    }

    #[test]
    fn sizes_below_docker_minimum_or_above_the_task_are_refused() {
        assert!(err(r#"{"cpu":256,"memory":2,"containerDefinitions":[{}]}"#)
            .contains("`memory`: found 2 MiB; expected at least 6 MiB, the least memory Docker gives a container (docs/reference/ecs-facts.md §2.2); did you mean \"2 GB\" (2048 MiB)?"));
        assert!(
            err(r#"{"containerDefinitions":[{"memory":4}]}"#)
                .contains("`containerDefinitions[0].memory`: found 4; expected at least 6 MiB")
        );
        assert!(err(r#"{"cpu":"1 vCPU","memory":"1 GB","containerDefinitions":[{"memory":2048}]}"#)
            .contains("`containerDefinitions[0].memory`: found 2048 MiB, more than the task's `memory` (1024 MiB); ECS refuses it"));
        assert!(err(r#"{"cpu":"1 vCPU","memory":"1 GB","containerDefinitions":[{"memoryReservation":600},{"memory":600}]}"#)
            .contains("`containerDefinitions`: the containers reserve 1200 MiB (memoryReservation, else memory), more than the task's `memory` (1024 MiB)"));
        // Equal is accepted, as is a hard limit above the reservation when the sum fits.
        let t = ok(r#"{"cpu":"1 vCPU","memory":"1GiB","containerDefinitions":[{"memory":1024}]}"#);
        assert_eq!(t.memory_mib, 1024);
        let t = ok(r#"{"cpu":1,"memory":"100","containerDefinitions":[{}]}"#);
        assert_eq!(
            t.warnings,
            vec![
                "`cpu` = 1: did you mean \"1 vCPU\" (1024 CPU units)? A plain number is CPU units (1 vCPU = 1024)",
                "`memory` = 100: did you mean \"100 GB\" (102400 MiB)? A plain number is MiB",
            ]
        );
        assert!(
            ok(r#"{"cpu":"0.125 vCPU","memory":"0.125 GB","containerDefinitions":[{}]}"#)
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn stop_timeout_is_the_largest_of_the_containers_and_at_most_120_seconds() {
        let t = ok(r#"{"cpu":"256","memory":"512","containerDefinitions":[
            {"name":"a","stopTimeout":10},{"name":"b","stopTimeout":90},{"name":"c"}]}"#);
        assert_eq!(t.stop_timeout_secs, Some(90));
        let t = ok(r#"{"cpu":"256","memory":"512","containerDefinitions":[{"name":"a"}]}"#);
        assert_eq!(t.stop_timeout_secs, None);
        let e = err(r#"{"cpu":"256","memory":"512","containerDefinitions":[
            {"name":"a"},{"name":"b","stopTimeout":121}]}"#);
        assert!(
            e.starts_with("td.json: `containerDefinitions[1].stopTimeout`: found 121; expected whole seconds in 0..=120"),
            "{e}"
        );
        assert!(
            err(r#"{"cpu":"256","memory":"512","containerDefinitions":[{"stopTimeout":"30"}]}"#)
                .contains("stopTimeout")
        );
    }
}
