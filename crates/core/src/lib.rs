//! # Zooscope core
//!
//! A deterministic, sans-IO model of Apache ZooKeeper 3.8 — znode tree, sessions, the request
//! pipeline — on which the lecture's leader-election recipes run. It never reads the wall clock,
//! the host's randomness or any IO: time and randomness come from the caller, so the same inputs
//! give the same results natively and in WebAssembly.
//!
//! ## Modules
//!
//! The data model, faithful to ZooKeeper 3.8 and checked against the real server:
//!
//! - [`path`]: `PathUtils.validatePath`, with ZooKeeper's messages.
//! - [`tree`]: `DataTree`: znodes, `Stat`, prepare and apply transactions.
//! - [`server`]: a standalone server (and each replica): zxids, the write pipeline, reads,
//!   background work.
//! - [`session`]: the session tracker: negotiated timeouts, expiry buckets.
//! - [`watch`]: the server's watches and what fires them; [`client_watch`]: the client
//!   library's own record of its watches.
//! - [`zkcli`]: the zkCli command language, shared by the native REPL and the page.
//! - [`java_order`]: Java's `HashSet` order, which the server's replies leak.
//! - [`jute`]: packet sizes on the wire, and the `jute.maxbuffer` limit.
//! - [`stat`], [`ids`], [`error`], [`op`]: the vocabulary shared by all of them.
//!
//! The simulated world built on it:
//!
//! - [`sim`]: the world — clock, event queue, seeded RNG, commands (faults).
//! - [`ensemble`]: a replicated server: fast leader election, Zab, session tracking.
//! - [`client`]: the client library: connect, heartbeats, reconnect, watches.
//! - [`recipe`]: the election recipes (successor, herd), in the lecture's three steps.
//! - [`process`]: an application process, its faults, and the fenced shared resource.
//! - [`net`]: latency, jitter, loss, partitions; [`message`]: what travels.
//! - [`trace`]: every happening as a serde record with a narration.
//! - [`metrics`]: numbers for the plots, read off the trace or measured by running the core.
//! - [`monitor`]: the invariants, as named properties.
//! - [`recording`]: a run as data (config + command log), validated before replay; [`share`]:
//!   the same as a link or a JSON file, size-limited and checked on the way in.
//! - [`scenario`]: scripted runs (kill the leader K times) and the reference run.
//! - [`actor`]: what actors hand back to the world (messages, timers, trace records).

pub mod actor;
pub mod client;
pub mod client_watch;
pub mod connection;
pub mod ensemble;
pub mod error;
pub mod ids;
pub mod java_order;
pub mod jute;
pub mod message;
pub mod metrics;
pub mod monitor;
pub mod net;
pub mod op;
pub mod path;
pub mod process;
pub mod recipe;
pub mod recording;
pub mod scenario;
pub mod server;
pub mod session;
pub mod share;
pub mod sim;
pub mod stat;
pub mod trace;
pub mod trace_window;
pub mod tree;
pub mod watch;
pub mod zkcli;

pub use error::KeeperError;
pub use ids::{Endpoint, Millis, ProcessId, ServerId, SessionId, Zxid};
pub use server::{Server, ServerConfig};
pub use stat::{NodeKind, Stat};
pub use tree::{CreateMode, DataTree, Txn, Znode};
