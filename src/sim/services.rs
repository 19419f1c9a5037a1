//! The services of an arm: their desired counts, rolling deployments, service auto scaling
//! and the tasks they start and stop (through the arm's task lifecycle). The rules of a
//! deployment step are in `deployment`, the auto scaling policy in `service_scaling`, and which
//! tasks a scale-in stops in `service_scale_in`.

use crate::ids::GroupId;
use crate::model::GroupTable;
use crate::model::TaskSpec;
use crate::model::task_spec::{TaskLabel, TaskSource};
use crate::scenario::{ArmKind, Scenario, ServiceSpec};
use crate::sim::arm_sim::ArmSim;
use crate::sim::deployment::{self, DeploymentState};
use crate::sim::outcome::{ScalingRecord, TaskOutcome};
use crate::sim::service_scale_in::{Candidate, scale_in_order};
use crate::sim::service_scaling::{ServiceScaler, ServiceScalingAction};
use crate::sim::task_table::TaskSlot;
use crate::time::SimDuration;

/// A service during the run.
#[derive(Debug)]
pub struct ServiceState {
    group: GroupId,
    desired: u32,
    revision: u32,
    deploying: bool,
    /// Live tasks the service counts (not those being replaced), in start order.
    tasks: Vec<TaskSlot>,
    next_label: u64,
    scaler: Option<ServiceScaler>,
}

impl ServiceState {
    /// Whether a deployment of the service is under way.
    pub fn deploying(&self) -> bool {
        self.deploying
    }

    /// The task in `slot` no longer counts for the service (it stopped).
    pub fn forget(&mut self, slot: TaskSlot) {
        if let Some(p) = self.tasks.iter().position(|&x| x == slot) {
            self.tasks.remove(p);
        }
    }
}

/// The services of `scenario` at the start of a run (their task groups interned in `groups`).
pub fn service_states(scenario: &Scenario, groups: &mut GroupTable) -> Vec<ServiceState> {
    scenario
        .workload
        .services
        .iter()
        .map(|s| ServiceState {
            group: groups.intern(&format!("service:{}", s.name)),
            desired: s.desired,
            revision: 0,
            deploying: false,
            tasks: Vec::new(),
            next_label: 0,
            scaler: s.autoscaling.as_ref().map(|a| {
                ServiceScaler::new(
                    a.target_cpu_percent,
                    a.min,
                    a.max,
                    a.scale_in_cooldown,
                    a.scale_out_cooldown,
                )
            }),
        })
        .collect()
}

impl ArmSim<'_> {
    /// Service auto scaling of service `s` (the minute's evaluation).
    pub(super) fn scale_service(&mut self, s: usize) {
        let now = self.ctx.now;
        let spec: &ServiceSpec = &self.ctx.scenario.workload.services[s];
        let Some(auto) = &spec.autoscaling else {
            return;
        };
        let running = self.running_tasks(s);
        // The offered load, as CPU units, over the running tasks; a task cannot use more than
        // its task-level CPU (a hard limit), so utilisation is at most 100%.
        let demand = auto.load.at(now) * f64::from(spec.desired) * f64::from(spec.cpu_units);
        let utilisation = (running > 0).then(|| {
            (demand / (f64::from(running) * f64::from(spec.cpu_units)) * 100.0).min(100.0)
        });
        let svc = &mut self.services[s];
        let deploying = svc.deploying;
        let desired = svc.desired;
        let Some(scaler) = &mut svc.scaler else {
            return;
        };
        let action = scaler.evaluate(now, utilisation, running, desired, deploying);
        let (new, label) = match action {
            ServiceScalingAction::None => (desired, "none"),
            ServiceScalingAction::SetDesired(d) => {
                (d, if d > desired { "scale-out" } else { "scale-in" })
            }
        };
        svc.desired = new;
        self.ctx.ledger.scaling.push(ScalingRecord {
            time: now,
            provider: format!("service:{}", spec.name),
            metric: utilisation,
            target: Some(auto.target_cpu_percent),
            desired: new,
            running,
            action: label,
        });
        if new != desired {
            self.reconcile_service(s);
        }
    }

    /// A rolling deployment of service `s` starts.
    pub(super) fn on_deployment(&mut self, s: usize) {
        let svc = &mut self.services[s];
        svc.revision += 1;
        svc.deploying = true;
        self.deployment_record(s, "deployment-start");
        self.reconcile_service(s);
    }

    /// Tasks of service `s` that are RUNNING.
    fn running_tasks(&self, s: usize) -> u32 {
        self.services[s]
            .tasks
            .iter()
            .filter(|&&slot| {
                self.ctx
                    .tasks
                    .get(slot)
                    .is_some_and(|t| t.running_at.is_some())
            })
            .count() as u32
    }

    /// A scaling.csv row for a step of service `s`'s deployment.
    fn deployment_record(&mut self, s: usize, action: &'static str) {
        let running = self.running_tasks(s);
        self.ctx.ledger.scaling.push(ScalingRecord {
            time: self.ctx.now,
            provider: format!("service:{}", self.ctx.scenario.workload.services[s].name),
            metric: None,
            target: None,
            desired: self.services[s].desired,
            running,
            action,
        });
    }

    /// Bring service `s` toward its desired count, or one step further in its deployment.
    pub(super) fn reconcile_service(&mut self, s: usize) {
        if self.services[s].deploying {
            // Stops take effect at once here, so take steps until one changes nothing (each
            // step starts or stops at least one task, so this ends).
            let cfg = self.ctx.scenario.workload.services[s].deployment;
            loop {
                let state = self.deployment_state(s);
                if deployment::is_done(state) {
                    self.services[s].deploying = false;
                    self.deployment_record(s, "deployment-done");
                    break;
                }
                let step = deployment::next_step(state, cfg);
                if step.start_new == 0 && step.stop_old == 0 {
                    if state.new_tasks == state.new_healthy && state.old_tasks == state.old_healthy
                    {
                        // Nothing it waits for will change (the bounds allow no step at this
                        // desired count, docs/reference/ecs-facts.md §6.1): ECS would stay stuck;
                        // sim ends the deployment so that scale-in works again, and says so.
                        self.services[s].deploying = false;
                        self.deployment_record(s, "deployment-stuck");
                    }
                    return; // else wait for a task to become healthy
                }
                self.stop_service_tasks(s, step.stop_old, true);
                for _ in 0..step.start_new {
                    if !self.start_service_task(s) {
                        return; // the task cannot run here; nothing more to do now
                    }
                }
            }
        }
        let live = self.services[s].tasks.len() as u32;
        let desired = self.services[s].desired;
        if live < desired {
            for _ in 0..desired - live {
                if !self.start_service_task(s) {
                    break;
                }
            }
        } else if live > desired {
            self.stop_service_tasks(s, live - desired, false);
        }
    }

    fn deployment_state(&self, s: usize) -> DeploymentState {
        let svc = &self.services[s];
        let mut st = DeploymentState {
            desired: svc.desired,
            old_tasks: 0,
            old_healthy: 0,
            new_tasks: 0,
            new_healthy: 0,
        };
        for &slot in &svc.tasks {
            let Some(t) = self.ctx.tasks.get(slot) else {
                continue;
            };
            if t.revision == svc.revision {
                st.new_tasks += 1;
                st.new_healthy += u32::from(t.healthy);
            } else {
                st.old_tasks += 1;
                st.old_healthy += u32::from(t.healthy);
            }
        }
        st
    }

    /// Stop `n` tasks of service `s` (only old-revision ones when `old_only`): waiting ones
    /// first, then those not yet healthy, then the newest (a scale-in without a strategy on
    /// EC2: see `default_scale_in_order`).
    fn stop_service_tasks(&mut self, s: usize, n: u32, old_only: bool) {
        let revision = self.services[s].revision;
        let mut order: Vec<(u8, std::cmp::Reverse<usize>, TaskSlot)> = self.services[s]
            .tasks
            .iter()
            .enumerate()
            .filter_map(|(k, &slot)| {
                let t = self.ctx.tasks.get(slot)?;
                if old_only && t.revision == revision {
                    return None;
                }
                let rank = if t.placed_at.is_none() {
                    0
                } else if !t.healthy {
                    1
                } else {
                    2
                };
                Some((rank, std::cmp::Reverse(k), slot))
            })
            .collect();
        order.sort_unstable();
        if !old_only {
            self.default_scale_in_order(s, &mut order, n as usize);
        }
        for &(rank, _, slot) in order.iter().take(n as usize) {
            let outcome = if rank == 0 {
                TaskOutcome::Rejected
            } else {
                TaskOutcome::Completed
            };
            self.end_task(slot, outcome);
        }
    }

    /// The service scheduler starts a task of service `s` (it arrives now); false if the task
    /// was rejected (it can never run on this arm).
    fn start_service_task(&mut self, s: usize) -> bool {
        let spec = &self.ctx.scenario.workload.services[s];
        let svc = &mut self.services[s];
        let label = svc.next_label;
        svc.next_label += 1;
        let task = TaskSpec {
            label: TaskLabel::Job(label),
            source: TaskSource::Service(s as u16),
            group: svc.group,
            cpu_units: spec.cpu_units,
            memory_mib: spec.memory_mib,
            duration: SimDuration(u64::MAX),
            storage_gib: spec.storage_gib,
            cpu_used_units: None,
            memory_used_mib: None,
        };
        let revision = svc.revision;
        match self.on_task_arrived(self.ctx.now, task) {
            Some(slot) => {
                if let Some(t) = self.ctx.tasks.get_mut(slot) {
                    t.revision = revision;
                }
                self.services[s].tasks.push(slot);
                true
            }
            None => false,
        }
    }

    /// The service task in `slot` of service `s` is being stopped (a Spot notice): it stops
    /// counting for its service and for the provider split now (so the replacement goes where
    /// the split wants it), though it runs until it stops; the service starts a replacement.
    pub(super) fn replace_service_task(&mut self, slot: TaskSlot, s: usize) {
        let Some(t) = self.ctx.tasks.get_mut(slot) else {
            return;
        };
        if t.replaced {
            return;
        }
        t.replaced = true;
        let (group, entry) = (t.spec.group, usize::from(t.entry));
        self.count_live(group, entry, false);
        let svc = &mut self.services[s];
        if let Some(pos) = svc.tasks.iter().position(|&x| x == slot) {
            svc.tasks.remove(pos);
        }
        self.reconcile_service(s);
    }

    /// On EC2, for a service without a placement strategy (its own or the arm's), reorder the
    /// running healthy tasks of `order` (rank 2, newest first) that a scale-in by `n` reaches:
    /// from the zone with the most tasks of the service, then the instance with the most
    /// (docs/reference/ecs-facts.md §4.3, line 148; docs/model.md §16.3).
    fn default_scale_in_order(
        &self,
        s: usize,
        order: &mut [(u8, std::cmp::Reverse<usize>, TaskSlot)],
        n: usize,
    ) {
        let ArmKind::Ec2(spec) = &self.ctx.arm.kind else {
            return;
        };
        if spec.strategy.is_some() || self.ctx.scenario.workload.services[s].strategy.is_some() {
            return;
        }
        let first = order.partition_point(|e| e.0 < 2);
        if first >= n {
            return;
        }
        let healthy = &mut order[first..];
        let cands: Vec<Candidate> = healthy
            .iter()
            .filter_map(|e| {
                let t = self.ctx.tasks.get(e.2)?;
                let (zone, instance) = self.capacity.instance_of(&self.ctx, t)?;
                Some(Candidate { zone, instance })
            })
            .collect();
        if cands.len() != healthy.len() {
            return;
        }
        let picked = scale_in_order(&cands, n - first);
        let mut reordered: Vec<_> = picked.iter().map(|&k| healthy[k]).collect();
        let mut taken = vec![false; healthy.len()];
        for &k in &picked {
            taken[k] = true;
        }
        reordered.extend(
            healthy
                .iter()
                .zip(&taken)
                .filter(|&(_, &t)| !t)
                .map(|(e, _)| *e),
        );
        healthy.copy_from_slice(&reordered);
    }
}
