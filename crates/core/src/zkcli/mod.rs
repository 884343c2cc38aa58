//! The zkCli command language: ZooKeeper 3.8's `ZooKeeperMain` and its `cli` commands, run
//! against the core's server. One implementation for the native `zooscope zkcli` and the page's
//! console; output is byte for byte what `zkCli.sh` 3.8.0 prints (stdout and stderr merged),
//! checked against recordings of the real server in `tests/conformance`.
//!
//! Imports [`crate::ids`], [`crate::zk`] and its own submodules; outside the crate, `litemap`.

mod admin;
pub mod args;
pub mod backend;
pub mod complete;
pub mod format;
pub mod java;
mod znode_commands;

use crate::ids::{Millis, SessionId};
use crate::zk::client_watch::ClientWatches;
use crate::zk::error::KeeperError;
use crate::zk::path;
use crate::zk::server::Server;
use crate::zk::watch::EventType;
use args::{OptSpec, ParseError, Parsed};
use backend::Backend;
use litemap::LiteMap;

/// How long zkCli's connection handshake takes, for events that arrive while the shell is
/// idle: a script piped in runs its first commands before the `SyncConnected` event is
/// printed unless they wait for the server, as with the real zkCli.
pub const HANDSHAKE_MS: i64 = 100;

/// The session timeout zkCli asks for (`-timeout`, default 30000 ms).
pub const DEFAULT_TIMEOUT_MS: i32 = 30_000;

/// What `version` prints for the Debian 3.8.0 build the recordings come from.
pub const VERSION_LINE: &str =
    "ZooKeeper CLI version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC";

/// `ZooKeeperMain.usage()`: printed before "Command not found".
pub const USAGE: &str = "ZooKeeper -server host:port -client-configuration properties-file cmd args
\taddWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE
\taddauth scheme auth
\tclose 
\tconfig [-c] [-w] [-s]
\tconnect host:port
\tcreate [-s] [-e] [-c] [-t ttl] path [data] [acl]
\tdelete [-v version] path
\tdeleteall path [-b batch size]
\tdelquota [-n|-b|-N|-B] path
\tget [-s] [-w] path
\tgetAcl [-s] path
\tgetAllChildrenNumber path
\tgetEphemerals path
\thistory 
\tlistquota path
\tls [-s] [-w] [-R] path
\tprintwatches on|off
\tquit 
\treconfig [-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]
\tredo cmdno
\tremovewatches path [-c|-d|-a] [-l]
\tset [-s] [-v version] path data
\tsetAcl [-s] [-v version] [-R] path acl
\tsetquota -n|-b|-N|-B val path
\tstat [-w] path
\tsync path
\tversion 
\twhoami 
";

/// Every command zkCli knows, for completion and for "Command not found".
pub const COMMANDS: [&str; 30] = [
    "addWatch",
    "addauth",
    "close",
    "config",
    "connect",
    "create",
    "delete",
    "deleteall",
    "delquota",
    "get",
    "getAcl",
    "getAllChildrenNumber",
    "getEphemerals",
    "history",
    "listquota",
    "ls",
    "printwatches",
    "quit",
    "reconfig",
    "redo",
    "removewatches",
    "set",
    "setAcl",
    "setquota",
    "stat",
    "sync",
    "version",
    "whoami",
    "rmr",
    "ls2",
];

/// A zkCli command implemented here, as `ZooKeeperMain` registers its `CliCommand`s: its name,
/// the usage after the name, its options, how many words it needs (itself included), the old
/// form it still accepts, and the function that runs it.
struct Command<B: Backend> {
    name: &'static str,
    usage: &'static str,
    options: &'static [OptSpec],
    min_args: usize,
    /// `retainCompatibility`: the deprecated `cmd path watch|version` form, and its successor.
    legacy: Option<(&'static str, &'static str)>,
    handler: fn(&mut Shell<B>, &Parsed) -> Result<(), CliError>,
}

const fn flag(name: char) -> OptSpec {
    OptSpec {
        name,
        has_arg: false,
    }
}

const fn valued(name: char) -> OptSpec {
    OptSpec {
        name,
        has_arg: true,
    }
}

impl<B: Backend> Shell<B> {
    /// Every command with a `CliCommand` in zkCli 3.8 that Zooscope runs.
    #[rustfmt::skip]
    fn commands() -> [Command<B>; 19] {
        [
        Command { name: "create", usage: "[-s] [-e] [-c] [-t ttl] path [data] [acl]", options: const { &[flag('e'), flag('s'), flag('c'), valued('t')] }, min_args: 2, legacy: None, handler: Self::create },
        Command { name: "ls", usage: "[-s] [-w] [-R] path", options: const { &[flag('?'), flag('s'), flag('w'), flag('R')] }, min_args: 2, legacy: Some(("ls path [watch]", "ls [-w] path")), handler: Self::ls },
        Command { name: "get", usage: "[-s] [-w] path", options: const { &[flag('s'), flag('w')] }, min_args: 2, legacy: Some(("get path [watch]", "get [-s] [-w] path")), handler: Self::get },
        Command { name: "set", usage: "[-s] [-v version] path data", options: const { &[flag('s'), valued('v')] }, min_args: 3, legacy: None, handler: Self::set },
        Command { name: "stat", usage: "[-w] path", options: const { &[flag('w')] }, min_args: 2, legacy: Some(("stat path [watch]", "stat [-w] path")), handler: Self::stat },
        Command { name: "delete", usage: "[-v version] path", options: const { &[valued('v')] }, min_args: 2, legacy: Some(("delete path [version]", "delete [-v version] path")), handler: Self::delete },
        Command { name: "deleteall", usage: "path [-b batch size]", options: const { &[valued('b')] }, min_args: 2, legacy: None, handler: Self::deleteall },
        Command { name: "sync", usage: "path", options: &[], min_args: 2, legacy: None, handler: Self::sync },
        Command { name: "addWatch", usage: "[-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE", options: const { &[valued('m')] }, min_args: 2, legacy: None, handler: Self::add_watch },
        Command { name: "removewatches", usage: "path [-c|-d|-a] [-l]", options: const { &[flag('c'), flag('d'), flag('a'), flag('l')] }, min_args: 2, legacy: None, handler: Self::remove_watches },
        Command { name: "getEphemerals", usage: "path", options: &[], min_args: 0, legacy: None, handler: Self::get_ephemerals },
        Command { name: "getAllChildrenNumber", usage: "path", options: &[], min_args: 2, legacy: None, handler: Self::get_all_children_number },
        Command { name: "version", usage: "", options: &[], min_args: 0, legacy: None, handler: Self::version },
        Command { name: "close", usage: "", options: &[], min_args: 0, legacy: None, handler: Self::close },
        Command { name: "whoami", usage: "", options: &[], min_args: 0, legacy: None, handler: Self::whoami },
        Command { name: "addauth", usage: "scheme auth", options: &[], min_args: 2, legacy: None, handler: Self::addauth },
        Command { name: "getAcl", usage: "[-s] path", options: const { &[flag('s')] }, min_args: 2, legacy: None, handler: Self::get_acl },
        Command { name: "config", usage: "[-c] [-w] [-s]", options: const { &[flag('c'), flag('w'), flag('s')] }, min_args: 0, legacy: None, handler: Self::config },
        Command { name: "listquota", usage: "path", options: &[], min_args: 2, legacy: None, handler: Self::listquota },
        ]
    }
}

/// Why a command failed, printed on stderr as zkCli prints a `CliException`.
enum CliError {
    /// A message printed as is (usage, malformed command or path, parse errors).
    Message(String),
    /// A server error, reworded like `CliWrapperException`.
    Keeper(KeeperError),
    /// An uncaught Java exception: zkCli prints the trace and exits with status 1.
    Crash(String),
    /// A packet over `jute.maxbuffer` broke the connection: the error is printed, then the
    /// client reconnects with the same session.
    ConnectionLoss(String),
    /// The failure was already printed.
    Silent,
    /// The command's arguments do not fit its usage: zkCli prints `name usage`.
    Usage,
}

impl From<ParseError> for CliError {
    fn from(e: ParseError) -> Self {
        CliError::Message(e.to_string())
    }
}

impl From<KeeperError> for CliError {
    fn from(e: KeeperError) -> Self {
        CliError::Keeper(e)
    }
}

/// A zkCli session: the shell's state (history, `printwatches`, the connection) and the
/// ZooKeeper it talks to (a standalone [`Server`] unless told otherwise).
#[derive(Debug, Clone)]
pub struct Shell<B = Server> {
    backend: B,
    host: String,
    session: Option<SessionId>,
    /// The `SyncConnected` event zkCli's watcher prints once the first request reaches the
    /// server (a command that fails before talking to the server does not wait for it).
    connect_event_pending: bool,
    /// When the shell last connected: the handshake completes [`HANDSHAKE_MS`] later.
    connected_at: Millis,
    /// Events taken from the server before the handshake's event was printed.
    pending_events: Vec<(EventType, String)>,
    print_watches: bool,
    /// An `addauth` with an unknown scheme was sent; the next request learns it failed.
    auth_failed: bool,
    /// Identities this connection added with `addauth digest`, as the server records them.
    digest_ids: Vec<String>,
    /// The client library's record of this session's watches.
    watches: ClientWatches,
    history: LiteMap<i64, String>,
    command_count: i64,
    last_words: Vec<String>,
    now: Millis,
    out: String,
    exit: Option<i32>,
    /// Whether the last command failed with an error zkCli prints (a `CliException`, which
    /// sets `ZooKeeperMain`'s exit code).
    last_failed: bool,
}

impl Shell {
    /// The banner zkCli prints before reading commands: with line editing (`jline`) on a
    /// terminal, without it from a pipe.
    pub fn banner(host: &str, jline: bool) -> String {
        let jline = if jline { "enabled" } else { "disabled" };
        format!("Connecting to {host}\nWelcome to ZooKeeper!\nJLine support is {jline}\n")
    }
}

impl<B> Shell<B> {
    /// The same shell — session, history, watches, output — over `f(backend)`. A front-end
    /// that owns its world lends the shell access to it for one command this way, and takes
    /// the access back afterwards.
    pub fn map_backend<C>(self, f: impl FnOnce(B) -> C) -> Shell<C> {
        Shell {
            backend: f(self.backend),
            host: self.host,
            session: self.session,
            connect_event_pending: self.connect_event_pending,
            connected_at: self.connected_at,
            pending_events: self.pending_events,
            print_watches: self.print_watches,
            auth_failed: self.auth_failed,
            digest_ids: self.digest_ids,
            watches: self.watches,
            history: self.history,
            command_count: self.command_count,
            last_words: self.last_words,
            now: self.now,
            out: self.out,
            exit: self.exit,
            last_failed: self.last_failed,
        }
    }

    /// The ZooKeeper behind the shell.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The shell's session, if connected.
    pub fn session(&self) -> Option<SessionId> {
        self.session
    }

    /// `Some(status)` once the shell has exited (`quit`, or a crash as zkCli would).
    pub fn exit_status(&self) -> Option<i32> {
        self.exit
    }

    /// How many commands it has read (the prompt's number).
    pub fn command_count(&self) -> i64 {
        self.command_count
    }

    /// The same shell, going on from a transcript another shell left: its commands are
    /// numbered on from `count`, and the connection's event, printed there, is not printed
    /// again (the page's console shown again at a tour's step).
    pub fn resumed(mut self, count: i64) -> Shell<B> {
        self.command_count = count;
        self.connect_event_pending = false;
        self
    }

    /// The interactive prompt: `[zk: host(CONNECTED) 3] `.
    pub fn prompt(&self) -> String {
        let state = if self.session.is_some() {
            "CONNECTED"
        } else {
            "CLOSED"
        };
        format!("[zk: {}({state}) {}] ", self.host, self.command_count)
    }
}

impl<B: Backend> Shell<B> {
    /// Connects to `backend`, like `zkCli.sh -server host`; `now` is the (simulated) wall
    /// clock (ctime/mtime).
    pub fn new(host: &str, backend: B, now: Millis) -> Shell<B> {
        let mut shell = Shell {
            backend,
            host: host.to_owned(),
            session: None,
            connect_event_pending: false,
            connected_at: now,
            pending_events: Vec::new(),
            print_watches: true,
            digest_ids: Vec::new(),
            auth_failed: false,
            watches: ClientWatches::default(),
            history: LiteMap::new(),
            command_count: 0,
            last_words: Vec::new(),
            now,
            out: String::new(),
            exit: None,
            last_failed: false,
        };
        shell.connect();
        shell
    }

    /// Lets simulated time pass until `now` while the shell waits for input, and returns what
    /// zkCli prints meanwhile. The client's heartbeats keep its own session alive; the server
    /// does its background work (expiring other sessions, reaping containers and TTL znodes),
    /// and the watch events that fires are printed as they arrive.
    pub fn advance(&mut self, now: Millis) -> String {
        if self.exit.is_some() || now < self.now {
            return String::new();
        }
        self.now = now;
        self.backend.advance(self.session, now);
        if self.connect_event_pending && now.0 - self.connected_at.0 < HANDSHAKE_MS {
            // Still connecting: only a request would wait for the handshake.
            if let Some(session) = self.session {
                let events = self.backend.take_events(session);
                self.pending_events.extend(events);
            }
            return std::mem::take(&mut self.out);
        }
        self.flush_events();
        std::mem::take(&mut self.out)
    }

    /// Tab completion of `line` at byte offset `pos`: command names, then znode paths.
    pub fn complete(&self, line: &str, pos: usize) -> complete::Completion {
        complete::complete(|p| self.backend.children(p), line, pos)
    }

    /// Whether the last line ended in an error (usage, bad path, server error, crash).
    pub fn last_command_failed(&self) -> bool {
        self.last_failed
    }

    /// Runs one console line (`ZooKeeperMain.executeLine`) and returns what zkCli prints.
    /// Line breaks inside `line` separate lines, as they would on zkCli's standard input
    /// (`\n`, `\r` or `\r\n`, like Java's `readLine`). After the shell has exited, lines are
    /// ignored.
    pub fn execute(&mut self, line: &str) -> String {
        if line.contains(['\n', '\r']) {
            let mut out = String::new();
            for one in line.replace("\r\n", "\n").split(['\n', '\r']) {
                out.push_str(&self.execute(one));
            }
            return out;
        }
        self.last_failed = false;
        if self.exit.is_some() || line.is_empty() {
            return String::new();
        }
        let words = args::split(line);
        if !words.is_empty() {
            self.last_words = words;
        }
        self.history.insert(self.command_count, line.to_owned());
        let words = self.last_words.clone();
        self.process(&words);
        self.command_count += 1;
        std::mem::take(&mut self.out)
    }

    fn print(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn connect(&mut self) {
        if let Some(session) = self.session.take() {
            self.close_session(session);
        }
        self.digest_ids.clear();
        self.auth_failed = false;
        match self.backend.open_session(DEFAULT_TIMEOUT_MS, self.now) {
            Ok(session) => self.session = Some(session),
            Err(_) => {
                self.session = None;
                return;
            }
        }
        self.connect_event_pending = true;
        self.connected_at = self.now;
    }

    fn close_session(&mut self, session: SessionId) {
        self.flush_events();
        let own = self.backend.close_session(session, self.now);
        for (kind, path) in own {
            self.deliver(kind, &path);
        }
        self.watches.clear();
        self.print_state_event("Closed");
    }

    /// Hands an event from the server to the client library, which prints it if a watch of
    /// this client claims it.
    fn deliver(&mut self, kind: EventType, path: &str) {
        if self.watches.materialize(kind, path) && self.print_watches {
            let kind = kind.to_string();
            self.out
                .push_str(&format::watcher_lines("SyncConnected", &kind, Some(path)));
        }
    }

    /// Prints a connection-state event (`type:None path:null`) unless `printwatches off`.
    fn print_state_event(&mut self, state: &str) {
        if self.print_watches {
            self.out
                .push_str(&format::watcher_lines(state, "None", None));
        }
    }

    /// A packet too long for `jute.maxbuffer`: the connection drops (`Disconnected`), the
    /// request fails with `ConnectionLoss`, and the client reconnects.
    fn lose_connection(&mut self, path: &str) -> CliError {
        self.flush_events();
        self.print_state_event("Disconnected");
        CliError::ConnectionLoss(path.to_owned())
    }

    /// Prints the connection event and watch events that reached the client, as the
    /// default watcher does.
    fn flush_events(&mut self) {
        let Some(session) = self.session else { return };
        if std::mem::take(&mut self.connect_event_pending) {
            self.print_state_event("SyncConnected");
        }
        let mut events = std::mem::take(&mut self.pending_events);
        events.extend(self.backend.take_events(session));
        for (kind, path) in events {
            self.deliver(kind, &path);
        }
    }

    /// `ZooKeeperMain.processCmd`: runs the command and prints a failure on stderr.
    fn process(&mut self, words: &[String]) {
        let result = self.process_zk_cmd(words);
        self.last_failed = result.is_err();
        match result {
            Ok(()) => {}
            Err(CliError::Message(m)) => self.print(&m),
            Err(CliError::Keeper(e)) => self.print(&java::keeper_message(&e)),
            // `run` has already turned a usage error into its message.
            Err(CliError::Silent | CliError::Usage) => {}
            Err(CliError::ConnectionLoss(path)) => {
                self.print(&KeeperError::ConnectionLoss(path).to_string());
                self.print_state_event("SyncConnected");
            }
            Err(CliError::Crash(trace)) => {
                self.out.push_str(&trace);
                self.exit = Some(1);
            }
        }
    }

    fn process_zk_cmd(&mut self, words: &[String]) -> Result<(), CliError> {
        let Some(cmd) = words.first().map(String::as_str) else {
            self.out.push_str(USAGE);
            return Err(CliError::Message("No command entered".into()));
        };
        if !COMMANDS.contains(&cmd) || matches!(cmd, "rmr" | "ls2") {
            self.out.push_str(USAGE);
            return Err(CliError::Message(format!(
                "Command not found: Command not found {cmd}"
            )));
        }
        match cmd {
            "quit" => {
                if let Some(session) = self.session.take() {
                    self.close_session(session);
                }
                self.exit = Some(0);
                return Ok(());
            }
            "redo" if words.len() >= 2 => return self.redo(&words[1]),
            "history" => {
                for i in (self.command_count - 10).max(0)..=self.command_count {
                    let line = self
                        .history
                        .get(&i)
                        .cloned()
                        .unwrap_or_else(|| "null".into());
                    self.print(&format!("{i} - {line}"));
                }
            }
            "printwatches" => match words.get(1) {
                None => {
                    let state = if self.print_watches { "on" } else { "off" };
                    self.print(&format!("printwatches is {state}"));
                }
                Some(v) => self.print_watches = v == "on",
            },
            "connect" => {
                if let Some(host) = words.get(1) {
                    self.host = host.clone();
                }
                self.connect();
            }
            _ => {}
        }
        if self.session.is_none() {
            self.print("Not connected");
            return Ok(());
        }
        match Self::commands().iter().find(|c| c.name == cmd) {
            Some(command) => self.run(command, words),
            None => match admin::not_simulated(cmd) {
                Some(message) => Err(CliError::Message(message.into())),
                None => Ok(()),
            },
        }
    }

    fn redo(&mut self, arg: &str) -> Result<(), CliError> {
        let i = java::decode(arg)
            .ok_or_else(|| CliError::Crash(java::number_format_trace(arg, java::REDO_TRACE)))?;
        if self.command_count <= i || i < 0 {
            return Err(CliError::Message("Command index out of range".into()));
        }
        let line = self.history.get(&i).cloned().unwrap_or_default();
        let words = args::split(&line);
        if words.first().map(String::as_str) == Some("redo") {
            return Err(CliError::Message("No redoing redos".into()));
        }
        self.history.insert(self.command_count, line);
        self.process(&words);
        Ok(())
    }

    /// `CliCommand.parse(args).exec()`: the command's options parsed, its handler run.
    fn run(&mut self, command: &Command<B>, words: &[String]) -> Result<(), CliError> {
        let usage = || CliError::Message(format!("{} {}", command.name, command.usage));
        let mut cl = args::parse(command.options, words)?;
        if self.auth_failed && command.name != "version" {
            return Err(self.auth_failure(command.name, &cl));
        }
        if cl.args.len() < command.min_args {
            return Err(usage());
        }
        if let Some((old, new)) = command.legacy {
            if cl.args.len() > 2 {
                // retainCompatibility: the old `cmd path watch|version` form.
                self.print(&format!(
                    "'{old}' has been deprecated. Please use '{new}' instead."
                ));
                if command.name != "delete" {
                    let mut rewritten = words.to_vec();
                    rewritten[2] = "-w".into();
                    cl = args::parse(command.options, &rewritten)?;
                }
            }
        }
        match (command.handler)(self, &cl) {
            Err(CliError::Usage) => Err(usage()),
            other => other,
        }
    }

    /// `version`.
    fn version(&mut self, _: &Parsed) -> Result<(), CliError> {
        self.print(VERSION_LINE);
        Ok(())
    }

    /// `close`: the session ends; zkCli stays, unconnected, until `connect`.
    fn close(&mut self, _: &Parsed) -> Result<(), CliError> {
        if let Some(session) = self.session.take() {
            self.close_session(session);
        }
        Ok(())
    }
}

/// The client-side path check (`PathUtils.validatePath` in `ZooKeeper`'s methods), reported
/// as `MalformedPathException`.
fn validate(p: &str, sequential: bool) -> Result<(), CliError> {
    path::validate(p, sequential).map_err(|e| CliError::Message(e.to_string()))
}
