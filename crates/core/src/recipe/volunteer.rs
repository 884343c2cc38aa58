//! Step 1 of both recipes, with its one hard case: create our ephemeral sequential candidate,
//! and if the connection is lost before the answer comes, find out whether the server made it
//! anyway — without ever leaving a second candidate behind.
//!
//! ZooKeeper's recipe recognises its own candidate by a GUID in the name. The session itself
//! can say it: `getEphemerals("/election/")` lists the session's own ephemerals, so the names
//! stay the lecture's `c_0000000003`. The `sync` before it makes the server we reconnected to
//! catch up with everything the leader has proposed — including a create still in flight when
//! the connection broke.
//!
//! Imports [`crate::zk`]; outside the crate, `serde`.

use super::{Candidate, Ctx, CANDIDATE_PREFIX, ELECTION};
use crate::zk::error::KeeperError;
use crate::zk::op::{Op, OpResult, Reply};
use crate::zk::znode::CreateMode;
use serde::{Deserialize, Serialize};

/// Where volunteering stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Volunteer {
    /// The create is in flight.
    Creating(i32),
    /// `/election` did not exist: creating it first.
    MakingParent(i32),
    /// The connection was lost while creating: resume once reconnected.
    Lost,
    /// Catching the server up with the leader before asking.
    Syncing(i32),
    /// Asking the session which candidate is ours.
    FindingOwn(i32),
    /// Reading our candidate's stat, for its token.
    ReadingOwn {
        /// The `exists` in flight.
        xid: i32,
        /// Our candidate.
        path: String,
    },
}

/// What a reply meant for volunteering.
pub enum Outcome {
    /// Still at it.
    Pending(Volunteer),
    /// We have a candidate.
    Done(Candidate),
}

impl Volunteer {
    /// Creates our candidate.
    pub fn start(ctx: &mut Ctx<'_>) -> Volunteer {
        let op = Op::Create {
            path: CANDIDATE_PREFIX.to_owned(),
            data: Some(ctx.process.to_string().into_bytes()),
            mode: CreateMode::EphemeralSequential,
        };
        Volunteer::Creating(ctx.submit(op))
    }

    /// Reconnected: if the create was lost, find out whether it happened.
    pub fn resume(self, ctx: &mut Ctx<'_>) -> Volunteer {
        match self {
            Volunteer::Lost => Volunteer::Syncing(ctx.submit(Op::Sync {
                path: ELECTION.to_owned(),
            })),
            other => other,
        }
    }

    /// A reply came back.
    pub fn on_reply(self, xid: i32, reply: &Reply, ctx: &mut Ctx<'_>) -> Outcome {
        let lost = matches!(reply, Err(KeeperError::ConnectionLoss(_)));
        let next = match &self {
            Volunteer::Creating(x) if *x == xid => match reply {
                Ok(OpResult::Created { path, stat }) => {
                    return Outcome::Done(Candidate {
                        path: path.clone(),
                        token: stat.czxid,
                    })
                }
                Err(KeeperError::NoNode(_)) => Volunteer::MakingParent(ctx.submit(Op::Create {
                    path: ELECTION.to_owned(),
                    data: None,
                    mode: CreateMode::Persistent,
                })),
                _ if lost => Volunteer::Lost,
                _ => self,
            },
            Volunteer::MakingParent(x) if *x == xid => {
                if lost {
                    Volunteer::Lost
                } else {
                    Volunteer::start(ctx)
                }
            }
            Volunteer::Syncing(x) if *x == xid => match reply {
                Ok(_) => Volunteer::FindingOwn(ctx.submit(Op::GetEphemerals {
                    prefix: format!("{ELECTION}/"),
                })),
                _ => Volunteer::Lost,
            },
            Volunteer::FindingOwn(x) if *x == xid => match reply {
                Ok(OpResult::Ephemerals(paths)) => {
                    match paths.iter().find(|p| p.starts_with(CANDIDATE_PREFIX)) {
                        Some(own) => Volunteer::ReadingOwn {
                            xid: ctx.submit(Op::Exists {
                                path: own.clone(),
                                watch: false,
                            }),
                            path: own.clone(),
                        },
                        // The create never happened: volunteer for real.
                        None => Volunteer::start(ctx),
                    }
                }
                _ => Volunteer::Lost,
            },
            Volunteer::ReadingOwn { xid: x, path } if *x == xid => match reply {
                Ok(OpResult::Exists(Some(stat))) => {
                    return Outcome::Done(Candidate {
                        path: path.clone(),
                        token: stat.czxid,
                    })
                }
                Ok(_) => Volunteer::start(ctx),
                _ => Volunteer::Lost,
            },
            _ => self,
        };
        Outcome::Pending(next)
    }
}
