//! What a live page has seen: the pictures `zooscope live` streamed, one a second for a
//! quarter of an hour, so that the timeline can go back through them (read-only).
//!
//! Imports [`crate::model`]'s playback; from the core, the picture.

use crate::model::Playback;
use std::collections::VecDeque;
use std::rc::Rc;
use yew::Reducible;
use zooscope_core::ids::SimTime;
use zooscope_core::picture::Picture;

/// How many pictures the timeline keeps: one a second, for a quarter of an hour.
pub const KEPT: usize = 900;

/// What the page has seen of a live session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    /// One picture a second (the newest always), oldest first.
    kept: VecDeque<Rc<Picture>>,
    /// The picture shown, when going back in time; `None` follows the newest.
    shown: Option<usize>,
    /// Why the stream is not (or no longer) coming, if it is not.
    pub trouble: Option<String>,
    /// How many times the stream was opened: a lost one is opened again.
    attempt: u32,
}

/// What happens to what the page has seen.
#[derive(Debug, Clone, PartialEq)]
pub enum SeenAction {
    /// A picture arrived.
    Arrived(Rc<Picture>),
    /// Show the picture nearest this moment (and stop following).
    Seek(SimTime),
    /// Follow the newest picture again.
    Follow,
    /// The stream stopped, or could not start.
    Trouble(String),
    /// Open the stream again.
    Reconnect,
}

impl Reducible for Seen {
    type Action = SeenAction;

    fn reduce(self: Rc<Self>, action: SeenAction) -> Rc<Self> {
        let mut seen = (*self).clone();
        match action {
            SeenAction::Arrived(picture) => seen.arrive(picture),
            SeenAction::Seek(t) => {
                let index = seen.kept.partition_point(|p| p.now <= t).saturating_sub(1);
                seen.shown = (index + 1 < seen.kept.len()).then_some(index);
            }
            SeenAction::Follow => seen.shown = None,
            SeenAction::Trouble(why) => seen.trouble = Some(why),
            SeenAction::Reconnect => seen.attempt += 1,
        }
        Rc::new(seen)
    }
}

impl Seen {
    /// How many times the stream was opened (its opener runs again when this changes).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Keeps `picture`: it replaces the newest unless a second has passed since the one
    /// before, so the timeline holds one picture a second.
    fn arrive(&mut self, picture: Rc<Picture>) {
        self.trouble = None;
        let second = |p: &Picture| p.now.ms() / 1000;
        let replaces = self.kept.len() >= 2
            && self
                .kept
                .get(self.kept.len() - 2)
                .is_some_and(|before| second(before) == second(&picture));
        if replaces {
            self.kept.pop_back();
        }
        self.kept.push_back(picture);
        if self.kept.len() > KEPT {
            self.kept.pop_front();
            self.shown = self.shown.and_then(|i| i.checked_sub(1));
        }
    }

    /// The picture to draw: the one chosen on the timeline, else the newest.
    pub fn current(&self) -> Option<Rc<Picture>> {
        match self.shown {
            Some(i) => self.kept.get(i).cloned(),
            None => self.kept.back().cloned(),
        }
    }

    /// The timeline's state: following is playing; the horizon is the newest picture.
    pub fn playback(&self) -> Playback {
        let now = self.current().map_or(SimTime::ZERO, |p| p.now);
        Playback {
            playing: self.shown.is_none(),
            speed: 1.0,
            seed: 0,
            servers: 0,
            now,
            horizon: self.kept.back().map_or(SimTime::ZERO, |p| p.now),
            seeking: None,
        }
    }
}
