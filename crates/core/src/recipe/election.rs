//! The lecture's election, written once:
//!
//! 1. **volunteer** — create an ephemeral sequential znode `/election/c_`;
//! 2. **elect** — read the children of `/election`;
//! 3. **check leadership** — the smallest candidate leads. The others watch, and *whom* they
//!    watch is the only difference between the recipes ([`Watch`]):
//!    - [`Watch::Predecessor`] (the lecture's recipe, ZooKeeper's "Leader Election"): only the
//!      candidate just before one's own (`exists` with a watch), so a failure wakes exactly
//!      one process, which goes back to step 2 (its candidate is still there);
//!    - [`Watch::AllCandidates`] (the herd effect the lecture warns about): `/election`'s
//!      children (`getChildren` with a watch, in step 2 itself), so any change wakes every
//!      process and every one reads the whole list again.
//!
//! The predecessor may vanish between reading the children and setting the watch: then
//! `exists` finds nothing, and we read the children again (the watch `exists` leaves on the
//! vanished name is harmless: sequence numbers never come back). A create lost to a broken
//! connection is handled in [`super::volunteer`].

use super::volunteer::{Outcome, Volunteer};
use super::{predecessor, Candidate, Ctx, RecipeKind, ELECTION};
use crate::actor::role::ProcessRole;
use crate::zk::error::KeeperError;
use crate::zk::op::{Op, OpResult, Reply};
use crate::zk::path;
use crate::zk::watch::EventType;
use serde::{Deserialize, Serialize};

/// Whom a process that does not lead watches (step 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Watch {
    /// Only its predecessor: one process woken per failure.
    Predecessor,
    /// All the candidates: every process woken by every change.
    AllCandidates,
}

/// Where the election is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Waiting for a connection.
    #[default]
    Idle,
    /// Step 1.
    Volunteering(Volunteer),
    /// Step 2: reading the candidates (the request in flight).
    Electing(i32),
    /// Step 2 again once reconnected: the read was lost with the connection.
    Lost,
    /// Step 3, [`Watch::Predecessor`]: watching the predecessor.
    Watching {
        /// The predecessor's path.
        predecessor: String,
        /// The `exists` in flight, until it comes back.
        xid: Option<i32>,
    },
    /// Step 3, [`Watch::AllCandidates`]: every change to the candidates wakes us.
    WatchingAll,
    /// Step 3: the smallest candidate.
    Leading,
}

/// One process's election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Election {
    /// Whom it watches when it does not lead.
    pub watch: Watch,
    /// Our candidate znode, once known.
    pub candidate: Option<Candidate>,
    /// Where we are.
    pub step: Step,
}

impl Election {
    /// An election not yet started.
    pub fn new(watch: Watch) -> Election {
        Election {
            watch,
            candidate: None,
            step: Step::Idle,
        }
    }

    /// Which recipe it is: how it watches says so.
    pub fn recipe(&self) -> RecipeKind {
        match self.watch {
            Watch::Predecessor => RecipeKind::Successor,
            Watch::AllCandidates => RecipeKind::Herd,
        }
    }

    /// Whether we lead.
    pub fn is_leader(&self) -> bool {
        self.step == Step::Leading
    }

    /// The predecessor we watch, if any.
    pub fn predecessor(&self) -> Option<&str> {
        match &self.step {
            Step::Watching { predecessor, .. } => Some(predecessor),
            _ => None,
        }
    }

    /// Our role, for the view.
    pub fn role(&self) -> ProcessRole {
        match &self.step {
            Step::Idle => ProcessRole::Connecting,
            Step::Volunteering(_) => ProcessRole::Volunteering,
            Step::Electing(_) | Step::Lost => ProcessRole::Electing,
            Step::Watching { predecessor, .. } => ProcessRole::Watching(predecessor.clone()),
            Step::WatchingAll => ProcessRole::WatchingAll,
            Step::Leading => ProcessRole::Leader,
        }
    }

    /// Whether [`Election::role`] is `role`, without copying the predecessor's name.
    pub fn role_is(&self, role: &ProcessRole) -> bool {
        match (&self.step, role) {
            (Step::Watching { predecessor, .. }, ProcessRole::Watching(watched)) => {
                predecessor == watched
            }
            (Step::Watching { .. }, _) => false,
            _ => self.role() == *role,
        }
    }

    /// Connected (again): start, or resume what the lost connection interrupted.
    pub fn on_connected(&mut self, ctx: &mut Ctx<'_>) {
        match std::mem::take(&mut self.step) {
            Step::Idle => self.volunteer(ctx),
            Step::Volunteering(v) => self.step = Step::Volunteering(v.resume(ctx)),
            Step::Lost => self.elect(ctx),
            other => self.step = other,
        }
    }

    /// Step 1: create our ephemeral sequential candidate.
    fn volunteer(&mut self, ctx: &mut Ctx<'_>) {
        self.step = Step::Volunteering(Volunteer::start(ctx));
    }

    /// Step 2: read the candidates (watching them all, for [`Watch::AllCandidates`]).
    fn elect(&mut self, ctx: &mut Ctx<'_>) {
        let op = Op::GetChildren {
            path: ELECTION.to_owned(),
            watch: self.watch == Watch::AllCandidates,
        };
        self.step = Step::Electing(ctx.submit(op));
    }

    /// Step 3: the smallest leads; everyone else watches ([`Watch`]).
    fn check_leadership(&mut self, children: &[String], ctx: &mut Ctx<'_>) {
        let Some(mine) = self.candidate.as_ref().map(|c| path::name(&c.path)) else {
            return self.volunteer(ctx);
        };
        if !children.iter().any(|c| c == mine) {
            // Our candidate is gone (someone deleted it): volunteer again.
            self.candidate = None;
            return self.volunteer(ctx);
        }
        match predecessor(children, mine) {
            None => self.step = Step::Leading,
            Some(before) => match self.watch {
                Watch::Predecessor => {
                    let before = path::join(ELECTION, before);
                    self.watch_predecessor(before, ctx);
                }
                // Step 2's read already left the watch on all of them.
                Watch::AllCandidates => self.step = Step::WatchingAll,
            },
        }
    }

    /// Watch only the predecessor: `exists` with a watch.
    fn watch_predecessor(&mut self, predecessor: String, ctx: &mut Ctx<'_>) {
        let xid = ctx.submit(Op::Exists {
            path: predecessor.clone(),
            watch: true,
        });
        self.step = Step::Watching {
            predecessor,
            xid: Some(xid),
        };
    }

    /// A request came back.
    pub fn on_reply(&mut self, xid: i32, reply: &Reply, ctx: &mut Ctx<'_>) {
        let lost = matches!(reply, Err(KeeperError::ConnectionLoss(_)));
        match std::mem::take(&mut self.step) {
            Step::Volunteering(v) => match v.on_reply(xid, reply, ctx) {
                Outcome::Done(candidate) => {
                    self.candidate = Some(candidate);
                    self.elect(ctx);
                }
                Outcome::Pending(v) => self.step = Step::Volunteering(v),
            },
            Step::Electing(x) if x == xid => match reply {
                Ok(OpResult::Children(children, _)) => {
                    self.check_leadership(children, ctx);
                }
                Err(KeeperError::NoNode(_)) => self.volunteer(ctx),
                _ if lost => self.step = Step::Lost,
                _ => self.step = Step::Electing(x),
            },
            Step::Watching {
                xid: Some(x),
                predecessor,
            } if x == xid => match reply {
                Ok(OpResult::Exists(Some(_))) => {
                    self.step = Step::Watching {
                        predecessor,
                        xid: None,
                    };
                }
                // The predecessor vanished before the watch was set: read again.
                Ok(_) => self.elect(ctx),
                _ if lost => self.step = Step::Lost,
                _ => {
                    self.step = Step::Watching {
                        predecessor,
                        xid: Some(x),
                    }
                }
            },
            other => self.step = other,
        }
    }

    /// A watch fired.
    pub fn on_watch(&mut self, kind: EventType, path: &str, ctx: &mut Ctx<'_>) {
        match &self.step {
            // Our predecessor is gone: back to step 2. Some other change used up the one-shot
            // watch: set it again.
            Step::Watching { predecessor, .. } if predecessor == path => {
                if kind == EventType::NodeDeleted {
                    self.elect(ctx);
                } else {
                    let predecessor = predecessor.clone();
                    self.watch_predecessor(predecessor, ctx);
                }
            }
            // The candidates changed: everyone reads them again. (The leader stays the smallest
            // until its session ends: it has nothing to re-check.)
            Step::WatchingAll if path == ELECTION && kind == EventType::NodeChildrenChanged => {
                self.elect(ctx);
            }
            _ => {}
        }
    }
}
