//! Maps keyed by ids the simulation hands out densely from 1 — processes and servers.
//!
//! Every simulated event looks up the actor it concerns, and a thousand processes make an
//! ordered tree of them deep; a vector indexed by the id answers in one step. It iterates in
//! ascending id order, like the `BTreeMap` it replaces, so traces do not change.

use super::{ProcessId, ServerId};
use std::marker::PhantomData;

/// An id that indexes a vector: small, handed out from 1 upwards.
pub trait DenseId: Copy {
    /// The vector slot of this id.
    fn slot(self) -> usize;
    /// The id in vector slot `slot`.
    fn from_slot(slot: usize) -> Self;
}

impl DenseId for ProcessId {
    fn slot(self) -> usize {
        self.0 as usize
    }
    fn from_slot(slot: usize) -> Self {
        // Slots only come from ids that were inserted, so they fit.
        ProcessId(u32::try_from(slot).unwrap_or(u32::MAX))
    }
}

impl DenseId for ServerId {
    fn slot(self) -> usize {
        usize::from(self.0)
    }
    fn from_slot(slot: usize) -> Self {
        ServerId(u8::try_from(slot).unwrap_or(u8::MAX))
    }
}

/// A map from dense ids to values, iterated in ascending id order.
#[derive(Clone, PartialEq, Eq)]
pub struct DenseMap<K, V> {
    slots: Vec<Option<V>>,
    len: usize,
    key: PhantomData<K>,
}

impl<K, V> Default for DenseMap<K, V> {
    fn default() -> Self {
        DenseMap {
            slots: Vec::new(),
            len: 0,
            key: PhantomData,
        }
    }
}

impl<K: DenseId + std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for DenseMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: DenseId, V> DenseMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many ids have a value.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no id has a value.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value of `id`.
    pub fn get(&self, id: &K) -> Option<&V> {
        self.slots.get(id.slot())?.as_ref()
    }

    /// The value of `id`, to change.
    pub fn get_mut(&mut self, id: &K) -> Option<&mut V> {
        self.slots.get_mut(id.slot())?.as_mut()
    }

    /// Sets the value of `id`, returning the one it replaces.
    pub fn insert(&mut self, id: K, value: V) -> Option<V> {
        let old = grown(&mut self.slots, id.slot()).replace(value);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    /// Takes the value of `id` out.
    pub fn remove(&mut self, id: &K) -> Option<V> {
        let old = self.slots.get_mut(id.slot())?.take();
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    /// The value of `id`, set to `make()` first if it has none.
    pub fn get_or_insert_with(&mut self, id: K, make: impl FnOnce() -> V) -> &mut V {
        let value = grown(&mut self.slots, id.slot());
        if value.is_none() {
            self.len += 1;
        }
        value.get_or_insert_with(make)
    }

    /// Forgets every value.
    pub fn clear(&mut self) {
        self.slots.clear();
        self.len = 0;
    }

    /// The ids and their values, by ascending id.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (K, &V)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(slot, v)| Some((K::from_slot(slot), v.as_ref()?)))
    }

    /// The ids, ascending.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = K> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// The values, by ascending id.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + '_ {
        self.slots.iter().filter_map(Option::as_ref)
    }

    /// Takes every value out, by ascending id.
    pub fn drain(&mut self) -> impl Iterator<Item = (K, V)> {
        self.len = 0;
        std::mem::take(&mut self.slots)
            .into_iter()
            .enumerate()
            .filter_map(|(slot, v)| Some((K::from_slot(slot), v?)))
    }
}

/// Slot `slot` of `slots`, which are made to reach it first.
fn grown<V>(slots: &mut Vec<Option<V>>, slot: usize) -> &mut Option<V> {
    if slot >= slots.len() {
        slots.resize_with(slot + 1, || None);
    }
    &mut slots[slot]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        /// Any sequence of inserts and removes leaves it equal to a `BTreeMap`, in order.
        #[test]
        fn behaves_like_an_ordered_map(ops in prop::collection::vec((any::<bool>(), 0u32..64, any::<u16>()), 0..200)) {
            let mut dense = DenseMap::new();
            let mut tree = BTreeMap::new();
            for (insert, id, value) in ops {
                let id = ProcessId(id);
                if insert {
                    prop_assert_eq!(dense.insert(id, value), tree.insert(id, value));
                } else {
                    prop_assert_eq!(dense.remove(&id), tree.remove(&id));
                }
                prop_assert_eq!(dense.len(), tree.len());
                prop_assert_eq!(dense.get(&id), tree.get(&id));
            }
            let listed: Vec<_> = dense.iter().map(|(k, v)| (k, *v)).collect();
            let expected: Vec<_> = tree.iter().map(|(k, v)| (*k, *v)).collect();
            prop_assert_eq!(&listed, &expected);
            let drained: Vec<_> = dense.drain().collect();
            prop_assert_eq!(drained, tree.into_iter().collect::<Vec<_>>());
            prop_assert!(dense.is_empty());
        }
    }
}
