//! The live session's state, sans-IO: what Zooscope knows of a real ensemble and of its real
//! processes, changed only by what it observes and what the user asks.
//!
//! [`LiveState::observe`] takes an [`Observation`] (a server's four-letter answers or its
//! silence, a tree event, a process's report, a process that exited, the clock) and
//! [`LiveState::act`] an [`Action`] from the page; both return the [`Effect`]s the driver is
//! to carry out (signals by PID, processes to start, servers to kill or start). Nothing here
//! reads a clock, touches a socket, starts a process or takes a lock — so a test feeds it what
//! a real server once said and checks the picture ([`picture`]) it draws.
//!
//! Imports [`crate::observe`]'s parsers, the candidates' reports, the tree's news; from the
//! core, the picture's types and the actions.

pub mod narration;
pub mod observation;
pub mod picture;

#[cfg(test)]
mod tests;

use crate::candidate::Report;
use crate::observe::{self, Connection, Dump, Mode, Status};
use crate::tree::TreeNews;
use narration::{LiveEvent, Story, ZnodeChange};
pub use observation::{Answers, Effect, Observation, Signal, Silence};
use std::collections::{BTreeMap, BTreeSet};
use zooscope_core::actor::role::ProcessRole;
use zooscope_core::ids::{Millis, ProcessId, ServerId, SimTime};
use zooscope_core::picture::{Action, Liveness, ZnodePicture};
use zooscope_core::recipe::RecipeKind;

/// Most processes a live session runs (a lecture's machine runs each as a process of its own).
pub const MAX_PROCESSES: usize = 60;

/// The process id the page's console's client is drawn with (Zooscope's processes count from
/// 1, external ones from 101).
pub const CONSOLE: ProcessId = ProcessId(100);

/// The first process id given to a session that is not Zooscope's.
const FIRST_EXTERNAL: u32 = 101;

/// How many looks in a row an unclaimed session must be seen before it is drawn as an
/// external process: a process of ours is seen by the servers a moment before its report says
/// the session is its own.
const UNCLAIMED_LOOKS: u32 = 4;

/// Longest pause a user may ask for, in ms.
const MAX_PAUSE_MS: u64 = 600_000;

/// One server, as last seen.
#[derive(Debug, Clone)]
struct SeenServer {
    id: ServerId,
    /// The `zoo.cfg` it runs with, if Zooscope started it.
    config: Option<String>,
    /// What it said when it last answered, parsed.
    said: Option<Said>,
    /// How it was last heard from.
    heard: Heard,
    /// Since when it accepts connections without answering.
    silent_since: Option<SimTime>,
    /// Whether Zooscope killed it (and has not started it again).
    killed: bool,
}

/// How a server was last heard from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heard {
    /// Not asked yet.
    Never,
    /// Its port refuses connections.
    Down,
    /// It accepts connections and says nothing.
    Silent,
    /// It answered, in this mode.
    Mode(Mode),
}

/// A server's four-letter answers, parsed.
#[derive(Debug, Clone, Default)]
struct Said {
    status: Option<Status>,
    connections: Vec<Connection>,
    watches: BTreeMap<String, Vec<i64>>,
    dump: Option<Dump>,
}

/// One of Zooscope's own processes, as it last reported and as it was last acted on.
#[derive(Debug, Clone)]
struct Tracked {
    pid: Option<u32>,
    liveness: Liveness,
    removed: bool,
    role: ProcessRole,
    candidate: Option<String>,
    session: Option<i64>,
    believes_leader: bool,
    notified: u64,
    /// When a watch notification last woke it.
    woken_at: Option<SimTime>,
    /// When its pause ends.
    resume_at: Option<SimTime>,
}

impl Tracked {
    fn new(notified: u64) -> Tracked {
        Tracked {
            pid: None,
            liveness: Liveness::Running,
            removed: false,
            role: ProcessRole::Connecting,
            candidate: None,
            session: None,
            believes_leader: false,
            notified,
            woken_at: None,
            resume_at: None,
        }
    }
}

/// What a live session starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// The servers, by id, with the `zoo.cfg` of each one Zooscope started (`None`: someone
    /// else runs it).
    pub servers: Vec<(ServerId, Option<String>)>,
    /// The ensemble's connect string.
    pub connect: String,
    /// Whether Zooscope started the servers (and may kill and start them).
    pub owns_servers: bool,
    /// The recipe Zooscope's processes run.
    pub recipe: RecipeKind,
    /// How many processes to start.
    pub processes: usize,
}

/// What Zooscope knows of a live session.
#[derive(Debug, Clone)]
pub struct LiveState {
    connect: String,
    owns_servers: bool,
    recipe: RecipeKind,
    servers: Vec<SeenServer>,
    processes: Vec<Tracked>,
    tree: BTreeMap<String, ZnodePicture>,
    /// The tree follower's own session, which is nobody's process.
    observer_session: Option<i64>,
    /// The page's console's session (0: none).
    console_session: i64,
    externals: BTreeMap<i64, ProcessId>,
    /// Sessions not (yet) known as anyone's, with how many looks in a row have seen them.
    unclaimed: BTreeMap<i64, u32>,
    story: Story,
    now: SimTime,
    wall: Millis,
    /// The latest process to stop believing it leads, and when.
    lost_leader: Option<(ProcessId, SimTime)>,
}

impl LiveState {
    /// A session about to start `setup.processes` processes: the effects start them.
    pub fn new(setup: Setup) -> (LiveState, Vec<Effect>) {
        let mut state = LiveState {
            connect: setup.connect,
            owns_servers: setup.owns_servers,
            recipe: setup.recipe,
            servers: setup
                .servers
                .into_iter()
                .map(|(id, config)| SeenServer {
                    id,
                    config,
                    said: None,
                    heard: Heard::Never,
                    silent_since: None,
                    killed: false,
                })
                .collect(),
            processes: Vec::new(),
            tree: BTreeMap::new(),
            observer_session: None,
            console_session: 0,
            externals: BTreeMap::new(),
            unclaimed: BTreeMap::new(),
            story: Story::default(),
            now: SimTime(0),
            wall: Millis(0),
            lost_leader: None,
        };
        let effects = (0..setup.processes.min(MAX_PROCESSES))
            .map(|_| state.add_process())
            .collect();
        (state, effects)
    }

    /// The ensemble's connect string.
    pub fn connect_string(&self) -> &str {
        &self.connect
    }

    /// The recipe Zooscope's processes run.
    pub fn recipe(&self) -> RecipeKind {
        self.recipe
    }

    /// How many watch events process `p` has reported receiving.
    pub fn notified(&self, p: ProcessId) -> Option<u64> {
        self.tracked(p).map(|t| t.notified)
    }

    /// The PID of each of Zooscope's processes that runs (or is paused).
    pub fn pids(&self) -> Vec<(ProcessId, u32)> {
        self.processes
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.liveness, Liveness::Running | Liveness::Paused))
            .filter_map(|(i, t)| Some((process_id(i), t.pid?)))
            .collect()
    }

    /// Takes in what the driver saw; returns what it must do next.
    pub fn observe(&mut self, observation: Observation) -> Vec<Effect> {
        match observation {
            Observation::Clock { now, wall } => {
                self.now = self.now.max(now);
                self.wall = wall;
                self.name_externals();
                return self.resume_due();
            }
            Observation::Answered { server, answers } => self.on_answers(server, &answers),
            Observation::Silent { server, silence } => self.on_silence(server, silence),
            Observation::Tree(news) => self.on_tree(news),
            Observation::Report { process, report } => self.on_report(process, report),
            Observation::Spawned { process, pid } => {
                if let Some(t) = self.tracked_mut(process) {
                    t.pid = Some(pid);
                }
            }
            Observation::SpawnFailed { process, why } => {
                if let Some(t) = self.tracked_mut(process) {
                    t.liveness = Liveness::Crashed;
                }
                self.tell(LiveEvent::DidNotStart { process, why });
            }
            Observation::Exited { process, pid } => self.on_exit(process, pid),
            Observation::ConsoleSession(session) => self.console_session = session,
        }
        Vec::new()
    }

    /// Does `action` to the real system — the effects say how — or says why it cannot be
    /// done now; refused, it changes nothing.
    pub fn act(&mut self, action: &Action) -> Result<Vec<Effect>, String> {
        match *action {
            Action::KillProcess(p) => {
                let (index, pid) = self.running(p, "kill")?;
                self.set_liveness(index, Liveness::Crashed, LiveEvent::Killed(p));
                Ok(vec![Effect::Signal {
                    process: p,
                    pid,
                    signal: Signal::Kill,
                }])
            }
            Action::StopProcess(p) => {
                let (index, pid) = self.running(p, "stop")?;
                let resume = self.resume_first(p, index, pid);
                self.set_liveness(index, Liveness::Stopped, LiveEvent::Stopped(p));
                Ok(resume
                    .into_iter()
                    .chain([Effect::Stop { process: p }])
                    .collect())
            }
            Action::PauseProcess(p, ms) => {
                let (index, pid) = self.running(p, "pause")?;
                if self.processes[index].liveness == Liveness::Paused {
                    return Err(format!("{p} is paused already"));
                }
                let ms = ms.clamp(1, MAX_PAUSE_MS);
                self.processes[index].resume_at = Some(self.now + ms);
                self.set_liveness(index, Liveness::Paused, LiveEvent::Paused(p, ms));
                Ok(vec![Effect::Signal {
                    process: p,
                    pid,
                    signal: Signal::Stop,
                }])
            }
            Action::RestartProcess(p) => {
                let index = self.index(p).ok_or_else(|| self.no_such(p, "restart"))?;
                let t = &mut self.processes[index];
                if !matches!(t.liveness, Liveness::Crashed | Liveness::Stopped) {
                    return Err(format!("{p} is running: kill or stop it first"));
                }
                *t = Tracked::new(t.notified);
                self.tell(LiveEvent::Starts {
                    process: p,
                    again: true,
                });
                Ok(vec![Effect::Spawn { process: p }])
            }
            Action::AddProcess => {
                if self.processes.iter().filter(|t| !t.removed).count() >= MAX_PROCESSES {
                    return Err(format!("at most {MAX_PROCESSES} processes run live"));
                }
                Ok(vec![self.add_process()])
            }
            Action::RemoveProcess(p) => {
                let index = self.index(p).ok_or_else(|| self.no_such(p, "remove"))?;
                let resume = self.processes[index]
                    .pid
                    .and_then(|pid| self.resume_first(p, index, pid));
                let t = &mut self.processes[index];
                let running = matches!(t.liveness, Liveness::Running | Liveness::Paused);
                t.removed = true;
                if t.believes_leader {
                    t.believes_leader = false;
                    self.lost_leader = Some((p, self.now));
                }
                self.tell(LiveEvent::Removed(p));
                Ok(if running {
                    resume
                        .into_iter()
                        .chain([Effect::Stop { process: p }])
                        .collect()
                } else {
                    Vec::new()
                })
            }
            Action::KillServer(s) => {
                let server = self.owned_server(s, "killed")?;
                if server.killed || server.heard == Heard::Down {
                    return Err(format!("{s} is down already"));
                }
                self.set_heard(s, Heard::Never, true);
                self.tell(LiveEvent::ServerKilled(s));
                Ok(vec![Effect::KillServer(s)])
            }
            Action::RestartServer(s) => {
                let server = self.owned_server(s, "restarted")?;
                if !server.killed && server.heard != Heard::Down {
                    return Err(format!("{s} is running: kill it first"));
                }
                self.set_heard(s, Heard::Never, false);
                self.tell(LiveEvent::ServerStarted(s));
                Ok(vec![Effect::StartServer(s)])
            }
        }
    }

    // ------------------------------------------------------------------ processes

    fn add_process(&mut self) -> Effect {
        self.processes.push(Tracked::new(0));
        let process = process_id(self.processes.len() - 1);
        self.tell(LiveEvent::Starts {
            process,
            again: false,
        });
        Effect::Spawn { process }
    }

    fn index(&self, p: ProcessId) -> Option<usize> {
        let index = usize::try_from(p.0.checked_sub(1)?).ok()?;
        self.processes.get(index).filter(|t| !t.removed)?;
        Some(index)
    }

    fn tracked(&self, p: ProcessId) -> Option<&Tracked> {
        self.processes.get(self.index(p)?)
    }

    fn tracked_mut(&mut self, p: ProcessId) -> Option<&mut Tracked> {
        let index = self.index(p)?;
        self.processes.get_mut(index)
    }

    /// Why `p` cannot be acted on: it is someone else's, or there is none.
    fn no_such(&self, p: ProcessId, what: &str) -> String {
        if self.externals.values().any(|e| *e == p) {
            format!("{p} is not Zooscope's process: it cannot {what} it")
        } else {
            format!("there is no process {p}")
        }
    }

    /// The SIGCONT a paused process needs before it is stopped: a stopped (SIGSTOPped) process
    /// cannot read its stdin closing, so it would be SIGKILLed after its grace and leave its
    /// session to linger; resumed first, it closes its session as a graceful stop does.
    fn resume_first(&mut self, process: ProcessId, index: usize, pid: u32) -> Option<Effect> {
        let t = &mut self.processes[index];
        if t.liveness != Liveness::Paused {
            return None;
        }
        t.resume_at = None;
        Some(Effect::Signal {
            process,
            pid,
            signal: Signal::Cont,
        })
    }

    /// Process `p`'s index and PID, if it runs (or is paused).
    fn running(&self, p: ProcessId, what: &str) -> Result<(usize, u32), String> {
        let index = self.index(p).ok_or_else(|| self.no_such(p, what))?;
        let t = &self.processes[index];
        match (t.liveness, t.pid) {
            (Liveness::Running | Liveness::Paused, Some(pid)) => Ok((index, pid)),
            (Liveness::Running, None) => Err(format!("{p} is still starting")),
            _ => Err(format!("{p} is not running")),
        }
    }

    fn set_liveness(&mut self, index: usize, liveness: Liveness, event: LiveEvent) {
        let now = self.now;
        let id = process_id(index);
        if let Some(t) = self.processes.get_mut(index) {
            t.liveness = liveness;
            if liveness != Liveness::Paused {
                t.resume_at = None;
                if t.believes_leader {
                    t.believes_leader = false;
                    self.lost_leader = Some((id, now));
                }
            }
        }
        self.tell(event);
    }

    /// Resumes the processes whose pause is over.
    fn resume_due(&mut self) -> Vec<Effect> {
        let now = self.now;
        let due: Vec<(usize, u32)> = self
            .processes
            .iter()
            .enumerate()
            .filter(|(_, t)| t.liveness == Liveness::Paused && !t.removed)
            .filter(|(_, t)| t.resume_at.is_some_and(|at| at <= now))
            .filter_map(|(i, t)| Some((i, t.pid?)))
            .collect();
        due.into_iter()
            .map(|(index, pid)| {
                let process = process_id(index);
                self.set_liveness(index, Liveness::Running, LiveEvent::Resumed(process));
                Effect::Signal {
                    process,
                    pid,
                    signal: Signal::Cont,
                }
            })
            .collect()
    }

    fn on_exit(&mut self, process: ProcessId, pid: u32) {
        let Some(index) = self.index(process) else {
            return;
        };
        let t = &self.processes[index];
        if t.pid == Some(pid) && matches!(t.liveness, Liveness::Running | Liveness::Paused) {
            self.set_liveness(index, Liveness::Crashed, LiveEvent::Exited(process));
        }
    }

    fn on_report(&mut self, id: ProcessId, report: Report) {
        let now = self.now;
        let Some(t) = self.tracked_mut(id) else {
            return;
        };
        let led = t.believes_leader;
        let election = |c: &str| format!("{}/{c}", zooscope_core::recipe::ELECTION);
        let event = match report {
            Report::Connected {
                session,
                timeout_ms,
            } => {
                t.session = observe::hex(&session);
                t.role = ProcessRole::Volunteering;
                LiveEvent::Session {
                    process: id,
                    session,
                    timeout_ms,
                }
            }
            Report::Volunteered { candidate } => {
                t.candidate = Some(election(&candidate));
                t.role = ProcessRole::Electing;
                LiveEvent::Volunteers(id, candidate)
            }
            Report::Leading { candidate } => {
                t.role = ProcessRole::Leader;
                t.believes_leader = true;
                LiveEvent::Leads(id, candidate)
            }
            Report::Watching { predecessor, .. } => {
                t.role = ProcessRole::Watching(election(&predecessor));
                t.believes_leader = false;
                LiveEvent::WatchesPredecessor(id, predecessor)
            }
            Report::WatchingAll { .. } => {
                t.role = ProcessRole::WatchingAll;
                t.believes_leader = false;
                LiveEvent::WatchesAll(id)
            }
            Report::Notified { path, kind } => {
                t.notified += 1;
                t.woken_at = Some(now);
                LiveEvent::Notified {
                    process: id,
                    kind,
                    path,
                }
            }
            Report::SessionExpired => {
                t.role = ProcessRole::SessionExpired;
                t.believes_leader = false;
                t.candidate = None;
                LiveEvent::SessionExpired(id)
            }
        };
        if led && !t.believes_leader {
            self.lost_leader = Some((id, now));
        }
        self.tell(event);
    }

    // ------------------------------------------------------------------ servers

    fn server_mut(&mut self, id: ServerId) -> Option<&mut SeenServer> {
        self.servers.iter_mut().find(|s| s.id == id)
    }

    /// Server `s`, if Zooscope started it (only then may it be `what`).
    fn owned_server(&self, s: ServerId, what: &str) -> Result<&SeenServer, String> {
        let server = self
            .servers
            .iter()
            .find(|server| server.id == s)
            .ok_or_else(|| format!("there is no server {s}"))?;
        if !self.owns_servers {
            return Err(format!(
                "{s} runs outside Zooscope: it cannot be {what} from here"
            ));
        }
        Ok(server)
    }

    /// Forgets what server `id` said: it was just killed or started, and its next answer
    /// tells what it is now.
    fn set_heard(&mut self, id: ServerId, heard: Heard, killed: bool) {
        if let Some(server) = self.server_mut(id) {
            server.heard = heard;
            server.killed = killed;
            server.said = None;
            server.silent_since = None;
        }
    }

    fn on_answers(&mut self, id: ServerId, answers: &Answers) {
        let status = observe::status(&answers.srvr);
        let said = Said {
            status,
            connections: answers
                .cons
                .as_deref()
                .map(observe::connections)
                .unwrap_or_default(),
            watches: answers
                .wchp
                .as_deref()
                .map(observe::watches_by_path)
                .unwrap_or_default(),
            dump: answers.dump.as_deref().map(observe::dump),
        };
        let heard = status.map_or(Heard::Silent, |s| Heard::Mode(s.mode));
        self.heard(id, heard);
        if let Some(server) = self.server_mut(id) {
            server.said = Some(said);
        }
    }

    fn on_silence(&mut self, id: ServerId, silence: Silence) {
        let heard = match silence {
            Silence::Refused => Heard::Down,
            Silence::TimedOut => Heard::Silent,
        };
        self.heard(id, heard);
        if heard == Heard::Down {
            if let Some(server) = self.server_mut(id) {
                server.said = None;
            }
        }
    }

    /// Notes how server `id` was heard from, and tells what changed.
    fn heard(&mut self, id: ServerId, heard: Heard) {
        let now = self.now;
        let Some(server) = self.server_mut(id) else {
            return;
        };
        let before = std::mem::replace(&mut server.heard, heard);
        server.silent_since = match heard {
            Heard::Silent => server.silent_since.or(Some(now)),
            _ => None,
        };
        // A server not yet heard from that refuses is starting (or was just killed, which
        // was told already).
        if heard == before
            || heard == Heard::Never
            || (before, heard) == (Heard::Never, Heard::Down)
        {
            return;
        }
        let event = match heard {
            Heard::Never => return,
            Heard::Down => LiveEvent::ServerMode(id, None),
            Heard::Silent => LiveEvent::ServerSilent(id),
            Heard::Mode(mode) => LiveEvent::ServerMode(id, Some(mode)),
        };
        self.tell(event);
    }

    /// The leader's (or standalone server's) `dump`: the sessions the ensemble still tracks.
    fn leader_dump(&self) -> Option<&Dump> {
        self.servers
            .iter()
            .filter(|s| matches!(s.heard, Heard::Mode(Mode::Leader | Mode::Standalone)))
            .find_map(|s| s.said.as_ref()?.dump.as_ref())
    }

    /// Every connection the servers that answered list, with the server it is on.
    fn connections(&self) -> impl Iterator<Item = (ServerId, &Connection)> {
        self.servers
            .iter()
            .filter(|s| matches!(s.heard, Heard::Mode(_)))
            .filter_map(|s| Some((s.id, s.said.as_ref()?)))
            .flat_map(|(id, said)| said.connections.iter().map(move |c| (id, c)))
    }

    // ------------------------------------------------------------------ the tree

    fn on_tree(&mut self, news: TreeNews) {
        let event = match news {
            TreeNews::Session(session) => {
                if session != 0 {
                    self.observer_session = Some(session);
                }
                return;
            }
            TreeNews::Whole(tree) => {
                self.tree = tree;
                return;
            }
            TreeNews::Read(path, Some(node)) => {
                self.tree.insert(path, node);
                return;
            }
            TreeNews::Read(path, None) => {
                self.tree.remove(&path);
                return;
            }
            TreeNews::Created(path) => LiveEvent::Znode(ZnodeChange::Created, path),
            TreeNews::Deleted(path) => LiveEvent::Znode(ZnodeChange::Deleted, path),
            TreeNews::Changed(path) => LiveEvent::Znode(ZnodeChange::Changed, path),
        };
        self.tell(event);
    }

    // ------------------------------------------------------------------ other sessions

    /// The sessions that are Zooscope's own: its processes' and its tree follower's.
    fn own_sessions(&self) -> BTreeSet<i64> {
        self.processes
            .iter()
            .filter_map(|t| t.session)
            .chain(self.observer_session)
            .collect()
    }

    /// Gives an external session a process id once it has stayed unclaimed for a few looks
    /// (ids from [`FIRST_EXTERNAL`], so they never meet Zooscope's own); one that turns out to
    /// be ours is forgotten.
    fn name_externals(&mut self) {
        let ours = self.own_sessions();
        self.externals.retain(|session, _| !ours.contains(session));
        let console = self.console_session;
        if console != 0 && self.externals.get(&console) != Some(&CONSOLE) {
            self.externals.retain(|_, id| *id != CONSOLE);
            self.externals.insert(console, CONSOLE);
            self.tell(LiveEvent::ConsoleSession(CONSOLE, console));
        }
        let sessions: BTreeSet<i64> = self
            .connections()
            .map(|(_, c)| c.session)
            .filter(|s| !ours.contains(s) && !self.externals.contains_key(s))
            .collect();
        self.unclaimed.retain(|s, _| sessions.contains(s));
        for session in sessions {
            let looks = self.unclaimed.entry(session).or_insert(0);
            *looks += 1;
            if *looks < UNCLAIMED_LOOKS {
                continue;
            }
            self.unclaimed.remove(&session);
            let next = self
                .externals
                .values()
                .map(|p| p.0 + 1)
                .max()
                .unwrap_or(FIRST_EXTERNAL);
            let id = ProcessId(next.max(FIRST_EXTERNAL));
            self.externals.insert(session, id);
            self.tell(LiveEvent::External(id, session));
        }
    }

    fn tell(&mut self, event: LiveEvent) {
        self.story.tell(self.now, event);
    }
}

/// Process `index` of Zooscope's own, numbered from 1 as the simulation numbers them.
pub fn process_id(index: usize) -> ProcessId {
    ProcessId(u32::try_from(index + 1).unwrap_or(u32::MAX))
}
