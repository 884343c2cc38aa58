//! The ZooKeeper client library as a state machine: what a process links in to talk to the
//! ensemble.
//!
//! It connects to one server at a time, picked from the server list; sends a heartbeat when it
//! has been idle for a third of the session timeout; and gives up on a server it has not heard
//! from for two thirds of it (or that closes the connection), failing the requests in flight
//! with `ConnectionLoss` and moving on to the next server. The session survives if it gets
//! there in time: on reconnecting it presents its session id, the zxid it has seen and its
//! watches, and learns only then whether the session expired meanwhile — a client never hears
//! of its own expiry while cut off.
//!
//! Source of truth: ZooKeeper 3.8 `ClientCnxn` (SendThread: `startConnect`, `primeConnection`,
//! the ping and read timeouts) and `ZKWatchManager`.
//!
//! Imports [`crate::actor`], [`crate::ids`], [`crate::zk`]; outside the crate, `litemap`, `serde`.

use crate::actor::message::Message;
use crate::actor::role::KeeperState;
use crate::actor::{Out, Timer};
use crate::ids::{Endpoint, ServerId, SessionId, SimTime, Zxid};
use crate::zk::client_watch::{ClientWatches, Registration};
use crate::zk::error::KeeperError;
use crate::zk::op::{Op, OpResult, Reply};
use crate::zk::watch::EventType;
use litemap::LiteMap;
use serde::{Deserialize, Serialize};

/// How long a client waits after a refused connection attempt before the next one (ms).
pub const RECONNECT_DELAY_MS: u64 = 100;

/// Where the client's connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Connection {
    /// Waiting for a server to accept it (since `since`).
    Connecting {
        /// The server tried.
        server: ServerId,
        /// When the attempt started.
        since: SimTime,
    },
    /// Waiting before the next attempt (the last one failed).
    Waiting {
        /// When to try again.
        until: SimTime,
    },
    /// Connected to a server.
    Connected {
        /// The server.
        server: ServerId,
    },
    /// The session expired; the handle is dead.
    Expired,
    /// The process closed the session (or is closing it).
    Closed,
}

/// What the client hands up to the process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientEvent {
    /// The connection state changed (the default watcher's `type:None` events).
    State(KeeperState),
    /// A request came back.
    Reply {
        /// The request's number.
        xid: i32,
        /// What it asked.
        op: Op,
        /// What it got.
        reply: Reply,
    },
    /// A watch this client holds fired.
    Watch {
        /// What happened.
        kind: EventType,
        /// To which znode.
        path: String,
    },
}

/// One client handle (`new ZooKeeper(...)`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Client {
    me: Endpoint,
    servers: Vec<ServerId>,
    /// Index of the next server to try.
    next: usize,
    connection: Connection,
    session: Option<SessionId>,
    /// The timeout asked for, then the one granted.
    timeout_ms: i32,
    last_zxid: Zxid,
    next_xid: i32,
    /// Requests sent on the current connection.
    pending: LiteMap<i32, (Op, SimTime)>,
    /// Requests made while not connected, sent once connected.
    queued: Vec<(i32, Op)>,
    last_heard: SimTime,
    last_sent: SimTime,
    watches: ClientWatches,
    /// Bumped on every new connection, so that stale timeout checks are ignored.
    generation: u64,
    /// Whether the process has been told it is connected (so a loss is worth telling).
    told_connected: bool,
    /// When it lost the connection its session had, until it connects again: while
    /// disconnected it cannot know what the ensemble decides about its session.
    disconnected_at: Option<SimTime>,
}

impl Client {
    /// A client for `me` that will try `servers` in order starting at `first`, asking for
    /// `timeout_ms`.
    pub fn new(me: Endpoint, servers: Vec<ServerId>, first: usize, timeout_ms: i32) -> Client {
        let next = if servers.is_empty() {
            0
        } else {
            first % servers.len()
        };
        Client {
            me,
            servers,
            next,
            connection: Connection::Closed,
            session: None,
            timeout_ms,
            last_zxid: Zxid::ZERO,
            next_xid: 1,
            pending: LiteMap::new(),
            queued: Vec::new(),
            last_heard: SimTime::ZERO,
            last_sent: SimTime::ZERO,
            watches: ClientWatches::default(),
            generation: 0,
            told_connected: false,
            disconnected_at: None,
        }
    }

    /// The connection state.
    pub fn connection(&self) -> Connection {
        self.connection
    }

    /// The session, once a server has granted one.
    pub fn session(&self) -> Option<SessionId> {
        self.session
    }

    /// The negotiated (or requested) session timeout.
    pub fn timeout_ms(&self) -> i32 {
        self.timeout_ms
    }

    /// The watches this client holds.
    pub fn watches(&self) -> &ClientWatches {
        &self.watches
    }

    /// The server it is connected (or connecting) to.
    pub fn server(&self) -> Option<ServerId> {
        match self.connection {
            Connection::Connecting { server, .. } | Connection::Connected { server } => {
                Some(server)
            }
            _ => None,
        }
    }

    /// When it lost the connection its session had, while it is still trying to reconnect
    /// (`Disconnected` in ZooKeeper's words; Curator's `SUSPENDED`).
    pub fn disconnected_since(&self) -> Option<SimTime> {
        match self.connection {
            Connection::Connecting { .. } | Connection::Waiting { .. } => self.disconnected_at,
            _ => None,
        }
    }

    /// Whether requests are answered now.
    pub fn is_connected(&self) -> bool {
        matches!(self.connection, Connection::Connected { .. })
    }

    fn read_timeout(&self) -> u64 {
        u64::try_from(self.timeout_ms.max(3)).unwrap_or(3) * 2 / 3
    }

    fn ping_interval(&self) -> u64 {
        (u64::try_from(self.timeout_ms.max(3)).unwrap_or(3) / 3).max(1)
    }

    fn connect_timeout(&self) -> u64 {
        let n = self.servers.len().max(1) as u64;
        (u64::try_from(self.timeout_ms.max(1)).unwrap_or(1) / n).max(1)
    }

    /// Opens the handle: connects to the next server.
    pub fn start(&mut self, now: SimTime, out: &mut Out) {
        self.connect_next(now, out);
    }

    fn connect_next(&mut self, now: SimTime, out: &mut Out) {
        let Some(server) = self.servers.get(self.next).copied() else {
            return;
        };
        self.next = (self.next + 1) % self.servers.len();
        self.connection = Connection::Connecting { server, since: now };
        self.generation += 1;
        self.last_heard = now;
        self.last_sent = now;
        out.send(
            Endpoint::Server(server),
            Message::Connect {
                session: self.session,
                timeout_ms: self.timeout_ms,
                last_zxid: self.last_zxid,
                watches: Box::new(self.watches.to_set_watches()),
            },
        );
        out.timer(
            now + self.connect_timeout(),
            Timer::Client {
                generation: self.generation,
            },
        );
    }

    /// Sends a request (or queues it until connected) and returns its number.
    pub fn submit(&mut self, op: Op, now: SimTime, out: &mut Out) -> i32 {
        let xid = self.next_xid;
        self.next_xid += 1;
        match self.connection {
            Connection::Connected { server } => {
                self.pending.insert(xid, (op.clone(), now));
                self.last_sent = now;
                let op = Box::new(op);
                out.send(Endpoint::Server(server), Message::Request { xid, op });
            }
            Connection::Connecting { .. } | Connection::Waiting { .. } => {
                self.queued.push((xid, op));
            }
            Connection::Expired | Connection::Closed => {
                // A dead handle fails it at once ([`Client::fail_dead`]).
                self.pending.insert(xid, (op, now));
            }
        }
        xid
    }

    /// Requests a dead handle could not send: they fail with `SessionExpired`.
    pub fn fail_dead(&mut self) -> Vec<ClientEvent> {
        if matches!(self.connection, Connection::Expired | Connection::Closed) {
            std::mem::take(&mut self.pending)
                .into_iter()
                .map(|(xid, (op, _))| {
                    let reply = Err(KeeperError::SessionExpired(op.path().to_owned()));
                    ClientEvent::Reply { xid, op, reply }
                })
                .collect()
        } else {
            Vec::new()
        }
    }

    /// Closes the session: sends `closeSession`; the handle is dead from now on.
    pub fn close(&mut self, now: SimTime, out: &mut Out) {
        if let Connection::Connected { server } = self.connection {
            let xid = self.next_xid;
            self.next_xid += 1;
            out.send(
                Endpoint::Server(server),
                Message::Request {
                    xid,
                    op: Box::new(Op::CloseSession),
                },
            );
            self.last_sent = now;
        }
        self.connection = Connection::Closed;
        self.generation += 1;
    }

    /// Drops the connection without closing the session (the process died): the server sees
    /// the connection break, the session lives on until it expires.
    pub fn abandon(&mut self, out: &mut Out) {
        if let Some(server) = self.server() {
            out.send(Endpoint::Server(server), Message::ConnectionClosed);
        }
        self.connection = Connection::Closed;
        self.generation += 1;
        self.pending.clear();
        self.queued.clear();
    }

    /// A message to `server` could not be delivered: if it is this client's server, the
    /// connection is lost (and the next server tried).
    pub fn link_broken(
        &mut self,
        server: ServerId,
        now: SimTime,
        out: &mut Out,
    ) -> Vec<ClientEvent> {
        let mut events = Vec::new();
        if self.server() == Some(server) {
            self.lose_connection(now, out, &mut events);
        }
        events
    }

    /// A message from a server.
    pub fn on_message(
        &mut self,
        from: ServerId,
        message: Message,
        now: SimTime,
        out: &mut Out,
    ) -> Vec<ClientEvent> {
        if self.server() != Some(from) {
            return Vec::new();
        }
        self.last_heard = now;
        let mut events = Vec::new();
        match message {
            Message::Connected {
                session,
                timeout_ms,
            } => {
                if matches!(self.connection, Connection::Connecting { .. }) {
                    self.session = Some(session);
                    self.timeout_ms = timeout_ms;
                    self.connection = Connection::Connected { server: from };
                    self.told_connected = true;
                    self.disconnected_at = None;
                    events.push(ClientEvent::State(KeeperState::SyncConnected));
                    self.generation += 1;
                    out.timer(
                        now + self.ping_interval(),
                        Timer::Client {
                            generation: self.generation,
                        },
                    );
                    for (xid, op) in std::mem::take(&mut self.queued) {
                        self.pending.insert(xid, (op.clone(), now));
                        let op = Box::new(op);
                        out.send(Endpoint::Server(from), Message::Request { xid, op });
                    }
                    self.last_sent = now;
                }
            }
            Message::Expired => {
                self.connection = Connection::Expired;
                self.generation += 1;
                self.fail_all(&mut events, |p| KeeperError::SessionExpired(p.to_owned()));
                self.watches.clear();
                events.push(ClientEvent::State(KeeperState::Expired));
            }
            Message::ConnectionClosed => self.lose_connection(now, out, &mut events),
            Message::Reply { xid, zxid, reply } => {
                self.last_zxid = self.last_zxid.max(zxid);
                if let Some((op, _)) = self.pending.remove(&xid) {
                    if reply.is_ok() {
                        self.register_watch(&op, &reply);
                    }
                    events.push(ClientEvent::Reply {
                        xid,
                        op,
                        reply: *reply,
                    });
                }
            }
            Message::Notification { kind, path, zxid } => {
                self.last_zxid = self.last_zxid.max(zxid);
                if self.watches.materialize(kind, &path) {
                    events.push(ClientEvent::Watch { kind, path });
                }
            }
            _ => {}
        }
        events
    }

    /// Files the watch a successful read left (`WatchRegistration`).
    fn register_watch(&mut self, op: &Op, reply: &Reply) {
        if !op.watch() {
            return;
        }
        let registration = match (op, reply) {
            (Op::GetData { .. }, _) => Registration::GetData,
            (Op::GetChildren { .. }, _) => Registration::GetChildren,
            (Op::Exists { .. }, Ok(OpResult::Exists(stat))) => Registration::Exists {
                found: stat.is_some(),
            },
            _ => return,
        };
        self.watches.register(registration, op.path());
    }

    fn fail_all(&mut self, events: &mut Vec<ClientEvent>, error: impl Fn(&str) -> KeeperError) {
        let pending = std::mem::take(&mut self.pending);
        let queued = std::mem::take(&mut self.queued);
        for (xid, (op, _)) in pending {
            let reply = Err(error(op.path()));
            events.push(ClientEvent::Reply { xid, op, reply });
        }
        for (xid, op) in queued {
            let reply = Err(error(op.path()));
            events.push(ClientEvent::Reply { xid, op, reply });
        }
    }

    fn lose_connection(&mut self, now: SimTime, out: &mut Out, events: &mut Vec<ClientEvent>) {
        let was_connected = self.is_connected();
        if let Some(server) = self.server() {
            out.send(Endpoint::Server(server), Message::ConnectionClosed);
        }
        self.fail_all(events, |p| KeeperError::ConnectionLoss(p.to_owned()));
        if std::mem::take(&mut self.told_connected) {
            events.push(ClientEvent::State(KeeperState::Disconnected));
            self.disconnected_at.get_or_insert(now);
        }
        if was_connected {
            // A broken connection: try the next server at once.
            self.connect_next(now, out);
        } else {
            // A refused attempt: pause before the next, as ClientCnxn does.
            let until = now + RECONNECT_DELAY_MS;
            self.connection = Connection::Waiting { until };
            self.generation += 1;
            out.timer(
                until,
                Timer::Client {
                    generation: self.generation,
                },
            );
        }
    }

    /// A timer this client set: send a heartbeat, or give up on the server.
    pub fn on_timer(&mut self, generation: u64, now: SimTime, out: &mut Out) -> Vec<ClientEvent> {
        let mut events = Vec::new();
        if generation != self.generation {
            return events;
        }
        match self.connection {
            Connection::Connecting { since, .. } => {
                if now >= since + self.connect_timeout() {
                    self.lose_connection(now, out, &mut events);
                }
            }
            Connection::Connected { server } => {
                let oldest = self.pending.values().map(|(_, t)| *t).min();
                let stalled = oldest.is_some_and(|t| now.since(t) >= self.read_timeout());
                if now.since(self.last_heard) >= self.read_timeout() || stalled {
                    self.lose_connection(now, out, &mut events);
                    return events;
                }
                if now.since(self.last_sent) >= self.ping_interval() {
                    out.send(Endpoint::Server(server), Message::Ping);
                    self.last_sent = now;
                }
                let next = (self.last_sent + self.ping_interval())
                    .min(self.last_heard + self.read_timeout())
                    .max(now + 1);
                out.timer(
                    next,
                    Timer::Client {
                        generation: self.generation,
                    },
                );
            }
            Connection::Waiting { until } => {
                if now >= until {
                    self.connect_next(now, out);
                }
            }
            Connection::Expired | Connection::Closed => {}
        }
        events
    }
}
