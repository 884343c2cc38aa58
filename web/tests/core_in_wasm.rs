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

/// V8 first runs a module's functions in its baseline compiler and moves the hot ones to its
/// optimising compiler while they run: the first run is a warm-up, as criterion's is natively,
/// and the median of the next three is the speed compared with the native bench.
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
    let mut rates = Vec::new();
    for run in 0..4 {
        let start = performance.now();
        let mut sim = Sim::new(config.clone());
        let report = kill_leaders(&mut sim, 100, 60_000).expect("every failover completes");
        let ms = performance.now() - start;
        assert_eq!(report.failovers.len(), 100);
        assert!(report.failovers.iter().all(|f| f.notified == 1));
        let rate = report.events as f64 / ms * 1000.0;
        let what = if run == 0 { "warm-up" } else { "run" };
        console_log!(
            "wasm {what}: {} events in {ms:.0} ms = {rate:.0} events/s",
            report.events
        );
        if run > 0 {
            rates.push(rate);
        }
    }
    rates.sort_by(f64::total_cmp);
    console_log!("wasm median: {:.2} M events/s", rates[1] / 1e6);
}
