//! Everything that travels over the simulated network: the client protocol between a
//! process's client library and its server, the quorum protocol among servers (Zab's
//! proposals, acks and commits, fast leader election's votes), and the leader's fenced writes
//! to the shared resource.
//!
//! Sources of truth: ZooKeeper 3.8 `ClientCnxn`/`ServerCnxn` (client protocol), `Leader`,
//! `Follower`, `Learner`, `LearnerHandler` (Zab), `FastLeaderElection` (votes).
//!
//! Imports [`crate::ids`], [`crate::zk`]; outside the crate, `serde`.

use crate::ids::{Millis, ProcessId, ServerId, SessionId, Zxid};
use crate::zk::client_watch::SetWatches;
use crate::zk::op::{Op, Reply};
use crate::zk::txn::Txn;
use crate::zk::watch::EventType;
use serde::{Deserialize, Serialize};

/// A client request in the pipeline: which server it came in through, whose and which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The server the client is connected to: it answers once the write commits.
    pub server: ServerId,
    /// The requesting session.
    pub session: SessionId,
    /// The client's request number (`xid`).
    pub xid: i32,
}

/// One entry of a server's transaction log: a transaction, its zxid, when the leader
/// proposed it (the ctime/mtime every replica records) and the request it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// Its zxid.
    pub zxid: Zxid,
    /// The transaction.
    pub txn: Txn,
    /// The leader's clock when it proposed it.
    pub time: Millis,
    /// The client request it answers, if any (session expiry and container reaping have none).
    pub origin: Option<Origin>,
}

/// A fast-leader-election vote: whom the sender backs, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// The proposed leader.
    pub leader: ServerId,
    /// The proposed leader's last logged zxid.
    pub zxid: Zxid,
    /// The proposed leader's accepted epoch.
    pub epoch: u32,
}

impl Vote {
    /// `FastLeaderElection.totalOrderPredicate`: epoch, then zxid, then id.
    pub fn beats(&self, other: &Vote) -> bool {
        (self.epoch, self.zxid, self.leader) > (other.epoch, other.zxid, other.leader)
    }
}

/// What a server is doing, as its votes tell the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PeerState {
    /// Electing a leader.
    Looking,
    /// Following the leader it votes for.
    Following,
    /// Leading.
    Leading,
}

/// A message of any protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    // ---- client ↔ server ----
    /// The client opens a connection: a new session (`None`) or one to resume.
    Connect {
        /// The session to resume, if any.
        session: Option<SessionId>,
        /// The timeout the client asks for.
        timeout_ms: i32,
        /// The last zxid the client has seen (a server behind it refuses the connection).
        last_zxid: Zxid,
        /// Watches to re-register (`SetWatches`). Boxed, like the other large payloads: every
        /// event moves its message a few times, and most messages are small pings.
        watches: Box<SetWatches>,
    },
    /// The server accepted the connection.
    Connected {
        /// The session.
        session: SessionId,
        /// The negotiated timeout.
        timeout_ms: i32,
    },
    /// The server refuses to resume an expired session.
    Expired,
    /// The server closed the connection (it is not serving, or the process asked).
    ConnectionClosed,
    /// A request.
    Request {
        /// The client's request number.
        xid: i32,
        /// What is asked.
        op: Box<Op>,
    },
    /// The answer to a request.
    Reply {
        /// The request answered.
        xid: i32,
        /// The server's last applied zxid.
        zxid: Zxid,
        /// The result (boxed: see `Connect`).
        reply: Box<Reply>,
    },
    /// A watch fired.
    Notification {
        /// What happened.
        kind: EventType,
        /// To which znode.
        path: String,
        /// The transaction that did it.
        zxid: Zxid,
    },
    /// A heartbeat from an idle client.
    Ping,
    /// The answer to a heartbeat.
    Pong,

    // ---- server ↔ server: fast leader election ----
    /// A vote, broadcast while looking and answered by everyone.
    Election {
        /// The vote.
        vote: Vote,
        /// The sender's election round (`logicalclock`).
        round: u64,
        /// What the sender is doing.
        state: PeerState,
    },

    // ---- server ↔ server: Zab ----
    /// A follower introduces itself to the leader it elected.
    FollowerInfo {
        /// The follower's accepted epoch.
        epoch: u32,
        /// The follower's current epoch: with `last`, how recent its log is.
        current: u32,
        /// The last zxid the follower has committed.
        committed: Zxid,
        /// The last zxid in its log, committed or not.
        last: Zxid,
    },
    /// The leader brings a follower in sync: its log from the follower's committed point on.
    NewLeader {
        /// The new epoch.
        epoch: u32,
        /// The entries after the follower's committed zxid, to replace its log's tail.
        entries: Vec<Proposal>,
    },
    /// The follower has the leader's history.
    AckNewLeader {
        /// The epoch acknowledged.
        epoch: u32,
        /// The last zxid of the history it logged: it acknowledges every proposal up to
        /// this one and no later one (a leader may send a follower its history more than
        /// once, longer each time; an ack of an earlier one must not count for the later).
        through: Zxid,
    },
    /// A follower passes a client's write to the leader.
    Forward {
        /// The request's origin.
        origin: Origin,
        /// The write.
        op: Box<Op>,
    },
    /// A new session, opened through a follower (`createSession`).
    ForwardSession {
        /// The new session.
        session: SessionId,
        /// Its negotiated timeout.
        timeout_ms: i32,
    },
    /// The leader proposes a transaction (boxed: see `Connect`).
    Propose(Box<Proposal>),
    /// A follower has logged a proposal.
    Ack {
        /// The proposal's zxid.
        zxid: Zxid,
    },
    /// The leader commits everything up to this zxid.
    Commit {
        /// The zxid.
        zxid: Zxid,
    },
    /// The leader's heartbeat to its followers, every tick.
    LeaderPing {
        /// The leader's epoch.
        epoch: u32,
    },
    /// A follower's answer: the sessions its clients touched since the last ping.
    Touches {
        /// The sessions.
        sessions: Vec<SessionId>,
    },
    /// A follower asks whether a reconnecting client's session is still alive.
    Revalidate {
        /// The session.
        session: SessionId,
        /// The client waiting for the answer.
        client: ProcessId,
    },
    /// The leader's answer.
    Revalidated {
        /// The session.
        session: SessionId,
        /// The client waiting for the answer.
        client: ProcessId,
        /// Whether the session is alive (then it was touched).
        alive: bool,
    },
    /// A follower relays a client's `sync` to the leader.
    SyncRequest {
        /// The request.
        origin: Origin,
    },
    /// The leader's answer: the follower is up to date once it has applied `zxid`.
    SyncReply {
        /// The request.
        origin: Origin,
        /// The leader's last proposed zxid when the sync reached it.
        zxid: Zxid,
    },

    // ---- leader process → shared resource ----
    /// A write to the shared resource, fenced by the writer's token.
    FencedWrite {
        /// The leader's token: the czxid of its candidate znode.
        token: Zxid,
    },
    /// The resource's answer.
    FencedWriteResult {
        /// The token the write carried.
        token: Zxid,
        /// Whether it was accepted (its token is at least the highest seen).
        accepted: bool,
    },
}

impl Message {
    /// The message in a few words, for the trace.
    pub fn describe(&self) -> String {
        match self {
            Message::Connect { session: None, .. } => "a request for a new session".to_owned(),
            Message::Connect {
                session: Some(s), ..
            } => format!("a request to resume session {s}"),
            Message::Connected { session, .. } => format!("session {session}"),
            Message::Expired => "\"session expired\"".to_owned(),
            Message::ConnectionClosed => "a closed connection".to_owned(),
            Message::Request { op, .. } => format!("{} {}", op.name(), op.path()),
            Message::Reply { reply, .. } => match &**reply {
                Ok(_) => "a reply".to_owned(),
                Err(e) => format!("an error ({e})"),
            },
            Message::Notification { kind, path, .. } => format!("{kind} for {path}"),
            Message::Ping => "a ping".to_owned(),
            Message::Pong => "a pong".to_owned(),
            // What fast leader election compares: `(epoch, zxid, id)`, in that order.
            Message::Election { vote, .. } => format!(
                "a vote for {} (epoch {}, zxid {}, id {})",
                vote.leader, vote.epoch, vote.zxid, vote.leader.0
            ),
            Message::FollowerInfo { .. } => "its epoch (following)".to_owned(),
            Message::NewLeader { entries, .. } => {
                format!("the leader's history ({} entries)", entries.len())
            }
            Message::AckNewLeader { .. } => "an ack of the leader's history".to_owned(),
            Message::Forward { op, .. } => format!("a forwarded {} {}", op.name(), op.path()),
            Message::ForwardSession { .. } => "a forwarded new session".to_owned(),
            Message::Propose(p) => format!("proposal {}: {}", p.zxid, p.txn.describe()),
            Message::Ack { zxid } => format!("ack {zxid}"),
            Message::Commit { zxid } => format!("commit {zxid}"),
            Message::LeaderPing { .. } => "a leader ping".to_owned(),
            Message::Touches { sessions } => format!("{} session touches", sessions.len()),
            Message::Revalidate { session, .. } => format!("is {session} alive?"),
            Message::Revalidated { alive, .. } => {
                if *alive {
                    "\"alive\"".to_owned()
                } else {
                    "\"expired\"".to_owned()
                }
            }
            Message::SyncRequest { .. } => "a sync".to_owned(),
            Message::SyncReply { .. } => "a sync reply".to_owned(),
            Message::FencedWrite { token } => format!("a write with token {token}"),
            Message::FencedWriteResult { accepted, .. } => {
                if *accepted {
                    "\"accepted\"".to_owned()
                } else {
                    "\"rejected\"".to_owned()
                }
            }
        }
    }

    /// A short name for the message's kind, for traces and the view's animation.
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::Connect { .. }
            | Message::Connected { .. }
            | Message::Expired
            | Message::ConnectionClosed => MessageKind::Session,
            Message::Request { .. } => MessageKind::Request,
            Message::Reply { .. } => MessageKind::Reply,
            Message::Notification { .. } => MessageKind::WatchEvent,
            Message::Ping
            | Message::Pong
            | Message::LeaderPing { .. }
            | Message::Touches { .. } => MessageKind::Ping,
            Message::Election { .. } => MessageKind::Vote,
            Message::FollowerInfo { .. }
            | Message::NewLeader { .. }
            | Message::AckNewLeader { .. }
            | Message::Forward { .. }
            | Message::ForwardSession { .. }
            | Message::Revalidate { .. }
            | Message::Revalidated { .. }
            | Message::SyncRequest { .. }
            | Message::SyncReply { .. } => MessageKind::Quorum,
            Message::Propose(_) => MessageKind::Proposal,
            Message::Ack { .. } => MessageKind::Ack,
            Message::Commit { .. } => MessageKind::Commit,
            Message::FencedWrite { .. } | Message::FencedWriteResult { .. } => {
                MessageKind::Resource
            }
        }
    }
}

/// Kinds of message, each drawn differently by the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MessageKind {
    /// Connection handshake and its outcomes.
    Session,
    /// A client request.
    Request,
    /// A reply to a request.
    Reply,
    /// A watch notification.
    WatchEvent,
    /// Heartbeats (client pings, leader pings, session touches).
    Ping,
    /// Leader-election votes.
    Vote,
    /// Zab bookkeeping: sync, forwarding, revalidation.
    Quorum,
    /// A proposal.
    Proposal,
    /// An acknowledgement of a proposal.
    Ack,
    /// A commit.
    Commit,
    /// The leader's fenced write to the shared resource, and its answer.
    Resource,
}

#[cfg(test)]
mod tests {
    use super::Message;

    /// Every simulated event moves its message several times (into the queue, out of it, to
    /// the actor), and nearly all of them are pings: the large payloads are boxed so that
    /// moving a ping stays cheap. A new large variant should be boxed too.
    #[test]
    fn a_message_stays_small() {
        assert!(std::mem::size_of::<Message>() <= 48);
    }
}
