//! Client connections: a client's request reaching its server, a connect that creates or
//! revalidates a session through the leader, and closing every connection when the server
//! stops serving.
//!
//! Methods of [`QuorumPeer`]; imports its state from the peer module, the actors' messages
//! and trace, and [`crate::zk`].

use super::{PendingConnect, QuorumPeer, Role};
use crate::actor::message::{Message, Origin};
use crate::actor::Out;
use crate::ids::{Endpoint, ProcessId, SessionId, SimTime, Zxid};
use crate::zk::op::Op;
use crate::zk::txn::Txn;

impl QuorumPeer {
    /// The processes connected to it, with their sessions.
    pub fn clients(&self) -> impl Iterator<Item = (ProcessId, SessionId)> + '_ {
        self.clients.iter().map(|(p, s)| (p, *s))
    }

    pub(super) fn close_clients(&mut self, out: &mut Out) {
        for (process, session) in self.clients.drain() {
            self.replica.drop_watches(session);
            out.send(Endpoint::Process(process), Message::ConnectionClosed);
        }
        for (_, pending) in std::mem::take(&mut self.connecting) {
            out.send(
                Endpoint::Process(pending.process),
                Message::ConnectionClosed,
            );
        }
        self.by_session.clear();
        self.touched.clear();
        self.syncs.clear();
    }

    pub(super) fn on_client(
        &mut self,
        process: ProcessId,
        message: Message,
        now: SimTime,
        out: &mut Out,
    ) {
        match message {
            Message::Connect {
                session,
                timeout_ms,
                last_zxid,
                watches,
            } => self.on_connect(process, session, timeout_ms, last_zxid, *watches, now, out),
            Message::Request { xid, op } => {
                let Some(session) = self.clients.get(&process).copied() else {
                    out.send(Endpoint::Process(process), Message::ConnectionClosed);
                    return;
                };
                self.touch(session, now);
                let origin = Origin {
                    server: self.id,
                    session,
                    xid,
                };
                if let Some(reply) = self.replica.read(session, &op) {
                    out.send(
                        Endpoint::Process(process),
                        Message::Reply {
                            xid,
                            zxid: self.committed,
                            reply: Box::new(reply),
                        },
                    );
                } else if let Op::Sync { .. } = *op {
                    match &self.role {
                        Role::Following { leader, .. } => {
                            out.send(Endpoint::Server(*leader), Message::SyncRequest { origin });
                        }
                        _ => {
                            // The leader answers once everything it proposed is committed.
                            let proposed = self.last_logged();
                            self.syncs.push((origin, proposed));
                            self.answer_syncs(out);
                        }
                    }
                } else {
                    match &self.role {
                        Role::Following { leader, .. } => {
                            out.send(Endpoint::Server(*leader), Message::Forward { origin, op });
                        }
                        _ => self.propose_op(origin, *op, now, out),
                    }
                }
            }
            Message::Ping => {
                if let Some(session) = self.clients.get(&process).copied() {
                    self.touch(session, now);
                    out.send(Endpoint::Process(process), Message::Pong);
                } else {
                    out.send(Endpoint::Process(process), Message::ConnectionClosed);
                }
            }
            Message::ConnectionClosed => {
                // The client hung up (it moves to another server, or stops).
                if let Some(session) = self.clients.remove(&process) {
                    self.by_session.remove(&session);
                    self.replica.drop_watches(session);
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn on_connect(
        &mut self,
        process: ProcessId,
        session: Option<SessionId>,
        timeout_ms: i32,
        last_zxid: Zxid,
        watches: crate::zk::client_watch::SetWatches,
        now: SimTime,
        out: &mut Out,
    ) {
        // A server that is not serving, or is behind what the client has seen, refuses.
        if !self.is_serving() || last_zxid > self.committed {
            out.send(Endpoint::Process(process), Message::ConnectionClosed);
            return;
        }
        if let Some(old) = self.clients.remove(&process) {
            self.by_session.remove(&old);
            self.replica.drop_watches(old);
        }
        // A client has one connection to a server: a new connect supersedes one still
        // waiting for its session (as a new socket replaces the old). The session created
        // for the abandoned one, if the leader still commits it, is nobody's and expires.
        self.connecting
            .retain(|_, pending| pending.process != process);
        let timeout_ms = self.config.session_timeouts.negotiate(timeout_ms);
        let pending = PendingConnect {
            process,
            watches,
            last_zxid,
            timeout_ms,
        };
        match session {
            None => {
                let session = SessionId(self.next_session);
                self.next_session += 1;
                self.connecting.insert(session, pending);
                match &self.role {
                    Role::Following { leader, .. } => {
                        let leader = *leader;
                        out.send(
                            Endpoint::Server(leader),
                            Message::ForwardSession {
                                session,
                                timeout_ms,
                            },
                        );
                        // The connect request touches the session at once (`submitRequest`
                        // → `touch`); a follower only notes it and reports it with its next
                        // ping, after the forwarded session has reached the leader.
                        self.touch(session, now);
                    }
                    _ => self.propose(
                        Txn::CreateSession {
                            session,
                            timeout_ms,
                        },
                        None,
                        now,
                        out,
                    ),
                }
            }
            Some(session) => {
                self.connecting.insert(session, pending);
                match &self.role {
                    Role::Following { leader, .. } => out.send(
                        Endpoint::Server(*leader),
                        Message::Revalidate {
                            session,
                            client: process,
                        },
                    ),
                    _ => {
                        let alive = self.revalidate(session, now).unwrap_or(false);
                        self.finish_connect(session, alive, out);
                    }
                }
            }
        }
    }

    pub(super) fn finish_connect(&mut self, session: SessionId, alive: bool, out: &mut Out) {
        let Some(pending) = self.connecting.remove(&session) else {
            return;
        };
        if alive {
            let timeout = self
                .replica
                .session(session)
                .map_or(pending.timeout_ms, |i| i.timeout_ms);
            self.accept(pending, session, timeout, out);
        } else {
            out.send(Endpoint::Process(pending.process), Message::Expired);
        }
    }

    pub(super) fn accept(
        &mut self,
        pending: PendingConnect,
        session: SessionId,
        timeout_ms: i32,
        out: &mut Out,
    ) {
        // No touch here: the session was touched when the client's connect arrived (the
        // leader's tracker added it when it proposed `createSession`, or revalidated it); the
        // commit that completes the connect touches nothing (ZooKeeper: FinalRequestProcessor).
        self.clients.insert(pending.process, session);
        self.by_session.insert(session, pending.process);
        out.send(
            Endpoint::Process(pending.process),
            Message::Connected {
                session,
                timeout_ms,
            },
        );
        if !pending.watches.is_empty() {
            self.replica
                .set_watches(session, pending.last_zxid, &pending.watches);
            self.send_watch_events(out);
        }
    }
}
