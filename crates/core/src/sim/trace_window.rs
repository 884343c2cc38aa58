//! What a run keeps of its trace. A command-line run keeps all of it (the trace is its output);
//! the page keeps a window of the newest events and, apart, the newest events of the story —
//! rare beside the pings and timers that make up most of a steady cluster's trace, and what the
//! event log shows by default. So a run's memory does not grow with its length, and the story
//! of a quiet hour is not pushed out by its heartbeats.
//!
//! Imports [`crate::actor`].

use crate::actor::trace::{Strand, TraceEvent};

/// How many events a run keeps; `None` in [`crate::sim::Sim`] means everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceLimits {
    /// The newest events of every kind.
    pub recent: usize,
    /// The newest events of the story ([`Strand::Story`]).
    pub story: usize,
}

/// The kept trace: the newest events, the newest story events, and how many there were.
#[derive(Debug, Clone, Default)]
pub struct TraceWindow {
    recent: Vec<TraceEvent>,
    story: Vec<TraceEvent>,
    total: u64,
    limits: Option<TraceLimits>,
}

/// Keeps the newest `keep` of `events`. Trimming only once they reach twice that makes each
/// push O(1) amortised, so memory stays within twice the limit.
fn trim(events: &mut Vec<TraceEvent>, keep: usize) {
    if events.len() >= keep.saturating_mul(2).max(1) {
        events.drain(..events.len() - keep);
    }
}

impl TraceWindow {
    /// A window keeping everything, or at most `limits`.
    pub fn new(limits: Option<TraceLimits>) -> TraceWindow {
        TraceWindow {
            limits,
            ..TraceWindow::default()
        }
    }

    /// Records `event` (its `seq` must be [`TraceWindow::total`]).
    pub fn push(&mut self, event: TraceEvent) {
        self.total += 1;
        if event.kind.strand() == Strand::Story {
            self.story.push(event.clone());
        }
        self.recent.push(event);
        if let Some(limits) = self.limits {
            trim(&mut self.recent, limits.recent);
            trim(&mut self.story, limits.story);
        }
    }

    /// The newest events, oldest first (all of them without limits).
    pub fn recent(&self) -> &[TraceEvent] {
        &self.recent
    }

    /// The newest story events, oldest first.
    pub fn story(&self) -> &[TraceEvent] {
        &self.story
    }

    /// How many events were ever recorded: the next event's `seq`.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// A copy without the recent events (the story and the count stay): what a checkpoint of
    /// the run needs, at a fraction of the size.
    pub fn without_recent(&self) -> TraceWindow {
        TraceWindow {
            recent: Vec::new(),
            story: self.story.clone(),
            total: self.total,
            limits: self.limits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::trace::{TraceEvent, TraceKind};
    use crate::ids::SimTime;

    fn event(seq: u64, kind: TraceKind) -> TraceEvent {
        TraceEvent {
            time: SimTime(seq),
            seq,
            zxid: None,
            actors: Vec::new(),
            kind,
        }
    }

    #[test]
    fn a_bounded_window_keeps_the_newest_events_and_the_story_apart() {
        let mut w = TraceWindow::new(Some(TraceLimits {
            recent: 10,
            story: 3,
        }));
        for seq in 0..1_000 {
            let kind = if seq % 100 == 0 {
                TraceKind::Command {
                    what: format!("story {seq}"),
                }
            } else {
                TraceKind::Timer {
                    actor: crate::ids::Endpoint::Resource,
                    what: "tick".into(),
                }
            };
            w.push(event(seq, kind));
            assert!(w.recent().len() < 20 && w.story().len() < 6);
        }
        assert_eq!(w.total(), 1_000);
        assert_eq!(w.recent().last().map(|e| e.seq), Some(999));
        assert!(w.recent().len() >= 10);
        // The story's newest three survive 900 heartbeats that came after them.
        let story: Vec<u64> = w.story().iter().map(|e| e.seq).collect();
        assert!(story.ends_with(&[700, 800, 900]), "{story:?}");
        assert_eq!(w.without_recent().story(), w.story());
        assert!(w.without_recent().recent().is_empty());
    }

    #[test]
    fn without_limits_everything_is_kept() {
        let mut w = TraceWindow::new(None);
        for seq in 0..50_000 {
            w.push(event(
                seq,
                TraceKind::Command {
                    what: String::new(),
                },
            ));
        }
        assert_eq!(w.recent().len(), 50_000);
        assert_eq!(w.story().len(), 50_000);
    }
}
