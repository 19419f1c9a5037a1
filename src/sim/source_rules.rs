//! The placement rules of each task source on an EC2 arm (the trace, each job stream, each
//! service): constraints, strategy and host ports, and which cluster indexes they need.

use crate::placement::{BinpackField, PlacementConstraint, PlacementStrategy, SpreadField};
use crate::scenario::{Ec2Arm, Scenario};

/// Per-source placement inputs on an EC2 arm: constraints, strategy and host ports.
#[derive(Debug)]
pub struct SourceRules {
    /// The arm's constraints and the source's own.
    pub constraints: Vec<PlacementConstraint>,
    /// The placement strategy its tasks use.
    pub strategy: Vec<PlacementStrategy>,
    /// Static host ports its tasks take (only where ports can conflict).
    pub host_ports: Vec<u16>,
    /// A constraint reads the tasks on an instance, so a placement can make it true.
    pub dynamic: bool,
}

fn reads_task_state(constraints: &[PlacementConstraint]) -> bool {
    constraints
        .iter()
        .any(|c| matches!(c, PlacementConstraint::MemberOf(e) if e.reads_task_state()))
}

/// ECS's placement for a service without a strategy (docs/reference/ecs-facts.md §4.3, line 148):
/// "Gives priority to instances that have the fewest number of running tasks for this service
/// in their respective Availability Zone ... Favors container instances with the fewest number
/// of running tasks for this service": `spread(attribute:ecs.availability-zone)` then
/// `spread(instanceId)`, both counting the service's task group. Remaining ties go to the
/// lowest id (docs/model.md §5.5).
fn service_default_strategy() -> Vec<PlacementStrategy> {
    vec![
        PlacementStrategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_string())),
        PlacementStrategy::Spread(SpreadField::InstanceId),
    ]
}

/// The rules of every source of `scenario` on EC2 arm `spec`, in source order (see
/// [`source_index`](crate::sim::arm_context::source_index)); host ports count only where they
/// can conflict (`ports_conflict`).
pub fn source_rules(scenario: &Scenario, spec: &Ec2Arm, ports_conflict: bool) -> Vec<SourceRules> {
    // ECS's default for one-off tasks (RunTask) is random; for services, spread over
    // zones, then favour the instances with the fewest tasks of the service
    // (docs/reference/ecs-facts.md §4.3, line 148: see `service_default_strategy`).
    let task_strategy = spec
        .strategy
        .clone()
        .unwrap_or_else(|| vec![PlacementStrategy::Random]);
    let mut rules = vec![SourceRules {
        dynamic: reads_task_state(&spec.constraints),
        constraints: spec.constraints.clone(),
        strategy: task_strategy.clone(),
        host_ports: Vec::new(),
    }];
    let ports = |p: &Vec<u16>| {
        if ports_conflict {
            p.clone()
        } else {
            Vec::new()
        }
    };
    for j in &scenario.workload.jobs {
        let mut constraints = spec.constraints.clone();
        constraints.extend(j.constraints.iter().cloned());
        rules.push(SourceRules {
            dynamic: reads_task_state(&constraints),
            constraints,
            strategy: task_strategy.clone(),
            host_ports: ports(&j.host_ports),
        });
    }
    for s in &scenario.workload.services {
        let mut constraints = spec.constraints.clone();
        constraints.extend(s.constraints.iter().cloned());
        let strategy = s
            .strategy
            .clone()
            .or_else(|| spec.strategy.clone())
            .unwrap_or_else(service_default_strategy);
        rules.push(SourceRules {
            dynamic: reads_task_state(&constraints),
            constraints,
            strategy,
            host_ports: ports(&s.host_ports),
        });
    }
    rules
}

/// The cluster indexes the strategies of `rules` need (see `Cluster::keep_indexes`): by id,
/// by free CPU (binpack on CPU), by free memory (binpack on memory, or spread over zones).
pub fn indexes_needed(rules: &[SourceRules], needs_eni: bool) -> (bool, bool, bool) {
    let binpacks = |f: BinpackField| {
        rules
            .iter()
            .any(|r| r.strategy.contains(&PlacementStrategy::Binpack(f)))
    };
    let spreads_zone = rules.iter().any(|r| {
        r.strategy.iter().any(|s| {
            matches!(s, PlacementStrategy::Spread(SpreadField::Attribute(a)) if a == "ecs.availability-zone")
        })
    });
    // The id index serves first fit, `random`, `spread` alone and the ENI check (awsvpc);
    // `spread(zone), binpack` in bridge or host mode never needs it.
    let by_id = needs_eni
        || rules.iter().any(|r| {
            !matches!(
                r.strategy.as_slice(),
                [PlacementStrategy::Binpack(_)]
                    | [
                        PlacementStrategy::Spread(SpreadField::Attribute(_)),
                        PlacementStrategy::Binpack(_)
                    ]
            )
        });
    (
        by_id,
        binpacks(BinpackField::Cpu),
        binpacks(BinpackField::Memory) || spreads_zone,
    )
}
