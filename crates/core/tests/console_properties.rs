//! Property tests: random console lines — random operation sequences, with simulated time
//! passing between them so sessions expire and containers are reaped — never panic the zkCli
//! shell, and whatever they do, the tree keeps ZooKeeper's invariants.

#![allow(clippy::expect_used)] // an orphan znode is the failure this test looks for

use proptest::prelude::*;
use zooscope_core::zk::path;
use zooscope_core::zk::tree::SYSTEM_PATHS;
use zooscope_core::zkcli::Shell;
use zooscope_core::ServerConfig;
use zooscope_core::{DataTree, Millis, NodeKind, Server};

fn word() -> impl Strategy<Value = String> {
    let commands = vec![
        "create",
        "delete",
        "deleteall",
        "set",
        "get",
        "ls",
        "stat",
        "addWatch",
        "removewatches",
        "close",
        "connect",
        "history",
        "redo",
        "sync",
        "getEphemerals",
        "getAllChildrenNumber",
        "printwatches",
        "addauth",
        "whoami",
        "#sleep",
    ];
    let flags = vec![
        "-s", "-e", "-c", "-t", "-w", "-R", "-v", "-m", "-b", "-es", "--", "-", "-1", "1", "0", "x",
    ];
    let paths = vec![
        "/",
        "/a",
        "/a/b",
        "/a/b/c",
        "/e",
        "/e/",
        "//",
        "/.",
        "/a/..",
        "/zookeeper",
        "a",
    ];
    prop_oneof![
        prop::sample::select(commands).prop_map(str::to_owned),
        prop::sample::select(flags).prop_map(str::to_owned),
        prop::sample::select(paths).prop_map(str::to_owned),
        "[a-z/]{0,6}",
        "\\PC{0,4}",
        any::<String>(),
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..6).prop_map(|w| w.join(" "))
}

/// numChildren agrees with the children; cversion counts each child's creation and deletion
/// (`2 × creations − children`, so `cversion + numChildren` is even and not negative) and the
/// sequence counter never falls behind the children; no ephemeral has children or outlives its
/// session; every znode's parent exists, lists it, and has a pzxid at least as new as the child.
fn check_invariants(server: &Server) {
    let tree: &DataTree = server.tree();
    for (p, node) in tree.iter() {
        let stat = node.stat();
        assert_eq!(stat.num_children as usize, node.children().len(), "{p}");
        let twice_creations = i64::from(stat.cversion) + i64::from(stat.num_children);
        assert!(
            twice_creations >= 0 && twice_creations % 2 == 0,
            "{p}: {stat:?}"
        );
        let created_children = node
            .children()
            .filter(|c| !SYSTEM_PATHS.contains(&path::join(p, c).as_str()))
            .count();
        assert!(
            node.sequence() as usize >= created_children,
            "{p}: sequence behind its children"
        );
        if let NodeKind::Ephemeral(owner) = node.kind() {
            assert_eq!(node.children().len(), 0, "ephemeral {p} has children");
            assert!(
                server.has_session(owner),
                "ephemeral {p} outlived its session"
            );
        }
        if p != "/" {
            let parent = tree.get(path::parent(p)).expect("orphan znode");
            assert!(
                parent.children().any(|c| c == path::name(p)),
                "{p} not listed"
            );
            assert!(
                parent.stat().pzxid >= stat.czxid,
                "{p}: parent pzxid too old"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn random_lines_never_panic_and_keep_the_tree_sound(lines in prop::collection::vec(line(), 1..25)) {
        let start = Millis(1_795_510_800_000);
        let server = Server::new(1, ServerConfig::default(), start);
        let mut shell = Shell::new("127.0.0.1:2181", server, start);
        let mut now = start;
        for l in &lines {
            if let Some(rest) = l.strip_prefix("#sleep") {
                // Let 0–70 s pass: enough for the 30 s sessions a failed addauth strands,
                // and for the 60 s container reaper.
                now = Millis(now.0 + (rest.len() as i64 % 8) * 10_000);
                let _ = shell.advance(now);
            } else {
                let _ = shell.execute(l);
            }
            check_invariants(shell.backend());
        }
    }
}
