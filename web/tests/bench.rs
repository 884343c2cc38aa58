//! The browser benchmark, opt-in (it is not part of the test command's browser tests): the
//! app with 50, 200 and 1,000 processes, and with 200 and the space-time diagram open,
//! playing at normal speed, for a few seconds each with a leader killed halfway; prints the
//! time per frame (median and p95) and per simulated event, and fails when a p95 frame takes
//! longer than its budget (8 ms up to 200 processes, one 60 Hz frame at 1,000 or with the
//! diagram open).
//!
//! `cargo test -p zooscope-web --target wasm32-unknown-unknown --profile page --features browser-bench --test bench`

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

/// The p95 frame-time budgets: (processes, the diagram open, budget in ms).
const BUDGETS: [(u32, bool, f64); 4] = [
    (50, false, 8.0),
    (200, false, 8.0),
    (200, true, 16.7),
    (1_000, false, 16.7),
];

async fn measure(processes: u32, diagram: bool, seconds: u32) -> Figures {
    // The run before wrote itself (and its kill) into the address bar: start afresh.
    common::set_hash("#");
    let (root, app) = common::render(AppProps {
        autoplay: true,
        processes: Some(processes),
    });
    // Let the cluster elect its leader first, then measure.
    let elected = common::wait_until_shown(&root, 60_000, |r| {
        common::with_role(r, "leader").len() == 1
            && common::with_role(r, "follower").len() + 1 == processes as usize
    })
    .await;
    assert!(
        elected,
        "{processes} processes: no leader and {} followers after {} simulated ms ({} leaders)",
        processes - 1,
        common::simulated_ms(&root),
        common::with_role(&root, "leader").len()
    );
    if diagram {
        common::click(&root, "[data-action='spacetime']").await;
        assert_eq!(common::all(&root, "[data-panel='spacetime']").len(), 1);
    }
    let _ = perf::take_samples();
    TimeoutFuture::new(seconds * 500).await;
    // A failover in the middle: the successor takes over, while frames are measured.
    let leader = common::with_role(&root, "leader")[0].clone();
    common::click(
        &root,
        &format!("[data-process='{leader}'] [data-action='kill']"),
    )
    .await;
    TimeoutFuture::new(seconds * 500).await;
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
    let median_of = |part: fn(&perf::FrameSample) -> f64| {
        let mut v: Vec<f64> = samples.iter().map(part).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let (simulation, picture) = (median_of(|s| s.simulation_ms), median_of(|s| s.picture_ms));
    let drawing = if diagram {
        format!(
            " and the diagram open (building it {:.2})",
            median_of(|s| s.diagram_ms)
        )
    } else {
        String::new()
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
            "{processes} processes{drawing}: {} frames, median {:.2} ms (simulation {simulation:.2}, picture {picture:.2}, the rest rendering), p95 {:.2} ms per frame; {events} events, {per_event_us:.1} µs per event",
            ms.len(),
            pick(0.5),
            pick(0.95)
        ),
        p95_ms: pick(0.95),
    }
}

#[wasm_bindgen_test]
async fn frame_times_with_50_200_and_1000_processes_and_the_diagram_open() {
    let mut over = Vec::new();
    for (processes, diagram, budget) in BUDGETS {
        let figures = measure(processes, diagram, 8).await;
        console_log!("browser benchmark: {} (budget {budget} ms)", figures.report);
        if figures.p95_ms > budget {
            over.push(format!("{} > {budget} ms", figures.report));
        }
    }
    assert!(over.is_empty(), "over the p95 budget: {over:?}");
}
