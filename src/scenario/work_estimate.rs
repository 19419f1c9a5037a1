//! A rough, cheap measure of how much simulating a scenario costs, so a sweep can start its
//! longest runs first (longest-processing-time-first scheduling: the last runs to finish are then
//! short ones, and no core idles while another still has a long run). Only the order of the runs
//! depends on it, never a result.

use crate::scenario::Scenario;
use crate::trace::ArrivalProcess;

/// Bytes per row assumed for a trace file (the examples in `scenarios/traces/` run 30 to 60).
const TRACE_BYTES_PER_ROW: f64 = 45.0;

/// Horizon assumed for a stream with neither an end nor a task cap (a sweep variant never has
/// one: validation demands a horizon then).
const OPEN_HORIZON_MS: f64 = 86_400_000.0;

impl Scenario {
    /// About how many task arrivals (plus one per minute of service control) one arm of this
    /// scenario simulates. Larger means a longer run; only the ratio between variants matters.
    pub fn work_estimate(&self) -> f64 {
        let horizon_ms = self.horizon.map(|h| h.as_ms() as f64);
        let mut work = 0.0;
        for j in &self.workload.jobs {
            let start = j.start.as_ms() as f64;
            let end = match (j.end, horizon_ms) {
                (Some(e), Some(h)) => (e.as_ms() as f64).min(h),
                (Some(e), None) => e.as_ms() as f64,
                (None, Some(h)) => h,
                (None, None) => start + OPEN_HORIZON_MS,
            };
            let per_ms = match j.arrival {
                ArrivalProcess::Poisson { per_hour } => per_hour / 3_600_000.0,
                ArrivalProcess::FixedInterval(d) => 1.0 / d.as_ms().max(1) as f64,
                ArrivalProcess::Diurnal { mean_per_hour, .. } => mean_per_hour / 3_600_000.0,
            };
            let mut tasks = per_ms * (end - start).max(0.0);
            if let Some(cap) = j.max_tasks {
                tasks = tasks.min(cap as f64);
            }
            work += tasks;
        }
        if let Some(trace) = &self.workload.trace {
            // Unreadable here is not an error: loading the scenario already checked the file,
            // and the run itself reports any problem.
            let bytes = std::fs::metadata(trace).map_or(0, |m| m.len());
            work += bytes as f64 / TRACE_BYTES_PER_ROW * self.workload.replay.sample;
        }
        if !self.workload.services.is_empty() {
            let minutes = horizon_ms.unwrap_or(OPEN_HORIZON_MS) / 60_000.0;
            let desired: f64 = self
                .workload
                .services
                .iter()
                .map(|s| f64::from(s.desired))
                .sum();
            work += minutes + desired;
        }
        work
    }
}

#[cfg(test)]
mod tests {
    const BASE: &str = r#"
name = "w"
seed = 1
horizon = "2h"
[[workload.jobs]]
name = "a"
arrival = { poisson = { per_hour = 100 } }
duration = "1m"
cpu = 256
memory = 512
[[arm]]
name = "f"
launch_type = "FARGATE"
"#;

    fn estimate(text: &str) -> f64 {
        crate::scenario::load_str(std::path::Path::new("w.toml"), text)
            .expect("valid scenario")
            .work_estimate()
    }

    #[test]
    fn grows_with_the_rate_and_the_horizon_and_stops_at_the_task_cap() {
        let base = estimate(BASE);
        assert!((base - 200.0).abs() < 1e-9, "{base}");
        let faster = estimate(&BASE.replace("per_hour = 100", "per_hour = 400"));
        assert!((faster - 800.0).abs() < 1e-9, "{faster}");
        let longer = estimate(&BASE.replace("horizon = \"2h\"", "horizon = \"6h\""));
        assert!((longer - 600.0).abs() < 1e-9, "{longer}");
        let capped = estimate(&BASE.replace("memory = 512", "memory = 512\nmax_tasks = 50"));
        assert!((capped - 50.0).abs() < 1e-9, "{capped}");
    }
}
