//! The workload of one run: the trace and the job streams merged into one arrival sequence.

use crate::model::{GroupTable, TaskSpec};
use crate::scenario::Scenario;
use crate::time::SimTime;
use crate::trace::{CsvTrace, JobStream, Replay, TraceError, TraceSource};

/// All sources, each with its next task looked ahead. At equal times the trace comes first,
/// then job streams in scenario order (docs/model.md §1.3).
pub struct Arrivals {
    sources: Vec<Box<dyn TraceSource + Send>>,
    heads: Vec<Option<(SimTime, TaskSpec)>>,
    horizon: Option<SimTime>,
}

impl std::fmt::Debug for Arrivals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arrivals")
            .field("sources", &self.sources.len())
            .finish()
    }
}

impl Arrivals {
    /// Open the scenario's trace and job streams under `seed`.
    pub fn open(
        scenario: &Scenario,
        seed: u64,
        groups: &mut GroupTable,
    ) -> Result<Arrivals, TraceError> {
        let horizon = scenario.horizon.map(|h| SimTime(h.as_ms()));
        let mut sources: Vec<Box<dyn TraceSource + Send>> = Vec::new();
        if let Some(p) = &scenario.workload.trace {
            let trace = CsvTrace::open(p)?;
            let replay = scenario.workload.replay;
            if replay.is_identity() {
                sources.push(Box::new(trace));
            } else {
                sources.push(Box::new(Replay::new(trace, replay, seed)));
            }
        }
        for (i, j) in scenario.workload.jobs.iter().enumerate() {
            sources.push(Box::new(JobStream::new(j, i as u16, seed, horizon)));
        }
        Arrivals::from_sources(sources, horizon, groups)
    }

    /// Merge arbitrary sources (in priority order); arrivals at or after `horizon` are dropped.
    pub fn from_sources(
        mut sources: Vec<Box<dyn TraceSource + Send>>,
        horizon: Option<SimTime>,
        groups: &mut GroupTable,
    ) -> Result<Arrivals, TraceError> {
        let mut heads = Vec::with_capacity(sources.len());
        for s in &mut sources {
            heads.push(s.next_task(groups)?);
        }
        let mut a = Arrivals {
            sources,
            heads,
            horizon,
        };
        for i in 0..a.heads.len() {
            a.clip(i);
        }
        Ok(a)
    }

    fn clip(&mut self, i: usize) {
        if let (Some(h), Some((t, _))) = (self.horizon, &self.heads[i])
            && *t >= h
        {
            self.heads[i] = None;
        }
    }

    /// The time of the next arrival, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.next_index()
            .and_then(|i| self.heads[i].as_ref().map(|(t, _)| *t))
    }

    fn next_index(&self) -> Option<usize> {
        let mut best: Option<(SimTime, usize)> = None;
        for (i, h) in self.heads.iter().enumerate() {
            if let Some((t, _)) = h
                && best.is_none_or(|(bt, _)| *t < bt)
            {
                best = Some((*t, i));
            }
        }
        best.map(|(_, i)| i)
    }

    /// Take the next arrival and read ahead in its source.
    pub fn pop(
        &mut self,
        groups: &mut GroupTable,
    ) -> Result<Option<(SimTime, TaskSpec)>, TraceError> {
        let Some(i) = self.next_index() else {
            return Ok(None);
        };
        let next = self.sources[i].next_task(groups)?;
        let out = std::mem::replace(&mut self.heads[i], next);
        self.clip(i);
        Ok(out)
    }
}
