//! Task placement on EC2: the hot loop. ECS's pipeline (docs/reference/ecs-facts.md §4.1): keep the
//! instances with the CPU, memory, ports and ENI slot; then those that satisfy every constraint;
//! then apply the strategies in order, each narrowing the candidates; remaining ties go to the
//! lowest instance id. Pure: no I/O; the only randomness is the stream passed in.
//!
//! [`place`] is the one entry point the simulator calls. It answers through the cluster's
//! capacity indexes ([`fast::place_indexed`]); [`reference::place_by_scan`] is the
//! specification (a plain scan), and a differential property test requires both to decide
//! exactly alike, random draws included.

pub mod constraint;
pub mod fast;
pub mod instance_view;
pub mod query;
pub mod reference;
pub mod strategy;

pub use constraint::PlacementConstraint;
pub use strategy::{BinpackField, PlacementStrategy, SpreadField};

use crate::engine::RngStream;
use crate::ids::InstanceId;
use crate::model::Cluster;
use crate::model::cluster::ResourceRequest;

/// Everything placement needs to know about one task.
#[derive(Debug, Clone, Copy)]
pub struct PlacementRequest<'a> {
    /// Resources, ports and group.
    pub resources: ResourceRequest<'a>,
    /// Constraints (all must hold).
    pub constraints: &'a [PlacementConstraint],
    /// Strategies, applied in order.
    pub strategy: &'a [PlacementStrategy],
}

/// The outcome of one placement attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Place the task on this instance.
    Placed(InstanceId),
    /// No instance can take the task now.
    NoInstance {
        /// At least one instance had the CPU, memory and ports but no free ENI slot.
        eni_blocked: bool,
    },
}

/// Reusable buffers so that a placement allocates nothing in steady state.
#[derive(Debug, Default, Clone)]
pub struct PlacementScratch {
    pub(crate) candidates: Vec<u32>,
    pub(crate) counts: Vec<u32>,
}

/// Whether every constraint of `request` holds on instance `k` (resources aside).
pub fn constraints_hold(
    cluster: &Cluster,
    group_names: &[String],
    request: &PlacementRequest<'_>,
    k: u32,
) -> bool {
    let id = InstanceId(k);
    request.constraints.iter().all(|c| match c {
        PlacementConstraint::DistinctInstance => {
            cluster.group_count(id, request.resources.group) == 0
        }
        PlacementConstraint::MemberOf(e) => e.eval(&instance_view::ClusterInstance {
            cluster,
            id,
            group_names,
        }),
    })
}

/// Choose the instance for a task, as ECS would. `group_names` resolves task groups for
/// `memberOf` expressions on `task:group`.
pub fn place(
    cluster: &Cluster,
    group_names: &[String],
    request: &PlacementRequest<'_>,
    scratch: &mut PlacementScratch,
    rng: &mut RngStream,
) -> Placement {
    fast::place_indexed(cluster, group_names, request, scratch, rng)
}
