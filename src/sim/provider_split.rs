//! The capacity-provider strategy: which provider runs the next task of a group, by base and weight (docs/reference/ecs-facts.md §5.1).
//!
//! The documented rule is the split (base first, then the weights), not the interleaving, which
//! is unconfirmed (§5.1). Our choice: each task goes to the entry that is furthest behind its
//! weighted share, counting the group's *live* tasks, so a provider that lost tasks is refilled
//! first.

use crate::scenario::capacity::ProviderShare;

/// Which entry of `strategy` runs the next task of a group whose live tasks per entry are `live`
/// (same length; extra entries of the longer slice are ignored).
///
/// Rules (docs/reference/ecs-facts.md §5.1; the interleaving is our choice):
/// - Base first: the first entry with `base > live` gets it.
/// - Then the entry with `weight > 0` that minimises `(extra_i + 1) / weight_i`, where
///   `extra_i = live_i − base_i` (saturating): the entry whose share after one more task would be
///   smallest. Ties go to the earlier entry. Compared by cross-multiplication in integers.
/// - Weight-0 entries only ever take their base. `None` when no entry has weight > 0 and every
///   base is met (ECS rejects an all-zero strategy, §5.1).
pub fn choose_provider(strategy: &[ProviderShare], live: &[u32]) -> Option<usize> {
    debug_assert_eq!(strategy.len(), live.len());
    let entries = strategy.iter().zip(live).enumerate();
    if let Some((i, _)) = entries.clone().find(|(_, (s, l))| s.base > **l) {
        return Some(i);
    }
    let mut best: Option<(usize, u64, u64)> = None; // (index, extra + 1, weight)
    for (i, (s, &l)) in entries {
        if s.weight == 0 {
            continue;
        }
        let num = u64::from(l.saturating_sub(s.base)) + 1;
        let w = u64::from(s.weight);
        // num / w < best_num / best_w  ⇔  num × best_w < best_num × w.
        if best.is_none_or(|(_, bn, bw)| num * bw < bn * w) {
            best = Some((i, num, w));
        }
    }
    best.map(|(i, _, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::capacity::{FARGATE, FARGATE_SPOT};

    fn share(provider: usize, base: u32, weight: u32) -> ProviderShare {
        ProviderShare {
            provider,
            base,
            weight,
        }
    }

    /// Places `n` tasks in a row, updating the live counts; returns the order of choices.
    fn run(strategy: &[ProviderShare], live: &mut [u32], n: usize) -> Vec<usize> {
        (0..n)
            .map(|_| {
                let i = choose_provider(strategy, live).unwrap();
                live[i] += 1;
                i
            })
            .collect()
    }

    #[test]
    fn documented_base_and_weight_case() {
        let s = [share(FARGATE, 2, 1), share(FARGATE_SPOT, 0, 3)];
        let mut live = [0, 0];
        let order = run(&s, &mut live, 10);
        assert_eq!(&order[..2], &[0, 0]);
        assert_eq!(live, [4, 6]);
    }

    #[test]
    fn weights_one_to_four() {
        let s = [share(0, 0, 1), share(1, 0, 4)];
        let mut live = [0, 0];
        for k in 1..=20 {
            run(&s, &mut live, 5);
            assert_eq!(live, [k, 4 * k]);
        }
    }

    #[test]
    fn weight_zero_is_never_chosen() {
        let s = [share(0, 0, 0), share(1, 0, 2), share(2, 0, 0)];
        let mut live = [0, 0, 0];
        run(&s, &mut live, 50);
        assert_eq!(live, [0, 50, 0]);
        // A weight-0 entry still takes its base.
        let s = [share(0, 0, 1), share(1, 3, 0)];
        let mut live = [0, 0];
        let order = run(&s, &mut live, 6);
        assert_eq!(order, [1, 1, 1, 0, 0, 0]);
    }

    #[test]
    fn no_weight_and_base_met_is_none() {
        let s = [share(0, 2, 0)];
        assert_eq!(choose_provider(&s, &[1]), Some(0));
        assert_eq!(choose_provider(&s, &[2]), None);
        assert_eq!(choose_provider(&[], &[]), None);
    }

    #[test]
    fn stopped_tasks_are_refilled_on_the_under_represented_provider() {
        let s = [share(0, 0, 1), share(1, 0, 1)];
        let mut live = [0, 0];
        run(&s, &mut live, 10);
        assert_eq!(live, [5, 5]);
        live[1] -= 3; // three tasks of provider 1 stop
        let order = run(&s, &mut live, 3);
        assert_eq!(order, [1, 1, 1]);
        assert_eq!(live, [5, 5]);
        // With a base: the base is refilled first.
        let s = [share(0, 2, 1), share(1, 0, 3)];
        let mut live = [0, 0];
        run(&s, &mut live, 10);
        live[0] -= 3; // 4 → 1, below the base
        let order = run(&s, &mut live, 3);
        assert_eq!(order, [0, 0, 0]);
        assert_eq!(live, [4, 6]);
    }
}
