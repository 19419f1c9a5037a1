//! Which running tasks a service without a placement strategy stops when it scales in on EC2:
//! "Service scale-in without strategy: prefer AZ with the most tasks of the service, then the
//! instance with most tasks of the service" (docs/reference/ecs-facts.md §4.3, line 148).

use std::collections::BTreeMap;

use crate::ids::InstanceId;

/// An instance of any capacity provider of the arm, ordered by provider, then instance id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct InstanceKey {
    /// Index of the capacity provider in the arm.
    pub provider: u8,
    /// The instance within the provider's pool.
    pub instance: InstanceId,
}

/// A running task of the service that may be stopped: its zone and its instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Zone index.
    pub zone: u8,
    /// Its instance.
    pub instance: InstanceKey,
}

/// The positions in `candidates` of the `n` tasks to stop, in order: each time, from the zone
/// with the most of the candidates left, then the instance with the most, then the earliest in
/// `candidates` (the caller lists them newest first). The candidates are every task of the
/// service left, so counting them is counting the service's tasks.
pub fn scale_in_order(candidates: &[Candidate], n: usize) -> Vec<usize> {
    let mut zones: BTreeMap<u8, u32> = BTreeMap::new();
    let mut instances: BTreeMap<InstanceKey, u32> = BTreeMap::new();
    for c in candidates {
        *zones.entry(c.zone).or_default() += 1;
        *instances.entry(c.instance).or_default() += 1;
    }
    let mut left: Vec<usize> = (0..candidates.len()).collect();
    let mut out = Vec::with_capacity(n.min(candidates.len()));
    while out.len() < n {
        let best = left.iter().enumerate().max_by_key(|&(_, &k)| {
            let c = candidates[k];
            (
                zones.get(&c.zone).copied().unwrap_or(0),
                instances.get(&c.instance).copied().unwrap_or(0),
                std::cmp::Reverse(k),
            )
        });
        let Some((pos, &k)) = best else {
            break;
        };
        left.swap_remove(pos);
        let c = candidates[k];
        for count in [zones.get_mut(&c.zone), instances.get_mut(&c.instance)]
            .into_iter()
            .flatten()
        {
            *count -= 1;
        }
        out.push(k);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(zone: u8, instance: u32) -> Candidate {
        Candidate {
            zone,
            instance: InstanceKey {
                provider: 0,
                instance: InstanceId(instance),
            },
        }
    }

    #[test]
    fn most_loaded_zone_then_instance_then_newest() {
        // Zone 0: instance 1 with two tasks, instance 2 with one; zone 1: one task.
        let cands = [c(1, 3), c(0, 2), c(0, 1), c(0, 1)];
        // Zone 0 (3 tasks), instance 1 (2): the newer of its two (position 2).
        assert_eq!(scale_in_order(&cands, 1), [2]);
        // Then zone 0 has 2 (instance 1 and 2 with one each): the newest, position 1; then
        // zones tie at 1 and instances at 1: the newest left, position 0.
        assert_eq!(scale_in_order(&cands, 3), [2, 1, 0]);
        assert_eq!(scale_in_order(&cands, 9).len(), 4);
        assert!(scale_in_order(&[], 2).is_empty());
    }
}
