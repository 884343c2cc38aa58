//! Numbers read off a run's trace for the plots: who led when, how long each failover took,
//! how many messages flew each second — and, by running the core, how many processes a leader
//! failure wakes as the cluster grows, for either recipe.
//!
//! Imports [`crate::actor`], [`crate::picture`], [`crate::recipe`] and its siblings in
//! [`crate::sim`].

use crate::actor::role::ProcessRole;
use crate::actor::trace::{TraceEvent, TraceKind};
use crate::picture::Reign;
use crate::recipe::RecipeKind;
use crate::sim::scenario::kill_leaders;
use crate::sim::{Config, Sim};

/// The plots' numbers, kept up to date event by event: a run that keeps only a window of its
/// trace still knows who led when since its start, and how many messages flew each second.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    reigns: Vec<Reign>,
    per_second: Vec<u64>,
}

/// Seconds a tally counts messages for (a day: far past any replayable run).
const COUNTED_SECONDS: usize = 86_400;

impl Tally {
    /// The tally of a whole trace.
    pub fn of(trace: &[TraceEvent]) -> Tally {
        let mut tally = Tally::default();
        for e in trace {
            tally.observe(e);
        }
        tally
    }

    /// Counts one more event.
    pub fn observe(&mut self, e: &TraceEvent) {
        match &e.kind {
            TraceKind::ProcessRole { process, role } => {
                let open = self
                    .reigns
                    .iter_mut()
                    .rev()
                    .find(|r| r.process == *process && r.until.is_none());
                match (role, open) {
                    (ProcessRole::Leader, None) => self.reigns.push(Reign {
                        process: *process,
                        from: e.time,
                        until: None,
                    }),
                    (ProcessRole::Leader, Some(_)) => {}
                    (_, Some(reign)) => reign.until = Some(e.time),
                    (_, None) => {}
                }
            }
            // A leader that wakes from a short pause leads again; one whose session expired
            // while it was frozen only believes it does.
            TraceKind::Resumed {
                process,
                role: ProcessRole::Leader,
                stale: false,
            } if !self
                .reigns
                .iter()
                .any(|r| r.process == *process && r.until.is_none()) =>
            {
                self.reigns.push(Reign {
                    process: *process,
                    from: e.time,
                    until: None,
                });
            }
            TraceKind::Sent { .. } => {
                let second = usize::try_from(e.time.ms() / 1000).unwrap_or(usize::MAX);
                if second >= self.per_second.len() && second < COUNTED_SECONDS {
                    self.per_second.resize(second + 1, 0);
                }
                if let Some(c) = self.per_second.get_mut(second) {
                    *c += 1;
                }
            }
            _ => {}
        }
    }

    /// Who led when.
    pub fn reigns(&self) -> &[Reign] {
        &self.reigns
    }

    /// Messages sent in each whole second of the run: index = second.
    pub fn messages_per_second(&self) -> &[u64] {
        &self.per_second
    }
}

/// Who led when, from the trace's role changes.
pub fn leader_timeline(trace: &[TraceEvent]) -> Vec<Reign> {
    Tally::of(trace).reigns
}

/// Messages sent in each whole second of the run: index = second.
pub fn messages_per_second(trace: &[TraceEvent]) -> Vec<u64> {
    Tally::of(trace).per_second
}

/// How many processes one leader failure wakes, averaged over `failures` failures, for a
/// cluster of each size in `sizes` running `recipe` — measured by running the core.
pub fn notifications_by_size(
    recipe: RecipeKind,
    sizes: &[u32],
    failures: usize,
) -> Vec<(u32, f64)> {
    sizes
        .iter()
        .filter_map(|&n| {
            let config = Config {
                processes: n,
                recipe,
                seed: u64::from(n),
                trace: false,
                ..Config::default()
            };
            let mut sim = Sim::new(config);
            let report = kill_leaders(&mut sim, failures, 60_000).ok()?;
            let total: usize = report.failovers.iter().map(|f| f.notified).sum();
            Some((n, total as f64 / report.failovers.len().max(1) as f64))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SimTime;
    use crate::picture::Action;
    use crate::sim::Command;

    #[test]
    fn a_killed_leader_ends_its_reign_and_a_successor_begins() {
        let mut sim = Sim::new(Config::default());
        assert!(sim.run_while(SimTime(20_000), |s| s.leaders().len() == 1));
        let first = sim.leaders()[0];
        sim.apply(Command::Act(Action::KillProcess(first)));
        sim.run_until(sim.now() + 10_000);
        let reigns = leader_timeline(sim.trace());
        assert_eq!(reigns.len(), 2);
        assert_eq!(reigns[0].process, first);
        assert!(reigns[0].until.is_some() && reigns[1].until.is_none());
        let gaps = crate::picture::History {
            reigns,
            messages_per_second: Vec::new(),
            now: sim.now(),
        }
        .failovers();
        assert_eq!(gaps.len(), 1);
        assert!(
            gaps[0].1 >= 3_000,
            "the session had to expire first: {gaps:?}"
        );
        let per_second = messages_per_second(sim.trace());
        assert!(per_second.iter().sum::<u64>() > 0);
    }

    #[test]
    fn the_herd_wakes_more_as_the_cluster_grows() {
        let successor = notifications_by_size(RecipeKind::Successor, &[5, 10], 2);
        let herd = notifications_by_size(RecipeKind::Herd, &[5, 10], 2);
        assert_eq!(successor, [(5, 1.0), (10, 1.0)]);
        assert_eq!(herd, [(5, 3.5), (10, 8.5)]);
    }
}
