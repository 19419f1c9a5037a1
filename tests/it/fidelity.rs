//! The fidelity fixes of issue 13, part 7: each test pins one ECS rule against its line in
//! reference/ (service default placement, EC2 Spot billing on interruption, FARGATE_SPOT's
//! stop timeout, managed scaling from zero, CPR with tasks no instance type can take).

use std::collections::BTreeMap;

use crate::common::{assert_conserved, first_arm};
use sim::sim::{ArmOutcome, TaskOutcome, TaskRecord};

fn tasks(a: &ArmOutcome) -> &[TaskRecord] {
    a.tasks.as_deref().expect("tasks are recorded")
}

// ---- 1. service default placement (reference/ecs-facts.md §4.3, line 148) -------------------

/// Without a strategy a service's tasks go to the zones with the fewest of its tasks and, within
/// them, to the instances with the fewest ("Favors container instances with the fewest number of
/// running tasks for this service"): 6 tasks on 6 m5.xlarge in 3 zones land one per instance
/// (spread over zones alone would pile them 2/2/2 on the three lowest ids).
#[test]
fn service_tasks_without_a_strategy_go_one_per_instance() {
    let a = first_arm(
        r#"
horizon = "1h"
[[workload.services]]
name = "web"
cpu = 512
memory = 1024
desired = 6
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.xlarge"]
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
network_mode = "bridge"
capacity = { fixed = 6 }
"#,
    );
    assert_conserved(&a);
    let mut per_instance: BTreeMap<String, u32> = BTreeMap::new();
    for t in tasks(&a) {
        *per_instance
            .entry(t.instance_id.clone().expect("placed"))
            .or_default() += 1;
    }
    assert_eq!(per_instance.len(), 6, "{per_instance:?}");
    assert!(per_instance.values().all(|&n| n == 1), "{per_instance:?}");
}

/// The default only applies without a strategy: `spread(zone)` written out keeps its own
/// reading (ties to the lowest id), so 6 tasks use three instances.
#[test]
fn an_explicit_zone_spread_keeps_lowest_id_ties() {
    let a = first_arm(
        r#"
horizon = "1h"
[[workload.services]]
name = "web"
cpu = 512
memory = 1024
desired = 6
placement_strategy = [{ type = "spread", field = "attribute:ecs.availability-zone" }]
[[arm]]
name = "ec2"
launch_type = "EC2"
instance_types = ["m5.xlarge"]
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
network_mode = "bridge"
capacity = { fixed = 6 }
"#,
    );
    let used: std::collections::BTreeSet<String> = tasks(&a)
        .iter()
        .filter_map(|t| t.instance_id.clone())
        .collect();
    assert_eq!(used.len(), 3, "{used:?}");
}
