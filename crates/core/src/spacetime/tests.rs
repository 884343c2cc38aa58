//! The diagram built from real runs' traces, and its parts from hand-made ones.

use super::*;
use crate::ids::{ProcessId, ServerId};
use crate::recipe::RecipeKind;
use crate::sim::scenario::kill_leaders;
use crate::sim::{Command, Config, Sim};

/// Five servers and `processes` candidates; the first leader is killed and the next elected.
fn failover(recipe: RecipeKind, processes: u32) -> (Sim, ProcessId, SimTime) {
    let mut sim = Sim::new(Config {
        processes,
        servers: 5,
        recipe,
        ..Config::default()
    });
    let report = kill_leaders(&mut sim, 1, 60_000).expect("a failover");
    let killed = report.failovers[0].killed;
    let at = sim
        .trace()
        .iter()
        .rfind(|e| {
            matches!(&e.kind, TraceKind::Command { .. })
                && e.actors.contains(&Endpoint::Process(killed))
        })
        .map_or(SimTime(0), |e| e.time);
    (sim, killed, at)
}

fn everything(sim: &Sim, lifelines: Vec<Endpoint>) -> View {
    View {
        lifelines,
        hidden: Vec::new(),
        timers: true,
        collapse_pings: false,
        from: SimTime(0),
        to: sim.now(),
    }
}

fn all_actors(sim: &Sim) -> Vec<Endpoint> {
    let servers = sim.servers().map(|s| Endpoint::Server(s.id()));
    servers
        .chain(sim.processes().map(|p| Endpoint::Process(p.id())))
        .collect()
}

/// The watch notifications sent after `at`, each with the commit mark that precedes it.
fn notifications_after(d: &Diagram, at: SimTime) -> Vec<&Arrow> {
    d.arrows
        .iter()
        .filter(|a| a.kind == MessageKind::WatchEvent && a.sent >= at)
        .collect()
}

#[test]
fn the_expiry_is_committed_before_the_successor_hears_of_it() {
    let (sim, killed, at) = failover(RecipeKind::Successor, 5);
    let d = Diagram::of(sim.trace(), &everything(&sim, all_actors(&sim)));
    let woken = notifications_after(&d, at);
    assert_eq!(woken.len(), 1, "one watch notification: {woken:#?}");
    let notice = woken[0];
    assert!(notice.what.contains("NodeDeleted"), "{}", notice.what);
    assert_eq!(notice.fate, Fate::Delivered);
    let Endpoint::Server(server) = notice.from else {
        panic!("a server notifies: {notice:?}")
    };
    // The leading server expired the session and committed its ephemerals' deletion first.
    let leading = Endpoint::Server(sim.leader_server().expect("a leading server"));
    let expired = d
        .marks
        .iter()
        .find(|m| m.kind == MarkKind::SessionExpired && m.at >= at)
        .expect("the session expires");
    assert_eq!(expired.actor, leading);
    let commit = d
        .marks
        .iter()
        .find(|m| m.kind == MarkKind::Committed && m.seq > expired.seq)
        .expect("the expiry is committed");
    assert_eq!(commit.actor, leading);
    assert!(commit.seq < notice.seq && commit.at <= notice.sent);
    assert!(
        d.marks
            .iter()
            .any(|m| m.kind == MarkKind::WatchFired && m.actor == Endpoint::Server(server)),
        "the notifying server fires the watch"
    );
    assert_ne!(notice.to, Endpoint::Process(killed));
    // The kill itself is marked on the killed process's lifeline.
    assert!(d.marks.iter().any(|m| m.kind == MarkKind::Command
        && m.actor == Endpoint::Process(killed)
        && m.at == at));
}

#[test]
fn the_herd_hears_of_it_all_at_once() {
    let (sim, _, at) = failover(RecipeKind::Herd, 6);
    let d = Diagram::of(sim.trace(), &everything(&sim, all_actors(&sim)));
    let woken = notifications_after(&d, at);
    // Every candidate but the killed leader is woken, once each, by its watch on the
    // candidates' parent.
    let mut to: Vec<Endpoint> = woken.iter().map(|a| a.to).collect();
    to.sort_unstable();
    to.dedup();
    assert_eq!(to.len(), 5, "{woken:#?}");
    assert_eq!(woken.len(), 5);
    assert!(woken
        .iter()
        .all(|a| a.what.contains("NodeChildrenChanged for /election")));
}

#[test]
fn every_arrow_lands_when_its_send_said() {
    let (sim, _, _) = failover(RecipeKind::Successor, 5);
    let trace = sim.trace();
    let d = Diagram::of(trace, &everything(&sim, all_actors(&sim)));
    let sent = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::Sent { .. }))
        .count();
    assert_eq!(d.arrows.len(), sent);
    for arrow in &d.arrows {
        assert!(arrow.sent <= arrow.arrives);
        match arrow.arrival_seq {
            Some(seq) => {
                let arrival = trace.iter().find(|e| e.seq == seq).expect("the arrival");
                assert_eq!(arrival.time, arrow.arrives, "{arrow:?}");
                assert!(arrival.seq > arrow.seq);
                assert!(
                    matches!(&arrival.kind, TraceKind::Delivered { from, to, what, .. }
                        | TraceKind::Stale { from, to, what, .. }
                        if *from == arrow.from && *to == arrow.to && *what == arrow.what),
                    "{arrival:?} for {arrow:?}"
                );
            }
            None => assert!(arrow.arrives >= sim.now(), "{arrow:?} never lands"),
        }
    }
}

#[test]
fn a_trace_kept_from_mid_flight_pairs_only_what_it_saw_sent() {
    let (sim, _, _) = failover(RecipeKind::Successor, 5);
    let trace = sim.trace();
    // A kept window starting in the middle: some arrivals' sends are not in it.
    for start in [trace.len() / 3, trace.len() / 2 + 1] {
        let window = &trace[start..];
        let d = Diagram::of(window, &everything(&sim, all_actors(&sim)));
        assert_eq!(d.kept_from, window[0].time);
        for arrow in &d.arrows {
            assert!(!arrow.narration.is_empty(), "{arrow:?}");
            if let Some(seq) = arrow.arrival_seq {
                let arrival = window.iter().find(|e| e.seq == seq).expect("its arrival");
                assert_eq!(
                    arrival.time, arrow.arrives,
                    "{arrow:?} paired with {arrival:?}"
                );
            } else {
                assert!(arrow.fate == Fate::Cut || arrow.arrives >= sim.now());
            }
        }
    }
}

#[test]
fn only_chosen_lifelines_and_shown_families_are_drawn() {
    let (sim, _, _) = failover(RecipeKind::Successor, 5);
    let chosen: Vec<Endpoint> = sim
        .servers()
        .map(|s| Endpoint::Server(s.id()))
        .chain([Endpoint::Process(ProcessId(1))])
        .collect();
    let mut view = everything(&sim, chosen.clone());
    let d = Diagram::of(sim.trace(), &view);
    assert!(!d.arrows.is_empty());
    assert!(d
        .arrows
        .iter()
        .all(|a| chosen.contains(&a.from) && chosen.contains(&a.to)));
    assert!(!d.marks.is_empty());
    assert!(d.marks.iter().all(|m| chosen.contains(&m.actor)));
    assert_eq!(d.lifelines.len(), 6);
    view.hidden = vec![Family::Ping];
    let without = Diagram::of(sim.trace(), &view);
    assert!(without.arrows.iter().all(|a| a.kind != MessageKind::Ping));
    let pings = d
        .arrows
        .iter()
        .filter(|a| a.kind == MessageKind::Ping)
        .count();
    assert!(pings > 0);
    assert_eq!(without.arrows.len(), d.arrows.len() - pings);
}

#[test]
fn collapsed_pings_count_what_they_stand_for() {
    let (sim, _, _) = failover(RecipeKind::Successor, 5);
    let mut view = everything(&sim, all_actors(&sim));
    let full = Diagram::of(sim.trace(), &view);
    view.collapse_pings = true;
    let collapsed = Diagram::of(sim.trace(), &view);
    let pings = |d: &Diagram| -> u32 {
        d.arrows
            .iter()
            .filter(|a| a.kind == MessageKind::Ping)
            .map(|a| a.repeats)
            .sum()
    };
    assert_eq!(pings(&full), pings(&collapsed));
    assert!(collapsed.arrows.len() < full.arrows.len());
    // A run lasts from its first ping's send to its last one's.
    assert!(collapsed.arrows.iter().any(|a| a.repeats > 1));
    for run in collapsed.arrows.iter().filter(|a| a.repeats > 1) {
        let last = full
            .arrows
            .iter()
            .filter(|a| a.kind == MessageKind::Ping && (a.from, a.to) == (run.from, run.to))
            .filter(|a| a.sent >= run.sent && a.sent <= run.until)
            .count();
        assert_eq!(last as u32, run.repeats, "{run:?}");
    }
    assert!(full.arrows.iter().all(|a| a.until == a.sent));
    // Nothing but pings is merged, and the order sent is kept.
    let others = |d: &Diagram| -> Vec<u64> {
        d.arrows
            .iter()
            .filter(|a| a.kind != MessageKind::Ping)
            .map(|a| a.seq)
            .collect()
    };
    assert_eq!(others(&full), others(&collapsed));
    assert!(collapsed.arrows.windows(2).all(|w| w[0].seq < w[1].seq));
}

#[test]
fn a_cut_link_loses_messages_at_the_send() {
    let mut sim = Sim::new(Config {
        processes: 3,
        servers: 3,
        ..Config::default()
    });
    sim.run_until(SimTime(5_000));
    sim.apply(Command::Partition(Endpoint::Server(ServerId(1)), None));
    sim.run_until(SimTime(8_000));
    let d = Diagram::of(sim.trace(), &everything(&sim, all_actors(&sim)));
    let cut: Vec<&Arrow> = d.arrows.iter().filter(|a| a.fate == Fate::Cut).collect();
    assert!(!cut.is_empty());
    for arrow in cut {
        assert!(arrow.sent >= SimTime(5_000));
        assert_eq!(arrow.sent, arrow.arrives);
        assert!(
            arrow.from == Endpoint::Server(ServerId(1))
                || arrow.to == Endpoint::Server(ServerId(1))
        );
    }
}

#[test]
fn a_span_keeps_what_is_in_the_air_and_the_roles_it_starts_with() {
    let (sim, _, at) = failover(RecipeKind::Successor, 5);
    let mut view = everything(&sim, all_actors(&sim));
    view.from = at;
    view.to = at + 2_000;
    let d = Diagram::of(sim.trace(), &view);
    assert!(!d.arrows.is_empty() && !d.marks.is_empty());
    assert!(d
        .arrows
        .iter()
        .all(|a| a.arrives >= view.from && a.sent <= view.to));
    assert!(d.marks.iter().all(|m| m.at >= view.from && m.at <= view.to));
    // Every server has a role when the span starts, written once at its top.
    let servers: Vec<_> = d
        .lifelines
        .iter()
        .filter(|l| matches!(l.actor, Endpoint::Server(_)))
        .collect();
    assert_eq!(servers.len(), sim.servers().count());
    for line in servers {
        let first = line.roles.first().expect("a role");
        assert!(first.at <= view.from, "{line:?}");
        assert!(line.roles.iter().skip(1).all(|r| r.at >= view.from));
    }
}

#[test]
fn the_consoles_client_has_a_lifeline_once_it_is_opened() {
    let mut sim = Sim::new(Config {
        processes: 3,
        servers: 3,
        ..Config::default()
    });
    sim.run_until(SimTime(2_000));
    let filter = crate::picture::EventFilter::default();
    let before = default_lifelines(&sim.picture(&filter));
    sim.apply(Command::AddConsoleClient);
    sim.run_until(SimTime(3_000));
    let picture = sim.picture(&filter);
    let console = picture
        .processes
        .iter()
        .find(|p| p.kind == ProcessKind::Console)
        .map(|p| Endpoint::Process(p.id))
        .expect("the console's client");
    let after = default_lifelines(&picture);
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains(&console));
}

#[test]
fn a_thousand_processes_start_with_the_failures_lifelines() {
    let (sim, killed, _) = failover(RecipeKind::Successor, 1000);
    let picture = sim.picture(&crate::picture::EventFilter::default());
    let lifelines = default_lifelines(&picture);
    let processes: Vec<&Endpoint> = lifelines
        .iter()
        .filter(|e| matches!(e, Endpoint::Process(_)))
        .collect();
    assert!(lifelines.contains(&Endpoint::Process(killed)));
    // The leader that failed, the one process it woke, who leads now (that one); the five
    // servers and the resource.
    assert_eq!(processes.len(), 2, "{processes:?}");
    assert_eq!(lifelines.len() - processes.len(), 6);
    assert!(lifelines.contains(&Endpoint::Resource));
    // The herd wakes 999: four of them are drawn, beside the failed leader and the next.
    let (sim, killed, _) = failover(RecipeKind::Herd, 1000);
    let picture = sim.picture(&crate::picture::EventFilter::default());
    let lifelines = default_lifelines(&picture);
    let processes = lifelines
        .iter()
        .filter(|e| matches!(e, Endpoint::Process(_)))
        .count();
    assert!(lifelines.contains(&Endpoint::Process(killed)));
    assert!((5..=6).contains(&processes), "{lifelines:?}");
}
