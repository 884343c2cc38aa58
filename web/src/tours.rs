//! The guided tours: one per topic of the lecture, each a list of steps. A step is data — a
//! configuration, the commands given so far, the moment to show, the words to read and what
//! the step claims about the cluster — so the page sets the simulation to exactly the state
//! the narration describes (the core is deterministic), and the tests can check each claim.
//! A tour may also type zkCli lines into the console: they are run once, through the same
//! shell and session the console uses, and become commands of the run plus a transcript the
//! console shows.
//!
//! Imports from the page `model`; from the core `ids`, `picture`, `recipe`, `sim`, `spacetime`.

use crate::model::console::{Console, Resume};
use crate::model::diagram::{drawn, Lens, SPANS_MS};
use crate::model::{default_config, Run};
use std::rc::Rc;
use zooscope_core::ids::{Endpoint, ProcessId, ServerId, SimTime};
use zooscope_core::picture::Action;
use zooscope_core::picture::Picture;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::recording::Recording;
use zooscope_core::sim::{Command, Config};
use zooscope_core::spacetime::family::{kind_id, Family};
use zooscope_core::spacetime::Diagram;

/// What a step says is true on screen (checked by the browser tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Exactly this process leads.
    Leader(u32),
    /// No process leads.
    NoLeader,
    /// This many nodes (processes other than the console's client) are drawn.
    Nodes(usize),
    /// The process has this `data-role`.
    Role(u32, &'static str),
    /// The server has this `data-role`.
    Server(u8, &'static str),
    /// This znode exists.
    Znode(&'static str),
    /// This znode does not exist.
    NoZnode(&'static str),
    /// This many candidates under `/election`.
    Candidates(usize),
    /// The split-brain banner is shown.
    SplitBrain,
    /// No process watches anything yet.
    NoWatches,
    /// The picture's caption of the latest failure says this (`""`: it says nothing).
    Caption(&'static str),
    /// The process believes it leads, and the view marks it stale.
    StaleLeader(u32),
    /// The console shows this text.
    Console(&'static str),
    /// The console does not show this text.
    NoConsole(&'static str),
    /// Server N's zoo.cfg has a line with this key.
    ZooCfg(u8, &'static str),
    /// Server N's zoo.cfg has no line with this key.
    NoZooCfg(u8, &'static str),
    /// The process's session has lost its server and it is trying to reconnect.
    Disconnected(u32),
    /// The space-time diagram draws exactly this many arrows of this `data-kind`.
    Arrows(&'static str, usize),
    /// The space-time diagram has a mark of this `data-kind`.
    Marked(&'static str),
}

impl Claim {
    /// Whether the claim holds of `picture` and the space-time `diagram`, the console having
    /// printed `console` — what the browser tests check in the DOM, checked on the model.
    pub fn holds(&self, picture: &Picture, diagram: &Diagram, console: &str) -> bool {
        let process = |p: u32| picture.processes.iter().find(|q| q.id.0 == p);
        let server = |s: u8| picture.servers.iter().find(|q| q.id.0 == s);
        let leaders: Vec<u32> = picture
            .processes
            .iter()
            .filter(|p| p.role_name() == "leader")
            .map(|p| p.id.0)
            .collect();
        let has_key = |s: u8, key: &str| {
            server(s)
                .and_then(|q| q.config.as_deref())
                .is_some_and(|c| {
                    c.lines()
                        .any(|l| l.split_once('=').is_some_and(|(k, _)| k == key))
                })
        };
        match self {
            Claim::Leader(p) => leaders == [*p],
            Claim::NoLeader => leaders.is_empty(),
            Claim::Nodes(n) => {
                picture
                    .processes
                    .iter()
                    .filter(|p| p.role_name() != "console")
                    .count()
                    == *n
            }
            Claim::Role(p, role) => process(*p).is_some_and(|q| q.role_name() == *role),
            Claim::Server(s, role) => server(*s).is_some_and(|q| q.role_name() == *role),
            Claim::Znode(path) => picture.tree.contains_key(*path),
            Claim::NoZnode(path) => !picture.tree.contains_key(*path),
            Claim::Candidates(n) => {
                picture
                    .tree
                    .keys()
                    .filter(|p| p.starts_with("/election/c_"))
                    .count()
                    == *n
            }
            Claim::SplitBrain => picture.split_brain.is_some(),
            Claim::NoWatches => picture.watches.is_empty(),
            Claim::Caption(text) => picture.failure_caption().unwrap_or_default() == *text,
            Claim::Disconnected(p) => {
                process(*p).is_some_and(|q| !q.connected && q.disconnected_since.is_some())
            }
            Claim::StaleLeader(p) => process(*p).is_some_and(|q| q.stale),
            Claim::Console(text) => console.contains(text),
            Claim::NoConsole(text) => !console.contains(text),
            Claim::ZooCfg(s, key) => has_key(*s, key),
            Claim::NoZooCfg(s, key) => server(*s).is_some() && !has_key(*s, key),
            Claim::Arrows(kind, n) => {
                drawn(diagram)
                    .iter()
                    .filter(|a| kind_id(a.kind) == *kind)
                    .count()
                    == *n
            }
            Claim::Marked(kind) => diagram.marks.iter().any(|m| m.kind.id() == *kind),
        }
    }
}

/// One step of a tour.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Its heading.
    pub title: &'static str,
    /// What to read.
    pub text: &'static str,
    /// The run up to this step.
    pub recording: Recording,
    /// The moment shown.
    pub at: SimTime,
    /// What the console has printed by then (empty when the tour types nothing).
    pub console: Rc<str>,
    /// Where the console left off by then: its prompt and command count, which typing goes
    /// on from.
    pub console_resume: Option<Resume>,
    /// What is true then.
    pub claims: Vec<Claim>,
    /// What it shows in the space-time diagram, if it opens it.
    pub diagram: Option<TourDiagram>,
    /// Whether it opens the first server's `zoo.cfg` in its panel (the step explains it).
    pub zoo_cfg: bool,
}

/// What a step shows in the space-time diagram: the choices it opens it with, and the kinds of
/// arrow and mark it is about (highlighted).
#[derive(Debug, Clone, PartialEq)]
pub struct TourDiagram {
    /// The choices.
    pub lens: Lens,
    /// The `data-kind`s highlighted.
    pub about: &'static [&'static str],
}

/// A tour.
#[derive(Debug, Clone, PartialEq)]
pub struct Tour {
    /// Its title.
    pub title: &'static str,
    /// Its steps.
    pub steps: Vec<Step>,
    /// The step worth a screenshot.
    pub key_step: usize,
}

/// What a tour does at a moment of its run: types a line into the console, or acts as a
/// button does (a fault, a process added).
enum Beat {
    /// A zkCli line, entered as Enter does.
    Type(&'static str),
    /// A command, given as the page gives it.
    Do(Command),
}

/// A tour's whole run, from which each step shows a moment.
struct Story {
    config: Config,
    commands: Vec<(SimTime, Command)>,
    /// What the console printed, each piece with the moment it was complete and where the
    /// console then stood (prompt, command count).
    transcript: Vec<(SimTime, String, Option<Resume>)>,
}

impl Story {
    /// A story of commands only.
    fn new(config: &Config, commands: &[(SimTime, Command)]) -> Story {
        Story {
            config: config.clone(),
            commands: commands.to_vec(),
            transcript: Vec::new(),
        }
    }

    /// Plays `beats` at their moments, once, as the page would: lines typed into the console
    /// (which opens its own session on the first one) and commands given. What the console
    /// sends becomes commands of the run, so every step replays it exactly, and the steps of
    /// one story share one run: what an earlier step made is still there in a later one.
    fn played(config: &Config, beats: &[(u64, Beat)]) -> Story {
        let mut run = Run::new(config.clone());
        let mut console = Console::default();
        let mut transcript = Vec::new();
        for (at, beat) in beats {
            // What the console sends, or a button gives, takes effect at the next millisecond.
            let wait = at.saturating_sub(run.sim().now().ms() + 1);
            run.run_until(wait, |_| false);
            match beat {
                Beat::Type(line) => {
                    let printed = console.enter(&mut run, line);
                    transcript.push((run.sim().now(), printed, console.resume_point()));
                }
                // The tours' commands are within every limit (a test replays each step).
                Beat::Do(command) => drop(run.command(command.clone())),
            }
        }
        Story {
            config: config.clone(),
            commands: run.log().to_vec(),
            transcript,
        }
    }

    /// The step showing moment `at`: the commands given by then, the console's output by then.
    fn step(
        &self,
        title: &'static str,
        text: &'static str,
        at_ms: u64,
        claims: Vec<Claim>,
    ) -> Step {
        let at = SimTime(at_ms);
        let commands = self
            .commands
            .iter()
            .filter(|(t, _)| *t <= at)
            .cloned()
            .collect();
        let console: String = self
            .transcript
            .iter()
            .filter(|(t, ..)| *t <= at)
            .map(|(_, printed, _)| printed.as_str())
            .collect();
        let console_resume = self
            .transcript
            .iter()
            .rev()
            .find(|(t, ..)| *t <= at)
            .and_then(|(.., resume)| resume.clone());
        Step {
            title,
            text,
            recording: Recording::new(self.config.clone(), commands),
            at,
            console: console.into(),
            console_resume,
            claims,
            diagram: None,
            zoo_cfg: false,
        }
    }
}

impl Step {
    /// The step, opening the space-time diagram on the span of `span_ms` that ends at its
    /// moment, without the families `hidden`, highlighting the kinds it is `about`.
    fn showing(self, span_ms: u64, hidden: &[Family], about: &'static [&'static str]) -> Step {
        let lens = Lens {
            hidden: hidden.to_vec(),
            zoom: SPANS_MS.iter().position(|&s| s == span_ms).unwrap_or(0),
            ..Lens::default()
        };
        Step {
            diagram: Some(TourDiagram { lens, about }),
            ..self
        }
    }

    /// The step, opening the first server's `zoo.cfg` with each line explained.
    fn opening_zoo_cfg(self) -> Step {
        Step {
            zoo_cfg: true,
            ..self
        }
    }

    /// The step, its diagram drawing only the lifelines of `actors`, in this order.
    fn on(mut self, actors: &[Endpoint]) -> Step {
        if let Some(diagram) = &mut self.diagram {
            diagram.lens.lifelines = Some(actors.to_vec());
        }
        self
    }
}

/// The actors the tours' diagrams draw.
const ZK1: Endpoint = Endpoint::Server(ServerId(1));
const ZK2: Endpoint = Endpoint::Server(ServerId(2));
const ZK3: Endpoint = Endpoint::Server(ServerId(3));
const P1: Endpoint = Endpoint::Process(ProcessId(1));
const P2: Endpoint = Endpoint::Process(ProcessId(2));
const P5: Endpoint = Endpoint::Process(ProcessId(5));

fn config(recipe: RecipeKind) -> Config {
    Config {
        recipe,
        ..default_config()
    }
}

/// Every tour, in the lecture's order.
pub fn tours() -> Vec<Tour> {
    let successor = config(RecipeKind::Successor);
    let herd = config(RecipeKind::Herd);
    let kill = [(
        SimTime(3_001),
        Command::Act(Action::KillProcess(ProcessId(5))),
    )];
    let quiet = Story::new(&successor, &[]);
    let failure = Story::new(&successor, &kill);
    let herd_quiet = Story::new(&herd, &[]);
    let herd_failure = Story::new(&herd, &kill);
    let znodes = Story::played(
        &successor,
        &[
            (3_000, Beat::Type("create /demo lecture")),
            (4_000, Beat::Type("create -e /demo/eph lecture")),
            (5_000, Beat::Type("create -s /demo/seq- lecture")),
            (5_500, Beat::Type("create -s /demo/seq- lecture")),
            (6_000, Beat::Type("ls /demo")),
            (7_000, Beat::Type("close")),
        ],
    );
    let ensemble = Story::new(
        &successor,
        &[
            (
                SimTime(3_001),
                Command::Act(Action::KillServer(ServerId(3))),
            ),
            (
                SimTime(6_001),
                Command::Act(Action::KillServer(ServerId(2))),
            ),
            (
                SimTime(9_001),
                Command::Act(Action::RestartServer(ServerId(2))),
            ),
            (
                SimTime(9_002),
                Command::Act(Action::RestartServer(ServerId(3))),
            ),
        ],
    );
    let pause = Story::new(
        &successor,
        &[(
            SimTime(3_001),
            Command::Act(Action::PauseProcess(ProcessId(5), 8_000)),
        )],
    );
    let standalone = Story::new(
        &Config {
            servers: 1,
            ..successor.clone()
        },
        &[],
    );
    // Three servers set up, the console connected, then the ensemble's leader lost: one run,
    // so that what the console wrote is still there after the failure.
    let three = Story::played(
        &successor,
        &[
            (3_000, Beat::Type("ls /")),
            (3_500, Beat::Type("create /setup done")),
            (
                5_001,
                Beat::Do(Command::Act(Action::KillServer(ServerId(3)))),
            ),
        ],
    );
    vec![
        Tour {
            title: "1. Nodes, clusters and ZooKeeper",
            key_step: 1,
            steps: vec![
                quiet.step("Nodes", "Each circle is a node: a process on its own machine. Five of them form a cluster working on one task. They never talk to each other.", 0, vec![Claim::Nodes(5), Claim::NoLeader]),
                quiet.step("They talk to ZooKeeper", "Each node opens a session with one server of the ZooKeeper ensemble in the middle (the grey lines). The ensemble has an odd number of servers; one of them leads it.", 1_000, vec![Claim::Server(3, "leader"), Claim::Server(1, "follower")]),
                quiet.step("Coordination through ZooKeeper", "To agree on a leader, the nodes only read and write znodes in ZooKeeper — here, under /election.", 3_000, vec![Claim::Leader(5), Claim::Candidates(5)]),
            ],
        },
        Tour {
            title: "2. Znodes: persistent, ephemeral, sequential",
            key_step: 2,
            steps: vec![
                znodes.step("A persistent znode", "In the console, create /demo lecture makes a persistent znode: both a file (it holds the data \"lecture\") and a directory (it can have children). It stays until someone deletes it.", 3_900, vec![Claim::Znode("/demo"), Claim::Console("Created /demo")]),
                znodes.step("An ephemeral znode", "create -e makes /demo/eph ephemeral: it lives as long as the session that created it — the console's own, p6 in the picture.", 4_900, vec![Claim::Znode("/demo/eph"), Claim::Console("Created /demo/eph")]),
                znodes.step("Sequential znodes", "create -s asks the parent for a number, in creation order: the same command twice makes /demo/seq-0000000001, then /demo/seq-0000000002 (the counter had already counted eph). ls /demo lists all three.", 6_900, vec![Claim::Znode("/demo/seq-0000000001"), Claim::Znode("/demo/seq-0000000002"), Claim::Console("[eph, seq-0000000001, seq-0000000002]")]),
                znodes.step("The session ends", "close ends the console's session: its ephemeral znode is deleted at once; the persistent ones stay.", 8_000, vec![Claim::NoZnode("/demo/eph"), Claim::Znode("/demo"), Claim::Znode("/demo/seq-0000000002")]),
            ],
        },
        Tour {
            title: "3. Leader election in three steps",
            key_step: 2,
            steps: vec![
                quiet.step("Step 1: volunteer", "Every node creates an ephemeral sequential znode under /election: its candidate. All five exist now; no node has decided anything yet (each goes on to step 2 as soon as its own create returns).", 1_050, vec![Claim::NoLeader, Claim::Candidates(5), Claim::Role(1, "electing")]),
                quiet.step("Step 2: read the children", "Each node reads the children of /election and sorts them. Nobody has decided yet: no leader, and no watch.", 1_150, vec![Claim::Candidates(5), Claim::NoLeader, Claim::NoWatches, Claim::Role(5, "electing"), Claim::Role(3, "electing")]),
                quiet.step("Step 3: the smallest leads", "The node with the smallest candidate (c_0000000000) is the leader. Every other node watches only the candidate just before its own: the arrows.", 3_000, vec![Claim::Leader(5), Claim::Role(2, "follower"), Claim::Role(1, "follower")]),
                quiet.step("Behind step 1: propose, ack, commit", "The space-time diagram shows a quarter second of step 1, time flowing down. Each create goes to the node's server, which forwards it to the leading server, zk3; zk3 proposes it to zk1 and zk2 (proposal 0x10000000a: create /election/c_0000000000). Each follower acknowledges; with zk3 itself that is a quorum, so zk3 commits (the square on its line) and sends the commit on, and only then is the node told it exists.", 1_050, vec![Claim::Arrows("proposal", 10), Claim::Marked("committed")])
                    .showing(250, &[Family::Ping, Family::Election, Family::Watch, Family::Resource], &["proposal", "ack", "commit", "committed"])
                    .on(&[ZK1, ZK2, ZK3, P5, P2, P1]),
            ],
        },
        Tour {
            title: "4. Failure and the successor watch",
            key_step: 3,
            steps: vec![
                quiet.step("A leader", "p5 leads; p2 watches p5's candidate, c_0000000000.", 3_000, vec![Claim::Leader(5)]),
                failure.step("Kill the leader", "p5 crashes. ZooKeeper does not know yet: p5's session lives until its timeout passes without a heartbeat (the countdown).", 4_000, vec![Claim::NoLeader, Claim::Role(5, "crashed"), Claim::Candidates(5)]),
                failure.step("The successor takes over", "The session expires, the ephemeral candidate is deleted, and the one watch on it fires: only p2 wakes, reads the children again, finds itself smallest and leads. Nobody else moved.", 7_000, vec![Claim::Leader(2), Claim::Role(1, "follower"), Claim::Role(3, "follower"), Claim::Candidates(4)]),
                failure.step("The same, in order", "The space-time diagram puts the second it happens in order, time flowing down. p5 was killed at 3 s; at 5.4 s zk3 expires its session (the diamond), proposes closing it, and commits once a quorum has acknowledged (the square). Only then does zk2, applying the commit, fire the one watch on c_0000000000 (the triangle): a single NodeDeleted arrow, to p2, the successor, which reads the children and leads.", 6_000, vec![Claim::Arrows("watch-event", 1), Claim::Marked("session-expired"), Claim::Marked("committed"), Claim::Leader(2)])
                    .showing(1_000, &[Family::Ping, Family::Resource], &["session-expired", "committed", "watch-fired", "watch-event"])
                    .on(&[ZK1, ZK2, ZK3, P5, P2, P1]),
            ],
        },
        Tour {
            title: "5. The herd effect",
            key_step: 1,
            steps: vec![
                herd_quiet.step("Everyone watches everything", "With the herd recipe, every node that is not the smallest watches all of /election's children.", 3_000, vec![Claim::Leader(5), Claim::Role(1, "follower")]),
                herd_failure.step("One failure wakes the herd", "When the leader's candidate goes, every remaining node is notified and reads all the children again — four notifications where the successor recipe needs one. With 1,000 nodes it would be 999.", 7_000, vec![Claim::Leader(2), Claim::Candidates(4)]),
                herd_failure.step("Four arrows instead of one", "In the space-time diagram the same expiry and commit are followed by four NodeChildrenChanged arrows, one to every node left, and four getChildren requests back: the herd.", 6_000, vec![Claim::Arrows("watch-event", 4), Claim::Marked("session-expired")])
                    .showing(1_000, &[Family::Ping, Family::Resource], &["watch-event"]),
            ],
        },
        Tour {
            title: "6. The ensemble: quorum and redundancy",
            key_step: 2,
            steps: vec![
                ensemble.step("Three servers, one leader", "The ensemble of three stays available as long as a majority — two — are up.", 3_000, vec![Claim::Server(3, "leader")]),
                ensemble.step("Lose one server", "zk3, the ensemble's leader, dies. For a moment nothing seems to happen: zk1 and zk2 still follow it, until they have heard nothing from it for syncLimit ticks.", 3_500, vec![Claim::Server(3, "down"), Claim::Server(1, "follower"), Claim::Server(2, "follower")]),
                ensemble.step("The servers vote", "zk1 and zk2 have noticed and are LOOKING. Each votes for itself: (epoch 1, zxid 0x10000000e, id 1) and (epoch 1, zxid 0x10000000e, id 2). Fast leader election compares epoch, then zxid, then id: both have seen the same history, so the larger id wins. zk1 changes its vote to zk2 and follows it; two votes of three are a quorum.", 4_500, vec![Claim::Arrows("vote", 6), Claim::Server(3, "down")])
                    .showing(500, &[Family::Ping, Family::Client, Family::Resource, Family::Watch], &["vote"])
                    .on(&[ZK1, ZK2, ZK3]),
                ensemble.step("A majority carries on", "zk1 and zk2 are still a majority of three: they elected zk2, the clients reconnected, and their sessions survived.", 6_000, vec![Claim::Server(3, "down"), Claim::Server(2, "leader"), Claim::Leader(5)]),
                ensemble.step("Lose a majority", "zk2 dies too. One server of three is no quorum: nothing can be written, no session renewed — and none expired either. The cluster waits. Every client is disconnected (its card says since when), and p5's star is drawn broken: cut off from ZooKeeper, it cannot know whether it still leads — what Curator calls SUSPENDED. A careful leader stops acting as one until it is connected again.", 9_000, vec![Claim::Server(1, "looking"), Claim::Server(2, "down"), Claim::Disconnected(5), Claim::Disconnected(1)]),
                ensemble.step("Back to a quorum", "The servers come back, elect a leader, and nothing that was committed is lost.", 14_000, vec![Claim::Server(2, "leader"), Claim::Leader(5)]),
            ],
        },
        Tour {
            title: "7. Split brain and fencing tokens",
            key_step: 2,
            steps: vec![
                pause.step("A long pause", "The leader p5 freezes in a long garbage-collection pause. It still believes it leads, but it sends no heartbeats.", 4_000, vec![Claim::Role(5, "paused"), Claim::Caption("p5 is paused while leading: it still believes it leads")]),
                pause.step("A new leader", "p5's session expires; p2 becomes leader. p5, frozen, still believes it leads: two nodes believe they lead.", 8_000, vec![Claim::Leader(2), Claim::SplitBrain]),
                pause.step("Fencing", "p5 wakes up and, before it learns that its session is gone, writes to the shared resource with its old token (its candidate's czxid). The resource has already seen p2's larger token and rejects the stale write. The hollow, dashed star marks the stale leader.", 11_100, vec![Claim::Role(2, "leader"), Claim::Role(5, "leader"), Claim::StaleLeader(5), Claim::SplitBrain]),
                pause.step("Ten seconds in order", "The space-time diagram shows the whole story. p5 pauses (the triangle); its session expires on zk3 (the diamond) and p2 is told. From then on two nodes believe they lead (the warning triangles): p2 writes with token 0x10000000b, accepted each second. At 11 s p5 wakes and writes with 0x10000000a: the resource answers \"rejected\".", 11_100, vec![Claim::Marked("split-brain"), Claim::Marked("fenced-write"), Claim::Arrows("resource", 18)])
                    .showing(10_000, &[Family::Ping, Family::Zab, Family::Client], &["resource", "split-brain", "fenced-write"])
                    .on(&[ZK2, ZK3, P5, P2, Endpoint::Resource]),
            ],
        },
        Tour {
            title: "8. Setting ZooKeeper up: one server, then an ensemble",
            key_step: 1,
            steps: vec![
                standalone.step("One server", "On a developer's machine one server is enough. Its zoo.cfg, open in the zoo.cfg panel, names the tick (tickTime, the unit every timeout is counted in), where to keep the data (dataDir) and the port clients use (clientPort); zkServer.sh start runs it. With no server.N lines it runs standalone (srvr says Mode: standalone): it elects nothing and starts no epoch, so its zxids count from 0x1. One server is a single point of failure.", 3_000, vec![Claim::Server(1, "standalone"), Claim::ZooCfg(1, "clientPort"), Claim::NoZooCfg(1, "server.1"), Claim::Leader(5)])
                    .opening_zoo_cfg(),
                three.step("Three servers", "For production, an odd number of servers: each zoo.cfg adds initLimit and syncLimit (in ticks: how long a follower may take to catch up, how far it may fall behind) and one server.N line per member — host, the port followers use to reach the leader, the port of leader election. The file in each dataDir called myid says which N a server is. Three servers survive losing one.", 2_500, vec![Claim::ZooCfg(1, "server.3"), Claim::ZooCfg(2, "initLimit"), Claim::Server(3, "leader"), Claim::Server(1, "follower")]),
                three.step("The console connects", "zkCli.sh -server connects to any member; the console's session works through the whole ensemble: ls / lists the root, and create writes through the leader to every server.", 4_500, vec![Claim::Console("[election, zookeeper]"), Claim::Console("Created /setup"), Claim::Znode("/setup")]),
                three.step("A server dies; the ensemble carries on", "At 5 s zk3, the ensemble's leader, is killed, and its clients (p1, p4 and the console) lose their connection. A second later zk1 and zk2, no longer hearing from it, go LOOKING — and a server that is looking serves nobody, so they drop their clients too: for a moment every process is disconnected. zk1 and zk2 are still a majority: they elect zk2, and every client reconnects well within its session timeout. Every session survives, p5 still leads, and /setup is still there: nothing committed is lost.", 9_000, vec![Claim::Server(3, "down"), Claim::Server(2, "leader"), Claim::Leader(5), Claim::Candidates(5), Claim::Znode("/setup"), Claim::Console("Created /setup"), Claim::NoConsole("a new run")]),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use zooscope_core::picture::EventFilter;
    // Plain logic: tested natively by `cargo test`, and in the browser by the browser tests.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_step_claims_what_the_model_shows() {
        for tour in tours() {
            for step in &tour.steps {
                let Ok(run) = Run::show(step.recording.clone(), step.at) else {
                    panic!("{}: its recording opens", step.title);
                };
                let picture = run.picture(&EventFilter::default());
                let lens = step
                    .diagram
                    .as_ref()
                    .map(|d| d.lens.clone())
                    .unwrap_or_default();
                let diagram = Diagram::of(run.sim().trace(), &lens.view(&picture, step.at));
                for claim in &step.claims {
                    assert!(
                        claim.holds(&picture, &diagram, &step.console),
                        "{} / {}: {claim:?} does not hold",
                        tour.title,
                        step.title
                    );
                }
            }
        }
    }

    #[test]
    fn every_step_is_a_valid_recording() {
        for tour in tours() {
            assert!(tour.key_step < tour.steps.len(), "{}", tour.title);
            for step in tour.steps {
                assert_eq!(step.recording.validate(), Ok(()), "{}", step.title);
            }
        }
    }
}
