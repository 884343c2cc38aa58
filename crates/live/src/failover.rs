//! The first failover on a real ZooKeeper, measured the way the model measures it.
//!
//! A fresh standalone server; N real candidate processes (`zooscope candidate`) running the
//! successor recipe; the first leader killed with SIGKILL the moment it reports that it leads
//! (so its session lingers until the server expires it); the time until another candidate
//! reports that it leads. Repeated on a fresh server each run. The model's
//! `scenario::kill_leaders` does the same in simulated time; `tests/fidelity/` keeps a
//! recording and the core's tests check the model against it.

use crate::candidate::Report;
use crate::processes::Candidates;
use crate::zookeeper::{Installation, RealServer, ServerSettings};
use crate::LiveError;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::{Duration, Instant};
use zooscope_core::recipe::RecipeKind;

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailoverSettings {
    /// Candidate processes.
    pub processes: u32,
    /// The server's `tickTime`, in ms.
    pub tick_ms: u32,
    /// The session timeout the candidates ask for, in ms.
    pub session_timeout_ms: u32,
}

impl Default for FailoverSettings {
    /// The simulation's defaults: tickTime 200 ms, sessions of 3 s; three candidates.
    fn default() -> Self {
        FailoverSettings {
            processes: 3,
            tick_ms: 200,
            session_timeout_ms: 3000,
        }
    }
}

/// A recording: the settings, the server that answered, and each run's first failover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailoverRecording {
    /// The server's version line, as `srvr` prints it.
    pub server: String,
    /// What was measured.
    pub settings: FailoverSettings,
    /// Each run's first failover: ms from the kill to the successor's report that it leads.
    pub first_failover_ms: Vec<u64>,
}

/// Records `runs` first failovers with the candidate program `candidate` (the `zooscope`
/// binary, run as `zooscope candidate …`), telling `progress` about each run.
pub fn record(
    installation: &Installation,
    candidate: &Path,
    settings: FailoverSettings,
    runs: usize,
    progress: &mut impl FnMut(&str),
) -> Result<FailoverRecording, LiveError> {
    let mut recording = FailoverRecording {
        server: String::new(),
        settings,
        first_failover_ms: Vec::new(),
    };
    for run in 1..=runs {
        let server = RealServer::start(
            installation,
            ServerSettings {
                tick_ms: settings.tick_ms,
            },
        )?;
        if recording.server.is_empty() {
            let srvr = server
                .four_letter("srvr")
                .map_err(|e| LiveError::io("asking the server srvr", e))?;
            recording.server = srvr.lines().next().unwrap_or_default().to_owned();
        }
        let ms = first_failover(&server, candidate, settings)?;
        progress(&format!("run {run}/{runs}: first failover {ms} ms"));
        recording.first_failover_ms.push(ms);
    }
    Ok(recording)
}

/// One run on `server`: start the candidates, kill the first leader, time its successor.
fn first_failover(
    server: &RealServer,
    program: &Path,
    settings: FailoverSettings,
) -> Result<u64, LiveError> {
    let mut candidates = Candidates::new();
    for _ in 0..settings.processes {
        candidates.spawn(
            program,
            &server.address(),
            RecipeKind::Successor,
            settings.session_timeout_ms,
        )?;
    }
    let patience = Duration::from_millis(u64::from(settings.session_timeout_ms) * 10);
    let leads = |except: Option<usize>| {
        move |index: usize, report: &Report| {
            (matches!(report, Report::Leading { .. }) && Some(index) != except).then_some(index)
        }
    };
    let leader = candidates.wait_for(patience, leads(None))?;
    let killed_at = Instant::now();
    candidates.kill(leader);
    candidates.wait_for(patience, leads(Some(leader)))?;
    Ok(u64::try_from(killed_at.elapsed().as_millis()).unwrap_or(u64::MAX))
}
