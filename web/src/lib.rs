//! # Zooscope in the browser
//!
//! The Yew front-end. It holds no ZooKeeper logic: every znode, zxid and stat it shows was
//! computed by `zooscope-core`; components only render the core's read-only views.

pub mod app;
pub mod components;
pub mod panic_banner;
pub mod scene;

/// Mounts the app on `<body>` and installs the panic banner. Called by the page's `main`.
pub fn start() {
    panic_banner::install();
    yew::Renderer::<app::App>::new().render();
}
