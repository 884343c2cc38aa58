//! A znode's `Stat` and the kinds of znode ZooKeeper encodes in `ephemeralOwner`.
//!
//! Source of truth: ZooKeeper 3.8 `org.apache.zookeeper.data.Stat` and
//! `org.apache.zookeeper.server.EphemeralType`.
//!
//! Imports [`crate::ids`]; outside the crate, `serde`.

use crate::ids::{Millis, SessionId, Zxid};
use serde::{Deserialize, Serialize};

/// The metadata ZooKeeper keeps for every znode, field for field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Stat {
    /// Zxid of the transaction that created the znode.
    pub czxid: Zxid,
    /// Zxid of the last transaction that changed its data.
    pub mzxid: Zxid,
    /// Creation time (simulated clock).
    pub ctime: Millis,
    /// Last data modification time (simulated clock).
    pub mtime: Millis,
    /// Data version: number of `setData` calls.
    pub version: i32,
    /// Child version: number of child creations (and, in ZooKeeper, what numbers sequentials).
    pub cversion: i32,
    /// ACL version.
    pub aversion: i32,
    /// Session owning an ephemeral znode, or the container/TTL marker (see [`NodeKind`]).
    pub ephemeral_owner: i64,
    /// Length of the data in bytes.
    pub data_length: i32,
    /// Number of children.
    pub num_children: i32,
    /// Zxid of the last transaction that added or removed a child.
    pub pzxid: Zxid,
}

/// `EphemeralType.CONTAINER_EPHEMERAL_OWNER`: `Long.MIN_VALUE`.
const CONTAINER_OWNER: i64 = i64::MIN;
/// High byte that marks an extended `ephemeralOwner` (TTL nodes), `EphemeralType.EXTENDED_MASK`.
const EXTENDED_MASK: i64 = 0xff00_0000_0000_0000_u64 as i64;
/// Largest TTL ZooKeeper accepts (`EphemeralType.TTL.maxValue()`): the low 40 bits.
pub const MAX_TTL_MS: i64 = 0x00ff_ffff_ffff;

/// What kind of znode a `Stat` describes, decoded from `ephemeralOwner` as ZooKeeper does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeKind {
    /// Lives until deleted.
    Persistent,
    /// Deleted when its owner's session ends.
    Ephemeral(SessionId),
    /// Deleted by the server once it has had children and has none left.
    Container,
    /// Persistent, but deleted by the server when unmodified for `ttl` ms and childless.
    Ttl(i64),
}

impl NodeKind {
    /// Decodes `ephemeralOwner` (`EphemeralType.get`).
    pub fn from_owner(owner: i64) -> NodeKind {
        if owner == 0 {
            NodeKind::Persistent
        } else if owner == CONTAINER_OWNER {
            NodeKind::Container
        } else if owner & EXTENDED_MASK == EXTENDED_MASK {
            NodeKind::Ttl(owner & MAX_TTL_MS)
        } else {
            NodeKind::Ephemeral(SessionId(owner))
        }
    }

    /// Encodes the kind as ZooKeeper stores it in `ephemeralOwner`.
    pub fn owner(self) -> i64 {
        match self {
            NodeKind::Persistent => 0,
            NodeKind::Ephemeral(s) => s.0,
            NodeKind::Container => CONTAINER_OWNER,
            NodeKind::Ttl(ttl) => EXTENDED_MASK | (ttl & MAX_TTL_MS),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_kind_round_trips_through_ephemeral_owner() {
        for kind in [
            NodeKind::Persistent,
            NodeKind::Ephemeral(SessionId(0x0100_000f_3ad9_0000)),
            NodeKind::Container,
            NodeKind::Ttl(5000),
        ] {
            assert_eq!(NodeKind::from_owner(kind.owner()), kind);
        }
        assert_eq!(NodeKind::Container.owner() as u64, 0x8000_0000_0000_0000);
    }
}
