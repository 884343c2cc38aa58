//! `zooscope live` as a user runs it: a real ensemble of three servers and five real
//! candidates behind the page's API on 127.0.0.1. The test drives it over HTTP as the page
//! does, checks that bad requests are refused and change nothing, and that stopping it
//! (Ctrl-C) leaves no server and no candidate behind — also when an assertion fails, since the
//! guard stops it on drop.
#![allow(clippy::expect_used)]

mod common;

use common::live::{alive, Live};
use common::{server_pid, signal, Thawed};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

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
    // Cutting links is a simulation's control, not a command the bridge takes.
    let (status, body) = live.command("{\"Partition\":[{\"Process\":1},null]}");
    assert_eq!(status, 400);
    refused(status, &body, "not a command: unknown variant `Partition`");
    // Refused for a reason of state: this server runs.
    let (status, body) = live.command("{\"RestartServer\":1}");
    assert_eq!(status, 400);
    refused(status, &body, "zk1 is running: kill it first");
    // Nothing changed: the same leader, both processes running — in each of several pictures
    // taken after the last refusal (one published before it would show nothing yet).
    let mut after = live.picture()["now"].as_u64().unwrap_or(0);
    for _ in 0..5 {
        let now = live.wait_until("a newer picture", |p| {
            p["now"].as_u64().is_some_and(|t| t > after)
        });
        assert_eq!(leaders(&now), leaders(&settled));
        assert!(now["processes"]
            .as_array()
            .is_some_and(|ps| ps.len() == 2 && ps.iter().all(|p| p["liveness"] == "Running")));
        after = now["now"].as_u64().unwrap_or(after);
    }
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

/// Two tabs on one live session share its one console session, as two windows onto one
/// zkCli would: the second tab's first line is numbered after the first tab's, and it works
/// in the same session (the ephemeral the first tab made is its own: `delete` then `create -e`
/// of the same path succeed; the picture keeps one console client).
#[test]
fn two_tabs_share_the_one_console_session() {
    let live = Live::start(&["--start", "1", "--processes", "1"]);
    live.wait_until("a leader", |p| leaders(p).len() == 1);
    let path = format!("/api/zkcli?token={}", live.token);
    let say = |line: &str| -> Value {
        let (status, body) = live.request("POST", &path, &[], line);
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap_or(Value::Null)
    };
    // The first tab.
    say("create -e /tab-one one");
    let first = say("get /tab-one");
    assert!(first["output"].as_str().is_some_and(|o| o.contains("one")));
    // The second tab: its line is the shell's third.
    let second = say("stat /tab-one");
    assert!(
        second["prompt"]
            .as_str()
            .is_some_and(|p| p.contains("(CONNECTED) 3]")),
        "{second}"
    );
    let owner = |answer: &Value| -> String {
        answer["output"]
            .as_str()
            .and_then(|o| o.lines().find(|l| l.starts_with("ephemeralOwner")))
            .unwrap_or("")
            .to_owned()
    };
    let session = owner(&second);
    assert!(session.starts_with("ephemeralOwner = 0x"), "{second}");
    say("delete /tab-one");
    say("create -e /tab-one again");
    assert_eq!(owner(&say("stat /tab-one")), session, "the same session");
    // The bridge draws the console's client once it has seen its session on a server: wait
    // for it, then there is exactly one.
    let consoles = |p: &Value| {
        p["processes"]
            .as_array()
            .map_or(0, |ps| ps.iter().filter(|q| q["kind"] == "Console").count())
    };
    let picture = live.wait_until("the console's znode and client", |p| {
        p["tree"].get("/tab-one").is_some() && consoles(p) > 0
    });
    assert_eq!(consoles(&picture), 1);
}

fn silent(picture: &Value, id: u64) -> bool {
    picture["servers"]
        .as_array()
        .and_then(|ss| ss.iter().find(|s| s["id"] == id))
        .is_some_and(|s| s["silent_since"].is_number())
}

#[test]
fn a_frozen_server_delays_no_call_and_its_card_says_it_does_not_answer() {
    let live = Live::start(&["--start", "3", "--processes", "3"]);
    live.wait_until("one leader, two watching", |p| {
        leaders(p).len() == 1
            && p["processes"].as_array().is_some_and(|ps| {
                ps.iter()
                    .filter(|p| p["role"].get("Watching").is_some())
                    .count()
                    == 2
            })
    });
    // Freeze a follower (as a stuck JVM would be): the leader keeps the ensemble serving.
    let picture = live.picture();
    let follower = picture["servers"]
        .as_array()
        .and_then(|ss| ss.iter().find(|s| s["role"].get("Following").is_some()))
        .and_then(|s| s["id"].as_u64())
        .expect("a follower");
    let pid = server_pid(live.child.id(), follower).expect("the follower's JVM");
    signal(pid, "-STOP");
    let frozen = Thawed(pid);
    let mut took = Vec::new();
    for call in 0..20 {
        let started = Instant::now();
        if call % 2 == 0 {
            let picture = live.picture();
            assert!(picture["servers"].is_array(), "{picture}");
        } else {
            // Refused for a reason of state: answered by the state, not by a server.
            let (status, body) = live.command("{\"RestartServer\":1}");
            assert!(status == 200 || status == 400, "{status} {body}");
        }
        took.push(started.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    took.sort();
    eprintln!(
        "during the freeze: median {:?}, slowest {:?} of 20 calls",
        took[10], took[19]
    );
    assert!(
        took[19] < Duration::from_millis(300),
        "a call took {:?}",
        took[19]
    );
    let card = live.wait_until("the frozen server's card to say so", |p| {
        silent(p, follower)
    });
    let server = card["servers"]
        .as_array()
        .and_then(|ss| ss.iter().find(|s| s["id"] == follower))
        .cloned()
        .unwrap_or(Value::Null);
    assert!(server["role"].get("Following").is_some(), "{server}");
    drop(frozen);
    let back = live.wait_until("the server to answer again", |p| !silent(p, follower));
    assert!(back["events"]
        .as_array()
        .is_some_and(|es| es.iter().any(|e| {
            e["text"].as_str().is_some_and(|t| {
                t.starts_with(&format!(
                    "zk{follower} accepts connections but does not answer"
                ))
            })
        })));
}

/// A raw HTTP/1.1 request on a fresh connection; the answer's first line and all of it.
fn raw(port: u16, request: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the API listens");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("a timeout");
    stream
        .write_all(request.as_bytes())
        .expect("the request is sent");
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    // A WebSocket stays open: read what comes within the timeout, then stop.
    while let Ok(n) = stream.read(&mut chunk) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
        if answer.len() > 64 {
            let text = String::from_utf8_lossy(&answer);
            if text.starts_with("HTTP/1.1 101") && text.contains("\r\n\r\n") {
                // The upgrade's headers and at least the start of the first frame.
                let body = text.split_once("\r\n\r\n").map_or(0, |(_, b)| b.len());
                if body > 0 {
                    break;
                }
            }
        }
    }
    let first = String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned();
    (first, answer)
}

#[test]
fn every_door_of_the_api_keeps_the_same_rules() {
    let live = Live::start(&["--start", "1", "--processes", "1"]);
    live.wait_until("a leader", |p| leaders(p).len() == 1);
    let port = live.port;
    let token = live.token.clone();
    let upgrade = |host: &str, query: &str, extra: &str| {
        format!(
            "GET /api/stream{query} HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\n\
             Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{extra}\r\n"
        )
    };
    let here = format!("127.0.0.1:{port}");
    // The WebSocket: the token, the host and the origin, as for every call.
    let (first, answer) = raw(port, &upgrade(&here, &format!("?token={token}"), ""));
    assert!(first.starts_with("HTTP/1.1 101"), "{first}");
    let text = String::from_utf8_lossy(&answer);
    let frame = text
        .split_once("\r\n\r\n")
        .map_or(&b""[..], |(head, _)| &answer[head.len() + 4..]);
    // The first frame is a picture, in binary (opcode 2, final).
    assert_eq!(frame.first(), Some(&0x82), "{answer:?}");
    let (first, _) = raw(port, &upgrade(&here, "", ""));
    assert!(first.starts_with("HTTP/1.1 403"), "no token: {first}");
    let (first, _) = raw(
        port,
        &upgrade(
            &here,
            &format!("?token={token}"),
            "Origin: http://attacker.example\r\n",
        ),
    );
    assert!(first.starts_with("HTTP/1.1 403"), "another origin: {first}");
    let (first, _) = raw(
        port,
        &upgrade("attacker.example", &format!("?token={token}"), ""),
    );
    assert!(first.starts_with("HTTP/1.1 403"), "another host: {first}");
    // The token in its header, right and wrong.
    let (status, _) = live.request("GET", "/api/picture", &[("x-zooscope-token", &token)], "");
    assert_eq!(status, 200);
    let (status, body) = live.request("GET", "/api/picture", &[("x-zooscope-token", "00")], "");
    assert_eq!(
        (status, body.contains("wrong token")),
        (403, true),
        "{body}"
    );
    // `localhost` with this port is this server too; without the port, or another, is not.
    let path = format!("/api/picture?token={token}");
    for (host, status) in [
        (format!("localhost:{port}"), 200),
        ("localhost".to_owned(), 403),
        (format!("localhost:{}", port.wrapping_add(1)), 403),
    ] {
        let (got, body) = live.request("GET", &path, &[("Host", &host)], "");
        assert_eq!(got, status, "Host: {host}: {body}");
    }
    // The servers' configuration: behind the token, and the one the server runs with.
    let (status, _) = live.request("GET", "/api/zoo_cfg", &[], "");
    assert_eq!(status, 403);
    let (status, body) = live.request("GET", &format!("/api/zoo_cfg?token={token}"), &[], "");
    assert_eq!(status, 200, "{body}");
    let configs: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let zk1 = configs["zk1"].as_str().unwrap_or("");
    assert!(
        zk1.contains("tickTime=200\n") && zk1.contains("clientPort="),
        "{configs}"
    );
    // An oversized body is refused, for a command and for a console line alike.
    let big = format!("{{\"KillProcess\":{}1}}", " ".repeat(70 * 1024));
    for door in ["/api/command", "/api/zkcli"] {
        let (status, body) = live.request("POST", &format!("{door}?token={token}"), &[], &big);
        assert_eq!(status, 413, "{door}: {body}");
        assert!(body.contains("at most 65536 bytes"), "{door}: {body}");
    }
    assert!(leaders(&live.picture()).len() == 1, "nothing changed");
}
