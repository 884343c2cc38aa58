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

use election::Watch;

use crate::actor::Out;
use crate::client::Client;
use crate::ids::{SimTime, Zxid};
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
}

impl RecipeKind {
    /// How this recipe's processes watch when they do not lead (step 3).
    pub fn watch(self) -> Watch {
        match self {
            RecipeKind::Successor => Watch::Predecessor,
            RecipeKind::Herd => Watch::AllCandidates,
        }
    }

    /// The other recipe.
    pub fn other(self) -> RecipeKind {
        match self {
            RecipeKind::Successor => RecipeKind::Herd,
            RecipeKind::Herd => RecipeKind::Successor,
        }
    }
}

/// What a recipe may do: send requests through the process's client.
pub struct Ctx<'a> {
    /// The process running the recipe.
    pub process: crate::ids::ProcessId,
    /// The client handle.
    pub client: &'a mut Client,
    /// The current time.
    pub now: SimTime,
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

/// Sorts candidate names by their sequence numbers (names without one go last). Names are
/// unique, so an unstable sort orders them exactly as a stable one (and does not copy a name
/// per comparison).
pub fn sort_candidates(children: &mut [String]) {
    let key = |c: &String| sequence(c).unwrap_or(i64::MAX);
    children.sort_unstable_by(|a, b| (key(a), a).cmp(&(key(b), b)));
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
