//! The app state: one run of the model, changed only through [`Action`]s (Yew's reducer
//! pattern). The run itself lives behind a shared cell so that a frame does not copy the
//! world; each action bumps a version that tells components to re-render.

use crate::model::{default_config, Run};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::recording::Recording;
use zooscope_core::sim::{Command, Config};

/// Everything the user (or the animation clock) does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// An animation frame at this wall-clock time (ms).
    Frame(f64),
    /// Play.
    Play,
    /// Pause the simulation.
    Pause,
    /// Play or pause.
    TogglePlay,
    /// One event forward.
    Step,
    /// One event back.
    StepBack,
    /// Start over (same configuration).
    Reset,
    /// Show the run at this simulated time.
    Seek(u64),
    /// Stop a seek under way where it is.
    CancelSeek,
    /// Playback speed.
    Speed(f64),
    /// Start over with this seed.
    Seed(u64),
    /// Start over with this many servers.
    Servers(u8),
    /// Switch the recipe.
    Recipe(RecipeKind),
    /// Add a process.
    AddProcess,
    /// Remove the newest process.
    RemoveProcess,
    /// A fault or any other command.
    Command(Command),
    /// The run changed outside the reducer (the console ran it): render again.
    Refresh,
    /// Replace the run with a shared or imported one (already validated).
    Load(Recording),
    /// Show a tour's step: its recorded run at its moment, paused, and what its console
    /// printed by then.
    Show(Recording, u64, Rc<str>),
}

/// A handle on the run for components: equal while nothing changed.
#[derive(Clone)]
pub struct RunHandle {
    run: Rc<RefCell<Run>>,
    version: u64,
    epoch: u64,
    transcript: Rc<str>,
}

impl PartialEq for RunHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.version == other.version
    }
}

impl RunHandle {
    /// Reads the run.
    pub fn with<T>(&self, f: impl FnOnce(&Run) -> T) -> T {
        f(&self.run.borrow())
    }

    /// The run itself, for the console, which drives it between renders.
    pub fn shared(&self) -> Rc<RefCell<Run>> {
        self.run.clone()
    }

    /// Bumped whenever the run is replaced by another (reset, a new seed or ensemble, a
    /// loaded link or file, a tour's step): sessions of the old run mean nothing in it.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// What the console of the current run has printed before the user typed anything (a
    /// tour's transcript; empty otherwise).
    pub fn transcript(&self) -> Rc<str> {
        self.transcript.clone()
    }
}

/// The app's state.
pub struct AppState {
    run: Rc<RefCell<Run>>,
    version: u64,
    epoch: u64,
    transcript: Rc<str>,
    last_frame: Option<f64>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new(default_config())
    }
}

impl AppState {
    /// A state with a fresh run of `config`.
    pub fn new(config: Config) -> AppState {
        AppState::from_run(Run::new(config))
    }

    /// A state showing `run`.
    pub fn from_run(run: Run) -> AppState {
        AppState {
            run: Rc::new(RefCell::new(run)),
            version: 0,
            epoch: 0,
            transcript: Rc::from(""),
            last_frame: None,
        }
    }

    /// The handle components read.
    pub fn handle(&self) -> RunHandle {
        RunHandle {
            run: self.run.clone(),
            version: self.version,
            epoch: self.epoch,
            transcript: self.transcript.clone(),
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut last_frame = self.last_frame;
        let (mut epoch, mut transcript) = (self.epoch, self.transcript.clone());
        let mut replaced = |with: Rc<str>| {
            epoch += 1;
            transcript = with;
        };
        let shared = self.run.clone();
        {
            let mut run = shared.borrow_mut();
            let restart = |run: &mut Run, f: &dyn Fn(&mut Config)| {
                let mut config = run.config().clone();
                f(&mut config);
                run.reset(config);
            };
            match action {
                Action::Frame(now) => {
                    let seeking = run.seek_progress().is_some();
                    if let Some(last) = last_frame {
                        run.tick(now - last);
                    }
                    last_frame = Some(now);
                    if !run.playing() && !seeking {
                        // Nothing moved: no need to render again.
                        return self;
                    }
                }
                Action::Play => run.play(),
                Action::Pause => run.pause(),
                Action::TogglePlay => {
                    if run.playing() {
                        run.pause();
                    } else {
                        run.play();
                    }
                }
                Action::Step => run.step(),
                Action::StepBack => run.step_back(),
                Action::Reset => {
                    restart(&mut run, &|_| {});
                    replaced(Rc::from(""));
                }
                Action::Seek(t) => {
                    run.pause();
                    run.seek(t);
                }
                Action::CancelSeek => run.cancel_seek(),
                Action::Speed(s) => run.set_speed(s),
                Action::Seed(seed) => {
                    restart(&mut run, &|c| c.seed = seed);
                    replaced(Rc::from(""));
                }
                Action::Servers(n) => {
                    restart(&mut run, &|c| c.servers = n);
                    replaced(Rc::from(""));
                }
                // A refused command changes nothing: the run keeps why (`Run::refusal`) and the
                // app shows it.
                Action::Recipe(r) => drop(run.set_recipe(r)),
                Action::AddProcess => drop(run.add_process()),
                Action::RemoveProcess => drop(run.remove_process()),
                Action::Command(c) => drop(run.command(c)),
                Action::Refresh => {}
                Action::Load(recording) => {
                    if let Ok(loaded) = Run::from_recording(recording) {
                        *run = loaded;
                        replaced(Rc::from(""));
                    }
                }
                Action::Show(recording, at, console) => {
                    if let Ok(shown) = Run::show(recording, at) {
                        *run = shown;
                        replaced(console);
                    }
                }
            }
        }
        Rc::new(AppState {
            run: self.run.clone(),
            version: self.version + 1,
            epoch,
            transcript,
            last_frame,
        })
    }
}
