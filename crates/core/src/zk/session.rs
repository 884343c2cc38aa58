//! The session tracker: which sessions are alive, and when each one expires.
//!
//! ZooKeeper does not run one timer per session. `SessionTrackerImpl` keeps an `ExpiryQueue` of
//! *buckets*, one per multiple of `tickTime`: a session touched at `now` with timeout `t` is
//! moved to the bucket `roundToNextInterval(now + t)`, and the tracker wakes once per tick to
//! expire the whole bucket that is due. So a session outlives its last heartbeat by between `t`
//! and `t + tickTime`, and sessions expire in batches on tick boundaries — both visible to a
//! student watching the clock.
//!
//! Sources of truth: ZooKeeper 3.8 `SessionTrackerImpl`, `ExpiryQueue`, and the timeout
//! negotiation in `ZooKeeperServer.processConnectRequest`.
//!
//! Imports [`crate::ids`]; outside the crate, `litemap`, `serde`.

use crate::ids::{Millis, SessionId};
use litemap::LiteMap;
use serde::{Deserialize, Serialize};

/// Session timeout bounds a server grants (`minSessionTimeout`/`maxSessionTimeout`, by default
/// 2 and 20 ticks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeoutBounds {
    /// Smallest timeout granted, in ms.
    pub min_ms: i32,
    /// Largest timeout granted, in ms.
    pub max_ms: i32,
}

impl TimeoutBounds {
    /// ZooKeeper's defaults for a tick of `tick_ms`: 2 × tick to 20 × tick.
    pub fn for_tick(tick_ms: i32) -> TimeoutBounds {
        TimeoutBounds {
            min_ms: tick_ms.saturating_mul(2),
            max_ms: tick_ms.saturating_mul(20),
        }
    }

    /// The timeout granted to a client that asks for `requested_ms`: clamped into the bounds.
    pub fn negotiate(self, requested_ms: i32) -> i32 {
        requested_ms.max(self.min_ms).min(self.max_ms)
    }
}

/// What the tracker knows about one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The negotiated timeout, in ms.
    pub timeout_ms: i32,
    /// The bucket the session currently sits in: it expires when the tracker reaches it.
    pub expires_at: Millis,
    /// Set once the session is being closed; a closing session can no longer be touched.
    pub closing: bool,
}

/// `SessionTrackerImpl` with its `ExpiryQueue`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionTracker {
    /// `tickTime`: the width of an expiry bucket.
    tick_ms: i64,
    sessions: LiteMap<SessionId, SessionInfo>,
    /// Sessions by the bucket they expire in. A touch adds the session to its new bucket and
    /// leaves it listed in the old one, where expiry skips it (its `expires_at` says where it
    /// really is): every heartbeat touches, and moving between ordered sets was a tenth of the
    /// simulator's time.
    buckets: LiteMap<Millis, Vec<SessionId>>,
    /// The next bucket the tracker will expire.
    next_expiration: Millis,
}

impl SessionTracker {
    /// A tracker with buckets `tick_ms` wide, started at `now`.
    pub fn new(tick_ms: i32, now: Millis) -> SessionTracker {
        let tick_ms = i64::from(tick_ms.max(1));
        SessionTracker {
            tick_ms,
            sessions: LiteMap::new(),
            buckets: LiteMap::new(),
            next_expiration: round_to_next_interval(now, tick_ms),
        }
    }

    /// The live (and closing) sessions with what the tracker knows of them.
    pub fn sessions(&self) -> impl Iterator<Item = (SessionId, &SessionInfo)> {
        self.sessions.iter().map(|(id, info)| (*id, info))
    }

    /// The tracker's record of `session`, if it is alive.
    pub fn get(&self, session: SessionId) -> Option<&SessionInfo> {
        self.sessions.get(&session)
    }

    /// Starts tracking a session (`trackSession`): it goes into the bucket of `now + timeout`.
    pub fn add(&mut self, session: SessionId, timeout_ms: i32, now: Millis) {
        let info = SessionInfo {
            timeout_ms,
            expires_at: Millis(0),
            closing: false,
        };
        self.sessions.insert(session, info);
        self.touch(session, now);
    }

    /// A heartbeat or any request from the client (`touchSession`): moves the session to the
    /// bucket of `now + timeout`. Returns `false` for a session that is unknown or closing —
    /// the server then tells the client its session expired.
    pub fn touch(&mut self, session: SessionId, now: Millis) -> bool {
        let tick_ms = self.tick_ms;
        let Some(info) = self.sessions.get_mut(&session) else {
            return false;
        };
        if info.closing {
            return false;
        }
        let bucket = round_to_next_interval(
            Millis(now.0.saturating_add(i64::from(info.timeout_ms))),
            tick_ms,
        );
        if bucket == info.expires_at {
            return true;
        }
        info.expires_at = bucket;
        self.buckets.entry(bucket).or_default().push(session);
        true
    }

    /// Marks a session as closing (`setSessionClosing`): no more touches.
    pub fn set_closing(&mut self, session: SessionId) {
        if let Some(info) = self.sessions.get_mut(&session) {
            info.closing = true;
        }
    }

    /// Forgets a session (`removeSession`), once its close transaction is applied.
    pub fn remove(&mut self, session: SessionId) {
        self.sessions.remove(&session);
    }

    /// When the tracker next wakes up to expire a bucket.
    pub fn next_expiration(&self) -> Millis {
        self.next_expiration
    }

    /// Expires every bucket due at `now` (`ExpiryQueue.poll`, repeated as the tracker thread
    /// does after sleeping): the sessions in them are marked closing and returned in id order,
    /// bucket by bucket. The caller submits a close transaction for each.
    pub fn expire(&mut self, now: Millis) -> Vec<SessionId> {
        let mut expired = Vec::new();
        while now >= self.next_expiration {
            if let Some(mut bucket) = self.buckets.remove(&self.next_expiration) {
                // In id order, each once, as ZooKeeper's set of the bucket would list them.
                bucket.sort_unstable();
                bucket.dedup();
                for session in bucket {
                    match self.sessions.get_mut(&session) {
                        Some(info) if info.expires_at == self.next_expiration => {
                            info.closing = true;
                            expired.push(session);
                        }
                        // Gone, or touched into a later bucket since.
                        _ => {}
                    }
                }
            }
            self.next_expiration = Millis(self.next_expiration.0.saturating_add(self.tick_ms));
        }
        expired
    }
}

/// `ExpiryQueue.roundToNextInterval`: the first bucket boundary strictly after `time`.
fn round_to_next_interval(time: Millis, tick_ms: i64) -> Millis {
    Millis((time.0.div_euclid(tick_ms) + 1).saturating_mul(tick_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TICK: i32 = 2000;

    #[test]
    fn timeouts_are_clamped_to_two_and_twenty_ticks() {
        let bounds = TimeoutBounds::for_tick(TICK);
        assert_eq!(bounds.negotiate(30_000), 30_000);
        assert_eq!(bounds.negotiate(1_000), 4_000);
        assert_eq!(bounds.negotiate(100_000), 40_000);
        assert_eq!(bounds.negotiate(-5), 4_000);
    }

    #[test]
    fn buckets_round_up_to_the_next_tick() {
        assert_eq!(round_to_next_interval(Millis(0), 2000), Millis(2000));
        assert_eq!(round_to_next_interval(Millis(1999), 2000), Millis(2000));
        assert_eq!(round_to_next_interval(Millis(2000), 2000), Millis(4000));
    }

    #[test]
    fn a_session_expires_on_the_tick_after_its_timeout() {
        let mut tracker = SessionTracker::new(TICK, Millis(100));
        let s = SessionId(1);
        tracker.add(s, 4000, Millis(500));
        // 500 + 4000 = 4500 → bucket 6000.
        assert_eq!(tracker.get(s).map(|i| i.expires_at), Some(Millis(6000)));
        assert!(tracker.expire(Millis(5999)).is_empty());
        assert_eq!(tracker.expire(Millis(6000)), vec![s]);
        assert!(tracker.get(s).is_some_and(|i| i.closing));
        assert!(
            !tracker.touch(s, Millis(6001)),
            "a closing session cannot be revived"
        );
    }

    #[test]
    fn heartbeats_move_the_session_to_a_later_bucket() {
        let mut tracker = SessionTracker::new(TICK, Millis(0));
        let s = SessionId(7);
        tracker.add(s, 4000, Millis(0));
        for t in (1000..20_000).step_by(1000) {
            assert!(tracker.touch(s, Millis(t)));
            assert!(tracker.expire(Millis(t)).is_empty(), "expired at {t}");
        }
        // Last touch at 19000 → bucket 24000.
        assert!(tracker.expire(Millis(23_999)).is_empty());
        assert_eq!(tracker.expire(Millis(24_000)), vec![s]);
    }

    #[test]
    fn sessions_in_one_bucket_expire_together() {
        let mut tracker = SessionTracker::new(TICK, Millis(0));
        tracker.add(SessionId(2), 4000, Millis(100));
        tracker.add(SessionId(1), 4000, Millis(1900));
        tracker.add(SessionId(3), 4000, Millis(2100));
        assert_eq!(
            tracker.expire(Millis(6500)),
            vec![SessionId(1), SessionId(2)]
        );
        assert_eq!(tracker.expire(Millis(8000)), vec![SessionId(3)]);
    }

    #[test]
    fn a_removed_session_never_expires() {
        let mut tracker = SessionTracker::new(TICK, Millis(0));
        tracker.add(SessionId(1), 4000, Millis(0));
        tracker.remove(SessionId(1));
        assert!(tracker.expire(Millis(100_000)).is_empty());
        assert!(!tracker.touch(SessionId(1), Millis(1)));
    }
}
