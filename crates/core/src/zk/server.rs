//! A standalone ZooKeeper server: one `DataTree`, the zxid counter, the session tracker and the
//! container reaper.
//!
//! This is the request pipeline of a single server with the replication step left out
//! (ZooKeeper's `PrepRequestProcessor` → `FinalRequestProcessor`): prepare a write against the
//! tree, give it the next zxid, apply it. The replicated ensemble builds on the same steps.
//! Time only moves when the caller says so: [`Server::tick`] runs what ZooKeeper's background
//! threads would have done by then (expire sessions, reap containers and TTL znodes).
//!
//! Imports [`crate::ids`] and its siblings in [`crate::zk`]; outside the crate, `serde`.

use crate::ids::{Millis, SessionId, Zxid};
use crate::zk::client_watch::SetWatches;
use crate::zk::error::KeeperError;
use crate::zk::op::{Op, OpResult, Reply};
use crate::zk::session::{SessionInfo, SessionTracker, TimeoutBounds};
use crate::zk::stat::Stat;
use crate::zk::tree::{DataTree, TreeConfig};
use crate::zk::txn::{Change, Txn};
use crate::zk::watch::{EventType, WatchEvent, WatchKind, WatchManager, WatchMode, WatcherType};
use crate::zk::znode::CreateMode;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A server's settings, with the defaults of Debian's `zoo.cfg` and ZooKeeper's system
/// properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerConfig {
    /// `tickTime`: the unit of session timeouts and the width of the expiry buckets.
    pub tick_ms: i32,
    /// Session timeouts granted (`minSessionTimeout`, `maxSessionTimeout`).
    pub session_timeouts: TimeoutBounds,
    /// Tree settings (`zookeeper.extendedTypesEnabled`).
    pub tree: TreeConfig,
    /// `znode.container.checkIntervalMs`: how often containers and TTL znodes are reaped.
    pub container_check_interval_ms: i64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig::with_tick(2000)
    }
}

impl ServerConfig {
    /// ZooKeeper's defaults for a given `tickTime`.
    pub fn with_tick(tick_ms: i32) -> ServerConfig {
        ServerConfig {
            tick_ms,
            session_timeouts: TimeoutBounds::for_tick(tick_ms),
            tree: TreeConfig::default(),
            container_check_interval_ms: 60_000,
        }
    }
}

/// What the server's background work did in one [`Server::tick`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Housekeeping {
    /// Sessions expired (each closed by its own transaction), in order.
    pub expired: Vec<SessionId>,
    /// Containers and TTL znodes the reaper deleted, in order.
    pub reaped: Vec<String>,
}

/// A standalone server's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Server {
    /// This server's id (`myid`); the top byte of the session ids it hands out.
    id: u8,
    config: ServerConfig,
    tree: DataTree,
    /// Last zxid handed out (`ZooKeeperServer.hzxid`).
    zxid: Zxid,
    sessions: SessionTracker,
    /// Counter for the low bits of new session ids (`SessionTrackerImpl.nextSessionId`).
    next_session: i64,
    /// When the container reaper runs next (a fixed-rate timer from server start).
    next_container_check: Millis,
    watches: WatchManager,
    /// Watch events triggered and not yet taken by their session.
    events: Vec<WatchEvent>,
}

impl Server {
    /// A fresh server with id `id` whose session ids are seeded from simulated time `now`,
    /// as `SessionTrackerImpl.initializeNextSessionId` seeds them from the wall clock.
    pub fn new(id: u8, config: ServerConfig, now: Millis) -> Server {
        let base = ((now.0 << 24) as u64 >> 8) as i64;
        Server {
            id,
            config,
            tree: DataTree::new(config.tree),
            zxid: Zxid::ZERO,
            sessions: SessionTracker::new(config.tick_ms, now),
            next_session: base | (i64::from(id) << 56),
            next_container_check: Millis(
                now.0
                    .saturating_add(config.container_check_interval_ms.max(1)),
            ),
            watches: WatchManager::default(),
            events: Vec::new(),
        }
    }

    /// The server's settings.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// The last zxid handed out.
    pub fn last_zxid(&self) -> Zxid {
        self.zxid
    }

    /// The server's znode tree.
    pub fn tree(&self) -> &DataTree {
        &self.tree
    }

    /// This server's id.
    pub fn id(&self) -> u8 {
        self.id
    }

    /// Whether `session` is open on this server (and not being closed).
    pub fn has_session(&self, session: SessionId) -> bool {
        self.sessions.get(session).is_some_and(|s| !s.closing)
    }

    /// What the session tracker knows about `session`: its timeout and expiry bucket.
    pub fn session(&self, session: SessionId) -> Option<&SessionInfo> {
        self.sessions.get(session)
    }

    /// Every session the server tracks.
    pub fn sessions(&self) -> impl Iterator<Item = (SessionId, &SessionInfo)> {
        self.sessions.sessions()
    }

    /// A heartbeat (or any request) from the session's client at `now`: pushes its expiry
    /// back. `false` if the session is unknown or already expiring.
    pub fn touch(&mut self, session: SessionId, now: Millis) -> bool {
        self.sessions.touch(session, now)
    }

    /// Does, in time order, the background work due by `now`: expires the sessions of every
    /// due bucket (closing each with its own transaction, which deletes its ephemerals and
    /// fires their watches) and runs the container reaper at each of its due times.
    ///
    /// ZooKeeper's reaper spaces its deletions by `60000 / maxPerMinute` ms (6 ms by default);
    /// here a run's deletions all happen at the run's time.
    pub fn tick(&mut self, now: Millis) -> Housekeeping {
        let mut done = Housekeeping::default();
        loop {
            let expiry = self.sessions.next_expiration();
            let reap = self.next_container_check;
            if expiry.min(reap) > now {
                return done;
            }
            if expiry <= reap {
                for session in self.sessions.expire(expiry) {
                    self.close_session(session, expiry);
                    done.expired.push(session);
                }
            } else {
                self.next_container_check = Millis(
                    reap.0
                        .saturating_add(self.config.container_check_interval_ms.max(1)),
                );
                for path in self.tree.reap_candidates(reap) {
                    let prepared = self.tree.prepare_delete_container(&path);
                    if self.write(prepared, reap).is_ok() {
                        done.reaped.push(path);
                    }
                }
            }
        }
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

    /// Opens a session (a `createSession` transaction) for a client asking for
    /// `requested_timeout_ms`; the server grants a timeout within its bounds
    /// ([`Server::session`] tells which).
    pub fn create_session(&mut self, requested_timeout_ms: i32, now: Millis) -> SessionId {
        let session = SessionId(self.next_session);
        self.next_session += 1;
        let timeout_ms = self.config.session_timeouts.negotiate(requested_timeout_ms);
        self.sessions.add(session, timeout_ms, now);
        self.commit(
            &Txn::CreateSession {
                session,
                timeout_ms,
            },
            now,
        );
        session
    }

    /// Closes a session: its ephemerals go in the same transaction. The watches they fire
    /// include the session's own, which its client receives before the close completes; they
    /// are returned, and then the session's watches are dropped.
    pub fn close_session(&mut self, session: SessionId, now: Millis) -> Vec<WatchEvent> {
        self.sessions.remove(session);
        self.commit(&Txn::CloseSession { session }, now);
        self.watches.remove_session(session);
        self.take_events(session)
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
            self.watches
                .add(WatchKind::Data, path, session, WatchMode::Standard);
        }
        Ok(result)
    }

    /// `exists`: the watch is left even when the znode is missing (it then fires on creation).
    pub fn exists(&mut self, session: SessionId, path: &str, watch: bool) -> Option<Stat> {
        if watch {
            self.watches
                .add(WatchKind::Data, path, session, WatchMode::Standard);
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
    ) -> Result<(Arc<[String]>, Stat), KeeperError> {
        let result = self
            .tree
            .listing(path)
            .ok_or_else(|| KeeperError::NoNode(path.to_owned()))?;
        if watch {
            self.watches
                .add(WatchKind::Child, path, session, WatchMode::Standard);
        }
        Ok(result)
    }

    /// `addWatch`: a persistent (optionally recursive) watch; the znode need not exist.
    pub fn add_watch(&mut self, session: SessionId, path: &str, recursive: bool) {
        self.watches.add_persistent(path, session, recursive);
    }

    /// `removeWatches` (zkCli's `removewatches`, `removeAllWatches` in the client API):
    /// removes `session`'s watches on `path` from the server's data table, child table or
    /// both, whatever their mode; `NoWatcher` when there was none. The removal events are the
    /// client library's business ([`crate::zk::client_watch`]).
    pub fn remove_watches(
        &mut self,
        session: SessionId,
        path: &str,
        which: WatcherType,
    ) -> Result<(), KeeperError> {
        let mut removed = false;
        if matches!(which, WatcherType::Children | WatcherType::Any) {
            removed |= self.watches.remove(WatchKind::Child, path, session);
        }
        if matches!(which, WatcherType::Data | WatcherType::Any) {
            removed |= self.watches.remove(WatchKind::Data, path, session);
        }
        if removed {
            Ok(())
        } else {
            Err(KeeperError::NoWatcher(path.to_owned()))
        }
    }

    /// Applies a transaction the ensemble committed at `zxid`, proposed at `time`, and
    /// triggers the watches of this server's clients. Replicas apply the same transactions
    /// in the same order and so hold the same tree.
    pub fn apply_committed(&mut self, zxid: Zxid, txn: &Txn, time: Millis) {
        match txn {
            Txn::CreateSession {
                session,
                timeout_ms,
            } => self.sessions.add(*session, *timeout_ms, time),
            Txn::CloseSession { session } => self.sessions.remove(*session),
            _ => {}
        }
        self.zxid = zxid.max(self.zxid);
        let changes = self.tree.apply(txn, zxid, time);
        let fired = self.watches.trigger(&changes, zxid);
        self.events.extend(fired);
        if let Txn::CloseSession { session } = txn {
            self.watches.remove_session(*session);
            self.events.retain(|e| e.session != *session);
        }
    }

    /// Answers a read (`getData`, `exists`, `getChildren`, `getEphemerals`) from this
    /// server's replica, leaving the watch it asks for. Writes are not reads: `None`.
    pub fn read(&mut self, session: SessionId, op: &Op) -> Option<Reply> {
        Some(match op {
            Op::GetData { path, watch } => self
                .get_data(session, path, *watch)
                .map(|(data, stat)| OpResult::Data(data, stat)),
            Op::Exists { path, watch } => Ok(OpResult::Exists(self.exists(session, path, *watch))),
            Op::GetChildren { path, watch } => self
                .get_children(session, path, *watch)
                .map(|(children, stat)| OpResult::Children(children, stat)),
            Op::GetEphemerals { prefix } => {
                Ok(OpResult::Ephemerals(self.ephemerals(session, prefix)))
            }
            Op::AddWatch { path, recursive } => {
                self.add_watch(session, path, *recursive);
                Ok(OpResult::WatchAdded)
            }
            Op::RemoveWatches { path, which } => self
                .remove_watches(session, path, *which)
                .map(|()| OpResult::WatchesRemoved),
            Op::GetAllChildrenNumber { path } => {
                self.all_children_number(path).map(OpResult::Count)
            }
            _ => return None,
        })
    }

    /// Answers any request as a standalone server does: reads from the tree, writes through
    /// the pipeline (a failed write still consumes a zxid).
    pub fn call(&mut self, session: SessionId, op: &Op, now: Millis) -> Reply {
        if let Some(reply) = self.read(session, op) {
            return reply;
        }
        match op {
            Op::Sync { .. } => Ok(OpResult::Synced),
            Op::CloseSession => {
                self.close_session(session, now);
                Ok(OpResult::Closed)
            }
            _ => match op.prepare(&self.tree, session) {
                Some(prepared) => {
                    let (txn, _) = self.write(prepared, now)?;
                    self.write_result(&txn)
                }
                None => Ok(OpResult::Synced),
            },
        }
    }

    /// The reply a committed write earns, read off the replica right after it was applied.
    pub fn write_result(&self, txn: &Txn) -> Reply {
        match txn {
            Txn::Create { path, .. } => self.stat_of(path).map(|stat| OpResult::Created {
                path: path.clone(),
                stat,
            }),
            Txn::Delete { .. } => Ok(OpResult::Deleted),
            Txn::SetData { path, .. } => self.stat_of(path).map(OpResult::Set),
            Txn::CloseSession { .. } | Txn::CreateSession { .. } => Ok(OpResult::Closed),
            Txn::Error(e) => Err(e.clone()),
        }
    }

    /// Forgets a session's watches here (its client disconnected from this server).
    pub fn drop_watches(&mut self, session: SessionId) {
        self.watches.remove_session(session);
        self.events.retain(|e| e.session != session);
    }

    /// `SetWatches`, sent by a client reconnecting here: re-registers its watches, firing at
    /// once those whose znode changed after `seen` (the last zxid the client saw), as
    /// `DataTree.setWatches` does.
    pub fn set_watches(&mut self, session: SessionId, seen: Zxid, watches: &SetWatches) {
        let zxid = self.zxid;
        let fire = |events: &mut Vec<WatchEvent>, kind, path: &str| {
            events.push(WatchEvent {
                session,
                kind,
                path: path.to_owned(),
                zxid,
            });
        };
        for path in &watches.data {
            match self.tree.get(path).map(|n| n.stat()) {
                None => fire(&mut self.events, EventType::NodeDeleted, path),
                Some(stat) if stat.mzxid > seen => {
                    fire(&mut self.events, EventType::NodeDataChanged, path)
                }
                Some(_) => self
                    .watches
                    .add(WatchKind::Data, path, session, WatchMode::Standard),
            }
        }
        for path in &watches.exist {
            if self.tree.get(path).is_some() {
                fire(&mut self.events, EventType::NodeCreated, path);
            } else {
                self.watches
                    .add(WatchKind::Data, path, session, WatchMode::Standard);
            }
        }
        for path in &watches.child {
            match self.tree.get(path).map(|n| n.stat()) {
                None => fire(&mut self.events, EventType::NodeDeleted, path),
                Some(stat) if stat.pzxid > seen => {
                    fire(&mut self.events, EventType::NodeChildrenChanged, path)
                }
                Some(_) => self
                    .watches
                    .add(WatchKind::Child, path, session, WatchMode::Standard),
            }
        }
        for path in &watches.persistent {
            self.watches.add_persistent(path, session, false);
        }
        for path in &watches.recursive {
            self.watches.add_persistent(path, session, true);
        }
    }

    /// Whether any watch events wait to be sent.
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// Takes every pending watch event, in the order they fired.
    pub fn take_all_events(&mut self) -> Vec<WatchEvent> {
        std::mem::take(&mut self.events)
    }

    /// `getEphemerals(prefix)`: the session's ephemerals whose path starts with `prefix`.
    pub fn ephemerals(&self, session: SessionId, prefix: &str) -> Vec<String> {
        self.tree
            .ephemerals(session)
            .into_iter()
            .filter(|p| p.starts_with(prefix))
            .map(str::to_owned)
            .collect()
    }

    /// `getAllChildrenNumber`.
    pub fn all_children_number(&self, path: &str) -> Result<usize, KeeperError> {
        self.stat_of(path)?;
        Ok(self.tree.all_children_number(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zk::stat::NodeKind;

    const T0: Millis = Millis(1_000_000);

    fn server() -> Server {
        Server::new(1, ServerConfig::default(), T0)
    }

    fn at(ms: i64) -> Millis {
        Millis(T0.0 + ms)
    }

    #[test]
    fn timeouts_are_negotiated_within_the_servers_bounds() {
        let mut s = server();
        let short = s.create_session(100, T0);
        let long = s.create_session(1_000_000, T0);
        let usual = s.create_session(30_000, T0);
        let timeout = |s: &Server, id| s.session(id).map(|i| i.timeout_ms);
        assert_eq!(timeout(&s, short), Some(4_000));
        assert_eq!(timeout(&s, long), Some(40_000));
        assert_eq!(timeout(&s, usual), Some(30_000));
    }

    #[test]
    fn an_expired_session_loses_its_ephemerals_and_fires_their_watches() {
        let mut s = server();
        let owner = s.create_session(4_000, T0);
        let watcher = s.create_session(30_000, T0);
        s.create(owner, "/e", None, CreateMode::Ephemeral, T0)
            .expect("create");
        assert!(s.exists(watcher, "/e", true).is_some());
        // Bucket of T0 + 4000 rounded up to the next tick; the watcher keeps heart-beating.
        let due = s.session(owner).map(|i| i.expires_at).expect("tracked");
        assert!(due > at(4_000) && due <= at(6_000), "due at {due:?}");
        s.touch(watcher, Millis(due.0 - 1));
        let before = s.last_zxid();
        assert_eq!(s.tick(Millis(due.0 - 1)), Housekeeping::default());
        let done = s.tick(due);
        assert_eq!(done.expired, vec![owner]);
        assert!(!s.has_session(owner));
        assert!(s.tree().get("/e").is_none());
        assert_eq!(s.last_zxid(), before.next(), "the close is one transaction");
        let events = s.take_events(watcher);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, EventType::NodeDeleted);
        assert_eq!(events[0].zxid, s.last_zxid());
    }

    #[test]
    fn a_heartbeating_session_never_expires() {
        let mut s = server();
        let id = s.create_session(4_000, T0);
        for t in (0..120_000).step_by(1_300) {
            assert!(s.touch(id, at(t)));
            assert!(s.tick(at(t)).expired.is_empty());
        }
        assert!(s.has_session(id));
    }

    #[test]
    fn the_reaper_deletes_used_empty_containers_and_stale_ttl_nodes() {
        let config = ServerConfig {
            tree: TreeConfig {
                extended_types_enabled: true,
            },
            ..ServerConfig::default()
        };
        let mut s = Server::new(1, config, T0);
        let me = s.create_session(30_000, T0);
        let create = |s: &mut Server, p: &str, mode| {
            s.create(me, p, None, mode, T0).expect("create");
        };
        create(&mut s, "/fresh", CreateMode::Container);
        create(&mut s, "/used", CreateMode::Container);
        create(&mut s, "/used/child", CreateMode::Persistent);
        s.delete("/used/child", -1, T0).expect("delete");
        create(&mut s, "/busy", CreateMode::Container);
        create(&mut s, "/busy/child", CreateMode::Persistent);
        create(&mut s, "/ttl", CreateMode::PersistentWithTtl(30_000));
        create(&mut s, "/long-ttl", CreateMode::PersistentWithTtl(90_000));
        assert_eq!(
            s.tree().get("/ttl").map(|n| n.kind()),
            Some(NodeKind::Ttl(30_000))
        );
        s.touch(me, at(59_999));
        assert!(s.tick(at(59_999)).reaped.is_empty());
        let done = s.tick(at(60_000));
        assert_eq!(done.reaped, vec!["/used".to_owned(), "/ttl".to_owned()]);
        assert!(s.tree().get("/fresh").is_some(), "never had a child");
        assert!(s.tree().get("/busy").is_some(), "still has a child");
        s.touch(me, at(120_000));
        assert_eq!(s.tick(at(120_000)).reaped, vec!["/long-ttl".to_owned()]);
    }

    #[test]
    fn deleting_a_plain_znode_as_a_container_is_refused() {
        let mut s = server();
        let me = s.create_session(30_000, T0);
        s.create(me, "/p", None, CreateMode::Persistent, T0)
            .expect("create");
        assert_eq!(
            s.tree().prepare_delete_container("/p"),
            Err(KeeperError::BadVersion("/p".into()))
        );
        assert_eq!(
            s.tree().prepare_delete_container("/nope"),
            Err(KeeperError::NoNode("/nope".into()))
        );
    }
}
