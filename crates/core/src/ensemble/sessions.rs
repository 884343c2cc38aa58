//! The leader's session tracker (`LeaderSessionTracker`): every touch a follower reports
//! pushes a session's deadline on; a session whose timeout passes untouched is closed by a
//! transaction like any other write, and expired containers and TTL znodes are reaped.
//!
//! Methods of [`QuorumPeer`]; imports its state from the peer module, the actors' messages
//! and trace, and [`crate::zk`].

use super::{QuorumPeer, Role};
use crate::actor::trace::TraceKind;
use crate::actor::Out;
use crate::ids::{Millis, SessionId, SimTime};
use crate::zk::txn::Txn;

impl QuorumPeer {
    /// The session tracker's view, on the active leader: when each session expires, by
    /// session id.
    pub fn session_deadlines(&self) -> Option<impl Iterator<Item = (SessionId, Millis)> + '_> {
        match &self.role {
            Role::Leading(l) if l.active => {
                Some(l.sessions.sessions().map(|(s, info)| (s, info.expires_at)))
            }
            _ => None,
        }
    }

    pub(super) fn touch_sessions(&mut self, sessions: &[SessionId], now: SimTime) {
        let wall = self.wall(now);
        if let Role::Leading(l) = &mut self.role {
            for &s in sessions {
                l.sessions.touch(s, wall);
            }
        }
    }

    pub(super) fn touch(&mut self, session: SessionId, now: SimTime) {
        let wall = self.wall(now);
        match &mut self.role {
            Role::Leading(l) => {
                l.sessions.touch(session, wall);
            }
            _ => {
                // Listed once each when reported to the leader.
                self.touched.push(session);
            }
        }
    }

    /// Whether a resuming session is alive (touching it if so); `None` when this server
    /// cannot tell (it is not the active leader).
    pub(super) fn revalidate(&mut self, session: SessionId, now: SimTime) -> Option<bool> {
        let wall = self.wall(now);
        match &mut self.role {
            Role::Leading(l) if l.active => {
                Some(!l.closing.contains(&session) && l.sessions.touch(session, wall))
            }
            _ => None,
        }
    }

    pub(super) fn expire_sessions(&mut self, now: SimTime, out: &mut Out) {
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

    pub(super) fn reap(&mut self, now: SimTime, out: &mut Out) {
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
}
