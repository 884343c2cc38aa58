//! One card per process and per server, with its state in words and its fault buttons. The
//! automation contract lives here: `data-process`/`data-server`, `data-role`, and
//! `data-action` on each button.

use crate::state::{Action, RunHandle};
use crate::view;
use yew::prelude::*;
use zooscope_core::ids::{Endpoint, ProcessId, ServerId};
use zooscope_core::sim::process::Status;
use zooscope_core::sim::Command;

/// Props of [`Actors`].
#[derive(Properties, PartialEq)]
pub struct ActorsProps {
    /// The run.
    pub run: RunHandle,
    /// Where actions go.
    pub dispatch: Callback<Action>,
    /// How long the pause buttons pause a process, in seconds.
    pub pause_seconds: u32,
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
    /// Candidate and server.
    pub detail: String,
    /// Running or paused (it can be killed, stopped, paused).
    pub alive: bool,
    /// Cut off from the network.
    pub cut: bool,
    /// Pause length, in seconds.
    pub pause_seconds: u32,
    /// Where actions go.
    pub dispatch: Callback<Action>,
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
    html! {
        <li class={classes!("card", props.role, props.stale.then_some("stale"))} data-process={id.0.to_string()}
            data-role={props.role} data-stale={props.stale.then_some("true")}>
            <div class="card-title">
                <strong>{ id.to_string() }</strong>
                <span class="role">{ props.label.clone() }</span>
            </div>
            <div class="card-detail">{ props.detail.clone() }</div>
            <div class="card-actions">
                if props.alive {
                    { button("kill", "kill", format!("{id}: it crashes; its session lingers until it expires"), send(Command::KillProcess(id))) }
                    { button("stop", "stop", format!("{id} gracefully: its session closes now"), send(Command::StopProcess(id))) }
                    { button("pause", "pause", format!("{id} for {} s (a GC pause)", props.pause_seconds), send(Command::PauseProcess(id, pause_ms))) }
                } else {
                    { button("restart", "restart", format!("{id} with a new session"), send(Command::RestartProcess(id))) }
                }
                if props.cut {
                    { button("reconnect", "heal", format!("{id} to the network"), send(Command::Heal(Some(me)))) }
                } else {
                    { button("cut off", "partition", format!("{id} from the network"), send(Command::Partition(me, None))) }
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
    /// Cut off from the network.
    pub cut: bool,
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
        <li class={classes!("card", "server-card", props.role)} data-server={id.0.to_string()} data-role={props.role}>
            <div class="card-title">
                <strong>{ id.to_string() }</strong>
                <span class="role">{ props.role }</span>
            </div>
            <div class="card-detail">{ props.detail.clone() }</div>
            <div class="card-actions">
                if props.up {
                    { button("kill", "kill", format!("server {id}: it crashes"), send(Command::KillServer(id))) }
                } else {
                    { button("restart", "restart", format!("server {id}"), send(Command::RestartServer(id))) }
                }
                if props.cut {
                    { button("reconnect", "heal", format!("server {id} to the network"), send(Command::Heal(Some(me)))) }
                } else {
                    { button("cut off", "partition", format!("server {id} from the network"), send(Command::Partition(me, None))) }
                }
            </div>
        </li>
    }
}

/// The process and server cards.
#[function_component(Actors)]
pub fn actors(props: &ActorsProps) -> Html {
    props.run.with(|run| {
        let sim = run.sim();
        let partitioned: Vec<Endpoint> = sim.network().isolated().collect();
        let processes: Html = sim
            .processes()
            .map(|p| {
                let id = p.id();
                let candidate = p
                    .candidate()
                    .map(|c| view::short(&c.path))
                    .unwrap_or_else(|| "—".into());
                let server = match (p.client().server(), p.client().is_connected()) {
                    (Some(s), true) => format!(" · via {s}"),
                    (Some(s), false) => format!(" · trying {s}"),
                    (None, _) => String::new(),
                };
                html! {
                    <ProcessCard key={id.0} {id} role={view::process_role(p)}
                        label={view::process_role_label(sim, p)} stale={view::is_stale_leader(sim, p)} detail={format!("{candidate}{server}")}
                        alive={matches!(p.status(), Status::Running | Status::Paused { .. })}
                        cut={partitioned.contains(&Endpoint::Process(id))}
                        pause_seconds={props.pause_seconds} dispatch={props.dispatch.clone()} />
                }
            })
            .collect();
        let servers: Html = sim
            .servers()
            .map(|s| {
                let id = s.id();
                let clients = s.clients().count();
                let detail = format!(
                    "{} · {clients} client{}",
                    s.committed(),
                    if clients == 1 { "" } else { "s" }
                );
                html! {
                    <ServerCard key={u32::from(id.0)} {id} role={view::server_role(s.role())} {detail}
                        up={s.is_up()} cut={partitioned.contains(&Endpoint::Server(id))}
                        dispatch={props.dispatch.clone()} />
                }
            })
            .collect();
        html! {
            <div class="actors">
                <h2 id="servers-title">{ "Servers" }</h2>
                <ul class="cards" aria-labelledby="servers-title">{ servers }</ul>
                <h2 id="processes-title">{ "Processes" }</h2>
                <ul class="cards" aria-labelledby="processes-title" aria-live="polite">{ processes }</ul>
            </div>
        }
    })
}
