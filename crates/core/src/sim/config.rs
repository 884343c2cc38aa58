//! What fixes a run: its [`Config`], with the lecture's defaults.
//!
//! Imports the ensemble's timing, the network's settings and the recipe.

use crate::ensemble::QuorumTiming;
use crate::recipe::RecipeKind;
use crate::sim::net::NetConfig;
use serde::{Deserialize, Serialize};

/// Everything that fixes a run, with its defaults (see [`Config::default`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Servers in the ensemble: 1, 3, 5 or 7 (default 3).
    pub servers: u8,
    /// Application processes at the start (default 5).
    pub processes: u32,
    /// The election recipe (default successor).
    pub recipe: RecipeKind,
    /// The seed of every random choice (default 1).
    pub seed: u64,
    /// `tickTime` in ms (default 200: sessions between 400 ms and 4 s).
    pub tick_ms: i32,
    /// The session timeout processes ask for, in ms (default 3000).
    pub session_timeout_ms: i32,
    /// How often a leader writes to the shared resource, in ms (default 1000).
    pub work_interval_ms: u64,
    /// The network (default: 5–10 ms per message, no loss).
    pub net: NetConfig,
    /// Zab's and the election's timing (default: initLimit 10, syncLimit 5 ticks).
    pub timing: QuorumTiming,
    /// The wall-clock time of simulated time 0, in ms since 1970, for ctime/mtime and session
    /// ids (default 2026-11-24 00:00 UTC). Recordings made before it was renamed call it
    /// `epoch_ms`.
    #[serde(alias = "epoch_ms")]
    pub wall_origin_ms: i64,
    /// Whether to record the trace (default true; benchmarks turn it off).
    pub trace: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            servers: 3,
            processes: 5,
            recipe: RecipeKind::Successor,
            seed: 1,
            tick_ms: 200,
            session_timeout_ms: 3000,
            work_interval_ms: 1000,
            net: NetConfig::default(),
            timing: QuorumTiming::default(),
            wall_origin_ms: 1_795_478_400_000,
            trace: true,
        }
    }
}
