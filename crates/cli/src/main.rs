//! `zooscope`: the native front-end of Zooscope.
//!
//! - `zooscope zkcli [-server host:port]`: the zkCli language against a fresh simulated
//!   ZooKeeper 3.8 server. Reads commands from standard input (one per line, like
//!   `zkCli.sh -server … < script`) and prints what zkCli.sh prints; on a terminal it shows
//!   zkCli's prompt.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};
use zooscope_core::zkcli::Shell;
use zooscope_core::ServerConfig;
use zooscope_core::{Millis, Server};

const USAGE: &str = "usage: zooscope zkcli [-server host:port]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("zkcli") => zkcli(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The host's wall clock, read here in the front-end: the core only ever sees `Millis`.
fn wall_clock() -> Millis {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Millis(ms)
}

fn zkcli(args: &[String]) -> ExitCode {
    let mut host = "localhost:2181".to_owned();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match (arg.as_str(), it.next()) {
            ("-server", Some(h)) => host = h.clone(),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = write!(out, "{}", Shell::banner(&host));
    let server = Server::new(1, ServerConfig::default(), wall_clock());
    let mut shell = Shell::new(&host, server, wall_clock());
    let interactive = std::io::stdin().is_terminal();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        if interactive {
            let _ = write!(out, "{}", shell.prompt());
            let _ = out.flush();
        }
        let Some(Ok(line)) = lines.next() else { break };
        shell.set_now(wall_clock());
        let _ = write!(out, "{}", shell.execute(&line));
        if let Some(status) = shell.exit_status() {
            let _ = out.flush();
            return ExitCode::from(u8::try_from(status).unwrap_or(1));
        }
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}
