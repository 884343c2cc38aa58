//! One ZooKeeper server's data model, faithful to ZooKeeper 3.8 and checked against the real
//! server: paths, the znode tree, stats, sessions, watches, the request pipeline of a
//! standalone server, and the wire's size limits.
//!
//! It imports only [`crate::ids`]: the ensemble, the client, the simulated world and zkCli are
//! built on it, never the other way round.

pub mod client_watch;
pub mod error;
pub mod java_order;
pub mod jute;
pub mod op;
pub mod path;
pub mod server;
pub mod session;
pub mod stat;
pub mod tree;
pub mod txn;
pub mod watch;
pub mod znode;
