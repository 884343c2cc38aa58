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
    /// The moments the timeline goes back to: each second's first picture, oldest first.
    /// The first, not the latest: the latest of a second replaces what came before it in that
    /// second, so a kill in the first second seen would leave no moment before it.
    kept: VecDeque<Rc<Picture>>,
    /// The newest picture, which following shows.
    newest: Option<Rc<Picture>>,
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
                let follows = seen.newest.as_ref().is_none_or(|newest| t >= newest.now);
                seen.shown = (!follows).then_some(index);
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

    /// Takes `picture` as the newest, and keeps it when it is the first of its second.
    fn arrive(&mut self, picture: Rc<Picture>) {
        self.trouble = None;
        let second = |p: &Picture| p.now.ms() / 1000;
        let first_of_its_second = self
            .kept
            .back()
            .is_none_or(|last| second(last) != second(&picture));
        self.newest = Some(Rc::clone(&picture));
        if !first_of_its_second {
            return;
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
            None => self.newest.clone(),
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
            horizon: self.newest.as_ref().map_or(SimTime::ZERO, |p| p.now),
            seeking: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zooscope_core::sim::{Config, Sim};

    /// A picture of a fresh simulated cluster, as if seen at `ms`.
    fn seen_at(ms: u64) -> Rc<Picture> {
        let sim = Sim::new(Config {
            processes: 1,
            servers: 1,
            ..Config::default()
        });
        let mut picture = sim.picture(&zooscope_core::picture::EventFilter::none());
        picture.now = SimTime(ms);
        Rc::new(picture)
    }

    fn after(seen: Seen, actions: impl IntoIterator<Item = SeenAction>) -> Seen {
        let mut seen = Rc::new(seen);
        for action in actions {
            seen = seen.reduce(action);
        }
        (*seen).clone()
    }

    #[test]
    fn the_timeline_keeps_one_picture_a_second_and_always_the_newest() {
        let seen = after(
            Seen::default(),
            [0, 150, 300, 1_000, 1_150, 1_300, 2_050].map(|t| SeenAction::Arrived(seen_at(t))),
        );
        let kept: Vec<u64> = seen.kept.iter().map(|p| p.now.ms()).collect();
        // Each second's first (an earlier version kept each second's latest, and lost the
        // moment before a kill made in the first second seen).
        assert_eq!(kept, vec![0, 1_000, 2_050]);
        assert_eq!(seen.current().map(|p| p.now), Some(SimTime(2_050)));
        assert!(seen.playback().playing);
        // The newest is shown even when it is not kept, and is the timeline's horizon.
        let newer = after(seen, [SeenAction::Arrived(seen_at(2_700))]);
        assert_eq!(newer.kept.len(), 3);
        assert_eq!(newer.current().map(|p| p.now), Some(SimTime(2_700)));
        assert_eq!(newer.playback().horizon, SimTime(2_700));
    }

    #[test]
    fn the_first_moment_seen_can_be_gone_back_to() {
        // Connected at 4.5 s; the leader killed at 4.9 s, in the same second.
        let seen = after(
            Seen::default(),
            [4_500, 4_650, 4_996, 5_100].map(|t| SeenAction::Arrived(seen_at(t))),
        );
        let start = after(seen, [SeenAction::Seek(SimTime::ZERO)]);
        assert_eq!(start.current().map(|p| p.now), Some(SimTime(4_500)));
        assert!(!start.playback().playing);
    }

    #[test]
    fn seeking_shows_the_picture_of_that_moment_until_following_again() {
        let seen = after(
            Seen::default(),
            [0, 1_000, 2_000, 3_000].map(|t| SeenAction::Arrived(seen_at(t))),
        );
        let back = after(seen.clone(), [SeenAction::Seek(SimTime(1_500))]);
        assert_eq!(back.current().map(|p| p.now), Some(SimTime(1_000)));
        let playback = back.playback();
        assert!(!playback.playing);
        assert_eq!(
            (playback.now, playback.horizon),
            (SimTime(1_000), SimTime(3_000))
        );
        // A new picture arriving does not move the view while it holds.
        let newer = after(back, [SeenAction::Arrived(seen_at(4_000))]);
        assert_eq!(newer.current().map(|p| p.now), Some(SimTime(1_000)));
        let following = after(newer, [SeenAction::Follow]);
        assert_eq!(following.current().map(|p| p.now), Some(SimTime(4_000)));
        // Seeking to the newest moment or past it follows.
        let end = after(seen, [SeenAction::Seek(SimTime(9_000))]);
        assert!(end.playback().playing);
    }

    #[test]
    fn at_most_a_quarter_of_an_hour_is_kept_and_a_held_view_keeps_its_picture() {
        let seconds = (0..=u64::try_from(KEPT).unwrap_or(0) + 10).map(|s| s * 1_000);
        let seen = after(
            Seen::default(),
            seconds.map(|t| SeenAction::Arrived(seen_at(t))),
        );
        assert_eq!(seen.kept.len(), KEPT);
        let held = after(seen, [SeenAction::Seek(SimTime(500_000))]);
        let more = after(held, [SeenAction::Arrived(seen_at(2_000_000))]);
        assert_eq!(more.kept.len(), KEPT);
        assert_eq!(more.current().map(|p| p.now), Some(SimTime(500_000)));
    }

    #[test]
    fn trouble_is_told_until_a_picture_arrives_and_a_reconnection_counts() {
        let seen = after(
            Seen::default(),
            [
                SeenAction::Trouble("lost".into()),
                SeenAction::Reconnect,
                SeenAction::Reconnect,
            ],
        );
        assert_eq!((seen.trouble.as_deref(), seen.attempt()), (Some("lost"), 2));
        let back = after(seen, [SeenAction::Arrived(seen_at(0))]);
        assert_eq!(back.trouble, None);
    }
}
