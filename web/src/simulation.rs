//! The simulation as a producer of pictures: the run a link opens (or the default one), and
//! what the page draws of it — its picture, its space-time diagram and its plots while they
//! are open, the file that exports it, the address bar that shares it. Besides the app state
//! that holds the run, only this module reads the simulator; the feed ([`crate::feed`])
//! decides when the page shows it.
//!
//! Imports from the page `hooks` (the address bar), `model`, `perf`, `state`; from the core
//! `picture`, `sim`'s share links, `spacetime`.

use crate::model::console::Binding;
use crate::model::diagram::Lens;
use crate::model::{Playback, Run, Sweep};
use crate::state::{AppState, RunHandle};
use gloo_timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::picture::{EventFilter, History, Picture};
use zooscope_core::sim::share::{self, ShareError};
use zooscope_core::spacetime::Diagram;

/// Cluster sizes the plots' notification sweep measures.
const SWEEP_SIZES: [u32; 5] = [3, 5, 10, 20, 40];

/// How long the run must stay unchanged before the address bar is rewritten.
const LINK_DELAY_MS: u32 = 250;

/// What the page has open that the simulation draws for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asks {
    /// The space-time diagram.
    pub diagram: bool,
    /// The plots.
    pub plots: bool,
    /// Whether the address bar shares the run (not on a live page, whose address holds its
    /// token).
    pub link: bool,
}

/// What the simulation gives the page this render.
#[derive(Clone)]
pub struct Simulated {
    /// Its picture, with the narrated events the filter admits.
    pub picture: Rc<Picture>,
    /// How it is being played.
    pub playback: Playback,
    /// Its console: what it printed, its prompt, whose session it speaks through.
    pub console: (Rc<str>, String, Binding),
    /// Its space-time diagram, while asked for.
    pub diagram: Option<Rc<Diagram>>,
    /// Its history and the recipes' sweep, while the plots are open.
    pub plotted: Option<(Rc<History>, Rc<Sweep>)>,
    /// The run as a file's text.
    pub export: Callback<(), String>,
    /// The size a link to the run would have, when it is too big for one.
    pub link_too_big: Option<usize>,
}

/// The run a link in the address bar opens (`#run=…`), or why it cannot be opened (empty when
/// there is no link).
fn linked_run() -> Result<Run, String> {
    match share::from_link(&crate::hooks::fragment()) {
        Ok(Some(recording)) => Run::from_recording(recording).map_err(|e| e.to_string()),
        Ok(None) => Err(String::new()),
        Err(e) => Err(e.to_string()),
    }
}

/// The app state: the run a shared link opens, or a fresh default run of `processes` (the
/// lecture's five when `None`) — saying why, when the link was broken.
#[hook]
pub fn use_opened_run(processes: Option<u32>) -> UseReducerHandle<AppState> {
    let opened = use_memo((), |_| linked_run());
    use_reducer(move || match &*opened {
        Ok(run) => AppState::from_run(run.clone()),
        Err(why) => {
            let mut config = crate::model::default_config();
            if let Some(n) = processes {
                config.processes = n;
            }
            let broken = (!why.is_empty()).then(|| {
                format!(
                    "This link's run could not be opened: {why}. Showing the default run instead."
                )
            });
            AppState::new(config).telling(broken)
        }
    })
}

/// What the simulation in `state` gives the page: its picture (events chosen by `filter`),
/// and what `asks` wants — the diagram of the span `lens` chooses, the plots, the link.
#[hook]
pub fn use_simulation(
    state: &UseReducerHandle<AppState>,
    filter: &EventFilter,
    lens: &Lens,
    asks: Asks,
) -> Simulated {
    let run = state.handle();
    let picture: Rc<Picture> = use_memo((run.clone(), filter.clone()), |(run, filter)| {
        crate::perf::timed(crate::perf::Phase::Picture, || {
            run.with(|r| r.picture(filter))
        })
    });
    let link_too_big = use_link_sync(run.clone(), asks.link);
    let plotted = use_plot_data(&run, asks.plots);
    // Frame timing for the browser benchmark: this runs after every render.
    {
        let events = run.with(|r| r.sim().stats().events);
        use_effect(move || crate::perf::frame_rendered(crate::perf::now(), events));
    }
    let diagram = use_diagram(&run, &picture, lens, asks.diagram);
    let export = {
        let run = run.clone();
        Callback::from(move |()| run.with(|r| share::to_file(&r.recording())))
    };
    Simulated {
        picture,
        playback: run.with(Run::playback),
        console: run.console(|c| (c.transcript(), c.prompt(), c.binding())),
        diagram,
        plotted,
        export,
        link_too_big,
    }
}

/// What the plots draw while they are open: the recipes measured once per opening, the run's
/// history again twice a simulated second.
#[hook]
fn use_plot_data(run: &RunHandle, open: bool) -> Option<(Rc<History>, Rc<Sweep>)> {
    let sweep = use_memo(open, |open| {
        open.then(|| Rc::new(crate::model::recipe_sweep(&SWEEP_SIZES)))
    });
    let half_seconds = run.with(|r| r.playback().now.ms() / 500);
    let history = {
        let run = run.clone();
        use_memo((open, half_seconds), move |(open, _)| {
            open.then(|| Rc::new(run.with(Run::history)))
        })
    };
    (*history).clone().zip((*sweep).clone())
}

/// The space-time diagram of the span `lens` chooses, ending at the moment the run is at: built
/// while the panel is open, again whenever the run or the choices change.
#[hook]
fn use_diagram(
    run: &RunHandle,
    picture: &Rc<Picture>,
    lens: &Lens,
    open: bool,
) -> Option<Rc<Diagram>> {
    let picture = picture.clone();
    (*use_memo(
        (run.clone(), lens.clone(), open),
        move |(run, lens, open)| {
            open.then(|| {
                crate::perf::timed(crate::perf::Phase::Diagram, || {
                    run.with(|r| {
                        let view = lens.view(&picture, r.playback().now);
                        Rc::new(Diagram::of(r.sim().trace(), &view))
                    })
                })
            })
        },
    ))
    .clone()
}

/// The address bar always shares the current run, written once the run has been still for a
/// moment: browsers ignore address changes past a few hundred in ten seconds (Chromium: 200),
/// and a burst of console commands would leave a stale link behind. A run too big for a link
/// (one the page would refuse on loading it) is not written there: the address bar then holds
/// no run. Returns the size such a run's link would have had, for the page to say so. A live
/// page (`enabled` false) keeps its own address, which holds its token.
#[hook]
fn use_link_sync(run: RunHandle, enabled: bool) -> Option<usize> {
    let too_big = use_state_eq(|| None::<usize>);
    let revision = run.with(Run::revision);
    {
        let too_big = too_big.clone();
        use_effect_with(revision, move |_| {
            let write = enabled.then(|| {
                Timeout::new(LINK_DELAY_MS, move || {
                    let (url, size) = match run.with(|r| share::link(&r.recording())) {
                        Ok(link) => (link, None),
                        Err(ShareError::TooLong(n)) => ("#".to_owned(), Some(n)),
                        Err(_) => ("#".to_owned(), None),
                    };
                    too_big.set(size);
                    crate::hooks::replace_address(&url);
                })
            });
            // A newer revision cancels this write and schedules its own.
            move || drop(write)
        });
    }
    *too_big
}
