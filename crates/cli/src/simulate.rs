//! `zooscope simulate`: the headless scenario runner.

use clap::ValueEnum;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::scenario::kill_leaders;
use zooscope_core::sim::{Config, Sim};

/// The recipe, as spelled on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Recipe {
    /// Each process watches only its predecessor.
    Successor,
    /// Every process watches all candidates.
    Herd,
}

impl Recipe {
    /// The core's recipe of that name.
    pub fn kind(self) -> RecipeKind {
        match self {
            Recipe::Successor => RecipeKind::Successor,
            Recipe::Herd => RecipeKind::Herd,
        }
    }
}

/// `zooscope simulate`'s flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Application processes.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    processes: u32,
    /// ZooKeeper servers: 1, 3, 5 or 7.
    #[arg(long, default_value = "3", value_parser = ["1", "3", "5", "7"])]
    servers: String,
    /// The election recipe.
    #[arg(long, value_enum, default_value_t = Recipe::Successor)]
    recipe: Recipe,
    /// The seed of every random choice.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many times to kill the leader.
    #[arg(long, default_value_t = 1)]
    kill_leaders: usize,
    /// Write the trace, one JSON object per line, to this file.
    #[arg(long, value_name = "FILE.jsonl")]
    trace: Option<PathBuf>,
}

/// Runs the scenario and prints its report.
pub fn run(args: &Args) -> ExitCode {
    let config = Config {
        servers: args.servers.parse().unwrap_or(3),
        processes: args.processes,
        recipe: args.recipe.kind(),
        seed: args.seed,
        trace: args.trace.is_some(),
        ..Config::default()
    };
    let patience = u64::try_from(config.session_timeout_ms).unwrap_or(3000) * 20;
    let started = Instant::now();
    let mut sim = Sim::new(config);
    let result = kill_leaders(&mut sim, args.kill_leaders, patience);
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Some(path) = &args.trace {
        if let Err(e) = write_trace(&sim, path) {
            eprintln!("zooscope simulate: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            eprintln!("zooscope simulate: {e}");
            return ExitCode::FAILURE;
        }
    };
    let output = json!({
        "leaders": report.leaders.iter().map(|p| p.0).collect::<Vec<_>>(),
        "failovers": report.failovers.iter().map(|f| json!({
            "killed": f.killed.0,
            "next": f.next.0,
            "ms": f.ms,
            "notified": f.notified,
        })).collect::<Vec<_>>(),
        "events": report.events,
        "messages": report.messages,
        "sim_ms": report.sim_ms,
        "wall_ms": (wall_ms * 10.0).round() / 10.0,
    });
    println!("{output}");
    ExitCode::SUCCESS
}

/// Writes the trace as JSON lines, each with its narration.
pub fn write_trace(sim: &Sim, path: &PathBuf) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    for event in sim.trace() {
        let mut value = serde_json::to_value(event)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("narration".into(), event.narrate().into());
        }
        writeln!(file, "{value}")?;
    }
    file.flush()
}
