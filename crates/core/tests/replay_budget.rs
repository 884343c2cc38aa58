//! Every run the validator accepts replays to its last command within a fixed event budget:
//! settings are checked for what they cost together (servers, processes, tick, timeouts,
//! latency, loss and retransmission, and the run's faults), not one by one, so a valid link
//! cannot freeze the page. (An estimate from a sample of the run once let through a run that
//! cost twice the budget: this test found it.)

mod common;

use common::config_of;
use proptest::prelude::*;
use zooscope_core::ids::{Endpoint, ProcessId, ServerId, SimTime};
use zooscope_core::picture::Action;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::recording::{Recording, RecordingError, EVENT_BUDGET, MAX_PROCESSES};
use zooscope_core::sim::{Command, Config};

/// What an accepted run may really cost.
const REPLAY_BOUND: u64 = EVENT_BUDGET;

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

/// Runs of up to two simulated hours.
fn recording() -> impl Strategy<Value = Recording> {
    (
        config(),
        prop::collection::vec(((0u64..7_200_000).prop_map(SimTime), command()), 1..12),
    )
        .prop_map(|(config, mut commands)| {
            commands.sort_by_key(|(at, _)| *at);
            Recording::new(config, commands)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn an_accepted_run_replays_to_its_end_within_the_budget(r in recording()) {
        match r.validate() {
            Ok(()) => {
                let mut sim = Recording::new(
                    Config { trace: false, ..r.config.clone() },
                    r.commands.clone(),
                )
                .world();
                sim.run_while(r.end(), |s| s.stats().events > REPLAY_BOUND);
                prop_assert!(
                    sim.now() >= r.end(),
                    "{} events by {} ms of {}: {:?}",
                    sim.stats().events,
                    sim.now(),
                    r.end(),
                    r.config
                );
            }
            Err(RecordingError::TooCostly { .. }) => {}
            Err(other) => prop_assert!(false, "a generated run is refused: {other}"),
        }
    }
}
