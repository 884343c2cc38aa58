//! Bad input never hurts: a million random and mutated console lines — binary garbage, huge
//! paths, odd flags, unicode — go through the zkCli parser and executor. None may panic; a
//! line that fails must say so in zkCli's own words; and a failed command must leave the tree
//! as it was.
//!
//! `ZOOSCOPE_FUZZ_LINES=N` changes the number of lines (default 1,000,000), and
//! `ZOOSCOPE_FUZZ_SEED=S` the seed (default: a fixed one, so a failure reproduces).

#![allow(clippy::expect_used)] // a failure here should stop the test loudly

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hash::{DefaultHasher, Hash, Hasher};
use zooscope_core::zkcli::{Shell, COMMANDS};
use zooscope_core::{DataTree, Millis, Server, ServerConfig};

/// Well-formed lines the mutations start from: every command, most flags, paths that exist.
const SEEDS: &[&str] = &[
    "create /a data",
    "create -e /a/e x",
    "create -s /a/s- x",
    "create -e -s /election/c_ p",
    "create -c /box",
    "create /box/item",
    "create -t 5000 /ttl",
    "create /election",
    "ls /",
    "ls -s -w /a",
    "ls -R /",
    "get -s -w /a",
    "set /a newer",
    "set -s -v 0 /a v",
    "stat -w /a",
    "delete /a/e",
    "delete -v 1 /a",
    "deleteall /a -b 2",
    "sync /a",
    "addWatch /a",
    "addWatch -m PERSISTENT /box",
    "removewatches /a -a",
    "removewatches /a -l",
    "getEphemerals /a",
    "getAllChildrenNumber /",
    "history",
    "redo 1",
    "printwatches off",
    "printwatches on",
    "whoami",
    "getAcl -s /a",
    "config -s",
    "listquota /a",
    "addauth digest u:p",
    "version",
    "close",
    "connect 127.0.0.1:2181",
    "ls2 /",
    "'quoted words' \"and more\"",
];

const PIECES: &[&str] = &[
    " ",
    "  ",
    "\t",
    "/",
    "//",
    "/.",
    "/..",
    "-",
    "--",
    "-s",
    "-e",
    "-c",
    "-t",
    "-w",
    "-R",
    "-v",
    "-m",
    "-b",
    "-l",
    "-x",
    "-1",
    "0",
    "2147483648",
    "0x1f",
    "#",
    "'",
    "\"",
    "\\",
    "é",
    "😀",
    "\u{0}",
    "\u{1}",
    "\u{7f}",
    "\u{ffff}",
    "\u{d7ff}",
    "PERSISTENT",
    "PERSISTENT_RECURSIVE",
    "zookeeper",
    "/zookeeper/quota",
    "/zookeeper/config",
];

/// One line: a seed, a command word with random words, or raw garbage; then mutated.
fn random_line(rng: &mut ChaCha8Rng) -> String {
    let mut line = match rng.random_range(0..10) {
        0..=4 => SEEDS[rng.random_range(0..SEEDS.len())].to_owned(),
        5..=7 => {
            let mut l = COMMANDS[rng.random_range(0..COMMANDS.len())].to_owned();
            for _ in 0..rng.random_range(0..6) {
                l.push(' ');
                l.push_str(PIECES[rng.random_range(0..PIECES.len())]);
                if rng.random_bool(0.5) {
                    l.push_str(PIECES[rng.random_range(0..PIECES.len())]);
                }
            }
            l
        }
        8 => {
            let bytes: Vec<u8> = (0..rng.random_range(0..64)).map(|_| rng.random()).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => (0..rng.random_range(0..24))
            .map(|_| char::from_u32(rng.random_range(0..0x11_0000)).unwrap_or('\u{fffd}'))
            .collect(),
    };
    for _ in 0..rng.random_range(0..4) {
        mutate(rng, &mut line);
    }
    // A console line never holds a line break: zkCli reads its input line by line.
    line.replace(['\n', '\r'], " ")
}

fn mutate(rng: &mut ChaCha8Rng, line: &mut String) {
    let at = |rng: &mut ChaCha8Rng, line: &String| {
        let boundaries: Vec<usize> = (0..=line.len())
            .filter(|&i| line.is_char_boundary(i))
            .collect();
        boundaries[rng.random_range(0..boundaries.len())]
    };
    match rng.random_range(0..6) {
        0 => {
            let i = at(rng, line);
            line.insert_str(i, PIECES[rng.random_range(0..PIECES.len())]);
        }
        1 => {
            let (a, b) = (at(rng, line), at(rng, line));
            line.replace_range(a.min(b)..a.max(b), "");
        }
        2 => {
            // A huge path or data word.
            let unit = PIECES[rng.random_range(0..PIECES.len())];
            line.push_str(" /");
            line.push_str(&unit.repeat(rng.random_range(100..5_000)));
        }
        3 => {
            let i = at(rng, line);
            line.truncate(i);
        }
        4 => {
            let copy = line.clone();
            line.push(' ');
            line.push_str(&copy);
        }
        _ => {
            let i = at(rng, line);
            let c = char::from_u32(rng.random_range(0..0x3000)).unwrap_or(' ');
            line.insert(i, c);
        }
    }
}

/// What a failed command may print last: zkCli's messages (and Zooscope's own for the
/// commands it does not simulate).
const ERROR_STARTS: &[&str] = &[
    "Node does not exist: ",
    "Node already exists: ",
    "Node not empty: ",
    "version No is not valid : ",
    "Ephemerals cannot have children: ",
    "Arguments are not valid : ",
    "KeeperErrorCode = ",
    "Path must ",
    "Path length must be > 0",
    "Invalid path string ",
    "org.apache.commons.cli.",
    "Command not found: ",
    "No command entered",
    "-c cannot be combined with -s or -e",
    "TTLs cannot be used with ",
    "ttl must be positive",
    "-t argument must be a long value",
    "-b argument must be an int value",
    "Command index out of range",
    "No redoing redos",
    "Exception in thread \"main\" java.lang.NumberFormatException",
    "\tat ",
    "Auth scheme: User",
    "setAcl is not supported by Zooscope",
    "Quotas are not supported by Zooscope",
    "reconfig is not supported by Zooscope",
];

fn is_error_text(output: &str) -> bool {
    let Some(last) = output.lines().rfind(|l| !l.is_empty()) else {
        return false;
    };
    // A usage line: "<command> <its usage>".
    let usage = COMMANDS
        .iter()
        .any(|c| last == *c || last.starts_with(&format!("{c} ")));
    usage || ERROR_STARTS.iter().any(|e| last.starts_with(e))
}

fn fingerprint(tree: &DataTree) -> u64 {
    let mut h = DefaultHasher::new();
    for (path, node) in tree.iter() {
        path.hash(&mut h);
        node.hash(&mut h);
    }
    h.finish()
}

fn fresh_shell(now: Millis) -> Shell {
    Shell::new(
        "127.0.0.1:2181",
        Server::new(1, ServerConfig::default(), now),
        now,
    )
}

#[test]
fn a_million_bad_lines_never_hurt() {
    let lines: usize = std::env::var("ZOOSCOPE_FUZZ_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = std::env::var("ZOOSCOPE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_2026);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut now = Millis(1_795_510_800_000);
    let mut shell = fresh_shell(now);
    let (mut failed, mut crashed) = (0usize, 0usize);
    for i in 0..lines {
        // A fresh shell now and then keeps the tree small; a crash or `quit` needs one.
        if i % 500 == 0 || shell.exit_status().is_some() {
            crashed += usize::from(shell.exit_status().is_some_and(|s| s != 0));
            shell = fresh_shell(now);
        }
        if rng.random_bool(0.01) {
            now = Millis(now.0 + rng.random_range(0..120_000));
            let _ = shell.advance(now);
        }
        let line = random_line(&mut rng);
        let shown: String = line.chars().take(120).collect();
        let before = fingerprint(shell.backend().tree());
        let output = shell.execute(&line);
        if shell.last_command_failed() {
            failed += 1;
            assert!(
                is_error_text(&output),
                "line {i} {shown:?} failed without zkCli's error text: {output:?}"
            );
            assert_eq!(
                before,
                fingerprint(shell.backend().tree()),
                "line {i} {shown:?} failed but changed the tree"
            );
        }
    }
    eprintln!("{lines} lines (seed {seed:#x}): {failed} failed cleanly, {crashed} crashed zkCli as the real one would");
    assert!(
        failed > lines / 10,
        "too few failures ({failed}): the mutations are too tame"
    );
}
