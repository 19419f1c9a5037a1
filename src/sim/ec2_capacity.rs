//! EC2 capacity: one [`Ec2Pool`] of container instances per capacity provider of the arm, with
//! per-source placement rules (constraints, strategy, host ports), launches and registrations,
//! Spot drains and reclaims, and managed scaling's actions. (Longer than most files: what it
//! holds is one backend's handlers, which share its state; its unit tests are at the end.)

use crate::engine::RngStream;
use crate::engine::rng::{StreamPurpose, stream};
use crate::ids::InstanceId;
use crate::model::Fit;
use crate::model::cluster::{AGENT_RESERVED_PORTS, ClusterType, ResourceRequest, unavailable};
use crate::placement::constraints_hold;
use crate::placement::reference::place_by_scan;
use crate::placement::{self, Placement, PlacementRequest, PlacementScratch};
use crate::scenario::{Arm, Capacity, DaemonLoad, Ec2Arm, Scenario};
use crate::sim::SimError;
use crate::sim::arm_context::{ArmContext, source_index};
use crate::sim::capacity::{CapacityBackend, Followup, SPOT_NOTICE, grouped};
use crate::sim::ec2_pool::{Ec2Pool, Termination, TypeCapacity};
use crate::sim::events::{Attempt, Event};
use crate::sim::ledger::{CapacitySample, PlacedOn};
use crate::sim::managed_scaling::{
    ProvisioningEstimate, ScalingAction, capacity_provider_reservation, needed_for,
};
use crate::sim::metrics::Levels;
use crate::sim::outcome::{ArmSummary, EndReason, ScalingRecord};
use crate::sim::service_scale_in::InstanceKey;
use crate::sim::source_rules::{SourceRules, indexes_needed, source_rules};
use crate::sim::task_table::{LiveTask, TaskSlot};
use crate::time::SimTime;

/// Where a placement attempt may put a task.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// Wherever the strategy chooses.
    Anywhere,
    /// On this instance or nowhere (the pending-queue walk after a release there).
    Only(InstanceId),
}

/// `n instances`, or `1 instance`.
fn instances(n: u32) -> String {
    if n == 1 {
        "1 instance".to_string()
    } else {
        format!("{} instances", grouped(u64::from(n)))
    }
}

/// Whether a full subnet is all that keeps `req` off pool `p`: some instance whose only reason
/// to be unavailable is its zone's full subnet has the room.
fn subnet_blocks(pool: &Ec2Pool, req: &ResourceRequest<'_>) -> bool {
    let c = &pool.cluster;
    (0..c.len() as u32)
        .map(InstanceId)
        .any(|i| c.unavailable(i) == unavailable::SUBNET_FULL && c.would_fit_if_available(i, req))
}

/// The EC2 capacity of one arm: a pool per capacity provider.
#[derive(Debug)]
pub struct Ec2Capacity {
    pools: Vec<Ec2Pool>,
    needs_eni: bool,
    ports_conflict: bool,
    /// Per source (trace, jobs, services).
    rules: Vec<SourceRules>,
    scratch: PlacementScratch,
    rng: RngStream,
    /// Per pool, per instance: the tasks on it (kept only for pools that can be interrupted).
    tasks_on: Vec<Option<Vec<Vec<TaskSlot>>>>,
    /// Per pool: the instances it has at time 0 (a fixed fleet, or a managed group's `min`).
    initial: Vec<u32>,
    /// Per pool: its `min` and `max`, if it has managed scaling.
    bounds: Vec<Option<(u32, u32)>>,
    /// What the arm's daemons reserve on every instance, before any replica task
    /// (docs/reference/sidecars-and-daemons.md §2); the pools' instance capacities are net of it.
    daemon: DaemonLoad,
}

impl Ec2Capacity {
    /// `source`, if its tasks have static host ports.
    fn ports_source(&self, source: usize) -> Option<usize> {
        (!self.rules[source].host_ports.is_empty()).then_some(source)
    }

    /// The host ports the ECS agent reserves on every instance, if they can conflict.
    fn reserved_ports(&self) -> &'static [u16] {
        if self.ports_conflict {
            &AGENT_RESERVED_PORTS
        } else {
            &[]
        }
    }

    /// The capacity of EC2 arm `spec` (arm `n` of `scenario`, `arm`) under `seed`.
    pub fn new(scenario: &Scenario, arm: &Arm, spec: &Ec2Arm, seed: u64, n: u32) -> Ec2Capacity {
        let needs_eni = spec.network_mode.needs_eni();
        let ports_conflict = spec.network_mode.ports_conflict();
        let rules = source_rules(scenario, spec, ports_conflict);
        let (by_id, binpack_cpu, binpack_memory) = indexes_needed(&rules, needs_eni);
        let daemon = DaemonLoad::ec2(&scenario.workload.daemons, &arm.name);
        let several = spec.providers.len() > 1;
        let mut pools = Vec::new();
        let mut tasks_on = Vec::new();
        for (p, provider) in spec.providers.iter().enumerate() {
            let types = &provider.instance_types;
            // What an instance offers to replica tasks: what it registers less the daemons,
            // which ECS reserves first on every instance (docs/reference/sidecars-and-daemons.md
            // §2); their ENIs count only where tasks take ENIs (awsvpc).
            let capacity = types
                .iter()
                .map(|t| TypeCapacity {
                    cpu_units: t.cpu_units().saturating_sub(daemon.cpu_units),
                    memory_mib: t
                        .registered_memory_mib
                        .saturating_sub(spec.reserved_memory_mib)
                        .saturating_sub(daemon.memory_mib),
                    task_slots: if needs_eni {
                        t.awsvpc_task_slots(spec.eni_trunking)
                            .saturating_sub(daemon.enis)
                    } else {
                        u32::MAX
                    },
                })
                .collect();
            let cluster_types = types
                .iter()
                .map(|t| ClusterType {
                    name: t.name.clone(),
                    architecture: t.architecture,
                    trunk: needs_eni && spec.eni_trunking && t.trunk_tasks.is_some(),
                })
                .collect();
            let mut pool = Ec2Pool::new(
                provider,
                cluster_types,
                capacity,
                arm.zones.clone(),
                (
                    stream(
                        seed,
                        StreamPurpose::InstanceLaunch {
                            arm: n,
                            provider: p as u8,
                        },
                    ),
                    stream(
                        seed,
                        StreamPurpose::Ec2SpotInterruptions {
                            arm: n,
                            provider: p as u8,
                        },
                    ),
                ),
            );
            let prefix = if several {
                format!("{}:", provider.name)
            } else {
                String::new()
            };
            pool.cluster.set_name_prefix(&prefix);
            pool.os = arm.os;
            pool.public_ipv4_hour = arm
                .assign_public_ip
                .then(|| scenario.other_charges.public_ipv4_hour.map(|r| r.usd))
                .flatten();
            pool.launchable = rules
                .iter()
                .map(|r| pool.fresh_instance_holds(&prefix, &r.constraints))
                .collect();
            pool.cluster
                .keep_indexes(by_id, binpack_cpu, binpack_memory);
            let interruptible = matches!(
                provider.purchase,
                crate::scenario::Purchase::Spot { interruptions_per_hour, .. } if interruptions_per_hour > 0.0
            );
            tasks_on.push(interruptible.then(Vec::new));
            pools.push(pool);
        }
        let initial = spec
            .providers
            .iter()
            .map(|p| match p.capacity {
                Capacity::Fixed(n) => n,
                Capacity::Managed { min, .. } => min,
            })
            .collect();
        let bounds = spec
            .providers
            .iter()
            .map(|p| match p.capacity {
                Capacity::Managed { min, max, .. } => Some((min, max)),
                Capacity::Fixed(_) => None,
            })
            .collect();
        Ec2Capacity {
            pools,
            needs_eni,
            ports_conflict,
            rules,
            scratch: PlacementScratch::default(),
            rng: stream(seed, StreamPurpose::Placement(n)),
            tasks_on,
            initial,
            bounds,
            daemon,
        }
    }

    /// Registered and reserved CPU and memory of every pool, into `l`.
    fn refresh_levels(&self, l: &mut Levels) {
        l.cpu_registered = 0;
        l.mem_registered = 0;
        l.cpu_reserved = 0;
        l.mem_reserved = 0;
        for p in &self.pools {
            let c = &p.cluster;
            l.cpu_registered += c.total_registered_cpu();
            l.mem_registered += c.total_registered_mem();
            l.cpu_reserved += c.total_reserved_cpu();
            l.mem_reserved += c.total_reserved_mem();
            // The daemons run on every instance not terminated: registered by the instance and
            // reserved by their DAEMON tasks (docs/model.md §20).
            let live = c.live() as u64;
            let (cpu, mem) = (
                live * u64::from(self.daemon.cpu_units),
                live * u64::from(self.daemon.memory_mib),
            );
            l.cpu_registered += cpu;
            l.mem_registered += mem;
            l.cpu_reserved += cpu;
            l.mem_reserved += mem;
        }
    }

    fn note_instances(&self, s: &mut ArmSummary) {
        let n: u32 = self.pools.iter().map(Ec2Pool::instances).sum();
        s.peak_instances = s.peak_instances.max(n);
    }

    /// Mark the instances of zone `z` (every provider) as in a full subnet, or not.
    fn set_zone_full(&mut self, z: usize, full: bool) {
        if !self.needs_eni {
            return;
        }
        for pool in &mut self.pools {
            for k in 0..pool.cluster.len() {
                if usize::from(pool.cluster.zone_of()[k].0) == z {
                    pool.cluster.set_unavailable(
                        InstanceId(k as u32),
                        unavailable::SUBNET_FULL,
                        full,
                    );
                }
            }
        }
    }

    /// Launch `count` instances of type `type_index` in pool `p` now.
    fn launch(&mut self, ctx: &mut ArmContext<'_>, p: usize, type_index: u16, count: u32) {
        for _ in 0..count {
            let (m, ready) = self.pools[p].request(type_index, ctx.now, &mut ctx.ledger.meter);
            ctx.emit(
                ready,
                Event::InstanceRegistered {
                    provider: p as u8,
                    machine: m,
                },
            );
        }
        self.note_instances(&mut ctx.ledger.summary);
    }

    /// Try to place the task in `slot` now, anywhere or only on one instance; true if placed.
    fn place_at(
        &mut self,
        ctx: &mut ArmContext<'_>,
        slot: TaskSlot,
        target: Target,
        first_attempt: bool,
    ) -> bool {
        let now = ctx.now;
        let attempt = ctx.next_attempt();
        let jobs = ctx.scenario.workload.jobs.len();
        let Some(task) = ctx.tasks.get_mut(slot) else {
            return false;
        };
        let source = source_index(task.spec.source, jobs);
        let provider = ctx.arm.provider_strategy[usize::from(task.entry)].provider;
        let rules = &self.rules[source];
        let pool = &mut self.pools[provider];
        let request = PlacementRequest {
            resources: ResourceRequest {
                cpu_units: task.spec.cpu_units,
                memory_mib: task.spec.memory_mib,
                needs_eni: self.needs_eni,
                host_ports: &rules.host_ports,
                group: task.spec.group,
            },
            constraints: &rules.constraints,
            strategy: &rules.strategy,
        };
        let names = ctx.groups.names();
        let decision = match target {
            Target::Only(i) => {
                let fits = pool.cluster.fit(i, &request.resources) == Fit::Fits
                    && constraints_hold(&pool.cluster, names, &request, i.0);
                if fits {
                    Placement::Placed(i)
                } else {
                    Placement::NoInstance { eni_blocked: false }
                }
            }
            Target::Anywhere if ctx.opts.reference_placement => place_by_scan(
                &pool.cluster,
                names,
                &request,
                &mut self.scratch,
                &mut self.rng,
            ),
            Target::Anywhere => placement::place(
                &pool.cluster,
                names,
                &request,
                &mut self.scratch,
                &mut self.rng,
            ),
        };
        let zone = match decision {
            Placement::Placed(i) => {
                if !pool.cluster.reserve(i, &request.resources) {
                    return false;
                }
                task.instance = Some(i);
                task.placed_at = Some(now);
                task.attempt = attempt;
                if let Some(on) = &mut self.tasks_on[provider] {
                    on[i.index()].push(slot);
                }
                if self.needs_eni && ctx.subnet_free.is_some() {
                    task.subnet_zone = Some(pool.cluster.zone_of()[i.index()].0);
                }
                task.subnet_zone
            }
            Placement::NoInstance { eni_blocked } => {
                let summary = &mut ctx.ledger.summary;
                if first_attempt && eni_blocked && !task.eni_blocked {
                    task.eni_blocked = true;
                    summary.eni_blocked_placements += 1;
                }
                if first_attempt && !task.subnet_blocked && subnet_blocks(pool, &request.resources)
                {
                    task.subnet_blocked = true;
                    summary.subnet_blocked_placements += 1;
                }
                return false;
            }
        };
        if let Some(z) = zone
            && let Some(free) = &mut ctx.subnet_free
        {
            free[usize::from(z)] -= 1;
            if free[usize::from(z)] == 0 {
                self.set_zone_full(usize::from(z), true);
            }
        }
        ctx.placed(slot, attempt);
        self.refresh_levels(&mut ctx.ledger.levels);
        true
    }

    /// After a release on instance `released` of pool `p`, walk the pool's pending queue in
    /// arrival order and place every task that now fits (docs/model.md §7.2). Only `released` has
    /// changed, so a waiting task can now fit only there: the queue's index yields, in order,
    /// the tasks whose CPU and memory fit what it has free, plus the dynamic ones, which are
    /// tried everywhere (see [`PendingQueue`]). With `reference_placement`, every waiting task
    /// is tried everywhere.
    ///
    /// [`PendingQueue`]: crate::sim::pending_queue::PendingQueue
    fn walk_pending(&mut self, ctx: &mut ArmContext<'_>, p: usize, released: InstanceId) {
        if ctx.opts.reference_placement {
            self.walk_pool_everywhere(ctx, p);
            return;
        }
        let mut from = 0;
        loop {
            let pool = &self.pools[p];
            let free = pool.cluster.free()[released.index()];
            let Some(pos) = pool.pending.next_candidate(from, free[0], free[1]) else {
                break;
            };
            from = pos + 1;
            let Some((slot, dynamic)) = pool.pending.at(pos) else {
                continue;
            };
            let target = if dynamic {
                Target::Anywhere
            } else {
                Target::Only(released)
            };
            if self.place_at(ctx, slot, target, false) {
                self.placed_from_queue(ctx, p, pos, slot);
            }
        }
    }

    fn placed_from_queue(&mut self, ctx: &ArmContext<'_>, p: usize, pos: usize, slot: TaskSlot) {
        let Some(t) = ctx.tasks.get(slot) else {
            return;
        };
        let source = ctx.source_index(t.spec.source);
        let ports = self.ports_source(source);
        let pool = &mut self.pools[p];
        pool.pending.remove(pos);
        pool.count_provisioning(&t.spec, source, ports.is_some(), false);
    }

    /// Try every waiting task of pool `p` everywhere, in arrival order.
    fn walk_pool_everywhere(&mut self, ctx: &mut ArmContext<'_>, p: usize) {
        let waiting: Vec<(usize, TaskSlot)> = self.pools[p].pending.iter().collect();
        for (pos, slot) in waiting {
            if self.place_at(ctx, slot, Target::Anywhere, false) {
                self.placed_from_queue(ctx, p, pos, slot);
            }
        }
    }

    /// Try every waiting task everywhere (a zone's subnet has room again).
    fn walk_everything(&mut self, ctx: &mut ArmContext<'_>) {
        for p in 0..self.pools.len() {
            self.walk_pool_everywhere(ctx, p);
        }
    }

    fn on_instance_registered(&mut self, ctx: &mut ArmContext<'_>, p: usize, m: u32) {
        let full_zones: Vec<usize> = ctx
            .subnet_free
            .as_ref()
            .map(|f| (0..f.len()).filter(|&z| f[z] == 0).collect())
            .unwrap_or_default();
        let reserved = self.reserved_ports();
        let (id, notice) = self.pools[p].register(m, ctx.now, reserved);
        if let Some(on) = &mut self.tasks_on[p] {
            on.push(Vec::new());
        }
        let zone = usize::from(self.pools[p].cluster.zone_of()[id.index()].0);
        if self.needs_eni && full_zones.contains(&zone) {
            self.pools[p]
                .cluster
                .set_unavailable(id, unavailable::SUBNET_FULL, true);
        }
        if let Some(t) = notice {
            ctx.emit(
                t,
                Event::SpotNotice {
                    provider: p as u8,
                    instance: id,
                },
            );
        }
        self.refresh_levels(&mut ctx.ledger.levels);
        // A new instance is capacity that appears: walk as after a release there.
        if ctx.opts.reference_placement {
            self.walk_pool_everywhere(ctx, p);
        } else {
            self.walk_pending(ctx, p, id);
        }
    }

    /// The tasks on instance `i` of pool `p`.
    fn tasks_on(&self, p: usize, i: InstanceId) -> Vec<TaskSlot> {
        self.tasks_on[p]
            .as_ref()
            .map(|on| on[i.index()].clone())
            .unwrap_or_default()
    }

    fn on_spot_notice(&mut self, ctx: &mut ArmContext<'_>, p: usize, i: InstanceId) -> Followup {
        let cluster = &mut self.pools[p].cluster;
        if cluster.unavailable(i) & (unavailable::TERMINATED | unavailable::DRAINING) != 0 {
            return Followup::Nothing;
        }
        // ECS drains the instance (ECS_ENABLE_SPOT_INSTANCE_DRAINING, docs/reference/ecs-facts.md
        // §6.1): no new task, and the services replace their tasks on it at once.
        cluster.set_unavailable(i, unavailable::DRAINING, true);
        ctx.ledger.summary.interruptions += 1;
        let on = self.tasks_on(p, i);
        ctx.emit_after(
            SPOT_NOTICE,
            Event::SpotReclaimed {
                provider: p as u8,
                instance: i,
            },
        );
        // Replaced now; they run until the instance is reclaimed.
        Followup::Replace(on)
    }

    /// The tasks on reclaimed instance `i` of pool `p` are interrupted: it terminates.
    fn on_spot_reclaimed(&mut self, ctx: &mut ArmContext<'_>, p: usize, i: InstanceId) {
        let pool = &mut self.pools[p];
        let type_index = pool.cluster.type_of()[i.index()];
        // EC2 interrupts it: free in its first hour (docs/reference/pricing.md §5.1).
        if pool.terminate(
            i,
            ctx.now,
            Termination::SpotInterruption,
            &mut ctx.ledger.meter,
        ) {
            // The group keeps its desired capacity: it launches a replacement.
            self.launch(ctx, p, type_index, 1);
        }
        self.refresh_levels(&mut ctx.ledger.levels);
    }

    /// Managed scaling of pool `p`: evaluate, act, and write the scaling row.
    fn scale_pool(&mut self, ctx: &mut ArmContext<'_>, p: usize) {
        let now = ctx.now;
        let no_addresses = ctx.no_addresses();
        let pool = &mut self.pools[p];
        if pool.scaler.is_none() {
            return;
        }
        let n = pool.instances();
        // Tasks that wait only because every subnet is full would not fit on new instances
        // either: they do not drive scaling (ECS would place them and fail to attach an ENI;
        // it never counts them as needing instances).
        let estimate = if no_addresses {
            ProvisioningEstimate::Nothing
        } else {
            pool.provisioning_estimate()
        };
        let m = needed_for(pool.non_empty(), n, estimate);
        let warm = pool.in_warmup(now);
        let Some(scaler) = &mut pool.scaler else {
            return;
        };
        let target = f64::from(scaler.target());
        let (action, metric) = match m {
            Some(m) => (
                scaler.evaluate(m, n, warm),
                capacity_provider_reservation(m, n),
            ),
            // Every provisioning task fits no instance the group launches: CPR stays at the
            // target (docs/reference/ecs-facts.md §5.3, line 184).
            None => (scaler.hold(n), target),
        };
        let registered = pool.cluster.live() as u32;
        let name = pool.name.clone();
        let (desired, label) = match action {
            ScalingAction::None => (n, "none"),
            ScalingAction::ScaleOut { to } => {
                self.launch(ctx, p, 0, to.saturating_sub(n));
                (to.max(n), "scale-out")
            }
            ScalingAction::ScaleIn { by } => {
                let pool = &mut self.pools[p];
                let victims = pool.scale_in_victims(by);
                let mut gone = 0;
                for i in victims {
                    if pool.terminate(i, now, Termination::ByUs, &mut ctx.ledger.meter) {
                        gone += 1;
                    }
                }
                self.refresh_levels(&mut ctx.ledger.levels);
                (n - gone, if gone > 0 { "scale-in" } else { "none" })
            }
        };
        ctx.ledger.scaling.push(ScalingRecord {
            time: now,
            provider: name,
            metric: Some(metric),
            target: Some(target),
            desired,
            running: registered,
            action: label,
        });
    }

    /// Why the tasks of pool `p` wait, and the same in words.
    fn pool_backlog(&self, p: usize, pool: &Ec2Pool) -> (EndReason, String) {
        let n = pool.instances();
        let name = &pool.name;
        match self.bounds[p] {
            None => (
                EndReason::Ec2FixedFleet,
                format!(
                    "capacity provider `{name}` is a fixed fleet of {}",
                    instances(n)
                ),
            ),
            Some((_, max)) if n >= max => (
                EndReason::Ec2AtMax,
                format!(
                    "capacity provider `{name}` is at its max of {}",
                    instances(max)
                ),
            ),
            Some(_)
                if !matches!(
                    pool.provisioning_estimate(),
                    ProvisioningEstimate::Instances(_)
                ) =>
            {
                (
                    EndReason::Ec2NotCounted,
                    format!(
                        "managed scaling of `{name}` does not count them: they exceed its smallest instance type or no fresh instance meets their constraints (docs/reference/ecs-facts.md §5.3), so it launches nothing for them"
                    ),
                )
            }
            Some((_, max)) => (
                EndReason::Ec2ScalingOut,
                format!(
                    "capacity provider `{name}` is still scaling out ({n} of at most {}, {} launching)",
                    instances(max),
                    pool.launching
                ),
            ),
        }
    }
}

impl CapacityBackend for Ec2Capacity {
    /// The instances each provider has at time 0 (a fixed fleet, or a managed group's `min`)
    /// existed before the simulated window: registered at once and billed from time 0. The
    /// count is split evenly over the provider's types (earlier types get the remainder),
    /// launched type by type, each instance to the zone with the fewest instances. Then the
    /// zones whose subnets have no address are marked full.
    fn start(&mut self, ctx: &mut ArmContext<'_>) {
        let reserved = self.reserved_ports();
        let mut notices = Vec::new();
        for (p, pool) in self.pools.iter_mut().enumerate() {
            let count = self.initial[p];
            let n_types = pool.types.len() as u32;
            for ti in 0..pool.types.len() {
                let k = count / n_types + u32::from((ti as u32) < count % n_types);
                for _ in 0..k {
                    let (m, _) = pool.request(ti as u16, SimTime::ZERO, &mut ctx.ledger.meter);
                    pool.machines[m as usize].initial = true;
                    let (id, notice) = pool.register(m, SimTime::ZERO, reserved);
                    if let Some(t) = notice {
                        notices.push((t, p as u8, id));
                    }
                    if let Some(on) = &mut self.tasks_on[p] {
                        on.push(Vec::new());
                    }
                }
            }
        }
        for (t, provider, instance) in notices {
            ctx.emit(t, Event::SpotNotice { provider, instance });
        }
        self.note_instances(&mut ctx.ledger.summary);
        self.refresh_levels(&mut ctx.ledger.levels);
        if let Some(free) = ctx.subnet_free.clone() {
            for (z, &n) in free.iter().enumerate() {
                if n == 0 {
                    self.set_zone_full(z, true);
                }
            }
        }
    }

    fn can_ever_run(&self, ctx: &ArmContext<'_>, t: &LiveTask) -> bool {
        let ports = &self.rules[ctx.source_index(t.spec.source)].host_ports;
        if self.ports_conflict && ports.iter().any(|p| AGENT_RESERVED_PORTS.contains(p)) {
            return false;
        }
        self.pools[ctx.provider_of(t)].fits_some_type(&t.spec)
    }

    fn try_place(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot, first_attempt: bool) -> bool {
        self.place_at(ctx, slot, Target::Anywhere, first_attempt)
    }

    fn enqueue(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot) {
        let Some(t) = ctx.tasks.get(slot) else {
            return;
        };
        let source = ctx.source_index(t.spec.source);
        // A constraint that a placement can make true: a walk must try the task everywhere
        // (see [`PendingQueue`](crate::sim::pending_queue::PendingQueue)).
        let dynamic = self.rules[source].dynamic;
        let ports = self.ports_source(source);
        let pool = &mut self.pools[ctx.provider_of(t)];
        pool.pending
            .push(slot, t.spec.cpu_units, t.spec.memory_mib, dynamic);
        pool.count_provisioning(&t.spec, source, ports.is_some(), true);
    }

    fn dequeue(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot) -> bool {
        let Some(t) = ctx.tasks.get(slot) else {
            return false;
        };
        let source = ctx.source_index(t.spec.source);
        let ports = self.ports_source(source);
        let pool = &mut self.pools[ctx.provider_of(t)];
        if pool.pending.remove_slot(slot) {
            pool.count_provisioning(&t.spec, source, ports.is_some(), false);
            return true;
        }
        false
    }

    fn release(
        &mut self,
        ctx: &mut ArmContext<'_>,
        slot: TaskSlot,
        t: &LiveTask,
        _ended: bool,
    ) -> Option<f64> {
        if let Some(i) = t.instance {
            let provider = ctx.provider_of(t);
            let rules = &self.rules[ctx.source_index(t.spec.source)];
            let req = ResourceRequest {
                cpu_units: t.spec.cpu_units,
                memory_mib: t.spec.memory_mib,
                needs_eni: self.needs_eni,
                host_ports: &rules.host_ports,
                group: t.spec.group,
            };
            self.pools[provider].cluster.release(i, &req);
            if let Some(on) = &mut self.tasks_on[provider] {
                let list = &mut on[i.index()];
                if let Some(p) = list.iter().position(|&s| s == slot) {
                    list.swap_remove(p);
                }
            }
        }
        self.refresh_levels(&mut ctx.ledger.levels);
        None
    }

    fn after_release(&mut self, ctx: &mut ArmContext<'_>, t: &LiveTask) {
        if let Some(z) = ctx.free_subnet_address(t) {
            self.set_zone_full(z, false);
            self.walk_everything(ctx);
            return;
        }
        if let Some(i) = t.instance {
            let p = ctx.provider_of(t);
            self.walk_pending(ctx, p, i);
        }
    }

    fn on_task_running(&mut self, _ctx: &mut ArmContext<'_>, _a: Attempt) {}

    fn on_event(&mut self, ctx: &mut ArmContext<'_>, e: Event) -> Followup {
        match e {
            Event::InstanceRegistered { provider, machine } => {
                self.on_instance_registered(ctx, usize::from(provider), machine);
                Followup::Nothing
            }
            Event::SpotNotice { provider, instance } => {
                self.on_spot_notice(ctx, usize::from(provider), instance)
            }
            Event::SpotReclaimed { provider, instance } => {
                Followup::Interrupt(self.tasks_on(usize::from(provider), instance))
            }
            _ => Followup::Nothing,
        }
    }

    fn settle(&mut self, ctx: &mut ArmContext<'_>, e: Event) {
        match e {
            Event::SpotNotice { .. } => self.refresh_levels(&mut ctx.ledger.levels),
            Event::SpotReclaimed { provider, instance } => {
                self.on_spot_reclaimed(ctx, usize::from(provider), instance);
            }
            _ => {}
        }
    }

    /// Managed scaling of every provider.
    fn on_scaling_tick(&mut self, ctx: &mut ArmContext<'_>) {
        for p in 0..self.pools.len() {
            self.scale_pool(ctx, p);
        }
    }

    fn scales(&self) -> bool {
        self.bounds.iter().any(Option::is_some)
    }

    fn waiting(&self) -> u64 {
        self.pools.iter().map(|p| p.pending.len() as u64).sum()
    }

    fn sample(&self) -> CapacitySample {
        CapacitySample {
            instances: self.pools.iter().map(Ec2Pool::instances).sum(),
            launching: self.pools.iter().map(|p| p.launching).sum(),
            waiting: self.waiting(),
        }
    }

    fn placed_on(&self, ctx: &ArmContext<'_>, t: &LiveTask) -> PlacedOn {
        let pool = &self.pools[ctx.provider_of(t)];
        PlacedOn {
            instance_id: t
                .instance
                .map(|i| pool.cluster.instance_name(i).to_string()),
            instance_type: t.instance.map(|i| {
                pool.types[usize::from(pool.cluster.type_of()[i.index()])]
                    .name
                    .clone()
            }),
            provider: pool.name.clone(),
        }
    }

    fn instance_of(&self, ctx: &ArmContext<'_>, t: &LiveTask) -> Option<(u8, InstanceKey)> {
        let i = t.instance?;
        let p = ctx.provider_of(t);
        Some((
            self.pools[p].cluster.zone_of()[i.index()].0,
            InstanceKey {
                provider: p as u8,
                instance: i,
            },
        ))
    }

    fn close_task(
        &mut self,
        _ctx: &mut ArmContext<'_>,
        _slot: TaskSlot,
        _t: &LiveTask,
    ) -> Option<f64> {
        None
    }

    fn close(&mut self, ctx: &mut ArmContext<'_>, end: SimTime) {
        let mut instance_ms: u128 = 0;
        for pool in &mut self.pools {
            instance_ms += pool.close_all(end, &mut ctx.ledger.meter);
        }
        for pool in &self.pools {
            ctx.ledger.other.public_ipv4_usd += pool.public_ipv4_usd;
            ctx.ledger.usage.merge(&pool.usage);
        }
        let s = &mut ctx.ledger.summary;
        s.instance_hours = instance_ms as f64 / 3_600_000.0;
        for pool in &self.pools {
            if pool.spot {
                s.cost_ec2_spot_usd += pool.billed_usd;
                s.spot_savings_usd += (pool.billed_on_demand_usd - pool.billed_usd).max(0.0);
            } else {
                s.cost_ec2_on_demand_usd += pool.billed_usd;
            }
        }
    }

    fn check(&self, arm: &str) -> Result<(), SimError> {
        for p in &self.pools {
            p.cluster.check_invariants().map_err(|m| {
                SimError::Invariant(format!("arm `{arm}` provider `{}`: {m}", p.name))
            })?;
        }
        Ok(())
    }

    /// Some provider with managed scaling has waiting tasks its estimate counts (so CPR is
    /// above 100% and above any target, docs/reference/ecs-facts.md §5.2) and is below its
    /// `max`, or is below its `min`. Warm-up only delays such a scale-out.
    fn can_add_capacity(&self, ctx: &ArmContext<'_>) -> bool {
        let no_addresses = ctx.no_addresses();
        self.pools.iter().enumerate().any(|(p, pool)| {
            let Some((min, max)) = self.bounds[p] else {
                return false;
            };
            let n = pool.instances();
            n < min
                || (!pool.pending.is_empty()
                    && n < max
                    && !no_addresses
                    && matches!(
                        pool.provisioning_estimate(),
                        ProvisioningEstimate::Instances(_)
                    ))
        })
    }

    fn backlog(&self, ctx: &ArmContext<'_>) -> (EndReason, String) {
        if self.needs_eni && ctx.no_addresses() {
            return (
                EndReason::SubnetAddresses,
                "every subnet address of the arm is taken".to_string(),
            );
        }
        // The provider with the most waiting tasks speaks for the arm.
        let Some((p, pool)) = self
            .pools
            .iter()
            .enumerate()
            .max_by_key(|(p, pool)| (pool.pending.len(), std::cmp::Reverse(*p)))
        else {
            return (EndReason::Ec2FixedFleet, String::new());
        };
        self.pool_backlog(p, pool)
    }

    fn has_instances(&self) -> bool {
        self.pools.iter().any(|p| p.instances() > 0)
    }
}

#[cfg(test)]
mod tests;
