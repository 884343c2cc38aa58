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
    /// Its name, as `--recipe` and the trace spell it.
    pub fn name(self) -> &'static str {
        match self {
            RecipeKind::Successor => "successor",
            RecipeKind::Herd => "herd",
        }
    }

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

/// Where a candidate stands in line: by sequence number (names without one go last), then by
/// name (names are unique, so no two stand together).
fn place(name: &str) -> (i64, &str) {
    (sequence(name).unwrap_or(i64::MAX), name)
}

/// Step 3 of the recipe, for candidate `mine` among `children`: the candidate just before it in
/// line — the one it watches — or `None` when it is the smallest, the leader. One pass over the
/// names: at a thousand candidates, sorting a copy of them for every read was most of the work.
pub fn predecessor<'a>(children: &'a [String], mine: &str) -> Option<&'a str> {
    let me = place(mine);
    children
        .iter()
        .map(|c| place(c))
        .filter(|c| *c < me)
        .max()
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_candidate_watches_the_one_just_before_it() {
        let c = [
            "c_0000000010".to_owned(),
            "c_0000000002".to_owned(),
            "odd".to_owned(),
            "c_0000000009".to_owned(),
        ];
        assert_eq!(predecessor(&c, "c_0000000002"), None, "the smallest leads");
        assert_eq!(predecessor(&c, "c_0000000009"), Some("c_0000000002"));
        assert_eq!(predecessor(&c, "c_0000000010"), Some("c_0000000009"));
        assert_eq!(
            predecessor(&c, "odd"),
            Some("c_0000000010"),
            "no number: last"
        );
        assert_eq!(sequence("c_0000000007"), Some(7));
        assert_eq!(sequence("c_7"), None);
    }

    proptest::proptest! {
        /// The predecessor is the candidate's neighbour in the sorted line, whatever the names.
        #[test]
        fn the_predecessor_is_the_neighbour_in_line(
            numbers in proptest::collection::btree_set(0i64..10_000_000_000, 1..40),
            odd in proptest::collection::vec("[a-z_0-9]{0,12}", 0..4),
        ) {
            let mut children: Vec<String> =
                numbers.iter().map(|n| format!("c_{n:010}")).chain(odd).collect();
            children.dedup();
            let mut line = children.clone();
            line.sort_by(|a, b| place(a).cmp(&place(b)));
            line.dedup();
            for (i, mine) in line.iter().enumerate() {
                let expected = i.checked_sub(1).map(|j| line[j].as_str());
                proptest::prop_assert_eq!(predecessor(&children, mine), expected);
            }
        }
    }
}
