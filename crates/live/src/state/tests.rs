//! The live state fed what real servers said (`recorded/`, see its README) and what real
//! candidates report, checked through the picture it draws and the effects it asks for.

use super::*;
use zooscope_core::actor::role::ServerRole;
use zooscope_core::ids::{SessionId, Zxid};
use zooscope_core::picture::{
    EventFilter, Picture, ProcessKind, ProcessPicture, ServerPicture, WatchEdge,
};
use zooscope_core::NodeKind;

const ZK1: ServerId = ServerId(1);
const ZK2: ServerId = ServerId(2);
const ZK3: ServerId = ServerId(3);

/// The candidates' sessions in the three-server recording, and the tree follower's.
const S0: i64 = 0x0200_0041_7ee9_0000;
const S1: i64 = 0x0200_0041_7ee9_0001;
const S2: i64 = 0x0200_0041_7ee9_0002;
const FOLLOWER: i64 = 0x0100_0041_7ee5_0000;
/// The two sessions of the standalone recording.
const A: i64 = 0x0100_0049_4a1e_0000;
const B: i64 = 0x0100_0049_4a1e_0001;

/// When the leader expires the candidates' sessions (`ensemble3-zk3-dump.txt`), in ms since
/// 1970: Thu Dec 03 11:59:39 UTC 2026.
const CANDIDATES_EXPIRE_MS: i64 = 1_796_299_179_000;

fn standalone() -> Answers {
    Answers {
        srvr: include_str!("../../recorded/standalone-srvr.txt").to_owned(),
        cons: Some(include_str!("../../recorded/standalone-cons.txt").to_owned()),
        wchp: Some(include_str!("../../recorded/standalone-wchp.txt").to_owned()),
        dump: Some(include_str!("../../recorded/standalone-dump.txt").to_owned()),
    }
}

fn ensemble3(server: ServerId) -> Answers {
    let (srvr, cons, wchp, dump) = match server.0 {
        1 => (
            include_str!("../../recorded/ensemble3-zk1-srvr.txt"),
            include_str!("../../recorded/ensemble3-zk1-cons.txt"),
            include_str!("../../recorded/ensemble3-zk1-wchp.txt"),
            None,
        ),
        2 => (
            include_str!("../../recorded/ensemble3-zk2-srvr.txt"),
            include_str!("../../recorded/ensemble3-zk2-cons.txt"),
            include_str!("../../recorded/ensemble3-zk2-wchp.txt"),
            None,
        ),
        _ => (
            include_str!("../../recorded/ensemble3-zk3-srvr.txt"),
            include_str!("../../recorded/ensemble3-zk3-cons.txt"),
            include_str!("../../recorded/ensemble3-zk3-wchp.txt"),
            Some(include_str!("../../recorded/ensemble3-zk3-dump.txt")),
        ),
    };
    Answers {
        srvr: srvr.to_owned(),
        cons: Some(cons.to_owned()),
        wchp: Some(wchp.to_owned()),
        dump: dump.map(str::to_owned),
    }
}

/// A session of `servers` servers (Zooscope's own when `owns`) about to start `processes`.
fn session(servers: u8, owns: bool, processes: usize) -> (LiveState, Vec<Effect>) {
    LiveState::new(Setup {
        servers: (1..=servers)
            .map(|id| {
                (
                    ServerId(id),
                    owns.then(|| format!("tickTime=200\n# zk{id}\n")),
                )
            })
            .collect(),
        connect: "127.0.0.1:2181".to_owned(),
        owns_servers: owns,
        recipe: RecipeKind::Successor,
        processes,
    })
}

/// The three-server recording's session: three processes started (PIDs 1001–1003), each
/// with the session it reported, then every server's answers.
fn recorded_ensemble() -> LiveState {
    let (mut state, _) = session(3, true, 3);
    for (i, (session, candidate)) in [
        (S0, "c_0000000001"),
        (S1, "c_0000000000"),
        (S2, "c_0000000002"),
    ]
    .into_iter()
    .enumerate()
    {
        let process = ProcessId(u32::try_from(i + 1).unwrap_or(0));
        state.observe(Observation::Spawned {
            process,
            pid: 1001 + u32::try_from(i).unwrap_or(0),
        });
        report(&mut state, process, connected(session));
        report(
            &mut state,
            process,
            Report::Volunteered {
                candidate: candidate.to_owned(),
            },
        );
    }
    report(
        &mut state,
        ProcessId(2),
        Report::Leading {
            candidate: "c_0000000000".to_owned(),
        },
    );
    report(
        &mut state,
        ProcessId(1),
        watching("c_0000000001", "c_0000000000"),
    );
    report(
        &mut state,
        ProcessId(3),
        watching("c_0000000002", "c_0000000001"),
    );
    state.observe(Observation::Tree(TreeNews::Session(FOLLOWER)));
    for server in [ZK1, ZK2, ZK3] {
        answered(&mut state, server, ensemble3(server));
    }
    state
}

fn connected(session: i64) -> Report {
    Report::Connected {
        session: format!("0x{session:x}"),
        timeout_ms: 3000,
    }
}

fn watching(candidate: &str, predecessor: &str) -> Report {
    Report::Watching {
        candidate: candidate.to_owned(),
        predecessor: predecessor.to_owned(),
    }
}

fn report(state: &mut LiveState, process: ProcessId, report: Report) -> Vec<Effect> {
    state.observe(Observation::Report { process, report })
}

fn answered(state: &mut LiveState, server: ServerId, answers: Answers) -> Vec<Effect> {
    state.observe(Observation::Answered { server, answers })
}

fn clock(state: &mut LiveState, now: u64, wall: i64) -> Vec<Effect> {
    state.observe(Observation::Clock {
        now: SimTime(now),
        wall: Millis(wall),
    })
}

fn picture(state: &LiveState) -> Picture {
    state.picture(&EventFilter::default())
}

fn told(state: &LiveState) -> Vec<String> {
    picture(state).events.into_iter().map(|e| e.text).collect()
}

fn server(picture: &Picture, id: ServerId) -> &ServerPicture {
    picture
        .servers
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("{id} is drawn"))
}

fn process(picture: &Picture, id: ProcessId) -> &ProcessPicture {
    picture
        .processes
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("{id} is drawn"))
}

#[test]
fn a_new_session_starts_its_processes_and_says_so() {
    let (state, effects) = session(3, true, 3);
    let started: Vec<ProcessId> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Spawn { process } => Some(*process),
            _ => None,
        })
        .collect();
    assert_eq!(started, vec![ProcessId(1), ProcessId(2), ProcessId(3)]);
    assert_eq!(told(&state)[0], "p3 starts (a real process)");
    let drawn = picture(&state);
    assert_eq!(drawn.processes.len(), 3);
    assert!(drawn
        .processes
        .iter()
        .all(|p| p.role == ProcessRole::Connecting && p.session.is_none()));
    // No server has answered yet: none is drawn as up.
    assert!(drawn.servers.iter().all(|s| s.role == ServerRole::Down));
    assert_eq!(
        server(&drawn, ZK2).config.as_deref(),
        Some("tickTime=200\n# zk2\n")
    );
}

#[test]
fn a_standalone_servers_srvr_and_cons_give_its_card() {
    let (mut state, _) = session(1, false, 0);
    answered(&mut state, ZK1, standalone());
    let drawn = picture(&state);
    let zk1 = server(&drawn, ZK1);
    assert_eq!(zk1.role, ServerRole::Standalone);
    assert_eq!(zk1.last_zxid, Zxid(0x5));
    // `cons` lists three connections; the one asking (no `sid`) is nobody's.
    assert_eq!(zk1.clients, 2);
    assert_eq!(zk1.silent_since, None);
    assert_eq!(told(&state)[0], "zk1 serves, standalone");
}

#[test]
fn a_three_server_ensemble_is_drawn_leader_and_followers_with_its_epoch() {
    let state = recorded_ensemble();
    let drawn = picture(&state);
    assert_eq!(server(&drawn, ZK3).role, ServerRole::Leading(1));
    assert_eq!(server(&drawn, ZK1).role, ServerRole::Following(ZK3));
    assert_eq!(server(&drawn, ZK2).role, ServerRole::Following(ZK3));
    assert_eq!(server(&drawn, ZK2).last_zxid, Zxid(0x1_0000_000a));
    // The candidates are on zk2, the tree follower on zk1, nobody on the leader.
    assert_eq!(
        drawn.servers.iter().map(|s| s.clients).collect::<Vec<_>>(),
        vec![1, 3, 0]
    );
    let events = told(&state);
    assert!(
        events.contains(&"zk3 leads the ensemble".to_owned()),
        "{events:?}"
    );
    assert!(
        events.contains(&"zk1 follows the leader".to_owned()),
        "{events:?}"
    );
}

#[test]
fn a_server_without_a_quorum_is_drawn_electing() {
    let mut state = recorded_ensemble();
    let no_quorum = Answers {
        srvr: include_str!("../../recorded/ensemble3-zk3-srvr-no-quorum.txt").to_owned(),
        ..Answers::default()
    };
    answered(&mut state, ZK3, no_quorum);
    let drawn = picture(&state);
    assert_eq!(server(&drawn, ZK3).role, ServerRole::Looking);
    assert_eq!(server(&drawn, ZK3).clients, 0);
    assert_eq!(told(&state)[0], "zk3 is electing a leader (not serving)");
}

#[test]
fn zooscopes_processes_are_placed_on_their_server_with_the_leaders_countdown() {
    let mut state = recorded_ensemble();
    clock(&mut state, 10_000, CANDIDATES_EXPIRE_MS - 1_500);
    let drawn = picture(&state);
    let p2 = process(&drawn, ProcessId(2));
    assert_eq!(p2.session, Some(SessionId(S1)));
    assert_eq!((p2.server, p2.connected), (Some(ZK2), true));
    assert_eq!(p2.role, ProcessRole::Leader);
    assert!(p2.believes_leader && !p2.stale);
    // The leader's expiry bucket, printed to the second, less the wall clock.
    assert_eq!(p2.session_left_ms, Some(1_500));
    assert_eq!(
        process(&drawn, ProcessId(3)).role,
        ProcessRole::Watching("/election/c_0000000001".to_owned())
    );
    // Zooscope's own sessions (and its tree follower's) are never drawn as someone else's.
    for look in 1..=6 {
        clock(
            &mut state,
            10_000 + look * 150,
            CANDIDATES_EXPIRE_MS - 1_500,
        );
    }
    assert_eq!(picture(&state).processes.len(), 3);
}

#[test]
fn a_believer_whose_session_the_leader_no_longer_tracks_is_stale() {
    let mut state = recorded_ensemble();
    // p2's session was expired by the leader, which no longer lists it; p2 still believes.
    let mut dump = ensemble3(ZK3);
    dump.dump = dump.dump.map(|d| d.replace("\t0x20000417ee90001\n", ""));
    answered(&mut state, ZK3, dump);
    let p2 = picture(&state).processes.remove(1);
    assert!(p2.believes_leader && p2.stale, "{p2:?}");
    assert_eq!(p2.session_left_ms, None);
}

#[test]
fn other_sessions_become_external_processes_after_a_few_looks() {
    let (mut state, _) = session(1, false, 0);
    answered(&mut state, ZK1, standalone());
    for look in 1..UNCLAIMED_LOOKS {
        clock(&mut state, u64::from(look) * 150, 0);
        assert!(picture(&state).processes.is_empty(), "look {look}");
    }
    clock(&mut state, 1_000, 0);
    let drawn = picture(&state);
    let ids: Vec<(ProcessId, Option<SessionId>, ProcessKind)> = drawn
        .processes
        .iter()
        .map(|p| (p.id, p.session, p.kind))
        .collect();
    assert_eq!(
        ids,
        vec![
            (ProcessId(101), Some(SessionId(A)), ProcessKind::External),
            (ProcessId(102), Some(SessionId(B)), ProcessKind::External),
        ]
    );
    // Each one's candidate is found in the dump's ephemerals.
    assert_eq!(
        drawn.processes[1].candidate.as_deref(),
        Some("/election/c_0000000001")
    );
    assert_eq!(
        told(&state)[0],
        "p102 is an external client: session 0x10000494a1e0001"
    );
}

#[test]
fn an_external_exists_watch_is_drawn_from_wchp_and_a_child_watch_is_not() {
    let (mut state, _) = session(1, false, 0);
    answered(&mut state, ZK1, standalone());
    for look in 0..UNCLAIMED_LOOKS {
        clock(&mut state, u64::from(look) * 150, 0);
    }
    let drawn = picture(&state);
    assert_eq!(
        drawn.watches,
        vec![WatchEdge {
            watcher: ProcessId(102),
            path: "/election/c_0000000000".to_owned(),
            owner: Some(ProcessId(101)),
        }]
    );
    // A's child watch on /election is in no four-letter word (wchc lists none either).
    let wchc = observe::watches_by_path(include_str!("../../recorded/standalone-wchc.txt"));
    assert!(!wchc.contains_key("/election"));
}

#[test]
fn the_consoles_session_is_drawn_as_the_console() {
    let (mut state, _) = session(1, false, 0);
    answered(&mut state, ZK1, standalone());
    state.observe(Observation::ConsoleSession(A));
    clock(&mut state, 150, 0);
    let drawn = picture(&state);
    let console = process(&drawn, CONSOLE);
    assert_eq!(console.kind, ProcessKind::Console);
    assert_eq!(console.session, Some(SessionId(A)));
    assert!(told(&state).contains(&format!(
        "the console opens session 0x{A:x}: it is drawn as p100"
    )));
}

#[test]
fn a_server_that_stops_answering_says_so_on_its_card_and_recovers() {
    let mut state = recorded_ensemble();
    clock(&mut state, 5_000, 0);
    state.observe(Observation::Silent {
        server: ZK2,
        silence: Silence::TimedOut,
    });
    clock(&mut state, 6_000, 0);
    state.observe(Observation::Silent {
        server: ZK2,
        silence: Silence::TimedOut,
    });
    let drawn = picture(&state);
    let zk2 = server(&drawn, ZK2);
    // Frozen since it was first found silent; still the follower it last said it was.
    assert_eq!(zk2.silent_since, Some(SimTime(5_000)));
    assert_eq!(zk2.role, ServerRole::Following(ZK3));
    // What it listed is not current: its clients are not drawn as connected to it.
    assert_eq!(zk2.clients, 0);
    assert_eq!(process(&drawn, ProcessId(1)).server, None);
    let events = told(&state);
    assert_eq!(
        events[0],
        "zk2 accepts connections but does not answer: it runs, frozen"
    );
    assert_eq!(events.iter().filter(|e| e.contains("frozen")).count(), 1);
    answered(&mut state, ZK2, ensemble3(ZK2));
    let drawn = picture(&state);
    assert_eq!(server(&drawn, ZK2).silent_since, None);
    assert_eq!(server(&drawn, ZK2).clients, 3);
    assert_eq!(told(&state)[0], "zk2 follows the leader");
}

#[test]
fn a_server_whose_port_refuses_is_down() {
    let mut state = recorded_ensemble();
    state.observe(Observation::Silent {
        server: ZK1,
        silence: Silence::Refused,
    });
    let drawn = picture(&state);
    assert_eq!(server(&drawn, ZK1).role, ServerRole::Down);
    assert_eq!(server(&drawn, ZK1).silent_since, None);
    assert_eq!(told(&state)[0], "zk1 does not answer: it is down");
    // A server not yet heard from that refuses is starting: nothing to tell.
    let (mut fresh, _) = session(3, true, 0);
    fresh.observe(Observation::Silent {
        server: ZK1,
        silence: Silence::Refused,
    });
    assert!(told(&fresh).is_empty());
}

#[test]
fn a_leader_that_exits_on_its_own_is_drawn_crashed_and_its_failure_kept() {
    let mut state = recorded_ensemble();
    clock(&mut state, 2_000, 0);
    // The end of an earlier process's output (its PID is not p2's now) is not p2's end.
    state.observe(Observation::Exited {
        process: ProcessId(2),
        pid: 999,
    });
    assert_eq!(picture(&state).processes[1].liveness, Liveness::Running);
    state.observe(Observation::Exited {
        process: ProcessId(2),
        pid: 1002,
    });
    let drawn = picture(&state);
    let p2 = process(&drawn, ProcessId(2));
    assert_eq!(
        (p2.liveness, &p2.role),
        (Liveness::Crashed, &ProcessRole::Crashed)
    );
    assert!(!p2.believes_leader && p2.can_restart);
    assert_eq!(
        drawn.failure.as_ref().map(|f| (f.leader, f.at)),
        Some((ProcessId(2), SimTime(2_000)))
    );
    assert_eq!(
        told(&state)[0],
        "p2 exits on its own: its session lingers until the ensemble expires it"
    );
    // Its successor's notification wakes it; the failure counts it.
    clock(&mut state, 2_400, 0);
    report(
        &mut state,
        ProcessId(1),
        Report::Notified {
            path: "/election/c_0000000000".to_owned(),
            kind: "NodeDeleted".to_owned(),
        },
    );
    let drawn = picture(&state);
    assert_eq!(drawn.failure.map(|f| f.woken), Some(vec![ProcessId(1)]));
    assert_eq!(state.notified(ProcessId(1)), Some(1));
}

#[test]
fn killing_a_process_signals_its_pid_and_a_second_kill_is_refused_changing_nothing() {
    let mut state = recorded_ensemble();
    let effects = state.act(&Action::KillProcess(ProcessId(3)));
    assert_eq!(
        effects,
        Ok(vec![Effect::Signal {
            process: ProcessId(3),
            pid: 1003,
            signal: Signal::Kill,
        }])
    );
    let before = picture(&state);
    assert_eq!(
        state.act(&Action::KillProcess(ProcessId(3))),
        Err("p3 is not running".to_owned())
    );
    assert_eq!(
        state.act(&Action::StopProcess(ProcessId(9))),
        Err("there is no process p9".to_owned())
    );
    assert_eq!(picture(&state), before);
    // A process that has not told its PID yet cannot be signalled.
    let (mut fresh, _) = session(1, true, 1);
    assert_eq!(
        fresh.act(&Action::PauseProcess(ProcessId(1), 1000)),
        Err("p1 is still starting".to_owned())
    );
}

#[test]
fn a_pause_ends_on_the_clock_with_sigcont() {
    let mut state = recorded_ensemble();
    clock(&mut state, 1_000, 0);
    assert_eq!(
        state.act(&Action::PauseProcess(ProcessId(2), 5_000)),
        Ok(vec![Effect::Signal {
            process: ProcessId(2),
            pid: 1002,
            signal: Signal::Stop,
        }])
    );
    let p2 = picture(&state).processes.remove(1);
    // Paused while leading: it still believes it leads.
    assert_eq!((p2.liveness, p2.believes_leader), (Liveness::Paused, true));
    assert_eq!(
        state.act(&Action::PauseProcess(ProcessId(2), 5_000)),
        Err("p2 is paused already".to_owned())
    );
    assert!(clock(&mut state, 5_999, 0).is_empty());
    assert_eq!(
        clock(&mut state, 6_000, 0),
        vec![Effect::Signal {
            process: ProcessId(2),
            pid: 1002,
            signal: Signal::Cont,
        }]
    );
    assert!(clock(&mut state, 6_150, 0).is_empty());
    assert_eq!(picture(&state).processes[1].liveness, Liveness::Running);
    assert_eq!(
        told(&state)[0],
        "p2 resumes (SIGCONT), still believing what it believed"
    );
}

#[test]
fn a_paused_process_is_resumed_before_it_is_stopped_or_removed() {
    // SIGSTOPped, it cannot read its stdin closing: it would be SIGKILLed after its grace and
    // its session would linger. Resumed first, it closes its session as a stop should.
    for (action, ended) in [
        (Action::StopProcess(ProcessId(2)), Liveness::Stopped),
        (Action::RemoveProcess(ProcessId(2)), Liveness::Paused),
    ] {
        let mut state = recorded_ensemble();
        clock(&mut state, 1_000, 0);
        assert!(state
            .act(&Action::PauseProcess(ProcessId(2), 5_000))
            .is_ok());
        assert_eq!(
            state.act(&action),
            Ok(vec![
                Effect::Signal {
                    process: ProcessId(2),
                    pid: 1002,
                    signal: Signal::Cont,
                },
                Effect::Stop {
                    process: ProcessId(2)
                },
            ]),
            "{action:?}"
        );
        // The pause's own end sends no second SIGCONT.
        assert!(clock(&mut state, 6_000, 0).is_empty(), "{action:?}");
        if ended == Liveness::Stopped {
            assert_eq!(picture(&state).processes[1].liveness, Liveness::Stopped);
        }
    }
    // A running process is stopped without a SIGCONT.
    let mut state = recorded_ensemble();
    assert_eq!(
        state.act(&Action::StopProcess(ProcessId(2))),
        Ok(vec![Effect::Stop {
            process: ProcessId(2)
        }])
    );
}

#[test]
fn a_process_restarts_only_once_it_has_ended_and_keeps_its_count_of_notifications() {
    let mut state = recorded_ensemble();
    report(
        &mut state,
        ProcessId(1),
        Report::Notified {
            path: "/election/c_0000000000".to_owned(),
            kind: "NodeDeleted".to_owned(),
        },
    );
    assert_eq!(
        state.act(&Action::RestartProcess(ProcessId(1))),
        Err("p1 is running: kill or stop it first".to_owned())
    );
    assert_eq!(
        state.act(&Action::StopProcess(ProcessId(1))),
        Ok(vec![Effect::Stop {
            process: ProcessId(1)
        }])
    );
    assert_eq!(
        state.act(&Action::RestartProcess(ProcessId(1))),
        Ok(vec![Effect::Spawn {
            process: ProcessId(1)
        }])
    );
    let p1 = picture(&state).processes.remove(0);
    assert_eq!((p1.role, p1.session), (ProcessRole::Connecting, None));
    assert_eq!(state.notified(ProcessId(1)), Some(1));
    assert_eq!(told(&state)[0], "p1 starts again with a new session");
}

#[test]
fn servers_are_killed_and_started_only_when_zooscope_runs_them() {
    let mut state = recorded_ensemble();
    assert_eq!(
        state.act(&Action::RestartServer(ZK1)),
        Err("zk1 is running: kill it first".to_owned())
    );
    assert_eq!(
        state.act(&Action::KillServer(ZK1)),
        Ok(vec![Effect::KillServer(ZK1)])
    );
    assert_eq!(
        state.act(&Action::KillServer(ZK1)),
        Err("zk1 is down already".to_owned())
    );
    assert_eq!(
        state.act(&Action::KillServer(ServerId(7))),
        Err("there is no server zk7".to_owned())
    );
    assert_eq!(
        state.act(&Action::RestartServer(ZK1)),
        Ok(vec![Effect::StartServer(ZK1)])
    );
    let (mut attached, _) = session(1, false, 0);
    answered(&mut attached, ZK1, standalone());
    assert_eq!(
        attached.act(&Action::KillServer(ZK1)),
        Err("zk1 runs outside Zooscope: it cannot be killed from here".to_owned())
    );
}

#[test]
fn someone_elses_process_is_not_zooscopes_to_act_on() {
    let (mut state, _) = session(1, false, 0);
    answered(&mut state, ZK1, standalone());
    for look in 0..UNCLAIMED_LOOKS {
        clock(&mut state, u64::from(look) * 150, 0);
    }
    assert_eq!(
        state.act(&Action::KillProcess(ProcessId(101))),
        Err("p101 is not Zooscope's process: it cannot kill it".to_owned())
    );
}

#[test]
fn the_headline_is_chosen_by_what_happened_not_by_its_words() {
    let mut state = recorded_ensemble();
    assert_eq!(
        picture(&state).headline.as_deref(),
        Some("zk3 leads the ensemble")
    );
    // Words that would have fooled a search for " leads" and "killed".
    for path in ["/who leads", "/killed"] {
        state.observe(Observation::Tree(TreeNews::Created(path.to_owned())));
    }
    assert_eq!(
        picture(&state).headline.as_deref(),
        Some("zk3 leads the ensemble")
    );
    let _ = state.act(&Action::KillProcess(ProcessId(2)));
    assert_eq!(
        picture(&state).headline.as_deref(),
        Some("p2 is killed (SIGKILL): its session lingers until the ensemble expires it")
    );
}

#[test]
fn the_tree_is_what_the_follower_read() {
    let (mut state, _) = session(1, false, 0);
    let node = |owner: i64| ZnodePicture {
        kind: NodeKind::from_owner(owner),
        data: None,
        stat: zooscope_core::Stat {
            ephemeral_owner: owner,
            ..zooscope_core::Stat::default()
        },
        children: Vec::new(),
    };
    let whole: BTreeMap<String, ZnodePicture> = [
        ("/".to_owned(), node(0)),
        ("/election".to_owned(), node(0)),
        ("/election/c_0000000000".to_owned(), node(A)),
    ]
    .into_iter()
    .collect();
    state.observe(Observation::Tree(TreeNews::Whole(whole)));
    state.observe(Observation::Tree(TreeNews::Read(
        "/election/c_0000000000".to_owned(),
        None,
    )));
    state.observe(Observation::Tree(TreeNews::Deleted(
        "/election/c_0000000000".to_owned(),
    )));
    let drawn = picture(&state);
    assert_eq!(
        drawn.tree.keys().collect::<Vec<_>>(),
        vec!["/", "/election"]
    );
    assert_eq!(told(&state)[0], "/election/c_0000000000 is deleted");
}

#[test]
fn at_most_sixty_processes_run_live_and_a_removed_one_is_stopped_and_gone() {
    let (mut state, effects) = session(1, true, MAX_PROCESSES + 5);
    assert_eq!(effects.len(), MAX_PROCESSES);
    assert_eq!(
        state.act(&Action::AddProcess),
        Err(format!("at most {MAX_PROCESSES} processes run live"))
    );
    state.observe(Observation::Spawned {
        process: ProcessId(4),
        pid: 44,
    });
    assert_eq!(
        state.act(&Action::RemoveProcess(ProcessId(4))),
        Ok(vec![Effect::Stop {
            process: ProcessId(4)
        }])
    );
    assert!(picture(&state)
        .processes
        .iter()
        .all(|p| p.id != ProcessId(4)));
    assert_eq!(
        state.act(&Action::AddProcess),
        Ok(vec![Effect::Spawn {
            process: ProcessId(61)
        }])
    );
}

#[test]
fn a_process_that_cannot_start_is_drawn_crashed_with_the_reason() {
    let (mut state, _) = session(1, true, 1);
    state.observe(Observation::SpawnFailed {
        process: ProcessId(1),
        why: "no such file".to_owned(),
    });
    let p1 = picture(&state).processes.remove(0);
    assert_eq!((p1.liveness, p1.can_restart), (Liveness::Crashed, true));
    assert_eq!(told(&state)[0], "p1 could not start: no such file");
}
