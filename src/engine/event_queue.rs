//! A priority queue of events keyed by (time, kind, sequence).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// An entry: the event with its ordering key.
#[derive(Debug)]
struct Entry<E> {
    time: SimTime,
    kind: u8,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}
impl<E> Entry<E> {
    fn key(&self) -> (SimTime, u8, u64) {
        (self.time, self.kind, self.seq)
    }
}

/// Future events, popped earliest first; at equal times, lower `kind` first; within a kind, in
/// the order they were scheduled (the sequence number makes every key unique, so the order never
/// depends on the heap's internals).
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Entry<E>>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_seq: 0,
        }
    }

    /// Schedule `event` at `time` with ordering class `kind`.
    pub fn schedule(&mut self, time: SimTime, kind: u8, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Entry {
            time,
            kind,
            seq,
            event,
        }));
    }

    /// The (time, kind) of the next event, if any.
    pub fn peek_key(&self) -> Option<(SimTime, u8)> {
        self.heap.peek().map(|Reverse(e)| (e.time, e.kind))
    }

    /// Remove and return the next event with its time.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.heap.pop().map(|Reverse(e)| (e.time, e.event))
    }

    /// Number of events waiting.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is waiting.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_kind_then_insertion() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(10), 2, "t10-k2-a");
        q.schedule(SimTime(10), 0, "t10-k0-a");
        q.schedule(SimTime(5), 3, "t5-k3");
        q.schedule(SimTime(10), 2, "t10-k2-b");
        q.schedule(SimTime(10), 0, "t10-k0-b");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(
            order,
            ["t5-k3", "t10-k0-a", "t10-k0-b", "t10-k2-a", "t10-k2-b"]
        );
    }

    #[test]
    fn equal_keys_pop_in_insertion_order_at_scale() {
        let mut q = EventQueue::new();
        for i in 0..10_000u32 {
            q.schedule(SimTime(7), 1, i);
        }
        for i in 0..10_000u32 {
            assert_eq!(q.pop(), Some((SimTime(7), i)));
        }
        assert!(q.is_empty());
    }
}
