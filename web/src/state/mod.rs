//! The app state: one run of the model and its zkCli console, changed only through
//! [`Action`]s (Yew's reducer pattern). The run lives behind a shared cell so that a frame
//! does not copy the world; each action bumps a version that tells the page to draw again.
//!
//! The page's other concerns each have a reducer of their own, beside this one: the overlays
//! around the run ([`page`]), lecture mode ([`lecture`]), and on a live page what was seen
//! ([`seen`]) and the bridge's console ([`live_console`]).
//!
//! Imports from the page `model`; from the core `ids`, `picture`, `recipe`, `sim`.

pub mod lecture;
pub mod live_console;
pub mod page;
pub mod seen;

use crate::model::console::{Binding, Console, Resume};
use crate::model::{default_config, Run};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;
use zooscope_core::ids::SimTime;
use zooscope_core::picture::{self, EventFilter};
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::recording::{Recording, MAX_PROCESSES};
use zooscope_core::sim::{Command, Config};

/// How much faster or slower one press of `+` or `-` plays.
const SPEED_STEP: f64 = 1.5;

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
    Seek(SimTime),
    /// Stop a seek under way where it is.
    CancelSeek,
    /// Playback speed.
    Speed(f64),
    /// One and a half times faster.
    Faster,
    /// One and a half times slower.
    Slower,
    /// Kill the process that leads, if one does.
    KillLeader,
    /// Switch to the other recipe (successor ⇄ herd).
    OtherRecipe,
    /// Start over with this seed.
    Seed(u64),
    /// Start over with this many servers.
    Servers(u8),
    /// Start over with this many processes (at most [`MAX_PROCESSES`]).
    Processes(u32),
    /// Switch the recipe.
    Recipe(RecipeKind),
    /// Add a process.
    AddProcess,
    /// Remove the newest process.
    RemoveProcess,
    /// A fault or any other command.
    Command(Command),
    /// A line typed into the console (Enter).
    ConsoleLine(String),
    /// Speak through another session from the console's next command on.
    ConsoleBind(Binding),
    /// Replace the run with a shared or imported one (already validated).
    Load(Recording),
    /// Show a tour's step: its recorded run at its moment, paused, what its console printed
    /// by then, and where its console left off (prompt, command count).
    Show(Recording, SimTime, Rc<str>, Option<Resume>),
    /// Tell the user something under the header (`None`: dismiss what is there).
    Notice(Option<String>),
}

/// A handle on the run and its console for the page: equal while nothing changed.
#[derive(Clone)]
pub struct RunHandle {
    run: Rc<RefCell<Run>>,
    console: Rc<RefCell<Console>>,
    version: u64,
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

    /// Reads the console.
    pub fn console<T>(&self, f: impl FnOnce(&Console) -> T) -> T {
        f(&self.console.borrow())
    }
}

/// The app's state: the run, its console, and what the user was last told about what they
/// did (a refused command says why here, set by the reducer that refused it).
pub struct AppState {
    run: Rc<RefCell<Run>>,
    console: Rc<RefCell<Console>>,
    version: u64,
    last_frame: Option<f64>,
    notice: Option<Rc<str>>,
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
            console: Rc::default(),
            version: 0,
            last_frame: None,
            notice: None,
        }
    }

    /// The same state, saying `notice` under the header.
    pub fn telling(mut self, notice: Option<String>) -> AppState {
        self.notice = notice.map(Rc::from);
        self
    }

    /// What the page says under the header, if anything.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The handle the page reads.
    pub fn handle(&self) -> RunHandle {
        RunHandle {
            run: self.run.clone(),
            console: self.console.clone(),
            version: self.version,
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut last_frame = self.last_frame;
        let mut notice = self.notice.clone();
        {
            let (shared, console) = (self.run.clone(), self.console.clone());
            let mut run = shared.borrow_mut();
            let mut console = console.borrow_mut();
            let refused_before = run.refusal().map(|(n, _)| *n);
            let restart = |run: &mut Run, f: &dyn Fn(&mut Config)| {
                let mut config = run.config().clone();
                f(&mut config);
                run.reset(config);
            };
            match action {
                Action::Frame(now) => {
                    let seeking = run.seek_progress().is_some();
                    if let Some(last) = last_frame {
                        crate::perf::timed(crate::perf::Phase::Simulation, || run.tick(now - last));
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
                    console.new_run(Rc::from(""), None);
                }
                Action::Seek(t) => {
                    run.pause();
                    run.seek(t);
                }
                Action::CancelSeek => run.cancel_seek(),
                Action::Speed(s) => run.set_speed(s),
                Action::Faster => {
                    let speed = run.speed() * SPEED_STEP;
                    run.set_speed(speed);
                }
                Action::Slower => {
                    let speed = run.speed() / SPEED_STEP;
                    run.set_speed(speed);
                }
                Action::Seed(seed) => {
                    restart(&mut run, &|c| c.seed = seed);
                    console.new_run(Rc::from(""), None);
                }
                Action::Servers(n) => {
                    restart(&mut run, &|c| c.servers = n);
                    console.new_run(Rc::from(""), None);
                }
                Action::Processes(n) => {
                    restart(&mut run, &|c| c.processes = n.clamp(1, MAX_PROCESSES));
                    console.new_run(Rc::from(""), None);
                }
                // A refused command changes nothing; why is told below, from `Run::refusal`
                // (which the console's refused commands set too).
                Action::Recipe(r) => drop(run.set_recipe(r)),
                Action::AddProcess => drop(run.add_process()),
                Action::RemoveProcess => drop(run.remove_process()),
                Action::Command(c) => drop(run.command(c)),
                Action::KillLeader => {
                    let leader = run.picture(&EventFilter::none()).leader();
                    if let Some(leader) = leader {
                        drop(run.command(Command::Act(picture::Action::KillProcess(leader))));
                    }
                }
                Action::OtherRecipe => {
                    let other = run.sim().recipe().other();
                    drop(run.set_recipe(other));
                }
                Action::ConsoleLine(line) => drop(console.enter(&mut run, &line)),
                Action::ConsoleBind(binding) => console.bind(binding),
                Action::Load(recording) => {
                    if let Ok(loaded) = Run::from_recording(recording) {
                        *run = loaded;
                        console.new_run(Rc::from(""), None);
                    }
                }
                Action::Show(recording, at, transcript, resume) => {
                    if let Ok(shown) = Run::show(recording, at) {
                        *run = shown;
                        console.new_run(transcript, resume);
                    }
                }
                Action::Notice(told) => notice = told.map(Rc::from),
            }
            if let Some((n, why)) = run.refusal() {
                if Some(*n) != refused_before {
                    notice = Some(Rc::from(format!("That was not done: {why}.")));
                }
            }
        }
        Rc::new(AppState {
            run: self.run.clone(),
            console: self.console.clone(),
            version: self.version + 1,
            last_frame,
            notice,
        })
    }
}
