//! Tab completion for a console line: a command name in the first word, a znode path in any
//! word starting with `/` (like zkCli's JLine `JLineZNodeCompleter`). Shared by the native
//! REPL and the page's console.
//!
//! Imports [`crate::zk`].

use super::COMMANDS;
use crate::zk::path;

/// What may replace the word under the cursor: `line[start..pos]` by one of `candidates`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    /// Byte offset where the word being completed starts.
    pub start: usize,
    /// Replacements for that word, sorted.
    pub candidates: Vec<String>,
}

/// Completes the word that ends at byte offset `pos` of `line`; `children` lists a znode's
/// children (or `None` if it does not exist).
pub fn complete(
    children: impl Fn(&str) -> Option<Vec<String>>,
    line: &str,
    pos: usize,
) -> Completion {
    let Some(before) = line.get(..pos) else {
        return Completion::default();
    };
    let start = before.rfind(char::is_whitespace).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &before[start..];
    let candidates = if before[..start].trim().is_empty() {
        commands(word)
    } else if word.starts_with('/') {
        paths(&children, word)
    } else {
        Vec::new()
    };
    Completion { start, candidates }
}

fn commands(prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = COMMANDS
        .iter()
        .filter(|c| c.starts_with(prefix) && !matches!(**c, "rmr" | "ls2"))
        .map(|c| (*c).to_owned())
        .collect();
    names.sort_unstable();
    names
}

fn paths(children: &impl Fn(&str) -> Option<Vec<String>>, word: &str) -> Vec<String> {
    let Some(slash) = word.rfind('/') else {
        return Vec::new();
    };
    let (dir, prefix) = (&word[..slash.max(1)], &word[slash + 1..]);
    let Some(mut names) = children(dir) else {
        return Vec::new();
    };
    names.sort_unstable();
    names
        .iter()
        .filter(|c| c.starts_with(prefix))
        .map(|c| path::join(dir, c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{Millis, SessionId};
    use crate::zk::tree::{DataTree, TreeConfig};
    use crate::zk::znode::CreateMode;
    use crate::Zxid;

    fn lister(t: &DataTree) -> impl Fn(&str) -> Option<Vec<String>> + '_ {
        |p| t.get(p).map(|n| n.children().map(str::to_owned).collect())
    }

    fn tree() -> DataTree {
        let mut t = DataTree::new(TreeConfig::default());
        for (i, p) in ["/election", "/election/c_01", "/election/c_02", "/elf"]
            .iter()
            .enumerate()
        {
            let txn = t
                .prepare_create(p, None, CreateMode::Persistent, SessionId(1))
                .expect("valid create");
            t.apply(&txn, Zxid(i as i64 + 1), Millis(0));
        }
        t
    }

    #[test]
    fn completes_commands_in_the_first_word() {
        let t = tree();
        let c = complete(lister(&t), "get", 3);
        assert_eq!(c.start, 0);
        assert_eq!(
            c.candidates,
            ["get", "getAcl", "getAllChildrenNumber", "getEphemerals"]
        );
        assert_eq!(
            complete(lister(&t), "  rm", 4).candidates,
            Vec::<String>::new()
        );
    }

    #[test]
    fn completes_paths_from_the_tree() {
        let t = tree();
        let c = complete(lister(&t), "ls /el", 6);
        assert_eq!(c.start, 3);
        assert_eq!(c.candidates, ["/election", "/elf"]);
        assert_eq!(
            complete(lister(&t), "get -s /election/c", 18).candidates,
            ["/election/c_01", "/election/c_02"]
        );
        assert_eq!(
            complete(lister(&t), "ls /", 4).candidates,
            ["/election", "/elf", "/zookeeper"]
        );
        assert!(complete(lister(&t), "ls /nope/x", 10).candidates.is_empty());
    }

    #[test]
    fn odd_cursors_and_words_complete_nothing() {
        let t = tree();
        assert!(complete(lister(&t), "ls -", 4).candidates.is_empty());
        assert!(
            complete(lister(&t), "ls é", 4).candidates.is_empty(),
            "inside a character"
        );
        assert!(complete(lister(&t), "ls", 99).candidates.is_empty());
    }
}
