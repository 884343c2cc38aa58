//! The znode tree: ZooKeeper's `DataTree`, with the checks of `PrepRequestProcessor` split from
//! the application of transactions, as on the real server.
//!
//! A write is first *prepared* against the current tree ([`DataTree::prepare_create`] and
//! friends), which either fails with the [`KeeperError`] the server would return or yields a
//! [`Txn`]. The transaction gets the next zxid and is then *applied* ([`DataTree::apply`]) on
//! every replica; applying never fails. A failed write is still a transaction: ZooKeeper gives it
//! a zxid and logs an error transaction ([`Txn::Error`]).
//!
//! Sources of truth: ZooKeeper 3.8 `DataTree` (createNode, deleteNode, setData, killSession) and
//! `PrepRequestProcessor` (pRequest2TxnCreate, delete, setData, checkAndIncVersion).
//!
//! Imports [`crate::ids`] and its siblings in [`crate::zk`]; outside the crate, `litemap`, `serde`.

use crate::ids::{Millis, SessionId, Zxid};
use crate::zk::error::KeeperError;
use crate::zk::java_order;
use crate::zk::path;
use crate::zk::stat::{NodeKind, Stat, MAX_TTL_MS};
use crate::zk::txn::{Change, Txn};
use crate::zk::znode::{CreateMode, Znode};
use litemap::LiteMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The paths a fresh ZooKeeper 3.8 server holds besides `/` (`DataTree` constructor).
pub const SYSTEM_PATHS: [&str; 3] = ["/zookeeper", "/zookeeper/config", "/zookeeper/quota"];

/// Server settings that change which creates are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TreeConfig {
    /// `zookeeper.extendedTypesEnabled`: TTL znodes are refused (Unimplemented) without it.
    /// ZooKeeper's default is `false`.
    pub extended_types_enabled: bool,
}

/// One session's ephemerals: ZooKeeper keeps them in a `HashSet`, whose iteration order
/// clients can see ([`crate::zk::java_order`]); this keeps what that order depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct SessionEphemerals {
    /// Each path with its insertion sequence number.
    paths: BTreeMap<String, u64>,
    next_seq: u64,
    /// The most paths the set ever held (its table never shrinks).
    max_len: usize,
}

impl SessionEphemerals {
    fn insert(&mut self, path: &str) {
        self.paths.insert(path.to_owned(), self.next_seq);
        self.next_seq += 1;
        self.max_len = self.max_len.max(self.paths.len());
    }

    /// The paths in the order of iterating over a clone of the server's set.
    fn in_java_order(&self) -> Vec<&str> {
        let members = self
            .paths
            .iter()
            .map(|(p, seq)| (p.as_str(), java_order::string_hash(p), *seq))
            .collect();
        java_order::clone_iteration_order(members, self.max_len)
    }
}

/// The znode tree of one ZooKeeper server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataTree {
    config: TreeConfig,
    nodes: BTreeMap<String, Znode>,
    /// Ephemeral paths per owning session (`DataTree.ephemerals`).
    ephemerals: LiteMap<SessionId, SessionEphemerals>,
    last_zxid: Zxid,
}

impl Default for DataTree {
    fn default() -> Self {
        DataTree::new(TreeConfig::default())
    }
}

impl DataTree {
    /// The tree of a fresh server: `/`, `/zookeeper`, `/zookeeper/config`, `/zookeeper/quota`,
    /// all created at zxid 0, time 0, with empty data. They are linked without counting as
    /// child creations, so a fresh `/` shows cversion -1 and `/zookeeper` -2, and
    /// `/zookeeper/config` has aclVersion -1, as recorded from a real 3.8 server.
    pub fn new(config: TreeConfig) -> DataTree {
        let mut nodes = BTreeMap::new();
        nodes.insert(
            "/".to_owned(),
            Znode::new(Some(Vec::new()), Stat::default()),
        );
        for p in SYSTEM_PATHS {
            let aversion = if p == "/zookeeper/config" { -1 } else { 0 };
            let stat = Stat {
                aversion,
                ..Stat::default()
            };
            nodes.insert(p.to_owned(), Znode::new(Some(Vec::new()), stat));
            if let Some(parent) = nodes.get_mut(path::parent(p)) {
                parent.add_child(path::name(p));
            }
        }
        DataTree {
            config,
            nodes,
            ephemerals: LiteMap::new(),
            last_zxid: Zxid::ZERO,
        }
    }

    /// The znode at `path`, if any.
    pub fn get(&self, path: &str) -> Option<&Znode> {
        self.nodes.get(path)
    }

    /// The children of the znode at `path` (a list shared until they change) and its stat.
    pub fn listing(&mut self, path: &str) -> Option<(Arc<[String]>, Stat)> {
        let node = self.nodes.get_mut(path)?;
        Some((node.listing(), node.stat()))
    }

    /// Every znode, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Znode)> {
        self.nodes.iter().map(|(p, n)| (p.as_str(), n))
    }

    /// Number of znodes, including `/` and the system znodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Never true: a tree always holds `/`.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Zxid of the last transaction applied.
    pub fn last_zxid(&self) -> Zxid {
        self.last_zxid
    }

    /// Paths of the ephemerals `session` owns, in the order the server reports them and
    /// deletes them when the session ends (Java's `HashSet` order, see [`crate::zk::java_order`]).
    pub fn ephemerals(&self, session: SessionId) -> Vec<&str> {
        self.ephemerals
            .get(&session)
            .map(SessionEphemerals::in_java_order)
            .unwrap_or_default()
    }

    /// Number of descendants of `path` (`DataTree.getAllChildrenNumber`); for `/`, every znode
    /// but the root.
    pub fn all_children_number(&self, path: &str) -> usize {
        if path == "/" {
            return self.nodes.len() - 1;
        }
        let prefix = format!("{path}/");
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .count()
    }

    fn node(&self, path: &str, request_path: &str) -> Result<&Znode, KeeperError> {
        self.nodes
            .get(path)
            .ok_or_else(|| KeeperError::NoNode(request_path.to_owned()))
    }

    /// Checks a create as `PrepRequestProcessor.pRequest2TxnCreate` does and yields its
    /// transaction. `session` owns the znode if it is ephemeral.
    pub fn prepare_create(
        &self,
        request_path: &str,
        data: Option<Vec<u8>>,
        mode: CreateMode,
        session: SessionId,
    ) -> Result<Txn, KeeperError> {
        let bad = || KeeperError::BadArguments(request_path.to_owned());
        // validateCreateRequest: TTL nodes need extended types and a TTL in range.
        if let Some(ttl) = mode.ttl() {
            if !self.config.extended_types_enabled {
                return Err(KeeperError::Unimplemented(request_path.to_owned()));
            }
            if ttl <= 0 || ttl > MAX_TTL_MS {
                return Err(bad());
            }
        }
        path::validate(request_path, mode.is_sequential()).map_err(|_| bad())?;
        // For "/" the parent is the root itself: a plain create finds "/" taken, a sequential
        // one creates "/0000000003" under the root, exactly as the real server does.
        let parent_path = path::parent(request_path);
        let parent = self.node(parent_path, request_path)?;
        let parent_cversion = parent.sequence();
        let final_path = if mode.is_sequential() {
            format!("{request_path}{parent_cversion:010}")
        } else {
            request_path.to_owned()
        };
        if self.nodes.contains_key(&final_path) {
            return Err(KeeperError::NodeExists(request_path.to_owned()));
        }
        if matches!(parent.kind(), NodeKind::Ephemeral(_)) {
            return Err(KeeperError::NoChildrenForEphemerals(
                request_path.to_owned(),
            ));
        }
        Ok(Txn::Create {
            path: final_path,
            data,
            kind: mode.kind(session),
            parent_cversion: parent_cversion.wrapping_add(1),
        })
    }

    /// Checks a delete as `PrepRequestProcessor` does (`version` -1 means any version).
    pub fn prepare_delete(&self, request_path: &str, version: i32) -> Result<Txn, KeeperError> {
        let bad = || KeeperError::BadArguments(request_path.to_owned());
        path::validate(request_path, false).map_err(|_| bad())?;
        if request_path == "/" || SYSTEM_PATHS.contains(&request_path) {
            return Err(bad()); // ZKDatabase.isSpecialPath
        }
        self.node(path::parent(request_path), request_path)?;
        let node = self.node(request_path, request_path)?;
        check_version(node.persisted.version, version, request_path)?;
        if !node.children.is_empty() {
            return Err(KeeperError::NotEmpty(request_path.to_owned()));
        }
        Ok(Txn::Delete {
            path: request_path.to_owned(),
        })
    }

    /// Checks the server's own `deleteContainer` request (sent by the container reaper) as
    /// `PrepRequestProcessor` does: the znode must be childless and a container or TTL znode.
    pub fn prepare_delete_container(&self, request_path: &str) -> Result<Txn, KeeperError> {
        if !request_path.contains('/') || request_path.contains('\0') {
            return Err(KeeperError::BadArguments(request_path.to_owned()));
        }
        let node = self.node(request_path, request_path)?;
        if !node.children.is_empty() {
            return Err(KeeperError::NotEmpty(request_path.to_owned()));
        }
        if matches!(node.kind(), NodeKind::Persistent | NodeKind::Ephemeral(_)) {
            return Err(KeeperError::BadVersion(request_path.to_owned()));
        }
        Ok(Txn::Delete {
            path: request_path.to_owned(),
        })
    }

    /// Containers and TTL znodes the reaper should delete at `now`
    /// (`ContainerManager.getCandidates`): containers that have had a child and have none
    /// left, then childless TTL znodes unmodified for longer than their TTL. Path order.
    pub fn reap_candidates(&self, now: Millis) -> Vec<String> {
        let childless = || self.nodes.iter().filter(|(_, n)| n.children.is_empty());
        let containers = childless()
            .filter(|(_, n)| n.kind() == NodeKind::Container && n.persisted.cversion > 0);
        let expired_ttls = childless().filter(|(_, n)| match n.kind() {
            NodeKind::Ttl(ttl) => {
                self.config.extended_types_enabled
                    && ttl != 0
                    && now.0.saturating_sub(n.persisted.mtime.0) > ttl
            }
            _ => false,
        });
        containers
            .chain(expired_ttls)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// Checks a setData as `PrepRequestProcessor` does (`version` -1 means any version).
    pub fn prepare_set_data(
        &self,
        request_path: &str,
        data: Option<Vec<u8>>,
        version: i32,
    ) -> Result<Txn, KeeperError> {
        path::validate(request_path, false)
            .map_err(|_| KeeperError::BadArguments(request_path.to_owned()))?;
        let node = self.node(request_path, request_path)?;
        let next = check_version(node.persisted.version, version, request_path)?;
        Ok(Txn::SetData {
            path: request_path.to_owned(),
            data,
            version: next,
        })
    }

    /// Applies a prepared transaction at `zxid` and simulated `time`; returns what changed, in
    /// the order ZooKeeper triggers watches. Applying never fails: a transaction that no longer
    /// fits the tree (impossible when prepared on the same state) changes nothing.
    pub fn apply(&mut self, txn: &Txn, zxid: Zxid, time: Millis) -> Vec<Change> {
        self.last_zxid = self.last_zxid.max(zxid);
        let mut changes = Vec::new();
        match txn {
            Txn::Create {
                path,
                data,
                kind,
                parent_cversion,
            } => self.create_node(
                path,
                data.clone(),
                *kind,
                *parent_cversion,
                zxid,
                time,
                &mut changes,
            ),
            Txn::Delete { path } => self.delete_node(path, zxid, &mut changes),
            Txn::SetData {
                path,
                data,
                version,
            } => {
                if let Some(node) = self.nodes.get_mut(path) {
                    node.data = data.clone();
                    node.persisted.mtime = time;
                    node.persisted.mzxid = zxid;
                    node.persisted.version = *version;
                    changes.push(Change::DataChanged(path.clone()));
                }
            }
            Txn::CloseSession { session } => {
                // DataTree.killSession: every ephemeral of the session, under this zxid.
                let doomed: Vec<String> = self
                    .ephemerals(*session)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                self.ephemerals.remove(session);
                for path in doomed {
                    self.delete_node(&path, zxid, &mut changes);
                }
            }
            Txn::CreateSession { .. } | Txn::Error(_) => {}
        }
        changes
    }

    #[allow(clippy::too_many_arguments)]
    fn create_node(
        &mut self,
        path: &str,
        data: Option<Vec<u8>>,
        kind: NodeKind,
        parent_cversion: i32,
        zxid: Zxid,
        time: Millis,
        changes: &mut Vec<Change>,
    ) {
        let parent_path = path::parent(path);
        if self.nodes.contains_key(path) {
            return;
        }
        let Some(parent) = self.nodes.get_mut(parent_path) else {
            return;
        };
        if parent_cversion > parent.persisted.cversion {
            parent.persisted.cversion = parent_cversion;
            parent.persisted.pzxid = zxid;
        }
        parent.add_child(path::name(path));
        let stat = Stat {
            czxid: zxid,
            mzxid: zxid,
            ctime: time,
            mtime: time,
            version: 0,
            cversion: 0,
            aversion: 0,
            ephemeral_owner: kind.owner(),
            data_length: 0,
            num_children: 0,
            pzxid: zxid,
        };
        self.nodes.insert(path.to_owned(), Znode::new(data, stat));
        if let NodeKind::Ephemeral(session) = kind {
            self.ephemerals.entry(session).or_default().insert(path);
        }
        changes.push(Change::Created(path.to_owned()));
        changes.push(Change::ChildrenChanged(parent_path.to_owned()));
    }

    fn delete_node(&mut self, path: &str, zxid: Zxid, changes: &mut Vec<Change>) {
        let parent_path = path::parent(path);
        let Some(node) = self.nodes.remove(path) else {
            return;
        };
        if let Some(parent) = self.nodes.get_mut(parent_path) {
            parent.remove_child(path::name(path));
            if zxid > parent.persisted.pzxid {
                parent.persisted.pzxid = zxid;
            }
        }
        if let NodeKind::Ephemeral(session) = node.kind() {
            // Like ZooKeeper, keep the (maybe empty) set until the session ends.
            if let Some(set) = self.ephemerals.get_mut(&session) {
                set.paths.remove(path);
            }
        }
        changes.push(Change::Deleted(path.to_owned()));
        changes.push(Change::ChildrenChanged(parent_path.to_owned()));
    }
}

/// `PrepRequestProcessor.checkAndIncVersion`: -1 matches any version; the result is the next
/// version, wrapping like a Java `int`.
fn check_version(current: i32, expected: i32, path: &str) -> Result<i32, KeeperError> {
    if expected != -1 && expected != current {
        return Err(KeeperError::BadVersion(path.to_owned()));
    }
    Ok(current.wrapping_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zk::server::{Server, ServerConfig};

    const T: Millis = Millis(1_000);
    const S: SessionId = SessionId(0x100);

    fn server() -> (Server, SessionId) {
        let mut server = Server::new(1, ServerConfig::default(), T);
        let session = server.create_session(30_000, T);
        (server, session)
    }

    fn stat(server: &Server, path: &str) -> Stat {
        server.tree().get(path).map(Znode::stat).unwrap_or_default()
    }

    #[test]
    fn fresh_tree_matches_a_fresh_server() {
        let tree = DataTree::default();
        let paths: Vec<&str> = tree.iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            ["/", "/zookeeper", "/zookeeper/config", "/zookeeper/quota"]
        );
        // Recorded from ZooKeeper 3.8.0: `stat /` and `stat /zookeeper` on a fresh server.
        assert_eq!(tree.get("/").map(|n| n.stat().cversion), Some(-1));
        assert_eq!(tree.get("/zookeeper").map(|n| n.stat().cversion), Some(-2));
        assert_eq!(
            tree.get("/zookeeper/config").map(|n| n.stat().aversion),
            Some(-1)
        );
        assert_eq!(tree.all_children_number("/"), 3);
    }

    #[test]
    fn reads_share_one_listing_until_the_children_change() {
        let (mut s, sid) = server();
        let names = |s: &mut Server| s.get_children(sid, "/", false).map(|(c, _)| c);
        let first = names(&mut s);
        let again = names(&mut s);
        assert!(matches!((&first, &again), (Ok(a), Ok(b)) if Arc::ptr_eq(a, b)));
        assert_eq!(
            s.create(sid, "/a", None, CreateMode::Persistent, T)
                .as_deref(),
            Ok("/a")
        );
        let created = names(&mut s);
        assert_eq!(
            created.as_deref().ok(),
            Some(&["a", "zookeeper"].map(String::from)[..])
        );
        assert_eq!(s.delete("/a", -1, T), Ok(()));
        assert_eq!(
            names(&mut s).as_deref().ok(),
            Some(&["zookeeper".to_owned()][..])
        );
        // An answer already given keeps what it said.
        assert_eq!(created.map(|c| c.len()), Ok(2));
    }

    /// Recorded from ZooKeeper 3.8.0 (tests/conformance notes): sequence suffixes count child
    /// creations only, while the visible cversion counts creations and deletions.
    #[test]
    fn sequence_suffix_and_cversion_after_deletes() {
        let (mut s, sid) = server();
        let create = |s: &mut Server, p: &str, mode| s.create(sid, p, None, mode, T);
        assert_eq!(
            create(&mut s, "/p", CreateMode::Persistent).as_deref(),
            Ok("/p")
        );
        let seq = CreateMode::PersistentSequential;
        assert_eq!(
            create(&mut s, "/p/c_", seq).as_deref(),
            Ok("/p/c_0000000000")
        );
        assert_eq!(
            create(&mut s, "/p/c_", seq).as_deref(),
            Ok("/p/c_0000000001")
        );
        assert_eq!(
            (stat(&s, "/p").cversion, stat(&s, "/p").pzxid),
            (2, Zxid(4))
        );
        assert_eq!(s.delete("/p/c_0000000001", -1, T), Ok(()));
        assert_eq!(
            (stat(&s, "/p").cversion, stat(&s, "/p").pzxid),
            (3, Zxid(5))
        );
        assert_eq!(
            create(&mut s, "/p/c_", seq).as_deref(),
            Ok("/p/c_0000000002")
        );
        assert_eq!(stat(&s, "/p").cversion, 4);
        assert_eq!(s.delete("/p/c_0000000000", -1, T), Ok(()));
        assert_eq!(
            create(&mut s, "/p/c_", seq).as_deref(),
            Ok("/p/c_0000000003")
        );
        assert_eq!(
            (stat(&s, "/p").cversion, stat(&s, "/p").pzxid),
            (6, Zxid(8))
        );
        assert_eq!(stat(&s, "/p").num_children, 2);
    }

    #[test]
    fn failed_writes_consume_a_zxid() {
        let (mut s, sid) = server(); // session: 0x1
        assert!(s.create(sid, "/e", None, CreateMode::Persistent, T).is_ok()); // 0x2
        let again = s.create(sid, "/e", None, CreateMode::Persistent, T); // 0x3
        assert_eq!(again, Err(KeeperError::NodeExists("/e".into())));
        let orphan = s.create(sid, "/x/y", None, CreateMode::Persistent, T); // 0x4
        assert_eq!(orphan, Err(KeeperError::NoNode("/x/y".into())));
        assert!(s.create(sid, "/z", None, CreateMode::Persistent, T).is_ok()); // 0x5
        assert_eq!(stat(&s, "/z").czxid, Zxid(5));
    }

    #[test]
    fn sequential_create_on_root_numbers_a_child_of_root() {
        let (mut s, sid) = server();
        let created = s.create(sid, "/", None, CreateMode::PersistentSequential, T);
        assert_eq!(created.as_deref(), Ok("/0000000000"));
        let plain = s.create(sid, "/", None, CreateMode::Persistent, T);
        assert_eq!(plain, Err(KeeperError::NodeExists("/".into())));
    }

    #[test]
    fn ephemerals_cannot_have_children_and_die_with_their_session() {
        let (mut s, sid) = server();
        assert!(s.create(sid, "/e", None, CreateMode::Ephemeral, T).is_ok());
        assert_eq!(
            s.create(sid, "/e/c", None, CreateMode::Persistent, T),
            Err(KeeperError::NoChildrenForEphemerals("/e/c".into()))
        );
        assert_eq!(stat(&s, "/e").ephemeral_owner, sid.0);
        assert_eq!(s.tree().ephemerals(sid), ["/e"]);
        let watched = s.exists(sid, "/e", true);
        assert!(watched.is_some());
        let own_events = s.close_session(sid, T);
        assert_eq!(
            own_events.len(),
            1,
            "its own watch fires before the close completes"
        );
        assert!(s.tree().get("/e").is_none());
        assert!(!s.has_session(sid));
        assert_eq!(s.tree().ephemerals(sid).len(), 0);
    }

    #[test]
    fn conditional_set_and_delete_check_the_version() {
        let (mut s, sid) = server();
        assert!(s
            .create(sid, "/v", Some(b"a".to_vec()), CreateMode::Persistent, T)
            .is_ok());
        assert_eq!(
            s.set_data("/v", Some(b"b".to_vec()), 3, T),
            Err(KeeperError::BadVersion("/v".into()))
        );
        assert_eq!(
            s.set_data("/v", Some(b"bb".to_vec()), 0, T)
                .map(|st| st.version),
            Ok(1)
        );
        let st = stat(&s, "/v");
        assert_eq!((st.version, st.data_length), (1, 2));
        assert_eq!(
            s.delete("/v", 0, T),
            Err(KeeperError::BadVersion("/v".into()))
        );
        assert_eq!(s.delete("/v", 1, T), Ok(()));
    }

    #[test]
    fn system_znodes_cannot_be_deleted_and_full_ones_are_not_empty() {
        let (mut s, sid) = server();
        for p in ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"] {
            assert_eq!(s.delete(p, -1, T), Err(KeeperError::BadArguments(p.into())));
        }
        assert!(s.create(sid, "/a", None, CreateMode::Persistent, T).is_ok());
        assert!(s
            .create(sid, "/a/b", None, CreateMode::Persistent, T)
            .is_ok());
        assert_eq!(
            s.delete("/a", -1, T),
            Err(KeeperError::NotEmpty("/a".into()))
        );
    }

    #[test]
    fn ttl_nodes_need_extended_types() {
        let (mut s, sid) = server();
        let ttl = CreateMode::PersistentWithTtl(5_000);
        assert_eq!(
            s.create(sid, "/t", None, ttl, T),
            Err(KeeperError::Unimplemented("/t".into()))
        );
        let config = ServerConfig {
            tree: TreeConfig {
                extended_types_enabled: true,
            },
            ..ServerConfig::default()
        };
        let mut ext = Server::new(1, config, T);
        assert_eq!(ext.create(S, "/t", None, ttl, T).as_deref(), Ok("/t"));
        assert_eq!(
            ext.tree().get("/t").map(Znode::kind),
            Some(NodeKind::Ttl(5_000))
        );
    }
}
