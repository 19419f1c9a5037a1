//! Placement and whole-run benchmarks. Run: `cargo bench --bench placement`.
//!
//! - `place/<strategy>/<instances>`: one placement decision on a cluster filled to 90% memory
//!   (the reference scan, which `placement::place` uses today).
//! - `run/quickstart`: a whole 24-hour quickstart run (both arms), for tasks per second.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sim::engine::rng::{StreamPurpose, stream};
use sim::ids::{GroupId, InstanceId, ZoneId};
use sim::model::cluster::{ClusterType, ResourceRequest};
use sim::model::{Architecture, Cluster};
use sim::placement::{
    BinpackField, PlacementRequest, PlacementScratch, PlacementStrategy, SpreadField, place,
};

/// `n` m5.xlarge-like instances over three zones, filled to about 90% of memory with tasks of
/// varied sizes and two groups, deterministically.
fn filled_cluster(n: u32) -> Cluster {
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
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..n {
        let mut used = 0;
        while used < 14_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mem = 256 + (x % 2048) as u32;
            let r = ResourceRequest {
                cpu_units: 128,
                memory_mib: mem,
                needs_eni: false,
                host_ports: &[],
                group: GroupId((x % 2) as u32),
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
    let strategies: [(&str, Vec<PlacementStrategy>); 4] = [
        (
            "binpack-memory",
            vec![PlacementStrategy::Binpack(BinpackField::Memory)],
        ),
        (
            "spread-zone+binpack",
            vec![
                PlacementStrategy::Spread(SpreadField::Attribute("ecs.availability-zone".into())),
                PlacementStrategy::Binpack(BinpackField::Memory),
            ],
        ),
        (
            "spread-instance",
            vec![PlacementStrategy::Spread(SpreadField::InstanceId)],
        ),
        ("random", vec![PlacementStrategy::Random]),
    ];
    let groups = vec!["g0".to_string(), "g1".to_string()];
    let mut g = cr.benchmark_group("place");
    for n in [100u32, 1_000, 5_000] {
        let c = filled_cluster(n);
        for (name, strategy) in &strategies {
            let req = PlacementRequest {
                resources: ResourceRequest {
                    cpu_units: 256,
                    memory_mib: 1024,
                    needs_eni: false,
                    host_ports: &[],
                    group: GroupId(0),
                },
                constraints: &[],
                strategy,
            };
            let mut scratch = PlacementScratch::default();
            let mut rng = stream(1, StreamPurpose::Placement(0));
            g.bench_with_input(BenchmarkId::new(*name, n), &n, |b, _| {
                b.iter(|| black_box(place(&c, &groups, &req, &mut scratch, &mut rng)))
            });
        }
    }
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

criterion_group!(benches, placement, whole_run);
criterion_main!(benches);
