//! Live mode against the real ZooKeeper 3.8 that setup installs: a real ensemble of three
//! servers and five real `zooscope candidate` processes, started by the bridge (loopback only,
//! stopped by PID when the bridge is dropped — also when a test fails), driven with the same
//! commands as the simulation and read through the same `Picture`.
#![allow(clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use zooscope_core::actor::role::{ProcessRole, ServerRole};
use zooscope_core::ids::{ProcessId, ServerId};
use zooscope_core::picture::Action;
use zooscope_core::picture::{EventFilter, Picture, ProcessKind};
use zooscope_core::recipe::RecipeKind as Recipe;
use zooscope_live::bridge::{Bridge, LiveSettings, Servers};

/// How long a settled election or a failover may take on a busy machine.
const PATIENCE: Duration = Duration::from_secs(60);
/// The session timeout the candidates ask for.
const SESSION_MS: u32 = 3_000;

fn settings(servers: Servers, processes: u32, recipe: Recipe) -> LiveSettings {
    LiveSettings {
        servers,
        processes,
        recipe,
        session_timeout_ms: SESSION_MS,
        program: PathBuf::from(env!("CARGO_BIN_EXE_zooscope")),
    }
}

fn start(settings: &LiveSettings) -> Bridge {
    Bridge::start(settings).unwrap_or_else(|e| {
        panic!("{e} — live mode's tests need the real server: run scripts/setup.sh")
    })
}

/// Refreshes the bridge until `done` holds of its picture; the picture then.
fn wait_until(bridge: &mut Bridge, what: &str, done: impl Fn(&Picture) -> bool) -> Picture {
    let started = Instant::now();
    loop {
        let picture = bridge.frame(&EventFilter::default());
        if done(&picture) {
            return picture;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "waited {PATIENCE:?} for {what}; the story: {:#?}",
            picture.events.iter().map(|e| &e.text).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn leaders(picture: &Picture) -> Vec<ProcessId> {
    picture
        .processes
        .iter()
        .filter(|p| p.role == ProcessRole::Leader)
        .map(|p| p.id)
        .collect()
}

/// One leader, and every other running candidate watching.
fn settled(picture: &Picture) -> bool {
    let candidates: Vec<_> = picture
        .processes
        .iter()
        .filter(|p| p.kind == ProcessKind::Candidate && p.is_alive())
        .collect();
    leaders(picture).len() == 1
        && candidates.iter().all(|p| {
            matches!(
                p.role,
                ProcessRole::Leader | ProcessRole::Watching(_) | ProcessRole::WatchingAll
            )
        })
}

fn notifications(bridge: &Bridge, picture: &Picture) -> BTreeMap<ProcessId, u64> {
    picture
        .processes
        .iter()
        .filter_map(|p| Some((p.id, bridge.notified(p.id)?)))
        .collect()
}

/// Kills the leader through the bridge and returns (who was woken, who leads next, how long
/// the ensemble took).
fn kill_the_leader(bridge: &mut Bridge) -> (Vec<ProcessId>, ProcessId, Duration) {
    let before = wait_until(bridge, "one leader, the others watching", settled);
    let leader = leaders(&before)[0];
    let counts = notifications(bridge, &before);
    bridge
        .act(&Action::KillProcess(leader))
        .expect("the bridge kills its own process");
    let killed = Instant::now();
    let after = wait_until(bridge, "a new leader", |p| {
        settled(p) && leaders(p)[0] != leader
    });
    let took = killed.elapsed();
    // Let the reports of the others' re-reads come in.
    std::thread::sleep(Duration::from_millis(500));
    bridge.frame(&EventFilter::default());
    let woken: Vec<ProcessId> = notifications(bridge, &after)
        .into_iter()
        .filter(|(p, n)| *p != leader && counts.get(p).is_some_and(|before| n > before))
        .map(|(p, _)| p)
        .collect();
    (woken, leaders(&after)[0], took)
}

#[test]
fn a_killed_live_leader_wakes_only_its_successor_which_leads() {
    let mut bridge = start(&settings(Servers::Start(3), 5, Recipe::Successor));
    let (woken, next, took) = kill_the_leader(&mut bridge);
    assert_eq!(
        woken,
        [next],
        "exactly one process was notified, and it leads"
    );
    // ZooKeeper grants 3 s (tickTime 200 allows 0.4–4 s); its expiry buckets round up by
    // up to a tick. And no sooner than the session can expire: a killed process says nothing,
    // and its client pinged at most a third of the timeout before (Java's client pings after a
    // third of it idle; the zookeeper-client crate our candidates use, every 3/20 of it), so two
    // thirds must pass — a close sent at the kill would be quicker.
    let soonest = Duration::from_millis(u64::from(SESSION_MS) * 2 / 3);
    assert!(
        took >= soonest && took <= Duration::from_millis(u64::from(SESSION_MS) + 2_000),
        "the successor led {took:?} after the kill (no sooner than {soonest:?})"
    );
    eprintln!("live failover (successor, 5 processes, 3 servers): {took:?}");
}

#[test]
fn a_killed_live_leader_wakes_the_whole_herd() {
    let mut bridge = start(&settings(Servers::Start(3), 5, Recipe::Herd));
    let (woken, next, took) = kill_the_leader(&mut bridge);
    assert_eq!(
        woken.len(),
        4,
        "every other process was notified: {woken:?}"
    );
    assert!(woken.contains(&next));
    eprintln!("live failover (herd, 5 processes, 3 servers): {took:?}");
}

#[test]
fn killing_a_server_keeps_every_session() {
    let mut bridge = start(&settings(Servers::Start(3), 5, Recipe::Successor));
    let before = wait_until(&mut bridge, "a settled election", settled);
    let leading = |p: &Picture| {
        p.servers
            .iter()
            .find(|s| matches!(s.role, ServerRole::Leading(_)))
            .map(|s| s.id)
    };
    let leader = leading(&before).expect("a leading server");
    let sessions: BTreeMap<ProcessId, _> =
        before.processes.iter().map(|p| (p.id, p.session)).collect();
    // The server to kill has processes connected to it — their sessions are the ones at stake
    // — and is the leading one when any process is on it (the client library picks its server
    // at random, so five processes may all be on the followers).
    let on = |server: ServerId| -> Vec<ProcessId> {
        before
            .processes
            .iter()
            .filter(|p| p.server == Some(server))
            .map(|p| p.id)
            .collect()
    };
    let server = if on(leader).is_empty() {
        before
            .servers
            .iter()
            .map(|s| s.id)
            .max_by_key(|s| on(*s).len())
            .expect("a server")
    } else {
        leader
    };
    let on_it = on(server);
    assert!(
        !on_it.is_empty(),
        "no process is connected to {server}: the test would show nothing"
    );
    bridge
        .act(&Action::KillServer(server))
        .expect("the bridge kills its own server");
    let after = wait_until(&mut bridge, "the server down, another leading", |p| {
        leading(p).is_some_and(|s| s != server)
            && p.servers
                .iter()
                .any(|s| s.id == server && s.role == ServerRole::Down)
    });
    // The processes reconnect to the others within their session timeout: same sessions.
    std::thread::sleep(Duration::from_millis(u64::from(SESSION_MS) + 1_000));
    let later = wait_until(&mut bridge, "the election settled again", settled);
    for p in &later.processes {
        assert_eq!(
            Some(&p.session),
            sessions.get(&p.id),
            "{} kept its session",
            p.id
        );
        assert_ne!(p.role, ProcessRole::SessionExpired);
    }
    assert_ne!(leading(&after), Some(server));
    // Those that were on it moved to another server, with their sessions.
    for p in later.processes.iter().filter(|p| on_it.contains(&p.id)) {
        assert!(
            p.server.is_some_and(|s| s != server),
            "{} moved off {server}: {:?}",
            p.id,
            p.server
        );
    }
    bridge
        .act(&Action::RestartServer(server))
        .expect("the bridge restarts its own server");
    wait_until(&mut bridge, "the server back, following", |p| {
        p.servers
            .iter()
            .any(|s| s.id == server && matches!(s.role, ServerRole::Following(_)))
    });
}

#[test]
fn attached_to_a_server_it_did_not_start_it_sees_an_external_client() {
    use zookeeper_client::{Acls, Client, CreateMode};
    use zooscope_live::zookeeper::{Installation, RealServer, ServerSettings};
    let installation = Installation::find().expect("the real server is installed");
    let server = RealServer::start(&installation, ServerSettings::default()).expect("it starts");
    // A student's own program: an ephemeral candidate and an exists watch on another path.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (client, _watch) = runtime.block_on(async {
        let client = Client::connector()
            .with_session_timeout(Duration::from_secs(10))
            .connect(&server.address())
            .await
            .expect("the student connects");
        let anyone = CreateMode::Persistent.with_acls(Acls::anyone_all());
        client
            .create("/election", b"", &anyone)
            .await
            .expect("/election");
        let ephemeral = CreateMode::Ephemeral.with_acls(Acls::anyone_all());
        client
            .create("/election/mine", b"", &ephemeral)
            .await
            .expect("an ephemeral node");
        let watch = client
            .check_and_watch_stat("/election/theirs")
            .await
            .expect("an exists watch");
        (client, watch)
    });
    let mut bridge = start(&settings(
        Servers::Attach(vec![server.address()]),
        0,
        Recipe::Successor,
    ));
    wait_until(&mut bridge, "the external client", |p| {
        p.processes.iter().any(|e| {
            e.kind == ProcessKind::External && e.candidate.as_deref() == Some("/election/mine")
        }) && p.watches.iter().any(|w| w.path == "/election/theirs")
    });
    let picture = wait_until(&mut bridge, "the tree read", |p| {
        p.tree.contains_key("/election/mine")
    });
    assert!(
        picture.servers.iter().all(|s| s.config.is_none()),
        "a server someone else runs has no zoo.cfg of Zooscope's"
    );
    assert!(picture.tree["/election"]
        .children
        .contains(&"mine".to_owned()));
    assert!(
        bridge.act(&Action::KillServer(ServerId(1))).is_err(),
        "a server Zooscope did not start is not Zooscope's to kill"
    );
    let external = picture
        .processes
        .iter()
        .find(|p| p.kind == ProcessKind::External)
        .map(|p| p.id)
        .expect("an external process");
    let refused = bridge
        .act(&Action::KillProcess(external))
        .expect_err("an external process is not Zooscope's to kill");
    assert!(refused.contains("not Zooscope's process"), "{refused}");
    drop(client);
}

#[test]
fn real_processes_stop_pause_restart_come_and_go() {
    let mut bridge = start(&settings(Servers::Start(1), 4, Recipe::Successor));
    let before = wait_until(&mut bridge, "a settled election", settled);
    let leader = leaders(&before)[0];
    let follower = before
        .processes
        .iter()
        .find(|p| p.id != leader)
        .map(|p| (p.id, p.candidate.clone().expect("a candidate")))
        .expect("a follower");
    // A graceful stop closes the session: the candidate vanishes at once, long before the
    // session could have expired.
    let stopped = Instant::now();
    bridge
        .act(&Action::StopProcess(follower.0))
        .expect("the bridge stops its own process");
    wait_until(&mut bridge, "the stopped process's candidate gone", |p| {
        !p.tree.contains_key(&follower.1)
    });
    assert!(
        stopped.elapsed() < Duration::from_millis(u64::from(SESSION_MS)),
        "the candidate went {:?} after the stop",
        stopped.elapsed()
    );
    // A pause longer than the session: the others elect a new leader while the paused one
    // still believes it leads — split brain, its belief stale.
    bridge
        .act(&Action::PauseProcess(leader, 8_000))
        .expect("the bridge pauses its own process");
    let split = wait_until(&mut bridge, "split brain", |p| {
        p.split_brain
            .as_ref()
            .is_some_and(|s| s.stale.contains(&leader) && s.believers.len() == 2)
    });
    assert!(split
        .processes
        .iter()
        .any(|p| p.id == leader && p.stale && p.role == ProcessRole::Paused));
    // The paused process resumes, learns its session expired, and starts over.
    wait_until(&mut bridge, "the paused leader back as a follower", |p| {
        p.split_brain.is_none()
            && p.processes
                .iter()
                .any(|q| q.id == leader && matches!(q.role, ProcessRole::Watching(_)))
    });
    // Restart the stopped one (a new session, a new candidate), add one, remove one.
    bridge
        .act(&Action::RestartProcess(follower.0))
        .expect("a stopped process restarts");
    bridge.act(&Action::AddProcess).expect("a process is added");
    let grown = wait_until(&mut bridge, "five processes settled", |p| {
        settled(p) && p.processes.len() == 5
    });
    let newest = grown
        .processes
        .iter()
        .map(|p| p.id)
        .max()
        .expect("a process");
    bridge
        .act(&Action::RemoveProcess(newest))
        .expect("a process is removed");
    wait_until(&mut bridge, "four processes settled", |p| {
        settled(p) && p.processes.len() == 4
    });
    assert!(
        bridge.act(&Action::RestartProcess(leader)).is_err(),
        "a running process is not restarted"
    );
}
