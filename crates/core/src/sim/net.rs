//! The simulated network: latency with jitter, lost packets, partitions.
//!
//! ZooKeeper runs over TCP, so its protocols never see a lost or reordered message: a lost
//! packet is retransmitted (it arrives late, after a retransmission timeout) and each link
//! delivers in order. A partition is different: nothing crosses it, and both sides find out
//! only through their own timeouts — exactly what ZooKeeper's heartbeats are for. The network
//! keeps every link FIFO, turns loss into retransmission delay, and drops what crosses a cut.

use crate::ids::dense::DenseMap;
use crate::ids::{Endpoint, ProcessId, SimTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How messages travel. Every field has a default (see [`NetConfig::default`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetConfig {
    /// One-way latency of every link, in ms (default 5).
    pub latency_ms: u32,
    /// Extra random latency, uniform in `0..=jitter_ms` (default 5).
    pub jitter_ms: u32,
    /// Chance, in thousandths, that a packet is lost and retransmitted (default 0).
    pub loss_per_mille: u32,
    /// TCP's retransmission timeout: the delay a lost packet adds, in ms (default 200).
    pub retransmit_ms: u32,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            latency_ms: 5,
            jitter_ms: 5,
            loss_per_mille: 0,
            retransmit_ms: 200,
        }
    }
}

/// A cut between two endpoints (stored with the smaller first).
type Link = (Endpoint, Endpoint);

fn link(a: Endpoint, b: Endpoint) -> Link {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The network's state: its settings, the cuts, and each link's last delivery time (FIFO).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    config: NetConfig,
    /// Endpoints cut off from everything.
    isolated: BTreeSet<Endpoint>,
    /// Individual links cut.
    cuts: BTreeSet<Link>,
    /// When the last message on each directed link arrives: later ones may not overtake it.
    last_arrival: LinkClocks,
}

impl Network {
    /// A network with no cuts.
    pub fn new(config: NetConfig) -> Network {
        Network {
            config,
            isolated: BTreeSet::new(),
            cuts: BTreeSet::new(),
            last_arrival: LinkClocks::default(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &NetConfig {
        &self.config
    }

    /// Whether a message from `a` can reach `b` now.
    pub fn connected(&self, a: Endpoint, b: Endpoint) -> bool {
        a == b
            || !(self.isolated.contains(&a)
                || self.isolated.contains(&b)
                || self.cuts.contains(&link(a, b)))
    }

    /// Cuts `who` off from `from` (or from everyone).
    pub fn partition(&mut self, who: Endpoint, from: Option<&[Endpoint]>) {
        match from {
            None => {
                self.isolated.insert(who);
            }
            Some(others) => {
                for other in others {
                    if *other != who {
                        self.cuts.insert(link(who, *other));
                    }
                }
            }
        }
    }

    /// Heals every cut involving `who` (or every cut).
    pub fn heal(&mut self, who: Option<Endpoint>) {
        match who {
            None => {
                self.isolated.clear();
                self.cuts.clear();
            }
            Some(who) => {
                self.isolated.remove(&who);
                self.cuts.retain(|(a, b)| *a != who && *b != who);
            }
        }
    }

    /// Endpoints cut off from everything.
    pub fn isolated(&self) -> impl Iterator<Item = Endpoint> + '_ {
        self.isolated.iter().copied()
    }

    /// Individual cut links.
    pub fn cuts(&self) -> impl Iterator<Item = (Endpoint, Endpoint)> + '_ {
        self.cuts.iter().copied()
    }

    /// When a message sent at `now` from `from` to `to` arrives, or `None` if a cut drops it.
    /// Draws the jitter and losses from `rng`; keeps the link FIFO.
    pub fn arrival(
        &mut self,
        from: Endpoint,
        to: Endpoint,
        now: SimTime,
        rng: &mut ChaCha8Rng,
    ) -> Option<SimTime> {
        if !self.connected(from, to) {
            return None;
        }
        let mut delay = u64::from(self.config.latency_ms);
        if self.config.jitter_ms > 0 {
            delay += u64::from(rng.random_range(0..=self.config.jitter_ms));
        }
        if self.config.loss_per_mille > 0 {
            let mut rto = u64::from(self.config.retransmit_ms);
            while rng.random_range(0..1000) < self.config.loss_per_mille && rto < 60_000 {
                delay += rto;
                rto *= 2;
            }
        }
        let last = self.last_arrival.of(from, to);
        let at = (now + delay).max(*last);
        *last = at;
        Some(at)
    }
}

/// The last arrival time of every directed link, looked up for every message sent. Nearly
/// all links join a process to a server, so they are kept with the process, found by its id
/// (its few links are searched in turn); the links between servers are few and searched too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LinkClocks {
    /// A process's links, by the other end and whether the process sends on it.
    of_process: DenseMap<ProcessId, Clocks<(Endpoint, bool)>>,
    /// Every other link, by (from, to).
    others: Clocks<(Endpoint, Endpoint)>,
}

/// A short list of links, each with its clock.
type Clocks<L> = Vec<(L, SimTime)>;

impl LinkClocks {
    /// The clock of the link from `from` to `to` (zero when it has carried nothing yet).
    fn of(&mut self, from: Endpoint, to: Endpoint) -> &mut SimTime {
        match (from, to) {
            (Endpoint::Process(p), peer) => clock(
                self.of_process.get_or_insert_with(p, Vec::new),
                (peer, true),
            ),
            (peer, Endpoint::Process(p)) => clock(
                self.of_process.get_or_insert_with(p, Vec::new),
                (peer, false),
            ),
            _ => clock(&mut self.others, (from, to)),
        }
    }
}

/// The clock of `link` in a short list of links, added at zero if it is not there yet.
fn clock<L: PartialEq>(links: &mut Clocks<L>, link: L) -> &mut SimTime {
    let i = match links.iter().position(|(l, _)| *l == link) {
        Some(i) => i,
        None => {
            links.push((link, SimTime::ZERO));
            links.len() - 1
        }
    };
    &mut links[i].1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SimTime;
    use crate::ids::{ProcessId, ServerId};
    use rand::SeedableRng;

    const P: Endpoint = Endpoint::Process(ProcessId(1));
    const S1: Endpoint = Endpoint::Server(ServerId(1));
    const S2: Endpoint = Endpoint::Server(ServerId(2));

    #[test]
    fn links_deliver_in_order_within_the_latency_bounds() {
        let mut net = Network::new(NetConfig::default());
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut last = SimTime::ZERO;
        for t in (0..200).map(SimTime) {
            let at = net.arrival(P, S1, t, &mut rng).expect("connected");
            assert!(at >= t + 5 && at >= last, "overtook or too fast");
            assert!(at <= (t + 10).max(last));
            last = at;
        }
    }

    #[test]
    fn partitions_drop_and_heal() {
        let mut net = Network::new(NetConfig::default());
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        net.partition(S1, Some(&[S2]));
        assert!(net.arrival(S1, S2, SimTime::ZERO, &mut rng).is_none());
        assert!(net.arrival(P, S1, SimTime::ZERO, &mut rng).is_some());
        net.partition(P, None);
        assert!(!net.connected(P, S2));
        net.heal(Some(S1));
        assert!(net.connected(S1, S2));
        assert!(!net.connected(P, S1));
        net.heal(None);
        assert_eq!(net.isolated().count() + net.cuts().count(), 0);
    }

    #[test]
    fn lost_packets_arrive_late() {
        let config = NetConfig {
            loss_per_mille: 500,
            ..NetConfig::default()
        };
        let mut net = Network::new(config);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let late = (0..100)
            .filter(|_| {
                net.arrival(P, S1, SimTime::ZERO, &mut rng)
                    .is_some_and(|at| at >= SimTime(200))
            })
            .count();
        assert!(late > 20, "only {late} of 100 retransmitted");
    }
}
