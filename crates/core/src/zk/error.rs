//! ZooKeeper's error codes (`KeeperException.Code`), as the server returns them.
//!
//! Source of truth: ZooKeeper 3.8 `org.apache.zookeeper.KeeperException`. `Display` gives the
//! exception's own message (`KeeperErrorCode = NoNode for /a`); the zkCli layer rewords some of
//! them the way `zkCli.sh` does (`Node does not exist: /a`).
//!
//! Imports nothing from the rest of the crate; outside the crate, `serde`, `thiserror`.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A failed ZooKeeper operation: the server's error code and the path it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum KeeperError {
    /// The znode (or, for a create, its parent) does not exist.
    #[error("KeeperErrorCode = NoNode for {0}")]
    NoNode(String),
    /// A create found the path already taken.
    #[error("KeeperErrorCode = NodeExists for {0}")]
    NodeExists(String),
    /// A delete found children under the znode.
    #[error("KeeperErrorCode = Directory not empty for {0}")]
    NotEmpty(String),
    /// A conditional set/delete named a version other than the znode's.
    #[error("KeeperErrorCode = BadVersion for {0}")]
    BadVersion(String),
    /// A create under an ephemeral znode.
    #[error("KeeperErrorCode = NoChildrenForEphemerals for {0}")]
    NoChildrenForEphemerals(String),
    /// Invalid arguments, e.g. an invalid path reaching the server or a bad TTL.
    #[error("KeeperErrorCode = BadArguments for {0}")]
    BadArguments(String),
    /// `removeWatches` found no such watch.
    #[error("KeeperErrorCode = No such watcher for {0}")]
    NoWatcher(String),
    /// A feature this server has switched off (e.g. TTL nodes without extended types).
    #[error("KeeperErrorCode = Unimplemented for {0}")]
    Unimplemented(String),
    /// The connection broke before the reply came (the request may or may not have been
    /// applied); the client reconnects, and its session survives if it does so in time.
    #[error("KeeperErrorCode = ConnectionLoss for {0}")]
    ConnectionLoss(String),
    /// The connection's authentication failed (`addauth` with an unknown scheme); the server
    /// closed the connection.
    #[error("KeeperErrorCode = AuthFailed for {0}")]
    AuthFailed(String),
    /// The session expired (or was closed) before the request was processed.
    #[error("KeeperErrorCode = Session expired for {0}")]
    SessionExpired(String),
}

impl KeeperError {
    /// The error's number (`KeeperException.Code.intValue()`), as an asynchronous callback
    /// receives it in `rc` (zkCli's `sync` prints it: `Sync has failed. rc=-4`).
    pub fn code(&self) -> i32 {
        match self {
            KeeperError::ConnectionLoss(_) => -4,
            KeeperError::Unimplemented(_) => -6,
            KeeperError::BadArguments(_) => -8,
            KeeperError::NoNode(_) => -101,
            KeeperError::BadVersion(_) => -103,
            KeeperError::NoChildrenForEphemerals(_) => -108,
            KeeperError::NodeExists(_) => -110,
            KeeperError::NotEmpty(_) => -111,
            KeeperError::SessionExpired(_) => -112,
            KeeperError::AuthFailed(_) => -115,
            KeeperError::NoWatcher(_) => -121,
        }
    }

    /// The path the error concerns, as `KeeperException.getPath()` returns it.
    pub fn path(&self) -> &str {
        match self {
            KeeperError::NoNode(p)
            | KeeperError::NodeExists(p)
            | KeeperError::NotEmpty(p)
            | KeeperError::BadVersion(p)
            | KeeperError::NoChildrenForEphemerals(p)
            | KeeperError::BadArguments(p)
            | KeeperError::NoWatcher(p)
            | KeeperError::Unimplemented(p)
            | KeeperError::ConnectionLoss(p)
            | KeeperError::AuthFailed(p)
            | KeeperError::SessionExpired(p) => p,
        }
    }
}
