//! Where each actor sits in the cluster picture: the ensemble in the middle, the processes on
//! rings around it in candidate order, the resource in a corner. Geometry only — what is drawn
//! comes from the [`Picture`].
//!
//! Candidate order is the election's own order: the smallest candidate (the leader) sits at
//! the top of the innermost ring and the others follow clockwise, ring after ring. Each
//! successor watches its neighbour, so the successor recipe's watches read as one chain
//! around the ensemble and never cross it, at 5 processes as at 1,000.
//!
//! Imports from the core `ids`, `picture`.

use std::collections::BTreeSet;
use std::rc::Rc;
use zooscope_core::ids::dense::DenseMap;
use zooscope_core::ids::{Endpoint, ProcessId, ServerId};
use zooscope_core::picture::{Picture, ProcessPicture};

/// The picture's size (SVG user units).
pub const WIDTH: f64 = 940.0;
/// The picture's height.
pub const HEIGHT: f64 = 620.0;
/// The centre of the picture (the ensemble sits there).
pub const CENTER: (f64, f64) = (430.0, 315.0);
/// Where the shared resource is drawn.
pub const RESOURCE: (f64, f64) = (805.0, 45.0);

/// Rings are ellipses: this many units across per unit of ring radius, and down.
const STRETCH: (f64, f64) = (1.4, 0.92);
/// The innermost ring's radius when there are several: just outside the ensemble.
const INNER: f64 = 185.0;
/// The outermost ring's radius: inside the picture with the labels under its lowest nodes,
/// clear of the resource's box.
const OUTER: f64 = 285.0;
/// A single ring's radius (up to `ONE_RING` processes).
const SINGLE: f64 = 250.0;
/// Processes that fit on one ring, far enough apart for full labels.
const ONE_RING: usize = 24;
/// The largest process radius (a handful of processes).
pub const MAX_RADIUS: f64 = 22.0;
/// The ensemble's ellipse around the centre: its radii.
pub const ENSEMBLE: (f64, f64) = (175.0, 150.0);
/// Spacing between neighbours from which a candidate's name and session countdown fit beside
/// each node (`c_0000000012` is about 85 units wide).
pub const SUBLABEL_SPACING: f64 = 80.0;

/// How the processes are laid out: the ring radii, how many sit on each, and how big each is.
#[derive(Debug, Clone, PartialEq)]
pub struct Rings {
    /// Each ring's radius and how many processes it holds, innermost first.
    rings: Vec<(f64, usize)>,
    /// Every slot's position, in order.
    slots: Vec<(f64, f64)>,
    /// The distance between neighbours on a ring (the tightest ring's).
    pub spacing: f64,
    /// A process's radius.
    pub radius: f64,
}

impl Rings {
    /// Rings for `count` processes: one ring up to `ONE_RING`, then as many concentric
    /// rings between `INNER` and `OUTER` as keep neighbours equally far apart.
    pub fn for_count(count: usize) -> Rings {
        let count = count.max(1);
        if count <= ONE_RING {
            let spacing = circumference(SINGLE) / count.max(8) as f64;
            return Rings::new(vec![(SINGLE, count)], spacing);
        }
        // The widest spacing at which the rings hold everyone: rings sit at least `spacing`
        // apart where they are closest (above and below the ensemble), each holding as many as
        // its circumference allows.
        let fits = |spacing: f64| -> Option<Vec<f64>> {
            let rings = (((OUTER - INNER) * STRETCH.1 / spacing).floor() as usize + 1).max(2);
            let step = (OUTER - INNER) / (rings - 1) as f64;
            let radii: Vec<f64> = (0..rings).map(|i| INNER + step * i as f64).collect();
            let room: f64 = radii
                .iter()
                .map(|&r| (circumference(r) / spacing).floor())
                .sum();
            (room >= count as f64).then_some(radii)
        };
        let mut spacing = 64.0;
        let radii = loop {
            if let Some(radii) = fits(spacing) {
                break radii;
            }
            spacing *= 0.97;
        };
        // Share the processes out in proportion to each ring's length.
        let total: f64 = radii.iter().map(|&r| circumference(r)).sum();
        let mut left = count;
        let mut rings = Vec::with_capacity(radii.len());
        for (i, &r) in radii.iter().enumerate() {
            let share = if i + 1 == radii.len() {
                left
            } else {
                ((count as f64 * circumference(r) / total).round() as usize).min(left)
            };
            left -= share;
            rings.push((r, share));
        }
        // Neighbours along a ring, or from one ring to the next, whichever are closer.
        let along = rings
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|&(r, n)| circumference(r) / n as f64)
            .fold(f64::INFINITY, f64::min);
        Rings::new(rings, along.min(spacing))
    }

    fn new(rings: Vec<(f64, usize)>, spacing: f64) -> Rings {
        let slots = rings
            .iter()
            .flat_map(|&(radius, n)| ring_slots(radius, n))
            .collect();
        Rings {
            rings,
            slots,
            spacing,
            radius: (spacing * 0.4).min(MAX_RADIUS),
        }
    }

    /// Where the `slot`-th process in candidate order sits.
    pub fn position(&self, slot: usize) -> (f64, f64) {
        self.slots.get(slot).copied().unwrap_or(CENTER)
    }
}

/// A point of the ring of `radius` at `angle` (0 at the right, clockwise on screen).
fn on_ring(radius: f64, angle: f64) -> (f64, f64) {
    (
        CENTER.0 + radius * STRETCH.0 * angle.cos(),
        CENTER.1 + radius * STRETCH.1 * angle.sin(),
    )
}

/// `n` slots equally far apart along the ring of `radius`, the first at the top. (Equal
/// angles would crowd the ellipse's flat sides.)
fn ring_slots(radius: f64, n: usize) -> Vec<(f64, f64)> {
    const STEPS: usize = 720;
    let start = -std::f64::consts::FRAC_PI_2;
    let dtheta = std::f64::consts::TAU / STEPS as f64;
    // The arc length from the top to each of STEPS angles.
    let mut arc = Vec::with_capacity(STEPS + 1);
    let (mut length, mut last) = (0.0, on_ring(radius, start));
    arc.push(0.0);
    for i in 1..=STEPS {
        let p = on_ring(radius, start + dtheta * i as f64);
        length += ((p.0 - last.0).powi(2) + (p.1 - last.1).powi(2)).sqrt();
        arc.push(length);
        last = p;
    }
    let mut slots = Vec::with_capacity(n);
    let mut i = 0;
    for slot in 0..n {
        let wanted = length * slot as f64 / n as f64;
        while i + 1 < STEPS && arc[i + 1] < wanted {
            i += 1;
        }
        let (a, b) = (arc[i], arc[i + 1]);
        let t = if b > a { (wanted - a) / (b - a) } else { 0.0 };
        slots.push(on_ring(radius, start + dtheta * (i as f64 + t)));
    }
    slots
}

/// An elliptic ring's length, near enough (Ramanujan's first approximation).
fn circumference(radius: f64) -> f64 {
    let (a, b) = (radius * STRETCH.0, radius * STRETCH.1);
    std::f64::consts::PI * (3.0 * (a + b) - ((3.0 * a + b) * (a + 3.0 * b)).sqrt())
}

/// The election's order of a process: its candidate's sequence number; processes without a
/// candidate (connecting, crashed and expired, the console) after every candidate, by id.
fn candidate_order(p: &ProcessPicture) -> (u64, ProcessId) {
    let sequence = p
        .candidate_name()
        .and_then(|name| name.rsplit('_').next())
        .and_then(|digits| digits.parse::<u64>().ok())
        .unwrap_or(u64::MAX);
    (sequence, p.id)
}

/// The order processes sit in, kept from one frame to the next: those `before` placed keep
/// their places (a leader that failed, restarted or was replaced does not send everyone round
/// the ring), and new ones follow in candidate order. A restarted process's new candidate is
/// the largest, so it watches the process at the ring's end — its neighbour at the top.
pub fn stable_order(before: &[ProcessId], picture: &Picture) -> Vec<ProcessId> {
    let here: BTreeSet<ProcessId> = picture.processes.iter().map(|p| p.id).collect();
    let mut order: Vec<ProcessId> = before
        .iter()
        .copied()
        .filter(|p| here.contains(p))
        .collect();
    let kept: BTreeSet<ProcessId> = order.iter().copied().collect();
    let mut new: Vec<(u64, ProcessId)> = picture
        .processes
        .iter()
        .filter(|p| !kept.contains(&p.id))
        .map(candidate_order)
        .collect();
    new.sort_unstable();
    order.extend(new.into_iter().map(|(_, id)| id));
    order
}

/// Where a server sits: a small ring in the middle, `spread` times as wide as its least (the
/// picture's text, drawn larger where the picture is drawn smaller, makes the boxes wider).
pub fn server_position(index: usize, count: usize, spread: f64) -> (f64, f64) {
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
    (
        CENTER.0 + rx * spread.max(1.0) * angle.cos(),
        CENTER.1 + ry * angle.sin(),
    )
}

/// Where everything in a picture sits.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Each process's position, by id (a frame at a thousand processes looks each one up
    /// several times: a vector by id answers at once).
    processes: DenseMap<ProcessId, (f64, f64)>,
    /// Each server's position, by id.
    servers: DenseMap<ServerId, (f64, f64)>,
    /// The rings the processes sit on (their size and spacing).
    pub rings: Rc<Rings>,
}

impl Layout {
    /// The layout of `picture` on `rings` (made for as many processes as it has: see
    /// [`Rings::for_count`], which the page computes once per cluster size), the processes
    /// in `order` ([`stable_order`]), the servers `spread` times as far apart as their least.
    pub fn of(picture: &Picture, rings: Rc<Rings>, order: &[ProcessId], spread: f64) -> Layout {
        let mut processes = DenseMap::new();
        for (slot, id) in order.iter().enumerate() {
            processes.insert(*id, rings.position(slot));
        }
        let count = picture.servers.len();
        let mut servers = DenseMap::new();
        for (i, s) in picture.servers.iter().enumerate() {
            servers.insert(s.id, server_position(i, count, spread));
        }
        Layout {
            processes,
            servers,
            rings,
        }
    }

    /// Where `e` sits (the centre, for one the picture does not hold).
    pub fn of_endpoint(&self, e: Endpoint) -> (f64, f64) {
        let at = match e {
            Endpoint::Process(p) => self.processes.get(&p),
            Endpoint::Server(s) => self.servers.get(&s),
            Endpoint::Resource => Some(&RESOURCE),
        };
        at.copied().unwrap_or(CENTER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zooscope_core::picture::Action;
    // Plain logic: tested natively by `cargo test`, and in the browser by the browser tests.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SIZES: [usize; 12] = [1, 2, 5, 24, 25, 50, 60, 61, 200, 500, 999, 1_000];

    fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    #[test]
    fn every_process_has_a_slot_inside_the_picture_clear_of_the_ensemble_and_resource() {
        for count in SIZES {
            let rings = Rings::for_count(count);
            assert_eq!(
                rings.rings.iter().map(|(_, n)| n).sum::<usize>(),
                count,
                "{count}"
            );
            for slot in 0..count {
                let (x, y) = rings.position(slot);
                let r = rings.radius;
                // With room for the candidate's name under the node and the countdown above.
                let (above, below) = if rings.spacing >= SUBLABEL_SPACING {
                    (r + 20.0, r + 18.0)
                } else {
                    (r, r)
                };
                assert!(
                    x - r > 0.0 && x + r < WIDTH && y - above > 0.0 && y + below < HEIGHT,
                    "{slot}/{count} at ({x:.0}, {y:.0}), radius {r:.1}"
                );
                // Outside the ensemble's ellipse.
                let (dx, dy) = ((x - CENTER.0) / ENSEMBLE.0, (y - CENTER.1) / ENSEMBLE.1);
                assert!(
                    dx * dx + dy * dy > 1.0,
                    "{slot}/{count} inside the ensemble"
                );
                // Clear of the resource's box.
                let in_resource =
                    (x - RESOURCE.0).abs() < 110.0 + r && (y - RESOURCE.1).abs() < 30.0 + r;
                assert!(!in_resource, "{slot}/{count} on the resource");
            }
        }
    }

    #[test]
    fn neighbours_never_overlap_and_use_the_room_there_is() {
        for count in SIZES {
            let rings = Rings::for_count(count);
            let at: Vec<(f64, f64)> = (0..count).map(|s| rings.position(s)).collect();
            let closest = at
                .iter()
                .enumerate()
                .flat_map(|(i, a)| at[i + 1..].iter().map(move |b| distance(*a, *b)))
                .fold(f64::INFINITY, f64::min);
            assert!(
                closest >= 2.0 * rings.radius,
                "{count}: {closest:.1} apart, radius {:.1}",
                rings.radius
            );
        }
        // A thousand processes are still dots a pointer can find, a handful are big.
        assert!(Rings::for_count(1_000).radius >= 5.0);
        assert!(Rings::for_count(5).radius >= 20.0);
    }

    #[test]
    fn processes_keep_their_places_when_the_leader_fails_and_restarts() {
        use crate::model::{default_config, Run};
        use zooscope_core::picture::EventFilter;
        use zooscope_core::sim::Command;
        let mut run = Run::new(default_config());
        run.run_until(3_000, |_| false);
        let first = stable_order(&[], &run.picture(&EventFilter::default()));
        let leader = run
            .picture(&EventFilter::none())
            .leader()
            .expect("a leader");
        // The smallest candidate (the leader) sits first, the others in candidate order.
        assert_eq!(first.first(), Some(&leader));
        assert_eq!(
            run.command(Command::Act(Action::KillProcess(leader))),
            Ok(())
        );
        run.run_until(6_000, |_| false);
        assert_eq!(
            run.command(Command::Act(Action::RestartProcess(leader))),
            Ok(())
        );
        run.run_until(3_000, |_| false);
        let picture = run.picture(&EventFilter::default());
        // Restarted with the largest candidate, it would sort last: it keeps its place.
        assert_eq!(stable_order(&first, &picture), first);
        assert_ne!(stable_order(&[], &picture), first);
    }

    #[test]
    fn consecutive_candidates_sit_next_to_each_other() {
        // The successor chain: each candidate's predecessor is one of its nearest neighbours,
        // also across rings (the jump from one ring's last slot to the next ring's first).
        // (On a single ring, neighbours are next to each other by construction.)
        for count in SIZES.into_iter().filter(|&n| n > ONE_RING) {
            let rings = Rings::for_count(count);
            // At most a slot along and a ring out: never across the ensemble (over 400 units).
            let bound = rings.spacing * 1.7 + (OUTER - INNER);
            for slot in 1..count {
                let step = distance(rings.position(slot - 1), rings.position(slot));
                assert!(
                    step <= bound,
                    "{slot}/{count}: {step:.1} from its predecessor (spacing {:.1})",
                    rings.spacing
                );
            }
        }
    }
}
