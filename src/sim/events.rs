//! Simulator events and their ordering classes (docs/model.md §1.3).

use crate::ids::InstanceId;
use crate::sim::task_table::TaskSlot;

/// Ordering class: capacity that frees or appears (task finished, instance registered); each is
/// followed at once by a walk of the pending queue.
pub const KIND_CAPACITY: u8 = 0;
/// Ordering class: task and instance lifecycle transitions that free nothing by themselves (a
/// placed task becomes RUNNING or healthy, a Spot notice, an interrupted instance or task).
pub const KIND_LIFECYCLE: u8 = 1;
/// Ordering class: arrivals (trace rows first, then job streams in scenario order).
pub const KIND_ARRIVAL: u8 = 2;
/// Ordering class: deployments.
pub const KIND_CONTROL: u8 = 3;
/// Ordering class: the minute's scaling tick (managed scaling, then service auto scaling),
/// after every other event of its time.
pub const KIND_SCALING_TICK: u8 = 4;
/// Ordering class: a timeseries sample, the last thing at its time (after the scaling tick).
pub const KIND_SAMPLE: u8 = 5;

/// A task placement: which task, and which of its placements (a task placed again after an
/// interruption gets a new serial, so events of an earlier placement are recognised as stale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// The task.
    pub slot: TaskSlot,
    /// The placement serial (`LiveTask::attempt`).
    pub serial: u32,
}

/// Something that happens at a point in simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A task finished its run time and frees its resources.
    TaskFinished {
        /// The placement that finished.
        attempt: Attempt,
    },
    /// A launched instance registers with the cluster.
    InstanceRegistered {
        /// Index of its capacity provider in the arm.
        provider: u8,
        /// The launch (machine index in the provider's pool).
        machine: u32,
    },
    /// Fargate may launch again (a launch-rate token is available).
    FargateRetry,
    /// A placed task finished starting (image pull, ENI attach) and is RUNNING.
    TaskRunning {
        /// The placement that is now running.
        attempt: Attempt,
    },
    /// A service task passed its health grace (40 s after RUNNING).
    TaskHealthy {
        /// The placement that is now healthy.
        attempt: Attempt,
    },
    /// A Spot interruption notice for an instance: it drains.
    SpotNotice {
        /// Index of its capacity provider in the arm.
        provider: u8,
        /// The instance.
        instance: InstanceId,
    },
    /// Two minutes after the notice: the instance is reclaimed.
    SpotReclaimed {
        /// Index of its capacity provider in the arm.
        provider: u8,
        /// The instance.
        instance: InstanceId,
    },
    /// A FARGATE_SPOT interruption notice for a task.
    FargateSpotNotice {
        /// The placement that is interrupted.
        attempt: Attempt,
    },
    /// Two minutes after the notice: the FARGATE_SPOT task is stopped.
    FargateSpotReclaimed {
        /// The placement that is stopped.
        attempt: Attempt,
    },
    /// A rolling deployment of a service starts.
    Deployment {
        /// Index of the service in the workload.
        service: u16,
    },
    /// The minute's scaling evaluation.
    ScalingTick,
    /// A timeseries sample.
    MetricSample,
}

impl Event {
    /// The ordering class of the event.
    pub fn kind(self) -> u8 {
        match self {
            Event::TaskFinished { .. } | Event::InstanceRegistered { .. } | Event::FargateRetry => {
                KIND_CAPACITY
            }
            Event::TaskRunning { .. }
            | Event::TaskHealthy { .. }
            | Event::SpotNotice { .. }
            | Event::SpotReclaimed { .. }
            | Event::FargateSpotNotice { .. }
            | Event::FargateSpotReclaimed { .. } => KIND_LIFECYCLE,
            Event::Deployment { .. } => KIND_CONTROL,
            Event::ScalingTick => KIND_SCALING_TICK,
            Event::MetricSample => KIND_SAMPLE,
        }
    }

    /// Whether the event is one of the run's own clocks (scaling tick, sample), always queued
    /// again, so never a sign that anything else can still happen.
    pub fn is_clock(self) -> bool {
        matches!(self, Event::ScalingTick | Event::MetricSample)
    }
}
