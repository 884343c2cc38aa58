//! # Zooscope in the browser
//!
//! The Yew front-end. It holds no ZooKeeper logic: the whole simulated cluster runs in the
//! core (`zooscope-core`), in the page; [`model`] plays it, [`state`] is the app's reducer,
//! [`view`] reads what to draw, and the components render it.

pub mod app;
pub mod components;
pub mod console;
pub mod model;
pub mod panic_banner;
pub mod perf;
pub mod state;
pub mod tours;
pub mod view;

/// Mounts the app on `<body>` and installs the panic banner. Called by the page's `main`.
pub fn start() {
    panic_banner::install();
    yew::Renderer::<app::App>::new().render();
}
