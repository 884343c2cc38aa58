//! A lecture's hour in the browser: WebAssembly memory stays bounded, the event log keeps its
//! story, and going back in time stays quick.
//!
//! The model test runs in the test command (an hour of 60 processes, driven frame by frame as
//! the page's clock would at 10×, without drawing). The whole app, drawing every frame for the
//! same hour in real time at 10× (six minutes), is opt-in:
//! `cargo test -p zooscope-web --target wasm32-unknown-unknown --features soak --test soak`.

#![allow(clippy::expect_used)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use zooscope_core::ids::SimTime;
use zooscope_core::picture::{Action, EventFilter};
use zooscope_core::sim::Command;
use zooscope_web::model::{default_config, Run};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

/// The bound on the page's WebAssembly memory over the hour.
const MEMORY_BOUND_MB: f64 = 64.0;
const PROCESSES: u32 = 60;
const HOUR_MS: u64 = 3_600_000;

/// The WebAssembly memory's size now, in MB (it only grows: this is the high-water mark).
fn memory_mb() -> f64 {
    let memory = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .expect("the module's memory");
    let bytes = memory
        .buffer()
        .dyn_into::<js_sys::ArrayBuffer>()
        .expect("an ArrayBuffer")
        .byte_length();
    f64::from(bytes) / 1_048_576.0
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[wasm_bindgen_test]
fn an_hour_of_sixty_processes_stays_within_its_memory() {
    let mut run = Run::new(zooscope_core::sim::Config {
        processes: PROCESSES,
        ..default_config()
    });
    run.set_speed(10.0);
    run.play();
    let mut report = format!("start: {:.1} MB\n", memory_mb());
    let mut slowest_frame = 0f64;
    let mut next_report = 0;
    while run.sim().now().ms() < HOUR_MS {
        let started = now_ms();
        run.tick(33.0);
        slowest_frame = slowest_frame.max(now_ms() - started);
        // A failure every ten minutes, as a lecture would show.
        let now = run.sim().now().ms();
        if now % 600_000 < 330 && now < HOUR_MS - 1_000 {
            if let Some(leader) = run.picture(&EventFilter::none()).leader() {
                run.command(Command::Act(Action::KillProcess(leader)))
                    .expect("within the limits");
            }
        }
        if now >= next_report {
            report.push_str(&format!(
                "{:>2} min: {:.1} MB, {} events kept of {}, {} story events, {} checkpoints\n",
                now / 60_000,
                memory_mb(),
                run.sim().trace().len(),
                run.sim().traced(),
                run.sim().story().len(),
                run.checkpoints()
            ));
            next_report += 600_000;
        }
    }
    // The first leader and one successor after each of the five failures.
    assert_eq!(run.sim().tally().reigns().len(), 6, "{report}");
    // Going back in time stays quick, in a measure no machine changes: each seek, from the
    // nearest checkpoint, finishes within the events a seek may process at once — so in the
    // page it lands in the frame it was asked in, never frame by frame behind a progress bar.
    // (Its wall time is reported, not asserted: machines differ.)
    let mut slowest_seek = 0f64;
    for t in [HOUR_MS / 2, 60_000, HOUR_MS - 1_000, 25 * 60_000] {
        let started = now_ms();
        run.seek(SimTime(t));
        slowest_seek = slowest_seek.max(now_ms() - started);
        assert_eq!(
            run.seek_progress(),
            None,
            "the seek to {t} ms went on past one frame: {report}"
        );
        assert_eq!(run.sim().now(), SimTime(t));
    }
    // At 25 minutes: the first leader and the successors of the failures at 10 and 20.
    assert_eq!(run.sim().tally().reigns().len(), 3, "{report}");
    let events = run.sim().stats().events;
    run.step_back();
    assert_eq!(run.sim().stats().events, events - 1);
    let memory = memory_mb();
    report.push_str(&format!(
        "end: {memory:.1} MB; slowest frame {slowest_frame:.1} ms, slowest seek {slowest_seek:.0} ms\n"
    ));
    web_sys::console::log_1(&report.clone().into());
    assert!(memory <= MEMORY_BOUND_MB, "{report}");
    assert!(!run.sim().story().is_empty(), "{report}");
}

/// The whole app for the same hour, drawing every frame in real time at 10× (six minutes).
#[cfg(feature = "soak")]
mod whole_app {
    use super::*;
    use crate::common::{all, click, fire, mount_with, one, simulated_ms};
    use gloo_timers::future::TimeoutFuture;
    use web_sys::{HtmlElement, HtmlInputElement};
    use zooscope_web::perf;

    #[wasm_bindgen_test]
    async fn the_page_plays_sixty_processes_for_an_hour() {
        let root = mount_with(Some(PROCESSES)).await;
        let speed = one(&root, "[data-control='speed']")
            .dyn_into::<HtmlInputElement>()
            .expect("the speed slider");
        speed.set_value("1");
        fire(&speed, "input");
        click(&root, "[data-action='play']").await;
        let _ = perf::take_samples();
        let mut report = String::new();
        let mut frames: Vec<f64> = Vec::new();
        let mut next_kill = 600_000;
        while simulated_ms(&root) < HOUR_MS {
            TimeoutFuture::new(10_000).await;
            let now = simulated_ms(&root);
            frames.extend(perf::take_samples().iter().map(|s| s.ms));
            report.push_str(&format!("{:>2} min: {:.1} MB\n", now / 60_000, memory_mb()));
            if now >= next_kill && now < HOUR_MS - 60_000 {
                if let Some(leader) = root
                    .query_selector("[data-process][data-role='leader'] [data-action='kill']")
                    .ok()
                    .flatten()
                {
                    leader.dyn_into::<HtmlElement>().expect("a button").click();
                }
                next_kill += 600_000;
            }
        }
        click(&root, "[data-action='pause-sim']").await;
        frames.sort_by(f64::total_cmp);
        let at = |q: f64| frames[((frames.len() - 1) as f64 * q) as usize];
        report.push_str(&format!(
            "frames: {} — median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms\n",
            frames.len(),
            at(0.5),
            at(0.95),
            at(0.99),
            at(1.0)
        ));
        // Step back, and drag the timeline back to the middle.
        let before = simulated_ms(&root);
        click(&root, "[data-action='step-back']").await;
        assert!(simulated_ms(&root) <= before);
        let timeline = one(&root, "[data-control='timeline']")
            .dyn_into::<HtmlInputElement>()
            .expect("the timeline");
        let started = now_ms();
        timeline.set_value(&(HOUR_MS / 2).to_string());
        fire(&timeline, "input");
        yew::scheduler::flush().await;
        report.push_str(&format!("seek to 30 min: {:.0} ms\n", now_ms() - started));
        // Quick: it landed at once, with no seek left to go on frame by frame.
        assert!(all(&root, "[data-seeking]").is_empty(), "{report}");
        assert_eq!(simulated_ms(&root), HOUR_MS / 2);
        let memory = memory_mb();
        report.push_str(&format!("end: {memory:.1} MB\n"));
        web_sys::console::log_1(&report.clone().into());
        assert!(memory <= MEMORY_BOUND_MB, "{report}");
        assert!(!all(&root, "[data-event]").is_empty(), "{report}");
        assert!(at(1.0) < 250.0, "a frame blocked the page: {report}");
    }
}
