//! Server-side watches: ZooKeeper's two `WatchManager`s (data and child) and their trigger rules.
//!
//! Sources of truth: ZooKeeper 3.8 `WatchManager.triggerWatch`, `WatcherMode`, and the
//! `triggerWatch` calls in `DataTree` (createNode, deleteNode, setData). A watcher here is a
//! session: the real server keys watches by connection, and one session has one connection.
//!
//! - `get -w` and `exists -w` (`stat -w`) set a data watch; `exists` sets it even on a missing
//!   znode, which is how the successor recipe's watch and `NodeCreated` work.
//! - `ls -w` sets a child watch.
//! - `addWatch -m PERSISTENT` sets a persistent watch in both managers; `PERSISTENT_RECURSIVE`
//!   only in the data manager, and it fires for every descendant but never with
//!   `NodeChildrenChanged`.
//! - One trigger sends each session at most one event, so a session watching a znode both ways
//!   hears of its deletion once.
//!
//! Imports [`crate::ids`] and its siblings in [`crate::zk`]; outside the crate, `litemap`, `serde`.

use crate::ids::{SessionId, Zxid};
use crate::zk::path;
use crate::zk::txn::Change;
use litemap::LiteMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// `Watcher.WatcherType`: which watches `removeWatches` removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WatcherType {
    /// Child watches (`-c`).
    Children,
    /// Data watches (`-d`).
    Data,
    /// Both (`-a`, the default).
    Any,
}

/// `Watcher.Event.EventType` of a znode event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventType {
    /// The watched znode was created.
    NodeCreated,
    /// The watched znode was deleted.
    NodeDeleted,
    /// The watched znode's data changed.
    NodeDataChanged,
    /// A child of the watched znode was created or deleted.
    NodeChildrenChanged,
    /// A data watch was removed (`removewatches`), seen by the client only.
    DataWatchRemoved,
    /// A child watch was removed (`removewatches`), seen by the client only.
    ChildWatchRemoved,
    /// A persistent or persistent-recursive watch was removed (`removewatches -a`).
    PersistentWatchRemoved,
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// `WatcherMode`: one-shot (`STANDARD`) or persistent, recursive or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum WatchMode {
    /// Fires once, then is removed.
    Standard,
    /// Fires on every change of the znode (and its children list), until removed.
    Persistent,
    /// Fires on every change of the znode and all its descendants, until removed.
    PersistentRecursive,
}

/// Which of the two watch managers a watch lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum WatchKind {
    /// `dataWatches`: set by get, exists and addWatch.
    Data,
    /// `childWatches`: set by getChildren and addWatch -m PERSISTENT.
    Child,
}

/// An event a session is to be sent: `WatcherEvent` with the zxid that caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchEvent {
    /// The session whose watch fired.
    pub session: SessionId,
    /// What happened.
    pub kind: EventType,
    /// The znode it happened to.
    pub path: String,
    /// The transaction that caused it.
    pub zxid: Zxid,
}

type Table = BTreeMap<String, LiteMap<SessionId, WatchMode>>;

/// All watches of one server.
///
/// Recursive watches are kept apart from the others so that a trigger only walks up the
/// ancestors of a path when some recursive watch exists (ZooKeeper's `PathParentIterator`
/// does the same with a count).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchManager {
    data: Table,
    child: Table,
    recursive: BTreeMap<String, BTreeSet<SessionId>>,
}

impl WatchManager {
    /// Registers a watch; a later registration for the same path and session replaces the
    /// mode, as `WatcherModeManager.setWatcherMode` does.
    pub fn add(&mut self, kind: WatchKind, path: &str, session: SessionId, mode: WatchMode) {
        if mode == WatchMode::PersistentRecursive {
            self.recursive
                .entry(path.to_owned())
                .or_default()
                .insert(session);
        } else {
            self.table_mut(kind)
                .entry(path.to_owned())
                .or_default()
                .insert(session, mode);
        }
    }

    /// `DataTree.addWatch`, i.e. `addWatch -m`: a persistent watch goes in both managers, a
    /// persistent-recursive one only in the data manager.
    pub fn add_persistent(&mut self, path: &str, session: SessionId, recursive: bool) {
        if recursive {
            self.add(
                WatchKind::Data,
                path,
                session,
                WatchMode::PersistentRecursive,
            );
        } else {
            self.add(WatchKind::Data, path, session, WatchMode::Persistent);
            self.add(WatchKind::Child, path, session, WatchMode::Persistent);
        }
    }

    /// Whether `session` has a watch of `kind` on `path` (recursive watches are data watches).
    pub fn contains(&self, kind: WatchKind, path: &str, session: SessionId) -> bool {
        let plain = self
            .table(kind)
            .get(path)
            .is_some_and(|w| w.contains_key(&session));
        let recursive = kind == WatchKind::Data
            && self
                .recursive
                .get(path)
                .is_some_and(|w| w.contains(&session));
        plain || recursive
    }

    /// Removes `session`'s watches of `kind` on `path`; returns whether there was one.
    pub fn remove(&mut self, kind: WatchKind, path: &str, session: SessionId) -> bool {
        let mut removed = false;
        let table = self.table_mut(kind);
        if let Some(watchers) = table.get_mut(path) {
            removed |= watchers.remove(&session).is_some();
            if watchers.is_empty() {
                table.remove(path);
            }
        }
        if kind == WatchKind::Data {
            if let Some(watchers) = self.recursive.get_mut(path) {
                removed |= watchers.remove(&session);
                if watchers.is_empty() {
                    self.recursive.remove(path);
                }
            }
        }
        removed
    }

    /// Drops every watch of a session (its connection closed or it expired).
    pub fn remove_session(&mut self, session: SessionId) {
        for table in [&mut self.data, &mut self.child] {
            table.retain(|_, watchers| {
                watchers.remove(&session);
                !watchers.is_empty()
            });
        }
        self.recursive.retain(|_, watchers| {
            watchers.remove(&session);
            !watchers.is_empty()
        });
    }

    /// Every watch, as (kind, path, session, mode), in a stable order.
    pub fn iter(&self) -> impl Iterator<Item = (WatchKind, &str, SessionId, WatchMode)> {
        let recursive = self.recursive.iter().flat_map(|(p, w)| {
            w.iter().map(move |s| {
                (
                    WatchKind::Data,
                    p.as_str(),
                    *s,
                    WatchMode::PersistentRecursive,
                )
            })
        });
        rows(WatchKind::Data, &self.data)
            .chain(recursive)
            .chain(rows(WatchKind::Child, &self.child))
    }

    /// Turns the changes of one applied transaction into the events to send, in the order
    /// `DataTree` triggers them; one-shot watches that fire are removed.
    pub fn trigger(&mut self, changes: &[Change], zxid: Zxid) -> Vec<WatchEvent> {
        let mut events = Vec::new();
        for change in changes {
            match change {
                Change::Created(p) => {
                    self.fire(
                        WatchKind::Data,
                        p,
                        EventType::NodeCreated,
                        zxid,
                        &[],
                        &mut events,
                    );
                }
                Change::DataChanged(p) => {
                    self.fire(
                        WatchKind::Data,
                        p,
                        EventType::NodeDataChanged,
                        zxid,
                        &[],
                        &mut events,
                    );
                }
                Change::Deleted(p) => {
                    let processed = self.fire(
                        WatchKind::Data,
                        p,
                        EventType::NodeDeleted,
                        zxid,
                        &[],
                        &mut events,
                    );
                    self.fire(
                        WatchKind::Child,
                        p,
                        EventType::NodeDeleted,
                        zxid,
                        &processed,
                        &mut events,
                    );
                }
                Change::ChildrenChanged(p) => {
                    let kind = EventType::NodeChildrenChanged;
                    self.fire(WatchKind::Child, p, kind, zxid, &[], &mut events);
                }
            }
        }
        events
    }

    /// `WatchManager.triggerWatch`: the watchers of `path`, and recursive watchers of `path`
    /// and its ancestors; returns the sessions notified (ZooKeeper passes them on to suppress
    /// a second event for the same deletion).
    fn fire(
        &mut self,
        kind: WatchKind,
        path: &str,
        event: EventType,
        zxid: Zxid,
        suppress: &[SessionId],
        out: &mut Vec<WatchEvent>,
    ) -> Vec<SessionId> {
        let mut notified = BTreeSet::new();
        let table = self.table_mut(kind);
        if let Some(watchers) = table.get_mut(path) {
            watchers.retain(|session, mode| {
                notified.insert(*session);
                *mode != WatchMode::Standard
            });
            if watchers.is_empty() {
                table.remove(path);
            }
        }
        if kind == WatchKind::Data && event != EventType::NodeChildrenChanged {
            let mut at = path;
            while !self.recursive.is_empty() {
                if let Some(watchers) = self.recursive.get(at) {
                    notified.extend(watchers.iter().copied());
                }
                if at == "/" {
                    break;
                }
                at = path::parent(at);
            }
        }
        let notified: Vec<SessionId> = notified
            .into_iter()
            .filter(|s| !suppress.contains(s))
            .collect();
        out.extend(notified.iter().map(|&session| WatchEvent {
            session,
            kind: event,
            path: path.to_owned(),
            zxid,
        }));
        notified
    }

    fn table(&self, kind: WatchKind) -> &Table {
        match kind {
            WatchKind::Data => &self.data,
            WatchKind::Child => &self.child,
        }
    }

    fn table_mut(&mut self, kind: WatchKind) -> &mut Table {
        match kind {
            WatchKind::Data => &mut self.data,
            WatchKind::Child => &mut self.child,
        }
    }
}

fn rows(
    kind: WatchKind,
    table: &Table,
) -> impl Iterator<Item = (WatchKind, &str, SessionId, WatchMode)> {
    table
        .iter()
        .flat_map(move |(p, w)| w.iter().map(move |(s, m)| (kind, p.as_str(), *s, *m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: SessionId = SessionId(0xa);
    const B: SessionId = SessionId(0xb);

    fn kinds(events: &[WatchEvent]) -> Vec<(SessionId, EventType, &str)> {
        events
            .iter()
            .map(|e| (e.session, e.kind, e.path.as_str()))
            .collect()
    }

    fn created(p: &str, parent: &str) -> Vec<Change> {
        vec![
            Change::Created(p.into()),
            Change::ChildrenChanged(parent.into()),
        ]
    }

    fn deleted(p: &str, parent: &str) -> Vec<Change> {
        vec![
            Change::Deleted(p.into()),
            Change::ChildrenChanged(parent.into()),
        ]
    }

    #[test]
    fn create_fires_created_on_the_path_and_children_changed_on_the_parent() {
        let mut w = WatchManager::default();
        w.add(WatchKind::Data, "/p/c", A, WatchMode::Standard);
        w.add(WatchKind::Child, "/p", B, WatchMode::Standard);
        w.add(WatchKind::Child, "/p/c", B, WatchMode::Standard);
        let events = w.trigger(&created("/p/c", "/p"), Zxid(7));
        assert_eq!(
            kinds(&events),
            [
                (A, EventType::NodeCreated, "/p/c"),
                (B, EventType::NodeChildrenChanged, "/p")
            ]
        );
        assert!(events.iter().all(|e| e.zxid == Zxid(7)));
        assert!(
            w.contains(WatchKind::Child, "/p/c", B),
            "a child watch on the new node itself is not fired by its creation"
        );
    }

    #[test]
    fn one_shot_watches_fire_once_and_persistent_ones_keep_firing() {
        let mut w = WatchManager::default();
        w.add(WatchKind::Data, "/d", A, WatchMode::Standard);
        w.add_persistent("/d", B, false);
        let change = [Change::DataChanged("/d".into())];
        assert_eq!(w.trigger(&change, Zxid(1)).len(), 2);
        assert_eq!(
            kinds(&w.trigger(&change, Zxid(2))),
            [(B, EventType::NodeDataChanged, "/d")]
        );
    }

    #[test]
    fn a_deletion_notifies_each_watcher_once() {
        let mut w = WatchManager::default();
        w.add(WatchKind::Data, "/x", A, WatchMode::Standard);
        w.add(WatchKind::Child, "/x", A, WatchMode::Standard);
        w.add(WatchKind::Child, "/x", B, WatchMode::Standard);
        let events = w.trigger(&deleted("/x", "/"), Zxid(3));
        assert_eq!(
            kinds(&events),
            [
                (A, EventType::NodeDeleted, "/x"),
                (B, EventType::NodeDeleted, "/x")
            ]
        );
        assert!(!w.contains(WatchKind::Child, "/x", A));
    }

    #[test]
    fn recursive_watches_see_descendants_but_not_child_lists() {
        let mut w = WatchManager::default();
        w.add_persistent("/tree", A, true);
        let mut changes = created("/tree/a/b", "/tree/a");
        changes.push(Change::DataChanged("/tree".into()));
        changes.extend(created("/treehouse", "/"));
        assert_eq!(
            kinds(&w.trigger(&changes, Zxid(4))),
            [
                (A, EventType::NodeCreated, "/tree/a/b"),
                (A, EventType::NodeDataChanged, "/tree")
            ]
        );
    }

    #[test]
    fn removing_a_session_drops_all_its_watches() {
        let mut w = WatchManager::default();
        w.add(WatchKind::Data, "/a", A, WatchMode::Standard);
        w.add_persistent("/b", A, true);
        w.add(WatchKind::Child, "/a", B, WatchMode::Standard);
        w.remove_session(A);
        assert_eq!(w.iter().count(), 1);
        assert!(w.contains(WatchKind::Child, "/a", B));
    }
}
