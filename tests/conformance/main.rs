//! Conformance: every `tests/conformance/scripts/NAME.zkcli` is run through Zooscope's zkCli
//! shell and its output compared, line by line, with `NAME.zk38.out`, recorded from a real
//! ZooKeeper 3.8.0 by `tests/conformance/record.sh`. Only `ctime`/`mtime` values and non-zero
//! session ids (`ephemeralOwner`) may differ.
//!
//! zkCli prints watch events from its event thread while the main thread prints command
//! output, so on the real server an event may land a line earlier or later from run to run, and
//! the two events of one `removewatches -a` come in either order. The comparison allows exactly
//! that: the other lines must match in order, the events must match in order (a run of removal
//! events as a set), and each watch event must sit within one line of where the recording has
//! it (connection-state events, which the event thread prints whenever it gets to them, only
//! in order).
//!
//! `ZK_RECORDINGS=DIR` compares against recordings in DIR instead (the test command sets it to
//! a fresh recording when ZooKeeper is installed).

#![allow(clippy::expect_used)] // a malformed script or recording should stop the test loudly

use std::path::{Path, PathBuf};
use zooscope_core::zkcli::Shell;
use zooscope_core::{Millis, Server, ServerConfig};

const HOST: &str = "127.0.0.1:2181";

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/scripts")
}

/// Runs a script as `zooscope zkcli -server 127.0.0.1:2181 < script` would, acting on the
/// `#!` directives as `record.sh` does (see there): `sleep` lets simulated time pass, `server`
/// lines configure the server, and `{{C*N}}` expands to N copies of C.
fn run(script: &str) -> String {
    let start = Millis(1_795_510_800_000);
    let mut config = ServerConfig::default();
    for directive in script.lines().filter_map(|l| l.strip_prefix("#! server ")) {
        let words: Vec<&str> = directive.split_whitespace().collect();
        match words.as_slice() {
            ["extendedTypesEnabled"] => config.tree.extended_types_enabled = true,
            ["containerCheckIntervalMs", ms] => {
                config.container_check_interval_ms = ms.parse().expect("a number of ms");
            }
            _ => panic!("unknown server directive {directive:?}"),
        }
    }
    let mut out = Shell::banner(HOST, false);
    let mut shell = Shell::new(HOST, Server::new(1, config, start), start);
    let mut now = start;
    for line in script.lines() {
        if let Some(ms) = line.strip_prefix("#! sleep ") {
            now = Millis(now.0 + ms.trim().parse::<i64>().expect("a number of ms"));
            out.push_str(&shell.advance(now));
        } else if !line.starts_with("#!") {
            out.push_str(&shell.execute(&expand(line)));
        }
    }
    out
}

/// Expands every `{{C*N}}` in a script line into N copies of the character C.
fn expand(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 2..close];
        let mut chars = inner.chars();
        match (chars.next(), chars.next(), chars.as_str().parse::<usize>()) {
            (Some(c), Some('*'), Ok(n)) => {
                out.push_str(&rest[..open]);
                out.extend(std::iter::repeat_n(c, n));
            }
            _ => out.push_str(&rest[..close + 2]),
        }
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Whether two output lines agree, up to the values that differ from run to run.
fn same_line(expected: &str, actual: &str) -> bool {
    for volatile in ["ctime = ", "mtime = "] {
        if expected.starts_with(volatile) {
            return actual.starts_with(volatile);
        }
    }
    if let Some(owner) = expected.strip_prefix("ephemeralOwner = ") {
        return match actual.strip_prefix("ephemeralOwner = ") {
            Some(ours) => (owner == "0x0") == (ours == "0x0"),
            None => false,
        };
    }
    expected == actual
}

/// An output split into its plain lines and its watch events, each event with the number of
/// plain lines printed before it. zkCli's watcher prints an event as two messages
/// (`\nWATCHER::` and `\nWatchedEvent …`), and the main thread's output can land between the
/// two, so each is taken out of the line stream on its own.
struct Split<'a> {
    lines: Vec<&'a str>,
    events: Vec<(usize, &'a str)>,
    markers: usize,
}

fn split_events(output: &str) -> Split<'_> {
    let all: Vec<&str> = output.lines().collect();
    let (mut lines, mut events, mut markers, mut i) = (Vec::new(), Vec::new(), 0, 0);
    while i < all.len() {
        match (all[i], all.get(i + 1)) {
            ("", Some(&"WATCHER::")) => {
                markers += 1;
                i += 2;
            }
            ("", Some(e)) if e.starts_with("WatchedEvent state:") => {
                events.push((lines.len(), *e));
                i += 2;
            }
            (line, _) => {
                lines.push(line);
                i += 1;
            }
        }
    }
    Split {
        lines,
        events,
        markers,
    }
}

/// Describes the first difference between a recording and our output, if any.
fn difference(expected: &str, actual: &str) -> Option<String> {
    let (exp, act) = (split_events(expected), split_events(actual));
    let n = exp.lines.len().max(act.lines.len());
    if let Some(i) = (0..n).find(
        |&i| !matches!((exp.lines.get(i), act.lines.get(i)), (Some(e), Some(a)) if same_line(e, a)),
    ) {
        return Some(format!(
            "output line {}: expected {:?}, got {:?}",
            i + 1,
            exp.lines.get(i).copied().unwrap_or("<end>"),
            act.lines.get(i).copied().unwrap_or("<end>")
        ));
    }
    if exp.events.len() != act.events.len() || act.markers != act.events.len() {
        return Some(format!(
            "{} watch events expected, {} printed",
            exp.events.len(),
            act.events.len()
        ));
    }
    let removal = |e: &str| e.contains("WatchRemoved ");
    let mut i = 0;
    while i < exp.events.len() {
        // A run of removal events compares as a set; any other event on its own.
        let mut j = i + 1;
        while removal(exp.events[i].1) && j < exp.events.len() && removal(exp.events[j].1) {
            j += 1;
        }
        let mut want: Vec<&str> = exp.events[i..j].iter().map(|e| e.1).collect();
        let mut got: Vec<&str> = act.events[i..j].iter().map(|e| e.1).collect();
        want.sort_unstable();
        got.sort_unstable();
        if want != got {
            return Some(format!(
                "watch event {}: expected {want:?}, got {got:?}",
                i + 1
            ));
        }
        for k in i..j {
            // Connection-state events (`type:None`: SyncConnected, Closed, Disconnected) come
            // from zkCli's event thread whenever it gets to them — after one line or after
            // several; their order is checked, not their place.
            let state_event = exp.events[k].1.contains(" type:None ");
            if !state_event && exp.events[k].0.abs_diff(act.events[k].0) > 1 {
                return Some(format!(
                    "watch event {} ({}) printed after output line {}, expected near line {}",
                    k + 1,
                    exp.events[k].1,
                    act.events[k].0,
                    exp.events[k].0
                ));
            }
        }
        i = j;
    }
    None
}

#[test]
fn every_script_prints_what_zookeeper_3_8_prints() {
    let recordings = std::env::var_os("ZK_RECORDINGS").map_or_else(scripts_dir, PathBuf::from);
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(scripts_dir())
        .expect("the scripts directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "zkcli"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 40, "only {} scripts", scripts.len());
    let mut failures = Vec::new();
    for script in &scripts {
        let name = script
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let input = std::fs::read_to_string(script).expect("a readable script");
        let expected = std::fs::read_to_string(recordings.join(format!("{name}.zk38.out")))
            .unwrap_or_else(|_| panic!("no recording for {name}"));
        let actual = run(&input);
        if let Some(d) = difference(&expected, &actual) {
            failures.push(format!("{name}: {d}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scripts differ:\n{}",
        failures.len(),
        scripts.len(),
        failures.join("\n")
    );
}

/// The native binary, fed a script on standard input, prints what the recording holds too
/// (scripts without harness directives, which only the harness understands).
#[test]
fn the_binary_reads_scripts_from_stdin_like_zkcli() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut checked = 0;
    for entry in std::fs::read_dir(scripts_dir()).expect("the scripts directory") {
        let script = entry.expect("a directory entry").path();
        if script.extension().is_none_or(|x| x != "zkcli") {
            continue;
        }
        let input = std::fs::read_to_string(&script).expect("a readable script");
        if input.contains("#!") || input.contains("{{") {
            continue;
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_zooscope"))
            .args(["zkcli", "-server", HOST])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the zooscope binary starts");
        child
            .stdin
            .take()
            .expect("a stdin pipe")
            .write_all(input.as_bytes())
            .expect("the script is written");
        let output = child.wait_with_output().expect("the binary finishes");
        let printed = String::from_utf8_lossy(&output.stdout);
        let expected =
            std::fs::read_to_string(script.with_extension("zk38.out")).expect("a recording");
        if let Some(d) = difference(&expected, &printed) {
            panic!("{}: {d}", script.display());
        }
        let crashed = expected.contains("Exception in thread \"main\"");
        assert_eq!(
            output.status.code(),
            Some(i32::from(crashed)),
            "{}",
            script.display()
        );
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} scripts checked");
}

#[test]
fn the_binary_rejects_unknown_flags_with_usage() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zooscope"))
        .args(["zkcli", "-bogus"])
        .output()
        .expect("the zooscope binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Usage: zooscope zkcli"));
}

#[test]
fn events_may_move_one_line_but_not_change() {
    let ev =
        |t: &str| format!("\nWATCHER::\n\nWatchedEvent state:SyncConnected type:{t} path:/a\n");
    let rec = format!("{}Created /a\nx\n", ev("NodeCreated"));
    assert_eq!(
        difference(&rec, &format!("Created /a\n{}x\n", ev("NodeCreated"))),
        None
    );
    assert!(difference(&rec, &format!("Created /a\nx\n{}", ev("NodeCreated"))).is_some());
    assert!(difference(&rec, &format!("{}Created /a\nx\n", ev("NodeDeleted"))).is_some());
    let both = format!("{}{}", ev("DataWatchRemoved"), ev("ChildWatchRemoved"));
    let swapped = format!("{}{}", ev("ChildWatchRemoved"), ev("DataWatchRemoved"));
    assert_eq!(difference(&both, &swapped), None);
}

#[test]
fn repeated_data_expands_like_record_sh() {
    assert_eq!(expand("create /a {{x*3}} {{y*0}}!"), "create /a xxx !");
    assert_eq!(expand("get {{x}} {{ab*2}} {{"), "get {{x}} {{ab*2}} {{");
}

#[test]
fn volatile_fields_are_the_only_leeway() {
    assert!(same_line(
        "ctime = Tue Nov 24 00:32:50 UTC 2026",
        "ctime = Thu Jan 01 00:00:00 UTC 1970"
    ));
    assert!(same_line(
        "ephemeralOwner = 0x100000f3ad90000",
        "ephemeralOwner = 0x1a20cc88e800000"
    ));
    assert!(!same_line(
        "ephemeralOwner = 0x0",
        "ephemeralOwner = 0x1a20cc88e800000"
    ));
    assert!(!same_line("cZxid = 0x2", "cZxid = 0x3"));
}
