//! A run that keeps only a window of its trace, or resumes from a checkpoint, is the same run:
//! the window holds exactly the newest events of the full trace, the story keeps the newest
//! story events, and the plots' tally counts everything since the start.

use zooscope_core::actor::trace::Strand;
use zooscope_core::ids::SimTime;
use zooscope_core::sim::metrics::Tally;
use zooscope_core::sim::scenario::kill_leaders;
use zooscope_core::sim::trace_window::TraceLimits;
use zooscope_core::sim::{Config, Sim};

const LIMITS: TraceLimits = TraceLimits {
    recent: 2_000,
    story: 50,
};

/// Twelve processes; the leader is killed three times (its successor takes over each time).
fn busy_world() -> Sim {
    Sim::new(Config {
        processes: 12,
        ..Config::default()
    })
}

fn kill_three_leaders(sim: &mut Sim) {
    let report = kill_leaders(sim, 3, 60_000);
    assert!(report.is_ok_and(|r| r.failovers.len() == 3));
}

#[test]
fn a_windowed_run_keeps_the_newest_events_and_the_whole_tally() {
    let mut full = busy_world();
    let mut windowed = busy_world();
    windowed.limit_trace(LIMITS);
    kill_three_leaders(&mut full);
    kill_three_leaders(&mut windowed);
    full.run_until(SimTime(300_000));
    windowed.run_until(SimTime(300_000));
    assert_eq!(full.traced(), windowed.traced());
    assert!(windowed.trace().len() >= LIMITS.recent && windowed.trace().len() < 2 * LIMITS.recent);
    assert!(full.trace().ends_with(windowed.trace()));
    let story: Vec<_> = full
        .trace()
        .iter()
        .filter(|e| e.kind.strand() == Strand::Story)
        .cloned()
        .collect();
    assert!(
        story.len() > 2 * LIMITS.story,
        "a story long enough to trim"
    );
    assert!(story.ends_with(windowed.story()));
    assert!(windowed.story().len() >= LIMITS.story);
    // The tally saw the three failovers, though the window has long let them go.
    assert_eq!(windowed.tally(), &Tally::of(full.trace()));
    assert_eq!(windowed.tally().reigns().len(), 4);
    assert!(windowed.trace()[0].time > full.story().last().map_or(SimTime::ZERO, |e| e.time));
}

#[test]
fn a_run_resumed_from_a_checkpoint_goes_on_exactly_as_the_original() {
    let mut original = busy_world();
    original.limit_trace(LIMITS);
    original.run_until(SimTime(10_000));
    let mut resumed = original.checkpoint();
    assert!(
        resumed.trace().is_empty(),
        "a checkpoint leaves the window behind"
    );
    assert_eq!(resumed.story(), original.story());
    kill_three_leaders(&mut original);
    kill_three_leaders(&mut resumed);
    original.run_until(SimTime(200_000));
    resumed.run_until(SimTime(200_000));
    assert_eq!(resumed.stats(), original.stats());
    assert_eq!(resumed.traced(), original.traced());
    // Each window trimmed at its own moments: the shorter is the end of the longer.
    let (a, b) = (resumed.trace(), original.trace());
    assert!(a.ends_with(b) || b.ends_with(a));
    assert!(a.len().min(b.len()) >= LIMITS.recent);
    assert_eq!(resumed.story(), original.story());
    assert_eq!(resumed.tally(), original.tally());
}
