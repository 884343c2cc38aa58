//! Nothing left behind, however `zooscope live --start 3 --processes 3` ends: a closed
//! terminal (SIGHUP), a crash (SIGKILL) and a panic (the test-only trigger) each leave none of
//! its processes — servers, candidates, its reaper — running, and none of its data
//! directories in the temporary directory. Checked in `/proc` and the temp dir.
#![allow(clippy::expect_used)]

mod common;

use common::live::{alive, Live};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// How long ending may take: the reaper acts at once, but a JVM takes a moment to die.
const ENDING: Duration = Duration::from_secs(20);

/// Every process descended from `root`, from `/proc` (parents before children).
fn descendants(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                .filter_map(|pid| {
                    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                    let parent = stat.rsplit_once(") ")?.1.split_whitespace().nth(1)?;
                    Some((pid, parent.parse().ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut found = vec![root];
    let mut i = 0;
    while let Some(&pid) = found.get(i) {
        found.extend(parents.iter().filter(|(_, p)| *p == pid).map(|(c, _)| *c));
        i += 1;
    }
    found.remove(0);
    found
}

/// The data directories process `pid` made.
fn dirs_of(pid: u32) -> Vec<PathBuf> {
    let prefix = format!("zooscope-zk-{pid}-");
    std::fs::read_dir(std::env::temp_dir())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_name()
                        .to_str()
                        .is_some_and(|n| n.starts_with(&prefix))
                })
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// The command line of `pid`, for a message.
fn cmdline(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .unwrap_or_default()
}

/// Starts a live session, ends it with `end`, and checks that nothing is left; returns how
/// long it took for the last process and directory to go.
fn ends_leaving_nothing(env: &[(&str, &str)], end: impl FnOnce(&mut Live)) -> Duration {
    let mut live = Live::start_with(&["--start", "3", "--processes", "3"], env);
    let root = live.child.id();
    let children = descendants(root);
    let java = children
        .iter()
        .filter(|p| cmdline(**p).contains("java"))
        .count();
    let candidates = children
        .iter()
        .filter(|p| cmdline(**p).contains(" candidate "))
        .count();
    let reapers = children
        .iter()
        .filter(|p| cmdline(**p).ends_with(" reaper "))
        .count();
    assert_eq!(
        (java, candidates, reapers),
        (3, 3, 1),
        "three servers, three candidates, one reaper: {:?}",
        children.iter().map(|p| cmdline(*p)).collect::<Vec<_>>()
    );
    let dirs = dirs_of(root);
    assert_eq!(dirs.len(), 1, "one directory for the ensemble: {dirs:?}");
    let ended = Instant::now();
    end(&mut live);
    loop {
        let running: Vec<String> = std::iter::once(root)
            .chain(children.iter().copied())
            .filter(|p| alive(*p))
            .map(|p| format!("{p}: {}", cmdline(p)))
            .collect();
        let left: Vec<&PathBuf> = dirs.iter().filter(|d| d.exists()).collect();
        if running.is_empty() && left.is_empty() {
            return ended.elapsed();
        }
        assert!(
            ended.elapsed() < ENDING,
            "after {ENDING:?}: still running {running:?}, still there {left:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn send(live: &Live, signal: &str) {
    let sent = Command::new("kill")
        .arg(signal)
        .arg(live.child.id().to_string())
        .status();
    assert!(sent.is_ok_and(|s| s.success()), "kill {signal}");
}

#[test]
fn a_closed_terminal_leaves_nothing_behind() {
    let took = ends_leaving_nothing(&[], |live| {
        send(live, "-HUP");
        let status = live.child.wait().expect("it ends");
        assert!(status.success(), "SIGHUP is a normal end: {status:?}");
    });
    eprintln!("SIGHUP: nothing left after {took:?}");
}

#[test]
fn a_crash_leaves_nothing_behind() {
    let took = ends_leaving_nothing(&[], |live| {
        send(live, "-KILL");
        let _ = live.child.wait();
    });
    eprintln!("SIGKILL: nothing left after {took:?}");
}

#[test]
fn a_panic_leaves_nothing_behind() {
    let took = ends_leaving_nothing(&[("ZOOSCOPE_TEST_PANIC_AFTER_MS", "1500")], |live| {
        let status = live.child.wait().expect("it ends");
        assert_eq!(status.code(), Some(101), "a panic: {status:?}");
    });
    eprintln!("panic: nothing left after {took:?} (from the start of the wait)");
}

#[test]
fn a_directory_left_by_a_crash_is_removed_at_the_next_start() {
    // A maker that is gone: a PID above the kernel's largest.
    let stale = std::env::temp_dir().join("zooscope-zk-4194390-0");
    std::fs::create_dir_all(stale.join("zk1").join("data")).expect("a stale directory");
    let live = Live::start(&["--start", "1", "--processes", "0"]);
    assert!(!stale.exists(), "{stale:?} is still there");
    drop(live);
}
