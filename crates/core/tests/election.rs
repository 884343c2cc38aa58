//! The simulated cluster elects a leader, and the successor takes over when the leader dies —
//! waking exactly one process with the successor recipe and every remaining candidate with the
//! herd recipe. Runs are deterministic: the same configuration and commands give the same
//! trace.

#![allow(clippy::expect_used)]

use zooscope_core::recipe::RecipeKind;
use zooscope_core::scenario::{kill_leaders, reference_run, REFERENCE_DIGEST};
use zooscope_core::sim::{Command, Config, Sim};
use zooscope_core::trace::{digest, TraceKind};

fn started(config: Config) -> Sim {
    let mut sim = Sim::new(config);
    assert!(
        sim.run_while(20_000, |s| s.leaders().len() == 1),
        "no leader after 20 s"
    );
    sim
}

#[test]
fn the_smallest_candidate_leads() {
    let sim = started(Config::default());
    let leader = sim.leaders()[0];
    let smallest = sim
        .processes()
        .filter_map(|p| p.candidate().map(|c| (c.path.clone(), p.id())))
        .min()
        .expect("candidates");
    assert_eq!(smallest.1, leader);
}

#[test]
fn the_process_that_watched_the_leader_takes_over_and_no_one_else_moves() {
    let mut sim = started(Config::default());
    sim.run_until(sim.now() + 2_000);
    let leader = sim.leaders()[0];
    let leader_node = sim
        .process(leader)
        .and_then(|p| p.candidate())
        .map(|c| c.path.clone())
        .expect("a candidate");
    let watcher = sim
        .processes()
        .find(|p| p.role() == zooscope_core::trace::ProcessRole::Watching(leader_node.clone()))
        .map(|p| p.id())
        .expect("someone watches the leader");
    let others: Vec<_> = sim
        .processes()
        .filter(|p| p.id() != leader && p.id() != watcher)
        .map(|p| (p.id(), p.role()))
        .collect();
    sim.apply(Command::KillProcess(leader));
    assert!(sim.run_while(sim.now() + 20_000, |s| s.leaders() == [watcher]));
    for (id, role) in others {
        assert_eq!(sim.process(id).map(|p| p.role()), Some(role), "{id} moved");
    }
}

fn notified_per_failover(recipe: RecipeKind, processes: u32) -> Vec<usize> {
    let config = Config {
        processes,
        recipe,
        seed: u64::from(processes),
        trace: false,
        ..Config::default()
    };
    let mut sim = Sim::new(config);
    let report = kill_leaders(&mut sim, 3, 60_000).expect("every failover completes");
    report.failovers.iter().map(|f| f.notified).collect()
}

#[test]
fn the_successor_recipe_wakes_exactly_one_process_per_failure() {
    for n in [5, 50, 500] {
        assert_eq!(
            notified_per_failover(RecipeKind::Successor, n),
            [1, 1, 1],
            "n = {n}"
        );
    }
}

#[test]
fn the_herd_recipe_wakes_every_remaining_candidate() {
    for n in [5, 50, 500] {
        let n = n as usize;
        assert_eq!(
            notified_per_failover(RecipeKind::Herd, n as u32),
            [n - 1, n - 2, n - 3],
            "n = {n}"
        );
    }
}

#[test]
fn the_same_seed_and_commands_give_the_same_trace() {
    let a = reference_run();
    let b = reference_run();
    assert_eq!(
        serde_json::to_string(a.trace()).expect("serialisable"),
        serde_json::to_string(b.trace()).expect("serialisable")
    );
    assert_eq!(
        digest(a.trace()),
        REFERENCE_DIGEST,
        "the reference trace changed"
    );
    let mut other = Sim::new(Config {
        seed: 10,
        ..a.config().clone()
    });
    other.run_until(20_000);
    assert_ne!(
        digest(other.trace()),
        digest(a.trace()),
        "another seed, another run"
    );
}

#[test]
fn a_paused_leader_is_fenced_off_after_its_successor_takes_over() {
    let mut sim = started(Config::default());
    let leader = sim.leaders()[0];
    sim.apply(Command::PauseProcess(leader, 8_000));
    sim.run_until(sim.now() + 12_000);
    let trace = sim.trace();
    assert!(
        trace.iter().any(
            |e| matches!(&e.kind, TraceKind::SplitBrain { leaders } if leaders.contains(&leader))
        ),
        "the paused leader and its successor both believed they led"
    );
    assert!(
        trace.iter().any(|e| matches!(
            &e.kind,
            TraceKind::FencedWrite { process, accepted: false, .. } if *process == leader
        )),
        "the stale leader's write was rejected"
    );
    assert_eq!(sim.leaders().len(), 1);
    assert_ne!(sim.leaders()[0], leader);
}

#[test]
fn a_lost_create_leaves_no_duplicate_candidate() {
    let mut sim = Sim::new(Config {
        processes: 1,
        ..Config::default()
    });
    let p1 = zooscope_core::ids::ProcessId(1);
    // Step until the server has received p1's create, then cut p1 off: the reply is lost.
    let delivered = sim.run_while(10_000, |s| {
        s.trace().iter().any(|e| {
            matches!(&e.kind, TraceKind::Delivered { from, what, .. }
                if *from == zooscope_core::ids::Endpoint::Process(p1) && what.starts_with("create"))
        })
    });
    assert!(delivered, "the create reached the server");
    sim.apply(Command::Partition(
        zooscope_core::ids::Endpoint::Process(p1),
        None,
    ));
    sim.run_until(sim.now() + 1_000);
    sim.apply(Command::Heal(None));
    assert!(sim.run_while(sim.now() + 20_000, |s| s.leaders() == [p1]));
    let tree = sim.latest_committed().expect("a server").replica().tree();
    let candidates = tree.get("/election").expect("/election").children().count();
    assert_eq!(
        candidates, 1,
        "the lost create was found again, not repeated"
    );
    assert!(
        sim.trace().iter().any(|e| matches!(&e.kind,
            TraceKind::Sent { what, .. } if what.starts_with("getEphemerals"))),
        "the process asked its session for its own candidate"
    );
}

#[test]
fn a_new_server_leads_when_the_leader_server_dies_and_sessions_survive() {
    let mut sim = started(Config::default());
    let leader = sim.leaders()[0];
    let server = sim.leader_server().expect("an active leader server");
    sim.apply(Command::KillServer(server));
    assert!(sim.run_while(sim.now() + 10_000, |s| s
        .leader_server()
        .is_some_and(|l| l != server)));
    sim.run_until(sim.now() + 5_000);
    assert_eq!(
        sim.leaders(),
        [leader],
        "no session expired: the same process leads"
    );
    assert!(sim
        .trace()
        .iter()
        .all(|e| !matches!(e.kind, TraceKind::SessionExpired { .. })));
}

#[test]
fn a_sync_to_a_leader_reelected_before_its_first_proposal_is_answered() {
    // The leader server dies at once and is re-elected in a new epoch in which nothing has
    // been proposed yet; the recipe's sync after reconnecting must still be answered (it once
    // waited for a zxid of the new epoch that nothing would reach).
    let mut sim = Sim::new(Config {
        servers: 7,
        processes: 1,
        seed: 8_793_105_830_683_789_894,
        ..Config::default()
    });
    sim.run_until(145);
    sim.apply(Command::KillServer(zooscope_core::ids::ServerId(7)));
    sim.apply(Command::RestartServer(zooscope_core::ids::ServerId(7)));
    sim.apply(Command::RestartProcess(zooscope_core::ids::ProcessId(1)));
    assert!(
        sim.run_while(5_000, |s| s.leaders().len() == 1),
        "no leader by 5 s"
    );
}

#[test]
fn a_leader_elect_is_not_refused_by_a_follower_with_an_older_epoch() {
    // Server crashes and an isolation leave zk2 with a newer accepted epoch but a shorter log
    // than zk3. Votes rank zk2 first (epoch before zxid); the leader-elect's check that no
    // follower is ahead must rank the same way, or zk2 steps down for ever (it once did).
    use zooscope_core::ids::{Endpoint, ServerId};
    let mut sim = Sim::new(Config {
        servers: 3,
        processes: 19,
        recipe: RecipeKind::Herd,
        seed: 17_616_851_862_710_024_968,
        ..Config::default()
    });
    let z = ServerId;
    let faults = [
        (2_534, Command::KillServer(z(2))),
        (
            2_761,
            Command::RestartProcess(zooscope_core::ids::ProcessId(1)),
        ),
        (
            5_024,
            Command::KillProcess(zooscope_core::ids::ProcessId(11)),
        ),
        (6_946, Command::KillServer(z(1))),
        (8_709, Command::Partition(Endpoint::Server(z(1)), None)),
        (10_896, Command::KillServer(z(1))),
        (13_810, Command::KillServer(z(1))),
    ];
    for (at, command) in faults {
        sim.run_until(at);
        sim.apply(command);
    }
    sim.apply(Command::Heal(None));
    for s in 1..=3 {
        sim.apply(Command::RestartServer(z(s)));
    }
    let processes: Vec<_> = sim.processes().map(|p| p.id()).collect();
    for p in processes {
        sim.apply(Command::RestartProcess(p));
    }
    assert!(
        sim.run_while(13_810 + 5_000, |s| s.leaders().len() == 1),
        "no leader within the session timeout + 2 s of healing"
    );
}

#[test]
fn without_a_quorum_nothing_commits_and_nothing_committed_is_lost() {
    let mut sim = started(Config::default());
    let before = sim.latest_committed().expect("a server").committed();
    sim.apply(Command::KillServer(zooscope_core::ids::ServerId(1)));
    sim.apply(Command::KillServer(zooscope_core::ids::ServerId(2)));
    sim.apply(Command::KillProcess(sim.leaders()[0]));
    sim.run_until(sim.now() + 10_000);
    assert_eq!(
        sim.leader_server(),
        None,
        "one server of three is no quorum"
    );
    assert!(sim.leaders().len() <= 1);
    let stuck = sim.latest_committed().expect("a server").committed();
    sim.apply(Command::RestartServer(zooscope_core::ids::ServerId(1)));
    sim.apply(Command::RestartServer(zooscope_core::ids::ServerId(2)));
    assert!(sim.run_while(sim.now() + 20_000, |s| s.leaders().len() == 1
        && s.leader_server().is_some()));
    let after = sim.latest_committed().expect("a server");
    assert!(after.committed() >= stuck && stuck >= before);
    assert!(
        after.log().iter().any(|p| p.zxid == before),
        "committed history kept"
    );
}

#[test]
fn replaying_the_command_log_reproduces_the_live_run() {
    use zooscope_core::ids::{ProcessId, ServerId};
    let config = Config {
        seed: 5,
        ..Config::default()
    };
    let log = [
        (3_001, Command::KillProcess(ProcessId(2))),
        (6_001, Command::PauseProcess(ProcessId(3), 4_000)),
        (7_001, Command::KillServer(ServerId(1))),
    ];
    let mut live = Sim::new(config.clone());
    for (at, command) in &log {
        live.run_until(at - 1);
        live.command_at(*at, command.clone());
    }
    live.run_until(15_000);
    let mut replay = Sim::new(config);
    for (at, command) in &log {
        replay.command_at(*at, command.clone());
    }
    replay.run_until(15_000);
    assert_eq!(digest(live.trace()), digest(replay.trace()));
}
