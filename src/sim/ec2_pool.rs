//! One EC2 capacity provider during a run: its Auto Scaling group (instances launching,
//! registered, draining and terminated, each billed from launch request to termination), its
//! container instances and the tasks waiting for them (PROVISIONING).

use crate::engine::RngStream;
use crate::ids::{InstanceId, ZoneId};
use crate::model::billing::{EC2_MINIMUM_SECS, billed_secs, cost_of};
use crate::model::cluster::{ClusterType, unavailable};
use crate::model::commitment::{HourlyUsage, UsageKey, UsageKind};
use crate::model::{Cluster, Distribution, InstanceType, Os, TaskSpec};
use crate::placement::PlacementConstraint;
use crate::placement::instance_view::FreshInstance;
use crate::scenario::{Capacity, Ec2Provider, Purchase};
use crate::sim::managed_scaling::{
    InstanceShape, ManagedScaler, ProvisioningEstimate, instances_for,
};
use crate::sim::metrics::CostMeter;
use crate::sim::other_charges::{close_address, open_address};
use crate::sim::pending_queue::PendingQueue;
use crate::time::{SimDuration, SimTime};

/// An instance of the group from its launch request on.
#[derive(Debug, Clone)]
pub struct Machine {
    /// Local type index.
    pub type_index: u16,
    /// Zone it was launched in.
    pub zone: ZoneId,
    /// Launch request (billing starts).
    pub requested: SimTime,
    /// USD per hour (Spot: after the discount).
    pub price_per_hour: f64,
    /// Its container instance once registered.
    pub instance: Option<InstanceId>,
    /// Termination (billing ends).
    pub ended: Option<SimTime>,
    /// Part of the fleet at time 0 (running before the window: never in warm-up).
    pub initial: bool,
}

/// What the pool does with an instance type.
#[derive(Debug, Clone, Copy)]
pub struct TypeCapacity {
    /// CPU units an instance registers.
    pub cpu_units: u32,
    /// Memory an instance registers, MiB (after `reserved_memory_mib`).
    pub memory_mib: u32,
    /// Tasks an instance holds by ENIs (`u32::MAX` outside awsvpc).
    pub task_slots: u32,
}

/// Totals of the provisioning tasks the scaling estimate counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provisioning {
    /// CPU units.
    pub cpu: u64,
    /// Memory, MiB.
    pub mem: u64,
    /// Tasks.
    pub tasks: u64,
    /// Per task source with static host ports, its waiting tasks: two such tasks can never
    /// share an instance (their ports conflict), so each needs its own.
    pub by_ports: Vec<u64>,
    /// Provisioning tasks left out of the estimate: larger than the smallest type, or no
    /// instance the group launches could take them (docs/reference/ecs-facts.md §5.3).
    pub excluded: u64,
}

/// Who ends an instance's billing, which decides what it is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// The group (scale-in) or the end of the run: the seconds used.
    ByUs,
    /// Amazon EC2 reclaims a Spot instance (its interruption): see [`spot_interruption_bill`].
    SpotInterruption,
}

/// What an instance that Amazon EC2 interrupts costs (Linux; `sim` prices Linux only), after
/// `elapsed` of life billed as `secs` seconds at `usd_per_hour`: **nothing** if interrupted in
/// its first instance hour, else the seconds used (docs/reference/pricing.md §5.1, lines 345–356
/// [EC2UG-SpotBill]: "Amazon EC2 interrupts | Windows and Linux (excluding RHEL and SUSE) | no
/// charge | charged for the seconds used"; "If EC2 interrupts your Spot Instance in the first
/// hour, before a full hour of running time, you're not charged for the partial hour used").
/// The hour runs from the launch request, where `sim`'s billing starts (docs/model.md §9.1).
pub fn spot_interruption_bill(elapsed: SimDuration, secs: u64, usd_per_hour: f64) -> f64 {
    if elapsed < SPOT_FREE_HOUR {
        0.0
    } else {
        cost_of(secs, usd_per_hour)
    }
}

/// An instance EC2 interrupts before a full hour of running time is not charged.
const SPOT_FREE_HOUR: SimDuration = SimDuration(3_600_000);

/// One capacity provider's state.
#[derive(Debug)]
pub struct Ec2Pool {
    /// Provider name (tasks.csv `capacity_provider`).
    pub name: String,
    /// Instance types in launch-priority order.
    pub types: Vec<InstanceType>,
    /// Per type, what an instance offers.
    pub capacity: Vec<TypeCapacity>,
    /// Per type, whether the group has or can launch instances of it.
    pub present: Vec<bool>,
    /// The registered container instances.
    pub cluster: Cluster,
    /// Tasks waiting for this provider, in arrival order.
    pub pending: PendingQueue,
    /// Every instance launched, in launch order.
    pub machines: Vec<Machine>,
    /// Per container instance id, its machine.
    pub machine_of: Vec<u32>,
    /// Per zone, instances launching or registered (how the group balances zones).
    zone_load: Vec<u32>,
    /// Instances requested and not yet registered.
    pub launching: u32,
    /// Managed scaling, if the group has it.
    pub scaler: Option<ManagedScaler>,
    /// `instanceWarmupPeriod`.
    pub warmup: SimDuration,
    launch_latency: Distribution,
    launch_rng: RngStream,
    /// Spot: time to interruption per instance; `None` on demand or at rate 0.
    interruption: Option<Distribution>,
    spot_rng: RngStream,
    /// Fraction of the on-demand price paid (1 on demand).
    price_factor: f64,
    /// Bought as Spot (whatever the discount).
    pub spot: bool,
    /// What the closed instances were billed, USD.
    pub billed_usd: f64,
    /// What the closed instances would have been billed at the on-demand price, USD.
    pub billed_on_demand_usd: f64,
    /// USD per hour of an instance's public IPv4 address (`assign_public_ip`), if any.
    pub public_ipv4_hour: Option<f64>,
    /// What the closed instances' public addresses cost, USD.
    pub public_ipv4_usd: f64,
    /// Operating system of the instances (the arm's), for the usage lines.
    pub os: Os,
    /// The on-demand instance-seconds billed, by clock hour and (type, OS), for commitments
    /// (docs/model.md §22.2); empty on Spot (never covered, docs/reference/pricing.md §3.1).
    pub usage: HourlyUsage,
    /// The smallest type: tasks larger than it are left out of the scaling estimate
    /// (docs/reference/ecs-facts.md §5.3).
    pub shape: InstanceShape,
    /// The type launches use (the first, by priority): what the estimate packs onto.
    pub launch_shape: InstanceShape,
    /// Provisioning tasks that fit `shape`.
    pub provisioning: Provisioning,
    /// Per task source (trace, jobs, services), whether a fresh instance of the type the group
    /// launches, in some zone, satisfies the source's constraints (else its provisioning tasks
    /// are left out of the estimate). Sources not listed are launchable.
    pub launchable: Vec<bool>,
}

impl Ec2Pool {
    /// A pool for `provider` whose instances register `capacity` per type.
    pub fn new(
        provider: &Ec2Provider,
        cluster_types: Vec<ClusterType>,
        capacity: Vec<TypeCapacity>,
        zones: Vec<String>,
        rngs: (RngStream, RngStream),
    ) -> Ec2Pool {
        let zone_count = zones.len().max(1);
        let cluster = Cluster::new(cluster_types, zones);
        let (scaler, warmup) = match &provider.capacity {
            Capacity::Fixed(_) => (None, SimDuration::ZERO),
            Capacity::Managed { min, max, scaling } => (
                Some(ManagedScaler::new(*scaling, *min, *max)),
                scaling.instance_warmup_period,
            ),
        };
        let (interruption, price_factor) = match provider.purchase {
            Purchase::OnDemand => (None, 1.0),
            Purchase::Spot {
                discount,
                interruptions_per_hour,
            } => (
                (interruptions_per_hour > 0.0).then(|| Distribution::Exponential {
                    mean_ms: 3_600_000.0 / interruptions_per_hour,
                }),
                1.0 - discount,
            ),
        };
        let shape_of = |c: &TypeCapacity| InstanceShape {
            cpu_units: c.cpu_units,
            memory_mib: c.memory_mib,
            task_slots: c.task_slots,
        };
        let none = InstanceShape {
            cpu_units: 0,
            memory_mib: 0,
            task_slots: 0,
        };
        // The smallest type, resource by resource (types need not nest: c5.xlarge has more CPU
        // and less memory than r5.large), so a task counted fits every type.
        let shape = capacity
            .iter()
            .map(shape_of)
            .reduce(|a, b| InstanceShape {
                cpu_units: a.cpu_units.min(b.cpu_units),
                memory_mib: a.memory_mib.min(b.memory_mib),
                task_slots: a.task_slots.min(b.task_slots),
            })
            .unwrap_or(none);
        let launch_shape = capacity.first().map_or(none, shape_of);
        let mut present = vec![false; provider.instance_types.len()];
        if let (Capacity::Managed { max, .. }, Some(first)) =
            (&provider.capacity, present.first_mut())
        {
            // Prioritized allocation launches the first type.
            *first = *max > 0;
        }
        Ec2Pool {
            name: provider.name.clone(),
            types: provider.instance_types.clone(),
            capacity,
            present,
            cluster,
            pending: PendingQueue::default(),
            machines: Vec::new(),
            machine_of: Vec::new(),
            zone_load: vec![0; zone_count],
            launching: 0,
            scaler,
            warmup,
            launch_latency: provider.instance_launch_latency,
            launch_rng: rngs.0,
            interruption,
            spot_rng: rngs.1,
            price_factor,
            spot: matches!(provider.purchase, Purchase::Spot { .. }),
            billed_usd: 0.0,
            billed_on_demand_usd: 0.0,
            public_ipv4_hour: None,
            public_ipv4_usd: 0.0,
            os: Os::Linux,
            usage: HourlyUsage::default(),
            shape,
            launch_shape,
            provisioning: Provisioning::default(),
            launchable: Vec::new(),
        }
    }

    /// Instances in the group: launching or registered, not terminated (N).
    pub fn instances(&self) -> u32 {
        self.launching + self.cluster.live() as u32
    }

    /// Registered instances that run at least one task.
    pub fn non_empty(&self) -> u32 {
        let tasks = self.cluster.task_count();
        (0..self.cluster.len())
            .filter(|&k| {
                tasks[k] > 0
                    && self.cluster.unavailable(InstanceId(k as u32)) & unavailable::TERMINATED == 0
            })
            .count() as u32
    }

    /// Whether some instance was launched less than the warm-up period ago.
    pub fn in_warmup(&self, now: SimTime) -> bool {
        self.machines
            .iter()
            .rev()
            .take_while(|m| now.since(m.requested) < self.warmup)
            .any(|m| m.ended.is_none() && !m.initial)
    }

    /// The zone the next instance goes to: the fewest instances, ties to the earlier zone.
    fn next_zone(&self) -> ZoneId {
        let best = (0..self.zone_load.len())
            .min_by_key(|&z| (self.zone_load[z], z))
            .unwrap_or(0);
        ZoneId(best as u8)
    }

    /// Request an instance of type `type_index` at `now` (billing starts); returns its machine
    /// and when it registers.
    pub fn request(
        &mut self,
        type_index: u16,
        now: SimTime,
        meter: &mut CostMeter,
    ) -> (u32, SimTime) {
        let zone = self.next_zone();
        let price = self.types[usize::from(type_index)].price_per_hour * self.price_factor;
        meter.open(now, price);
        open_address(self.public_ipv4_hour, meter, now);
        self.zone_load[usize::from(zone.0)] += 1;
        self.machines.push(Machine {
            type_index,
            zone,
            requested: now,
            price_per_hour: price,
            instance: None,
            ended: None,
            initial: false,
        });
        self.launching += 1;
        self.present[usize::from(type_index)] = true;
        let ready = now.after(self.launch_latency.sample(&mut self.launch_rng));
        ((self.machines.len() - 1) as u32, ready)
    }

    /// Machine `m` registers as a container instance; returns it and, on Spot, when its
    /// interruption notice comes.
    pub fn register(
        &mut self,
        m: u32,
        now: SimTime,
        reserved_ports: &[u16],
    ) -> (InstanceId, Option<SimTime>) {
        let machine = &self.machines[m as usize];
        let c = self.capacity[usize::from(machine.type_index)];
        let id = self.cluster.add_instance(
            machine.type_index,
            machine.zone,
            c.cpu_units,
            c.memory_mib,
            c.task_slots,
            reserved_ports,
        );
        self.machines[m as usize].instance = Some(id);
        self.machine_of.push(m);
        self.launching -= 1;
        let notice = self
            .interruption
            .as_ref()
            .map(|d| now.after(d.sample(&mut self.spot_rng)));
        (id, notice)
    }

    /// Terminate registered instance `i`, which runs no task; returns false if it still does.
    /// `by` says who stops it, which decides what it is billed ([`spot_interruption_bill`]).
    pub fn terminate(
        &mut self,
        i: InstanceId,
        now: SimTime,
        by: Termination,
        meter: &mut CostMeter,
    ) -> bool {
        if !self.cluster.terminate(i) {
            return false;
        }
        let m = self.machine_of[i.index()] as usize;
        self.zone_load[usize::from(self.machines[m].zone.0)] -= 1;
        self.close(m, now, true, by, meter);
        true
    }

    fn close(
        &mut self,
        m: usize,
        end: SimTime,
        ended: bool,
        by: Termination,
        meter: &mut CostMeter,
    ) -> f64 {
        let machine = &mut self.machines[m];
        machine.ended = Some(end);
        let elapsed = end.since(machine.requested);
        let secs = billed_secs(elapsed, ended, EC2_MINIMUM_SECS);
        let cost = match by {
            Termination::SpotInterruption => {
                spot_interruption_bill(elapsed, secs, machine.price_per_hour)
            }
            Termination::ByUs => cost_of(secs, machine.price_per_hour),
        };
        meter.close(machine.requested, machine.price_per_hour, cost);
        let (requested, type_index) = (machine.requested, machine.type_index);
        // The address is charged for the instance's whole life, also when EC2 interrupts a Spot
        // instance in its first hour (docs/reference/pricing.md §5.1: "EIPs still apply").
        self.public_ipv4_usd += close_address(self.public_ipv4_hour, meter, requested, end);
        self.billed_usd += cost;
        let t = &self.types[usize::from(type_index)];
        self.billed_on_demand_usd += cost_of(secs, t.price_per_hour);
        if !self.spot {
            // The seconds billed beyond the life (rounding up, the 60 s minimum) go to the
            // hour of its end (docs/model.md §22.2).
            self.usage.add(
                UsageKey {
                    kind: UsageKind::Ec2 {
                        instance_type: t.name.clone(),
                    },
                    os: self.os,
                },
                t.price_per_hour,
                requested.as_ms(),
                end.as_ms(),
                secs * 1000,
                1,
            );
        }
        cost
    }

    /// Bill every instance still in the group up to `end`; returns instance-milliseconds of
    /// the whole run.
    pub fn close_all(&mut self, end: SimTime, meter: &mut CostMeter) -> u128 {
        let mut ms: u128 = 0;
        for m in 0..self.machines.len() {
            if self.machines[m].ended.is_none() {
                self.close(m, end, false, Termination::ByUs, meter);
            }
            let machine = &self.machines[m];
            ms += u128::from(
                machine
                    .ended
                    .unwrap_or(end)
                    .since(machine.requested)
                    .as_ms(),
            );
        }
        ms
    }

    /// Up to `n` registered instances that run no task, in the order the group terminates
    /// them: from the zone with the most instances (ties to the earlier zone), the newest first.
    pub fn scale_in_victims(&self, n: u32) -> Vec<InstanceId> {
        let mut load = self.zone_load.clone();
        let mut empty: Vec<InstanceId> = (0..self.cluster.len() as u32)
            .map(InstanceId)
            .filter(|&i| {
                // Empty and not on its way out (an instance of a zone whose subnet is full is
                // still an instance to scale in).
                self.cluster.task_count()[i.index()] == 0
                    && self.cluster.unavailable(i)
                        & (unavailable::DRAINING | unavailable::TERMINATED)
                        == 0
            })
            .collect();
        let mut out = Vec::new();
        while (out.len() as u32) < n && !empty.is_empty() {
            let zone_of = |i: InstanceId| usize::from(self.cluster.zone_of()[i.index()].0);
            let Some(pos) = (0..empty.len()).max_by_key(|&p| {
                let i = empty[p];
                let z = zone_of(i);
                (load[z], std::cmp::Reverse(z), i.0)
            }) else {
                break;
            };
            let i = empty.swap_remove(pos);
            load[zone_of(i)] -= 1;
            out.push(i);
        }
        out
    }

    /// Count a provisioning task of task source `source` in the scaling estimate (if it fits
    /// the smallest type and an instance the group launches could take it; else count it as
    /// excluded). `ports` says whether the source has static host ports.
    pub fn count_provisioning(&mut self, spec: &TaskSpec, source: usize, ports: bool, add: bool) {
        let s = self.shape;
        let launchable = self.launchable.get(source).copied().unwrap_or(true);
        if spec.cpu_units > s.cpu_units
            || spec.memory_mib > s.memory_mib
            || s.task_slots == 0
            || !launchable
        {
            let e = &mut self.provisioning.excluded;
            *e = if add { *e + 1 } else { e.saturating_sub(1) };
            return;
        }
        let p = &mut self.provisioning;
        let ports_source = ports.then_some(source);
        if let Some(src) = ports_source {
            if p.by_ports.len() <= src {
                p.by_ports.resize(src + 1, 0);
            }
            p.by_ports[src] = if add {
                p.by_ports[src] + 1
            } else {
                p.by_ports[src].saturating_sub(1)
            };
        }
        if add {
            p.cpu += u64::from(spec.cpu_units);
            p.mem += u64::from(spec.memory_mib);
            p.tasks += 1;
        } else {
            p.cpu -= u64::from(spec.cpu_units);
            p.mem -= u64::from(spec.memory_mib);
            p.tasks -= 1;
        }
    }

    /// Instances the provisioning tasks need on fresh instances of the type launches use.
    /// *Our choice* for mixed types: ECS leaves tasks larger than the smallest type out of its
    /// estimate (§5.3), and packs the rest onto the instances the group will launch, which in
    /// `sim` are always of the first type (prioritized allocation, no capacity shortage).
    /// Static host ports count too (docs/reference/ecs-facts.md §4.1: the estimate counts "vCPU,
    /// memory, ENIs, ports, and GPUs"): tasks of one source share their ports, so each needs
    /// an instance of its own.
    pub fn provisioning_estimate(&self) -> ProvisioningEstimate {
        let p = &self.provisioning;
        if p.tasks == 0 {
            return if p.excluded > 0 {
                ProvisioningEstimate::AllExcluded
            } else {
                ProvisioningEstimate::Nothing
            };
        }
        let ports = p.by_ports.iter().copied().max().unwrap_or(0);
        ProvisioningEstimate::Instances(
            instances_for(p.cpu, p.mem, p.tasks, self.launch_shape)
                .max(u32::try_from(ports).unwrap_or(u32::MAX)),
        )
    }

    /// Whether a fresh instance of the type the pool launches (its first, prioritized
    /// allocation), in one of its zones, satisfies `constraints`: else no instance the group could add
    /// would take the source's tasks, and they are left out of the scaling estimate
    /// (docs/reference/ecs-facts.md §5.3; docs/model.md §6.9.1). `distinctInstance` holds on a new
    /// instance; `memberOf` is evaluated on it with no task (so `task:group == x` is false).
    pub fn fresh_instance_holds(&self, prefix: &str, constraints: &[PlacementConstraint]) -> bool {
        let Some(t) = self.cluster.types().first() else {
            return false;
        };
        let name = format!("{prefix}{}", self.cluster.len());
        let zones = self.cluster.zones();
        let unnamed = [String::new()];
        let zones = if zones.is_empty() {
            &unnamed[..]
        } else {
            zones
        };
        zones.iter().any(|zone| {
            let view = FreshInstance {
                type_name: &t.name,
                architecture: t.architecture.as_str(),
                zone,
                name: &name,
                trunk: t.trunk,
            };
            constraints.iter().all(|c| match c {
                PlacementConstraint::DistinctInstance => true,
                PlacementConstraint::MemberOf(e) => e.eval(&view),
            })
        })
    }

    /// Whether an empty instance of some type the group has or can launch could hold `spec`
    /// (else the task can never run on this provider).
    pub fn fits_some_type(&self, spec: &TaskSpec) -> bool {
        self.capacity
            .iter()
            .zip(&self.present)
            .any(|(c, &present)| {
                present
                    && spec.cpu_units <= c.cpu_units
                    && spec.memory_mib <= c.memory_mib
                    && c.task_slots > 0
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/reference/pricing.md §5.1 (line 350): interrupted by Amazon EC2 in the first hour, no
    /// charge; after it, the seconds used.
    #[test]
    fn an_instance_ec2_interrupts_is_free_in_its_first_hour() {
        let price = 0.036;
        let bill = |ms: u64| {
            let d = SimDuration(ms);
            spot_interruption_bill(d, billed_secs(d, true, EC2_MINIMUM_SECS), price)
        };
        assert_eq!(bill(30_000), 0.0);
        assert_eq!(bill(3_599_999), 0.0);
        assert_eq!(bill(3_600_000), cost_of(3600, price));
        assert_eq!(bill(3_600_001), cost_of(3601, price));
        assert_eq!(bill(7_200_000), 2.0 * price);
    }
}
