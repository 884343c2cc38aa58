//! # Zooscope core
//!
//! A deterministic, sans-IO model of Apache ZooKeeper 3.8 — znode tree, sessions, the request
//! pipeline — on which the lecture's leader-election recipes run. It never reads the wall clock,
//! the host's randomness or any IO: time and randomness come from the caller, so the same inputs
//! give the same results natively and in WebAssembly.
//!
//! ## Modules
//!
//! - [`path`]: `PathUtils.validatePath`, with ZooKeeper's messages.
//! - [`tree`]: `DataTree`: znodes, `Stat`, prepare and apply transactions.
//! - [`server`]: a standalone server: zxids, the write pipeline, background work.
//! - [`session`]: the session tracker: negotiated timeouts, expiry buckets.
//! - [`client_watch`]: the client library's own record of its watches.
//! - [`watch`]: one-shot and persistent watches and what fires them.
//! - [`zkcli`]: the zkCli command language, shared by the native REPL and the page.
//! - [`java_order`]: Java's `HashSet` order, which the server's replies leak.
//! - [`message`]: the client, quorum and election protocols' messages.
//! - [`op`]: client operations and their replies.
//! - [`jute`]: packet sizes on the wire, and the `jute.maxbuffer` limit.
//! - [`stat`], [`ids`], [`error`]: the vocabulary shared by all of them.

pub mod actor;
pub mod client;
pub mod client_watch;
pub mod ensemble;
pub mod error;
pub mod ids;
pub mod java_order;
pub mod jute;
pub mod message;
pub mod monitor;
pub mod net;
pub mod op;
pub mod path;
pub mod process;
pub mod recipe;
pub mod scenario;
pub mod server;
pub mod session;
pub mod sim;
pub mod stat;
pub mod trace;
pub mod tree;
pub mod watch;
pub mod zkcli;

pub use error::KeeperError;
pub use ids::{Endpoint, Millis, ProcessId, ServerId, SessionId, Zxid};
pub use server::{Server, ServerConfig};
pub use stat::{NodeKind, Stat};
pub use tree::{CreateMode, DataTree, Txn, Znode};
