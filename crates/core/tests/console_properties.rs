//! Property tests: random console lines never panic the zkCli shell, and whatever they do, the
//! tree keeps ZooKeeper's invariants.

#![allow(clippy::expect_used)] // an orphan znode is the failure this test looks for

use proptest::prelude::*;
use zooscope_core::zkcli::Shell;
use zooscope_core::ServerConfig;
use zooscope_core::{path, DataTree, Millis, NodeKind, Server};

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

/// numChildren agrees with the children; no ephemeral has children; every znode's parent
/// exists, lists it, and has a pzxid at least as new as the child.
fn check_invariants(tree: &DataTree) {
    for (p, node) in tree.iter() {
        let stat = node.stat();
        assert_eq!(stat.num_children as usize, node.children().len(), "{p}");
        if matches!(node.kind(), NodeKind::Ephemeral(_)) {
            assert_eq!(node.children().len(), 0, "ephemeral {p} has children");
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
        for l in &lines {
            let _ = shell.execute(l);
            check_invariants(shell.server().tree());
        }
    }
}
