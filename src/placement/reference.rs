//! The reference placement: a plain scan over every instance, written to be obviously what
//! docs/reference/ecs-facts.md §4 describes. It is the specification any faster placement must match.

use rand::Rng;

use crate::engine::RngStream;
use crate::ids::InstanceId;
use crate::model::{Cluster, Fit};
use crate::placement::constraints_hold;
use crate::placement::{
    BinpackField, Placement, PlacementRequest, PlacementScratch, PlacementStrategy, SpreadField,
};

/// Place by scanning every instance (see the module doc).
pub fn place_by_scan(
    cluster: &Cluster,
    group_names: &[String],
    request: &PlacementRequest<'_>,
    scratch: &mut PlacementScratch,
    rng: &mut RngStream,
) -> Placement {
    let res = &request.resources;
    let cands = &mut scratch.candidates;
    cands.clear();
    let mut eni_blocked = false;

    // 1. Resources: CPU, memory, ports, ENI slot.
    for k in 0..cluster.len() as u32 {
        match cluster.fit(InstanceId(k), res) {
            Fit::Fits => cands.push(k),
            Fit::NoEniSlot => eni_blocked = true,
            _ => {}
        }
    }

    // 2. Constraints: every one must hold.
    cands.retain(|&k| constraints_hold(cluster, group_names, request, k));

    // 3. Strategies, each narrowing the candidates.
    for s in request.strategy {
        if cands.len() <= 1 {
            break;
        }
        match s {
            PlacementStrategy::Binpack(field) => {
                let f = match field {
                    BinpackField::Cpu => 0,
                    BinpackField::Memory => 1,
                };
                let free = cluster.free();
                let least = cands
                    .iter()
                    .map(|&k| free[k as usize][f])
                    .min()
                    .unwrap_or(0);
                cands.retain(|&k| free[k as usize][f] == least);
            }
            PlacementStrategy::Spread(SpreadField::InstanceId) => {
                let count = |k: u32| cluster.group_count(InstanceId(k), res.group);
                let least = cands.iter().map(|&k| count(k)).min().unwrap_or(0);
                cands.retain(|&k| count(k) == least);
            }
            PlacementStrategy::Spread(SpreadField::Attribute(name)) => {
                // Tasks of the group per attribute value, over every instance of the cluster.
                let counts = &mut scratch.counts;
                counts.clear();
                counts.resize(attribute_key_space(cluster, name), 0);
                for k in 0..cluster.len() as u32 {
                    let n = cluster.group_count(InstanceId(k), res.group);
                    counts[attribute_key(cluster, name, k)] += n;
                }
                let least = cands
                    .iter()
                    .map(|&k| counts[attribute_key(cluster, name, k)])
                    .min()
                    .unwrap_or(0);
                cands.retain(|&k| counts[attribute_key(cluster, name, k)] == least);
            }
            PlacementStrategy::Random => {
                let pick = uniform_index(rng.next_u64(), cands.len());
                let chosen = cands[pick];
                cands.clear();
                cands.push(chosen);
            }
        }
    }

    // 4. Remaining ties go to the lowest instance id (candidates are in id order).
    match cands.first() {
        Some(&k) => Placement::Placed(InstanceId(k)),
        None => Placement::NoInstance { eni_blocked },
    }
}

/// Map a 64-bit draw to `0..n` without modulo bias worth measuring (Lemire's multiply-shift).
pub fn uniform_index(draw: u64, n: usize) -> usize {
    ((u128::from(draw) * n as u128) >> 64) as usize
}

/// Number of distinct keys [`attribute_key`] can return for `name`.
pub fn attribute_key_space(cluster: &Cluster, name: &str) -> usize {
    match name {
        "ecs.availability-zone" => cluster.zones().len().max(1),
        "ecs.instance-type" => cluster.types().len().max(1),
        "ecs.cpu-architecture" => 2,
        _ => 1,
    }
}

/// The value of attribute `name` on instance `k`, as a small integer: zone index, type index,
/// architecture; attributes that are the same on every instance (`ecs.os-type`) or that no
/// instance has (custom ones) map every instance to one value.
pub fn attribute_key(cluster: &Cluster, name: &str, k: u32) -> usize {
    let k = k as usize;
    match name {
        "ecs.availability-zone" => usize::from(cluster.zone_of()[k].0),
        "ecs.instance-type" => usize::from(cluster.type_of()[k]),
        "ecs.cpu-architecture" => {
            let t = usize::from(cluster.type_of()[k]);
            usize::from(cluster.types()[t].architecture == crate::model::Architecture::Arm64)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    //! Hand-built clusters in which each strategy picks a different instance, so a test that
    //! passes tells the strategies apart (in the manner of DSLab's placement tests).

    use super::*;
    use crate::engine::rng::{StreamPurpose, stream};
    use crate::ids::{GroupId, ZoneId};
    use crate::model::cluster::{ClusterType, ResourceRequest};
    use crate::model::{Architecture, Cluster};
    use crate::placement::query::Expression;
    use crate::placement::{PlacementConstraint as C, PlacementStrategy as S, SpreadField};

    const G: GroupId = GroupId(0);
    const H: GroupId = GroupId(1);
    const AZ: &str = "ecs.availability-zone";

    fn names() -> Vec<String> {
        vec!["G".to_string(), "H".to_string()]
    }

    fn task(cpu: u32, mem: u32, group: GroupId) -> ResourceRequest<'static> {
        ResourceRequest {
            cpu_units: cpu,
            memory_mib: mem,
            needs_eni: false,
            host_ports: &[],
            group,
        }
    }

    /// Four m5.xlarge-like instances (4096 CPU, 16384 MiB) in zones a, b, c, a:
    ///
    /// | id | zone | tasks            | free cpu | free mem | G tasks |
    /// |----|------|------------------|----------|----------|---------|
    /// | 0  | a    | G 1024/4096 × 2  | 2048     | 8192     | 2       |
    /// | 1  | b    | G 3072/1024      | 1024     | 15360    | 1       |
    /// | 2  | c    | G 512/12288      | 3584     | 4096     | 1       |
    /// | 3  | a    | H 512/1024 × 2   | 3072     | 14336    | 0       |
    ///
    /// G tasks per zone: a 2, b 1, c 1. So binpack(cpu) → 1, binpack(memory) → 2,
    /// spread(instanceId) → 3, spread(zone) → b or c, tie to the lower id → 1.
    fn cluster() -> Cluster {
        let t = ClusterType {
            name: "m5.xlarge".into(),
            architecture: Architecture::X86_64,
            trunk: false,
        };
        let mut c = Cluster::new(
            vec![t],
            vec![
                "us-east-1a".into(),
                "us-east-1b".into(),
                "us-east-1c".into(),
            ],
        );
        for z in [0, 1, 2, 0] {
            c.add_instance(0, ZoneId(z), 4096, 16384, u32::MAX, &[]);
        }
        let place = |c: &mut Cluster, i: u32, r: ResourceRequest<'static>| {
            assert!(c.reserve(InstanceId(i), &r))
        };
        place(&mut c, 0, task(1024, 4096, G));
        place(&mut c, 0, task(1024, 4096, G));
        place(&mut c, 1, task(3072, 1024, G));
        place(&mut c, 2, task(512, 12288, G));
        place(&mut c, 3, task(512, 1024, H));
        place(&mut c, 3, task(512, 1024, H));
        c
    }

    fn pick(c: &Cluster, cpu: u32, constraints: &[C], strategy: &[S]) -> Option<u32> {
        let req = PlacementRequest {
            resources: task(cpu, 1024, G),
            constraints,
            strategy,
        };
        let mut rng = stream(1, StreamPurpose::Placement(0));
        match place_by_scan(
            c,
            &names(),
            &req,
            &mut PlacementScratch::default(),
            &mut rng,
        ) {
            Placement::Placed(i) => Some(i.0),
            Placement::NoInstance { .. } => None,
        }
    }

    fn spread(attr: &str) -> S {
        S::Spread(SpreadField::Attribute(attr.to_string()))
    }

    #[test]
    fn each_strategy_picks_a_different_instance() {
        let c = cluster();
        assert_eq!(
            pick(&c, 512, &[], &[S::Binpack(BinpackField::Cpu)]),
            Some(1),
            "least free CPU"
        );
        assert_eq!(
            pick(&c, 512, &[], &[S::Binpack(BinpackField::Memory)]),
            Some(2),
            "least free memory"
        );
        assert_eq!(
            pick(&c, 512, &[], &[S::Spread(SpreadField::InstanceId)]),
            Some(3),
            "no G task yet"
        );
        assert_eq!(
            pick(&c, 512, &[], &[spread(AZ)]),
            Some(1),
            "zones b and c tie; lowest id"
        );
    }

    #[test]
    fn chained_strategies_narrow_in_order() {
        let c = cluster();
        // ECS's documented chain: spread over zones, then binpack memory within them (§4.2).
        // spread alone picks 1 (tie to lowest id); the chain picks 2, so the second step counts.
        let chain = [spread(AZ), S::Binpack(BinpackField::Memory)];
        assert_eq!(pick(&c, 512, &[], &chain), Some(2));
        assert_eq!(
            pick(&c, 512, &[], &[spread(AZ), S::Binpack(BinpackField::Cpu)]),
            Some(1)
        );
        // Order matters: binpack(memory) first leaves only 2, spread has nothing left to choose.
        assert_eq!(
            pick(
                &c,
                512,
                &[],
                &[
                    S::Binpack(BinpackField::Memory),
                    S::Spread(SpreadField::InstanceId)
                ]
            ),
            Some(2)
        );
        // spread(zone) then spread(instanceId): zones b, c; both have one G task; lowest id.
        assert_eq!(
            pick(
                &c,
                512,
                &[],
                &[spread(AZ), S::Spread(SpreadField::InstanceId)]
            ),
            Some(1)
        );
    }

    #[test]
    fn resources_filter_before_strategies() {
        let c = cluster();
        // 2048 CPU no longer fits instance 1, so binpack(cpu) falls to instance 0 (2048 free).
        assert_eq!(
            pick(&c, 2048, &[], &[S::Binpack(BinpackField::Cpu)]),
            Some(0)
        );
        assert_eq!(pick(&c, 4000, &[], &[S::Binpack(BinpackField::Cpu)]), None);
    }

    #[test]
    fn constraints_bind_before_strategies() {
        let c = cluster();
        let member = |e: &str| C::MemberOf(Expression::parse(e).unwrap());
        // Only instance 3 has no G task.
        assert_eq!(
            pick(
                &c,
                512,
                &[C::DistinctInstance],
                &[S::Binpack(BinpackField::Memory)]
            ),
            Some(3)
        );
        let zones_bc = member("attribute:ecs.availability-zone in [us-east-1b, us-east-1c]");
        assert_eq!(
            pick(
                &c,
                512,
                std::slice::from_ref(&zones_bc),
                &[S::Binpack(BinpackField::Cpu)]
            ),
            Some(1)
        );
        assert_eq!(
            pick(&c, 512, &[zones_bc], &[S::Binpack(BinpackField::Memory)]),
            Some(2)
        );
        assert_eq!(pick(&c, 512, &[member("task:group == H")], &[]), Some(3));
        assert_eq!(
            pick(&c, 512, &[member("not(task:group == G)")], &[]),
            Some(3)
        );
        assert_eq!(
            pick(
                &c,
                512,
                &[member("runningTasksCount == 1")],
                &[S::Binpack(BinpackField::Memory)]
            ),
            Some(2)
        );
        assert_eq!(
            pick(
                &c,
                512,
                &[member("attribute:ecs.instance-type == c5.large")],
                &[]
            ),
            None
        );
        assert_eq!(
            pick(&c, 512, &[member("ec2InstanceId == i-00000002")], &[]),
            Some(2)
        );
    }

    #[test]
    fn no_strategy_ties_to_the_lowest_id() {
        assert_eq!(pick(&cluster(), 512, &[], &[]), Some(0));
    }

    #[test]
    fn random_is_uniform_over_candidates_and_seeded() {
        let c = cluster();
        let req = PlacementRequest {
            resources: task(512, 1024, G),
            constraints: &[],
            strategy: &[S::Random],
        };
        let mut rng = stream(9, StreamPurpose::Placement(0));
        let mut counts = [0u32; 4];
        for _ in 0..40_000 {
            match place_by_scan(
                &c,
                &names(),
                &req,
                &mut PlacementScratch::default(),
                &mut rng,
            ) {
                Placement::Placed(i) => counts[i.index()] += 1,
                Placement::NoInstance { .. } => panic!("every instance fits"),
            }
        }
        // 10,000 expected each, sd ≈ 87: 5 sd is 435.
        for n in counts {
            assert!((9_565..=10_435).contains(&n), "{counts:?}");
        }
        let first = |seed| {
            let mut r = stream(seed, StreamPurpose::Placement(0));
            place_by_scan(&c, &names(), &req, &mut PlacementScratch::default(), &mut r)
        };
        assert_eq!(first(5), first(5));
    }

    #[test]
    fn eni_blocked_is_reported_only_when_the_eni_was_the_reason() {
        let t = ClusterType {
            name: "m5.large".into(),
            architecture: Architecture::X86_64,
            trunk: false,
        };
        let mut c = Cluster::new(vec![t], vec!["a".into()]);
        c.add_instance(0, ZoneId(0), 2048, 7817, 1, &[]);
        let r = ResourceRequest {
            cpu_units: 256,
            memory_mib: 512,
            needs_eni: true,
            host_ports: &[],
            group: G,
        };
        assert!(c.reserve(InstanceId(0), &r));
        let mut rng = stream(1, StreamPurpose::Placement(0));
        let req = PlacementRequest {
            resources: r,
            constraints: &[],
            strategy: &[],
        };
        assert_eq!(
            place_by_scan(
                &c,
                &names(),
                &req,
                &mut PlacementScratch::default(),
                &mut rng
            ),
            Placement::NoInstance { eni_blocked: true }
        );
        let big = PlacementRequest {
            resources: ResourceRequest {
                cpu_units: 4096,
                ..r
            },
            ..req
        };
        assert_eq!(
            place_by_scan(
                &c,
                &names(),
                &big,
                &mut PlacementScratch::default(),
                &mut rng
            ),
            Placement::NoInstance { eni_blocked: false }
        );
    }

    #[test]
    fn spread_over_instance_type_and_architecture() {
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
        let mut c = Cluster::new(types, vec!["a".into()]);
        c.add_instance(0, ZoneId(0), 2048, 7817, u32::MAX, &[]);
        c.add_instance(0, ZoneId(0), 2048, 7817, u32::MAX, &[]);
        c.add_instance(1, ZoneId(0), 2048, 7817, u32::MAX, &[]);
        assert!(c.reserve(InstanceId(0), &task(256, 512, G)));
        // x86 has one G task, arm64 none: both attributes pick instance 2.
        assert_eq!(pick(&c, 256, &[], &[spread("ecs.instance-type")]), Some(2));
        assert_eq!(
            pick(&c, 256, &[], &[spread("ecs.cpu-architecture")]),
            Some(2)
        );
        // An attribute no instance has puts every instance in one bucket: lowest id.
        assert_eq!(pick(&c, 256, &[], &[spread("custom.rack")]), Some(0));
    }
}
