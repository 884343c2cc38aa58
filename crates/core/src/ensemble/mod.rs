//! One ZooKeeper server of a replicated ensemble: fast leader election, Zab's
//! propose–acknowledge–commit pipeline, and the client connections it serves.
//!
//! Each server keeps a log of the proposals it accepted (its disk), the zxid up to which it
//! has applied them, and a replica ([`Server`]) of the tree, the sessions and its own clients'
//! watches. The leader prepares each write against the state all earlier proposals will
//! produce (`outstandingChanges`), proposes it, and commits it once a quorum has logged it;
//! every server then applies it and the one the client is connected to answers. Reads are
//! answered by the connected server from its replica. The leader also tracks sessions: the
//! followers report which of their clients' sessions were touched, and a session whose
//! timeout passes without a touch is closed by a transaction like any other write.
//!
//! Elections follow `FastLeaderElection`: a looking server votes for the best server it knows
//! (highest epoch, then zxid, then id) and decides once a quorum backs its vote. The winner
//! learns the followers' epochs, starts a new one, brings each follower's log in line with its
//! own (Zab's synchronisation) and commits its whole history once a quorum has it — so nothing
//! a quorum logged is ever lost. A leader that stops hearing from a quorum, and a follower that
//! stops hearing from its leader, go back to looking; a server that is not in a working quorum
//! serves no clients.
//!
//! Sources of truth: ZooKeeper 3.8 `QuorumPeer`, `FastLeaderElection`, `Leader`,
//! `LearnerHandler`, `Follower`, `LeaderSessionTracker`, `LearnerSessionTracker`.

use crate::actor::message::{Message, Origin, PeerState, Proposal, Vote};
use crate::actor::role::ServerRole;
use crate::actor::trace::TraceKind;
use crate::actor::{Out, Timer};
use crate::ids::{Endpoint, Millis, ProcessId, ServerId, SessionId, Zxid};
use crate::zk::error::KeeperError;
use crate::zk::op::{Op, OpResult};
use crate::zk::server::{Server, ServerConfig};
use crate::zk::session::SessionTracker;
use crate::zk::tree::{DataTree, Txn};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Timing of the quorum protocol, in ticks and ms (ZooKeeper's `initLimit`, `syncLimit`,
/// `finalizeWait`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuorumTiming {
    /// Ticks a new leader waits for a quorum to sync before giving up (`initLimit`).
    pub init_limit: u32,
    /// Ticks without hearing from the other side before a follower or leader gives up
    /// (`syncLimit`).
    pub sync_limit: u32,
    /// How long a server that sees a quorum for its vote waits for a better vote (ms).
    pub finalize_wait_ms: u64,
}

impl Default for QuorumTiming {
    fn default() -> Self {
        QuorumTiming {
            init_limit: 10,
            sync_limit: 5,
            finalize_wait_ms: 50,
        }
    }
}

/// A follower as its leader sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FollowerView {
    /// Proposals are sent to it (its history was sent).
    forwarding: bool,
    /// It acknowledged the new leader's history.
    synced: bool,
    /// When it was last heard from.
    last_heard: u64,
}

/// What only the leader keeps.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Leadership {
    /// The epoch, once a quorum of followers told theirs.
    epoch: Option<u32>,
    /// Epochs reported by followers so far (this server's own included).
    epochs: BTreeMap<ServerId, u32>,
    /// Committed zxids reported by followers waiting for their history.
    waiting: BTreeMap<ServerId, Zxid>,
    /// The zxid counter within the epoch.
    counter: u32,
    /// Whether a quorum acknowledged the new history: the leader now serves.
    active: bool,
    /// When it started leading.
    since: u64,
    /// Its accepted epoch and last logged zxid when elected (`leaderStateSummary`), in the
    /// order votes compare: a follower more recent than this is ahead of the leader.
    summary: (u32, Zxid),
    followers: BTreeMap<ServerId, FollowerView>,
    /// The state after every proposal so far (`outstandingChanges`).
    pending: DataTree,
    /// Acks of proposals not yet committed.
    acks: BTreeMap<Zxid, BTreeSet<ServerId>>,
    /// The session tracker (`LeaderSessionTracker`).
    sessions: SessionTracker,
    /// Sessions being closed by a proposal not yet committed.
    closing: BTreeSet<SessionId>,
    /// When the container reaper runs next.
    next_reap: u64,
}

/// What a looking server keeps.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Election {
    round: u64,
    vote: Vote,
    /// The latest vote of each looking peer in this round.
    votes: BTreeMap<ServerId, Vote>,
    /// Votes of peers that are following or leading.
    settled: BTreeMap<ServerId, (Vote, PeerState)>,
    /// When the one election timer of this round fires: each vote received must not start
    /// another chain of timers (with short ticks they multiplied until the run stalled).
    due: Option<u64>,
}

/// A server's role.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Role {
    Down,
    Looking(Election),
    Following {
        leader: ServerId,
        /// Whether the leader's history has been received since this server began to
        /// follow: until then, proposals and commits in flight from an earlier time it
        /// followed this leader describe a log it no longer holds, and are ignored.
        history: bool,
        /// Whether it is up to date (the first commit after the history): it serves.
        synced: bool,
        /// When the leader was last heard from.
        last_heard: u64,
    },
    Leading(Box<Leadership>),
}

/// A client connecting through this server, waiting for its session to be created or
/// revalidated.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PendingConnect {
    process: ProcessId,
    watches: crate::zk::client_watch::SetWatches,
    last_zxid: Zxid,
    timeout_ms: i32,
}

/// One server of the ensemble (ZooKeeper's `QuorumPeer`): its election, its Zab role, and its
/// replica — a [`crate::zk::server::Server`], the same state machine a standalone server is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuorumPeer {
    id: ServerId,
    peers: Vec<ServerId>,
    config: ServerConfig,
    timing: QuorumTiming,
    /// The wall-clock time of simulated time 0 (for ctime/mtime).
    wall_origin_ms: i64,
    role: Role,
    /// Bumped at every restart, so that timers from before a crash are ignored.
    incarnation: u32,
    /// The last election round this server took part in (`logicalclock`): each election
    /// it starts has a larger one, so a vote delayed from an earlier election is never
    /// counted in a later one.
    round: u64,
    /// The highest epoch this server accepted (durable).
    accepted_epoch: u32,
    /// Every proposal accepted, in zxid order (durable: the transaction log).
    log: Vec<Proposal>,
    /// Applied up to here (durable: the snapshot).
    committed: Zxid,
    /// The replica: tree, sessions, this server's clients' watches.
    replica: Server,
    /// Connected clients: process → session.
    clients: BTreeMap<ProcessId, SessionId>,
    /// Sessions of connected clients → process.
    by_session: BTreeMap<SessionId, ProcessId>,
    /// Clients waiting for a session: by session id.
    connecting: BTreeMap<SessionId, PendingConnect>,
    /// Sessions touched since the last report to the leader.
    touched: BTreeSet<SessionId>,
    /// `sync`s waiting until this server has applied a zxid.
    syncs: Vec<(Origin, Zxid)>,
    /// Counter for new session ids.
    next_session: i64,
}

impl QuorumPeer {
    /// A fresh server `id` of an ensemble of `peers`, started at time 0.
    pub fn new(
        id: ServerId,
        peers: Vec<ServerId>,
        config: ServerConfig,
        timing: QuorumTiming,
        wall_origin_ms: i64,
    ) -> QuorumPeer {
        QuorumPeer {
            id,
            peers,
            config,
            timing,
            wall_origin_ms,
            role: Role::Down,
            incarnation: 0,
            round: 0,
            accepted_epoch: 0,
            log: Vec::new(),
            committed: Zxid::ZERO,
            replica: Server::new(id.0, config, Millis(wall_origin_ms)),
            clients: BTreeMap::new(),
            by_session: BTreeMap::new(),
            connecting: BTreeMap::new(),
            touched: BTreeSet::new(),
            syncs: Vec::new(),
            next_session: (i64::from(id.0) << 56) | ((wall_origin_ms << 24) as u64 >> 8) as i64,
        }
    }

    /// This server's id.
    pub fn id(&self) -> ServerId {
        self.id
    }

    /// Its role as the trace names it.
    pub fn role(&self) -> ServerRole {
        match &self.role {
            Role::Down => ServerRole::Down,
            Role::Looking(_) => ServerRole::Looking,
            Role::Following { leader, .. } => ServerRole::Following(*leader),
            Role::Leading(l) => ServerRole::Leading(l.epoch.unwrap_or(0)),
        }
    }

    /// Whether it is running.
    pub fn is_up(&self) -> bool {
        !matches!(self.role, Role::Down)
    }

    /// Whether it serves clients: a synced follower or an active leader.
    pub fn is_serving(&self) -> bool {
        match &self.role {
            Role::Following { synced, .. } => *synced,
            Role::Leading(l) => l.active,
            _ => false,
        }
    }

    /// Whether it is the active leader.
    pub fn is_active_leader(&self) -> bool {
        matches!(&self.role, Role::Leading(l) if l.active)
    }

    /// The replica: the tree and sessions as of the last applied transaction.
    pub fn replica(&self) -> &Server {
        &self.replica
    }

    /// The last zxid applied.
    pub fn committed(&self) -> Zxid {
        self.committed
    }

    /// The accepted proposals.
    pub fn log(&self) -> &[Proposal] {
        &self.log
    }

    /// The highest epoch it accepted (`acceptedEpoch`, durable).
    pub fn accepted_epoch(&self) -> u32 {
        self.accepted_epoch
    }

    /// The processes connected to it, with their sessions.
    pub fn clients(&self) -> impl Iterator<Item = (ProcessId, SessionId)> + '_ {
        self.clients.iter().map(|(p, s)| (*p, *s))
    }

    /// The session tracker's view, on the active leader: when each session expires.
    pub fn session_deadlines(&self) -> Option<BTreeMap<SessionId, Millis>> {
        match &self.role {
            Role::Leading(l) if l.active => Some(
                l.sessions
                    .sessions()
                    .map(|(s, info)| (s, info.expires_at))
                    .collect(),
            ),
            _ => None,
        }
    }

    fn quorum(&self) -> usize {
        self.peers.len() / 2 + 1
    }

    fn me(&self) -> Endpoint {
        Endpoint::Server(self.id)
    }

    fn wall(&self, now: u64) -> Millis {
        Millis(self.wall_origin_ms + now as i64)
    }

    /// The last zxid in its log, committed or not (what its votes offer).
    pub fn last_logged(&self) -> Zxid {
        self.log.last().map_or(self.committed, |p| p.zxid)
    }

    fn tick_ms(&self) -> u64 {
        u64::try_from(self.config.tick_ms.max(1)).unwrap_or(1)
    }

    // ---------------------------------------------------------------- life cycle

    /// Starts (or restarts after a crash) the server: it rebuilds its replica from its log
    /// up to its committed zxid, and looks for a leader.
    pub fn start(&mut self, now: u64, out: &mut Out) {
        self.incarnation += 1;
        let mut replica = Server::new(self.id.0, self.config, self.wall(now));
        for p in self.log.iter().take_while(|p| p.zxid <= self.committed) {
            replica.apply_committed(p.zxid, &p.txn, p.time);
        }
        let _ = replica.take_all_events();
        self.replica = replica;
        out.timer(
            now + self.tick_ms(),
            Timer::ServerTick {
                incarnation: self.incarnation,
            },
        );
        self.become_looking(now, out);
    }

    /// Crashes the server: it loses everything but its log, its accepted epoch and its
    /// committed zxid; its clients' connections break.
    pub fn crash(&mut self, out: &mut Out) {
        for process in std::mem::take(&mut self.clients).into_keys() {
            out.send(Endpoint::Process(process), Message::ConnectionClosed);
        }
        self.by_session.clear();
        self.connecting.clear();
        self.touched.clear();
        self.syncs.clear();
        self.role = Role::Down;
        let id = self.id;
        out.note(None, &[self.me()], || TraceKind::ServerRole {
            server: id,
            role: ServerRole::Down,
        });
    }

    /// A message to `peer` could not be delivered: the connection to it is broken (TCP gives
    /// up on it). A client connection is closed — the client finds out on its next request or
    /// heartbeat, reconnects, and re-registers its watches, so no notification is lost; a
    /// follower out of reach of its leader looks for a new one; a leader stops sending to an
    /// unreachable follower until it rejoins. Votes are simply sent again later.
    pub fn link_broken(&mut self, peer: Endpoint, now: u64, out: &mut Out) {
        match peer {
            Endpoint::Process(p) => {
                if let Some(session) = self.clients.remove(&p) {
                    self.by_session.remove(&session);
                    self.replica.drop_watches(session);
                }
                self.connecting.retain(|_, pending| pending.process != p);
            }
            Endpoint::Server(s) => match &mut self.role {
                Role::Following { leader, .. } if *leader == s => self.become_looking(now, out),
                Role::Leading(l) => {
                    l.followers.remove(&s);
                }
                _ => {}
            },
            Endpoint::Resource => {}
        }
    }

    fn close_clients(&mut self, out: &mut Out) {
        for (process, session) in std::mem::take(&mut self.clients) {
            self.replica.drop_watches(session);
            out.send(Endpoint::Process(process), Message::ConnectionClosed);
        }
        for pending in std::mem::take(&mut self.connecting).into_values() {
            out.send(
                Endpoint::Process(pending.process),
                Message::ConnectionClosed,
            );
        }
        self.by_session.clear();
        self.touched.clear();
        self.syncs.clear();
    }

    fn become_looking(&mut self, now: u64, out: &mut Out) {
        self.close_clients(out);
        self.round += 1;
        let round = self.round;
        let vote = Vote {
            leader: self.id,
            zxid: self.last_logged(),
            epoch: self.accepted_epoch,
        };
        let mut votes = BTreeMap::new();
        votes.insert(self.id, vote);
        self.role = Role::Looking(Election {
            round,
            vote,
            votes,
            settled: BTreeMap::new(),
            due: None,
        });
        let id = self.id;
        out.note(None, &[self.me()], || TraceKind::ServerRole {
            server: id,
            role: ServerRole::Looking,
        });
        self.broadcast_vote(out);
        self.election_timer_at(now + self.tick_ms(), out);
    }

    /// Asks for the election timer at `at`, unless it is due by then already.
    fn election_timer_at(&mut self, at: u64, out: &mut Out) {
        let Role::Looking(e) = &mut self.role else {
            return;
        };
        if e.due.is_some_and(|due| due <= at) {
            return;
        }
        e.due = Some(at);
        out.timer(at, Timer::Election { round: e.round });
    }

    fn broadcast_vote(&self, out: &mut Out) {
        if let Role::Looking(e) = &self.role {
            for peer in &self.peers {
                if *peer != self.id {
                    out.send(
                        Endpoint::Server(*peer),
                        Message::Election {
                            vote: e.vote,
                            round: e.round,
                            state: PeerState::Looking,
                        },
                    );
                }
            }
        }
    }

    fn become_follower(&mut self, leader: ServerId, now: u64, out: &mut Out) {
        self.role = Role::Following {
            leader,
            history: false,
            synced: false,
            last_heard: now,
        };
        let id = self.id;
        out.note(None, &[self.me(), Endpoint::Server(leader)], || {
            TraceKind::ServerRole {
                server: id,
                role: ServerRole::Following(leader),
            }
        });
        out.send(Endpoint::Server(leader), self.follower_info());
    }

    /// What a follower tells its leader about itself.
    fn follower_info(&self) -> Message {
        Message::FollowerInfo {
            epoch: self.accepted_epoch,
            committed: self.committed,
            last: self.last_logged(),
        }
    }

    fn become_leader(&mut self, now: u64, out: &mut Out) {
        let mut epochs = BTreeMap::new();
        epochs.insert(self.id, self.accepted_epoch);
        let mut sessions = SessionTracker::new(self.config.tick_ms, self.wall(now));
        for (session, info) in self.replica.sessions() {
            sessions.add(session, info.timeout_ms, self.wall(now));
        }
        self.role = Role::Leading(Box::new(Leadership {
            epoch: None,
            epochs,
            waiting: BTreeMap::new(),
            counter: 0,
            active: false,
            since: now,
            summary: (self.accepted_epoch, self.last_logged()),
            followers: BTreeMap::new(),
            pending: self.replica.tree().clone(),
            acks: BTreeMap::new(),
            sessions,
            closing: BTreeSet::new(),
            next_reap: now
                + u64::try_from(self.config.container_check_interval_ms.max(1)).unwrap_or(1),
        }));
        self.try_establish_epoch(now, out);
    }

    // ---------------------------------------------------------------- timers

    /// A timer this server asked for.
    pub fn on_timer(&mut self, timer: Timer, now: u64, out: &mut Out) {
        match timer {
            Timer::ServerTick { incarnation }
                if incarnation == self.incarnation && self.is_up() =>
            {
                out.timer(now + self.tick_ms(), timer);
                self.tick(now, out);
            }
            Timer::Election { round } => self.election_timer(round, now, out),
            _ => {}
        }
    }

    fn tick(&mut self, now: u64, out: &mut Out) {
        let limit = u64::from(self.timing.sync_limit) * self.tick_ms();
        let init = u64::from(self.timing.init_limit) * self.tick_ms();
        match &mut self.role {
            Role::Following {
                last_heard,
                synced,
                leader,
                ..
            } => {
                if now.saturating_sub(*last_heard) > limit {
                    self.become_looking(now, out);
                } else if !*synced {
                    // The leader may not have been leading yet when it first heard from us.
                    let leader = *leader;
                    out.send(Endpoint::Server(leader), self.follower_info());
                }
            }
            Role::Leading(l) => {
                if !l.active {
                    if now.saturating_sub(l.since) > init {
                        self.become_looking(now, out);
                    }
                    return;
                }
                let alive = 1 + l
                    .followers
                    .values()
                    .filter(|f| f.synced && now.saturating_sub(f.last_heard) <= limit)
                    .count();
                if alive < self.peers.len() / 2 + 1 {
                    self.become_looking(now, out);
                    return;
                }
                let epoch = l.epoch.unwrap_or(0);
                let synced: Vec<ServerId> = l
                    .followers
                    .iter()
                    .filter(|(_, f)| f.forwarding)
                    .map(|(s, _)| *s)
                    .collect();
                for f in synced {
                    out.send(Endpoint::Server(f), Message::LeaderPing { epoch });
                }
                self.expire_sessions(now, out);
                self.reap(now, out);
            }
            _ => {}
        }
    }

    fn election_timer(&mut self, round: u64, now: u64, out: &mut Out) {
        let quorum = self.quorum();
        let Role::Looking(e) = &mut self.role else {
            return;
        };
        if e.round != round || e.due != Some(now) {
            return;
        }
        e.due = None;
        let backers = e.votes.values().filter(|v| **v == e.vote).count();
        if backers >= quorum {
            let leader = e.vote.leader;
            if leader == self.id {
                self.become_leader(now, out);
            } else {
                self.become_follower(leader, now, out);
            }
        } else {
            // No decision yet: say it again (votes may have been lost to a partition).
            self.broadcast_vote(out);
            self.election_timer_at(now + self.tick_ms(), out);
        }
    }

    // ---------------------------------------------------------------- messages

    /// A message from the network.
    pub fn on_message(&mut self, from: Endpoint, message: Message, now: u64, out: &mut Out) {
        if !self.is_up() {
            return;
        }
        match from {
            Endpoint::Process(p) => self.on_client(p, message, now, out),
            Endpoint::Server(s) => self.on_peer(s, message, now, out),
            Endpoint::Resource => {}
        }
    }

    fn on_peer(&mut self, from: ServerId, message: Message, now: u64, out: &mut Out) {
        // What only a leader sends counts only from this follower's leader.
        let leader_only = matches!(
            message,
            Message::Commit { .. }
                | Message::LeaderPing { .. }
                | Message::Revalidated { .. }
                | Message::SyncReply { .. }
        );
        if leader_only && !self.heard_from_leader(from, now) {
            return;
        }
        match message {
            Message::Election { vote, round, state } => {
                self.on_vote(from, vote, round, state, now, out);
            }
            Message::FollowerInfo {
                epoch,
                committed,
                last,
            } => self.on_follower_info(from, epoch, committed, last, now, out),
            Message::NewLeader { epoch, entries } => {
                self.on_new_leader(from, epoch, entries, now, out)
            }
            Message::AckNewLeader { epoch, through } => {
                self.on_ack_new_leader(from, epoch, through, now, out);
            }
            Message::Propose(p) => self.on_propose(from, p, now, out),
            Message::Ack { zxid } => {
                if let Role::Leading(l) = &mut self.role {
                    if let Some(f) = l.followers.get_mut(&from) {
                        f.last_heard = now;
                    }
                    if let Some(acks) = l.acks.get_mut(&zxid) {
                        acks.insert(from);
                    }
                }
                self.try_commit(now, out);
            }
            Message::Commit { zxid } => {
                if !self.has_history() {
                    return;
                }
                self.apply_up_to(zxid, now, out);
                // The first commit after the leader's history means "up to date": serve.
                if let Role::Following { synced, .. } = &mut self.role {
                    *synced = true;
                }
            }
            Message::LeaderPing { .. } => {
                let sessions: Vec<SessionId> =
                    std::mem::take(&mut self.touched).into_iter().collect();
                out.send(Endpoint::Server(from), Message::Touches { sessions });
            }
            Message::Touches { sessions } => {
                if let Role::Leading(l) = &mut self.role {
                    if let Some(f) = l.followers.get_mut(&from) {
                        f.last_heard = now;
                    }
                }
                self.touch_sessions(sessions.into_iter().collect(), now);
            }
            Message::Forward { origin, op } if self.is_active_leader() => {
                self.propose_op(origin, op, now, out);
            }
            Message::ForwardSession {
                session,
                timeout_ms,
            } if self.is_active_leader() => {
                let txn = Txn::CreateSession {
                    session,
                    timeout_ms,
                };
                self.propose(txn, None, now, out);
            }
            Message::Revalidate { session, client } => {
                if let Some(alive) = self.revalidate(session, now) {
                    out.send(
                        Endpoint::Server(from),
                        Message::Revalidated {
                            session,
                            client,
                            alive,
                        },
                    );
                }
            }
            Message::Revalidated {
                session,
                client: _,
                alive,
            } => self.finish_connect(session, alive, out),
            Message::SyncRequest { origin } => {
                if let Role::Leading(_) = &self.role {
                    // Everything proposed so far: the follower answers once it has committed
                    // that much. (Not "epoch, counter": before the new epoch's first proposal
                    // that names a zxid no follower would ever reach.)
                    let zxid = self.last_logged().max(self.committed);
                    out.send(Endpoint::Server(from), Message::SyncReply { origin, zxid });
                }
            }
            Message::SyncReply { origin, zxid } => {
                self.syncs.push((origin, zxid));
                self.answer_syncs(out);
            }
            _ => {}
        }
    }

    /// Whether, following, it has received the leader's history since it began to follow.
    fn has_history(&self) -> bool {
        matches!(self.role, Role::Following { history: true, .. })
    }

    /// Whether `from` is this follower's leader (then it was just heard from).
    fn heard_from_leader(&mut self, from: ServerId, now: u64) -> bool {
        match &mut self.role {
            Role::Following {
                leader, last_heard, ..
            } if *leader == from => {
                *last_heard = now;
                true
            }
            _ => false,
        }
    }

    // ---------------------------------------------------------------- election

    fn on_vote(
        &mut self,
        from: ServerId,
        vote: Vote,
        round: u64,
        state: PeerState,
        now: u64,
        out: &mut Out,
    ) {
        let my_state = match &self.role {
            Role::Looking(_) => PeerState::Looking,
            Role::Following { .. } => PeerState::Following,
            Role::Leading(_) => PeerState::Leading,
            Role::Down => return,
        };
        if my_state != PeerState::Looking {
            // An established server tells a looking one whom it follows.
            if state == PeerState::Looking {
                let leader = match &self.role {
                    Role::Following { leader, .. } => *leader,
                    _ => self.id,
                };
                let my_vote = Vote {
                    leader,
                    zxid: self.last_logged(),
                    epoch: self.accepted_epoch,
                };
                out.send(
                    Endpoint::Server(from),
                    Message::Election {
                        vote: my_vote,
                        round,
                        state: my_state,
                    },
                );
            }
            return;
        }
        let own = Vote {
            leader: self.id,
            zxid: self.last_logged(),
            epoch: self.accepted_epoch,
        };
        let quorum = self.quorum();
        let Role::Looking(e) = &mut self.role else {
            return;
        };
        if state != PeerState::Looking {
            // Someone already follows or leads: join that leader once it says it leads.
            e.settled.insert(from, (vote, state));
            let leader = vote.leader;
            let leader_says_so = e
                .settled
                .get(&leader)
                .is_some_and(|(_, s)| *s == PeerState::Leading);
            let backers = 1 + e
                .settled
                .values()
                .filter(|(v, _)| v.leader == leader)
                .count();
            if leader_says_so && backers >= quorum && leader != self.id {
                self.become_follower(leader, now, out);
            }
            return;
        }
        let mut changed = false;
        if round > e.round {
            // A later election: join it (the timer pending belongs to the old round).
            e.round = round;
            e.due = None;
            e.votes.clear();
            e.vote = if vote.beats(&own) { vote } else { own };
            changed = true;
        } else if round == e.round && vote.beats(&e.vote) {
            e.vote = vote;
            changed = true;
        } else if round < e.round {
            out.send(
                Endpoint::Server(from),
                Message::Election {
                    vote: e.vote,
                    round: e.round,
                    state: PeerState::Looking,
                },
            );
            return;
        }
        e.votes.insert(from, vote);
        let my_vote = e.vote;
        e.votes.insert(self.id, my_vote);
        let round = e.round;
        // The logical clock follows the election joined, so the next one is later still.
        self.round = self.round.max(round);
        if changed {
            self.broadcast_vote(out);
        }
        let Role::Looking(e) = &self.role else { return };
        let backers = e.votes.values().filter(|v| **v == e.vote).count();
        if backers >= quorum {
            self.election_timer_at(now + self.timing.finalize_wait_ms, out);
        } else {
            // Keep the round's one timer going (it re-sends the vote if nothing is decided).
            self.election_timer_at(now + self.tick_ms(), out);
        }
    }

    // ---------------------------------------------------------------- synchronisation

    fn on_follower_info(
        &mut self,
        from: ServerId,
        epoch: u32,
        committed: Zxid,
        last: Zxid,
        now: u64,
        out: &mut Out,
    ) {
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        if !l.active && (epoch, last) > l.summary {
            // "Follower is ahead of the leader" (`Leader.waitForEpochAck`): it may hold
            // proposals a quorum accepted — committed ones — that this leader lacks. The votes
            // that elected it did not know that follower's log (delayed or lost): elect again.
            self.become_looking(now, out);
            return;
        }
        l.epochs.insert(from, epoch);
        l.waiting.insert(from, committed);
        l.followers.insert(
            from,
            FollowerView {
                forwarding: false,
                synced: false,
                last_heard: now,
            },
        );
        self.try_establish_epoch(now, out);
    }

    /// Once a quorum has told its epoch, the leader picks the next one and sends each waiting
    /// follower its history.
    fn try_establish_epoch(&mut self, now: u64, out: &mut Out) {
        let quorum = self.quorum();
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        if l.epoch.is_none() {
            if l.epochs.len() < quorum {
                return;
            }
            let epoch = l.epochs.values().copied().max().unwrap_or(0) + 1;
            l.epoch = Some(epoch);
            self.accepted_epoch = epoch;
        }
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        let Some(epoch) = l.epoch else { return };
        let waiting = std::mem::take(&mut l.waiting);
        for (follower, committed) in waiting {
            let entries: Vec<Proposal> = self
                .log
                .iter()
                .filter(|p| p.zxid > committed)
                .cloned()
                .collect();
            if let Some(f) = l.followers.get_mut(&follower) {
                f.forwarding = true;
            }
            out.send(
                Endpoint::Server(follower),
                Message::NewLeader { epoch, entries },
            );
        }
        self.try_activate(now, out);
    }

    fn on_new_leader(
        &mut self,
        from: ServerId,
        epoch: u32,
        entries: Vec<Proposal>,
        now: u64,
        out: &mut Out,
    ) {
        if !self.heard_from_leader(from, now) || epoch < self.accepted_epoch {
            return;
        }
        // Keep what is committed; the leader's history replaces the rest.
        let committed = self.committed;
        self.log.retain(|p| p.zxid <= committed);
        self.log
            .extend(entries.into_iter().filter(|p| p.zxid > committed));
        self.accepted_epoch = epoch;
        if let Role::Following { history, .. } = &mut self.role {
            *history = true;
        }
        let through = self.log.last().map_or(committed, |p| p.zxid);
        out.send(
            Endpoint::Server(from),
            Message::AckNewLeader { epoch, through },
        );
    }

    fn on_ack_new_leader(
        &mut self,
        from: ServerId,
        epoch: u32,
        through: Zxid,
        now: u64,
        out: &mut Out,
    ) {
        let committed = self.committed;
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        if l.epoch != Some(epoch) {
            return;
        }
        if let Some(f) = l.followers.get_mut(&from) {
            f.synced = true;
            f.last_heard = now;
        }
        // The history it logged holds every proposal up to its end: count those as acked.
        for (_, acks) in l.acks.range_mut(..=through) {
            acks.insert(from);
        }
        if l.active {
            // A late follower: it has the history; tell it what is committed.
            out.send(Endpoint::Server(from), Message::Commit { zxid: committed });
        }
        self.try_activate(now, out);
        self.try_commit(now, out);
    }

    /// When a quorum has the new leader's history, everything in it is committed and the
    /// leader starts serving.
    fn try_activate(&mut self, now: u64, out: &mut Out) {
        let quorum = self.quorum();
        let last = self.last_logged();
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        let Some(epoch) = l.epoch else { return };
        if l.active || 1 + l.followers.values().filter(|f| f.synced).count() < quorum {
            return;
        }
        l.active = true;
        let synced: Vec<ServerId> = l
            .followers
            .iter()
            .filter(|(_, f)| f.forwarding)
            .map(|(s, _)| *s)
            .collect();
        let id = self.id;
        out.note(None, &[self.me()], || TraceKind::ServerRole {
            server: id,
            role: ServerRole::Leading(epoch),
        });
        self.apply_up_to(last, now, out);
        for f in synced {
            out.send(Endpoint::Server(f), Message::Commit { zxid: last });
        }
        let wall = self.wall(now);
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        l.pending = self.replica.tree().clone();
        l.sessions = SessionTracker::new(self.config.tick_ms, wall);
        for (session, info) in self.replica.sessions() {
            l.sessions.add(session, info.timeout_ms, wall);
        }
    }

    // ---------------------------------------------------------------- the write pipeline

    fn on_propose(&mut self, from: ServerId, p: Proposal, now: u64, out: &mut Out) {
        if !self.heard_from_leader(from, now) || !self.has_history() {
            return;
        }
        let expected = match self.log.last() {
            Some(last) if last.zxid.epoch() == p.zxid.epoch() => last.zxid.counter() + 1,
            _ => 1,
        };
        if p.zxid.counter() != expected && p.zxid > self.last_logged() {
            // A proposal went missing (a partition dropped it): resynchronise.
            self.become_looking(now, out);
            return;
        }
        if p.zxid <= self.last_logged() {
            return;
        }
        let zxid = p.zxid;
        self.log.push(p);
        out.send(Endpoint::Server(from), Message::Ack { zxid });
    }

    /// Proposes a client's write (prepared against the outstanding state).
    fn propose_op(&mut self, origin: Origin, op: Op, now: u64, out: &mut Out) {
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        let alive = l.sessions.get(origin.session).is_some_and(|s| !s.closing)
            && !l.closing.contains(&origin.session);
        let txn = if !alive {
            Txn::Error(KeeperError::SessionExpired(op.path().to_owned()))
        } else {
            match op.prepare(&l.pending, origin.session) {
                Some(Ok(txn)) => txn,
                Some(Err(e)) => Txn::Error(e),
                None => return,
            }
        };
        if let Txn::CloseSession { session } = txn {
            l.closing.insert(session);
            l.sessions.set_closing(session);
        }
        l.sessions
            .touch(origin.session, Millis(self.wall_origin_ms + now as i64));
        self.propose(txn, Some(origin), now, out);
    }

    fn propose(&mut self, txn: Txn, origin: Option<Origin>, now: u64, out: &mut Out) {
        let time = self.wall(now);
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        let Some(epoch) = l.epoch else { return };
        l.counter += 1;
        let zxid = Zxid::new(epoch, l.counter);
        l.pending.apply(&txn, zxid, time);
        if let Txn::CreateSession {
            session,
            timeout_ms,
        } = &txn
        {
            l.sessions.add(*session, *timeout_ms, time);
        }
        let proposal = Proposal {
            zxid,
            txn,
            time,
            origin,
        };
        let mut acks = BTreeSet::new();
        acks.insert(self.id);
        l.acks.insert(zxid, acks);
        for (f, view) in &l.followers {
            if view.forwarding {
                out.send(Endpoint::Server(*f), Message::Propose(proposal.clone()));
            }
        }
        self.log.push(proposal);
        self.try_commit(now, out);
    }

    /// Commits, in order, every proposal a quorum has logged.
    fn try_commit(&mut self, now: u64, out: &mut Out) {
        let quorum = self.quorum();
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        if !l.active {
            return;
        }
        let mut last = None;
        while let Some(entry) = l.acks.first_entry() {
            if entry.get().len() < quorum {
                break;
            }
            last = Some(*entry.key());
            entry.remove();
        }
        let Some(zxid) = last else { return };
        let followers: Vec<ServerId> = l
            .followers
            .iter()
            .filter(|(_, f)| f.forwarding)
            .map(|(s, _)| *s)
            .collect();
        for f in followers {
            out.send(Endpoint::Server(f), Message::Commit { zxid });
        }
        self.apply_up_to(zxid, now, out);
    }

    /// Applies every logged proposal up to `zxid`, answers the clients waiting here, sends
    /// the watch events that fired.
    fn apply_up_to(&mut self, zxid: Zxid, now: u64, out: &mut Out) {
        let leader = matches!(self.role, Role::Leading(_));
        let start = self.log.partition_point(|p| p.zxid <= self.committed);
        let end = self.log.partition_point(|p| p.zxid <= zxid);
        for i in start..end {
            let p = self.log[i].clone();
            self.replica.apply_committed(p.zxid, &p.txn, p.time);
            self.committed = p.zxid;
            if leader {
                let id = self.id;
                out.note(Some(p.zxid), &[self.me()], || TraceKind::Committed {
                    server: id,
                    zxid: p.zxid,
                    what: describe_txn(&p.txn),
                });
            }
            self.after_apply(&p, now, out);
        }
        self.send_watch_events(out);
        self.answer_syncs(out);
    }

    fn after_apply(&mut self, p: &Proposal, _now: u64, out: &mut Out) {
        match &p.txn {
            Txn::CreateSession {
                session,
                timeout_ms,
            } => {
                if let Some(pending) = self.connecting.remove(session) {
                    self.accept(pending, *session, *timeout_ms, out);
                }
            }
            Txn::CloseSession { session } => {
                if let Role::Leading(l) = &mut self.role {
                    l.sessions.remove(*session);
                    l.closing.remove(session);
                }
                if let Some(process) = self.by_session.remove(session) {
                    self.clients.remove(&process);
                    let asked = p.origin.is_some_and(|o| o.server == self.id);
                    if asked {
                        if let Some(o) = p.origin {
                            out.send(
                                Endpoint::Process(process),
                                Message::Reply {
                                    xid: o.xid,
                                    zxid: p.zxid,
                                    reply: Ok(OpResult::Closed),
                                },
                            );
                        }
                    }
                    out.send(Endpoint::Process(process), Message::ConnectionClosed);
                }
                return;
            }
            _ => {}
        }
        if let Some(origin) = p.origin {
            if origin.server == self.id {
                if let Some(process) = self.by_session.get(&origin.session) {
                    out.send(
                        Endpoint::Process(*process),
                        Message::Reply {
                            xid: origin.xid,
                            zxid: p.zxid,
                            reply: self.replica.write_result(&p.txn),
                        },
                    );
                }
            }
        }
    }

    fn send_watch_events(&mut self, out: &mut Out) {
        if !self.replica.has_events() {
            return;
        }
        for e in self.replica.take_all_events() {
            if let Some(process) = self.by_session.get(&e.session) {
                let (id, process, kind, path) = (self.id, *process, e.kind, e.path.clone());
                out.note(
                    Some(e.zxid),
                    &[self.me(), Endpoint::Process(process)],
                    || TraceKind::WatchFired {
                        server: id,
                        process,
                        event: kind,
                        path,
                    },
                );
                out.send(
                    Endpoint::Process(process),
                    Message::Notification {
                        kind: e.kind,
                        path: e.path,
                        zxid: e.zxid,
                    },
                );
            }
        }
    }

    fn answer_syncs(&mut self, out: &mut Out) {
        let committed = self.committed;
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.syncs)
            .into_iter()
            .partition(|(_, z)| *z <= committed);
        self.syncs = waiting;
        let leader = match &self.role {
            Role::Following { leader, .. } => Some(*leader),
            _ => None,
        };
        for (origin, _) in ready {
            if let Some(process) = self.by_session.get(&origin.session).copied() {
                let server = self.id;
                out.note(
                    Some(committed),
                    &[self.me(), Endpoint::Process(process)],
                    || TraceKind::SyncAnswered {
                        server,
                        process,
                        zxid: committed,
                        leader,
                    },
                );
                out.send(
                    Endpoint::Process(process),
                    Message::Reply {
                        xid: origin.xid,
                        zxid: committed,
                        reply: Ok(OpResult::Synced),
                    },
                );
            }
        }
    }

    // ---------------------------------------------------------------- sessions

    fn touch_sessions(&mut self, sessions: BTreeSet<SessionId>, now: u64) {
        let wall = self.wall(now);
        if let Role::Leading(l) = &mut self.role {
            for s in sessions {
                l.sessions.touch(s, wall);
            }
        }
    }

    fn touch(&mut self, session: SessionId, now: u64) {
        let wall = self.wall(now);
        match &mut self.role {
            Role::Leading(l) => {
                l.sessions.touch(session, wall);
            }
            _ => {
                self.touched.insert(session);
            }
        }
    }

    /// Whether a resuming session is alive (touching it if so); `None` when this server
    /// cannot tell (it is not the active leader).
    fn revalidate(&mut self, session: SessionId, now: u64) -> Option<bool> {
        let wall = self.wall(now);
        match &mut self.role {
            Role::Leading(l) if l.active => {
                Some(!l.closing.contains(&session) && l.sessions.touch(session, wall))
            }
            _ => None,
        }
    }

    fn expire_sessions(&mut self, now: u64, out: &mut Out) {
        let wall = self.wall(now);
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        let expired = l.sessions.expire(wall);
        for session in expired {
            if let Role::Leading(l) = &mut self.role {
                l.closing.insert(session);
            }
            let id = self.id;
            out.note(None, &[self.me()], || TraceKind::SessionExpired {
                server: id,
                session,
            });
            self.propose(Txn::CloseSession { session }, None, now, out);
        }
    }

    fn reap(&mut self, now: u64, out: &mut Out) {
        let interval = u64::try_from(self.config.container_check_interval_ms.max(1)).unwrap_or(1);
        let wall = self.wall(now);
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        if now < l.next_reap {
            return;
        }
        l.next_reap = now + interval;
        let candidates = l.pending.reap_candidates(wall);
        for path in candidates {
            let txn = {
                let Role::Leading(l) = &self.role else { return };
                match l.pending.prepare_delete_container(&path) {
                    Ok(t) => t,
                    Err(e) => Txn::Error(e),
                }
            };
            self.propose(txn, None, now, out);
        }
    }

    // ---------------------------------------------------------------- clients

    fn on_client(&mut self, process: ProcessId, message: Message, now: u64, out: &mut Out) {
        match message {
            Message::Connect {
                session,
                timeout_ms,
                last_zxid,
                watches,
            } => self.on_connect(process, session, timeout_ms, last_zxid, watches, now, out),
            Message::Request { xid, op } => {
                let Some(session) = self.clients.get(&process).copied() else {
                    out.send(Endpoint::Process(process), Message::ConnectionClosed);
                    return;
                };
                self.touch(session, now);
                let origin = Origin {
                    server: self.id,
                    session,
                    xid,
                };
                if let Some(reply) = self.replica.read(session, &op) {
                    out.send(
                        Endpoint::Process(process),
                        Message::Reply {
                            xid,
                            zxid: self.committed,
                            reply,
                        },
                    );
                } else if let Op::Sync { .. } = op {
                    match &self.role {
                        Role::Following { leader, .. } => {
                            out.send(Endpoint::Server(*leader), Message::SyncRequest { origin });
                        }
                        _ => {
                            // The leader answers once everything it proposed is committed.
                            let proposed = self.last_logged();
                            self.syncs.push((origin, proposed));
                            self.answer_syncs(out);
                        }
                    }
                } else {
                    match &self.role {
                        Role::Following { leader, .. } => {
                            out.send(Endpoint::Server(*leader), Message::Forward { origin, op });
                        }
                        _ => self.propose_op(origin, op, now, out),
                    }
                }
            }
            Message::Ping => {
                if let Some(session) = self.clients.get(&process).copied() {
                    self.touch(session, now);
                    out.send(Endpoint::Process(process), Message::Pong);
                } else {
                    out.send(Endpoint::Process(process), Message::ConnectionClosed);
                }
            }
            Message::ConnectionClosed => {
                // The client hung up (it moves to another server, or stops).
                if let Some(session) = self.clients.remove(&process) {
                    self.by_session.remove(&session);
                    self.replica.drop_watches(session);
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_connect(
        &mut self,
        process: ProcessId,
        session: Option<SessionId>,
        timeout_ms: i32,
        last_zxid: Zxid,
        watches: crate::zk::client_watch::SetWatches,
        now: u64,
        out: &mut Out,
    ) {
        // A server that is not serving, or is behind what the client has seen, refuses.
        if !self.is_serving() || last_zxid > self.committed {
            out.send(Endpoint::Process(process), Message::ConnectionClosed);
            return;
        }
        if let Some(old) = self.clients.remove(&process) {
            self.by_session.remove(&old);
            self.replica.drop_watches(old);
        }
        let timeout_ms = self.config.session_timeouts.negotiate(timeout_ms);
        let pending = PendingConnect {
            process,
            watches,
            last_zxid,
            timeout_ms,
        };
        match session {
            None => {
                let session = SessionId(self.next_session);
                self.next_session += 1;
                self.connecting.insert(session, pending);
                match &self.role {
                    Role::Following { leader, .. } => {
                        let leader = *leader;
                        out.send(
                            Endpoint::Server(leader),
                            Message::ForwardSession {
                                session,
                                timeout_ms,
                            },
                        );
                        // The connect request touches the session at once (`submitRequest`
                        // → `touch`); a follower only notes it and reports it with its next
                        // ping, after the forwarded session has reached the leader.
                        self.touch(session, now);
                    }
                    _ => self.propose(
                        Txn::CreateSession {
                            session,
                            timeout_ms,
                        },
                        None,
                        now,
                        out,
                    ),
                }
            }
            Some(session) => {
                self.connecting.insert(session, pending);
                match &self.role {
                    Role::Following { leader, .. } => out.send(
                        Endpoint::Server(*leader),
                        Message::Revalidate {
                            session,
                            client: process,
                        },
                    ),
                    _ => {
                        let alive = self.revalidate(session, now).unwrap_or(false);
                        self.finish_connect(session, alive, out);
                    }
                }
            }
        }
    }

    fn finish_connect(&mut self, session: SessionId, alive: bool, out: &mut Out) {
        let Some(pending) = self.connecting.remove(&session) else {
            return;
        };
        if alive {
            let timeout = self
                .replica
                .session(session)
                .map_or(pending.timeout_ms, |i| i.timeout_ms);
            self.accept(pending, session, timeout, out);
        } else {
            out.send(Endpoint::Process(pending.process), Message::Expired);
        }
    }

    fn accept(
        &mut self,
        pending: PendingConnect,
        session: SessionId,
        timeout_ms: i32,
        out: &mut Out,
    ) {
        // No touch here: the session was touched when the client's connect arrived (the
        // leader's tracker added it when it proposed `createSession`, or revalidated it); the
        // commit that completes the connect touches nothing (ZooKeeper: FinalRequestProcessor).
        self.clients.insert(pending.process, session);
        self.by_session.insert(session, pending.process);
        out.send(
            Endpoint::Process(pending.process),
            Message::Connected {
                session,
                timeout_ms,
            },
        );
        if !pending.watches.is_empty() {
            self.replica
                .set_watches(session, pending.last_zxid, &pending.watches);
            self.send_watch_events(out);
        }
    }
}

/// A transaction in a few words, for the trace.
pub fn describe_txn(txn: &Txn) -> String {
    match txn {
        Txn::Create { path, .. } => format!("create {path}"),
        Txn::Delete { path } => format!("delete {path}"),
        Txn::SetData { path, .. } => format!("set {path}"),
        Txn::CreateSession { session, .. } => format!("open session {session}"),
        Txn::CloseSession { session } => format!("close session {session}"),
        Txn::Error(e) => format!("failed request ({e})"),
    }
}
