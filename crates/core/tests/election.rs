//! The simulated cluster elects a leader, and elects the successor when the leader dies.

#![allow(clippy::expect_used)]

use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::{Command, Config, Sim};

fn started(config: Config) -> Sim {
    let mut sim = Sim::new(config);
    let elected = sim.run_while(20_000, |s| s.leaders().len() == 1);
    if !elected {
        for e in sim.trace().iter().rev().take(60).rev() {
            eprintln!("{:>6} {}", e.time, e.narrate());
        }
    }
    assert!(elected, "no leader after 20 s");
    sim
}

#[test]
fn five_processes_elect_one_leader() {
    let sim = started(Config::default());
    assert_eq!(sim.leaders().len(), 1);
    let leader = sim.leaders()[0];
    let smallest = sim
        .processes()
        .filter_map(|p| p.candidate().map(|c| (c.path.clone(), p.id())))
        .min()
        .expect("candidates");
    assert_eq!(smallest.1, leader, "the smallest candidate leads");
}

#[test]
fn the_successor_takes_over_when_the_leader_dies() {
    let mut sim = started(Config::default());
    let leader = sim.leaders()[0];
    sim.apply(Command::KillProcess(leader));
    let next = sim.run_while(sim.now() + 20_000, |s| {
        s.leaders().len() == 1 && s.leaders()[0] != leader
    });
    for e in sim.trace().iter().rev().take(40).rev() {
        eprintln!("{:>6} {}", e.time, e.narrate());
    }
    assert!(next, "no successor");
    let _ = RecipeKind::Herd;
}
