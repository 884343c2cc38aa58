//! The event log: the trace's narrations, newest first, filterable by kind and by actor;
//! clicking an entry highlights its actors in the picture and its arrows in the space-time
//! diagram.
//!
//! Imports from the core `actor`, `ids`, `picture`.

use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use zooscope_core::actor::trace::Strand;
use zooscope_core::ids::Endpoint;
use zooscope_core::picture::{EventFilter, Picture};

/// Props of [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// The picture, whose events are the ones `filter` asked for.
    pub picture: Rc<Picture>,
    /// Which events are shown.
    pub filter: EventFilter,
    /// Called with the filter the user chose.
    pub on_filter: Callback<EventFilter>,
    /// Called with an entry's trace position and actors when it is clicked.
    pub on_highlight: Callback<(u64, Vec<Endpoint>)>,
}

/// The strand the filter menu names `value`.
fn strand(value: &str) -> Option<Strand> {
    match value {
        "messages" => Some(Strand::Message),
        "timers" => Some(Strand::Timer),
        "all" => None,
        _ => Some(Strand::Story),
    }
}

/// The event log.
#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let on_filter = {
        let (filter, cb) = (props.filter.clone(), props.on_filter.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                cb.emit(EventFilter {
                    strand: strand(&select.value()),
                    ..filter.clone()
                });
            }
        })
    };
    let on_actor = {
        let (filter, cb) = (props.filter.clone(), props.on_filter.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let actor = input.value().trim().to_owned();
                cb.emit(EventFilter {
                    actor: (!actor.is_empty()).then_some(actor),
                    ..filter.clone()
                });
            }
        })
    };
    let entries: Html = props
        .picture
        .events
        .iter()
        .map(|e| {
            let (seq, actors) = (e.seq, e.actors.clone());
            let on_highlight = props.on_highlight.clone();
            let onclick =
                Callback::from(move |_: MouseEvent| on_highlight.emit((seq, actors.clone())));
            html! {
                <li data-event={e.seq.to_string()}>
                    <button type="button" class="event" {onclick}>
                        <span class="event-time">{ format!("{:.3}s", e.time.secs()) }</span>
                        { e.text.clone() }
                    </button>
                </li>
            }
        })
        .collect();
    let chosen = props.filter.strand;
    let wanted = props.filter.actor.clone().unwrap_or_default();
    html! {
        <section class="panel event-log" aria-labelledby="log-title">
            <div class="panel-head">
                <h2 id="log-title">{ "Event log" }</h2>
                <select data-control="log-filter" onchange={on_filter} aria-label="Which events">
                    <option value="story" selected={chosen == Some(Strand::Story)}>{ "the story" }</option>
                    <option value="messages" selected={chosen == Some(Strand::Message)}>{ "messages" }</option>
                    <option value="timers" selected={chosen == Some(Strand::Timer)}>{ "timers" }</option>
                    <option value="all" selected={chosen.is_none()}>{ "everything" }</option>
                </select>
                <input type="search" data-control="log-actor" placeholder="actor, e.g. p3 or zk1"
                       value={wanted} oninput={on_actor} aria-label="Only events of this actor" />
            </div>
            <ol class="events" reversed=true>{ entries }</ol>
        </section>
    }
}
