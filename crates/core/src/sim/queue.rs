//! The world's event queue: every scheduled event, taken in the order the simulation's
//! determinism rests on — by time; at equal times commands first (in the order they were
//! given), then everything else in the order it was scheduled. So a run replayed from its
//! command log meets each command exactly where the live run did.
//!
//! The heap orders small keys only; the events themselves stay where they were put, in a slab
//! whose slots are reused. (A heap of whole events moved a two-hundred-byte event at every
//! level of every push and pop: a fifth of the simulator's time at a thousand processes.)
//!
//! Imports [`crate::ids`].

use crate::ids::SimTime;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Whether an event is a user's command (which goes first at its time) or anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// A command.
    Command,
    /// A delivery, a timer, a resumption.
    Other,
}

/// Where an event sits in the order, packed into one number the heap compares in two
/// instructions: the time, then the class, then `seq` (unique, below 2⁶³). `slot` is where the
/// event waits; it never decides the order.
#[derive(Debug, Clone, Copy)]
struct Key {
    order: u128,
    slot: u32,
}

impl Key {
    fn new(at: SimTime, class: Class, seq: u64, slot: u32) -> Key {
        let class = match class {
            Class::Command => 0,
            Class::Other => 1u128 << 63,
        };
        let seq = u128::from(seq) & ((1u128 << 63) - 1);
        Key {
            order: (u128::from(at.0) << 64) | class | seq,
            slot,
        }
    }

    fn at(self) -> SimTime {
        // The top half is the time, so it fits.
        SimTime(u64::try_from(self.order >> 64).unwrap_or(u64::MAX))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.order == other.order
    }
}

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.order.cmp(&other.order)
    }
}

/// Events of type `E`, in the world's order.
#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Key>>,
    slots: Vec<Option<E>>,
    free: Vec<u32>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<E> EventQueue<E> {
    /// Schedules `event` at `at`, as the `seq`-th thing scheduled.
    pub fn push(&mut self, at: SimTime, class: Class, seq: u64, event: E) {
        let slot = match self.free.pop() {
            Some(slot) => {
                if let Some(s) = self.slots.get_mut(slot as usize) {
                    *s = Some(event);
                }
                slot
            }
            None => {
                self.slots.push(Some(event));
                u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
            }
        };
        self.heap.push(Reverse(Key::new(at, class, seq, slot)));
    }

    /// When the next event happens, if any.
    pub fn next_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(k)| k.at())
    }

    /// Takes the next event, with its time.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let Reverse(key) = self.heap.pop()?;
        let event = self.slots.get_mut(key.slot as usize)?.take()?;
        self.free.push(key.slot);
        Some((key.at(), event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_then_commands_then_scheduling_order() {
        let mut q = EventQueue::default();
        q.push(SimTime(5), Class::Other, 1, "late");
        q.push(SimTime(2), Class::Other, 2, "timer");
        q.push(SimTime(2), Class::Command, 3, "command");
        q.push(SimTime(2), Class::Other, 4, "delivery");
        assert_eq!(q.heap.len(), 4);
        assert_eq!(q.next_time(), Some(SimTime(2)));
        let order: Vec<&str> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["command", "timer", "delivery", "late"]);
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn slots_are_reused() {
        let mut q = EventQueue::default();
        for round in 0..100u64 {
            q.push(SimTime(round), Class::Other, 2 * round, round);
            q.push(SimTime(round), Class::Other, 2 * round + 1, round);
            assert_eq!(q.pop(), Some((SimTime(round), round)));
            assert_eq!(q.pop(), Some((SimTime(round), round)));
        }
        assert!(q.slots.len() <= 2);
    }
}
