//! The election with the herd effect: the same three steps, but in step 3 every process that
//! is not the smallest watches *all* of `/election`'s children (`getChildren` with a watch).
//! Any change — a new candidate, a failure — wakes every one of them, and every one reads the
//! whole list again: N−1 notifications and N−1 reads where the successor recipe needs one.

use super::volunteer::{Outcome, Volunteer};
use super::{sort_candidates, Candidate, Ctx, ELECTION};
use crate::actor::trace::ProcessRole;
use crate::zk::error::KeeperError;
use crate::zk::op::{Op, OpResult, Reply};
use crate::zk::path;
use crate::zk::watch::EventType;
use serde::{Deserialize, Serialize};

/// Where the recipe is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Waiting for a connection.
    #[default]
    Idle,
    /// Step 1.
    Volunteering(Volunteer),
    /// Steps 2–3: reading the candidates and watching them all (the request in flight).
    Electing(i32),
    /// The read was lost with the connection: read again once reconnected.
    Lost,
    /// Not the smallest: every change to the candidates wakes us.
    WatchingAll,
    /// The smallest candidate.
    Leading,
}

/// The herd recipe's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Herd {
    /// Our candidate znode, once known.
    pub candidate: Option<Candidate>,
    /// Where we are.
    pub step: Step,
}

impl Herd {
    /// Whether we lead.
    pub fn is_leader(&self) -> bool {
        self.step == Step::Leading
    }

    /// Our role, for the view.
    pub fn role(&self) -> ProcessRole {
        match &self.step {
            Step::Idle => ProcessRole::Connecting,
            Step::Volunteering(_) => ProcessRole::Volunteering,
            Step::Electing(_) | Step::Lost => ProcessRole::Electing,
            Step::WatchingAll => ProcessRole::WatchingAll,
            Step::Leading => ProcessRole::Leader,
        }
    }

    /// Connected (again): start, or resume what the lost connection interrupted.
    pub fn on_connected(&mut self, ctx: &mut Ctx<'_>) {
        match std::mem::take(&mut self.step) {
            Step::Idle => self.step = Step::Volunteering(Volunteer::start(ctx)),
            Step::Volunteering(v) => self.step = Step::Volunteering(v.resume(ctx)),
            Step::Lost => self.elect(ctx),
            other => self.step = other,
        }
    }

    /// Steps 2 and 3 at once: read the candidates and watch them all.
    fn elect(&mut self, ctx: &mut Ctx<'_>) {
        let op = Op::GetChildren {
            path: ELECTION.to_owned(),
            watch: true,
        };
        self.step = Step::Electing(ctx.submit(op));
    }

    fn check_leadership(&mut self, mut children: Vec<String>, ctx: &mut Ctx<'_>) {
        let Some(mine) = self
            .candidate
            .as_ref()
            .map(|c| path::name(&c.path).to_owned())
        else {
            self.step = Step::Volunteering(Volunteer::start(ctx));
            return;
        };
        sort_candidates(&mut children);
        match children.iter().position(|c| *c == mine) {
            None => {
                self.candidate = None;
                self.step = Step::Volunteering(Volunteer::start(ctx));
            }
            Some(0) => self.step = Step::Leading,
            Some(_) => self.step = Step::WatchingAll,
        }
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
                    self.check_leadership(children.clone(), ctx);
                }
                Err(KeeperError::NoNode(_)) => {
                    self.step = Step::Volunteering(Volunteer::start(ctx));
                }
                _ if lost => self.step = Step::Lost,
                _ => self.step = Step::Electing(x),
            },
            other => self.step = other,
        }
    }

    /// A watch fired: the candidates changed — everyone reads them again.
    pub fn on_watch(&mut self, kind: EventType, path: &str, ctx: &mut Ctx<'_>) {
        // The leader stays the smallest until its session ends: it has nothing to re-check.
        if path == ELECTION
            && kind == EventType::NodeChildrenChanged
            && self.step == Step::WatchingAll
        {
            self.elect(ctx);
        }
    }
}
