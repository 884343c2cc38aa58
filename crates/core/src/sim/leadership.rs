//! Who leads the run: the servers' leader, the freshest replica, and the processes that lead
//! (believe it, run, and hold a session the ensemble still has) or only believe it. The page
//! and the monitor read leadership from here, never work it out again.
//!
//! Imports the ensemble's peers, the processes and the ids.

use super::Sim;
use crate::ensemble::QuorumPeer;
use crate::ids::{ProcessId, ServerId, SessionId};
use crate::sim::process::Process;

impl Sim {
    /// The active leader server, if the ensemble has one.
    pub fn leader_server(&self) -> Option<ServerId> {
        self.servers
            .values()
            .rev()
            .find(|s| s.is_active_leader())
            .map(QuorumPeer::id)
    }

    /// The server with the most recent state (the active leader if any): the ensemble's
    /// tree as the view shows it.
    pub fn freshest_server(&self) -> Option<&QuorumPeer> {
        if let Some(l) = self.leader_server().and_then(|l| self.servers.get(&l)) {
            return Some(l);
        }
        self.servers
            .values()
            .filter(|s| s.is_up())
            .max_by_key(|s| (s.committed(), std::cmp::Reverse(s.id())))
    }

    /// The server, up or down, whose replica holds the latest committed state: committed
    /// transactions are never lost, so this is the ensemble's truth as of now.
    pub fn latest_committed(&self) -> Option<&QuorumPeer> {
        self.servers.values().max_by_key(|s| {
            (
                s.committed(),
                s.is_active_leader(),
                std::cmp::Reverse(s.id()),
            )
        })
    }

    /// Whether `session` is alive in the ensemble's latest committed state.
    pub fn session_alive(&self, session: SessionId) -> bool {
        self.latest_committed()
            .is_some_and(|s| s.replica().has_session(session))
    }

    /// The processes that lead: believe it, run, and hold a live session.
    pub fn leaders(&self) -> Vec<ProcessId> {
        self.believers
            .iter()
            .filter_map(|id| self.processes.get(id))
            .filter(|p| {
                p.is_running() && p.client().session().is_some_and(|s| self.session_alive(s))
            })
            .map(Process::id)
            .collect()
    }

    /// The processes that believe they lead, rightly or not.
    pub fn believers(&self) -> Vec<ProcessId> {
        self.believers.iter().copied().collect()
    }

    /// Keeps the set of believers current after process `id` acted.
    pub(super) fn update_belief(&mut self, id: ProcessId) {
        match self.processes.get(&id) {
            Some(p) if p.believes_leader() => {
                self.believers.insert(id);
            }
            _ => {
                self.believers.remove(&id);
            }
        }
    }
}
