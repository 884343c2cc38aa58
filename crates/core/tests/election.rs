//! The simulated cluster elects a leader, and the successor takes over when the leader dies —
//! waking exactly one process with the successor recipe and every remaining candidate with the
//! herd recipe. Runs are deterministic: the same configuration and commands give the same
//! trace.

#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use zooscope_core::actor::message::MessageKind;
use zooscope_core::actor::role::ServerRole;
use zooscope_core::actor::trace::{digest, TraceKind};
use zooscope_core::ids::{Endpoint, ProcessId, ServerId, SimTime};
use zooscope_core::picture::Action;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::monitor::Monitor;
use zooscope_core::sim::scenario::{kill_leaders, reference_run, REFERENCE_DIGEST};
use zooscope_core::sim::share;
use zooscope_core::sim::{Command, Config, Sim};

fn started(config: Config) -> Sim {
    let mut sim = Sim::new(config);
    assert!(
        sim.run_while(SimTime(20_000), |s| s.leaders().len() == 1),
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
        .find(|p| {
            p.role() == zooscope_core::actor::role::ProcessRole::Watching(leader_node.clone())
        })
        .map(|p| p.id())
        .expect("someone watches the leader");
    let others: Vec<_> = sim
        .processes()
        .filter(|p| p.id() != leader && p.id() != watcher)
        .map(|p| (p.id(), p.role()))
        .collect();
    sim.apply(Command::Act(Action::KillProcess(leader)));
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
    other.run_until(SimTime(20_000));
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
    sim.apply(Command::Act(Action::PauseProcess(leader, 8_000)));
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
    let p1 = ProcessId(1);
    // Step until the server has received p1's create, then cut p1 off: the reply is lost.
    let delivered = sim.run_while(SimTime(10_000), |s| {
        s.trace().iter().any(|e| {
            matches!(&e.kind, TraceKind::Delivered { from, what, .. }
                if *from == Endpoint::Process(p1) && what.starts_with("create"))
        })
    });
    assert!(delivered, "the create reached the server");
    sim.apply(Command::Partition(Endpoint::Process(p1), None));
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
    sim.apply(Command::Act(Action::KillServer(server)));
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

/// When a `sync` relayed by a follower reached a leader that had proposed nothing yet in its
/// epoch: the leader, the time, and the epoch. Read from the trace.
fn sync_before_first_proposal(sim: &Sim) -> Option<(ServerId, SimTime, u32)> {
    let mut leading: BTreeMap<ServerId, u32> = BTreeMap::new();
    let mut proposed: BTreeSet<ServerId> = BTreeSet::new();
    for e in sim.trace() {
        match &e.kind {
            TraceKind::ServerRole { server, role } => {
                proposed.remove(server);
                match role {
                    ServerRole::Leading(epoch) => leading.insert(*server, *epoch),
                    _ => leading.remove(server),
                };
            }
            TraceKind::Sent {
                from: Endpoint::Server(s),
                kind: MessageKind::Proposal,
                ..
            } => {
                proposed.insert(*s);
            }
            TraceKind::Delivered {
                to: Endpoint::Server(s),
                kind: MessageKind::Quorum,
                what,
                ..
            } if what == "a sync" && !proposed.contains(s) => {
                if let Some(epoch) = leading.get(s) {
                    return Some((*s, e.time, *epoch));
                }
            }
            _ => {}
        }
    }
    None
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
    sim.run_until(SimTime(145));
    sim.apply(Command::Act(Action::KillServer(ServerId(7))));
    sim.apply(Command::Act(Action::RestartServer(ServerId(7))));
    sim.apply(Command::Act(Action::RestartProcess(ProcessId(1))));
    let elected = sim.run_while(SimTime(5_000), |s| s.leaders().len() == 1);
    let Some((server, at, epoch)) = sync_before_first_proposal(&sim) else {
        panic!("the run no longer sends a sync to a leader before its first proposal");
    };
    assert!(epoch >= 2, "{server} leads a later epoch, not the first");
    assert!(
        elected,
        "no leader by 5 s: the sync that reached {server} at {at} ms (epoch {epoch}) hung"
    );
}

#[test]
fn a_leader_elect_is_not_refused_by_a_follower_with_an_older_epoch() {
    // A leader cut off from its followers logs a proposal nobody else gets (a new session's);
    // the followers elect one of themselves in a new epoch and crash before proposing
    // anything in it. So they hold a newer epoch and a shorter log than the old leader. Votes
    // rank them first (epoch before zxid); the leader-elect's check that no follower is ahead
    // must rank the same way, or it steps down for ever (it once did).
    let mut sim = started(Config {
        servers: 3,
        processes: 1,
        ..Config::default()
    });
    let p1 = ProcessId(1);
    let Some(old) = sim.leader_server() else {
        panic!("no leader server");
    };
    let followers: Vec<ServerId> = sim
        .servers()
        .map(|s| s.id())
        .filter(|s| *s != old)
        .collect();
    let cut_from_followers = |who: Endpoint| {
        Command::Partition(
            who,
            Some(followers.iter().map(|f| Endpoint::Server(*f)).collect()),
        )
    };
    // p1 can reach only the old leader, and the old leader none of its followers.
    sim.apply(cut_from_followers(Endpoint::Process(p1)));
    sim.apply(cut_from_followers(Endpoint::Server(old)));
    let logged_before = sim.server(old).map(|s| s.last_logged());
    sim.apply(Command::Act(Action::KillProcess(p1)));
    sim.apply(Command::Act(Action::RestartProcess(p1)));
    let t = sim.now();
    // The followers elect a new leader among themselves (epoch 2) …
    assert!(
        sim.run_while(t + 10_000, |s| followers
            .iter()
            .any(|f| s.server(*f).is_some_and(|n| n.is_active_leader()))),
        "the followers elected no leader"
    );
    // … and crash before it proposes anything.
    for f in &followers {
        sim.apply(Command::Act(Action::KillServer(*f)));
    }
    // One of them comes back: a quorum needs the old leader, which is "ahead" by zxid.
    sim.apply(Command::Heal(None));
    sim.apply(Command::Act(Action::RestartServer(followers[0])));
    let servers: Vec<_> = sim
        .servers()
        .filter(|s| s.is_up())
        .map(|s| (s.id(), s.current_epoch(), s.last_logged()))
        .collect();
    let old_state = servers.iter().find(|(id, ..)| *id == old).copied();
    assert!(
        old_state.is_some_and(|(_, _, last)| Some(last) > logged_before),
        "the cut-off leader logged the new session: {servers:?}"
    );
    assert!(
        servers.len() == 2
            && servers
                .iter()
                .filter(|(id, ..)| *id != old)
                .all(|(_, epoch, last)| {
                    old_state.is_some_and(|(_, old_epoch, old_last)| {
                        *epoch > old_epoch && *last < old_last
                    })
                }),
        "the follower has a newer epoch and a shorter log than {old}: {servers:?}"
    );
    let t = sim.now();
    assert!(
        sim.run_while(t + 10_000, |s| s.leader_server().is_some()),
        "no leader server within 10 s of the restart: {servers:?}"
    );
    assert_eq!(
        sim.leader_server(),
        Some(followers[0]),
        "votes rank the newer epoch first: {servers:?}"
    );
}

/// A run the shared-run fuzz found (lossy links, 3 servers, two processes killed): a server
/// proposes epoch 4, hears a quorum's epochs, and loses its leadership before a quorum takes
/// its history. The others go on in epoch 3 and commit more than it ever logged. Later it
/// looks again — and when votes carried the accepted epoch, its 4 beat their 3: it was
/// elected, sent nothing of what they had committed, and went on numbering transactions past
/// a gap. Votes carry the current epoch, the one a quorum took (`currentEpoch`).
#[test]
fn a_server_whose_epoch_no_quorum_took_is_not_elected_over_what_others_committed() {
    let link = "#run=eNpdUctuwyAQ_Jc9IxXiB8a3qpVaqZeqOUaRhTBJaTBYQBqllv-9i5300Jt3Z3ZmGE_wrUM03kHLCCjvDuYI7QRRhwxAWxAYg1c6Ro1TTSBoZUYNLWzPKq99AIJ03UNbNbVgXNSMsoKzzUYIvE5GnbohK23KTIzZrUtm0P6cFoDVtGgIXHw4dcYldJZ2BSilBJxOOZGVSTt1XQCOOb5MQuqqTMD6GLsxz8ZaTMd5TpqCdHEwN5um5HPOMxi3vNE4RCyOKVthtqtT97kicDBOWvOju4u8KVQU7y_S2s4HczRuleWiKnlTUrqkRUuF_imc9ZwLHQbpeqTtdqwSgkyw1enjXuGrDj3Me7JrGK8Qe_Iu-hx_upe-_BY_5s2LTs8yyQWU6RPPHyDHSQq_D9JGPc9r3bkwOi-6zQZf8tj37zc53AlWMfR6w6Le_0wymQlalP8ROu_38y8NxLIL";
    let Ok(Some(run)) = share::from_link(link) else {
        panic!("the found run no longer reads");
    };
    let mut sim = run.world();
    let mut monitor = Monitor::new();
    let mut outranked_by_epoch = false;
    while sim.next_time().is_some_and(|at| at <= run.end() + 5_000) {
        sim.step();
        // The case itself: a looking server with an epoch no quorum took, whose log is
        // shorter than what another server committed.
        let most_committed = sim.servers().map(|s| s.committed()).max();
        outranked_by_epoch |= sim.servers().any(|s| {
            s.role() == ServerRole::Looking
                && s.accepted_epoch() > s.current_epoch()
                && Some(s.last_logged()) < most_committed
        });
        if let Some(broken) = monitor.violation(&sim) {
            panic!("at {}: {} — {:?}", sim.now(), broken.name, broken.detail);
        }
    }
    assert!(
        outranked_by_epoch,
        "the run no longer has a server whose accepted epoch is ahead of what it logged"
    );
}

#[test]
fn without_a_quorum_nothing_commits_and_nothing_committed_is_lost() {
    let mut sim = started(Config::default());
    let before = sim.latest_committed().expect("a server").committed();
    sim.apply(Command::Act(Action::KillServer(ServerId(1))));
    sim.apply(Command::Act(Action::KillServer(ServerId(2))));
    sim.apply(Command::Act(Action::KillProcess(sim.leaders()[0])));
    sim.run_until(sim.now() + 10_000);
    assert_eq!(
        sim.leader_server(),
        None,
        "one server of three is no quorum"
    );
    assert!(sim.leaders().len() <= 1);
    let stuck = sim.latest_committed().expect("a server").committed();
    sim.apply(Command::Act(Action::RestartServer(ServerId(1))));
    sim.apply(Command::Act(Action::RestartServer(ServerId(2))));
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
        (
            SimTime(3_001),
            Command::Act(Action::KillProcess(ProcessId(2))),
        ),
        (
            SimTime(6_001),
            Command::Act(Action::PauseProcess(ProcessId(3), 4_000)),
        ),
        (
            SimTime(7_001),
            Command::Act(Action::KillServer(ServerId(1))),
        ),
    ];
    let mut live = Sim::new(config.clone());
    for (at, command) in &log {
        live.run_until(SimTime(at.ms() - 1));
        live.command_at(*at, command.clone());
    }
    live.run_until(SimTime(15_000));
    let mut replay = Sim::new(config);
    for (at, command) in &log {
        replay.command_at(*at, command.clone());
    }
    replay.run_until(SimTime(15_000));
    assert_eq!(digest(live.trace()), digest(replay.trace()));
}

/// A one-server ensemble is ZooKeeper's standalone server: it never looks for a leader nor
/// starts an epoch, and its zxids count from 0x1 (the first session), as a real 3.8 with no
/// `server.N` lines numbers them (`tests/conformance/scripts/*.zk38.out`) — also after a
/// restart, which goes on from its log.
#[test]
fn one_server_runs_standalone_with_zxids_from_one() {
    let mut sim = started(Config {
        servers: 1,
        ..Config::default()
    });
    let zk1 = ServerId(1);
    let server = sim.server(zk1).expect("zk1");
    assert_eq!(server.role(), ServerRole::Standalone);
    assert_eq!(server.accepted_epoch(), 0);
    let first = server.log().first().map(|p| p.zxid.0);
    assert_eq!(first, Some(0x1), "the first transaction is 0x1");
    let roles: Vec<ServerRole> = sim
        .trace()
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::ServerRole { role, .. } => Some(*role),
            _ => None,
        })
        .collect();
    assert_eq!(
        roles,
        [ServerRole::Standalone],
        "it serves at once, never LOOKING"
    );

    let last = sim.server(zk1).expect("zk1").last_logged();
    sim.apply(Command::Act(Action::KillServer(zk1)));
    sim.run_until(sim.now() + 500);
    sim.apply(Command::Act(Action::RestartServer(zk1)));
    // A write after the restart: the killed leader's session expires, its candidate goes.
    let leader = sim.leaders()[0];
    sim.apply(Command::Act(Action::KillProcess(leader)));
    sim.run_until(sim.now() + 10_000);
    let server = sim.server(zk1).expect("zk1");
    assert_eq!(server.role(), ServerRole::Standalone);
    let after = server.log().iter().find(|p| p.zxid > last).map(|p| p.zxid);
    assert_eq!(
        after.map(|z| (z.epoch(), z.0 > last.0)),
        Some((0, true)),
        "after a restart its zxids go on in epoch 0: {after:?} after {last:?}"
    );
}
