//! Yew components; each renders a read-only view of the core.

pub mod stat_panel;
pub mod znode_tree;
