//! The live page in headless Chromium, driven through the same `data-*` automation contract as
//! the simulation: `zooscope live --start 3 --processes 5` serves the built page (`dist/`)
//! for a real ensemble; the test kills the leader with its card's button, reads the roles from
//! the DOM, and types in the console. Chromium is driven over WebDriver (chromedriver, which
//! setup installs), by hand-written HTTP on loopback; chromedriver, Chromium and everything
//! `zooscope live` started are stopped by PID when the test ends, also when it fails.
//!
//! It needs the page built, so the test command runs it after the release build:
//! `cargo test -p zooscope-cli --test live_page -- --ignored`.
#![allow(clippy::expect_used)]

mod common;

use common::live::Live;
use common::{server_pid, signal, Thawed};

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(60);

/// A child process stopped by PID on drop: SIGINT first (so `zooscope live` stops what it
/// started), SIGKILL if it does not end.
struct Stopped(Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        common::stop_gently(&mut self.0, Duration::from_secs(20));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One HTTP request with a JSON body to `127.0.0.1:port`; the JSON answer.
fn http(port: u16, method: &str, path: &str, body: &Value) -> Value {
    let body = body.to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the driver listens");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a timeout");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("sent");
    // chromedriver keeps the connection open: read the head, then Content-Length bytes.
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("an answer") == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).expect("the whole answer");
    serde_json::from_slice(&body).unwrap_or(Value::Null)
}

/// A headless Chromium session over WebDriver.
struct Browser {
    port: u16,
    session: String,
    _driver: Group,
}

/// chromedriver and the browser it started (found by its profile directory, which is this
/// test's own), stopped on drop.
struct Group {
    _driver: Stopped,
    profile: PathBuf,
}

impl Drop for Group {
    fn drop(&mut self) {
        let profile = format!("--user-data-dir={}", self.profile.display());
        let browsers: Vec<String> = std::fs::read_dir("/proc")
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                    .filter(|pid| {
                        std::fs::read(format!("/proc/{pid}/cmdline"))
                            .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&profile))
                    })
                    .map(|pid| pid.to_string())
                    .collect()
            })
            .unwrap_or_default();
        if !browsers.is_empty() {
            let _ = Command::new("kill")
                .arg("-KILL")
                .args(&browsers)
                .stderr(Stdio::null())
                .status();
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Browser {
    fn open() -> Browser {
        let port = free_port();
        let profile = std::env::temp_dir().join(format!("zooscope-live-page-{port}"));
        let driver = Group {
            _driver: Stopped(
                Command::new("chromedriver")
                    .arg(format!("--port={port}"))
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("chromedriver starts (scripts/setup.sh installs it)"),
            ),
            profile: profile.clone(),
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < PATIENCE, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "pageLoadStrategy": "none",
            "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--window-size=1366,900",
                     format!("--user-data-dir={}", profile.display())]
        }}}});
        let answer = http(port, "POST", "/session", &capabilities);
        let session = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {answer}"))
            .to_owned();
        Browser {
            port,
            session,
            _driver: driver,
        }
    }

    fn go(&self, url: &str) {
        http(
            self.port,
            "POST",
            &format!("/session/{}/url", self.session),
            &json!({ "url": url }),
        );
    }

    /// Runs `script` in the page; its value. A script that throws (a click on a control that
    /// is not there, a query of a missing element) fails the test: chromedriver answers with
    /// an error object, which must not pass for a value.
    fn run(&self, script: &str) -> Value {
        let value = http(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            &json!({ "script": script, "args": [] }),
        )["value"]
            .clone();
        if let Some(error) = value.get("error").and_then(Value::as_str) {
            panic!(
                "the script failed ({error}: {}):\n{script}",
                value["message"].as_str().unwrap_or("")
            );
        }
        value
    }

    fn wait_until(&self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.run(script);
            if !value.is_null() && value != json!(false) {
                return value;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "waited {PATIENCE:?} for {what}; the page: {}",
                self.run("return document.body.innerText")
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            &Value::Null,
        );
    }
}

/// `zooscope live` serving the built page, and the address to open.
fn live(args: &[&str]) -> (Live, String) {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    assert!(
        dist.join("index.html").is_file(),
        "the page is not built: run `trunk build --release` first (the test command does)"
    );
    let dist = dist.to_string_lossy().into_owned();
    let live = Live::start(&[args, &["--dist", &dist]].concat());
    let url = format!("http://127.0.0.1:{}/#live={}", live.port, live.token);
    (live, url)
}

#[test]
#[ignore = "needs the built page: the test command runs it after `trunk build --release`"]
fn the_live_page_kills_a_real_leader_and_types_in_the_real_zkcli() {
    let (live, url) = live(&["--start", "3", "--processes", "5"]);
    let browser = Browser::open();
    browser.go(&url);
    browser.wait_until(
        "the live header",
        "return document.querySelector('[data-source=\"live\"]') !== null",
    );
    let leader = browser.wait_until(
        "one leader and four followers",
        "const l = document.querySelectorAll('[data-process][data-role=\"leader\"]');
         const f = document.querySelectorAll('[data-process][data-role=\"follower\"]');
         return l.length === 1 && f.length === 4 ? l[0].dataset.process : null",
    );
    let leader = leader.as_str().expect("a process number").to_owned();
    // A moment the page saw before the kill, to go back to later. (Not a fixed time: the page
    // keeps what it saw since it connected, and a browser slow to start connects late.)
    let before_kill = browser
        .wait_until(
            "the moment shown",
            "const at = document.querySelector('[data-time]');
             return at ? Number(at.dataset.time) : null",
        )
        .as_u64()
        .expect("a time in milliseconds");
    // The set-up, explained: each server's zoo.cfg, line by line.
    browser.wait_until(
        "the three servers' zoo.cfg",
        "return document.querySelectorAll('[data-panel=\"zoo-cfg\"] [data-cfg-server]').length === 3
            && document.querySelector('[data-cfg-server=\"zk2\"] [data-cfg-key=\"server.3\"]') !== null",
    );
    browser.run(&format!(
        "document.querySelector('[data-process=\"{leader}\"] [data-action=\"kill\"]').click()"
    ));
    let clicked = Instant::now();
    browser.wait_until(
        "the killed process drawn crashed",
        &format!(
            "const killed = document.querySelector('[data-process=\"{leader}\"]');
             return killed && killed.dataset.role === 'crashed'"
        ),
    );
    // From the click through the bridge, its next look and the stream, to the DOM (polled
    // every 200 ms, so this is an upper bound).
    eprintln!(
        "live page: a kill reached the screen within {:?}",
        clicked.elapsed()
    );
    browser.wait_until(
        "the killed process drawn crashed, and another leading",
        &format!(
            "const killed = document.querySelector('[data-process=\"{leader}\"]');
             const l = document.querySelectorAll('[data-process][data-role=\"leader\"]');
             return killed && killed.dataset.role === 'crashed' && l.length === 1
                 && l[0].dataset.process !== '{leader}'"
        ),
    );
    // A guided tour replays the simulation, on a live page too; closing it comes back live.
    browser.run("document.querySelector('[data-action=\"tours\"]').click()");
    browser.wait_until(
        "the tour picker",
        "const b = document.querySelector('[data-tour=\"0\"]'); if (b) { b.click(); } return b !== null",
    );
    browser.wait_until(
        "the tour showing the simulation",
        "return document.querySelector('[data-tour-step]') !== null
            && document.querySelector('[data-source=\"simulation\"]') !== null",
    );
    browser.run("document.querySelector('[data-tour-step] [data-action=\"tour-close\"]').click()");
    browser.wait_until(
        "the live picture again",
        "return document.querySelector('[data-source=\"live\"]') !== null",
    );
    // The console: the real zkCli answers, and the picture shows what it did.
    browser.run(
        "const input = document.querySelector('[data-control=\"console\"]');
         const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
         set.call(input, 'create /from-the-browser hello');
         input.dispatchEvent(new InputEvent('input', { bubbles: true }));",
    );
    browser.run(
        "document.querySelector('[data-control=\"console\"]')
             .dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))",
    );
    browser.wait_until(
        "zkCli's answer and the new znode in the tree",
        "const out = document.querySelector('[data-console-output]');
         return out !== null && out.textContent.includes('Created /from-the-browser')
             && document.querySelector('[data-znode=\"/from-the-browser\"]') !== null",
    );
    // Back in time through what was seen (read-only), then live again.
    browser.run("document.querySelector('[data-action=\"pause-sim\"]').click()");
    browser.run(
        "const slider = document.querySelector('[data-control=\"timeline\"]');
         const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
         set.call(slider, '0');
         slider.dispatchEvent(new InputEvent('input', { bubbles: true }));",
    );
    browser.wait_until(
        "an early moment shown, before the kill",
        &format!(
            "const at = document.querySelector('[data-time]');
             const killed = document.querySelector('[data-process=\"{leader}\"]');
             return at !== null && Number(at.dataset.time) <= {before_kill}
                 && (!killed || killed.dataset.role !== 'crashed')"
        ),
    );
    browser.run("document.querySelector('[data-action=\"play\"]').click()");
    browser.wait_until(
        "the newest picture again",
        &format!(
            "const killed = document.querySelector('[data-process=\"{leader}\"]');
             return killed && killed.dataset.role === 'crashed'"
        ),
    );
    // A follower frozen (SIGSTOP, as a stuck JVM): its card says it does not answer; SIGCONT
    // brings it back.
    let follower = browser.wait_until(
        "a following server",
        "const f = document.querySelector('[data-server][data-role=\"follower\"]');
         return f ? f.dataset.server : null",
    );
    let follower = follower.as_str().expect("a server number").to_owned();
    let follower_id: u64 = follower.parse().expect("a server number");
    let jvm = server_pid(live.child.id(), follower_id).expect("the follower's JVM");
    signal(jvm, "-STOP");
    let thawed = Thawed(jvm);
    browser.wait_until(
        "the frozen server's card",
        &format!(
            "const c = document.querySelector('[data-server=\"{follower}\"]');
             return c && c.dataset.answers === 'false'
                 && c.textContent.includes('does not answer')"
        ),
    );
    drop(thawed);
    browser.wait_until(
        "the server answering again",
        &format!(
            "const c = document.querySelector('[data-server=\"{follower}\"]');
             return c && c.dataset.answers === 'true'"
        ),
    );
    // Every server killed: the page says ZooKeeper does not answer; restarted, it goes.
    browser.run(
        "document.querySelectorAll('[data-server] [data-action=\"kill\"]').forEach(b => b.click())",
    );
    browser.wait_until(
        "the banner: no server answers",
        "return document.querySelector('[data-zookeeper-lost]') !== null",
    );
    browser.run(
        "document.querySelectorAll('[data-server] [data-action=\"restart\"]').forEach(b => b.click())",
    );
    browser.wait_until(
        "the ensemble back",
        "return document.querySelector('[data-zookeeper-lost]') === null
            && document.querySelectorAll('[data-server][data-role=\"leader\"]').length === 1",
    );
    // The bridge gone: the page says so and keeps trying, with what it saw still there.
    drop(live);
    browser.wait_until(
        "the banner: the connection is lost",
        "return document.querySelector('[data-connection-lost]') !== null
            && document.querySelector('[data-process]') !== null",
    );
}
