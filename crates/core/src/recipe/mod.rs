//! Leader election recipes: how a process uses ZooKeeper to find out whether it leads.
//!
//! Both are one [`election::Election`] — every process creates an ephemeral sequential
//! candidate under `/election`, and the smallest candidate is the leader — and differ only in
//! whom the others watch ([`election::Watch`]):
//!
//! - successor: each process watches only the candidate just before its own, so a failure
//!   wakes exactly one process (the lecture's recipe, ZooKeeper's "Leader Election" recipe);
//! - herd: every process watches `/election`'s children, so every change wakes them all
//!   (the herd effect the lecture warns about).

pub mod election;
pub mod volunteer;

use election::{Election, Watch};

use crate::actor::role::ProcessRole;
use crate::actor::Out;
use crate::client::Client;
use crate::ids::Zxid;
use crate::zk::op::Op;
use serde::{Deserialize, Serialize};

/// The parent of every candidate.
pub const ELECTION: &str = "/election";
/// The prefix of candidate znodes; the server appends the sequence number.
pub const CANDIDATE_PREFIX: &str = "/election/c_";

/// Which recipe the processes run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RecipeKind {
    /// Watch only the predecessor.
    #[default]
    Successor,
    /// Everyone watches all children.
    Herd,
    /// No election: a client the user drives from the console.
    Console,
}

/// What a recipe may do: send requests through the process's client.
pub struct Ctx<'a> {
    /// The process running the recipe.
    pub process: crate::ids::ProcessId,
    /// The client handle.
    pub client: &'a mut Client,
    /// The current time.
    pub now: u64,
    /// Where messages go.
    pub out: &'a mut Out,
}

impl Ctx<'_> {
    /// Sends a request; returns its number.
    pub fn submit(&mut self, op: Op) -> i32 {
        self.client.submit(op, self.now, self.out)
    }
}

/// A process's candidate znode: its path and its fencing token (the czxid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The full path, e.g. `/election/c_0000000003`.
    pub path: String,
    /// The zxid that created it: monotonic across leaders, so a fencing token.
    pub token: Zxid,
}

/// The sequence number of a candidate: candidates sort by it (`c_0000000007` → 7).
pub fn sequence(name: &str) -> Option<i64> {
    let digits = name.get(name.len().checked_sub(10)?..)?;
    digits.parse().ok()
}

/// Sorts candidate names by their sequence numbers (names without one go last).
pub fn sort_candidates(children: &mut [String]) {
    children.sort_by_key(|c| (sequence(c).unwrap_or(i64::MAX), c.clone()));
}

/// What a process runs: an election (with its way of watching), or nothing (the console's
/// client, driven by the user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipe {
    /// The lecture's election.
    Election(Election),
    /// No election.
    Console,
}

impl Recipe {
    /// A recipe of `kind`, not yet started.
    pub fn new(kind: RecipeKind) -> Recipe {
        match kind {
            RecipeKind::Successor => Recipe::Election(Election::new(Watch::Predecessor)),
            RecipeKind::Herd => Recipe::Election(Election::new(Watch::AllCandidates)),
            RecipeKind::Console => Recipe::Console,
        }
    }

    /// Which recipe this is.
    pub fn kind(&self) -> RecipeKind {
        match self {
            Recipe::Election(e) if e.watch == Watch::Predecessor => RecipeKind::Successor,
            Recipe::Election(_) => RecipeKind::Herd,
            Recipe::Console => RecipeKind::Console,
        }
    }

    /// The election, if this is one.
    pub fn election(&self) -> Option<&Election> {
        match self {
            Recipe::Election(e) => Some(e),
            Recipe::Console => None,
        }
    }

    /// Our candidate, if any.
    pub fn candidate(&self) -> Option<&Candidate> {
        self.election().and_then(|e| e.candidate.as_ref())
    }

    /// Whether we lead.
    pub fn is_leader(&self) -> bool {
        self.election().is_some_and(Election::is_leader)
    }

    /// Our role, for the view.
    pub fn role(&self) -> ProcessRole {
        self.election().map_or(ProcessRole::Console, Election::role)
    }

    /// Connected (again).
    pub fn on_connected(&mut self, ctx: &mut Ctx<'_>) {
        if let Recipe::Election(e) = self {
            e.on_connected(ctx);
        }
    }

    /// A request came back.
    pub fn on_reply(&mut self, xid: i32, reply: &crate::zk::op::Reply, ctx: &mut Ctx<'_>) {
        if let Recipe::Election(e) = self {
            e.on_reply(xid, reply, ctx);
        }
    }

    /// A watch fired.
    pub fn on_watch(&mut self, kind: crate::zk::watch::EventType, path: &str, ctx: &mut Ctx<'_>) {
        if let Recipe::Election(e) = self {
            e.on_watch(kind, path, ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_sort_by_sequence_number() {
        let mut c = vec![
            "c_0000000010".to_owned(),
            "c_0000000002".to_owned(),
            "odd".to_owned(),
            "c_0000000009".to_owned(),
        ];
        sort_candidates(&mut c);
        assert_eq!(c, ["c_0000000002", "c_0000000009", "c_0000000010", "odd"]);
        assert_eq!(sequence("c_0000000007"), Some(7));
        assert_eq!(sequence("c_7"), None);
    }
}
