//! The cluster as a picture (SVG): the ensemble in the middle, the processes around it, the
//! shared resource in a corner; arrows from each watcher to what it watches; the messages in
//! flight moving along their links. Roles are told by shape and label, not colour alone.
//!
//! Imports from the page `layout`; from the core `actor`, `ids`, `picture`.

use crate::layout::{self, CENTER, HEIGHT, RESOURCE, WIDTH};
use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::actor::message::MessageKind;
use zooscope_core::ids::Endpoint;
use zooscope_core::picture::Picture;

/// Props of [`ClusterView`].
#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    /// What to draw.
    pub picture: Rc<Picture>,
    /// Actors to highlight (from a clicked log entry).
    pub highlighted: Vec<Endpoint>,
}

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

/// What one process looks like in the picture: equal nodes are not rendered again.
#[derive(Properties, PartialEq)]
struct ProcessNodeProps {
    id: u32,
    x: i32,
    y: i32,
    r: i32,
    role: &'static str,
    title: String,
    believes: bool,
    stale: bool,
    lit: bool,
    candidate: String,
    countdown: String,
}

#[function_component(ProcessNode)]
fn process_node(props: &ProcessNodeProps) -> Html {
    let (x, y, r) = (f64::from(props.x), f64::from(props.y), f64::from(props.r));
    let class = classes!(
        "process-node",
        props.role,
        props.believes.then_some("believes-leader"),
        props.stale.then_some("stale"),
        props.lit.then_some("highlight")
    );
    html! {
        <g {class} data-node-process={props.id.to_string()}>
            <title>{ props.title.clone() }</title>
            { process_shape(props.role, x, y, r) }
            <text class="label" x={x.to_string()} y={(y + 5.0).to_string()}>{ format!("p{}", props.id) }</text>
            <text class="sublabel" x={x.to_string()} y={(y + r + 14.0).to_string()}>{ props.candidate.clone() }</text>
            <text class="countdown" x={x.to_string()} y={(y - r - 7.0).to_string()}>{ props.countdown.clone() }</text>
        </g>
    }
}

/// The cluster picture.
#[function_component(ClusterView)]
pub fn cluster_view(props: &ClusterViewProps) -> Html {
    let picture = &*props.picture;
    let at = layout::positions(picture);
    let pos = |e: Endpoint| at.get(&e).copied().unwrap_or(CENTER);
    let r = if picture.processes.len() > 30 {
        12.0
    } else {
        22.0
    };
    let lit = |e: Endpoint| props.highlighted.contains(&e);

    // A session's connection to its server; dashed while the client is still trying it.
    let links: Html = picture
        .processes
        .iter()
        .filter_map(|p| p.server.map(|s| (p.id, s, p.connected)))
        .map(|(p, s, connected)| {
            let (a, b) = (pos(Endpoint::Process(p)), pos(Endpoint::Server(s)));
            let class = classes!("link", (!connected).then_some("connecting"));
            html! { <line {class} x1={a.0.to_string()} y1={a.1.to_string()}
            x2={b.0.to_string()} y2={b.1.to_string()} /> }
        })
        .collect();

    let watches: Html = picture
        .watches
        .iter()
        .map(|w| {
            let a = pos(Endpoint::Process(w.watcher));
            let b = w.owner.map_or(CENTER, |o| pos(Endpoint::Process(o)));
            let target = w.owner.map_or("election".to_owned(), |o| o.to_string());
            html! {
                <line class="watch-edge" marker-end="url(#arrow)"
                      data-watch-from={w.watcher.to_string()} data-watch-to={target}
                      x1={a.0.to_string()} y1={a.1.to_string()}
                      x2={(a.0 + (b.0 - a.0) * 0.88).to_string()}
                      y2={(a.1 + (b.1 - a.1) * 0.88).to_string()} />
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
            let class = classes!("server-node", role, lit(Endpoint::Server(s.id)).then_some("highlight"));
            html! {
                <g {class} data-node-server={s.id.to_string()}>
                    if role == "leader" {
                        <circle class="ring" cx={x.to_string()} cy={y.to_string()} r="42" />
                    }
                    <rect class="shape" x={(x - 38.0).to_string()} y={(y - 19.0).to_string()}
                          width="76" height="38" rx="6" />
                    <text class="label" x={x.to_string()} y={(y - 2.0).to_string()}>{ s.id.to_string() }</text>
                    <text class="sublabel" x={x.to_string()} y={(y + 12.0).to_string()}>{ role }</text>
                </g>
            }
        })
        .collect();

    let processes: Html = picture
        .processes
        .iter()
        .map(|p| {
            let (x, y) = pos(Endpoint::Process(p.id));
            html! {
                <ProcessNode key={p.id.0} id={p.id.0} x={x.round() as i32} y={y.round() as i32}
                    r={r as i32} role={p.role_name()}
                    title={format!("{}: {}", p.id, p.role_label())}
                    believes={p.believes_leader} stale={p.stale}
                    lit={lit(Endpoint::Process(p.id))}
                    candidate={p.candidate_name().unwrap_or_default().to_owned()}
                    countdown={p.session_left_ms.map(|ms| format!("{:.1} s", ms as f64 / 1000.0)).unwrap_or_default()} />
            }
        })
        .collect();

    let resource = picture.resource.map(|resource| html! {
        <g class={classes!("resource", lit(Endpoint::Resource).then_some("highlight"))}>
            <rect x={(RESOURCE.0 - 110.0).to_string()} y={(RESOURCE.1 - 30.0).to_string()} width="220" height="60" rx="4" />
            <text class="label" x={RESOURCE.0.to_string()} y={(RESOURCE.1 - 10.0).to_string()}>{ "shared resource" }</text>
            <text class="sublabel" x={RESOURCE.0.to_string()} y={(RESOURCE.1 + 6.0).to_string()}>
                { format!("token ≥ {}", resource.highest) }
            </text>
            <text class="sublabel" x={RESOURCE.0.to_string()} y={(RESOURCE.1 + 21.0).to_string()}>
                { format!("{} accepted · {} rejected", resource.accepted, resource.rejected) }
            </text>
        </g>
    });
    html! {
        <svg class="cluster" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
             aria-label="The cluster: processes around the ZooKeeper ensemble">
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"
                        markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
            </defs>
            <ellipse class="ensemble" cx={CENTER.0.to_string()} cy={CENTER.1.to_string()} rx="175" ry="150" />
            <text class="ensemble-label" x={CENTER.0.to_string()} y={(CENTER.1 + 170.0).to_string()}>
                { "ZooKeeper ensemble" }
            </text>
            { links }
            { watches }
            { servers }
            { processes }
            { for resource }
            { flights }
        </svg>
    }
}
