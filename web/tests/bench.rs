//! The browser benchmark, opt-in (it is not part of the test command's browser tests): the
//! app with 50 and with 200 processes, playing at normal speed, for a few seconds each; prints
//! the time per frame (median and p95) and per simulated event, and fails when a p95 frame
//! takes longer than its budget.
//!
//! `wasm-pack test --headless --chrome web --features browser-bench --test bench`

#![cfg(feature = "browser-bench")]
#![allow(clippy::expect_used)]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen_test::*;
use zooscope_web::app::AppProps;
use zooscope_web::perf;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

/// What one measurement found.
struct Figures {
    report: String,
    p95_ms: f64,
}

/// The p95 frame-time budget: one frame at 60 Hz.
const P95_BUDGET_MS: f64 = 16.7;

async fn measure(processes: u32, seconds: u32) -> Figures {
    let (root, app) = common::render(AppProps {
        autoplay: true,
        processes: Some(processes),
    });
    // Let the cluster elect its leader first, then measure.
    TimeoutFuture::new(3_000).await;
    let _ = perf::take_samples();
    TimeoutFuture::new(seconds * 1000).await;
    let samples = perf::take_samples();
    app.destroy();
    root.remove();
    let mut ms: Vec<f64> = samples.iter().map(|s| s.ms).collect();
    ms.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        ms.get(((ms.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let events = match (samples.first(), samples.last()) {
        (Some(a), Some(b)) => b.events.saturating_sub(a.events),
        _ => 0,
    };
    let total: f64 = ms.iter().sum();
    let per_event_us = if events > 0 {
        total / events as f64 * 1000.0
    } else {
        0.0
    };
    assert!(
        !ms.is_empty(),
        "{processes} processes: no frame was measured"
    );
    Figures {
        report: format!(
            "{processes} processes: {} frames, median {:.2} ms, p95 {:.2} ms per frame; {events} events, {per_event_us:.1} µs per event",
            ms.len(),
            pick(0.5),
            pick(0.95)
        ),
        p95_ms: pick(0.95),
    }
}

#[wasm_bindgen_test]
async fn frame_times_with_50_and_200_processes() {
    let mut over = Vec::new();
    for processes in [50, 200] {
        let figures = measure(processes, 5).await;
        console_log!("browser benchmark: {}", figures.report);
        if figures.p95_ms > P95_BUDGET_MS {
            over.push(figures.report);
        }
    }
    assert!(
        over.is_empty(),
        "over the p95 budget of {P95_BUDGET_MS} ms per frame: {over:?}"
    );
}
