//! Frame timing, for the browser benchmark (`web/tests/bench.rs`): how long each animation
//! frame takes from the clock's tick to the end of Yew's render, and how far the simulation
//! got. Measuring is cheap (two clock reads per frame), so it is always on.
//!
//! Imports nothing of the page or the core.

use std::cell::{Cell, RefCell};

/// One frame: its duration in ms and the world's event count after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameSample {
    /// Wall-clock ms from the tick to the end of rendering.
    pub ms: f64,
    /// Events the world had processed after the frame.
    pub events: u64,
}

thread_local! {
    static STARTED: Cell<Option<f64>> = const { Cell::new(None) };
    static SAMPLES: RefCell<Vec<FrameSample>> = const { RefCell::new(Vec::new()) };
}

/// The most samples kept (the oldest are dropped).
const KEEP: usize = 10_000;

/// A frame starts (the animation clock ticked at `now`).
pub fn frame_started(now: f64) {
    STARTED.with(|s| s.set(Some(now)));
}

/// The frame that started last has been rendered at `now`, the world at `events`.
pub fn frame_rendered(now: f64, events: u64) {
    if let Some(start) = STARTED.with(Cell::take) {
        SAMPLES.with(|s| {
            let mut s = s.borrow_mut();
            if s.len() >= KEEP {
                s.remove(0);
            }
            s.push(FrameSample {
                ms: now - start,
                events,
            });
        });
    }
}

/// Takes every sample recorded so far.
pub fn take_samples() -> Vec<FrameSample> {
    SAMPLES.with(|s| std::mem::take(&mut *s.borrow_mut()))
}
