//! The zkCli console's model: which session it speaks through, the shell (the core's, so the
//! same language and output as `zooscope zkcli`), and what it has printed. The reducer calls
//! it with the run; it sends each request through a process's session — the console's own
//! client, or any election process's — as a logged [`Command`], so that time travel replays
//! it, and runs the world until the reply comes back.
//!
//! Between commands the shell holds only a [`Seat`] (whose session it uses); for one command
//! the seat is lent the run (`Attached`, the shell's zkCli [`Backend`]) and taken back
//! after, so the run changes only inside the reducer.
//!
//! Imports from the page `model`; from the core `client`, `ids`, `sim`, `zk`, `zkcli`.

use crate::model::Run;
use std::rc::Rc;
use zooscope_core::client::Connection;
use zooscope_core::ids::{Millis, ProcessId, SessionId};
use zooscope_core::picture;
use zooscope_core::sim::process::Duty;
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

/// How much output the console keeps, in bytes.
const KEEP: usize = 20_000;

/// Whose session the console speaks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Binding {
    /// Its own client, opened on the first command.
    #[default]
    Own,
    /// A process's session.
    Process(ProcessId),
}

/// Whose session a shell uses between commands.
#[derive(Debug, Clone, Copy)]
pub struct Seat {
    binding: Binding,
    /// The process whose session it is; `None` until the console's own client exists.
    process: Option<ProcessId>,
}

impl Seat {
    fn new(binding: Binding) -> Seat {
        let process = match binding {
            Binding::Own => None,
            Binding::Process(p) => Some(p),
        };
        Seat { binding, process }
    }

    /// Whether `session` is still this seat's process's session at this moment of the run:
    /// after going back in time the process (or that incarnation of it) may not exist yet,
    /// and after a restart it has another.
    fn holds(&self, run: &Run, session: SessionId) -> bool {
        self.process
            .and_then(|p| run.sim().process(p))
            .is_some_and(|p| p.client().session() == Some(session))
    }
}

/// Where a console's transcript left off: the prompt it showed and how many commands its
/// shell had read, which the next command goes on from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    /// The prompt.
    pub prompt: Rc<str>,
    /// The command count.
    pub count: i64,
}

/// The console.
#[derive(Debug, Default)]
pub struct Console {
    shell: Option<Shell<Seat>>,
    binding: Binding,
    transcript: Rc<str>,
    /// Where a transcript given to a new run left off (a tour's console).
    resume: Option<Resume>,
}

impl Console {
    /// Whose session it speaks through.
    pub fn binding(&self) -> Binding {
        self.binding
    }

    /// Everything it has printed (the newest 20,000 bytes).
    pub fn transcript(&self) -> Rc<str> {
        self.transcript.clone()
    }

    /// The prompt before the next line.
    pub fn prompt(&self) -> String {
        match (&self.shell, &self.resume) {
            (Some(shell), _) => shell.prompt(),
            (None, Some(resume)) => resume.prompt.to_string(),
            (None, None) => format!("[zk: {HOST}(CONNECTING) 0] "),
        }
    }

    /// Where it left off: its prompt and how many commands it has read, once it has a shell.
    pub fn resume_point(&self) -> Option<Resume> {
        self.shell.as_ref().map(|shell| Resume {
            prompt: Rc::from(shell.prompt()),
            count: shell.command_count(),
        })
    }

    /// Types `line`, as Enter does, and returns what was printed: what zkCli printed while it
    /// waited (watch events), then the prompt, the line and its output. The shell connects
    /// when first used, as zkCli connects when it starts; a shell whose session does not
    /// exist at this moment of the run (time went back, the process restarted) is replaced by
    /// one that connects afresh. A shell the user closed stays closed, as zkCli's does; one
    /// that quit is gone.
    pub fn enter(&mut self, run: &mut Run, line: &str) -> String {
        let mut printed = String::new();
        if self.shell.as_ref().is_some_and(|sh| {
            sh.session()
                .is_some_and(|session| !sh.backend().holds(run, session))
        }) {
            self.shell = None;
            printed.push_str(
                "--- the console's session does not exist at this moment: a new one opens ---\n",
            );
        }
        let wall = run.sim().wall();
        let mut shell = match self.shell.take() {
            Some(shell) => shell.map_backend(|seat| Attached { run, seat }),
            None => {
                let shell = Shell::new(
                    HOST,
                    Attached {
                        run,
                        seat: Seat::new(self.binding),
                    },
                    wall,
                );
                match self.resume.take() {
                    Some(resume) => shell.resumed(resume.count),
                    None => shell,
                }
            }
        };
        printed.push_str(&shell.advance(wall));
        printed.push_str(&shell.prompt());
        printed.push_str(line);
        printed.push('\n');
        printed.push_str(&shell.execute(line));
        let shell = shell.map_backend(|attached| attached.seat);
        if shell.exit_status().is_none() {
            self.shell = Some(shell);
        }
        self.print(&printed);
        printed
    }

    /// Speaks through `binding`'s session from the next command on.
    pub fn bind(&mut self, binding: Binding) {
        self.binding = binding;
        self.shell = None;
        let whose = match binding {
            Binding::Own => "the console's own session".to_owned(),
            Binding::Process(p) => format!("{p}'s session"),
        };
        self.print(&format!("--- now speaking through {whose} ---\n"));
    }

    /// A new run (reset, a link, a tour's step) has none of the old sessions: start over
    /// with its own transcript (a tour's, going on from where it left off: `resume`), or say
    /// that the next command opens a new session.
    pub fn new_run(&mut self, transcript: Rc<str>, resume: Option<Resume>) {
        let had_session = self.shell.take().is_some();
        self.binding = Binding::Own;
        self.resume = None;
        if !transcript.is_empty() {
            self.transcript = transcript;
            self.resume = resume;
        } else if had_session || !self.transcript.is_empty() {
            self.print("--- a new run: the next command opens a new session ---\n");
        }
    }

    fn print(&mut self, text: &str) {
        let mut out = String::with_capacity(self.transcript.len() + text.len());
        out.push_str(&self.transcript);
        out.push_str(text);
        if out.len() > KEEP {
            let cut = (out.len() - KEEP..out.len())
                .find(|i| out.is_char_boundary(*i))
                .unwrap_or(0);
            out.drain(..cut);
        }
        self.transcript = out.into();
    }
}

/// A seat lent the run for one command: the shell's backend.
struct Attached<'r> {
    run: &'r mut Run,
    seat: Seat,
}

impl Attached<'_> {
    fn session_of(&self, process: ProcessId) -> Option<SessionId> {
        let p = self.run.sim().process(process)?;
        p.client()
            .is_connected()
            .then(|| p.client().session())
            .flatten()
    }

    /// Running, with a session that has neither expired nor been closed (it may be between
    /// servers for a moment).
    fn alive(&self, process: Option<ProcessId>) -> bool {
        process
            .and_then(|p| self.run.sim().process(p))
            .is_some_and(|p| {
                p.is_running()
                    && !matches!(
                        p.client().connection(),
                        Connection::Expired | Connection::Closed
                    )
            })
    }

    /// The console's own client of this run is its newest console process: kept while its
    /// session lives (a tour typed through it), restarted once closed or expired, added when
    /// there is none.
    fn own_client(&mut self) -> Result<ProcessId, KeeperError> {
        let newest = |run: &Run| {
            run.sim()
                .processes()
                .filter(|p| p.duty() == Duty::Console)
                .map(|p| p.id())
                .max()
        };
        let started = match newest(self.run) {
            Some(p) if self.alive(Some(p)) => Ok(()),
            Some(p) if self.run.sim().process(p).is_some_and(|p| p.can_restart()) => self
                .run
                .command(Command::Act(picture::Action::RestartProcess(p))),
            _ => self.run.command(Command::AddConsoleClient),
        };
        // Refused (the run is at its limits): the page says why; zkCli stays unconnected.
        started.map_err(|_| KeeperError::ConnectionLoss("/".into()))?;
        newest(self.run).ok_or_else(|| KeeperError::ConnectionLoss("/".into()))
    }
}

impl Backend for Attached<'_> {
    fn open_session(&mut self, _timeout_ms: i32, _now: Millis) -> Result<SessionId, KeeperError> {
        if !self.alive(self.seat.process) {
            match self.seat.binding {
                Binding::Own => self.seat.process = Some(self.own_client()?),
                // A borrowed session that is gone: nothing to wait for.
                Binding::Process(_) => return Err(KeeperError::ConnectionLoss("/".into())),
            }
        }
        let process = self
            .seat
            .process
            .ok_or_else(|| KeeperError::ConnectionLoss("/".into()))?;
        self.run.run_until(PATIENCE_MS, |sim| {
            sim.process(process)
                .is_some_and(|p| p.client().is_connected())
        });
        self.session_of(process)
            .ok_or_else(|| KeeperError::ConnectionLoss("/".into()))
    }

    /// zkCli's `close`: the client closes its session, which ends its ephemerals at once. The
    /// console's process stops gracefully (a borrowed session's process too: its session is
    /// the one closed), so the picture shows it, and a later `connect` opens a new session.
    fn close_session(&mut self, session: SessionId, _now: Millis) -> Vec<(EventType, String)> {
        let events = self.take_events(session);
        if let Some(p) = self.seat.process {
            if self
                .run
                .command(Command::Act(picture::Action::StopProcess(p)))
                .is_ok()
            {
                self.run
                    .run_until(PATIENCE_MS, |sim| !sim.session_alive(session));
            }
        }
        events
    }

    fn call(&mut self, _session: SessionId, op: Op, _now: Millis) -> Reply {
        let path = op.path().to_owned();
        let Some(process) = self.seat.process else {
            return Err(KeeperError::ConnectionLoss(path));
        };
        // A ticket no request of this run has used: replaying the log (time travel, a tour's
        // step) brings back replies to earlier consoles' tickets that nobody takes.
        let ticket = 1 + self
            .run
            .log()
            .iter()
            .filter_map(|(_, c)| match c {
                Command::Console { ticket, .. } => Some(*ticket),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let sent = self.run.command(Command::Console {
            process,
            op,
            ticket,
        });
        if sent.is_err() {
            // Refused (the run is at its limits): nothing was sent; the page says why.
            return Err(KeeperError::ConnectionLoss(path));
        }
        self.run.run_until(PATIENCE_MS, |sim| {
            sim.process(process)
                .is_some_and(|p| p.has_console_reply(ticket))
        });
        self.run
            .sim_mut()
            .take_console_reply(process, ticket)
            .unwrap_or(Err(KeeperError::ConnectionLoss(path)))
    }

    fn take_events(&mut self, _session: SessionId) -> Vec<(EventType, String)> {
        match self.seat.process {
            Some(p) => self.run.sim_mut().take_console_events(p),
            None => Vec::new(),
        }
    }

    fn advance(&mut self, _session: Option<SessionId>, _now: Millis) {}

    fn children(&self, path: &str) -> Option<Vec<String>> {
        let server = self.run.sim().freshest_server()?;
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
    use zooscope_core::sim::Config;
    // Plain logic: tested natively by `cargo test`, and in the browser by the browser tests.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A run with an elected leader, and a process whose session lives on a follower.
    fn run_with_a_follower_client() -> (Run, ProcessId, ServerId, ServerId) {
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
        (run, process, follower, leader)
    }

    #[test]
    fn sync_through_a_follower_catches_it_up_with_the_leader() {
        let (mut run, process, follower, leader) = run_with_a_follower_client();
        let mut console = Console::default();
        console.bind(Binding::Process(process));
        let from = run.sim().trace().len();
        let printed = console.enter(&mut run, "sync /election");
        assert!(
            printed.ends_with("WatchedEvent state:SyncConnected type:None path:null\nSync is OK\n"),
            "{printed}"
        );
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
        let (mut run, process, _, _) = run_with_a_follower_client();
        let mut console = Console::default();
        console.bind(Binding::Process(process));
        let listed = console.enter(&mut run, "ls /election");
        assert!(listed.contains("c_"), "{listed}");
        // Every server goes down: the connection breaks before any answer (ConnectionLoss).
        let servers: Vec<ServerId> = run.sim().servers().map(|s| s.id()).collect();
        for server in servers {
            let killed = run.command(Command::Act(picture::Action::KillServer(server)));
            assert_eq!(killed, Ok(()));
        }
        let printed = console.enter(&mut run, "sync /election");
        assert!(
            printed.ends_with("sync /election\nSync has failed. rc=-4\n"),
            "{printed}"
        );
    }

    #[test]
    fn the_console_opens_its_own_client_and_a_new_run_says_it_is_gone() {
        let mut run = Run::new(default_config());
        let mut console = Console::default();
        assert_eq!(console.prompt(), "[zk: ensemble(CONNECTING) 0] ");
        let printed = console.enter(&mut run, "create /lecture hello");
        assert!(printed.ends_with("Created /lecture\n"), "{printed}");
        let own = run
            .sim()
            .processes()
            .filter(|p| p.duty() == Duty::Console)
            .count();
        assert_eq!(own, 1, "one console client was added");
        assert!(console.prompt().contains("(CONNECTED)"));
        assert!(console.transcript().contains("create /lecture hello"));
        console.new_run(Rc::from(""), None);
        assert!(console
            .transcript()
            .ends_with("--- a new run: the next command opens a new session ---\n"));
        assert_eq!(console.prompt(), "[zk: ensemble(CONNECTING) 0] ");
        // A tour's step brings its own transcript.
        console.new_run(
            Rc::from("a tour's output\n"),
            Some(Resume {
                prompt: Rc::from("[zk: ensemble(CONNECTED) 4] "),
                count: 4,
            }),
        );
        assert_eq!(console.prompt(), "[zk: ensemble(CONNECTED) 4] ");
        assert_eq!(&*console.transcript(), "a tour's output\n");
    }

    #[test]
    fn going_back_before_the_session_opens_a_new_one() {
        let mut run = Run::new(default_config());
        assert!(run.run_until(20_000, |sim| !sim.leaders().is_empty()));
        let mut console = Console::default();
        console.enter(&mut run, "ls /");
        run.seek(zooscope_core::ids::SimTime::ZERO);
        run.settle();
        let printed = console.enter(&mut run, "ls /");
        assert!(
            printed.starts_with("--- the console's session does not exist at this moment"),
            "{printed}"
        );
        // At time 0 no process has created the election's directory yet.
        assert!(printed.ends_with("[zookeeper]\n"), "{printed}");
    }

    /// What zkCli printed for each command of `script` (the prompt and the echoed line taken
    /// out, as `zkCli.sh < script` prints neither), typed into the page's console on a run of
    /// one server and no candidates.
    fn standalone_output(script: &str) -> String {
        let mut run = Run::new(Config {
            servers: 1,
            processes: 0,
            ..default_config()
        });
        let mut console = Console::default();
        let mut out = String::new();
        for line in script.lines() {
            let printed = console.enter(&mut run, line);
            let echo = format!("] {line}\n");
            match (printed.find("[zk: "), printed.find(&echo)) {
                (Some(prompt), Some(at)) => {
                    out.push_str(&printed[..prompt]);
                    out.push_str(&printed[at + echo.len()..]);
                }
                _ => panic!("no prompt and line in {printed:?}"),
            }
        }
        out
    }

    /// With one server the page's console prints what a real standalone ZooKeeper 3.8 printed
    /// for the same commands — zxids from 0x1 included (the console's session is the first
    /// transaction) — up to the dates and session ids that differ from run to run. The
    /// recordings are the conformance suite's (after zkCli's banner; the console prints the
    /// connection's event as zkCli does).
    #[test]
    fn one_server_prints_what_a_real_standalone_server_printed() {
        let cases = [
            (
                include_str!("../../../tests/conformance/scripts/07-stat-fields.zkcli"),
                include_str!("../../../tests/conformance/scripts/07-stat-fields.zk38.out"),
            ),
            (
                include_str!("../../../tests/conformance/scripts/02-create-sequential.zkcli"),
                include_str!("../../../tests/conformance/scripts/02-create-sequential.zk38.out"),
            ),
            (
                include_str!("../../../tests/conformance/scripts/04-ephemeral.zkcli"),
                include_str!("../../../tests/conformance/scripts/04-ephemeral.zk38.out"),
            ),
        ];
        // The dates, and a session id that is not 0x0, differ from run to run.
        let volatile = |line: &str| match line.split_once(" = ") {
            Some((field @ ("ctime" | "mtime"), _)) => format!("{field} = …"),
            Some(("ephemeralOwner", owner)) if owner != "0x0" => {
                "ephemeralOwner = (a session)".to_owned()
            }
            _ => line.to_owned(),
        };
        for (script, recorded) in cases {
            let banner = "JLine support is disabled\n";
            let Some(after_banner) = recorded.find(banner) else {
                panic!("the recording has zkCli's banner");
            };
            let expected: Vec<String> = recorded[after_banner + banner.len()..]
                .lines()
                .map(volatile)
                .collect();
            let ours = standalone_output(script);
            let actual: Vec<String> = ours.lines().map(volatile).collect();
            assert_eq!(actual, expected, "{script}");
        }
    }

    #[test]
    fn the_transcript_keeps_the_newest_output() {
        let mut console = Console::default();
        for _ in 0..3_000 {
            console.bind(Binding::Own);
        }
        let kept = console.transcript();
        assert!(kept.len() <= KEEP && kept.ends_with("own session ---\n"));
    }
}
