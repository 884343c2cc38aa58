//! What happened in a live session, as typed events: told in words for the event log, and
//! picked for the headline by what they are, never by what their words say.
//!
//! Imports the four-letter words' server modes; from the core, the ids and the narration.

use crate::observe::Mode;
use zooscope_core::actor::trace::Strand;
use zooscope_core::ids::{Endpoint, ProcessId, ServerId, SimTime};
use zooscope_core::picture::{EventFilter, Narration};

/// Something that happened to the real system, or that it reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// One of Zooscope's processes starts (`again`: with a new session, after it ended).
    Starts {
        /// Which process.
        process: ProcessId,
        /// Whether it ran before.
        again: bool,
    },
    /// A process could not be started.
    DidNotStart {
        /// Which process.
        process: ProcessId,
        /// Why.
        why: String,
    },
    /// A process is killed (SIGKILL).
    Killed(ProcessId),
    /// A process is stopped gracefully.
    Stopped(ProcessId),
    /// A process is paused (SIGSTOP) for this many ms.
    Paused(ProcessId, u64),
    /// A paused process resumes (SIGCONT).
    Resumed(ProcessId),
    /// A process is removed for good.
    Removed(ProcessId),
    /// A process exited without being told to.
    Exited(ProcessId),
    /// A process opened a session.
    Session {
        /// Which process.
        process: ProcessId,
        /// The session, as it printed it.
        session: String,
        /// The negotiated timeout.
        timeout_ms: u64,
    },
    /// A process created its candidate.
    Volunteers(ProcessId, String),
    /// A process found its candidate the smallest.
    Leads(ProcessId, String),
    /// A process watches its predecessor.
    WatchesPredecessor(ProcessId, String),
    /// A process watches every candidate.
    WatchesAll(ProcessId),
    /// A watch fired at a process.
    Notified {
        /// Which process.
        process: ProcessId,
        /// The event's type, as the client library names it.
        kind: String,
        /// The path it is about.
        path: String,
    },
    /// A process learned that its session expired.
    SessionExpired(ProcessId),
    /// A server is killed (SIGKILL).
    ServerKilled(ServerId),
    /// A server is started again.
    ServerStarted(ServerId),
    /// A server's mode changed, as `srvr` says (`None`: nothing listens: it is down).
    ServerMode(ServerId, Option<Mode>),
    /// A server accepts connections but does not answer.
    ServerSilent(ServerId),
    /// A znode was created, deleted or changed.
    Znode(ZnodeChange, String),
    /// The page's console opened a session.
    ConsoleSession(ProcessId, i64),
    /// A session nobody in Zooscope owns: someone else's program.
    External(ProcessId, i64),
}

/// What happened to a znode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZnodeChange {
    /// Created.
    Created,
    /// Deleted.
    Deleted,
    /// Its data changed.
    Changed,
}

impl LiveEvent {
    /// Who it is about (the event log highlights them).
    pub fn actors(&self) -> Vec<Endpoint> {
        use LiveEvent as E;
        match self {
            E::Starts { process: p, .. }
            | E::DidNotStart { process: p, .. }
            | E::Killed(p)
            | E::Stopped(p)
            | E::Paused(p, _)
            | E::Resumed(p)
            | E::Removed(p)
            | E::Exited(p)
            | E::Session { process: p, .. }
            | E::Volunteers(p, _)
            | E::Leads(p, _)
            | E::WatchesPredecessor(p, _)
            | E::WatchesAll(p)
            | E::Notified { process: p, .. }
            | E::SessionExpired(p)
            | E::ConsoleSession(p, _)
            | E::External(p, _) => vec![Endpoint::Process(*p)],
            E::ServerKilled(s) | E::ServerStarted(s) | E::ServerMode(s, _) | E::ServerSilent(s) => {
                vec![Endpoint::Server(*s)]
            }
            E::Znode(..) => Vec::new(),
        }
    }

    /// Whether it is news about leadership — who leads, who was killed — that a screen reader
    /// announces as the headline.
    pub fn is_headline(&self) -> bool {
        matches!(
            self,
            LiveEvent::Leads(..)
                | LiveEvent::Killed(_)
                | LiveEvent::ServerKilled(_)
                | LiveEvent::ServerMode(_, Some(Mode::Leader))
        )
    }

    /// The event in words.
    pub fn text(&self) -> String {
        use LiveEvent as E;
        match self {
            E::Starts {
                process,
                again: false,
            } => format!("{process} starts (a real process)"),
            E::Starts {
                process,
                again: true,
            } => {
                format!("{process} starts again with a new session")
            }
            E::DidNotStart { process, why } => format!("{process} could not start: {why}"),
            E::Killed(p) => {
                format!(
                    "{p} is killed (SIGKILL): its session lingers until the ensemble expires it"
                )
            }
            E::Stopped(p) => format!("{p} stops gracefully: its session closes now"),
            E::Paused(p, ms) => format!("{p} is paused (SIGSTOP) for {} s", ms / 1000),
            E::Resumed(p) => format!("{p} resumes (SIGCONT), still believing what it believed"),
            E::Removed(p) => format!("{p} is removed"),
            E::Exited(p) => {
                format!("{p} exits on its own: its session lingers until the ensemble expires it")
            }
            E::Session {
                process,
                session,
                timeout_ms,
            } => format!("{process} opens session {session} (timeout {timeout_ms} ms)"),
            E::Volunteers(p, c) => format!("{p} volunteers: it creates {c}"),
            E::Leads(p, c) => format!("{p} leads: {c} is the smallest candidate"),
            E::WatchesPredecessor(p, c) => {
                format!("{p} watches {c}, the candidate just before its own")
            }
            E::WatchesAll(p) => format!("{p} watches every candidate"),
            E::Notified {
                process,
                kind,
                path,
            } => format!("{process} is notified: {kind} {path}"),
            E::SessionExpired(p) => format!("{p} learns its session expired: it starts over"),
            E::ServerKilled(s) => format!("{s} is killed (SIGKILL)"),
            E::ServerStarted(s) => format!("{s} is started again"),
            E::ServerMode(s, None) => format!("{s} does not answer: it is down"),
            E::ServerMode(s, Some(Mode::NotServing)) => {
                format!("{s} is electing a leader (not serving)")
            }
            E::ServerMode(s, Some(Mode::Leader)) => format!("{s} leads the ensemble"),
            E::ServerMode(s, Some(Mode::Follower)) => format!("{s} follows the leader"),
            E::ServerMode(s, Some(Mode::Standalone)) => format!("{s} serves, standalone"),
            E::ServerSilent(s) => {
                format!("{s} accepts connections but does not answer: it runs, frozen")
            }
            E::Znode(ZnodeChange::Created, path) => format!("{path} is created"),
            E::Znode(ZnodeChange::Deleted, path) => format!("{path} is deleted"),
            E::Znode(ZnodeChange::Changed, path) => format!("{path}'s data changes"),
            E::ConsoleSession(p, session) => {
                format!("the console opens session 0x{session:x}: it is drawn as {p}")
            }
            E::External(p, session) => format!("{p} is an external client: session 0x{session:x}"),
        }
    }
}

/// How many narrated events a live session keeps (the oldest go first).
const KEPT_EVENTS: usize = 5_000;

/// The session's story so far: every event, numbered and timed.
#[derive(Debug, Clone, Default)]
pub struct Story {
    told: Vec<(u64, SimTime, LiveEvent)>,
    seq: u64,
}

impl Story {
    /// Tells `event`, at `time`.
    pub fn tell(&mut self, time: SimTime, event: LiveEvent) {
        self.seq += 1;
        self.told.push((self.seq, time, event));
        if self.told.len() > KEPT_EVENTS * 2 {
            self.told.drain(..KEPT_EVENTS);
        }
    }

    /// The events, newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &LiveEvent> {
        self.told.iter().rev().map(|(_, _, e)| e)
    }

    /// The events `filter` asks for, as the page's event log shows them, newest first.
    pub fn narrations(&self, filter: &EventFilter) -> Vec<Narration> {
        self.told
            .iter()
            .rev()
            .map(|(seq, time, event)| (seq, time, event, event.actors()))
            .filter(|(.., actors)| filter.admits(Strand::Story, actors))
            .take(filter.limit)
            .map(|(seq, time, event, actors)| Narration {
                seq: *seq,
                time: *time,
                strand: Strand::Story,
                actors,
                text: event.text(),
            })
            .collect()
    }

    /// The latest news about leadership, in words.
    pub fn headline(&self) -> Option<String> {
        self.newest_first()
            .find(|e| e.is_headline())
            .map(LiveEvent::text)
    }
}
