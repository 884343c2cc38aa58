//! What a user does to a run: an [`Action`] a real cluster takes too, or a control only a
//! simulation has.
//!
//! Imports the actions, the ids, the recipe and the console's requests.

use crate::ids::{Endpoint, ProcessId};
use crate::picture::Action;
use crate::recipe::RecipeKind;
use serde::{Deserialize, Serialize};

/// Something a user does to the world: an [`Action`] that a real cluster takes too, or a
/// control only a simulation has.
///
/// Written as it was before actions had a type of their own (`{"KillProcess":2}`), so old
/// recordings and share links still open: an action is the untagged last variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    /// Cut an endpoint off from some endpoints, or from all.
    Partition(Endpoint, Option<Vec<Endpoint>>),
    /// Heal the cuts of one endpoint, or all cuts.
    Heal(Option<Endpoint>),
    /// Switch the recipe: every running election process restarts with it.
    SetRecipe(RecipeKind),
    /// Add a client for the console: a process that runs no recipe.
    AddConsoleClient,
    /// A request typed at the console, sent through a process's session; its reply is kept
    /// under `ticket`.
    Console {
        /// Whose session.
        process: ProcessId,
        /// The request.
        op: crate::zk::op::Op,
        /// Chosen by the console, to find the reply.
        ticket: u64,
    },
    /// Something done to a process or a server, as on a real cluster.
    #[serde(untagged)]
    Act(Action),
}

impl From<Action> for Command {
    fn from(action: Action) -> Command {
        Command::Act(action)
    }
}

impl Command {
    /// The actors it acts on, named by its trace event (the event log highlights them, the
    /// space-time diagram marks their lifelines). A new process has no id before it exists.
    pub fn actors(&self) -> Vec<Endpoint> {
        match self {
            Command::Act(action) => action.actors(),
            Command::Console { process: p, .. } => vec![Endpoint::Process(*p)],
            Command::Partition(who, from) => std::iter::once(*who)
                .chain(from.iter().flatten().copied())
                .collect(),
            Command::Heal(who) => who.iter().copied().collect(),
            Command::SetRecipe(_) | Command::AddConsoleClient => Vec::new(),
        }
    }

    /// The command in words, for the trace.
    pub fn describe(&self) -> String {
        match self {
            Command::Act(action) => action.describe(),
            Command::Partition(who, None) => format!("{who} is cut off from everyone"),
            Command::Partition(who, Some(from)) => {
                let names: Vec<String> = from.iter().map(ToString::to_string).collect();
                format!("{who} is cut off from {}", names.join(", "))
            }
            Command::Heal(None) => "every partition heals".to_owned(),
            Command::Heal(Some(who)) => format!("{who}'s partitions heal"),
            Command::SetRecipe(r) => format!(
                "the processes switch to the {} recipe: each closes its session (its candidate \
                 is deleted), opens a new one and volunteers again, so the candidates are \
                 numbered anew and the election starts over",
                r.name()
            ),
            Command::AddConsoleClient => "a console client joins".to_owned(),
            Command::Console { process, op, .. } => {
                format!("the console sends {} {} as {process}", op.name(), op.path())
            }
        }
    }
}
