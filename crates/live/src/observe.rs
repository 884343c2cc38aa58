//! What a real ZooKeeper server says about itself, read from its four-letter words: its mode
//! and last zxid (`srvr`), its client connections with their sessions and timeouts (`cons`),
//! the leader's session expiry buckets and every session's ephemerals (`dump`), and which
//! sessions watch which paths (`wchp`).
//!
//! Parsing only — the words are asked by [`crate::zookeeper::four_letter`]. The formats are
//! ZooKeeper 3.8's, as recorded from the real server (the tests hold those recordings). What
//! they do not show is said where it matters: `wchp` lists data and exists watches, not child
//! watches (a herd process's watch on `/election` is invisible there).
//!
//! Imports nothing from the rest of the crate.

use std::collections::BTreeMap;

/// A server's mode, as `srvr` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A single server.
    Standalone,
    /// The ensemble's leader.
    Leader,
    /// Following the leader.
    Follower,
    /// Not serving: electing a leader, or cut off from a quorum.
    NotServing,
}

/// What `srvr` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// Its mode.
    pub mode: Mode,
    /// The last zxid it has.
    pub zxid: i64,
}

/// Parses `srvr`'s answer. A server that does not serve answers "This ZooKeeper instance is
/// not currently serving requests".
pub fn status(answer: &str) -> Option<Status> {
    if answer.contains("not currently serving requests") {
        return Some(Status {
            mode: Mode::NotServing,
            zxid: 0,
        });
    }
    let field = |name: &str| {
        answer
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::trim)
    };
    let mode = match field("Mode:")? {
        "standalone" => Mode::Standalone,
        "leader" => Mode::Leader,
        "follower" => Mode::Follower,
        _ => Mode::NotServing,
    };
    let zxid = hex(field("Zxid:")?)?;
    Some(Status { mode, zxid })
}

/// One client connection, as `cons` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The client's address.
    pub client: String,
    /// Its session.
    pub session: i64,
    /// The session timeout the server granted, in ms.
    pub timeout_ms: u64,
    /// The last operation (`EXIS`, `GETC`, `CREA`, `PING`, …).
    pub last_op: String,
}

/// Parses `cons`: the connections that have a session (the one asking has none).
pub fn connections(answer: &str) -> Vec<Connection> {
    answer
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let (client, rest) = line.split_once('[')?;
            let inside = rest.split_once('(')?.1.trim_end_matches(')');
            let fields: BTreeMap<&str, &str> = inside
                .split(',')
                .filter_map(|kv| kv.split_once('='))
                .collect();
            Some(Connection {
                client: client.trim_start_matches('/').to_owned(),
                session: hex(fields.get("sid")?)?,
                timeout_ms: fields.get("to")?.parse().ok()?,
                last_op: fields.get("lop").copied().unwrap_or("").to_owned(),
            })
        })
        .collect()
}

/// What `dump` says: when the leader expires each session (bucket times as the server prints
/// them), and each session's ephemeral znodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dump {
    /// Session → the expiry bucket's time, as printed (`Sat Nov 28 18:11:09 UTC 2026`).
    pub expiry: BTreeMap<i64, String>,
    /// Session → its ephemeral znodes.
    pub ephemerals: BTreeMap<i64, Vec<String>>,
}

/// Parses `dump` (on the leader or a standalone server; a follower's lists no sessions).
pub fn dump(answer: &str) -> Dump {
    #[derive(PartialEq)]
    enum Section {
        None,
        Sessions,
        Ephemerals,
        Connections,
    }
    let mut out = Dump::default();
    let mut section = Section::None;
    let mut bucket = String::new();
    let mut owner: Option<i64> = None;
    for line in answer.lines() {
        if line.starts_with("Session Sets") {
            section = Section::Sessions;
        } else if line.starts_with("ephemeral nodes dump") {
            section = Section::Ephemerals;
        } else if line.starts_with("Connections dump") {
            section = Section::Connections;
        } else if section == Section::Sessions {
            if let Some((_, at)) = line.split_once(" expire at ") {
                bucket = at.trim_end_matches(':').to_owned();
            } else if let Some(session) = hex(line.trim()) {
                out.expiry.insert(session, bucket.clone());
            }
        } else if section == Section::Ephemerals {
            if let Some(path) = line.strip_prefix('\t') {
                if let Some(session) = owner {
                    out.ephemerals
                        .entry(session)
                        .or_default()
                        .push(path.trim().to_owned());
                }
            } else if let Some(session) = line.strip_suffix(':').and_then(hex) {
                owner = Some(session);
            }
        }
    }
    out
}

/// Parses `wchp`: path → the sessions with a data or exists watch on it.
pub fn watches_by_path(answer: &str) -> BTreeMap<String, Vec<i64>> {
    let mut out: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut path: Option<String> = None;
    for line in answer.lines() {
        if let Some(session) = line.strip_prefix('\t') {
            if let (Some(p), Some(s)) = (&path, hex(session.trim())) {
                out.entry(p.clone()).or_default().push(s);
            }
        } else if line.starts_with('/') {
            path = Some(line.trim().to_owned());
        }
    }
    out
}

/// An expiry bucket's time as `dump` prints it (Java's `Date.toString`, e.g. `Sat Nov 28
/// 18:11:09 UTC 2026`), in ms since 1970. Only UTC is read (the servers Zooscope starts run
/// in UTC); another zone gives `None` rather than a guess.
pub fn bucket_time_ms(text: &str) -> Option<i64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [_, month, day, time, "UTC", year] = words.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = i64::try_from(MONTHS.iter().position(|m| m == month)? + 1).ok()?;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let mut hms = time.split(':').map(|n| n.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    Some((days_from_civil(year, month, day) * 86_400 + h * 3_600 + m * 60 + s) * 1_000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `0x10000494a1e0001` → its value.
pub(crate) fn hex(text: &str) -> Option<i64> {
    let digits = text.strip_prefix("0x")?;
    u64::from_str_radix(digits, 16).ok().map(|v| v as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Recorded from Debian's ZooKeeper 3.8.0 (standalone, tickTime 200) with two clients:
    // A (0x10000494a1e0000) holds /election/c_0000000000 and a child watch on /election;
    // B (0x10000494a1e0001) holds /election/c_0000000001 and an exists watch on A's.
    const SRVR: &str =
        "Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\n\
        Latency min/avg/max: 0/4.8889/18\nReceived: 10\nSent: 9\nConnections: 3\nOutstanding: 0\n\
        Zxid: 0x5\nMode: standalone\nNode count: 8\n";
    const CONS: &str = " /127.0.0.1:51958[1](queued=0,recved=3,sent=3,sid=0x10000494a1e0001,lop=EXIS,est=1795889466462,to=3000,lcxid=0x2,lzxid=0x5,lresp=4811131,llat=0,minlat=0,avglat=1,maxlat=2)\n \
        /127.0.0.1:55092[1](queued=0,recved=6,sent=6,sid=0x10000494a1e0000,lop=GETC,est=1795889466418,to=3000,lcxid=0x5,lzxid=0x5,lresp=4811136,llat=1,minlat=0,avglat=6,maxlat=18)\n \
        /127.0.0.1:51988[0](queued=0,recved=1,sent=0)\n\n";
    const DUMP: &str = "SessionTracker dump:\nSession Sets (1)/(2):\n2 expire at Sat Nov 28 18:11:09 UTC 2026:\n\
        \t0x10000494a1e0001\n\t0x10000494a1e0000\nephemeral nodes dump:\nSessions with Ephemerals (2):\n\
        0x10000494a1e0001:\n\t/election/c_0000000001\n0x10000494a1e0000:\n\t/election/c_0000000000\n\
        Connections dump:\nConnections Sets (2)/(3):\n2 expire at Sat Nov 28 18:11:15 UTC 2026:\n\
        \tip: /127.0.0.1:51958 sessionId: 0x10000494a1e0001\n";
    const WCHP: &str = "/election/c_0000000000\n\t0x10000494a1e0001\n\n";
    const A: i64 = 0x0100_0049_4a1e_0000;
    const B: i64 = 0x0100_0049_4a1e_0001;

    #[test]
    fn srvr_gives_the_mode_and_the_last_zxid() {
        assert_eq!(
            status(SRVR),
            Some(Status {
                mode: Mode::Standalone,
                zxid: 5
            })
        );
        let electing = "This ZooKeeper instance is not currently serving requests\n";
        assert_eq!(status(electing).map(|s| s.mode), Some(Mode::NotServing));
        assert_eq!(status("garbage"), None);
    }

    #[test]
    fn cons_gives_each_session_with_its_timeout() {
        let seen = connections(CONS);
        assert_eq!(seen.len(), 2, "the asking connection has no session");
        assert_eq!(seen[0].session, B);
        assert_eq!(seen[0].timeout_ms, 3000);
        assert_eq!(seen[0].last_op, "EXIS");
        assert_eq!(seen[1].client, "127.0.0.1:55092");
    }

    #[test]
    fn dump_gives_expiry_buckets_and_ephemerals() {
        let d = dump(DUMP);
        assert_eq!(
            d.expiry.get(&A).map(String::as_str),
            Some("Sat Nov 28 18:11:09 UTC 2026")
        );
        assert_eq!(
            d.expiry.len(),
            2,
            "connection buckets are not session buckets"
        );
        assert_eq!(d.ephemerals[&B], ["/election/c_0000000001"]);
        assert_eq!(d.ephemerals[&A], ["/election/c_0000000000"]);
    }

    #[test]
    fn a_bucket_time_reads_as_ms_since_1970() {
        // 2026-11-28T18:11:09Z.
        assert_eq!(
            bucket_time_ms("Sat Nov 28 18:11:09 UTC 2026"),
            Some(1_795_889_469_000)
        );
        assert_eq!(bucket_time_ms("Thu Jan 01 00:00:00 UTC 1970"), Some(0));
        assert_eq!(bucket_time_ms("Sat Nov 28 18:11:09 CET 2026"), None);
        assert_eq!(bucket_time_ms("garbage"), None);
    }

    #[test]
    fn wchp_gives_the_exists_watch_but_not_the_child_watch() {
        let w = watches_by_path(WCHP);
        assert_eq!(w.len(), 1);
        assert_eq!(w["/election/c_0000000000"], [B]);
        assert!(!w.contains_key("/election"));
    }
}
