//! Yew components. Each renders what it is given — a [`zooscope_core::picture::Picture`], a
//! [`zooscope_core::spacetime::Diagram`], the run's playback, the console's output — and sends
//! [`crate::state::Action`]s; none reads the simulator (the test command checks it), so a
//! picture of a real ensemble draws the same.
//!
//! Imports from the core `picture`.

pub mod actors;
pub mod cluster_view;
pub mod console;
pub mod controls;
pub mod event_log;
pub mod header;
pub mod help;
pub mod overlay;
pub mod plots;
pub mod share;
pub mod spacetime;
pub mod spacetime_svg;
pub mod stat_panel;
pub mod timeline;
pub mod tour;
pub mod znode_tree;
pub mod zoo_cfg;
