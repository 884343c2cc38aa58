//! `zooscope live` run as a user runs it, driven over HTTP as the page drives it, and the
//! processes it started, found in `/proc`.
#![allow(clippy::expect_used)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a live session may take to do what a test waits for.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A running `zooscope live`, stopped with SIGINT (as Ctrl-C) when dropped.
pub struct Live {
    /// The `zooscope live` process.
    pub child: Child,
    /// The port its API listens on.
    pub port: u16,
    /// Its token.
    pub token: String,
}

impl Live {
    /// Starts `zooscope live ARGS` and waits for the address it prints.
    pub fn start(args: &[&str]) -> Live {
        Live::start_with(args, &[])
    }

    /// [`Live::start`] with these environment variables.
    pub fn start_with(args: &[&str], env: &[(&str, &str)]) -> Live {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zooscope"))
            .arg("live")
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("zooscope live starts");
        let stdout = child.stdout.take().expect("its output");
        let url = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| line.strip_prefix("Open ").map(str::to_owned));
        let mut live = Live {
            child,
            port: 0,
            token: String::new(),
        };
        let url = url.expect("zooscope live prints the address to open");
        let (address, token) = url.split_once("/#live=").expect("a live address");
        live.port = address
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse().ok())
            .expect("a port");
        live.token = token.to_owned();
        live
    }

    /// Sends an HTTP request with these extra headers; (status, body).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("the API listens");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("a timeout");
        let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(h, _)| h.eq_ignore_ascii_case("host")) {
            request.push_str(&format!("Host: 127.0.0.1:{}\r\n", self.port));
        }
        for (h, v) in headers {
            request.push_str(&format!("{h}: {v}\r\n"));
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        stream
            .write_all(request.as_bytes())
            .expect("the request is sent");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("an answer");
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = answer
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_owned();
        (status, body)
    }

    pub fn picture(&self) -> Value {
        let (status, body) = self.request(
            "GET",
            &format!("/api/picture?token={}", self.token),
            &[],
            "",
        );
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap_or(Value::Null)
    }

    pub fn command(&self, command: &str) -> (u16, String) {
        self.request(
            "POST",
            &format!("/api/command?token={}", self.token),
            &[],
            command,
        )
    }

    pub fn wait_until(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            let picture = self.picture();
            if done(&picture) {
                return picture;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "waited {PATIENCE:?} for {what}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The processes this one started (servers, candidates), from /proc.
    pub fn children(&self) -> Vec<u32> {
        let me = self.child.id().to_string();
        std::fs::read_dir("/proc")
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                    .filter(|pid| {
                        std::fs::read_to_string(format!("/proc/{pid}/stat"))
                            .ok()
                            .and_then(|stat| {
                                let after = stat.rsplit_once(") ")?.1.to_owned();
                                after.split_whitespace().nth(1).map(|p| p == me)
                            })
                            .unwrap_or(false)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn stop(&mut self) {
        super::stop_gently(&mut self.child, Duration::from_secs(30));
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether process `pid` runs (a zombie, dead but not yet reaped, does not).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat
                .rsplit_once(") ")?
                .1
                .split_whitespace()
                .next()?
                .to_owned();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}
