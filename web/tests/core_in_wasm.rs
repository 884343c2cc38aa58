//! The core in WebAssembly: the same inputs give the same trace as natively, and the
//! 1,000-process scenario's speed is measured (printed, not asserted: speed targets live in
//! benchmarks, not tests).

#![allow(clippy::expect_used)]

use wasm_bindgen_test::*;
use zooscope_core::actor::trace::digest;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::scenario::{kill_leaders, reference_run, REFERENCE_DIGEST};
use zooscope_core::sim::{Config, Sim};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_reference_run_gives_the_native_trace() {
    assert_eq!(digest(reference_run().trace()), REFERENCE_DIGEST);
}

#[wasm_bindgen_test]
fn a_thousand_processes_and_a_hundred_failovers() {
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("window.performance");
    let config = Config {
        processes: 1000,
        servers: 5,
        recipe: RecipeKind::Successor,
        trace: false,
        ..Config::default()
    };
    let start = performance.now();
    let mut sim = Sim::new(config);
    let report = kill_leaders(&mut sim, 100, 60_000).expect("every failover completes");
    let ms = performance.now() - start;
    assert_eq!(report.failovers.len(), 100);
    assert!(report.failovers.iter().all(|f| f.notified == 1));
    console_log!(
        "wasm: {} events in {:.0} ms = {:.0} events/s",
        report.events,
        ms,
        report.events as f64 / ms * 1000.0
    );
}
