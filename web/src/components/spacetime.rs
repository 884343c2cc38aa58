//! The space-time diagram panel: the drawing ([`crate::components::spacetime_svg`]) and what
//! the viewer does with it — zoom in time, choose lifelines, hide families of message,
//! collapse pings, point at or focus an arrow to read it, drag the line of the moment shown
//! (or move it with ↑ and ↓) to seek the run, export what is visible as SVG.
//!
//! While the line is dragged the panel holds the diagram it had when the drag began, so the
//! line moves over a still drawing while the picture follows; let go, and the diagram ends at
//! the moment chosen again.
//!
//! Imports from the page `components`, `model`, `state`; from the core `ids`, `picture`,
//! `spacetime`.

use crate::components::share::download;
use crate::components::spacetime_svg::{self as drawing, Drawing, Geometry, HEIGHT};
use crate::model::diagram::{actor_named, drawn, Lens, Spot, MAX_ARROWS, SPANS_MS};
use crate::model::Playback;
use crate::state::Action;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;
use zooscope_core::ids::{Endpoint, SimTime};
use zooscope_core::picture::Picture;
use zooscope_core::spacetime::family::{kind_id, Family};
use zooscope_core::spacetime::Diagram;

/// Props of [`SpaceTime`].
#[derive(Properties, PartialEq)]
pub struct SpaceTimeProps {
    /// The diagram of the span that ends at the moment shown; `None` on a live page, whose
    /// messages stay inside its servers.
    pub diagram: Option<Rc<Diagram>>,
    /// The picture (the actors a lifeline can be added for).
    pub picture: Rc<Picture>,
    /// The viewer's choices.
    pub lens: Lens,
    /// Called with the viewer's new choices.
    pub on_lens: Callback<Lens>,
    /// How the run is being played (the moment shown, the latest reached).
    pub playback: Playback,
    /// Where seeking goes.
    pub dispatch: Callback<Action>,
    /// What is highlighted.
    pub spot: Option<Spot>,
    /// Called with what the viewer picked to highlight.
    pub on_spot: Callback<Option<Spot>>,
    /// Called with a picked message's two actors, for the picture to highlight.
    pub on_highlight: Callback<Vec<Endpoint>>,
    /// Closes the panel.
    pub on_close: Callback<()>,
    /// Reports what went wrong.
    pub on_error: Callback<String>,
}

/// The trace position an arrow's element (or one inside it) carries.
fn seq_of(target: Option<web_sys::EventTarget>) -> Option<u64> {
    let element: Element = target?.dyn_into().ok()?;
    element
        .closest("[data-seq]")
        .ok()??
        .get_attribute("data-seq")?
        .parse()
        .ok()
}

/// Whether `target` is the now line or inside it.
fn on_now_line(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest(".now").ok().flatten())
        .is_some()
}

/// The moment at the pointer's height over the drawing `svg` of `diagram`, `span` ms tall.
fn time_at_pointer(
    svg: &NodeRef,
    (diagram, span): (&Diagram, u64),
    e: &PointerEvent,
) -> Option<SimTime> {
    let rect = svg.cast::<Element>()?.get_bounding_client_rect();
    let geometry = Geometry::of(diagram, span);
    // The drawing fits its box, keeping its proportions, from its top left corner.
    let scale = (HEIGHT / rect.height().max(1.0)).max(geometry.width() / rect.width().max(1.0));
    let y = (f64::from(e.client_y()) - rect.top()) * scale;
    let t = geometry.time_at(y);
    Some(t.clamp(diagram.from, diagram.to))
}

/// The panel.
#[function_component(SpaceTime)]
pub fn space_time(props: &SpaceTimeProps) -> Html {
    let svg = use_node_ref();
    // The diagram held while the now line is dragged.
    let held = use_state(|| None::<Rc<Diagram>>);
    let hover = use_state_eq(|| None::<u64>);
    let focus = use_state_eq(|| None::<u64>);
    let saved = use_state_eq(|| None::<String>);
    let Some(live_diagram) = props.diagram.clone() else {
        return html! {
            <section class="panel spacetime" data-panel="spacetime" aria-labelledby="spacetime-title">
                { head(props, None) }
                <p class="hint">{ "The diagram draws the simulation's messages. A live ensemble's \
                                   messages travel inside its servers, where Zooscope does not see \
                                   them; open a tour to draw the simulation." }</p>
            </section>
        };
    };
    let diagram = (*held).clone().unwrap_or(live_diagram);
    let span = props.lens.span();
    let Playback { now, horizon, .. } = props.playback;
    let seek = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |t: SimTime| dispatch.emit(Action::Seek(t.min(horizon))))
    };

    // The now line: dragged anywhere on the drawing but an arrow (a finger only from the line
    // itself: elsewhere it scrolls, as on the rest of the page), or moved with the keys.
    let on_down = {
        let (svg, held, seek, diagram) = (svg.clone(), held.clone(), seek.clone(), diagram.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 || seq_of(e.target()).is_some() {
                return;
            }
            if e.pointer_type() == "touch" && !on_now_line(e.target()) {
                return;
            }
            if let Some(element) = svg.cast::<Element>() {
                // Without capture the drag still works while the pointer stays on the drawing.
                let _ = element.set_pointer_capture(e.pointer_id());
            }
            if let Some(t) = time_at_pointer(&svg, (&diagram, span), &e) {
                seek.emit(t);
            }
            held.set(Some(diagram.clone()));
        })
    };
    let on_move = {
        let (svg, held, seek) = (svg.clone(), held.clone(), seek.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some(diagram) = &*held {
                if let Some(t) = time_at_pointer(&svg, (diagram, span), &e) {
                    seek.emit(t);
                }
            }
        })
    };
    let on_up = {
        let held = held.clone();
        Callback::from(move |_: PointerEvent| held.set(None))
    };
    let on_now_key = {
        let (seek, start) = (seek.clone(), diagram.from);
        Callback::from(move |e: KeyboardEvent| {
            let step = (span / 50).max(1);
            let to = match e.key().as_str() {
                "ArrowUp" => SimTime(now.ms().saturating_sub(step)),
                "ArrowDown" => now + step,
                "PageUp" => SimTime(now.ms().saturating_sub(span / 2)),
                "PageDown" => now + span / 2,
                "Home" => start,
                "End" => horizon,
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            seek.emit(to);
        })
    };

    // The arrows: pointed at, focused, moved between with ↑ and ↓, picked with a click or
    // Enter.
    let arrows = drawn(&diagram);
    let order: Rc<Vec<(u64, Endpoint, Endpoint)>> =
        Rc::new(arrows.iter().map(|a| (a.seq, a.from, a.to)).collect());
    let pick = {
        let (on_spot, on_highlight, order) = (
            props.on_spot.clone(),
            props.on_highlight.clone(),
            order.clone(),
        );
        Callback::from(move |seq: u64| {
            if let Some(&(_, from, to)) = order.iter().find(|(s, ..)| *s == seq) {
                on_spot.emit(Some(Spot::Event(seq)));
                on_highlight.emit(vec![from, to]);
            }
        })
    };
    let on_click = {
        let pick = pick.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(seq) = seq_of(e.target()) {
                pick.emit(seq);
            }
        })
    };
    let on_over = {
        let hover = hover.clone();
        Callback::from(move |e: MouseEvent| hover.set(seq_of(e.target())))
    };
    let on_out = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(None))
    };
    let on_focus = {
        let focus = focus.clone();
        Callback::from(move |e: FocusEvent| {
            if let Some(seq) = seq_of(e.target()) {
                focus.set(Some(seq));
            }
        })
    };
    let on_arrow_key = {
        let (svg, order) = (svg.clone(), order.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(seq) = seq_of(e.target()) else {
                return;
            };
            let at = order.iter().position(|(s, ..)| *s == seq);
            let next = match e.key().as_str() {
                "ArrowUp" => at.and_then(|i| i.checked_sub(1)),
                "ArrowDown" => at.map(|i| i + 1),
                "Enter" | " " => {
                    e.prevent_default();
                    e.stop_propagation();
                    pick.emit(seq);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            if let Some(element) = target_svg(&svg, next.and_then(|i| order.get(i))) {
                let _ = element.focus();
            }
        })
    };

    let now_line = {
        let geometry = Geometry::of(&diagram, span);
        let (y, width) = (geometry.height_of(now), geometry.width());
        html! {
            <g class="now" role="slider" tabindex="0" aria-orientation="vertical"
               aria-label="The moment shown: drag the line, or press the up and down arrows, to move through time"
               aria-valuemin="0" aria-valuemax={horizon.ms().to_string()}
               aria-valuenow={now.ms().to_string()} aria-valuetext={now.to_string()}
               data-control="spacetime-now" data-time={now.ms().to_string()}
               onkeydown={on_now_key}>
                <line class="now-line" x1="0" x2={format!("{width:.1}")} y1={format!("{y:.1}")}
                      y2={format!("{y:.1}")} />
                <rect class="now-handle" x="0" y={format!("{:.1}", y - 8.0)} width="52" height="16" rx="3" />
                <text x="4" y={format!("{:.1}", y + 4.0)}>{ format!("{:.3}", now.secs()) }</text>
            </g>
        }
    };
    let label = format!(
        "Space-time diagram of {} lifelines from {} to {}: {} messages",
        diagram.lifelines.len(),
        diagram.from,
        diagram.to,
        diagram.arrows.len()
    );
    let drawn = drawing::svg(
        &Drawing {
            diagram: &diagram,
            now,
            spot: props.spot.as_ref(),
            focus: *focus,
            span,
            label,
            node: svg.clone(),
        },
        now_line,
    );
    let shown = (*hover)
        .or(*focus)
        .or(match props.spot {
            Some(Spot::Event(seq)) => Some(seq),
            _ => None,
        })
        .and_then(|seq| {
            diagram
                .arrows
                .iter()
                .find(|a| a.seq == seq || a.arrival_seq == Some(seq))
        });
    let details = match shown {
        Some(a) => html! {
            <>
                <strong>{ format!("{} {} → {}", kind_id(a.kind), a.from, a.to) }</strong>
                { format!(": {} · sent at {}, {}", a.what, a.sent, drawing::fate(a)) }
                if a.repeats > 1 {
                    { format!(" · {} pings in a row, drawn as one", a.repeats) }
                }
                <br />
                <span class="narration">{ a.narration.clone() }</span>
            </>
        },
        None => {
            html! { { "Point at or focus an arrow to read its message; ↑ and ↓ move between arrows." } }
        }
    };
    let export = {
        let (svg, on_error, saved) = (svg.clone(), props.on_error.clone(), saved.clone());
        Callback::from(move |_: MouseEvent| {
            let name = format!("zooscope-diagram-{}ms.svg", now.ms());
            let text = svg.cast::<Element>().map(|e| svg_file(&e));
            match text.and_then(|t| download(&name, "image/svg+xml", &t).map(|()| t.len())) {
                Some(bytes) => {
                    saved.set(Some(format!("Saved {name} ({} KB).", bytes.div_ceil(1024))))
                }
                None => {
                    on_error.emit("The diagram could not be exported from this browser.".into())
                }
            }
        })
    };
    let notes = notes(&diagram);
    html! {
        <section class="panel spacetime" data-panel="spacetime" aria-labelledby="spacetime-title">
            { head(props, Some(export)) }
            { controls(props) }
            <div class="spacetime-scroll" onpointerdown={on_down} onpointermove={on_move}
                 onpointerup={on_up.clone()} onpointercancel={on_up}
                 onclick={on_click} onmouseover={on_over} onmouseleave={on_out}
                 onfocusin={on_focus} onkeydown={on_arrow_key}>
                { drawn }
            </div>
            <p class="spacetime-details" data-arrow-details="" aria-live="polite">{ details }</p>
            { for notes.into_iter().map(|n| html! { <p class="hint">{ n }</p> }) }
            if let Some(saved) = (*saved).clone() {
                <p class="hint" role="status" data-exported="">{ saved }</p>
            }
        </section>
    }
}

/// The drawing `svg` as an SVG file: its markup carries its styles and the namespace.
pub fn svg_file(svg: &Element) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        svg.outer_html()
    )
}

/// The drawing's element for the arrow of `entry`.
fn target_svg(
    svg: &NodeRef,
    entry: Option<&(u64, Endpoint, Endpoint)>,
) -> Option<web_sys::SvgElement> {
    let (seq, ..) = entry?;
    svg.cast::<Element>()?
        .query_selector(&format!(".arrow[data-seq='{seq}']"))
        .ok()??
        .dyn_into()
        .ok()
}

/// What the drawing leaves out, said.
fn notes(d: &Diagram) -> Vec<String> {
    let mut notes = Vec::new();
    if d.arrows.len() > MAX_ARROWS {
        notes.push(format!(
            "Showing the newest {} of {} messages: zoom in, hide a family or collapse the pings.",
            MAX_ARROWS,
            d.arrows.len()
        ));
    }
    if d.kept_from > d.from {
        notes.push(format!(
            "The page keeps the newest events only: before {} nothing is drawn (shaded).",
            d.kept_from
        ));
    }
    if d.arrows.is_empty() && d.marks.is_empty() {
        notes.push("Nothing happened between these lifelines in this span: zoom out, show a family or play the run.".to_owned());
    }
    notes
}

/// The panel's heading: its title, the zoom, the export and close buttons.
fn head(props: &SpaceTimeProps, export: Option<Callback<MouseEvent>>) -> Html {
    let zoom = |steps: isize| {
        let (lens, on_lens) = (props.lens.clone(), props.on_lens.clone());
        Callback::from(move |_: MouseEvent| on_lens.emit(lens.zoomed(steps)))
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let span = props.lens.span();
    let span = if span < 1_000 {
        format!("{span} ms")
    } else {
        format!("{} s", span / 1_000)
    };
    html! {
        <div class="panel-head">
            <h2 id="spacetime-title">{ "Space-time diagram" }</h2>
            if let Some(export) = export {
                <button type="button" data-action="spacetime-zoom-in" onclick={zoom(-1)}
                        disabled={props.lens.zoom == 0} title="Zoom in: a shorter span"
                        aria-label="Zoom in: a shorter span">{ "+" }</button>
                <span class="span" data-span={props.lens.span().to_string()}>{ span }</span>
                <button type="button" data-action="spacetime-zoom-out" onclick={zoom(1)}
                        disabled={props.lens.zoom + 1 >= SPANS_MS.len()}
                        title="Zoom out: a longer span" aria-label="Zoom out: a longer span">{ "−" }</button>
                <button type="button" data-action="spacetime-export" onclick={export}
                        title="Save what the diagram shows as an SVG file (for slides)">{ "export SVG" }</button>
            }
            <button type="button" data-action="close-spacetime" onclick={close}
                    aria-label="Close the space-time diagram">{ "×" }</button>
        </div>
    }
}

/// The choices: families shown, pings collapsed, timers, lifelines.
fn controls(props: &SpaceTimeProps) -> Html {
    let lens = &props.lens;
    let set = |change: fn(&Lens) -> Lens| {
        let (lens, on_lens) = (lens.clone(), props.on_lens.clone());
        Callback::from(move |_: Event| on_lens.emit(change(&lens)))
    };
    let families = Family::ALL.iter().map(|&family| {
        let (lens, on_lens) = (lens.clone(), props.on_lens.clone());
        let onchange = Callback::from(move |_: Event| on_lens.emit(lens.toggled(family)));
        html! {
            <label class="family">
                <input type="checkbox" data-family={family.id()} checked={!props.lens.hidden.contains(&family)}
                       {onchange} />
                { family.name() }
            </label>
        }
    });
    let lifelines = lens.lifelines(&props.picture);
    let drop = lifelines.iter().map(|&actor| {
        let (lens, on_lens, picture) = (lens.clone(), props.on_lens.clone(), props.picture.clone());
        let onclick =
            Callback::from(move |_: MouseEvent| on_lens.emit(lens.with_or_without(&picture, actor)));
        let name = actor.to_string();
        html! {
            <button type="button" class="chip" data-action="spacetime-drop" data-lifeline-choice={name.clone()}
                    aria-label={format!("Remove {name}'s lifeline")} {onclick}>{ format!("{name} ×") }</button>
        }
    });
    let on_add = {
        let (lens, on_lens, picture, on_error) = (
            lens.clone(),
            props.on_lens.clone(),
            props.picture.clone(),
            props.on_error.clone(),
        );
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let name = input.value();
            if name.trim().is_empty() {
                return;
            }
            match actor_named(&picture, &name) {
                Some(actor) if !lens.lifelines(&picture).contains(&actor) => {
                    input.set_value("");
                    on_lens.emit(lens.with_or_without(&picture, actor));
                }
                Some(_) => input.set_value(""),
                None => on_error.emit(format!(
                    "There is no {:?} to draw a lifeline for: name a process (p3), a server (zk1) or the resource.",
                    name.trim()
                )),
            }
        })
    };
    let defaults = {
        let (lens, on_lens) = (lens.clone(), props.on_lens.clone());
        Callback::from(move |_: MouseEvent| {
            on_lens.emit(Lens {
                lifelines: None,
                ..lens.clone()
            })
        })
    };
    html! {
        <div class="spacetime-controls">
            <fieldset class="families">
                <legend>{ "Show" }</legend>
                { for families }
                <label>
                    <input type="checkbox" data-control="spacetime-collapse" checked={lens.collapse_pings}
                           onchange={set(|l| Lens { collapse_pings: !l.collapse_pings, ..l.clone() })} />
                    { "repeated pings as one" }
                </label>
                <label>
                    <input type="checkbox" data-control="spacetime-timers" checked={lens.timers}
                           onchange={set(|l| Lens { timers: !l.timers, ..l.clone() })} />
                    { "timers" }
                </label>
            </fieldset>
            <details class="lifelines" data-control="spacetime-lifelines">
                <summary>{ format!("Lifelines ({})", lifelines.len()) }</summary>
                { for drop }
                <input type="text" data-control="spacetime-add" placeholder="add: p17, zk2, resource"
                       aria-label="Add the lifeline of this actor (Enter)" onchange={on_add} />
                <button type="button" data-action="spacetime-defaults" onclick={defaults}
                        title="All servers, the resource and the processes the latest failure is about">
                    { "the failure's" }
                </button>
            </details>
        </div>
    }
}
