//! The page's model: one run of the simulated cluster, which the user plays, pauses, steps,
//! rewinds and changes. No Yew in here: the reducer calls into it and components render it.
//!
//! A run is its [`Config`] plus a log of timed [`Command`]s; the core makes it deterministic,
//! so going back in time is replaying the log from the start up to the moment wanted, and a
//! command given at a past moment starts a new future from there (the log's later commands
//! are dropped).
//!
//! Imports from the core `ids`, `picture`, `recipe`, `sim`.

pub mod checkpoints;
pub mod console;
pub mod diagram;

use checkpoints::Checkpoints;
use std::sync::atomic::{AtomicU64, Ordering};
use zooscope_core::ids::SimTime;
use zooscope_core::picture;
use zooscope_core::picture::{EventFilter, History, Picture};
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::metrics;
use zooscope_core::sim::net::NetConfig;
use zooscope_core::sim::recording::{self, Recording, RecordingError, EVENT_BUDGET};
use zooscope_core::sim::trace_window::TraceLimits;
use zooscope_core::sim::{Command, Config, Sim};

/// The slowest and fastest playback speeds.
pub const SPEEDS: (f64, f64) = (0.1, 10.0);

/// What the page keeps of a run's trace: the newest events for the event log's detail, and the
/// story apart (see `zooscope_core::sim::trace_window`). With the checkpoints' bound, a run's memory
/// does not grow with its length.
pub const TRACE_LIMITS: TraceLimits = TraceLimits {
    recent: 20_000,
    story: 2_000,
};

/// Seeking runs the world in steps of this much simulated time, taking the checkpoints due.
const RUN_STEP_MS: u64 = 5_000;

/// Events a seek may process before it returns; the rest is done frame by frame (with a
/// progress bar and a cancel button), so the page stays responsive however far it goes.
const SEEK_EVENTS_AT_ONCE: u64 = 100_000;
/// Events a frame spends on a seek under way.
const SEEK_EVENTS_PER_FRAME: u64 = 60_000;

/// At most this many events are processed per animation frame, so that a burst of events
/// cannot freeze the page (the simulation then runs behind the wall clock).
const EVENTS_PER_FRAME: u64 = 20_000;

/// The configuration the page opens with: the lecture's five processes and three servers,
/// with message latencies long enough to watch them fly.
pub fn default_config() -> Config {
    Config {
        net: NetConfig {
            latency_ms: 40,
            jitter_ms: 30,
            ..NetConfig::default()
        },
        ..Config::default()
    }
}

/// Revisions are numbered across every run of the page, so that two different runs never share
/// one (the address bar is rewritten when the revision changes).
static REVISIONS: AtomicU64 = AtomicU64::new(0);

fn next_revision() -> u64 {
    REVISIONS.fetch_add(1, Ordering::Relaxed)
}

/// A fresh world of `config`, keeping what the page keeps of its trace.
fn fresh(config: &Config) -> Sim {
    let mut sim = Sim::new(config.clone());
    sim.limit_trace(TRACE_LIMITS);
    sim
}

/// A run and how it is being played.
#[derive(Debug, Clone)]
pub struct Run {
    config: Config,
    log: Vec<(SimTime, Command)>,
    sim: Sim,
    /// The latest simulated time reached, for the timeline.
    horizon: SimTime,
    playing: bool,
    speed: f64,
    /// Simulated time the wall clock has asked for, with its fraction of a ms.
    target: f64,
    /// Changes whenever the configuration or the command log does: what a link must follow.
    revision: u64,
    /// The last command refused for breaking a limit, numbered.
    refusal: Option<(u64, RecordingError)>,
    /// How many logged commands the world's queue holds (the rest come after a cut).
    scheduled: usize,
    /// Copies of the world to go back to.
    checkpoints: Checkpoints,
    /// The moment a seek under way is heading for.
    seeking: Option<SimTime>,
}

impl Run {
    /// A fresh run of `config`, paused at time 0.
    pub fn new(config: Config) -> Run {
        Run {
            sim: fresh(&config),
            config,
            log: Vec::new(),
            horizon: SimTime::ZERO,
            playing: false,
            speed: 1.0,
            target: 0.0,
            revision: next_revision(),
            refusal: None,
            scheduled: 0,
            checkpoints: Checkpoints::default(),
            seeking: None,
        }
    }

    /// A run opened from a recording (a shared link or an imported file): checked first,
    /// then shown at time 0 with its commands to come.
    pub fn from_recording(recording: Recording) -> Result<Run, RecordingError> {
        recording.validate()?;
        let mut run = Run::new(recording.config.clone());
        // The timeline spans the recorded commands: drag along it to replay them.
        run.horizon = recording.end();
        run.log = recording.commands;
        (run.sim, run.scheduled) = run.replayed(|_| false);
        Ok(run)
    }

    /// A tour's step: the recorded run, shown (paused) at time `at`.
    pub fn show(recording: Recording, at: SimTime) -> Result<Run, RecordingError> {
        let mut run = Run::from_recording(recording)?;
        run.horizon = run.horizon.max(at);
        run.seek(at);
        run.settle();
        Ok(run)
    }

    /// The run as data, to share or export.
    pub fn recording(&self) -> Recording {
        Recording::new(self.config.clone(), self.log.clone())
    }

    /// The world as of now.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The commands given so far, with their times.
    pub fn log(&self) -> &[(SimTime, Command)] {
        &self.log
    }

    /// Whether simulated time follows the wall clock.
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// The playback speed (simulated ms per wall ms).
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Differs from every earlier revision of any run once the configuration or the command
    /// log changes: the run as a link or a file is a function of it.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The latest time reached.
    pub fn horizon(&self) -> SimTime {
        self.horizon
    }

    /// Starts playing; a seek under way first gets where it was going, frame by frame.
    pub fn play(&mut self) {
        self.playing = true;
        self.target = self.seeking.unwrap_or(self.sim.now()).ms() as f64;
    }

    /// Stops playing.
    pub fn pause(&mut self) {
        self.playing = false;
    }

    /// Sets the speed, within [`SPEEDS`].
    pub fn set_speed(&mut self, speed: f64) {
        if speed.is_finite() {
            self.speed = speed.clamp(SPEEDS.0, SPEEDS.1);
        }
    }

    /// Lets `wall_ms` of wall-clock time pass (while playing); a seek under way goes on first.
    pub fn tick(&mut self, wall_ms: f64) {
        if self.seeking.is_some() {
            self.advance_seek(SEEK_EVENTS_PER_FRAME);
            return;
        }
        if !self.playing || !wall_ms.is_finite() || wall_ms <= 0.0 {
            return;
        }
        // A long gap (a background tab) is not made up for all at once.
        self.target = self.target.max(self.sim.now().ms() as f64) + wall_ms.min(250.0) * self.speed;
        let until = SimTime(self.target as u64);
        let budget = self.sim.stats().events + EVENTS_PER_FRAME;
        self.sim.run_while(until, |s| s.stats().events >= budget);
        self.moved();
    }

    /// Processes the next event (and pauses).
    pub fn step(&mut self) {
        self.settle();
        self.playing = false;
        self.sim.step();
        self.moved();
    }

    /// Goes back one event (and pauses).
    pub fn step_back(&mut self) {
        self.settle();
        self.playing = false;
        let events = self.sim.stats().events;
        if events == 0 {
            return;
        }
        let (mut sim, scheduled) = self.replayed(|s| s.stats().events < events);
        while sim.stats().events + 1 < events && sim.step() {}
        (self.sim, self.scheduled) = (sim, scheduled);
        self.target = self.sim.now().ms() as f64;
    }

    /// Shows the run as it was (or will be, up to the horizon) at time `t`: at once when that
    /// is near (or a checkpoint is), otherwise frame by frame ([`Run::seek_progress`]).
    pub fn seek(&mut self, t: SimTime) {
        let t = t.min(self.horizon);
        let now = self.sim.now();
        // Back in time, or forward past a checkpoint: start from the nearest checkpoint.
        if t < now || self.checkpoints.newest_until(t).is_some_and(|c| c > now) {
            (self.sim, self.scheduled) = self.replayed(|s| s.now() <= t);
        }
        self.seeking = Some(t);
        self.target = self.sim.now().ms() as f64;
        self.advance_seek(SEEK_EVENTS_AT_ONCE);
    }

    /// Where a seek under way is (now, heading for), if one is.
    pub fn seek_progress(&self) -> Option<(SimTime, SimTime)> {
        self.seeking.map(|t| (self.sim.now(), t))
    }

    /// Stops a seek under way where it is.
    pub fn cancel_seek(&mut self) {
        self.seeking = None;
        self.target = self.sim.now().ms() as f64;
    }

    /// Finishes a seek under way (before a command, a step or the console's request, which
    /// need the world at the moment the user chose).
    pub fn settle(&mut self) {
        while self.seeking.is_some() {
            self.advance_seek(u64::MAX);
        }
    }

    /// Goes on with the seek under way for at most `budget` events.
    fn advance_seek(&mut self, budget: u64) {
        let Some(t) = self.seeking else {
            return;
        };
        let stop = self.sim.stats().events.saturating_add(budget);
        if self.run_to(t, stop) {
            self.seeking = None;
            self.target = t.ms() as f64;
        }
    }

    /// Runs the world to `t` (or until it has processed `stop` events), taking the checkpoints
    /// due on the way. Returns whether it got there.
    fn run_to(&mut self, t: SimTime, stop: u64) -> bool {
        while self.sim.now() < t {
            let next = t.min(self.sim.now() + RUN_STEP_MS);
            let stopped = self.sim.run_while(next, |s| s.stats().events >= stop);
            self.moved();
            if stopped {
                return self.sim.now() >= t;
            }
        }
        true
    }

    /// After the world moved forward: the horizon follows, and a checkpoint is taken if due.
    fn moved(&mut self) {
        self.horizon = self.horizon.max(self.sim.now());
        self.checkpoints.offer(&self.sim, self.scheduled);
    }

    /// The world from the newest checkpoint satisfying `before` (or from the start), with every
    /// logged command scheduled; and how many that is.
    fn replayed(&self, before: impl Fn(&Sim) -> bool) -> (Sim, usize) {
        let (mut sim, scheduled) = self
            .checkpoints
            .latest(before)
            .unwrap_or_else(|| (fresh(&self.config), 0));
        for (at, command) in self.log.iter().skip(scheduled) {
            sim.command_at(*at, command.clone());
        }
        (sim, self.log.len())
    }

    /// How many checkpoints the run keeps now.
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.count()
    }

    /// Gives a command: it takes effect at the next millisecond, at once (playing or not), so
    /// that the next command, the console's next look at the world and the view all see it.
    /// Given at a past moment, it replaces the future: later logged commands are dropped.
    ///
    /// A command that would take the run past its limits (the same a link or a file must keep:
    /// processes, commands, time) is refused and changes nothing; [`Run::refusal`] says why.
    pub fn command(&mut self, command: Command) -> Result<(), RecordingError> {
        self.settle();
        let now = self.sim.now();
        let at = now + 1;
        let kept = self.log.iter().take_while(|(t, _)| *t <= now).count();
        // What replaying the run up to now costs is exactly what running it did.
        let events = self.sim.stats().events;
        let affordable = if events > EVENT_BUDGET {
            Err(RecordingError::TooCostly { events, until: at })
        } else {
            recording::admits(&self.config, &self.log[..kept], at, &command)
        };
        if let Err(why) = affordable {
            self.refusal = Some((next_revision(), why.clone()));
            return Err(why);
        }
        if self.log.len() != kept {
            // The future changes: recompute up to now without the dropped commands.
            self.log.truncate(kept);
            self.checkpoints.log_cut(kept);
            (self.sim, self.scheduled) = self.replayed(|s| s.now() <= now);
            self.horizon = now;
            self.run_to(now, u64::MAX);
        }
        self.checkpoints.command_at(at);
        self.log.push((at, command.clone()));
        self.revision = next_revision();
        self.sim.command_at(at, command);
        self.scheduled = self.log.len();
        self.sim.run_until(at);
        self.moved();
        self.target = self.target.max(at.ms() as f64);
        Ok(())
    }

    /// The last command refused, with a number that changes at each refusal (to say it once).
    pub fn refusal(&self) -> Option<&(u64, RecordingError)> {
        self.refusal.as_ref()
    }

    /// Starts over with another configuration (seed, sizes, recipe).
    pub fn reset(&mut self, config: Config) {
        let (playing, speed) = (self.playing, self.speed);
        *self = Run::new(config);
        self.playing = playing;
        self.speed = speed;
    }

    /// Adds a process (while the run stays within its limit of processes).
    pub fn add_process(&mut self) -> Result<(), RecordingError> {
        self.command(Command::Act(picture::Action::AddProcess))
    }

    /// Removes the most recently added process.
    pub fn remove_process(&mut self) -> Result<(), RecordingError> {
        match self.sim.processes().map(|p| p.id()).max() {
            Some(last) => self.command(Command::Act(picture::Action::RemoveProcess(last))),
            None => Ok(()),
        }
    }

    /// Switches the recipe: every running process restarts with it, in place.
    pub fn set_recipe(&mut self, recipe: RecipeKind) -> Result<(), RecordingError> {
        if recipe == self.sim.recipe() {
            return Ok(());
        }
        self.command(Command::SetRecipe(recipe))
    }

    /// Runs the world (even when paused) until `done` holds or `max_ms` of simulated time
    /// have passed; the console uses it to wait for a reply. Returns whether `done` held.
    pub fn run_until(&mut self, max_ms: u64, done: impl FnMut(&Sim) -> bool) -> bool {
        self.settle();
        let limit = self.sim.now() + max_ms;
        let held = self.sim.run_while(limit, done);
        self.moved();
        self.target = self.target.max(self.sim.now().ms() as f64);
        held
    }

    /// The world, to take what the console's requests left (replies, watch events): output
    /// buffers, not state the simulation reads.
    pub fn sim_mut(&mut self) -> &mut Sim {
        &mut self.sim
    }

    /// What the page draws of this moment, with the narrated events `events` asks for.
    pub fn picture(&self, events: &EventFilter) -> Picture {
        self.sim.picture(events)
    }

    /// How the run is being played: what the control bar and the timeline show.
    pub fn playback(&self) -> Playback {
        Playback {
            playing: self.playing,
            speed: self.speed,
            seed: self.config.seed,
            servers: self.config.servers,
            now: self.sim.now(),
            horizon: self.horizon,
            seeking: self.seek_progress(),
        }
    }

    /// The run's history for the plots: its reigns, and messages per completed second.
    pub fn history(&self) -> History {
        self.sim.history()
    }
}

/// Processes woken per leader failure by cluster size: (successor, herd).
pub type Sweep = (Vec<(u32, f64)>, Vec<(u32, f64)>);

/// Processes woken per leader failure by cluster size, for the successor and the herd
/// recipes: measured by running the core (each size's leader killed twice).
pub fn recipe_sweep(sizes: &[u32]) -> Sweep {
    (
        metrics::notifications_by_size(RecipeKind::Successor, sizes, 2),
        metrics::notifications_by_size(RecipeKind::Herd, sizes, 2),
    )
}

/// How a run is being played.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Playback {
    /// Simulated time follows the wall clock.
    pub playing: bool,
    /// Simulated ms per wall ms.
    pub speed: f64,
    /// The run's seed.
    pub seed: u64,
    /// How many servers its ensemble has.
    pub servers: u8,
    /// The moment shown.
    pub now: SimTime,
    /// The latest moment reached.
    pub horizon: SimTime,
    /// A far seek under way: where it is, and where it is going.
    pub seeking: Option<(SimTime, SimTime)>,
}
