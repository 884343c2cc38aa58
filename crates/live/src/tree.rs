//! The znode tree of a real ensemble, kept current the way a ZooKeeper client should: one
//! persistent recursive watch on `/`, and a read of each znode an event names (its data and
//! stat, its children) — not a poll of every node. After the session reconnects, events may
//! have been lost ([ZOOKEEPER-4698]), so the whole tree is read again.
//!
//! What it reads it sends as [`TreeNews`], to whoever keeps the tree (the live state): the
//! follower holds no tree of its own and shares nothing behind a lock.
//!
//! Imports [`crate::LiveError`]; from the core, the picture's znode type and the stat.
//!
//! [ZOOKEEPER-4698]: https://issues.apache.org/jira/browse/ZOOKEEPER-4698

use crate::LiveError;
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::time::Duration;
use zookeeper_client::{AddWatchMode, Client, Error, EventType, SessionState};
use zooscope_core::ids::{Millis, Zxid};
use zooscope_core::picture::ZnodePicture;
use zooscope_core::{NodeKind, Stat};

/// What the follower read and saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeNews {
    /// The follower's own session (nobody's process: the picture leaves it out).
    Session(i64),
    /// The whole tree, read from `/` down (at the start and after each reconnection).
    Whole(BTreeMap<String, ZnodePicture>),
    /// One znode read again: what it holds now, or `None` once it is gone.
    Read(String, Option<ZnodePicture>),
    /// A znode was created.
    Created(String),
    /// A znode was deleted.
    Deleted(String),
    /// A znode's data changed.
    Changed(String),
}

/// Follows the ensemble at `zk` on a thread of its own (with its own runtime) for as long as
/// the receiver it returns is kept.
pub fn spawn_follower(zk: String) -> Result<mpsc::Receiver<TreeNews>, LiveError> {
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
                if follow(&zk, &mut news).await.is_err() {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        });
    });
    Ok(receiver)
}

/// Follows the ensemble at `zk`: reads the whole tree, then each znode an event names,
/// telling `news` what it read and what happened. Returns when the session ends.
pub async fn follow(zk: &str, news: &mut (impl FnMut(TreeNews) + Send)) -> Result<(), LiveError> {
    let client = Client::connector()
        .with_session_timeout(Duration::from_secs(10))
        .connect(zk)
        .await?;
    news(TreeNews::Session(client.session_id().0));
    let mut watcher = client.watch("/", AddWatchMode::PersistentRecursive).await?;
    news(TreeNews::Whole(read_all(&client).await?));
    loop {
        let event = watcher.changed().await;
        match event.event_type {
            EventType::Session => match event.session_state {
                SessionState::SyncConnected => news(TreeNews::Whole(read_all(&client).await?)),
                state if state.is_terminated() => return Ok(()),
                _ => {}
            },
            EventType::NodeCreated => {
                news(read_one(&client, &event.path).await?);
                news(read_parent(&client, &event.path).await?);
                news(TreeNews::Created(event.path.clone()));
            }
            EventType::NodeDeleted => {
                news(TreeNews::Read(event.path.clone(), None));
                news(read_parent(&client, &event.path).await?);
                news(TreeNews::Deleted(event.path.clone()));
            }
            EventType::NodeDataChanged => {
                news(read_one(&client, &event.path).await?);
                news(TreeNews::Changed(event.path.clone()));
            }
            _ => {}
        }
    }
}

/// Reads every znode from `/` down.
async fn read_all(client: &Client) -> Result<BTreeMap<String, ZnodePicture>, LiveError> {
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
    Ok(fresh)
}

/// Reads one znode again (it may be gone by now).
async fn read_one(client: &Client, path: &str) -> Result<TreeNews, LiveError> {
    Ok(TreeNews::Read(path.to_owned(), read(client, path).await?))
}

/// Reads a znode's parent again: its children and its stat (cversion, pzxid) changed.
async fn read_parent(client: &Client, path: &str) -> Result<TreeNews, LiveError> {
    let parent = match path.rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((parent, _)) => parent,
    };
    read_one(client, parent).await
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
