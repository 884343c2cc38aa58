//! A standalone ZooKeeper server: one `DataTree`, the zxid counter and the session table.
//!
//! This is the request pipeline of a single server with the replication step left out
//! (ZooKeeper's `PrepRequestProcessor` → `FinalRequestProcessor`): prepare a write against the
//! tree, give it the next zxid, apply it. The replicated ensemble builds on the same steps.

use crate::error::KeeperError;
use crate::ids::{Millis, SessionId, Zxid};
use crate::path;
use crate::stat::Stat;
use crate::tree::{Change, CreateMode, DataTree, TreeConfig, Txn};
use crate::watch::{EventType, WatchEvent, WatchKind, WatchManager};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A standalone server's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Server {
    /// This server's id (`myid`); the top byte of the session ids it hands out.
    id: u8,
    tree: DataTree,
    /// Last zxid handed out (`ZooKeeperServer.hzxid`).
    zxid: Zxid,
    /// Live sessions and their negotiated timeouts in ms.
    sessions: BTreeMap<SessionId, i32>,
    /// Counter for the low bits of new session ids (`SessionTrackerImpl.nextSessionId`).
    next_session: i64,
    watches: WatchManager,
    /// Watch events triggered and not yet taken by their session.
    events: Vec<WatchEvent>,
}

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

impl Server {
    /// A fresh server with id `id` whose session ids are seeded from simulated time `now`,
    /// as `SessionTrackerImpl.initializeNextSessionId` seeds them from the wall clock.
    pub fn new(id: u8, config: TreeConfig, now: Millis) -> Server {
        let base = ((now.0 << 24) as u64 >> 8) as i64;
        Server {
            id,
            tree: DataTree::new(config),
            zxid: Zxid::ZERO,
            sessions: BTreeMap::new(),
            next_session: base | (i64::from(id) << 56),
            watches: WatchManager::default(),
            events: Vec::new(),
        }
    }

    /// The server's znode tree.
    pub fn tree(&self) -> &DataTree {
        &self.tree
    }

    /// This server's id.
    pub fn id(&self) -> u8 {
        self.id
    }

    /// Whether `session` is open on this server.
    pub fn has_session(&self, session: SessionId) -> bool {
        self.sessions.contains_key(&session)
    }

    /// The server's watches.
    pub fn watches(&self) -> &WatchManager {
        &self.watches
    }

    /// Commits `txn` at the next zxid, applies it and triggers the watches it fires.
    fn commit(&mut self, txn: &Txn, now: Millis) -> (Zxid, Vec<Change>) {
        self.zxid = self.zxid.next();
        let changes = self.tree.apply(txn, self.zxid, now);
        let fired = self.watches.trigger(&changes, self.zxid);
        self.events.extend(fired);
        (self.zxid, changes)
    }

    /// Takes the watch events pending for `session`, oldest first.
    pub fn take_events(&mut self, session: SessionId) -> Vec<WatchEvent> {
        let (mine, others) = std::mem::take(&mut self.events)
            .into_iter()
            .partition(|e| e.session == session);
        self.events = others;
        mine
    }

    /// Opens a session (a `createSession` transaction).
    pub fn create_session(&mut self, timeout_ms: i32, now: Millis) -> SessionId {
        let session = SessionId(self.next_session);
        self.next_session += 1;
        self.sessions.insert(session, timeout_ms);
        self.commit(
            &Txn::CreateSession {
                session,
                timeout_ms,
            },
            now,
        );
        session
    }

    /// Closes a session: its ephemerals go in the same transaction, its watches with it.
    pub fn close_session(&mut self, session: SessionId, now: Millis) -> Vec<Change> {
        self.sessions.remove(&session);
        self.watches.remove_session(session);
        let changes = self.commit(&Txn::CloseSession { session }, now).1;
        self.events.retain(|e| e.session != session);
        changes
    }

    /// Runs a prepared write through the pipeline; a failed check is an error transaction
    /// that still consumes a zxid, as in ZooKeeper.
    fn write(
        &mut self,
        prepared: Result<Txn, KeeperError>,
        now: Millis,
    ) -> Result<(Txn, Vec<Change>), KeeperError> {
        match prepared {
            Ok(txn) => {
                let (_, changes) = self.commit(&txn, now);
                Ok((txn, changes))
            }
            Err(e) => {
                self.commit(&Txn::Error(e.clone()), now);
                Err(e)
            }
        }
    }

    /// `create`: returns the created path (with its sequence suffix, if any).
    pub fn create(
        &mut self,
        session: SessionId,
        path: &str,
        data: Option<Vec<u8>>,
        mode: CreateMode,
        now: Millis,
    ) -> Result<String, KeeperError> {
        let prepared = self.tree.prepare_create(path, data, mode, session);
        match self.write(prepared, now)? {
            (Txn::Create { path, .. }, _) => Ok(path),
            _ => Ok(path.to_owned()),
        }
    }

    /// `delete` with an expected version (-1: any).
    pub fn delete(&mut self, path: &str, version: i32, now: Millis) -> Result<(), KeeperError> {
        let prepared = self.tree.prepare_delete(path, version);
        self.write(prepared, now).map(|_| ())
    }

    /// `setData` with an expected version (-1: any); returns the new stat.
    pub fn set_data(
        &mut self,
        path: &str,
        data: Option<Vec<u8>>,
        version: i32,
        now: Millis,
    ) -> Result<Stat, KeeperError> {
        let prepared = self.tree.prepare_set_data(path, data, version);
        self.write(prepared, now)?;
        self.stat_of(path)
    }

    fn stat_of(&self, path: &str) -> Result<Stat, KeeperError> {
        self.tree
            .get(path)
            .map(|n| n.stat())
            .ok_or_else(|| KeeperError::NoNode(path.to_owned()))
    }

    /// `getData`, leaving a data watch for `session` if asked and the znode exists.
    pub fn get_data(
        &mut self,
        session: SessionId,
        path: &str,
        watch: bool,
    ) -> Result<(Option<Vec<u8>>, Stat), KeeperError> {
        let node = self
            .tree
            .get(path)
            .ok_or_else(|| KeeperError::NoNode(path.to_owned()))?;
        let result = (node.data().map(<[u8]>::to_vec), node.stat());
        if watch {
            self.watches.add(
                WatchKind::Data,
                path,
                session,
                crate::watch::WatchMode::Standard,
            );
        }
        Ok(result)
    }

    /// `exists`: the watch is left even when the znode is missing (it then fires on creation).
    pub fn exists(&mut self, session: SessionId, path: &str, watch: bool) -> Option<Stat> {
        if watch {
            self.watches.add(
                WatchKind::Data,
                path,
                session,
                crate::watch::WatchMode::Standard,
            );
        }
        self.tree.get(path).map(|n| n.stat())
    }

    /// `getChildren` (unsorted order is the caller's business; ours are sorted), leaving a child
    /// watch if asked and the znode exists.
    pub fn get_children(
        &mut self,
        session: SessionId,
        path: &str,
        watch: bool,
    ) -> Result<(Vec<String>, Stat), KeeperError> {
        let node = self
            .tree
            .get(path)
            .ok_or_else(|| KeeperError::NoNode(path.to_owned()))?;
        let result = (node.children().map(str::to_owned).collect(), node.stat());
        if watch {
            self.watches.add(
                WatchKind::Child,
                path,
                session,
                crate::watch::WatchMode::Standard,
            );
        }
        Ok(result)
    }

    /// `addWatch`: a persistent (optionally recursive) watch; the znode need not exist.
    pub fn add_watch(&mut self, session: SessionId, path: &str, recursive: bool) {
        self.watches.add_persistent(path, session, recursive);
    }

    /// `removeWatches`/`removeAllWatches`: removes `session`'s watches of the given type on
    /// `path` and returns the removal events the client sees (data before child), or
    /// `NoWatcher` when there was none.
    pub fn remove_watches(
        &mut self,
        session: SessionId,
        path: &str,
        which: WatcherType,
    ) -> Result<Vec<EventType>, KeeperError> {
        let mut removed = Vec::new();
        if matches!(which, WatcherType::Data | WatcherType::Any)
            && self.watches.remove(WatchKind::Data, path, session)
        {
            removed.push(EventType::DataWatchRemoved);
        }
        if matches!(which, WatcherType::Children | WatcherType::Any)
            && self.watches.remove(WatchKind::Child, path, session)
        {
            removed.push(EventType::ChildWatchRemoved);
        }
        if removed.is_empty() {
            return Err(KeeperError::NoWatcher(path.to_owned()));
        }
        Ok(removed)
    }

    /// `getEphemerals(prefix)`: the session's ephemerals whose path starts with `prefix`.
    pub fn ephemerals(&self, session: SessionId, prefix: &str) -> Vec<String> {
        self.tree
            .ephemerals(session)
            .filter(|p| p.starts_with(prefix))
            .map(str::to_owned)
            .collect()
    }

    /// `getAllChildrenNumber`.
    pub fn all_children_number(&self, path: &str) -> Result<usize, KeeperError> {
        self.stat_of(path)?;
        Ok(self.tree.all_children_number(path))
    }

    /// Every path of the subtree at `path`, breadth first, children sorted
    /// (`ZKUtil.listSubTreeBFS`).
    pub fn subtree(&self, path: &str) -> Result<Vec<String>, KeeperError> {
        self.stat_of(path)?;
        let mut out = vec![path.to_owned()];
        let mut i = 0;
        while i < out.len() {
            if let Some(node) = self.tree.get(&out[i]) {
                let base = out[i].clone();
                out.extend(node.children().map(|c| path::join(&base, c)));
            }
            i += 1;
        }
        Ok(out)
    }
}
