//! `zooscope`: the native front-end of Zooscope.
//!
//! - `zooscope zkcli [-server host:port] [--real]`: the zkCli language against a fresh
//!   simulated ZooKeeper 3.8 server — or, with `--real`, against the real one at `-server`. Reads commands from standard input (one per line, like
//!   `zkCli.sh -server … < script`) and prints what zkCli.sh prints; on a terminal it is an
//!   interactive REPL with zkCli's prompt, history and Tab completion.
//! - `zooscope simulate --processes N --servers S --recipe successor|herd --seed X
//!   --kill-leaders K [--trace FILE.jsonl]`: the headless scenario runner; prints one JSON
//!   object with the leaders, each failover's time and notifications, and the run's cost.
//! - `zooscope replay FILE|LINK [--for MS] [--trace FILE.jsonl]`: a run shared from the page
//!   (its exported file or its link) replayed headless; prints one JSON object with who led
//!   when, any property the monitor found violated, and the trace's digest.
//! - `zooscope candidate --zk host:port [--recipe …] [--session-timeout MS]`: one election
//!   process on a real ZooKeeper, each step reported as a JSON line.
//! - `zooscope record-failover [--runs N] [--processes P] [--out FILE]`: real candidates on a
//!   real ZooKeeper 3.8 started for the purpose; the first leader killed as soon as it leads;
//!   each run's time to the next leader, as JSON (the model is checked against it).
//! - `zooscope live --start 1|3|5 | --zk host:port[,…] [--processes N] [--recipe …]`: a real
//!   ensemble (started here, or someone else's) and real candidates, served as the page on
//!   127.0.0.1 with the address to open printed; Ctrl-C (or SIGTERM, or a closed terminal)
//!   stops all it started, and so does its reaper if it is killed outright.
//! - `zooscope reaper` (hidden): live mode's supervisor, started by `zooscope live` itself.

mod live;
mod real;
mod repl;
mod replay;
mod simulate;

use clap::{CommandFactory, Parser, Subcommand};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use zooscope_core::zkcli::backend::Backend;
use zooscope_core::zkcli::Shell;
use zooscope_core::{Server, ServerConfig};
use zooscope_live::wall_clock;

/// Zooscope: ZooKeeper-style coordination you can watch, break and replay.
#[derive(Debug, Parser)]
#[command(name = "zooscope", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// zkCli against a fresh simulated ZooKeeper 3.8 server, or with --real the real one at
    /// -server (stdin script or interactive).
    Zkcli {
        /// The address zkCli prints in its banner and prompt (`-server` also works, as in
        /// zkCli.sh); with --real, the ensemble to connect to.
        #[arg(
            long,
            default_value = "localhost:2181",
            value_name = "host:port[,host:port…]"
        )]
        server: String,
        /// Speak to the real ZooKeeper at -server (through a real client library), not to a
        /// simulated one.
        #[arg(long)]
        real: bool,
    },
    /// Run the election headless: wait for a leader, kill it K times, report as JSON.
    Simulate(simulate::Args),
    /// Replay a run shared from the page (its file or link) headless, report as JSON.
    Replay(replay::Args),
    /// Run one election candidate on a real ZooKeeper; report each step as a JSON line.
    Candidate(real::CandidateArgs),
    /// Measure the first failover on a real ZooKeeper 3.8 (started here), as JSON.
    RecordFailover(real::RecordFailoverArgs),
    /// The page drawing a real ZooKeeper ensemble and real candidate processes.
    Live(live::Args),
    /// Live mode's supervisor: kills what `zooscope live` started once its input ends.
    #[command(hide = true)]
    Reaper,
}

fn main() -> ExitCode {
    // zkCli.sh spells its options with one dash (`-server`); accept that spelling too.
    let args: Vec<String> = std::env::args()
        .map(|a| match a.as_str() {
            "-server" => "--server".to_owned(),
            _ => a,
        })
        .collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            if !e.use_stderr() {
                return ExitCode::SUCCESS;
            }
            // A bad flag: show how the command is used, not just what was wrong.
            if !e.to_string().contains("Usage:") {
                let mut command = Cli::command();
                command.build();
                let usage = match args.get(1).and_then(|n| command.find_subcommand_mut(n)) {
                    Some(sub) => sub.render_usage(),
                    None => Cli::command().render_usage(),
                };
                eprintln!("\n{usage}");
            }
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Zkcli { server, real } => zkcli(&server, real),
        Command::Simulate(args) => simulate::run(&args),
        Command::Replay(args) => replay::run(&args),
        Command::Candidate(args) => real::candidate(&args),
        Command::RecordFailover(args) => real::record_failover(&args),
        Command::Live(args) => live::run(&args),
        Command::Reaper => live::reaper(),
    }
}

fn zkcli(host: &str, real: bool) -> ExitCode {
    let now = wall_clock();
    if real {
        return match zooscope_live::zkcli::RealBackend::new(host) {
            Ok(backend) => run_shell(host, Shell::new(host, backend, now)),
            Err(e) => {
                eprintln!("zooscope zkcli: {e}");
                ExitCode::FAILURE
            }
        };
    }
    run_shell(
        host,
        Shell::new(host, Server::new(1, ServerConfig::default(), now), now),
    )
}

/// Runs `shell` on standard input: a REPL on a terminal, a script otherwise.
fn run_shell<B: Backend>(host: &str, shell: Shell<B>) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let interactive = std::io::stdin().is_terminal();
    let _ = write!(out, "{}", Shell::banner(host, interactive));
    let _ = out.flush();
    let status = if interactive {
        drop(out);
        repl::run(shell)
    } else {
        run_script(shell, &mut out)
    };
    ExitCode::from(u8::try_from(status).unwrap_or(1))
}

/// Runs the lines of standard input, as `zkCli.sh … < script` does; returns the exit status.
fn run_script<B: Backend>(mut shell: Shell<B>, out: &mut impl Write) -> i32 {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let _ = write!(out, "{}", shell.advance(wall_clock()));
        let _ = write!(out, "{}", shell.execute(&line));
        if let Some(status) = shell.exit_status() {
            let _ = out.flush();
            return status;
        }
    }
    let _ = out.flush();
    0
}
