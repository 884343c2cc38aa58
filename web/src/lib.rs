//! # Zooscope in the browser
//!
//! The Yew front-end. It holds no ZooKeeper logic: the whole simulated cluster runs in the
//! core (`zooscope-core`), in the page. [`model`] plays a run and holds its console,
//! [`state`] is the app's reducer, [`simulation`] produces what the page draws of the run,
//! [`feed`] chooses what the page shows — the simulation, a live ensemble ([`live`]) or a
//! tour's step — and [`app`] draws its
//! [`zooscope_core::picture::Picture`] with the [`components`], which never read the
//! simulator, so a picture of a real ensemble draws the same. [`hooks`] tie the browser's clock, keys and address bar
//! to the state; [`layout`] says where each actor sits.
//!
//! Imports from the core `picture`.

pub mod app;
pub mod components;
pub mod feed;
pub mod hooks;
pub mod layout;
pub mod live;
pub mod model;
pub mod panic_banner;
pub mod perf;
pub mod simulation;
pub mod state;
pub mod tours;

/// Mounts the app on `<body>` and installs the panic banner. Called by the page's `main`.
pub fn start() {
    panic_banner::install();
    yew::Renderer::<app::App>::new().render();
}

// The unit tests run natively (`cargo test`) and, through the browser tests, in the browser,
// where the plots need a real canvas.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
