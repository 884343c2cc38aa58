#![allow(missing_docs)]
use zooscope_core::ids::{ProcessId, ServerId};
use zooscope_core::net::NetConfig;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::{Command, Config, Sim};
fn cfg(recipe: RecipeKind) -> Config {
    Config {
        net: NetConfig {
            latency_ms: 40,
            jitter_ms: 30,
            ..NetConfig::default()
        },
        recipe,
        ..Config::default()
    }
}
fn show(name: &str, sim: &Sim) {
    let roles: Vec<String> = sim
        .processes()
        .map(|p| format!("{}:{:?}", p.id(), p.role()))
        .collect();
    let servers: Vec<String> = sim
        .servers()
        .map(|s| format!("{}:{:?}", s.id(), s.role()))
        .collect();
    println!(
        "{name} t={} leaders={:?} believers={:?} {:?} {:?}",
        sim.now(),
        sim.leaders(),
        sim.believers(),
        roles,
        servers
    );
}
#[test]
fn scratch() {
    for recipe in [RecipeKind::Successor, RecipeKind::Herd] {
        let mut sim = Sim::new(cfg(recipe));
        for t in [500u64, 1000, 1500, 3000] {
            sim.run_until(t);
            show(&format!("{recipe:?}"), &sim);
        }
        let l = sim.leaders()[0];
        sim.command_at(3001, Command::KillProcess(l));
        for t in [3500u64, 5000, 7000, 9000] {
            sim.run_until(t);
            show("after kill", &sim);
        }
    }
    // ensemble
    let mut sim = Sim::new(cfg(RecipeKind::Successor));
    sim.command_at(3001, Command::KillServer(ServerId(3)));
    sim.run_until(6000);
    show("one server down", &sim);
    sim.command_at(6001, Command::KillServer(ServerId(2)));
    sim.run_until(9000);
    show("two servers down", &sim);
    sim.command_at(9001, Command::RestartServer(ServerId(2)));
    sim.command_at(9002, Command::RestartServer(ServerId(3)));
    sim.run_until(14000);
    show("restarted", &sim);
    // split brain
    let mut sim = Sim::new(cfg(RecipeKind::Successor));
    sim.command_at(3001, Command::PauseProcess(ProcessId(5), 8000));
    for t in [5000u64, 8000, 11001, 11500, 13000] {
        sim.run_until(t);
        show("pause", &sim);
        println!(
            "  resource {:?}",
            (sim.resource().accepted, sim.resource().rejected)
        );
    }
}
