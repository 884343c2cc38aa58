//! The root component: the whole cluster running in the page.

use crate::components::actors::Actors;
use crate::components::cluster_view::ClusterView;
use crate::components::console::Console;
use crate::components::controls::Controls;
use crate::components::event_log::EventLog;
use crate::components::help::Help;
use crate::components::plots::Plots;
use crate::components::share::Share;
use crate::components::stat_panel::StatPanel;
use crate::components::timeline::Timeline;
use crate::components::tour::{Lecture, LectureAction, LectureState, TourPanel};
use crate::components::znode_tree::ZnodeTree;
use crate::state::{Action, AppState};
use crate::view;
use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::{Interval, Timeout};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use zooscope_core::actor::trace::{ProcessRole, TraceEvent, TraceKind};
use zooscope_core::ids::Endpoint;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::Command;
use zooscope_core::Znode;

/// Milliseconds between animation frames.
const FRAME_MS: u32 = 33;

/// How long the run must stay unchanged before the address bar is rewritten.
const LINK_DELAY_MS: u32 = 250;

/// How far back in the story a frame looks for the latest leadership change.
const RECENT: usize = 5_000;

fn wall_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Props of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// Start playing at once (the page does; tests drive time themselves).
    #[prop_or(true)]
    pub autoplay: bool,
    /// How many processes to start with (the lecture's five by default).
    #[prop_or(None)]
    pub processes: Option<u32>,
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps {
            autoplay: true,
            processes: None,
        }
    }
}

/// The page.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    // A shared link (`#run=…`) opens its run; a broken one says why and opens the default.
    let opened = use_memo((), |_| {
        let fragment = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        match zooscope_core::sim::share::from_link(&fragment) {
            Ok(Some(recording)) => {
                crate::model::Run::from_recording(recording).map_err(|e| e.to_string())
            }
            Ok(None) => Err(String::new()),
            Err(e) => Err(e.to_string()),
        }
    });
    let processes = props.processes;
    let state = {
        let opened = opened.clone();
        use_reducer(move || match &*opened {
            Ok(run) => AppState::from_run(run.clone()),
            Err(_) => {
                let mut config = crate::model::default_config();
                if let Some(n) = processes {
                    config.processes = n;
                }
                AppState::new(config)
            }
        })
    };
    let notice = use_state(|| match &*opened {
        Err(why) if !why.is_empty() => Some(format!(
            "This link's run could not be opened: {why}. Showing the default run instead."
        )),
        _ => None,
    });
    // One callback for the app's whole life, so that memoised children see equal props.
    let dispatch = {
        let dispatcher = state.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |action: Action| dispatcher.dispatch(action))
        }))
        .clone()
    };
    // Lecture mode; `#tour=N` opens tour N at its key step (for screenshots and links).
    let lecture = use_reducer(|| {
        let tours = Rc::new(crate::tours::tours());
        let at = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .and_then(|h| {
                h.strip_prefix("#tour=")
                    .and_then(|n| n.parse::<usize>().ok())
            })
            .and_then(|n| tours.get(n.checked_sub(1)?).map(|t| (n - 1, t.key_step)));
        LectureState {
            lecture: Lecture { at, picking: false },
            tours,
        }
    });
    let touring = use_mut_ref(|| false);
    *touring.borrow_mut() = lecture.lecture.at.is_some();
    {
        // Each step sets the simulation to exactly the state it describes.
        let state = state.clone();
        let lecture = lecture.clone();
        use_effect_with(lecture.lecture.at, move |at| {
            if let Some((t, s)) = *at {
                if let Some(step) = lecture.tours.get(t).and_then(|tour| tour.steps.get(s)) {
                    state.dispatch(Action::Show(
                        step.recording.clone(),
                        step.at,
                        step.console.clone(),
                    ));
                }
            }
        });
    }
    let help = use_state(|| false);
    let plots = use_state(|| false);
    let presenter = use_state(|| false);
    let pause_seconds = use_state(|| 5u32);
    let highlighted = use_state(Vec::<Endpoint>::new);
    let selected = use_state(|| Some("/election".to_owned()));

    // The animation clock: the interval lives as long as the component (dropping it stops it).
    {
        let state = state.clone();
        // A tour's step (`#tour=N`) opens paused at the moment its narration describes.
        let autoplay = props.autoplay && lecture.lecture.at.is_none();
        use_effect_with((), move |_| {
            if autoplay {
                state.dispatch(Action::Play);
            }
            let interval = Interval::new(FRAME_MS, move || {
                let now = wall_now();
                crate::perf::frame_started(now);
                state.dispatch(Action::Frame(now));
            });
            move || drop(interval)
        });
    }

    // Keyboard shortcuts, listed in the help overlay.
    {
        let state = state.clone();
        let help = help.clone();
        let plots = plots.clone();
        let presenter = presenter.clone();
        let lecture = lecture.dispatcher();
        let touring = touring.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .and_then(|w| w.document())
                .map(|document| {
                    // Not passive: a shortcut's key must not also scroll the page.
                    let options = EventListenerOptions::enable_prevent_default();
                    EventListener::new_with_options(&document, "keydown", options, move |event| {
                        let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                            return;
                        };
                        // Typing in a field is not a shortcut.
                        let typing = event
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .is_some_and(|e| {
                                matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                            });
                        if typing || key.ctrl_key() || key.meta_key() || key.alt_key() {
                            return;
                        }
                        // In a tour the arrows and space move through its steps.
                        if *touring.borrow() {
                            let step = match key.key().as_str() {
                                "ArrowRight" | " " => Some(LectureAction::Next),
                                "ArrowLeft" => Some(LectureAction::Prev),
                                "Escape" => Some(LectureAction::Close),
                                _ => None,
                            };
                            if let Some(step) = step {
                                event.prevent_default();
                                lecture.dispatch(step);
                                return;
                            }
                        }
                        let handle = state.handle();
                        let action = match key.key().as_str() {
                            " " => Some(Action::TogglePlay),
                            "ArrowRight" => Some(Action::Step),
                            "ArrowLeft" => Some(Action::StepBack),
                            "r" => Some(Action::Reset),
                            "+" | "=" => Some(Action::Speed(handle.with(|r| r.speed()) * 1.5)),
                            "-" => Some(Action::Speed(handle.with(|r| r.speed()) / 1.5)),
                            "a" => Some(Action::AddProcess),
                            "d" => Some(Action::RemoveProcess),
                            "k" => handle
                                .with(|r| r.leader())
                                .map(|p| Action::Command(Command::KillProcess(p))),
                            "h" => Some(Action::Recipe(match handle.with(|r| r.sim().recipe()) {
                                RecipeKind::Successor => RecipeKind::Herd,
                                RecipeKind::Herd | RecipeKind::Console => RecipeKind::Successor,
                            })),
                            "?" => {
                                help.set(true);
                                None
                            }
                            "p" => {
                                plots.set(true);
                                None
                            }
                            "f" => {
                                presenter.set(!*presenter);
                                None
                            }
                            "t" => {
                                lecture.dispatch(LectureAction::Pick);
                                None
                            }
                            "Escape" => {
                                help.set(false);
                                plots.set(false);
                                None
                            }
                            _ => return,
                        };
                        event.prevent_default();
                        if let Some(action) = action {
                            state.dispatch(action);
                        }
                    })
                });
            move || drop(listener)
        });
    }

    // Frame timing for the browser benchmark: this runs after every render.
    {
        let events = state.handle().with(|r| r.sim().stats().events);
        use_effect(move || crate::perf::frame_rendered(wall_now(), events));
    }

    // The address bar always shares the current run. A run too big for a link (one the page
    // would refuse on loading it) is not written there: the address bar then holds no run, and
    // the page says to export it as a file.
    let link_too_big = use_state_eq(|| None::<usize>);
    {
        let key = state.handle().with(crate::model::Run::revision);
        let handle = state.handle();
        let link_too_big = link_too_big.clone();
        use_effect_with(key, move |_| {
            // Written once the run has been still for a moment: browsers ignore address
            // changes past a few hundred in ten seconds (Chromium: 200), and a burst of console
            // commands would leave a stale link behind.
            let write = Timeout::new(LINK_DELAY_MS, move || {
                let link = handle.with(|r| zooscope_core::sim::share::link(&r.recording()));
                let (url, too_big) = match link {
                    Ok(link) => (link, None),
                    Err(zooscope_core::sim::share::ShareError::TooLong(n)) => {
                        ("#".to_owned(), Some(n))
                    }
                    Err(_) => ("#".to_owned(), None),
                };
                link_too_big.set(too_big);
                if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                    // A browser that refuses to change the address leaves the old one: the
                    // page itself is unaffected.
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&url),
                    );
                }
            });
            // A newer revision cancels this write and schedules its own.
            move || drop(write)
        });
    }

    // A command refused for breaking a limit says why, once.
    {
        let refusal = state.handle().with(|r| r.refusal().cloned());
        let notice = notice.clone();
        use_effect_with(refusal.as_ref().map(|(n, _)| *n), move |_| {
            if let Some((_, why)) = refusal {
                notice.set(Some(format!("That was not done: {why}.")));
            }
        });
    }

    let run = state.handle();
    let on_error = {
        let notice = notice.clone();
        Callback::from(move |message: String| notice.set(Some(message)))
    };
    let on_dismiss = {
        let notice = notice.clone();
        Callback::from(move |_: MouseEvent| notice.set(None))
    };
    let on_help = {
        let help = help.clone();
        Callback::from(move |()| help.set(true))
    };
    let on_close_help = {
        let help = help.clone();
        Callback::from(move |()| help.set(false))
    };
    let on_plots = {
        let plots = plots.clone();
        Callback::from(move |_: MouseEvent| plots.set(true))
    };
    let on_tours = {
        let lecture = lecture.dispatcher();
        Callback::from(move |_: MouseEvent| lecture.dispatch(LectureAction::Pick))
    };
    let on_lecture = {
        let lecture = lecture.dispatcher();
        Callback::from(move |action: LectureAction| lecture.dispatch(action))
    };
    let on_presenter = {
        let presenter = presenter.clone();
        Callback::from(move |_: MouseEvent| presenter.set(!*presenter))
    };
    let on_close_plots = {
        let plots = plots.clone();
        Callback::from(move |()| plots.set(false))
    };
    let on_pause_seconds = {
        let pause_seconds = pause_seconds.clone();
        Callback::from(move |s: u32| pause_seconds.set(s))
    };
    let on_highlight = {
        let highlighted = highlighted.clone();
        Callback::from(move |actors: Vec<Endpoint>| highlighted.set(actors))
    };
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |path: String| selected.set(Some(path)))
    };
    let (tree, split_brain, changed) = run.with(|r| {
        let sim = r.sim();
        let tree = sim
            .freshest_server()
            .map(|s| s.replica().tree().clone())
            .unwrap_or_default();
        // Znodes created or changed within the last simulated second flash.
        let now = sim.wall().0;
        let changed: Vec<String> = tree
            .iter()
            .filter(|(_, n)| {
                let stat = n.stat();
                now - stat.ctime.0.max(stat.mtime.0) < 1_000
            })
            .map(|(p, _)| p.to_owned())
            .collect();
        (tree, view::split_brain(sim), changed)
    });
    // What a screen reader announces: the latest change of leadership.
    let announcement = run.with(|r| {
        r.sim()
            .story()
            .iter()
            .rev()
            .take(RECENT)
            .find(|e| {
                matches!(
                    &e.kind,
                    TraceKind::SplitBrain { .. }
                        | TraceKind::ProcessRole {
                            role: ProcessRole::Leader | ProcessRole::Crashed,
                            ..
                        }
                )
            })
            .map(TraceEvent::narrate)
            .unwrap_or_default()
    });
    let stat = (*selected)
        .as_deref()
        .and_then(|p| tree.get(p).map(|n| (p.to_owned(), Znode::stat(n))));

    html! {
        <div class={classes!("app", presenter.then_some("presenter"))}>
            <header class="top">
                <h1>{ "Zooscope" }</h1>
                <p class="tagline">{ "ZooKeeper leader election you can watch, break and replay" }</p>
                <Controls run={run.clone()} dispatch={dispatch.clone()} {on_help}
                          pause_seconds={*pause_seconds} {on_pause_seconds} />
                <Share run={run.clone()} dispatch={dispatch.clone()} {on_error}
                       link_too_big={*link_too_big} />
                <button type="button" data-action="tours" onclick={on_tours}
                        title="Guided tours of the lecture (t)">{ "tours" }</button>
                <button type="button" data-action="plots" onclick={on_plots}
                        title="Plots (p)">{ "plots" }</button>
                <button type="button" data-action="presenter" onclick={on_presenter}
                        aria-pressed={presenter.to_string()}
                        title="Presenter mode: larger text for a projector (f)">{ "presenter" }</button>
            </header>
            if let Some(message) = (*notice).clone() {
                <p class="notice" role="alert" data-error="">
                    { message }
                    <button type="button" data-action="dismiss" onclick={on_dismiss}
                            aria-label="Dismiss">{ "×" }</button>
                </p>
            }
            if let Some(message) = split_brain {
                <p class="split-brain" role="status" data-split-brain="">
                    { message }
                </p>
            }
            <p class="sr-only" aria-live="assertive" data-announce="">{ announcement }</p>
            <main class="stage">
                <section class="view" aria-label="The cluster">
                    <ClusterView run={run.clone()} highlighted={(*highlighted).clone()} />
                    <Timeline run={run.clone()} dispatch={dispatch.clone()} />
                </section>
                <aside class="side">
                    <Actors run={run.clone()} dispatch={dispatch.clone()} pause_seconds={*pause_seconds} />
                    <section class="panel" aria-labelledby="tree-title">
                        <h2 id="tree-title">{ "Znode tree" }</h2>
                        <ZnodeTree {tree} selected={(*selected).clone()} {on_select} {changed} />
                        if let Some((path, stat)) = stat {
                            <StatPanel {path} {stat} />
                        }
                    </section>
                </aside>
                <div class="bottom">
                    <EventLog run={run.clone()} {on_highlight} />
                    <Console run={run.clone()} dispatch={dispatch.clone()} />
                </div>
            </main>
            if *help {
                <Help on_close={on_close_help} />
            }
            if *plots {
                <Plots run={run.clone()} on_close={on_close_plots} />
            }
            <TourPanel state={(*lecture).clone()} dispatch={on_lecture} />
        </div>
    }
}
