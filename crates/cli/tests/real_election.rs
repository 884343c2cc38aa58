//! The lecture's election on a real ZooKeeper 3.8: real `zooscope candidate` processes (a real
//! client library) on a real server started and stopped by the test (by PID, on loopback).
//! What the model shows must be what really happens: the smallest candidate leads, and a
//! crashed leader's session expires and wakes exactly its successor — or, with the herd
//! recipe, every other candidate.
#![allow(clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use zooscope_core::recipe::RecipeKind as Recipe;
use zooscope_live::candidate::Report;
use zooscope_live::processes::Candidates;
use zooscope_live::zookeeper::RealServer;

mod common;

use common::real_server;

const PATIENCE: Duration = Duration::from_secs(30);
/// After the new leader says so, how long the others are still listened to: a notification
/// the herd would get arrives with the deletion, well before this.
const AFTERWARDS: Duration = Duration::from_secs(2);

/// The notifications the candidates report within [`AFTERWARDS`] of the last report.
fn late_notifications(candidates: &Candidates) -> Vec<(usize, String, String)> {
    let mut late = Vec::new();
    while let Ok((index, report)) = candidates.next_report(AFTERWARDS) {
        if let Report::Notified { kind, path } = report {
            late.push((index, kind, path));
        }
    }
    late
}

/// Starts `n` candidates and waits until one leads and the others watch; returns each
/// candidate's znode name and the leader's index.
fn elect(
    candidates: &mut Candidates,
    server: &RealServer,
    recipe: Recipe,
    n: usize,
) -> (BTreeMap<usize, String>, usize) {
    let program = Path::new(env!("CARGO_BIN_EXE_zooscope"));
    for _ in 0..n {
        candidates
            .spawn(program, &server.address(), recipe, 3000)
            .expect("a candidate starts");
    }
    let mut names = BTreeMap::new();
    let mut settled = BTreeMap::new();
    let mut leader = None;
    candidates
        .wait_for(PATIENCE, |index, report| {
            match report {
                Report::Volunteered { candidate } => {
                    names.insert(index, candidate.clone());
                }
                Report::Leading { .. } => {
                    leader = Some(index);
                    settled.insert(index, ());
                }
                Report::Watching { .. } | Report::WatchingAll { .. } => {
                    settled.insert(index, ());
                }
                _ => {}
            }
            (settled.len() == n).then_some(())
        })
        .expect("every candidate settles");
    // Reports of the last joins may still be in the pipes: let them come in first.
    while candidates.next_report(Duration::from_millis(500)).is_ok() {}
    (names, leader.expect("a leader"))
}

#[test]
fn a_crashed_leader_wakes_only_its_successor_on_a_real_zookeeper() {
    let server = real_server();
    let mut candidates = Candidates::new();
    let (names, leader) = elect(&mut candidates, &server, Recipe::Successor, 4);
    let mut ranked: Vec<(&String, usize)> = names.iter().map(|(i, n)| (n, *i)).collect();
    ranked.sort();
    assert_eq!(
        ranked[0].1, leader,
        "the smallest candidate leads: {names:?}"
    );
    let successor = ranked[1].1;
    candidates.kill(leader);
    let mut notified = Vec::new();
    let next = candidates
        .wait_for(PATIENCE, |index, report| match report {
            Report::Notified { kind, path } => {
                notified.push((index, kind.clone(), path.clone()));
                None
            }
            Report::Leading { .. } => Some(index),
            _ => None,
        })
        .expect("a new leader");
    assert_eq!(next, successor, "the successor takes over");
    // Also what comes after the new leader's report: a herd-like notification of another
    // candidate would arrive then.
    notified.extend(late_notifications(&candidates));
    assert_eq!(
        notified,
        [(
            successor,
            "NodeDeleted".to_owned(),
            format!("/election/{}", ranked[0].0)
        )],
        "exactly one process is woken, by its predecessor's deletion"
    );
}

#[test]
fn a_crashed_leader_wakes_every_candidate_with_the_herd_recipe_on_a_real_zookeeper() {
    let server = real_server();
    let mut candidates = Candidates::new();
    let (_, leader) = elect(&mut candidates, &server, Recipe::Herd, 4);
    candidates.kill(leader);
    let mut woken = std::collections::BTreeSet::new();
    candidates
        .wait_for(PATIENCE, |index, report| {
            if let Report::Notified { kind, .. } = report {
                assert_eq!(kind, "NodeChildrenChanged");
                woken.insert(index);
            }
            (woken.len() == 3).then_some(())
        })
        .expect("the others are woken");
    assert!(!woken.contains(&leader));
    // Each of them once: nobody is woken again afterwards.
    let again = late_notifications(&candidates);
    assert!(
        again
            .iter()
            .all(|(_, kind, _)| kind != "NodeChildrenChanged"),
        "woken twice: {again:?}"
    );
}

#[test]
fn the_installed_zookeeper_is_3_8() {
    // Everything Zooscope compares itself with was recorded from 3.8: another version would
    // make every conformance and fidelity check compare with the wrong server.
    let server = real_server();
    let srvr = server.four_letter("srvr").expect("srvr answers");
    assert!(
        srvr.starts_with("Zookeeper version: 3.8."),
        "the installed ZooKeeper is not 3.8: {srvr}"
    );
}
