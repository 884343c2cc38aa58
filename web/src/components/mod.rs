//! Yew components; each renders a read-only view of the core and sends [`crate::state::Action`]s.

pub mod actors;
pub mod cluster_view;
pub mod console;
pub mod controls;
pub mod event_log;
pub mod help;
pub mod plots;
pub mod share;
pub mod stat_panel;
pub mod timeline;
pub mod tour;
pub mod znode_tree;
