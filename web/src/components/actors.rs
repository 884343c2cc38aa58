//! One card per process and per server, with its state in words and its fault buttons. The
//! automation contract lives here: `data-process`/`data-server`, `data-role`, and
//! `data-action` on each button.

use crate::state::{Action, RunHandle};
use crate::view;
use yew::prelude::*;
use zooscope_core::ids::{Endpoint, ProcessId, ServerId};
use zooscope_core::process::Status;
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

fn button(label: &str, action: &str, title: String, on: Callback<MouseEvent>) -> Html {
    html! {
        <button type="button" data-action={action.to_owned()} title={title.clone()}
                aria-label={title} onclick={on}>{ label }</button>
    }
}

/// The process and server cards.
#[function_component(Actors)]
pub fn actors(props: &ActorsProps) -> Html {
    let send = |command: Command| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Command(command.clone())))
    };
    props.run.with(|run| {
        let sim = run.sim();
        let partitioned: Vec<Endpoint> = sim.network().isolated().collect();
        let pause_ms = u64::from(props.pause_seconds) * 1000;
        let processes: Html = sim
            .processes()
            .map(|p| {
                let id: ProcessId = p.id();
                let me = Endpoint::Process(id);
                let role = view::process_role(p);
                let cut = partitioned.contains(&me);
                let candidate = p
                    .candidate()
                    .map(|c| view::short(&c.path))
                    .unwrap_or_else(|| "—".into());
                let countdown = view::session_countdown(sim, p)
                    .map(|s| format!(" · session {s:.1} s"))
                    .unwrap_or_default();
                let server = p
                    .client()
                    .server()
                    .map(|s| format!(" · via {s}"))
                    .unwrap_or_default();
                let alive = matches!(p.status(), Status::Running | Status::Paused { .. });
                html! {
                    <li class={classes!("card", role)} data-process={id.0.to_string()} data-role={role}>
                        <div class="card-title">
                            <strong>{ id.to_string() }</strong>
                            <span class="role">{ view::process_role_label(p) }</span>
                        </div>
                        <div class="card-detail">{ format!("{candidate}{server}{countdown}") }</div>
                        <div class="card-actions">
                            if alive {
                                { button("kill", "kill", format!("Crash {id}: its session lingers until it expires"), send(Command::KillProcess(id))) }
                                { button("stop", "stop", format!("Stop {id} gracefully: its session closes now"), send(Command::StopProcess(id))) }
                                { button("pause", "pause", format!("Pause {id} for {} s (a GC pause)", props.pause_seconds), send(Command::PauseProcess(id, pause_ms))) }
                            } else {
                                { button("restart", "restart", format!("Restart {id} with a new session"), send(Command::RestartProcess(id))) }
                            }
                            if cut {
                                { button("reconnect", "heal", format!("Reconnect {id} to the network"), send(Command::Heal(Some(me)))) }
                            } else {
                                { button("cut off", "partition", format!("Cut {id} off from the network"), send(Command::Partition(me, None))) }
                            }
                        </div>
                    </li>
                }
            })
            .collect();
        let servers: Html = sim
            .servers()
            .map(|s| {
                let id: ServerId = s.id();
                let me = Endpoint::Server(id);
                let role = view::server_role(s.role());
                let cut = partitioned.contains(&me);
                let clients = s.clients().count();
                html! {
                    <li class={classes!("card", "server-card", role)} data-server={id.0.to_string()} data-role={role}>
                        <div class="card-title">
                            <strong>{ id.to_string() }</strong>
                            <span class="role">{ role }</span>
                        </div>
                        <div class="card-detail">
                            { format!("{} · {clients} client{}", s.committed(), if clients == 1 { "" } else { "s" }) }
                        </div>
                        <div class="card-actions">
                            if s.is_up() {
                                { button("kill", "kill", format!("Crash server {id}"), send(Command::KillServer(id))) }
                            } else {
                                { button("restart", "restart", format!("Restart server {id}"), send(Command::RestartServer(id))) }
                            }
                            if cut {
                                { button("reconnect", "heal", format!("Reconnect server {id}"), send(Command::Heal(Some(me)))) }
                            } else {
                                { button("cut off", "partition", format!("Cut server {id} off from the network"), send(Command::Partition(me, None))) }
                            }
                        </div>
                    </li>
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
