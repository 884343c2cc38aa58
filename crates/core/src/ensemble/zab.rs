//! Zab: discovery (the new leader learns its followers' epochs and starts a newer one),
//! synchronisation (it brings each follower's log in line with its own) and broadcast
//! (propose, acknowledge, commit once a quorum has logged), then applying committed
//! transactions to the replica and answering the clients that asked.
//!
//! Sources: ZooKeeper 3.8 `Leader`, `LearnerHandler`, `Follower`. Methods of [`QuorumPeer`];
//! imports its state from the peer module, the actors'
//! messages and trace, and [`crate::zk`].

use super::{FollowerView, Leadership, QuorumPeer, Role};
use crate::actor::message::{Message, Origin, Proposal};
use crate::actor::role::ServerRole;
use crate::actor::trace::TraceKind;
use crate::actor::Out;
use crate::ids::dense::DenseMap;
use crate::ids::{Endpoint, Millis, ServerId, SimTime, Zxid};
use crate::zk::error::KeeperError;
use crate::zk::op::{Op, OpResult};
use crate::zk::session::SessionTracker;
use crate::zk::txn::Txn;
use std::collections::{BTreeMap, BTreeSet};

impl QuorumPeer {
    pub(super) fn become_follower(&mut self, leader: ServerId, now: SimTime, out: &mut Out) {
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
    pub(super) fn follower_info(&self) -> Message {
        Message::FollowerInfo {
            epoch: self.accepted_epoch,
            current: self.current_epoch,
            committed: self.committed,
            last: self.last_logged(),
        }
    }

    /// A standalone server serves at once: it is its own quorum, and it keeps the epoch it
    /// has (0: a standalone server never starts one), so its zxids go on from its log's last —
    /// 0x1 on a fresh data directory, as ZooKeeper's `ZooKeeperServer` numbers them.
    pub(super) fn become_standalone(&mut self, now: SimTime, out: &mut Out) {
        self.become_leader(now, out);
    }

    pub(super) fn become_leader(&mut self, now: SimTime, out: &mut Out) {
        let mut epochs = DenseMap::new();
        epochs.insert(self.id, self.accepted_epoch);
        let mut sessions = SessionTracker::new(self.config.tick_ms, self.wall(now));
        for (session, info) in self.replica.sessions() {
            sessions.add(session, info.timeout_ms, self.wall(now));
        }
        self.role = Role::Leading(Box::new(Leadership {
            epoch: None,
            epochs,
            waiting: DenseMap::new(),
            counter: 0,
            active: false,
            since: now,
            summary: (self.current_epoch, self.last_logged()),
            followers: DenseMap::new(),
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

    /// Whether `from` is this follower's leader (then it was just heard from).
    pub(super) fn heard_from_leader(&mut self, from: ServerId, now: SimTime) -> bool {
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

    pub(super) fn on_follower_info(
        &mut self,
        from: ServerId,
        (epoch, current): (u32, u32),
        committed: Zxid,
        last: Zxid,
        now: SimTime,
        out: &mut Out,
    ) {
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        if !l.active && (current, last) > l.summary {
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
    pub(super) fn try_establish_epoch(&mut self, now: SimTime, out: &mut Out) {
        let quorum = self.quorum();
        let (standalone, last) = (self.is_standalone(), self.last_logged());
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        if l.epoch.is_none() {
            if l.epochs.len() < quorum {
                return;
            }
            if standalone {
                // No new epoch: the counter goes on where the log ends.
                l.epoch = Some(self.accepted_epoch);
                l.counter = last.counter();
            } else {
                let epoch = l.epochs.values().copied().max().unwrap_or(0) + 1;
                l.epoch = Some(epoch);
                self.accepted_epoch = epoch;
            }
        }
        let Role::Leading(l) = &mut self.role else {
            return;
        };
        let Some(epoch) = l.epoch else { return };
        for (follower, committed) in l.waiting.drain() {
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

    pub(super) fn on_new_leader(
        &mut self,
        from: ServerId,
        epoch: u32,
        entries: Vec<Proposal>,
        now: SimTime,
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
        self.current_epoch = epoch;
        if let Role::Following { history, .. } = &mut self.role {
            *history = true;
        }
        let through = self.log.last().map_or(committed, |p| p.zxid);
        out.send(
            Endpoint::Server(from),
            Message::AckNewLeader { epoch, through },
        );
    }

    pub(super) fn on_ack_new_leader(
        &mut self,
        from: ServerId,
        epoch: u32,
        through: Zxid,
        now: SimTime,
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
    pub(super) fn try_activate(&mut self, now: SimTime, out: &mut Out) {
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
        self.current_epoch = epoch;
        let synced = l.forwarding();
        let id = self.id;
        let role = if self.is_standalone() {
            ServerRole::Standalone
        } else {
            ServerRole::Leading(epoch)
        };
        out.note(None, &[self.me()], || TraceKind::ServerRole {
            server: id,
            role,
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

    pub(super) fn on_propose(&mut self, from: ServerId, p: Proposal, now: SimTime, out: &mut Out) {
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
    pub(super) fn propose_op(&mut self, origin: Origin, op: Op, now: SimTime, out: &mut Out) {
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
        l.sessions.touch(
            origin.session,
            Millis(self.wall_origin_ms + now.ms() as i64),
        );
        self.propose(txn, Some(origin), now, out);
    }

    pub(super) fn propose(
        &mut self,
        txn: Txn,
        origin: Option<Origin>,
        now: SimTime,
        out: &mut Out,
    ) {
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
        for (f, view) in l.followers.iter() {
            if view.forwarding {
                out.send(
                    Endpoint::Server(f),
                    Message::Propose(Box::new(proposal.clone())),
                );
            }
        }
        self.log.push(proposal);
        self.try_commit(now, out);
    }

    /// Commits, in order, every proposal a quorum has logged.
    pub(super) fn try_commit(&mut self, now: SimTime, out: &mut Out) {
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
        for f in l.forwarding() {
            out.send(Endpoint::Server(f), Message::Commit { zxid });
        }
        self.apply_up_to(zxid, now, out);
    }

    /// Applies every logged proposal up to `zxid`, answers the clients waiting here, sends
    /// the watch events that fired.
    pub(super) fn apply_up_to(&mut self, zxid: Zxid, now: SimTime, out: &mut Out) {
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
                    what: p.txn.describe(),
                });
            }
            self.after_apply(&p, now, out);
        }
        self.send_watch_events(out);
        self.answer_syncs(out);
    }

    pub(super) fn after_apply(&mut self, p: &Proposal, _now: SimTime, out: &mut Out) {
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
                                    reply: Box::new(Ok(OpResult::Closed)),
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
                            reply: Box::new(self.replica.write_result(&p.txn)),
                        },
                    );
                }
            }
        }
    }

    pub(super) fn send_watch_events(&mut self, out: &mut Out) {
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

    pub(super) fn answer_syncs(&mut self, out: &mut Out) {
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
                        reply: Box::new(Ok(OpResult::Synced)),
                    },
                );
            }
        }
    }

    // ---------------------------------------------------------------- sessions
}
