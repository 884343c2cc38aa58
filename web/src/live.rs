//! Live mode in the page: the stream of pictures `zooscope live` sends from a real ensemble
//! (kept in [`crate::state::seen`]), the actions and console lines the page sends back, and
//! what each of the page's actions means live.
//!
//! The page is live when it was opened from the address `zooscope live` printed
//! (`#live=<token>`); the token goes with every call, and the bridge answers only its own page.
//!
//! Imports [`crate::state`]'s actions, what was seen and the live console; from the core, the
//! picture and the commands.

use crate::state::live_console::Printed;
use crate::state::seen::{Seen, SeenAction};
use crate::state::Action;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use zooscope_core::picture;
use zooscope_core::picture::{Picture, ProcessKind, ProcessPicture};
use zooscope_core::sim::Command;

/// Whether the page was opened as live mode: the token after `#live=`.
pub fn linked_token() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let token = hash.strip_prefix("#live=")?;
    (!token.is_empty() && token.chars().all(|c| c.is_ascii_hexdigit())).then(|| token.to_owned())
}

/// How long a lost stream waits before it is opened again.
const RECONNECT_MS: u32 = 1_000;

/// Opens the stream of pictures for `token` and feeds them into `seen`; a stream that is lost
/// (or cannot open) is opened again a second later, and what was seen stays. The socket
/// closes with the page.
#[hook]
pub fn use_live_feed(token: Option<String>) -> UseReducerHandle<Seen> {
    let seen = use_reducer(Seen::default);
    {
        let dispatcher = seen.dispatcher();
        use_effect_with((token, seen.attempt()), move |(token, _)| {
            let socket = token
                .as_deref()
                .and_then(|t| open_stream(t, dispatcher.clone()));
            let retry = (token.is_some() && socket.is_none()).then(|| {
                dispatcher.dispatch(SeenAction::Trouble(
                    "the page could not connect to zooscope live".into(),
                ));
                let dispatcher = dispatcher.clone();
                gloo_timers::callback::Timeout::new(RECONNECT_MS, move || {
                    dispatcher.dispatch(SeenAction::Reconnect);
                })
            });
            move || {
                drop(retry);
                if let Some((socket, _keep)) = socket {
                    socket.set_onclose(None);
                    let _ = socket.close();
                }
            }
        });
    }
    seen
}

/// The callbacks a socket holds must live as long as it does.
type Handlers = (
    Closure<dyn FnMut(web_sys::MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

fn open_stream(
    token: &str,
    seen: UseReducerDispatcher<Seen>,
) -> Option<(web_sys::WebSocket, Handlers)> {
    let host = web_sys::window()?.location().host().ok()?;
    let socket = web_sys::WebSocket::new(&format!("ws://{host}/api/stream?token={token}")).ok()?;
    socket.set_binary_type(web_sys::BinaryType::Arraybuffer);
    let arrived = {
        let seen = seen.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            match bincode::deserialize::<Picture>(&bytes) {
                Ok(picture) => seen.dispatch(SeenAction::Arrived(Rc::new(picture))),
                Err(e) => seen.dispatch(SeenAction::Trouble(format!(
                    "zooscope live sent something that is not a picture ({e})"
                ))),
            }
        })
    };
    let closed = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        seen.dispatch(SeenAction::Trouble(
            "the connection to zooscope live is lost: is it still running?".into(),
        ));
        let seen = seen.clone();
        gloo_timers::callback::Timeout::new(RECONNECT_MS, move || {
            seen.dispatch(SeenAction::Reconnect);
        })
        .forget();
    });
    socket.set_onmessage(Some(arrived.as_ref().unchecked_ref()));
    socket.set_onclose(Some(closed.as_ref().unchecked_ref()));
    Some((socket, (arrived, closed)))
}

/// Sends `action` to the bridge; what it said if it refused.
pub async fn send(token: &str, action: &picture::Action) -> Result<(), String> {
    let body = serde_json::to_string(action).map_err(|e| e.to_string())?;
    post(&format!("/api/command?token={token}"), &body)
        .await
        .map(drop)
}

/// POSTs `body` to the bridge's `path`: its answer's text, or what it said when it refused.
async fn post(path: &str, body: &str) -> Result<String, String> {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(body));
    let request = web_sys::Request::new_with_str_and_init(path, &init)
        .map_err(|_| "the request could not be sent".to_owned())?;
    let window = web_sys::window().ok_or("no window")?;
    let answer = wasm_bindgen_futures::JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| "zooscope live did not answer: is it still running?".to_owned())?;
    let response: web_sys::Response = answer.dyn_into().map_err(|_| "no answer".to_owned())?;
    let text = match response.text() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if response.ok() {
        return Ok(text);
    }
    Err(serde_json::from_str::<Refusal>(&text)
        .map(|r| r.error)
        .unwrap_or_else(|_| format!("refused ({})", response.status())))
}

/// The bridge's answer to a console line.
#[derive(serde::Deserialize)]
struct Typed {
    output: String,
    prompt: String,
}

/// The bridge's answer to a call it refused.
#[derive(serde::Deserialize)]
struct Refusal {
    error: String,
}

/// Types `line` into the bridge's zkCli.
pub async fn type_line(token: &str, line: &str) -> Printed {
    match post(&format!("/api/zkcli?token={token}"), line).await {
        Ok(text) => match serde_json::from_str::<Typed>(&text) {
            Ok(typed) => Printed::Output(typed.output, typed.prompt),
            Err(e) => Printed::Failed(format!("zooscope live answered something else ({e})")),
        },
        Err(why) => Printed::Failed(why),
    }
}

/// What a page action means live: a command for the bridge, a console line, a move on the
/// timeline, or nothing (the simulation's own settings have no meaning for a real ensemble).
#[derive(Debug, Clone, PartialEq)]
pub enum LiveMove {
    /// Send this to the bridge.
    Send(picture::Action),
    /// Not something a real cluster takes: say why.
    Refuse(&'static str),
    /// Type this line into the bridge's zkCli.
    Console(String),
    /// Move on the timeline.
    Timeline(SeenAction),
    /// Nothing to do live.
    None,
}

/// Translates the page's `action` for the live session shown in `picture` (`following`: the
/// timeline follows the newest picture).
pub fn translate(action: Action, picture: Option<&Picture>, following: bool) -> LiveMove {
    let candidates = || {
        picture
            .map(|p| {
                p.processes
                    .iter()
                    .filter(|p| p.kind == ProcessKind::Candidate)
                    .collect::<Vec<&ProcessPicture>>()
            })
            .unwrap_or_default()
    };
    match action {
        Action::Command(Command::Act(action)) => LiveMove::Send(action),
        Action::Command(_) => LiveMove::Refuse(
            "cutting links, switching recipes and the simulated console are the simulation's; \
             a live ensemble's network is the machine's",
        ),
        Action::ConsoleLine(line) => LiveMove::Console(line),
        Action::AddProcess => LiveMove::Send(picture::Action::AddProcess),
        Action::RemoveProcess => match candidates().iter().map(|p| p.id).max() {
            Some(last) => LiveMove::Send(picture::Action::RemoveProcess(last)),
            None => LiveMove::None,
        },
        Action::KillLeader => picture
            .and_then(Picture::leader)
            .map_or(LiveMove::None, |p| {
                LiveMove::Send(picture::Action::KillProcess(p))
            }),
        Action::Seek(t) => LiveMove::Timeline(SeenAction::Seek(t)),
        Action::Play => LiveMove::Timeline(SeenAction::Follow),
        Action::Pause => match picture {
            Some(p) => LiveMove::Timeline(SeenAction::Seek(p.now)),
            None => LiveMove::None,
        },
        Action::TogglePlay if following => match picture {
            Some(p) => LiveMove::Timeline(SeenAction::Seek(p.now)),
            None => LiveMove::None,
        },
        Action::TogglePlay => LiveMove::Timeline(SeenAction::Follow),
        _ => LiveMove::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use zooscope_core::ids::{Endpoint, ProcessId, SimTime};
    use zooscope_core::picture::EventFilter;
    use zooscope_core::sim::{Config, Sim};

    /// A picture of three elected candidates, standing in for a live one (the same type).
    fn elected() -> Picture {
        let mut sim = Sim::new(Config {
            processes: 3,
            servers: 1,
            ..Config::default()
        });
        assert!(sim.run_while(SimTime(20_000), |s| s.leaders().len() == 1));
        sim.picture(&EventFilter::none())
    }

    #[test]
    fn what_a_real_cluster_takes_goes_to_the_bridge() {
        let p = elected();
        let leader = p.leader().expect("a leader");
        let last = p
            .processes
            .iter()
            .filter(|q| q.kind == ProcessKind::Candidate)
            .map(|q| q.id)
            .max()
            .expect("candidates");
        let kill = picture::Action::KillProcess(ProcessId(2));
        assert_eq!(
            translate(Action::Command(Command::Act(kill.clone())), Some(&p), true),
            LiveMove::Send(kill)
        );
        assert_eq!(
            translate(Action::KillLeader, Some(&p), true),
            LiveMove::Send(picture::Action::KillProcess(leader))
        );
        assert_eq!(
            translate(Action::AddProcess, Some(&p), true),
            LiveMove::Send(picture::Action::AddProcess)
        );
        // The newest candidate goes, as in the simulation (never the console's client).
        assert_eq!(
            translate(Action::RemoveProcess, Some(&p), true),
            LiveMove::Send(picture::Action::RemoveProcess(last))
        );
        assert_eq!(
            translate(Action::ConsoleLine("ls /".into()), Some(&p), true),
            LiveMove::Console("ls /".into())
        );
    }

    #[test]
    fn what_only_the_simulation_has_is_refused_or_ignored() {
        let p = elected();
        let cut = Command::Partition(Endpoint::Process(ProcessId(1)), None);
        assert!(matches!(
            translate(Action::Command(cut), Some(&p), true),
            LiveMove::Refuse(_)
        ));
        for action in [
            Action::Step,
            Action::StepBack,
            Action::Faster,
            Action::Reset,
        ] {
            assert_eq!(translate(action, Some(&p), true), LiveMove::None);
        }
        // Before the first picture there is no leader to kill and no candidate to remove.
        assert_eq!(translate(Action::KillLeader, None, true), LiveMove::None);
        assert_eq!(translate(Action::RemoveProcess, None, true), LiveMove::None);
    }

    #[test]
    fn playing_and_pausing_move_on_the_timeline_of_what_was_seen() {
        let p = elected();
        let now = p.now;
        assert_eq!(
            translate(Action::Pause, Some(&p), true),
            LiveMove::Timeline(SeenAction::Seek(now))
        );
        assert_eq!(
            translate(Action::Play, Some(&p), false),
            LiveMove::Timeline(SeenAction::Follow)
        );
        // Space: holds the moment shown while following, follows again while held.
        assert_eq!(
            translate(Action::TogglePlay, Some(&p), true),
            LiveMove::Timeline(SeenAction::Seek(now))
        );
        assert_eq!(
            translate(Action::TogglePlay, Some(&p), false),
            LiveMove::Timeline(SeenAction::Follow)
        );
        assert_eq!(
            translate(Action::Seek(SimTime(1_000)), Some(&p), true),
            LiveMove::Timeline(SeenAction::Seek(SimTime(1_000)))
        );
    }
}
