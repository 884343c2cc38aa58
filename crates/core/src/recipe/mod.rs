//! Leader election recipes: how a process uses ZooKeeper to find out whether it leads.
//!
//! Both start the same way — every process creates an ephemeral sequential candidate under
//! `/election`, and the smallest candidate is the leader — and differ in whom the others
//! watch:
//!
//! - [`successor`]: each process watches only the candidate just before its own, so a failure
//!   wakes exactly one process (the lecture's recipe, ZooKeeper's "Leader Election" recipe);
//! - [`herd`]: every process watches `/election`'s children, so every change wakes them all
//!   (the herd effect the lecture warns about).

pub mod herd;
pub mod successor;
pub mod volunteer;

use crate::actor::trace::ProcessRole;
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

/// A running recipe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipe {
    /// The successor recipe.
    Successor(successor::Successor),
    /// The herd recipe.
    Herd(herd::Herd),
    /// No recipe: the user's console client.
    Console,
}

impl Recipe {
    /// A fresh recipe of this kind.
    pub fn new(kind: RecipeKind) -> Recipe {
        match kind {
            RecipeKind::Successor => Recipe::Successor(successor::Successor::default()),
            RecipeKind::Herd => Recipe::Herd(herd::Herd::default()),
            RecipeKind::Console => Recipe::Console,
        }
    }

    /// Its kind.
    pub fn kind(&self) -> RecipeKind {
        match self {
            Recipe::Successor(_) => RecipeKind::Successor,
            Recipe::Herd(_) => RecipeKind::Herd,
            Recipe::Console => RecipeKind::Console,
        }
    }

    /// The process's candidate, once created.
    pub fn candidate(&self) -> Option<&Candidate> {
        match self {
            Recipe::Successor(r) => r.candidate.as_ref(),
            Recipe::Herd(r) => r.candidate.as_ref(),
            Recipe::Console => None,
        }
    }

    /// Whether the recipe concluded that this process leads.
    pub fn is_leader(&self) -> bool {
        match self {
            Recipe::Successor(r) => r.is_leader(),
            Recipe::Herd(r) => r.is_leader(),
            Recipe::Console => false,
        }
    }

    /// Where the process stands, for the view.
    pub fn role(&self) -> ProcessRole {
        match self {
            Recipe::Successor(r) => r.role(),
            Recipe::Herd(r) => r.role(),
            Recipe::Console => ProcessRole::Console,
        }
    }

    /// The connection is (re-)established.
    pub fn on_connected(&mut self, ctx: &mut Ctx<'_>) {
        match self {
            Recipe::Successor(r) => r.on_connected(ctx),
            Recipe::Herd(r) => r.on_connected(ctx),
            Recipe::Console => {}
        }
    }

    /// A request came back.
    pub fn on_reply(&mut self, xid: i32, reply: &crate::zk::op::Reply, ctx: &mut Ctx<'_>) {
        match self {
            Recipe::Successor(r) => r.on_reply(xid, reply, ctx),
            Recipe::Herd(r) => r.on_reply(xid, reply, ctx),
            Recipe::Console => {}
        }
    }

    /// A watch fired.
    pub fn on_watch(&mut self, kind: crate::zk::watch::EventType, path: &str, ctx: &mut Ctx<'_>) {
        match self {
            Recipe::Successor(r) => r.on_watch(kind, path, ctx),
            Recipe::Herd(r) => r.on_watch(kind, path, ctx),
            Recipe::Console => {}
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
