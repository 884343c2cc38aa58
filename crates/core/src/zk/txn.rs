//! A transaction, as the leader proposes it and every replica applies it, and the changes
//! applying one makes to the tree (which the watch manager turns into events).
//!
//! Sources of truth: ZooKeeper 3.8 `TxnHeader` and its records (`CreateTxn`, `DeleteTxn`,
//! `SetDataTxn`, `CreateSessionTxn`, `ErrorTxn`).
//!
//! Imports [`crate::ids`] and its siblings in [`crate::zk`]; outside the crate, `serde`.

use crate::ids::SessionId;
use crate::zk::error::KeeperError;
use crate::zk::stat::NodeKind;
use serde::{Deserialize, Serialize};

/// A transaction as the leader proposes it and every replica applies it (`TxnHeader` + record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Txn {
    /// `CreateTxn`: the final path (with any sequence suffix) and the parent's new cversion.
    Create {
        /// Final path of the new znode.
        path: String,
        /// Its data.
        data: Option<Vec<u8>>,
        /// Persistent, ephemeral (and owner), container or TTL.
        kind: NodeKind,
        /// The parent's cversion after this create.
        parent_cversion: i32,
    },
    /// `DeleteTxn`.
    Delete {
        /// The znode to delete.
        path: String,
    },
    /// `SetDataTxn`, with the data version the znode will have.
    SetData {
        /// The znode to change.
        path: String,
        /// The new data.
        data: Option<Vec<u8>>,
        /// The new data version.
        version: i32,
    },
    /// `CreateSessionTxn`: session creation is a transaction too.
    CreateSession {
        /// The new session.
        session: SessionId,
        /// Negotiated timeout in ms.
        timeout_ms: i32,
    },
    /// `closeSession`: deletes every ephemeral the session owns, all under this one zxid.
    CloseSession {
        /// The session being closed or expired.
        session: SessionId,
    },
    /// `ErrorTxn`: a write that failed its checks still consumes a zxid.
    Error(KeeperError),
}

impl Txn {
    /// The transaction in a few words, for the trace.
    pub fn describe(&self) -> String {
        match self {
            Txn::Create { path, .. } => format!("create {path}"),
            Txn::Delete { path } => format!("delete {path}"),
            Txn::SetData { path, .. } => format!("set {path}"),
            Txn::CreateSession { session, .. } => format!("open session {session}"),
            Txn::CloseSession { session } => format!("close session {session}"),
            Txn::Error(e) => format!("failed request ({e})"),
        }
    }
}

/// A change to the tree caused by applying a transaction; the watch manager turns these into
/// watch events (ZooKeeper: the `triggerWatch` calls at the end of createNode/deleteNode/setData).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// A znode was created (fires `NodeCreated` on it).
    Created(String),
    /// A znode was deleted (fires `NodeDeleted` on it).
    Deleted(String),
    /// A znode's data was set (fires `NodeDataChanged` on it).
    DataChanged(String),
    /// A child was added or removed (fires `NodeChildrenChanged` on this parent).
    ChildrenChanged(String),
}
