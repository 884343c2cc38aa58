//! What the property tests share: turning generated settings into a configuration.

use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::net::NetConfig;
use zooscope_core::sim::Config;

/// Generated settings, in the order the tests' strategies produce them: servers, processes,
/// recipe, seed, (tick, session timeout), (latency, jitter, loss per mille, retransmit).
pub type Settings = (u8, u32, RecipeKind, u64, (i32, i32), (u32, u32, u32, u32));

/// The configuration of `settings` (everything else as by default).
pub fn config_of(
    (servers, processes, recipe, seed, (tick_ms, session_timeout_ms), net): Settings,
) -> Config {
    Config {
        servers,
        processes,
        recipe,
        seed,
        tick_ms,
        session_timeout_ms,
        net: NetConfig {
            latency_ms: net.0,
            jitter_ms: net.1,
            loss_per_mille: net.2,
            retransmit_ms: net.3,
        },
        ..Config::default()
    }
}
