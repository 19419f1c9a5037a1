//! Property tests: resource accounting and task conservation over random inputs.

use proptest::prelude::*;
use sim::ids::{GroupId, InstanceId, ZoneId};
use sim::model::cluster::{ClusterType, ResourceRequest};
use sim::model::{Architecture, Cluster};

const PORTS: [&[u16]; 3] = [&[], &[80], &[80, 443]];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random reserves and releases never over-commit an instance, and releasing everything
    /// restores exactly what was registered.
    #[test]
    fn reserve_release_never_overcommits(ops in prop::collection::vec((0u32..4, 1u32..3000, 1u32..9000, 0usize..3, any::<bool>(), 0u32..3), 1..200)) {
        let t = ClusterType { name: "m5.xlarge".into(), architecture: Architecture::X86_64, trunk: false };
        let mut c = Cluster::new(vec![t], vec!["a".into(), "b".into()]);
        for _ in 0..4 {
            let z = c.next_zone();
            c.add_instance(0, ZoneId(z.0), 4096, 15634, 3, &[22]);
        }
        let mut held: Vec<(u32, ResourceRequest<'static>)> = Vec::new();
        for (i, cpu, mem, ports, eni, group) in ops {
            let r = ResourceRequest { cpu_units: cpu, memory_mib: mem, needs_eni: eni, host_ports: PORTS[ports], group: GroupId(group) };
            if cpu % 3 == 0 && !held.is_empty() {
                let (k, r) = held.swap_remove((cpu as usize) % held.len());
                c.release(InstanceId(k), &r);
            } else if c.reserve(InstanceId(i), &r) {
                held.push((i, r));
            }
            prop_assert!(c.check_invariants().is_ok(), "{:?}", c.check_invariants());
            for k in 0..4 {
                prop_assert!(c.free()[k][0] <= 4096 && c.free()[k][1] <= 15634 && c.free()[k][2] <= 3);
            }
        }
        for (k, r) in held.drain(..) {
            c.release(InstanceId(k), &r);
        }
        prop_assert_eq!(c.total_reserved_cpu(), 0);
        prop_assert_eq!(c.total_reserved_mem(), 0);
        for k in 0..4 {
            prop_assert_eq!((c.free()[k], c.task_count()[k]), ([4096, 15634, 3], 0));
            prop_assert_eq!(c.ports_on(InstanceId(k as u32)), &[22][..]);
        }
    }
}

fn scenario_text(
    jobs: &[(u32, u32, u32, u32)],
    network: &str,
    strategy: &str,
    fixed: u32,
    fail: bool,
    zone_count: usize,
) -> String {
    let zones = [
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-east-1d",
        "us-east-1e",
    ][..zone_count]
        .iter()
        .map(|z| format!("\"{z}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = String::from("horizon = \"3h\"\nmetrics_interval = \"5m\"\n");
    for (i, (rate, cpu, mem, dur)) in jobs.iter().enumerate() {
        s.push_str(&format!(
            "[[workload.jobs]]\nname = \"j{i}\"\narrival = {{ poisson = {{ per_hour = {rate} }} }}\nduration = {{ exponential = {{ mean = \"{dur}s\" }} }}\ncpu = {cpu}\nmemory = {mem}\n"
        ));
        // Constraints of every kind, dynamic ones (reading the tasks on an instance) included.
        let constraint = match i % 6 {
            1 => "{ type = \"distinctInstance\" }",
            2 => {
                "{ type = \"memberOf\", expression = \"task:group == j0 or runningTasksCount < 2\" }"
            }
            3 => {
                "{ type = \"memberOf\", expression = \"attribute:ecs.availability-zone != us-east-1b\" }"
            }
            4 => "{ type = \"memberOf\", expression = \"not(task:group == j1)\" }",
            _ => "",
        };
        if !constraint.is_empty() {
            s.push_str(&format!("placement_constraints = [{constraint}]\n"));
        }
        if i % 3 == 2 {
            s.push_str("host_ports = [8080]\n");
        }
    }
    s.push_str(&format!(
        "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.large\", \"c5.xlarge\"]\navailability_zones = [{zones}]\nnetwork_mode = \"{network}\"\nplacement_strategy = [{strategy}]\ncapacity = {{ fixed = {fixed} }}\non_no_capacity = \"{}\"\n",
        if fail { "fail" } else { "queue" }
    ));
    s.push_str("[[arm]]\nname = \"fg\"\nlaunch_type = \"FARGATE\"\n");
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random small scenarios: tasks are conserved, nothing is over-committed (checked after
    /// every event), costs are non-negative, utilisation within [0, 1], and a second run with
    /// the same seed is identical.
    #[test]
    fn random_scenarios_conserve_tasks(
        jobs in prop::collection::vec((1u32..600, 1u32..5000, 1u32..12000, 1u32..3600), 1..6),
        network in prop::sample::select(vec!["awsvpc", "bridge", "host"]),
        strategy in prop::sample::select(vec![
            "{ type = \"random\" }",
            "{ type = \"binpack\", field = \"memory\" }",
            "{ type = \"spread\", field = \"attribute:ecs.availability-zone\" }, { type = \"binpack\", field = \"cpu\" }",
            "{ type = \"spread\", field = \"instanceId\" }",
        ]),
        fixed in 1u32..9,
        zone_count in 1usize..6,
        fail in any::<bool>(),
        seed in 0u64..1000,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let s = crate::common::load(dir.path(), &scenario_text(&jobs, network, strategy, fixed, fail, zone_count));
        let a = crate::common::run_checked(&s, seed);
        let b = crate::common::run_checked(&s, seed);
        prop_assert_eq!(&a, &b);
    }
}
