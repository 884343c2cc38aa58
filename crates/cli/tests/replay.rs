//! `zooscope replay`: a run shared from the page, as a file or a link, replays headless to
//! the same trace the core gives in-process; broken runs are refused with a message.

#![allow(clippy::expect_used)]

mod common;

use common::zooscope;
use zooscope_core::actor::trace::digest;
use zooscope_core::ids::{ProcessId, SimTime};
use zooscope_core::picture::Action;
use zooscope_core::sim::monitor::Monitor;
use zooscope_core::sim::recording::Recording;
use zooscope_core::sim::share;
use zooscope_core::sim::{Command, Config};

/// A run like one a student shares: the leader killed at 3 s.
fn shared_run() -> (Recording, ProcessId) {
    let mut sim = zooscope_core::sim::Sim::new(Config::default());
    sim.run_until(SimTime(3_000));
    let leader = sim.leaders()[0];
    (
        Recording::new(
            Config::default(),
            vec![(SimTime(3_001), Command::Act(Action::KillProcess(leader)))],
        ),
        leader,
    )
}

fn report(out: &std::process::Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn a_shared_file_and_its_link_replay_to_the_same_trace_as_the_core() {
    let (run, leader) = shared_run();
    let dir = std::env::temp_dir().join(format!("zooscope-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("run.json");
    std::fs::write(&file, share::to_file(&run)).expect("the file is written");
    let from_file = report(&zooscope(&[
        "replay",
        file.to_str().expect("a UTF-8 path"),
        "--for",
        "7000",
    ]));
    let link = format!(
        "https://example.org/zooscope/{}",
        share::link(&run).expect("a small run fits in a link")
    );
    let from_link = report(&zooscope(&["replay", &link, "--for", "7000"]));
    assert_eq!(from_file, from_link);

    // The same run in-process: same digest, same leaders, no violated property.
    let mut recording = run.clone();
    recording.config.trace = true;
    let mut sim = recording.world();
    let mut monitor = Monitor::new();
    while sim.next_time().is_some_and(|at| at <= SimTime(10_001)) {
        sim.step();
        assert_eq!(monitor.violation(&sim), None);
    }
    sim.run_until(SimTime(10_001));
    assert_eq!(from_file["digest"], digest(sim.trace()).to_string());
    assert_eq!(from_file["violations"], serde_json::json!([]));
    let reigns = zooscope_core::sim::metrics::leader_timeline(sim.trace());
    let leaders: Vec<(u64, u64, Option<u64>)> = from_file["leaders"]
        .as_array()
        .expect("leaders")
        .iter()
        .map(|r| {
            (
                r["process"].as_u64().expect("a process"),
                r["from"].as_u64().expect("a start"),
                r["until"].as_u64(),
            )
        })
        .collect();
    let expected: Vec<(u64, u64, Option<u64>)> = reigns
        .iter()
        .map(|r| {
            (
                u64::from(r.process.0),
                r.from.ms(),
                r.until.map(SimTime::ms),
            )
        })
        .collect();
    assert_eq!(leaders, expected);
    assert_eq!(leaders.len(), 2, "the killed leader, then its successor");
    assert_eq!(leaders[0].0, u64::from(leader.0));
    assert!(leaders[0].2.is_some() && leaders[1].2.is_none());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn broken_runs_are_refused_with_a_message() {
    let dir = std::env::temp_dir().join(format!("zooscope-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let not_a_run = dir.join("notes.json");
    std::fs::write(&not_a_run, "{\"hello\": 1}").expect("written");
    for (args, says) in [
        (
            vec!["replay", not_a_run.to_str().expect("UTF-8")],
            "it is not a Zooscope run",
        ),
        (
            vec!["replay", "/no/such/run.json"],
            "cannot read /no/such/run.json",
        ),
        (
            vec!["replay", "https://example.org/#run=!!!"],
            "the link is damaged",
        ),
    ] {
        let out = zooscope(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("zooscope replay: this run cannot be opened: ") && err.contains(says),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
    let out = zooscope(&["replay"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing argument is a usage error"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_console_that_deletes_the_leaders_candidate_is_reported_as_two_leaders() {
    // Someone deletes the leader's candidate by hand: its successor takes over while the
    // leader, whose session lives on, still leads — the monitor must say so.
    let mut sim = zooscope_core::sim::Sim::new(Config::default());
    sim.run_until(SimTime(3_000));
    let leader = sim.leaders()[0];
    let path = sim
        .process(leader)
        .and_then(|p| p.candidate().map(|c| c.path.clone()))
        .expect("the leader's candidate");
    let other = sim
        .processes()
        .map(|p| p.id())
        .find(|p| *p != leader)
        .expect("another process");
    let run = Recording::new(
        Config::default(),
        vec![(
            SimTime(3_001),
            Command::Console {
                process: other,
                op: zooscope_core::zk::op::Op::Delete { path, version: -1 },
                ticket: 1,
            },
        )],
    );
    let report = report(&zooscope(&[
        "replay",
        &share::link(&run).expect("a small run fits in a link"),
    ]));
    let violated: Vec<&str> = report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["property"].as_str())
        .collect();
    assert_eq!(violated, ["at most one leader"], "{report}");
}
