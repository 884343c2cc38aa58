//! Fast leader election (ZooKeeper's `FastLeaderElection`): a looking server votes for the
//! best server it knows — highest epoch, then zxid, then id — and decides once a quorum backs
//! its vote, after waiting `finalizeWait` for a better one.
//!
//! Methods of [`QuorumPeer`]; imports its state from the peer module, the actors' messages
//! and trace, and [`crate::zk`].

use super::{Election, QuorumPeer, Role};
use crate::actor::message::{Message, PeerState, Vote};
use crate::actor::role::ServerRole;
use crate::actor::trace::TraceKind;
use crate::actor::{Out, Timer};
use crate::ids::dense::DenseMap;
use crate::ids::{Endpoint, ServerId, SimTime};

impl QuorumPeer {
    pub(super) fn become_looking(&mut self, now: SimTime, out: &mut Out) {
        self.close_clients(out);
        self.round += 1;
        let round = self.round;
        let vote = Vote {
            leader: self.id,
            zxid: self.last_logged(),
            epoch: self.current_epoch,
        };
        let mut votes = DenseMap::new();
        votes.insert(self.id, vote);
        self.role = Role::Looking(Election {
            round,
            vote,
            votes,
            settled: DenseMap::new(),
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
    pub(super) fn election_timer_at(&mut self, at: SimTime, out: &mut Out) {
        let Role::Looking(e) = &mut self.role else {
            return;
        };
        if e.due.is_some_and(|due| due <= at) {
            return;
        }
        e.due = Some(at);
        out.timer(at, Timer::Election { round: e.round });
    }

    pub(super) fn broadcast_vote(&self, out: &mut Out) {
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

    pub(super) fn election_timer(&mut self, round: u64, now: SimTime, out: &mut Out) {
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

    /// Whether, following, it has received the leader's history since it began to follow.
    pub(super) fn has_history(&self) -> bool {
        matches!(self.role, Role::Following { history: true, .. })
    }

    pub(super) fn on_vote(
        &mut self,
        from: ServerId,
        vote: Vote,
        round: u64,
        state: PeerState,
        now: SimTime,
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
                    epoch: self.current_epoch,
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
            epoch: self.current_epoch,
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
}
