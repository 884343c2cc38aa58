//! The simulated world: an ensemble of ZooKeeper servers, the application processes electing
//! a leader through it, the shared resource, the network between them — and one clock, one
//! event queue and one random-number generator for all of it.
//!
//! Time is logical (ms since the run started); events are processed in (time, sequence)
//! order; every random choice comes from the world's seeded ChaCha8 generator. So a run is
//! fully determined by its [`Config`] and its commands: the same inputs give the same trace,
//! natively and in WebAssembly. Everything a user can do is a [`Command`].
//!
//! Imports [`crate::actor`], [`crate::ensemble`], [`crate::ids`], [`crate::picture`]'s actions, [`crate::recipe`], [`crate::zk`]
//! and its siblings in [`crate::sim`]; outside the crate, `litemap`, `rand`, `rand_chacha`,
//! `serde`.

pub mod command;
pub mod config;
pub mod connection;
mod leadership;
pub mod metrics;
pub mod monitor;
pub mod net;
pub mod picture;
pub mod process;
pub mod queue;
pub mod recording;
pub mod scenario;
pub mod share;
pub mod trace_window;
mod trace_writer;
pub mod zoo_cfg;

use crate::actor::message::{Message, MessageKind};
use crate::actor::trace::{TraceEvent, TraceKind};
use crate::actor::{Out, Timer};
use crate::ensemble::QuorumPeer;
use crate::ids::dense::DenseMap;
use crate::ids::{Endpoint, Millis, ProcessId, ServerId, SimTime};
use crate::picture::Action;
use crate::recipe::RecipeKind;
use crate::sim::connection::{ConnectionId, Connections};
use crate::sim::metrics::Tally;
use crate::sim::net::Network;
use crate::sim::process::{Duty, Process, Resource, Status};
use crate::sim::queue::{Class, EventQueue};
use crate::sim::trace_window::{TraceLimits, TraceWindow};
use crate::zk::server::ServerConfig;
use litemap::LiteMap;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use trace_writer::Fate;

pub use command::Command;
pub use config::Config;

/// Something scheduled.
#[derive(Debug, Clone)]
enum Event {
    Deliver {
        from: Endpoint,
        to: Endpoint,
        message: Message,
        flight: u64,
        connection: ConnectionId,
    },
    Timer(Endpoint, Timer),
    Resume(ProcessId),
    Command(Command),
}

/// A message on its way, for the view's animation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flight {
    /// Sender.
    pub from: Endpoint,
    /// Receiver.
    pub to: Endpoint,
    /// What kind of message.
    pub kind: MessageKind,
    /// When it left.
    pub sent: SimTime,
    /// When it arrives.
    pub arrives: SimTime,
}

/// Counters of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Events processed.
    pub events: u64,
    /// Messages sent.
    pub messages: u64,
    /// Messages dropped by partitions or down receivers.
    pub dropped: u64,
}

/// The world.
#[derive(Debug, Clone)]
pub struct Sim {
    config: Config,
    now: SimTime,
    seq: u64,
    rng: ChaCha8Rng,
    queue: EventQueue<Event>,
    servers: DenseMap<ServerId, QuorumPeer>,
    processes: DenseMap<ProcessId, Process>,
    recipe: RecipeKind,
    resource: Resource,
    net: Network,
    connections: Connections,
    trace: TraceWindow,
    /// The plots' numbers, fed by every traced event (also those the window lets go).
    tally: Tally,
    flights: LiteMap<u64, Flight>,
    stats: Stats,
    next_process: u32,
    /// Processes that believe they lead, kept up to date after every event of theirs.
    believers: BTreeSet<ProcessId>,
    /// Believers at the last split-brain check.
    reported_believers: Vec<ProcessId>,
    /// An empty outbox with room in it: every event fills one, and reusing it spares the
    /// allocator.
    spare: Out,
}

impl Sim {
    /// A world with `config`'s ensemble and processes, all starting at time 0.
    pub fn new(config: Config) -> Sim {
        let servers_n = match config.servers {
            0 => 1,
            n => n.min(7),
        };
        let ids: Vec<ServerId> = (1..=servers_n).map(ServerId).collect();
        let server_config = ServerConfig::with_tick(config.tick_ms);
        let mut sim = Sim {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            recipe: config.recipe,
            net: Network::new(config.net),
            connections: Connections::default(),
            now: SimTime::ZERO,
            seq: 0,
            queue: EventQueue::default(),
            servers: DenseMap::new(),
            processes: DenseMap::new(),
            resource: Resource::default(),
            trace: TraceWindow::new(None),
            tally: Tally::default(),
            flights: LiteMap::new(),
            stats: Stats::default(),
            next_process: 1,
            believers: BTreeSet::new(),
            reported_believers: Vec::new(),
            spare: Out::default(),
            config,
        };
        for id in &ids {
            let mut node = QuorumPeer::new(
                *id,
                ids.clone(),
                server_config,
                sim.config.timing,
                sim.config.wall_origin_ms,
            );
            let mut out = sim.outbox();
            node.start(SimTime::ZERO, &mut out);
            sim.servers.insert(*id, node);
            sim.absorb(Endpoint::Server(*id), out);
        }
        for _ in 0..sim.config.processes {
            sim.add_process(Duty::Candidate(sim.config.recipe));
        }
        sim
    }

    fn outbox(&mut self) -> Out {
        let mut out = std::mem::take(&mut self.spare);
        out.tracing = self.config.trace;
        out
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The current time (ms since the start).
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The wall-clock time the simulation shows (for ctime/mtime).
    pub fn wall(&self) -> Millis {
        Millis(self.config.wall_origin_ms + self.now.ms() as i64)
    }

    /// The recipe processes run.
    pub fn recipe(&self) -> RecipeKind {
        self.recipe
    }

    /// The servers.
    pub fn servers(&self) -> impl Iterator<Item = &QuorumPeer> {
        self.servers.values()
    }

    /// One server.
    pub fn server(&self, id: ServerId) -> Option<&QuorumPeer> {
        self.servers.get(&id)
    }

    /// The processes.
    pub fn processes(&self) -> impl Iterator<Item = &Process> {
        self.processes.values()
    }

    /// One process.
    pub fn process(&self, id: ProcessId) -> Option<&Process> {
        self.processes.get(&id)
    }

    /// The shared resource.
    pub fn resource(&self) -> &Resource {
        &self.resource
    }

    /// The reply to console request `ticket` sent through `process`, once it came.
    pub fn take_console_reply(
        &mut self,
        process: ProcessId,
        ticket: u64,
    ) -> Option<crate::zk::op::Reply> {
        self.processes.get_mut(&process)?.take_console_reply(ticket)
    }

    /// The watch events `process` received since the console last looked.
    pub fn take_console_events(
        &mut self,
        process: ProcessId,
    ) -> Vec<(crate::zk::watch::EventType, String)> {
        self.processes
            .get_mut(&process)
            .map(Process::take_console_events)
            .unwrap_or_default()
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// Everything traced so far, oldest first; with [`Sim::limit_trace`], the newest events.
    pub fn trace(&self) -> &[TraceEvent] {
        self.trace.recent()
    }

    /// The newest events of the story (roles, commits, watch events, sessions, faults), oldest
    /// first: kept apart, so that a long quiet stretch of heartbeats does not push them out.
    pub fn story(&self) -> &[TraceEvent] {
        self.trace.story()
    }

    /// How many events were traced since the start (kept or not).
    pub fn traced(&self) -> u64 {
        self.trace.total()
    }

    /// Who led when and how many messages flew each second, since the start.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Keeps only the newest events of the trace from now on (see [`TraceWindow`]): for a
    /// front-end that runs for hours. Without it the whole trace is kept.
    pub fn limit_trace(&mut self, limits: TraceLimits) {
        let mut window = TraceWindow::new(Some(limits));
        for e in self.trace.recent() {
            window.push(e.clone());
        }
        self.trace = window;
    }

    /// A copy of the world to resume from later, without the window of recent events (the
    /// story, the tally and everything the simulation reads are kept): time travel's
    /// checkpoints.
    pub fn checkpoint(&self) -> Sim {
        // Field by field (not `clone()`), so the recent events are never copied, and a new
        // field cannot be forgotten.
        Sim {
            config: self.config.clone(),
            now: self.now,
            seq: self.seq,
            rng: self.rng.clone(),
            queue: self.queue.clone(),
            servers: self.servers.clone(),
            processes: self.processes.clone(),
            recipe: self.recipe,
            resource: self.resource.clone(),
            net: self.net.clone(),
            connections: self.connections.clone(),
            trace: self.trace.without_recent(),
            tally: self.tally.clone(),
            flights: self.flights.clone(),
            stats: self.stats,
            next_process: self.next_process,
            believers: self.believers.clone(),
            reported_believers: self.reported_believers.clone(),
            spare: Out::default(),
        }
    }

    /// Messages in flight now.
    pub fn flights(&self) -> impl Iterator<Item = &Flight> {
        self.flights.values()
    }

    /// The run's counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    // ---------------------------------------------------------------- scheduling

    fn schedule(&mut self, at: SimTime, event: Event) {
        self.seq += 1;
        let class = match event {
            Event::Command(_) => Class::Command,
            _ => Class::Other,
        };
        self.queue.push(at, class, self.seq, event);
    }

    /// Schedules a command at time `at` (now, if in the past). At its time it runs before any
    /// other event of that time.
    pub fn command_at(&mut self, at: SimTime, command: Command) {
        self.schedule(at.max(self.now), Event::Command(command));
    }

    /// Applies a command now.
    pub fn apply(&mut self, command: Command) {
        let now = self.now;
        self.note(
            None,
            command.actors(),
            TraceKind::Command {
                what: command.describe(),
            },
        );
        match command {
            Command::Act(Action::KillProcess(p)) => {
                self.with_process(p, |proc, _, out| proc.crash(out))
            }
            Command::Act(Action::StopProcess(p)) => {
                self.with_process(p, |proc, now, out| proc.stop(now, out))
            }
            Command::Act(Action::PauseProcess(p, ms)) => {
                self.with_process(p, |proc, now, out| proc.pause(now + ms, out));
                self.schedule(now + ms, Event::Resume(p));
            }
            Command::Act(Action::RestartProcess(p)) => self.with_process(p, |proc, now, out| {
                if proc.can_restart() {
                    proc.start(now, out);
                }
            }),
            Command::Act(Action::AddProcess) => {
                self.add_process(Duty::Candidate(self.recipe));
            }
            Command::AddConsoleClient => {
                self.add_process(Duty::Console);
            }
            Command::Console {
                process,
                op,
                ticket,
            } => self.with_process(process, |proc, now, out| {
                proc.console_submit(op, ticket, now, out);
            }),
            Command::Act(Action::RemoveProcess(p)) => {
                self.with_process(p, |proc, now, out| proc.stop(now, out));
                self.processes.remove(&p);
                self.believers.remove(&p);
            }
            Command::Act(Action::KillServer(s)) => self.with_server(s, |node, _, out| {
                if node.is_up() {
                    node.crash(out);
                }
            }),
            Command::Act(Action::RestartServer(s)) => self.with_server(s, |node, now, out| {
                if !node.is_up() {
                    node.start(now, out);
                }
            }),
            Command::Partition(who, from) => self.net.partition(who, from.as_deref()),
            Command::Heal(who) => self.net.heal(who),
            Command::SetRecipe(recipe) => {
                self.recipe = recipe;
                let ids: Vec<ProcessId> = self.processes.keys().collect();
                for p in ids {
                    self.with_process(p, |proc, now, out| proc.switch_recipe(recipe, now, out));
                }
            }
        }
        self.check_split_brain();
    }

    fn add_process(&mut self, duty: Duty) -> ProcessId {
        let id = ProcessId(self.next_process);
        self.next_process += 1;
        let servers: Vec<ServerId> = self.servers.keys().collect();
        let first = self.rng.random_range(0..servers.len().max(1));
        let mut process = Process::new(
            id,
            servers,
            first,
            self.config.session_timeout_ms,
            self.config.work_interval_ms,
            duty,
        );
        let mut out = self.outbox();
        process.start(self.now, &mut out);
        self.processes.insert(id, process);
        self.absorb(Endpoint::Process(id), out);
        id
    }

    fn with_process(&mut self, id: ProcessId, f: impl FnOnce(&mut Process, SimTime, &mut Out)) {
        let mut out = self.outbox();
        if let Some(p) = self.processes.get_mut(&id) {
            f(p, self.now, &mut out);
        }
        self.update_belief(id);
        self.absorb(Endpoint::Process(id), out);
    }

    fn with_server(&mut self, id: ServerId, f: impl FnOnce(&mut QuorumPeer, SimTime, &mut Out)) {
        let mut out = self.outbox();
        if let Some(s) = self.servers.get_mut(&id) {
            f(s, self.now, &mut out);
        }
        self.absorb(Endpoint::Server(id), out);
    }

    /// Carries out what an actor asked for.
    fn absorb(&mut self, from: Endpoint, mut out: Out) {
        for (zxid, actors, kind) in out.trace.drain(..) {
            self.note(zxid, actors, kind);
        }
        for (at, timer) in out.timers.drain(..) {
            self.schedule(at.max(self.now), Event::Timer(from, timer));
        }
        for (to, message) in out.sends.drain(..) {
            self.send(from, to, message);
        }
        self.spare = out;
    }

    fn send(&mut self, from: Endpoint, to: Endpoint, message: Message) {
        self.stats.messages += 1;
        let now = self.now;
        match self.net.arrival(from, to, now, &mut self.rng) {
            Some(arrives) => {
                let connection = self.connections.on_send(from, to, &message);
                let kind = message.kind();
                self.note_message(from, to, &message, Fate::Sent(arrives));
                self.seq += 1;
                let flight = self.seq;
                if self.config.trace {
                    self.flights.insert(
                        flight,
                        Flight {
                            from,
                            to,
                            kind,
                            sent: now,
                            arrives,
                        },
                    );
                }
                self.schedule(
                    arrives,
                    Event::Deliver {
                        from,
                        to,
                        message,
                        flight,
                        connection,
                    },
                );
            }
            None => {
                self.stats.dropped += 1;
                self.note_message(from, to, &message, Fate::Dropped);
                if !matches!(message, Message::Election { .. }) {
                    self.break_link(from, to);
                }
            }
        }
    }

    /// The sender of a lost message learns that its connection to the receiver is broken.
    fn break_link(&mut self, from: Endpoint, to: Endpoint) {
        match (from, to) {
            (Endpoint::Server(s), peer) => {
                self.with_server(s, |node, now, out| node.link_broken(peer, now, out));
            }
            (Endpoint::Process(p), Endpoint::Server(s)) => {
                self.with_process(p, |proc, now, out| proc.link_broken(s, now, out));
            }
            _ => {}
        }
    }

    // ---------------------------------------------------------------- running

    /// When the next event happens, if any.
    pub fn next_time(&self) -> Option<SimTime> {
        self.queue.next_time()
    }

    /// Processes the next event; `false` when nothing is left.
    pub fn step(&mut self) -> bool {
        let Some((at, event)) = self.queue.pop() else {
            return false;
        };
        self.now = self.now.max(at);
        self.stats.events += 1;
        match event {
            Event::Deliver {
                from,
                to,
                message,
                flight,
                connection,
            } => self.deliver(from, to, message, flight, connection),
            Event::Timer(actor, timer) => self.fire(actor, timer),
            Event::Resume(p) => {
                // Whether the session it woke with still lives: the world knows, not it.
                let alive = self
                    .process(p)
                    .and_then(|proc| proc.client().session())
                    .is_some_and(|s| self.session_alive(s));
                self.with_process(p, |proc, now, out| {
                    if let Status::Paused { until } = proc.status() {
                        if until <= now {
                            proc.resume(now, alive, out);
                        }
                    }
                });
            }
            Event::Command(c) => self.apply(c),
        }
        self.check_split_brain();
        true
    }

    /// Processes every event up to and including time `t`; the clock then reads `t`.
    pub fn run_until(&mut self, t: SimTime) {
        while self.next_time().is_some_and(|at| at <= t) {
            self.step();
        }
        self.now = self.now.max(t);
    }

    /// Runs until `done` holds (checked after every event) or time `limit` passes; returns
    /// whether `done` held.
    pub fn run_while(&mut self, limit: SimTime, mut done: impl FnMut(&Sim) -> bool) -> bool {
        loop {
            if done(self) {
                return true;
            }
            match self.next_time() {
                Some(at) if at <= limit => {
                    self.step();
                }
                _ => {
                    self.now = self.now.max(limit);
                    return done(self);
                }
            }
        }
    }

    fn deliver(
        &mut self,
        from: Endpoint,
        to: Endpoint,
        message: Message,
        flight: u64,
        connection: ConnectionId,
    ) {
        self.flights.remove(&flight);
        if !self.connections.on_arrival(from, to, connection) {
            self.note_message(from, to, &message, Fate::Stale);
            return;
        }
        self.note_message(from, to, &message, Fate::Delivered);
        let mut out = self.outbox();
        let now = self.now;
        match to {
            Endpoint::Server(s) => {
                if let Some(node) = self.servers.get_mut(&s) {
                    node.on_message(from, message, now, &mut out);
                }
            }
            Endpoint::Process(p) => {
                if let Some(proc) = self.processes.get_mut(&p) {
                    proc.on_message(from, message, now, &mut out);
                }
                self.update_belief(p);
            }
            Endpoint::Resource => self.resource.on_message(from, message, &mut out),
        }
        self.absorb(to, out);
    }

    fn fire(&mut self, actor: Endpoint, timer: Timer) {
        if self.config.trace {
            let what = match timer {
                Timer::ServerTick { .. } => "a tick: heartbeats, timeouts, session expiry",
                Timer::Election { .. } => "the election timer",
                Timer::Client { .. } => "the client's heartbeat and timeout check",
                Timer::Work { .. } => "time to write to the shared resource",
            };
            self.note(
                None,
                vec![actor],
                TraceKind::Timer {
                    actor,
                    what: what.to_owned(),
                },
            );
        }
        let mut out = self.outbox();
        let now = self.now;
        match actor {
            Endpoint::Server(s) => {
                if let Some(node) = self.servers.get_mut(&s) {
                    node.on_timer(timer, now, &mut out);
                }
            }
            Endpoint::Process(p) => {
                if let Some(proc) = self.processes.get_mut(&p) {
                    proc.on_timer(timer, now, &mut out);
                }
                self.update_belief(p);
            }
            Endpoint::Resource => {}
        }
        self.absorb(actor, out);
    }
}
