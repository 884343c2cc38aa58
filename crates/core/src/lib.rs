//! # Zooscope core
//!
//! A deterministic, sans-IO model of Apache ZooKeeper 3.8 — znode tree, sessions, the request
//! pipeline — on which the lecture's leader-election recipes run. It never reads the wall clock,
//! the host's randomness or any IO: time and randomness come from the caller, so the same inputs
//! give the same results natively and in WebAssembly.
//!
//! ## Layout: what each folder models, and which way the imports go
//!
//! - [`zk`]: one ZooKeeper server's data model, faithful to ZooKeeper 3.8 and checked against
//!   the real server — [`zk::path`] (`PathUtils`), [`zk::tree`] (`DataTree`), [`zk::stat`],
//!   [`zk::server`] (a standalone server, and each replica's state machine), [`zk::session`]
//!   (expiry buckets), [`zk::watch`] and [`zk::client_watch`], [`zk::op`], [`zk::error`],
//!   [`zk::jute`] (wire sizes), [`zk::java_order`] (Java's `HashSet` order). Imports only
//!   [`ids`].
//! - [`actor`]: what the world's actors are made of — the messages they exchange
//!   ([`actor::message`]), the states they are in ([`actor::role`]), the trace records they
//!   emit ([`actor::trace`]), and the outbox they hand back instead of doing anything
//!   themselves. Built on [`zk`].
//! - [`ensemble`]: a replicated server — fast leader election, Zab, the leader's session
//!   tracker, client connections. Built on [`actor`] and [`zk`].
//! - [`client`]: the client library — connect, heartbeats, reconnect, watches. Built on
//!   [`actor`] and [`zk`].
//! - [`recipe`]: the lecture's election in its three steps, written once
//!   ([`recipe::election`]); the successor and herd recipes differ only in how step 3
//!   watches. Built on [`client`], [`actor`] and [`zk`].
//! - [`picture`]: what one frame of the page shows, as plain serde data — the seam between a
//!   producer (the simulator, or a bridge to a real ensemble) and the page that draws it.
//!   Built on [`actor`], [`recipe`]'s names and [`zk`]'s stat; it knows no producer.
//! - [`sim`]: the simulated world that runs them all — clock, queue, seeded RNG, commands
//!   (faults), the network, processes (candidates, and the console's client, a process with
//!   no recipe) and the fenced resource, the kept trace, metrics, invariants, scenarios,
//!   recordings and sharing, and the pictures of its moments ([`sim::picture`]). Imports
//!   everything above; nothing imports it.
//! - [`spacetime`]: the space-time (Lamport) diagram of a kept trace — lifelines, message
//!   arrows, marks and roles — as the page draws it. Built on [`actor`], [`ids`] and
//!   [`picture`] (and only [`sim`]'s scenarios, in its tests).
//! - [`zkcli`]: the zkCli command language, shared by the native REPL and the page, against
//!   any [`zkcli::backend::Backend`]. Built on [`zk`].
//! - [`ids`]: the identifiers every layer shares (sessions, zxids, servers, processes,
//!   simulated wall-clock milliseconds).

pub mod actor;
pub mod client;
pub mod ensemble;
pub mod ids;
pub mod picture;
pub mod recipe;
pub mod sim;
pub mod spacetime;
pub mod zk;
pub mod zkcli;

pub use ids::{Endpoint, Millis, ProcessId, ServerId, SessionId, Zxid};
pub use zk::error::KeeperError;
pub use zk::server::{Server, ServerConfig};
pub use zk::stat::{NodeKind, Stat};
pub use zk::tree::DataTree;
pub use zk::txn::Txn;
pub use zk::znode::{CreateMode, Znode};
