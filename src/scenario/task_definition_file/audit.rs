//! The task-definition fields `sim` does not size from: which are refused because ignoring
//! them would change the answer silently (Windows, GPUs, inference accelerators, port ranges),
//! which are warned about because they would change timing the model fixes (container health
//! checks), and which names are not ECS fields at all (warned: probably a typo). The table of
//! every field and its treatment is docs/model.md §17.7.

use serde_json::{Map, Value};

use super::{Ctx, R, kind};
use crate::model::Os;

/// Fields of a task definition (RegisterTaskDefinition input, and the extra ones of the
/// `describe-task-definition` output). Those `sim` does not read have no bearing on capacity,
/// placement or cost (docs/model.md §17.7).
const TASK_FIELDS: &[&str] = &[
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "containerDefinitions",
    "volumes",
    "placementConstraints",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "tags",
    "pidMode",
    "ipcMode",
    "proxyConfiguration",
    "inferenceAccelerators",
    "ephemeralStorage",
    "runtimePlatform",
    "enableFaultInjection",
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

/// Fields of a container definition.
const CONTAINER_FIELDS: &[&str] = &[
    "name",
    "image",
    "repositoryCredentials",
    "cpu",
    "memory",
    "memoryReservation",
    "links",
    "portMappings",
    "essential",
    "restartPolicy",
    "entryPoint",
    "command",
    "environment",
    "environmentFiles",
    "mountPoints",
    "volumesFrom",
    "linuxParameters",
    "secrets",
    "dependsOn",
    "startTimeout",
    "stopTimeout",
    "versionConsistency",
    "hostname",
    "user",
    "workingDirectory",
    "disableNetworking",
    "privileged",
    "readonlyRootFilesystem",
    "dnsServers",
    "dnsSearchDomains",
    "extraHosts",
    "dockerSecurityOptions",
    "interactive",
    "pseudoTerminal",
    "dockerLabels",
    "ulimits",
    "logConfiguration",
    "healthCheck",
    "systemControls",
    "resourceRequirements",
    "firelensConfiguration",
    "credentialSpecs",
];

/// Fields of a port mapping.
const PORT_FIELDS: &[&str] = &[
    "containerPort",
    "hostPort",
    "protocol",
    "name",
    "appProtocol",
    "containerPortRange",
    "hostPortRange",
];

/// `requiresCompatibilities` values ECS takes.
const COMPATIBILITIES: &[&str] = &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];

/// What the audit found that the caller keeps.
#[derive(Debug, Default)]
pub(super) struct Audit {
    /// Warnings, each naming the field.
    pub warnings: Vec<String>,
    /// `requiresCompatibilities`, as written (checked, in order).
    pub compatibilities: Vec<String>,
    /// `runtimePlatform.operatingSystemFamily`, if given.
    pub os: Option<Os>,
}

fn unknown(fields: &[&str], obj: &Map<String, Value>, at: &str, what: &str, out: &mut Vec<String>) {
    for k in obj.keys().filter(|k| !fields.contains(&k.as_str())) {
        out.push(format!(
            "`{at}{k}` is not a field of an ECS {what}; ignored (a typo?)"
        ));
    }
}

/// Check the fields of task definition `td` (at JSON path prefix `at`) that are not sizes.
pub(super) fn check(c: &Ctx<'_>, td: &Map<String, Value>, at: &str) -> R<Audit> {
    let mut out = Audit::default();
    unknown(TASK_FIELDS, td, at, "task definition", &mut out.warnings);
    let path = |k: &str| format!("{at}{k}");
    match td.get("runtimePlatform") {
        None | Some(Value::Null) => {}
        Some(Value::Object(rp)) => {
            unknown(
                &["cpuArchitecture", "operatingSystemFamily"],
                rp,
                &path("runtimePlatform."),
                "runtimePlatform",
                &mut out.warnings,
            );
            match rp.get("operatingSystemFamily") {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s == "LINUX" => out.os = Some(Os::Linux),
                // The families ECS takes (Windows Server 2016–2025, Full and Core): all are
                // Windows to sim (docs/reference/pricing.md §1.5; docs/model.md §19).
                Some(Value::String(s)) if s.starts_with("WINDOWS_SERVER_") => {
                    out.os = Some(Os::Windows);
                }
                Some(other) => {
                    return Err(c.err(
                        &path("runtimePlatform.operatingSystemFamily"),
                        format!("found {other}; expected \"LINUX\" or a \"WINDOWS_SERVER_*\" family such as \"WINDOWS_SERVER_2022_CORE\""),
                    ));
                }
            }
        }
        Some(other) => {
            return Err(c.err(
                &path("runtimePlatform"),
                format!("found {}; expected an object", kind(other)),
            ));
        }
    }
    match td.get("inferenceAccelerators") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) if a.is_empty() => {}
        Some(_) => {
            return Err(c.err(
                &path("inferenceAccelerators"),
                "inference accelerators are not modelled (no instance in sim has one, so ECS would place the task only where sim cannot say); expected none",
            ));
        }
    }
    match td.get("requiresCompatibilities") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for (i, v) in list.iter().enumerate() {
                match v.as_str() {
                    Some(s) if COMPATIBILITIES.contains(&s) => {
                        out.compatibilities.push(s.to_string())
                    }
                    _ => {
                        return Err(c.err(
                            &format!("{at}requiresCompatibilities[{i}]"),
                            format!("found {v}; expected \"EC2\", \"FARGATE\", \"EXTERNAL\" or \"MANAGED_INSTANCES\""),
                        ));
                    }
                }
            }
        }
        Some(other) => {
            return Err(c.err(
                &path("requiresCompatibilities"),
                format!(
                    "found {}; expected an array such as [\"EC2\", \"FARGATE\"]",
                    kind(other)
                ),
            ));
        }
    }
    let Some(Value::Array(containers)) = td.get("containerDefinitions") else {
        return Ok(out);
    };
    for (i, cv) in containers.iter().enumerate() {
        let Value::Object(cd) = cv else { continue };
        let at_c = format!("{at}containerDefinitions[{i}].");
        unknown(
            CONTAINER_FIELDS,
            cd,
            &at_c,
            "container definition",
            &mut out.warnings,
        );
        container(c, cd, &at_c, &mut out.warnings)?;
    }
    Ok(out)
}

/// The container's GPU and accelerator requirements, port ranges and health check.
fn container(
    c: &Ctx<'_>,
    cd: &Map<String, Value>,
    at_c: &str,
    warnings: &mut Vec<String>,
) -> R<()> {
    // Every resource type ECS takes here (GPU, InferenceAccelerator) is one sim lacks, so the
    // first requirement is refused.
    // Every resource type ECS takes here (GPU, InferenceAccelerator) is one sim lacks, so the
    // first requirement is refused.
    if let Some(Value::Array(reqs)) = cd.get("resourceRequirements")
        && let Some(r) = reqs.first()
    {
        let what = match r.get("type").and_then(Value::as_str).unwrap_or("") {
            "GPU" => {
                "GPUs are not modelled (no instance type in sim has a GPU, and ECS places a GPU task only on an instance with free GPUs)"
            }
            "InferenceAccelerator" => {
                "inference accelerators are not modelled (no instance in sim has one)"
            }
            _ => "it is not a resource type ECS takes",
        };
        return Err(c.err(
            &format!("{at_c}resourceRequirements[0].type"),
            format!(
                "found {}; {what}; expected no resourceRequirements",
                r.get("type").unwrap_or(&Value::Null)
            ),
        ));
    }
    if let Some(Value::Array(maps)) = cd.get("portMappings") {
        for (k, pm) in maps.iter().enumerate() {
            let Value::Object(pm) = pm else { continue };
            let at_p = format!("{at_c}portMappings[{k}].");
            unknown(PORT_FIELDS, pm, &at_p, "port mapping", warnings);
            if let Some(f) = ["containerPortRange", "hostPortRange"]
                .into_iter()
                .find(|f| pm.get(*f).is_some_and(|v| !v.is_null()))
            {
                return Err(c.err(
                    &format!("{at_p}{f}"),
                    "port ranges are not modelled (in host mode every port of the range is held on the instance, which changes where tasks fit); expected one `containerPort` (and `hostPort`) per mapping",
                ));
            }
        }
    }
    if cd.get("healthCheck").is_some_and(|v| !v.is_null()) {
        warnings.push(format!(
            "`{at_c}healthCheck` is not modelled: a service task counts as healthy 40 s after it is RUNNING, as without health checks (docs/model.md §16.4)"
        ));
    }
    Ok(())
}
