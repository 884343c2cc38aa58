//! The invariant monitor: named properties of the simulated world, checked whenever asked
//! (the tests ask after every event; the view shows them live).
//!
//! - **at most one leader** among processes that run (not paused) and hold a live session;
//! - **each candidate watches only its predecessor** (successor recipe): a process holds at
//!   most one watch, on a candidate smaller than its own, and no candidate is watched twice;
//! - **no ephemeral outlives its session**, on any running server;
//! - **committed transactions are identical on every server**, and nothing committed is ever
//!   lost or changed: the monitor remembers every committed transaction it has seen.

use crate::ids::{ProcessId, Zxid};
use crate::recipe::{sequence, RecipeKind, Recipe};
use crate::sim::Sim;
use crate::stat::NodeKind;
use crate::tree::Txn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

    fn committed_agree(&mut self, sim: &Sim) -> Result<(), String> {
        for server in sim.servers() {
            let committed = server.committed();
            for p in server.log().iter().take_while(|p| p.zxid <= committed) {
                match self.committed.get(&p.zxid) {
                    Some(txn) if *txn != p.txn => {
                        return Err(format!(
                            "{} committed {} as {:?}, another server as {:?}",
                            server.id(),
                            p.zxid,
                            p.txn,
                            txn
                        ));
                    }
                    Some(_) => {}
                    None => {
                        self.committed.insert(p.zxid, p.txn.clone());
                    }
                }
            }
            // Everything ever committed below this server's point must be in its log.
            let logged = server
                .log()
                .iter()
                .take_while(|p| p.zxid <= committed)
                .count();
            let known = self.committed.range(..=committed).count();
            if logged != known {
                return Err(format!(
                    "{} has {logged} transactions up to {committed}, {known} were committed",
                    server.id()
                ));
            }
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
    let mut watched: BTreeMap<String, ProcessId> = BTreeMap::new();
    for p in sim.processes().filter(|p| p.is_running()) {
        let Recipe::Successor(_) = p.recipe() else {
            continue;
        };
        let set = p.client().watches().to_set_watches();
        if !set.child.is_empty() || !set.persistent.is_empty() || !set.recursive.is_empty() {
            return Err(format!("{} watches more than a candidate", p.id()));
        }
        let paths: Vec<&String> = set.data.iter().chain(set.exist.iter()).collect();
        if paths.len() > 1 {
            return Err(format!("{} watches {} znodes", p.id(), paths.len()));
        }
        let Some(path) = paths.first() else { continue };
        let own = p
            .candidate()
            .and_then(|c| sequence(&c.path))
            .unwrap_or(i64::MAX);
        if sequence(path).is_none_or(|s| s >= own) {
            return Err(format!("{} watches {path}, which is not before its own", p.id()));
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
