//! A run as data: its configuration and its command log — everything needed to replay it
//! exactly. The page shares runs as URLs and exports them as JSON files; whatever comes back
//! from outside is checked here before anything is replayed, so a hostile or broken link
//! cannot make the page hang, eat all memory or panic.
//!
//! Imports [`crate::ids`] and its siblings in [`crate::sim`]; outside the crate, `serde`,
//! `thiserror`.

use crate::ids::SimTime;
use crate::picture::Action;
use crate::sim::{Command, Config, Sim};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The format's version; a recording from another version is refused.
pub const RECORDING_VERSION: u32 = 1;

/// Most processes a run may have at any moment (those it starts with, plus those added, by the
/// page's buttons, its console or a link's commands, minus those removed). The one definition
/// the page's buttons, links and files all obey. A thousand shows the herd effect at the scale
/// it hurts; what a run costs is bounded by [`EVENT_BUDGET`] whatever its size.
pub const MAX_PROCESSES: u32 = 1_000;
/// Most commands a run may hold.
pub const MAX_COMMANDS: usize = 10_000;
/// Latest time a command may be given at: six simulated hours (a long lecture at 1×). What a
/// run may cost to replay is bounded by [`EVENT_BUDGET`], whatever its length.
pub const MAX_TIME_MS: u64 = 6 * 3_600_000;
/// Most events replaying a run up to its last command may take: about five hours of 60
/// processes (twenty minutes of 1,000), a few seconds of replay in the browser. Checked exactly, by replaying (see
/// [`Recording::validate`]).
pub const EVENT_BUDGET: u64 = 4_000_000;

/// A replayable run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recording {
    /// [`RECORDING_VERSION`].
    pub version: u32,
    /// The world's configuration.
    pub config: Config,
    /// The commands, with the simulated time each takes effect at.
    pub commands: Vec<(SimTime, Command)>,
}

/// Why a recording is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RecordingError {
    /// Written by another version of Zooscope.
    #[error("this run was saved by another version of Zooscope (format {0}, expected {RECORDING_VERSION})")]
    Version(u32),
    /// A setting outside what the simulation supports.
    #[error("{0} is out of range")]
    OutOfRange(&'static str),
    /// Too many commands.
    #[error("the run has {0} commands; at most {MAX_COMMANDS} are allowed")]
    TooManyCommands(usize),
    /// Command times go backwards or beyond the limit.
    #[error("command {0} is out of order or too late")]
    CommandTime(usize),
    /// A command with an argument out of range.
    #[error("command {0} is not valid")]
    Command(usize),
    /// A command that would take the cluster past [`MAX_PROCESSES`].
    #[error("command {0} would make the cluster more than {MAX_PROCESSES} processes")]
    TooManyProcesses(usize),
    /// Settings that together cost too much to replay up to the last command.
    #[error(
        "replaying this run would take about {} million events (at most {} million): its \
         settings cost too much together for a run of {} s",
        .events.div_ceil(1_000_000),
        EVENT_BUDGET / 1_000_000,
        .until.ms() / 1000
    )]
    TooCostly {
        /// The estimated events.
        events: u64,
        /// Up to when.
        until: SimTime,
    },
}

/// Follows a run's commands in order, refusing the first that breaks a limit. It mirrors what
/// the simulation does with process ids (numbered from 1, one more for each process added).
struct Limits {
    live: std::collections::BTreeSet<u32>,
    next_process: u32,
    last_at: SimTime,
    commands: usize,
}

impl Limits {
    fn new(config: &Config) -> Limits {
        Limits {
            live: (1..=config.processes).collect(),
            next_process: config.processes + 1,
            last_at: SimTime::ZERO,
            commands: 0,
        }
    }

    /// Admits command number `i`, given at `at`, or says why not.
    fn admit(&mut self, i: usize, at: SimTime, command: &Command) -> Result<(), RecordingError> {
        self.commands += 1;
        if self.commands > MAX_COMMANDS {
            return Err(RecordingError::TooManyCommands(self.commands));
        }
        if at < self.last_at || at.ms() > MAX_TIME_MS {
            return Err(RecordingError::CommandTime(i));
        }
        self.last_at = at;
        match command {
            Command::Act(Action::PauseProcess(_, ms)) if *ms > MAX_TIME_MS => {
                Err(RecordingError::Command(i))
            }
            Command::Console { op, .. } if op.path().len() > 4096 => {
                Err(RecordingError::Command(i))
            }
            Command::Act(Action::AddProcess) | Command::AddConsoleClient => {
                if self.live.len() >= MAX_PROCESSES as usize {
                    return Err(RecordingError::TooManyProcesses(i));
                }
                self.live.insert(self.next_process);
                self.next_process += 1;
                Ok(())
            }
            Command::Act(Action::RemoveProcess(p)) => {
                self.live.remove(&p.0);
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

fn check(ok: bool, what: &'static str) -> Result<(), RecordingError> {
    if ok {
        Ok(())
    } else {
        Err(RecordingError::OutOfRange(what))
    }
}

impl Recording {
    /// A recording of `config` and `commands`.
    pub fn new(config: Config, commands: Vec<(SimTime, Command)>) -> Recording {
        Recording {
            version: RECORDING_VERSION,
            config,
            commands,
        }
    }

    /// Checks every field against what the simulation can replay in reasonable time.
    pub fn validate(&self) -> Result<(), RecordingError> {
        if self.version != RECORDING_VERSION {
            return Err(RecordingError::Version(self.version));
        }
        let c = &self.config;
        check(matches!(c.servers, 1 | 3 | 5 | 7), "the number of servers")?;
        check(c.processes <= MAX_PROCESSES, "the number of processes")?;
        check((10..=10_000).contains(&c.tick_ms), "the tick time")?;
        check(
            (1..=600_000).contains(&c.session_timeout_ms),
            "the session timeout",
        )?;
        check(
            (10..=600_000).contains(&c.work_interval_ms),
            "the leader's write interval",
        )?;
        check(c.net.latency_ms <= 10_000, "the latency")?;
        check(c.net.jitter_ms <= 10_000, "the jitter")?;
        check(c.net.loss_per_mille <= 500, "the packet loss")?;
        check(
            (1..=60_000).contains(&c.net.retransmit_ms),
            "the retransmission timeout",
        )?;
        check(
            (1..=100).contains(&c.timing.init_limit) && (1..=100).contains(&c.timing.sync_limit),
            "the quorum timing",
        )?;
        check(c.timing.finalize_wait_ms <= 60_000, "the election's wait")?;
        check(
            (0..=4_102_444_800_000).contains(&c.wall_origin_ms),
            "the start date",
        )?;
        if self.commands.len() > MAX_COMMANDS {
            return Err(RecordingError::TooManyCommands(self.commands.len()));
        }
        let mut limits = Limits::new(c);
        for (i, (at, command)) in self.commands.iter().enumerate() {
            limits.admit(i, *at, command)?;
        }
        self.check_cost()
    }

    /// Whether replaying the run up to its last command stays within [`EVENT_BUDGET`]: found
    /// by replaying it (untraced), which stops at the budget. Settings each within their range
    /// can cost far too much together (servers, processes, tick, timeouts, latency, loss and
    /// retransmission all interact, and faults change the rates), so nothing short of the
    /// replay itself tells.
    fn check_cost(&self) -> Result<(), RecordingError> {
        let end = self.end();
        let untraced = Config {
            trace: false,
            ..self.config.clone()
        };
        let mut sim = Recording::new(untraced, self.commands.clone()).world();
        sim.run_while(end, |s| s.stats().events > EVENT_BUDGET);
        if sim.now() >= end {
            return Ok(());
        }
        // Over budget: the whole run's cost, extrapolated from how far the budget went.
        let events = sim.stats().events;
        let estimate = events.saturating_mul(end.ms()) / sim.now().ms().max(1);
        Err(RecordingError::TooCostly {
            events: estimate.max(events),
            until: end,
        })
    }

    /// The world with every command scheduled, at time 0 (nothing run yet).
    pub fn world(&self) -> Sim {
        let mut sim = Sim::new(self.config.clone());
        for (at, command) in &self.commands {
            sim.command_at(*at, command.clone());
        }
        sim
    }

    /// When the last command takes effect.
    pub fn end(&self) -> SimTime {
        self.commands.last().map_or(SimTime::ZERO, |(at, _)| *at)
    }
}

/// Whether `command`, given at `at` after `commands` (a run of `config` so far), keeps the run
/// within its limits: what the page asks before it logs a button's or the console's command,
/// so that every run it makes is one a link or a file may hold. (What replaying it up to then
/// costs, the caller knows: it has just run it.)
pub fn admits(
    config: &Config,
    commands: &[(SimTime, Command)],
    at: SimTime,
    command: &Command,
) -> Result<(), RecordingError> {
    let mut limits = Limits::new(config);
    for (i, (at, command)) in commands.iter().enumerate() {
        limits.admit(i, *at, command)?;
    }
    limits.admit(commands.len(), at, command)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ProcessId;

    #[test]
    fn a_recording_from_before_the_wall_origin_was_renamed_still_opens() {
        let r = Recording::new(Config::default(), vec![]);
        let now = serde_json::to_string(&r).unwrap_or_default();
        assert!(now.contains("\"wall_origin_ms\":"));
        let before = now.replace("\"wall_origin_ms\":", "\"epoch_ms\":");
        let opened: Result<Recording, _> = serde_json::from_str(&before);
        assert_eq!(opened.ok(), Some(r));
    }

    #[test]
    fn a_sane_recording_passes_and_replays() {
        let r = Recording::new(
            Config::default(),
            vec![(
                SimTime(4_000),
                Command::Act(Action::KillProcess(ProcessId(1))),
            )],
        );
        assert_eq!(r.validate(), Ok(()));
        let mut sim = r.world();
        sim.run_until(r.end() + 10);
        assert!(sim.process(ProcessId(1)).is_some_and(|p| !p.is_running()));
    }

    #[test]
    fn hostile_recordings_are_refused() {
        let base = Recording::new(Config::default(), Vec::new());
        let with = |f: &dyn Fn(&mut Recording)| {
            let mut r = base.clone();
            f(&mut r);
            r.validate()
        };
        assert_eq!(with(&|r| r.version = 2), Err(RecordingError::Version(2)));
        assert!(with(&|r| r.config.servers = 4).is_err());
        assert!(with(&|r| r.config.processes = 1_000_000).is_err());
        assert!(with(&|r| r.config.tick_ms = 0).is_err());
        assert!(with(&|r| r.config.net.loss_per_mille = 1000).is_err());
        assert!(with(&|r| r.commands = vec![
            (SimTime(5), Command::Act(Action::AddProcess)),
            (SimTime(4), Command::Act(Action::AddProcess))
        ])
        .is_err());
        assert!(
            with(&|r| r.commands = vec![(SimTime(u64::MAX), Command::Act(Action::AddProcess))])
                .is_err()
        );
        assert!(with(&|r| r.commands = vec![(
            SimTime(1),
            Command::Act(Action::PauseProcess(ProcessId(1), u64::MAX))
        )])
        .is_err());
        assert!(with(&|r| r.commands =
            vec![(SimTime(1), Command::Act(Action::AddProcess)); MAX_COMMANDS + 1])
        .is_err());
        // Processes added by commands count against the same limit as those a run starts with.
        let adds = (MAX_PROCESSES - Config::default().processes) as usize;
        assert_eq!(
            with(&|r| r.commands = vec![(SimTime(1), Command::Act(Action::AddProcess)); adds + 1]),
            Err(RecordingError::TooManyProcesses(adds))
        );
        assert_eq!(
            with(&|r| r.commands = vec![(SimTime(1), Command::AddConsoleClient); adds + 1]),
            Err(RecordingError::TooManyProcesses(adds))
        );
    }

    #[test]
    fn settings_that_cost_too_much_together_are_refused() {
        // Each setting within its own range; together, far over the budget for an hour.
        let mut costly = Config {
            servers: 7,
            processes: MAX_PROCESSES,
            tick_ms: 10,
            session_timeout_ms: 20,
            recipe: crate::recipe::RecipeKind::Herd,
            ..Config::default()
        };
        costly.net.latency_ms = 0;
        costly.net.jitter_ms = 0;
        costly.net.loss_per_mille = 500;
        costly.net.retransmit_ms = 1;
        let r = Recording::new(
            costly,
            vec![(
                SimTime(3_600_000),
                Command::Act(Action::KillProcess(ProcessId(1))),
            )],
        );
        let refused = r.validate();
        assert!(
            matches!(refused, Err(RecordingError::TooCostly { events, .. }) if events > EVENT_BUDGET),
            "{refused:?}"
        );
        // The default settings afford a long lecture.
        let r = Recording::new(
            Config::default(),
            vec![(SimTime(5 * 3_600_000), Command::Act(Action::AddProcess))],
        );
        assert_eq!(r.validate(), Ok(()));
    }

    #[test]
    fn removing_a_process_makes_room_for_another() {
        let mut r = Recording::new(Config::default(), Vec::new());
        let adds = (MAX_PROCESSES - r.config.processes) as usize;
        r.commands = vec![(SimTime(1), Command::Act(Action::AddProcess)); adds];
        assert_eq!(r.validate(), Ok(()));
        assert!(admits(
            &r.config,
            &r.commands,
            SimTime(2),
            &Command::Act(Action::AddProcess)
        )
        .is_err());
        // Removing one that does not exist frees nothing.
        r.commands.push((
            SimTime(2),
            Command::Act(Action::RemoveProcess(ProcessId(2 * MAX_PROCESSES))),
        ));
        assert!(admits(
            &r.config,
            &r.commands,
            SimTime(3),
            &Command::Act(Action::AddProcess)
        )
        .is_err());
        r.commands.push((
            SimTime(2),
            Command::Act(Action::RemoveProcess(ProcessId(1))),
        ));
        assert_eq!(
            admits(
                &r.config,
                &r.commands,
                SimTime(3),
                &Command::Act(Action::AddProcess)
            ),
            Ok(())
        );
        assert!(
            admits(
                &r.config,
                &r.commands,
                SimTime(1),
                &Command::Act(Action::AddProcess)
            )
            .is_err(),
            "not before the last command"
        );
    }
}
