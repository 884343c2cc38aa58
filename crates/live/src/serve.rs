//! The bridge on the web: `zooscope live` serves the page (the same built `dist/` as the
//! simulation's) and an API on 127.0.0.1 only.
//!
//! - `GET /api/picture` — the newest [`zooscope_core::picture::Picture`] as JSON;
//! - `GET /api/stream` — a WebSocket that sends each new picture as it is seen, in bincode
//!   (the page decodes it with far less code than JSON would take);
//! - `POST /api/command` — an [`Action`] as JSON (the vocabulary the simulation takes too):
//!   done, or refused with the reason (`{"error": "…"}`), and nothing changes;
//! - `GET /api/zoo_cfg` — the `zoo.cfg` each server Zooscope started runs with;
//! - `POST /api/zkcli` — a zkCli line, run by the same shell as `zooscope zkcli --real` on the
//!   ensemble (one session, opened by the first line): what zkCli printed, and its prompt.
//!
//! Every API call needs the session's token (`?token=` or the `x-zooscope-token` header, from
//! the URL printed at start), must name this server as its `Host`, and, when a browser sends an
//! `Origin`, come from this server's own page: a page from elsewhere cannot drive the real
//! processes. A picture is taken every frame on a thread of its own; no handler waits for a
//! server (the bridge asks them on threads of their own).
//!
//! Imports [`crate::bridge`]; from the core, the picture's filter and the actions.

use crate::bridge::{Bridge, FRAME};
use crate::zkcli::RealBackend;
use crate::LiveError;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;
use tower_http::services::ServeDir;
use zooscope_core::picture::{Action, EventFilter};
use zooscope_core::zkcli::Shell;

/// Largest command body accepted, in bytes.
const MAX_BODY: usize = 64 * 1024;

/// Where the API listens and what else it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeSettings {
    /// The port on 127.0.0.1 (0: any free one).
    pub port: u16,
    /// The built page (`dist/`), if there is one to serve.
    pub dist: Option<PathBuf>,
}

/// Where a live session can be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The port it listens on.
    pub port: u16,
    /// The session's token.
    pub token: String,
}

impl Served {
    /// The page's address, with the token the page passes on to the API.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/#live={}", self.port, self.token)
    }
}

/// What the handlers share.
struct Shared {
    bridge: Bridge,
    console: Console,
    latest: watch::Receiver<Arc<Frame>>,
    token: String,
    port: u16,
}

/// Serves `bridge` until `shutdown` completes; `ready` learns where, once it listens. The
/// bridge — and with it every server and process it started — is dropped before returning.
pub async fn serve(
    bridge: Bridge,
    settings: ServeSettings,
    ready: impl FnOnce(&Served),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), LiveError> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, settings.port))
        .await
        .map_err(|e| LiveError::io("listening on 127.0.0.1", e))?;
    let port = listener
        .local_addr()
        .map_err(|e| LiveError::io("listening on 127.0.0.1", e))?
        .port();
    let token = new_token()?;
    let (publish, latest) = watch::channel(Arc::new(Frame::default()));
    let console = Console::start(bridge.connect_string(), bridge.console_session());
    let shared = Arc::new(Shared {
        bridge,
        console,
        latest,
        token: token.clone(),
        port,
    });
    let running = Arc::new(AtomicBool::new(true));
    let observer = spawn_observer(shared.clone(), publish, running.clone());
    let api = Router::new()
        .route("/api/picture", get(picture))
        .route("/api/stream", get(stream))
        .route("/api/command", post(command))
        .route("/api/zoo_cfg", get(zoo_cfg))
        .route("/api/zkcli", post(zkcli))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared.clone());
    let app = match settings.dist.filter(|d| d.join("index.html").is_file()) {
        Some(dist) => api.fallback_service(ServeDir::new(dist)),
        None => api.fallback(no_page),
    };
    ready(&Served { port, token });
    let served = axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(shutdown)
        .await;
    running.store(false, Ordering::Relaxed);
    let _ = observer.join();
    // The last handle on the bridge: dropping it stops what it started.
    drop(shared);
    served.map_err(|e| LiveError::io("serving the page", e))
}

/// Looks at the real system every [`FRAME`] and publishes its picture.
fn spawn_observer(
    shared: Arc<Shared>,
    publish: watch::Sender<Arc<Frame>>,
    running: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while running.load(Ordering::Relaxed) {
            let picture = shared.bridge.frame(&EventFilter::default());
            publish.send_replace(Arc::new(Frame {
                json: serde_json::to_string(&picture).unwrap_or_default(),
                binary: bincode::serialize(&picture).unwrap_or_default(),
            }));
            std::thread::sleep(FRAME);
        }
    })
}

/// One picture, as the API's reader (JSON) and the page's stream (bincode) want it.
#[derive(Debug, Default)]
struct Frame {
    json: String,
    binary: Vec<u8>,
}

/// Refuses an API call without the token, for another host, or from another origin.
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    match check(&shared, request.headers(), request.uri().query()) {
        Ok(()) => next.run(request).await,
        Err(why) => refuse(StatusCode::FORBIDDEN, why),
    }
}

/// Why a request may not use the API, if it may not.
fn check(shared: &Shared, headers: &HeaderMap, query: Option<&str>) -> Result<(), String> {
    let ours = [
        format!("127.0.0.1:{}", shared.port),
        format!("localhost:{}", shared.port),
    ];
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !ours.iter().any(|o| o == host) {
        return Err(format!("this API answers only as {}", ours[0]));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !ours.iter().any(|o| origin == format!("http://{o}")) {
            return Err(format!(
                "requests from {origin} are refused: only this bridge's own page may drive it"
            ));
        }
    }
    let given = headers
        .get("x-zooscope-token")
        .and_then(|t| t.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            query?
                .split('&')
                .find_map(|kv| kv.strip_prefix("token="))
                .map(str::to_owned)
        });
    match given {
        Some(t) if t == shared.token => Ok(()),
        Some(_) => Err("wrong token: use the address `zooscope live` printed".into()),
        None => Err("no token: use the address `zooscope live` printed".into()),
    }
}

fn refuse(status: StatusCode, why: String) -> Response {
    (status, Json(serde_json::json!({ "error": why }))).into_response()
}

async fn picture(State(shared): State<Arc<Shared>>) -> Response {
    let frame = shared.latest.borrow().clone();
    (
        [(header::CONTENT_TYPE, "application/json")],
        frame.json.clone(),
    )
        .into_response()
}

async fn stream(State(shared): State<Arc<Shared>>, upgrade: WebSocketUpgrade) -> Response {
    let latest = shared.latest.clone();
    upgrade.on_upgrade(move |socket| send_pictures(socket, latest))
}

/// Sends every new picture until the page goes away; what the page sends is ignored (it
/// commands through `POST /api/command`).
async fn send_pictures(mut socket: WebSocket, mut latest: watch::Receiver<Arc<Frame>>) {
    loop {
        let frame = latest.borrow_and_update().clone();
        if !frame.binary.is_empty()
            && socket
                .send(Message::Binary(frame.binary.clone().into()))
                .await
                .is_err()
        {
            return;
        }
        if latest.changed().await.is_err() {
            return;
        }
    }
}

async fn command(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    if body.len() > MAX_BODY {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a command is at most {MAX_BODY} bytes"),
        );
    }
    let action: Action = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, format!("not a command: {e}")),
    };
    // Starting a process forks: off the async threads.
    let done = tokio::task::spawn_blocking(move || shared.bridge.act(&action))
        .await
        .unwrap_or_else(|_| Err("the bridge stopped".to_owned()));
    match done {
        Ok(()) => Json(serde_json::json!({ "ok": true })).into_response(),
        Err(why) => refuse(StatusCode::BAD_REQUEST, why),
    }
}

async fn zkcli(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    if body.len() > MAX_BODY {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a console line is at most {MAX_BODY} bytes"),
        );
    }
    let line = String::from_utf8_lossy(&body).into_owned();
    let answer = tokio::task::spawn_blocking(move || shared.console.enter(line))
        .await
        .unwrap_or_else(|_| Err("the console stopped".to_owned()));
    match answer {
        Ok((output, prompt)) => {
            Json(serde_json::json!({ "output": output, "prompt": prompt })).into_response()
        }
        Err(why) => refuse(StatusCode::SERVICE_UNAVAILABLE, why),
    }
}

async fn zoo_cfg(State(shared): State<Arc<Shared>>) -> Response {
    let configs: BTreeMap<String, String> = shared.bridge.zoo_cfgs();
    Json(configs).into_response()
}

async fn no_page() -> Response {
    (
        StatusCode::NOT_FOUND,
        "The page is not built: run `trunk build --release` (or bash scripts/run.sh) first; \
         the API is at /api/picture.",
    )
        .into_response()
}

/// The page's console on the live ensemble: the zkCli shell on a thread of its own (its
/// backend runs a runtime of its own, which cannot be started inside the server's), fed one
/// line at a time.
struct Console {
    lines: Mutex<std::sync::mpsc::Sender<Typed>>,
}

/// A line typed, and where to answer with what was printed and the next prompt.
type Typed = (String, std::sync::mpsc::Sender<(String, String)>);

impl Console {
    /// A console for the ensemble at `zk`; its shell connects on the first line.
    fn start(zk: String, session: Arc<std::sync::atomic::AtomicI64>) -> Console {
        let (lines, incoming) = std::sync::mpsc::channel::<Typed>();
        std::thread::spawn(move || {
            let mut shell: Option<Shell<RealBackend>> = None;
            for (line, answer) in incoming {
                let now = crate::wall_clock();
                if shell.as_ref().is_some_and(|s| s.exit_status().is_some()) {
                    shell = None;
                }
                let sh = match shell.as_mut() {
                    Some(sh) => sh,
                    None => match RealBackend::new(&zk) {
                        Ok(backend) => shell.insert(Shell::new(&zk, backend, now)),
                        Err(e) => {
                            let _ = answer.send((format!("{e}\n"), String::new()));
                            continue;
                        }
                    },
                };
                let mut printed = sh.advance(now);
                printed.push_str(&sh.prompt());
                printed.push_str(&line);
                printed.push('\n');
                printed.push_str(&sh.execute(&line));
                let _ = answer.send((printed, sh.prompt()));
                let open = sh.session().map_or(0, |s| s.0);
                session.store(open, Ordering::Relaxed);
            }
        });
        Console {
            lines: Mutex::new(lines),
        }
    }

    /// Types `line`: what zkCli printed (the prompt and line first), and the next prompt.
    fn enter(&self, line: String) -> Result<(String, String), String> {
        let (answer, answered) = std::sync::mpsc::channel();
        self.lines
            .lock()
            .map_err(|_| "the console stopped".to_owned())?
            .send((line, answer))
            .map_err(|_| "the console stopped".to_owned())?;
        answered
            .recv()
            .map_err(|_| "the console stopped".to_owned())
    }
}

/// 128 random bits, in hex: what a page must show to drive this session.
fn new_token() -> Result<String, LiveError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| LiveError::Measurement(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
