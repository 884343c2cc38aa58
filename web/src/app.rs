//! The root component: the whole cluster running in the page. It holds the app state (the
//! run and its console, through the reducer), the page's own state (overlays, the space-time
//! diagram and its choices, presenter mode), builds one [`Picture`] per render — and, while
//! the diagram is open, one [`Diagram`] — and hands them down.
//!
//! Imports from the page `components`, `hooks`, `model`, `state`; from the core `ids`, `picture`,
//! `sim`, `spacetime`.

use crate::components::actors::Actors;
use crate::components::cluster_view::{ClusterView, PRESENTER_TEXT_PX, TEXT_PX};
use crate::components::console::Console;
use crate::components::event_log::EventLog;
use crate::components::header::Header;
use crate::components::help::Help;
use crate::components::plots::Plots;
use crate::components::spacetime::SpaceTime;
use crate::components::timeline::Timeline;
use crate::components::tour::{Lecture, LectureAction, LectureState, TourPanel};
use crate::components::znode_tree::ZnodePanel;
use crate::components::zoo_cfg::ZooCfgPanel;
use crate::hooks::{self, PageAction, Shortcuts};
use crate::live;
use crate::model::console::Binding;
use crate::model::diagram::{Lens, Spot};
use crate::model::Sweep;
use crate::state::{Action, AppState, RunHandle};
use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::ids::{Endpoint, ProcessId, SimTime};
use zooscope_core::picture::{EventFilter, History, Picture, ProcessKind};
use zooscope_core::sim::share;
use zooscope_core::spacetime::Diagram;

/// Cluster sizes the plots' notification sweep measures.
const SWEEP_SIZES: [u32; 5] = [3, 5, 10, 20, 40];

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

/// The page's own state around the run: which overlays are open, the space-time diagram,
/// presenter mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Page {
    help: bool,
    plots: bool,
    diagram: bool,
    presenter: bool,
}

impl Reducible for Page {
    type Action = PageAction;

    fn reduce(self: Rc<Self>, action: PageAction) -> Rc<Self> {
        let mut page = *self;
        match action {
            PageAction::Help => page.help = true,
            PageAction::Plots => page.plots = true,
            PageAction::Presenter => page.presenter = !page.presenter,
            PageAction::Diagram => page.diagram = !page.diagram,
            PageAction::ShowDiagram => page.diagram = true,
            PageAction::HideDiagram => page.diagram = false,
            PageAction::Close => {
                page.help = false;
                page.plots = false;
            }
        }
        Rc::new(page)
    }
}

/// The run a link in the address bar opens (`#run=…`), or why it cannot be opened (empty when
/// there is no link).
fn linked_run() -> Result<crate::model::Run, String> {
    match share::from_link(&fragment()) {
        Ok(Some(recording)) => {
            crate::model::Run::from_recording(recording).map_err(|e| e.to_string())
        }
        Ok(None) => Err(String::new()),
        Err(e) => Err(e.to_string()),
    }
}

/// The address bar's fragment (empty when there is none).
fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The tour and step a `#tour=N` link opens (at its key step: for screenshots and links);
/// `#tour=N&presenter` opens it in presenter mode.
fn linked_tour(tours: &[crate::tours::Tour]) -> Option<(usize, usize)> {
    let hash = fragment();
    let n = hash
        .strip_prefix("#tour=")?
        .split('&')
        .next()?
        .parse::<usize>()
        .ok()?;
    let tour = tours.get(n.checked_sub(1)?)?;
    Some((n - 1, tour.key_step))
}

/// The app state: the run a shared link opens, or a fresh default run; and, when the link was
/// broken, why (shown as a notice).
#[hook]
fn use_opened_run(processes: Option<u32>) -> (UseReducerHandle<AppState>, Option<String>) {
    let opened = use_memo((), |_| linked_run());
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
    let broken = match &*opened {
        Err(why) if !why.is_empty() => Some(format!(
            "This link's run could not be opened: {why}. Showing the default run instead."
        )),
        _ => None,
    };
    (state, broken)
}

/// Lecture mode: the tours, the one open (`#tour=N` opens tour N at its key step), and each
/// step setting the run to exactly the state it describes.
#[hook]
fn use_lecture(dispatch: Callback<Action>) -> UseReducerHandle<LectureState> {
    let lecture = use_reducer(|| {
        let tours = Rc::new(crate::tours::tours());
        LectureState {
            lecture: Lecture {
                at: linked_tour(&tours),
                picking: false,
            },
            tours,
        }
    });
    {
        let lecture = lecture.clone();
        use_effect_with(lecture.lecture.at, move |at| {
            if let Some((t, s)) = *at {
                if let Some(step) = lecture.tours.get(t).and_then(|tour| tour.steps.get(s)) {
                    dispatch.emit(Action::Show(
                        step.recording.clone(),
                        step.at,
                        step.console.clone(),
                        step.console_resume.clone(),
                    ));
                }
            }
        });
    }
    lecture
}

/// A tour's step that is about the order of messages opens the space-time diagram on its
/// choices and highlights what it is about.
#[hook]
fn use_tour_diagram(
    lecture: &UseReducerHandle<LectureState>,
    page: &Callback<PageAction>,
    lens: &UseStateHandle<Lens>,
    spot: &UseStateHandle<Option<Spot>>,
) {
    let step = lecture.lecture.at.and_then(|(t, s)| {
        let step = lecture.tours.get(t)?.steps.get(s)?;
        Some((step.diagram.clone()?, step.at))
    });
    let (page, lens, spot) = (page.clone(), lens.clone(), spot.clone());
    use_effect_with(lecture.lecture.at, move |_| match step {
        Some((shown, at)) => {
            page.emit(PageAction::ShowDiagram);
            let from = SimTime(at.ms().saturating_sub(shown.lens.span()));
            lens.set(shown.lens);
            spot.set(Some(Spot::Kinds(shown.about, from)));
        }
        // What a step was about is not highlighted past it, and the diagram it opened closes
        // (its span and lifelines were chosen for that step's moment).
        None if matches!(*spot, Some(Spot::Kinds(..))) => {
            spot.set(None);
            lens.set(Lens::default());
            page.emit(PageAction::HideDiagram);
        }
        None => {}
    });
}

/// The notice under the header: a broken link, an error, or a command refused for breaking a
/// limit (said once per refusal).
#[hook]
fn use_notice(run: &RunHandle, initial: Option<String>) -> UseStateHandle<Option<String>> {
    let notice = use_state(move || initial);
    let refusal = run.with(|r| r.refusal().cloned());
    {
        let notice = notice.clone();
        use_effect_with(refusal.as_ref().map(|(n, _)| *n), move |_| {
            if let Some((_, why)) = refusal {
                notice.set(Some(format!("That was not done: {why}.")));
            }
        });
    }
    notice
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
            open.then(|| Rc::new(run.with(crate::model::Run::history)))
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

/// A callback that sets `state` to what it is given.
fn setter<T: 'static>(state: &UseStateHandle<T>) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |value: T| state.set(value))
}

/// Where the page's actions go: the reducer, or — on a live page, unless a tour is open — the
/// bridge (commands) and the timeline of what was seen; a command the bridge refuses says
/// why in the notice.
#[hook]
fn use_dispatch(
    state: &UseReducerHandle<AppState>,
    token: Option<String>,
    seen: &UseReducerHandle<live::Seen>,
    notice: &UseStateHandle<Option<String>>,
    console: &UseReducerHandle<live::LiveConsole>,
    touring: &Rc<std::cell::RefCell<bool>>,
) -> Callback<Action> {
    // What a live action is about: the picture shown now, and whether the view follows.
    let shown = use_mut_ref(|| (None::<Rc<Picture>>, true));
    *shown.borrow_mut() = (seen.current(), seen.playback().playing);
    let dispatcher = state.dispatcher();
    let seen = seen.dispatcher();
    let notice = notice.clone();
    let console = console.dispatcher();
    let touring = touring.clone();
    // One callback for the app's whole life, so that memoised children see equal props.
    (*use_memo((), move |_| {
        Callback::from(move |action: Action| {
            // While a tour is open the page shows the simulation, live or not.
            let Some(token) = token.clone().filter(|_| !*touring.borrow()) else {
                dispatcher.dispatch(action);
                return;
            };
            let (picture, following) = shown.borrow().clone();
            match live::translate(action, picture.as_deref(), following) {
                live::LiveMove::Send(command) => {
                    let notice = notice.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(why) = live::send(&token, &command).await {
                            notice.set(Some(format!("That was not done: {why}.")));
                        }
                    });
                }
                live::LiveMove::Console(line) => {
                    let console = console.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        console.dispatch(live::type_line(&token, &line).await);
                    });
                }
                live::LiveMove::Timeline(step) => seen.dispatch(step),
                live::LiveMove::None => {}
            }
        })
    }))
    .clone()
}

/// A live picture with only the narrated events `filter` admits (the bridge sends the story).
fn filtered(picture: &Picture, filter: &EventFilter) -> Picture {
    Picture {
        events: picture
            .events
            .iter()
            .filter(|e| filter.admits(e.strand, &e.actors))
            .take(filter.limit)
            .cloned()
            .collect(),
        ..picture.clone()
    }
}

/// What a live page says when something it watches is gone: the stream from the bridge (it
/// reconnects, keeping what was seen), or every ZooKeeper server.
fn live_banners(trouble: Option<&str>, picture: &Picture) -> Html {
    let no_server = !picture.servers.is_empty() && picture.servers.iter().all(|s| !s.is_up());
    html! {
        <>
            if let Some(trouble) = trouble {
                <p class="notice" role="alert" data-connection-lost="">
                    { format!("{trouble} Reconnecting… (what was seen stays on the timeline)") }
                </p>
            }
            if no_server {
                <p class="notice" role="alert" data-zookeeper-lost="">
                    { "No ZooKeeper server answers: the processes cannot reach the ensemble until one is back." }
                </p>
            }
        </>
    }
}

/// A live page before its first picture: what it waits for, or why nothing comes.
fn waiting(trouble: Option<&str>) -> Html {
    html! {
        <div class="app">
            <header class="top">
                <h1>{ "Zooscope" }</h1>
                <span class="source live" data-source="live">{ "live" }</span>
            </header>
            <p class="notice" role="status" data-waiting="">
                { trouble.unwrap_or("Waiting for the first picture from zooscope live…") }
            </p>
        </div>
    }
}

/// The page.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let (state, broken_link) = use_opened_run(props.processes);
    let token = (*use_memo((), |_| live::linked_token())).clone();
    let live = token.is_some();
    let seen = live::use_live_feed(token.clone());
    let run = state.handle();
    let notice = use_notice(&run, broken_link);
    let live_console = use_reducer(live::LiveConsole::default);
    let touring = use_mut_ref(|| false);
    let dispatch = use_dispatch(&state, token, &seen, &notice, &live_console, &touring);
    // A tour's steps set the simulation, also on a live page.
    let lecture = {
        let dispatcher = state.dispatcher();
        use_lecture(Callback::from(move |action: Action| {
            dispatcher.dispatch(action)
        }))
    };
    let on_lecture = {
        let lecture = lecture.dispatcher();
        Callback::from(move |action: LectureAction| lecture.dispatch(action))
    };
    let page = use_reducer(|| Page {
        presenter: fragment().starts_with("#tour=") && fragment().ends_with("&presenter"),
        ..Page::default()
    });
    let on_page = {
        let page = page.dispatcher();
        Callback::from(move |action: PageAction| page.dispatch(action))
    };
    let pause_seconds = use_state(|| 5u32);
    let highlighted = use_state(Vec::<Endpoint>::new);
    // The process under the pointer, in the picture or on its card, or whose card has focus:
    // the picture labels it however small its node is. One callback for every card, so that
    // a card whose process did not change is not drawn again.
    let spotlight = use_state_eq(|| None::<ProcessId>);
    let on_spot = use_callback(spotlight.setter(), |who: Option<ProcessId>, set| {
        set.set(who)
    });
    let filter = use_state(EventFilter::default);
    let lens = use_state(Lens::default);
    let spot = use_state(|| None::<Spot>);
    use_tour_diagram(&lecture, &on_page, &lens, &spot);
    *touring.borrow_mut() = lecture.lecture.at.is_some();

    // A tour's step (`#tour=N`) opens paused at the moment its narration describes; a live
    // page plays no simulation.
    hooks::use_animation_clock(
        dispatch.clone(),
        props.autoplay && lecture.lecture.at.is_none() && !live,
    );
    hooks::use_shortcuts(Shortcuts {
        run: dispatch.clone(),
        lecture: on_lecture.clone(),
        page: on_page.clone(),
        touring,
    });
    let link_too_big = hooks::use_link_sync(run.clone(), !live);
    let plotted = use_plot_data(&run, page.plots && !live);
    // Frame timing for the browser benchmark: this runs after every render.
    {
        let events = run.with(|r| r.sim().stats().events);
        use_effect(move || crate::perf::frame_rendered(crate::perf::now(), events));
    }
    // One picture per render, which every component draws from: the simulation's, or the
    // newest (or chosen) one seen live.
    let simulated: Rc<Picture> = use_memo((run.clone(), (*filter).clone()), |(run, filter)| {
        crate::perf::timed(crate::perf::Phase::Picture, || {
            run.with(|r| r.picture(filter))
        })
    });
    // A guided tour replays the simulation, also on a live page, while it is open.
    let touring_now = lecture.lecture.at.is_some();
    let zoo_cfg_open = lecture
        .lecture
        .at
        .and_then(|(t, s)| lecture.tours.get(t)?.steps.get(s))
        .is_some_and(|step| step.zoo_cfg);
    let (picture, playback) = if live && !touring_now {
        let shown = seen.current().map(|p| Rc::new(filtered(&p, &filter)));
        (shown, seen.playback())
    } else {
        (
            Some(simulated.clone()),
            run.with(crate::model::Run::playback),
        )
    };
    // The diagram draws the simulation's trace: a live ensemble's messages are not seen.
    let diagram = use_diagram(
        &run,
        &simulated,
        &lens,
        page.diagram && (!live || touring_now),
    );
    let Some(picture) = picture else {
        return waiting(seen.trouble.as_deref());
    };
    let (output, prompt, binding) = if live && !touring_now {
        let c = &*live_console;
        (c.transcript.clone(), c.prompt.clone(), Binding::Own)
    } else {
        run.console(|c| (c.transcript(), c.prompt(), c.binding()))
    };
    let export = {
        let run = run.clone();
        Callback::from(move |()| run.with(|r| share::to_file(&r.recording())))
    };
    let on_tours = on_lecture.reform(|()| LectureAction::Pick);
    let close = on_page.reform(|()| PageAction::Close);
    let on_dismiss = {
        let notice = notice.clone();
        Callback::from(move |_: MouseEvent| notice.set(None))
    };
    let on_pick = {
        let (highlighted, spot) = (highlighted.clone(), spot.clone());
        Callback::from(move |(seq, actors): (u64, Vec<Endpoint>)| {
            highlighted.set(actors);
            spot.set(Some(Spot::Event(seq)));
        })
    };
    let space_time = page.diagram.then(|| {
        html! {
            <SpaceTime diagram={diagram.clone()} picture={picture.clone()} lens={(*lens).clone()}
                       on_lens={setter(&lens)} {playback} dispatch={dispatch.clone()}
                       spot={(*spot).clone()} on_spot={setter(&spot)}
                       on_highlight={setter(&highlighted)}
                       on_close={on_page.reform(|()| PageAction::HideDiagram)}
                       on_error={setter(&notice).reform(Some)} />
        }
    });
    let event_log = html! {
        <EventLog picture={picture.clone()} filter={(*filter).clone()}
                  on_filter={setter(&filter)} on_highlight={on_pick} />
    };
    let processes = picture
        .processes
        .iter()
        .filter(|p| p.kind != ProcessKind::Console)
        .count();

    html! {
        <div class={classes!("app", page.presenter.then_some("presenter"))}>
            <Header source={picture.source.clone()} {playback} recipe={picture.recipe} {processes}
                    dispatch={dispatch.clone()} page={on_page} {on_tours}
                    presenter={page.presenter} diagram={page.diagram} {export} on_error={setter(&notice).reform(Some)}
                    {link_too_big} pause_seconds={*pause_seconds}
                    on_pause_seconds={setter(&pause_seconds)} />
            if let Some(message) = (*notice).clone() {
                <p class="notice" role="alert" data-error="">
                    { message }
                    <button type="button" data-action="dismiss" onclick={on_dismiss}
                            aria-label="Dismiss">{ "×" }</button>
                </p>
            }
            if live && !touring_now {
                { live_banners(seen.trouble.as_deref(), &picture) }
            }
            if let Some(split) = &picture.split_brain {
                <p class="split-brain" role="status" data-split-brain="">
                    { split.describe() }
                </p>
            }
            <p class="sr-only" aria-live="assertive" data-announce="">
                { picture.headline.clone().unwrap_or_default() }
            </p>
            <main class={classes!("stage", page.diagram.then_some("with-diagram"))}>
                <section class="view" aria-label="The cluster">
                    <ClusterView picture={picture.clone()} highlighted={(*highlighted).clone()}
                                 text_px={if page.presenter { PRESENTER_TEXT_PX } else { TEXT_PX }}
                                 spotlight={*spotlight} on_spot={on_spot.clone()} />
                    <Timeline {playback} dispatch={dispatch.clone()} />
                </section>
                { for space_time }
                <aside class="side">
                    <Actors picture={picture.clone()} dispatch={dispatch.clone()} pause_seconds={*pause_seconds}
                            {on_spot} />
                    <ZooCfgPanel picture={picture.clone()} open={zoo_cfg_open} />
                    <ZnodePanel picture={picture.clone()} />
                </aside>
                <div class={classes!("bottom", touring_now.then_some("touring"))}>
                    if touring_now {
                        <TourPanel state={(*lecture).clone()} dispatch={on_lecture.clone()} />
                    } else if page.presenter {
                        <details class="folded-log">
                            <summary>{ "Event log" }</summary>
                            { event_log }
                        </details>
                    } else {
                        { event_log }
                    }
                    <Console {output} {prompt} {binding} picture={picture.clone()} {dispatch}
                             bindable={!live || touring_now} />
                </div>
            </main>
            if page.help {
                <Help on_close={close.clone()} />
            }
            if let Some((history, sweep)) = plotted {
                <Plots {history} {sweep} on_close={close} />
            }
            if !touring_now {
                // The list of tours, when it is open.
                <TourPanel state={(*lecture).clone()} dispatch={on_lecture} />
            }
        </div>
    }
}
