//! Sharing a run: as a link (the URL's `#run=` holds the recording, base64url-encoded JSON)
//! and as a JSON file. Whatever comes in is size-limited, parsed and validated
//! ([`Recording::validate`]) before it may replace the run on screen; a bad link or file gets a
//! message saying what is wrong, and the current run stays.

use crate::recording::{Recording, RecordingError};
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

/// The URL fragment that shares `recording`.
pub fn link(recording: &Recording) -> String {
    let json = serde_json::to_string(recording).unwrap_or_default();
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(json))
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
    let json = URL_SAFE_NO_PAD
        .decode(encoded.trim())
        .map_err(|_| ShareError::NotBase64)?;
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
    use crate::sim::{Command, Config};

    #[test]
    fn links_and_files_round_trip() {
        let r = Recording::new(
            Config::default(),
            vec![(3_001, Command::KillProcess(ProcessId(2)))],
        );
        assert_eq!(from_link(&link(&r)), Ok(Some(r.clone())));
        assert_eq!(from_file(to_file(&r).as_bytes()), Ok(r));
        assert_eq!(from_link(""), Ok(None));
        assert_eq!(from_link("#other"), Ok(None));
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
