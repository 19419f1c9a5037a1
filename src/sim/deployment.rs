//! Rolling deployments of a service: the documented rounding of minimumHealthyPercent and maximumPercent and the next step of a deployment (docs/reference/ecs-facts.md §6.1).

use crate::scenario::service_spec::DeploymentConfig;

/// Upper bound on RUNNING + PENDING tasks during a deployment:
/// `floor(desired × maximum_percent / 100)` (docs/reference/ecs-facts.md §6.1).
pub fn max_tasks(desired: u32, maximum_percent: u32) -> u32 {
    let n = u64::from(desired) * u64::from(maximum_percent) / 100;
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Lower bound on healthy tasks: `ceil(desired × minimum_healthy_percent / 100)`
/// (docs/reference/ecs-facts.md §6.1).
pub fn min_healthy(desired: u32, minimum_healthy_percent: u32) -> u32 {
    let n = (u64::from(desired) * u64::from(minimum_healthy_percent)).div_ceil(100);
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The state of one service deployment as the scheduler sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeploymentState {
    /// The service's desired count.
    pub desired: u32,
    /// Old-revision tasks still alive (running or pending; a task being stopped counts until it
    /// has stopped).
    pub old_tasks: u32,
    /// Of `old_tasks`, the healthy ones.
    pub old_healthy: u32,
    /// New-revision tasks alive.
    pub new_tasks: u32,
    /// Of `new_tasks`, the healthy ones.
    pub new_healthy: u32,
}

/// What the scheduler does now: how many new tasks to start and how many old ones to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeploymentStep {
    /// New-revision tasks to start.
    pub start_new: u32,
    /// Old-revision tasks to stop, unhealthy ones first.
    pub stop_old: u32,
}

/// The next step of a rolling deployment (docs/reference/ecs-facts.md §6.1; the step rule is ours):
/// - `start_new = min(desired − new_tasks, max_tasks − (old_tasks + new_tasks))`, saturating:
///   start what is missing as far as maximumPercent allows.
/// - `slack = (old_healthy + new_healthy) − min_healthy` (saturating): healthy tasks above the
///   minimumHealthyPercent floor. `surplus = (old_tasks + new_healthy) − desired` (saturating):
///   old tasks the healthy new ones have made redundant.
///   `stop_old = min(old_tasks, max(slack, min(surplus, unhealthy_old + slack)))`: stop old tasks
///   down to the healthy floor, and also the redundant old tasks that are not healthy (stopping
///   those never lowers the healthy count). The caller stops unhealthy old tasks first, so the
///   healthy count stays ≥ min_healthy (or, if it started below, does not fall).
/// - Both numbers are computed from the same state: stops free their place under
///   maximumPercent only once the tasks have stopped (STOPPING counts, §6.1), i.e. at the next
///   step. New tasks beyond `desired` are never stopped here.
pub fn next_step(state: DeploymentState, cfg: DeploymentConfig) -> DeploymentStep {
    let DeploymentState {
        desired,
        old_tasks,
        old_healthy,
        new_tasks,
        new_healthy,
    } = state;
    let old_healthy = old_healthy.min(old_tasks);
    let new_healthy = new_healthy.min(new_tasks);
    let alive = old_tasks.saturating_add(new_tasks);
    let start_new = desired
        .saturating_sub(new_tasks)
        .min(max_tasks(desired, cfg.maximum_percent).saturating_sub(alive));
    let slack = (old_healthy + new_healthy)
        .saturating_sub(min_healthy(desired, cfg.minimum_healthy_percent));
    let surplus = old_tasks
        .saturating_add(new_healthy)
        .saturating_sub(desired);
    let unhealthy_old = old_tasks - old_healthy;
    let stop_old = old_tasks.min(slack.max(surplus.min(unhealthy_old.saturating_add(slack))));
    DeploymentStep {
        start_new,
        stop_old,
    }
}

/// Whether the deployment is finished (no old tasks left and `new_tasks >= desired`).
pub fn is_done(state: DeploymentState) -> bool {
    state.old_tasks == 0 && state.new_tasks >= state.desired
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(min: u32, max: u32) -> DeploymentConfig {
        DeploymentConfig {
            minimum_healthy_percent: min,
            maximum_percent: max,
        }
    }

    fn fresh(desired: u32, old: u32) -> DeploymentState {
        DeploymentState {
            desired,
            old_tasks: old,
            old_healthy: old,
            new_tasks: 0,
            new_healthy: 0,
        }
    }

    fn step(start_new: u32, stop_old: u32) -> DeploymentStep {
        DeploymentStep {
            start_new,
            stop_old,
        }
    }

    #[test]
    fn documented_rounding() {
        assert_eq!(max_tasks(4, 200), 8);
        assert_eq!(max_tasks(3, 125), 3);
        assert_eq!(min_healthy(4, 50), 2);
        assert_eq!(min_healthy(2, 75), 2);
        assert_eq!(min_healthy(0, 100), 0);
    }

    #[test]
    fn documented_cases() {
        // desired 4, max 200: start 4 new before stopping any.
        assert_eq!(next_step(fresh(4, 4), cfg(100, 200)), step(4, 0));
        // desired 4, min 50 (max 100): stop 2 first.
        assert_eq!(next_step(fresh(4, 4), cfg(50, 100)), step(0, 2));
        // desired 2, min 75: ceil(1.5) = 2, stops none at first.
        assert_eq!(next_step(fresh(2, 2), cfg(75, 200)).stop_old, 0);
        // desired 3, max 125 (min 100): floor(3.75) = 3: stuck.
        assert_eq!(next_step(fresh(3, 3), cfg(100, 125)), step(0, 0));
    }

    #[test]
    fn redundant_unhealthy_old_tasks_are_stopped() {
        // 4 healthy new tasks; 2 old tasks still pending: they are surplus and unhealthy.
        let s = DeploymentState {
            desired: 4,
            old_tasks: 2,
            old_healthy: 0,
            new_tasks: 4,
            new_healthy: 4,
        };
        assert_eq!(next_step(s, cfg(100, 100)), step(0, 2));
        assert!(!is_done(s));
    }

    /// Runs a deployment where new tasks become healthy one step after they start; checks the
    /// bounds at every step and returns the number of steps.
    fn run_deployment(desired: u32, c: DeploymentConfig) -> u32 {
        let mut s = fresh(desired, desired);
        let hi = max_tasks(desired, c.maximum_percent);
        let lo = min_healthy(desired, c.minimum_healthy_percent);
        for n in 0..100 {
            if is_done(s) {
                return n;
            }
            let st = next_step(s, c);
            // Stopping tasks still count against maximumPercent until they are gone.
            assert!(
                s.old_tasks + s.new_tasks + st.start_new <= hi,
                "{s:?} {st:?}"
            );
            assert!(st.stop_old <= s.old_tasks);
            let unhealthy_old = s.old_tasks - s.old_healthy;
            s.old_healthy -= st.stop_old.saturating_sub(unhealthy_old);
            s.old_tasks -= st.stop_old;
            assert!(s.old_healthy + s.new_healthy >= lo, "{s:?} {st:?}");
            // Started tasks become healthy at the next step.
            s.new_healthy = s.new_tasks;
            s.new_tasks += st.start_new;
        }
        panic!("deployment did not finish: {s:?}");
    }

    #[test]
    fn full_deployments_finish_within_bounds() {
        assert!(run_deployment(4, cfg(100, 200)) <= 4);
        assert!(run_deployment(4, cfg(50, 100)) <= 6);
        assert!(run_deployment(2, cfg(75, 200)) <= 4);
        assert!(run_deployment(10, cfg(90, 110)) <= 40);
        assert!(run_deployment(7, cfg(0, 100)) <= 4);
    }

    #[test]
    fn no_step_breaks_a_bound_it_did_not_start_outside() {
        let cfgs = [
            cfg(100, 200),
            cfg(50, 100),
            cfg(75, 200),
            cfg(100, 125),
            cfg(0, 150),
        ];
        for c in cfgs {
            for desired in 0..7 {
                let hi = max_tasks(desired, c.maximum_percent);
                let lo = min_healthy(desired, c.minimum_healthy_percent);
                for old_tasks in 0..9 {
                    for old_healthy in 0..=old_tasks {
                        for new_tasks in 0..9 {
                            for new_healthy in 0..=new_tasks {
                                let s = DeploymentState {
                                    desired,
                                    old_tasks,
                                    old_healthy,
                                    new_tasks,
                                    new_healthy,
                                };
                                let st = next_step(s, c);
                                let alive = old_tasks + new_tasks;
                                assert!(alive + st.start_new <= hi.max(alive));
                                assert!(new_tasks + st.start_new <= desired.max(new_tasks));
                                let healthy = old_healthy + new_healthy;
                                let lost = st.stop_old.saturating_sub(old_tasks - old_healthy);
                                assert!(healthy - lost >= lo.min(healthy), "{s:?} {st:?}");
                            }
                        }
                    }
                }
            }
        }
    }
}
