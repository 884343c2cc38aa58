//! What the components show, read off the core: names of roles, where each actor sits in
//! the picture, who watches whom. No Yew and no protocol logic in here — only reading.

use std::collections::BTreeMap;
use zooscope_core::actor::trace::{ProcessRole, ServerRole};
use zooscope_core::ids::{Endpoint, ProcessId, ServerId, SessionId};
use zooscope_core::sim::process::{Process, Status};
use zooscope_core::sim::Sim;

/// The picture's size (SVG user units).
pub const WIDTH: f64 = 940.0;
/// The picture's height.
pub const HEIGHT: f64 = 620.0;
/// The centre of the picture (the ensemble sits there).
pub const CENTER: (f64, f64) = (430.0, 315.0);
/// Where the shared resource is drawn.
pub const RESOURCE: (f64, f64) = (820.0, 45.0);

/// A process's role as the automation contract names it (`data-role`).
pub fn process_role(p: &Process) -> &'static str {
    match p.role() {
        ProcessRole::Leader => "leader",
        ProcessRole::Watching(_) | ProcessRole::WatchingAll => "follower",
        ProcessRole::Connecting | ProcessRole::Volunteering | ProcessRole::Electing => "electing",
        ProcessRole::Crashed => "crashed",
        ProcessRole::Paused => "paused",
        ProcessRole::Stopped => "stopped",
        ProcessRole::SessionExpired => "expired",
        ProcessRole::Console => "console",
    }
}

/// Whether `p` believes it leads but is not the leader: its session is gone (or it cannot
/// know yet), and its writes carry a token the resource has already seen surpassed.
pub fn is_stale_leader(sim: &Sim, p: &Process) -> bool {
    p.believes_leader() && !sim.leaders().contains(&p.id())
}

/// What the split-brain banner says, when more than one process believes it leads: who
/// believes it, and whose belief is stale.
pub fn split_brain(sim: &Sim) -> Option<String> {
    let believers = sim.believers();
    if believers.len() < 2 {
        return None;
    }
    let names = |ids: &[ProcessId]| {
        let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    };
    let both = if believers.len() == 2 { "both" } else { "all" };
    let leaders = sim.leaders();
    let stale: Vec<ProcessId> = believers
        .iter()
        .copied()
        .filter(|p| !leaders.contains(p))
        .collect();
    let why = match stale.as_slice() {
        [] => "until a session expires, ZooKeeper cannot tell them apart".to_owned(),
        [one] => {
            format!("{one}'s session is gone, so the resource's fencing token rejects its writes")
        }
        many => format!(
            "the sessions of {} are gone, so the resource's fencing token rejects their writes",
            names(many)
        ),
    };
    Some(format!(
        "Split brain: {} {both} believe they lead — {why}.",
        names(&believers)
    ))
}

/// The role in words, for the label.
pub fn process_role_label(sim: &Sim, p: &Process) -> String {
    match p.role() {
        ProcessRole::Leader if is_stale_leader(sim, p) => "stale leader".into(),
        ProcessRole::Leader => "leader".into(),
        ProcessRole::Watching(pred) => format!("watching {}", short(&pred)),
        ProcessRole::WatchingAll => "watching all".into(),
        ProcessRole::Connecting => "connecting".into(),
        ProcessRole::Volunteering => "volunteering".into(),
        ProcessRole::Electing => "electing".into(),
        ProcessRole::Crashed => "crashed".into(),
        ProcessRole::Paused if p.believes_leader() => "paused (believes it leads)".into(),
        ProcessRole::Paused => "paused".into(),
        ProcessRole::Stopped => "stopped".into(),
        ProcessRole::SessionExpired => "session expired".into(),
        ProcessRole::Console => "console client".into(),
    }
}

/// A server's role as the automation contract names it.
pub fn server_role(role: ServerRole) -> &'static str {
    match role {
        ServerRole::Down => "down",
        ServerRole::Looking => "looking",
        ServerRole::Following(_) => "follower",
        ServerRole::Leading(_) => "leader",
    }
}

/// `c_0000000003` for `/election/c_0000000003`.
pub fn short(path: &str) -> String {
    zooscope_core::zk::path::name(path).to_owned()
}

/// Where a process sits: on rings around the ensemble, as many rings as needed.
pub fn process_position(index: usize, count: usize) -> (f64, f64) {
    let per_ring = 24usize;
    let rings = count.div_ceil(per_ring).max(1);
    let ring = index % rings;
    let slot = index / rings;
    let in_ring = count.div_ceil(rings).max(1);
    // The outermost ring stays inside the picture; inner rings step in towards the ensemble.
    let outer = if rings == 1 { 250.0 } else { 320.0 };
    let step = if rings > 1 {
        (120.0 / (rings - 1) as f64).min(52.0)
    } else {
        0.0
    };
    let radius = outer - (rings - 1 - ring) as f64 * step;
    let angle = -std::f64::consts::FRAC_PI_2 + slot as f64 / in_ring as f64 * std::f64::consts::TAU;
    (
        CENTER.0 + radius * 1.15 * angle.cos(),
        CENTER.1 + radius * 0.92 * angle.sin(),
    )
}

/// Where a server sits: a small ring in the middle.
pub fn server_position(index: usize, count: usize) -> (f64, f64) {
    if count <= 1 {
        return CENTER;
    }
    let angle = -std::f64::consts::FRAC_PI_2 + index as f64 / count as f64 * std::f64::consts::TAU;
    // Five or seven boxes need a wider ring than three to stay apart.
    let (rx, ry) = if count <= 3 {
        (105.0, 95.0)
    } else {
        (132.0, 108.0)
    };
    (CENTER.0 + rx * angle.cos(), CENTER.1 + ry * angle.sin())
}

/// Positions of every endpoint in the picture.
pub fn positions(sim: &Sim) -> BTreeMap<Endpoint, (f64, f64)> {
    let mut at = BTreeMap::new();
    let processes: Vec<ProcessId> = sim.processes().map(Process::id).collect();
    for (i, p) in processes.iter().enumerate() {
        at.insert(Endpoint::Process(*p), process_position(i, processes.len()));
    }
    let servers: Vec<ServerId> = sim.servers().map(|s| s.id()).collect();
    for (i, s) in servers.iter().enumerate() {
        at.insert(Endpoint::Server(*s), server_position(i, servers.len()));
    }
    at.insert(Endpoint::Resource, RESOURCE);
    at
}

/// Who watches whom: (watcher, watched process) for the successor recipe, (watcher, None)
/// for a herd process watching every candidate.
pub fn watch_edges(sim: &Sim) -> Vec<(ProcessId, Option<ProcessId>)> {
    let owners: BTreeMap<String, ProcessId> = sim
        .processes()
        .filter_map(|p| p.candidate().map(|c| (c.path.clone(), p.id())))
        .collect();
    sim.processes()
        .filter(|p| p.status() == Status::Running || matches!(p.status(), Status::Paused { .. }))
        .filter_map(|p| match p.role() {
            ProcessRole::Watching(pred) => Some((p.id(), owners.get(&pred).copied())),
            ProcessRole::WatchingAll => Some((p.id(), None)),
            _ => None,
        })
        .collect()
}

/// When the leader server expires each session (wall-clock ms), as its tracker sees it.
pub fn session_deadlines(sim: &Sim) -> BTreeMap<SessionId, i64> {
    sim.leader_server()
        .and_then(|l| sim.server(l))
        .and_then(|s| s.session_deadlines())
        .map(|d| d.into_iter().map(|(s, at)| (s, at.0)).collect())
        .unwrap_or_default()
}

/// Seconds left before the leader expires the process's session, from [`session_deadlines`].
pub fn session_countdown(
    sim: &Sim,
    deadlines: &BTreeMap<SessionId, i64>,
    p: &Process,
) -> Option<f64> {
    let deadline = deadlines.get(&p.client().session()?)?;
    Some(((deadline - sim.wall().0) as f64 / 1000.0).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    // Plain logic: tested natively by `cargo test`, and in the browser by `wasm-pack test`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn positions_stay_inside_the_picture() {
        for count in [1, 5, 24, 50, 60, 200] {
            for i in 0..count {
                let (x, y) = process_position(i, count);
                assert!(x > 0.0 && x < WIDTH && y > 0.0 && y < HEIGHT, "{i}/{count}");
            }
        }
    }
}
