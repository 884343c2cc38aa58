//! The election with the herd effect: the same three steps, but in step 3 every process that
//! is not the smallest watches *all* of `/election`'s children (`getChildren` with a watch).
//! Any change — a new candidate, a failure — wakes every one of them, and every one reads the
//! whole list again: N−1 notifications and N−1 reads where the successor recipe needs one.

use super::{sort_candidates, Candidate, Ctx, CANDIDATE_PREFIX, ELECTION};
use crate::error::KeeperError;
use crate::op::{Op, OpResult, Reply};
use crate::path;
use crate::trace::ProcessRole;
use crate::tree::CreateMode;
use crate::watch::EventType;
use serde::{Deserialize, Serialize};

/// Where the recipe is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Waiting for a connection.
    #[default]
    Idle,
    /// Step 1: the create is in flight.
    Volunteering(i32),
    /// `/election` did not exist: creating it.
    MakingParent(i32),
    /// After a lost create: asking the session which candidate is ours.
    FindingOwn(i32),
    /// Reading our own candidate's stat (its token).
    ReadingOwn {
        /// The `exists` in flight.
        xid: i32,
        /// Our candidate.
        path: String,
    },
    /// Steps 2–3: reading the candidates and watching them all.
    Electing(i32),
    /// Not the smallest: every change to the candidates wakes us.
    WatchingAll,
    /// The smallest candidate.
    Leading,
    /// The connection was lost mid-step.
    Lost {
        /// Whether the create itself was lost.
        create: bool,
    },
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
            Step::Volunteering(_)
            | Step::MakingParent(_)
            | Step::FindingOwn(_)
            | Step::Lost { create: true } => ProcessRole::Volunteering,
            Step::ReadingOwn { .. } | Step::Electing(_) | Step::Lost { create: false } => {
                ProcessRole::Electing
            }
            Step::WatchingAll => ProcessRole::WatchingAll,
            Step::Leading => ProcessRole::Leader,
        }
    }

    /// Connected (again): start, or resume what the lost connection interrupted.
    pub fn on_connected(&mut self, ctx: &mut Ctx<'_>) {
        match self.step {
            Step::Idle => self.volunteer(ctx),
            Step::Lost { create: true } => {
                let op = Op::GetEphemerals {
                    prefix: format!("{ELECTION}/"),
                };
                self.step = Step::FindingOwn(ctx.submit(op));
            }
            Step::Lost { create: false } => self.elect(ctx),
            _ => {}
        }
    }

    /// Step 1: create our ephemeral sequential candidate.
    fn volunteer(&mut self, ctx: &mut Ctx<'_>) {
        let op = Op::Create {
            path: CANDIDATE_PREFIX.to_owned(),
            data: Some(ctx.process.to_string().into_bytes()),
            mode: CreateMode::EphemeralSequential,
        };
        self.step = Step::Volunteering(ctx.submit(op));
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
            return self.volunteer(ctx);
        };
        sort_candidates(&mut children);
        match children.iter().position(|c| *c == mine) {
            None => {
                self.candidate = None;
                self.volunteer(ctx);
            }
            Some(0) => self.step = Step::Leading,
            Some(_) => self.step = Step::WatchingAll,
        }
    }

    /// A request came back.
    pub fn on_reply(&mut self, xid: i32, reply: &Reply, ctx: &mut Ctx<'_>) {
        let lost = matches!(reply, Err(KeeperError::ConnectionLoss(_)));
        match &self.step {
            Step::Volunteering(x) if *x == xid => match reply {
                Ok(OpResult::Created { path, stat }) => {
                    self.candidate = Some(Candidate {
                        path: path.clone(),
                        token: stat.czxid,
                    });
                    self.elect(ctx);
                }
                Err(KeeperError::NoNode(_)) => {
                    let op = Op::Create {
                        path: ELECTION.to_owned(),
                        data: None,
                        mode: CreateMode::Persistent,
                    };
                    self.step = Step::MakingParent(ctx.submit(op));
                }
                _ if lost => self.step = Step::Lost { create: true },
                _ => {}
            },
            Step::MakingParent(x) if *x == xid => {
                if lost {
                    self.step = Step::Lost { create: true };
                } else {
                    self.volunteer(ctx);
                }
            }
            Step::FindingOwn(x) if *x == xid => match reply {
                Ok(OpResult::Ephemerals(paths)) => {
                    match paths.iter().find(|p| p.starts_with(CANDIDATE_PREFIX)) {
                        Some(own) => {
                            let xid = ctx.submit(Op::Exists {
                                path: own.clone(),
                                watch: false,
                            });
                            self.step = Step::ReadingOwn {
                                xid,
                                path: own.clone(),
                            };
                        }
                        None => self.volunteer(ctx),
                    }
                }
                _ if lost => self.step = Step::Lost { create: true },
                _ => {}
            },
            Step::ReadingOwn { xid: x, path } if *x == xid => match reply {
                Ok(OpResult::Exists(Some(stat))) => {
                    self.candidate = Some(Candidate {
                        path: path.clone(),
                        token: stat.czxid,
                    });
                    self.elect(ctx);
                }
                Ok(_) => self.volunteer(ctx),
                _ if lost => self.step = Step::Lost { create: true },
                _ => {}
            },
            Step::Electing(x) if *x == xid => match reply {
                Ok(OpResult::Children(children, _)) => {
                    self.check_leadership(children.clone(), ctx);
                }
                Err(KeeperError::NoNode(_)) => self.volunteer(ctx),
                _ if lost => self.step = Step::Lost { create: false },
                _ => {}
            },
            _ => {}
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
