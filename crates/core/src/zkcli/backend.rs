//! What the zkCli shell talks to: a ZooKeeper it can open a session with and send requests
//! to. The native binary and the conformance tests use a standalone [`Server`]; the page plugs
//! in a session of the simulated cluster. One shell, whatever is behind it.
//!
//! Imports [`crate::ids`], [`crate::zk`].

use crate::ids::{Millis, SessionId};
use crate::zk::error::KeeperError;
use crate::zk::op::{Op, Reply};
use crate::zk::server::Server;
use crate::zk::watch::EventType;

/// A ZooKeeper as the shell sees it.
pub trait Backend {
    /// Opens a session asking for `timeout_ms`.
    fn open_session(&mut self, timeout_ms: i32, now: Millis) -> Result<SessionId, KeeperError>;
    /// Closes the session; returns the events its own watches got from the close.
    fn close_session(&mut self, session: SessionId, now: Millis) -> Vec<(EventType, String)>;
    /// Sends a request and waits for its reply.
    fn call(&mut self, session: SessionId, op: Op, now: Millis) -> Reply;
    /// The watch events that reached the session, oldest first.
    fn take_events(&mut self, session: SessionId) -> Vec<(EventType, String)>;
    /// Lets time pass: the client's heartbeats for `session`, the server's background work.
    fn advance(&mut self, session: Option<SessionId>, now: Millis);
    /// The children of `path`, for Tab completion (no request, no watch).
    fn children(&self, path: &str) -> Option<Vec<String>>;
}

impl Backend for Server {
    fn open_session(&mut self, timeout_ms: i32, now: Millis) -> Result<SessionId, KeeperError> {
        Ok(self.create_session(timeout_ms, now))
    }

    fn close_session(&mut self, session: SessionId, now: Millis) -> Vec<(EventType, String)> {
        Server::close_session(self, session, now)
            .into_iter()
            .map(|e| (e.kind, e.path))
            .collect()
    }

    fn call(&mut self, session: SessionId, op: Op, now: Millis) -> Reply {
        Server::call(self, session, &op, now)
    }

    fn take_events(&mut self, session: SessionId) -> Vec<(EventType, String)> {
        Server::take_events(self, session)
            .into_iter()
            .map(|e| (e.kind, e.path))
            .collect()
    }

    fn advance(&mut self, session: Option<SessionId>, now: Millis) {
        if let Some(session) = session {
            self.touch(session, now);
        }
        self.tick(now);
    }

    fn children(&self, path: &str) -> Option<Vec<String>> {
        self.tree()
            .get(path)
            .map(|n| n.children().map(str::to_owned).collect())
    }
}
