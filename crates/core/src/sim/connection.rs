//! Client connections, as TCP sockets: each connection attempt of a client is a new socket,
//! and what a server sends on a socket the client has since closed never reaches the client.
//!
//! The network keeps each link FIFO, but one link carries every connection a client opens to
//! a server in turn. Without sockets, a server's answer to an abandoned attempt (say, "session
//! expired" to a resume request sent before the client timed out and tried again) would reach
//! the client's *next* connection to that server and be taken for its answer — the client
//! would then open a second session while the first still lives. Real clients cannot see that
//! answer: it arrives on a socket they closed.
//!
//! So every message between a process and a server belongs to a connection: a process's
//! `Connect` opens a new one, its other messages go on its current one, and a server answers
//! on the connection it last heard that process on. A message a server sent on a connection
//! the process has since left is dropped on arrival.
//!
//! Imports [`crate::actor`], [`crate::ids`].

use crate::actor::message::Message;
use crate::ids::dense::DenseMap;
use crate::ids::{Endpoint, ProcessId, ServerId};

/// A connection's number, unique in a run; 0 for messages that belong to none.
pub type ConnectionId = u64;

/// Which connection each process is on, and which one each server last heard it on.
#[derive(Debug, Clone, Default)]
pub struct Connections {
    last: ConnectionId,
    /// Each process's current connection (its latest `Connect`).
    current: DenseMap<ProcessId, ConnectionId>,
    /// The connection each server last received a message from each process on (by process,
    /// then server).
    heard: DenseMap<ProcessId, DenseMap<ServerId, ConnectionId>>,
}

impl Connections {
    /// The connection a message from `from` to `to` travels on, when it is sent.
    pub fn on_send(&mut self, from: Endpoint, to: Endpoint, message: &Message) -> ConnectionId {
        match (from, to) {
            (Endpoint::Process(p), Endpoint::Server(_)) => {
                if matches!(message, Message::Connect { .. }) {
                    self.last += 1;
                    self.current.insert(p, self.last);
                }
                self.current.get(&p).copied().unwrap_or(0)
            }
            (Endpoint::Server(s), Endpoint::Process(p)) => self
                .heard
                .get(&p)
                .and_then(|by_server| by_server.get(&s))
                .copied()
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// Whether a message that travelled on `connection` is read on arrival: servers read
    /// everything (and answer on that connection from then on); a process reads only what
    /// comes on its current connection.
    pub fn on_arrival(&mut self, from: Endpoint, to: Endpoint, connection: ConnectionId) -> bool {
        match (from, to) {
            (Endpoint::Process(p), Endpoint::Server(s)) => {
                self.heard
                    .get_or_insert_with(p, DenseMap::new)
                    .insert(s, connection);
                true
            }
            (Endpoint::Server(_), Endpoint::Process(p)) => {
                self.current.get(&p).copied().unwrap_or(0) == connection
            }
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Zxid;

    fn connect() -> Message {
        Message::Connect {
            session: None,
            timeout_ms: 3000,
            last_zxid: Zxid::ZERO,
            watches: Box::default(),
        }
    }

    #[test]
    fn an_answer_on_an_abandoned_connection_never_arrives() {
        let (p, s) = (
            Endpoint::Process(ProcessId(1)),
            Endpoint::Server(ServerId(1)),
        );
        let mut c = Connections::default();
        // The first attempt reaches the server, which answers on it...
        let first = c.on_send(p, s, &connect());
        assert!(c.on_arrival(p, s, first));
        let answer = c.on_send(s, p, &Message::Expired);
        assert_eq!(answer, first);
        // ...but the client has given up on it and tried again meanwhile.
        let second = c.on_send(p, s, &connect());
        assert_ne!(second, first);
        assert!(!c.on_arrival(s, p, answer), "the old socket is closed");
        // The answer to the second attempt is read.
        assert!(c.on_arrival(p, s, second));
        let answer = c.on_send(s, p, &Message::Expired);
        assert!(c.on_arrival(s, p, answer));
        // Requests go on the current connection.
        assert_eq!(c.on_send(p, s, &Message::Ping), second);
    }
}
