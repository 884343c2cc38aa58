//! One card per process and per server, with its state in words and its fault buttons. The
//! automation contract lives here: `data-process`/`data-server`, `data-role`, and
//! `data-action` on each button.
//!
//! Imports from the page `state`; from the core `ids`, `picture`, `sim`.

use crate::state::Action;
use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::ids::{Endpoint, ProcessId, ServerId};
use zooscope_core::picture;
use zooscope_core::picture::{Picture, ProcessKind, ProcessPicture, Source};
use zooscope_core::sim::Command;

/// More process cards than this scroll in a box of their own.
const MANY: usize = 60;

/// Props of [`Actors`].
#[derive(Properties, PartialEq)]
pub struct ActorsProps {
    /// What to show.
    pub picture: Rc<Picture>,
    /// Where actions go.
    pub dispatch: Callback<Action>,
    /// How long the pause buttons pause a process, in seconds.
    pub pause_seconds: u32,
    /// Called with the process whose card the pointer or the focus is on, `None` when it
    /// leaves (the picture labels that process).
    #[prop_or_default]
    pub on_spot: Callback<Option<ProcessId>>,
}

/// A card's button: its accessible name begins with its visible label (what a speech-input
/// user says to press it), then says whom it acts on and what that does.
fn button(label: &str, action: &str, what: String, on: Callback<MouseEvent>) -> Html {
    let name = format!("{label} {what}");
    html! {
        <button type="button" data-action={action.to_owned()} title={name.clone()}
                aria-label={name} onclick={on}>{ label }</button>
    }
}

/// A process's connection as its card's `data-connection` names it.
fn connection_of(p: &ProcessPicture) -> &'static str {
    match (p.connected, p.disconnected_since, p.server) {
        (true, _, _) => "connected",
        (false, Some(_), _) => "disconnected",
        (false, None, Some(_)) => "connecting",
        (false, None, None) => "none",
    }
}

/// What a process card shows: equal cards are not rendered again.
#[derive(Properties, PartialEq, Clone)]
pub struct ProcessCardProps {
    /// The process.
    pub id: ProcessId,
    /// Its `data-role`.
    pub role: &'static str,
    /// Its role in words.
    pub label: String,
    /// It believes it leads, wrongly.
    pub stale: bool,
    /// Its connection: `connected`, `connecting` (no session yet), `disconnected` (its
    /// session lost its server) or `none` (no client: crashed, stopped, expired).
    #[prop_or("none")]
    pub connection: &'static str,
    /// Candidate and server.
    pub detail: String,
    /// Running or paused (it can be killed, stopped, paused).
    pub alive: bool,
    /// Cut off from the network (`None`: a network that cannot be cut, a real one).
    pub cut: Option<bool>,
    /// Why its buttons are not Zooscope's to offer, if they are not (a live session's
    /// external client).
    #[prop_or_default]
    pub foreign: Option<AttrValue>,
    /// Pause length, in seconds.
    pub pause_seconds: u32,
    /// Where actions go.
    pub dispatch: Callback<Action>,
    /// Called with this process when the pointer or the focus comes to the card, `None` when
    /// it leaves.
    #[prop_or_default]
    pub on_spot: Callback<Option<ProcessId>>,
}

/// One process's card.
#[function_component(ProcessCard)]
pub fn process_card(props: &ProcessCardProps) -> Html {
    let id = props.id;
    let me = Endpoint::Process(id);
    let send = |command: Command| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Command(command.clone())))
    };
    let pause_ms = u64::from(props.pause_seconds) * 1000;
    let here = props.on_spot.reform(move |_: FocusEvent| Some(id));
    let gone = props.on_spot.reform(|_: FocusEvent| None);
    let pointed = props.on_spot.reform(move |_: MouseEvent| Some(id));
    let left = props.on_spot.reform(|_: MouseEvent| None);
    html! {
        <li class={classes!("card", props.role, props.stale.then_some("stale"))} data-process={id.0.to_string()}
            data-role={props.role} data-stale={props.stale.then_some("true")} data-connection={props.connection}
            onfocusin={here} onfocusout={gone} onmouseenter={pointed} onmouseleave={left}>
            <div class="card-title">
                <strong>{ id.to_string() }</strong>
                <span class="role">{ props.label.clone() }</span>
            </div>
            <div class="card-detail">{ props.detail.clone() }</div>
            <div class="card-actions">
                if let Some(why) = props.foreign.clone() {
                    <span class="card-note" data-foreign="">{ why }</span>
                } else if props.alive {
                    { button("kill", "kill", format!("{id}: it crashes; its session lingers until it expires"), send(Command::Act(picture::Action::KillProcess(id)))) }
                    { button("stop", "stop", format!("{id} gracefully: its session closes now"), send(Command::Act(picture::Action::StopProcess(id)))) }
                    { button("pause", "pause", format!("{id} for {} s (a GC pause)", props.pause_seconds), send(Command::Act(picture::Action::PauseProcess(id, pause_ms)))) }
                } else {
                    { button("restart", "restart", format!("{id} with a new session"), send(Command::Act(picture::Action::RestartProcess(id)))) }
                }
                if let Some(cut) = props.cut {
                    if cut {
                        { button("reconnect", "heal", format!("{id} to the network"), send(Command::Heal(Some(me)))) }
                    } else {
                        { button("cut off", "partition", format!("{id} from the network"), send(Command::Partition(me, None))) }
                    }
                }
            </div>
        </li>
    }
}

/// What a server card shows.
#[derive(Properties, PartialEq, Clone)]
pub struct ServerCardProps {
    /// The server.
    pub id: ServerId,
    /// Its `data-role`.
    pub role: &'static str,
    /// Its last zxid and clients.
    pub detail: String,
    /// Running.
    pub up: bool,
    /// Running but not answering (a frozen server, live).
    pub silent: bool,
    /// Cut off from the network (`None`: a network that cannot be cut, a real one).
    pub cut: Option<bool>,
    /// Why Zooscope may not kill, restart or cut off this server, if it may not (an ensemble
    /// someone else runs).
    pub unmanaged: Option<AttrValue>,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}

/// One server's card.
#[function_component(ServerCard)]
pub fn server_card(props: &ServerCardProps) -> Html {
    let id = props.id;
    let me = Endpoint::Server(id);
    let send = |command: Command| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Command(command.clone())))
    };
    html! {
        <li class={classes!("card", "server-card", props.role, props.silent.then_some("silent"))} data-server={id.0.to_string()} data-role={props.role}
            data-answers={(!props.silent).to_string()}>
            <div class="card-title">
                <strong>{ id.to_string() }</strong>
                <span class="role">{ props.role }</span>
            </div>
            <div class="card-detail">{ props.detail.clone() }</div>
            <div class="card-actions">
                if let Some(why) = props.unmanaged.clone() {
                    <span class="card-note" data-unmanaged="">{ why }</span>
                } else if props.up {
                    { button("kill", "kill", format!("server {id}: it crashes"), send(Command::Act(picture::Action::KillServer(id)))) }
                } else {
                    { button("restart", "restart", format!("server {id}"), send(Command::Act(picture::Action::RestartServer(id)))) }
                }
                if let Some(cut) = props.cut {
                    if cut {
                        { button("reconnect", "heal", format!("server {id} to the network"), send(Command::Heal(Some(me)))) }
                    } else {
                        { button("cut off", "partition", format!("server {id} from the network"), send(Command::Partition(me, None))) }
                    }
                }
            </div>
        </li>
    }
}

/// The process and server cards.
#[function_component(Actors)]
pub fn actors(props: &ActorsProps) -> Html {
    let picture = &*props.picture;
    // Only the simulated network can be cut; a real one is the machine's.
    let simulated = matches!(picture.source, Source::Simulation);
    let cut = |e: Endpoint| simulated.then(|| picture.cut_off.contains(&e));
    let foreign = |kind: ProcessKind| -> Option<AttrValue> {
        match kind {
            _ if simulated => None,
            ProcessKind::Candidate => None,
            ProcessKind::Console => {
                Some("the console's client: close it with zkCli's close".into())
            }
            ProcessKind::External => {
                Some("a client Zooscope did not start: it cannot kill or pause it".into())
            }
        }
    };
    let unmanaged: Option<AttrValue> = match &picture.source {
        Source::Live {
            owns_servers: false,
            ..
        } => Some("started outside Zooscope: it cannot kill or restart it".into()),
        _ => None,
    };
    let many = picture.processes.len() > MANY;
    let processes: Html = picture
        .processes
        .iter()
        .map(|p| {
            let id = p.id;
            let candidate = match picture.candidate_of(p) {
                Some((name, true)) => name.to_owned(),
                Some((name, false)) => format!("{name} (deleted)"),
                None => "—".to_owned(),
            };
            // Its connection: a session that lost its server cannot know what the ensemble
            // decides meanwhile (a leader among them cannot know whether it still leads).
            let server = match (p.server, p.connected, p.disconnected_since) {
                (Some(s), true, _) => format!(" · via {s}"),
                (_, false, Some(since)) => format!(
                    " · disconnected since {:.2} s{}",
                    since.secs(),
                    p.server
                        .map(|s| format!(", trying {s}"))
                        .unwrap_or_default()
                ),
                (Some(s), false, None) => format!(" · connecting to {s}"),
                (None, _, _) => String::new(),
            };
            html! {
                <ProcessCard key={id.0} {id} role={p.role_name()} connection={connection_of(p)}
                    label={p.role_label()} stale={p.stale} detail={format!("{candidate}{server}")}
                    alive={p.is_alive()} cut={cut(Endpoint::Process(id))} foreign={foreign(p.kind)}
                    pause_seconds={props.pause_seconds} dispatch={props.dispatch.clone()}
                    on_spot={props.on_spot.clone()} />
            }
        })
        .collect();
    let servers: Html = picture
        .servers
        .iter()
        .map(|s| {
            let detail = match s.silent_since {
                // A frozen server: what it last said may no longer hold.
                Some(since) => format!(
                    "does not answer ({} s) · last said {}",
                    picture.now.since(since) / 1000,
                    s.last_zxid
                ),
                None => format!(
                    "{} · {} client{}",
                    s.last_zxid,
                    s.clients,
                    if s.clients == 1 { "" } else { "s" }
                ),
            };
            html! {
                <ServerCard key={u32::from(s.id.0)} id={s.id} role={s.role_name()} {detail}
                    silent={s.silent_since.is_some()} up={s.is_up()} cut={cut(Endpoint::Server(s.id))} unmanaged={unmanaged.clone()}
                    dispatch={props.dispatch.clone()} />
            }
        })
        .collect();
    html! {
        <div class="actors">
            <h2 id="servers-title">{ "Servers" }</h2>
            <ul class="cards" aria-labelledby="servers-title">{ servers }</ul>
            <h2 id="processes-title">{ "Processes" }</h2>
            // Hundreds of cards scroll in a box of their own, and are not read out as they
            // change (the headline announces what matters).
            <ul class={classes!("cards", many.then_some("many"))} aria-labelledby="processes-title"
                aria-live={(!many).then_some("polite")}>{ processes }</ul>
        </div>
    }
}
