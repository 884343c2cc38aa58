//! The trace: everything that happened in a run, as serde records a student can read.
//!
//! Every message sent, delivered or dropped, every timer, every change of role or state,
//! every committed transaction and every watch event becomes a [`TraceEvent`] with its time,
//! the zxid where there is one, the actors involved and a one-sentence narration
//! ([`TraceEvent::narrate`]). The web view's event log and the native runner's `--trace` file
//! are this list.
//!
//! Imports [`crate::ids`], [`crate::zk`] and its siblings in [`crate::actor`]; outside the crate,
//! `serde`.

use crate::actor::message::MessageKind;
use crate::actor::role::{KeeperState, ProcessRole, ServerRole};
use crate::ids::{Endpoint, ProcessId, ServerId, SessionId, SimTime, Zxid};
use crate::zk::path;
use crate::zk::watch::EventType;
use serde::{Deserialize, Serialize};

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TraceKind {
    /// A message left `from`.
    Sent {
        /// Sender.
        from: Endpoint,
        /// Receiver.
        to: Endpoint,
        /// What kind.
        kind: MessageKind,
        /// A short description.
        what: String,
        /// When it will arrive.
        arrives: SimTime,
    },
    /// A message arrived.
    Delivered {
        /// Sender.
        from: Endpoint,
        /// Receiver.
        to: Endpoint,
        /// What kind.
        kind: MessageKind,
        /// A short description.
        what: String,
    },
    /// A message was lost at its send: a partition cuts the link.
    Dropped {
        /// Sender.
        from: Endpoint,
        /// Receiver.
        to: Endpoint,
        /// What kind.
        kind: MessageKind,
        /// A short description.
        what: String,
    },
    /// A message arrived on a connection its receiver had already closed: never read.
    Stale {
        /// Sender.
        from: Endpoint,
        /// Receiver.
        to: Endpoint,
        /// What kind.
        kind: MessageKind,
        /// A short description.
        what: String,
    },
    /// A timer fired.
    Timer {
        /// Whose.
        actor: Endpoint,
        /// What for.
        what: String,
    },
    /// A server changed role.
    ServerRole {
        /// The server.
        server: ServerId,
        /// Its new role.
        role: ServerRole,
    },
    /// The leader committed a transaction.
    Committed {
        /// The leader.
        server: ServerId,
        /// The transaction's zxid.
        zxid: Zxid,
        /// What it does.
        what: String,
    },
    /// A session ended because its timeout passed without a heartbeat.
    SessionExpired {
        /// The leader that expired it.
        server: ServerId,
        /// The session.
        session: SessionId,
    },
    /// A server sent a watch notification.
    WatchFired {
        /// The server.
        server: ServerId,
        /// The process whose watch fired.
        process: ProcessId,
        /// The event.
        event: EventType,
        /// The znode.
        path: String,
    },
    /// A server answered a client's `sync`: it has applied every transaction its leader had
    /// proposed when the sync reached the leader, so the client's next read sees them.
    SyncAnswered {
        /// The server the client is connected to.
        server: ServerId,
        /// The client.
        process: ProcessId,
        /// The last transaction the server has applied.
        zxid: Zxid,
        /// The leader it caught up with, when it follows one (a leader answers on its own).
        leader: Option<ServerId>,
    },
    /// A process's client library changed state.
    ClientState {
        /// The process.
        process: ProcessId,
        /// Its new state.
        state: KeeperState,
    },
    /// A process's role in the election changed.
    ProcessRole {
        /// The process.
        process: ProcessId,
        /// The new role.
        role: ProcessRole,
    },
    /// A paused process woke up, holding the role it had when it froze.
    Resumed {
        /// The process.
        process: ProcessId,
        /// The role it holds.
        role: ProcessRole,
        /// Its session expired while it was frozen: what it holds is only a belief (a leader
        /// is a stale leader until it hears so).
        stale: bool,
    },
    /// Two or more processes believe they lead.
    SplitBrain {
        /// Those who believe it.
        leaders: Vec<ProcessId>,
    },
    /// The shared resource judged a leader's write by its fencing token.
    FencedWrite {
        /// The writer.
        process: ProcessId,
        /// Its token.
        token: Zxid,
        /// The highest token the resource had seen before.
        highest: Zxid,
        /// Accepted or rejected.
        accepted: bool,
    },
    /// A user command (a fault, a change of configuration).
    Command {
        /// What was done, in words.
        what: String,
    },
}

/// Which thread of a run an event belongs to: what a student follows, or the plumbing under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strand {
    /// Roles, commits, watch events, sessions, faults, rejected writes: the story of the run.
    Story,
    /// A message sent, delivered, lost, or arriving on a closed connection.
    Message,
    /// A timer firing.
    Timer,
    /// The leader's routine, accepted writes to the resource (they would drown the story).
    Routine,
}

impl TraceKind {
    /// The strand this kind of event belongs to.
    pub fn strand(&self) -> Strand {
        match self {
            TraceKind::Sent { .. }
            | TraceKind::Delivered { .. }
            | TraceKind::Dropped { .. }
            | TraceKind::Stale { .. } => Strand::Message,
            TraceKind::Timer { .. } => Strand::Timer,
            TraceKind::FencedWrite { accepted: true, .. } => Strand::Routine,
            _ => Strand::Story,
        }
    }
}

/// A traced happening: when, which transaction, who, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// Simulated time in ms since the run started.
    pub time: SimTime,
    /// Position in the trace (ties in time are ordered by it).
    pub seq: u64,
    /// The zxid involved, if any.
    pub zxid: Option<Zxid>,
    /// The actors involved.
    pub actors: Vec<Endpoint>,
    /// What happened.
    pub kind: TraceKind,
}

/// The last component of a path: `c_0000000003` for `/election/c_0000000003`.
fn short(p: &str) -> &str {
    if p == "/" {
        p
    } else {
        path::name(p)
    }
}

impl TraceEvent {
    /// One sentence a student can read.
    pub fn narrate(&self) -> String {
        match &self.kind {
            TraceKind::Sent { from, to, what, .. } => format!("{from} sends {what} to {to}"),
            TraceKind::Delivered { from, to, what, .. } => {
                format!("{to} receives {what} from {from}")
            }
            TraceKind::Dropped { from, to, what, .. } => {
                format!("{what} from {from} to {to} is lost: they cannot reach each other")
            }
            TraceKind::Stale { from, to, what, .. } => {
                format!(
                    "{what} from {from} reaches {to} on a connection {to} has closed: never read"
                )
            }
            TraceKind::Timer { actor, what } => format!("{actor}: {what}"),
            TraceKind::ServerRole { server, role } => match role {
                ServerRole::Down => format!("{server} is down"),
                ServerRole::Looking => format!("{server} is looking for a leader"),
                ServerRole::Following(l) => format!("{server} follows {l}"),
                ServerRole::Leading(epoch) => {
                    format!("{server} leads the ensemble (epoch {epoch})")
                }
                ServerRole::Standalone => format!("{server} serves clients, standalone"),
            },
            TraceKind::Committed { server, zxid, what } => {
                format!("{server} commits {zxid}: {what}")
            }
            TraceKind::SessionExpired { server, session } => {
                format!("{server} expires session {session}: no heartbeat within its timeout")
            }
            TraceKind::WatchFired {
                process,
                event,
                path,
                ..
            } => match event {
                EventType::NodeDeleted => format!(
                    "{} was deleted; {process}, which watched it, is notified",
                    short(path)
                ),
                EventType::NodeCreated => format!(
                    "{} was created; {process}, which watched it, is notified",
                    short(path)
                ),
                EventType::NodeDataChanged => format!(
                    "{}'s data changed; {process}, which watched it, is notified",
                    short(path)
                ),
                EventType::NodeChildrenChanged => format!(
                    "{}'s children changed; {process}, which watched them, is notified",
                    short(path)
                ),
                other => format!("{process} is told {other} for {}", short(path)),
            },
            TraceKind::SyncAnswered {
                server,
                process,
                zxid,
                leader,
            } => match leader {
                Some(leader) => format!(
                    "{server} has caught up with {leader} through {zxid}: {process}'s sync is answered"
                ),
                None => format!(
                    "{server} has committed all it proposed, through {zxid}: {process}'s sync is answered"
                ),
            },
            TraceKind::ClientState { process, state } => match state {
                KeeperState::SyncConnected => format!("{process} is connected to ZooKeeper"),
                KeeperState::Disconnected => {
                    format!("{process} lost its connection; its session may still be alive")
                }
                KeeperState::Expired => format!("{process} learns that its session expired"),
                KeeperState::Closed => format!("{process} closed its session"),
            },
            TraceKind::Resumed {
                process,
                role: ProcessRole::Leader,
                stale: true,
            } => format!(
                "{process} wakes from its pause still believing it leads; its session expired \
                 while it was frozen, so it does not: it is a stale leader until it hears so"
            ),
            TraceKind::Resumed {
                process,
                role: ProcessRole::Leader,
                stale: false,
            } => format!("{process} wakes from its pause and goes on leading"),
            TraceKind::Resumed { process, .. } => {
                format!("{process} wakes from its pause and goes on where it was")
            }
            TraceKind::ProcessRole { process, role } => match role {
                ProcessRole::Connecting => format!("{process} opens a session"),
                ProcessRole::Volunteering => {
                    format!("{process} volunteers: it creates an ephemeral sequential candidate")
                }
                ProcessRole::Electing => format!("{process} reads the candidates"),
                ProcessRole::Watching(p) => {
                    format!("{process} is not the smallest; it watches {}", short(p))
                }
                ProcessRole::WatchingAll => {
                    format!("{process} is not the smallest; it watches all the candidates")
                }
                ProcessRole::Leader => {
                    format!("{process} has the smallest candidate: it is the leader")
                }
                ProcessRole::Crashed => format!("{process} crashed"),
                ProcessRole::Paused => format!("{process} is paused"),
                ProcessRole::Stopped => format!("{process} stopped and closed its session"),
                ProcessRole::SessionExpired => format!("{process} has lost its session"),
                ProcessRole::Console => format!("{process} is the console's client"),
            },
            TraceKind::SplitBrain { leaders } => {
                let names: Vec<String> = leaders.iter().map(ToString::to_string).collect();
                let all = if names.len() == 2 { "both" } else { "all" };
                format!(
                    "split brain: {} {all} believe they lead",
                    names.join(" and ")
                )
            }
            TraceKind::FencedWrite {
                process,
                token,
                highest,
                accepted,
            } => {
                if *accepted {
                    format!("the resource accepts {process}'s write (token {token})")
                } else {
                    format!(
                        "the resource rejects {process}'s write: token {token} is older than {highest}"
                    )
                }
            }
            TraceKind::Command { what } => what.clone(),
        }
    }
}

/// A fingerprint of a trace: FNV-1a over each event's JSON, the trace's own stable
/// serialisation (the one `--trace` writes and the page exports), so equal traces give equal
/// digests on every platform and toolchain — a native run and a WebAssembly run can be compared.
/// (`Debug` output is not a stable format across toolchains; JSON of these types is.)
pub fn digest(events: &[TraceEvent]) -> u64 {
    let mut hasher = Fnv1a(0xcbf2_9ce4_8422_2325);
    for event in events {
        // Writing into the hasher cannot fail, and every trace type serialises.
        let _ = serde_json::to_writer(&mut hasher, event);
    }
    hasher.0
}

/// The FNV-1a hash of everything written into it.
struct Fnv1a(u64);

impl std::io::Write for Fnv1a {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_hashes_each_events_json() {
        let event = TraceEvent {
            time: SimTime(7),
            seq: 2,
            zxid: None,
            actors: vec![Endpoint::Server(ServerId(1))],
            kind: TraceKind::Command {
                what: "p1 is killed (crash)".into(),
            },
        };
        let json = serde_json::to_string(&event).unwrap_or_default();
        assert!(json.contains("\"time\":7"), "{json}");
        let mut expected: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in json.bytes().chain(json.bytes()) {
            expected ^= u64::from(byte);
            expected = expected.wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!(digest(&[event.clone(), event]), expected);
    }

    #[test]
    fn watch_events_narrate_like_the_lecture() {
        let event = TraceEvent {
            time: SimTime(5),
            seq: 1,
            zxid: Some(Zxid(0x1_0000_0007)),
            actors: vec![Endpoint::Process(ProcessId(4))],
            kind: TraceKind::WatchFired {
                server: ServerId(2),
                process: ProcessId(4),
                event: EventType::NodeDeleted,
                path: "/election/c_0000000003".into(),
            },
        };
        assert_eq!(
            event.narrate(),
            "c_0000000003 was deleted; p4, which watched it, is notified"
        );
    }
}
