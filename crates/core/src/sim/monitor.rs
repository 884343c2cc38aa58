//! The invariant monitor: named properties of the simulated world, checked whenever asked
//! (the tests ask after every event; the view shows them live).
//!
//! - **at most one leader** among processes that run (not paused) and hold a live session;
//! - **each candidate watches only its predecessor** (successor recipe): a process with a
//!   live session holds at most one watch, on a candidate smaller than its own, and no
//!   candidate is watched by two of them;
//! - **no ephemeral outlives its session**, on any running server;
//! - **committed transactions are identical on every server**, and nothing committed is ever
//!   lost or changed: the monitor remembers every committed transaction it has seen.

use crate::ids::dense::DenseMap;
use crate::ids::{ProcessId, ServerId, Zxid};
use crate::recipe::{sequence, RecipeKind};
use crate::sim::process::Duty;
use crate::sim::Sim;
use crate::zk::stat::NodeKind;
use crate::zk::txn::Txn;
use litemap::LiteMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included};

/// One property and whether it holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    /// Its name, as the view shows it.
    pub name: &'static str,
    /// Whether it holds.
    pub holds: bool,
    /// Why not, when it does not.
    pub detail: Option<String>,
}

/// The names of the properties, in the order [`Monitor::check`] reports them.
pub const PROPERTIES: [&str; 4] = [
    "at most one leader",
    "each candidate watches only its predecessor",
    "no ephemeral outlives its session",
    "committed transactions identical on every server",
];

/// Remembers what was committed, to catch a transaction lost or rewritten later.
#[derive(Debug, Clone, Default)]
pub struct Monitor {
    committed: BTreeMap<Zxid, Txn>,
    /// Per server: how many committed log entries were verified, and the last one's zxid.
    verified: DenseMap<ServerId, (usize, Zxid)>,
}

impl Monitor {
    /// A monitor that has seen nothing yet.
    pub fn new() -> Monitor {
        Monitor::default()
    }

    /// Checks every property against the world as it is now.
    pub fn check(&mut self, sim: &Sim) -> Vec<Property> {
        vec![
            property(PROPERTIES[0], one_leader(sim)),
            property(PROPERTIES[1], watches_predecessors(sim)),
            property(PROPERTIES[2], ephemerals_have_sessions(sim)),
            property(PROPERTIES[3], self.committed_agree(sim)),
        ]
    }

    /// The first violated property, if any.
    pub fn violation(&mut self, sim: &Sim) -> Option<Property> {
        self.check(sim).into_iter().find(|p| !p.holds)
    }

    /// Checks the committed prefix of every server's log against every transaction ever
    /// seen committed; only what is new since the last check is compared entry by entry.
    fn committed_agree(&mut self, sim: &Sim) -> Result<(), String> {
        for server in sim.servers() {
            let id = server.id();
            let committed = server.committed();
            let log = server.log();
            let len = log.partition_point(|p| p.zxid <= committed);
            let (from, last) = self.verified.get(&id).copied().unwrap_or((0, Zxid::ZERO));
            if len < from || (from > 0 && log[from - 1].zxid != last) {
                return Err(format!("{id} lost committed transactions up to {last}"));
            }
            let mut previous = last;
            for p in &log[from..len] {
                if p.zxid <= previous {
                    return Err(format!("{id}'s log is out of order at {}", p.zxid));
                }
                match self.committed.get(&p.zxid) {
                    Some(txn) if *txn != p.txn => {
                        return Err(format!(
                            "{id} committed {} as {:?}, another server as {:?}",
                            p.zxid, p.txn, txn
                        ));
                    }
                    Some(_) => {}
                    None => {
                        self.committed.insert(p.zxid, p.txn.clone());
                    }
                }
                if let Some((missing, _)) = self
                    .committed
                    .range((Excluded(previous), Excluded(p.zxid)))
                    .next()
                {
                    return Err(format!("{id} skipped committed transaction {missing}"));
                }
                previous = p.zxid;
            }
            if let Some((missing, _)) = self
                .committed
                .range((Excluded(previous), Included(committed)))
                .next()
            {
                return Err(format!("{id} lacks committed transaction {missing}"));
            }
            self.verified.insert(id, (len, previous));
        }
        Ok(())
    }
}

fn property(name: &'static str, result: Result<(), String>) -> Property {
    Property {
        name,
        holds: result.is_ok(),
        detail: result.err(),
    }
}

fn one_leader(sim: &Sim) -> Result<(), String> {
    let leaders = sim.leaders();
    if leaders.len() <= 1 {
        Ok(())
    } else {
        let names: Vec<String> = leaders.iter().map(ToString::to_string).collect();
        Err(format!("{} all lead", names.join(", ")))
    }
}

fn watches_predecessors(sim: &Sim) -> Result<(), String> {
    if sim.recipe() != RecipeKind::Successor {
        return Ok(());
    }
    let Some(tree) = sim.latest_committed().map(|s| s.replica().tree()) else {
        return Ok(());
    };
    let mut watched: LiteMap<String, ProcessId> = LiteMap::new();
    // A process cut off from the ensemble may still hold the watch of a session that has
    // expired; only live sessions count. An `exists` that found its predecessor already gone
    // leaves a watch on a name that never comes back; only watches on existing znodes count.
    let live = sim
        .processes()
        .filter(|p| p.is_running() && p.client().session().is_some_and(|s| sim.session_alive(s)));
    for p in live {
        if p.duty() != Duty::Candidate(RecipeKind::Successor) {
            continue;
        }
        let set = p.client().watches().to_set_watches();
        if !set.child.is_empty() || !set.persistent.is_empty() || !set.recursive.is_empty() {
            return Err(format!("{} watches more than a candidate", p.id()));
        }
        let paths: Vec<&String> = set
            .data
            .iter()
            .chain(set.exist.iter())
            .filter(|path| tree.get(path).is_some())
            .collect();
        if paths.len() > 1 {
            return Err(format!("{} watches {} znodes", p.id(), paths.len()));
        }
        let Some(path) = paths.first() else { continue };
        let own = p
            .candidate()
            .and_then(|c| sequence(&c.path))
            .unwrap_or(i64::MAX);
        if sequence(path).is_none_or(|s| s >= own) {
            return Err(format!(
                "{} watches {path}, which is not before its own",
                p.id()
            ));
        }
        if let Some(other) = watched.insert((*path).clone(), p.id()) {
            return Err(format!("{path} is watched by both {other} and {}", p.id()));
        }
    }
    Ok(())
}

fn ephemerals_have_sessions(sim: &Sim) -> Result<(), String> {
    for server in sim.servers().filter(|s| s.is_up()) {
        let replica = server.replica();
        for (path, node) in replica.tree().iter() {
            if let NodeKind::Ephemeral(owner) = node.kind() {
                if replica.session(owner).is_none() {
                    return Err(format!(
                        "{path} on {} belongs to session {owner}, which is gone",
                        server.id()
                    ));
                }
            }
        }
    }
    Ok(())
}
