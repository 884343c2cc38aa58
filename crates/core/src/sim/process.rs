//! An application process — one of the lecture's "nodes": a ZooKeeper client handle, an
//! election recipe on top of it, and, while it believes it leads, periodic writes to the
//! shared resource fenced by its token. The console's client is a process too, one with no
//! recipe: the user's zkCli commands go through its session ([`Duty::Console`]).
//!
//! Faults act on the process as they would on a real one: a crash silences it (the server
//! notices the broken connection, but the session lives until it expires); a graceful stop
//! closes the session (its candidate vanishes at once); a pause — a long garbage-collection
//! pause — freezes it: nothing it receives or any timer of its runs until it resumes, and then
//! it carries on from what it last believed, however stale.

use crate::actor::message::Message;
use crate::actor::role::{KeeperState, ProcessRole};
use crate::actor::trace::TraceKind;
use crate::actor::{Out, Timer};
use crate::client::{Client, ClientEvent, Connection};
use crate::ids::{Endpoint, ProcessId, ServerId, SimTime, Zxid};
use crate::picture::ProcessKind;
use crate::recipe::election::Election;
use crate::recipe::{Candidate, Ctx, RecipeKind};
use crate::zk::op::{Op, Reply};
use crate::zk::watch::EventType;
use litemap::LiteMap;
use serde::{Deserialize, Serialize};

/// Whether the process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Running.
    Running,
    /// Frozen until `until`.
    Paused {
        /// When it resumes.
        until: SimTime,
    },
    /// Crashed: silent until restarted.
    Crashed,
    /// Stopped gracefully: its session closed.
    Stopped,
}

/// What a process is there for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Duty {
    /// To run for leader with this recipe.
    Candidate(RecipeKind),
    /// To carry the console's requests: it runs no recipe.
    Console,
}

/// Something that reached a paused process, kept until it resumes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Deferred {
    Message(Endpoint, Message),
    Timer(Timer),
}

/// One application process.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Process {
    id: ProcessId,
    status: Status,
    /// Bumped on every restart: a restarted process is a new incarnation with a new session.
    incarnation: u32,
    servers: Vec<ServerId>,
    first_server: usize,
    timeout_ms: i32,
    work_interval_ms: u64,
    client: Client,
    duty: Duty,
    /// The election it runs, if it is a candidate and has started.
    election: Option<Election>,
    /// What the process believes: that it leads (it acts on this, even when stale).
    believes_leader: bool,
    /// The token it writes with while it believes it leads.
    token: Option<Zxid>,
    /// The role last reported.
    role: ProcessRole,
    deferred: Vec<Deferred>,
    /// Watch events received, ever (the herd effect is counted with this).
    notified: u64,
    /// When the latest of them arrived.
    woken_at: Option<SimTime>,
    /// Requests the console sent through this process's session: xid → console ticket.
    console_calls: LiteMap<i32, u64>,
    /// Replies to console requests, by ticket.
    console_replies: LiteMap<u64, Reply>,
    /// Watch events, as the console prints them (the most recent [`CONSOLE_EVENTS`]).
    console_events: Vec<(EventType, String)>,
}

/// How many watch events a process keeps for the console.
pub const CONSOLE_EVENTS: usize = 256;

impl Process {
    /// A process that will talk to `servers`, first to `servers[first_server]`.
    pub fn new(
        id: ProcessId,
        servers: Vec<ServerId>,
        first_server: usize,
        timeout_ms: i32,
        work_interval_ms: u64,
        duty: Duty,
    ) -> Process {
        let me = Endpoint::Process(id);
        Process {
            id,
            status: Status::Stopped,
            incarnation: 0,
            client: Client::new(me, servers.clone(), first_server, timeout_ms),
            servers,
            first_server,
            timeout_ms,
            work_interval_ms,
            duty,
            election: None,
            believes_leader: false,
            token: None,
            role: ProcessRole::Stopped,
            deferred: Vec::new(),
            notified: 0,
            woken_at: None,
            console_calls: LiteMap::new(),
            console_replies: LiteMap::new(),
            console_events: Vec::new(),
        }
    }

    /// Sends a request typed at the console through this process's session; its reply is
    /// kept under `ticket` ([`Process::take_console_reply`]).
    pub fn console_submit(&mut self, op: Op, ticket: u64, now: SimTime, out: &mut Out) {
        let xid = self.client.submit(op, now, out);
        self.console_calls.insert(xid, ticket);
        let events = self.client.fail_dead();
        self.handle(events, now, out);
    }

    /// Whether the reply to console request `ticket` has come.
    pub fn has_console_reply(&self, ticket: u64) -> bool {
        self.console_replies.contains_key(&ticket)
    }

    /// The reply to the console request `ticket`, once it came.
    pub fn take_console_reply(&mut self, ticket: u64) -> Option<Reply> {
        self.console_replies.remove(&ticket)
    }

    /// The watch events received since the console last looked.
    pub fn take_console_events(&mut self) -> Vec<(EventType, String)> {
        std::mem::take(&mut self.console_events)
    }

    /// Its id.
    pub fn id(&self) -> ProcessId {
        self.id
    }

    /// Whether it runs, is paused, crashed or stopped.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Its client handle.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// What it is there for.
    pub fn duty(&self) -> Duty {
        self.duty
    }

    /// A candidate or the console's client.
    pub fn kind(&self) -> ProcessKind {
        match self.duty {
            Duty::Candidate(_) => ProcessKind::Candidate,
            Duty::Console => ProcessKind::Console,
        }
    }

    /// The election it runs, if it runs one.
    pub fn election(&self) -> Option<&Election> {
        self.election.as_ref()
    }

    /// Its candidate znode, if it has one.
    pub fn candidate(&self) -> Option<&Candidate> {
        self.election.as_ref().and_then(|e| e.candidate.as_ref())
    }

    /// Whether it believes it leads (possibly wrongly: paused, or its session expired).
    pub fn believes_leader(&self) -> bool {
        self.believes_leader
    }

    /// Its role, as the view shows it.
    pub fn role(&self) -> ProcessRole {
        self.role.clone()
    }

    /// Watch events it has received so far.
    pub fn notified(&self) -> u64 {
        self.notified
    }

    /// When a watch event last woke it.
    pub fn woken_at(&self) -> Option<SimTime> {
        self.woken_at
    }

    /// Whether it is running (not paused, crashed or stopped).
    pub fn is_running(&self) -> bool {
        self.status == Status::Running
    }

    /// Whether a restart would bring it back: it crashed, stopped, or (a console's client)
    /// runs with a session that has expired.
    pub fn can_restart(&self) -> bool {
        matches!(self.status, Status::Crashed | Status::Stopped)
            || (self.is_running() && matches!(self.client.connection(), Connection::Expired))
    }

    fn me(&self) -> Endpoint {
        Endpoint::Process(self.id)
    }

    /// Runs for leader with `recipe` from now on (a candidate starts over; the console's
    /// client is no candidate and is left alone).
    pub fn switch_recipe(&mut self, recipe: RecipeKind, now: SimTime, out: &mut Out) {
        if matches!(self.duty, Duty::Candidate(_)) && self.is_running() {
            self.duty = Duty::Candidate(recipe);
            self.stop(now, out);
            self.start(now, out);
        }
    }

    /// Starts it (again): a new incarnation, a new session, a fresh election.
    pub fn start(&mut self, now: SimTime, out: &mut Out) {
        self.incarnation += 1;
        self.status = Status::Running;
        self.client = Client::new(
            self.me(),
            self.servers.clone(),
            self.first_server + self.incarnation as usize - 1,
            self.timeout_ms,
        );
        self.election = match self.duty {
            Duty::Candidate(recipe) => Some(Election::new(recipe.watch())),
            Duty::Console => None,
        };
        self.believes_leader = false;
        self.token = None;
        self.deferred.clear();
        self.client.start(now, out);
        self.report_role(out);
    }

    /// Crashes it: silent from now on; its session lingers on the ensemble until it expires.
    pub fn crash(&mut self, out: &mut Out) {
        self.client.abandon(out);
        self.status = Status::Crashed;
        self.believes_leader = false;
        self.deferred.clear();
        self.report_role(out);
    }

    /// Stops it gracefully: it closes its session, so its candidate is deleted at once.
    pub fn stop(&mut self, now: SimTime, out: &mut Out) {
        self.client.close(now, out);
        self.status = Status::Stopped;
        self.believes_leader = false;
        self.deferred.clear();
        self.report_role(out);
    }

    /// Freezes it until `until`.
    pub fn pause(&mut self, until: SimTime, out: &mut Out) {
        if self.status == Status::Running {
            self.status = Status::Paused { until };
            self.report_role(out);
        }
    }

    /// Wakes it from a pause: it holds the role it had (told as waking, with whether its
    /// session is `alive`: a leader whose session expired meanwhile only believes it leads),
    /// then handles what it missed, in the order it arrived.
    pub fn resume(&mut self, now: SimTime, alive: bool, out: &mut Out) {
        if !matches!(self.status, Status::Paused { .. }) {
            return;
        }
        self.status = Status::Running;
        let role = match &self.election {
            None => ProcessRole::Console,
            Some(election) => election.role(),
        };
        self.role = role.clone();
        let (id, me) = (self.id, self.me());
        out.note(None, &[me], || TraceKind::Resumed {
            process: id,
            role,
            stale: !alive,
        });
        for deferred in std::mem::take(&mut self.deferred) {
            match deferred {
                Deferred::Message(from, message) => self.on_message(from, message, now, out),
                Deferred::Timer(timer) => self.on_timer(timer, now, out),
            }
            if !self.is_running() {
                break;
            }
        }
    }

    /// A message arrived.
    pub fn on_message(&mut self, from: Endpoint, message: Message, now: SimTime, out: &mut Out) {
        match self.status {
            Status::Running => {}
            Status::Paused { .. } => {
                self.deferred.push(Deferred::Message(from, message));
                return;
            }
            Status::Crashed | Status::Stopped => return,
        }
        if let Endpoint::Server(server) = from {
            let events = self.client.on_message(server, message, now, out);
            self.handle(events, now, out);
        }
    }

    /// A message it sent to `server` was lost: its connection there is broken.
    pub fn link_broken(&mut self, server: ServerId, now: SimTime, out: &mut Out) {
        if self.status == Status::Running {
            let events = self.client.link_broken(server, now, out);
            self.handle(events, now, out);
        }
    }

    /// A timer it set fired.
    pub fn on_timer(&mut self, timer: Timer, now: SimTime, out: &mut Out) {
        match self.status {
            Status::Running => {}
            Status::Paused { .. } => {
                self.deferred.push(Deferred::Timer(timer));
                return;
            }
            Status::Crashed | Status::Stopped => return,
        }
        match timer {
            Timer::Client { generation } => {
                let events = self.client.on_timer(generation, now, out);
                self.handle(events, now, out);
            }
            Timer::Work { incarnation } if incarnation == self.incarnation => {
                if let (true, Some(token)) = (self.believes_leader, self.token) {
                    out.send(Endpoint::Resource, Message::FencedWrite { token });
                    out.timer(now + self.work_interval_ms, timer);
                }
            }
            _ => {}
        }
    }

    /// Runs the client's events through the recipe.
    fn handle(&mut self, events: Vec<ClientEvent>, now: SimTime, out: &mut Out) {
        if events.is_empty() {
            // Nothing the recipe sees happened (a heartbeat, its answer): its role stands.
            return;
        }
        let id = self.id;
        let me = self.me();
        for event in events {
            let mut ctx = Ctx {
                process: id,
                client: &mut self.client,
                now,
                out,
            };
            match event {
                ClientEvent::State(state) => {
                    ctx.out.note(None, &[me], || TraceKind::ClientState {
                        process: id,
                        state,
                    });
                    match state {
                        KeeperState::SyncConnected => {
                            if let Some(election) = &mut self.election {
                                election.on_connected(&mut ctx);
                            }
                        }
                        KeeperState::Expired => {
                            self.believes_leader = false;
                            self.role = ProcessRole::SessionExpired;
                            out.note(None, &[me], || TraceKind::ProcessRole {
                                process: id,
                                role: ProcessRole::SessionExpired,
                            });
                            if self.duty == Duty::Console {
                                // Like zkCli's handle, the console's client is dead now; the
                                // console opens a new session when it is next used.
                                return;
                            }
                            // The session is gone, and with it our candidate: start over.
                            self.start(now, out);
                            return;
                        }
                        KeeperState::Disconnected | KeeperState::Closed => {}
                    }
                }
                ClientEvent::Reply { xid, reply, .. } => match self.console_calls.remove(&xid) {
                    Some(ticket) => {
                        self.console_replies.insert(ticket, reply);
                    }
                    None => {
                        if let Some(election) = &mut self.election {
                            election.on_reply(xid, &reply, &mut ctx);
                        }
                    }
                },
                ClientEvent::Watch { kind, path } => {
                    self.notified += 1;
                    self.woken_at = Some(now);
                    if self.console_events.len() >= CONSOLE_EVENTS {
                        self.console_events.remove(0);
                    }
                    self.console_events.push((kind, path.clone()));
                    if let Some(election) = &mut self.election {
                        election.on_watch(kind, &path, &mut ctx);
                    }
                }
            }
        }
        let leads = self.election.as_ref().is_some_and(Election::is_leader);
        if leads && !self.believes_leader {
            self.believes_leader = true;
            self.token = self.candidate().map(|c| c.token);
            out.timer(
                now,
                Timer::Work {
                    incarnation: self.incarnation,
                },
            );
        } else if !leads && self.believes_leader {
            self.believes_leader = false;
        }
        self.report_role(out);
    }

    /// Records a change of role in the trace.
    fn report_role(&mut self, out: &mut Out) {
        let role = match self.status {
            Status::Crashed => ProcessRole::Crashed,
            Status::Stopped => ProcessRole::Stopped,
            Status::Paused { .. } => ProcessRole::Paused,
            Status::Running => match &self.election {
                None => ProcessRole::Console,
                // Nearly every event leaves the role as it was: compare without building it.
                Some(election) if election.role_is(&self.role) => return,
                Some(election) => election.role(),
            },
        };
        if role != self.role {
            self.role = role.clone();
            let id = self.id;
            let me = self.me();
            out.note(None, &[me], || TraceKind::ProcessRole { process: id, role });
        }
    }
}

/// The shared resource the leader writes to: it accepts a write only if its token is at
/// least the highest it has seen — which is how a stale leader's writes are fenced off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    highest: Zxid,
    /// Writes accepted.
    pub accepted: u64,
    /// Writes rejected as stale.
    pub rejected: u64,
    /// Who wrote last, with which token.
    pub last_write: Option<(ProcessId, Zxid)>,
}

impl Resource {
    /// The highest token seen.
    pub fn highest(&self) -> Zxid {
        self.highest
    }

    /// A fenced write from `from`.
    pub fn on_message(&mut self, from: Endpoint, message: Message, out: &mut Out) {
        let (Endpoint::Process(process), Message::FencedWrite { token }) = (from, message) else {
            return;
        };
        let highest = self.highest;
        let accepted = token >= highest;
        if accepted {
            self.highest = token;
            self.accepted += 1;
            self.last_write = Some((process, token));
        } else {
            self.rejected += 1;
        }
        out.note(Some(token), &[Endpoint::Resource, from], || {
            TraceKind::FencedWrite {
                process,
                token,
                highest,
                accepted,
            }
        });
        out.send(from, Message::FencedWriteResult { token, accepted });
    }
}
