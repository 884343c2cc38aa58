//! What the binary's integration tests share: running it, and stopping a process they
//! started, by its PID.
// Each test binary uses a part of this module.
#![allow(dead_code)]

pub mod live;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
