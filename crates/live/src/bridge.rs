//! The bridge: the driver that does the live state's I/O — a real ZooKeeper ensemble and
//! real candidate processes, seen as the page sees the simulation (a [`Picture`]) and driven
//! with the same [`Action`]s.
//!
//! [`LiveState`] decides; this module only carries out and listens:
//! - one thread per server asks its four-letter words (each with [`ASK_PATIENCE`]) and feeds
//!   the answers — or the silence — to the state; a frozen server delays only its own card,
//!   because no lock is held while a server is asked;
//! - each frame takes in what the candidates printed and the tree's follower read, and the
//!   clock, then draws the picture;
//! - the state's effects are carried out on the real processes and servers, held apart from
//!   the state behind a lock of their own (never the state's).
//!
//! Everything it starts is registered with the [`crate::reaper`] first, so that a bridge
//! killed outright still leaves nothing behind.
//!
//! Imports the state, the real side's servers, ensembles, candidates, tree follower and
//! four-letter words; from the core, the picture's types and the actions.

use crate::ensemble::RealEnsemble;
use crate::observe::{self, Mode};
use crate::processes::Candidates;
use crate::state::{
    process_id, Answers, Effect, LiveState, Observation, Setup, Signal, Silence, MAX_PROCESSES,
};
use crate::tree::{self, TreeNews};
use crate::zookeeper::{four_letter_within, Installation, ServerSettings};
use crate::LiveError;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use zooscope_core::ids::{ProcessId, ServerId, SimTime};
use zooscope_core::picture::{Action, EventFilter, Picture};
use zooscope_core::recipe::RecipeKind;

/// How often each server is asked, and a picture taken.
pub const FRAME: Duration = Duration::from_millis(150);

/// How long a server may take to accept a four-letter word, and again to answer it, before it
/// is taken to be frozen.
pub const ASK_PATIENCE: Duration = Duration::from_millis(800);

/// How long a stopped candidate may take to close its session and exit before it is killed.
const STOP_PATIENCE: Duration = Duration::from_secs(3);

/// Where the servers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Servers {
    /// Start an ensemble of this many servers (1, 3 or 5).
    Start(usize),
    /// Attach to servers someone else runs (`host:port` each).
    Attach(Vec<String>),
}

/// How a live session starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSettings {
    /// The servers.
    pub servers: Servers,
    /// Candidate processes to start.
    pub processes: u32,
    /// Their recipe.
    pub recipe: RecipeKind,
    /// The session timeout they ask for, in ms.
    pub session_timeout_ms: u32,
    /// The `zooscope` binary, whose `candidate` subcommand each process runs (and whose
    /// `reaper` cleans up after the bridge).
    pub program: PathBuf,
}

/// What acts on the real system: the servers Zooscope started and its candidates.
#[derive(Debug)]
struct Hands {
    ensemble: Option<RealEnsemble>,
    candidates: Candidates,
    program: PathBuf,
    connect: String,
    recipe: RecipeKind,
    session_timeout_ms: u32,
}

/// What the bridge's threads share: the state, and the hands, each behind its own lock.
#[derive(Debug)]
struct Shared {
    state: Mutex<LiveState>,
    hands: Mutex<Hands>,
    /// Cleared when the bridge goes: the servers' threads stop asking.
    running: AtomicBool,
}

/// A live session: the servers, the processes, and what was seen of them.
#[derive(Debug)]
pub struct Bridge {
    shared: Arc<Shared>,
    addresses: Vec<(ServerId, String)>,
    owns_servers: bool,
    zoo_cfgs: BTreeMap<String, String>,
    tree_news: Mutex<mpsc::Receiver<TreeNews>>,
    /// The page's console's session (0: none yet), set by whoever runs the console.
    console_session: Arc<AtomicI64>,
    started: Instant,
}

impl Bridge {
    /// Starts the reaper, then starts (or attaches to) the servers, the tree's follower and
    /// the processes.
    pub fn start(settings: &LiveSettings) -> Result<Bridge, LiveError> {
        crate::reaper::start(&settings.program)
            .map_err(|e| LiveError::io("starting the reaper", e))?;
        let (ensemble, addresses) = match &settings.servers {
            Servers::Start(size) => {
                let installation = Installation::find()?;
                let ensemble =
                    RealEnsemble::start(&installation, *size, ServerSettings::default())?;
                let addresses = ensemble
                    .ids()
                    .into_iter()
                    .filter_map(|id| Some((ServerId(id), ensemble.address(id)?)))
                    .collect();
                (Some(ensemble), addresses)
            }
            Servers::Attach(addresses) => (None, numbered(addresses)),
        };
        let connect = addresses
            .iter()
            .map(|(_, a): &(ServerId, String)| a.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let configs: Vec<(ServerId, Option<String>)> = addresses
            .iter()
            .map(|(id, _)| (*id, ensemble.as_ref().and_then(|e| e.zoo_cfg(id.0))))
            .collect();
        let zoo_cfgs = configs
            .iter()
            .filter_map(|(id, cfg)| Some((id.to_string(), cfg.clone()?)))
            .collect();
        let (state, effects) = LiveState::new(Setup {
            servers: configs,
            connect: connect.clone(),
            owns_servers: ensemble.is_some(),
            recipe: settings.recipe,
            processes: usize::try_from(settings.processes).unwrap_or(MAX_PROCESSES),
        });
        let tree_news = tree::spawn_follower(connect.clone())?;
        let bridge = Bridge {
            owns_servers: ensemble.is_some(),
            shared: Arc::new(Shared {
                state: Mutex::new(state),
                hands: Mutex::new(Hands {
                    ensemble,
                    candidates: Candidates::new(),
                    program: settings.program.clone(),
                    connect,
                    recipe: settings.recipe,
                    session_timeout_ms: settings.session_timeout_ms,
                }),
                running: AtomicBool::new(true),
            }),
            addresses,
            zoo_cfgs,
            tree_news: Mutex::new(tree_news),
            console_session: Arc::new(AtomicI64::new(0)),
            started: Instant::now(),
        };
        bridge.carry_out(effects);
        for (id, address) in &bridge.addresses {
            spawn_asker(bridge.shared.clone(), *id, address.clone());
        }
        Ok(bridge)
    }

    /// The ensemble's connect string.
    pub fn connect_string(&self) -> String {
        let addresses: Vec<&str> = self.addresses.iter().map(|(_, a)| a.as_str()).collect();
        addresses.join(",")
    }

    /// Whether the bridge started the servers (and may kill and restart them).
    pub fn owns_servers(&self) -> bool {
        self.owns_servers
    }

    /// The `zoo.cfg` of every server Zooscope started, by server name (`zk1`).
    pub fn zoo_cfgs(&self) -> BTreeMap<String, String> {
        self.zoo_cfgs.clone()
    }

    /// Where the page's console tells its session, so that the picture draws it as the
    /// console's client rather than as someone else's.
    pub fn console_session(&self) -> Arc<AtomicI64> {
        self.console_session.clone()
    }

    /// How many watch events process `p` has reported receiving.
    pub fn notified(&self, p: ProcessId) -> Option<u64> {
        self.shared.state.lock().ok()?.notified(p)
    }

    /// Does `action` to the real system, or says why it cannot be done now.
    pub fn act(&self, action: &Action) -> Result<(), String> {
        let effects = self
            .shared
            .state
            .lock()
            .map_err(|_| "the bridge stopped".to_owned())?
            .act(action)?;
        self.carry_out(effects);
        Ok(())
    }

    /// Takes in what happened since the last look — the processes' output, the tree's news,
    /// the clock — and draws the picture of this moment, with the events `filter` asks for.
    pub fn frame(&self, filter: &EventFilter) -> Picture {
        let mut observations = self.printed();
        if let Ok(news) = self.tree_news.lock() {
            observations.extend(news.try_iter().map(Observation::Tree));
        }
        observations.push(Observation::ConsoleSession(
            self.console_session.load(Ordering::Relaxed),
        ));
        observations.push(Observation::Clock {
            now: SimTime(u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)),
            wall: crate::wall_clock(),
        });
        self.feed(observations);
        match self.shared.state.lock() {
            Ok(state) => state.picture(filter),
            Err(poisoned) => poisoned.into_inner().picture(filter),
        }
    }

    /// What the candidates printed since the last look, as observations.
    fn printed(&self) -> Vec<Observation> {
        let Ok(hands) = self.shared.hands.lock() else {
            return Vec::new();
        };
        hands
            .candidates
            .printed()
            .into_iter()
            .filter_map(|printed| {
                let process = process_id(printed.index);
                match printed.line {
                    None => Some(Observation::Exited {
                        process,
                        pid: printed.pid,
                    }),
                    // A line that is not a report (a library's warning) is not news.
                    Some(line) => serde_json::from_str(&line)
                        .ok()
                        .map(|report| Observation::Report { process, report }),
                }
            })
            .collect()
    }

    /// Feeds the state, carrying out what it asks.
    fn feed(&self, observations: Vec<Observation>) {
        let effects: Vec<Effect> = match self.shared.state.lock() {
            Ok(mut state) => observations
                .into_iter()
                .flat_map(|o| state.observe(o))
                .collect(),
            Err(_) => return,
        };
        self.carry_out(effects);
    }

    /// Carries out the state's effects, feeding back what starting a process tells.
    fn carry_out(&self, effects: Vec<Effect>) {
        carry_out(&self.shared, effects);
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.shared.running.store(false, Ordering::Relaxed);
        // The hands go with the last handle: the servers' threads let theirs go within a
        // frame; kill what they hold now rather than then.
        if let Ok(mut hands) = self.shared.hands.lock() {
            hands.candidates = Candidates::new();
            hands.ensemble = None;
        }
    }
}

/// Carries out `effects` on `shared`'s hands (never holding the state's lock meanwhile),
/// then feeds the state what starting processes told.
fn carry_out(shared: &Arc<Shared>, effects: Vec<Effect>) {
    let mut told = Vec::new();
    for effect in effects {
        let Ok(mut hands) = shared.hands.lock() else {
            return;
        };
        match effect {
            Effect::Signal {
                process,
                signal: Signal::Kill,
                ..
            } => hands.candidates.kill(index(process)),
            Effect::Signal {
                pid,
                signal: Signal::Stop,
                ..
            } => crate::reaper::signal(pid, nix::sys::signal::Signal::SIGSTOP),
            Effect::Signal {
                pid,
                signal: Signal::Cont,
                ..
            } => crate::reaper::signal(pid, nix::sys::signal::Signal::SIGCONT),
            Effect::Stop { process } => {
                let pid = hands.candidates.pid(index(process));
                hands.candidates.close_input(index(process));
                drop(hands);
                if let Some(pid) = pid {
                    kill_if_still_running(shared.clone(), process, pid);
                }
            }
            Effect::Spawn { process } => {
                let hands = &mut *hands;
                let started = hands.candidates.start_at(
                    index(process),
                    &hands.program,
                    &hands.connect,
                    hands.recipe,
                    hands.session_timeout_ms,
                );
                told.push(match started {
                    Ok(pid) => Observation::Spawned { process, pid },
                    Err(e) => Observation::SpawnFailed {
                        process,
                        why: e.to_string(),
                    },
                });
            }
            Effect::KillServer(s) => {
                if let Some(ensemble) = hands.ensemble.as_mut() {
                    let _ = ensemble.kill(s.0);
                }
            }
            Effect::StartServer(s) => {
                if let Some(ensemble) = hands.ensemble.as_mut() {
                    let _ = ensemble.restart(s.0);
                }
            }
        }
    }
    if told.is_empty() {
        return;
    }
    let more: Vec<Effect> = match shared.state.lock() {
        Ok(mut state) => told.into_iter().flat_map(|o| state.observe(o)).collect(),
        Err(_) => return,
    };
    carry_out(shared, more);
}

/// Kills a stopped process (`pid`) that has not exited after [`STOP_PATIENCE`], on a thread
/// of its own (a graceful stop must not hold anyone up). One started again meanwhile is
/// another process, and is left alone.
fn kill_if_still_running(shared: Arc<Shared>, process: ProcessId, pid: u32) {
    std::thread::spawn(move || {
        let deadline = Instant::now() + STOP_PATIENCE;
        loop {
            std::thread::sleep(Duration::from_millis(20));
            let Ok(mut hands) = shared.hands.lock() else {
                return;
            };
            if hands.candidates.pid(index(process)) != Some(pid)
                || hands.candidates.has_exited(index(process))
            {
                return;
            }
            if Instant::now() >= deadline {
                hands.candidates.kill(index(process));
                return;
            }
        }
    });
}

/// Asks server `id` its four-letter words every frame, on a thread of its own, while the
/// bridge runs; the state's lock is taken only to hand over each answer.
fn spawn_asker(shared: Arc<Shared>, id: ServerId, address: String) {
    std::thread::spawn(move || {
        while shared.running.load(Ordering::Relaxed) {
            let observation = ask(id, &address);
            let effects = match shared.state.lock() {
                Ok(mut state) => state.observe(observation),
                Err(_) => return,
            };
            carry_out(&shared, effects);
            std::thread::sleep(FRAME);
        }
    });
}

/// What server `id` says now: `srvr`, and while it serves `cons`, `wchp` and (leading or
/// standalone) `dump` — or how it failed to answer.
fn ask(server: ServerId, address: &str) -> Observation {
    let srvr = match four_letter_within(address, "srvr", ASK_PATIENCE) {
        Ok(answer) => answer,
        Err(e) => {
            let silence = if e.kind() == std::io::ErrorKind::ConnectionRefused {
                Silence::Refused
            } else {
                Silence::TimedOut
            };
            return Observation::Silent { server, silence };
        }
    };
    let mode = observe::status(&srvr).map(|s| s.mode);
    let word = |w: &str| four_letter_within(address, w, ASK_PATIENCE).ok();
    let serving = mode.is_some_and(|m| m != Mode::NotServing);
    let answers = Answers {
        cons: serving.then(|| word("cons")).flatten(),
        wchp: serving.then(|| word("wchp")).flatten(),
        dump: matches!(mode, Some(Mode::Leader | Mode::Standalone))
            .then(|| word("dump"))
            .flatten(),
        srvr,
    };
    Observation::Answered { server, answers }
}

/// Servers given by address, numbered from 1 in the order given.
fn numbered(addresses: &[String]) -> Vec<(ServerId, String)> {
    addresses
        .iter()
        .enumerate()
        .map(|(i, a)| (ServerId(u8::try_from(i + 1).unwrap_or(u8::MAX)), a.clone()))
        .collect()
}

/// The candidate that is process `p` (the inverse of [`process_id`]).
fn index(p: ProcessId) -> usize {
    usize::try_from(p.0.saturating_sub(1)).unwrap_or(usize::MAX)
}
