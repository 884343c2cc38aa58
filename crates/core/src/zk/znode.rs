//! One znode — its data, its stat as ZooKeeper persists it, its children — and how one is
//! created (zkCli's flags, ZooKeeper's `CreateMode`).
//!
//! Sources of truth: ZooKeeper 3.8 `DataNode`, `StatPersisted` and `CreateMode`.
//!
//! Imports [`crate::ids`] and its siblings in [`crate::zk`]; outside the crate, `serde`.

use crate::ids::SessionId;
use crate::zk::stat::{NodeKind, Stat};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;

/// One znode: its data (ZooKeeper distinguishes absent data, printed `null`, from empty data),
/// its persisted stat and the names of its children.
///
/// As in ZooKeeper's `StatPersisted`, the stored `cversion` counts only child *creations*: it is
/// what numbers sequential children. The `cversion` clients see counts creations and deletions,
/// and is derived from it ([`Znode::stat`], ZooKeeper's `DataNode.copyStat`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Znode {
    pub(super) data: Option<Vec<u8>>,
    /// `num_children` and `data_length` are unused here; `stat()` derives them.
    pub(super) persisted: Stat,
    pub(super) children: BTreeSet<String>,
    #[serde(skip)]
    listing: Listing,
}

/// A znode's children as one shared, sorted list, made when first read and dropped when they
/// change. It is a copy of `children`, so it takes no part in comparing, hashing or saving a
/// znode.
#[derive(Debug, Clone, Default)]
struct Listing(Option<Arc<[String]>>);

impl PartialEq for Listing {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Listing {}

impl std::hash::Hash for Listing {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl Znode {
    pub(super) fn new(data: Option<Vec<u8>>, persisted: Stat) -> Znode {
        Znode {
            data,
            persisted,
            children: BTreeSet::new(),
            listing: Listing::default(),
        }
    }

    pub(super) fn add_child(&mut self, name: &str) {
        self.children.insert(name.to_owned());
        self.listing = Listing::default();
    }

    pub(super) fn remove_child(&mut self, name: &str) {
        self.children.remove(name);
        self.listing = Listing::default();
    }

    /// The child names in ZooKeeper's sort order, as one list shared until they change.
    pub(super) fn listing(&mut self) -> Arc<[String]> {
        let Znode {
            children, listing, ..
        } = self;
        listing
            .0
            .get_or_insert_with(|| children.iter().cloned().collect())
            .clone()
    }

    /// The znode's data; `None` when it was created without any.
    pub fn data(&self) -> Option<&[u8]> {
        self.data.as_deref()
    }

    /// The znode's `Stat` as clients see it (`DataNode.copyStat`): every child that is gone was
    /// created once and deleted once, so `cversion = 2 × creations − children`; and only a real
    /// ephemeral shows its owner, containers and TTL znodes show 0
    /// (`DataTree.getClientEphemeralOwner`).
    pub fn stat(&self) -> Stat {
        let num_children = len_i32(self.children.len());
        let ephemeral_owner = match self.kind() {
            NodeKind::Ephemeral(session) => session.0,
            _ => 0,
        };
        Stat {
            ephemeral_owner,
            cversion: self
                .persisted
                .cversion
                .wrapping_mul(2)
                .wrapping_sub(num_children),
            num_children,
            data_length: data_len(&self.data),
            ..self.persisted
        }
    }

    /// The number of children ever created: the next sequential suffix.
    pub fn sequence(&self) -> i32 {
        self.persisted.cversion
    }

    /// What kind of znode this is (decoded from `ephemeralOwner`).
    pub fn kind(&self) -> NodeKind {
        NodeKind::from_owner(self.persisted.ephemeral_owner)
    }

    /// Child names in ZooKeeper's sort order (zkCli sorts before printing).
    pub fn children(&self) -> impl ExactSizeIterator<Item = &str> {
        self.children.iter().map(String::as_str)
    }
}

/// How a znode is created: zkCli's `-s`, `-e`, `-c` and `-t ttl` flags (`CreateMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreateMode {
    /// Plain persistent znode.
    Persistent,
    /// Persistent, with a `%010d` sequence suffix.
    PersistentSequential,
    /// Deleted when the creating session ends.
    Ephemeral,
    /// Ephemeral, with a sequence suffix: the election recipe's candidate znode.
    EphemeralSequential,
    /// Deleted by the server once its last child is gone.
    Container,
    /// Persistent, deleted by the server after `ttl` ms without changes and without children.
    PersistentWithTtl(i64),
    /// Sequential and TTL.
    PersistentSequentialWithTtl(i64),
}

impl CreateMode {
    /// Whether the server appends a sequence suffix.
    pub fn is_sequential(self) -> bool {
        matches!(
            self,
            CreateMode::PersistentSequential
                | CreateMode::EphemeralSequential
                | CreateMode::PersistentSequentialWithTtl(_)
        )
    }

    pub(super) fn ttl(self) -> Option<i64> {
        match self {
            CreateMode::PersistentWithTtl(t) | CreateMode::PersistentSequentialWithTtl(t) => {
                Some(t)
            }
            _ => None,
        }
    }

    pub(super) fn kind(self, session: SessionId) -> NodeKind {
        match self {
            CreateMode::Persistent | CreateMode::PersistentSequential => NodeKind::Persistent,
            CreateMode::Ephemeral | CreateMode::EphemeralSequential => NodeKind::Ephemeral(session),
            CreateMode::Container => NodeKind::Container,
            CreateMode::PersistentWithTtl(t) | CreateMode::PersistentSequentialWithTtl(t) => {
                NodeKind::Ttl(t)
            }
        }
    }
}

/// The length ZooKeeper gives `data` (0 for none).
pub(super) fn data_len(data: &Option<Vec<u8>>) -> i32 {
    data.as_ref().map_or(0, |d| len_i32(d.len()))
}

/// `n`, as the `int` ZooKeeper counts in.
pub(super) fn len_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
