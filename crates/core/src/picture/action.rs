//! What a user can do to a cluster that means the same on a real one: kill, stop, pause,
//! restart, add and remove processes; kill and restart servers.
//!
//! Both producers of a [`crate::picture::Picture`] take these: the simulator (inside its
//! [`crate::sim::Command`], beside the controls only a simulation has: its recipe switch, its
//! network cuts, the console's requests) and the live bridge, which does each one to real OS
//! processes. So the page's buttons speak one vocabulary whatever draws the picture.
//!
//! Imports only the ids.

use crate::ids::{Endpoint, ProcessId, ServerId};
use serde::{Deserialize, Serialize};

/// Something done to a process or a server, in the simulation or on the real system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Crash a process: its session lingers until it expires.
    KillProcess(ProcessId),
    /// Stop a process gracefully: its session closes, its candidate goes at once.
    StopProcess(ProcessId),
    /// Freeze a process for `ms` (a long GC pause).
    PauseProcess(ProcessId, u64),
    /// Restart a crashed or stopped process: a new session and a new candidate.
    RestartProcess(ProcessId),
    /// Add a process (it starts at once).
    AddProcess,
    /// Remove a process for good (it stops gracefully first).
    RemoveProcess(ProcessId),
    /// Crash a ZooKeeper server.
    KillServer(ServerId),
    /// Restart a crashed server.
    RestartServer(ServerId),
}

impl Action {
    /// The actors it acts on (a new process has no id before it exists).
    pub fn actors(&self) -> Vec<Endpoint> {
        match self {
            Action::KillProcess(p)
            | Action::StopProcess(p)
            | Action::PauseProcess(p, _)
            | Action::RestartProcess(p)
            | Action::RemoveProcess(p) => vec![Endpoint::Process(*p)],
            Action::KillServer(s) | Action::RestartServer(s) => vec![Endpoint::Server(*s)],
            Action::AddProcess => Vec::new(),
        }
    }

    /// The action in words, for the trace.
    pub fn describe(&self) -> String {
        match self {
            Action::KillProcess(p) => format!("{p} is killed (crash)"),
            Action::StopProcess(p) => format!("{p} is stopped gracefully"),
            Action::PauseProcess(p, ms) => format!("{p} is paused for {ms} ms"),
            Action::RestartProcess(p) => format!("{p} is restarted"),
            Action::AddProcess => "a process is added".to_owned(),
            Action::RemoveProcess(p) => format!("{p} is removed"),
            Action::KillServer(s) => format!("{s} is killed"),
            Action::RestartServer(s) => format!("{s} is restarted"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_is_written_as_the_command_it_was_before_it_had_a_type_of_its_own() {
        // Recordings and share links written before the split hold these exact forms.
        let cases = [
            (Action::KillProcess(ProcessId(2)), r#"{"KillProcess":2}"#),
            (
                Action::PauseProcess(ProcessId(1), 5000),
                r#"{"PauseProcess":[1,5000]}"#,
            ),
            (Action::AddProcess, r#""AddProcess""#),
            (Action::RestartServer(ServerId(3)), r#"{"RestartServer":3}"#),
        ];
        for (action, json) in cases {
            assert_eq!(serde_json::to_string(&action).ok().as_deref(), Some(json));
        }
    }

    #[test]
    fn a_command_written_before_the_split_opens_as_the_same_action() {
        use crate::sim::Command;
        let old: Result<Vec<Command>, _> = serde_json::from_str(
            r#"[{"KillProcess":2},"AddProcess",{"Heal":null},"AddConsoleClient"]"#,
        );
        assert_eq!(
            old.ok(),
            Some(vec![
                Command::Act(Action::KillProcess(ProcessId(2))),
                Command::Act(Action::AddProcess),
                Command::Heal(None),
                Command::AddConsoleClient,
            ])
        );
        let written = serde_json::to_string(&Command::Act(Action::PauseProcess(ProcessId(3), 9)));
        assert_eq!(written.ok().as_deref(), Some(r#"{"PauseProcess":[3,9]}"#));
    }
}
