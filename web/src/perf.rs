//! Frame timing, for the browser benchmark (`web/tests/bench.rs`): how long each animation
//! frame takes from the clock's tick to the end of Yew's render, how much of it the
//! simulation and the picture took, and how far the simulation got. Measuring is cheap (a few
//! clock reads per frame), so it is always on.
//!
//! Imports nothing of the page or the core.

use std::cell::{Cell, RefCell};

/// One frame: its duration in ms and the world's event count after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameSample {
    /// Wall-clock ms from the tick to the end of rendering.
    pub ms: f64,
    /// Of which running the simulation.
    pub simulation_ms: f64,
    /// Of which building the picture.
    pub picture_ms: f64,
    /// Of which building the space-time diagram (while it is open).
    pub diagram_ms: f64,
    /// Events the world had processed after the frame.
    pub events: u64,
}

/// A part of a frame, measured on its own (the rest is Yew's rendering).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The world runs to the frame's moment.
    Simulation,
    /// The picture of that moment is built.
    Picture,
    /// The space-time diagram of the span ending then is built.
    Diagram,
}

thread_local! {
    static STARTED: Cell<Option<f64>> = const { Cell::new(None) };
    static PHASES: Cell<[f64; 3]> = const { Cell::new([0.0; 3]) };
    static SAMPLES: RefCell<Vec<FrameSample>> = const { RefCell::new(Vec::new()) };
}

/// The browser's monotonic clock, in ms (0 where there is none): the animation clock's too.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Runs `f`, counting its time towards `phase` of the current frame.
pub fn timed<T>(phase: Phase, f: impl FnOnce() -> T) -> T {
    let start = now();
    let value = f();
    let ms = now() - start;
    PHASES.with(|p| {
        let mut phases = p.get();
        phases[phase as usize] += ms;
        p.set(phases);
    });
    value
}

/// The most samples kept (the oldest are dropped).
const KEEP: usize = 10_000;

/// A frame starts (the animation clock ticked at `now`).
pub fn frame_started(now: f64) {
    STARTED.with(|s| s.set(Some(now)));
    PHASES.with(|p| p.set([0.0; 3]));
}

/// The frame that started last has been rendered at `now`, the world at `events`.
pub fn frame_rendered(now: f64, events: u64) {
    if let Some(start) = STARTED.with(Cell::take) {
        let [simulation_ms, picture_ms, diagram_ms] = PHASES.with(Cell::get);
        SAMPLES.with(|s| {
            let mut s = s.borrow_mut();
            if s.len() >= KEEP {
                s.remove(0);
            }
            s.push(FrameSample {
                ms: now - start,
                simulation_ms,
                picture_ms,
                diagram_ms,
                events,
            });
        });
    }
}

/// Takes every sample recorded so far.
pub fn take_samples() -> Vec<FrameSample> {
    SAMPLES.with(|s| std::mem::take(&mut *s.borrow_mut()))
}
