//! Newtype identifiers shared by every layer, with ZooKeeper's own textual forms.
//!
//! Imports nothing from the rest of the crate; outside the crate, `serde`.

pub mod dense;

use serde::{Deserialize, Serialize};
use std::fmt;

/// A ZooKeeper transaction id: epoch in the high 32 bits, counter in the low 32.
/// Displays as zkCli prints it (`0x1b`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Zxid(pub i64);

impl Zxid {
    /// The zxid a fresh server starts from (no transaction yet).
    pub const ZERO: Zxid = Zxid(0);

    /// The next zxid in the same epoch.
    pub fn next(self) -> Zxid {
        Zxid(self.0 + 1)
    }
}

impl fmt::Display for Zxid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:x}", self.0)
    }
}

impl fmt::Debug for Zxid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zxid(0x{:x})", self.0)
    }
}

/// A client session id, as the server assigns it (server id in the top byte).
/// Displays as zkCli prints `ephemeralOwner` (`0x100000f3ad90000`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SessionId(pub i64);

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:x}", self.0)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId(0x{:x})", self.0)
    }
}

/// Simulated wall-clock time in milliseconds since the Unix epoch: what ZooKeeper stores in
/// `ctime`/`mtime`. It comes from the simulation's logical clock, never from the host.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default, Serialize, Deserialize,
)]
pub struct Millis(pub i64);

/// A moment of simulated time: milliseconds since the run began. It comes from the
/// simulation's logical clock, never from the host, and orders everything that happens in a
/// run. (The wall-clock time ZooKeeper stores in stats is [`Millis`], offset from this by the
/// run's wall-clock origin.)
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimTime(pub u64);

impl SimTime {
    /// The start of a run.
    pub const ZERO: SimTime = SimTime(0);

    /// Milliseconds since the run began.
    pub fn ms(self) -> u64 {
        self.0
    }

    /// Seconds since the run began.
    pub fn secs(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// Milliseconds from `earlier` to this moment; zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl std::ops::Add<u64> for SimTime {
    type Output = SimTime;

    /// `ms` milliseconds later.
    fn add(self, ms: u64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }
}

impl std::ops::AddAssign<u64> for SimTime {
    fn add_assign(&mut self, ms: u64) {
        *self = *self + ms;
    }
}

impl fmt::Display for SimTime {
    /// `12.345 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} s", self.secs())
    }
}

impl fmt::Debug for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

impl Zxid {
    /// The zxid of `counter` within `epoch` (epoch in the high 32 bits).
    pub fn new(epoch: u32, counter: u32) -> Zxid {
        Zxid((i64::from(epoch) << 32) | i64::from(counter))
    }

    /// The leader epoch this zxid was proposed in.
    pub fn epoch(self) -> u32 {
        (self.0 >> 32) as u32
    }

    /// The position within its epoch.
    pub fn counter(self) -> u32 {
        self.0 as u32
    }
}

/// A ZooKeeper server of the ensemble (`myid`), from 1.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServerId(pub u8);

impl fmt::Display for ServerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "zk{}", self.0)
    }
}

impl fmt::Debug for ServerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// An application process — one of the lecture's "nodes" — from 1.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProcessId(pub u32);

impl fmt::Display for ProcessId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "p{}", self.0)
    }
}

impl fmt::Debug for ProcessId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Anything that sends and receives messages in the simulated network.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Endpoint {
    /// A ZooKeeper server.
    Server(ServerId),
    /// An application process (through its ZooKeeper client library).
    Process(ProcessId),
    /// The shared resource the leader writes to (fenced by the leader's token).
    Resource,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Server(s) => s.fmt(f),
            Endpoint::Process(p) => p.fmt(f),
            Endpoint::Resource => f.write_str("resource"),
        }
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_like_zkcli() {
        assert_eq!(Zxid(0x1b).to_string(), "0x1b");
        assert_eq!(Zxid::ZERO.to_string(), "0x0");
        assert_eq!(
            SessionId(0x0100_000f_3ad9_0000).to_string(),
            "0x100000f3ad90000"
        );
        assert_eq!(format!("{:?}", Zxid(2).next()), "Zxid(0x3)");
        let z = Zxid::new(2, 5);
        assert_eq!(
            (z.to_string().as_str(), z.epoch(), z.counter()),
            ("0x200000005", 2, 5)
        );
        assert_eq!(Endpoint::Process(ProcessId(4)).to_string(), "p4");
        assert_eq!(Endpoint::Server(ServerId(2)).to_string(), "zk2");
    }
}
