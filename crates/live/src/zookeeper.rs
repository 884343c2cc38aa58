//! A real ZooKeeper 3.8 server on loopback, for tests and live mode.
//!
//! The server is the installed one, found as a user's machine has it: `$ZOOKEEPER_HOME` (an
//! Apache release: `lib/*.jar`, `conf/`), else Debian's package (`/usr/share/java/zookeeper.jar`,
//! `/etc/zookeeper/conf`). It runs `ZooKeeperServerMain` in the foreground as our child, in a
//! fresh temporary data directory (so zxids start at 0x1), on a free loopback port, with the
//! four-letter words enabled; it is ready when `srvr` names its mode (`ruok`'s `imok` comes
//! earlier, while it cannot serve yet). It is stopped by its
//! PID — never by name — when [`RealServer`] is dropped, so a panicking test leaves nothing
//! behind.

use crate::LiveError;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Debian's jar, configuration and client script.
const DEBIAN_JAR: &str = "/usr/share/java/zookeeper.jar";
const DEBIAN_CONF: &str = "/etc/zookeeper/conf";

/// Where ZooKeeper is installed: what `java` needs to run its server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installation {
    /// The `java` to run.
    pub java: PathBuf,
    /// The class path: the configuration directory (for log4j) and the jars.
    pub classpath: String,
}

impl Installation {
    /// Finds ZooKeeper: `$ZOOKEEPER_HOME` first, then Debian's package.
    pub fn find() -> Result<Installation, LiveError> {
        let classpath = match std::env::var_os("ZOOKEEPER_HOME") {
            Some(home) if !home.is_empty() => {
                let home = PathBuf::from(home);
                if !home.join("lib").is_dir() {
                    return Err(LiveError::NotInstalled);
                }
                format!(
                    "{}:{}",
                    home.join("conf").display(),
                    home.join("lib").join("*").display()
                )
            }
            _ if Path::new(DEBIAN_JAR).is_file() => format!("{DEBIAN_CONF}:{DEBIAN_JAR}"),
            _ => return Err(LiveError::NotInstalled),
        };
        let java = find_java().ok_or(LiveError::NoJava)?;
        Ok(Installation { java, classpath })
    }
}

/// `$JAVA_HOME/bin/java`, else the first `java` on `PATH`.
fn find_java() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("JAVA_HOME") {
        let java = PathBuf::from(home).join("bin").join("java");
        if java.is_file() {
            return Some(java);
        }
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("java"))
        .find(|java| java.is_file())
}

/// How to run a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerSettings {
    /// `tickTime` in ms: session timeouts are granted between 2 and 20 ticks.
    pub tick_ms: u32,
}

impl Default for ServerSettings {
    /// A short tick (200 ms), as the simulation's default: sessions of 0.4–4 s.
    fn default() -> Self {
        ServerSettings { tick_ms: 200 }
    }
}

/// A standalone ZooKeeper server we started; stopped (by PID) when dropped.
#[derive(Debug)]
pub struct RealServer {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl RealServer {
    /// Starts a standalone server on a free loopback port and waits until it serves.
    pub fn start(
        installation: &Installation,
        settings: ServerSettings,
    ) -> Result<RealServer, LiveError> {
        let dir = fresh_dir()?;
        let port = free_port()?;
        let data = dir.join("data");
        std::fs::create_dir_all(&data)
            .map_err(|e| LiveError::io("creating a data directory", e))?;
        let config = format!(
            "tickTime={}\ndataDir={}\nclientPort={port}\nclientPortAddress=127.0.0.1\n\
             admin.enableServer=false\n4lw.commands.whitelist=*\n",
            settings.tick_ms,
            data.display()
        );
        let cfg = dir.join("zoo.cfg");
        std::fs::write(&cfg, config).map_err(|e| LiveError::io("writing zoo.cfg", e))?;
        let child = spawn_server(
            installation,
            &dir,
            &cfg,
            "org.apache.zookeeper.server.ZooKeeperServerMain",
        )?;
        let mut server = RealServer { child, port, dir };
        server.wait_ready(Duration::from_secs(60))?;
        Ok(server)
    }

    /// `127.0.0.1:port`, as a client's connect string.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Asks a four-letter word (`ruok`, `srvr`, `cons`, `dump`, `wchp`, …).
    pub fn four_letter(&self, word: &str) -> std::io::Result<String> {
        four_letter(&self.address(), word)
    }

    fn wait_ready(&mut self, limit: Duration) -> Result<(), LiveError> {
        let address = self.address();
        wait_serving(&mut self.child, &address, &self.dir, limit)
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        // By PID: this child and no other process. SIGKILL: nothing of it needs to survive.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `main_class` (a ZooKeeper server's entry point) on `cfg` as our child, logging into
/// `dir/server.log`. The JVM's time zone is UTC, so that the dates `dump` prints are read
/// without guessing.
pub(crate) fn spawn_server(
    installation: &Installation,
    dir: &Path,
    cfg: &Path,
    main_class: &str,
) -> Result<Child, LiveError> {
    let log = std::fs::File::create(dir.join("server.log"))
        .map_err(|e| LiveError::io("creating the server's log", e))?;
    let err_log = log
        .try_clone()
        .map_err(|e| LiveError::io("creating the server's log", e))?;
    let child = Command::new(&installation.java)
        .arg("-cp")
        .arg(&installation.classpath)
        .arg(format!("-Dzookeeper.log.dir={}", dir.display()))
        .arg("-Duser.timezone=UTC")
        .arg(main_class)
        .arg(cfg)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err_log)
        .spawn()
        .map_err(|e| LiveError::io(format!("starting {}", installation.java.display()), e))?;
    crate::reaper::watch_process(child.id());
    Ok(child)
}

/// Waits until the server `child` at `address` serves (`srvr` names a mode: `ruok`'s `imok`
/// comes earlier, while it cannot serve yet); its log's end says why if it does not.
pub(crate) fn wait_serving(
    child: &mut Child,
    address: &str,
    dir: &Path,
    limit: Duration,
) -> Result<(), LiveError> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if four_letter(address, "srvr").is_ok_and(|answer| answer.contains("\nMode: ")) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    let tail: Vec<&str> = log.lines().rev().take(30).collect();
    Err(LiveError::ServerDidNotStart {
        address: address.to_owned(),
        waited_ms: started.elapsed().as_millis(),
        log: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
    })
}

/// Sends a four-letter word to `address` and reads the whole answer (the server closes).
pub fn four_letter(address: &str, word: &str) -> std::io::Result<String> {
    four_letter_within(address, word, Duration::from_secs(2))
}

/// [`four_letter`], giving up after `patience` to connect and again to read: a frozen server
/// accepts the connection (its kernel does) and never answers.
pub fn four_letter_within(
    address: &str,
    word: &str,
    patience: Duration,
) -> std::io::Result<String> {
    let addr: SocketAddr = address
        .parse()
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, address.to_owned()))?;
    let mut stream = TcpStream::connect_timeout(&addr, patience)?;
    stream.set_read_timeout(Some(patience))?;
    stream.write_all(word.as_bytes())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

/// The ports servers are given: below Linux's ephemeral range (32768–60999). The system picks
/// the local port of every outgoing connection from that range, so a port found free there
/// (by binding port 0) could be taken by some client's connection — a test's own — before the
/// server binds it, and the server would exit at its start.
const PORTS: std::ops::Range<u32> = 20_000..32_000;

/// A loopback port nobody listens on now, outside the range outgoing connections use. Each call
/// starts looking one further along, and each process somewhere else, so that servers started
/// at the same moment do not race for one port.
pub(crate) fn free_port() -> Result<u16, LiveError> {
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let span = PORTS.end - PORTS.start;
    let start = std::process::id()
        .wrapping_mul(7_919)
        .wrapping_add(CALLS.fetch_add(1, Ordering::Relaxed));
    (0..span)
        .filter_map(|i| u16::try_from(PORTS.start + start.wrapping_add(i) % span).ok())
        .find(|&port| TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok())
        .ok_or_else(|| {
            let busy = std::io::Error::from(std::io::ErrorKind::AddrInUse);
            LiveError::io("finding a free port from 20000 to 31999", busy)
        })
}

/// A new, empty directory of ours under the system's temporary directory, named by our PID
/// and registered with the reaper. The first one made also removes those whose makers are
/// gone.
pub(crate) fn fresh_dir() -> Result<PathBuf, LiveError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    if n == 0 {
        crate::reaper::remove_stale_dirs();
    }
    let dir = std::env::temp_dir().join(format!(
        "{}{}-{n}",
        crate::reaper::DIR_PREFIX,
        std::process::id()
    ));
    crate::reaper::watch_dir(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| LiveError::io("creating a temporary directory", e))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_outside_the_range_of_outgoing_connections_and_differ() {
        let ports: Vec<u16> = (0..8).map(|_| free_port().expect("a free port")).collect();
        assert!(ports.iter().all(|&p| PORTS.contains(&u32::from(p))
            && TcpListener::bind((Ipv4Addr::LOCALHOST, p)).is_ok()));
        let mut distinct = ports.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), ports.len(), "{ports:?}");
    }
}
