//! Placement, event-queue and whole-run benchmarks. Run: `cargo bench --bench placement`.
//!
//! - `place/<strategy>/<fill>/<impl>/<instances>`: one placement decision for a 256-CPU /
//!   1024-MiB task on a cluster of m5.xlarge-like instances in three zones, filled to 50% or 90%
//!   of memory; `fast` is `placement::place` (indexed), `reference` the scan.
//! - `event_queue/schedule+pop`: events through the (time, kind, sequence) queue.
//! - `run/quickstart`: a whole 24-hour quickstart run (both arms), for tasks per second.
//! - `run/generated-trace-100k`: a generated 100,000-task CSV trace read and replayed end to end
//!   on 2,000 m5.xlarge and on Fargate (tasks per second through both arms).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sim::engine::EventQueue;
use sim::engine::rng::{StreamPurpose, stream};
use sim::ids::{GroupId, InstanceId, ZoneId};
use sim::model::cluster::{ClusterType, ResourceRequest};
use sim::model::{Architecture, Cluster};
use sim::placement::reference::place_by_scan;
use sim::placement::{
    BinpackField, PlacementConstraint, PlacementRequest, PlacementScratch, PlacementStrategy,
    SpreadField, place,
};
use sim::time::SimTime;

/// `n` m5.xlarge-like instances (4096 CPU, 15634 MiB) over three zones, filled to about `fill`
/// of memory with tasks of 128 CPU and 256..2304 MiB in groups 0 and 1, deterministically; one
/// instance in five (spread over the zones) also runs a task of group 2, the group
/// `distinctInstance` and `spread(instanceId)` are asked for.
fn filled_cluster(n: u32, fill: f64) -> Cluster {
    let t = ClusterType {
        name: "m5.xlarge".into(),
        architecture: Architecture::X86_64,
        trunk: false,
    };
    let mut c = Cluster::new(vec![t], vec!["a".into(), "b".into(), "c".into()]);
    for _ in 0..n {
        let z = c.next_zone();
        c.add_instance(0, ZoneId(z.0), 4096, 15634, u32::MAX, &[]);
    }
    let target = (15634.0 * fill) as u32;
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..n {
        let mut used = 0;
        let mut first = true;
        while used < target {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mem = (256 + (x % 2048) as u32).min(target - used).max(1);
            let group = if first && i % 5 == 0 {
                2
            } else {
                (x % 2) as u32
            };
            first = false;
            let r = ResourceRequest {
                cpu_units: 128,
                memory_mib: mem,
                needs_eni: false,
                host_ports: &[],
                group: GroupId(group),
            };
            if !c.reserve(InstanceId(i), &r) {
                break;
            }
            used += mem;
        }
    }
    c
}

fn placement(cr: &mut Criterion) {
    let az = || PlacementStrategy::Spread(SpreadField::Attribute("ecs.availability-zone".into()));
    let binpack = || PlacementStrategy::Binpack(BinpackField::Memory);
    let cases: [(&str, Vec<PlacementStrategy>, Vec<PlacementConstraint>); 6] = [
        ("binpack-memory", vec![binpack()], vec![]),
        ("spread-zone+binpack", vec![az(), binpack()], vec![]),
        // The default of a service without a strategy (docs/reference/ecs-facts.md §4.3).
        (
            "spread-zone+spread-instance",
            vec![az(), PlacementStrategy::Spread(SpreadField::InstanceId)],
            vec![],
        ),
        (
            "distinctInstance+binpack",
            vec![binpack()],
            vec![PlacementConstraint::DistinctInstance],
        ),
        (
            "spread-instance",
            vec![PlacementStrategy::Spread(SpreadField::InstanceId)],
            vec![],
        ),
        ("random", vec![PlacementStrategy::Random], vec![]),
    ];
    let groups: Vec<String> = ["g0", "g1", "g2"].iter().map(|s| s.to_string()).collect();
    let mut g = cr.benchmark_group("place");
    for fill in [0.5, 0.9] {
        for n in [100u32, 1_000, 5_000, 20_000] {
            let c = filled_cluster(n, fill);
            for (name, strategy, constraints) in &cases {
                let req = PlacementRequest {
                    resources: ResourceRequest {
                        cpu_units: 256,
                        memory_mib: 1024,
                        needs_eni: false,
                        host_ports: &[],
                        group: GroupId(2),
                    },
                    constraints,
                    strategy,
                };
                let mut scratch = PlacementScratch::default();
                let mut rng = stream(1, StreamPurpose::Placement(0));
                let pct = (fill * 100.0) as u32;
                g.bench_with_input(
                    BenchmarkId::new(format!("{name}/{pct}%/fast"), n),
                    &n,
                    |b, _| b.iter(|| black_box(place(&c, &groups, &req, &mut scratch, &mut rng))),
                );
                g.bench_with_input(
                    BenchmarkId::new(format!("{name}/{pct}%/reference"), n),
                    &n,
                    |b, _| {
                        b.iter(|| {
                            black_box(place_by_scan(&c, &groups, &req, &mut scratch, &mut rng))
                        })
                    },
                );
            }
        }
    }
    g.finish();
}

fn event_queue(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("event_queue");
    const N: u64 = 100_000;
    g.throughput(Throughput::Elements(N));
    g.bench_function("schedule+pop/100k", |b| {
        b.iter(|| {
            let mut q = EventQueue::new();
            let mut x: u64 = 88_172_645_463_325_252;
            for i in 0..N {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                q.schedule(SimTime(x % 86_400_000), (i % 4) as u8, i);
            }
            let mut sum = 0u64;
            while let Some((_, e)) = q.pop() {
                sum = sum.wrapping_add(e);
            }
            black_box(sum)
        })
    });
    g.finish();
}

fn whole_run(cr: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/quickstart.toml");
    let Ok(s) = sim::scenario::load(&path) else {
        return;
    };
    let arms: Vec<usize> = (0..s.arms.len()).collect();
    let opts = sim::sim::RunOptions::default();
    let tasks = sim::sim::run(&s, &arms, s.seed, opts, &|_, _| {})
        .map_or(0, |o| o.arms.iter().map(|a| a.summary.tasks_arrived).sum());
    let mut g = cr.benchmark_group("run");
    g.sample_size(20);
    g.throughput(Throughput::Elements(tasks));
    g.bench_function("quickstart", |b| {
        b.iter(|| black_box(sim::sim::run(&s, &arms, s.seed, opts, &|_, _| {}).is_ok()))
    });
    g.finish();
}

/// A 100,000-task trace (Poisson arrivals, exponential run times, six sizes; about 3,000 tasks
/// running at once) and a scenario replaying it on 2,000 m5.xlarge (spread by zone, binpack
/// memory) and on Fargate, written once under `target/`.
fn generated_trace_scenario() -> Option<std::path::PathBuf> {
    use std::fmt::Write as _;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).ok()?;
    let trace = dir.join("trace-100k.csv");
    if !trace.exists() {
        let mut x: u64 = 0x853c_49e6_748f_ea9b;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let sizes = [
            (256, 512),
            (512, 1024),
            (1024, 2048),
            (1024, 4096),
            (2048, 4096),
            (4096, 8192),
        ];
        let mut text = String::from("arrival_s,duration_s,cpu_units,memory_mib,group\n");
        let mut t = 0.0;
        for i in 0..100_000u32 {
            t += -(1.0 - next()).ln() / 5.0;
            let d = (-(1.0 - next()).ln() * 600.0).max(0.001);
            let (c, m) = sizes[(next() * 6.0) as usize % 6];
            let _ = writeln!(text, "{t:.3},{d:.3},{c},{m},g{}", i % 7);
        }
        std::fs::write(&trace, text).ok()?;
    }
    let scenario = dir.join("bench-100k.toml");
    std::fs::write(
        &scenario,
        "name = \"bench-100k\"\nmetrics_interval = \"10m\"\n[workload]\ntrace = \"trace-100k.csv\"\n\
         [[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.xlarge\"]\nnetwork_mode = \"bridge\"\n\
         placement_strategy = [{ type = \"spread\", field = \"attribute:ecs.availability-zone\" }, { type = \"binpack\", field = \"memory\" }]\n\
         capacity = { fixed = 2000 }\n[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n",
    )
    .ok()?;
    Some(scenario)
}

fn generated_run(cr: &mut Criterion) {
    let Some(path) = generated_trace_scenario() else {
        return;
    };
    let Ok(s) = sim::scenario::load(&path) else {
        return;
    };
    let arms: Vec<usize> = (0..s.arms.len()).collect();
    let opts = sim::sim::RunOptions::default();
    let mut g = cr.benchmark_group("run");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("generated-trace-100k", |b| {
        b.iter(|| black_box(sim::sim::run(&s, &arms, s.seed, opts, &|_, _| {}).is_ok()))
    });
    g.finish();
}

criterion_group!(benches, placement, event_queue, whole_run, generated_run);
criterion_main!(benches);
