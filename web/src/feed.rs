//! Where the page's pictures come from, behind one interface: the simulation run in the page,
//! a live ensemble seen through `zooscope live`, or a guided tour's recorded run (shown in the
//! simulation, also on a live page). The root reads the picture, the playback, the console
//! and what may be drawn from the [`Feed`], and sends every action to it; only here is it
//! decided which of them the page shows and where an action goes.
//!
//! Imports [`crate::live`], [`crate::model`]'s playback, console binding and diagram lens,
//! [`crate::simulation`], [`crate::state`]; from the core, the picture and the diagram.

use crate::live::{self, LiveMove};
use crate::model::console::Binding;
use crate::model::diagram::Lens;
use crate::model::{Playback, Sweep};
use crate::simulation::{self, Asks};
use crate::state::live_console::LiveConsole;
use crate::state::seen::Seen;
use crate::state::{Action, AppState};
use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::picture::{EventFilter, History, Picture};
use zooscope_core::spacetime::Diagram;

/// Which producer the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// The simulation, run in the page.
    Simulation,
    /// A real ensemble, watched live.
    Live,
    /// A guided tour's step: a recorded simulation, paused at its moment.
    Tour,
}

/// What the console under the picture shows, and whether it may speak through another
/// process's session (only a simulated process's).
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleView {
    /// Everything printed.
    pub output: Rc<str>,
    /// The prompt before the next line.
    pub prompt: String,
    /// Whose session it speaks through.
    pub binding: Binding,
    /// Whether it may be bound to another process.
    pub bindable: bool,
}

/// The page's source of pictures and where its actions go.
#[derive(Clone)]
pub struct Feed {
    /// Which producer it is.
    pub kind: FeedKind,
    /// The picture to draw; `None` until a live page's first picture arrives.
    pub picture: Option<Rc<Picture>>,
    /// The timeline's state.
    pub playback: Playback,
    /// The console.
    pub console: ConsoleView,
    /// Why the live stream is not coming, if it is not.
    pub trouble: Option<String>,
    /// Where actions go.
    pub dispatch: Callback<Action>,
    /// The space-time diagram, while the panel is open and the messages were seen (a live
    /// ensemble's travel inside its servers and clients, where Zooscope does not see them).
    pub diagram: Option<Rc<Diagram>>,
    /// The history and the recipes' sweep, while the plots are open — not on a live page
    /// (they measure the simulation).
    pub plotted: Option<(Rc<History>, Rc<Sweep>)>,
    /// The simulated run as a file's text (a live page exports its tour's or default run).
    pub export: Callback<(), String>,
    /// The size a link to the run would have, when it is too big for one.
    pub link_too_big: Option<usize>,
}

/// What the page has open that a feed draws for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    /// The space-time diagram.
    pub diagram: bool,
    /// The plots.
    pub plots: bool,
}

impl Feed {
    /// Whether the animation clock plays it (a tour's step is paused; a live one plays
    /// itself).
    pub fn animates(&self) -> bool {
        self.kind == FeedKind::Simulation
    }

    /// What a live page says when something it watches is gone: the stream from the bridge
    /// (it reconnects, keeping what was seen), or every ZooKeeper server.
    pub fn banners(&self) -> Html {
        let Some(picture) = self
            .picture
            .as_ref()
            .filter(|_| self.kind == FeedKind::Live)
        else {
            return Html::default();
        };
        let no_server = !picture.servers.is_empty() && picture.servers.iter().all(|s| !s.is_up());
        html! {
            <>
                if let Some(trouble) = &self.trouble {
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
    pub fn waiting(&self) -> Html {
        html! {
            <div class="app">
                <header class="top">
                    <h1>{ "Zooscope" }</h1>
                    <span class="source live" data-source="live">{ "live" }</span>
                </header>
                <p class="notice" role="status" data-waiting="">
                    { self.trouble.as_deref().unwrap_or("Waiting for the first picture from zooscope live…") }
                </p>
            </div>
        }
    }
}

/// The feed the page shows: the live one on a page opened from the address `zooscope live`
/// printed (`#live=<token>`), unless a tour is open; else the simulation (a tour's step when
/// `touring`). `filter` chooses the narrated events, `lens` the diagram's span; `open` says
/// what else the page draws.
#[hook]
pub fn use_feed(
    state: &UseReducerHandle<AppState>,
    touring: bool,
    filter: &EventFilter,
    lens: &Lens,
    open: Open,
) -> Feed {
    let token = (*use_memo((), |_| live::linked_token())).clone();
    let seen = live::use_live_feed(token.clone());
    let live_console = use_reducer(LiveConsole::default);
    let kind = match (token.is_some(), touring) {
        (_, true) => FeedKind::Tour,
        (true, false) => FeedKind::Live,
        (false, false) => FeedKind::Simulation,
    };
    let dispatch = use_dispatch(state, token.clone(), kind, &seen, &live_console);
    let asks = Asks {
        diagram: open.diagram && kind != FeedKind::Live,
        plots: open.plots && token.is_none(),
        link: token.is_none(),
    };
    let simulated = simulation::use_simulation(state, filter, lens, asks);
    let (picture, playback, console) = match kind {
        FeedKind::Live => (
            seen.current().map(|p| Rc::new(filtered(&p, filter))),
            seen.playback(),
            ConsoleView {
                output: live_console.transcript.clone(),
                prompt: live_console.prompt.clone(),
                binding: Binding::Own,
                bindable: false,
            },
        ),
        FeedKind::Simulation | FeedKind::Tour => {
            let (output, prompt, binding) = simulated.console;
            (
                Some(simulated.picture.clone()),
                simulated.playback,
                ConsoleView {
                    output,
                    prompt,
                    binding,
                    bindable: true,
                },
            )
        }
    };
    Feed {
        kind,
        picture,
        playback,
        console,
        trouble: seen.trouble.clone().filter(|_| kind == FeedKind::Live),
        dispatch,
        diagram: simulated.diagram,
        plotted: simulated.plotted,
        export: simulated.export,
        link_too_big: simulated.link_too_big,
    }
}

/// Where the page's actions go for a feed of `kind`: the reducer, or — live — the bridge
/// (actions), its zkCli (console lines) and the timeline of what was seen. A live action is
/// about the picture shown when it is taken; what the bridge refuses, or what a real cluster
/// does not take, is told through the reducer's notice.
#[hook]
fn use_dispatch(
    state: &UseReducerHandle<AppState>,
    token: Option<String>,
    kind: FeedKind,
    seen: &UseReducerHandle<Seen>,
    console: &UseReducerHandle<LiveConsole>,
) -> Callback<Action> {
    // What a live action is about: the picture shown now, and whether the view follows.
    let shown = use_mut_ref(|| (None::<Rc<Picture>>, true));
    *shown.borrow_mut() = (seen.current(), seen.playback().playing);
    let dispatcher = state.dispatcher();
    let seen = seen.dispatcher();
    let console = console.dispatcher();
    // One callback per kind of feed, so that memoised children see equal props.
    (*use_memo(kind, move |kind| {
        let live_token = token.filter(|_| *kind == FeedKind::Live);
        Callback::from(move |action: Action| {
            let Some(token) = live_token.clone() else {
                dispatcher.dispatch(action);
                return;
            };
            let (picture, following) = shown.borrow().clone();
            match live::translate(action, picture.as_deref(), following) {
                LiveMove::Send(action) => {
                    let dispatcher = dispatcher.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(why) = live::send(&token, &action).await {
                            let told = format!("That was not done: {why}.");
                            dispatcher.dispatch(Action::Notice(Some(told)));
                        }
                    });
                }
                LiveMove::Refuse(why) => {
                    let told = format!("That is not done live: {why}.");
                    dispatcher.dispatch(Action::Notice(Some(told)));
                }
                LiveMove::Console(line) => {
                    let console = console.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        console.dispatch(live::type_line(&token, &line).await);
                    });
                }
                LiveMove::Timeline(step) => seen.dispatch(step),
                LiveMove::None => {}
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
