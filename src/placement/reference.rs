//! The reference placement: a plain scan over every instance, written to be obviously what
//! reference/ecs-facts.md §4 describes. It is the specification any faster placement must match.

use rand::Rng;

use crate::engine::RngStream;
use crate::ids::InstanceId;
use crate::model::{Cluster, Fit};
use crate::placement::instance_view::ClusterInstance;
use crate::placement::{
    BinpackField, Placement, PlacementConstraint, PlacementRequest, PlacementScratch,
    PlacementStrategy, SpreadField,
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
    cands.retain(|&k| {
        let id = InstanceId(k);
        request.constraints.iter().all(|c| match c {
            PlacementConstraint::DistinctInstance => cluster.group_count(id, res.group) == 0,
            PlacementConstraint::MemberOf(e) => e.eval(&ClusterInstance {
                cluster,
                id,
                group_names,
            }),
        })
    });

    // 3. Strategies, each narrowing the candidates.
    for s in request.strategy {
        if cands.len() <= 1 {
            break;
        }
        match s {
            PlacementStrategy::Binpack(field) => {
                let free = match field {
                    BinpackField::Cpu => cluster.free_cpu(),
                    BinpackField::Memory => cluster.free_mem(),
                };
                let least = cands.iter().map(|&k| free[k as usize]).min().unwrap_or(0);
                cands.retain(|&k| free[k as usize] == least);
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
