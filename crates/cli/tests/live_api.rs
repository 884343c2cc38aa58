//! `zooscope live` as a user runs it: a real ensemble of three servers and five real
//! candidates behind the page's API on 127.0.0.1. The test drives it over HTTP as the page
//! does, checks that bad requests are refused and change nothing, and that stopping it
//! (Ctrl-C) leaves no server and no candidate behind — also when an assertion fails, since the
//! guard stops it on drop.
#![allow(clippy::expect_used)]

mod common;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(60);

/// A running `zooscope live`, stopped with SIGINT (as Ctrl-C) when dropped.
struct Live {
    child: Child,
    port: u16,
    token: String,
}

impl Live {
    fn start(args: &[&str]) -> Live {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zooscope"))
            .arg("live")
            .args(args)
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
    fn request(
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

    fn picture(&self) -> Value {
        let (status, body) = self.request(
            "GET",
            &format!("/api/picture?token={}", self.token),
            &[],
            "",
        );
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap_or(Value::Null)
    }

    fn command(&self, command: &str) -> (u16, String) {
        self.request(
            "POST",
            &format!("/api/command?token={}", self.token),
            &[],
            command,
        )
    }

    fn wait_until(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
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
    fn children(&self) -> Vec<u32> {
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

    fn stop(&mut self) {
        common::stop_gently(&mut self.child, Duration::from_secs(30));
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.stop();
    }
}

fn leaders(picture: &Value) -> Vec<u64> {
    picture["processes"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["role"] == "Leader")
                .filter_map(|p| p["id"].as_u64())
                .collect()
        })
        .unwrap_or_default()
}

fn settled(picture: &Value) -> bool {
    let watching = picture["processes"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["role"].get("Watching").is_some())
                .count()
        })
        .unwrap_or(0);
    leaders(picture).len() == 1 && watching == 4
}

fn alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn the_live_api_kills_a_real_leader_and_its_successor_takes_over() {
    let mut live = Live::start(&["--start", "3", "--processes", "5"]);
    let before = live.wait_until("one leader, four watching", settled);
    // Each server the bridge started carries the zoo.cfg it runs with.
    for server in before["servers"].as_array().expect("servers") {
        let config = server["config"].as_str().unwrap_or("");
        assert!(
            config.contains("tickTime=200\n")
                && config.contains("server.1=127.0.0.1:")
                && config.contains("server.3=127.0.0.1:"),
            "{config}"
        );
    }
    let leader = leaders(&before)[0];
    let seq = before["events"][0]["seq"].as_u64().unwrap_or(0);
    let (status, body) = live.command(&format!("{{\"KillProcess\":{leader}}}"));
    assert_eq!((status, body.as_str()), (200, "{\"ok\":true}"));
    // The published picture may still be from before the kill: wait for another leader.
    live.wait_until("a new leader", |p| {
        leaders(p).len() == 1 && leaders(p)[0] != leader
    });
    // Let the others' reports of their re-reads come in.
    std::thread::sleep(Duration::from_millis(500));
    let after = live.picture();
    let next = leaders(&after)[0];
    assert_ne!(next, leader);
    // The processes' own reports, as narrated since the kill: only the successor was woken.
    let notified: Vec<String> = after["events"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter(|e| e["seq"].as_u64().unwrap_or(0) > seq)
                .filter_map(|e| e["text"].as_str())
                .filter(|t| t.contains(" is notified: "))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(notified.len(), 1, "{notified:?}");
    assert!(
        notified[0].starts_with(&format!("p{next} ")),
        "{notified:?}"
    );
    // Ctrl-C stops everything it started.
    let children = live.children();
    assert!(
        children.len() >= 3 + 4,
        "servers and candidates: {children:?}"
    );
    live.stop();
    let left: Vec<u32> = children.into_iter().filter(|pid| alive(*pid)).collect();
    assert!(left.is_empty(), "still running after Ctrl-C: {left:?}");
}

#[test]
fn bad_requests_are_refused_with_a_reason_and_change_nothing() {
    let live = Live::start(&["--start", "1", "--processes", "2"]);
    let settled = live.wait_until("a leader", |p| leaders(p).len() == 1);
    let token = live.token.clone();
    let refused = |status: u16, body: &str, words: &str| {
        assert!(
            body.contains(words),
            "expected {words:?} in the refusal, got {status} {body}"
        );
    };
    let (status, body) = live.request("GET", "/api/picture?token=0123", &[], "");
    assert_eq!(status, 403);
    refused(status, &body, "wrong token");
    let (status, body) = live.request("GET", "/api/picture", &[], "");
    assert_eq!(status, 403);
    refused(status, &body, "no token");
    let path = format!("/api/command?token={token}");
    let (status, body) = live.request(
        "POST",
        &path,
        &[("Origin", "http://attacker.example")],
        "{\"KillProcess\":1}",
    );
    assert_eq!(status, 403);
    refused(status, &body, "only this bridge's own page");
    let (status, body) = live.request("POST", &path, &[("Host", "attacker.example")], "{}");
    assert_eq!(status, 403);
    refused(status, &body, "answers only as 127.0.0.1");
    for garbage in [
        "",
        "\u{0}\u{1}garbage",
        "{\"KillProcess\":\"p1\"}",
        "[1,2,3]",
    ] {
        let (status, body) = live.command(garbage);
        assert_eq!(status, 400, "{garbage:?}: {body}");
        refused(status, &body, "not a command");
    }
    let (status, body) = live.command("{\"KillProcess\":4000000000}");
    assert_eq!(status, 400);
    refused(status, &body, "there is no process");
    let (status, body) = live.command("{\"Partition\":[{\"Process\":1},null]}");
    assert_eq!(status, 400);
    refused(status, &body, "not available live");
    // Nothing changed: the same leader, both processes running.
    let now = live.picture();
    assert_eq!(leaders(&now), leaders(&settled));
    assert!(now["processes"]
        .as_array()
        .is_some_and(|ps| ps.iter().all(|p| p["liveness"] == "Running")));
}

#[test]
fn the_page_console_speaks_zkcli_to_the_real_ensemble() {
    let live = Live::start(&["--start", "1", "--processes", "1"]);
    live.wait_until("a leader", |p| leaders(p).len() == 1);
    let path = format!("/api/zkcli?token={}", live.token);
    let (status, body) = live.request("POST", &path, &[], "create -e /from-the-page hello");
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let output = answer["output"].as_str().unwrap_or("");
    assert!(
        output.contains("create -e /from-the-page hello\n"),
        "{output}"
    );
    assert!(output.ends_with("Created /from-the-page\n"), "{output}");
    assert!(
        answer["prompt"]
            .as_str()
            .is_some_and(|p| p.contains("(CONNECTED) 1]")),
        "{answer}"
    );
    let (_, body) = live.request("POST", &path, &[], "get /from-the-page");
    assert!(body.contains("hello"), "{body}");
    // The console's session is drawn as the console's client, owning its ephemeral node.
    live.wait_until("the console's client and its znode", |p| {
        p["tree"].get("/from-the-page").is_some()
            && p["processes"].as_array().is_some_and(|ps| {
                ps.iter().any(|q| {
                    q["kind"] == "Console"
                        && q["id"] == 100
                        && q["candidate"].is_null()
                        && q["session"].is_number()
                })
            })
    });
    let (status, body) = live.request("POST", "/api/zkcli?token=nope", &[], "ls /");
    assert_eq!(status, 403, "{body}");
}
