//! `zooscope replay`: a run shared from the page — its link or its exported JSON file —
//! replayed headless, with every monitored property checked after every event.

use serde_json::json;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use zooscope_core::actor::trace::digest;
use zooscope_core::sim::metrics;
use zooscope_core::sim::monitor::Monitor;
use zooscope_core::sim::recording::Recording;
use zooscope_core::sim::share::{self, ShareError, MAX_FILE_BYTES, PREFIX};

/// `zooscope replay`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The run: a file exported by the page, or its link (anything holding `#run=…`).
    #[arg(value_name = "FILE|LINK")]
    run: String,
    /// How long to go on after the last command, in simulated ms.
    #[arg(long = "for", value_name = "MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(0..=3_600_000))]
    after: u64,
    /// Write the trace, one JSON object per line, to this file.
    #[arg(long, value_name = "FILE.jsonl")]
    trace: Option<PathBuf>,
}

/// Why a run could not be opened.
#[derive(Debug, thiserror::Error)]
enum OpenError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error(transparent)]
    Share(#[from] ShareError),
}

/// The run a link or a file holds.
fn open(run: &str) -> Result<Recording, OpenError> {
    if let Some(at) = run.find(PREFIX) {
        return Ok(share::from_encoded(&run[at + PREFIX.len()..])?);
    }
    let file = std::fs::File::open(run).map_err(|e| OpenError::Read(run.to_owned(), e))?;
    // Read one byte past the limit, so that a larger file is refused without reading it all.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| OpenError::Read(run.to_owned(), e))?;
    Ok(share::from_file(&bytes)?)
}

/// Replays the run and prints its report.
pub fn run(args: &Args) -> ExitCode {
    let mut recording = match open(&args.run) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("zooscope replay: this run cannot be opened: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The report is read off the trace (which never changes what happens).
    recording.config.trace = true;
    let until = recording.end() + args.after;
    let mut sim = recording.world();
    let mut monitor = Monitor::new();
    let mut violations = Vec::new();
    let mut violated = std::collections::BTreeSet::new();
    while sim.next_time().is_some_and(|at| at <= until) {
        sim.step();
        for p in monitor.check(&sim) {
            // Each property's first failure: what follows from it is the same story.
            if !p.holds && violated.insert(p.name) {
                violations.push(json!({
                    "property": p.name,
                    "at": sim.now(),
                    "detail": p.detail,
                }));
            }
        }
    }
    sim.run_until(until);
    if let Some(path) = &args.trace {
        if let Err(e) = crate::simulate::write_trace(&sim, path) {
            eprintln!("zooscope replay: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let reigns: Vec<serde_json::Value> = metrics::leader_timeline(sim.trace())
        .iter()
        .map(|r| json!({ "process": r.process.0, "from": r.from, "until": r.until }))
        .collect();
    let stats = sim.stats();
    let report = json!({
        "leaders": reigns,
        "violations": violations,
        "events": stats.events,
        "messages": stats.messages,
        "sim_ms": sim.now(),
        "digest": digest(sim.trace()).to_string(),
    });
    println!("{report}");
    ExitCode::SUCCESS
}
