//! `zooscope live`: the page drawing a real ZooKeeper ensemble and real candidate processes.
//! It starts an ensemble (`--start 1|3|5`, from the installed ZooKeeper 3.8) or attaches to
//! one (`--zk host:port,…`), starts the candidates, serves the page and its API on 127.0.0.1,
//! and prints the address to open. Ctrl-C, SIGTERM and SIGHUP (a closed terminal) stop every
//! server and process it started; so does any error. Killed outright, or panicking, it leaves
//! that to its reaper ([`zooscope_live::reaper`]).
//!
//! For the test that proves it, `ZOOSCOPE_TEST_PANIC_AFTER_MS=N` makes it panic N ms after it
//! serves.

use crate::simulate::Recipe;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use zooscope_live::bridge::{Bridge, LiveSettings, Servers};
use zooscope_live::serve::{self, ServeSettings};
use zooscope_live::state::MAX_PROCESSES;

/// `zooscope live`'s flags.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("servers").required(true).args(["start", "zk"])))]
pub struct Args {
    /// Start a real ensemble of this many servers (1, 3 or 5) from the installed ZooKeeper.
    #[arg(long, value_parser = ["1", "3", "5"])]
    start: Option<String>,
    /// Attach to an ensemble someone else runs (the one `zkServer.sh start` started).
    #[arg(long, value_name = "host:port[,host:port…]")]
    zk: Option<String>,
    /// Candidate processes to start (real OS processes).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(0..=MAX_PROCESSES as i64))]
    processes: u32,
    /// Their election recipe.
    #[arg(long, value_enum, default_value_t = Recipe::Successor)]
    recipe: Recipe,
    /// The session timeout they ask for, in ms.
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u32).range(1..=600_000))]
    session_timeout: u32,
    /// The port on 127.0.0.1 to serve the page on (0: any free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The built page to serve (default: `dist/` here, else the one this binary was built
    /// beside).
    #[arg(long, value_name = "DIR")]
    dist: Option<PathBuf>,
}

/// Runs live mode until Ctrl-C.
pub fn run(args: &Args) -> ExitCode {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("zooscope live: {e}");
        ExitCode::FAILURE
    };
    let servers = match (&args.start, &args.zk) {
        (Some(n), _) => Servers::Start(n.parse().unwrap_or(3)),
        (None, Some(zk)) => {
            Servers::Attach(zk.split(',').map(str::trim).map(str::to_owned).collect())
        }
        (None, None) => return fail(&"--start N or --zk host:port is needed"),
    };
    let program = match std::env::current_exe() {
        Ok(me) => me,
        Err(e) => return fail(&e),
    };
    let settings = LiveSettings {
        servers,
        processes: args.processes,
        recipe: args.recipe.kind(),
        session_timeout_ms: args.session_timeout,
        program,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(&e),
    };
    let bridge = match Bridge::start(&settings) {
        Ok(bridge) => bridge,
        Err(e) => return fail(&e),
    };
    let ensemble = bridge.connect_string();
    let serve_settings = ServeSettings {
        port: args.port,
        dist: Some(dist(args.dist.clone())),
    };
    let ready = |served: &serve::Served| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Zooscope live: ZooKeeper at {ensemble}");
        let _ = writeln!(out, "Open {}", served.url());
        let _ = writeln!(
            out,
            "(Ctrl-C stops every server and process Zooscope started.)"
        );
        let _ = out.flush();
    };
    let served = runtime.block_on(async {
        tokio::select! {
            served = serve::serve(bridge, serve_settings, ready, stopped()) => served,
            never = test_panic() => match never {},
        }
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// Completes on Ctrl-C (SIGINT), SIGTERM or SIGHUP.
async fn stopped() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut terminate = signal(SignalKind::terminate()).ok();
    let mut hangup = signal(SignalKind::hangup()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = received(terminate.as_mut()) => {}
        () = received(hangup.as_mut()) => {}
    }
}

/// Panics `ZOOSCOPE_TEST_PANIC_AFTER_MS` ms from now, on the main thread, if a test set it;
/// otherwise never completes.
async fn test_panic() -> std::convert::Infallible {
    let after = std::env::var("ZOOSCOPE_TEST_PANIC_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse::<u64>().ok());
    if let Some(ms) = after {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        panic!("ZOOSCOPE_TEST_PANIC_AFTER_MS: the test-only panic");
    }
    std::future::pending().await
}

/// Completes when `signal` is received (never, if it could not be listened for).
async fn received(signal: Option<&mut tokio::signal::unix::Signal>) {
    match signal {
        Some(signal) => {
            signal.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

/// `zooscope reaper`: waits for its input to end — its parent, `zooscope live`, is gone,
/// however it went — then kills what it was told of and removes the directories. Ctrl-C and a
/// closed terminal signal the whole process group: it ignores both, to be there to clean up.
pub fn reaper() -> ExitCode {
    use tokio::signal::unix::{signal, SignalKind};
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("zooscope reaper: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Listening replaces the default action (to end the process) for good.
    let _ignored = {
        let _entered = runtime.enter();
        [SignalKind::interrupt(), SignalKind::hangup()].map(|kind| signal(kind).ok())
    };
    zooscope_live::reaper::run(std::io::stdin().lock());
    ExitCode::SUCCESS
}

/// The page to serve: `--dist`, else `dist/` in the current directory, else the workspace's.
fn dist(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        let here = PathBuf::from("dist");
        if here.join("index.html").is_file() {
            here
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist")
        }
    })
}
