//! Placement is allocation-free in steady state: after a warm-up, placing on a cluster (with
//! constraints, indexed and scanned strategy chains, random draws) and reserving and releasing
//! the task (which updates the capacity indexes) allocate nothing.

// A counting global allocator needs `unsafe`; the library itself forbids it (src/lib.rs).
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use sim::engine::rng::{StreamPurpose, stream};
use sim::ids::{GroupId, InstanceId, ZoneId};
use sim::model::cluster::{ClusterType, ResourceRequest};
use sim::model::{Architecture, Cluster};
use sim::placement::query::Expression;
use sim::placement::{
    BinpackField, Placement, PlacementConstraint, PlacementRequest, PlacementScratch,
    PlacementStrategy, SpreadField, place,
};

/// Counts allocations made by the current thread (other test threads do not interfere).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: defers to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn placement_and_index_updates_allocate_nothing_after_warm_up() {
    let types = vec![
        ClusterType {
            name: "m5.xlarge".into(),
            architecture: Architecture::X86_64,
            trunk: false,
        },
        ClusterType {
            name: "m7g.xlarge".into(),
            architecture: Architecture::Arm64,
            trunk: false,
        },
    ];
    let mut c = Cluster::new(types, vec!["a".into(), "b".into(), "c".into()]);
    for k in 0..300u32 {
        let z = c.next_zone();
        c.add_instance((k % 2) as u16, ZoneId(z.0), 4096, 15634, u32::MAX, &[]);
    }
    for k in 0..300u32 {
        let r = ResourceRequest {
            cpu_units: 512 * (k % 4),
            memory_mib: 1000 * (k % 7),
            needs_eni: false,
            host_ports: &[],
            group: GroupId(k % 3),
        };
        assert!(c.reserve(InstanceId(k), &r));
    }
    let groups: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let constraints = [
        PlacementConstraint::DistinctInstance,
        PlacementConstraint::MemberOf(
            Expression::parse("attribute:ecs.cpu-architecture =~ x86.* and not(task:group == c)")
                .expect("valid"),
        ),
    ];
    let az = || PlacementStrategy::Spread(SpreadField::Attribute("ecs.availability-zone".into()));
    let chains = [
        // Answered by the scan.
        vec![
            az(),
            PlacementStrategy::Binpack(BinpackField::Memory),
            PlacementStrategy::Random,
        ],
        // Answered by the indexes.
        vec![az(), PlacementStrategy::Binpack(BinpackField::Memory)],
        vec![PlacementStrategy::Binpack(BinpackField::Cpu)],
        vec![PlacementStrategy::Spread(SpreadField::InstanceId)],
        vec![PlacementStrategy::Random],
        vec![],
    ];
    let mut scratch = PlacementScratch::default();
    let mut rng = stream(1, StreamPurpose::Placement(0));
    // One placement, then the task is reserved and released again: the steady state of a run.
    let mut cycle = |c: &mut Cluster, strategy: &[PlacementStrategy]| {
        let req = PlacementRequest {
            resources: ResourceRequest {
                cpu_units: 256,
                memory_mib: 512,
                needs_eni: false,
                host_ports: &[],
                group: GroupId(1),
            },
            constraints: &constraints,
            strategy,
        };
        if let Placement::Placed(i) = place(c, &groups, &req, &mut scratch, &mut rng) {
            assert!(c.reserve(i, &req.resources));
            c.release(i, &req.resources);
        }
    };
    for chain in &chains {
        for _ in 0..10 {
            cycle(&mut c, chain);
        }
    }
    // The counter does count (so a zero below means something).
    let probe = allocations();
    std::hint::black_box(vec![0u8; 16]);
    assert!(allocations() > probe, "the counting allocator counts");
    let before = allocations();
    for chain in &chains {
        for _ in 0..1000 {
            cycle(&mut c, chain);
        }
    }
    assert_eq!(
        allocations() - before,
        0,
        "placement, reserve and release allocated in steady state"
    );
}
