//! Time travel's checkpoints: copies of the world taken as a run goes on, so that going back
//! replays from the nearest one before the moment wanted instead of from the start.
//!
//! There are never more than [`MAX_CHECKPOINTS`]: when one more is due, every other one is
//! dropped and they are taken half as often, so their memory stays bounded however long the
//! run, and going back replays at most about (run length / [`MAX_CHECKPOINTS`] × 2) of it.
//!
//! Imports from the core `ids`, `sim`.

use zooscope_core::ids::SimTime;
use zooscope_core::sim::Sim;

/// Most checkpoints kept.
pub const MAX_CHECKPOINTS: usize = 16;
/// Simulated time between checkpoints until the first thinning.
const FIRST_INTERVAL_MS: u64 = 30_000;

/// A copy of the world and how many of the run's logged commands its queue already holds.
#[derive(Debug, Clone)]
struct Checkpoint {
    sim: Sim,
    scheduled: usize,
}

/// The checkpoints of one run, oldest first.
#[derive(Debug, Clone)]
pub struct Checkpoints {
    kept: Vec<Checkpoint>,
    interval: u64,
}

impl Default for Checkpoints {
    fn default() -> Self {
        Checkpoints {
            kept: Vec::new(),
            interval: FIRST_INTERVAL_MS,
        }
    }
}

impl Checkpoints {
    /// Takes a checkpoint of `sim` if one is due (an interval after the newest), noting that
    /// its queue holds the first `scheduled` logged commands.
    pub fn offer(&mut self, sim: &Sim, scheduled: usize) {
        let newest = self.kept.last().map_or(SimTime::ZERO, |c| c.sim.now());
        if sim.now() < newest + self.interval {
            return;
        }
        self.kept.push(Checkpoint {
            sim: sim.checkpoint(),
            scheduled,
        });
        if self.kept.len() > MAX_CHECKPOINTS {
            let mut i = 0;
            self.kept.retain(|_| {
                i += 1;
                i % 2 == 0
            });
            self.interval = self.interval.saturating_mul(2);
        }
    }

    /// A copy of the newest checkpoint whose world satisfies `before` (e.g. is not later than
    /// the moment wanted), with the number of logged commands its queue holds.
    pub fn latest(&self, before: impl Fn(&Sim) -> bool) -> Option<(Sim, usize)> {
        self.kept
            .iter()
            .rev()
            .find(|c| before(&c.sim))
            .map(|c| (c.sim.checkpoint(), c.scheduled))
    }

    /// When the newest checkpoint not later than `t` was taken.
    pub fn newest_until(&self, t: SimTime) -> Option<SimTime> {
        self.kept
            .iter()
            .rev()
            .map(|c| c.sim.now())
            .find(|&c| c <= t)
    }

    /// A command was logged to take effect at `at`: checkpoints from then on lack it.
    pub fn command_at(&mut self, at: SimTime) {
        self.kept.retain(|c| c.sim.now() < at);
    }

    /// The log was cut to its first `kept` commands: checkpoints whose queue holds dropped ones
    /// would replay them.
    pub fn log_cut(&mut self, kept: usize) {
        self.kept.retain(|c| c.scheduled <= kept);
    }

    /// How many there are.
    pub fn count(&self) -> usize {
        self.kept.len()
    }
}
