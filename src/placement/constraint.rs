//! Placement constraints (docs/reference/ecs-facts.md §4.4).

use std::fmt;

use crate::placement::query::Expression;

/// A binding condition on the instances a task may use.
#[derive(Debug, Clone)]
pub enum PlacementConstraint {
    /// No two tasks of the same group on one instance.
    DistinctInstance,
    /// Only instances for which the cluster-query-language expression holds.
    MemberOf(Expression),
}

impl fmt::Display for PlacementConstraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlacementConstraint::DistinctInstance => f.write_str("distinctInstance"),
            PlacementConstraint::MemberOf(e) => write!(f, "memberOf({})", e.as_str()),
        }
    }
}
