//! The simulator as a producer of [`Picture`]s: what the page draws of a simulated run at its
//! current moment. Everything a picture holds is read here, once, so that the page never
//! reads the simulator itself.
//!
//! Imports [`crate::actor`], [`crate::ids`], [`crate::picture`] and its siblings in [`crate::sim`].

use crate::actor::role::ProcessRole;
use crate::actor::trace::{Strand, TraceEvent, TraceKind};
use crate::ids::{ProcessId, SessionId};
use crate::picture::{
    role_watch_edges, EventFilter, Failure, Flight, History, Liveness, Narration, Picture,
    ProcessPicture, ResourcePicture, ServerPicture, Source, SplitBrain, ZnodePicture,
};
use crate::sim::process::{Process, Status};
use crate::sim::zoo_cfg::zoo_cfg;
use crate::sim::Sim;
use std::collections::BTreeMap;

/// How far back in the story a picture looks for the latest change of leadership.
const HEADLINE_DEPTH: usize = 5_000;

/// How many of the newest events a picture looks through for the filter's (an actor filter
/// that matches little must not make every frame read the whole window).
const SCANNED: usize = 20_000;

impl Sim {
    /// The picture of this moment, carrying the narrated events `events` asks for.
    pub fn picture(&self, events: &EventFilter) -> Picture {
        let leaders = self.leaders();
        let deadlines = self.session_deadlines();
        let processes: Vec<ProcessPicture> = self
            .processes()
            .map(|p| self.process_picture(p, &leaders, &deadlines))
            .collect();
        Picture {
            source: Source::Simulation,
            now: self.now(),
            wall_ms: self.wall().0,
            recipe: Some(self.recipe()),
            servers: self
                .servers()
                .map(|s| ServerPicture {
                    id: s.id(),
                    role: s.role(),
                    last_zxid: s.committed(),
                    clients: s.clients().count(),
                    config: Some(zoo_cfg(self.config())),
                    silent_since: None,
                })
                .collect(),
            watches: role_watch_edges(&processes),
            failure: Failure::latest(self.tally().reigns(), &processes),
            split_brain: self.split_brain(&leaders),
            processes,
            tree: self.tree_picture(),
            flights: self.flights_picture(),
            cut_off: self.network().isolated().collect(),
            resource: Some(ResourcePicture {
                highest: self.resource().highest(),
                accepted: self.resource().accepted,
                rejected: self.resource().rejected,
            }),
            events: self.narrations(events),
            headline: self.headline(),
        }
    }

    fn process_picture(
        &self,
        p: &Process,
        leaders: &[ProcessId],
        deadlines: &BTreeMap<SessionId, i64>,
    ) -> ProcessPicture {
        let session = p.client().session();
        ProcessPicture {
            id: p.id(),
            kind: p.kind(),
            role: p.role(),
            liveness: match p.status() {
                Status::Running => Liveness::Running,
                Status::Paused { .. } => Liveness::Paused,
                Status::Crashed => Liveness::Crashed,
                Status::Stopped => Liveness::Stopped,
            },
            believes_leader: p.believes_leader(),
            stale: p.believes_leader() && !leaders.contains(&p.id()),
            candidate: p.candidate().map(|c| c.path.clone()),
            server: p.client().server(),
            connected: p.client().is_connected(),
            disconnected_since: p.client().disconnected_since(),
            session,
            session_left_ms: session
                .and_then(|s| deadlines.get(&s))
                .map(|deadline| u64::try_from(deadline - self.wall().0).unwrap_or(0)),
            can_restart: p.can_restart(),
            woken_at: p.woken_at(),
        }
    }

    /// When the leading server expires each session (wall-clock ms), as its tracker sees it.
    fn session_deadlines(&self) -> BTreeMap<SessionId, i64> {
        let mut deadlines = BTreeMap::new();
        if let Some(tracked) = self
            .leader_server()
            .and_then(|l| self.server(l))
            .and_then(|s| s.session_deadlines())
        {
            // Inserted one by one: collecting would sort them again (and bring a sort routine
            // into the page for this one type).
            deadlines.extend(tracked.map(|(s, at)| (s, at.0)));
        }
        deadlines
    }

    /// The banner, when more than one process believes it leads.
    fn split_brain(&self, leaders: &[ProcessId]) -> Option<SplitBrain> {
        SplitBrain::of(self.believers(), leaders)
    }

    /// The freshest server's tree.
    fn tree_picture(&self) -> BTreeMap<String, ZnodePicture> {
        let Some(server) = self.freshest_server() else {
            return BTreeMap::new();
        };
        // Extended, not collected: the tree lists its paths in order already, and collecting
        // would sort them again.
        let mut tree = BTreeMap::new();
        tree.extend(server.replica().tree().iter().map(|(path, node)| {
            (
                path.to_owned(),
                ZnodePicture {
                    kind: node.kind(),
                    data: node.data().map(|d| String::from_utf8_lossy(d).into_owned()),
                    stat: node.stat(),
                    children: node.children().map(str::to_owned).collect(),
                },
            )
        }));
        tree
    }

    fn flights_picture(&self) -> Vec<Flight> {
        let now = self.now();
        self.flights()
            .filter(|f| f.arrives > f.sent)
            .map(|f| Flight {
                from: f.from,
                to: f.to,
                kind: f.kind,
                progress: (now.since(f.sent) as f64 / f.arrives.since(f.sent) as f64)
                    .clamp(0.0, 1.0),
            })
            .collect()
    }

    /// The newest events `filter` admits, newest first. The story is kept apart from the
    /// heartbeats (a quiet cluster's pings would push it out of the window of recent events).
    fn narrations(&self, filter: &EventFilter) -> Vec<Narration> {
        let events = match filter.strand {
            Some(Strand::Story) => self.story(),
            _ => self.trace(),
        };
        events
            .iter()
            .rev()
            .take(SCANNED)
            .filter(|e| filter.admits(e.kind.strand(), &e.actors))
            .take(filter.limit)
            .map(|e| Narration {
                seq: e.seq,
                time: e.time,
                strand: e.kind.strand(),
                actors: e.actors.clone(),
                text: e.narrate(),
            })
            .collect()
    }

    /// What the plots draw of the run so far: its reigns, and messages per completed second
    /// (the second under way is not over: counting it would show a false drop).
    pub fn history(&self) -> History {
        let tally = self.tally();
        let complete = usize::try_from(self.now().ms() / 1000).unwrap_or(usize::MAX);
        let per_second = tally.messages_per_second();
        History {
            reigns: tally.reigns().to_vec(),
            messages_per_second: per_second[..complete.min(per_second.len())].to_vec(),
            now: self.now(),
        }
    }

    /// The latest change of leadership: a leader elected, crashed, or split brain.
    fn headline(&self) -> Option<String> {
        self.story()
            .iter()
            .rev()
            .take(HEADLINE_DEPTH)
            .find(|e| {
                matches!(
                    &e.kind,
                    TraceKind::SplitBrain { .. }
                        | TraceKind::ProcessRole {
                            role: ProcessRole::Leader | ProcessRole::Crashed,
                            ..
                        }
                )
            })
            .map(TraceEvent::narrate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::role::ServerRole;
    use crate::ids::Endpoint;
    use crate::ids::SimTime;
    use crate::picture::Action;
    use crate::recipe::RecipeKind;
    use crate::sim::{Command, Config};

    fn settled(recipe: RecipeKind) -> Sim {
        let mut sim = Sim::new(Config {
            recipe,
            ..Config::default()
        });
        sim.run_until(SimTime(20_000));
        sim
    }

    #[test]
    fn a_settled_run_pictures_one_leader_and_a_chain_of_watches() {
        let sim = settled(RecipeKind::Successor);
        let picture = sim.picture(&EventFilter::default());
        let leaders: Vec<&ProcessPicture> = picture
            .processes
            .iter()
            .filter(|p| p.role == ProcessRole::Leader)
            .collect();
        assert_eq!(leaders.len(), 1);
        assert_eq!(picture.watches.len(), picture.processes.len() - 1);
        // Every watch points at the process just before it: each owner is known.
        assert!(picture.watches.iter().all(|w| w.owner.is_some()));
        assert_eq!(
            picture
                .servers
                .iter()
                .filter(|s| matches!(s.role, ServerRole::Leading(_)))
                .count(),
            1
        );
        assert!(picture.tree.contains_key("/election"));
        assert_eq!(
            picture.tree["/election"].children.len(),
            picture.processes.len()
        );
        assert!(picture.split_brain.is_none());
        assert!(picture
            .headline
            .as_deref()
            .is_some_and(|h| h.contains("leader")));
        assert!(picture.events.len() <= 150 && !picture.events.is_empty());
        assert!(picture
            .events
            .windows(2)
            .all(|w| w[0].seq > w[1].seq && w[0].strand == Strand::Story));
    }

    /// Kills the leader of a settled run of `recipe` and lets the next one take over: the
    /// killed leader, and the picture's failure.
    fn failed(recipe: RecipeKind) -> (ProcessId, Option<crate::picture::Failure>) {
        let mut sim = settled(recipe);
        assert!(sim.picture(&EventFilter::default()).failure.is_none());
        let leader = sim.leaders()[0];
        let killed_at = sim.now() + 1;
        sim.command_at(killed_at, Command::Act(Action::KillProcess(leader)));
        sim.run_until(sim.now() + 20_000);
        let failure = sim.picture(&EventFilter::default()).failure;
        assert_eq!(
            failure.as_ref().map(|f| (f.leader, f.at)),
            Some((leader, killed_at))
        );
        (leader, failure)
    }

    #[test]
    fn a_failure_pictures_whom_it_woke_one_successor_or_the_herd() {
        let (leader, failure) = failed(RecipeKind::Successor);
        let woken = failure.map(|f| f.woken).unwrap_or_default();
        assert_eq!(woken.len(), 1, "{woken:?}");
        assert_ne!(woken[0], leader);
        let (leader, failure) = failed(RecipeKind::Herd);
        let woken = failure.map(|f| f.woken).unwrap_or_default();
        assert_eq!(woken.len(), 4, "{woken:?}");
        assert!(!woken.contains(&leader));
    }

    /// The caption says a failure while it is the news: not for a leader that is only paused
    /// (it still believes it leads), and no longer once a leader has led again for a while.
    #[test]
    fn a_failure_is_captioned_while_it_is_the_news() {
        let mut sim = settled(RecipeKind::Successor);
        let leader = sim.leaders()[0];
        sim.command_at(
            sim.now() + 1,
            Command::Act(Action::PauseProcess(leader, 30_000)),
        );
        sim.run_until(sim.now() + 500);
        assert_eq!(
            sim.picture(&EventFilter::default()).failure_caption(),
            Some(format!(
                "{leader} is paused while leading: it still believes it leads"
            ))
        );
        let mut sim = settled(RecipeKind::Successor);
        let leader = sim.leaders()[0];
        sim.command_at(sim.now() + 1, Command::Act(Action::KillProcess(leader)));
        assert!(sim.run_while(sim.now() + 20_000, |s| s
            .leaders()
            .first()
            .is_some_and(|l| *l != leader)));
        assert_eq!(
            sim.picture(&EventFilter::default()).failure_caption(),
            Some(format!("{leader} stopped leading: 1 process woken"))
        );
        sim.run_until(sim.now() + 15_000);
        assert_eq!(sim.picture(&EventFilter::default()).failure_caption(), None);
    }

    #[test]
    fn a_herd_process_watches_the_whole_directory() {
        let sim = settled(RecipeKind::Herd);
        let picture = sim.picture(&EventFilter::default());
        assert!(!picture.watches.is_empty());
        assert!(picture
            .watches
            .iter()
            .all(|w| w.owner.is_none() && w.path == crate::recipe::ELECTION));
    }

    #[test]
    fn a_paused_leader_past_its_session_is_pictured_stale_with_a_banner() {
        let mut sim = settled(RecipeKind::Successor);
        let leader = sim.leaders()[0];
        sim.apply(Command::Act(Action::PauseProcess(leader, 12_000)));
        sim.run_until(sim.now() + 9_000);
        let picture = sim.picture(&EventFilter::default());
        let paused = picture
            .processes
            .iter()
            .find(|p| p.id == leader)
            .map(|p| (p.liveness, p.stale, p.role_label()));
        assert_eq!(
            paused,
            Some((
                Liveness::Paused,
                true,
                "paused (believes it leads)".to_owned()
            ))
        );
        let banner = picture.split_brain.map(|b| b.describe());
        assert!(
            banner.as_deref().is_some_and(|b| b.contains("Split brain")),
            "{banner:?}"
        );
    }

    #[test]
    fn the_filter_chooses_the_events() {
        let sim = settled(RecipeKind::Successor);
        let messages = sim.picture(&EventFilter {
            strand: Some(Strand::Message),
            actor: Some("zk1".into()),
            limit: 20,
        });
        assert_eq!(messages.events.len(), 20);
        assert!(messages.events.iter().all(|e| e.strand == Strand::Message
            && e.actors
                .contains(&Endpoint::Server(crate::ids::ServerId(1)))));
    }
}
