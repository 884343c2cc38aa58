//! The scene the page opens on: the lecture's election after its first step, computed by the
//! core. A model file with no Yew in it (the Yew examples' habit): components render it.

use zooscope_core::{CreateMode, KeeperError, Millis, Server};

/// How many application processes volunteer in the opening scene.
pub const PROCESSES: usize = 3;

/// The simulated wall clock the scene starts at: 2026-11-24 09:00:00 UTC.
pub const START: Millis = Millis(1_795_510_800_000);

/// A standalone server on which `PROCESSES` sessions have each created their ephemeral
/// sequential candidate under `/election` (step 1 of the recipe).
pub fn election_after_volunteering() -> Result<Server, KeeperError> {
    let mut server = Server::new(1, Default::default(), START);
    let mut now = START;
    let setup = server.create_session(30_000, now);
    server.create(setup, "/election", None, CreateMode::Persistent, now)?;
    for p in 1..=PROCESSES {
        now = Millis(now.0 + 250);
        let session = server.create_session(30_000, now);
        let data = Some(format!("p{p}").into_bytes());
        server.create(
            session,
            "/election/c_",
            data,
            CreateMode::EphemeralSequential,
            now,
        )?;
    }
    Ok(server)
}
