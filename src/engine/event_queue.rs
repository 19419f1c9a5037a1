//! A priority queue of events keyed by (time, kind, sequence).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// An entry: the event with its ordering key (time, kind, sequence) packed into one integer
/// whose order is the key's order: time in the high 64 bits, then the kind in 8 bits, then the
/// sequence number in the low 56 bits (one comparison instead of three).
#[derive(Debug)]
struct Entry<E> {
    key: u128,
    event: E,
}

/// Sequence numbers use the low 56 bits of the key.
const SEQ_BITS: u32 = 56;

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
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
        self.key.cmp(&other.key)
    }
}

fn time_of(key: u128) -> SimTime {
    SimTime((key >> 64) as u64)
}

fn kind_of(key: u128) -> u8 {
    (key >> SEQ_BITS) as u8
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
        // 2^56 events would take centuries at a billion a second; stay exact regardless.
        debug_assert!(seq < 1 << SEQ_BITS, "event sequence overflow");
        self.next_seq += 1;
        let key = (u128::from(time.0) << 64)
            | (u128::from(kind) << SEQ_BITS)
            | u128::from(seq & ((1 << SEQ_BITS) - 1));
        self.heap.push(Reverse(Entry { key, event }));
    }

    /// The (time, kind) of the next event, if any.
    pub fn peek_key(&self) -> Option<(SimTime, u8)> {
        self.heap
            .peek()
            .map(|Reverse(e)| (time_of(e.key), kind_of(e.key)))
    }

    /// Remove and return the next event with its time.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.heap.pop().map(|Reverse(e)| (time_of(e.key), e.event))
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
    fn the_packed_key_orders_extreme_times_and_kinds() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(u64::MAX), 0, "max");
        q.schedule(SimTime(1), 255, "t1-k255");
        q.schedule(SimTime(2), 0, "t2-k0");
        q.schedule(SimTime(1), 3, "t1-k3");
        assert_eq!(q.peek_key(), Some((SimTime(1), 3)));
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            [
                (SimTime(1), "t1-k3"),
                (SimTime(1), "t1-k255"),
                (SimTime(2), "t2-k0"),
                (SimTime(u64::MAX), "max")
            ]
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
