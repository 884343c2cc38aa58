//! What the live state takes in ([`Observation`]) and what it asks its driver to do
//! ([`Effect`]): plain data, so that a test can feed it what a real server once said.
//!
//! Imports the candidates' reports and the tree's news; from the core, the ids.

use crate::candidate::Report;
use crate::tree::TreeNews;
use zooscope_core::ids::{Millis, ProcessId, ServerId, SimTime};

/// Something the driver saw or heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observation {
    /// The time: since the live session began (the pictures' clock), and on the wall (what
    /// `dump`'s expiry buckets are dated in).
    Clock {
        /// Since the session began.
        now: SimTime,
        /// Wall-clock time, in ms since 1970.
        wall: Millis,
    },
    /// A server answered its four-letter words.
    Answered {
        /// Which server.
        server: ServerId,
        /// What it said.
        answers: Answers,
    },
    /// A server did not answer `srvr`.
    Silent {
        /// Which server.
        server: ServerId,
        /// How it failed to.
        silence: Silence,
    },
    /// The tree's follower read or saw something.
    Tree(TreeNews),
    /// One of Zooscope's processes reported a step.
    Report {
        /// Whose report.
        process: ProcessId,
        /// What it did.
        report: Report,
    },
    /// A process was started (or started again) with this PID.
    Spawned {
        /// Which process.
        process: ProcessId,
        /// Its operating-system process id.
        pid: u32,
    },
    /// A process could not be started.
    SpawnFailed {
        /// Which process.
        process: ProcessId,
        /// Why, in words.
        why: String,
    },
    /// The process with this PID has exited (its output ended).
    Exited {
        /// Which process.
        process: ProcessId,
        /// Its PID, so that the end of a process started before it is not taken for its own.
        pid: u32,
    },
    /// The page's console opened this session (0: none open).
    ConsoleSession(i64),
}

/// A server's answers to `srvr`, and, while it serves, `cons`, `wchp` and (on the leader or a
/// standalone server) `dump`; a word that went unanswered is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    /// `srvr`: its mode and last zxid.
    pub srvr: String,
    /// `cons`: its client connections.
    pub cons: Option<String>,
    /// `wchp`: data and exists watches by path.
    pub wchp: Option<String>,
    /// `dump`: the sessions' expiry buckets and ephemerals.
    pub dump: Option<String>,
}

/// How a server failed to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Silence {
    /// Nothing listens on its port: it is down.
    Refused,
    /// It accepted the connection but said nothing in time: it runs, frozen (a stopped JVM, a
    /// long pause, an overloaded machine).
    TimedOut,
}

/// Something the driver is asked to do to the real system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send `signal` to process `process`, whose PID is `pid`.
    Signal {
        /// Which process.
        process: ProcessId,
        /// Its PID.
        pid: u32,
        /// The signal.
        signal: Signal,
    },
    /// Close the process's standard input: it closes its session and exits; kill it if it
    /// has not a moment later.
    Stop {
        /// Which process.
        process: ProcessId,
    },
    /// Start process `process` (the next new one, or a crashed or stopped one again, with a
    /// new session); the driver answers with [`Observation::Spawned`] or
    /// [`Observation::SpawnFailed`].
    Spawn {
        /// Which process.
        process: ProcessId,
    },
    /// Kill a server Zooscope started (SIGKILL, by its PID).
    KillServer(ServerId),
    /// Start a server Zooscope started before (same `myid`, same data) again.
    StartServer(ServerId),
}

/// The signals the live state sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGKILL: a crash.
    Kill,
    /// SIGSTOP: a freeze, as in a long pause.
    Stop,
    /// SIGCONT: the end of the freeze.
    Cont,
}
