//! The lecture's election, with the successor watch:
//!
//! 1. **volunteer** — create an ephemeral sequential znode `/election/c_`;
//! 2. **elect** — read the children of `/election`;
//! 3. **check leadership** — the smallest candidate leads; every other process watches *only
//!    its predecessor* (`exists` with a watch), so a failure wakes exactly one process, which
//!    goes back to step 2 (not step 1: its candidate is still there).
//!
//! Two races are handled as ZooKeeper's recipe says: the predecessor may vanish between
//! reading the children and setting the watch (then `exists` finds nothing: read the children
//! again — the watch that `exists` leaves on the vanished name is harmless, since sequence
//! numbers never come back), and a `create` may fail with `ConnectionLoss` after the server made the znode. The
//! recipe's answer to the latter is to recognise one's own candidate (its GUID trick); here the
//! session itself says which candidate is ours — `getEphemerals("/election/")` lists the
//! session's own ephemerals — so no duplicate candidate is left behind and the names stay the
//! lecture's `c_0000000003`.

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
    /// Step 2: reading the candidates.
    Electing(i32),
    /// Step 3: setting the watch on the predecessor.
    Watching {
        /// The predecessor's path.
        predecessor: String,
        /// The `exists` in flight, if it has not come back yet.
        xid: Option<i32>,
    },
    /// Step 3: the smallest candidate.
    Leading,
    /// The connection was lost mid-step: on reconnecting, find our candidate (if the create
    /// was lost) or read the candidates again.
    Lost {
        /// Whether the create itself was lost.
        create: bool,
    },
}

/// The successor recipe's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Successor {
    /// Our candidate znode, once known.
    pub candidate: Option<Candidate>,
    /// Where we are.
    pub step: Step,
}

impl Successor {
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
            Step::Volunteering(_)
            | Step::MakingParent(_)
            | Step::FindingOwn(_)
            | Step::Lost { create: true } => ProcessRole::Volunteering,
            Step::ReadingOwn { .. } | Step::Electing(_) | Step::Lost { create: false } => {
                ProcessRole::Electing
            }
            Step::Watching { predecessor, .. } => ProcessRole::Watching(predecessor.clone()),
            Step::Leading => ProcessRole::Leader,
        }
    }

    /// Connected (again): start, or resume what the lost connection interrupted.
    pub fn on_connected(&mut self, ctx: &mut Ctx<'_>) {
        match self.step {
            Step::Idle => self.volunteer(ctx),
            Step::Lost { create: true } => self.find_own_candidate(ctx),
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

    /// Step 2: read the candidates.
    fn elect(&mut self, ctx: &mut Ctx<'_>) {
        let op = Op::GetChildren {
            path: ELECTION.to_owned(),
            watch: false,
        };
        self.step = Step::Electing(ctx.submit(op));
    }

    /// Step 3: the smallest leads; everyone else watches the one just before itself.
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
            // Our candidate is gone (someone deleted it): volunteer again.
            None => {
                self.candidate = None;
                self.volunteer(ctx);
            }
            Some(0) => self.step = Step::Leading,
            Some(i) => {
                let predecessor = path::join(ELECTION, &children[i - 1]);
                self.watch_predecessor(predecessor, ctx);
            }
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

    /// After a lost create: which candidate does our session own?
    fn find_own_candidate(&mut self, ctx: &mut Ctx<'_>) {
        let op = Op::GetEphemerals {
            prefix: format!("{ELECTION}/"),
        };
        self.step = Step::FindingOwn(ctx.submit(op));
    }

    /// A request came back.
    pub fn on_reply(&mut self, xid: i32, reply: &Reply, ctx: &mut Ctx<'_>) {
        let lost = matches!(reply, Err(KeeperError::ConnectionLoss(_)));
        match (&self.step, reply) {
            (Step::Volunteering(x), _) if *x == xid => match reply {
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
            (Step::MakingParent(x), _) if *x == xid => {
                if lost {
                    self.step = Step::Lost { create: true };
                } else {
                    self.volunteer(ctx);
                }
            }
            (Step::FindingOwn(x), _) if *x == xid => match reply {
                Ok(OpResult::Ephemerals(paths)) => {
                    match paths.iter().find(|p| p.starts_with(CANDIDATE_PREFIX)) {
                        Some(own) => {
                            let op = Op::Exists {
                                path: own.clone(),
                                watch: false,
                            };
                            let xid = ctx.submit(op);
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
            (Step::ReadingOwn { xid: x, path }, _) if *x == xid => match reply {
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
            (Step::Electing(x), _) if *x == xid => match reply {
                Ok(OpResult::Children(children, _)) => {
                    self.check_leadership(children.clone(), ctx);
                }
                Err(KeeperError::NoNode(_)) => self.volunteer(ctx),
                _ if lost => self.step = Step::Lost { create: false },
                _ => {}
            },
            (
                Step::Watching {
                    xid: Some(x),
                    predecessor,
                },
                _,
            ) if *x == xid => match reply {
                Ok(OpResult::Exists(Some(_))) => {
                    let predecessor = predecessor.clone();
                    self.step = Step::Watching {
                        predecessor,
                        xid: None,
                    };
                }
                // The predecessor vanished before the watch was set: read again.
                Ok(_) => self.elect(ctx),
                _ if lost => self.step = Step::Lost { create: false },
                _ => {}
            },
            _ => {}
        }
    }

    /// A watch fired: our predecessor is gone — back to step 2.
    pub fn on_watch(&mut self, kind: EventType, path: &str, ctx: &mut Ctx<'_>) {
        let Step::Watching { predecessor, .. } = &self.step else {
            return;
        };
        if predecessor != path {
            return;
        }
        if kind == EventType::NodeDeleted {
            self.elect(ctx);
        } else {
            // Some other change used up the one-shot watch: set it again.
            let predecessor = predecessor.clone();
            self.watch_predecessor(predecessor, ctx);
        }
    }
}
