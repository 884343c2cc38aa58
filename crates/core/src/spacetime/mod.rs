//! The space-time diagram, as Lamport drew it: one lifeline per actor with time flowing down,
//! every message an arrow from its send to its delivery, and what happens on a lifeline — a
//! commit, a session's expiry, a watch firing, a timer — a mark on it, with its changes of role
//! as labels. The animated picture shows what is happening now; the diagram shows the *order*
//! of what happened: that the proposal was acknowledged by a quorum before it was committed,
//! that the expiry's commit came before the successor's `NodeDeleted`.
//!
//! Built from the trace, so the page draws and a test reads the same diagram.
//!
//! Imports [`crate::actor`], [`crate::ids`], [`crate::picture`] and [`crate::zk`]'s paths;
//! outside the crate, `litemap`.

use crate::actor::message::MessageKind;
use crate::actor::role::{KeeperState, ProcessRole, ServerRole};
use crate::actor::trace::{TraceEvent, TraceKind};
use crate::ids::{Endpoint, SimTime, Zxid};
use crate::picture::{Picture, ProcessKind};
use litemap::LiteMap;
use std::collections::VecDeque;

pub mod family;

use family::Family;

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// It arrived and was read.
    Delivered,
    /// It is still on its way at the diagram's last moment.
    InFlight,
    /// The link was cut: lost at the send (drawn ending in a cross).
    Cut,
    /// It arrived on a connection its receiver had already closed: never read.
    Unread,
}

/// One message: an arrow from `from`'s lifeline at `sent` to `to`'s at `arrives`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrow {
    /// The trace position of its send (its loss, for a cut message).
    pub seq: u64,
    /// The trace position of its arrival, once it arrived.
    pub arrival_seq: Option<u64>,
    /// Sender.
    pub from: Endpoint,
    /// Receiver.
    pub to: Endpoint,
    /// What kind of message.
    pub kind: MessageKind,
    /// When it was sent.
    pub sent: SimTime,
    /// When it arrives (for a cut message, when it was lost: its send).
    pub arrives: SimTime,
    /// What became of it.
    pub fate: Fate,
    /// The message in words: its type and fields (zxid, epoch, path, session).
    pub what: String,
    /// The sentence the event log has for it.
    pub narration: String,
    /// How many pings this arrow stands for when repeated pings are collapsed (1 otherwise).
    pub repeats: u32,
    /// When the last message it stands for was sent (its own send, unless it stands for a
    /// run of pings).
    pub until: SimTime,
}

impl Arrow {
    /// The arrow of the message `e` sends (or loses), arriving at `arrives`; described and
    /// narrated once it is known to be drawn ([`Arrow::told`]).
    fn new(
        e: &TraceEvent,
        (from, to): (Endpoint, Endpoint),
        kind: MessageKind,
        arrives: SimTime,
        fate: Fate,
    ) -> Arrow {
        Arrow {
            seq: e.seq,
            arrival_seq: None,
            from,
            to,
            kind,
            sent: e.time,
            arrives,
            fate,
            what: String::new(),
            narration: String::new(),
            repeats: 1,
            until: e.time,
        }
    }

    /// The arrow with its message's description and narration from `e`, its send (or loss).
    fn told(self, e: &TraceEvent) -> Arrow {
        let what = match &e.kind {
            TraceKind::Sent { what, .. } | TraceKind::Dropped { what, .. } => what.clone(),
            _ => String::new(),
        };
        Arrow {
            what,
            narration: e.narrate(),
            ..self
        }
    }
}

/// What a mark on a lifeline records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// The leader committed a transaction.
    Committed,
    /// The leader expired a session.
    SessionExpired,
    /// A server fired a watch (its notification is the arrow that follows).
    WatchFired,
    /// A server answered a `sync`.
    SyncAnswered,
    /// A timer fired.
    Timer,
    /// More than one process believes it leads.
    SplitBrain,
    /// The resource judged a fenced write.
    FencedWrite,
    /// The user did something: a fault, a change of configuration.
    Command,
}

impl MarkKind {
    /// Its `data-kind`.
    pub fn id(self) -> &'static str {
        match self {
            MarkKind::Committed => "committed",
            MarkKind::SessionExpired => "session-expired",
            MarkKind::WatchFired => "watch-fired",
            MarkKind::SyncAnswered => "sync-answered",
            MarkKind::Timer => "timer",
            MarkKind::SplitBrain => "split-brain",
            MarkKind::FencedWrite => "fenced-write",
            MarkKind::Command => "command",
        }
    }
}

/// Something that happened on one lifeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Its trace position.
    pub seq: u64,
    /// Whose lifeline.
    pub actor: Endpoint,
    /// When.
    pub at: SimTime,
    /// What kind of thing.
    pub kind: MarkKind,
    /// The transaction, if any.
    pub zxid: Option<Zxid>,
    /// The sentence the event log has for it.
    pub narration: String,
}

/// A change of role, written on the lifeline from the moment it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLabel {
    /// Its trace position.
    pub seq: u64,
    /// When.
    pub at: SimTime,
    /// The role in the lecture's words: `LOOKING`, `LEADING (epoch 2)`, `following zk3`,
    /// `leader of the election`.
    pub text: String,
}

/// One actor's line down the diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifeline {
    /// Whose.
    pub actor: Endpoint,
    /// The role it had when the span begins, then its changes within the span.
    pub roles: Vec<RoleLabel>,
}

/// What the viewer chose to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The lifelines, in the order drawn.
    pub lifelines: Vec<Endpoint>,
    /// The families of message hidden.
    pub hidden: Vec<Family>,
    /// Whether timers are marked (a steady cluster's many heartbeat timers hide the rest).
    pub timers: bool,
    /// Whether a run of pings on one link with nothing else between them is one arrow.
    pub collapse_pings: bool,
    /// The first moment drawn.
    pub from: SimTime,
    /// The last moment drawn.
    pub to: SimTime,
}

/// The diagram of a span of a run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagram {
    /// The first moment drawn.
    pub from: SimTime,
    /// The first moment the trace still holds (a front-end keeps only the newest events):
    /// nothing is known of what came before it.
    pub kept_from: SimTime,
    /// The last moment drawn.
    pub to: SimTime,
    /// The lifelines, in the order drawn.
    pub lifelines: Vec<Lifeline>,
    /// The messages between two of the lifelines, in the order sent.
    pub arrows: Vec<Arrow>,
    /// What happened on the lifelines, in order.
    pub marks: Vec<Mark>,
}

/// Up to this many candidates, a diagram starts with every one of them.
const EVERY_CANDIDATE_UP_TO: usize = 8;
/// A diagram starts with at most this many of the processes a failure woke: the herd's 999
/// would be 999 lanes, and four show what happened to all of them.
const WOKEN_DRAWN: usize = 4;

/// The lifelines a diagram starts with: every server, the processes of the latest leader
/// failure — the leader that failed, the processes its failure woke (the first four) and the
/// leader now — or every candidate while there are at most eight, the console's client when the user has opened one, and the
/// resource when there is one. At a thousand processes this is what a failure is about; the
/// viewer adds any other.
pub fn default_lifelines(picture: &Picture) -> Vec<Endpoint> {
    let mut chosen: Vec<Endpoint> = picture
        .servers
        .iter()
        .map(|s| Endpoint::Server(s.id))
        .collect();
    let candidates = picture
        .processes
        .iter()
        .filter(|p| p.kind != ProcessKind::Console);
    if candidates.clone().count() <= EVERY_CANDIDATE_UP_TO {
        chosen.extend(candidates.map(|p| Endpoint::Process(p.id)));
    } else {
        let mut involved: Vec<_> = picture
            .failure
            .iter()
            .flat_map(|f| {
                let woken = f.woken.iter().copied().take(WOKEN_DRAWN);
                std::iter::once(f.leader).chain(woken)
            })
            .chain(candidates.filter(|p| p.believes_leader).map(|p| p.id))
            .collect();
        involved.sort_unstable();
        involved.dedup();
        chosen.extend(involved.into_iter().map(Endpoint::Process));
    }
    chosen.extend(
        picture
            .processes
            .iter()
            .filter(|p| p.kind == ProcessKind::Console)
            .map(|p| Endpoint::Process(p.id)),
    );
    if picture.resource.is_some() {
        chosen.push(Endpoint::Resource);
    }
    chosen
}

impl Diagram {
    /// The diagram of `events` (a run's kept trace, oldest first) as `view` chooses: the
    /// messages between two chosen lifelines that are in the air at some moment of the span,
    /// and the marks and roles within it.
    pub fn of(events: &[TraceEvent], view: &View) -> Diagram {
        let shown = |e: &Endpoint| view.lifelines.contains(e);
        let mut lifelines: Vec<Lifeline> = view
            .lifelines
            .iter()
            .map(|&actor| Lifeline {
                actor,
                roles: Vec::new(),
            })
            .collect();
        // Each arrow with the position of its send (or loss) in `events`: what it says is
        // copied only for the arrows drawn, a small part of a long trace's messages.
        let mut arrows: Vec<(Arrow, usize)> = Vec::new();
        // The arrows still in the air on each link, in the order sent: links are FIFO, so the
        // next arrival on a link is its oldest message.
        let mut in_air: LiteMap<(Endpoint, Endpoint), VecDeque<usize>> = LiteMap::new();
        let mut marks = Vec::new();
        let said = |i: usize| match events.get(i).map(|e| &e.kind) {
            Some(TraceKind::Sent { what, .. }) => what.as_str(),
            _ => "",
        };
        for (i, e) in events
            .iter()
            .enumerate()
            .take_while(|(_, e)| e.time <= view.to)
        {
            match &e.kind {
                TraceKind::Sent {
                    from,
                    to,
                    kind,
                    arrives,
                    ..
                } if shown(from) && shown(to) => {
                    in_air
                        .entry((*from, *to))
                        .or_default()
                        .push_back(arrows.len());
                    let arrow = Arrow::new(e, (*from, *to), *kind, *arrives, Fate::InFlight);
                    arrows.push((arrow, i));
                }
                TraceKind::Delivered { from, to, what, .. }
                | TraceKind::Stale { from, to, what, .. } => {
                    // The oldest message on the link, if this is its arrival: an arrival whose
                    // send is older than the kept trace matches none.
                    let link = in_air.get_mut(&(*from, *to));
                    let landed = link
                        .and_then(|queue| {
                            let &first = queue.front()?;
                            let (arrow, sent) = arrows.get(first)?;
                            (arrow.arrives == e.time && said(*sent) == what)
                                .then(|| queue.pop_front())
                                .flatten()
                        })
                        .and_then(|i| arrows.get_mut(i));
                    if let Some((arrow, _)) = landed {
                        arrow.arrival_seq = Some(e.seq);
                        arrow.fate = if matches!(e.kind, TraceKind::Stale { .. }) {
                            Fate::Unread
                        } else {
                            Fate::Delivered
                        };
                    }
                }
                TraceKind::Dropped { from, to, kind, .. } if shown(from) && shown(to) => {
                    let arrow = Arrow::new(e, (*from, *to), *kind, e.time, Fate::Cut);
                    arrows.push((arrow, i));
                }
                TraceKind::ServerRole { server, role } => {
                    let actor = Endpoint::Server(*server);
                    label(&mut lifelines, actor, e, || server_role(*role));
                }
                TraceKind::ProcessRole { process, role }
                | TraceKind::Resumed { process, role, .. } => {
                    let actor = Endpoint::Process(*process);
                    label(&mut lifelines, actor, e, || process_role(role));
                }
                TraceKind::ClientState { process, state } => {
                    let actor = Endpoint::Process(*process);
                    label(&mut lifelines, actor, e, || client_state(*state));
                }
                _ if e.time < view.from => {}
                other => {
                    let (kind, on) = match other {
                        TraceKind::Committed { server, .. } => {
                            (MarkKind::Committed, vec![Endpoint::Server(*server)])
                        }
                        TraceKind::SessionExpired { server, .. } => {
                            (MarkKind::SessionExpired, vec![Endpoint::Server(*server)])
                        }
                        TraceKind::WatchFired { server, .. } => {
                            (MarkKind::WatchFired, vec![Endpoint::Server(*server)])
                        }
                        TraceKind::SyncAnswered { server, .. } => {
                            (MarkKind::SyncAnswered, vec![Endpoint::Server(*server)])
                        }
                        TraceKind::Timer { actor, .. } if view.timers => {
                            (MarkKind::Timer, vec![*actor])
                        }
                        TraceKind::SplitBrain { leaders } => (
                            MarkKind::SplitBrain,
                            leaders.iter().copied().map(Endpoint::Process).collect(),
                        ),
                        TraceKind::FencedWrite { .. } => {
                            (MarkKind::FencedWrite, vec![Endpoint::Resource])
                        }
                        TraceKind::Command { .. } => (MarkKind::Command, e.actors.clone()),
                        _ => continue,
                    };
                    marks.extend(on.into_iter().filter(|a| shown(a)).map(|actor| Mark {
                        seq: e.seq,
                        actor,
                        at: e.time,
                        kind,
                        zxid: e.zxid,
                        narration: e.narrate(),
                    }));
                }
            }
        }
        // Each lifeline starts with the role it had when the span begins.
        for line in &mut lifelines {
            let before = line.roles.iter().filter(|r| r.at < view.from).count();
            line.roles.drain(..before.saturating_sub(1));
        }
        // The arrows in the air at some moment of the span, of the families shown.
        arrows.retain(|(a, _)| {
            a.arrives >= view.from
                && a.sent <= view.to
                && !view.hidden.contains(&Family::of(a.kind))
        });
        if view.collapse_pings {
            arrows = collapse_pings(arrows);
        }
        let arrows = arrows
            .into_iter()
            .filter_map(|(arrow, i)| Some(arrow.told(events.get(i)?)))
            .collect();
        Diagram {
            from: view.from,
            kept_from: events.first().map_or(SimTime::ZERO, |e| e.time),
            to: view.to,
            lifelines,
            arrows,
            marks,
        }
    }
}

/// Writes a change of role on its lifeline, if that is drawn (only then is it put in words).
fn label(
    lifelines: &mut [Lifeline],
    actor: Endpoint,
    e: &TraceEvent,
    text: impl FnOnce() -> String,
) {
    if let Some(line) = lifelines.iter_mut().find(|l| l.actor == actor) {
        line.roles.push(RoleLabel {
            seq: e.seq,
            at: e.time,
            text: text(),
        });
    }
}

/// A server's role as ZooKeeper's `srvr` names it.
fn server_role(role: ServerRole) -> String {
    match role {
        ServerRole::Down => "DOWN".to_owned(),
        ServerRole::Looking => "LOOKING".to_owned(),
        ServerRole::Following(leader) => format!("FOLLOWING {leader}"),
        ServerRole::Leading(epoch) => format!("LEADING (epoch {epoch})"),
        ServerRole::Standalone => "STANDALONE".to_owned(),
    }
}

/// A process's role in the election, in the lecture's words.
fn process_role(role: &ProcessRole) -> String {
    match role {
        ProcessRole::Connecting => "connecting".to_owned(),
        ProcessRole::Volunteering => "1: volunteering".to_owned(),
        ProcessRole::Electing => "2: reading the candidates".to_owned(),
        ProcessRole::Watching(predecessor) => {
            format!("3: watching {}", crate::zk::path::name(predecessor))
        }
        ProcessRole::WatchingAll => "3: watching every candidate".to_owned(),
        ProcessRole::Leader => "leader of the election".to_owned(),
        ProcessRole::Crashed => "crashed".to_owned(),
        ProcessRole::Paused => "paused".to_owned(),
        ProcessRole::Stopped => "stopped".to_owned(),
        ProcessRole::SessionExpired => "session expired".to_owned(),
        ProcessRole::Console => "the console's client".to_owned(),
    }
}

/// A client library's state as ZooKeeper's `KeeperState` names it.
fn client_state(state: KeeperState) -> String {
    match state {
        KeeperState::SyncConnected => "SyncConnected",
        KeeperState::Disconnected => "Disconnected",
        KeeperState::Expired => "Expired",
        KeeperState::Closed => "Closed",
    }
    .to_owned()
}

/// Merges each run of pings on one link — consecutive in the order sent, with no other message
/// on the link between them — into its first arrow, counting the run. Each arrow comes with
/// the position of its send.
fn collapse_pings(arrows: Vec<(Arrow, usize)>) -> Vec<(Arrow, usize)> {
    let mut kept: Vec<(Arrow, usize)> = Vec::with_capacity(arrows.len());
    // The kept ping that starts the current run of each link, if its run is unbroken.
    let mut runs: LiteMap<(Endpoint, Endpoint), Option<usize>> = LiteMap::new();
    for (arrow, sent) in arrows {
        let run = runs.entry((arrow.from, arrow.to)).or_default();
        if arrow.kind != MessageKind::Ping {
            *run = None;
            kept.push((arrow, sent));
            continue;
        }
        match run.and_then(|i| kept.get_mut(i)) {
            Some((first, _)) => {
                first.repeats += 1;
                first.until = arrow.sent;
            }
            None => {
                *run = Some(kept.len());
                kept.push((arrow, sent));
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests;
