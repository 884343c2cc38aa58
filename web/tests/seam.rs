//! The seam between producing a cluster and drawing it: no component may read the simulator.
//! Components draw a `Picture` (which a live ZooKeeper produces too) and send actions; if one
//! named the simulator, live mode would silently show nothing where it reads it.

#![cfg(not(target_arch = "wasm32"))]

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

#[test]
fn no_component_names_the_simulator() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/components");
    let mut checked = 0;
    let entries = std::fs::read_dir(&dir).expect("the components folder");
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).expect("a component's source");
            let found = violations(&source);
            assert!(
                found.is_empty(),
                "{} names the simulator: {found:?}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} components found in {dir:?}");
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
