//! Zooscope's real side: the same lecture, on a real ZooKeeper.
//!
//! # What is here
//!
//! - [`zookeeper`]: a real ZooKeeper 3.8 server (the installed package: `ZOOKEEPER_HOME`, else
//!   Debian's paths) started on a free loopback port in its own temporary directory, asked
//!   whether it is ready with its four-letter words, and stopped by PID — also when its owner
//!   panics (it is stopped on drop).
//! - [`candidate`]: one application process running the lecture's three steps against a real
//!   ensemble through a real client library (`zookeeper-client`), reporting what it does as
//!   one JSON object per line.
//! - [`processes`]: candidates as real OS processes, followed through their reports, killed
//!   by PID (and all of them on drop).
//! - [`failover`]: the measurement that checks the model against the real thing — real
//!   candidates on a real server, the leader killed (SIGKILL) as soon as it leads, the time
//!   until its successor leads.
//!
//! - [`ensemble`]: a real ensemble of 1, 3 or 5 servers on loopback, each killed and started
//!   again by its PID.
//! - [`observe`]: what a server says about itself in its four-letter words.
//! - [`tree`]: the znode tree, followed with a persistent recursive watch.
//! - [`state`]: live mode's state, sans-IO — what was observed of the servers and the
//!   processes, changed only by typed observations and the page's actions, drawn as the page's
//!   [`zooscope_core::picture::Picture`]; tested on what real servers said.
//! - [`bridge`]: the state's driver — asks the servers, follows the processes, carries out
//!   what the state decides; [`serve`] puts it on the web for the page.
//! - [`reaper`]: a supervisor that kills what the bridge started, and removes its
//!   directories, however the bridge ends.
//!
//! Nothing here is used by the page or the deterministic core: they stay sans-IO. The live
//! crate imports the core's picture and actions, never the other way round.

pub mod bridge;
pub mod candidate;
pub mod ensemble;
pub mod failover;
pub mod observe;
pub mod processes;
pub mod reaper;
pub mod serve;
pub mod state;
pub mod tree;
pub mod zkcli;
pub mod zookeeper;

/// The host's wall clock, in ms since 1970: what the real side and the native front-end read
/// (the deterministic core never does; it is handed [`zooscope_core::ids::Millis`]).
pub fn wall_clock() -> zooscope_core::ids::Millis {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    zooscope_core::ids::Millis(ms)
}

/// What can go wrong on the real side.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// No ZooKeeper installation was found.
    #[error("ZooKeeper 3.8 is not installed: set ZOOKEEPER_HOME or install Debian's `zookeeper` package (scripts/setup.sh does)")]
    NotInstalled,
    /// No `java` to run the server with.
    #[error("java is not installed (Debian's `zookeeper` package pulls in a JRE)")]
    NoJava,
    /// A server did not start serving in time.
    #[error(
        "the ZooKeeper server on {address} did not start within {waited_ms} ms; its log:\n{log}"
    )]
    ServerDidNotStart {
        /// Where it should have listened.
        address: String,
        /// How long we waited.
        waited_ms: u128,
        /// The end of its log.
        log: String,
    },
    /// The ZooKeeper client failed.
    #[error("ZooKeeper: {0}")]
    Client(#[from] zookeeper_client::Error),
    /// An operating-system call failed.
    #[error("{what}: {source}")]
    Io {
        /// What we were doing.
        what: String,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A candidate process misbehaved or a measurement could not finish.
    #[error("{0}")]
    Measurement(String),
}

impl LiveError {
    /// An I/O error with what we were doing.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> LiveError {
        LiveError::Io {
            what: what.into(),
            source,
        }
    }
}
