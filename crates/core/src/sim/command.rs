//! What a user does to a run: an [`Action`] a real cluster takes too, or a control only a
//! simulation has.
//!
//! Imports the actions, the ids, the recipe and the console's requests.

use crate::ids::{Endpoint, ProcessId, ServerId};
use crate::picture::Action;
use crate::recipe::RecipeKind;
use serde::{Deserialize, Serialize};

/// Something a user does to the world: an [`Action`] that a real cluster takes too, or a
/// control only a simulation has.
///
/// Written as it was before actions had a type of their own (`{"KillProcess":2}`), so old
/// recordings and share links still open: through `Written`, one flat list of variants
/// (cheaper in the page than an untagged variant, which would buffer every command read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Written", into = "Written")]
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
    Act(Action),
}

/// A command as recordings and links write it: every action and control side by side, as
/// the one enum they were before actions had a type of their own.
#[derive(Serialize, Deserialize)]
enum Written {
    KillProcess(ProcessId),
    StopProcess(ProcessId),
    PauseProcess(ProcessId, u64),
    RestartProcess(ProcessId),
    AddProcess,
    RemoveProcess(ProcessId),
    KillServer(ServerId),
    RestartServer(ServerId),
    Partition(Endpoint, Option<Vec<Endpoint>>),
    Heal(Option<Endpoint>),
    SetRecipe(RecipeKind),
    AddConsoleClient,
    Console {
        process: ProcessId,
        op: crate::zk::op::Op,
        ticket: u64,
    },
}

impl From<Written> for Command {
    fn from(written: Written) -> Command {
        use Written as W;
        match written {
            W::KillProcess(p) => Action::KillProcess(p).into(),
            W::StopProcess(p) => Action::StopProcess(p).into(),
            W::PauseProcess(p, ms) => Action::PauseProcess(p, ms).into(),
            W::RestartProcess(p) => Action::RestartProcess(p).into(),
            W::AddProcess => Action::AddProcess.into(),
            W::RemoveProcess(p) => Action::RemoveProcess(p).into(),
            W::KillServer(s) => Action::KillServer(s).into(),
            W::RestartServer(s) => Action::RestartServer(s).into(),
            W::Partition(who, from) => Command::Partition(who, from),
            W::Heal(who) => Command::Heal(who),
            W::SetRecipe(r) => Command::SetRecipe(r),
            W::AddConsoleClient => Command::AddConsoleClient,
            W::Console {
                process,
                op,
                ticket,
            } => Command::Console {
                process,
                op,
                ticket,
            },
        }
    }
}

impl From<Command> for Written {
    fn from(command: Command) -> Written {
        use Written as W;
        match command {
            Command::Act(Action::KillProcess(p)) => W::KillProcess(p),
            Command::Act(Action::StopProcess(p)) => W::StopProcess(p),
            Command::Act(Action::PauseProcess(p, ms)) => W::PauseProcess(p, ms),
            Command::Act(Action::RestartProcess(p)) => W::RestartProcess(p),
            Command::Act(Action::AddProcess) => W::AddProcess,
            Command::Act(Action::RemoveProcess(p)) => W::RemoveProcess(p),
            Command::Act(Action::KillServer(s)) => W::KillServer(s),
            Command::Act(Action::RestartServer(s)) => W::RestartServer(s),
            Command::Partition(who, from) => W::Partition(who, from),
            Command::Heal(who) => W::Heal(who),
            Command::SetRecipe(r) => W::SetRecipe(r),
            Command::AddConsoleClient => W::AddConsoleClient,
            Command::Console {
                process,
                op,
                ticket,
            } => W::Console {
                process,
                op,
                ticket,
            },
        }
    }
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
