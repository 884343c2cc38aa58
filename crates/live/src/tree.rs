//! The znode tree of a real ensemble, kept current the way a ZooKeeper client should: one
//! persistent recursive watch on `/`, and a read of each znode an event names (its data and
//! stat, its children) — not a poll of every node. After the session reconnects, events may
//! have been lost ([ZOOKEEPER-4698]), so the whole tree is read again.
//!
//! Imports [`crate::LiveError`]; from the core, the picture's znode type and the stat.
//!
//! [ZOOKEEPER-4698]: https://issues.apache.org/jira/browse/ZOOKEEPER-4698

use crate::LiveError;
use std::collections::BTreeMap;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;
use zookeeper_client::{AddWatchMode, Client, Error, EventType, SessionState};
use zooscope_core::ids::{Millis, Zxid};
use zooscope_core::picture::ZnodePicture;
use zooscope_core::{NodeKind, Stat};

/// The tree as last read, by path; shared with whoever draws it.
pub type SharedTree = Arc<Mutex<BTreeMap<String, ZnodePicture>>>;

/// What the follower saw, for the narration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeNews {
    /// The follower's own session (nobody's process: the picture leaves it out).
    Session(i64),
    /// A znode was created.
    Created(String),
    /// A znode was deleted.
    Deleted(String),
    /// A znode's data changed.
    Changed(String),
}

/// Follows the ensemble at `zk` on a thread of its own (with its own runtime) for as long as
/// the receiver it returns is kept.
pub fn spawn_follower(zk: String, tree: SharedTree) -> Result<mpsc::Receiver<TreeNews>, LiveError> {
    let (sender, receiver) = mpsc::channel();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LiveError::io("starting the tree's follower", e))?;
    std::thread::spawn(move || {
        runtime.block_on(async {
            // A follower whose session ended starts over while anyone listens (a session of
            // 0 is none: it asks whether anyone still does).
            while sender.send(TreeNews::Session(0)).is_ok() {
                let mut news = |n: TreeNews| {
                    let _ = sender.send(n);
                };
                if follow(&zk, tree.clone(), &mut news).await.is_err() {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        });
    });
    Ok(receiver)
}

/// Follows the ensemble at `zk`: reads the whole tree, then each znode an event names,
/// writing into `tree` and telling `news` what happened. Returns when the session ends.
pub async fn follow(
    zk: &str,
    tree: SharedTree,
    news: &mut (impl FnMut(TreeNews) + Send),
) -> Result<(), LiveError> {
    let client = Client::connector()
        .with_session_timeout(Duration::from_secs(10))
        .connect(zk)
        .await?;
    news(TreeNews::Session(client.session_id().0));
    let mut watcher = client.watch("/", AddWatchMode::PersistentRecursive).await?;
    read_all(&client, &tree).await?;
    loop {
        let event = watcher.changed().await;
        match event.event_type {
            EventType::Session => match event.session_state {
                SessionState::SyncConnected => read_all(&client, &tree).await?,
                state if state.is_terminated() => return Ok(()),
                _ => {}
            },
            EventType::NodeCreated => {
                read_one(&client, &tree, &event.path).await?;
                refresh_parent(&client, &tree, &event.path).await?;
                news(TreeNews::Created(event.path.clone()));
            }
            EventType::NodeDeleted => {
                if let Ok(mut t) = tree.lock() {
                    t.remove(&event.path);
                }
                refresh_parent(&client, &tree, &event.path).await?;
                news(TreeNews::Deleted(event.path.clone()));
            }
            EventType::NodeDataChanged => {
                read_one(&client, &tree, &event.path).await?;
                news(TreeNews::Changed(event.path.clone()));
            }
            _ => {}
        }
    }
}

/// Reads every znode from `/` down, replacing what was known.
async fn read_all(client: &Client, tree: &SharedTree) -> Result<(), LiveError> {
    let mut fresh = BTreeMap::new();
    let mut todo = vec!["/".to_owned()];
    while let Some(path) = todo.pop() {
        if let Some(node) = read(client, &path).await? {
            for child in &node.children {
                todo.push(join(&path, child));
            }
            fresh.insert(path, node);
        }
    }
    if let Ok(mut t) = tree.lock() {
        *t = fresh;
    }
    Ok(())
}

/// Reads one znode again (it may be gone by now).
async fn read_one(client: &Client, tree: &SharedTree, path: &str) -> Result<(), LiveError> {
    let node = read(client, path).await?;
    if let Ok(mut t) = tree.lock() {
        match node {
            Some(node) => t.insert(path.to_owned(), node),
            None => t.remove(path),
        };
    }
    Ok(())
}

/// Reads a znode's parent again: its children and its stat (cversion, pzxid) changed.
async fn refresh_parent(client: &Client, tree: &SharedTree, path: &str) -> Result<(), LiveError> {
    match path.rsplit_once('/') {
        Some(("", _)) => read_one(client, tree, "/").await,
        Some((parent, _)) => read_one(client, tree, parent).await,
        None => Ok(()),
    }
}

/// One znode's data, stat and children; `None` once it is gone.
async fn read(client: &Client, path: &str) -> Result<Option<ZnodePicture>, LiveError> {
    let (data, stat) = match client.get_data(path).await {
        Ok(found) => found,
        Err(Error::NoNode) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut children = match client.list_children(path).await {
        Ok(children) => children,
        Err(Error::NoNode) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    children.sort();
    let stat = core_stat(&stat);
    Ok(Some(ZnodePicture {
        kind: NodeKind::from_owner(stat.ephemeral_owner),
        data: (!data.is_empty()).then(|| String::from_utf8_lossy(&data).into_owned()),
        stat,
        children,
    }))
}

/// The client library's stat in the core's terms.
pub(crate) fn core_stat(s: &zookeeper_client::Stat) -> Stat {
    Stat {
        czxid: Zxid(s.czxid),
        mzxid: Zxid(s.mzxid),
        ctime: Millis(s.ctime),
        mtime: Millis(s.mtime),
        version: s.version,
        cversion: s.cversion,
        aversion: s.aversion,
        ephemeral_owner: s.ephemeral_owner,
        data_length: s.data_length,
        num_children: s.num_children,
        pzxid: Zxid(s.pzxid),
    }
}

/// `/a` + `b` → `/a/b`; `/` + `b` → `/b`.
fn join(parent: &str, child: &str) -> String {
    if parent == "/" {
        format!("/{child}")
    } else {
        format!("{parent}/{child}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_join_their_parent() {
        assert_eq!(join("/", "election"), "/election");
        assert_eq!(join("/election", "c_1"), "/election/c_1");
    }
}
