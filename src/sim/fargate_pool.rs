//! The Fargate pool of an arm: each task gets the cheapest Fargate size that holds it, within
//! the account's vCPU quota, the launch rate (a token bucket per provider, FARGATE and
//! FARGATE_SPOT) and the subnet addresses; tasks that must wait do so in a line per bucket.
//! Each task is billed per second from its placement (docs/reference/ecs-facts.md §7.2 for the
//! launch rate; `model::billing` for the rules).

use std::collections::VecDeque;

use crate::engine::RngStream;
use crate::engine::rng::{StreamPurpose, stream};
use crate::model::billing::{
    FARGATE_MINIMUM_SECS, FARGATE_WINDOWS_MINIMUM_SECS, FargateUsage, billed_secs, cost_of,
    fargate_hourly,
};
use crate::model::commitment::{UsageKey, UsageKind};
use crate::model::task_spec::TaskSource;
use crate::model::{
    Architecture, Distribution, FargateRates, FargateSize, FargateSizes, Os, RankedSizes, TaskSpec,
};
use crate::scenario::{DEFAULT_STOP_TIMEOUT, DaemonLoad, FargateArm, Scenario};
use crate::sim::SimError;
use crate::sim::arm_context::ArmContext;
use crate::sim::capacity::{CapacityBackend, Followup, SPOT_NOTICE};
use crate::sim::events::{Attempt, Event};
use crate::sim::ledger::{CapacitySample, PlacedOn};
use crate::sim::other_charges::{close_address, open_address};
use crate::sim::outcome::EndReason;
use crate::sim::service_scale_in::InstanceKey;
use crate::sim::task_table::{LiveTask, TaskSlot};
use crate::sim::token_bucket::{FARGATE_LAUNCH_BURST, FARGATE_LAUNCH_PER_SECOND, TokenBucket};
use crate::time::SimTime;

/// Fargate's largest ephemeral storage, GiB (docs/reference/ecs-facts.md §1.2).
const FARGATE_MAX_STORAGE_GIB: u32 = 200;

/// The Fargate pool of one arm.
#[derive(Debug)]
pub struct FargatePool {
    /// Valid sizes, cheapest first at this arm's rates.
    sizes: RankedSizes,
    rates: FargateRates,
    storage_gb_hour: f64,
    /// Windows OS licence per vCPU-hour (0 on Linux; docs/reference/pricing.md §1.5).
    licence_vcpu_hour: f64,
    /// Billing minimum, seconds: 60 on Linux, 300 on Windows (pricing.md §1.5).
    minimum_secs: u64,
    /// FARGATE_SPOT price ÷ FARGATE price.
    spot_factor: f64,
    /// Launch-rate buckets: on-demand and Spot (docs/reference/ecs-facts.md §7.2).
    buckets: [TokenBucket; 2],
    /// Account vCPU quota, in CPU units.
    quota_units: Option<u64>,
    /// CPU units of the Fargate sizes placed.
    in_use_units: u64,
    /// Tasks waiting (quota, launch rate or subnet), per launch-rate bucket (on-demand, Spot),
    /// each in arrival order.
    waiting: [VecDeque<TaskSlot>; 2],
    /// A retry is scheduled at this time (launch rate).
    retry_at: Option<SimTime>,
    /// Per bucket, the last time it refused a task (no token).
    refused_at: [Option<SimTime>; 2],
    /// Time to interruption of a FARGATE_SPOT task.
    interruption: Option<Distribution>,
    spot_rng: RngStream,
    /// What was billed, per provider (on-demand, Spot), for the cost breakdown.
    billed: [FargateUsage; 2],
    /// The daemons run as sidecars in every task, added to its size before rounding
    /// (docs/reference/sidecars-and-daemons.md §4).
    sidecars: DaemonLoad,
    /// Task CPU architecture and operating system: the usage lines' keys.
    architecture: Architecture,
    os: Os,
}

impl FargatePool {
    /// The pool of Fargate arm `spec` (arm `arm` of `scenario`, of operating system `os`) under
    /// `seed`. A Windows pool has the Windows sizes, rates, OS licence and 5-minute minimum
    /// (docs/reference/pricing.md §1.5; the loader refuses Windows with FARGATE_SPOT,
    /// docs/model.md §19).
    pub fn new(scenario: &Scenario, spec: &FargateArm, os: Os, seed: u64, arm: u32) -> FargatePool {
        let (rates, licence_vcpu_hour, minimum_secs) = match os {
            Os::Linux => (
                scenario.pricing.fargate(spec.architecture),
                0.0,
                FARGATE_MINIMUM_SECS,
            ),
            Os::Windows => {
                let w = scenario.pricing.fargate_windows;
                (
                    w.rates,
                    w.os_licence_vcpu_hour,
                    FARGATE_WINDOWS_MINIMUM_SECS,
                )
            }
        };
        let bucket = TokenBucket::new(FARGATE_LAUNCH_BURST, FARGATE_LAUNCH_PER_SECOND);
        FargatePool {
            sizes: FargateSizes::for_os(os).ranked(rates),
            rates,
            storage_gb_hour: scenario.pricing.fargate_storage_gb_hour,
            licence_vcpu_hour,
            minimum_secs,
            spot_factor: 1.0 - spec.spot_discount,
            buckets: [bucket.clone(), bucket],
            quota_units: spec.vcpu_quota.map(|q| u64::from(q) * 1024),
            in_use_units: 0,
            waiting: [VecDeque::new(), VecDeque::new()],
            retry_at: None,
            refused_at: [None; 2],
            interruption: (spec.spot_interruptions_per_hour > 0.0).then(|| {
                Distribution::Exponential {
                    mean_ms: 3_600_000.0 / spec.spot_interruptions_per_hour,
                }
            }),
            spot_rng: stream(seed, StreamPurpose::FargateSpotInterruptions { arm }),
            billed: [FargateUsage::default(); 2],
            sidecars: scenario
                .arms
                .get(arm as usize)
                .map(|a| DaemonLoad::fargate(&scenario.workload.daemons, &a.name))
                .unwrap_or_default(),
            architecture: spec.architecture,
            os,
        }
    }

    /// The Fargate size a task gets: the cheapest that holds it, if any.
    pub fn size_for(&self, spec: &TaskSpec) -> Option<FargateSize> {
        if spec.storage_gib > FARGATE_MAX_STORAGE_GIB {
            return None;
        }
        let (cpu, mem) = self.requested(spec);
        self.sizes.round_up(cpu, mem)
    }

    /// CPU units and MiB a task asks of Fargate: its own and its sidecars'.
    fn requested(&self, spec: &TaskSpec) -> (u32, u32) {
        (
            spec.cpu_units.saturating_add(self.sidecars.cpu_units),
            spec.memory_mib.saturating_add(self.sidecars.memory_mib),
        )
    }

    /// The hourly price of a task of `size` with `storage_gib` on bucket `b` (1: Spot).
    fn hourly(&self, size: FargateSize, storage_gib: u32, b: usize) -> f64 {
        (fargate_hourly(size, storage_gib, self.rates, self.storage_gb_hour)
            + f64::from(size.cpu_units) / 1024.0 * self.licence_vcpu_hour)
            * if b == 1 { self.spot_factor } else { 1.0 }
    }

    /// Try the waiting tasks, each launch-rate bucket's in arrival order. A bucket's walk stops
    /// at its first refusal for want of a token (every later task of the bucket would be
    /// refused too), so a long throttled backlog costs what is placed, not its length. Tasks
    /// held back by the quota or the subnets keep their place; later ones may pass them.
    fn walk(&mut self, ctx: &mut ArmContext<'_>) {
        let now = ctx.now;
        for b in 0..2 {
            if self.waiting[b].is_empty() {
                continue;
            }
            let mut list = std::mem::take(&mut self.waiting[b]);
            let mut kept = Vec::new();
            let mut visited = 0;
            while visited < list.len() {
                if self.refused_at[b] == Some(now) {
                    break;
                }
                let slot = list[visited];
                visited += 1;
                if !self.try_place(ctx, slot, false) {
                    kept.push(slot);
                }
            }
            list.drain(..visited);
            for slot in kept.into_iter().rev() {
                list.push_front(slot);
            }
            // Nothing is added to a bucket's line during its walk.
            self.waiting[b] = list;
        }
    }

    /// A FARGATE_SPOT task's two-minute warning, with SIGTERM (docs/reference/ecs-facts.md
    /// §1.6, lines 59–62): the task stops `stop_timeout` later (SIGKILL, at most 120 s, so
    /// within the two minutes), billed to then; a service starts its replacement now, as on a
    /// draining EC2 Spot instance. A one-off task runs on until it stops (or finishes first),
    /// and only then restarts or is lost (`on_interruption`). See docs/model.md §8.7.1.
    fn on_spot_notice(&mut self, ctx: &mut ArmContext<'_>, a: Attempt) -> Followup {
        if !ctx.current(a) {
            return Followup::Nothing;
        }
        ctx.ledger.summary.interruptions += 1;
        let Some(t) = ctx.tasks.get(a.slot) else {
            return Followup::Nothing;
        };
        let source = t.spec.source;
        let workload = &ctx.scenario.workload;
        let stop_timeout = match source {
            TaskSource::Trace => DEFAULT_STOP_TIMEOUT,
            TaskSource::Job(j) => workload.jobs[usize::from(j)].stop_timeout,
            TaskSource::Service(s) => workload.services[usize::from(s)].stop_timeout,
        };
        ctx.emit_after(
            stop_timeout.min(SPOT_NOTICE),
            Event::FargateSpotReclaimed { attempt: a },
        );
        match source {
            TaskSource::Service(_) => Followup::Replace(vec![a.slot]),
            _ => Followup::Nothing,
        }
    }
}

impl CapacityBackend for FargatePool {
    fn start(&mut self, _ctx: &mut ArmContext<'_>) {}

    fn can_ever_run(&self, _ctx: &ArmContext<'_>, t: &LiveTask) -> bool {
        self.size_for(&t.spec).is_some_and(|size| {
            self.quota_units
                .is_none_or(|q| u64::from(size.cpu_units) <= q)
        })
    }

    fn try_place(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot, first_attempt: bool) -> bool {
        let now = ctx.now;
        let attempt = ctx.next_attempt();
        let Some(task) = ctx.tasks.get_mut(slot) else {
            return false;
        };
        let Some(size) = self.size_for(&task.spec) else {
            return false;
        };
        if self
            .quota_units
            .is_some_and(|q| self.in_use_units + u64::from(size.cpu_units) > q)
        {
            return false;
        }
        // Fargate spreads tasks over the zones: with limited subnets, the zone with the most
        // free addresses (ties to the earlier zone).
        let zone = match &ctx.subnet_free {
            None => None,
            Some(free) => {
                let best = (0..free.len()).max_by_key(|&z| (free[z], std::cmp::Reverse(z)));
                match best {
                    Some(z) if free[z] > 0 => Some(z as u8),
                    _ => {
                        if first_attempt && !task.subnet_blocked {
                            task.subnet_blocked = true;
                            ctx.ledger.summary.subnet_blocked_placements += 1;
                        }
                        return false;
                    }
                }
            }
        };
        let provider = ctx.arm.provider_strategy[usize::from(task.entry)].provider;
        let b = usize::from(provider == crate::scenario::FARGATE_SPOT);
        if let Err(at) = self.buckets[b].try_take(now) {
            self.refused_at[b] = Some(now);
            if self.retry_at.is_none_or(|r| at < r) {
                self.retry_at = Some(at);
                ctx.emit(at, Event::FargateRetry);
            }
            return false;
        }
        let hourly = self.hourly(size, task.spec.storage_gib, b);
        self.in_use_units += u64::from(size.cpu_units);
        task.fargate = Some(size);
        task.placed_at = Some(now);
        task.subnet_zone = zone;
        task.attempt = attempt;
        let l = &mut ctx.ledger.levels;
        l.cpu_registered += u64::from(size.cpu_units);
        l.mem_registered += u64::from(size.memory_mib);
        let (cpu, mem) = self.requested(&task.spec);
        l.cpu_reserved += u64::from(cpu);
        l.mem_reserved += u64::from(mem);
        ctx.ledger.meter.open(now, hourly);
        open_address(
            ctx.ledger.other.public_ipv4_hour,
            &mut ctx.ledger.meter,
            now,
        );
        if let (Some(z), Some(free)) = (zone, &mut ctx.subnet_free) {
            free[usize::from(z)] -= 1;
        }
        ctx.placed(slot, attempt);
        true
    }

    fn enqueue(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot) {
        if let Some(t) = ctx.tasks.get(slot) {
            self.waiting[usize::from(ctx.on_fargate_spot(t))].push_back(slot);
        }
    }

    fn dequeue(&mut self, ctx: &mut ArmContext<'_>, slot: TaskSlot) -> bool {
        let Some(t) = ctx.tasks.get(slot) else {
            return false;
        };
        let list = &mut self.waiting[usize::from(ctx.on_fargate_spot(t))];
        match list.iter().position(|&s| s == slot) {
            Some(p) => {
                list.remove(p);
                true
            }
            None => false,
        }
    }

    fn release(
        &mut self,
        ctx: &mut ArmContext<'_>,
        _slot: TaskSlot,
        t: &LiveTask,
        ended: bool,
    ) -> Option<f64> {
        let (size, placed) = (t.fargate?, t.placed_at?);
        self.in_use_units -= u64::from(size.cpu_units);
        let l = &mut ctx.ledger.levels;
        l.cpu_registered -= u64::from(size.cpu_units);
        l.mem_registered -= u64::from(size.memory_mib);
        let (cpu, mem) = self.requested(&t.spec);
        l.cpu_reserved -= u64::from(cpu);
        l.mem_reserved -= u64::from(mem);
        let b = usize::from(ctx.on_fargate_spot(t));
        let hourly = self.hourly(size, t.spec.storage_gib, b);
        let secs = billed_secs(ctx.now.since(placed), ended, self.minimum_secs);
        let cost = cost_of(secs, hourly);
        self.billed[b].add(size, t.spec.storage_gib, secs);
        if b == 0 {
            // On-demand vCPU and GB by clock hour, for commitments (docs/model.md §22.2): the
            // billed seconds beyond the run time (rounding up, the 1- or 5-minute minimum) go
            // to the hour the task ends in. FARGATE_SPOT is never covered (pricing.md §3.1).
            let (start, end) = (placed.as_ms(), ctx.now.as_ms());
            let arch = self.architecture;
            let line = |kind| UsageKey { kind, os: self.os };
            let usage = &mut ctx.ledger.usage;
            usage.add(
                line(UsageKind::FargateVcpu(arch)),
                self.rates.vcpu_hour,
                start,
                end,
                secs * 1000,
                u64::from(size.cpu_units),
            );
            usage.add(
                line(UsageKind::FargateGb(arch)),
                self.rates.gb_hour,
                start,
                end,
                secs * 1000,
                u64::from(size.memory_mib),
            );
        }
        ctx.ledger.meter.close(placed, hourly, cost);
        let l = &mut ctx.ledger;
        l.other.public_ipv4_usd +=
            close_address(l.other.public_ipv4_hour, &mut l.meter, placed, ctx.now);
        Some(cost)
    }

    fn after_release(&mut self, ctx: &mut ArmContext<'_>, t: &LiveTask) {
        // Whether or not a full zone has room again, every waiting task may now fit.
        let _ = ctx.free_subnet_address(t);
        self.walk(ctx);
    }

    fn on_task_running(&mut self, ctx: &mut ArmContext<'_>, a: Attempt) {
        let spot = ctx
            .tasks
            .get(a.slot)
            .is_some_and(|t| ctx.on_fargate_spot(t));
        if spot && let Some(d) = &self.interruption {
            let delay = d.sample(&mut self.spot_rng);
            ctx.emit_after(delay, Event::FargateSpotNotice { attempt: a });
        }
    }

    fn on_event(&mut self, ctx: &mut ArmContext<'_>, e: Event) -> Followup {
        match e {
            Event::FargateRetry => {
                if self.retry_at.is_some_and(|r| r > ctx.now) {
                    return Followup::Nothing; // a later retry replaced this one
                }
                self.retry_at = None;
                self.walk(ctx);
                Followup::Nothing
            }
            Event::FargateSpotNotice { attempt } => self.on_spot_notice(ctx, attempt),
            Event::FargateSpotReclaimed { attempt } if ctx.current(attempt) => {
                Followup::Interrupt(vec![attempt.slot])
            }
            _ => Followup::Nothing,
        }
    }

    fn settle(&mut self, _ctx: &mut ArmContext<'_>, _e: Event) {}

    fn on_scaling_tick(&mut self, _ctx: &mut ArmContext<'_>) {}

    fn scales(&self) -> bool {
        false
    }

    fn waiting(&self) -> u64 {
        (self.waiting[0].len() + self.waiting[1].len()) as u64
    }

    fn sample(&self) -> CapacitySample {
        CapacitySample {
            instances: 0,
            launching: 0,
            waiting: self.waiting(),
        }
    }

    fn placed_on(&self, ctx: &ArmContext<'_>, t: &LiveTask) -> PlacedOn {
        PlacedOn {
            instance_id: None,
            instance_type: None,
            provider: if ctx.on_fargate_spot(t) {
                "FARGATE_SPOT"
            } else {
                "FARGATE"
            }
            .to_string(),
        }
    }

    fn instance_of(&self, _ctx: &ArmContext<'_>, _t: &LiveTask) -> Option<(u8, InstanceKey)> {
        None
    }

    fn close_task(
        &mut self,
        ctx: &mut ArmContext<'_>,
        slot: TaskSlot,
        t: &LiveTask,
    ) -> Option<f64> {
        self.release(ctx, slot, t, false)
    }

    fn close(&mut self, ctx: &mut ArmContext<'_>, _end: SimTime) {
        let s = &mut ctx.ledger.summary;
        let [on_demand, spot] = self.billed;
        let (r, g, l) = (self.rates, self.storage_gb_hour, self.licence_vcpu_hour);
        let od = on_demand.costs_with_licence(r, g, l, 1.0);
        let sp = spot.costs_with_licence(r, g, l, self.spot_factor);
        s.cost_fargate_vcpu_usd = od.vcpu + sp.vcpu;
        s.cost_fargate_memory_usd = od.memory + sp.memory;
        s.cost_fargate_storage_usd = od.storage + sp.storage;
        s.cost_fargate_os_licence_usd = od.os_licence + sp.os_licence;
        let full = spot.costs_with_licence(r, g, l, 1.0);
        s.spot_savings_usd = (full.total() - sp.total()).max(0.0);
    }

    fn check(&self, _arm: &str) -> Result<(), SimError> {
        Ok(())
    }

    fn can_add_capacity(&self, _ctx: &ArmContext<'_>) -> bool {
        false
    }

    fn backlog(&self, ctx: &ArmContext<'_>) -> (EndReason, String) {
        let first = self
            .waiting
            .iter()
            .filter_map(|w| w.front())
            .find_map(|&s| {
                let t = ctx.tasks.get(s)?;
                self.size_for(&t.spec)
            });
        let quota = self
            .quota_units
            .zip(first)
            .is_some_and(|(q, size)| self.in_use_units + u64::from(size.cpu_units) > q);
        if quota {
            let q = self.quota_units.unwrap_or(0) / 1024;
            (
                EndReason::FargateVcpuQuota,
                format!("the account's Fargate vCPU quota ({q} vCPU) is in use"),
            )
        } else if ctx.no_addresses() {
            (
                EndReason::SubnetAddresses,
                "every subnet address of the arm is taken".to_string(),
            )
        } else {
            (
                EndReason::FargateLaunchRate,
                format!(
                    "Fargate's launch rate ({FARGATE_LAUNCH_PER_SECOND} tasks a second after a burst of {FARGATE_LAUNCH_BURST}, docs/reference/ecs-facts.md §7.2) cannot keep up with the arrivals"
                ),
            )
        }
    }

    fn has_instances(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ArmKind;
    use crate::sim::arm_context::testing::{arrive, context, scenario};

    /// A Fargate arm with `extra` keys (such as a vCPU quota).
    fn fargate(extra: &str) -> Scenario {
        scenario(&format!(
            "[[arm]]\nname = \"fargate\"\nlaunch_type = \"FARGATE\"\n{extra}"
        ))
    }

    fn pool(s: &Scenario) -> FargatePool {
        let ArmKind::Fargate(spec) = &s.arms[0].kind else {
            unreachable!("the test arm is Fargate");
        };
        FargatePool::new(s, spec, s.arms[0].os, 7, 0)
    }

    /// Whether a launch-rate retry is queued.
    fn retry_queued(ctx: &mut ArmContext<'_>) -> bool {
        std::iter::from_fn(|| ctx.pop_event()).any(|e| e == Event::FargateRetry)
    }

    #[test]
    fn quota_and_launch_rate_make_a_task_wait_for_different_things() {
        // In both pools the next task cannot be placed now. Under a quota of 2 vCPU it waits
        // for a release (nothing is scheduled for it); under the launch rate, with no quota,
        // it waits for a token, and a retry is scheduled when the next one comes. The end-of-run
        // reason says which.
        let s = fargate("fargate_vcpu_quota = 2\n");
        let mut ctx = context(&s);
        let mut quota = pool(&s);
        for _ in 0..2 {
            let slot = arrive(&mut ctx, 1024, 2048, 20);
            assert!(quota.try_place(&mut ctx, slot, true));
        }
        let third = arrive(&mut ctx, 1024, 2048, 20);
        assert!(!quota.try_place(&mut ctx, third, true));
        quota.enqueue(&mut ctx, third);
        assert!(!retry_queued(&mut ctx));
        assert_eq!(quota.backlog(&ctx).0, EndReason::FargateVcpuQuota);

        let s = fargate("");
        let mut ctx = context(&s);
        let mut rate = pool(&s);
        for _ in 0..FARGATE_LAUNCH_BURST {
            let slot = arrive(&mut ctx, 256, 512, 20);
            assert!(rate.try_place(&mut ctx, slot, true));
        }
        let next = arrive(&mut ctx, 256, 512, 20);
        assert!(!rate.try_place(&mut ctx, next, true));
        rate.enqueue(&mut ctx, next);
        assert!(retry_queued(&mut ctx));
        assert_eq!(rate.backlog(&ctx).0, EndReason::FargateLaunchRate);
    }

    #[test]
    fn a_task_gets_the_smallest_size_that_holds_it_and_storage_has_a_ceiling() {
        // 300 units and 600 MiB are no Fargate size: the task is billed as 0.5 vCPU / 1 GiB,
        // and the registered level counts the size while the reserved level counts the
        // request. 201 GiB of storage is past Fargate's 200: that task can never run.
        let s = fargate("");
        let mut ctx = context(&s);
        let mut p = pool(&s);
        let slot = arrive(&mut ctx, 300, 600, 20);
        assert!(p.try_place(&mut ctx, slot, true));
        let size = ctx.tasks.get(slot).and_then(|t| t.fargate);
        assert_eq!(size.map(|z| (z.cpu_units, z.memory_mib)), Some((512, 1024)));
        assert_eq!(ctx.ledger.levels.cpu_registered, 512);
        assert_eq!(ctx.ledger.levels.cpu_reserved, 300);
        let big = arrive(&mut ctx, 256, 512, 201);
        let edge = arrive(&mut ctx, 256, 512, 200);
        let task = |slot| ctx.tasks.get(slot).cloned();
        let (Some(big), Some(edge)) = (task(big), task(edge)) else {
            unreachable!("the tasks arrived");
        };
        assert!(!p.can_ever_run(&ctx, &big));
        assert!(p.can_ever_run(&ctx, &edge));
    }

    #[test]
    fn a_release_bills_the_minute_minimum_and_lets_the_quota_waiter_in() {
        // A 1-vCPU quota holds one 1-vCPU task; a second waits. The first stops after 30 s: it
        // is billed Fargate's one-minute minimum (not 30 s), and its quota goes to the waiting
        // task at once (not at the next arrival).
        let s = fargate("fargate_vcpu_quota = 1\n");
        let mut ctx = context(&s);
        let mut p = pool(&s);
        let first = arrive(&mut ctx, 1024, 2048, 20);
        assert!(p.try_place(&mut ctx, first, true));
        let second = arrive(&mut ctx, 1024, 2048, 20);
        assert!(!p.try_place(&mut ctx, second, true));
        p.enqueue(&mut ctx, second);
        ctx.now = SimTime(30_000);
        let Some(t) = ctx.tasks.remove(first) else {
            unreachable!("the task was placed");
        };
        let cost = p.release(&mut ctx, first, &t, true);
        let size = t.fargate.map(|z| p.hourly(z, 20, 0));
        assert_eq!(cost, size.map(|h| cost_of(60, h)));
        p.after_release(&mut ctx, &t);
        assert_eq!(p.waiting(), 0);
        assert!(
            ctx.tasks
                .get(second)
                .is_some_and(|t| t.placed_at == Some(SimTime(30_000)))
        );
    }
}
