//! The pending queue (PROVISIONING tasks) of an EC2 arm, in arrival order, indexed so that the
//! walk after a release finds the tasks that might now fit without visiting the others.
//!
//! Why that is exact: a task waits only if no instance could take it. Until the next release,
//! placements only take capacity away, so a waiting task stays unplaceable everywhere. A release
//! on instance `i` changes `i` alone; the walk that follows can therefore place a waiting task
//! only on `i`, and only if its CPU and memory fit what `i` has free — which the index finds in
//! arrival order. The exception is a task whose `memberOf` expression reads the tasks on an
//! instance (`task:group`, `runningTasksCount`): a placement can make such an expression true,
//! so those "dynamic" tasks are tried in full on every walk, in their place in the order.

use std::collections::BTreeSet;

use crate::sim::task_table::TaskSlot;

/// A leaf that holds no candidate.
const NONE: [u32; 2] = [u32::MAX, u32::MAX];

/// Waiting tasks in arrival order, with a segment tree of their CPU and memory requests.
#[derive(Debug, Default)]
pub struct PendingQueue {
    /// Position → task (positions grow with each push; compacted when the space fills).
    slots: Vec<Option<TaskSlot>>,
    /// Segment tree over positions: per node, the least CPU and least memory requested by the
    /// non-dynamic tasks below.
    min: Vec<[u32; 2]>,
    size: usize,
    next: usize,
    dynamic: BTreeSet<usize>,
    len: usize,
}

impl PendingQueue {
    /// Number of waiting tasks.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no task waits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Append a task requesting `cpu` and `mem`; `dynamic` tasks are tried on every walk.
    /// Returns its position (positions change when the queue compacts; use them only until the
    /// next push).
    pub fn push(&mut self, slot: TaskSlot, cpu: u32, mem: u32, dynamic: bool) -> usize {
        if self.next == self.size {
            self.make_room();
        }
        let pos = self.append(slot, dynamic, [cpu, mem]);
        if !dynamic {
            self.set(pos, [cpu, mem]);
        }
        self.len += 1;
        pos
    }

    /// Take the task at `pos` out of the queue.
    pub fn remove(&mut self, pos: usize) -> Option<TaskSlot> {
        let slot = self.slots.get_mut(pos)?.take()?;
        if !self.dynamic.remove(&pos) {
            self.set(pos, NONE);
        }
        self.len -= 1;
        Some(slot)
    }

    /// Take task `slot` out of the queue wherever it is (a linear search: for the rare
    /// withdrawal of a waiting task); false if it is not there.
    pub fn remove_slot(&mut self, slot: TaskSlot) -> bool {
        let found = self.iter().find(|&(_, s)| s == slot).map(|(pos, _)| pos);
        match found {
            Some(pos) => self.remove(pos).is_some(),
            None => false,
        }
    }

    /// The task at `pos`, and whether it is dynamic.
    pub fn at(&self, pos: usize) -> Option<(TaskSlot, bool)> {
        let slot = (*self.slots.get(pos)?)?;
        Some((slot, self.dynamic.contains(&pos)))
    }

    /// The first position at or after `from` holding a dynamic task, or a task whose CPU and
    /// memory requests are at most `cpu` and `mem`.
    pub fn next_candidate(&self, from: usize, cpu: u32, mem: u32) -> Option<usize> {
        let fitting = if self.size == 0 {
            None
        } else {
            self.first_fit(1, 0, self.size, from, cpu, mem)
        };
        let dynamic = self.dynamic.range(from..).next().copied();
        match (fitting, dynamic) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Every waiting task in arrival order, with its position.
    pub fn iter(&self) -> impl Iterator<Item = (usize, TaskSlot)> + '_ {
        self.slots[..self.next]
            .iter()
            .enumerate()
            .filter_map(|(p, s)| s.map(|s| (p, s)))
    }

    fn first_fit(
        &self,
        k: usize,
        lo: usize,
        width: usize,
        from: usize,
        cpu: u32,
        mem: u32,
    ) -> Option<usize> {
        if lo + width <= from || self.min[k][0] > cpu || self.min[k][1] > mem {
            return None;
        }
        if width == 1 {
            return Some(lo);
        }
        let half = width / 2;
        self.first_fit(2 * k, lo, half, from, cpu, mem)
            .or_else(|| self.first_fit(2 * k + 1, lo + half, half, from, cpu, mem))
    }

    /// Put a task at the next position; the leaf is written, the nodes above are not.
    fn append(&mut self, slot: TaskSlot, dynamic: bool, req: [u32; 2]) -> usize {
        let pos = self.next;
        self.next += 1;
        self.slots[pos] = Some(slot);
        if dynamic {
            self.dynamic.insert(pos);
        } else {
            self.min[self.size + pos] = req;
        }
        pos
    }

    fn set(&mut self, pos: usize, v: [u32; 2]) {
        let mut k = self.size + pos;
        self.min[k] = v;
        while k > 1 {
            k /= 2;
            let (a, b) = (self.min[2 * k], self.min[2 * k + 1]);
            self.min[k] = [a[0].min(b[0]), a[1].min(b[1])];
        }
    }

    /// Compact the positions in use (keeping the order) and grow if more than half is live.
    fn make_room(&mut self) {
        let live: Vec<(TaskSlot, bool, [u32; 2])> = (0..self.next)
            .filter_map(|p| {
                let s = self.slots[p]?;
                Some((s, self.dynamic.contains(&p), self.min[self.size + p]))
            })
            .collect();
        let size = (2 * live.len()).max(self.size).max(64).next_power_of_two();
        let size = if live.len() * 2 > self.size {
            (2 * self.size).max(size)
        } else {
            size
        };
        self.size = size;
        self.slots = vec![None; size];
        self.min = vec![NONE; 2 * size];
        self.dynamic.clear();
        self.next = 0;
        for (slot, dynamic, req) in live {
            self.append(slot, dynamic, req);
        }
        for k in (1..size).rev() {
            let (a, b) = (self.min[2 * k], self.min[2 * k + 1]);
            self.min[k] = [a[0].min(b[0]), a[1].min(b[1])];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fitting_tasks_in_arrival_order_across_compactions() {
        let mut q = PendingQueue::default();
        for i in 0..300u32 {
            q.push(
                TaskSlot(i),
                100 + (i % 7) * 100,
                1000 + (i % 5) * 500,
                i % 50 == 49,
            );
            if i % 3 == 0 {
                // Remove the task pushed as number i / 2, wherever compaction has moved it.
                let victim = q.iter().find(|(_, s)| s.0 == i / 2).map(|(p, _)| p);
                if let Some(p) = victim {
                    q.remove(p);
                }
            }
        }
        // Scan: tasks in order whose request fits (300 CPU, 2000 MiB), or dynamic ones.
        let expected: Vec<u32> = q
            .iter()
            .filter(|&(p, s)| {
                let (_, dynamic) = q.at(p).unwrap();
                dynamic || (100 + (s.0 % 7) * 100 <= 300 && 1000 + (s.0 % 5) * 500 <= 2000)
            })
            .map(|(_, s)| s.0)
            .collect();
        let mut got = Vec::new();
        let mut from = 0;
        while let Some(p) = q.next_candidate(from, 300, 2000) {
            got.push(q.at(p).unwrap().0.0);
            from = p + 1;
        }
        assert_eq!(got, expected);
        assert_eq!(q.len(), q.iter().count());
    }
}
