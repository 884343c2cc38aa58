//! The zkCli shell's backend on a real ZooKeeper: the same shell as `zooscope zkcli` and the
//! page's console (`zooscope_core::zkcli::Shell`), its requests sent through a real client
//! library (`zookeeper-client`) to a real ensemble.
//!
//! The shell is synchronous; each request is run to its end on a runtime of the backend's own.
//! Watches are the client library's: each one-shot watch waits on a task of its own, each
//! persistent watch on a task that loops, and what they see is handed to the shell when it
//! asks. Two things the client library cannot say as zkCli's Java client does: it sends
//! empty data where zkCli sends none (so a znode created without data reads back as empty,
//! not `null`), and it has no call to remove a watch the server holds — `removewatches` stops
//! listening here, and the server's watch goes when it next fires.
//!
//! Imports [`crate::tree`]'s stat conversion; from the core, the shell's backend and its ops.

use crate::tree::core_stat;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;
use zookeeper_client::{Acls, AddWatchMode, Client, CreateOptions, Error};
use zooscope_core::ids::{Millis, SessionId};
use zooscope_core::zk::error::KeeperError;
use zooscope_core::zk::op::{Op, OpResult, Reply};
use zooscope_core::zk::watch::EventType;
use zooscope_core::zk::watch::WatcherType;
use zooscope_core::zk::znode::CreateMode;

/// How long one request may take before it counts as a lost connection.
const PATIENCE: Duration = Duration::from_secs(10);

/// What the watches saw, waiting for the shell to print it.
type Seen = Arc<Mutex<Vec<(EventType, String)>>>;

/// A zkCli backend on a real ensemble.
pub struct RealBackend {
    runtime: tokio::runtime::Runtime,
    zk: String,
    client: Option<Client>,
    seen: Seen,
    /// The tasks waiting on watches, by path, with whether each is a data watch (data and
    /// exists) or a child watch; persistent ones count as both.
    watching: BTreeMap<String, Vec<(WatchKind, JoinHandle<()>)>>,
}

/// Which watch a task waits on, as `removewatches` chooses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WatchKind {
    Data,
    Children,
    Persistent,
}

impl std::fmt::Debug for RealBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RealBackend").field("zk", &self.zk).finish()
    }
}

impl RealBackend {
    /// A backend for the ensemble at `zk` (`host:port[,host:port…]`); it connects when the
    /// shell opens its session.
    pub fn new(zk: &str) -> std::io::Result<RealBackend> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(RealBackend {
            runtime,
            zk: zk.to_owned(),
            client: None,
            seen: Seen::default(),
            watching: BTreeMap::new(),
        })
    }

    fn watch_oneshot(
        &mut self,
        path: &str,
        kind: WatchKind,
        watcher: zookeeper_client::OneshotWatcher,
    ) {
        let seen = self.seen.clone();
        let task = self.runtime.spawn(async move {
            note(&seen, &watcher.changed().await);
        });
        self.watching
            .entry(path.to_owned())
            .or_default()
            .push((kind, task));
    }

    fn watch_persistent(&mut self, path: &str, mut watcher: zookeeper_client::PersistentWatcher) {
        let seen = self.seen.clone();
        let task = self.runtime.spawn(async move {
            loop {
                let event = watcher.changed().await;
                if event.session_state.is_terminated() {
                    return;
                }
                note(&seen, &event);
            }
        });
        self.watching
            .entry(path.to_owned())
            .or_default()
            .push((WatchKind::Persistent, task));
    }

    /// Runs one request to its end; a server that does not answer in time is a lost
    /// connection.
    fn request<T>(
        &self,
        path: &str,
        future: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<T, KeeperError> {
        match self
            .runtime
            .block_on(async { tokio::time::timeout(PATIENCE, future).await })
        {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(keeper_error(e, path)),
            Err(_) => Err(KeeperError::ConnectionLoss(path.to_owned())),
        }
    }

    /// `removewatches`: stops listening to the path's watches of `which`.
    fn remove_watches(&mut self, path: &str, which: WatcherType) -> Reply {
        let wanted = |kind: WatchKind| match which {
            WatcherType::Any => true,
            WatcherType::Data => kind == WatchKind::Data,
            WatcherType::Children => kind == WatchKind::Children,
        };
        let tasks = self.watching.entry(path.to_owned()).or_default();
        tasks.retain(|(_, task)| !task.is_finished());
        let before = tasks.len();
        tasks.retain(|(kind, task)| {
            if wanted(*kind) {
                task.abort();
                false
            } else {
                true
            }
        });
        if tasks.len() == before {
            return Err(KeeperError::NoWatcher(path.to_owned()));
        }
        Ok(OpResult::WatchesRemoved)
    }
}

impl zooscope_core::zkcli::backend::Backend for RealBackend {
    fn open_session(&mut self, timeout_ms: i32, _now: Millis) -> Result<SessionId, KeeperError> {
        let timeout = Duration::from_millis(u64::try_from(timeout_ms).unwrap_or(30_000));
        let zk = self.zk.clone();
        let connected = self.runtime.block_on(async {
            tokio::time::timeout(
                PATIENCE,
                Client::connector()
                    .with_session_timeout(timeout)
                    .connect(&zk),
            )
            .await
        });
        match connected {
            Ok(Ok(client)) => {
                let session = SessionId(client.session_id().0);
                self.client = Some(client);
                Ok(session)
            }
            _ => Err(KeeperError::ConnectionLoss("/".into())),
        }
    }

    fn close_session(&mut self, _session: SessionId, _now: Millis) -> Vec<(EventType, String)> {
        // Dropping the last handle sends CloseSession; the runtime lets it go out.
        self.client = None;
        for (_, task) in std::mem::take(&mut self.watching).into_values().flatten() {
            task.abort();
        }
        self.runtime
            .block_on(async { tokio::time::sleep(Duration::from_millis(200)).await });
        self.take_events(SessionId(0))
    }

    fn call(&mut self, _session: SessionId, op: Op, _now: Millis) -> Reply {
        let path = op.path().to_owned();
        let Some(client) = self.client.clone() else {
            return Err(KeeperError::ConnectionLoss(path));
        };
        let version = |v: i32| (v >= 0).then_some(v);
        match op {
            Op::Create {
                path: p,
                data,
                mode,
            } => {
                let (kind, ttl) = client_mode(mode);
                let mut options: CreateOptions<'_> = kind.with_acls(Acls::anyone_all());
                if let Some(ttl) = ttl {
                    options = options.with_ttl(ttl);
                }
                let data = data.unwrap_or_default();
                let (stat, sequence) = self.request(&p, client.create(&p, &data, &options))?;
                let created = if mode.is_sequential() {
                    format!("{p}{sequence}")
                } else {
                    p
                };
                Ok(OpResult::Created {
                    path: created,
                    stat: core_stat(&stat),
                })
            }
            Op::Delete {
                path: p,
                version: v,
            } => {
                self.request(&p, client.delete(&p, version(v)))?;
                Ok(OpResult::Deleted)
            }
            Op::SetData {
                path: p,
                data,
                version: v,
            } => {
                let data = data.unwrap_or_default();
                let stat = self.request(&p, client.set_data(&p, &data, version(v)))?;
                Ok(OpResult::Set(core_stat(&stat)))
            }
            Op::GetData {
                path: p,
                watch: true,
            } => {
                let (data, stat, watcher) = self.request(&p, client.get_and_watch_data(&p))?;
                self.watch_oneshot(&p, WatchKind::Data, watcher);
                Ok(OpResult::Data(Some(data), core_stat(&stat)))
            }
            Op::GetData {
                path: p,
                watch: false,
            } => {
                let (data, stat) = self.request(&p, client.get_data(&p))?;
                Ok(OpResult::Data(Some(data), core_stat(&stat)))
            }
            Op::Exists {
                path: p,
                watch: true,
            } => {
                let (stat, watcher) = self.request(&p, client.check_and_watch_stat(&p))?;
                self.watch_oneshot(&p, WatchKind::Data, watcher);
                Ok(OpResult::Exists(stat.as_ref().map(core_stat)))
            }
            Op::Exists {
                path: p,
                watch: false,
            } => {
                let stat = self.request(&p, client.check_stat(&p))?;
                Ok(OpResult::Exists(stat.as_ref().map(core_stat)))
            }
            Op::GetChildren {
                path: p,
                watch: true,
            } => {
                let (mut children, stat, watcher) =
                    self.request(&p, client.get_and_watch_children(&p))?;
                self.watch_oneshot(&p, WatchKind::Children, watcher);
                children.sort();
                Ok(OpResult::Children(children.into(), core_stat(&stat)))
            }
            Op::GetChildren {
                path: p,
                watch: false,
            } => {
                let (mut children, stat) = self.request(&p, client.get_children(&p))?;
                children.sort();
                Ok(OpResult::Children(children.into(), core_stat(&stat)))
            }
            Op::GetEphemerals { prefix } => {
                let paths = self.request(&prefix, client.list_ephemerals(&prefix))?;
                Ok(OpResult::Ephemerals(paths))
            }
            Op::Sync { path: p } => {
                self.request(&p, client.sync(&p))?;
                Ok(OpResult::Synced)
            }
            Op::CloseSession => {
                self.close_session(SessionId(0), Millis(0));
                Ok(OpResult::Closed)
            }
            Op::AddWatch { path: p, recursive } => {
                let mode = if recursive {
                    AddWatchMode::PersistentRecursive
                } else {
                    AddWatchMode::Persistent
                };
                let watcher = self.request(&p, client.watch(&p, mode))?;
                self.watch_persistent(&p, watcher);
                Ok(OpResult::WatchAdded)
            }
            Op::RemoveWatches { path: p, which } => self.remove_watches(&p, which),
            Op::GetAllChildrenNumber { path: p } => {
                let count = self.request(&p, client.count_descendants_number(&p))?;
                Ok(OpResult::Count(count))
            }
        }
    }

    fn take_events(&mut self, _session: SessionId) -> Vec<(EventType, String)> {
        self.seen
            .lock()
            .map(|mut seen| std::mem::take(&mut *seen))
            .unwrap_or_default()
    }

    /// The client library keeps the session alive on its own.
    fn advance(&mut self, _session: Option<SessionId>, _now: Millis) {}

    fn children(&self, path: &str) -> Option<Vec<String>> {
        let client = self.client.clone()?;
        let path = path.to_owned();
        self.runtime
            .block_on(async move {
                tokio::time::timeout(Duration::from_secs(2), client.list_children(&path)).await
            })
            .ok()?
            .ok()
    }
}

/// The client library's create mode (and TTL) for the core's.
fn client_mode(mode: CreateMode) -> (zookeeper_client::CreateMode, Option<Duration>) {
    use zookeeper_client::CreateMode as M;
    let ttl = |ms: i64| Some(Duration::from_millis(u64::try_from(ms).unwrap_or(0)));
    match mode {
        CreateMode::Persistent => (M::Persistent, None),
        CreateMode::PersistentSequential => (M::PersistentSequential, None),
        CreateMode::Ephemeral => (M::Ephemeral, None),
        CreateMode::EphemeralSequential => (M::EphemeralSequential, None),
        CreateMode::Container => (M::Container, None),
        CreateMode::PersistentWithTtl(ms) => (M::Persistent, ttl(ms)),
        CreateMode::PersistentSequentialWithTtl(ms) => (M::PersistentSequential, ttl(ms)),
    }
}

/// Keeps a watch event for the shell (session events are the shell's own).
fn note(seen: &Seen, event: &zookeeper_client::WatchedEvent) {
    if let Some(kind) = event_type(event.event_type) {
        if let Ok(mut seen) = seen.lock() {
            seen.push((kind, event.path.clone()));
        }
    }
}

/// What a watch event is, in the core's terms (session events are the shell's own).
fn event_type(kind: zookeeper_client::EventType) -> Option<EventType> {
    use zookeeper_client::EventType as E;
    match kind {
        E::NodeCreated => Some(EventType::NodeCreated),
        E::NodeDeleted => Some(EventType::NodeDeleted),
        E::NodeDataChanged => Some(EventType::NodeDataChanged),
        E::NodeChildrenChanged => Some(EventType::NodeChildrenChanged),
        _ => None,
    }
}

/// The client library's error as ZooKeeper's `KeeperException` for `path`.
fn keeper_error(e: Error, path: &str) -> KeeperError {
    let path = path.to_owned();
    match e {
        Error::NoNode => KeeperError::NoNode(path),
        Error::NodeExists => KeeperError::NodeExists(path),
        Error::NotEmpty => KeeperError::NotEmpty(path),
        Error::BadVersion => KeeperError::BadVersion(path),
        Error::NoChildrenForEphemerals => KeeperError::NoChildrenForEphemerals(path),
        Error::BadArguments(_) => KeeperError::BadArguments(path),
        Error::NoWatcher => KeeperError::NoWatcher(path),
        Error::SessionExpired => KeeperError::SessionExpired(path),
        Error::NoAuth | Error::AuthFailed => KeeperError::AuthFailed(path),
        _ => KeeperError::ConnectionLoss(path),
    }
}
