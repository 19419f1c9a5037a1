//! `stop_timeout` on a job or a service, or its task definition's `stopTimeout`: how long a task
//! takes to stop after SIGTERM (docs/reference/ecs-facts.md §1.6, §6.1; docs/model.md §8.7.1).

use toml::Spanned;

use super::task_defs::NamedTaskDefinition;
use super::{R, Validator};
use crate::model::task_definition::MAX_STOP_TIMEOUT_SECS;
use crate::scenario::DEFAULT_STOP_TIMEOUT;
use crate::scenario::duration::DurationValue;
use crate::time::SimDuration;

impl Validator<'_> {
    /// The stop timeout of job or service `name` (under `key`, e.g. `workload.jobs`): its
    /// `stop_timeout` (at most 120 s), else the largest `stopTimeout` of its task definition's
    /// containers, else 30 s. Both at once is an error (one place for one value).
    pub(super) fn stop_timeout(
        &self,
        raw: &Option<Spanned<DurationValue>>,
        td: Option<&NamedTaskDefinition>,
        key: &str,
        name: &str,
    ) -> R<SimDuration> {
        let from_td = td.and_then(|t| t.td.stop_timeout_secs);
        match (raw, from_td) {
            (Some(v), Some(_)) => Err(self.err(
                v.span(),
                format!("`{key}.stop_timeout`: `{name}`'s task definition gives `stopTimeout` too; expected it in one place"),
            )),
            (Some(v), None) => {
                let d = v.get_ref().0;
                if d.as_ms() > MAX_STOP_TIMEOUT_SECS * 1000 {
                    return Err(self.err(
                        v.span(),
                        format!("`{key}.stop_timeout`: found {d}; expected at most 120s (\"`stopTimeout` max 120 s on Fargate\", docs/reference/ecs-facts.md §1.6)"),
                    ));
                }
                Ok(d)
            }
            (None, Some(secs)) => Ok(SimDuration(u64::from(secs) * 1000)),
            (None, None) => Ok(DEFAULT_STOP_TIMEOUT),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::scenario::{DEFAULT_STOP_TIMEOUT, load_str};
    use crate::time::SimDuration;

    const ARM: &str = "[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n";

    fn scenario(job: &str, service: &str) -> String {
        format!(
            "horizon = \"1h\"\n[[workload.jobs]]\nname = \"j\"\narrival = {{ poisson = {{ per_hour = 1 }} }}\nduration = \"5m\"\ncpu = 256\nmemory = 512\n{job}\n[[workload.services]]\nname = \"s\"\ncpu = 256\nmemory = 512\ndesired = 1\n{service}\n{ARM}"
        )
    }

    #[test]
    fn stop_timeout_defaults_to_30_seconds_and_is_at_most_120() {
        let s = load_str(Path::new("s.toml"), &scenario("", "")).expect("loads");
        assert_eq!(s.workload.jobs[0].stop_timeout, DEFAULT_STOP_TIMEOUT);
        assert_eq!(s.workload.services[0].stop_timeout, SimDuration(30_000));
        let s = load_str(
            Path::new("s.toml"),
            &scenario("stop_timeout = \"2m\"", "stop_timeout = \"5s\""),
        )
        .expect("loads");
        assert_eq!(s.workload.jobs[0].stop_timeout, SimDuration(120_000));
        assert_eq!(s.workload.services[0].stop_timeout, SimDuration(5_000));
        let e = load_str(
            Path::new("s.toml"),
            &scenario("", "stop_timeout = \"121s\""),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("`workload.services.stop_timeout`: found 121s; expected at most 120s"),
            "{e}"
        );
    }

    #[test]
    fn stop_timeout_in_the_scenario_and_the_task_definition_is_an_error() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(
            dir.path().join("td.json"),
            r#"{"cpu":"256","memory":"512","containerDefinitions":[{"name":"a","stopTimeout":60}]}"#,
        )
        .expect("write");
        let p = dir.path().join("s.toml");
        let text = |extra: &str| {
            format!(
                "horizon = \"1h\"\n[[workload.services]]\nname = \"s\"\ndesired = 1\ntask_definition = \"td.json\"\n{extra}\n{ARM}"
            )
        };
        let s = load_str(&p, &text("")).expect("loads");
        assert_eq!(s.workload.services[0].stop_timeout, SimDuration(60_000));
        let e = load_str(&p, &text("stop_timeout = \"10s\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("task definition gives `stopTimeout` too"), "{e}");
    }
}
