//! Which messages go together in the diagram: the families a viewer shows or hides at once,
//! and each message kind's name in the page's automation contract.
//!
//! Imports the message kinds.

use crate::actor::message::MessageKind;

/// The families of message the viewer shows or hides together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// A client's session handshake, requests and the replies.
    Client,
    /// Heartbeats: client pings, the leader's pings to its followers.
    Ping,
    /// Zab: proposals, acknowledgements, commits and the followers' synchronisation.
    Zab,
    /// Fast leader election's votes.
    Election,
    /// Watch notifications.
    Watch,
    /// The leader's fenced writes to the shared resource.
    Resource,
}

impl Family {
    /// Every family, in the order the filters list them.
    pub const ALL: [Family; 6] = [
        Family::Client,
        Family::Ping,
        Family::Zab,
        Family::Election,
        Family::Watch,
        Family::Resource,
    ];

    /// The family a kind of message belongs to.
    pub fn of(kind: MessageKind) -> Family {
        match kind {
            MessageKind::Session | MessageKind::Request | MessageKind::Reply => Family::Client,
            MessageKind::Ping => Family::Ping,
            MessageKind::Quorum
            | MessageKind::Proposal
            | MessageKind::Ack
            | MessageKind::Commit => Family::Zab,
            MessageKind::Vote => Family::Election,
            MessageKind::WatchEvent => Family::Watch,
            MessageKind::Resource => Family::Resource,
        }
    }

    /// Its name on a filter (also its `data-family`).
    pub fn name(self) -> &'static str {
        match self {
            Family::Client => "requests and replies",
            Family::Ping => "pings",
            Family::Zab => "proposals, acks, commits",
            Family::Election => "votes",
            Family::Watch => "watch notifications",
            Family::Resource => "fenced writes",
        }
    }

    /// A short identifier (`data-family`).
    pub fn id(self) -> &'static str {
        match self {
            Family::Client => "client",
            Family::Ping => "ping",
            Family::Zab => "zab",
            Family::Election => "election",
            Family::Watch => "watch",
            Family::Resource => "resource",
        }
    }
}

/// The `data-kind` of a message's arrow.
pub fn kind_id(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Session => "session",
        MessageKind::Request => "request",
        MessageKind::Reply => "reply",
        MessageKind::WatchEvent => "watch-event",
        MessageKind::Ping => "ping",
        MessageKind::Vote => "vote",
        MessageKind::Quorum => "quorum",
        MessageKind::Proposal => "proposal",
        MessageKind::Ack => "ack",
        MessageKind::Commit => "commit",
        MessageKind::Resource => "resource",
    }
}
