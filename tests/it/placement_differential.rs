//! The fast placement decides exactly as the reference scan: random clusters, random sequences
//! of placements and releases, every strategy chain and constraint kind; the same instance (or
//! the same failure, ENI flag included) every time, and the same random draws.
//!
//! Cases per chain: 10,000 by default; set `PROPTEST_CASES` for a longer run.

use proptest::prelude::*;
use rand::Rng;
use sim::engine::rng::{StreamPurpose, stream};
use sim::ids::{GroupId, InstanceId, ZoneId};
use sim::model::Architecture;
use sim::model::Cluster;
use sim::model::cluster::{ClusterType, ResourceRequest};
use sim::placement::query::Expression;
use sim::placement::reference::place_by_scan;
use sim::placement::{
    BinpackField, Placement, PlacementConstraint, PlacementRequest, PlacementScratch,
    PlacementStrategy, SpreadField, place,
};

const PORTS: [&[u16]; 3] = [&[], &[80], &[80, 443]];
const GROUPS: [&str; 3] = ["web", "db", "batch"];

fn chain(n: usize) -> Vec<PlacementStrategy> {
    use BinpackField::{Cpu, Memory};
    use PlacementStrategy::{Binpack, Random, Spread};
    let az = || Spread(SpreadField::Attribute("ecs.availability-zone".into()));
    match n {
        0 => vec![],
        1 => vec![Binpack(Memory)],
        2 => vec![Binpack(Cpu)],
        3 => vec![az()],
        4 => vec![az(), Binpack(Memory)],
        5 => vec![az(), Binpack(Cpu)],
        6 => vec![Spread(SpreadField::InstanceId)],
        7 => vec![Spread(SpreadField::InstanceId), Binpack(Memory)],
        8 => vec![Random],
        9 => vec![az(), Spread(SpreadField::InstanceId)],
        // Chains the scan answers (the fast placement must hand them over unchanged).
        10 => vec![Binpack(Memory), Random],
        _ => vec![
            Spread(SpreadField::Attribute("ecs.instance-type".into())),
            Binpack(Cpu),
        ],
    }
}

fn constraints(n: usize) -> Vec<PlacementConstraint> {
    let e =
        |s: &str| PlacementConstraint::MemberOf(Expression::parse(s).expect("valid expression"));
    match n {
        0..=2 => vec![],
        3 => vec![PlacementConstraint::DistinctInstance],
        4 => vec![e("attribute:ecs.availability-zone in [z-a, z-c]")],
        5 => vec![e("task:group == db or runningTasksCount < 2")],
        _ => vec![
            PlacementConstraint::DistinctInstance,
            e("attribute:ecs.cpu-architecture == x86_64"),
        ],
    }
}

/// One step: place a task of this shape, or release the `n`-th placed task.
#[derive(Debug, Clone)]
enum Op {
    Place {
        cpu: u32,
        mem: u32,
        eni: bool,
        ports: usize,
        group: u32,
        constraints: usize,
    },
    Release(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1u32..2048, 1u32..8192, any::<bool>(), 0usize..3, 0u32..3, 0usize..7).prop_map(
            |(cpu, mem, eni, ports, group, constraints)| Op::Place { cpu, mem, eni, ports, group, constraints }
        ),
        1 => any::<usize>().prop_map(Op::Release),
    ]
}

fn run_case(
    strategy: usize,
    instances: &[(u8, u8, u32, u32, u32)],
    zones: usize,
    keep: (bool, bool, bool),
    ops: &[Op],
    seed: u64,
) -> Result<(), TestCaseError> {
    let types = vec![
        ClusterType {
            name: "m5.large".into(),
            architecture: Architecture::X86_64,
            trunk: false,
        },
        ClusterType {
            name: "m7g.large".into(),
            architecture: Architecture::Arm64,
            trunk: false,
        },
    ];
    let zone_names: Vec<String> = ["z-a", "z-b", "z-c"][..zones]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut c = Cluster::new(types, zone_names);
    // Usually every index; sometimes some dropped, as a simulation does for its chain.
    c.keep_indexes(keep.0, keep.1, keep.2);
    for &(ty, zone, cpu, mem, eni) in instances {
        c.add_instance(
            u16::from(ty % 2),
            ZoneId(zone % zones as u8),
            cpu,
            mem,
            eni,
            &[22],
        );
    }
    let groups: Vec<String> = GROUPS.iter().map(|s| s.to_string()).collect();
    let strategy = chain(strategy);
    let mut rng_fast = stream(seed, StreamPurpose::Placement(0));
    let mut rng_ref = stream(seed, StreamPurpose::Placement(0));
    let (mut s1, mut s2) = (PlacementScratch::default(), PlacementScratch::default());
    let mut placed: Vec<(InstanceId, ResourceRequest<'static>)> = Vec::new();
    for op in ops {
        match op {
            Op::Place {
                cpu,
                mem,
                eni,
                ports,
                group,
                constraints: k,
            } => {
                let resources = ResourceRequest {
                    cpu_units: *cpu,
                    memory_mib: *mem,
                    needs_eni: *eni,
                    host_ports: PORTS[*ports],
                    group: GroupId(*group),
                };
                let cons = constraints(*k);
                let req = PlacementRequest {
                    resources,
                    constraints: &cons,
                    strategy: &strategy,
                };
                let fast = place(&c, &groups, &req, &mut s1, &mut rng_fast);
                let slow = place_by_scan(&c, &groups, &req, &mut s2, &mut rng_ref);
                prop_assert_eq!(
                    fast,
                    slow,
                    "strategy {:?} constraints {:?} request {:?}",
                    strategy,
                    cons,
                    resources
                );
                if let Placement::Placed(i) = fast {
                    prop_assert!(c.reserve(i, &resources));
                    placed.push((i, resources));
                }
            }
            Op::Release(n) => {
                if !placed.is_empty() {
                    let (i, r) = placed.swap_remove(n % placed.len());
                    c.release(i, &r);
                }
            }
        }
    }
    prop_assert_eq!(
        rng_fast.next_u64(),
        rng_ref.next_u64(),
        "the same number of random draws"
    );
    prop_assert!(c.check_invariants().is_ok(), "{:?}", c.check_invariants());
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

macro_rules! differential {
    ($($name:ident => $chain:expr),* $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]
            $(
                #[test]
                fn $name(
                    instances in prop::collection::vec((0u8..2, 0u8..3, 512u32..4097, 1024u32..16385, 0u32..4), 0..24),
                    zones in 1usize..4,
                    keep in prop_oneof![3 => Just((true, true, true)), 1 => (any::<bool>(), any::<bool>(), any::<bool>())],
                    ops in prop::collection::vec(op(), 1..40),
                    seed in any::<u64>(),
                ) {
                    run_case($chain, &instances, zones, keep, &ops, seed)?;
                }
            )*
        }
    };
}

differential! {
    no_strategy_matches_the_scan => 0,
    binpack_memory_matches_the_scan => 1,
    binpack_cpu_matches_the_scan => 2,
    spread_zone_matches_the_scan => 3,
    spread_zone_binpack_memory_matches_the_scan => 4,
    spread_zone_binpack_cpu_matches_the_scan => 5,
    spread_instance_matches_the_scan => 6,
    spread_instance_binpack_matches_the_scan => 7,
    random_matches_the_scan => 8,
    spread_zone_spread_instance_matches_the_scan => 9,
    binpack_random_matches_the_scan => 10,
    spread_type_binpack_matches_the_scan => 11,
}
