//! The event log: the trace's narrations, newest first, filterable by kind and by actor;
//! clicking an entry highlights its actors in the picture.

use crate::state::RunHandle;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use zooscope_core::actor::trace::{Strand, TraceEvent};
use zooscope_core::ids::Endpoint;

/// How many entries the log shows at most.
const SHOWN: usize = 150;
/// How many of the newest events a frame looks through for them (an actor filter that
/// matches little must not make every frame read the whole window).
const SCANNED: usize = 20_000;

/// Which entries to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// What a student follows: roles, commits, watch events, sessions, faults, rejected writes.
    Story,
    /// Messages sent, delivered, lost, or arriving on a closed connection.
    Messages,
    /// Timers.
    Timers,
    /// Everything.
    All,
}

impl Filter {
    fn admits(self, e: &TraceEvent) -> bool {
        match self {
            Filter::Story => e.kind.strand() == Strand::Story,
            Filter::Messages => e.kind.strand() == Strand::Message,
            Filter::Timers => e.kind.strand() == Strand::Timer,
            Filter::All => true,
        }
    }
}

/// Props of [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// The run.
    pub run: RunHandle,
    /// Called with an entry's actors when it is clicked.
    pub on_highlight: Callback<Vec<Endpoint>>,
}

/// The event log.
#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let filter = use_state(|| Filter::Story);
    let actor = use_state(String::new);
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                filter.set(match select.value().as_str() {
                    "messages" => Filter::Messages,
                    "timers" => Filter::Timers,
                    "all" => Filter::All,
                    _ => Filter::Story,
                });
            }
        })
    };
    let on_actor = {
        let actor = actor.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                actor.set(input.value().trim().to_owned());
            }
        })
    };
    let wanted = (*actor).clone();
    let entries: Html = props.run.with(|run| {
        // The story is kept apart from the heartbeats (it would be pushed out of the window
        // of recent events by a quiet cluster's pings within minutes).
        let events = match *filter {
            Filter::Story => run.sim().story(),
            _ => run.sim().trace(),
        };
        events
            .iter()
            .rev()
            .take(SCANNED)
            .filter(|e| filter.admits(e))
            .filter(|e| wanted.is_empty() || e.actors.iter().any(|a| a.to_string() == wanted))
            .take(SHOWN)
            .map(|e| {
                let actors = e.actors.clone();
                let on_highlight = props.on_highlight.clone();
                let onclick = Callback::from(move |_: MouseEvent| on_highlight.emit(actors.clone()));
                html! {
                    <li data-event={e.seq.to_string()}>
                        <button type="button" class="event" {onclick}>
                            <span class="event-time">{ format!("{:.3}s", e.time as f64 / 1000.0) }</span>
                            { e.narrate() }
                        </button>
                    </li>
                }
            })
            .collect()
    });
    html! {
        <section class="panel event-log" aria-labelledby="log-title">
            <div class="panel-head">
                <h2 id="log-title">{ "Event log" }</h2>
                <select data-control="log-filter" onchange={on_filter} aria-label="Which events">
                    <option value="story" selected={*filter == Filter::Story}>{ "the story" }</option>
                    <option value="messages" selected={*filter == Filter::Messages}>{ "messages" }</option>
                    <option value="timers" selected={*filter == Filter::Timers}>{ "timers" }</option>
                    <option value="all" selected={*filter == Filter::All}>{ "everything" }</option>
                </select>
                <input type="search" data-control="log-actor" placeholder="actor, e.g. p3 or zk1"
                       value={wanted.clone()} oninput={on_actor} aria-label="Only events of this actor" />
            </div>
            <ol class="events" reversed=true>{ entries }</ol>
        </section>
    }
}
