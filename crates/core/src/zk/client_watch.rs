//! The client's own record of its watches: ZooKeeper's `ZKWatchManager`.
//!
//! Watches live twice: on the server, which decides when an event is *sent*, and in the client
//! library, which decides which watcher an arriving event *wakes*. The two can disagree —
//! `removewatches -c` on a persistent watch removes it from the server's child table while
//! the client keeps it and answers "No such watcher" — and an event no local watcher claims
//! is dropped silently. Recorded in `tests/conformance/scripts/54-removewatches-kinds.zkcli`.
//!
//! Source of truth: ZooKeeper 3.8 `ZKWatchManager` (materialize, removeWatcher,
//! containsWatcher) and the `WatchRegistration` classes of `ZooKeeper`.
//!
//! Imports its siblings in [`crate::zk`]; outside the crate, `serde`.

use crate::zk::path;
use crate::zk::watch::EventType;
use crate::zk::watch::WatcherType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Which request left a watch, and whether it succeeded: that decides where the client files
/// it (`WatchRegistration.getWatches`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Registration {
    /// `getData` with a watch; filed only if the znode existed.
    GetData,
    /// `exists` with a watch: a data watch if the znode existed, an exist watch if not.
    Exists {
        /// Whether the znode existed.
        found: bool,
    },
    /// `getChildren` with a watch; filed only if the znode existed.
    GetChildren,
    /// `addWatch -m PERSISTENT`.
    Persistent,
    /// `addWatch` (`-m PERSISTENT_RECURSIVE`).
    PersistentRecursive,
}

/// The watches a reconnecting client hands its new server (`SetWatches`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetWatches {
    /// Data watches (`getData`, `exists` on an existing znode).
    pub data: Vec<String>,
    /// Exist watches (`exists` on a missing znode).
    pub exist: Vec<String>,
    /// Child watches.
    pub child: Vec<String>,
    /// Persistent watches.
    pub persistent: Vec<String>,
    /// Persistent-recursive watches.
    pub recursive: Vec<String>,
}

impl SetWatches {
    /// Whether there is nothing to re-register.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
            && self.exist.is_empty()
            && self.child.is_empty()
            && self.persistent.is_empty()
            && self.recursive.is_empty()
    }
}

/// The watches one client holds, by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientWatches {
    data: BTreeSet<String>,
    exist: BTreeSet<String>,
    child: BTreeSet<String>,
    persistent: BTreeSet<String>,
    recursive: BTreeSet<String>,
}

impl ClientWatches {
    /// Files the watch a successful request left on `path`.
    pub fn register(&mut self, registration: Registration, path: &str) {
        let set = match registration {
            Registration::GetData | Registration::Exists { found: true } => &mut self.data,
            Registration::Exists { found: false } => &mut self.exist,
            Registration::GetChildren => &mut self.child,
            Registration::Persistent => &mut self.persistent,
            Registration::PersistentRecursive => &mut self.recursive,
        };
        set.insert(path.to_owned());
    }

    /// Whether an event from the server wakes a watcher here (`materialize`); one-shot
    /// watches it wakes are used up.
    pub fn materialize(&mut self, kind: EventType, event_path: &str) -> bool {
        let mut woken = false;
        let mut take = |set: &mut BTreeSet<String>| woken |= set.remove(event_path);
        match kind {
            EventType::NodeCreated | EventType::NodeDataChanged => {
                take(&mut self.data);
                take(&mut self.exist);
            }
            EventType::NodeChildrenChanged => take(&mut self.child),
            EventType::NodeDeleted => {
                take(&mut self.data);
                take(&mut self.exist);
                take(&mut self.child);
            }
            EventType::DataWatchRemoved
            | EventType::ChildWatchRemoved
            | EventType::PersistentWatchRemoved => {}
        }
        woken |= self.persistent.contains(event_path);
        if kind != EventType::NodeChildrenChanged {
            woken |= self.recursive_covers(event_path);
        }
        woken
    }

    fn recursive_covers(&self, event_path: &str) -> bool {
        let mut at = event_path;
        loop {
            if self.recursive.contains(at) {
                return true;
            }
            if at == "/" {
                return false;
            }
            at = path::parent(at);
        }
    }

    /// Whether a watch of this type is held on `path` (`containsWatcher`): persistent
    /// watches count only for [`WatcherType::Any`].
    pub fn contains(&self, path: &str, which: WatcherType) -> bool {
        let child = self.child.contains(path);
        let data = self.data.contains(path) || self.exist.contains(path);
        match which {
            WatcherType::Children => child,
            WatcherType::Data => data,
            WatcherType::Any => {
                child || data || self.persistent.contains(path) || self.recursive.contains(path)
            }
        }
    }

    /// Removes the watches of this type on `path` and returns the removal events the client
    /// delivers, one per kind removed (the default watcher is one watcher). `None` if there
    /// was no such watch.
    pub fn remove(&mut self, path: &str, which: WatcherType) -> Option<Vec<EventType>> {
        if !self.contains(path, which) {
            return None;
        }
        let mut events = Vec::new();
        if matches!(which, WatcherType::Children | WatcherType::Any) && self.child.remove(path) {
            events.push(EventType::ChildWatchRemoved);
        }
        if matches!(which, WatcherType::Data | WatcherType::Any) {
            let data = self.data.remove(path);
            let exist = self.exist.remove(path);
            if data || exist {
                events.push(EventType::DataWatchRemoved);
            }
        }
        if which == WatcherType::Any {
            let persistent = self.persistent.remove(path);
            let recursive = self.recursive.remove(path);
            if persistent || recursive {
                events.push(EventType::PersistentWatchRemoved);
            }
        }
        Some(events)
    }

    /// Everything to re-register after reconnecting.
    pub fn to_set_watches(&self) -> SetWatches {
        let list = |set: &BTreeSet<String>| set.iter().cloned().collect();
        SetWatches {
            data: list(&self.data),
            exist: list(&self.exist),
            child: list(&self.child),
            persistent: list(&self.persistent),
            recursive: list(&self.recursive),
        }
    }

    /// Whether the client holds any watch at all.
    pub fn is_empty(&self) -> bool {
        self.to_set_watches().is_empty()
    }

    /// Forgets every watch (the client closed).
    pub fn clear(&mut self) {
        *self = ClientWatches::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shot_watches_wake_once() {
        let mut w = ClientWatches::default();
        w.register(Registration::GetData, "/a");
        assert!(w.materialize(EventType::NodeDataChanged, "/a"));
        assert!(!w.materialize(EventType::NodeDataChanged, "/a"));
    }

    #[test]
    fn exist_watches_wake_on_creation_and_child_watches_on_deletion() {
        let mut w = ClientWatches::default();
        w.register(Registration::Exists { found: false }, "/later");
        w.register(Registration::GetChildren, "/p");
        assert!(!w.materialize(EventType::NodeCreated, "/p"));
        assert!(w.materialize(EventType::NodeCreated, "/later"));
        assert!(w.materialize(EventType::NodeDeleted, "/p"));
    }

    #[test]
    fn recursive_watches_cover_descendants_but_not_child_lists() {
        let mut w = ClientWatches::default();
        w.register(Registration::PersistentRecursive, "/tree");
        assert!(w.materialize(EventType::NodeCreated, "/tree/a/b"));
        assert!(w.materialize(EventType::NodeDataChanged, "/tree"));
        assert!(!w.materialize(EventType::NodeChildrenChanged, "/tree"));
        assert!(!w.materialize(EventType::NodeCreated, "/treehouse"));
    }

    #[test]
    fn persistent_watches_are_only_removed_as_any() {
        let mut w = ClientWatches::default();
        w.register(Registration::Persistent, "/k");
        assert_eq!(w.remove("/k", WatcherType::Children), None);
        assert_eq!(w.remove("/k", WatcherType::Data), None);
        assert_eq!(
            w.remove("/k", WatcherType::Any),
            Some(vec![EventType::PersistentWatchRemoved])
        );
        assert!(!w.materialize(EventType::NodeDataChanged, "/k"));
    }
}
