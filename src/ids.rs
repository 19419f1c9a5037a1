//! Dense newtype ids: indexes into the simulator's vectors, never reused within a run.

use std::fmt;

/// A container instance of one EC2 arm, numbered in launch order from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstanceId(pub u32);

/// An index into the instance-type catalog of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstanceTypeId(pub u16);

/// A task group (`service:<name>`, a job's name, a trace `group`, or `default`), interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub u32);

/// An availability zone of an arm, by its position in the arm's zone list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ZoneId(pub u8);

impl InstanceId {
    /// The index into per-instance vectors.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "i-{:08}", self.0)
    }
}
