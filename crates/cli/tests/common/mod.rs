//! What the binary's integration tests share: running it, starting the real ZooKeeper, and
//! stopping a process they started, by its PID.
// Each test binary uses a part of this module.
#![allow(dead_code)]

pub mod live;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use zooscope_live::zookeeper::{Installation, RealServer, ServerSettings};

/// A real standalone ZooKeeper 3.8 on a free loopback port, started from the installation
/// setup made (stopped, by PID, when dropped).
pub fn real_server() -> RealServer {
    let installation = Installation::find()
        .unwrap_or_else(|e| panic!("{e} — these tests need the real server: run scripts/setup.sh"));
    RealServer::start(&installation, ServerSettings::default()).expect("the server starts")
}

/// Runs the `zooscope` binary with `args`.
pub fn zooscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zooscope"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("the zooscope binary does not run: {e}"))
}

/// Stops `child` as Ctrl-C would (SIGINT, so that `zooscope live` stops what it started),
/// then kills it if it has not ended within `patience`. Nothing happens to one that ended.
pub fn stop_gently(child: &mut Child, patience: Duration) {
    if !matches!(child.try_wait(), Ok(None)) {
        return;
    }
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Sends `signal` (`-STOP`, `-CONT`) to `pid`.
pub fn signal(pid: u32, signal: &str) {
    let sent = Command::new("kill")
        .arg(signal)
        .arg(pid.to_string())
        .stderr(Stdio::null())
        .status();
    assert!(sent.is_ok_and(|s| s.success()), "kill {signal} {pid}");
}

/// Continues a stopped process when dropped, so that a failing test leaves no frozen JVM for
/// `zooscope live` to wait on.
pub struct Thawed(pub u32);

impl Drop for Thawed {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-CONT")
            .arg(self.0.to_string())
            .status();
    }
}

/// The PID of server `zk{id}`'s JVM (its `zoo.cfg` is in directory `zk{id}`) among the
/// children of `parent`.
pub fn server_pid(parent: u32, id: u64) -> Option<u32> {
    let parent = parent.to_string();
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let child = stat
                .rsplit_once(") ")
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                == Some(parent.as_str());
            child
                && std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
                    String::from_utf8_lossy(&c).contains(&format!("/zk{id}/zoo.cfg"))
                })
        })
}
