//! The page's header: the name, where the picture comes from (the simulation, or a live
//! ensemble), the control bar, sharing, and the buttons for tours, plots, the space-time
//! diagram and presenter mode.
//!
//! Imports from the page `components`, `hooks`, `model`, `state`; from the core `picture`,
//! `recipe`.

use crate::components::controls::Controls;
use crate::components::share::Share;
use crate::model::Playback;
use crate::state::page::PageAction;
use crate::state::Action;
use yew::prelude::*;
use zooscope_core::picture::Source;
use zooscope_core::recipe::RecipeKind;

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Where the picture comes from.
    pub source: Source,
    /// How the run is being played.
    pub playback: Playback,
    /// The recipe the processes run.
    pub recipe: Option<RecipeKind>,
    /// How many processes there are.
    pub processes: usize,
    /// Changes to the run.
    pub dispatch: Callback<Action>,
    /// Overlays and presenter mode.
    pub page: Callback<PageAction>,
    /// Opens the list of tours.
    pub on_tours: Callback<()>,
    /// Whether presenter mode is on.
    pub presenter: bool,
    /// Whether the space-time diagram is open.
    pub diagram: bool,
    /// The current run as a file's text.
    pub export: Callback<(), String>,
    /// Reports what went wrong.
    pub on_error: Callback<String>,
    /// The run's link would be this long, past what a link may hold.
    pub link_too_big: Option<usize>,
    /// How long the pause buttons pause a process, in seconds.
    pub pause_seconds: u32,
    /// Changes it.
    pub on_pause_seconds: Callback<u32>,
}

/// What the badge beside the name says: which cluster this is, unmistakably.
fn source_badge(source: &Source) -> Html {
    match source {
        Source::Simulation => html! {
            <span class="source simulation" data-source="simulation"
                  title="Zooscope's own deterministic simulation, running in this page">
                { "simulation" }
            </span>
        },
        Source::Live { ensemble, .. } => html! {
            <span class="source live" data-source="live"
                  title="A real ZooKeeper ensemble, as it is now">
                { format!("live · {ensemble}") }
            </span>
        },
    }
}

/// The header.
#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let page = |action: PageAction| {
        let cb = props.page.clone();
        Callback::from(move |_: MouseEvent| cb.emit(action))
    };
    let on_help = {
        let cb = props.page.clone();
        Callback::from(move |()| cb.emit(PageAction::Help))
    };
    let on_tours = {
        let cb = props.on_tours.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let live = matches!(props.source, Source::Live { .. });
    html! {
        <header class="top">
            <h1>{ "Zooscope" }</h1>
            { source_badge(&props.source) }
            <p class="tagline">{ "ZooKeeper leader election you can watch, break and replay" }</p>
            <Controls playback={props.playback} recipe={props.recipe} processes={props.processes}
                      dispatch={props.dispatch.clone()} {on_help} {live}
                      pause_seconds={props.pause_seconds} on_pause_seconds={props.on_pause_seconds.clone()} />
            // A live session is the real thing: it is not shared as a run, and its plots are
            // the simulation's.
            if !live {
                <Share export={props.export.clone()} dispatch={props.dispatch.clone()}
                       on_error={props.on_error.clone()} link_too_big={props.link_too_big} />
            }
            <button type="button" data-action="tours" onclick={on_tours}
                    title="Guided tours of the lecture (t)">{ "tours" }</button>
            if !live {
                <button type="button" data-action="plots" onclick={page(PageAction::Plots)}
                        title="Plots (p)">{ "plots" }</button>
            }
            <button type="button" data-action="spacetime" onclick={page(PageAction::Diagram)}
                    aria-pressed={props.diagram.to_string()}
                    title="Space-time diagram: every message as an arrow, in order (s)">{ "diagram" }</button>
            <button type="button" data-action="presenter" onclick={page(PageAction::Presenter)}
                    aria-pressed={props.presenter.to_string()}
                    title="Presenter mode: larger text for a projector (f)">{ "presenter" }</button>
        </header>
    }
}
