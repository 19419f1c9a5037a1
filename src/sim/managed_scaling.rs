//! ECS managed scaling of an Auto Scaling group capacity provider: the CapacityProviderReservation metric, the instances-needed estimate and the target-tracking decision (docs/reference/ecs-facts.md §5.2–§5.3).
//!
//! Everything here is pure integer arithmetic: CPR is handled as the rational `M × 100 / N`,
//! so comparisons with the target and the ceilings of the scaling formulas are exact.

use crate::scenario::capacity::ManagedScaling;

/// Consecutive one-minute datapoints below the target that the scale-in alarm needs
/// (AlarmLow: 15 datapoints within 15 minutes, docs/reference/ecs-facts.md §5.2, §7.1).
pub const SCALE_IN_DATAPOINTS: u32 = 15;

/// Instances of the first scale-out from an empty group, whatever the target
/// (docs/reference/ecs-facts.md §5.2, line 179: "always scales-out to 200% (two instances)").
pub const FROM_ZERO_INSTANCES: u64 = 2;

/// CapacityProviderReservation, percent: 100 when M = N = 0, 200 when M > 0 and N = 0, else
/// M / N × 100 (docs/reference/ecs-facts.md §5.2). For reports; decisions use the exact rational.
pub fn capacity_provider_reservation(needed: u32, instances: u32) -> f64 {
    let (num, den) = cpr_rational(needed, instances);
    num as f64 / den as f64
}

/// CPR as `num / den` percent, exact (docs/reference/ecs-facts.md §5.2, special cases included).
fn cpr_rational(needed: u32, instances: u32) -> (u64, u64) {
    match (needed, instances) {
        (0, 0) => (100, 1),
        (_, 0) => (200, 1),
        (m, n) => (u64::from(m) * 100, u64::from(n)),
    }
}

/// What the provisioning tasks ask of managed scaling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvisioningEstimate {
    /// No task is provisioning.
    Nothing,
    /// Tasks are provisioning, and every one is left out of the estimate: no instance the group
    /// can launch could take any of them, so CPR stays at the target (docs/reference/ecs-facts.md
    /// §5.3, line 184: "if none fit, CPR stays at 100").
    AllExcluded,
    /// The instances the counted provisioning tasks need (≥ 0).
    Instances(u32),
}

/// Per-instance capacity of the type the estimate uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceShape {
    /// CPU units one instance offers.
    pub cpu_units: u32,
    /// Memory one instance offers, MiB.
    pub memory_mib: u32,
    /// Tasks one instance can hold (ENI slots under awsvpc); `u32::MAX` when ENIs don't limit.
    pub task_slots: u32,
}

/// Instances needed for the provisioning tasks on fresh instances of `shape`: ECS's binpack
/// estimate, taken as a lower bound over CPU, memory and task slots:
/// `max(ceil(Σcpu / cpu), ceil(Σmem / mem), ceil(count / slots))` (docs/reference/ecs-facts.md §5.2).
///
/// Input: totals, not a list. Tasks that exceed `shape` on some resource must be left out of the
/// totals by the caller: they are excluded from the estimate (docs/reference/ecs-facts.md §5.3).
/// No tasks → 0. A zero field of `shape` is treated as 1 (no division by zero); the result
/// saturates at `u32::MAX`.
pub fn instances_for(total_cpu: u64, total_mem: u64, tasks: u64, shape: InstanceShape) -> u32 {
    if tasks == 0 {
        return 0;
    }
    let by_cpu = total_cpu.div_ceil(u64::from(shape.cpu_units.max(1)));
    let by_mem = total_mem.div_ceil(u64::from(shape.memory_mib.max(1)));
    let by_slots = tasks.div_ceil(u64::from(shape.task_slots.max(1)));
    let n = by_cpu.max(by_mem).max(by_slots);
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// M, the instances needed (docs/reference/ecs-facts.md §5.2): with no provisioning tasks
/// (`provisioning_estimate` = `None`), the registered instances running at least one
/// (non-daemon) task; with some, `N + max(1, estimate)` — every current instance counts as
/// needed and the provisioning tasks need at least one more (documented choice: M/N form, not
/// the "100 minus empty instances" wording, §5.2). A caller whose provisioning tasks are all
/// excluded from the estimate (§5.3) passes `None`.
pub fn instances_needed(non_empty: u32, instances: u32, provisioning_estimate: Option<u32>) -> u32 {
    match provisioning_estimate {
        None => non_empty,
        Some(e) => instances.saturating_add(e.max(1)),
    }
}

/// M for one evaluation, or `None` when CPR stays at the target because every provisioning
/// task is left out of the estimate (docs/reference/ecs-facts.md §5.3, line 184; see
/// [`ManagedScaler::hold`]).
pub fn needed_for(non_empty: u32, instances: u32, estimate: ProvisioningEstimate) -> Option<u32> {
    match estimate {
        ProvisioningEstimate::Nothing => Some(instances_needed(non_empty, instances, None)),
        ProvisioningEstimate::Instances(e) => Some(instances_needed(non_empty, instances, Some(e))),
        ProvisioningEstimate::AllExcluded => None,
    }
}

/// What managed scaling asks of the Auto Scaling group after one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalingAction {
    /// Leave the group as it is.
    None,
    /// Set the desired capacity to `to` (> N).
    ScaleOut {
        /// New desired capacity.
        to: u32,
    },
    /// Remove `by` instances (≥ 1).
    ScaleIn {
        /// Instances to remove.
        by: u32,
    },
}

/// The target-tracking policy ECS attaches to the ASG, evaluated once a minute
/// (docs/reference/ecs-facts.md §5.2, §7.1).
#[derive(Debug, Clone)]
pub struct ManagedScaler {
    cfg: ManagedScaling,
    min: u32,
    max: u32,
    /// Consecutive datapoints with CPR below the target, up to now.
    low_streak: u32,
}

impl ManagedScaler {
    /// A scaler for an ASG between `min` and `max` instances. `target_capacity` is clamped to
    /// 1–100 (its documented range, docs/reference/ecs-facts.md §5.2) and `min` to at most `max`.
    pub fn new(cfg: ManagedScaling, min: u32, max: u32) -> ManagedScaler {
        let mut cfg = cfg;
        cfg.target_capacity = cfg.target_capacity.clamp(1, 100);
        ManagedScaler {
            cfg,
            min: min.min(max),
            max,
            low_streak: 0,
        }
    }

    /// One evaluation: `instances` = N (registered + launching), `needed` = M, `in_warmup` = some
    /// instance launched less than `instance_warmup_period` ago. Returns what to do.
    ///
    /// Rules (docs/reference/ecs-facts.md §5.2–§5.3):
    /// - CPR above target (one datapoint, AlarmHigh) and not in warm-up: scale out to
    ///   `desired = ceil(N × CPR / target)` = `ceil(M × 100 / target)`. From N = 0 the first
    ///   scale-out asks for **2** instances whatever the target (docs/reference/ecs-facts.md §5.2,
    ///   line 179 [DG-CAS]: "Amazon ECS always scales-out to 200% (two instances)"). *Our
    ///   choice:* the same section's target-tracking special case ("assumes ... the current
    ///   capacity is one") would give `ceil(200 / target)` (4 at target 50); we follow the ECS
    ///   sentence, which says "always" and names the count, and which is also where a target
    ///   below 100 settles for one task (M = 1 on N = 2 reads 50%), instead of overshooting and
    ///   scaling in 15 minutes later (docs/model.md §6.7).
    ///   The step `desired − N` is raised to `minimum_scaling_step_size`, then cut to
    ///   `maximum_scaling_step_size`; the result is clamped to `max`.
    /// - N < `min`: scale out to (at least) `min`, whatever CPR is and even during warm-up (the
    ///   ASG enforces its MinSize itself; our choice).
    /// - CPR below target for the last 15 datapoints (AlarmLow; a datapoint at or above the
    ///   target resets the streak, the streak is *not* reset by acting, so scale-in repeats each
    ///   minute while it holds): `desired = max(min, ceil(M × 100 / target))`, remove
    ///   `N − desired` but at most `max(1, N / 2)` per evaluation (our reading of "greater than
    ///   one instance and less than 50% each minute"). Step sizes do not apply to scale-in.
    /// - CPR exactly at target: nothing.
    pub fn evaluate(&mut self, needed: u32, instances: u32, in_warmup: bool) -> ScalingAction {
        let target = u64::from(self.cfg.target_capacity);
        let (num, den) = cpr_rational(needed, instances);
        let above = num > target * den;
        let below = num < target * den;
        self.low_streak = if below {
            self.low_streak.saturating_add(1)
        } else {
            0
        };
        let n = instances;

        let mut out_to = n;
        // An empty group with nothing to run reads 100% (M = N = 0), which is above a target
        // below 100; there is nothing to scale out for, so it stays empty (our reading: the
        // special case exists so that an idle group takes no action).
        let idle = n == 0 && needed == 0;
        if above && !in_warmup && !idle {
            // N × CPR / target = num × N / (den × target); with N > 0, den = N.
            let desired = if n == 0 {
                FROM_ZERO_INSTANCES
            } else {
                num.div_ceil(target)
            };
            let step = desired
                .saturating_sub(u64::from(n))
                .max(u64::from(self.cfg.minimum_scaling_step_size))
                .min(u64::from(self.cfg.maximum_scaling_step_size));
            out_to = (u64::from(n) + step).min(u64::from(self.max)) as u32;
        }
        out_to = out_to.max(self.min);
        if out_to > n {
            return ScalingAction::ScaleOut { to: out_to };
        }

        if self.low_streak >= SCALE_IN_DATAPOINTS {
            let desired = (u64::from(needed) * 100).div_ceil(target);
            let desired = desired.max(u64::from(self.min));
            if desired < u64::from(n) {
                let by = (u64::from(n) - desired) as u32;
                return ScalingAction::ScaleIn {
                    by: by.min((n / 2).max(1)),
                };
            }
        }
        ScalingAction::None
    }

    /// One evaluation at which CPR stays at the target: provisioning tasks exist and every one
    /// is left out of the estimate (no instance the group launches could take them,
    /// docs/reference/ecs-facts.md §5.3, line 184: "if none fit, CPR stays at 100"). Neither alarm
    /// fires and a datapoint at the target resets the scale-in streak; only `min` is enforced.
    /// *Our choice* for a target below 100: the metric reads the target (not 100, which would be
    /// above it and scale out for tasks new instances cannot take).
    pub fn hold(&mut self, instances: u32) -> ScalingAction {
        self.low_streak = 0;
        if instances < self.min {
            ScalingAction::ScaleOut { to: self.min }
        } else {
            ScalingAction::None
        }
    }

    /// The target, percent (1–100).
    pub fn target(&self) -> u32 {
        self.cfg.target_capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimDuration;

    fn cfg(target: u32) -> ManagedScaling {
        ManagedScaling {
            target_capacity: target,
            ..ManagedScaling::default()
        }
    }

    #[test]
    fn an_idle_empty_group_stays_empty_below_100_percent_target() {
        let mut s = ManagedScaler::new(cfg(90), 0, 10);
        for _ in 0..30 {
            assert_eq!(s.evaluate(0, 0, false), ScalingAction::None);
        }
        // One waiting task: CPR 200, scale out to two instances (the from-zero rule).
        assert_eq!(s.evaluate(1, 0, false), ScalingAction::ScaleOut { to: 2 });
    }

    #[test]
    fn cpr_special_cases() {
        assert_eq!(capacity_provider_reservation(0, 0), 100.0);
        assert_eq!(capacity_provider_reservation(3, 0), 200.0);
        assert_eq!(capacity_provider_reservation(8, 10), 80.0);
        assert_eq!(capacity_provider_reservation(10, 10), 100.0);
    }

    #[test]
    fn estimate_is_a_lower_bound_over_each_resource() {
        let shape = InstanceShape {
            cpu_units: 2048,
            memory_mib: 4096,
            task_slots: 3,
        };
        assert_eq!(instances_for(0, 0, 0, shape), 0);
        assert_eq!(instances_for(4096, 1024, 2, shape), 2); // CPU
        assert_eq!(instances_for(1024, 8193, 2, shape), 3); // memory
        assert_eq!(instances_for(700, 700, 7, shape), 3); // task slots
        let no_eni = InstanceShape {
            task_slots: u32::MAX,
            ..shape
        };
        assert_eq!(instances_for(1, 1, 1000, no_eni), 1);
    }

    #[test]
    fn instances_needed_rule() {
        assert_eq!(instances_needed(3, 5, None), 3);
        assert_eq!(instances_needed(3, 5, Some(2)), 7);
        assert_eq!(instances_needed(0, 0, Some(0)), 1);
    }

    /// docs/reference/ecs-facts.md §5.2, line 179: from no instance, "Amazon ECS always scales-out to
    /// 200% (two instances)", at target 100 and below it (not ceil(200 / target)), and for any
    /// number of provisioning tasks (the estimate drives the next scale-out, after warm-up).
    #[test]
    fn from_zero_scales_out_to_two_instances_at_any_target() {
        for target in [100, 90, 75, 50, 10, 1] {
            for tasks_estimate in [1, 7] {
                let m = instances_needed(0, 0, Some(tasks_estimate));
                let mut s = ManagedScaler::new(cfg(target), 0, 100);
                assert_eq!(
                    s.evaluate(m, 0, false),
                    ScalingAction::ScaleOut { to: 2 },
                    "target {target}, estimate {tasks_estimate}"
                );
            }
        }
        // Step sizes and max still apply to it.
        let mut s = ManagedScaler::new(cfg(50), 0, 1);
        assert_eq!(s.evaluate(1, 0, false), ScalingAction::ScaleOut { to: 1 });
    }

    /// docs/reference/ecs-facts.md §5.3, line 184: when every provisioning task is left out of the
    /// estimate, CPR stays at the target: no scale-out, no scale-in (the streak resets), only
    /// `min` is kept.
    #[test]
    fn hold_takes_no_action_and_resets_the_scale_in_streak() {
        let mut s = ManagedScaler::new(cfg(100), 0, 100);
        for _ in 0..14 {
            assert_eq!(s.evaluate(0, 4, false), ScalingAction::None);
        }
        assert_eq!(s.hold(4), ScalingAction::None);
        for _ in 0..14 {
            assert_eq!(s.evaluate(0, 4, false), ScalingAction::None);
        }
        assert_eq!(s.evaluate(0, 4, false), ScalingAction::ScaleIn { by: 2 });
        let mut s = ManagedScaler::new(cfg(100), 2, 100);
        assert_eq!(s.hold(0), ScalingAction::ScaleOut { to: 2 });
        assert_eq!(needed_for(1, 3, ProvisioningEstimate::AllExcluded), None);
        assert_eq!(needed_for(1, 3, ProvisioningEstimate::Nothing), Some(1));
        assert_eq!(
            needed_for(1, 3, ProvisioningEstimate::Instances(2)),
            Some(5)
        );
    }

    #[test]
    fn minimum_step_raises_a_small_scale_out() {
        let c = ManagedScaling {
            minimum_scaling_step_size: 5,
            ..cfg(100)
        };
        let mut s = ManagedScaler::new(c, 0, 100);
        // N = 10, estimate 2 → M = 12, desired 12, step 2 raised to 5.
        let m = instances_needed(10, 10, Some(2));
        assert_eq!(s.evaluate(m, 10, false), ScalingAction::ScaleOut { to: 15 });
        // From zero the 200% rule asks for 2, raised to 5.
        let mut s = ManagedScaler::new(c, 0, 100);
        assert_eq!(s.evaluate(2, 0, false), ScalingAction::ScaleOut { to: 5 });
    }

    #[test]
    fn maximum_step_caps_a_large_scale_out() {
        let c = ManagedScaling {
            maximum_scaling_step_size: 3,
            ..cfg(100)
        };
        let mut s = ManagedScaler::new(c, 0, 100);
        assert_eq!(
            s.evaluate(20, 10, false),
            ScalingAction::ScaleOut { to: 13 }
        );
    }

    #[test]
    fn scale_out_clamped_to_max() {
        let mut s = ManagedScaler::new(cfg(100), 0, 12);
        assert_eq!(
            s.evaluate(20, 10, false),
            ScalingAction::ScaleOut { to: 12 }
        );
        assert_eq!(s.evaluate(20, 12, false), ScalingAction::None);
    }

    #[test]
    fn warmup_blocks_scale_out() {
        let mut s = ManagedScaler::new(cfg(100), 0, 100);
        assert_eq!(s.evaluate(12, 10, true), ScalingAction::None);
        assert_eq!(
            s.evaluate(12, 10, false),
            ScalingAction::ScaleOut { to: 12 }
        );
    }

    #[test]
    fn below_min_scales_out_to_min() {
        let mut s = ManagedScaler::new(cfg(100), 3, 10);
        assert_eq!(s.evaluate(0, 0, false), ScalingAction::ScaleOut { to: 3 });
        assert_eq!(s.evaluate(0, 1, true), ScalingAction::ScaleOut { to: 3 });
    }

    #[test]
    fn at_target_does_nothing() {
        let mut s = ManagedScaler::new(cfg(80), 0, 100);
        for _ in 0..30 {
            assert_eq!(s.evaluate(8, 10, false), ScalingAction::None);
        }
    }

    #[test]
    fn scale_in_needs_fifteen_low_datapoints() {
        let mut s = ManagedScaler::new(cfg(100), 0, 100);
        for _ in 0..14 {
            assert_eq!(s.evaluate(8, 10, false), ScalingAction::None);
        }
        assert_eq!(s.evaluate(8, 10, false), ScalingAction::ScaleIn { by: 2 });
        // The alarm still holds next minute: it fires again (here there is nothing left to do).
        assert_eq!(s.evaluate(8, 8, false), ScalingAction::None);
    }

    #[test]
    fn a_high_datapoint_resets_the_scale_in_streak() {
        let mut s = ManagedScaler::new(cfg(100), 0, 100);
        for _ in 0..14 {
            assert_eq!(s.evaluate(8, 10, false), ScalingAction::None);
        }
        // At target resets too.
        assert_eq!(s.evaluate(10, 10, false), ScalingAction::None);
        for _ in 0..14 {
            assert_eq!(s.evaluate(8, 10, false), ScalingAction::None);
        }
        assert_eq!(s.evaluate(11, 10, true), ScalingAction::None); // above, but warm-up
        for _ in 0..14 {
            assert_eq!(s.evaluate(8, 10, false), ScalingAction::None);
        }
        assert_eq!(s.evaluate(8, 10, false), ScalingAction::ScaleIn { by: 2 });
    }

    #[test]
    fn scale_in_never_below_min_and_at_most_half() {
        let mut s = ManagedScaler::new(cfg(100), 4, 100);
        for _ in 0..14 {
            s.evaluate(0, 10, false);
        }
        assert_eq!(s.evaluate(0, 10, false), ScalingAction::ScaleIn { by: 5 });
        assert_eq!(s.evaluate(0, 5, false), ScalingAction::ScaleIn { by: 1 });
        assert_eq!(s.evaluate(0, 4, false), ScalingAction::None);
        // One instance of one: by max(1, 0) = 1.
        let mut s = ManagedScaler::new(cfg(100), 0, 100);
        for _ in 0..14 {
            s.evaluate(0, 1, false);
        }
        assert_eq!(s.evaluate(0, 1, false), ScalingAction::ScaleIn { by: 1 });
    }

    /// M fixed at 10, N driven by the actions (instances warm up for 5 evaluations), from zero
    /// and from above.
    fn converge(target: u32, start: u32) -> u32 {
        let c = ManagedScaling {
            instance_warmup_period: SimDuration::from_secs(300),
            ..cfg(target)
        };
        let mut s = ManagedScaler::new(c, 0, 100);
        let mut n = start;
        let mut warm_until = 0;
        for minute in 0..200 {
            let m = if n == 0 { 1 } else { 10 };
            match s.evaluate(m, n, minute < warm_until) {
                ScalingAction::ScaleOut { to } => {
                    assert!(to > n && to <= 100);
                    n = to;
                    warm_until = minute + 5;
                }
                ScalingAction::ScaleIn { by } => {
                    assert!(by >= 1 && by <= n);
                    n -= by;
                }
                ScalingAction::None => {}
            }
        }
        n
    }

    #[test]
    fn converges_to_the_target() {
        assert_eq!(converge(100, 0), 10);
        assert_eq!(converge(80, 0), 13);
        assert_eq!(converge(100, 40), 10);
        assert_eq!(converge(80, 40), 13);
    }
}
