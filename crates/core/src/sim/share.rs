//! Sharing a run: as a link (the URL's `#run=` holds the recording's JSON, deflated with zlib
//! and base64url-encoded; links of the first format, plain JSON, still open) and as a JSON
//! file. Whatever comes in is size-limited, parsed and validated
//! ([`Recording::validate`]) before it may replace the run on screen; a bad link or file gets a
//! message saying what is wrong, and the current run stays.
//!
//! Imports its siblings in [`crate::sim`]; outside the crate, `base64`, `thiserror`.

use crate::sim::recording::{Recording, RecordingError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use thiserror::Error;

/// The longest link accepted (characters after `#run=`).
pub const MAX_LINK_CHARS: usize = 64 * 1024;
/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// What precedes the encoded run in the URL.
pub const PREFIX: &str = "#run=";

/// Why a shared run cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ShareError {
    /// Too long to be one of ours.
    #[error("it is too long ({0} bytes)")]
    TooLong(usize),
    /// The link's text is not base64url.
    #[error("the link is damaged (not base64url)")]
    NotBase64,
    /// Not a run in JSON.
    #[error("it is not a Zooscope run ({0})")]
    NotARun(String),
    /// A run, but not one Zooscope can replay.
    #[error("{0}")]
    Invalid(#[from] RecordingError),
}

/// How hard links are compressed (zlib's 0–10): a link is written once per command, small.
const LINK_COMPRESSION: u8 = 9;

/// The URL fragment that shares `recording`, or why it cannot: a run too big for a link (past
/// [`MAX_LINK_CHARS`], which is what [`from_link`] accepts) is shared as a file instead.
pub fn link(recording: &Recording) -> Result<String, ShareError> {
    let json = serde_json::to_vec(recording).unwrap_or_default();
    let deflated = miniz_oxide::deflate::compress_to_vec_zlib(&json, LINK_COMPRESSION);
    let encoded = URL_SAFE_NO_PAD.encode(deflated);
    if encoded.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLong(encoded.len()));
    }
    Ok(format!("{PREFIX}{encoded}"))
}

/// The run a URL fragment holds: `Ok(None)` when it holds none (no `#run=`).
pub fn from_link(fragment: &str) -> Result<Option<Recording>, ShareError> {
    let Some(encoded) = fragment.strip_prefix(PREFIX) else {
        return Ok(None);
    };
    from_encoded(encoded).map(Some)
}

/// The run a link holds after its `#run=`.
pub fn from_encoded(encoded: &str) -> Result<Recording, ShareError> {
    if encoded.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLong(encoded.len()));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded.trim())
        .map_err(|_| ShareError::NotBase64)?;
    // Plain JSON (the first format) begins with `{`; a zlib stream never does (0x78 …).
    if bytes.first() == Some(&b'{') {
        return parse(&bytes);
    }
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes, MAX_FILE_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                ShareError::TooLong(MAX_FILE_BYTES + 1)
            }
            _ => ShareError::NotARun("the link is damaged (not a compressed run)".into()),
        })?;
    parse(&json)
}

/// The JSON text of an exported run.
pub fn to_file(recording: &Recording) -> String {
    serde_json::to_string_pretty(recording).unwrap_or_default()
}

/// The run an imported file holds.
pub fn from_file(bytes: &[u8]) -> Result<Recording, ShareError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ShareError::TooLong(bytes.len()));
    }
    parse(bytes)
}

fn parse(json: &[u8]) -> Result<Recording, ShareError> {
    let recording: Recording =
        serde_json::from_slice(json).map_err(|e| ShareError::NotARun(e.to_string()))?;
    recording.validate()?;
    Ok(recording)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ProcessId;
    use crate::ids::SimTime;
    use crate::picture::Action;
    use crate::sim::{Command, Config};

    #[test]
    fn links_and_files_round_trip() {
        let r = Recording::new(
            Config::default(),
            vec![(
                SimTime(3_001),
                Command::Act(Action::KillProcess(ProcessId(2))),
            )],
        );
        let shared = link(&r).expect("a small run fits in a link");
        assert_eq!(from_link(&shared), Ok(Some(r.clone())));
        assert_eq!(from_file(to_file(&r).as_bytes()), Ok(r.clone()));
        // Links of the first format (plain JSON) still open.
        let plain = format!(
            "{PREFIX}{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&r).expect("JSON"))
        );
        assert_eq!(from_link(&plain), Ok(Some(r)));
        assert_eq!(from_link(""), Ok(None));
        assert_eq!(from_link("#other"), Ok(None));
    }

    #[test]
    fn a_lecture_of_console_commands_fits_in_a_link_and_a_bigger_run_says_so() {
        use crate::zk::op::Op;
        use crate::zk::znode::CreateMode;
        let console = |i: u64| Command::Console {
            process: ProcessId(6),
            op: Op::Create {
                path: format!("/lecture/step-{i}"),
                data: Some(format!("what step {i} shows").into_bytes()),
                mode: CreateMode::Persistent,
            },
            ticket: i,
        };
        // Eight times the ~470 commands that used to pass the link's limit.
        let lecture: Vec<_> = (1..=4_000)
            .map(|i| (SimTime(i * 1_000), console(i)))
            .collect();
        let r = Recording::new(Config::default(), lecture);
        let shared = link(&r).expect("a lecture fits");
        assert!(shared.len() <= MAX_LINK_CHARS);
        assert_eq!(from_link(&shared), Ok(Some(r)));
        // A run whose data does not compress is too big: the page offers a file instead.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let noise: Vec<u8> = (0..200_000)
            .map(|_| {
                // xorshift64: bytes a compressor cannot shrink.
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x.to_le_bytes()[0]
            })
            .collect();
        let big = Recording::new(
            Config::default(),
            vec![(
                SimTime(1_000),
                Command::Console {
                    process: ProcessId(6),
                    op: Op::SetData {
                        path: "/big".into(),
                        data: Some(noise),
                        version: -1,
                    },
                    ticket: 1,
                },
            )],
        );
        assert!(matches!(link(&big), Err(ShareError::TooLong(_))));
    }

    #[test]
    fn a_compressed_bomb_is_refused() {
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; 8 << 20], 10);
        let link = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bomb));
        assert!(link.len() < MAX_LINK_CHARS);
        assert!(matches!(from_link(&link), Err(ShareError::TooLong(_))));
    }

    #[test]
    fn broken_links_and_files_say_why() {
        assert_eq!(from_link("#run=!!!"), Err(ShareError::NotBase64));
        assert!(matches!(from_link("#run=e30"), Err(ShareError::NotARun(_))));
        assert!(matches!(
            from_file(b"{\"version\":1,\"config\":{\"servers\":4},\"commands\":[]}"),
            Err(ShareError::Invalid(_))
        ));
        assert!(matches!(
            from_file(&vec![b' '; MAX_FILE_BYTES + 1]),
            Err(ShareError::TooLong(_))
        ));
        assert!(matches!(
            from_file(&[0xff, 0xfe, 0x00]),
            Err(ShareError::NotARun(_))
        ));
    }
}
