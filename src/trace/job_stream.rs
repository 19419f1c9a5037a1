//! A generated stream of one-off tasks from a `[[workload.jobs]]` entry.

use crate::engine::RngStream;
use crate::engine::rng::{StreamPurpose, stream};
use crate::ids::GroupId;
use crate::model::task_spec::TaskSource;
use crate::model::{GroupTable, TaskLabel, TaskSpec};
use crate::time::{MAX_DURATION_MS, SimDuration, SimTime};
use crate::trace::{JobSpec, TraceError, TraceSource};

/// Tasks of one job, in arrival order. Arrival times and run times come from their own seeded
/// streams, so every arm of a run sees exactly the same tasks.
#[derive(Debug, Clone)]
pub struct JobStream {
    spec: JobSpec,
    index: u16,
    group: Option<GroupId>,
    arrivals: RngStream,
    durations: RngStream,
    t_ms: f64,
    emitted: u64,
    horizon: Option<SimTime>,
    done: bool,
}

impl JobStream {
    /// The stream of job `index` (scenario order) under `seed`; no arrival at or after
    /// `horizon`.
    pub fn new(spec: &JobSpec, index: u16, seed: u64, horizon: Option<SimTime>) -> JobStream {
        JobStream {
            t_ms: spec.start.as_ms() as f64,
            spec: spec.clone(),
            index,
            group: None,
            arrivals: stream(seed, StreamPurpose::Arrivals(u32::from(index))),
            durations: stream(seed, StreamPurpose::Durations(u32::from(index))),
            emitted: 0,
            horizon,
            done: false,
        }
    }
}

impl TraceSource for JobStream {
    fn next_task(
        &mut self,
        groups: &mut GroupTable,
    ) -> Result<Option<(SimTime, TaskSpec)>, TraceError> {
        if self.done || self.spec.max_tasks.is_some_and(|m| self.emitted >= m) {
            self.done = true;
            return Ok(None);
        }
        self.t_ms = self
            .spec
            .arrival
            .next_after(self.t_ms, self.emitted == 0, &mut self.arrivals);
        let t = SimTime(if self.t_ms.is_finite() {
            self.t_ms.round() as u64
        } else {
            u64::MAX
        });
        // No arrival beyond 100 years (the longest duration a scenario may state), so a stream
        // bounded only by `max_tasks` cannot run off to absurd times.
        let past_end = self.spec.end.is_some_and(|e| t >= e)
            || self.horizon.is_some_and(|h| t >= h)
            || t.as_ms() > MAX_DURATION_MS;
        if past_end || !self.t_ms.is_finite() {
            self.done = true;
            return Ok(None);
        }
        let group = *self
            .group
            .get_or_insert_with(|| groups.intern(&self.spec.group));
        let duration = self
            .spec
            .duration
            .sample(&mut self.durations)
            .as_ms()
            .max(1);
        let task = TaskSpec {
            label: TaskLabel::Job(self.emitted),
            source: TaskSource::Job(self.index),
            group,
            cpu_units: self.spec.cpu_units,
            memory_mib: self.spec.memory_mib,
            duration: SimDuration(duration),
            storage_gib: self.spec.storage_gib,
            cpu_used_units: None,
            memory_used_mib: None,
        };
        self.emitted += 1;
        Ok(Some((t, task)))
    }
}
