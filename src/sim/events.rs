//! Simulator events and their ordering classes (DESIGN.md §3).

use crate::sim::task_table::TaskSlot;

/// Ordering class: capacity that frees or appears (task finished, instance registered); each is
/// followed at once by a walk of the pending queue.
pub const KIND_CAPACITY: u8 = 0;
/// Ordering class: task lifecycle transitions that free nothing (a placed task becomes RUNNING).
pub const KIND_LIFECYCLE: u8 = 1;
/// Ordering class: arrivals (trace rows first, then job streams in scenario order).
pub const KIND_ARRIVAL: u8 = 2;
/// Ordering class: scaling decisions and metric samples.
pub const KIND_CONTROL: u8 = 3;

/// Something that happens at a point in simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A task finished its run time and frees its resources.
    TaskFinished(TaskSlot),
    /// A placed task finished starting (image pull, ENI attach) and is RUNNING.
    TaskRunning(TaskSlot),
    /// Record one row of timeseries.csv.
    MetricSample,
}

impl Event {
    /// The ordering class of the event.
    pub fn kind(self) -> u8 {
        match self {
            Event::TaskFinished(_) => KIND_CAPACITY,
            Event::TaskRunning(_) => KIND_LIFECYCLE,
            Event::MetricSample => KIND_CONTROL,
        }
    }
}
