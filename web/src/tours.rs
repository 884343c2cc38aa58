//! The guided tours: one per topic of the lecture, each a list of steps. A step is data — a
//! configuration, the commands given so far, the moment to show, the words to read and what
//! the step claims about the cluster — so the page sets the simulation to exactly the state
//! the narration describes (the core is deterministic), and the tests can check each claim.

use crate::model::default_config;
use zooscope_core::ids::{ProcessId, ServerId};
use zooscope_core::op::Op;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::recording::Recording;
use zooscope_core::sim::{Command, Config};
use zooscope_core::tree::CreateMode;

/// What a step says is true on screen (checked by the browser tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Exactly this process leads.
    Leader(u32),
    /// No process leads.
    NoLeader,
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
    /// The moment shown (simulated ms).
    pub at: u64,
    /// What is true then.
    pub claims: Vec<Claim>,
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

fn config(recipe: RecipeKind) -> Config {
    Config {
        recipe,
        ..default_config()
    }
}

fn step(
    title: &'static str,
    text: &'static str,
    config: &Config,
    commands: &[(u64, Command)],
    at: u64,
    claims: Vec<Claim>,
) -> Step {
    Step {
        title,
        text,
        recording: Recording::new(config.clone(), commands.to_vec()),
        at,
        claims,
    }
}

/// A console request through the console's own client (process 6 once added).
fn console(at: u64, ticket: u64, op: Op) -> (u64, Command) {
    (
        at,
        Command::Console {
            process: ProcessId(6),
            op,
            ticket,
        },
    )
}

fn create(path: &str, mode: CreateMode) -> Op {
    Op::Create {
        path: path.to_owned(),
        data: Some(b"lecture".to_vec()),
        mode,
    }
}

/// Every tour, in the lecture's order.
pub fn tours() -> Vec<Tour> {
    let successor = config(RecipeKind::Successor);
    let herd = config(RecipeKind::Herd);
    let kill = [(3_001, Command::KillProcess(ProcessId(5)))];
    let znodes = [
        (2_001, Command::AddConsoleClient),
        console(3_000, 1, create("/demo", CreateMode::Persistent)),
        console(4_000, 2, create("/demo/eph", CreateMode::Ephemeral)),
        console(
            5_000,
            3,
            create("/demo/seq-", CreateMode::PersistentSequential),
        ),
        console(
            5_500,
            4,
            create("/demo/seq-", CreateMode::PersistentSequential),
        ),
        (7_001, Command::StopProcess(ProcessId(6))),
    ];
    let ensemble = [
        (3_001, Command::KillServer(ServerId(3))),
        (6_001, Command::KillServer(ServerId(2))),
        (9_001, Command::RestartServer(ServerId(2))),
        (9_002, Command::RestartServer(ServerId(3))),
    ];
    let pause = [(3_001, Command::PauseProcess(ProcessId(5), 8_000))];
    vec![
        Tour {
            title: "1. Nodes, clusters and ZooKeeper",
            key_step: 1,
            steps: vec![
                step("Nodes", "Each circle is a node: a process on its own machine. Five of them form a cluster working on one task. They never talk to each other.", &successor, &[], 0, vec![Claim::NoLeader]),
                step("They talk to ZooKeeper", "Each node opens a session with one server of the ZooKeeper ensemble in the middle (the grey lines). The ensemble has an odd number of servers; one of them leads it.", &successor, &[], 1_000, vec![Claim::Server(3, "leader"), Claim::Server(1, "follower")]),
                step("Coordination through ZooKeeper", "To agree on a leader, the nodes only read and write znodes in ZooKeeper — here, under /election.", &successor, &[], 3_000, vec![Claim::Leader(5), Claim::Candidates(5)]),
            ],
        },
        Tour {
            title: "2. Znodes: persistent, ephemeral, sequential",
            key_step: 2,
            steps: vec![
                step("A persistent znode", "The console creates /demo: a persistent znode, both a file (it holds data) and a directory (it can have children). It stays until someone deletes it.", &successor, &znodes[..2], 3_900, vec![Claim::Znode("/demo")]),
                step("An ephemeral znode", "/demo/eph is ephemeral: it lives as long as the session that created it.", &successor, &znodes[..3], 4_900, vec![Claim::Znode("/demo/eph")]),
                step("Sequential znodes", "Sequential znodes get a number from their parent, in creation order: /demo/seq-0000000001, then /demo/seq-0000000002.", &successor, &znodes[..5], 6_900, vec![Claim::Znode("/demo/seq-0000000001"), Claim::Znode("/demo/seq-0000000002")]),
                step("The session ends", "The console's client stops and closes its session: its ephemeral znode is deleted at once; the persistent ones stay.", &successor, &znodes, 8_000, vec![Claim::NoZnode("/demo/eph"), Claim::Znode("/demo")]),
            ],
        },
        Tour {
            title: "3. Leader election in three steps",
            key_step: 2,
            steps: vec![
                step("Step 1: volunteer", "Every node creates an ephemeral sequential znode under /election: its candidate.", &successor, &[], 1_000, vec![Claim::NoLeader, Claim::Role(1, "electing")]),
                step("Step 2: read the children", "Each node reads the children of /election and sorts them.", &successor, &[], 1_300, vec![Claim::Candidates(5)]),
                step("Step 3: the smallest leads", "The node with the smallest candidate (c_0000000000) is the leader. Every other node watches only the candidate just before its own: the arrows.", &successor, &[], 3_000, vec![Claim::Leader(5), Claim::Role(2, "follower"), Claim::Role(1, "follower")]),
            ],
        },
        Tour {
            title: "4. Failure and the successor watch",
            key_step: 2,
            steps: vec![
                step("A leader", "p5 leads; p2 watches p5's candidate, c_0000000000.", &successor, &[], 3_000, vec![Claim::Leader(5)]),
                step("Kill the leader", "p5 crashes. ZooKeeper does not know yet: p5's session lives until its timeout passes without a heartbeat (the countdown).", &successor, &kill, 4_000, vec![Claim::NoLeader, Claim::Role(5, "crashed"), Claim::Candidates(5)]),
                step("The successor takes over", "The session expires, the ephemeral candidate is deleted, and the one watch on it fires: only p2 wakes, reads the children again, finds itself smallest and leads. Nobody else moved.", &successor, &kill, 7_000, vec![Claim::Leader(2), Claim::Role(1, "follower"), Claim::Role(3, "follower"), Claim::Candidates(4)]),
            ],
        },
        Tour {
            title: "5. The herd effect",
            key_step: 1,
            steps: vec![
                step("Everyone watches everything", "With the herd recipe, every node that is not the smallest watches all of /election's children.", &herd, &[], 3_000, vec![Claim::Leader(5), Claim::Role(1, "follower")]),
                step("One failure wakes the herd", "When the leader's candidate goes, every remaining node is notified and reads all the children again — four notifications where the successor recipe needs one. With 1,000 nodes it would be 999.", &herd, &kill, 7_000, vec![Claim::Leader(2), Claim::Candidates(4)]),
            ],
        },
        Tour {
            title: "6. The ensemble: quorum and redundancy",
            key_step: 2,
            steps: vec![
                step("Three servers, one leader", "The ensemble of three stays available as long as a majority — two — are up.", &successor, &ensemble[..1], 3_000, vec![Claim::Server(3, "leader")]),
                step("Lose one server", "zk3, the ensemble's leader, dies. zk1 and zk2 are still a majority: they elect zk2, the clients reconnect, and their sessions survive.", &successor, &ensemble[..2], 6_000, vec![Claim::Server(3, "down"), Claim::Server(2, "leader"), Claim::Leader(5)]),
                step("Lose a majority", "zk2 dies too. One server of three is no quorum: nothing can be written, no session renewed — and none expired either. The cluster waits.", &successor, &ensemble[..2], 9_000, vec![Claim::Server(1, "looking"), Claim::Server(2, "down")]),
                step("Back to a quorum", "The servers come back, elect a leader, and nothing that was committed is lost.", &successor, &ensemble, 14_000, vec![Claim::Server(2, "leader"), Claim::Leader(5)]),
            ],
        },
        Tour {
            title: "7. Split brain and fencing tokens",
            key_step: 2,
            steps: vec![
                step("A long pause", "The leader p5 freezes in a long garbage-collection pause. It still believes it leads, but it sends no heartbeats.", &successor, &pause, 4_000, vec![Claim::Role(5, "paused")]),
                step("A new leader", "p5's session expires; p2 becomes leader. p5, frozen, still believes it leads: two nodes believe they lead.", &successor, &pause, 8_000, vec![Claim::Leader(2), Claim::SplitBrain]),
                step("Fencing", "p5 wakes up and, before it learns that its session is gone, writes to the shared resource with its old token (its candidate's czxid). The resource has already seen p2's larger token and rejects the stale write.", &successor, &pause, 11_100, vec![Claim::Role(2, "leader"), Claim::Role(5, "leader"), Claim::SplitBrain]),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

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
