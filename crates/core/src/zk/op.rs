//! Client operations: what a ZooKeeper client asks of a server, and what it gets back.
//!
//! Reads are answered by the server the client is connected to, from its own replica; writes
//! go to the leader, which prepares them into a [`Txn`] against the state all earlier
//! proposals will have produced (ZooKeeper's `PrepRequestProcessor` with its
//! `outstandingChanges`), and the result is read off the replica once the transaction commits.
//!
//! Imports [`crate::ids`] and its siblings in [`crate::zk`]; outside the crate, `serde`.

use crate::ids::SessionId;
use crate::zk::error::KeeperError;
use crate::zk::stat::Stat;
use crate::zk::tree::DataTree;
use crate::zk::txn::Txn;
use crate::zk::watch::WatcherType;
use crate::zk::znode::CreateMode;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One request of the ZooKeeper client API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// `create` (ZooKeeper's `create2`: the reply carries the new znode's stat).
    Create {
        /// The requested path (a sequential suffix is appended by the server).
        path: String,
        /// The data, if any.
        data: Option<Vec<u8>>,
        /// Persistent, ephemeral, sequential, container or TTL.
        mode: CreateMode,
    },
    /// `delete` with an expected version (-1: any).
    Delete {
        /// The znode.
        path: String,
        /// Expected data version.
        version: i32,
    },
    /// `setData` with an expected version (-1: any).
    SetData {
        /// The znode.
        path: String,
        /// The new data.
        data: Option<Vec<u8>>,
        /// Expected data version.
        version: i32,
    },
    /// `getData`, optionally leaving a data watch.
    GetData {
        /// The znode.
        path: String,
        /// Leave a watch.
        watch: bool,
    },
    /// `exists`, optionally leaving a watch (even on a missing znode).
    Exists {
        /// The znode.
        path: String,
        /// Leave a watch.
        watch: bool,
    },
    /// `getChildren`, optionally leaving a child watch.
    GetChildren {
        /// The znode.
        path: String,
        /// Leave a watch.
        watch: bool,
    },
    /// `getEphemerals(prefix)`: the session's own ephemerals.
    GetEphemerals {
        /// Only paths starting with this.
        prefix: String,
    },
    /// `sync`: wait until the connected server has caught up with the leader.
    Sync {
        /// The path (ZooKeeper ignores it beyond validation).
        path: String,
    },
    /// `close`: end the session, deleting its ephemerals.
    CloseSession,
    /// `addWatch`: a persistent watch, recursive or not (the znode need not exist).
    AddWatch {
        /// The znode.
        path: String,
        /// `PERSISTENT_RECURSIVE` rather than `PERSISTENT`.
        recursive: bool,
    },
    /// `removeWatches`: the session's watches of a type on a znode, on the server.
    RemoveWatches {
        /// The znode.
        path: String,
        /// Which watches.
        which: WatcherType,
    },
    /// `getAllChildrenNumber`: how many descendants a znode has.
    GetAllChildrenNumber {
        /// The znode.
        path: String,
    },
}

impl Op {
    /// Its name as ZooKeeper's API calls it (`getChildren`), for the trace.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Create { .. } => "create",
            Op::Delete { .. } => "delete",
            Op::SetData { .. } => "setData",
            Op::GetData { .. } => "getData",
            Op::Exists { .. } => "exists",
            Op::GetChildren { .. } => "getChildren",
            Op::GetEphemerals { .. } => "getEphemerals",
            Op::Sync { .. } => "sync",
            Op::CloseSession => "closeSession",
            Op::AddWatch { .. } => "addWatch",
            Op::RemoveWatches { .. } => "removeWatches",
            Op::GetAllChildrenNumber { .. } => "getAllChildrenNumber",
        }
    }

    /// The path the request names ("" for a close), used in error messages.
    pub fn path(&self) -> &str {
        match self {
            Op::Create { path, .. }
            | Op::Delete { path, .. }
            | Op::SetData { path, .. }
            | Op::GetData { path, .. }
            | Op::Exists { path, .. }
            | Op::GetChildren { path, .. }
            | Op::Sync { path }
            | Op::AddWatch { path, .. }
            | Op::RemoveWatches { path, .. }
            | Op::GetAllChildrenNumber { path } => path,
            Op::GetEphemerals { prefix } => prefix,
            Op::CloseSession => "",
        }
    }

    /// Whether the reply leaves a watch the client must file.
    pub fn watch(&self) -> bool {
        matches!(
            self,
            Op::GetData { watch: true, .. }
                | Op::Exists { watch: true, .. }
                | Op::GetChildren { watch: true, .. }
        )
    }

    /// Checks a write as the leader does and yields its transaction; `session` is the
    /// requester (the owner of an ephemeral). Reads yield `None`.
    pub fn prepare(&self, tree: &DataTree, session: SessionId) -> Option<Result<Txn, KeeperError>> {
        Some(match self {
            Op::Create { path, data, mode } => {
                tree.prepare_create(path, data.clone(), *mode, session)
            }
            Op::Delete { path, version } => tree.prepare_delete(path, *version),
            Op::SetData {
                path,
                data,
                version,
            } => tree.prepare_set_data(path, data.clone(), *version),
            Op::CloseSession => Ok(Txn::CloseSession { session }),
            _ => return None,
        })
    }
}

/// A successful reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpResult {
    /// The created path (with its sequence suffix) and the new znode's stat.
    Created {
        /// The path created.
        path: String,
        /// Its stat.
        stat: Stat,
    },
    /// The znode was deleted.
    Deleted,
    /// The znode's new stat after `setData`.
    Set(Stat),
    /// The data and stat of `getData`.
    Data(Option<Vec<u8>>, Stat),
    /// `exists`: the stat, or `None` for a missing znode.
    Exists(Option<Stat>),
    /// `getChildren`: child names (sorted) and the parent's stat. The list is shared with the
    /// server's tree until its children change: a thousand candidates reading a thousand names
    /// each would otherwise copy a million.
    Children(Arc<[String]>, Stat),
    /// `getEphemerals`: the paths.
    Ephemerals(Vec<String>),
    /// `sync` completed.
    Synced,
    /// The session is closed.
    Closed,
    /// The persistent watch is set.
    WatchAdded,
    /// The watches are removed.
    WatchesRemoved,
    /// `getAllChildrenNumber`'s count.
    Count(usize),
}

/// What a request comes back with.
pub type Reply = Result<OpResult, KeeperError>;
