//! `sim trace stats`: what a trace holds, computed in one streaming pass (docs/traces.md).
//!
//! Memory stays bounded by what the trace is, not how long it is:
//! - the concurrency sweep keeps only the tasks alive at once (a min-heap of their ends);
//! - percentiles come from exact histograms (value → count) of at most
//!   [`EXACT_DISTINCT_VALUES`] distinct values per column. Requests and durations repeat a lot
//!   in real traces, so this is exact in practice; if a column ever holds more distinct values,
//!   its histogram is coarsened deterministically: values are rounded *up* to a multiple of a
//!   power-of-two step (the column's reported `resolution`), so every percentile is then an
//!   upper bound within one step of the exact value (min, max and mean stay exact);
//! - arrivals per hour: one counter per hour of the span (at most 100 years, which the reader
//!   enforces); task groups: one counter per distinct group (the reader interns them anyway).
//!
//! Times are the reader's: arrival and duration rounded to the millisecond. A task ending at
//! `t` is gone before one arriving at `t` counts, as in the simulator (finishes come first).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::path::Path;

use serde::Serialize;

use crate::model::billing::{FARGATE_MINIMUM_SECS, billed_secs, cost_of, fargate_hourly};
use crate::model::{Architecture, FargateSize, FargateSizes, GroupTable, Pricing};
use crate::trace::{CsvTrace, TraceError, TraceSource};

/// Percentiles are exact while a column has at most this many distinct values (see the module
/// doc for what happens beyond).
pub const EXACT_DISTINCT_VALUES: usize = 1 << 20;

/// How many groups [`TraceStats::top_groups`] lists.
pub const TOP_GROUPS: usize = 10;

const MS_PER_HOUR: u64 = 3_600_000;

/// Everything `sim trace stats` reports about one trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceStats {
    /// Data rows (tasks).
    pub rows: u64,
    /// Distinct task groups (rows without a `group` are in `default`).
    pub groups: usize,
    /// The groups with the most rows, most first (ties by name), at most [`TOP_GROUPS`].
    pub top_groups: Vec<GroupRows>,
    /// First and last arrival, last end.
    pub span: Span,
    /// Arrivals per hour of the trace.
    pub arrivals: ArrivalRate,
    /// Requested CPU units per task.
    pub cpu_units: Percentiles,
    /// Requested memory per task, MiB.
    pub memory_mib: Percentiles,
    /// Run time per task, ms.
    pub duration_ms: Percentiles,
    /// The most requested at once if every task started on arrival.
    pub peak: Peak,
    /// Σ duration, Σ CPU × duration, Σ memory × duration.
    pub totals: Totals,
    /// The usage columns, where the trace has them.
    pub usage: Usage,
    /// The Fargate sizes the tasks round up to.
    pub fargate: FargateMix,
}

/// One task group and its row count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRows {
    /// The group name.
    pub name: String,
    /// Rows in the group.
    pub rows: u64,
}

/// When the trace happens, in seconds from its start (0 when the trace is empty).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Span {
    /// First arrival.
    pub first_arrival_s: f64,
    /// Last arrival.
    pub last_arrival_s: f64,
    /// Latest arrival + duration.
    pub last_end_s: f64,
}

/// Arrivals per hour, hour 0 starting at time 0 and the last holding the last arrival.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrivalRate {
    /// Arrivals in each hour.
    pub per_hour: Vec<u64>,
    /// Rows ÷ hours (0 for an empty trace).
    pub mean_per_hour: f64,
    /// The busiest hour's arrivals.
    pub peak_per_hour: u64,
    /// The busiest hour (the first of equals).
    pub peak_hour: u64,
}

/// Summary of one column (0 everywhere for an empty trace).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percentiles {
    /// Smallest value (exact).
    pub min: u64,
    /// Nearest-rank median.
    pub p50: u64,
    /// Nearest-rank 95th percentile.
    pub p95: u64,
    /// Nearest-rank 99th percentile.
    pub p99: u64,
    /// Largest value (exact).
    pub max: u64,
    /// Arithmetic mean (exact sum ÷ count).
    pub mean: f64,
    /// 1 when the percentiles are exact, else the step they are rounded up to.
    pub resolution: u64,
}

/// Peak concurrent requests, each with the first time it was reached (s).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Peak {
    /// CPU units.
    pub cpu_units: u64,
    /// When.
    pub cpu_at_s: f64,
    /// Memory, MiB.
    pub memory_mib: u64,
    /// When.
    pub memory_at_s: f64,
    /// Tasks.
    pub tasks: u64,
    /// When.
    pub tasks_at_s: f64,
}

/// Work in the trace.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Totals {
    /// Σ duration, hours.
    pub task_hours: f64,
    /// Σ CPU units ÷ 1024 × duration, vCPU-hours.
    pub vcpu_hours: f64,
    /// Σ memory ÷ 1024 × duration, GiB-hours.
    pub memory_gib_hours: f64,
}

/// The usage columns `cpu_used_units` and `memory_used_mib`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Usage {
    /// Rows with a `cpu_used_units` value.
    pub cpu_rows: u64,
    /// Mean of those values.
    pub cpu_used_mean_units: f64,
    /// Σ used × duration ÷ Σ requested × duration over those rows (0 without rows).
    pub cpu_used_of_requested: f64,
    /// Rows with a `memory_used_mib` value.
    pub memory_rows: u64,
    /// Mean of those values, MiB.
    pub memory_used_mean_mib: f64,
    /// Σ used × duration ÷ Σ requested × duration over those rows (0 without rows).
    pub memory_used_of_requested: f64,
}

/// The Fargate sizes the trace maps to at us-east-1 Linux/x86 on-demand prices (the cheapest
/// valid size covering each request, as the simulator rounds).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FargateMix {
    /// Every size used, most tasks first (ties: smaller size first).
    pub sizes: Vec<SizeCount>,
    /// Tasks larger than every Fargate size.
    pub no_fit: u64,
    /// Σ `usd` over `sizes`.
    pub usd: f64,
}

/// One Fargate size and the tasks that round up to it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SizeCount {
    /// The size's CPU units.
    pub cpu_units: u32,
    /// The size's memory, MiB.
    pub memory_mib: u32,
    /// Tasks.
    pub tasks: u64,
    /// The size's price, USD per hour.
    pub usd_per_hour: f64,
    /// Σ duration of those tasks, hours.
    pub task_hours: f64,
    /// What running each of them once on Fargate would cost: per second with the 1-minute
    /// minimum, plus storage above 20 GiB.
    pub usd: f64,
}

/// Read the trace at `path` in one streaming pass and summarise it.
pub fn trace_stats(path: &Path) -> Result<TraceStats, TraceError> {
    trace_stats_of(&mut CsvTrace::open(path)?)
}

/// Summarise any task source (see [`trace_stats`]).
pub fn trace_stats_of(source: &mut dyn TraceSource) -> Result<TraceStats, TraceError> {
    let pricing = Pricing::us_east_1();
    let rates = pricing.fargate(Architecture::X86_64);
    let ranked = FargateSizes::builtin().ranked(rates);
    let mut groups = GroupTable::new();
    let mut group_rows: Vec<u64> = Vec::new();
    let (mut cpu, mut memory, mut duration) = (
        Histogram::new(EXACT_DISTINCT_VALUES),
        Histogram::new(EXACT_DISTINCT_VALUES),
        Histogram::new(EXACT_DISTINCT_VALUES),
    );
    let mut per_hour: Vec<u64> = Vec::new();
    let (mut first_ms, mut last_ms, mut last_end_ms) = (None::<u64>, 0u64, 0u64);
    // The sweep: ends of the alive tasks, earliest first, with what they hold.
    let mut alive: BinaryHeap<Reverse<(u64, u32, u32)>> = BinaryHeap::new();
    let (mut level_cpu, mut level_mem) = (0u64, 0u64);
    let mut peak = Peak {
        cpu_units: 0,
        cpu_at_s: 0.0,
        memory_mib: 0,
        memory_at_s: 0.0,
        tasks: 0,
        tasks_at_s: 0.0,
    };
    let (mut ms_sum, mut cpu_ms, mut mem_ms) = (0u128, 0u128, 0u128);
    let mut usage = UsageSums::default();
    let mut sizes: BTreeMap<FargateSize, (u64, u64, f64)> = BTreeMap::new();
    let mut no_fit = 0u64;
    let mut rows = 0u64;

    while let Some((at, task)) = source.next_task(&mut groups)? {
        rows += 1;
        let t = at.as_ms();
        let d = task.duration.0;
        let end = t.saturating_add(d);
        first_ms.get_or_insert(t);
        last_ms = t;
        last_end_ms = last_end_ms.max(end);

        let g = task.group.0 as usize;
        if group_rows.len() <= g {
            group_rows.resize(g + 1, 0);
        }
        group_rows[g] += 1;

        let hour = (t / MS_PER_HOUR) as usize;
        if per_hour.len() <= hour {
            per_hour.resize(hour + 1, 0);
        }
        per_hour[hour] += 1;

        cpu.add(u64::from(task.cpu_units));
        memory.add(u64::from(task.memory_mib));
        duration.add(d);

        while let Some(&Reverse((e, c, m))) = alive.peek() {
            if e > t {
                break;
            }
            alive.pop();
            level_cpu -= u64::from(c);
            level_mem -= u64::from(m);
        }
        alive.push(Reverse((end, task.cpu_units, task.memory_mib)));
        level_cpu += u64::from(task.cpu_units);
        level_mem += u64::from(task.memory_mib);
        let at_s = at.as_secs_f64();
        if level_cpu > peak.cpu_units {
            (peak.cpu_units, peak.cpu_at_s) = (level_cpu, at_s);
        }
        if level_mem > peak.memory_mib {
            (peak.memory_mib, peak.memory_at_s) = (level_mem, at_s);
        }
        if alive.len() as u64 > peak.tasks {
            (peak.tasks, peak.tasks_at_s) = (alive.len() as u64, at_s);
        }

        ms_sum += u128::from(d);
        cpu_ms += u128::from(task.cpu_units) * u128::from(d);
        mem_ms += u128::from(task.memory_mib) * u128::from(d);
        usage.add(&task, d);

        match ranked.round_up(task.cpu_units, task.memory_mib) {
            Some(size) => {
                let hourly = fargate_hourly(
                    size,
                    task.storage_gib,
                    rates,
                    pricing.fargate_storage_gb_hour,
                );
                let usd = cost_of(
                    billed_secs(task.duration, true, FARGATE_MINIMUM_SECS),
                    hourly,
                );
                let e = sizes.entry(size).or_insert((0, 0, 0.0));
                e.0 += 1;
                e.1 += d;
                e.2 += usd;
            }
            None => no_fit += 1,
        }
    }

    let hours = |ms: u128| ms as f64 / MS_PER_HOUR as f64;
    let mut top_groups: Vec<GroupRows> = group_rows
        .iter()
        .enumerate()
        .map(|(i, &n)| GroupRows {
            name: groups.names()[i].clone(),
            rows: n,
        })
        .collect();
    top_groups.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.name.cmp(&b.name)));
    top_groups.truncate(TOP_GROUPS);

    let (peak_hour, peak_per_hour) =
        per_hour
            .iter()
            .enumerate()
            .fold(
                (0u64, 0u64),
                |best, (h, &n)| {
                    if n > best.1 { (h as u64, n) } else { best }
                },
            );
    let mean_per_hour = if per_hour.is_empty() {
        0.0
    } else {
        rows as f64 / per_hour.len() as f64
    };

    let mut size_counts: Vec<SizeCount> = sizes
        .iter()
        .map(|(s, &(tasks, ms, usd))| SizeCount {
            cpu_units: s.cpu_units,
            memory_mib: s.memory_mib,
            tasks,
            usd_per_hour: rates.per_hour(s.cpu_units, s.memory_mib),
            task_hours: hours(u128::from(ms)),
            usd,
        })
        .collect();
    // Stable: equal counts keep the BTreeMap's size order.
    size_counts.sort_by_key(|s| Reverse(s.tasks));
    let fargate_usd = size_counts.iter().map(|s| s.usd).sum();

    let secs = |ms: u64| ms as f64 / 1000.0;
    Ok(TraceStats {
        rows,
        groups: group_rows.len(),
        top_groups,
        span: Span {
            first_arrival_s: secs(first_ms.unwrap_or(0)),
            last_arrival_s: secs(last_ms),
            last_end_s: secs(last_end_ms),
        },
        arrivals: ArrivalRate {
            per_hour,
            mean_per_hour,
            peak_per_hour,
            peak_hour,
        },
        cpu_units: cpu.summary(),
        memory_mib: memory.summary(),
        duration_ms: duration.summary(),
        peak,
        totals: Totals {
            task_hours: hours(ms_sum),
            vcpu_hours: hours(cpu_ms) / 1024.0,
            memory_gib_hours: hours(mem_ms) / 1024.0,
        },
        usage: usage.finish(),
        fargate: FargateMix {
            sizes: size_counts,
            no_fit,
            usd: fargate_usd,
        },
    })
}

/// Running sums for [`Usage`].
#[derive(Debug, Default)]
struct UsageSums {
    cpu_rows: u64,
    cpu_used: f64,
    cpu_used_ms: f64,
    cpu_requested_ms: f64,
    memory_rows: u64,
    memory_used: f64,
    memory_used_ms: f64,
    memory_requested_ms: f64,
}

impl UsageSums {
    fn add(&mut self, task: &crate::model::TaskSpec, d_ms: u64) {
        let d = d_ms as f64;
        if let Some(u) = task.cpu_used_units {
            self.cpu_rows += 1;
            self.cpu_used += u;
            self.cpu_used_ms += u * d;
            self.cpu_requested_ms += f64::from(task.cpu_units) * d;
        }
        if let Some(u) = task.memory_used_mib {
            self.memory_rows += 1;
            self.memory_used += u;
            self.memory_used_ms += u * d;
            self.memory_requested_ms += f64::from(task.memory_mib) * d;
        }
    }

    fn finish(self) -> Usage {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        Usage {
            cpu_rows: self.cpu_rows,
            cpu_used_mean_units: ratio(self.cpu_used, self.cpu_rows as f64),
            cpu_used_of_requested: ratio(self.cpu_used_ms, self.cpu_requested_ms),
            memory_rows: self.memory_rows,
            memory_used_mean_mib: ratio(self.memory_used, self.memory_rows as f64),
            memory_used_of_requested: ratio(self.memory_used_ms, self.memory_requested_ms),
        }
    }
}

/// Counts per distinct value (rounded up to `step`), at most `cap` of them: exact
/// nearest-rank percentiles in memory bounded by the number of distinct values.
#[derive(Debug)]
struct Histogram {
    counts: BTreeMap<u64, u64>,
    step: u64,
    cap: usize,
    n: u64,
    sum: u128,
    min: u64,
    max: u64,
}

impl Histogram {
    fn new(cap: usize) -> Histogram {
        Histogram {
            counts: BTreeMap::new(),
            step: 1,
            cap: cap.max(2),
            n: 0,
            sum: 0,
            min: u64::MAX,
            max: 0,
        }
    }

    fn add(&mut self, v: u64) {
        self.n += 1;
        self.sum += u128::from(v);
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        *self
            .counts
            .entry(v.div_ceil(self.step).saturating_mul(self.step))
            .or_insert(0) += 1;
        while self.counts.len() > self.cap {
            self.coarsen();
        }
    }

    /// Double the step and re-bucket. Because ⌈⌈v/s⌉/2⌉ = ⌈v/2s⌉, the result is the same as if
    /// every value had been added at the new step, so the outcome does not depend on when the
    /// coarsening happened.
    fn coarsen(&mut self) {
        self.step = self.step.saturating_mul(2);
        let step = self.step;
        let old = std::mem::take(&mut self.counts);
        for (k, c) in old {
            *self
                .counts
                .entry(k.div_ceil(step).saturating_mul(step))
                .or_insert(0) += c;
        }
    }

    /// The nearest-rank `p`th percentile (as [`crate::util::percentile::nearest_rank`]), at most
    /// the exact maximum.
    fn percentile(&self, p: f64) -> u64 {
        if self.n == 0 {
            return 0;
        }
        let rank = ((p / 100.0) * self.n as f64)
            .ceil()
            .clamp(1.0, self.n as f64) as u64;
        let mut seen = 0;
        for (&v, &c) in &self.counts {
            seen += c;
            if seen >= rank {
                return v.min(self.max);
            }
        }
        self.max
    }

    fn summary(&self) -> Percentiles {
        Percentiles {
            min: if self.n == 0 { 0 } else { self.min },
            p50: self.percentile(50.0),
            p95: self.percentile(95.0),
            p99: self.percentile(99.0),
            max: self.max,
            mean: if self.n == 0 {
                0.0
            } else {
                self.sum as f64 / self.n as f64
            },
            resolution: self.step,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::percentile::nearest_rank;

    fn stats(text: &str) -> TraceStats {
        let mut t = CsvTrace::from_reader(
            Path::new("t.csv"),
            Box::new(std::io::Cursor::new(text.to_string())),
        )
        .unwrap();
        trace_stats_of(&mut t).unwrap()
    }

    /// Five tasks on a time line (s):
    /// ```text
    ///   a  web  [   0, 100)  256/512
    ///   b  web  [  10,  60)  512/1024
    ///   c  ml   [  60, 160)  4096/30721   (b ends at 60 before c arrives)
    ///   d  web  [3700,3710)  256/600
    ///   e  big  [3700,3730)  32768/1024   (no Fargate size)
    /// ```
    const TRACE: &str = "arrival_s,duration_s,cpu_units,memory_mib,group,cpu_used_units,memory_used_mib\n\
        0,100,256,512,web,128,\n\
        10,50,512,1024,web,,\n\
        60,100,4096,30721,ml,1024,\n\
        3700,10,256,600,web,,\n\
        3700,30,32768,1024,big,,\n";

    #[test]
    fn every_figure_of_a_small_trace_by_hand() {
        let s = stats(TRACE);
        assert_eq!(s.rows, 5);
        assert_eq!(s.groups, 3);
        let top: Vec<(&str, u64)> = s
            .top_groups
            .iter()
            .map(|g| (g.name.as_str(), g.rows))
            .collect();
        assert_eq!(top, [("web", 3), ("big", 1), ("ml", 1)], "ties by name");
        assert_eq!(
            s.span,
            Span {
                first_arrival_s: 0.0,
                last_arrival_s: 3700.0,
                last_end_s: 3730.0
            }
        );
        assert_eq!(s.arrivals.per_hour, [3, 2]);
        assert_eq!(s.arrivals.mean_per_hour, 2.5);
        assert_eq!((s.arrivals.peak_hour, s.arrivals.peak_per_hour), (0, 3));

        // Sorted CPU: 256 256 512 4096 32768; ranks: p50 ⌈2.5⌉=3, p95/p99 ⌈4.75⌉=⌈4.95⌉=5.
        assert_eq!(
            s.cpu_units,
            Percentiles {
                min: 256,
                p50: 512,
                p95: 32768,
                p99: 32768,
                max: 32768,
                mean: 37888.0 / 5.0,
                resolution: 1
            }
        );
        // Sorted memory: 512 600 1024 1024 30721.
        assert_eq!(
            (s.memory_mib.p50, s.memory_mib.p95, s.memory_mib.max),
            (1024, 30721, 30721)
        );
        // Sorted durations (ms): 10k 30k 50k 100k 100k.
        assert_eq!(
            (
                s.duration_ms.min,
                s.duration_ms.p50,
                s.duration_ms.p99,
                s.duration_ms.mean
            ),
            (10_000, 50_000, 100_000, 58_000.0)
        );

        // At 10 s: a + b = 768 CPU, 1536 MiB, 2 tasks. At 60 s b has ended: a + c = 4352 CPU,
        // 31233 MiB. At 3700 s: d alone, then d + e = 33024 CPU (the CPU peak), 1624 MiB.
        assert_eq!(
            s.peak,
            Peak {
                cpu_units: 33024,
                cpu_at_s: 3700.0,
                memory_mib: 31233,
                memory_at_s: 60.0,
                tasks: 2,
                tasks_at_s: 10.0
            }
        );

        // Σ duration = 290 s; Σ cpu×s = 25600 + 25600 + 409600 + 2560 + 983040 = 1446400.
        assert!((s.totals.task_hours - 290.0 / 3600.0).abs() < 1e-12);
        assert!((s.totals.vcpu_hours - 1_446_400.0 / 1024.0 / 3600.0).abs() < 1e-12);

        // Usage: CPU on a (128 × 100 s) and c (1024 × 100 s) of requested 256 × 100 + 4096 × 100.
        assert_eq!((s.usage.cpu_rows, s.usage.memory_rows), (2, 0));
        assert_eq!(s.usage.cpu_used_mean_units, 576.0);
        assert!((s.usage.cpu_used_of_requested - 1152.0 / 4352.0).abs() < 1e-12);
        assert_eq!(s.usage.memory_used_of_requested, 0.0);

        // Sizes: a → 256/512, b → 512/1024, c → 8192/32768 (4 vCPU stops at 30 GiB),
        // d → 256/1024 (600 MiB rounds to 1 GiB), e fits nothing.
        let mix: Vec<(u32, u32, u64)> = s
            .fargate
            .sizes
            .iter()
            .map(|z| (z.cpu_units, z.memory_mib, z.tasks))
            .collect();
        assert_eq!(
            mix,
            [
                (256, 512, 1),
                (256, 1024, 1),
                (512, 1024, 1),
                (8192, 32768, 1)
            ]
        );
        assert_eq!(s.fargate.no_fit, 1);
        let rates = Pricing::us_east_1().fargate(Architecture::X86_64);
        let z = &s.fargate.sizes[1];
        assert_eq!(z.usd_per_hour, rates.per_hour(256, 1024));
        // d runs 10 s but is billed the 1-minute minimum.
        assert!((z.usd - rates.per_hour(256, 1024) / 60.0).abs() < 1e-15);
        assert_eq!(
            s.fargate.usd,
            s.fargate.sizes.iter().map(|z| z.usd).sum::<f64>()
        );
    }

    #[test]
    fn a_task_ending_when_another_arrives_does_not_overlap_it() {
        let s = stats(
            "arrival_s,duration_s,cpu_units,memory_mib\n0,5,1024,2048\n5,5,1024,2048\n10,1,512,512\n",
        );
        assert_eq!((s.peak.cpu_units, s.peak.tasks), (1024, 1));
        assert_eq!(s.peak.cpu_at_s, 0.0);
    }

    #[test]
    fn an_empty_trace_has_zero_everything() {
        let s = stats("arrival_s,duration_s,cpu_units,memory_mib\n");
        assert_eq!(s.rows, 0);
        assert_eq!(s.groups, 0);
        assert!(s.arrivals.per_hour.is_empty());
        assert_eq!(s.cpu_units.max, 0);
        assert_eq!(s.cpu_units.min, 0);
        assert_eq!(s.fargate.usd, 0.0);
    }

    #[test]
    fn histogram_percentiles_match_nearest_rank_on_the_sorted_values() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut values = Vec::new();
        let mut h = Histogram::new(EXACT_DISTINCT_VALUES);
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = x % 700;
            values.push(v);
            h.add(v);
        }
        values.sort_unstable();
        for p in [0.0, 1.0, 50.0, 95.0, 99.0, 99.9, 100.0] {
            assert_eq!(Some(h.percentile(p)), nearest_rank(&values, p), "p{p}");
        }
        assert_eq!(h.summary().resolution, 1);
    }

    #[test]
    fn a_coarsened_histogram_rounds_up_within_one_step_whenever_it_coarsened() {
        let values: Vec<u64> = (1..=1000).map(|i| i * 7 % 1009).collect();
        let mut small = Histogram::new(16);
        for &v in &values {
            small.add(v);
        }
        let step = small.summary().resolution;
        assert!(step > 1 && small.counts.len() <= 16);
        // Same as if every value had been added at the final step from the start.
        let mut direct = Histogram::new(usize::MAX);
        direct.step = step;
        for &v in &values {
            direct.add(v);
        }
        assert_eq!(small.counts, direct.counts);
        let mut sorted = values.clone();
        sorted.sort_unstable();
        for p in [50.0, 95.0, 99.0] {
            let exact = nearest_rank(&sorted, p).unwrap();
            let got = small.percentile(p);
            assert!(got >= exact && got - exact < step, "p{p}: {got} vs {exact}");
        }
        let s = small.summary();
        assert_eq!((s.min, s.max), (1, *sorted.last().unwrap()));
    }
}
