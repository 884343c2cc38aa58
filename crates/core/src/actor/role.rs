//! The states actors are in, as the trace records them and a picture shows them: a server's
//! role in the ensemble, a client library's connection state, a process's place in the
//! election. Kept apart from the trace, so that the client, the recipes and the ensemble
//! import their own states, not the trace. Imports only ids.

use crate::ids::ServerId;
use serde::{Deserialize, Serialize};

/// What a ZooKeeper server is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerRole {
    /// Crashed.
    Down,
    /// Electing a leader.
    Looking,
    /// Following this leader.
    Following(ServerId),
    /// Leading in this epoch.
    Leading(u32),
    /// Serving alone: a one-server ensemble, which ZooKeeper runs as a standalone server
    /// (`QuorumPeerConfig.isDistributed` is false; `srvr` says `Mode: standalone`). No epoch:
    /// its zxids count from 0x1.
    Standalone,
}

/// A client library's connection state, as ZooKeeper's `Watcher.Event.KeeperState` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeeperState {
    /// Connected to a server; the session is alive.
    SyncConnected,
    /// Lost the connection; the session may still be alive.
    Disconnected,
    /// The session expired (learned on reconnecting).
    Expired,
    /// The session was closed by the process.
    Closed,
}

/// Where a process stands in the election, as the view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProcessRole {
    /// Opening a session.
    Connecting,
    /// Step 1: creating its candidate znode.
    Volunteering,
    /// Step 2: reading the candidates.
    Electing,
    /// Step 3, not the smallest: watching the znode just before its own.
    Watching(String),
    /// Herd recipe, not the smallest: watching every candidate.
    WatchingAll,
    /// Step 3, the smallest: leader.
    Leader,
    /// Crashed (its session lingers until it expires).
    Crashed,
    /// Paused (a long GC pause): it still believes what it believed.
    Paused,
    /// Stopped gracefully (its session closed).
    Stopped,
    /// Its session expired; it will start over with a new one.
    SessionExpired,
    /// Not a candidate: the client the user drives from the console.
    Console,
}
