//! The seam between producing a cluster and drawing it: no component may read the simulator,
//! and the root may not ask which producer it draws. Components draw a `Picture` (which a live
//! ZooKeeper produces too) and send actions; if one named the simulator, live mode would
//! silently show nothing where it reads it. The root reads everything from the page's `Feed`
//! (`web/src/feed.rs`), the one place that decides between the simulation, a live ensemble and
//! a tour; a root that branched on them itself would draw one of them wrong the day a fourth
//! producer (an explored path) arrives.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::expect_used)]

use std::path::Path;

/// Words that name the simulator or the page's handle on it.
const FORBIDDEN_WORDS: [&str; 4] = ["Sim", "RunHandle", "sim_mut", "Run"];
/// Calls that read the simulator.
const FORBIDDEN_CALLS: [&str; 2] = [".sim()", ".with(|"];

/// The words of `source`: runs of letters, digits and underscores.
fn words(source: &str) -> impl Iterator<Item = &str> {
    source
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// What in `source` names the simulator.
fn violations(source: &str) -> Vec<String> {
    let mut found: Vec<String> = words(source)
        .filter(|w| FORBIDDEN_WORDS.contains(w))
        .map(str::to_owned)
        .collect();
    found.extend(
        FORBIDDEN_CALLS
            .iter()
            .filter(|call| source.contains(**call))
            .map(|call| (*call).to_owned()),
    );
    found
}

/// Words with which the root would ask which producer it draws.
const PRODUCER_WORDS: [&str; 10] = [
    "live",
    "touring",
    "touring_now",
    "token",
    "linked_token",
    "Seen",
    "LiveConsole",
    "LiveMove",
    "FeedKind",
    "opened_live",
];

/// `source` without its comments (from `//` to the end of each line) and with its string
/// literals emptied (a CSS class named `touring` is not a branch).
fn code(source: &str) -> String {
    source
        .lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .map(|line| {
            line.split('"')
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(_, outside)| outside)
                .collect::<Vec<_>>()
                .join("\"\"")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What in the root's `source` asks which producer it draws: a producer's word (`aria-live`,
/// an attribute, is not one), the live module, or the feed's kind.
fn branches(source: &str) -> Vec<String> {
    let code = code(source);
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut found: Vec<String> = Vec::new();
    let mut start = None;
    for (i, c) in code
        .char_indices()
        .chain(std::iter::once((code.len(), ' ')))
    {
        match (start, is_word(c)) {
            (None, true) => start = Some(i),
            (Some(from), false) => {
                let word = &code[from..i];
                let before = code[..from].chars().last();
                if PRODUCER_WORDS.contains(&word) && before != Some('-') {
                    found.push(word.to_owned());
                }
                start = None;
            }
            _ => {}
        }
    }
    found.extend(
        ["live::", "feed.kind"]
            .iter()
            .filter(|p| code.contains(**p))
            .map(|p| (*p).to_owned()),
    );
    found
}

/// Every `.rs` file under `dir`, however deep.
fn sources(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn no_component_names_the_simulator() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/components");
    let files = sources(&dir);
    for path in &files {
        let source = std::fs::read_to_string(path).expect("a component's source");
        let found = violations(&source);
        assert!(
            found.is_empty(),
            "{} names the simulator: {found:?}",
            path.display()
        );
    }
    assert!(
        files.len() >= 10,
        "only {} components found in {dir:?}",
        files.len()
    );
}

#[test]
fn the_root_does_not_ask_which_producer_it_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app.rs");
    let source = std::fs::read_to_string(&root).expect("the root's source");
    let found = branches(&source);
    assert!(
        found.is_empty(),
        "app.rs branches on its producer: {found:?}"
    );
}

#[test]
fn the_check_catches_a_root_that_branches_on_live_or_tour() {
    assert_eq!(
        branches("let (p, b) = if live && !touring_now { seen.current() } else { x };"),
        ["live", "touring_now"]
    );
    assert_eq!(
        branches("let t = crate::live::linked_token();"),
        ["live", "linked_token", "live::"]
    );
    assert_eq!(
        branches("if feed.kind == FeedKind::Live {}"),
        ["FeedKind", "feed.kind"]
    );
    // An attribute and a comment are not branches.
    assert!(branches("<p aria-live=\"polite\">{ x }</p> // live or not").is_empty());
}

#[test]
fn the_walk_reaches_components_in_subfolders() {
    let dir = std::env::temp_dir().join(format!("zooscope-seam-{}", std::process::id()));
    let deep = dir.join("a").join("b");
    std::fs::create_dir_all(&deep).expect("a folder");
    std::fs::write(deep.join("deep.rs"), "use zooscope_core::sim::Sim;").expect("a file");
    let found = sources(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn the_check_catches_a_component_that_reads_the_simulator() {
    assert_eq!(
        violations("fn f(run: &RunHandle) { run.with(|r| r.sim().now()) }"),
        ["RunHandle", ".sim()", ".with(|"]
    );
    assert_eq!(violations("use zooscope_core::sim::Sim;"), ["Sim"]);
    assert!(violations("/// Simulated time: SimTime is fine, so is a simulation.").is_empty());
}
