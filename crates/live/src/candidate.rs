//! One application process running the lecture's election on a real ZooKeeper.
//!
//! The same three steps as the model's recipe (`zooscope_core::recipe`), through a real client
//! library:
//!
//! 1. **volunteer** — create an ephemeral sequential znode `/election/c_`;
//! 2. **elect** — read the children of `/election`;
//! 3. **check leadership** — the smallest candidate leads; every other process watches only
//!    its predecessor (successor recipe) or all the children (herd recipe), and goes back to
//!    step 2 when the watch fires.
//!
//! Every step is reported as one JSON object per line ([`Report`]), which is how a parent
//! (the failover measurement, live mode's bridge) follows the process. A session that expires
//! starts over with a new session and a new candidate, as the model's processes do.

use crate::LiveError;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use zookeeper_client::{Acls, Client, CreateMode, Error, EventType};
use zooscope_core::recipe::RecipeKind;

/// The election's parent znode.
pub const ELECTION: &str = "/election";

/// How a candidate runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateSettings {
    /// The ensemble's connect string (`host:port[,host:port…]`).
    pub zk: String,
    /// The watch strategy.
    pub recipe: RecipeKind,
    /// The session timeout to ask for.
    pub session_timeout: Duration,
}

/// What a candidate reports, one per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Report {
    /// A session is open.
    Connected {
        /// The session id, as ZooKeeper prints it (`0x…`).
        session: String,
        /// The timeout the server granted, in ms.
        timeout_ms: u64,
    },
    /// Step 1 done: our candidate znode.
    Volunteered {
        /// Its name (`c_0000000003`).
        candidate: String,
    },
    /// Step 3: we are the smallest.
    Leading {
        /// Our candidate.
        candidate: String,
    },
    /// Step 3: we watch a predecessor (successor recipe).
    Watching {
        /// Our candidate.
        candidate: String,
        /// The predecessor's name.
        predecessor: String,
    },
    /// Step 3: we watch every candidate (herd recipe).
    WatchingAll {
        /// Our candidate.
        candidate: String,
    },
    /// A watch fired: back to step 2.
    Notified {
        /// The znode.
        path: String,
        /// ZooKeeper's event type (`NodeDeleted`, `NodeChildrenChanged`, …).
        kind: String,
    },
    /// The session expired: we start over with a new one.
    SessionExpired,
}

/// Runs the election until `stop` completes (or the process is killed), reporting through
/// `report`. On `stop` the session is closed — its candidate vanishes at once — and `None`
/// is returned; otherwise the error that ended it.
pub async fn run(
    settings: &CandidateSettings,
    report: &mut impl FnMut(Report),
    stop: impl std::future::Future<Output = ()>,
) -> Option<LiveError> {
    let elect = async {
        loop {
            match run_session(settings, report).await {
                Err(LiveError::Client(Error::SessionExpired)) => report(Report::SessionExpired),
                Err(e) => return e,
                Ok(never) => match never {},
            }
        }
    };
    tokio::select! {
        error = elect => Some(error),
        () = stop => {
            // The client is dropped with the election: its session task sends CloseSession.
            tokio::time::sleep(CLOSE_GRACE).await;
            None
        }
    }
}

/// How long a stopping candidate gives its client to send `CloseSession` and hear back.
const CLOSE_GRACE: Duration = Duration::from_millis(500);

/// One session's life: connect, volunteer, and elect until the session ends.
async fn run_session(
    settings: &CandidateSettings,
    report: &mut impl FnMut(Report),
) -> Result<std::convert::Infallible, LiveError> {
    let client = Client::connector()
        .with_session_timeout(settings.session_timeout)
        .connect(&settings.zk)
        .await?;
    report(Report::Connected {
        session: client.session_id().to_string(),
        timeout_ms: u64::try_from(client.session_timeout().as_millis()).unwrap_or(u64::MAX),
    });
    let candidate = volunteer(&client).await?;
    report(Report::Volunteered {
        candidate: candidate.clone(),
    });
    let mut states = client.state_watcher();
    loop {
        // Step 2: read the candidates (with a watch on them all, in the herd recipe).
        let (children, herd_watch) = match settings.recipe {
            RecipeKind::Successor => (retrying(|| client.list_children(ELECTION)).await?, None),
            RecipeKind::Herd => {
                let (children, watcher) =
                    retrying(|| client.list_and_watch_children(ELECTION)).await?;
                (children, Some(watcher))
            }
        };
        let ranked = ranked(children);
        let Some(position) = ranked.iter().position(|c| *c == candidate) else {
            // Our candidate is gone (someone deleted it by hand): volunteer again.
            return Err(LiveError::Client(Error::SessionExpired));
        };
        // Step 3: the smallest leads; the others watch.
        let watcher = if position == 0 {
            report(Report::Leading {
                candidate: candidate.clone(),
            });
            // A leader leads until its session ends.
            loop {
                if states.changed().await.is_terminated() {
                    return Err(LiveError::Client(Error::SessionExpired));
                }
            }
        } else if let Some(watcher) = herd_watch {
            report(Report::WatchingAll {
                candidate: candidate.clone(),
            });
            watcher
        } else {
            let predecessor = &ranked[position - 1];
            let path = format!("{ELECTION}/{predecessor}");
            let (stat, watcher) = retrying(|| client.check_and_watch_stat(&path)).await?;
            if stat.is_none() {
                // It vanished between the read and the watch: read again.
                continue;
            }
            report(Report::Watching {
                candidate: candidate.clone(),
                predecessor: predecessor.clone(),
            });
            watcher
        };
        let event = watcher.changed().await;
        if event.event_type == EventType::Session {
            if event.session_state.is_terminated() {
                return Err(LiveError::Client(Error::SessionExpired));
            }
            continue;
        }
        report(Report::Notified {
            path: event.path.clone(),
            kind: format!("{:?}", event.event_type),
        });
    }
}

/// Step 1: creates our candidate, and `/election` first if it is missing. A create whose
/// answer is lost with the connection may have happened: our session's ephemeral child is
/// then our candidate (the model's `recipe::volunteer` does the same).
async fn volunteer(client: &Client) -> Result<String, LiveError> {
    let persistent = CreateMode::Persistent.with_acls(Acls::anyone_all());
    match retrying(|| client.create(ELECTION, b"", &persistent)).await {
        Ok(_) | Err(LiveError::Client(Error::NodeExists)) => {}
        Err(e) => return Err(e),
    }
    let ephemeral = CreateMode::EphemeralSequential.with_acls(Acls::anyone_all());
    let prefix = format!("{ELECTION}/c_");
    loop {
        match client.create(&prefix, b"", &ephemeral).await {
            Ok((_, sequence)) => return Ok(format!("c_{sequence}")),
            Err(Error::ConnectionLoss) => {
                if let Some(mine) = own_candidate(client).await? {
                    return Ok(mine);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Our session's candidate under `/election`, if a lost create made one.
async fn own_candidate(client: &Client) -> Result<Option<String>, LiveError> {
    let session = client.session_id().0;
    for child in retrying(|| client.list_children(ELECTION)).await? {
        let path = format!("{ELECTION}/{child}");
        if let Some(stat) = retrying(|| client.check_stat(&path)).await? {
            if stat.ephemeral_owner == session {
                return Ok(Some(child));
            }
        }
    }
    Ok(None)
}

/// A read, again after a connection loss (the client library reconnects by itself).
async fn retrying<T, F, Fut>(mut request: F) -> Result<T, LiveError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    loop {
        match request().await {
            Err(Error::ConnectionLoss) => tokio::time::sleep(Duration::from_millis(50)).await,
            result => return result.map_err(LiveError::from),
        }
    }
}

/// The candidates in election order: by sequence number, the suffix after the last `_`
/// (names from other programs sort after ours).
pub fn ranked(mut children: Vec<String>) -> Vec<String> {
    children.sort_by_key(|name| {
        let sequence = name
            .rsplit_once('_')
            .and_then(|(_, n)| n.parse::<i64>().ok())
            .unwrap_or(i64::MAX);
        (sequence, name.clone())
    });
    children
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_rank_by_sequence_number_not_by_name() {
        let children = ["x_0000000002", "c_0000000010", "c_0000000001", "junk"];
        assert_eq!(
            ranked(children.iter().map(|s| s.to_string()).collect()),
            ["c_0000000001", "x_0000000002", "c_0000000010", "junk"]
        );
    }

    #[test]
    fn every_report_reads_back_as_it_was_written() {
        let reports = [
            Report::Connected {
                session: "0x100000ea5690002".into(),
                timeout_ms: 3000,
            },
            Report::Volunteered {
                candidate: "c_0000000001".into(),
            },
            Report::Leading {
                candidate: "c_0000000001".into(),
            },
            Report::WatchingAll {
                candidate: "c_0000000002".into(),
            },
            Report::Notified {
                path: "/election/c_0000000001".into(),
                kind: "NodeDeleted".into(),
            },
            Report::SessionExpired,
        ];
        for report in reports {
            let line = serde_json::to_string(&report).unwrap_or_default();
            let back: Result<Report, _> = serde_json::from_str(&line);
            assert_eq!(back.ok(), Some(report), "{line}");
        }
    }

    #[test]
    fn reports_are_one_json_object_with_an_event_name() {
        let line = serde_json::to_string(&Report::Watching {
            candidate: "c_0000000002".into(),
            predecessor: "c_0000000001".into(),
        })
        .unwrap_or_default();
        assert_eq!(
            line,
            r#"{"event":"watching","candidate":"c_0000000002","predecessor":"c_0000000001"}"#
        );
    }
}
