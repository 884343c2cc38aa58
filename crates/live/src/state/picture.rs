//! The live state drawn as the page's [`Picture`]: the same type the simulation draws, from
//! what the servers said and the processes reported.
//!
//! What each part is drawn from:
//! - servers: `srvr` (mode, last zxid) and `cons` (connected clients) of each server; one
//!   whose port refuses is down, one that accepts and says nothing is frozen
//!   ([`ServerPicture::silent_since`]), one that answers without serving is electing;
//! - Zooscope's processes: their own reports (session, candidate, role, notifications), and
//!   what was done to them (killed, stopped, paused);
//! - every other session on the servers (`cons`): an external process — a student's own
//!   program — with its session id;
//! - the tree: the follower's reads;
//! - watch edges: the processes' reports, and `wchp` for external sessions (child watches are
//!   not in it: ZooKeeper lists only data and exists watches there);
//! - session countdowns and whether a session still lives: the leader's `dump` (its expiry
//!   buckets, printed to the second);
//! - the narration and the headline: the typed events of [`super::narration`].
//!
//! Imports the state; from the core, the picture's types.

use super::{Heard, LiveState, Tracked};
use crate::observe::{self, Mode};
use std::collections::BTreeSet;
use zooscope_core::actor::role::{ProcessRole, ServerRole};
use zooscope_core::ids::{ProcessId, ServerId, SessionId, Zxid};
use zooscope_core::picture::{
    candidate_owners, role_watch_edges, EventFilter, Failure, Liveness, Picture, ProcessKind,
    ProcessPicture, ServerPicture, Source, SplitBrain, WatchEdge,
};
use zooscope_core::recipe::ELECTION;

impl LiveState {
    /// The picture of this moment, with the narrated events `filter` asks for.
    pub fn picture(&self, filter: &EventFilter) -> Picture {
        let leaders = self.leaders();
        let mut processes: Vec<ProcessPicture> = self
            .processes
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.removed)
            .map(|(i, t)| self.own_picture(super::process_id(i), t, &leaders))
            .collect();
        processes.extend(self.external_pictures());
        let watches = self.watch_edges(&processes);
        let believers: Vec<ProcessId> = processes
            .iter()
            .filter(|p| p.believes_leader)
            .map(|p| p.id)
            .collect();
        Picture {
            source: Source::Live {
                ensemble: self.connect.clone(),
                owns_servers: self.owns_servers,
            },
            now: self.now,
            wall_ms: self.wall.0,
            recipe: Some(self.recipe),
            servers: self.server_pictures(),
            split_brain: SplitBrain::of(believers, &leaders),
            failure: self
                .lost_leader
                .map(|(leader, at)| Failure::of(leader, at, &processes)),
            processes,
            tree: self.tree.clone(),
            watches,
            flights: Vec::new(),
            cut_off: Vec::new(),
            resource: None,
            events: self.story.narrations(filter),
            headline: self.story.headline(),
        }
    }

    /// The processes that lead: believe it, run, and hold a session the leader still tracks
    /// (while no leader answers, belief is all there is).
    fn leaders(&self) -> Vec<ProcessId> {
        let live_sessions: Option<BTreeSet<i64>> = self
            .leader_dump()
            .map(|d| d.expiry.keys().copied().collect());
        self.processes
            .iter()
            .enumerate()
            .filter(|(_, t)| t.believes_leader && t.liveness == Liveness::Running && !t.removed)
            .filter(|(_, t)| match &live_sessions {
                Some(live) if !live.is_empty() => t.session.is_some_and(|s| live.contains(&s)),
                _ => true,
            })
            .map(|(i, _)| super::process_id(i))
            .collect()
    }

    fn server_pictures(&self) -> Vec<ServerPicture> {
        let leader = self
            .servers
            .iter()
            .find(|s| s.heard == Heard::Mode(Mode::Leader))
            .map(|s| s.id);
        self.servers
            .iter()
            .map(|server| {
                let status = server.said.as_ref().and_then(|s| s.status);
                let role = match (server.heard, status.map(|s| s.mode)) {
                    (Heard::Down | Heard::Never, _) | (Heard::Silent, None) => ServerRole::Down,
                    (_, Some(Mode::NotServing)) => ServerRole::Looking,
                    (_, Some(Mode::Leader)) => {
                        ServerRole::Leading(status.map_or(0, |s| Zxid(s.zxid).epoch()))
                    }
                    (_, Some(Mode::Standalone)) => ServerRole::Standalone,
                    (_, Some(Mode::Follower)) => ServerRole::Following(leader.unwrap_or(server.id)),
                    (_, None) => ServerRole::Down,
                };
                let listening = matches!(server.heard, Heard::Mode(_));
                ServerPicture {
                    id: server.id,
                    role,
                    last_zxid: Zxid(status.map_or(0, |s| s.zxid)),
                    clients: server
                        .said
                        .as_ref()
                        .filter(|_| listening)
                        .map_or(0, |s| s.connections.len()),
                    config: server.config.clone(),
                    silent_since: server.silent_since,
                }
            })
            .collect()
    }

    /// Where a session is connected, if any server that answered lists it.
    fn server_of(&self, session: i64) -> Option<ServerId> {
        self.connections()
            .find(|(_, c)| c.session == session)
            .map(|(id, _)| id)
    }

    /// Milliseconds before the leader expires `session`, from its expiry bucket.
    fn session_left(&self, session: i64) -> Option<u64> {
        let bucket = self.leader_dump()?.expiry.get(&session)?;
        let at = observe::bucket_time_ms(bucket)?;
        Some(u64::try_from(at - self.wall.0).unwrap_or(0))
    }

    fn own_picture(&self, id: ProcessId, t: &Tracked, leaders: &[ProcessId]) -> ProcessPicture {
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
            session_left_ms: t.session.and_then(|s| self.session_left(s)),
            can_restart: matches!(t.liveness, Liveness::Crashed | Liveness::Stopped),
            woken_at: t.woken_at,
        }
    }

    /// The candidate an external session owns: from the leader's `dump`, else the tree.
    fn external_candidate(&self, session: i64) -> Option<String> {
        let in_election = |p: &str| p.starts_with(ELECTION) && p.len() > ELECTION.len();
        self.leader_dump()
            .and_then(|d| d.ephemerals.get(&session))
            .and_then(|paths| paths.iter().find(|p| in_election(p)))
            .cloned()
            .or_else(|| {
                self.tree
                    .iter()
                    .find(|(p, n)| in_election(p) && n.stat.ephemeral_owner == session)
                    .map(|(p, _)| p.clone())
            })
    }

    /// Sessions on the servers that are neither Zooscope's processes nor its tree follower,
    /// by id (the order the servers list them in changes).
    fn external_pictures(&self) -> Vec<ProcessPicture> {
        let mut shown = self.own_sessions();
        let mut pictures: Vec<ProcessPicture> = self
            .connections()
            // A session moving between servers is listed by both for a moment.
            .filter(|(_, c)| shown.insert(c.session))
            .filter_map(|(server, c)| {
                let id = *self.externals.get(&c.session)?;
                Some(ProcessPicture {
                    id,
                    kind: if id == super::CONSOLE {
                        ProcessKind::Console
                    } else {
                        ProcessKind::External
                    },
                    role: ProcessRole::Console,
                    liveness: Liveness::Running,
                    believes_leader: false,
                    stale: false,
                    candidate: self.external_candidate(c.session),
                    server: Some(server),
                    connected: true,
                    disconnected_since: None,
                    session: Some(SessionId(c.session)),
                    session_left_ms: self.session_left(c.session),
                    can_restart: false,
                    woken_at: None,
                })
            })
            .collect();
        pictures.sort_by_key(|p| p.id);
        pictures
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
        let watches = self
            .servers
            .iter()
            .filter(|s| matches!(s.heard, Heard::Mode(_)))
            .filter_map(|s| s.said.as_ref())
            .flat_map(|said| said.watches.iter());
        for (path, sessions) in watches {
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
}
