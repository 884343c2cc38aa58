//! The space-time diagram drawn in SVG: lifelines across, time flowing down, each message an
//! arrow from its send to its arrival, marks and role labels on the lifelines, and the line of
//! the moment shown. Its styles travel inside it (CSS variables with the light theme as their
//! fallback), so the same element is what the page shows and what "export SVG" saves.
//!
//! Everything is placed at absolute time (a fixed number of pixels per ms for a zoom) inside
//! one group that moves up as the run goes on: an arrow already drawn keeps its coordinates
//! from frame to frame, and only the new ones are added.
//!
//! Imports from the page `model`; from the core `ids`, `spacetime`.

use crate::model::diagram::{drawn, Spot};
use yew::prelude::*;
use zooscope_core::actor::message::MessageKind;
use zooscope_core::ids::{Endpoint, SimTime};
use zooscope_core::spacetime::family::kind_id;
use zooscope_core::spacetime::{Arrow, Diagram, Fate, Lifeline, Mark, MarkKind};

/// Width of a lifeline's lane.
const LANE: f64 = 80.0;
/// Width of the time axis on the left.
const GUTTER: f64 = 54.0;
/// Height above the span: the names and the roles the span starts with.
const TOP: f64 = 44.0;
/// Height below the span.
const BOTTOM: f64 = 14.0;
/// The whole drawing's height.
pub const HEIGHT: f64 = 560.0;
/// Role labels longer than this many characters are cut (the whole is their tooltip).
const ROLE_CHARS: usize = 12;
/// A highlighted arrow's words, written beside it, are cut to this many characters.
const NAMED_CHARS: usize = 34;

/// The diagram's styles, scoped to it. No `<`, `>` or `&`: the element's markup is saved as
/// XML as it is. Shapes and dash patterns tell the kinds apart as well as the colours do.
const STYLE: &str = "
.spacetime-svg { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 11px; }
.spacetime-svg .bg { fill: var(--panel, #ffffff); }
.spacetime-svg .unknown { fill: var(--border, #d5d8dc); opacity: 0.35; }
.spacetime-svg text { fill: var(--fg, #1d1f21); }
.spacetime-svg .tick text, .spacetime-svg .role, .spacetime-svg .note { fill: var(--muted, #5b6168); font-size: 10px; }
.spacetime-svg .tick line { stroke: var(--border, #d5d8dc); stroke-width: 1; }
.spacetime-svg .name { font-size: 12px; font-weight: 700; text-anchor: middle; }
.spacetime-svg .life { stroke: var(--border, #d5d8dc); stroke-width: 2; }
.spacetime-svg .role-tick { stroke: var(--muted, #5b6168); stroke-width: 2; }
.spacetime-svg .arrow .shaft { fill: none; stroke-width: 1.6; }
.spacetime-svg .arrow .hit { stroke: transparent; stroke-width: 9; pointer-events: stroke; cursor: pointer; }
.spacetime-svg .arrow:focus { outline: none; }
.spacetime-svg .arrow:focus .shaft, .spacetime-svg .arrow.focused .shaft { stroke-width: 4; }
.spacetime-svg .hl .shaft { stroke-width: 3.5; }
.spacetime-svg .named { font-size: 11px; font-weight: 700; stroke: var(--panel, #ffffff); stroke-width: 3px; paint-order: stroke; fill: var(--fg, #1d1f21); }
.spacetime-svg .hl .head { stroke: var(--fg, #1d1f21); stroke-width: 1; }
.spacetime-svg .dim { opacity: 0.25; }
.spacetime-svg .k-request, .spacetime-svg .k-session { stroke: var(--electing, #0b5cad); fill: var(--electing, #0b5cad); }
.spacetime-svg .k-reply { stroke: var(--follower, #205f2c); fill: var(--follower, #205f2c); }
.spacetime-svg .k-reply .shaft { stroke-dasharray: 6 2; }
.spacetime-svg .k-ping { stroke: var(--muted, #5b6168); fill: var(--muted, #5b6168); }
.spacetime-svg .k-ping .shaft { stroke-dasharray: 1 3; stroke-width: 1.2; }
.spacetime-svg .k-vote { stroke: var(--leader, #b07800); fill: var(--leader, #b07800); }
.spacetime-svg .k-vote .shaft { stroke-dasharray: 5 3; }
.spacetime-svg .k-quorum { stroke: var(--accent, #0b5cad); fill: var(--accent, #0b5cad); }
.spacetime-svg .k-proposal { stroke: var(--ephemeral, #8a4b00); fill: var(--ephemeral, #8a4b00); }
.spacetime-svg .k-ack { stroke: var(--follower, #205f2c); fill: var(--follower, #205f2c); }
.spacetime-svg .k-ack .shaft { stroke-dasharray: 2 2; }
.spacetime-svg .k-commit { stroke: var(--highlight, #e0218a); fill: var(--highlight, #e0218a); }
.spacetime-svg .k-watch-event { stroke: var(--watch, #7d3cb5); fill: var(--watch, #7d3cb5); }
.spacetime-svg .k-watch-event .shaft { stroke-width: 2.6; }
.spacetime-svg .k-resource { stroke: var(--ephemeral, #8a4b00); fill: var(--ephemeral, #8a4b00); }
.spacetime-svg .in-flight .shaft { stroke-dasharray: 2 4; }
.spacetime-svg .cut .end, .spacetime-svg .unread .end { fill: var(--panel, #ffffff); stroke-width: 2; }
.spacetime-svg .repeats { font-size: 9px; stroke: none; }
.spacetime-svg .run { stroke-width: 2; stroke-dasharray: 1 2; }
.spacetime-svg .mark { stroke: var(--fg, #1d1f21); stroke-width: 1.2; fill: var(--panel, #ffffff); }
.spacetime-svg .m-committed { fill: var(--highlight, #e0218a); }
.spacetime-svg .m-session-expired { fill: var(--alert-bg, #8b0000); }
.spacetime-svg .m-watch-fired { fill: var(--watch, #7d3cb5); }
.spacetime-svg .m-split-brain { fill: var(--alert-bg, #8b0000); stroke-width: 2; }
.spacetime-svg .m-command { fill: var(--fg, #1d1f21); }
.spacetime-svg .mark.hl { stroke: var(--highlight, #e0218a); stroke-width: 3; }
.spacetime-svg .now-line { stroke: var(--accent, #0b5cad); stroke-width: 2; }
.spacetime-svg .now-handle { fill: var(--accent, #0b5cad); cursor: ns-resize; }
.spacetime-svg .now text { fill: var(--panel, #ffffff); font-weight: 700; }
.spacetime-svg .now:focus { outline: none; }
.spacetime-svg .now:focus .now-handle { stroke: var(--fg, #1d1f21); stroke-width: 3; }
";

/// Where things go: lanes across, time down at the zoom's scale, the span's end at the bottom.
/// Early in a run the span reaches before its start: the drawing keeps its scale and leaves
/// that part empty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// The moment at the top of the span, in ms (negative before the run began).
    top_ms: f64,
    /// Pixels per simulated ms.
    scale: f64,
    /// How many lifelines.
    lanes: usize,
}

impl Geometry {
    /// The geometry of `diagram` drawn `span_ms` tall.
    pub fn of(diagram: &Diagram, span_ms: u64) -> Geometry {
        let span = span_ms.max(1) as f64;
        Geometry {
            top_ms: diagram.to.ms() as f64 - span,
            scale: (HEIGHT - TOP - BOTTOM) / span,
            lanes: diagram.lifelines.len(),
        }
    }

    /// The drawing's width.
    pub fn width(&self) -> f64 {
        GUTTER + self.lanes as f64 * LANE + 8.0
    }

    /// The x of lane `i`'s lifeline.
    fn x(&self, i: usize) -> f64 {
        lane_x(i)
    }

    /// The y of moment `t` inside the moving group (absolute time).
    fn y(&self, t: SimTime) -> f64 {
        Scale(self.scale).y(t)
    }

    /// How far the moving group is shifted so that the span's top is at the top.
    fn shift(&self) -> f64 {
        TOP - self.top_ms * self.scale
    }

    /// The moment at height `y` of the drawing (for the now line's drag).
    pub fn time_at(&self, y: f64) -> SimTime {
        let ms = self.top_ms + (y - TOP) / self.scale;
        SimTime(ms.max(0.0).round() as u64)
    }

    /// The height of moment `t` in the drawing.
    pub fn height_of(&self, t: SimTime) -> f64 {
        self.y(t) + self.shift()
    }
}

/// The x of lane `i`'s lifeline.
fn lane_x(i: usize) -> f64 {
    GUTTER + (i as f64 + 0.5) * LANE
}

/// Pixels per simulated ms: all an arrow or a mark needs to be placed in the moving group, so
/// that one drawn before is drawn again only if it changed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scale(f64);

impl Scale {
    /// The y of moment `t` inside the moving group.
    fn y(self, t: SimTime) -> f64 {
        t.ms() as f64 * self.0
    }
}

/// A number as an attribute.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// What the diagram draws besides the diagram itself.
pub struct Drawing<'a> {
    /// The diagram.
    pub diagram: &'a Diagram,
    /// The moment the run is at (below the diagram's end while the now line is dragged).
    pub now: SimTime,
    /// What is highlighted.
    pub spot: Option<&'a Spot>,
    /// The arrow with the keyboard's focus (or the first drawn).
    pub focus: Option<u64>,
    /// The span of time the drawing's height stands for, in ms.
    pub span: u64,
    /// Labelled for screen readers.
    pub label: String,
    /// The SVG element, once drawn.
    pub node: NodeRef,
}

/// The diagram as an SVG element (without the now line's handlers: the panel wraps it).
pub fn svg(d: &Drawing<'_>, now_line: Html) -> Html {
    let g = Geometry::of(d.diagram, d.span);
    let lane = |actor: Endpoint| d.diagram.lifelines.iter().position(|l| l.actor == actor);
    let arrows = drawn(d.diagram);
    // The arrow in the tab order: the one focused last while it is drawn, else the first.
    let focus = d
        .focus
        .filter(|f| arrows.iter().any(|a| a.seq == *f))
        .or_else(|| arrows.first().map(|a| a.seq));
    let width = g.width();
    // What the highlight is about is named on the drawing: the first highlighted arrow of each
    // kind gets its words beside it (a step about "proposal 0x10000000a" shows which one it
    // is among the others).
    let mut labelled: Vec<(MessageKind, u64)> = Vec::new();
    for a in arrows {
        if d.spot.is_some_and(|s| s.arrow(a)) && !labelled.iter().any(|(k, _)| *k == a.kind) {
            labelled.push((a.kind, a.seq));
        }
    }
    let unknown = (d.diagram.kept_from > d.diagram.from).then(|| {
        let h = g.y(d.diagram.kept_from) - g.y(d.diagram.from);
        html! {
            <rect class="unknown" x={n(GUTTER)} y={n(g.y(d.diagram.from))} width={n(width - GUTTER)}
                  height={n(h)}>
                <title>{ "Before the oldest event the page keeps: not drawn" }</title>
            </rect>
        }
    });
    html! {
        <svg ref={d.node.clone()} class="spacetime-svg" xmlns="http://www.w3.org/2000/svg" width={n(width)}
             height={n(HEIGHT)} viewBox={format!("0 0 {} {}", n(width), n(HEIGHT))}
             preserveAspectRatio="xMinYMin meet"
             role="group" aria-label={d.label.clone()}>
            <style>{ STYLE }</style>
            <rect class="bg" x="0" y="0" width={n(width)} height={n(HEIGHT)} />
            <g class="moving" transform={format!("translate(0 {})", n(g.shift()))}>
                { for unknown }
                { ticks(&g, d.diagram) }
                { for d.diagram.lifelines.iter().enumerate().map(|(i, l)| lifeline(&g, i, l, d.diagram)) }
                <g class="arrows">
                    { for arrows.iter().filter_map(|a| {
                        let lanes = (lane(a.from)?, lane(a.to)?);
                        Some(html! {
                            <ArrowView key={a.seq} arrow={a.clone()} {lanes} scale={Scale(g.scale)}
                                       now={(a.fate == Fate::InFlight).then_some(d.now)}
                                       lit={d.spot.is_some_and(|s| s.arrow(a))} dim={a.sent > d.now}
                                       named={labelled.iter().any(|(_, seq)| *seq == a.seq)}
                                       focused={focus == Some(a.seq)} />
                        })
                    }) }
                </g>
                <g class="marks">
                    { for d.diagram.marks.iter().filter_map(|m| {
                        let lane = lane(m.actor)?;
                        Some(html! {
                            <MarkView key={format!("{}-{}", m.seq, m.actor)} mark={m.clone()} {lane}
                                      scale={Scale(g.scale)} lit={d.spot.is_some_and(|s| s.mark(m))}
                                      dim={m.at > d.now} />
                        })
                    }) }
                </g>
            </g>
            { for d.diagram.lifelines.iter().enumerate().map(|(i, l)| heading(&g, i, l)) }
            { now_line }
        </svg>
    }
}

/// The time axis: a tick every round step, about six over the span.
fn ticks(g: &Geometry, d: &Diagram) -> Html {
    const STEPS: [u64; 9] = [50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000];
    let span = d.to.since(d.from).max(1);
    let step = STEPS
        .iter()
        .copied()
        .find(|s| span / s <= 6)
        .unwrap_or(60_000);
    let first = d.from.ms().div_ceil(step) * step;
    let end = g.width();
    html! {
        <g class="tick">
            { for (first..=d.to.ms()).step_by(step as usize).map(|t| {
                let y = g.y(SimTime(t));
                html! {
                    <g key={t}>
                        <line x1={n(GUTTER - 4.0)} x2={n(end)} y1={n(y)} y2={n(y)} opacity="0.5" />
                        <text x="4" y={n(y + 3.5)}>{ format!("{:.2} s", t as f64 / 1000.0) }</text>
                    </g>
                }
            }) }
        </g>
    }
}

/// A lifeline down the span, with the roles it takes within it.
fn lifeline(g: &Geometry, i: usize, line: &Lifeline, d: &Diagram) -> Html {
    let x = g.x(i);
    let changes = line.roles.iter().filter(|r| r.at >= d.from);
    html! {
        <g class="lifeline" data-lifeline={line.actor.to_string()}>
            <line class="life" x1={n(x)} x2={n(x)} y1={n(g.y(d.from))} y2={n(g.y(d.to))} />
            { for changes.map(|r| {
                let y = g.y(r.at);
                html! {
                    <g key={r.seq} class="role-change" data-role-text={r.text.clone()}>
                        <line class="role-tick" x1={n(x - 6.0)} x2={n(x + 6.0)} y1={n(y)} y2={n(y)} />
                        <text class="role" x={n(x + 4.0)} y={n(y - 3.0)}>
                            { cut(&r.text) }<title>{ r.text.clone() }</title>
                        </text>
                    </g>
                }
            }) }
        </g>
    }
}

/// A lifeline's name and the role it has when the span begins, fixed at the top.
fn heading(g: &Geometry, i: usize, line: &Lifeline) -> Html {
    let x = g.x(i);
    let first = line
        .roles
        .first()
        .map(|r| r.text.clone())
        .unwrap_or_default();
    html! {
        <g class="heading">
            <rect class="bg" x={n(x - LANE / 2.0)} y="0" width={n(LANE)} height={n(TOP - 4.0)} />
            <text class="name" x={n(x)} y="15">{ line.actor.to_string() }</text>
            <text class="role" x={n(x)} y="31" text-anchor="middle">
                { cut(&first) }<title>{ first.clone() }</title>
            </text>
        </g>
    }
}

/// `text`, cut to [`ROLE_CHARS`] characters.
fn cut(text: &str) -> String {
    cut_to(text, ROLE_CHARS)
}

/// `text`, cut to `chars` characters with an ellipsis.
fn cut_to(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(chars.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// What became of a message, in words.
pub fn fate(a: &Arrow) -> String {
    match a.fate {
        Fate::Delivered => format!("delivered at {}", a.arrives),
        Fate::InFlight => format!("in flight, arriving at {}", a.arrives),
        Fate::Cut => "lost: the link is cut".to_owned(),
        Fate::Unread => format!(
            "arrived at {} on a closed connection: never read",
            a.arrives
        ),
    }
}

/// Props of [`ArrowView`].
#[derive(Properties, PartialEq)]
struct ArrowProps {
    /// The message.
    arrow: Arrow,
    /// The lanes of its sender and its receiver.
    lanes: (usize, usize),
    /// The drawing's scale.
    scale: Scale,
    /// The moment shown, for a message in flight (drawn up to where it is).
    now: Option<SimTime>,
    /// Highlighted.
    lit: bool,
    /// Sent after the moment shown (while the now line is dragged back).
    dim: bool,
    /// In the tab order.
    focused: bool,
    /// Its words written beside it (the first highlighted arrow of its kind).
    named: bool,
}

/// One message's arrow: its shaft, its head (or its cross, or its circle) and a wider
/// invisible line that is easier to point at.
#[function_component(ArrowView)]
fn arrow_view(props: &ArrowProps) -> Html {
    let ArrowProps {
        arrow: a,
        lanes: (from, to),
        scale,
        ..
    } = props;
    let (x1, y1) = (lane_x(*from), scale.y(a.sent));
    let (mut x2, mut y2) = (lane_x(*to), scale.y(a.arrives));
    let end = match a.fate {
        Fate::InFlight => {
            // Up to where it is now.
            let total = a.arrives.since(a.sent).max(1) as f64;
            let now = props.now.unwrap_or(a.sent);
            let part = (now.since(a.sent) as f64 / total).clamp(0.0, 1.0);
            x2 = x1 + (x2 - x1) * part;
            y2 = y1 + (y2 - y1) * part;
            html! { <circle class="end" cx={n(x2)} cy={n(y2)} r="3" /> }
        }
        Fate::Cut => {
            // A short way towards the receiver, then a cross.
            x2 = x1 + (x2 - x1) * 0.4;
            y2 = y1 + 10.0;
            html! {
                <path class="end shaft" d={format!("M{} {}l8 8m0 -8l-8 8", n(x2 - 4.0), n(y2 - 4.0))} />
            }
        }
        Fate::Unread => html! { <circle class="end" cx={n(x2)} cy={n(y2)} r="4" /> },
        Fate::Delivered => head((x1, y1), (x2, y2)),
    };
    let kind = kind_id(a.kind);
    let fate_class = match a.fate {
        Fate::Delivered => "delivered",
        Fate::InFlight => "in-flight",
        Fate::Cut => "cut",
        Fate::Unread => "unread",
    };
    // A run of pings: the arrow is its first; a bracket on the sender's lifeline, on the side
    // away from the arrow, runs down to its last, with the count beside it.
    let repeats = (a.repeats > 1).then(|| {
        let side = if x2 >= x1 { -5.0 } else { 5.0 };
        let (x, last) = (x1 + side, scale.y(a.until));
        let anchor = if side < 0.0 { "end" } else { "start" };
        html! {
            <>
                <line class="run" x1={n(x)} y1={n(y1)} x2={n(x)} y2={n(last)} />
                <text class="repeats" x={n(x + side)} y={n((y1 + last) / 2.0 + 3.0)} text-anchor={anchor}>
                    { format!("×{}", a.repeats) }
                </text>
            </>
        }
    });
    // The visible count is part of the name (what is seen is what a screen reader says).
    let mut label = format!(
        "{} from {} to {} at {}: {}",
        kind, a.from, a.to, a.sent, a.what
    );
    if a.repeats > 1 {
        label.push_str(&format!(" ×{}", a.repeats));
    }
    html! {
        <g class={classes!("arrow", format!("k-{kind}"), fate_class, props.lit.then_some("hl"),
                           props.dim.then_some("dim"), props.focused.then_some("focused"))}
           data-kind={kind} data-from={a.from.to_string()} data-to={a.to.to_string()}
           data-seq={a.seq.to_string()} data-fate={fate_class}
           tabindex={if props.focused { "0" } else { "-1" }} role="button" aria-label={label}>
            <line class="hit" x1={n(x1)} y1={n(y1)} x2={n(x2)} y2={n(y2)} />
            <line class="shaft" x1={n(x1)} y1={n(y1)} x2={n(x2)} y2={n(y2)} />
            { end }
            { for repeats }
            if props.named {
                <text class="named" x={n((x1 + x2) / 2.0)} y={n((y1 + y2) / 2.0 - 4.0)}
                      text-anchor="middle">{ cut_to(&a.what, NAMED_CHARS) }</text>
            }
        </g>
    }
}

/// An arrowhead at `to`, pointing away from `from`.
fn head(from: (f64, f64), to: (f64, f64)) -> Html {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    let back = (to.0 - ux * 8.0, to.1 - uy * 8.0);
    let left = (back.0 - uy * 4.0, back.1 + ux * 4.0);
    let right = (back.0 + uy * 4.0, back.1 - ux * 4.0);
    let points = format!(
        "{},{} {},{} {},{}",
        n(to.0),
        n(to.1),
        n(left.0),
        n(left.1),
        n(right.0),
        n(right.1)
    );
    html! { <polygon class="head" {points} /> }
}

/// The outline of a mark of `kind` at (`x`, `y`), as path data: a square for a commit or a
/// fenced write, a diamond for an expiry, a triangle pointing right for a watch that fires,
/// up for split brain, down for a command, a circle for a sync or a timer.
fn shape(kind: MarkKind, x: f64, y: f64) -> String {
    let at = |dx: f64, dy: f64| format!("{} {}", n(x + dx), n(y + dy));
    match kind {
        MarkKind::Committed | MarkKind::FencedWrite => {
            format!("M{}h8v8h-8z", at(-4.0, -4.0))
        }
        MarkKind::SessionExpired => format!(
            "M{}L{}L{}L{}z",
            at(0.0, -6.0),
            at(6.0, 0.0),
            at(0.0, 6.0),
            at(-6.0, 0.0)
        ),
        MarkKind::WatchFired => format!("M{}L{}L{}z", at(-5.0, -5.0), at(6.0, 0.0), at(-5.0, 5.0)),
        MarkKind::SplitBrain => format!("M{}L{}L{}z", at(0.0, -7.0), at(7.0, 5.0), at(-7.0, 5.0)),
        MarkKind::Command => format!("M{}L{}L{}z", at(-6.0, -6.0), at(6.0, -6.0), at(0.0, 5.0)),
        MarkKind::SyncAnswered | MarkKind::Timer => {
            let r = if kind == MarkKind::Timer { 2.5 } else { 4.0 };
            format!(
                "M{}a{r} {r} 0 1 0 {} 0a{r} {r} 0 1 0 {} 0",
                at(-r, 0.0),
                2.0 * r,
                -2.0 * r
            )
        }
    }
}

/// Props of [`MarkView`].
#[derive(Properties, PartialEq)]
struct MarkProps {
    /// What happened.
    mark: Mark,
    /// The lane of its lifeline.
    lane: usize,
    /// The drawing's scale.
    scale: Scale,
    /// Highlighted.
    lit: bool,
    /// After the moment shown (while the now line is dragged back).
    dim: bool,
}

/// A mark on a lifeline: a shape per kind, its narration as its tooltip.
#[function_component(MarkView)]
fn mark_view(props: &MarkProps) -> Html {
    let m = &props.mark;
    let (x, y) = (lane_x(props.lane), props.scale.y(m.at));
    let shape = html! { <path d={shape(m.kind, x, y)} /> };
    let kind = m.kind.id();
    let actor = m.actor.to_string();
    html! {
        <g class={classes!("mark", format!("m-{kind}"), props.lit.then_some("hl"), props.dim.then_some("dim"))}
           data-kind={kind} data-from={actor.clone()} data-to={actor} data-seq={m.seq.to_string()}>
            { shape }
            <title>{ format!("{}: {}", m.at, m.narration) }</title>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn heights_and_moments_map_both_ways() {
        let d = Diagram {
            from: SimTime(2_000),
            to: SimTime(7_000),
            ..Diagram::default()
        };
        let g = Geometry::of(&d, 5_000);
        assert_eq!(g.time_at(TOP), SimTime(2_000));
        assert_eq!(g.time_at(HEIGHT - BOTTOM), SimTime(7_000));
        assert!((g.height_of(SimTime(7_000)) - (HEIGHT - BOTTOM)).abs() < 1e-6);
        assert!((g.height_of(SimTime(2_000)) - TOP).abs() < 1e-6);
        // Early in a run the scale is the zoom's: a second is as tall as later.
        let early = Diagram {
            to: SimTime(1_000),
            ..Diagram::default()
        };
        let g = Geometry::of(&early, 5_000);
        assert_eq!(g.time_at(HEIGHT - BOTTOM), SimTime(1_000));
        let second = g.height_of(SimTime(1_000)) - g.height_of(SimTime(0));
        assert!((second - (HEIGHT - TOP - BOTTOM) / 5.0).abs() < 1e-6);
        // Above the run's start is its start.
        assert_eq!(g.time_at(TOP), SimTime(0));
    }

    #[test]
    fn long_roles_are_cut_with_an_ellipsis() {
        assert_eq!(cut("LOOKING"), "LOOKING");
        assert_eq!(cut("3: watching c_0000000003"), "3: watching…");
    }
}
