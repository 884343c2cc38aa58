//! What one frame of Zooscope shows, as plain serde data: the servers, the processes, the
//! znode tree, who watches whom, the messages in flight, the split-brain banner, the fenced
//! resource and the narrated events up to that moment.
//!
//! A [`Picture`] is the seam between what produces a cluster and what draws it. The simulator
//! produces one for any moment of a run ([`crate::sim::Sim::picture`]); a bridge to a real
//! ZooKeeper ensemble produces the same type from what the servers and processes report. The
//! page draws only pictures, so it cannot tell — and need not know — where one came from,
//! except where [`Source`] says so. Nothing here may assume how a producer works inside:
//! every field is something a real ensemble can be asked about too.
//!
//! What a user can do to either producer is an [`Action`] ([`action`]).
//!
//! Imports the actors' states ([`crate::actor::role`]), the message kinds, the trace's
//! strands, the znode stat and the ids; nothing imports the simulator from here.

pub mod action;

pub use action::Action;

use crate::actor::message::MessageKind;
use crate::actor::role::{ProcessRole, ServerRole};
use crate::actor::trace::Strand;
use crate::ids::{Endpoint, ProcessId, ServerId, SessionId, SimTime, Zxid};
use crate::recipe::RecipeKind;
use crate::zk::stat::{NodeKind, Stat};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a picture comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// Zooscope's own simulation, run in the page or the terminal.
    Simulation,
    /// A real ZooKeeper ensemble, watched through `zooscope live`.
    Live {
        /// The ensemble's client address (`host:port,…`).
        ensemble: String,
        /// Whether Zooscope started the servers itself, so it may kill and restart them.
        owns_servers: bool,
    },
}

/// One frame: everything the page shows at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    /// Where it comes from.
    pub source: Source,
    /// Milliseconds since the run (or the live session) began.
    pub now: SimTime,
    /// The wall-clock time of that moment, in ms since 1970: what znode stats are dated in.
    pub wall_ms: i64,
    /// The election recipe the processes run, if they all run one.
    pub recipe: Option<RecipeKind>,
    /// The ZooKeeper servers, by id.
    pub servers: Vec<ServerPicture>,
    /// The processes, in the order they are drawn.
    pub processes: Vec<ProcessPicture>,
    /// The znode tree, by path, as the most up-to-date server holds it.
    pub tree: BTreeMap<String, ZnodePicture>,
    /// Who watches what.
    pub watches: Vec<WatchEdge>,
    /// Messages on their way.
    pub flights: Vec<Flight>,
    /// Actors cut off from the network.
    pub cut_off: Vec<Endpoint>,
    /// More than one process believes it leads.
    pub split_brain: Option<SplitBrain>,
    /// The shared resource the leader writes to, fenced by its token.
    pub resource: Option<ResourcePicture>,
    /// The narrated events the viewer asked for ([`EventFilter`]), newest first.
    pub events: Vec<Narration>,
    /// The latest change of leadership, in words (what a screen reader announces).
    pub headline: Option<String>,
    /// The latest time a leader stopped leading, and whom watches woke since.
    pub failure: Option<Failure>,
}

/// How long a failure's caption stays once a leader leads again, in ms.
const CAPTION_MS: u64 = 10_000;

impl Picture {
    /// The latest failure in words, while it is the news: a paused leader has not stopped
    /// believing it leads (it is paused while leading), and once a leader has led again for
    /// a while there is nothing to say (`None`).
    pub fn failure_caption(&self) -> Option<String> {
        let f = self.failure.as_ref()?;
        let paused = self
            .processes
            .iter()
            .any(|p| p.id == f.leader && p.liveness == Liveness::Paused && p.believes_leader);
        if paused {
            return Some(format!(
                "{} is paused while leading: it still believes it leads",
                f.leader
            ));
        }
        let leading = self
            .processes
            .iter()
            .any(|p| p.role == ProcessRole::Leader && !p.stale && p.liveness == Liveness::Running);
        if leading && self.now.since(f.at) > CAPTION_MS {
            return None;
        }
        let n = f.woken.len();
        Some(format!(
            "{} stopped leading: {n} process{} woken",
            f.leader,
            if n == 1 { "" } else { "es" }
        ))
    }

    /// The process that leads: it believes it leads, runs, and its producer found its session
    /// alive (it is not stale). Who leads is decided once, by whoever produced the picture —
    /// the simulation from its ensemble's state, the live state from the leader's `dump` —
    /// and read here by everyone who draws or acts on it.
    pub fn leader(&self) -> Option<ProcessId> {
        self.processes
            .iter()
            .find(|p| {
                p.kind == ProcessKind::Candidate
                    && p.believes_leader
                    && !p.stale
                    && p.liveness == Liveness::Running
            })
            .map(|p| p.id)
    }

    /// `process`'s candidate as the picture shows it: its name, and whether the znode still
    /// exists — a crashed or paused process still names the candidate its expired session
    /// owned, which ZooKeeper has deleted.
    pub fn candidate_of<'a>(&self, process: &'a ProcessPicture) -> Option<(&'a str, bool)> {
        let path = process.candidate.as_deref()?;
        Some((short(path), self.tree.contains_key(path)))
    }
}

/// The latest leader failure: who led, when it stopped, and which processes a watch has
/// woken since — one with the successor recipe, every other candidate with the herd's. The
/// page labels them, and counts them for the lecture's herd-effect comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The leader that stopped leading.
    pub leader: ProcessId,
    /// When it stopped.
    pub at: SimTime,
    /// Processes a watch notification woke since, by id.
    pub woken: Vec<ProcessId>,
}

impl Failure {
    /// The failure of `leader` at `at`, woken as `processes` say ([`ProcessPicture::woken_at`]).
    pub fn of(leader: ProcessId, at: SimTime, processes: &[ProcessPicture]) -> Failure {
        Failure {
            leader,
            at,
            woken: processes
                .iter()
                .filter(|p| p.woken_at.is_some_and(|t| t >= at))
                .map(|p| p.id)
                .collect(),
        }
    }

    /// The latest of `reigns` to end, as a failure.
    pub fn latest(reigns: &[Reign], processes: &[ProcessPicture]) -> Option<Failure> {
        reigns
            .iter()
            .filter_map(|r| r.until.map(|until| (r.process, until)))
            .max_by_key(|(_, until)| *until)
            .map(|(leader, at)| Failure::of(leader, at, processes))
    }
}

/// A ZooKeeper server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerPicture {
    /// Its id (`myid`).
    pub id: ServerId,
    /// Leading, following, looking, standalone or down.
    pub role: ServerRole,
    /// The last transaction it has (its `Zxid` in `srvr`).
    pub last_zxid: Zxid,
    /// How many clients are connected to it.
    pub clients: usize,
    /// The `zoo.cfg` it runs with, when the producer knows it (a real server Zooscope
    /// started).
    #[serde(default)]
    pub config: Option<String>,
    /// Since when it has accepted connections without answering them — it runs, frozen (a
    /// stopped JVM) — when the producer can tell. Its role is then the last one it told.
    #[serde(default)]
    pub silent_since: Option<SimTime>,
}

impl ServerPicture {
    /// Its role as the automation contract names it (`data-role`).
    pub fn role_name(&self) -> &'static str {
        match self.role {
            ServerRole::Down => "down",
            ServerRole::Looking => "looking",
            ServerRole::Following(_) => "follower",
            ServerRole::Leading(_) => "leader",
            ServerRole::Standalone => "standalone",
        }
    }

    /// Whether it runs.
    pub fn is_up(&self) -> bool {
        self.role != ServerRole::Down
    }
}

/// What a process is, beside its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProcessKind {
    /// It runs the election recipe.
    Candidate,
    /// The client the user drives from the console.
    Console,
    /// A session nobody in Zooscope started (a student's own program, seen live).
    External,
}

/// Whether a process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Liveness {
    /// Running.
    Running,
    /// Paused (a long GC pause, or SIGSTOP): it still believes what it believed.
    Paused,
    /// Crashed or killed: its session lingers until the ensemble expires it.
    Crashed,
    /// Stopped gracefully: its session is closed.
    Stopped,
}

/// An application process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessPicture {
    /// Its id.
    pub id: ProcessId,
    /// Candidate, console or external.
    pub kind: ProcessKind,
    /// Where it stands in the election.
    pub role: ProcessRole,
    /// Running, paused, crashed or stopped.
    pub liveness: Liveness,
    /// It believes it leads (it may be wrong: see [`ProcessPicture::stale`]).
    pub believes_leader: bool,
    /// It believes it leads but is not the leader any more: its session is gone, and the
    /// resource has seen a newer token.
    pub stale: bool,
    /// Its candidate znode's path.
    pub candidate: Option<String>,
    /// The server its session is connected to, or trying.
    pub server: Option<ServerId>,
    /// Whether that connection is established.
    pub connected: bool,
    /// When it lost the connection its session had, while it tries to reconnect: it cannot
    /// know meanwhile whether its session (and what it owns) still lives.
    #[serde(default)]
    pub disconnected_since: Option<SimTime>,
    /// Its current session.
    pub session: Option<SessionId>,
    /// Milliseconds before the ensemble expires that session, unless it hears from it.
    pub session_left_ms: Option<u64>,
    /// It could be restarted (it is not running, or it stopped).
    pub can_restart: bool,
    /// When a watch notification last woke it.
    pub woken_at: Option<SimTime>,
}

impl ProcessPicture {
    /// Its role as the automation contract names it (`data-role`).
    pub fn role_name(&self) -> &'static str {
        match self.role {
            ProcessRole::Leader => "leader",
            ProcessRole::Watching(_) | ProcessRole::WatchingAll => "follower",
            ProcessRole::Connecting | ProcessRole::Volunteering | ProcessRole::Electing => {
                "electing"
            }
            ProcessRole::Crashed => "crashed",
            ProcessRole::Paused => "paused",
            ProcessRole::Stopped => "stopped",
            ProcessRole::SessionExpired => "expired",
            ProcessRole::Console => "console",
        }
    }

    /// Its role in words, for its label.
    pub fn role_label(&self) -> String {
        match &self.role {
            ProcessRole::Leader if self.stale => "stale leader".into(),
            ProcessRole::Leader if self.disconnected_since.is_some() => {
                "leader? disconnected: it cannot know".into()
            }
            ProcessRole::Leader => "leader".into(),
            ProcessRole::Watching(pred) => format!("watching {}", short(pred)),
            ProcessRole::WatchingAll => "watching all".into(),
            ProcessRole::Connecting => "connecting".into(),
            ProcessRole::Volunteering => "volunteering".into(),
            ProcessRole::Electing => "electing".into(),
            ProcessRole::Crashed => "crashed".into(),
            ProcessRole::Paused if self.believes_leader => "paused (believes it leads)".into(),
            ProcessRole::Paused => "paused".into(),
            ProcessRole::Stopped => "stopped".into(),
            ProcessRole::SessionExpired => "session expired".into(),
            ProcessRole::Console if self.kind == ProcessKind::External => "external client".into(),
            ProcessRole::Console => "console client".into(),
        }
    }

    /// Whether it can be killed, stopped or paused.
    pub fn is_alive(&self) -> bool {
        matches!(self.liveness, Liveness::Running | Liveness::Paused)
    }

    /// Its candidate znode's name (`c_0000000003`), if it has one.
    pub fn candidate_name(&self) -> Option<&str> {
        self.candidate.as_deref().map(short)
    }
}

/// A znode, with what the tree panel shows of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZnodePicture {
    /// Persistent, ephemeral (with its owner), container or TTL.
    pub kind: NodeKind,
    /// Its data as text (lossily decoded), if it has data.
    pub data: Option<String>,
    /// Its stat.
    pub stat: Stat,
    /// Its children's names, sorted.
    pub children: Vec<String>,
}

/// One watch: a process waiting to hear about a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchEdge {
    /// Who watches.
    pub watcher: ProcessId,
    /// The watched path.
    pub path: String,
    /// The process that owns the watched znode, if one does (the successor's predecessor);
    /// `None` for a watch on a whole directory (the herd's `/election`).
    pub owner: Option<ProcessId>,
}

/// A message on its way.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Flight {
    /// Sender.
    pub from: Endpoint,
    /// Receiver.
    pub to: Endpoint,
    /// What kind of message.
    pub kind: MessageKind,
    /// How far along it is, from 0 (just sent) to 1 (arriving).
    pub progress: f64,
}

/// More than one process believes it leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitBrain {
    /// Every process that believes it leads.
    pub believers: Vec<ProcessId>,
    /// Those of them whose session is gone: the resource's token rejects their writes.
    pub stale: Vec<ProcessId>,
}

impl SplitBrain {
    /// The banner for these believers, if more than one believes it leads: those not among
    /// `leaders` (who run and hold a live session) are stale.
    pub fn of(believers: Vec<ProcessId>, leaders: &[ProcessId]) -> Option<SplitBrain> {
        (believers.len() >= 2).then(|| SplitBrain {
            stale: believers
                .iter()
                .copied()
                .filter(|p| !leaders.contains(p))
                .collect(),
            believers,
        })
    }

    /// The banner: who believes it leads, and whose belief is stale.
    pub fn describe(&self) -> String {
        let both = if self.believers.len() == 2 {
            "both"
        } else {
            "all"
        };
        let why = match self.stale.as_slice() {
            [] => "until a session expires, ZooKeeper cannot tell them apart".to_owned(),
            [one] => format!(
                "{one}'s session is gone, so the resource's fencing token rejects its writes"
            ),
            many => format!(
                "the sessions of {} are gone, so the resource's fencing token rejects their writes",
                list(many)
            ),
        };
        format!(
            "Split brain: {} {both} believe they lead — {why}.",
            list(&self.believers)
        )
    }
}

/// The shared resource: the highest token it has seen, and the writes it took and refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcePicture {
    /// The highest fencing token seen.
    pub highest: Zxid,
    /// Writes accepted.
    pub accepted: u64,
    /// Writes rejected as stale.
    pub rejected: u64,
}

/// One narrated event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narration {
    /// Its position in the run (unique, increasing).
    pub seq: u64,
    /// When, in ms since the run began.
    pub time: SimTime,
    /// Story, message, timer or routine.
    pub strand: Strand,
    /// The actors involved (highlighted when the entry is clicked).
    pub actors: Vec<Endpoint>,
    /// What happened, in one sentence.
    pub text: String,
}

/// Which narrated events a picture carries: the event log's filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFilter {
    /// Only this strand (`None`: every event).
    pub strand: Option<Strand>,
    /// Only events involving the actor of this name (`p3`, `zk1`, `resource`).
    pub actor: Option<String>,
    /// At most this many, the newest.
    pub limit: usize,
}

impl Default for EventFilter {
    /// The story, the newest 150 events.
    fn default() -> Self {
        EventFilter {
            strand: Some(Strand::Story),
            actor: None,
            limit: 150,
        }
    }
}

impl EventFilter {
    /// No narrated events: for a picture read for its state alone.
    pub fn none() -> EventFilter {
        EventFilter {
            limit: 0,
            ..EventFilter::default()
        }
    }

    /// Whether an event of `strand` involving `actors` belongs in the picture.
    pub fn admits(&self, strand: Strand, actors: &[Endpoint]) -> bool {
        self.strand.is_none_or(|s| s == strand)
            && self
                .actor
                .as_deref()
                .is_none_or(|name| actors.iter().any(|a| a.to_string() == name))
    }
}

/// One process's time as leader, in simulated ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reign {
    /// The leader.
    pub process: ProcessId,
    /// When it became leader.
    pub from: SimTime,
    /// When it stopped (crashed, stopped, paused, lost its session), if it did.
    pub until: Option<SimTime>,
}

/// What the plots draw of a run so far: who led when, and how busy the network was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// Who led when, oldest first.
    pub reigns: Vec<Reign>,
    /// Messages sent in each completed second.
    pub messages_per_second: Vec<u64>,
    /// The moment it runs to, in ms since the run began.
    pub now: SimTime,
}

impl History {
    /// The gaps without a leader between consecutive reigns: (when leadership was lost, how
    /// long until the next leader), in ms.
    pub fn failovers(&self) -> Vec<(SimTime, u64)> {
        self.reigns
            .windows(2)
            .filter_map(|w| {
                let lost = w[0].until?;
                Some((lost, w[1].from.since(lost)))
            })
            .collect()
    }
}

/// The process whose candidate each election znode is.
pub fn candidate_owners(processes: &[ProcessPicture]) -> BTreeMap<&str, ProcessId> {
    let mut owners = BTreeMap::new();
    owners.extend(
        processes
            .iter()
            .filter_map(|p| p.candidate.as_deref().map(|c| (c, p.id))),
    );
    owners
}

/// Who watches whom, as the processes' roles say: a successor watches its predecessor's
/// znode, a herd process the whole election directory. A crashed or stopped process watches
/// nothing any more.
pub fn role_watch_edges(processes: &[ProcessPicture]) -> Vec<WatchEdge> {
    let owners = candidate_owners(processes);
    processes
        .iter()
        .filter(|p| p.is_alive())
        .filter_map(|p| match &p.role {
            ProcessRole::Watching(pred) => Some(WatchEdge {
                watcher: p.id,
                path: pred.clone(),
                owner: owners.get(pred.as_str()).copied(),
            }),
            ProcessRole::WatchingAll => Some(WatchEdge {
                watcher: p.id,
                path: crate::recipe::ELECTION.to_owned(),
                owner: None,
            }),
            _ => None,
        })
        .collect()
}

/// `c_0000000003` for `/election/c_0000000003`.
fn short(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

/// `p1`, `p1 and p2`, `p1, p2 and p3`.
fn list(ids: &[ProcessId]) -> String {
    let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_brain_banner_names_the_believers_and_the_stale() {
        let banner = SplitBrain {
            believers: vec![ProcessId(1), ProcessId(2)],
            stale: vec![ProcessId(1)],
        };
        assert_eq!(
            banner.describe(),
            "Split brain: p1 and p2 both believe they lead — p1's session is gone, so the \
             resource's fencing token rejects its writes."
        );
        let three = SplitBrain {
            believers: vec![ProcessId(1), ProcessId(2), ProcessId(3)],
            stale: vec![],
        };
        assert!(three
            .describe()
            .starts_with("Split brain: p1, p2 and p3 all believe"));
    }

    #[test]
    fn the_filter_admits_by_strand_and_actor() {
        let filter = EventFilter {
            strand: Some(Strand::Story),
            actor: Some("p3".into()),
            limit: 10,
        };
        let p3 = [Endpoint::Process(ProcessId(3))];
        assert!(filter.admits(Strand::Story, &p3));
        assert!(!filter.admits(Strand::Message, &p3));
        assert!(!filter.admits(Strand::Story, &[Endpoint::Resource]));
        assert!(EventFilter {
            strand: None,
            actor: None,
            limit: 1
        }
        .admits(Strand::Timer, &[]));
    }
}
