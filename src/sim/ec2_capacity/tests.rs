//! Unit tests of the EC2 capacity backend.

use super::*;
use crate::scenario::ArmKind;
use crate::sim::arm_context::testing::{arrive, context, scenario};

/// An arm of four m5.xlarge (4,096 CPU units each) in one zone, a fixed fleet, placed
/// with `strategy`.
fn four_instances(strategy: &str) -> Scenario {
    scenario(&format!(
        "[[arm]]\nname = \"ec2\"\nlaunch_type = \"EC2\"\ninstance_types = [\"m5.xlarge\"]\navailability_zones = [\"us-east-1a\"]\nnetwork_mode = \"bridge\"\nplacement_strategy = {strategy}\ncapacity = {{ fixed = 4 }}\n"
    ))
}

/// The backend of the scenario's arm, its fleet registered.
fn backend(s: &Scenario, ctx: &mut ArmContext<'_>) -> Ec2Capacity {
    let ArmKind::Ec2(spec) = &s.arms[0].kind else {
        unreachable!("the test arm is EC2");
    };
    let mut cap = Ec2Capacity::new(s, &s.arms[0], spec, 7, 0);
    cap.start(ctx);
    cap
}

fn instance(ctx: &ArmContext<'_>, slot: TaskSlot) -> Option<InstanceId> {
    ctx.tasks.get(slot).and_then(|t| t.instance)
}

#[test]
fn binpack_stacks_where_spread_fans_out() {
    // The second task fits every instance. Binpack on memory puts it beside the first (the
    // instance with the least memory left); spread over instance ids puts it on another
    // instance (the one with the fewest tasks), so the same arrivals tell the two apart.
    let packed = four_instances("[{ type = \"binpack\", field = \"memory\" }]");
    let mut ctx = context(&packed);
    let mut cap = backend(&packed, &mut ctx);
    assert_eq!(cap.sample().instances, 4);
    let (a, b) = (
        arrive(&mut ctx, 1024, 2048, 20),
        arrive(&mut ctx, 1024, 2048, 20),
    );
    assert!(cap.try_place(&mut ctx, a, true) && cap.try_place(&mut ctx, b, true));
    assert_eq!(instance(&ctx, a), instance(&ctx, b));

    let spread = four_instances("[{ type = \"spread\", field = \"instanceId\" }]");
    let mut ctx = context(&spread);
    let mut cap = backend(&spread, &mut ctx);
    let (a, b) = (
        arrive(&mut ctx, 1024, 2048, 20),
        arrive(&mut ctx, 1024, 2048, 20),
    );
    assert!(cap.try_place(&mut ctx, a, true) && cap.try_place(&mut ctx, b, true));
    assert!(instance(&ctx, a).is_some());
    assert_ne!(instance(&ctx, a), instance(&ctx, b));
    assert_eq!(ctx.ledger.levels.cpu_reserved, 2048);
}

#[test]
fn a_release_places_the_waiting_task_on_the_instance_it_freed() {
    // Four tasks of a whole instance's CPU fill the fleet; a fifth waits. When the task on
    // one instance ends, the walk after the release must place the waiting task there and
    // nowhere else (the other three are still full): a backend that waited for the next
    // arrival, or looked only at other instances, would leave it waiting.
    let s = four_instances("[{ type = \"binpack\", field = \"cpu\" }]");
    let mut ctx = context(&s);
    let mut cap = backend(&s, &mut ctx);
    let full: Vec<TaskSlot> = (0..4).map(|_| arrive(&mut ctx, 4096, 1024, 20)).collect();
    for &slot in &full {
        assert!(cap.try_place(&mut ctx, slot, true));
    }
    let fifth = arrive(&mut ctx, 4096, 1024, 20);
    assert!(!cap.try_place(&mut ctx, fifth, true));
    cap.enqueue(&mut ctx, fifth);
    assert_eq!(cap.waiting(), 1);

    let freed = full[2];
    let freed_on = instance(&ctx, freed);
    let Some(t) = ctx.tasks.remove(freed) else {
        unreachable!("the task was placed");
    };
    assert_eq!(cap.release(&mut ctx, freed, &t, true), None); // billed per instance
    cap.after_release(&mut ctx, &t);
    assert_eq!(cap.waiting(), 0);
    assert_eq!(instance(&ctx, fifth), freed_on);
}

#[test]
fn a_task_larger_than_every_type_can_never_run_while_a_full_fleet_only_delays() {
    // Both tasks find no room now; only one of them ever could. The first waits (a release
    // may make room), the second is rejected at once (no m5.xlarge has 8,192 CPU units).
    let s = four_instances("[{ type = \"binpack\", field = \"cpu\" }]");
    let mut ctx = context(&s);
    let cap = backend(&s, &mut ctx);
    let fits = arrive(&mut ctx, 4096, 1024, 20);
    let never = arrive(&mut ctx, 8192, 1024, 20);
    let task = |slot| ctx.tasks.get(slot).cloned();
    let (Some(fits), Some(never)) = (task(fits), task(never)) else {
        unreachable!("the tasks arrived");
    };
    assert!(cap.can_ever_run(&ctx, &fits));
    assert!(!cap.can_ever_run(&ctx, &never));
    assert_eq!(cap.backlog(&ctx).0, EndReason::Ec2FixedFleet);
}
