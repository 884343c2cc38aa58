//! What an actor (server, process, shared resource) hands back to the world after handling a
//! message or a timer: messages to send, timers to set, trace records. Actors never perform
//! anything themselves; the world ([`crate::sim`]) does, so they stay pure state machines.
//!
//! Imports [`crate::ids`] and its siblings in [`crate::actor`]; outside the crate, `serde`.

pub mod message;
pub mod role;
pub mod trace;

use crate::actor::message::Message;
use crate::actor::trace::TraceKind;
use crate::ids::{Endpoint, SimTime, Zxid};
use serde::{Deserialize, Serialize};

/// A timer an actor asks for; it comes back to the same actor at `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Timer {
    /// A server's periodic tick (heartbeats, failure detection, session expiry).
    ServerTick {
        /// The server's incarnation: ticks from before a crash are ignored.
        incarnation: u32,
    },
    /// A server's election step: finish waiting for better votes, or resend its vote.
    Election {
        /// The election round it belongs to.
        round: u64,
    },
    /// A client library's heartbeat / timeout check.
    Client {
        /// The client's generation: checks from an older connection are ignored.
        generation: u64,
    },
    /// The leader process's periodic write to the shared resource.
    Work {
        /// The process incarnation.
        incarnation: u32,
    },
}

/// The effects an actor asks for.
#[derive(Debug, Clone, Default)]
pub struct Out {
    /// Messages to send, in order.
    pub sends: Vec<(Endpoint, Message)>,
    /// Timers to set: (absolute time in ms, timer).
    pub timers: Vec<(SimTime, Timer)>,
    /// Trace records: (zxid, actors, what).
    pub trace: Vec<(Option<Zxid>, Vec<Endpoint>, TraceKind)>,
    /// Whether trace records are wanted (building them costs; a benchmark run skips them).
    pub tracing: bool,
}

impl Out {
    /// Queues a message.
    pub fn send(&mut self, to: Endpoint, message: Message) {
        self.sends.push((to, message));
    }

    /// Sets a timer.
    pub fn timer(&mut self, at: SimTime, timer: Timer) {
        self.timers.push((at, timer));
    }

    /// Records a trace entry, built only if tracing is on.
    pub fn note(
        &mut self,
        zxid: Option<Zxid>,
        actors: &[Endpoint],
        kind: impl FnOnce() -> TraceKind,
    ) {
        if self.tracing {
            self.trace.push((zxid, actors.to_vec(), kind()));
        }
    }
}
