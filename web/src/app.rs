//! The root component: the whole cluster, drawn from one [`Feed`] — the simulation run in
//! the page, a live ensemble, or a tour's step; the root does not know which. It holds the app
//! state (the run and its console, through the reducer, opened by [`crate::simulation`]) and
//! the page's own state (overlays, the space-time diagram's choices, presenter mode), and hands
//! down what the feed gives: the picture, the diagram, the plots, the console.
//!
//! Imports from the page `components`, `feed`, `hooks`, `model`'s diagram lens, `simulation`'s
//! opened run, `state`; from the core `ids`, `picture`.

use crate::components::actors::Actors;
use crate::components::cluster_view::{ClusterView, PRESENTER_TEXT_PX, TEXT_PX};
use crate::components::console::Console;
use crate::components::event_log::EventLog;
use crate::components::header::Header;
use crate::components::help::Help;
use crate::components::plots::Plots;
use crate::components::spacetime::SpaceTime;
use crate::components::timeline::Timeline;
use crate::components::tour::TourPanel;
use crate::components::znode_tree::ZnodePanel;
use crate::components::zoo_cfg::ZooCfgPanel;
use crate::feed::{use_feed, Feed, Open};
use crate::hooks::{self, Shortcuts};
use crate::model::diagram::{Lens, Spot};
use crate::state::lecture::{Lecture, LectureAction, LectureState};
use crate::state::page::{Page, PageAction};
use crate::state::Action;
use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::ids::{Endpoint, ProcessId, SimTime};
use zooscope_core::picture::{EventFilter, ProcessKind};

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

/// The tour and step a `#tour=N` link opens (at its key step: for screenshots and links);
/// `#tour=N&presenter` opens it in presenter mode.
fn linked_tour(tours: &[crate::tours::Tour]) -> Option<(usize, usize)> {
    let hash = hooks::fragment();
    let n = hash
        .strip_prefix("#tour=")?
        .split('&')
        .next()?
        .parse::<usize>()
        .ok()?;
    let tour = tours.get(n.checked_sub(1)?)?;
    Some((n - 1, tour.key_step))
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

/// A callback that sets `state` to what it is given.
fn setter<T: 'static>(state: &UseStateHandle<T>) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |value: T| state.set(value))
}

/// The page.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = crate::simulation::use_opened_run(props.processes);
    // A tour's steps set the simulation, whatever the page was opened on.
    let lecture = {
        let dispatcher = state.dispatcher();
        use_lecture(Callback::from(move |action: Action| {
            dispatcher.dispatch(action)
        }))
    };
    // Callbacks made once, so that what holds them (the keyboard's listener) stays put.
    let on_lecture = {
        let lecture = lecture.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |action: LectureAction| lecture.dispatch(action))
        }))
        .clone()
    };
    let tour_step = lecture
        .lecture
        .at
        .and_then(|(t, s)| lecture.tours.get(t)?.steps.get(s));
    let page = use_reducer(|| Page {
        presenter: hooks::fragment().starts_with("#tour=")
            && hooks::fragment().ends_with("&presenter"),
        ..Page::default()
    });
    let on_page = {
        let page = page.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |action: PageAction| page.dispatch(action))
        }))
        .clone()
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
    let open = Open {
        diagram: page.diagram,
        plots: page.plots,
    };
    let feed: Feed = use_feed(&state, tour_step.is_some(), &filter, &lens, open);
    let dispatch = feed.dispatch.clone();
    let tell = {
        let dispatcher = state.dispatcher();
        Callback::from(move |told: String| dispatcher.dispatch(Action::Notice(Some(told))))
    };
    hooks::use_animation_clock(dispatch.clone(), props.autoplay && feed.animates());
    hooks::use_shortcuts(Shortcuts {
        run: dispatch.clone(),
        lecture: on_lecture.clone(),
        page: on_page.clone(),
        stepping_a_tour: tour_step.is_some(),
    });
    let zoo_cfg_open = tour_step.is_some_and(|step| step.zoo_cfg);
    let (diagram, plotted) = (feed.diagram.clone(), feed.plotted.clone());
    let (export, link_too_big) = (feed.export.clone(), feed.link_too_big);
    let Some(picture) = feed.picture.clone() else {
        return feed.waiting();
    };
    let playback = feed.playback;
    let console = feed.console.clone();
    let on_tours = on_lecture.reform(|()| LectureAction::Pick);
    let close = on_page.reform(|()| PageAction::Close);
    let on_dismiss = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Notice(None)))
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
                       on_error={tell.clone()} />
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
    // The tour's panel takes the event log's place while a step is shown; the list of tours
    // is an overlay otherwise.
    let stepping = tour_step.is_some();

    html! {
        <div class={classes!("app", page.presenter.then_some("presenter"))}>
            <Header source={picture.source.clone()} {playback} recipe={picture.recipe} {processes}
                    dispatch={dispatch.clone()} page={on_page} {on_tours}
                    presenter={page.presenter} diagram={page.diagram} {export} on_error={tell}
                    {link_too_big} pause_seconds={*pause_seconds}
                    on_pause_seconds={setter(&pause_seconds)} />
            if let Some(message) = state.notice() {
                <p class="notice" role="alert" data-error="">
                    { message }
                    <button type="button" data-action="dismiss" onclick={on_dismiss}
                            aria-label="Dismiss">{ "×" }</button>
                </p>
            }
            { feed.banners() }
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
                <div class={classes!("bottom", stepping.then_some("touring"))}>
                    if stepping {
                        <TourPanel state={(*lecture).clone()} dispatch={on_lecture.clone()} />
                    } else if page.presenter {
                        <details class="folded-log">
                            <summary>{ "Event log" }</summary>
                            { event_log }
                        </details>
                    } else {
                        { event_log }
                    }
                    <Console output={console.output} prompt={console.prompt} binding={console.binding}
                             picture={picture.clone()} {dispatch} bindable={console.bindable} />
                </div>
            </main>
            if page.help {
                <Help on_close={close.clone()} />
            }
            if let Some((history, sweep)) = plotted {
                <Plots {history} {sweep} on_close={close} />
            }
            if !stepping {
                <TourPanel state={(*lecture).clone()} dispatch={on_lecture} />
            }
        </div>
    }
}
