//! The bridge: a real ZooKeeper ensemble and real candidate processes, seen as the page sees
//! the simulation — a [`Picture`] — and driven with the same [`Command`]s.
//!
//! What each part of the picture is drawn from:
//! - servers: `srvr` (mode, last zxid) and `cons` (connected clients) of each server; a server
//!   that does not answer is down, one that answers without serving is electing;
//! - Zooscope's processes: their own reports (session, candidate, role, notifications), and
//!   what the bridge did to them (killed, stopped, paused);
//! - every other session on the servers (`cons`): an external process — a student's own
//!   program — with its session id;
//! - the tree: a persistent recursive watch on `/` and a read of each znode an event names
//!   ([`crate::tree`]);
//! - watch edges: the processes' reports, and `wchp` for external sessions (child watches are
//!   not in it: ZooKeeper lists only data and exists watches there);
//! - session countdowns and whether a session still lives: the leader's `dump` (its expiry
//!   buckets, printed to the second);
//! - the narration: what the reports, the tree's events and the servers' modes say changed.
//!
//! Imports the real side's servers, ensembles, candidates, tree and four-letter words; from the
//! core, the picture's types and the commands.

use crate::candidate::{Recipe, Report};
use crate::ensemble::RealEnsemble;
use crate::observe::{self, Connection, Dump, Mode, Status};
use crate::processes::Candidates;
use crate::tree::{self, SharedTree, TreeNews};
use crate::zookeeper::{four_letter, Installation, ServerSettings};
use crate::LiveError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use zooscope_core::actor::role::{ProcessRole, ServerRole};
use zooscope_core::actor::trace::Strand;
use zooscope_core::ids::{Endpoint, ProcessId, ServerId, SessionId, SimTime, Zxid};
use zooscope_core::picture::Action;
use zooscope_core::picture::{
    candidate_owners, role_watch_edges, EventFilter, Failure, Liveness, Narration, Picture,
    ProcessKind, ProcessPicture, ServerPicture, Source, SplitBrain, WatchEdge,
};
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::Command;

/// Where the servers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Servers {
    /// Start an ensemble of this many servers (1, 3 or 5).
    Start(usize),
    /// Attach to servers someone else runs (`host:port` each).
    Attach(Vec<String>),
}

/// How a live session starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSettings {
    /// The servers.
    pub servers: Servers,
    /// Candidate processes to start.
    pub processes: u32,
    /// Their recipe.
    pub recipe: Recipe,
    /// The session timeout they ask for, in ms.
    pub session_timeout_ms: u32,
    /// The `zooscope` binary, whose `candidate` subcommand each process runs.
    pub program: PathBuf,
}

/// Most processes the bridge starts (a lecture's machine runs each as a process of its own).
pub const MAX_PROCESSES: usize = 60;

/// How many narrated events the bridge keeps.
const KEPT_EVENTS: usize = 5_000;

/// A process the bridge started, as it last reported.
#[derive(Debug, Clone)]
struct Tracked {
    liveness: Liveness,
    removed: bool,
    role: ProcessRole,
    candidate: Option<String>,
    session: Option<i64>,
    believes_leader: bool,
    notified: u64,
    /// When a watch notification last woke it.
    woken_at: Option<SimTime>,
}

impl Tracked {
    fn new() -> Tracked {
        Tracked {
            liveness: Liveness::Running,
            removed: false,
            role: ProcessRole::Connecting,
            candidate: None,
            session: None,
            believes_leader: false,
            notified: 0,
            woken_at: None,
        }
    }
}

/// What the servers said when last asked.
#[derive(Debug, Clone, Default)]
struct Observed {
    status: BTreeMap<ServerId, Status>,
    connections: BTreeMap<ServerId, Vec<Connection>>,
    dump: Dump,
    watches: BTreeMap<String, Vec<i64>>,
}

/// A live session: the servers, the processes, and what was seen of them.
#[derive(Debug)]
pub struct Bridge {
    ensemble: Option<RealEnsemble>,
    addresses: Vec<(ServerId, String)>,
    candidates: Candidates,
    processes: Vec<Tracked>,
    recipe: Recipe,
    session_timeout_ms: u32,
    program: PathBuf,
    tree: SharedTree,
    tree_news: mpsc::Receiver<TreeNews>,
    /// The tree follower's own session, which is nobody's process.
    observer_session: Option<i64>,
    observed: Observed,
    externals: BTreeMap<i64, ProcessId>,
    /// Sessions not (yet) known as anyone's, with how many looks in a row have seen them: a
    /// process of ours is seen by the servers a moment before its report says the session is
    /// its own.
    unclaimed: BTreeMap<i64, u32>,
    /// The page's console's session (0: none yet), set by whoever runs the console.
    console_session: Arc<AtomicI64>,
    events: Vec<Narration>,
    seq: u64,
    started: Instant,
    resumes: Vec<(Instant, usize)>,
    /// The latest process to stop believing it leads, and when.
    lost_leader: Option<(ProcessId, SimTime)>,
}

impl Bridge {
    /// Starts (or attaches to) the servers, the tree's follower and the processes.
    pub fn start(settings: &LiveSettings) -> Result<Bridge, LiveError> {
        let (ensemble, addresses): (Option<RealEnsemble>, Vec<(ServerId, String)>) =
            match &settings.servers {
                Servers::Start(size) => {
                    let installation = Installation::find()?;
                    let ensemble =
                        RealEnsemble::start(&installation, *size, ServerSettings::default())?;
                    let addresses = ensemble
                        .ids()
                        .into_iter()
                        .filter_map(|id| Some((ServerId(id), ensemble.address(id)?)))
                        .collect();
                    (Some(ensemble), addresses)
                }
                Servers::Attach(addresses) => (
                    None,
                    addresses
                        .iter()
                        .enumerate()
                        .map(|(i, a)| (ServerId(u8::try_from(i + 1).unwrap_or(u8::MAX)), a.clone()))
                        .collect(),
                ),
            };
        let connect: Vec<&str> = addresses.iter().map(|(_, a)| a.as_str()).collect();
        let tree = SharedTree::default();
        let tree_news = tree::spawn_follower(connect.join(","), tree.clone())?;
        let mut bridge = Bridge {
            ensemble,
            addresses,
            candidates: Candidates::new(),
            processes: Vec::new(),
            recipe: settings.recipe,
            session_timeout_ms: settings.session_timeout_ms,
            program: settings.program.clone(),
            tree,
            tree_news,
            observer_session: None,
            observed: Observed::default(),
            externals: BTreeMap::new(),
            unclaimed: BTreeMap::new(),
            console_session: Arc::new(AtomicI64::new(0)),
            events: Vec::new(),
            seq: 0,
            started: Instant::now(),
            resumes: Vec::new(),
            lost_leader: None,
        };
        for _ in 0..settings.processes {
            bridge.add_process()?;
        }
        Ok(bridge)
    }

    /// The ensemble's connect string.
    pub fn connect_string(&self) -> String {
        let addresses: Vec<&str> = self.addresses.iter().map(|(_, a)| a.as_str()).collect();
        addresses.join(",")
    }

    /// Whether the bridge started the servers (and may kill and restart them).
    pub fn owns_servers(&self) -> bool {
        self.ensemble.is_some()
    }

    /// The `zoo.cfg` a server the bridge started runs with.
    pub fn zoo_cfg(&self, server: ServerId) -> Option<String> {
        self.ensemble.as_ref()?.zoo_cfg(server.0)
    }

    /// Where the page's console tells its session, so that the picture draws it as the
    /// console's client ([`CONSOLE`]) rather than as someone else's.
    pub fn console_session(&self) -> Arc<AtomicI64> {
        self.console_session.clone()
    }

    /// The `zoo.cfg` of every server Zooscope started, by server name (`zk1`).
    pub fn zoo_cfgs(&self) -> BTreeMap<String, String> {
        self.addresses
            .iter()
            .filter_map(|(id, _)| Some((id.to_string(), self.zoo_cfg(*id)?)))
            .collect()
    }

    /// How many watch events process `p` has reported receiving.
    pub fn notified(&self, p: ProcessId) -> Option<u64> {
        self.tracked(p).map(|t| t.notified)
    }

    /// Takes in what happened since the last look: the processes' reports, the tree's events,
    /// the servers' answers; resumes the processes whose pause is over.
    pub fn refresh(&mut self) {
        self.resume_due();
        while let Some((index, report)) = self.candidates.try_report() {
            self.on_report(index, report);
        }
        while let Ok(news) = self.tree_news.try_recv() {
            self.on_tree_news(news);
        }
        self.observe_servers();
        self.name_externals();
    }

    /// Does `command` to the real system, or says why it cannot be done live.
    pub fn act(&mut self, command: &Command) -> Result<(), String> {
        match command {
            Command::Act(Action::KillProcess(p)) => self.with_alive(*p, "kill", |b, i| {
                b.candidates.kill(i);
                b.set_liveness(
                    i,
                    Liveness::Crashed,
                    "is killed (SIGKILL): its session lingers until the ensemble expires it",
                );
            }),
            Command::Act(Action::StopProcess(p)) => self.with_alive(*p, "stop", |b, i| {
                b.candidates.stop(i);
                b.set_liveness(
                    i,
                    Liveness::Stopped,
                    "stops gracefully: its session closes now",
                );
            }),
            Command::Act(Action::PauseProcess(p, ms)) => {
                let ms = (*ms).clamp(1, 600_000);
                self.with_alive(*p, "pause", |b, i| {
                    b.candidates.pause(i);
                    b.resumes
                        .push((Instant::now() + Duration::from_millis(ms), i));
                    b.set_liveness(
                        i,
                        Liveness::Paused,
                        &format!("is paused (SIGSTOP) for {} s", ms / 1000),
                    );
                })
            }
            Command::Act(Action::RestartProcess(p)) => {
                let index = self
                    .index(*p)
                    .ok_or_else(|| format!("there is no process {p}"))?;
                if self.processes[index].liveness != Liveness::Crashed
                    && self.processes[index].liveness != Liveness::Stopped
                {
                    return Err(format!("{p} is running: kill or stop it first"));
                }
                self.respawn(index).map_err(|e| e.to_string())
            }
            Command::Act(Action::AddProcess) => {
                self.add_process().map(drop).map_err(|e| e.to_string())
            }
            Command::Act(Action::RemoveProcess(p)) => {
                let index = self
                    .index(*p)
                    .ok_or_else(|| format!("there is no process {p}"))?;
                self.candidates.stop(index);
                self.processes[index].removed = true;
                self.narrate(vec![Endpoint::Process(*p)], format!("{p} is removed"));
                Ok(())
            }
            Command::Act(Action::KillServer(s)) | Command::Act(Action::RestartServer(s)) => {
                let kill = matches!(command, Command::Act(Action::KillServer(_)));
                let ensemble = self.ensemble.as_mut().ok_or_else(|| {
                    format!("{s} runs outside Zooscope: it cannot be killed or restarted from here")
                })?;
                if !ensemble.ids().contains(&s.0) {
                    return Err(format!("there is no server {s}"));
                }
                if kill {
                    ensemble.kill(s.0).map_err(|e| e.to_string())?;
                    self.narrate(
                        vec![Endpoint::Server(*s)],
                        format!("{s} is killed (SIGKILL)"),
                    );
                } else {
                    ensemble.restart(s.0).map_err(|e| e.to_string())?;
                    self.narrate(vec![Endpoint::Server(*s)], format!("{s} is started again"));
                }
                Ok(())
            }
            Command::Partition(..) | Command::Heal(_) => {
                Err("cutting links is not available live: the real network is the machine's".into())
            }
            Command::SetRecipe(_) => {
                Err("the recipe of real processes is chosen when they start (--recipe)".into())
            }
            Command::AddConsoleClient | Command::Console { .. } => {
                Err("the console speaks to a live ensemble through the bridge's zkCli".into())
            }
        }
    }

    /// The picture of this moment, with the narrated events `filter` asks for.
    pub fn picture(&self, filter: &EventFilter) -> Picture {
        let wall_ms = crate::wall_clock().0;
        let live_sessions: BTreeSet<i64> = self.observed.dump.expiry.keys().copied().collect();
        let leaders = self.leaders(&live_sessions);
        let mut processes: Vec<ProcessPicture> = self
            .processes
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.removed)
            .map(|(i, t)| self.own_picture(i, t, &leaders, wall_ms))
            .collect();
        processes.extend(self.external_pictures(wall_ms));
        let watches = self.watch_edges(&processes);
        let believers: Vec<ProcessId> = processes
            .iter()
            .filter(|p| p.believes_leader)
            .map(|p| p.id)
            .collect();
        Picture {
            source: Source::Live {
                ensemble: self.connect_string(),
                owns_servers: self.owns_servers(),
            },
            now: self.now(),
            wall_ms,
            recipe: Some(match self.recipe {
                Recipe::Successor => RecipeKind::Successor,
                Recipe::Herd => RecipeKind::Herd,
            }),
            servers: self.server_pictures(),
            split_brain: SplitBrain::of(believers, &leaders),
            failure: self
                .lost_leader
                .map(|(leader, at)| Failure::of(leader, at, &processes)),
            processes,
            tree: self.tree.lock().map(|t| t.clone()).unwrap_or_default(),
            watches,
            flights: Vec::new(),
            cut_off: Vec::new(),
            resource: None,
            events: self
                .events
                .iter()
                .rev()
                .filter(|e| filter.admits(e.strand, &e.actors))
                .take(filter.limit)
                .cloned()
                .collect(),
            headline: self
                .events
                .iter()
                .rev()
                .find(|e| e.text.contains(" leads") || e.text.contains("killed"))
                .map(|e| e.text.clone()),
        }
    }

    fn add_process(&mut self) -> Result<ProcessId, LiveError> {
        if self.processes.iter().filter(|t| !t.removed).count() >= MAX_PROCESSES {
            return Err(LiveError::Measurement(format!(
                "at most {MAX_PROCESSES} processes run live"
            )));
        }
        let index = self.candidates.spawn(
            &self.program,
            &self.connect_string(),
            self.recipe,
            self.session_timeout_ms,
        )?;
        self.processes.push(Tracked::new());
        let id = process_id(index);
        self.narrate(
            vec![Endpoint::Process(id)],
            format!("{id} starts (a real process)"),
        );
        Ok(id)
    }

    fn respawn(&mut self, index: usize) -> Result<(), LiveError> {
        self.candidates.respawn(index)?;
        if let Some(t) = self.processes.get_mut(index) {
            let notified = t.notified;
            *t = Tracked::new();
            t.notified = notified;
        }
        let id = process_id(index);
        self.narrate(
            vec![Endpoint::Process(id)],
            format!("{id} starts again with a new session"),
        );
        Ok(())
    }

    fn with_alive(
        &mut self,
        p: ProcessId,
        what: &str,
        act: impl FnOnce(&mut Bridge, usize),
    ) -> Result<(), String> {
        let index = self.index(p).ok_or_else(|| {
            if self.externals.values().any(|e| *e == p) {
                format!("{p} is not Zooscope's process: it cannot {what} it")
            } else {
                format!("there is no process {p}")
            }
        })?;
        let t = &self.processes[index];
        if !matches!(t.liveness, Liveness::Running | Liveness::Paused) || t.removed {
            return Err(format!("{p} is not running"));
        }
        act(self, index);
        Ok(())
    }

    /// Time since the live session began: the pictures' clock.
    fn now(&self) -> SimTime {
        SimTime(u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    fn set_liveness(&mut self, index: usize, liveness: Liveness, what: &str) {
        let now = self.now();
        let id = process_id(index);
        if let Some(t) = self.processes.get_mut(index) {
            t.liveness = liveness;
            if liveness != Liveness::Paused && t.believes_leader {
                t.believes_leader = false;
                self.lost_leader = Some((id, now));
            }
        }
        self.narrate(vec![Endpoint::Process(id)], format!("{id} {what}"));
    }

    fn resume_due(&mut self) {
        let now = Instant::now();
        let (due, later): (Vec<_>, Vec<_>) = self.resumes.drain(..).partition(|(at, _)| *at <= now);
        self.resumes = later;
        for (_, index) in due {
            if self
                .processes
                .get(index)
                .is_some_and(|t| t.liveness == Liveness::Paused)
            {
                self.candidates.resume(index);
                self.set_liveness(
                    index,
                    Liveness::Running,
                    "resumes (SIGCONT), still believing what it believed",
                );
            }
        }
    }

    fn index(&self, p: ProcessId) -> Option<usize> {
        let index = usize::try_from(p.0.checked_sub(1)?).ok()?;
        self.processes.get(index).filter(|t| !t.removed)?;
        Some(index)
    }

    fn tracked(&self, p: ProcessId) -> Option<&Tracked> {
        self.processes.get(self.index(p)?)
    }

    fn on_report(&mut self, index: usize, report: Report) {
        let id = process_id(index);
        let now = self.now();
        let Some(t) = self.processes.get_mut(index) else {
            return;
        };
        let led = t.believes_leader;
        let election = |c: &str| format!("/election/{c}");
        let text = match report {
            Report::Connected {
                session,
                timeout_ms,
            } => {
                t.session = observe::hex(&session);
                t.role = ProcessRole::Volunteering;
                format!("{id} opens session {session} (timeout {timeout_ms} ms)")
            }
            Report::Volunteered { candidate } => {
                t.candidate = Some(election(&candidate));
                t.role = ProcessRole::Electing;
                format!("{id} volunteers: it creates {candidate}")
            }
            Report::Leading { candidate } => {
                t.role = ProcessRole::Leader;
                t.believes_leader = true;
                format!("{id} leads: {candidate} is the smallest candidate")
            }
            Report::Watching {
                candidate: _,
                predecessor,
            } => {
                t.role = ProcessRole::Watching(election(&predecessor));
                t.believes_leader = false;
                format!("{id} watches {predecessor}, the candidate just before its own")
            }
            Report::WatchingAll { .. } => {
                t.role = ProcessRole::WatchingAll;
                t.believes_leader = false;
                format!("{id} watches every candidate")
            }
            Report::Notified { path, kind } => {
                t.notified += 1;
                t.woken_at = Some(now);
                format!("{id} is notified: {kind} {path}")
            }
            Report::SessionExpired => {
                t.role = ProcessRole::SessionExpired;
                t.believes_leader = false;
                t.candidate = None;
                format!("{id} learns its session expired: it starts over")
            }
        };
        if led && !t.believes_leader {
            self.lost_leader = Some((id, now));
        }
        self.narrate(vec![Endpoint::Process(id)], text);
    }

    fn on_tree_news(&mut self, news: TreeNews) {
        let text = match news {
            TreeNews::Session(session) => {
                if session != 0 {
                    self.observer_session = Some(session);
                }
                return;
            }
            TreeNews::Created(path) => format!("{path} is created"),
            TreeNews::Deleted(path) => format!("{path} is deleted"),
            TreeNews::Changed(path) => format!("{path}'s data changes"),
        };
        self.narrate(Vec::new(), text);
    }

    /// Asks every server its status, connections and watches, and the leader its sessions.
    fn observe_servers(&mut self) {
        let mut observed = Observed::default();
        for (id, address) in &self.addresses {
            let Some(status) = four_letter(address, "srvr")
                .ok()
                .and_then(|a| observe::status(&a))
            else {
                continue;
            };
            observed.status.insert(*id, status);
            if status.mode == Mode::NotServing {
                continue;
            }
            if let Ok(answer) = four_letter(address, "cons") {
                observed
                    .connections
                    .insert(*id, observe::connections(&answer));
            }
            if let Ok(answer) = four_letter(address, "wchp") {
                for (path, sessions) in observe::watches_by_path(&answer) {
                    observed.watches.entry(path).or_default().extend(sessions);
                }
            }
            if matches!(status.mode, Mode::Leader | Mode::Standalone) {
                if let Ok(answer) = four_letter(address, "dump") {
                    observed.dump = observe::dump(&answer);
                }
            }
        }
        self.narrate_server_changes(&observed);
        self.observed = observed;
    }

    fn narrate_server_changes(&mut self, now: &Observed) {
        for (id, _) in self.addresses.clone() {
            let before = self.observed.status.get(&id).map(|s| s.mode);
            let after = now.status.get(&id).map(|s| s.mode);
            if before == after || (before.is_none() && self.seq == 0) {
                continue;
            }
            let text = match after {
                None => format!("{id} does not answer: it is down"),
                Some(Mode::NotServing) => format!("{id} is electing a leader (not serving)"),
                Some(Mode::Leader) => format!("{id} leads the ensemble"),
                Some(Mode::Follower) => format!("{id} follows the leader"),
                Some(Mode::Standalone) => format!("{id} serves, standalone"),
            };
            self.narrate(vec![Endpoint::Server(id)], text);
        }
    }

    fn narrate(&mut self, actors: Vec<Endpoint>, text: String) {
        self.seq += 1;
        self.events.push(Narration {
            seq: self.seq,
            time: SimTime(u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)),
            strand: Strand::Story,
            actors,
            text,
        });
        if self.events.len() > KEPT_EVENTS * 2 {
            self.events.drain(..KEPT_EVENTS);
        }
    }

    /// The processes that lead: believe it, run, and hold a session the leader still tracks
    /// (while no leader answers, belief is all there is).
    fn leaders(&self, live_sessions: &BTreeSet<i64>) -> Vec<ProcessId> {
        self.processes
            .iter()
            .enumerate()
            .filter(|(_, t)| t.believes_leader && t.liveness == Liveness::Running && !t.removed)
            .filter(|(_, t)| {
                live_sessions.is_empty() || t.session.is_some_and(|s| live_sessions.contains(&s))
            })
            .map(|(i, _)| process_id(i))
            .collect()
    }

    fn server_pictures(&self) -> Vec<ServerPicture> {
        let leader = self
            .observed
            .status
            .iter()
            .find(|(_, s)| s.mode == Mode::Leader)
            .map(|(id, _)| *id);
        self.addresses
            .iter()
            .map(|(id, _)| {
                let status = self.observed.status.get(id);
                let role = match status.map(|s| s.mode) {
                    None => ServerRole::Down,
                    Some(Mode::NotServing) => ServerRole::Looking,
                    Some(Mode::Leader) => {
                        ServerRole::Leading(status.map_or(0, |s| Zxid(s.zxid).epoch()))
                    }
                    Some(Mode::Standalone) => ServerRole::Standalone,
                    Some(Mode::Follower) => ServerRole::Following(leader.unwrap_or(*id)),
                };
                ServerPicture {
                    id: *id,
                    role,
                    last_zxid: Zxid(status.map_or(0, |s| s.zxid)),
                    clients: self.observed.connections.get(id).map_or(0, Vec::len),
                    config: self.zoo_cfg(*id),
                }
            })
            .collect()
    }

    /// Where a session is connected, if any server lists it.
    fn server_of(&self, session: i64) -> Option<ServerId> {
        self.observed
            .connections
            .iter()
            .find(|(_, cs)| cs.iter().any(|c| c.session == session))
            .map(|(id, _)| *id)
    }

    /// Milliseconds before the leader expires `session`, from its expiry bucket.
    fn session_left(&self, session: i64, wall_ms: i64) -> Option<u64> {
        let at = observe::bucket_time_ms(self.observed.dump.expiry.get(&session)?)?;
        Some(u64::try_from(at - wall_ms).unwrap_or(0))
    }

    fn own_picture(
        &self,
        index: usize,
        t: &Tracked,
        leaders: &[ProcessId],
        wall_ms: i64,
    ) -> ProcessPicture {
        let id = process_id(index);
        let role = match t.liveness {
            Liveness::Crashed => ProcessRole::Crashed,
            Liveness::Stopped => ProcessRole::Stopped,
            Liveness::Paused => ProcessRole::Paused,
            Liveness::Running => t.role.clone(),
        };
        let server = t.session.and_then(|s| self.server_of(s));
        ProcessPicture {
            id,
            kind: ProcessKind::Candidate,
            role,
            liveness: t.liveness,
            believes_leader: t.believes_leader,
            stale: t.believes_leader && !leaders.contains(&id),
            candidate: t.candidate.clone(),
            server,
            connected: server.is_some(),
            // The four-letter words do not say when a client lost its server.
            disconnected_since: None,
            session: t.session.map(SessionId),
            session_left_ms: t.session.and_then(|s| self.session_left(s, wall_ms)),
            can_restart: matches!(t.liveness, Liveness::Crashed | Liveness::Stopped),
            woken_at: t.woken_at,
        }
    }

    /// The sessions that are Zooscope's own: its processes' and its tree follower's.
    fn own_sessions(&self) -> BTreeSet<i64> {
        self.processes
            .iter()
            .filter_map(|t| t.session)
            .chain(self.observer_session)
            .collect()
    }

    /// Sessions on the servers that are neither Zooscope's processes nor its tree follower.
    fn external_pictures(&self, wall_ms: i64) -> Vec<ProcessPicture> {
        let ours = self.own_sessions();
        let tree = self.tree.lock().map(|t| t.clone()).unwrap_or_default();
        let mut seen = Vec::new();
        for (server, connections) in &self.observed.connections {
            for c in connections.iter().filter(|c| !ours.contains(&c.session)) {
                let Some(id) = self.externals.get(&c.session).copied() else {
                    continue;
                };
                let candidate = self
                    .observed
                    .dump
                    .ephemerals
                    .get(&c.session)
                    .and_then(|paths| paths.iter().find(|p| p.starts_with("/election/")))
                    .cloned()
                    .or_else(|| {
                        tree.iter()
                            .find(|(p, n)| {
                                p.starts_with("/election/") && n.stat.ephemeral_owner == c.session
                            })
                            .map(|(p, _)| p.clone())
                    });
                seen.push(ProcessPicture {
                    id,
                    kind: if id == CONSOLE {
                        ProcessKind::Console
                    } else {
                        ProcessKind::External
                    },
                    role: ProcessRole::Console,
                    liveness: Liveness::Running,
                    believes_leader: false,
                    stale: false,
                    candidate,
                    server: Some(*server),
                    connected: true,
                    disconnected_since: None,
                    session: Some(SessionId(c.session)),
                    session_left_ms: self.session_left(c.session, wall_ms),
                    can_restart: false,
                    woken_at: None,
                });
            }
        }
        seen
    }

    /// Who watches what: Zooscope's processes say so; an external session's exists and data
    /// watches are in `wchp`.
    fn watch_edges(&self, processes: &[ProcessPicture]) -> Vec<WatchEdge> {
        let owners = candidate_owners(processes);
        let mut edges = role_watch_edges(processes);
        let pictured: BTreeSet<ProcessId> = processes
            .iter()
            .filter(|p| p.kind != ProcessKind::Candidate)
            .map(|p| p.id)
            .collect();
        for (path, sessions) in &self.observed.watches {
            for session in sessions {
                if let Some(watcher) = self.externals.get(session).filter(|w| pictured.contains(w))
                {
                    edges.push(WatchEdge {
                        watcher: *watcher,
                        path: path.clone(),
                        owner: owners.get(path.as_str()).copied(),
                    });
                }
            }
        }
        edges
    }

    /// Gives an external session a process id once it has stayed unclaimed for a few looks
    /// (ids from 101, so they never meet Zooscope's own); one that turns out to be ours is
    /// forgotten.
    fn name_externals(&mut self) {
        let ours = self.own_sessions();
        self.externals.retain(|session, _| !ours.contains(session));
        let console = self.console_session.load(Ordering::Relaxed);
        if console != 0 && !self.externals.contains_key(&console) {
            self.externals.retain(|_, id| *id != CONSOLE);
            self.externals.insert(console, CONSOLE);
            self.narrate(
                vec![Endpoint::Process(CONSOLE)],
                format!("the console opens session 0x{console:x}: it is drawn as {CONSOLE}"),
            );
        }
        let sessions: BTreeSet<i64> = self
            .observed
            .connections
            .values()
            .flatten()
            .map(|c| c.session)
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
                .unwrap_or(101);
            let id = ProcessId(next.max(101));
            self.externals.insert(session, id);
            self.narrate(
                vec![Endpoint::Process(id)],
                format!("{id} is an external client: session 0x{session:x}"),
            );
        }
    }
}

/// The process id the page's console's client is drawn with (Zooscope's processes count from
/// 1, external ones from 101).
pub const CONSOLE: ProcessId = ProcessId(100);

/// How many looks in a row an unclaimed session must be seen before it is drawn as an
/// external process.
const UNCLAIMED_LOOKS: u32 = 4;

/// Process `index` of the bridge's own, numbered from 1 as the simulation numbers them.
fn process_id(index: usize) -> ProcessId {
    ProcessId(u32::try_from(index + 1).unwrap_or(u32::MAX))
}
