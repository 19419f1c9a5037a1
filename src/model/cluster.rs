//! The container instances of one EC2 cluster, as a struct of arrays: what each registered and
//! what is still free. Every reservation goes through [`Cluster::reserve`] and
//! [`Cluster::release`], which keep the totals and never let a resource go negative.

use crate::ids::{GroupId, InstanceId, ZoneId};
use crate::model::Architecture;
use crate::model::capacity_index::{Free, IdTree, KeyForest};

/// Host ports the ECS agent reserves on every instance by default (`ECS_RESERVED_PORTS`,
/// docs/reference/ecs-facts.md §2.5, agent README: `[22, 2375, 2376, 51678, 51679]`).
pub const AGENT_RESERVED_PORTS: [u16; 5] = [22, 2375, 2376, 51678, 51679];

/// What one task needs from an instance.
#[derive(Debug, Clone, Copy)]
pub struct ResourceRequest<'a> {
    /// CPU units.
    pub cpu_units: u32,
    /// Memory, MiB.
    pub memory_mib: u32,
    /// Whether it takes an ENI slot (awsvpc).
    pub needs_eni: bool,
    /// Static host ports that must be free on the instance (bridge/host modes).
    pub host_ports: &'a [u16],
    /// The task's group.
    pub group: GroupId,
}

/// Whether a task's resources fit an instance, and if not, the first reason why (checked in
/// the order CPU, memory, ports, ENI, so `NoEniSlot` means only the ENI was missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Everything fits.
    Fits,
    /// Not enough free CPU units.
    NotEnoughCpu,
    /// Not enough free memory.
    NotEnoughMemory,
    /// A static host port is taken.
    PortConflict,
    /// CPU, memory and ports fit, but no ENI slot is free.
    NoEniSlot,
    /// The instance takes no new task (draining, terminated, or its zone's subnet is full).
    Unavailable,
}

/// Why an instance takes no new task (bits of [`Cluster::set_unavailable`]).
pub mod unavailable {
    /// DRAINING (a Spot interruption notice).
    pub const DRAINING: u8 = 1;
    /// Terminated: gone for good.
    pub const TERMINATED: u8 = 2;
    /// The subnet of its zone has no free address (awsvpc).
    pub const SUBNET_FULL: u8 = 4;
}

/// Per-type facts a cluster needs (the arm's instance types, by local index).
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterType {
    /// Instance type name (`ecs.instance-type`).
    pub name: String,
    /// CPU architecture (`ecs.cpu-architecture`).
    pub architecture: Architecture,
    /// Instances of this type carry a trunk ENI (`ecs.awsvpc-trunk-id`).
    pub trunk: bool,
}

/// The container instances of one EC2 arm.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    types: Vec<ClusterType>,
    zones: Vec<String>,
    type_of: Vec<u16>,
    zone_of: Vec<ZoneId>,
    zone_counts: Vec<u32>,
    instance_names: Vec<String>,
    registered_cpu: Vec<u32>,
    registered_mem: Vec<u32>,
    free: Vec<Free>,
    /// Per instance, the reasons it takes no new task (bits of [`unavailable`]); 0 = ACTIVE.
    hidden: Vec<u8>,
    /// What a hidden instance really has free (its `free` entry reads zero so that no index
    /// offers it).
    parked: Vec<Free>,
    /// Instances not terminated.
    live: usize,
    name_prefix: String,
    eni_slots: Vec<u32>,
    ports: Vec<Vec<u16>>,
    task_count: Vec<u32>,
    group_counts: Vec<Vec<(GroupId, u32)>>,
    total_registered_cpu: u64,
    total_registered_mem: u64,
    total_reserved_cpu: u64,
    total_reserved_mem: u64,
    by_id: IdTree,
    keep_by_id: bool,
    by_cpu: KeyForest,
    by_mem: KeyForest,
    /// Per task group, tasks per zone.
    zone_group_counts: Vec<Vec<u32>>,
}

impl Cluster {
    /// An empty cluster whose instances will be of `types` in `zones`.
    pub fn new(types: Vec<ClusterType>, zones: Vec<String>) -> Cluster {
        let zone_counts = vec![0; zones.len().max(1)];
        Cluster {
            keep_by_id: true,
            by_cpu: KeyForest::new(0, zones.len()),
            by_mem: KeyForest::new(1, zones.len()),
            types,
            zones,
            zone_counts,
            ..Cluster::default()
        }
    }

    /// Keep only the indexes placement will use: by id (first fit, `random`, the ENI check), by
    /// free CPU (`binpack(cpu)`) and by free memory (`binpack(memory)`, `spread` by zone). Call
    /// before adding instances; a placement that would need a dropped index uses the scan.
    pub fn keep_indexes(&mut self, by_id: bool, by_cpu: bool, by_mem: bool) {
        debug_assert!(
            self.is_empty(),
            "indexes are chosen before instances are added"
        );
        self.keep_by_id = by_id;
        if !by_cpu {
            self.by_cpu.disable();
        }
        if !by_mem {
            self.by_mem.disable();
        }
    }

    /// Name instances `<prefix>i-00000000` (to tell apart the instances of several capacity
    /// providers). Call before adding instances.
    pub fn set_name_prefix(&mut self, prefix: &str) {
        self.name_prefix = prefix.to_string();
    }

    /// Register a new container instance; ids are handed out in launch order. `reserved_ports`
    /// are host ports taken from the start (the agent's, in bridge/host modes).
    pub fn add_instance(
        &mut self,
        type_index: u16,
        zone: ZoneId,
        cpu_units: u32,
        memory_mib: u32,
        eni_slots: u32,
        reserved_ports: &[u16],
    ) -> InstanceId {
        debug_assert!(
            usize::from(zone.0) < self.zone_counts.len(),
            "zone out of range"
        );
        let id = InstanceId(self.type_of.len() as u32);
        self.type_of.push(type_index);
        self.zone_of.push(zone);
        if let Some(c) = self.zone_counts.get_mut(usize::from(zone.0)) {
            *c += 1;
        }
        self.instance_names
            .push(format!("{}{id}", self.name_prefix));
        self.hidden.push(0);
        self.parked.push([0; 3]);
        self.live += 1;
        self.registered_cpu.push(cpu_units);
        self.registered_mem.push(memory_mib);
        self.free.push([cpu_units, memory_mib, eni_slots]);
        self.eni_slots.push(eni_slots);
        let n = self.free.len();
        if self.keep_by_id {
            if n > self.by_id.capacity() {
                self.by_id.grow(n.next_power_of_two(), &self.free);
            } else {
                self.by_id.set(n - 1, self.free[n - 1]);
            }
        }
        let z = usize::from(zone.0).min(self.zone_counts.len() - 1);
        self.by_cpu.push(id.0, z, self.free[n - 1]);
        self.by_mem.push(id.0, z, self.free[n - 1]);
        self.ports.push(reserved_ports.to_vec());
        self.task_count.push(0);
        self.group_counts.push(Vec::new());
        self.total_registered_cpu += u64::from(cpu_units);
        self.total_registered_mem += u64::from(memory_mib);
        id
    }

    /// Number of container instances ever registered (ids run from 0 to this), terminated
    /// ones included.
    pub fn len(&self) -> usize {
        self.type_of.len()
    }

    /// Number of instances not terminated.
    pub fn live(&self) -> usize {
        self.live
    }

    /// The reasons instance `i` takes no new task (bits of [`unavailable`]; 0: ACTIVE).
    pub fn unavailable(&self, i: InstanceId) -> u8 {
        self.hidden[i.index()]
    }

    /// Set (`on`) or clear the reason `why` (a bit of [`unavailable`]) for instance `i` to
    /// take no new task. Tasks already there keep running and release normally.
    pub fn set_unavailable(&mut self, i: InstanceId, why: u8, on: bool) {
        let k = i.index();
        let before = self.hidden[k];
        let after = if on { before | why } else { before & !why };
        if (before == 0) == (after == 0) {
            self.hidden[k] = after;
            return;
        }
        if after != 0 {
            self.parked[k] = self.free[k];
            self.free[k] = [0; 3];
        } else {
            self.free[k] = self.parked[k];
        }
        self.hidden[k] = after;
        self.reindex(k);
    }

    /// Terminate instance `i`, which must run no task: it leaves the registered totals and
    /// its zone's count for good. Returns false (and does nothing) if a task is still there.
    pub fn terminate(&mut self, i: InstanceId) -> bool {
        let k = i.index();
        if self.task_count[k] > 0 || self.hidden[k] & unavailable::TERMINATED != 0 {
            return false;
        }
        self.set_unavailable(i, unavailable::TERMINATED, true);
        self.total_registered_cpu -= u64::from(self.registered_cpu[k]);
        self.total_registered_mem -= u64::from(self.registered_mem[k]);
        if let Some(c) = self.zone_counts.get_mut(usize::from(self.zone_of[k].0)) {
            *c = c.saturating_sub(1);
        }
        self.live -= 1;
        true
    }

    /// Whether `req` would fit instance `i` by resources if it were available (to tell a task
    /// blocked only by an unavailable instance, such as a full subnet).
    pub fn would_fit_if_available(&self, i: InstanceId, req: &ResourceRequest<'_>) -> bool {
        let k = i.index();
        let f = self.actual_free(k);
        f[0] >= req.cpu_units
            && f[1] >= req.memory_mib
            && self.ports_free(k, req.host_ports)
            && (!req.needs_eni || f[2] > 0)
    }

    /// What instance `k` really has free (hidden or not).
    fn actual_free(&self, k: usize) -> Free {
        if self.hidden[k] == 0 {
            self.free[k]
        } else {
            self.parked[k]
        }
    }

    /// Whether the cluster has no instance.
    pub fn is_empty(&self) -> bool {
        self.type_of.is_empty()
    }

    /// The zone with the fewest instances, ties to the earlier zone (how an Auto Scaling group
    /// balances, docs/model.md §6.3).
    pub fn next_zone(&self) -> ZoneId {
        let counts = &self.zone_counts;
        let best = (0..counts.len())
            .min_by_key(|&i| (counts[i], i))
            .unwrap_or(0);
        ZoneId(best as u8)
    }

    /// Whether `req` fits instance `i` by resources (step 1 of ECS placement).
    pub fn fit(&self, i: InstanceId, req: &ResourceRequest<'_>) -> Fit {
        let k = i.index();
        if self.hidden[k] != 0 {
            return Fit::Unavailable;
        }
        let f = &self.free[k];
        if f[0] < req.cpu_units {
            return Fit::NotEnoughCpu;
        }
        if f[1] < req.memory_mib {
            return Fit::NotEnoughMemory;
        }
        if !self.ports_free(k, req.host_ports) {
            return Fit::PortConflict;
        }
        if req.needs_eni && f[2] == 0 {
            return Fit::NoEniSlot;
        }
        Fit::Fits
    }

    /// Take `req`'s resources on instance `i`. The caller has checked [`Cluster::fit`];
    /// returns `false` and changes nothing if it does not fit.
    pub fn reserve(&mut self, i: InstanceId, req: &ResourceRequest<'_>) -> bool {
        if self.fit(i, req) != Fit::Fits {
            return false;
        }
        let k = i.index();
        self.free[k][0] -= req.cpu_units;
        self.free[k][1] -= req.memory_mib;
        if req.needs_eni {
            self.free[k][2] -= 1;
        }
        self.reindex(k);
        self.count_zone_group(k, req.group, true);
        self.ports[k].extend_from_slice(req.host_ports);
        self.task_count[k] += 1;
        match self.group_counts[k]
            .iter_mut()
            .find(|(g, _)| *g == req.group)
        {
            Some((_, n)) => *n += 1,
            None => self.group_counts[k].push((req.group, 1)),
        }
        self.total_reserved_cpu += u64::from(req.cpu_units);
        self.total_reserved_mem += u64::from(req.memory_mib);
        true
    }

    /// Give back what [`Cluster::reserve`] took for `req` on instance `i`.
    pub fn release(&mut self, i: InstanceId, req: &ResourceRequest<'_>) {
        let k = i.index();
        // Not clamped: releasing what was never reserved shows up in `check_invariants`.
        let hidden = self.hidden[k] != 0;
        let f = if hidden {
            &mut self.parked[k]
        } else {
            &mut self.free[k]
        };
        f[0] = f[0].saturating_add(req.cpu_units);
        f[1] = f[1].saturating_add(req.memory_mib);
        if req.needs_eni {
            f[2] = f[2].saturating_add(1);
        }
        if !hidden {
            self.reindex(k);
        }
        self.count_zone_group(k, req.group, false);
        for p in req.host_ports {
            if let Some(pos) = self.ports[k].iter().position(|x| x == p) {
                self.ports[k].swap_remove(pos);
            }
        }
        self.task_count[k] = self.task_count[k].saturating_sub(1);
        if let Some(pos) = self.group_counts[k]
            .iter()
            .position(|(g, _)| *g == req.group)
        {
            self.group_counts[k][pos].1 -= 1;
            if self.group_counts[k][pos].1 == 0 {
                self.group_counts[k].swap_remove(pos);
            }
        }
        self.total_reserved_cpu = self
            .total_reserved_cpu
            .saturating_sub(u64::from(req.cpu_units));
        self.total_reserved_mem = self
            .total_reserved_mem
            .saturating_sub(u64::from(req.memory_mib));
    }

    /// Whether none of `ports` is taken on instance `k`.
    pub fn ports_free(&self, k: usize, ports: &[u16]) -> bool {
        ports.is_empty() || !ports.iter().any(|p| self.ports[k].contains(p))
    }

    fn reindex(&mut self, k: usize) {
        if self.keep_by_id {
            self.by_id.set(k, self.free[k]);
        }
        let z = usize::from(self.zone_of[k].0).min(self.zone_counts.len() - 1);
        self.by_cpu.update(k as u32, z, self.free[k]);
        self.by_mem.update(k as u32, z, self.free[k]);
    }

    fn count_zone_group(&mut self, k: usize, group: GroupId, add: bool) {
        let g = group.0 as usize;
        if self.zone_group_counts.len() <= g {
            self.zone_group_counts.resize(g + 1, Vec::new());
        }
        let per_zone = &mut self.zone_group_counts[g];
        if per_zone.is_empty() {
            per_zone.resize(self.zone_counts.len(), 0);
        }
        let z = usize::from(self.zone_of[k].0).min(per_zone.len() - 1);
        per_zone[z] = if add {
            per_zone[z] + 1
        } else {
            per_zone[z].saturating_sub(1)
        };
    }

    /// Free CPU units, memory (MiB) and ENI slots per instance (ENI slots are `u32::MAX` when
    /// the network mode does not use them).
    pub fn free(&self) -> &[Free] {
        &self.free
    }
    /// Tasks of `group` per zone (empty if the group has never had a task here).
    pub fn zone_group_counts(&self, group: GroupId) -> &[u32] {
        self.zone_group_counts
            .get(group.0 as usize)
            .map_or(&[], Vec::as_slice)
    }
    /// The id-ordered index of free capacity, if kept.
    pub fn by_id(&self) -> Option<&IdTree> {
        self.keep_by_id.then_some(&self.by_id)
    }
    /// Per zone, instances ordered by (free CPU, id).
    pub fn by_cpu(&self) -> &KeyForest {
        &self.by_cpu
    }
    /// Per zone, instances ordered by (free memory, id).
    pub fn by_mem(&self) -> &KeyForest {
        &self.by_mem
    }
    /// Registered CPU units per instance.
    pub fn registered_cpu(&self) -> &[u32] {
        &self.registered_cpu
    }
    /// Registered memory per instance.
    pub fn registered_mem(&self) -> &[u32] {
        &self.registered_mem
    }
    /// Tasks placed on each instance (`runningTasksCount`).
    pub fn task_count(&self) -> &[u32] {
        &self.task_count
    }
    /// Zone of each instance.
    pub fn zone_of(&self) -> &[ZoneId] {
        &self.zone_of
    }
    /// Local type index of each instance.
    pub fn type_of(&self) -> &[u16] {
        &self.type_of
    }
    /// The arm's instance types.
    pub fn types(&self) -> &[ClusterType] {
        &self.types
    }
    /// The arm's zone names.
    pub fn zones(&self) -> &[String] {
        &self.zones
    }
    /// The printable id of instance `i`.
    pub fn instance_name(&self, i: InstanceId) -> &str {
        &self.instance_names[i.index()]
    }
    /// Tasks of `group` on instance `i`.
    pub fn group_count(&self, i: InstanceId, group: GroupId) -> u32 {
        self.group_counts[i.index()]
            .iter()
            .find(|(g, _)| *g == group)
            .map_or(0, |(_, n)| *n)
    }
    /// The groups with tasks on instance `i`, with their counts.
    pub fn groups_on(&self, i: InstanceId) -> &[(GroupId, u32)] {
        &self.group_counts[i.index()]
    }
    /// Host ports taken on instance `i`.
    pub fn ports_on(&self, i: InstanceId) -> &[u16] {
        &self.ports[i.index()]
    }
    /// Total registered CPU units.
    pub fn total_registered_cpu(&self) -> u64 {
        self.total_registered_cpu
    }
    /// Total registered memory, MiB.
    pub fn total_registered_mem(&self) -> u64 {
        self.total_registered_mem
    }
    /// Total reserved CPU units.
    pub fn total_reserved_cpu(&self) -> u64 {
        self.total_reserved_cpu
    }
    /// Total reserved memory, MiB.
    pub fn total_reserved_mem(&self) -> u64 {
        self.total_reserved_mem
    }

    /// Check that no instance is over-committed and the totals agree with the per-instance
    /// state; `Err` says what is wrong. Used by tests and debug runs.
    pub fn check_invariants(&self) -> Result<(), String> {
        let (mut rc, mut rm) = (0u64, 0u64);
        let (mut regc, mut regm) = (0u64, 0u64);
        for k in 0..self.len() {
            let f = self.actual_free(k);
            if self.hidden[k] != 0 && self.free[k] != [0; 3] {
                return Err(format!("instance {k}: unavailable but offered"));
            }
            if self.hidden[k] & unavailable::TERMINATED == 0 {
                regc += u64::from(self.registered_cpu[k]);
                regm += u64::from(self.registered_mem[k]);
            } else if self.task_count[k] > 0 {
                return Err(format!("instance {k}: terminated with tasks on it"));
            }
            if f[2] > self.eni_slots[k] {
                return Err(format!("instance {k}: more ENI slots free than it has"));
            }
            if f[0] > self.registered_cpu[k] || f[1] > self.registered_mem[k] {
                return Err(format!("instance {k}: free exceeds registered"));
            }
            rc += u64::from(self.registered_cpu[k] - f[0]);
            rm += u64::from(self.registered_mem[k] - f[1]);
            if self.keep_by_id && self.by_id.leaf(k) != self.free[k] {
                return Err(format!("instance {k}: id index is stale"));
            }
            let groups: u32 = self.group_counts[k].iter().map(|(_, n)| n).sum();
            if groups != self.task_count[k] {
                return Err(format!(
                    "instance {k}: group counts {groups} != tasks {}",
                    self.task_count[k]
                ));
            }
            let mut ports = self.ports[k].clone();
            ports.sort_unstable();
            if ports.windows(2).any(|w| w[0] == w[1]) {
                return Err(format!("instance {k}: a host port is taken twice"));
            }
        }
        if rc != self.total_reserved_cpu || rm != self.total_reserved_mem {
            return Err("reserved totals disagree with instances".to_string());
        }
        if regc != self.total_registered_cpu || regm != self.total_registered_mem {
            return Err("registered totals disagree with instances".to_string());
        }
        for (name, forest) in [("cpu", &self.by_cpu), ("memory", &self.by_mem)] {
            let n = forest
                .check(&self.free)
                .map_err(|e| format!("{name} index: {e}"))?;
            if n != self.len() {
                return Err(format!(
                    "{name} index holds {n} of {} instances",
                    self.len()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster() -> Cluster {
        let mut c = Cluster::new(
            vec![ClusterType {
                name: "m5.large".into(),
                architecture: Architecture::X86_64,
                trunk: false,
            }],
            vec!["a".into(), "b".into()],
        );
        c.add_instance(0, ZoneId(0), 2048, 7817, 2, &[]);
        c
    }

    fn req(ports: &[u16]) -> ResourceRequest<'_> {
        ResourceRequest {
            cpu_units: 512,
            memory_mib: 1024,
            needs_eni: true,
            host_ports: ports,
            group: GroupId(0),
        }
    }

    #[test]
    fn eni_slots_limit_awsvpc_tasks() {
        let mut c = cluster();
        let i = InstanceId(0);
        assert!(c.reserve(i, &req(&[])));
        assert!(c.reserve(i, &req(&[])));
        // CPU and memory are still free, only the ENI is missing.
        assert_eq!(c.fit(i, &req(&[])), Fit::NoEniSlot);
        c.release(i, &req(&[]));
        assert_eq!(c.fit(i, &req(&[])), Fit::Fits);
        c.check_invariants().unwrap();
    }

    #[test]
    fn host_ports_conflict_and_are_released() {
        let mut c = cluster();
        let i = InstanceId(0);
        let r = ResourceRequest {
            needs_eni: false,
            ..req(&[80])
        };
        assert!(c.reserve(i, &r));
        assert_eq!(c.fit(i, &r), Fit::PortConflict);
        let other = ResourceRequest {
            needs_eni: false,
            ..req(&[8080])
        };
        assert_eq!(c.fit(i, &other), Fit::Fits);
        c.release(i, &r);
        assert_eq!(c.fit(i, &r), Fit::Fits);
    }

    #[test]
    fn release_restores_exactly() {
        let mut c = cluster();
        let i = InstanceId(0);
        let before = c.free()[0];
        assert!(c.reserve(i, &req(&[])));
        c.release(i, &req(&[]));
        assert_eq!(before, c.free()[0]);
        assert_eq!(c.total_reserved_cpu(), 0);
        assert_eq!(c.group_count(i, GroupId(0)), 0);
    }

    #[test]
    fn releasing_what_was_never_reserved_is_caught() {
        let mut c = cluster();
        let i = InstanceId(0);
        assert!(c.reserve(i, &req(&[])));
        c.release(i, &req(&[]));
        c.release(i, &req(&[]));
        assert!(c.check_invariants().is_err());
    }

    #[test]
    fn unavailable_instances_take_nothing_and_come_back_whole() {
        let mut c = cluster();
        let i = InstanceId(0);
        assert!(c.reserve(i, &req(&[])));
        c.set_unavailable(i, unavailable::DRAINING, true);
        assert_eq!(c.fit(i, &req(&[])), Fit::Unavailable);
        assert_eq!(c.free()[0], [0; 3]);
        c.check_invariants().unwrap();
        // A release while hidden is kept aside, not offered.
        c.release(i, &req(&[]));
        assert_eq!(c.free()[0], [0; 3]);
        c.check_invariants().unwrap();
        c.set_unavailable(i, unavailable::SUBNET_FULL, true);
        c.set_unavailable(i, unavailable::DRAINING, false);
        assert_eq!(c.fit(i, &req(&[])), Fit::Unavailable);
        c.set_unavailable(i, unavailable::SUBNET_FULL, false);
        assert_eq!(c.free()[0], [2048, 7817, 2]);
        c.check_invariants().unwrap();
    }

    #[test]
    fn terminated_instances_leave_the_totals() {
        let mut c = cluster();
        let i = InstanceId(0);
        assert!(c.reserve(i, &req(&[])));
        assert!(!c.terminate(i), "a task is still there");
        c.release(i, &req(&[]));
        assert!(c.terminate(i));
        assert_eq!((c.total_registered_cpu(), c.live(), c.len()), (0, 0, 1));
        assert_eq!(c.fit(i, &req(&[])), Fit::Unavailable);
        c.check_invariants().unwrap();
    }

    #[test]
    fn zones_fill_evenly_ties_to_the_first() {
        let mut c = cluster();
        assert_eq!(c.next_zone(), ZoneId(1));
        c.add_instance(0, ZoneId(1), 2048, 7817, 2, &[]);
        assert_eq!(c.next_zone(), ZoneId(0));
    }
}
