//! Every run the validator accepts, the page replays to its last command within a budget of
//! its own. The validator's check replays untraced and stops at the budget; the page replays
//! otherwise — traced (with its trace window), taking checkpoints, seeking in steps — so this
//! replays as the page does: the page's `Run` opened from the recording, a seek to the end, a
//! seek back to the middle (from a checkpoint) and forward again. Every arrival is compared
//! with a plain replay of the recording, and the accepted cases are counted: a generator
//! whose runs were all refused would test nothing.

#![cfg(not(target_arch = "wasm32"))]

// The core's property tests' settings-to-configuration mapping, shared rather than copied.
#[path = "../../crates/core/tests/common/mod.rs"]
mod common;

use common::config_of;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use std::cell::Cell;
use zooscope_core::ids::{Endpoint, ProcessId, ServerId, SimTime};
use zooscope_core::picture::Action;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::recording::{Recording, RecordingError, EVENT_BUDGET, MAX_PROCESSES};
use zooscope_core::sim::{Command, Config, Sim};
use zooscope_web::model::checkpoints::MAX_CHECKPOINTS;
use zooscope_web::model::{Run, TRACE_LIMITS};

/// What the page may spend replaying an accepted run to its end: the budget a link is
/// checked against, spent by the page's own world.
const PAGE_BOUND: u64 = EVENT_BUDGET;
const CASES: u32 = 16;

fn config() -> impl Strategy<Value = Config> {
    (
        prop_oneof![Just(1u8), Just(3), Just(5), Just(7)],
        0u32..=MAX_PROCESSES,
        prop_oneof![Just(RecipeKind::Successor), Just(RecipeKind::Herd)],
        any::<u64>(),
        (10i32..1_000, 20i32..30_000),
        (0u32..300, 0u32..300, 0u32..=500, 1u32..3_000),
    )
        .prop_map(config_of)
}

fn command() -> impl Strategy<Value = Command> {
    let process = (1u32..=MAX_PROCESSES).prop_map(ProcessId);
    let server = (1u8..=7).prop_map(ServerId);
    prop_oneof![
        process
            .clone()
            .prop_map(|x| Command::Act(Action::KillProcess(x))),
        process
            .clone()
            .prop_map(|x| Command::Act(Action::RestartProcess(x))),
        (process.clone(), 0u64..60_000)
            .prop_map(|(p, ms)| Command::Act(Action::PauseProcess(p, ms))),
        server
            .clone()
            .prop_map(|x| Command::Act(Action::KillServer(x))),
        server
            .clone()
            .prop_map(|x| Command::Act(Action::RestartServer(x))),
        server.prop_map(|s| Command::Partition(Endpoint::Server(s), None)),
        Just(Command::Heal(None)),
    ]
}

/// Runs of up to two simulated hours, half of them under ten minutes (most long ones cost
/// too much and are refused).
fn recording() -> impl Strategy<Value = Recording> {
    let end = prop_oneof![0u64..600_000, 0u64..7_200_000];
    (
        config(),
        end,
        prop::collection::vec((0u64..=1_000, command()), 1..12),
    )
        .prop_map(|(config, end, commands)| {
            let mut commands: Vec<(SimTime, Command)> = commands
                .into_iter()
                .map(|(per_mille, c)| (SimTime(end * per_mille / 1_000), c))
                .collect();
            commands.sort_by_key(|(at, _)| *at);
            Recording::new(config, commands)
        })
}

/// A plain replay of `r` to `t` (untraced, from the start): what the page must arrive at.
fn plain(r: &Recording, t: SimTime) -> Sim {
    let mut sim = Recording::new(
        Config {
            trace: false,
            ..r.config.clone()
        },
        r.commands.clone(),
    )
    .world();
    sim.run_while(t, |_| false);
    sim
}

/// Where the page's run is: its time and how many events its world processed.
fn at(run: &Run) -> (SimTime, u64) {
    (run.sim().now(), run.sim().stats().events)
}

fn replays_as_the_page_does(r: &Recording) -> Result<(), TestCaseError> {
    let Ok(mut run) = Run::from_recording(r.clone()) else {
        return Err(TestCaseError::fail("accepted, then refused by the page"));
    };
    let end = r.end();
    run.seek(end);
    run.settle();
    let whole = plain(r, end);
    prop_assert_eq!(at(&run), (whole.now(), whole.stats().events));
    prop_assert!(
        run.sim().stats().events <= PAGE_BOUND,
        "the page spent {} events to reach {} ms: {:?}",
        run.sim().stats().events,
        end.ms(),
        r.config
    );
    // The trace window trims once it holds twice its limit.
    prop_assert!(run.sim().trace().len() < 2 * TRACE_LIMITS.recent);
    prop_assert!(run.sim().story().len() < 2 * TRACE_LIMITS.story);
    prop_assert!(run.checkpoints() <= MAX_CHECKPOINTS);
    // Back to the middle (from a checkpoint, if one was taken before it) and forward again.
    let middle = SimTime(end.ms() / 2);
    run.seek(middle);
    run.settle();
    let half = plain(r, middle);
    prop_assert_eq!(at(&run), (half.now(), half.stats().events));
    run.seek(end);
    run.settle();
    prop_assert_eq!(at(&run), (whole.now(), whole.stats().events));
    Ok(())
}

#[test]
fn an_accepted_run_replays_in_the_page_to_its_end_within_the_budget() {
    let accepted = Cell::new(0u32);
    let refused = Cell::new(0u32);
    let mut runner = TestRunner::new(RunnerConfig {
        cases: CASES,
        ..RunnerConfig::default()
    });
    let result = runner.run(&recording(), |r| match r.validate() {
        Ok(()) => {
            accepted.set(accepted.get() + 1);
            replays_as_the_page_does(&r)
        }
        Err(RecordingError::TooCostly { .. }) => {
            refused.set(refused.get() + 1);
            Ok(())
        }
        Err(other) => Err(TestCaseError::fail(format!(
            "a generated run is refused: {other}"
        ))),
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Both sides of the budget were met: a quarter of the cases at least were replayed.
    let (accepted, refused) = (accepted.get(), refused.get());
    eprintln!(
        "replay budget: {accepted} runs accepted and replayed, {refused} refused as too costly"
    );
    assert!(
        accepted >= CASES / 4,
        "only {accepted} of {CASES} generated runs were accepted ({refused} too costly)"
    );
}
