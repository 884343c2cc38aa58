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
//! This module holds the peer's state and life cycle (start, crash, ticks, dispatching what
//! arrives); its behaviour is split by protocol: `election` (fast leader election),
//! `zab` (discovery, synchronisation, broadcast), `sessions` (the leader's session
//! tracker) and `clients` (client connections). Imports [`crate::actor`] and [`crate::zk`].
//!
//! Sources of truth: ZooKeeper 3.8 `QuorumPeer`, `FastLeaderElection`, `Leader`,
//! `LearnerHandler`, `Follower`, `LeaderSessionTracker`, `LearnerSessionTracker`.

mod clients;
mod election;
mod sessions;
mod zab;

use crate::actor::message::{Message, Origin, PeerState, Proposal, Vote};
use crate::actor::role::ServerRole;
use crate::actor::trace::TraceKind;
use crate::actor::{Out, Timer};
use crate::ids::dense::DenseMap;
use crate::ids::{Endpoint, Millis, ProcessId, ServerId, SessionId, SimTime, Zxid};
use crate::zk::server::{Server, ServerConfig};
use crate::zk::session::SessionTracker;
use crate::zk::tree::DataTree;
use crate::zk::txn::Txn;
use litemap::LiteMap;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FollowerView {
    /// Proposals are sent to it (its history was sent).
    forwarding: bool,
    /// It acknowledged the new leader's history.
    synced: bool,
    /// When it was last heard from.
    last_heard: SimTime,
}

/// What only the leader keeps.
#[derive(Debug, Clone)]
struct Leadership {
    /// The epoch, once a quorum of followers told theirs.
    epoch: Option<u32>,
    /// Epochs reported by followers so far (this server's own included).
    epochs: DenseMap<ServerId, u32>,
    /// Committed zxids reported by followers waiting for their history.
    waiting: DenseMap<ServerId, Zxid>,
    /// The zxid counter within the epoch.
    counter: u32,
    /// Whether a quorum acknowledged the new history: the leader now serves.
    active: bool,
    /// When it started leading.
    since: SimTime,
    /// Its accepted epoch and last logged zxid when elected (`leaderStateSummary`), in the
    /// order votes compare: a follower more recent than this is ahead of the leader.
    summary: (u32, Zxid),
    followers: DenseMap<ServerId, FollowerView>,
    /// The state after every proposal so far (`outstandingChanges`).
    pending: DataTree,
    /// Acks of proposals not yet committed.
    acks: BTreeMap<Zxid, BTreeSet<ServerId>>,
    /// The session tracker (`LeaderSessionTracker`).
    sessions: SessionTracker,
    /// Sessions being closed by a proposal not yet committed.
    closing: BTreeSet<SessionId>,
    /// When the container reaper runs next.
    next_reap: SimTime,
}

impl Leadership {
    /// The followers in sync that take part in broadcast: what the leader sends to all.
    fn forwarding(&self) -> Vec<ServerId> {
        self.followers
            .iter()
            .filter(|(_, f)| f.forwarding)
            .map(|(s, _)| s)
            .collect()
    }
}

/// What a looking server keeps.
#[derive(Debug, Clone)]
struct Election {
    round: u64,
    vote: Vote,
    /// The latest vote of each looking peer in this round.
    votes: DenseMap<ServerId, Vote>,
    /// Votes of peers that are following or leading.
    settled: DenseMap<ServerId, (Vote, PeerState)>,
    /// When the one election timer of this round fires: each vote received must not start
    /// another chain of timers (with short ticks they multiplied until the run stalled).
    due: Option<SimTime>,
}

/// A server's role.
#[derive(Debug, Clone)]
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
        last_heard: SimTime,
    },
    Leading(Box<Leadership>),
}

/// A client connecting through this server, waiting for its session to be created or
/// revalidated.
#[derive(Debug, Clone)]
struct PendingConnect {
    process: ProcessId,
    watches: crate::zk::client_watch::SetWatches,
    last_zxid: Zxid,
    timeout_ms: i32,
}

/// One server of the ensemble (ZooKeeper's `QuorumPeer`): its election, its Zab role, and its
/// replica — a [`crate::zk::server::Server`], the same state machine a standalone server is.
#[derive(Debug, Clone)]
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
    /// The highest epoch this server accepted (`acceptedEpoch`, durable): a leader proposes
    /// a newer one than any of its quorum's.
    accepted_epoch: u32,
    /// The epoch of the last history a quorum took from this server as leader, or this server
    /// took from its leader (`currentEpoch`, durable). Its votes carry this one, not the
    /// accepted epoch: a server that proposed an epoch no quorum took must not outrank
    /// servers that logged and committed more of an older epoch.
    current_epoch: u32,
    /// Every proposal accepted, in zxid order (durable: the transaction log).
    log: Vec<Proposal>,
    /// Applied up to here (durable: the snapshot).
    committed: Zxid,
    /// The replica: tree, sessions, this server's clients' watches.
    replica: Server,
    /// Connected clients: process → session.
    clients: DenseMap<ProcessId, SessionId>,
    /// Sessions of connected clients → process.
    by_session: LiteMap<SessionId, ProcessId>,
    /// Clients waiting for a session: by session id.
    connecting: LiteMap<SessionId, PendingConnect>,
    /// Sessions touched since the last report to the leader (each listed once in the report).
    touched: Vec<SessionId>,
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
            current_epoch: 0,
            log: Vec::new(),
            committed: Zxid::ZERO,
            replica: Server::new(id.0, config, Millis(wall_origin_ms)),
            clients: DenseMap::new(),
            by_session: LiteMap::new(),
            connecting: LiteMap::new(),
            touched: Vec::new(),
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
            Role::Leading(_) if self.is_standalone() => ServerRole::Standalone,
            Role::Leading(l) => ServerRole::Leading(l.epoch.unwrap_or(0)),
        }
    }

    /// Whether it is the only member: ZooKeeper then runs it as a standalone server, with no
    /// election and no epochs (`QuorumPeerConfig.isDistributed` is false with one voting
    /// member and `standaloneEnabled`, its default).
    pub fn is_standalone(&self) -> bool {
        self.peers.len() <= 1
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

    /// The epoch of the last history it took or gave (`currentEpoch`, durable): what its
    /// votes carry.
    pub fn current_epoch(&self) -> u32 {
        self.current_epoch
    }

    fn quorum(&self) -> usize {
        self.peers.len() / 2 + 1
    }

    fn me(&self) -> Endpoint {
        Endpoint::Server(self.id)
    }

    fn wall(&self, now: SimTime) -> Millis {
        Millis(self.wall_origin_ms + now.ms() as i64)
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
    /// up to its committed zxid, and looks for a leader — or, standalone, serves at once.
    pub fn start(&mut self, now: SimTime, out: &mut Out) {
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
        if self.is_standalone() {
            self.become_standalone(now, out);
        } else {
            self.become_looking(now, out);
        }
    }

    /// Crashes the server: it loses everything but its log, its accepted and current epochs
    /// and its committed zxid; its clients' connections break.
    pub fn crash(&mut self, out: &mut Out) {
        for (process, _) in self.clients.drain() {
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
    pub fn link_broken(&mut self, peer: Endpoint, now: SimTime, out: &mut Out) {
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

    /// A timer this server asked for.
    pub fn on_timer(&mut self, timer: Timer, now: SimTime, out: &mut Out) {
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

    fn tick(&mut self, now: SimTime, out: &mut Out) {
        let limit = u64::from(self.timing.sync_limit) * self.tick_ms();
        let init = u64::from(self.timing.init_limit) * self.tick_ms();
        match &mut self.role {
            Role::Following {
                last_heard,
                synced,
                leader,
                ..
            } => {
                if now.since(*last_heard) > limit {
                    self.become_looking(now, out);
                } else if !*synced {
                    // The leader may not have been leading yet when it first heard from us.
                    let leader = *leader;
                    out.send(Endpoint::Server(leader), self.follower_info());
                }
            }
            Role::Leading(l) => {
                if !l.active {
                    if now.since(l.since) > init {
                        self.become_looking(now, out);
                    }
                    return;
                }
                let alive = 1 + l
                    .followers
                    .values()
                    .filter(|f| f.synced && now.since(f.last_heard) <= limit)
                    .count();
                if alive < self.peers.len() / 2 + 1 {
                    self.become_looking(now, out);
                    return;
                }
                let epoch = l.epoch.unwrap_or(0);
                for f in l.forwarding() {
                    out.send(Endpoint::Server(f), Message::LeaderPing { epoch });
                }
                self.expire_sessions(now, out);
                self.reap(now, out);
            }
            _ => {}
        }
    }

    /// A message from the network.
    pub fn on_message(&mut self, from: Endpoint, message: Message, now: SimTime, out: &mut Out) {
        if !self.is_up() {
            return;
        }
        match from {
            Endpoint::Process(p) => self.on_client(p, message, now, out),
            Endpoint::Server(s) => self.on_peer(s, message, now, out),
            Endpoint::Resource => {}
        }
    }

    fn on_peer(&mut self, from: ServerId, message: Message, now: SimTime, out: &mut Out) {
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
                current,
                committed,
                last,
            } => self.on_follower_info(from, (epoch, current), committed, last, now, out),
            Message::NewLeader { epoch, entries } => {
                self.on_new_leader(from, epoch, entries, now, out)
            }
            Message::AckNewLeader { epoch, through } => {
                self.on_ack_new_leader(from, epoch, through, now, out);
            }
            Message::Propose(p) => self.on_propose(from, *p, now, out),
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
                let mut sessions = std::mem::take(&mut self.touched);
                sessions.sort_unstable();
                sessions.dedup();
                out.send(Endpoint::Server(from), Message::Touches { sessions });
            }
            Message::Touches { sessions } => {
                if let Role::Leading(l) = &mut self.role {
                    if let Some(f) = l.followers.get_mut(&from) {
                        f.last_heard = now;
                    }
                }
                self.touch_sessions(&sessions, now);
            }
            Message::Forward { origin, op } if self.is_active_leader() => {
                self.propose_op(origin, *op, now, out);
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
}
