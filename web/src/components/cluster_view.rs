//! The cluster as a picture (SVG): the ensemble in the middle, the processes around it in
//! candidate order (`layout`), the shared resource in a corner; arrows from each watcher to
//! what it watches; the messages in flight moving along their links; the latest failure and
//! whom it woke. Roles are told by shape and label, not colour alone. From 5 to 1,000
//! processes: names inside the nodes where they fit, and where they do not, labels beside the
//! processes that matter now (the leader, the failed leader, whom it woke, the one pointed at).
//! Nodes, arrows and cards are components that are not drawn again while unchanged.
//!
//! Imports from the page `layout`; from the core `actor`, `ids`, `picture`.

use crate::layout::{
    stable_order, Layout, Rings, CENTER, ENSEMBLE, HEIGHT, MAX_RADIUS, RESOURCE, WIDTH,
};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::actor::message::MessageKind;
use zooscope_core::ids::{Endpoint, ProcessId, SimTime};
use zooscope_core::picture::{Liveness, Picture, ProcessPicture};

fn kind_class(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Session => "msg-session",
        MessageKind::Request => "msg-request",
        MessageKind::Reply => "msg-reply",
        MessageKind::WatchEvent => "msg-watch",
        MessageKind::Ping => "msg-ping",
        MessageKind::Vote => "msg-vote",
        MessageKind::Quorum => "msg-quorum",
        MessageKind::Proposal => "msg-proposal",
        MessageKind::Ack => "msg-ack",
        MessageKind::Commit => "msg-commit",
        MessageKind::Resource => "msg-resource",
    }
}

/// A message's glyph: its shape tells its kind as much as its colour does.
fn message_glyph(kind: MessageKind, x: f64, y: f64) -> Html {
    let class = classes!("msg", kind_class(kind));
    match kind {
        MessageKind::WatchEvent => {
            let points = format!(
                "{},{} {},{} {},{} {},{}",
                x,
                y - 7.0,
                x + 7.0,
                y,
                x,
                y + 7.0,
                x - 7.0,
                y
            );
            html! { <polygon {class} {points} /> }
        }
        MessageKind::Proposal | MessageKind::Commit | MessageKind::Ack => html! {
            <rect {class} x={(x - 4.5).to_string()} y={(y - 4.5).to_string()} width="9" height="9" />
        },
        MessageKind::Ping => html! {
            <circle {class} cx={x.to_string()} cy={y.to_string()} r="2.5" />
        },
        _ => html! { <circle {class} cx={x.to_string()} cy={y.to_string()} r="4.5" /> },
    }
}

/// A coordinate or length of the drawing, to a tenth of a unit (one formatter for them all:
/// every `format!` costs the page's size).
fn u1(v: f64) -> String {
    format!("{v:.1}")
}

/// An inline font size of `units` drawing units.
fn font_px(units: f64) -> String {
    format!("font-size: {units:.1}px")
}

/// The shape of a process, by role.
fn process_shape(role: &str, x: f64, y: f64, r: f64) -> Html {
    let (cx, cy) = (x.to_string(), y.to_string());
    match role {
        "leader" => {
            let points: Vec<String> = (0..10)
                .map(|i| {
                    let a =
                        -std::f64::consts::FRAC_PI_2 + f64::from(i) * std::f64::consts::PI / 5.0;
                    let rr = if i % 2 == 0 { r * 1.35 } else { r * 0.7 };
                    format!("{:.1},{:.1}", x + rr * a.cos(), y + rr * a.sin())
                })
                .collect();
            html! { <polygon class="shape" points={points.join(" ")} /> }
        }
        "crashed" | "stopped" => html! {
            <g class="shape">
                <rect x={(x - r).to_string()} y={(y - r).to_string()}
                      width={(2.0 * r).to_string()} height={(2.0 * r).to_string()} rx="3" />
                if role == "crashed" {
                    <path class="cross" d={format!("M{} {} L{} {} M{} {} L{} {}",
                        x - r * 0.6, y - r * 0.6, x + r * 0.6, y + r * 0.6,
                        x + r * 0.6, y - r * 0.6, x - r * 0.6, y + r * 0.6)} />
                }
            </g>
        },
        "paused" => html! {
            <g class="shape">
                <circle {cx} {cy} r={r.to_string()} />
                <rect class="bar" x={(x - r * 0.45).to_string()} y={(y - r * 0.5).to_string()}
                      width={(r * 0.3).to_string()} height={r.to_string()} />
                <rect class="bar" x={(x + r * 0.15).to_string()} y={(y - r * 0.5).to_string()}
                      width={(r * 0.3).to_string()} height={r.to_string()} />
            </g>
        },
        _ => html! { <circle class="shape" {cx} {cy} r={r.to_string()} /> },
    }
}

/// Called-out processes get a label of their own even where labels do not fit in the nodes,
/// up to this many (beyond it, a herd's woken processes are told by their ring and counted in
/// the caption: a thousand labels would hide each other).
const CALLOUTS: usize = 16;

/// The picture's text on screen: the size its smallest text renders at, in CSS px, whatever
/// size the picture itself is drawn at. The picture is drawn to fit its box (a 940 × 620
/// drawing on a laptop's screen is drawn at about half its size), so its text is set in the
/// drawing's units per screen pixel (`unit`), and what holds text — server boxes, the
/// resource's box, the room beside a node — grows with it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Type {
    /// The smallest text's size on screen, px.
    px: f64,
    /// Drawing units per screen pixel.
    unit: f64,
}

impl Type {
    /// The smallest text (roles, candidates, countdowns), in drawing units.
    fn small(self) -> f64 {
        self.px * self.unit
    }

    /// Names (processes, servers), in drawing units.
    fn name(self) -> f64 {
        self.small() * 1.15
    }
}

/// The text size of the picture on screen: readable from the back of a room in presenter
/// mode, at a desk otherwise.
pub const TEXT_PX: f64 = 13.0;
/// The same in presenter mode.
pub const PRESENTER_TEXT_PX: f64 = 21.0;
/// Session links are drawn up to this many processes (beyond, they would cover the ensemble;
/// each card says which server its process talks to).
const LINKS_UP_TO: usize = 60;

/// What one process looks like in the picture: equal nodes are not rendered again.
#[derive(Properties, PartialEq)]
struct ProcessNodeProps {
    id: u32,
    x: i32,
    y: i32,
    /// Radius, in tenths of a unit.
    r10: i32,
    role: &'static str,
    title: String,
    believes: bool,
    /// It believes it leads but has lost its server: it cannot know whether it still does.
    suspended: bool,
    stale: bool,
    lit: bool,
    woken: bool,
    /// Its name inside the node, when it fits.
    name: bool,
    /// The name's and the small labels' font sizes, in tenths of a drawing unit.
    name10: i32,
    small10: i32,
    /// Candidate and countdown beside it (empty where they do not fit).
    candidate: String,
    countdown: String,
}

#[function_component(ProcessNode)]
fn process_node(props: &ProcessNodeProps) -> Html {
    let (x, y, r) = (
        f64::from(props.x),
        f64::from(props.y),
        f64::from(props.r10) / 10.0,
    );
    let class = classes!(
        "process-node",
        props.role,
        props.believes.then_some("believes-leader"),
        props.suspended.then_some("suspended"),
        props.stale.then_some("stale"),
        props.lit.then_some("highlight"),
        props.woken.then_some("woken")
    );
    // Sizes set inline, in drawing units (see `Type`); labels sit an em off the node.
    let name_font = font_px(f64::from(props.name10) / 10.0);
    let small_font = font_px(f64::from(props.small10) / 10.0);
    html! {
        <g {class} data-node-process={props.id.to_string()} data-woken={props.woken.then_some("")}>
            <title>{ props.title.clone() }</title>
            if props.woken {
                <circle class="woken-ring" cx={x.to_string()} cy={y.to_string()} r={(r + 3.0).to_string()} />
            }
            { process_shape(props.role, x, y, r) }
            if props.name {
                <text class="label" x={x.to_string()} y={y.to_string()} dy="0.35em" style={name_font}>{ format!("p{}", props.id) }</text>
            }
            if !props.candidate.is_empty() {
                <text class="sublabel" x={x.to_string()} y={(y + r).to_string()} dy="1.05em" style={small_font.clone()}>{ props.candidate.clone() }</text>
            }
            if !props.countdown.is_empty() {
                <text class="countdown" x={x.to_string()} y={(y - r).to_string()} dy="-0.35em" style={small_font}>{ props.countdown.clone() }</text>
            }
        </g>
    }
}

/// One watch, an arrow from the watcher to what it watches: equal arrows are not drawn again
/// (a thousand of them would otherwise be formatted anew every frame).
#[derive(Properties, PartialEq)]
struct WatchArrowProps {
    watcher: u32,
    /// The process owning the watched znode; `None`: the election directory.
    owner: Option<u32>,
    /// x1, y1, x2, y2 in tenths of a unit.
    ends: [i32; 4],
    arrowhead: bool,
}

#[function_component(WatchArrow)]
fn watch_arrow(props: &WatchArrowProps) -> Html {
    let at = |i: usize| u1(f64::from(props.ends[i]) / 10.0);
    let target = props
        .owner
        .map_or_else(|| "election".to_owned(), |o| format!("p{o}"));
    html! {
        <line class="watch-edge" marker-end={props.arrowhead.then_some("url(#arrow)")}
              data-watch-from={format!("p{}", props.watcher)} data-watch-to={target}
              x1={at(0)} y1={at(1)} x2={at(2)} y2={at(3)} />
    }
}

/// Props of [`ClusterView`].
#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    /// What to draw.
    pub picture: Rc<Picture>,
    /// Actors to highlight (from a clicked log entry).
    pub highlighted: Vec<Endpoint>,
    /// The process the pointer is on (here or on its card) or whose card has focus: labelled.
    #[prop_or_default]
    pub spotlight: Option<ProcessId>,
    /// Called with the process under the pointer, and `None` when it leaves the picture.
    #[prop_or_default]
    pub on_spot: Callback<Option<ProcessId>>,
    /// The size its smallest text renders at on screen, px ([`TEXT_PX`], or
    /// [`PRESENTER_TEXT_PX`] for a projector).
    #[prop_or(TEXT_PX)]
    pub text_px: f64,
}

/// How the drawing fits the box it is drawn in: as wide as the layout ([`WIDTH`]), as tall as
/// the box's proportions ask — down to [`SQUAT`] of [`HEIGHT`], the layout's heights squeezed
/// by as much — so that a wide, short box (a laptop's screen under the header and the
/// console) is filled rather than drawn at half size with empty sides.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frame {
    /// Drawing units per screen pixel.
    unit: f64,
    /// The drawing's height, in its units.
    height: f64,
}

/// How much shorter than the layout the drawing may be.
const SQUAT: f64 = 0.7;

impl Frame {
    /// The frame of the picture drawn in `svg` (the layout's own until it is laid out).
    fn of(svg: &NodeRef) -> Frame {
        let whole = Frame {
            unit: 1.0,
            height: HEIGHT,
        };
        let Some(svg) = svg.cast::<web_sys::Element>() else {
            return whole;
        };
        let box_ = svg.get_bounding_client_rect();
        if box_.width() < 1.0 || box_.height() < 1.0 {
            return whole;
        }
        // Rounded, so that a fraction of a pixel does not draw the picture again.
        let round = |v: f64| (v * 50.0).round() / 50.0;
        let height = round((WIDTH * box_.height() / box_.width()).clamp(HEIGHT * SQUAT, HEIGHT));
        Frame {
            unit: round((WIDTH / box_.width()).max(height / box_.height())),
            height,
        }
    }

    /// How much the layout's heights are squeezed.
    fn squeeze(self) -> f64 {
        self.height / HEIGHT
    }
}

/// Where a line from `a` towards `b` leaves a circle of radius `r` around `a`.
fn off(a: (f64, f64), b: (f64, f64), r: f64) -> (f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = (dx * dx + dy * dy).sqrt().max(f64::EPSILON);
    (a.0 + dx / length * r, a.1 + dy / length * r)
}

/// Where a line from `a` towards `center` meets the ensemble's ellipse (`radii`).
fn onto_ensemble(a: (f64, f64), center: (f64, f64), radii: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = ((a.0 - center.0) / radii.0, (a.1 - center.1) / radii.1);
    let scale = (dx * dx + dy * dy).sqrt().max(1.0);
    (
        center.0 + (a.0 - center.0) / scale,
        center.1 + (a.1 - center.1) / scale,
    )
}

/// The process under a pointer event, from its node's `data-node-process`.
fn process_under(e: &MouseEvent) -> Option<ProcessId> {
    let target = e.target_dyn_into::<web_sys::Element>()?;
    let node = target.closest("[data-node-process]").ok()??;
    node.get_attribute("data-node-process")?
        .parse()
        .ok()
        .map(ProcessId)
}

/// The cluster picture.
#[function_component(ClusterView)]
pub fn cluster_view(props: &ClusterViewProps) -> Html {
    let picture = &*props.picture;
    let count = picture.processes.len();
    let rings = use_memo(count, |&n| Rings::for_count(n));
    // The drawing's scale on screen, measured after each render and when the window resizes.
    let svg = use_node_ref();
    let frame = use_state_eq(|| Frame {
        unit: 1.0,
        height: HEIGHT,
    });
    {
        let (svg, frame) = (svg.clone(), frame.clone());
        use_effect(move || frame.set(Frame::of(&svg)));
    }
    {
        let (svg, frame) = (svg.clone(), frame.clone());
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "resize", move |_| {
                    frame.set(Frame::of(&svg));
                })
            });
            move || drop(listener)
        });
    }
    let type_ = Type {
        px: props.text_px,
        unit: frame.unit,
    };
    let squeeze = frame.squeeze();
    let center = (CENTER.0, CENTER.1 * squeeze);
    // A server's box holds its name and its role ("standalone" is the longest, monospace).
    let server_box = (
        (6.6 * type_.small()).max(76.0),
        (2.6 * type_.small()).max(38.0),
    );
    let spread = server_box.0 / 118.0;
    // The ensemble's outline around the servers, however wide their boxes.
    let ensemble_rx = ENSEMBLE.0.max(1.4 * server_box.0 + 10.0);
    let ensemble_ry = ENSEMBLE.1 * squeeze;
    // Where each process sits, kept from frame to frame; a run going back in time (a seek, a
    // new run) is laid out afresh.
    let placed = use_mut_ref(|| (SimTime::ZERO, Vec::<ProcessId>::new()));
    let order = {
        let mut placed = placed.borrow_mut();
        let before = if picture.now < placed.0 {
            &[][..]
        } else {
            &placed.1[..]
        };
        let order = stable_order(before, picture);
        *placed = (picture.now, order.clone());
        order
    };
    let layout = Layout::of(picture, rings, &order, spread);
    // The layout's heights squeezed into the frame; the resource stays in its corner.
    let pos = |e: Endpoint| {
        let (x, y) = layout.of_endpoint(e);
        match e {
            Endpoint::Resource => (x, y),
            _ => (x, y * squeeze),
        }
    };
    let spacing = layout.rings.spacing;
    // Nodes big enough to hold their names where there is room (a handful of processes), as
    // small as the rings make them otherwise (a thousand).
    let r = layout
        .rings
        .radius
        .max(type_.name() * 0.95)
        .min(spacing * 0.45);
    let name_inside = r >= type_.name() * 0.9;
    let tenths = |v: f64| (v * 10.0).round() as i32;
    let lit = |e: Endpoint| props.highlighted.contains(&e);
    // Extended, not collected (which would sort a copy first: one more sort in the page).
    let mut woken = BTreeSet::new();
    woken.extend(picture.failure.iter().flat_map(|f| f.woken.iter().copied()));

    // A session's connection to its server; dashed while the client is still trying it.
    let links: Html = if count <= LINKS_UP_TO {
        picture
            .processes
            .iter()
            .filter_map(|p| p.server.map(|s| (p.id, s, p.connected)))
            .map(|(p, s, connected)| {
                let (a, b) = (pos(Endpoint::Process(p)), pos(Endpoint::Server(s)));
                let class = classes!("link", (!connected).then_some("connecting"));
                html! { <line {class} x1={a.0.to_string()} y1={a.1.to_string()}
                x2={b.0.to_string()} y2={b.1.to_string()} /> }
            })
            .collect()
    } else {
        Html::default()
    };

    // Arrowheads where there is room for them; a dense chain reads as a chain without.
    let marker = (layout.rings.spacing >= 26.0).then_some("url(#arrow)");
    // The election's parent znode, held by the ensemble: drawn in its middle, so that a watch
    // on its children (the herd's) ends at what it watches.
    let election = picture.tree.get("/election").map(|znode| {
        let small = type_.small();
        let half = (0.33 * 9.0 * small + 8.0, 0.75 * small + 4.0);
        (znode.children.len(), half)
    });
    let election_box: Html = election.map_or_else(Html::default, |(children, (hw, hh))| {
        html! {
            <g class="election-node" data-node-znode="/election">
                <title>{ format!("/election: {children} candidate{}", if children == 1 { "" } else { "s" }) }</title>
                <rect x={u1(center.0 - hw)} y={u1(center.1 - hh)}
                      width={u1(2.0 * hw)} height={u1(2.0 * hh)} rx="4" />
                <text class="sublabel" x={center.0.to_string()} y={u1(center.1)} dy="0.35em"
                      style={font_px(type_.small())}>{ "/election" }</text>
            </g>
        }
    });
    // Where a line from `from` reaches the election's box (or, without one, the ensemble).
    let onto_election = |from: (f64, f64)| match election {
        Some((_, (hw, hh))) => {
            let (dx, dy) = (from.0 - center.0, from.1 - center.1);
            let t = (hw / dx.abs().max(f64::EPSILON)).min(hh / dy.abs().max(f64::EPSILON));
            (center.0 + dx * t.min(1.0), center.1 + dy * t.min(1.0))
        }
        None => onto_ensemble(from, center, (ensemble_rx, ensemble_ry)),
    };
    let watches: Html = picture
        .watches
        .iter()
        .map(|w| {
            let from = pos(Endpoint::Process(w.watcher));
            let (a, b) = match w.owner {
                Some(o) => {
                    let to = pos(Endpoint::Process(o));
                    (off(from, to, r + 1.0), off(to, from, r + 3.0))
                }
                None => (off(from, center, r + 1.0), onto_election(from)),
            };
            html! {
                <WatchArrow key={w.watcher.0} watcher={w.watcher.0} owner={w.owner.map(|o| o.0)}
                    ends={[tenths(a.0), tenths(a.1), tenths(b.0), tenths(b.1)]} arrowhead={marker.is_some()} />
            }
        })
        .collect();

    let flights: Html = picture
        .flights
        .iter()
        .map(|f| {
            let (a, b) = (pos(f.from), pos(f.to));
            let t = f.progress;
            message_glyph(f.kind, a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
        })
        .collect();

    let servers: Html = picture
        .servers
        .iter()
        .map(|s| {
            let (x, y) = pos(Endpoint::Server(s.id));
            let role = s.role_name();
            let class = classes!(
                "server-node",
                role,
                lit(Endpoint::Server(s.id)).then_some("highlight")
            );
            let (w, h) = server_box;
            html! {
                <g {class} data-node-server={s.id.to_string()}>
                    if role == "leader" {
                        <ellipse class="ring" cx={x.to_string()} cy={y.to_string()}
                                 rx={u1(w / 2.0 + 5.0)} ry={u1(h / 2.0 + 5.0)} />
                    }
                    <rect class="shape" x={u1(x - w / 2.0)} y={u1(y - h / 2.0)}
                          width={u1(w)} height={u1(h)} rx="6" />
                    <text class="label" x={x.to_string()} y={y.to_string()} dy="-0.15em"
                          style={font_px(type_.name())}>{ s.id.to_string() }</text>
                    <text class="sublabel" x={x.to_string()} y={y.to_string()} dy="1.05em"
                          style={font_px(type_.small())}>{ role }</text>
                </g>
            }
        })
        .collect();

    // Who gets a label of their own: the leader (and whoever believes it leads), the failed
    // leader and whom its failure woke, whoever is highlighted or in the spotlight.
    let failed = picture.failure.as_ref().map(|f| f.leader);
    let few_woken = woken.len() <= CALLOUTS;
    let called_out = |p: &ProcessPicture| {
        p.believes_leader
            || Some(p.id) == failed
            || Some(p.id) == props.spotlight
            || lit(Endpoint::Process(p.id))
            || (few_woken && woken.contains(&p.id))
    };
    // A candidate's name (`c_0000000012`, twelve monospace characters) fits beside its node.
    let beside = spacing >= 7.6 * type_.small();
    let processes: Html = picture
        .processes
        .iter()
        .map(|p| {
            let (x, y) = pos(Endpoint::Process(p.id));
            html! {
                <ProcessNode key={p.id.0} id={p.id.0} x={x.round() as i32} y={y.round() as i32}
                    r10={(r * 10.0).round() as i32} role={p.role_name()}
                    title={format!("{}: {}", p.id, p.role_label())}
                    believes={p.believes_leader} stale={p.stale}
                    suspended={p.believes_leader && p.disconnected_since.is_some()}
                    lit={lit(Endpoint::Process(p.id))} woken={woken.contains(&p.id)}
                    name={name_inside} name10={tenths(type_.name())} small10={tenths(type_.small())}
                    candidate={match picture.candidate_of(p) {
                        Some((name, true)) if beside => name.to_owned(),
                        _ => String::new(),
                    }}
                    countdown={if beside { p.session_left_ms.map(|ms| format!("{:.1} s", ms as f64 / 1000.0)).unwrap_or_default() } else { String::new() }} />
            }
        })
        .collect();

    // Where candidates and countdowns do not fit beside the nodes, the called-out processes
    // get a label outside their node, away from the ensemble (with the countdown of a session
    // nobody renews).
    let callouts: Html = if beside {
        Html::default()
    } else {
        // Each label below any earlier one it would overlap (the failed leader and its
        // successor often sit side by side at the top).
        let mut placed: Vec<(f64, f64, f64)> = Vec::new();
        picture
            .processes
            .iter()
            .filter(|p| called_out(p))
            .map(|p| {
                let at = pos(Endpoint::Process(p.id));
                let line = type_.small() * 1.2;
                let (x, mut y) = off(
                    at,
                    (2.0 * at.0 - center.0, 2.0 * at.1 - center.1),
                    r + line * 0.75,
                );
                let countdown = p
                    .session_left_ms
                    .filter(|_| p.liveness != Liveness::Running)
                    .map(|ms| format!(" {:.1} s", ms as f64 / 1000.0))
                    .unwrap_or_default();
                let text = format!("{}{countdown}", p.id);
                let half = text.len() as f64 * 0.31 * type_.small();
                while placed
                    .iter()
                    .any(|&(px, py, ph)| (px - x).abs() < ph + half && (py - y).abs() < line)
                {
                    y += line;
                }
                placed.push((x, y, half));
                html! {
                    <text class="callout" x={u1(x)} y={u1(y)} dy="0.35em"
                          style={font_px(type_.small())}
                          data-callout={p.id.to_string()}>
                        { text }
                    </text>
                }
            })
            .collect()
    };

    // The latest failure (its attributes name it even once its caption is spent).
    let caption = picture.failure.as_ref().map(|f| {
        let n = f.woken.len();
        let words = picture.failure_caption().unwrap_or_default();
        html! {
            <text class="caption" x="12" y={u1(frame.height - 0.5 * type_.small())}
                  style={font_px(type_.small())}
                  data-failure={f.leader.to_string()} data-woken-count={n.to_string()}>
                { words }
            </text>
        }
    });

    // The resource's box holds three lines, the longest "12 accepted · 3 rejected"; in the
    // top right corner, inside the drawing, growing leftwards.
    let resource = picture.resource.map(|resource| {
        let small = type_.small();
        let (w, h) = ((14.0 * small).max(220.0), (3.9 * small).max(60.0));
        let (x, y) = (
            (RESOURCE.0 + 110.0 - w / 2.0).min(WIDTH - w / 2.0 - 2.0),
            RESOURCE.1.max(h / 2.0 + 2.0),
        );
        let line = |n: f64| u1(y - h / 2.0 + small * (0.3 + 1.2 * n));
        let font = font_px(small);
        html! {
            <g class={classes!("resource", lit(Endpoint::Resource).then_some("highlight"))}>
                <rect x={u1(x - w / 2.0)} y={u1(y - h / 2.0)}
                      width={u1(w)} height={u1(h)} rx="4" />
                <text class="label" x={u1(x)} y={line(1.0)} style={font.clone()}>{ "shared resource" }</text>
                <text class="sublabel" x={u1(x)} y={line(2.0)} style={font.clone()}>
                    { format!("token ≥ {}", resource.highest) }
                </text>
                <text class="sublabel" x={u1(x)} y={line(3.0)} style={font}>
                    { format!("{} accepted · {} rejected", resource.accepted, resource.rejected) }
                </text>
            </g>
        }
    });
    let onmouseover = {
        let (on_spot, spotlight) = (props.on_spot.clone(), props.spotlight);
        Callback::from(move |e: MouseEvent| {
            let under = process_under(&e);
            if under.is_some() && under != spotlight {
                on_spot.emit(under);
            }
        })
    };
    let onmouseleave = {
        let (on_spot, spotlight) = (props.on_spot.clone(), props.spotlight);
        Callback::from(move |_: MouseEvent| {
            if spotlight.is_some() {
                on_spot.emit(None);
            }
        })
    };
    let class = classes!(
        "cluster",
        (count > LINKS_UP_TO).then_some("dense"),
        // A handful of processes: room for names a phone can read.
        (r >= MAX_RADIUS).then_some("roomy")
    );
    html! {
        <svg {class} ref={svg} viewBox={format!("0 0 {WIDTH} {:.1}", frame.height)} role="img"
             aria-label={format!("The cluster: {count} processes around the ZooKeeper ensemble")}
             {onmouseover} {onmouseleave}>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"
                        markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
            </defs>
            <ellipse class="ensemble" cx={center.0.to_string()} cy={u1(center.1)}
                     rx={u1(ensemble_rx)} ry={u1(ensemble_ry)} />
            <text class="ensemble-label" x={center.0.to_string()} y={u1(center.1 + ensemble_ry - 0.6 * type_.small())}
                  style={font_px(type_.small())}>
                { "ZooKeeper ensemble" }
            </text>
            { links }
            { election_box }
            { watches }
            { servers }
            { processes }
            { for resource }
            { flights }
            { callouts }
            { for caption }
        </svg>
    }
}
