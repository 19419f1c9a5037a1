//! Validation: `sim` reproduces known results. Queueing theory built from ECS parts (Erlang C,
//! Erlang B, M/G/∞, Little's law) with tolerances from 95% confidence intervals over seeds, and
//! AWS facts (Fargate billing examples, size rounding, the CloudWatch reservation example, ENI
//! densities, the break-even utilisations of docs/reference/ecs-facts.md §8.2) run through the whole
//! `sim` pipeline. `docs/validation.md` holds the table these tests print:
//! `cargo test --test it validation::print_table -- --ignored --nocapture`; each test checks
//! that the doc's rows for it are what it measured (`doc_table`), and
//! `UPDATE_VALIDATION_DOC=1 cargo test --test it validation::print_table -- --ignored` rewrites
//! the table.

mod doc_table;

use std::fmt::Write as _;

use sim::sim::{ArmOutcome, Outcome, RunOptions, TaskOutcome};
use sim::sweep::stats::{Summary, summarise, t_quantile};

use crate::common::{CLOUDWATCH_EXAMPLE, load, root};

// ---- the table ------------------------------------------------------------------------------

/// One row of the validation table in docs/validation.md.
struct Row {
    case: String,
    source: String,
    expected: String,
    measured: String,
    tolerance: String,
    /// The test that checks (and prints) the row.
    test: &'static str,
    /// A statistical check (a confidence interval), counted in `CHECKS`.
    stochastic: bool,
}

impl Row {
    fn markdown(&self) -> String {
        format!(
            "| {} | {} | {} | {} | {} | `validation::{}` |",
            self.case, self.source, self.expected, self.measured, self.tolerance, self.test
        )
    }
}

/// Run `scenario` (every arm) under `seed`, recording every task.
fn run(scenario: &sim::scenario::Scenario, seed: u64) -> Outcome {
    let arms: Vec<usize> = (0..scenario.arms.len()).collect();
    let opts = RunOptions {
        record_tasks: true,
        ..RunOptions::default()
    };
    sim::sim::run(scenario, &arms, seed, opts, &|_, _| {}).unwrap_or_else(|e| panic!("run: {e}"))
}

/// Load scenario `text` from a temporary folder.
fn scenario(text: &str) -> sim::scenario::Scenario {
    let dir = tempfile::tempdir().expect("temporary folder");
    load(dir.path(), text)
}

/// Statistical checks in the suite (rows with `stochastic`); `print_table` counts them.
const CHECKS: usize = 48;

/// Half-width of the simultaneous 95% confidence interval of a mean over seeds: each of the
/// `CHECKS` intervals at level 1 − 0.05 / CHECKS (Bonferroni), so that a correct simulator
/// fails any of them with probability at most 5% (plain 95% intervals would fail about 2 of
/// 48 by chance).
fn half_width(s: &Summary) -> f64 {
    let t = t_quantile(1.0 - 0.05 / (2.0 * CHECKS as f64), s.n - 1).expect("several seeds");
    t * s.sd.expect("several seeds") / (s.n as f64).sqrt()
}

/// Whether the simultaneous confidence interval, widened by `extra` (a documented
/// discretisation term), holds `x`.
fn ci_holds(s: &Summary, extra: f64, x: f64) -> bool {
    (s.mean - x).abs() <= half_width(s) + extra
}

fn summary_of(xs: &[f64]) -> Summary {
    summarise(xs).expect("values")
}

// ---- queueing formulas ----------------------------------------------------------------------

/// Erlang B: the blocking probability of an M/M/c/c loss system with offered load `a` Erlangs,
/// by the stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// Erlang C: the probability that an arrival waits in an M/M/c queue (offered load `a` < c),
/// from Erlang B: C = B / (1 − ρ(1 − B)), ρ = a / c.
fn erlang_c(c: u32, a: f64) -> f64 {
    let b = erlang_b(c, a);
    b / (1.0 - a / f64::from(c) * (1.0 - b))
}

#[test]
fn erlang_formulas_match_textbook_values() {
    // Erlang B(c = 10, A = 5) = 0.018385 (standard Erlang B tables).
    assert!((erlang_b(10, 5.0) - 0.018_385).abs() < 5e-7);
    // B(1, A) = A / (1 + A).
    assert!((erlang_b(1, 1.0) - 0.5).abs() < 1e-15);
    // Erlang C(c = 2, A = 1) = 1/3: B(2, 1) = 0.2, C = 0.2 / (1 − 0.5 × 0.8).
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-15);
    // M/M/1: C = ρ.
    assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-15);
    // Stable for large c: B(100, 80) ≈ 0.00400 (tables: 0.004).
    let b = erlang_b(100, 80.0);
    assert!((b - 0.004).abs() < 0.0005, "{b}");
}

// ---- queueing systems built from ECS parts ---------------------------------------------------

/// Mean service time of the queueing cases, seconds.
const SERVICE_S: f64 = 60.0;

/// An EC2 arm of `c` identical m5.large instances, each holding exactly one task (2048 CPU
/// units of 2048), Poisson arrivals at `per_hour` from 0 to `end_h` hours, exponential run
/// times of mean 60 s, no start latency; `on_no_capacity` `queue` (M/M/c) or `fail` (M/M/c/c).
fn mmc_scenario(c: u32, per_hour: f64, end_h: u32, on_no_capacity: &str) -> String {
    format!(
        r#"
metrics_interval = "1m"
[[workload.jobs]]
name = "q"
arrival = {{ poisson = {{ per_hour = {per_hour} }} }}
duration = {{ exponential = {{ mean = "60s" }} }}
cpu = 2048
memory = 1024
end = "{end_h}h"
[[arm]]
name = "mmc"
launch_type = "EC2"
instance_types = ["m5.large"]
network_mode = "bridge"
capacity = {{ fixed = {c} }}
task_start_latency = "0s"
on_no_capacity = "{on_no_capacity}"
"#
    )
}

/// What one seed of a queueing run measured over the window [warm-up, end of arrivals).
#[derive(Debug)]
struct Window {
    /// Tasks that arrived in the window.
    arrived: u64,
    /// Of those, rejected.
    rejected: u64,
    /// Rate of arrivals that started, per second.
    lambda: f64,
    /// Mean wait (arrival to RUNNING) of the window's tasks that started, seconds.
    wait: f64,
    /// Mean run time (RUNNING to end) of the window's tasks that started, seconds.
    service: f64,
    /// Time-average of tasks waiting (timeseries samples in the window).
    pending: f64,
    /// Time-average of tasks placed or running (timeseries samples in the window).
    running: f64,
    /// Time-average of reserved ÷ registered CPU (timeseries samples in the window).
    util: f64,
}

/// Measure `a` over [`from_s`, `to_s`).
fn window(a: &ArmOutcome, from_s: f64, to_s: f64) -> Window {
    let (from, to) = ((from_s * 1000.0) as u64, (to_s * 1000.0) as u64);
    let tasks = a.tasks.as_ref().expect("task records");
    let inside: Vec<_> = tasks
        .iter()
        .filter(|t| (from..to).contains(&t.arrival.as_ms()))
        .collect();
    let rejected = inside
        .iter()
        .filter(|t| t.outcome == TaskOutcome::Rejected)
        .count() as u64;
    let started: Vec<_> = inside.iter().filter(|t| t.start.is_some()).collect();
    let mean = |f: &dyn Fn(&&&sim::sim::TaskRecord) -> f64| {
        started.iter().map(f).sum::<f64>() / started.len().max(1) as f64
    };
    let wait = mean(&|t| (t.start.unwrap().as_ms() - t.arrival.as_ms()) as f64 / 1000.0);
    let service = mean(&|t| (t.end.unwrap().as_ms() - t.start.unwrap().as_ms()) as f64 / 1000.0);
    let samples: Vec<_> = a
        .timeseries
        .iter()
        .filter(|x| (from..to).contains(&x.time.as_ms()))
        .collect();
    let n = samples.len() as f64;
    let avg = |f: &dyn Fn(&sim::sim::Sample) -> f64| samples.iter().map(|x| f(x)).sum::<f64>() / n;
    Window {
        arrived: inside.len() as u64,
        rejected,
        lambda: started.len() as f64 / (to_s - from_s),
        wait,
        service,
        pending: avg(&|x| x.tasks_pending as f64),
        running: avg(&|x| x.tasks_running as f64),
        util: avg(&|x| {
            if x.cpu_registered == 0 {
                0.0
            } else {
                x.cpu_reserved as f64 / x.cpu_registered as f64
            }
        }),
    }
}

/// Run `text` under seeds `first..first + n` and measure each over [`warmup_h`, `end_h`). Each
/// case takes its own seeds, so that cases do not share random numbers.
fn seeds(text: &str, first: u64, n: u64, warmup_h: f64, end_h: f64) -> Vec<Window> {
    let s = scenario(text);
    (first..first + n)
        .map(|seed| {
            let mut out = run(&s, seed);
            let a = out.arms.remove(0);
            crate::common::assert_conserved(&a);
            window(&a, warmup_h * 3600.0, end_h * 3600.0)
        })
        .collect()
}

/// Seeds per queueing case: the confidence intervals are over this many independent runs.
const SEEDS: u64 = 16;
/// Tasks per seed after the warm-up.
const TASKS_PER_SEED: f64 = 5_000.0;
/// Discretisation allowance on a mean wait, seconds: event times are integer milliseconds
/// (arrivals and run times rounded to the nearest ms), so a wait may be off by under 1 ms.
const MS_TERM_S: f64 = 0.001;

/// Window of a queueing case with `c` servers at offered load `a` Erlangs (run times of mean
/// 60 s): a warm-up of five relaxation times 1 / (cμ(1 − √ρ)²) (rounded up to the hour), then
/// `TASKS_PER_SEED` arrivals on average. Returns (warm-up hours, end hours).
fn case_window(c: u32, a: f64) -> (f64, f64) {
    let rho = (a / f64::from(c)).min(0.95);
    let mu_per_h = 3600.0 / SERVICE_S;
    let relax_h = 1.0 / (f64::from(c) * mu_per_h * (1.0 - rho.sqrt()).powi(2));
    let warmup = (5.0 * relax_h).ceil();
    let lambda_h = a * mu_per_h;
    (warmup, warmup + (TASKS_PER_SEED / lambda_h).ceil())
}

fn fmt_ci(s: &Summary, unit: &str, digits: usize) -> String {
    format!(
        "{:.*} ± {:.*}{unit} (n = {})",
        digits,
        s.mean,
        digits,
        s.ci95.unwrap_or(f64::NAN),
        s.n
    )
}

/// Little's law on the window of every seed: time-average waiting tasks (sampled each minute)
/// against arrival rate × mean wait, and tasks placed or running against arrival rate × mean
/// run time, over the tasks that started (a rejected task spends no time in the system); the
/// 95% CI over seeds of each difference must hold 0.
fn little_rows(case: &str, ws: &[Window], test: &'static str) -> Vec<Row> {
    let mut rows = Vec::new();
    for (what, l, lw) in [
        (
            "waiting: L_q = λ·W_q",
            ws.iter().map(|w| w.pending).collect::<Vec<_>>(),
            ws.iter().map(|w| w.lambda * w.wait).collect::<Vec<_>>(),
        ),
        (
            "running: L_s = λ·E[S]",
            ws.iter().map(|w| w.running).collect(),
            ws.iter().map(|w| w.lambda * w.service).collect(),
        ),
    ] {
        let d: Vec<f64> = l.iter().zip(&lw).map(|(a, b)| a - b).collect();
        let s = summary_of(&d);
        let lm = summary_of(&l).mean;
        let extra = ws.iter().map(|w| w.lambda).fold(0.0, f64::max) * MS_TERM_S;
        assert!(
            ci_holds(&s, extra, 0.0),
            "{case}: Little's law ({what}) fails: L − λW = {s:?}"
        );
        rows.push(Row {
            case: format!("Little's law, {case}, {what}"),
            source: "Little (1961)".into(),
            expected: "L − λW = 0".into(),
            measured: format!("L = {lm:.3}; L − λW = {}", fmt_ci(&s, "", 4)),
            tolerance: format!("sim. CI + λ·1 ms = {:.4}", half_width(&s) + extra),
            test,
            stochastic: true,
        });
    }
    rows
}

/// M/M/c: mean wait in queue (Erlang C), utilisation and Little's law, over `SEEDS` seeds.
fn mmc_case(c: u32, rho: f64, test: &'static str) -> Vec<Row> {
    let a = rho * f64::from(c);
    let (warmup, end) = case_window(c, a);
    let per_hour = a * 3600.0 / SERVICE_S;
    let first = 1000 * u64::from(c) + (rho * 100.0) as u64 * 10;
    let text = mmc_scenario(c, per_hour, end as u32, "queue");
    let ws = seeds(&text, first, SEEDS, warmup, end);
    let case = format!("M/M/{c}, ρ = {rho}");
    // Erlang C: W_q = C(c, a) / (cμ − λ).
    let wq = erlang_c(c, a) / (f64::from(c) / SERVICE_S - per_hour / 3600.0);
    let w = summary_of(&ws.iter().map(|w| w.wait).collect::<Vec<_>>());
    assert!(
        ci_holds(&w, MS_TERM_S, wq),
        "{case}: mean wait {w:?}, Erlang C gives {wq}"
    );
    let u = summary_of(&ws.iter().map(|w| w.util).collect::<Vec<_>>());
    assert!(
        ci_holds(&u, 0.0, rho),
        "{case}: utilisation {u:?}, ρ = {rho}"
    );
    let mut rows = vec![
        Row {
            case: format!("{case}: mean wait W_q"),
            source: "Erlang C: W_q = C(c, a) / (cμ − λ)".into(),
            expected: format!("{wq:.2} s"),
            measured: fmt_ci(&w, " s", 2),
            tolerance: format!("sim. CI + 1 ms = {:.2} s", half_width(&w) + MS_TERM_S),
            test,
            stochastic: true,
        },
        Row {
            case: format!("{case}: utilisation"),
            source: "M/M/c: ρ = λ / (cμ)".into(),
            expected: format!("{rho:.4}"),
            measured: fmt_ci(&u, "", 4),
            tolerance: format!("sim. CI = {:.4}", half_width(&u)),
            test,
            stochastic: true,
        },
    ];
    rows.extend(little_rows(&case, &ws, test));
    rows
}

fn mmc_rows_for(c: u32, test: &'static str) -> Vec<Row> {
    [0.5, 0.8, 0.9]
        .into_iter()
        .flat_map(|rho| mmc_case(c, rho, test))
        .collect()
}

fn mmc_1() -> Vec<Row> {
    mmc_rows_for(1, "mmc_1_erlang_c")
}
fn mmc_4() -> Vec<Row> {
    mmc_rows_for(4, "mmc_4_erlang_c")
}
fn mmc_16() -> Vec<Row> {
    mmc_rows_for(16, "mmc_16_erlang_c")
}

#[test]
fn mmc_1_erlang_c() {
    doc_table::assert_documented(&mmc_1());
}
#[test]
fn mmc_4_erlang_c() {
    doc_table::assert_documented(&mmc_4());
}
#[test]
fn mmc_16_erlang_c() {
    doc_table::assert_documented(&mmc_16());
}

// ---- heavy traffic, long runs (ignored: minutes in release) ---------------------------------

/// What one long M/M/1 run measured.
struct LongRun {
    /// Mean wait of the tasks that arrived in [warm-up, end), seconds.
    wait: f64,
    /// Mean wait of those tasks per batch of `batch_h` hours of arrivals (whole batches only).
    batches: Vec<f64>,
    /// Mean run time of every task of the run, seconds.
    s1: f64,
    /// Mean squared run time of every task of the run, s².
    s2: f64,
    /// Mean gap between consecutive arrivals, seconds.
    gap: f64,
    /// Coefficient of variation of the gaps.
    gap_cv: f64,
    /// Tasks that arrived in [warm-up, end).
    measured: usize,
}

/// One seed of M/M/1 (one m5.large, Poisson arrivals at `per_hour`, exponential run times of
/// mean 60 s) from empty to `end_h` hours of arrivals, measured over [`warmup_h`, `end_h`).
/// Checks, on every task, that the single server is an exact FIFO queue: a task starts at
/// max(its arrival, its predecessor's end) (Lindley's recursion, to the millisecond): no idle
/// time while a task waits, no reordering, a start at the very ms the predecessor ends.
fn mm1_long_run(per_hour: f64, seed: u64, warmup_h: f64, end_h: u32, batch_h: f64) -> LongRun {
    let text = mmc_scenario(1, per_hour, end_h, "queue")
        .replace("metrics_interval = \"1m\"", "metrics_interval = \"1h\"");
    let mut out = run(&scenario(&text), seed);
    let a = out.arms.remove(0);
    let mut tasks: Vec<(u64, u64, u64, u64)> = a
        .tasks
        .as_ref()
        .expect("task records")
        .iter()
        .map(|t| {
            let n = t.task_id.strip_prefix("q-").expect("job task id");
            (
                n.parse().expect("task number"),
                t.arrival.as_ms(),
                t.start.expect("every task starts").as_ms(),
                t.end.expect("every task ends").as_ms(),
            )
        })
        .collect();
    tasks.sort_unstable();
    let mut prev_end = 0;
    for &(n, arrival, start, end) in &tasks {
        assert_eq!(
            start,
            arrival.max(prev_end),
            "seed {seed}, task q-{n}: FIFO single server starts at max(arrival, previous end)"
        );
        prev_end = end;
    }
    let secs = |ms: u64| ms as f64 / 1000.0;
    let n = tasks.len() as f64;
    let s1 = tasks.iter().map(|t| secs(t.3 - t.2)).sum::<f64>() / n;
    let s2 = tasks.iter().map(|t| secs(t.3 - t.2).powi(2)).sum::<f64>() / n;
    let gaps: Vec<f64> = tasks.windows(2).map(|w| secs(w[1].1 - w[0].1)).collect();
    let gap = gaps.iter().sum::<f64>() / gaps.len() as f64;
    let gap_var = gaps.iter().map(|g| (g - gap).powi(2)).sum::<f64>() / gaps.len() as f64;
    let from = (warmup_h * 3_600_000.0) as u64;
    let batch_ms = (batch_h * 3_600_000.0) as u64;
    let whole = (u64::from(end_h) * 3_600_000 - from) / batch_ms;
    let mut sums = vec![(0.0, 0_usize); usize::try_from(whole).expect("batches")];
    let (mut total, mut measured) = (0.0, 0);
    for &(_, arrival, start, _) in tasks.iter().filter(|t| t.1 >= from) {
        let w = secs(start - arrival);
        total += w;
        measured += 1;
        if let Some(b) = sums.get_mut(usize::try_from((arrival - from) / batch_ms).expect("batch"))
        {
            b.0 += w;
            b.1 += 1;
        }
    }
    LongRun {
        wait: total / measured as f64,
        batches: sums.iter().map(|&(s, k)| s / k as f64).collect(),
        s1,
        s2,
        gap,
        gap_cv: gap_var.sqrt() / gap,
        measured,
    }
}

/// Half-width of the two-sided `level` confidence interval of the mean of `s`.
fn ci_at(s: &Summary, level: f64) -> f64 {
    let t = t_quantile(0.5 + level / 2.0, s.n - 1).expect("several values");
    t * s.sd.expect("several values") / (s.n as f64).sqrt()
}

/// M/M/1 at ρ = 0.8 and 0.9, 16 seeds of about a million arrivals each after a warm-up of
/// 100 h (16 relaxation times 1 / (μ(1 − √ρ)²) at ρ = 0.9): the mean wait against Erlang C
/// (M/M/1: W_q = ρ·E[S] / (1 − ρ)), by independent replications and by batch means (500 h
/// batches, about 80 relaxation times); the run times' first two moments against the
/// exponential's (E[S] = 60 s, E[S²] = 7,200 s²) and the Pollaczek–Khinchine wait
/// λE[S²] / (2(1 − ρ)) from the measured moments; the arrival gaps' mean and CV. Then whether
/// the windows of `mmc_1_erlang_c` (five relaxation times of warm-up from empty, then about
/// 5,000 arrivals) are biased: 512 seeds of that window against the same length of window
/// after 100 h. Prints what it measured (docs/validation.md, Findings).
#[test]
#[ignore = "long: about 35 million simulated tasks; run in release with --ignored --nocapture"]
#[allow(
    clippy::print_stdout,
    reason = "printing the measured figures is what this test is for"
)]
fn mm1_heavy_traffic_long_run() {
    const LONG_SEEDS: u64 = 16;
    const ARRIVALS: f64 = 1_000_000.0;
    const WARMUP_H: f64 = 100.0;
    const BATCH_H: f64 = 500.0;
    for (rho, first) in [(0.8, 800_000), (0.9, 900_000)] {
        let per_hour = rho * 3600.0 / SERVICE_S;
        let end_h = (WARMUP_H + (ARRIVALS / per_hour / BATCH_H).ceil() * BATCH_H) as u32;
        let runs: Vec<LongRun> = (first..first + LONG_SEEDS)
            .map(|seed| mm1_long_run(per_hour, seed, WARMUP_H, end_h, BATCH_H))
            .collect();
        let wq = rho * SERVICE_S / (1.0 - rho);
        let reps = summary_of(&runs.iter().map(|r| r.wait).collect::<Vec<_>>());
        let batches: Vec<f64> = runs.iter().flat_map(|r| r.batches.clone()).collect();
        let bm = summary_of(&batches);
        let s1 = summary_of(&runs.iter().map(|r| r.s1).collect::<Vec<_>>());
        let s2 = summary_of(&runs.iter().map(|r| r.s2).collect::<Vec<_>>());
        let gap = summary_of(&runs.iter().map(|r| r.gap).collect::<Vec<_>>());
        let cv = summary_of(&runs.iter().map(|r| r.gap_cv).collect::<Vec<_>>());
        let measured: usize = runs.iter().map(|r| r.measured).sum();
        // Pollaczek–Khinchine with the measured moments and arrival rate.
        let lambda = 1.0 / gap.mean;
        let pk = lambda * s2.mean / (2.0 * (1.0 - lambda * s1.mean));
        println!(
            "M/M/1, ρ = {rho}: {measured} measured arrivals ({LONG_SEEDS} seeds × {:.0} h after \
             {WARMUP_H} h of warm-up); Erlang C W_q = {wq:.2} s\n  \
             replications: W = {:.2} ± {:.2} s (95%), ± {:.2} s (99%)\n  \
             batch means ({} batches of {BATCH_H} h): W = {:.2} ± {:.2} s (95%)\n  \
             run times: E[S] = {:.3} ± {:.3} s, E[S²] = {:.1} ± {:.1} s²; arrival gaps: mean \
             {:.3} ± {:.3} s (nominal {:.3}), CV {:.4} ± {:.4}\n  \
             P-K from the measured moments: {pk:.2} s",
            f64::from(end_h) - WARMUP_H,
            reps.mean,
            ci_at(&reps, 0.95),
            ci_at(&reps, 0.99),
            bm.n,
            bm.mean,
            ci_at(&bm, 0.95),
            s1.mean,
            ci_at(&s1, 0.95),
            s2.mean,
            ci_at(&s2, 0.95),
            gap.mean,
            ci_at(&gap, 0.95),
            3600.0 / per_hour,
            cv.mean,
            ci_at(&cv, 0.95),
        );
        assert!(
            (reps.mean - wq).abs() <= ci_at(&reps, 0.99) + MS_TERM_S,
            "ρ = {rho}: mean wait {reps:?}, Erlang C {wq}"
        );
        assert!(
            (s1.mean - SERVICE_S).abs() <= ci_at(&s1, 0.99),
            "E[S] {s1:?}"
        );
        assert!(
            (s2.mean - 2.0 * SERVICE_S * SERVICE_S).abs() <= ci_at(&s2, 0.99),
            "E[S²] {s2:?}"
        );
        assert!(
            (gap.mean - 3600.0 / per_hour).abs() <= ci_at(&gap, 0.99),
            "gap {gap:?}"
        );
        assert!((cv.mean - 1.0).abs() <= ci_at(&cv, 0.99), "gap CV {cv:?}");
    }
    // The short windows of `mmc_1_erlang_c` at ρ = 0.9, from many seeds: the suite's window
    // [warm-up, warm-up + 5,000 arrivals) against a window of the same length after 100 h.
    const SHORT_SEEDS: u64 = 512;
    let (rho, c) = (0.9, 1);
    let per_hour = rho * 3600.0 / SERVICE_S;
    let (warmup, end) = case_window(c, rho);
    let late = (WARMUP_H, WARMUP_H + end - warmup);
    let text = mmc_scenario(c, per_hour, late.1 as u32, "queue");
    let s = scenario(&text);
    let (mut suite, mut after) = (Vec::new(), Vec::new());
    for seed in 990_000..990_000 + SHORT_SEEDS {
        let mut out = run(&s, seed);
        let a = out.arms.remove(0);
        suite.push(window(&a, warmup * 3600.0, end * 3600.0).wait);
        after.push(window(&a, late.0 * 3600.0, late.1 * 3600.0).wait);
    }
    let wq = rho * SERVICE_S / (1.0 - rho);
    let (suite, after) = (summary_of(&suite), summary_of(&after));
    println!(
        "M/M/1, ρ = {rho}, windows of {:.0} h, {SHORT_SEEDS} seeds: after {warmup} h from empty \
         (the suite's) W = {:.2} ± {:.2} s; after {} h W = {:.2} ± {:.2} s (95%); Erlang C \
         {wq:.2} s",
        end - warmup,
        suite.mean,
        ci_at(&suite, 0.95),
        late.0,
        after.mean,
        ci_at(&after, 0.95),
    );
    for (what, w) in [("the suite's window", &suite), ("the late window", &after)] {
        assert!(
            (w.mean - wq).abs() <= ci_at(w, 0.99) + MS_TERM_S,
            "{what}: mean wait {w:?}, Erlang C {wq}"
        );
    }
}

/// The single server of M/M/1 is an exact FIFO queue to the millisecond (Lindley's recursion,
/// checked on every task by `mm1_long_run`): a short run at ρ = 0.9, about 2,000 arrivals.
#[test]
fn mm1_follows_lindley_recursion() {
    let r = mm1_long_run(54.0, 970_001, 0.0, 40, 10.0);
    assert!(r.measured > 1_500, "{} arrivals", r.measured);
    assert_eq!(r.batches.len(), 4);
}

/// M/M/c/c with `on_no_capacity = "fail"` (plain RunTask: a task that cannot be placed at once
/// fails, docs/reference/ecs-facts.md §5.5 line 194 for the queueing alternative): the fraction of
/// arrivals rejected against Erlang B.
fn mmcc_case(c: u32, a: f64, test: &'static str) -> Vec<Row> {
    let warmup = 1.0;
    let per_hour = a * 3600.0 / SERVICE_S;
    let end = warmup + (TASKS_PER_SEED / per_hour).ceil();
    let first = 50_000 + 1000 * u64::from(c) + (a * 10.0) as u64 * 10;
    let ws = seeds(
        &mmc_scenario(c, per_hour, end as u32, "fail"),
        first,
        SEEDS,
        warmup,
        end,
    );
    let case = format!("M/M/{c}/{c}, A = {a} Erl");
    let b = erlang_b(c, a);
    let blocked: Vec<f64> = ws
        .iter()
        .map(|w| w.rejected as f64 / w.arrived as f64)
        .collect();
    let s = summary_of(&blocked);
    assert!(ci_holds(&s, 0.0, b), "{case}: blocking {s:?}, Erlang B {b}");
    for w in &ws {
        assert!(
            w.wait == 0.0 && w.pending == 0.0,
            "{case}: nothing waits: {w:?}"
        );
    }
    let mut rows = vec![Row {
        case: format!("{case}: blocking probability"),
        source: "Erlang B (insensitive to the run-time distribution)".into(),
        expected: format!("{b:.5}"),
        measured: fmt_ci(&s, "", 5),
        tolerance: format!("sim. CI = {:.5}", half_width(&s)),
        test,
        stochastic: true,
    }];
    rows.extend(little_rows(&case, &ws, test).into_iter().skip(1));
    rows
}

fn mmcc() -> Vec<Row> {
    let test = "mmcc_erlang_b_with_on_no_capacity_fail";
    [(1, 1.0), (4, 2.0), (10, 5.0), (16, 16.0)]
        .into_iter()
        .flat_map(|(c, a)| mmcc_case(c, a, test))
        .collect()
}

#[test]
fn mmcc_erlang_b_with_on_no_capacity_fail() {
    doc_table::assert_documented(&mmcc());
}

/// M/G/∞: a Fargate arm (no vCPU quota; the launch-rate bucket, 20 tasks/s, far above the
/// arrival rate) with start latency 0, so every task runs at arrival; mean concurrency against
/// λ·E[S] for non-exponential run times.
fn mginf_case(duration: &str, mean_s: f64, per_hour: f64, test: &'static str) -> Vec<Row> {
    let (warmup, end) = (6.0, 6.0 + (TASKS_PER_SEED / per_hour).ceil());
    let text = format!(
        r#"
metrics_interval = "1m"
[[workload.jobs]]
name = "g"
arrival = {{ poisson = {{ per_hour = {per_hour} }} }}
duration = {duration}
cpu = 256
memory = 512
end = "{end}h"
[[arm]]
name = "fargate"
launch_type = "FARGATE"
task_start_latency = "0s"
"#
    );
    let first = 90_000 + per_hour as u64;
    let ws = seeds(&text, first, SEEDS, warmup, end);
    let case = format!("M/G/∞ on Fargate, run time {duration}");
    let l = per_hour / 3600.0 * mean_s;
    let s = summary_of(&ws.iter().map(|w| w.running).collect::<Vec<_>>());
    assert!(
        ci_holds(&s, 0.0, l),
        "{case}: concurrency {s:?}, λE[S] = {l}"
    );
    for w in &ws {
        assert!(
            w.wait == 0.0 && w.pending == 0.0 && w.rejected == 0,
            "{case}: {w:?}"
        );
    }
    let mut rows = vec![Row {
        case: format!("{case}: mean tasks running"),
        source: "M/G/∞: L = λ·E[S]".into(),
        expected: format!("{l:.3}"),
        measured: fmt_ci(&s, "", 3),
        tolerance: format!("sim. CI = {:.3}", half_width(&s)),
        test,
        stochastic: true,
    }];
    rows.extend(little_rows(&case, &ws, test).into_iter().skip(1));
    rows
}

fn mginf() -> Vec<Row> {
    let test = "mginf_fargate_concurrency";
    let mut rows = mginf_case(
        r#"{ lognormal = { median = "10m", sigma = 0.8 } }"#,
        600.0 * (0.32f64).exp(),
        360.0,
        test,
    );
    rows.extend(mginf_case(
        r#"{ uniform = { min = "1m", max = "5m" } }"#,
        180.0,
        1200.0,
        test,
    ));
    rows
}

#[test]
fn mginf_fargate_concurrency() {
    doc_table::assert_documented(&mginf());
}

// ---- AWS facts through the whole pipeline ----------------------------------------------------

/// The original of one of `data/`'s tables, from the research notes' directory beside the
/// repository (as the trace samples are), so the model is checked against the source table and
/// not only against its embedded copy.
fn reference_csv(name: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let path = root().join("../shared/reference").join(name);
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let h = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            h.iter()
                .zip(rec.iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn fact_row(
    case: String,
    source: &str,
    expected: String,
    measured: String,
    tolerance: &str,
    test: &'static str,
) -> Row {
    Row {
        case,
        source: source.into(),
        expected,
        measured,
        tolerance: tolerance.into(),
        test,
        stochastic: false,
    }
}

/// One Fargate arm running `n` tasks of `cpu`/`memory` (`storage` GiB) of fixed `duration`, one
/// an hour, start latency 0; its total cost.
fn fargate_cost(arch: &str, n: u32, duration: &str, cpu: u32, memory: u32, storage: u32) -> f64 {
    let s = scenario(&format!(
        r#"
[[workload.jobs]]
name = "e"
arrival = {{ fixed_interval = "1h" }}
max_tasks = {n}
duration = "{duration}"
cpu = {cpu}
memory = {memory}
ephemeral_storage_gib = {storage}
[[arm]]
name = "fargate"
launch_type = "FARGATE"
cpu_architecture = "{arch}"
task_start_latency = "0s"
"#
    ));
    let a = run(&s, 1).arms.remove(0);
    assert_eq!(a.summary.tasks_completed, u64::from(n));
    a.summary.cost_usd
}

/// One Windows Fargate arm running `n` tasks of `cpu`/`memory` of fixed `duration`, one an
/// hour, start latency 0, with `pricing` lines in `[pricing]`: its total cost and the OS
/// licence part.
fn fargate_windows_cost(
    n: u32,
    duration: &str,
    cpu: u32,
    memory: u32,
    pricing: &str,
) -> (f64, f64) {
    let s = scenario(&format!(
        r#"
[pricing]
{pricing}
[[workload.jobs]]
name = "e"
arrival = {{ fixed_interval = "1h" }}
max_tasks = {n}
duration = "{duration}"
cpu = {cpu}
memory = {memory}
os = "windows"
[[arm]]
name = "fargate-windows"
launch_type = "FARGATE"
os = "windows"
task_start_latency = "0s"
"#
    ));
    let a = run(&s, 1).arms.remove(0);
    assert_eq!(a.summary.tasks_completed, u64::from(n));
    (a.summary.cost_usd, a.summary.cost_fargate_os_licence_usd)
}

fn fargate_billing() -> Vec<Row> {
    let test = "fargate_billing_examples";
    let src = "Fargate pricing page [FP], ecs-facts §1.3–§1.5 (lines 36–55)";
    let mut rows = Vec::new();
    // The pricing page's examples, with its per-second rates: (name, arch, tasks, duration,
    // cpu, memory, storage, per vCPU-s, per GB-s, page total as printed: the sum of
    // cent-rounded parts). Example 3 (EKS pods) has the same arithmetic as ECS tasks.
    for (name, arch, n, dur, secs, cpu, mem, storage, vcpu_s, gb_s, page) in [
        (
            "Example 1: 5 tasks × 10 min × 30 days, 1 vCPU, 2 GB, 30 GB storage, x86",
            "X86_64",
            150,
            "10m",
            600.0,
            1024,
            2048,
            30,
            0.000_011_244,
            0.000_001_235,
            1.26,
        ),
        (
            "Example 2: same on Graviton (ARM)",
            "ARM64",
            150,
            "10m",
            600.0,
            1024,
            2048,
            30,
            0.000_008_994_4,
            0.000_000_988_9,
            1.02,
        ),
        (
            "Example 3: 10 × 1 h × 30 days, 0.25 vCPU, 1 GB, x86",
            "X86_64",
            300,
            "1h",
            3600.0,
            256,
            1024,
            20,
            0.000_011_244,
            0.000_001_235,
            4.37,
        ),
    ] {
        let vcpu = f64::from(cpu) / 1024.0;
        let gb = f64::from(mem) / 1024.0;
        let extra_gb = f64::from(storage - 20);
        let exact = f64::from(n) * secs * (vcpu * vcpu_s + gb * gb_s + extra_gb * 0.000_000_030_8);
        let measured = fargate_cost(arch, n, dur, cpu, mem, storage);
        // sim bills at the hourly rates (0.04048 $/vCPU-h …); the page's per-second rates are
        // rounded to 4–5 digits: at most 1e-9 $ per task-second apart.
        let rate_tol = f64::from(n) * secs * 1e-9;
        assert!(
            (measured - exact).abs() <= rate_tol,
            "{name}: {measured} vs {exact}"
        );
        // The page prints cent-rounded parts (vCPU, memory, storage): at most 1.5 cents.
        assert!(
            (measured - page).abs() <= 0.015,
            "{name}: {measured} vs page {page}"
        );
        rows.push(fact_row(
            format!("Fargate billing, {name}"),
            src,
            format!("${exact:.5} (page: ${page:.2})"),
            format!("${measured:.5}"),
            &format!(
                "${rate_tol:.5} (page's rate rounding); page total ± $0.015 (cent-rounded parts)"
            ),
            test,
        ));
    }
    // Example 4 (Windows), the page's own words: "your service uses 10 ECS Tasks running
    // Windows for 1 hour (3600 seconds) every day for one month (30 days), where each ECS Task
    // uses 1 vCPU and 2GB memory"; vCPU 10 × 1 × 0.0000254167 × 3600 × 30 = $27.45, Windows
    // OS 10 × 1 × 0.0000127778 × 3600 × 30 = $13.80, memory 10 × 2 × 0.0000027778 × 3600 × 30
    // = $6.00, total $47.25. (Workload text read in a copy of https://aws.amazon.com/fargate/pricing/
    // kept in a public repository, found by searching for "0.0000254167"; the rates are those
    // of docs/reference/ecs-facts.md §1.4 and pricing.md §1.3.) The page's rates are given to
    // sim as [pricing] overrides (each per-second rate × 3600): the built-in Windows rates are
    // UNCERTAIN (pricing.md §1.3) and are not the page's.
    {
        let (vcpu_s, os_s, gb_s) = (0.000_025_416_7, 0.000_012_777_8, 0.000_002_777_8);
        let (n, secs) = (300u32, 3600.0);
        let exact = f64::from(n) * secs * (vcpu_s + os_s + 2.0 * gb_s);
        let (measured, licence) = fargate_windows_cost(
            n,
            "1h",
            1024,
            2048,
            &format!(
                "fargate_windows_vcpu_hour = {}\nfargate_windows_os_licence_vcpu_hour = {}\nfargate_windows_gb_hour = {}\n",
                vcpu_s * 3600.0,
                os_s * 3600.0,
                gb_s * 3600.0
            ),
        );
        let rate_tol = f64::from(n) * secs * 1e-12;
        assert!(
            (measured - exact).abs() <= rate_tol,
            "Example 4: {measured} vs {exact}"
        );
        // The licence part alone is the page's "Monthly Windows OS charges", $13.80.
        assert!(
            (licence - 13.80).abs() < 0.005,
            "Example 4 licence: {licence}"
        );
        // To the cent: $47.250108 rounds to the page's $47.25.
        assert!(
            (measured - 47.25).abs() < 0.005,
            "Example 4: {measured} vs page 47.25"
        );
        rows.push(fact_row(
            "Fargate billing, Example 4: 10 × 1 h × 30 days, 1 vCPU, 2 GB, Windows (page's rates as [pricing] overrides)".into(),
            src,
            format!("${exact:.5} (page: $47.25; OS licence $13.80)"),
            format!("${measured:.5} (OS licence ${licence:.2})"),
            &format!("${rate_tol:.6}; page total ± $0.005 (to the cent)"),
            test,
        ));
    }
    // Windows' 5-minute minimum (pricing.md §1.5): one 1 vCPU / 2 GiB Windows task of 90 s is
    // billed 300 s of vCPU, memory and licence, at the built-in (UNCERTAIN) rates:
    // 300 × (0.046552 + 2 × 0.0051117 + 0.046) / 3600.
    {
        let (measured, _) = fargate_windows_cost(1, "90s", 1024, 2048, "");
        let expected = 300.0 * (0.046552 + 2.0 * 0.0051117 + 0.046) / 3600.0;
        assert!(
            (measured - expected).abs() < 1e-12,
            "90 s Windows: {measured} vs {expected}"
        );
        rows.push(fact_row(
            "Fargate billing, one Windows task of 90s: billed 300 s".into(),
            "pricing.md §1.5: Windows per second, 5-minute minimum",
            format!("${expected:.8}"),
            format!("${measured:.8}"),
            "1e-12",
            test,
        ));
    }
    // The 1-minute minimum and per-second rounding: 1 vCPU / 2 GiB x86.
    let hourly = 0.04048 + 2.0 * 0.004445;
    for (dur, billed) in [("30s", 60.0), ("100500ms", 101.0), ("61s", 61.0)] {
        let measured = fargate_cost("X86_64", 1, dur, 1024, 2048, 20);
        let expected = billed * hourly / 3600.0;
        assert!(
            (measured - expected).abs() < 1e-12,
            "{dur}: {measured} vs {expected}"
        );
        rows.push(fact_row(
            format!("Fargate billing, one task of {dur}: billed {billed} s"),
            "ecs-facts §1.3 line 38: per second, 1-minute minimum",
            format!("${expected:.8}"),
            format!("${measured:.8}"),
            "1e-12",
            test,
        ));
    }
    rows
}

#[test]
fn fargate_billing_examples() {
    doc_table::assert_documented(&fargate_billing());
}

/// Every valid Fargate size of fargate_sizes.csv, requested exactly and 1 unit / 1 MiB below,
/// runs one hour on x86 and on ARM: each is billed at that size, at the csv's hourly price.
fn fargate_sizes() -> Vec<Row> {
    let test = "fargate_size_rounding_and_prices";
    let sizes = reference_csv("fargate_sizes.csv");
    let mut trace = String::from("arrival_s,duration_s,cpu_units,memory_mib,task_id\n");
    for (i, r) in sizes.iter().enumerate() {
        let (c, m) = (&r["cpu_units"], &r["memory_mib"]);
        let (ci, mi): (u32, u32) = (c.parse().unwrap(), m.parse().unwrap());
        writeln!(trace, "0,3600,{c},{m},exact-{i}").unwrap();
        writeln!(trace, "0,3600,{},{},below-{i}", ci - 1, mi - 1).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    crate::common::write(dir.path(), "sizes.csv", &trace);
    let s = load(
        dir.path(),
        r#"
[workload]
trace = "sizes.csv"
[[arm]]
name = "x86"
launch_type = "FARGATE"
task_start_latency = "0s"
[[arm]]
name = "arm"
launch_type = "FARGATE"
cpu_architecture = "ARM64"
task_start_latency = "0s"
"#,
    );
    let out = run(&s, 1);
    let mut checked = 0;
    for (a, col) in out.arms.iter().zip([
        "derived_linux_x86_usd_per_hour",
        "derived_linux_arm_usd_per_hour",
    ]) {
        let tasks = a.tasks.as_ref().unwrap();
        for (i, r) in sizes.iter().enumerate() {
            let price: f64 = r[col].parse().unwrap();
            for id in [format!("exact-{i}"), format!("below-{i}")] {
                let t = tasks.iter().find(|t| t.task_id == id).unwrap();
                assert_eq!(
                    (
                        t.fargate_cpu.unwrap().to_string(),
                        t.fargate_memory_mib.unwrap().to_string()
                    ),
                    (r["cpu_units"].clone(), r["memory_mib"].clone()),
                    "{}: {id}",
                    a.arm
                );
                // The csv's prices are rounded to 7 decimals.
                assert!(
                    (t.cost_usd.unwrap() - price).abs() <= 5e-8,
                    "{} {id}: {:?} vs {price}",
                    a.arm,
                    t.cost_usd
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 74);
    vec![fact_row(
        format!(
            "Fargate sizes: all {} valid sizes, requested exactly and 1 unit/1 MiB below, x86 and ARM, 1 h each",
            sizes.len()
        ),
        "data/fargate_sizes.csv; ecs-facts §1.1 (rounding up, line 28)",
        "billed size = the csv row; cost = csv hourly price".into(),
        format!("{checked} of {checked} tasks match"),
        "price ± 5e-8 (csv rounds to 7 decimals)",
        test,
    )]
}

#[test]
fn fargate_size_rounding_and_prices() {
    doc_table::assert_documented(&fargate_sizes());
}

/// ecs-facts §2.2 (line 93) [DG-CW]: c4.4xlarge + c4.large, ten tasks of 1,024 units /
/// 2,048 MiB: 55.56% CPU and 60.37% memory reservation (AWS shows 55% and 60%).
fn cloudwatch() -> Vec<Row> {
    let s = scenario(&format!("horizon = \"1h\"\n{CLOUDWATCH_EXAMPLE}"));
    let a = run(&s, 1).arms.remove(0);
    let last = a.timeseries.last().unwrap();
    let cpu = 100.0 * last.cpu_reserved as f64 / last.cpu_registered as f64;
    let mem = 100.0 * last.mem_reserved as f64 / last.mem_registered as f64;
    assert!(
        (cpu - 100.0 * 10_240.0 / 18_432.0).abs() < 1e-9
            && (mem - 100.0 * 20_480.0 / 33_926.0).abs() < 1e-9
    );
    assert_eq!((cpu.floor(), mem.floor()), (55.0, 60.0));
    // The time-integrated figure of summary.csv: the tasks arrive in the first 9 ms.
    let util = a.summary.cpu_reserved_util.unwrap();
    assert!((util - 10_240.0 / 18_432.0).abs() < 1e-5, "{util}");
    vec![fact_row(
        "CloudWatch CPUReservation / MemoryReservation example".into(),
        "ecs-facts §2.2 line 93 [DG-CW]",
        "55% / 60% (exact 55.56% / 60.37%)".into(),
        format!(
            "{cpu:.2}% / {mem:.2}%; summary cpu_reserved_util {:.4}",
            util
        ),
        "exact (registered 18,432 units / 33,926 MiB)",
        "cloudwatch_reservation_example",
    )]
}

#[test]
fn cloudwatch_reservation_example() {
    doc_table::assert_documented(&cloudwatch());
}

/// Every type of the embedded catalog: one instance, awsvpc, 100 tasks of 16 units / 16 MiB;
/// the tasks that run are the csv's awsvpc task limit, without and with ENI trunking.
fn eni_densities() -> Vec<Row> {
    let test = "eni_density_of_every_catalog_type";
    let reference = reference_csv("instance_types.csv");
    let catalog = sim::model::Catalog::builtin();
    let names: Vec<&str> = catalog.types().iter().map(|t| t.name.as_str()).collect();
    let mut listed: Vec<&str> = reference
        .iter()
        .map(|r| r["instance_type"].as_str())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    listed.sort_unstable();
    assert_eq!(
        sorted, listed,
        "the catalog holds exactly the reference types"
    );
    let mut text = String::from(
        "horizon = \"10m\"\n[[workload.jobs]]\nname = \"small\"\narrival = { fixed_interval = \"1ms\" }\nmax_tasks = 100\nduration = \"1h\"\ncpu = 16\nmemory = 16\n",
    );
    for n in &names {
        for trunk in [false, true] {
            writeln!(
                text,
                "[[arm]]\nname = \"{n}-{trunk}\"\nlaunch_type = \"EC2\"\ninstance_types = [\"{n}\"]\nnetwork_mode = \"awsvpc\"\neni_trunking = {trunk}\ncapacity = {{ fixed = 1 }}\ntask_start_latency = \"0s\""
            )
            .unwrap();
        }
    }
    let out = run(&scenario(&text), 1);
    let mut mismatches = Vec::new();
    for r in &reference {
        let name = &r["instance_type"];
        let plain: u64 = r["awsvpc_tasks_no_trunking"].parse().unwrap();
        let enis: u64 = r["max_enis"].parse().unwrap();
        assert_eq!(plain, enis - 1, "{name}: the csv itself says max ENIs − 1");
        // `not_supported`: trunking changes nothing on that type (docs/model.md §4).
        let trunk: u64 = r["awsvpc_tasks_with_trunking"].parse().unwrap_or(plain);
        for (flag, expected) in [(false, plain), (true, trunk)] {
            let a = out
                .arms
                .iter()
                .find(|a| a.arm == format!("{name}-{flag}"))
                .unwrap();
            if a.summary.tasks_running_at_end != expected {
                mismatches.push(format!(
                    "{name} trunking={flag}: {} ≠ {expected}",
                    a.summary.tasks_running_at_end
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:?}");
    vec![fact_row(
        format!(
            "ENI density: awsvpc tasks per instance, all {} catalog types, without and with trunking",
            names.len()
        ),
        "data/instance_types.csv (max_enis − 1; trunking column; t3 not supported); ecs-facts §2.3–§2.4",
        format!(
            "{} limits from the csv (e.g. m5.large 2 / 10, m6i.8xlarge 7 / 90, t3.medium 2 / 2)",
            2 * names.len()
        ),
        format!(
            "{} of {} match",
            2 * names.len() - mismatches.len(),
            2 * names.len()
        ),
        "exact",
        test,
    )]
}

#[test]
fn eni_density_of_every_catalog_type() {
    doc_table::assert_documented(&eni_densities());
}

/// ecs-facts §8.2: u* = EC2 $/h ÷ Fargate $/h of the instance's full vCPU + GiB. One instance
/// of the type (fixed, bridge) and a Fargate arm run `k` of `n` equal tasks that exactly fill
/// the instance (exact Fargate sizes: no rounding) for one hour; the Fargate ÷ EC2 cost ratio
/// is below 1 at k_lo / n and above 1 at k_hi / n, and u* = (k/n) ÷ ratio.
fn breakeven() -> Vec<Row> {
    let test = "breakeven_utilisation_by_family";
    let mut rows = Vec::new();
    // (type, architecture, tasks that fill it, task memory MiB (256 CPU units each), u* of the
    // table, in %).
    for (ty, arch, n, mem, table) in [
        ("m5.xlarge", "X86_64", 16, 1024, 82.4),
        ("c5.xlarge", "X86_64", 16, 512, 86.1),
        ("r5.xlarge", "X86_64", 16, 2048, 82.9),
        ("m7g.xlarge", "ARM64", 16, 1024, 87.5),
        ("c7g.xlarge", "ARM64", 16, 512, 91.8),
        ("t3.medium", "X86_64", 8, 512, 42.1),
        ("t3.xlarge", "X86_64", 16, 1024, 71.4),
    ] {
        let k_lo = (f64::from(n) * table / 100.0).floor() as u32;
        let mut measured = Vec::new();
        for k in [k_lo, k_lo + 1] {
            let s = scenario(&format!(
                r#"
horizon = "1h"
[[workload.jobs]]
name = "steady"
arrival = {{ fixed_interval = "1ms" }}
max_tasks = {k}
duration = "2h"
cpu = 256
memory = {mem}
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["{ty}"]
network_mode = "bridge"
capacity = {{ fixed = 1 }}
task_start_latency = "0s"
[[arm]]
name = "fargate"
launch_type = "FARGATE"
cpu_architecture = "{arch}"
task_start_latency = "0s"
"#
            ));
            let out = run(&s, 1);
            let (ec2, fg) = (&out.arms[0].summary, &out.arms[1].summary);
            assert_eq!(
                ec2.tasks_running_at_end,
                u64::from(k),
                "{ty}: all {k} tasks fit one instance"
            );
            let ratio = fg.cost_usd / ec2.cost_usd;
            measured.push((k, ratio, f64::from(k) / f64::from(n) / ratio));
        }
        let (lo, hi) = (measured[0], measured[1]);
        assert!(
            lo.1 < 1.0 && hi.1 > 1.0,
            "{ty}: the ratio crosses 1 between {lo:?} and {hi:?}"
        );
        let u = lo.2 * 100.0;
        assert!(
            (u - hi.2 * 100.0).abs() < 1e-9,
            "{ty}: u* the same at both packings"
        );
        // The table rounds u* to 0.1%; billing is exact here (whole seconds, no minimum at the
        // end of the run, exact Fargate sizes).
        assert!(
            (u - table).abs() <= 0.05 + 1e-9,
            "{ty}: u* {u} vs table {table}"
        );
        rows.push(fact_row(
            format!("Break-even utilisation, {ty} vs Fargate {arch}"),
            "ecs-facts §8.2 (lines 275–283)",
            format!("u* = {table}%"),
            format!(
                "Fargate ÷ EC2 = {:.4} at {}/{n}, {:.4} at {}/{n}; u* = {u:.2}%",
                lo.1, lo.0, hi.1, hi.0
            ),
            "± 0.05 points (table rounding)",
            test,
        ));
    }
    rows
}

#[test]
fn breakeven_utilisation_by_family() {
    doc_table::assert_documented(&breakeven());
}

/// Little's law on every shipped scenario, arm by arm, over the whole run [0, end]: the area
/// under tasks-in-system (waiting + placed or running) of timeseries.csv, a left Riemann sum
/// over its samples, against Σ time in system of tasks.csv (first arrival to last end of each
/// task, cut at the end; a rejected task spends none), i.e. L·T = λT·W. Each task's interval is
/// counted by whole sample steps, so the two may differ by at most one step per task.
fn little_shipped() -> Vec<Row> {
    let test = "little_law_on_shipped_scenarios";
    let mut worst: f64 = 0.0;
    let mut arms = 0;
    for name in crate::runs::SCENARIOS {
        let s = sim::scenario::load(&crate::common::scenario(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for a in &run(&s, s.seed).arms {
            let end = a.end.as_ms();
            let mut span: std::collections::BTreeMap<&str, (u64, u64)> =
                std::collections::BTreeMap::new();
            for t in a.tasks.as_ref().unwrap() {
                if t.outcome == TaskOutcome::Rejected {
                    continue;
                }
                let stop = t.end.map_or(end, |e| e.as_ms().min(end));
                let e = span.entry(&t.task_id).or_insert((t.arrival.as_ms(), stop));
                e.0 = e.0.min(t.arrival.as_ms());
                e.1 = e.1.max(stop);
            }
            let sojourn: u64 = span.values().map(|(a, b)| b - a).sum();
            let ts = &a.timeseries;
            let mut area: u64 = 0;
            let mut step: u64 = 0;
            for w in ts.windows(2) {
                let dt = w[1].time.as_ms() - w[0].time.as_ms();
                step = step.max(dt);
                area += (w[0].tasks_pending + w[0].tasks_running) * dt;
            }
            let bound = span.len() as u64 * step;
            let diff = area.abs_diff(sojourn);
            assert!(
                diff <= bound,
                "{name}/{}: ∫N dt = {area} ms, Σ sojourn = {sojourn} ms, bound {bound}",
                a.arm
            );
            if sojourn > 0 {
                worst = worst.max(diff as f64 / sojourn as f64);
            }
            arms += 1;
        }
    }
    vec![fact_row(
        format!(
            "Little's law on every shipped scenario ({} scenarios, {arms} arms)",
            crate::runs::SCENARIOS.len()
        ),
        "Little (1961), finite-horizon form L·T = Σ time in system",
        "∫(pending + running) dt = Σ sojourn".into(),
        format!("largest relative gap {:.4}%", worst * 100.0),
        "one sample step per task (sampling of timeseries.csv)",
        test,
    )]
}

#[test]
fn little_law_on_shipped_scenarios() {
    doc_table::assert_documented(&little_shipped());
}

/// Every case, in table order.
fn all_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    rows.extend(mmc_1());
    rows.extend(mmc_4());
    rows.extend(mmc_16());
    rows.extend(mmcc());
    rows.extend(mginf());
    rows.extend(fargate_billing());
    rows.extend(fargate_sizes());
    rows.extend(cloudwatch());
    rows.extend(eni_densities());
    rows.extend(breakeven());
    rows.extend(little_shipped());
    rows
}

/// Print the validation table of docs/validation.md from fresh runs; with
/// `UPDATE_VALIDATION_DOC=1`, also write it into docs/validation.md.
#[test]
#[ignore = "prints the docs/validation.md table; run with --ignored --nocapture"]
#[allow(
    clippy::print_stdout,
    reason = "printing the table is what this test is for"
)]
fn print_table() {
    let mut out = doc_table::HEADER.to_owned();
    let rows = all_rows();
    assert_eq!(
        rows.iter().filter(|r| r.stochastic).count(),
        CHECKS,
        "CHECKS counts the statistical rows"
    );
    for r in rows {
        writeln!(out, "{}", r.markdown()).unwrap();
    }
    doc_table::update_if_asked(&out);
    println!("{out}");
}
