//! The console's link to the simulated cluster: a zkCli [`Backend`] that sends each request
//! through a process's session — the user's own console client, or any election process's —
//! as a logged [`Command`], so that time travel replays it, and runs the world until the reply
//! comes back. The shell itself is the core's: same language, same output as
//! `zooscope zkcli`.

use crate::model::Run;
use std::cell::RefCell;
use std::rc::Rc;
use zooscope_core::client::Connection;
use zooscope_core::ids::{Millis, ProcessId, SessionId};
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::Command;
use zooscope_core::zk::error::KeeperError;
use zooscope_core::zk::op::{Op, Reply};
use zooscope_core::zk::watch::EventType;
use zooscope_core::zkcli::backend::Backend;
use zooscope_core::zkcli::Shell;

/// The console's "server" name in zkCli's prompt.
pub const HOST: &str = "ensemble";

/// How long the console waits for a reply, in simulated ms, before reporting a lost
/// connection (the client would have given up on its server by then).
const PATIENCE_MS: u64 = 10_000;

/// Types `line` at the console, as Enter does: what zkCli printed while it waited (watch
/// events), then the prompt, the line and its output.
pub fn enter(shell: &mut Shell<SimConsole>, line: &str, wall: Millis) -> String {
    let mut text = shell.advance(wall);
    text.push_str(&shell.prompt());
    text.push_str(line);
    text.push('\n');
    text.push_str(&shell.execute(line));
    text
}

/// A console bound to a session of the simulated cluster.
pub struct SimConsole {
    run: Rc<RefCell<Run>>,
    /// The process whose session the console uses; `None` until the own client exists.
    process: Option<ProcessId>,
    /// Whether the console has its own client (rather than borrowing a process's session).
    own: bool,
}

impl SimConsole {
    /// A console with its own client, created when it connects.
    pub fn own(run: Rc<RefCell<Run>>) -> SimConsole {
        SimConsole {
            run,
            process: None,
            own: true,
        }
    }

    /// A console speaking as `process`, through its session.
    pub fn as_process(run: Rc<RefCell<Run>>, process: ProcessId) -> SimConsole {
        SimConsole {
            run,
            process: Some(process),
            own: false,
        }
    }

    /// The process whose session the console uses.
    pub fn process(&self) -> Option<ProcessId> {
        self.process
    }

    /// Whether `session` is still the console's process's session at this moment of the run:
    /// after going back in time the process (or that incarnation of it) may not exist yet, and
    /// after a restart it has another.
    pub fn holds(&self, session: SessionId) -> bool {
        let run = self.run.borrow();
        self.process
            .and_then(|p| run.sim().process(p))
            .is_some_and(|p| p.client().session() == Some(session))
    }

    fn session_of(run: &Run, process: ProcessId) -> Option<SessionId> {
        let p = run.sim().process(process)?;
        p.client()
            .is_connected()
            .then(|| p.client().session())
            .flatten()
    }
}

impl Backend for SimConsole {
    fn open_session(&mut self, _timeout_ms: i32, _now: Millis) -> Result<SessionId, KeeperError> {
        let mut run = self.run.borrow_mut();
        // Running, with a session that has neither expired nor been closed (it may be
        // between servers for a moment).
        let alive = |run: &Run, p: ProcessId| {
            run.sim().process(p).is_some_and(|p| {
                p.is_running()
                    && !matches!(
                        p.client().connection(),
                        Connection::Expired | Connection::Closed
                    )
            })
        };
        if self.own && !self.process.is_some_and(|p| alive(&run, p)) {
            // The console's own client of this run is its newest console process: kept while
            // its session lives (a tour typed through it), restarted once closed or expired,
            // added when there is none.
            let newest = |run: &Run| {
                run.sim()
                    .processes()
                    .filter(|p| p.recipe().kind() == RecipeKind::Console)
                    .map(|p| p.id())
                    .max()
            };
            let started = match newest(&run) {
                Some(p) if alive(&run, p) => Ok(()),
                Some(p) if run.sim().process(p).is_some_and(|p| p.can_restart()) => {
                    run.command(Command::RestartProcess(p))
                }
                _ => run.command(Command::AddConsoleClient),
            };
            // Refused (the run is at its limits): the page says why; zkCli stays unconnected.
            started.map_err(|_| KeeperError::ConnectionLoss("/".into()))?;
            self.process = newest(&run);
        } else if !self.own && !self.process.is_some_and(|p| alive(&run, p)) {
            // A borrowed session that is gone: nothing to wait for.
            return Err(KeeperError::ConnectionLoss("/".into()));
        }
        let process = self
            .process
            .ok_or_else(|| KeeperError::ConnectionLoss("/".into()))?;
        run.run_until(PATIENCE_MS, |sim| {
            sim.process(process)
                .is_some_and(|p| p.client().is_connected())
        });
        SimConsole::session_of(&run, process).ok_or_else(|| KeeperError::ConnectionLoss("/".into()))
    }

    /// zkCli's `close`: the client closes its session, which ends its ephemerals at once. The
    /// console's process stops gracefully (a borrowed session's process too: its session is
    /// the one closed), so the picture shows it, and a later `connect` opens a new session.
    fn close_session(&mut self, session: SessionId, _now: Millis) -> Vec<(EventType, String)> {
        let events = self.take_events(session);
        if let Some(p) = self.process {
            let mut run = self.run.borrow_mut();
            if run.command(Command::StopProcess(p)).is_ok() {
                run.run_until(PATIENCE_MS, |sim| !sim.session_alive(session));
            }
        }
        events
    }

    fn call(&mut self, _session: SessionId, op: Op, _now: Millis) -> Reply {
        let path = op.path().to_owned();
        let Some(process) = self.process else {
            return Err(KeeperError::ConnectionLoss(path));
        };
        let mut run = self.run.borrow_mut();
        // A ticket no request of this run has used: replaying the log (time travel, a tour's
        // step) brings back replies to earlier consoles' tickets that nobody takes.
        let ticket = 1 + run
            .log()
            .iter()
            .filter_map(|(_, c)| match c {
                Command::Console { ticket, .. } => Some(*ticket),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let sent = run.command(Command::Console {
            process,
            op,
            ticket,
        });
        if sent.is_err() {
            // Refused (the run is at its limits): nothing was sent; the page says why.
            return Err(KeeperError::ConnectionLoss(path));
        }
        run.run_until(PATIENCE_MS, |sim| {
            sim.process(process)
                .is_some_and(|p| p.has_console_reply(ticket))
        });
        run.sim_mut()
            .take_console_reply(process, ticket)
            .unwrap_or(Err(KeeperError::ConnectionLoss(path)))
    }

    fn take_events(&mut self, _session: SessionId) -> Vec<(EventType, String)> {
        match self.process {
            Some(p) => self.run.borrow_mut().sim_mut().take_console_events(p),
            None => Vec::new(),
        }
    }

    fn advance(&mut self, _session: Option<SessionId>, _now: Millis) {}

    fn children(&self, path: &str) -> Option<Vec<String>> {
        let run = self.run.borrow();
        let server = run.sim().freshest_server()?;
        let node = server.replica().tree().get(path)?;
        Some(node.children().map(str::to_owned).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::default_config;
    use zooscope_core::actor::message::MessageKind;
    use zooscope_core::actor::trace::TraceKind;
    use zooscope_core::ids::{Endpoint, ServerId};
    // Plain logic: tested natively by `cargo test`, and in the browser by `wasm-pack test`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A run with an elected leader, and a process whose session lives on a follower.
    fn run_with_a_follower_client() -> (Rc<RefCell<Run>>, ProcessId, ServerId, ServerId) {
        let mut run = Run::new(default_config());
        assert!(run.run_until(60_000, |sim| !sim.leaders().is_empty()));
        let leader = run.sim().leader_server().expect("a leading server");
        let (process, follower) = run
            .sim()
            .processes()
            .find_map(|p| {
                let server = p.client().server()?;
                (p.client().is_connected() && server != leader).then_some((p.id(), server))
            })
            .expect("a process connected to a follower");
        (Rc::new(RefCell::new(run)), process, follower, leader)
    }

    #[test]
    fn sync_through_a_follower_catches_it_up_with_the_leader() {
        let (run, process, follower, leader) = run_with_a_follower_client();
        let mut shell = Shell::new(
            HOST,
            SimConsole::as_process(run.clone(), process),
            Millis(0),
        );
        let from = run.borrow().sim().trace().len();
        let printed = shell.execute("sync /election");
        assert!(
            printed.ends_with("WatchedEvent state:SyncConnected type:None path:null\nSync is OK\n"),
            "{printed}"
        );
        let run = run.borrow();
        let after = &run.sim().trace()[from..];
        let sent = |f: Endpoint, t: Endpoint, what: &str| {
            after.iter().any(|e| {
                matches!(&e.kind, TraceKind::Sent { from, to, what: w, .. }
                    if *from == f && *to == t && w == what)
            })
        };
        let (p, f, l) = (
            Endpoint::Process(process),
            Endpoint::Server(follower),
            Endpoint::Server(leader),
        );
        assert!(
            sent(p, f, "sync /election"),
            "the request goes to the follower"
        );
        assert!(sent(f, l, "a sync"), "the follower asks its leader");
        assert!(
            sent(l, f, "a sync reply"),
            "the leader answers the follower"
        );
        let answered = after
            .iter()
            .find_map(|e| match &e.kind {
                TraceKind::SyncAnswered {
                    server,
                    process: who,
                    leader: Some(of),
                    ..
                } if *server == follower && *who == process && *of == leader => Some(e.narrate()),
                _ => None,
            })
            .expect("the follower answers once caught up");
        assert!(answered.contains("has caught up with"), "{answered}");
        assert!(after.iter().any(|e| matches!(&e.kind,
            TraceKind::Delivered { to, kind: MessageKind::Reply, .. } if *to == p)));
    }

    #[test]
    fn sync_without_a_server_fails_with_zkclis_code() {
        let (run, process, _, _) = run_with_a_follower_client();
        let mut shell = Shell::new(
            HOST,
            SimConsole::as_process(run.clone(), process),
            Millis(0),
        );
        // Every server goes down: the connection breaks before any answer (ConnectionLoss).
        let servers: Vec<ServerId> = run.borrow().sim().servers().map(|s| s.id()).collect();
        for server in servers {
            let killed = run.borrow_mut().command(Command::KillServer(server));
            assert_eq!(killed, Ok(()));
        }
        let printed = shell.execute("sync /election");
        assert!(
            printed.ends_with("path:null\nSync has failed. rc=-4\n"),
            "{printed}"
        );
    }
}
