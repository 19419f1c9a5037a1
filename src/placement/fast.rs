//! The fast placement: the same decisions as [`crate::placement::reference`], found through the
//! cluster's capacity indexes instead of a scan.
//!
//! Chains with a fast path (each exact, as the differential test checks):
//! - no strategy: the lowest id that fits (id tree);
//! - `binpack(f)`: per zone, the least free `f` that fits (treaps), the best over zones;
//! - `spread(zone)` and `spread(zone), binpack(f)`: per zone whether anything fits and the best
//!   by `f`, zone task counts kept by the cluster;
//! - `spread(zone), spread(instanceId)` (the service default, docs/reference/ecs-facts.md §4.3): the
//!   zones as for `spread(zone)`, then the lowest id without a task of the group in them, when
//!   one fits (otherwise the scan decides);
//! - `spread(instanceId)` alone or followed by `binpack(f)`: the instances without a task of the
//!   group, when any fits (otherwise the scan decides);
//! - `random`: count the fitting instances and select the k-th in id order (id tree).
//!
//! Constraints (`distinctInstance`, `memberOf`) and host ports are checked on the instances the
//! search visits. Every other chain goes to the reference scan.

use rand::Rng;

use crate::engine::RngStream;
use crate::ids::InstanceId;
use crate::model::Cluster;
use crate::model::capacity_index::{Free, IdTree, KeyForest};
use crate::placement::constraints_hold;
use crate::placement::reference::{place_by_scan, uniform_index};
use crate::placement::{
    BinpackField, Placement, PlacementRequest, PlacementScratch, PlacementStrategy, SpreadField,
};

const AZ: &str = "ecs.availability-zone";

/// Stands in for a dropped id index (never searched).
static EMPTY_IDS: IdTree = IdTree::EMPTY;

/// The chains the indexes answer directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chain {
    LowestId,
    Binpack(BinpackField),
    SpreadZone(Option<BinpackField>),
    SpreadZoneInstance,
    SpreadInstance(Option<BinpackField>),
    Random,
    Other,
}

fn classify(strategy: &[PlacementStrategy]) -> Chain {
    use PlacementStrategy::{Binpack, Random, Spread};
    let zone = |f: &SpreadField| matches!(f, SpreadField::Attribute(a) if a == AZ);
    match strategy {
        [] => Chain::LowestId,
        [Binpack(f)] => Chain::Binpack(*f),
        [Spread(s)] if zone(s) => Chain::SpreadZone(None),
        [Spread(s), Binpack(f)] if zone(s) => Chain::SpreadZone(Some(*f)),
        [Spread(s), Spread(SpreadField::InstanceId)] if zone(s) => Chain::SpreadZoneInstance,
        [Spread(SpreadField::InstanceId)] => Chain::SpreadInstance(None),
        [Spread(SpreadField::InstanceId), Binpack(f)] => Chain::SpreadInstance(Some(*f)),
        [Random] => Chain::Random,
        _ => Chain::Other,
    }
}

fn forest(cluster: &Cluster, f: BinpackField) -> &KeyForest {
    match f {
        BinpackField::Cpu => cluster.by_cpu(),
        BinpackField::Memory => cluster.by_mem(),
    }
}

/// Place as [`place_by_scan`] would, using the indexes where the chain allows.
pub fn place_indexed(
    cluster: &Cluster,
    group_names: &[String],
    request: &PlacementRequest<'_>,
    scratch: &mut PlacementScratch,
    rng: &mut RngStream,
) -> Placement {
    let chain = classify(request.strategy);
    let kept = |f: BinpackField| forest(cluster, f).is_enabled();
    let (ids, has_ids) = match cluster.by_id() {
        Some(ids) => (ids, true),
        None => (&EMPTY_IDS, false),
    };
    let indexed = match chain {
        Chain::Other => false,
        Chain::Binpack(f) | Chain::SpreadInstance(Some(f)) => kept(f),
        // Spread over more than 64 zones (scenarios allow at most 64) goes to the scan.
        Chain::SpreadZone(_) | Chain::SpreadZoneInstance if cluster.zones().len() > 64 => false,
        Chain::SpreadZone(Some(f)) => kept(f),
        Chain::SpreadZone(None) | Chain::SpreadZoneInstance => {
            (kept(BinpackField::Memory) || kept(BinpackField::Cpu)) && has_ids
        }
        Chain::LowestId | Chain::SpreadInstance(None) | Chain::Random => has_ids,
    };
    if !indexed {
        return place_by_scan(cluster, group_names, request, scratch, rng);
    }
    let res = &request.resources;
    let need: Free = [res.cpu_units, res.memory_mib, u32::from(res.needs_eni)];
    let group = res.group;
    let free = cluster.free();
    let simple = res.host_ports.is_empty() && request.constraints.is_empty();
    // Ports and constraints, checked on each instance a search reaches.
    let holds = |k: u32| {
        cluster.ports_free(k as usize, res.host_ports)
            && constraints_hold(cluster, group_names, request, k)
    };
    let zones = cluster.zones().len().max(1);
    let zone_of = |k: u32| usize::from(cluster.zone_of()[k as usize].0);
    // The instance with the least (free `f`, id) over all zones that fits, holds and passes
    // `extra`: binpack's choice.
    let best_by = |f: BinpackField, extra: &dyn Fn(u32) -> bool| {
        let forest = forest(cluster, f);
        let mut best: Option<(u32, u32)> = None;
        for z in 0..zones {
            if let Some(id) = forest.first(z, &need, &mut |k| extra(k) && holds(k)) {
                let key = (forest.key_of(id), id);
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
        }
        best.map(|(_, id)| id)
    };

    let found = match chain {
        Chain::LowestId => ids.first(&need, &mut |k| holds(k)),
        Chain::Binpack(f) => best_by(f, &|_| true),
        Chain::SpreadZone(_) | Chain::SpreadZoneInstance => {
            let then = match chain {
                Chain::SpreadZone(then) => then,
                _ => None,
            };
            // Per zone, the first candidate in the order of the forest used (with binpack, its
            // field: so the candidate is also the zone's binpack choice).
            let counts = cluster.zone_group_counts(group);
            let count = |z: usize| counts.get(z).copied().unwrap_or(0);
            let f = then.unwrap_or(if kept(BinpackField::Memory) {
                BinpackField::Memory
            } else {
                BinpackField::Cpu
            });
            let order = forest(cluster, f);
            // Zones in order of their task count (at most 64 zones: on the stack); once a zone
            // with a candidate is found, zones with more tasks cannot win and are not searched.
            let mut by_count = [(0u32, 0usize); 64];
            let n = zones.min(by_count.len());
            for (z, slot) in by_count.iter_mut().enumerate().take(n) {
                *slot = (count(z), z);
            }
            by_count[..n].sort_unstable();
            // (zone count, key, id) of the best candidate over zones.
            let mut best: Option<(u32, u32, u32)> = None;
            for &(c, z) in &by_count[..n] {
                if best.is_some_and(|b| c > b.0) {
                    break;
                }
                if let Some(id) = order.first(z, &need, &mut |k| holds(k)) {
                    let cand = (c, order.key_of(id), id);
                    if best.is_none_or(|b| cand < b) {
                        best = Some(cand);
                    }
                }
            }
            match (best, then) {
                (None, _) => None,
                (Some((_, _, id)), Some(_)) => Some(id),
                // Then spread(instanceId): in the zones with the fewest tasks, the lowest id
                // without a task of the group (none can have fewer); if every candidate there
                // has one, the scan finds the least loaded.
                (Some((l, _, _)), None) if chain == Chain::SpreadZoneInstance => {
                    let none_yet = |k: u32| cluster.group_count(InstanceId(k), group) == 0;
                    let found = ids.first(&need, &mut |k| {
                        count(zone_of(k)) == l && none_yet(k) && holds(k)
                    });
                    if found.is_none() {
                        return place_by_scan(cluster, group_names, request, scratch, rng);
                    }
                    found
                }
                // Spread alone: the lowest id among the zones with the fewest tasks.
                (Some((l, _, _)), None) => {
                    ids.first(&need, &mut |k| count(zone_of(k)) == l && holds(k))
                }
            }
        }
        Chain::SpreadInstance(then) => {
            let none_yet = |k: u32| cluster.group_count(InstanceId(k), group) == 0;
            let found = match then {
                Some(f) => best_by(f, &none_yet),
                None => ids.first(&need, &mut |k| none_yet(k) && holds(k)),
            };
            if found.is_none() {
                // Every candidate already runs the group: the scan finds the least loaded.
                return place_by_scan(cluster, group_names, request, scratch, rng);
            }
            found
        }
        Chain::Random => {
            let n = ids.count(&need, simple, &mut |k| holds(k));
            match n {
                0 => None,
                1 => ids.select(0, &need, simple, &mut |k| holds(k)),
                _ => {
                    let nth = uniform_index(rng.next_u64(), n);
                    ids.select(nth, &need, simple, &mut |k| holds(k))
                }
            }
        }
        Chain::Other => None,
    };
    match found {
        Some(id) => Placement::Placed(InstanceId(id)),
        None => {
            // As the scan reports it: some instance had the CPU, memory and ports, not the ENI.
            let blocks = |k: u32| {
                let f = free[k as usize];
                f[0] >= need[0]
                    && f[1] >= need[1]
                    && f[2] == 0
                    && cluster.ports_free(k as usize, res.host_ports)
            };
            let eni_blocked = res.needs_eni
                && if has_ids {
                    ids.first(&[need[0], need[1], 0], &mut |k| blocks(k))
                        .is_some()
                } else {
                    (0..cluster.len() as u32).any(blocks)
                };
            Placement::NoInstance { eni_blocked }
        }
    }
}
