//! Scripted runs: start the cluster, wait for a leader, then kill the leader again and again,
//! measuring each failover. `zooscope simulate` prints this; the tests and benchmarks use it.
//!
//! Imports [`crate::ids`] and its siblings in [`crate::sim`]; outside the crate, `serde`,
//! `thiserror`.

use crate::ids::{ProcessId, ServerId, SimTime};
use crate::picture::Action;
use crate::sim::{Command, Config, Sim};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One failover: from killing the leader to the next leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failover {
    /// The leader killed.
    pub killed: ProcessId,
    /// The process that took over.
    pub next: ProcessId,
    /// Simulated ms from the kill to the new leader.
    pub ms: u64,
    /// How many processes received a watch event meanwhile.
    pub notified: usize,
}

/// What a run of [`kill_leaders`] measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The leaders, in order: the first one elected, then each successor.
    pub leaders: Vec<ProcessId>,
    /// Each failover.
    pub failovers: Vec<Failover>,
    /// Events processed by the world.
    pub events: u64,
    /// Messages sent.
    pub messages: u64,
    /// Simulated time at the end, in ms.
    pub sim_ms: u64,
}

/// Why a scenario could not finish.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScenarioError {
    /// No leader emerged in time.
    #[error("no leader emerged within {waited_ms} ms (simulated) after {after}")]
    NoLeader {
        /// How long it waited.
        waited_ms: u64,
        /// After what.
        after: String,
    },
}

/// Waits for a single leader, then `kills` times crashes it and waits for the next; each
/// wait gives up after `patience_ms` of simulated time.
pub fn kill_leaders(
    sim: &mut Sim,
    kills: usize,
    patience_ms: u64,
) -> Result<Report, ScenarioError> {
    let single = |s: &Sim| s.leaders().len() == 1;
    let start = sim.now();
    if !sim.run_while(start + patience_ms, single) {
        return Err(ScenarioError::NoLeader {
            waited_ms: patience_ms,
            after: "the start".into(),
        });
    }
    let mut leaders = sim.leaders();
    let mut failovers = Vec::new();
    for _ in 0..kills {
        let Some(&killed) = leaders.last() else { break };
        let before: Vec<(ProcessId, u64)> =
            sim.processes().map(|p| (p.id(), p.notified())).collect();
        let t0 = sim.now();
        sim.apply(Command::Act(Action::KillProcess(killed)));
        let next_leader = |s: &Sim| {
            let l = s.leaders();
            l.len() == 1 && l[0] != killed
        };
        if !sim.run_while(t0 + patience_ms, next_leader) {
            return Err(ScenarioError::NoLeader {
                waited_ms: patience_ms,
                after: format!("killing {killed}"),
            });
        }
        let next = sim.leaders()[0];
        let notified = before
            .iter()
            .filter(|(id, n)| sim.process(*id).is_some_and(|p| p.notified() > *n))
            .count();
        failovers.push(Failover {
            killed,
            next,
            ms: sim.now().since(t0),
            notified,
        });
        leaders.push(next);
    }
    let stats = sim.stats();
    Ok(Report {
        leaders,
        failovers,
        events: stats.events,
        messages: stats.messages,
        sim_ms: sim.now().ms(),
    })
}

/// The digest ([`crate::actor::trace::digest`]) of [`reference_run`]'s trace, as recorded from a
/// native run; the tests check that native and WebAssembly runs both reproduce it.
pub const REFERENCE_DIGEST: u64 = 6_969_374_390_350_449_549;

/// A fixed run with every kind of trouble — a crashed leader candidate, a crashed and
/// restarted server, a paused process — used to check that the same inputs give the same
/// trace natively and in WebAssembly.
pub fn reference_run() -> Sim {
    let mut sim = Sim::new(Config {
        seed: 9,
        processes: 7,
        servers: 5,
        ..Config::default()
    });
    sim.command_at(
        SimTime(4_000),
        Command::Act(Action::KillProcess(ProcessId(2))),
    );
    sim.command_at(
        SimTime(5_000),
        Command::Act(Action::KillServer(ServerId(5))),
    );
    sim.command_at(
        SimTime(6_000),
        Command::Act(Action::PauseProcess(ProcessId(3), 5_000)),
    );
    sim.command_at(
        SimTime(9_000),
        Command::Act(Action::RestartServer(ServerId(5))),
    );
    sim.run_until(SimTime(20_000));
    sim
}
