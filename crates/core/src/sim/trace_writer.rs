//! What the run writes into its trace: the events the actors ask for, each message's fate,
//! and the moments two processes believe they lead. Nothing is written when the run is not
//! traced (benchmarks, and replays up to a seek).
//!
//! Imports the messages and the trace's events.

use super::Sim;
use crate::actor::message::Message;
use crate::actor::trace::{TraceEvent, TraceKind};
use crate::ids::{Endpoint, SimTime, Zxid};

/// What became of a message, as the trace tells it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Fate {
    /// Sent; it arrives then.
    Sent(SimTime),
    /// Lost on the way.
    Dropped,
    /// Arrived on a connection that had since closed: ignored.
    Stale,
    /// Handed to its receiver.
    Delivered,
}

impl Sim {
    /// Notes what became of a message between `from` and `to` (when tracing: describing it
    /// costs more than moving it).
    pub(super) fn note_message(
        &mut self,
        from: Endpoint,
        to: Endpoint,
        message: &Message,
        fate: Fate,
    ) {
        if !self.config.trace {
            return;
        }
        let (kind, what) = (message.kind(), message.describe());
        let event = match fate {
            Fate::Sent(arrives) => TraceKind::Sent {
                from,
                to,
                kind,
                what,
                arrives,
            },
            Fate::Dropped => TraceKind::Dropped {
                from,
                to,
                kind,
                what,
            },
            Fate::Stale => TraceKind::Stale {
                from,
                to,
                kind,
                what,
            },
            Fate::Delivered => TraceKind::Delivered {
                from,
                to,
                kind,
                what,
            },
        };
        self.note(None, vec![from, to], event);
    }

    pub(super) fn note(
        &mut self,
        zxid: Option<Zxid>,
        actors: Vec<crate::ids::Endpoint>,
        kind: TraceKind,
    ) {
        if !self.config.trace {
            return;
        }
        let event = TraceEvent {
            time: self.now,
            seq: self.trace.total(),
            zxid,
            actors,
            kind,
        };
        self.tally.observe(&event);
        self.trace.push(event);
    }

    /// Records the moment two or more processes believe they lead.
    pub(super) fn check_split_brain(&mut self) {
        if !self.config.trace {
            return;
        }
        if self.believers.len() < 2 {
            self.reported_believers.clear();
            return;
        }
        let believers = self.believers();
        if believers != self.reported_believers {
            let actors = believers.iter().map(|p| Endpoint::Process(*p)).collect();
            self.note(
                None,
                actors,
                TraceKind::SplitBrain {
                    leaders: believers.clone(),
                },
            );
            self.reported_believers = believers;
        }
    }
}
