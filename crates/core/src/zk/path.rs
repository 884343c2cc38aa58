//! Znode path validation, exactly as ZooKeeper's `PathUtils.validatePath` does it.
//!
//! Source of truth: ZooKeeper 3.8 `org.apache.zookeeper.common.PathUtils`. The rules run over
//! UTF-16 code units (Java `char`s), so the `@N` positions in error messages count UTF-16 units
//! and every character outside the Basic Multilingual Plane (a surrogate pair) is rejected as an
//! "invalid character".
//!
//! Imports nothing from the rest of the crate; outside the crate, `thiserror`.

use thiserror::Error;

/// Why a path string is not a valid znode path; `Display` is ZooKeeper's own message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidPath {
    /// The empty string.
    #[error("Path length must be > 0")]
    Empty,
    /// The first character is not `/`.
    #[error("Path must start with / character")]
    NoLeadingSlash,
    /// A path other than `/` that ends with `/`.
    #[error("Path must not end with / character")]
    TrailingSlash,
    /// A bad character or segment at UTF-16 index `at` of `path`.
    #[error("Invalid path string \"{path}\" caused by {reason} @{at}")]
    Bad {
        /// The whole path as given (for sequential creates, with the `1` ZooKeeper appends).
        path: String,
        /// What is wrong at `at`.
        reason: BadPathReason,
        /// UTF-16 code-unit index, as Java reports it.
        at: usize,
    },
}

/// The reasons `PathUtils` names for a bad character or segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPathReason {
    /// A NUL character.
    NullCharacter,
    /// Two slashes in a row.
    EmptyNodeName,
    /// A `.` or `..` segment.
    RelativePath,
    /// A control, surrogate, private-use or specials character.
    InvalidCharacter,
}

impl std::fmt::Display for BadPathReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BadPathReason::NullCharacter => "null character not allowed",
            BadPathReason::EmptyNodeName => "empty node name specified",
            BadPathReason::RelativePath => "relative paths not allowed",
            BadPathReason::InvalidCharacter => "invalid character",
        })
    }
}

/// Validates `path` as the path of a znode; for a sequential create ZooKeeper validates
/// `path + "1"` (the suffix it will append), and so do we.
pub fn validate(path: &str, sequential: bool) -> Result<(), InvalidPath> {
    if sequential {
        validate_path(&format!("{path}1"))
    } else {
        validate_path(path)
    }
}

/// `PathUtils.validatePath(String)`.
fn validate_path(path: &str) -> Result<(), InvalidPath> {
    let chars: Vec<u16> = path.encode_utf16().collect();
    let slash = u16::from(b'/');
    let dot = u16::from(b'.');
    match chars.as_slice() {
        [] => return Err(InvalidPath::Empty),
        [first, ..] if *first != slash => return Err(InvalidPath::NoLeadingSlash),
        [_] => return Ok(()),
        [.., last] if *last == slash => return Err(InvalidPath::TrailingSlash),
        _ => {}
    }
    let bad = |reason, at| {
        Err(InvalidPath::Bad {
            path: path.to_owned(),
            reason,
            at,
        })
    };
    // A segment boundary follows index i when i is the last unit or the next unit is '/'.
    let ends_segment = |i: usize| i + 1 == chars.len() || chars[i + 1] == slash;
    for i in 1..chars.len() {
        let (c, last) = (chars[i], chars[i - 1]);
        if c == 0 {
            return bad(BadPathReason::NullCharacter, i);
        } else if c == slash && last == slash {
            return bad(BadPathReason::EmptyNodeName, i);
        } else if c == dot && last == dot {
            // i >= 2 here: chars[0] is '/', so a '.' before this one sits at index >= 1.
            if chars[i - 2] == slash && ends_segment(i) {
                return bad(BadPathReason::RelativePath, i);
            }
        } else if c == dot {
            if last == slash && ends_segment(i) {
                return bad(BadPathReason::RelativePath, i);
            }
        } else if (0x0001..=0x001f).contains(&c)
            || (0x007f..=0x009f).contains(&c)
            || (0xd800..=0xf8ff).contains(&c)
            || c >= 0xfff0
        {
            return bad(BadPathReason::InvalidCharacter, i);
        }
    }
    Ok(())
}

/// The parent of a valid path other than `/` (`/a/b` → `/a`, `/a` → `/`).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last segment of a valid path (`/a/b` → `b`; `/` → ``).
pub fn name(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// Joins a parent path and a child name (`/` + `a` → `/a`, `/a` + `b` → `/a/b`).
pub fn join(parent: &str, name: &str) -> String {
    if parent == "/" {
        format!("/{name}")
    } else {
        format!("{parent}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(path: &str) -> String {
        match validate(path, false) {
            Ok(()) => "ok".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn root_and_plain_paths_are_valid() {
        for p in [
            "/",
            "/a",
            "/a/b",
            "/a.b",
            "/...",
            "/a/..b",
            "/zookeeper/quota",
            "/é",
        ] {
            assert_eq!(message(p), "ok", "{p}");
        }
    }

    #[test]
    fn messages_match_path_utils() {
        assert_eq!(message(""), "Path length must be > 0");
        assert_eq!(message("a"), "Path must start with / character");
        assert_eq!(message("/a/"), "Path must not end with / character");
        assert_eq!(
            message("//x"),
            "Invalid path string \"//x\" caused by empty node name specified @1"
        );
        assert_eq!(
            message("/a/./b"),
            "Invalid path string \"/a/./b\" caused by relative paths not allowed @3"
        );
        assert_eq!(
            message("/a/.."),
            "Invalid path string \"/a/..\" caused by relative paths not allowed @4"
        );
        assert_eq!(
            message("/a\u{0}"),
            "Invalid path string \"/a\u{0}\" caused by null character not allowed @2"
        );
        assert_eq!(
            message("/a\tb"),
            "Invalid path string \"/a\tb\" caused by invalid character @2"
        );
    }

    #[test]
    fn positions_count_utf16_units_and_astral_characters_are_invalid() {
        // U+1F600 is a surrogate pair: its first unit (0xD83D) is in the rejected range.
        assert_eq!(
            message("/é\u{1F600}"),
            "Invalid path string \"/é\u{1F600}\" caused by invalid character @2"
        );
        assert_eq!(
            message("/\u{1F600}/\u{1}"),
            "Invalid path string \"/\u{1F600}/\u{1}\" caused by invalid character @1"
        );
    }

    #[test]
    fn sequential_paths_are_checked_with_the_suffix() {
        assert_eq!(validate("/election/c_", true), Ok(()));
        assert_eq!(validate("/election/", true), Ok(()));
        assert!(validate("/election/", false).is_err());
    }

    #[test]
    fn parent_name_and_join_round_trip() {
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(parent("/a"), "/");
        assert_eq!(name("/a/b"), "b");
        assert_eq!(join("/", "a"), "/a");
        assert_eq!(join("/a", "b"), "/a/b");
    }
}
