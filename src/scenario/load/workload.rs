//! Validating `[workload]`: the trace and its replay options, the jobs and services, and the
//! bound on how many tasks the generated jobs may bring.

use std::collections::BTreeSet;
use std::path::Path;

use toml::Spanned;

use super::{R, Validator, resolve};
use crate::scenario::Workload;
use crate::scenario::limits::{MAX_EXPECTED_ARRIVALS, expected_arrivals};
use crate::scenario::raw::RawWorkload;
use crate::time::SimDuration;
use crate::trace::ReplayOptions;

impl Validator<'_> {
    pub(super) fn workload(
        &mut self,
        w: &Spanned<RawWorkload>,
        path: &Path,
        horizon: Option<SimDuration>,
    ) -> R<Workload> {
        let raw = w.get_ref();
        let default_td = match &raw.task_definition {
            Some(t) => Some(self.read_task_definition(t, "workload.task_definition", path)?),
            None => None,
        };
        let trace = match &raw.trace {
            Some(t) => {
                let p = resolve(path, t.get_ref());
                match std::fs::metadata(&p) {
                    Err(e) => return Err(self.err(t.span(), format!("`workload.trace`: cannot open `{}`: {e}; expected a CSV trace file (relative paths are relative to the scenario)", p.display()))),
                    Ok(m) if m.is_dir() => return Err(self.err(t.span(), format!("`workload.trace`: `{}` is a folder; expected a CSV trace file", p.display()))),
                    Ok(_) => {}
                }
                Some(p)
            }
            None => None,
        };
        let mut jobs = Vec::new();
        let mut names = BTreeSet::new();
        let mut expected = 0.0;
        for (i, j) in raw.jobs.iter().enumerate() {
            if i >= usize::from(u16::MAX) {
                return Err(self.err(
                    j.span(),
                    "too many `[[workload.jobs]]`; expected at most 65535",
                ));
            }
            let job = self.job(j.get_ref(), default_td.as_ref(), path)?;
            if !names.insert(job.name.clone()) {
                return Err(self.err(
                    j.get_ref().name.span(),
                    format!(
                        "`workload.jobs.name`: `{}` is used by another job; expected unique names",
                        job.name
                    ),
                ));
            }
            expected += expected_arrivals(&job, horizon);
            if expected > MAX_EXPECTED_ARRIVALS && expected.is_finite() {
                return Err(self.err(
                    j.get_ref().arrival.span(),
                    format!(
                        "`workload.jobs.arrival`: about {expected:.3e} tasks would arrive over the run (jobs up to `{}`); expected at most {MAX_EXPECTED_ARRIVALS:.0} (a lower rate, a shorter horizon, an `end` or `max_tasks`)",
                        job.name
                    ),
                ));
            }
            jobs.push(job);
        }
        let mut services = Vec::new();
        let mut names = BTreeSet::new();
        for s in &raw.services {
            if services.len() >= usize::from(u16::MAX) {
                return Err(self.err(
                    s.span(),
                    "too many `[[workload.services]]`; expected at most 65535",
                ));
            }
            let service = self.service(s.get_ref(), path, horizon, default_td.as_ref())?;
            if !names.insert(service.name.clone()) {
                return Err(self.err(
                    s.get_ref().name.span(),
                    format!(
                        "`workload.services.name`: `{}` is used by another service; expected unique names",
                        service.name
                    ),
                ));
            }
            services.push(service);
        }
        let replay = self.replay(raw, trace.is_some())?;
        let daemons = self.daemons(&raw.daemons)?;
        Ok(Workload {
            trace,
            replay,
            jobs,
            services,
            daemons,
        })
    }

    /// The replay options of `[workload]` (docs/model.md §12.1); they need a trace.
    pub(super) fn replay(&self, raw: &RawWorkload, has_trace: bool) -> R<ReplayOptions> {
        let mut o = ReplayOptions::default();
        let number =
            |v: &Option<Spanned<f64>>, key: &str, lo: f64, hi: f64, what: &str| -> R<Option<f64>> {
                match v {
                    Some(x)
                        if !(x.get_ref().is_finite()
                            && *x.get_ref() > lo
                            && *x.get_ref() <= hi) =>
                    {
                        Err(self.err(
                            x.span(),
                            format!("`workload.{key}`: found {}; expected {what}", x.get_ref()),
                        ))
                    }
                    Some(x) => Ok(Some(*x.get_ref())),
                    None => Ok(None),
                }
            };
        let scale =
            "a number > 0 and at most 1000 (the factor requests and usage are multiplied by)";
        if let Some(v) = number(
            &raw.time_scale,
            "time_scale",
            0.0,
            1000.0,
            "a number > 0 and at most 1000 (2 replays twice as fast, 0.5 at half speed)",
        )? {
            if v < 0.001 {
                let span = raw.time_scale.as_ref().map_or(0..0, Spanned::span);
                return Err(self.err(span, format!("`workload.time_scale`: found {v}; expected at least 0.001 (a thousand times slower)")));
            }
            o.time_scale = v;
        }
        if let Some(v) = number(
            &raw.sample,
            "sample",
            0.0,
            1.0,
            "a fraction of rows to keep, 0 < f <= 1",
        )? {
            o.sample = v;
        }
        if let Some(v) = number(&raw.cpu_scale, "cpu_scale", 0.0, 1000.0, scale)? {
            o.cpu_scale = v;
        }
        if let Some(v) = number(&raw.memory_scale, "memory_scale", 0.0, 1000.0, scale)? {
            o.memory_scale = v;
        }
        if let Some(s) = &raw.start {
            o.start = s.get_ref().0;
        }
        if let Some(e) = &raw.end {
            if e.get_ref().0 <= o.start {
                return Err(self.err(e.span(), format!("`workload.end`: found {}; expected a trace time after `workload.start` ({})", e.get_ref().0, o.start)));
            }
            o.end = Some(e.get_ref().0);
        }
        if !has_trace {
            let given = [
                ("time_scale", raw.time_scale.as_ref().map(Spanned::span)),
                ("start", raw.start.as_ref().map(Spanned::span)),
                ("end", raw.end.as_ref().map(Spanned::span)),
                ("sample", raw.sample.as_ref().map(Spanned::span)),
                ("cpu_scale", raw.cpu_scale.as_ref().map(Spanned::span)),
                ("memory_scale", raw.memory_scale.as_ref().map(Spanned::span)),
            ];
            if let Some((key, Some(span))) = given.into_iter().find(|(_, s)| s.is_some()) {
                return Err(self.err(span, format!("`workload.{key}` applies to the trace only, and there is no `workload.trace`; expected a `trace = \"....csv\"` beside it (generated jobs have their own `start`, `end` and sizes)")));
            }
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{JOB, err, ok};
    use crate::time::SimDuration;

    #[test]
    fn replay_options_parse_and_need_a_trace() {
        const FARGATE_ARM: &str = "[[arm]]\nname = \"f\"\nlaunch_type = \"FARGATE\"\n";
        let s = ok(&format!(
            "[workload]\ntrace = \"scenarios/traces/sample.csv\"\ntime_scale = 2\nstart = \"1h\"\nend = 7200\nsample = 0.25\ncpu_scale = 1.5\nmemory_scale = 0.5\n{FARGATE_ARM}"
        ));
        let r = s.workload.replay;
        assert_eq!(r.time_scale, 2.0);
        assert_eq!(r.start, SimDuration(3_600_000));
        assert_eq!(r.end, Some(SimDuration(7_200_000)));
        assert_eq!((r.sample, r.cpu_scale, r.memory_scale), (0.25, 1.5, 0.5));
        let plain = ok(&format!(
            "[workload]\ntrace = \"scenarios/traces/sample.csv\"\n{FARGATE_ARM}"
        ));
        assert!(plain.workload.replay.is_identity());
        let e = err(&format!(
            "horizon = \"1h\"\n{JOB}[workload]\nsample = 0.5\n{FARGATE_ARM}"
        ));
        assert!(
            e.contains("`workload.sample` applies to the trace only"),
            "{e}"
        );
        for (kv, msg) in [
            (
                "time_scale = 0",
                "`workload.time_scale`: found 0; expected a number > 0",
            ),
            ("time_scale = 0.0001", "expected at least 0.001"),
            (
                "sample = 1.5",
                "`workload.sample`: found 1.5; expected a fraction",
            ),
            (
                "cpu_scale = -1",
                "`workload.cpu_scale`: found -1; expected a number > 0",
            ),
            ("memory_scale = nan", "`workload.memory_scale`: found NaN"),
            (
                "start = \"2h\"\nend = \"1h\"",
                "`workload.end`: found 1h; expected a trace time after `workload.start` (2h)",
            ),
        ] {
            let e = err(&format!(
                "[workload]\ntrace = \"scenarios/traces/sample.csv\"\n{kv}\n{FARGATE_ARM}"
            ));
            assert!(e.contains(msg), "{kv}: {e}");
        }
    }
}
