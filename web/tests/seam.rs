//! The seam between producing a cluster and drawing it: no component, nor the root, nor the
//! page's hooks may reach the simulator, and the root may not ask which producer it draws.
//! Components draw a `Picture` (which a live ZooKeeper produces too) and send actions; if one
//! read the simulator, live mode would silently show nothing where it reads it. The root reads
//! everything from the page's `Feed` (`web/src/feed.rs`), the one place that decides between
//! the simulation (`web/src/simulation.rs`), a live ensemble and a tour; a root that branched
//! on them itself would draw one of them wrong the day a fourth producer (an explored path)
//! arrives.
//!
//! The check is by path, not by name: every path a file names — each `use` tree expanded,
//! each path written inline, with the names a `use` brings in (aliases included) resolved — is
//! checked against what the drawing side may reach. So `use … as …`, a module imported and
//! named through, a glob or a fully written path all count alike.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

/// What the drawing side may reach under the parts that run or hold the simulation: the
/// vocabulary of commands, the run's limits, the share format's limits and file reader, the
/// run's playback, the plots' data, the diagram's choices, the console's binding, the opened
/// run (the root's app state) and the page's own actions.
const ALLOWED: [&str; 20] = [
    "zooscope_core::sim::Command",
    "zooscope_core::sim::recording::MAX_PROCESSES",
    "zooscope_core::sim::share::MAX_FILE_BYTES",
    "zooscope_core::sim::share::MAX_LINK_CHARS",
    "zooscope_core::sim::share::from_file",
    "crate::model::Playback",
    "crate::model::Sweep",
    "crate::model::diagram",
    "crate::model::console::Binding",
    "crate::simulation::use_opened_run",
    "crate::state::Action",
    "crate::state::page",
    "crate::state::lecture",
    "crate::components",
    "crate::feed",
    "crate::hooks",
    "crate::layout",
    "crate::perf",
    "crate::tours",
    "crate::panic_banner",
];

/// The parts that run or hold the simulation (and the live bridge's client, which the feed
/// alone uses): reaching anything under them not in [`ALLOWED`] breaks the seam. Everything
/// else of the page (`crate::…`) is closed too: a new module is opened to the drawing side
/// by listing it.
const CLOSED: [&str; 6] = [
    "zooscope_core::sim",
    "zooscope_core::ensemble",
    "zooscope_core::client",
    "zooscope_core::Server",
    "zooscope_core::zk::server",
    "crate",
];

/// Methods that read or run the simulator, however the value was reached.
const FORBIDDEN_CALLS: [&str; 6] = [
    ".sim()",
    ".sim_mut()",
    ".with(",
    ".handle()",
    ".world()",
    ".run_while(",
];

/// `path`'s segments.
fn segments(path: &str) -> Vec<&str> {
    path.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether `path` is `under` or inside it (segment by segment).
fn starts_with(path: &str, under: &str) -> bool {
    let (p, u) = (segments(path), segments(under));
    p.len() >= u.len() && p[..u.len()] == u[..]
}

/// Whether the drawing side may name `path`: outside what is closed, inside what is allowed,
/// or a module on the way to something allowed (`zooscope_core::sim` to name `sim::Command`).
fn allowed(path: &str) -> bool {
    let closed = CLOSED.iter().any(|c| starts_with(path, c));
    !closed
        || ALLOWED.iter().any(|a| starts_with(path, a))
        || (!path.ends_with('*') && ALLOWED.iter().any(|a| starts_with(a, path)))
}

/// `source` without its comments and with its string and character literals emptied (a CSS
/// class named `touring` is not a branch, a `"::"` in a message is not a path).
fn code(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            // A character literal ('"', '\''), not a lifetime ('a).
            '\'' => {
                let mut ahead = chars.clone();
                let literal = match ahead.next() {
                    // The backslash, the escaped character, up to the closing quote.
                    Some('\\') => {
                        ahead.next();
                        ahead.position(|c| c == '\'').map(|i| i + 3)
                    }
                    Some(_) => (ahead.next() == Some('\'')).then_some(2),
                    None => None,
                };
                match literal {
                    Some(len) => {
                        out.push_str("' '");
                        for _ in 0..len {
                            chars.next();
                        }
                    }
                    None => out.push(c),
                }
            }
            '"' => {
                out.push_str("\"\"");
                let mut escaped = false;
                for c in chars.by_ref() {
                    match (escaped, c) {
                        (false, '\\') => escaped = true,
                        (false, '"') => break,
                        _ => escaped = false,
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The full paths a `use` tree names (`prefix` before it), each with the name it brings in.
fn use_tree(prefix: &str, tree: &str, found: &mut Vec<(String, String)>) {
    let tree = tree.trim();
    let join = |p: &str, s: &str| {
        if p.is_empty() {
            s.to_owned()
        } else {
            format!("{p}::{s}")
        }
    };
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim().trim_end_matches("::");
        let inner = tree[open + 1..].trim_end().trim_end_matches('}');
        let base = join(prefix, head);
        // Split the group at its top-level commas.
        let (mut depth, mut from) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    use_tree(&base, &inner[from..i], found);
                    from = i + 1;
                }
                _ => {}
            }
        }
        use_tree(&base, &inner[from..], found);
        return;
    }
    if tree.is_empty() {
        return;
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((p, a)) => (p.trim(), Some(a.trim())),
        None => (tree, None),
    };
    let full = if path == "self" {
        prefix.to_owned()
    } else {
        join(prefix, path)
    };
    let name = alias
        .map(str::to_owned)
        .unwrap_or_else(|| segments(&full).last().copied().unwrap_or("").to_owned());
    found.push((full, name));
}

/// Every path `source` names, in full: its `use` trees, and its paths written inline with
/// their first segment resolved through what the `use`s brought in. `module` is the file's
/// own path (`crate::components::actors`), for `self::` and `super::`.
fn paths(source: &str, module: &str) -> Vec<String> {
    let code = code(source);
    let relative = |path: &str| -> String {
        let mut here = segments(module);
        let mut rest = segments(path);
        while rest.first() == Some(&"super") {
            here.pop();
            rest.remove(0);
        }
        if rest.first() == Some(&"self") {
            rest.remove(0);
        } else if here.len() == segments(module).len() {
            return path.to_owned();
        }
        here.extend(rest);
        here.join("::")
    };
    // The `use` declarations.
    let mut uses = Vec::new();
    // The code without its `use` declarations, for the paths written inline.
    let mut outside = String::with_capacity(code.len());
    let mut rest = code.as_str();
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let tail = &rest[at + 4..];
        let Some(end) = tail.find(';') else { break };
        if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_')) {
            use_tree("", &tail[..end], &mut uses);
            outside.push_str(&rest[..at]);
        } else {
            outside.push_str(&rest[..at + 4 + end]);
        }
        rest = &tail[end..];
    }
    outside.push_str(rest);
    let uses: Vec<(String, String)> = uses
        .into_iter()
        .map(|(path, name)| (relative(&path), name))
        .collect();
    let names: BTreeMap<&str, &str> = uses
        .iter()
        .map(|(path, name)| (name.as_str(), path.as_str()))
        .collect();
    // The paths written inline: `a::b` and longer, their first segment resolved.
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut inline = Vec::new();
    let bytes: Vec<char> = outside.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if !is_word(bytes[i]) || (i > 0 && (is_word(bytes[i - 1]) || bytes[i - 1] == ':')) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut path = String::new();
        loop {
            let from = j;
            while j < bytes.len() && is_word(bytes[j]) {
                j += 1;
            }
            path.extend(&bytes[from..j]);
            if j + 2 < bytes.len()
                && bytes[j] == ':'
                && bytes[j + 1] == ':'
                && is_word(bytes[j + 2])
            {
                path.push_str("::");
                j += 2;
            } else {
                break;
            }
        }
        if path.contains("::") {
            let first = segments(&path)[0].to_owned();
            let resolved = match names.get(first.as_str()) {
                Some(full) => format!("{full}{}", &path[first.len()..]),
                None => relative(&path),
            };
            inline.push(resolved);
        }
        i = j.max(i + 1);
    }
    uses.into_iter()
        .map(|(path, _)| path)
        .chain(inline)
        .collect()
}

/// What in `source` (the file of `module`) reaches the simulator: paths the drawing side may
/// not name, and calls that read it.
fn violations(source: &str, module: &str) -> Vec<String> {
    // A file's unit tests are not part of the page (and `super` there is the file itself).
    let source = source.split("#[cfg(test)]").next().unwrap_or(source);
    let mut found: Vec<String> = paths(source, module)
        .into_iter()
        .filter(|p| !allowed(p))
        .collect();
    let code = code(source);
    found.extend(
        FORBIDDEN_CALLS
            .iter()
            .filter(|call| code.contains(**call))
            .map(|call| (*call).to_owned()),
    );
    found.dedup();
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

/// The module a source file under `src` holds (`components/actors.rs` is
/// `crate::components::actors`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut module = vec!["crate".to_owned()];
    module.extend(
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .filter(|c| c != "mod"),
    );
    module.join("::")
}

#[test]
fn nothing_that_draws_reaches_the_simulator() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let components = sources(&src.join("components"));
    assert!(
        components.len() >= 10,
        "only {} components found",
        components.len()
    );
    let files = components
        .into_iter()
        .chain([src.join("app.rs"), src.join("hooks.rs")]);
    for path in files {
        let source = std::fs::read_to_string(&path).expect("a source file");
        let found = violations(&source, &module_of(&src, &path));
        assert!(
            found.is_empty(),
            "{} reaches the simulator: {found:?}",
            path.display()
        );
    }
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
    assert_eq!(
        module_of(&dir, &dir.join("a/b/deep.rs")),
        "crate::a::b::deep"
    );
}

/// What a component at `crate::components::x` writing `source` is found to reach.
fn caught(source: &str) -> Vec<String> {
    violations(source, "crate::components::x")
}

#[test]
fn the_check_catches_every_way_round_it() {
    // The ways round a list of names: the simulator reached through a recording, a
    // scenario, the model's sweep, an alias of the run's handle, a call on a handle.
    assert_eq!(
        caught("use zooscope_core::sim::recording::Recording; fn f(r: &Recording) {}"),
        ["zooscope_core::sim::recording::Recording"]
    );
    assert_eq!(
        caught("fn f(t: &Tour) { let w = t.recording.world(); }"),
        [".world()"]
    );
    assert_eq!(
        caught("use zooscope_core::sim::scenario::*;"),
        ["zooscope_core::sim::scenario::*"]
    );
    assert_eq!(
        caught("let s = crate::model::recipe_sweep(&[3]);"),
        ["crate::model::recipe_sweep"]
    );
    assert_eq!(
        caught("use crate::state::RunHandle as Handle;"),
        ["crate::state::RunHandle"]
    );
    assert_eq!(caught("h.with(f)"), [".with("]);
    // A module imported, or renamed, and named through.
    assert_eq!(
        caught("use zooscope_core::sim; fn f(s: &sim::Sim) {}"),
        ["zooscope_core::sim::Sim"]
    );
    assert_eq!(
        caught("use zooscope_core as core; fn f(s: &core::sim::Sim) {}"),
        ["zooscope_core::sim::Sim"]
    );
    assert_eq!(
        caught("use zooscope_core::{ids, sim::{self, Config}};"),
        ["zooscope_core::sim::Config"]
    );
    assert_eq!(
        caught("use crate::state; fn f(h: state::RunHandle) {}"),
        ["crate::state::RunHandle"]
    );
    assert_eq!(
        caught("use super::super::model::Run;"),
        ["crate::model::Run"]
    );
    assert_eq!(caught("use crate::live;"), ["crate::live"]);
    // What the drawing side may name.
    assert!(caught(
        "use zooscope_core::sim::{share, Command};
         use crate::state::{Action, page::PageAction};
         use super::cluster_view::TEXT_PX;
         let c = Command::Act(a); let n = share::MAX_FILE_BYTES; let x = Action::Step;"
    )
    .is_empty());
    // A quote in a character literal does not open a string that hides what follows.
    assert_eq!(
        caught("let q = '\"'; let e = '\\''; fn f<'a>(x: &'a str) {} use crate::model::Run;"),
        ["crate::model::Run"]
    );
    // Comments and strings are not code.
    assert!(
        caught("/// zooscope_core::sim::Sim\nlet s = \"crate::model::Run .sim()\";").is_empty()
    );
}
