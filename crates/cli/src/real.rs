//! The subcommands that run the real thing: `zooscope candidate` (one election process on a
//! real ZooKeeper) and `zooscope record-failover` (the first failover on a real server, for
//! checking the model against it).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use zooscope_live::candidate::{self, CandidateSettings};
use zooscope_live::failover::{self, FailoverSettings};
use zooscope_live::zookeeper::Installation;

use crate::simulate::Recipe;

/// `zooscope candidate`'s flags.
#[derive(Debug, clap::Args)]
pub struct CandidateArgs {
    /// The ensemble's connect string.
    #[arg(long, value_name = "host:port[,host:port…]")]
    zk: String,
    /// The election recipe.
    #[arg(long, value_enum, default_value_t = Recipe::Successor)]
    recipe: Recipe,
    /// The session timeout to ask for, in ms.
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    session_timeout: u64,
}

/// Runs one candidate until it is killed, or until its standard input closes (then it closes
/// its session first); reports one JSON object per line on stdout.
pub fn candidate(args: &CandidateArgs) -> ExitCode {
    let settings = CandidateSettings {
        zk: args.zk.clone(),
        recipe: args.recipe.kind(),
        session_timeout: Duration::from_millis(args.session_timeout),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("zooscope candidate: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stdout = std::io::stdout();
    let mut report = |r: candidate::Report| {
        let mut out = stdout.lock();
        if let Ok(line) = serde_json::to_string(&r) {
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
    };
    // Closing standard input (end of file) stops the candidate gracefully: it closes its
    // session, so its candidate znode vanishes at once.
    let (closed, stdin_closed) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        let _ = closed.send(());
    });
    let stop = async {
        let _ = stdin_closed.await;
    };
    match runtime.block_on(candidate::run(&settings, &mut report, stop)) {
        None => ExitCode::SUCCESS,
        Some(error) => {
            eprintln!("zooscope candidate: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `zooscope record-failover`'s flags.
#[derive(Debug, clap::Args)]
pub struct RecordFailoverArgs {
    /// Runs, each on a fresh server.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..=1000))]
    runs: u64,
    /// Candidate processes per run.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(2..=100))]
    processes: u32,
    /// Write the recording (JSON) here instead of standard output.
    #[arg(long, value_name = "FILE.json")]
    out: Option<PathBuf>,
}

/// Records first failovers on a real ZooKeeper started for the purpose.
pub fn record_failover(args: &RecordFailoverArgs) -> ExitCode {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("zooscope record-failover: {e}");
        ExitCode::FAILURE
    };
    let installation = match Installation::find() {
        Ok(i) => i,
        Err(e) => return fail(&e),
    };
    let me = match std::env::current_exe() {
        Ok(me) => me,
        Err(e) => return fail(&e),
    };
    let settings = FailoverSettings {
        processes: args.processes,
        ..FailoverSettings::default()
    };
    let runs = usize::try_from(args.runs).unwrap_or(1);
    let recording = match failover::record(&installation, &me, settings, runs, &mut |line| {
        eprintln!("{line}")
    }) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let json = match serde_json::to_string_pretty(&recording) {
        Ok(json) => json + "\n",
        Err(e) => return fail(&e),
    };
    match &args.out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, json) {
                return fail(&format!("{}: {e}", path.display()));
            }
        }
        None => print!("{json}"),
    }
    ExitCode::SUCCESS
}
