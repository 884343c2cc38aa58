//! A standalone ZooKeeper server: one `DataTree`, the zxid counter and the session table.
//!
//! This is the request pipeline of a single server with the replication step left out
//! (ZooKeeper's `PrepRequestProcessor` → `FinalRequestProcessor`): prepare a write against the
//! tree, give it the next zxid, apply it. The replicated ensemble builds on the same steps.

use crate::error::KeeperError;
use crate::ids::{Millis, SessionId, Zxid};
use crate::tree::{Change, CreateMode, DataTree, TreeConfig, Txn};
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

    /// Commits `txn` at the next zxid and applies it.
    fn commit(&mut self, txn: &Txn, now: Millis) -> (Zxid, Vec<Change>) {
        self.zxid = self.zxid.next();
        let changes = self.tree.apply(txn, self.zxid, now);
        (self.zxid, changes)
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

    /// Closes a session: its ephemerals go in the same transaction.
    pub fn close_session(&mut self, session: SessionId, now: Millis) -> Vec<Change> {
        self.sessions.remove(&session);
        self.commit(&Txn::CloseSession { session }, now).1
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

    /// `setData` with an expected version (-1: any).
    pub fn set_data(
        &mut self,
        path: &str,
        data: Option<Vec<u8>>,
        version: i32,
        now: Millis,
    ) -> Result<(), KeeperError> {
        let prepared = self.tree.prepare_set_data(path, data, version);
        self.write(prepared, now).map(|_| ())
    }
}
