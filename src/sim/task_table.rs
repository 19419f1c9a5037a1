//! Tasks alive in one arm's run (arrived and not yet done), in a slab whose slots are reused,
//! so memory follows the number of tasks alive at once, not the length of the workload.

use crate::ids::InstanceId;
use crate::model::{FargateSize, TaskSpec};
use crate::time::SimTime;

/// A slot in the task table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskSlot(pub u32);

/// A task alive in the simulation.
#[derive(Debug, Clone)]
pub struct LiveTask {
    /// What it asked for.
    pub spec: TaskSpec,
    /// Arrival order within the run (ties in the pending queue and outputs).
    pub seq: u64,
    /// When it arrived.
    pub arrival: SimTime,
    /// When it was placed (resources reserved; Fargate billing starts).
    pub placed_at: Option<SimTime>,
    /// When it became RUNNING.
    pub running_at: Option<SimTime>,
    /// Its container instance (EC2).
    pub instance: Option<InstanceId>,
    /// Its billed size (Fargate).
    pub fargate: Option<FargateSize>,
    /// A placement attempt failed only for lack of an ENI slot.
    pub eni_blocked: bool,
    /// A placement attempt failed only for lack of a subnet address.
    pub subnet_blocked: bool,
    /// Entry of the arm's capacity-provider strategy the task runs on.
    pub entry: u8,
    /// Placement serial: events about a placement carry it, so that an event about an
    /// earlier placement of the task (or of an earlier task in the slot) is ignored.
    pub attempt: u32,
    /// Zone of the subnet address the task holds, if it holds one.
    pub subnet_zone: Option<u8>,
    /// Whether the task has been RUNNING before (a restarted task's wait counts once).
    pub started_before: bool,
    /// Service tasks: the deployment revision the task runs.
    pub revision: u32,
    /// Service tasks: healthy (40 s after RUNNING).
    pub healthy: bool,
    /// Service tasks: already replaced (its instance is draining); it no longer counts for its
    /// service or for the capacity-provider split.
    pub replaced: bool,
}

impl LiveTask {
    /// Task `spec`, the `seq`-th arrival of the run, arrived at `arrival`: not placed yet, on
    /// the first entry of the arm's strategy until the split chooses.
    pub fn arrived(spec: TaskSpec, seq: u64, arrival: SimTime) -> LiveTask {
        LiveTask {
            spec,
            seq,
            arrival,
            placed_at: None,
            running_at: None,
            instance: None,
            fargate: None,
            eni_blocked: false,
            subnet_blocked: false,
            entry: 0,
            attempt: 0,
            subnet_zone: None,
            started_before: false,
            revision: 0,
            healthy: false,
            replaced: false,
        }
    }
}

/// The live tasks of one run.
#[derive(Debug, Default)]
pub struct TaskTable {
    slots: Vec<Option<LiveTask>>,
    free: Vec<u32>,
    live: usize,
}

impl TaskTable {
    /// Store a task; returns its slot.
    pub fn insert(&mut self, task: LiveTask) -> TaskSlot {
        self.live += 1;
        match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(task);
                TaskSlot(i)
            }
            None => {
                self.slots.push(Some(task));
                TaskSlot((self.slots.len() - 1) as u32)
            }
        }
    }

    /// The task in `slot`, if alive.
    pub fn get(&self, slot: TaskSlot) -> Option<&LiveTask> {
        self.slots.get(slot.0 as usize).and_then(Option::as_ref)
    }

    /// The task in `slot`, mutably.
    pub fn get_mut(&mut self, slot: TaskSlot) -> Option<&mut LiveTask> {
        self.slots.get_mut(slot.0 as usize).and_then(Option::as_mut)
    }

    /// Remove and return the task in `slot`.
    pub fn remove(&mut self, slot: TaskSlot) -> Option<LiveTask> {
        let t = self.slots.get_mut(slot.0 as usize)?.take()?;
        self.free.push(slot.0);
        self.live -= 1;
        Some(t)
    }

    /// Number of live tasks.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether no task is alive.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Every live task with its slot, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (TaskSlot, &LiveTask)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.as_ref().map(|t| (TaskSlot(i as u32), t)))
    }
}
