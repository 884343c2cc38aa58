//! The same zkCli shell on a real ZooKeeper: `zooscope zkcli --real` sends its requests
//! through a real client library to a real 3.8 server (started and stopped by the test, by
//! PID, on loopback), and prints what the shell prints on the model — checked line by line
//! against `zooscope zkcli` on a fresh simulated server, dates and session ids aside.
#![allow(clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

mod common;

use common::real_server;

/// A lecture's first minutes at the console: every line has data (the client library cannot
/// send zkCli's "no data"), no watch (when its event prints depends on the network).
const SCRIPT: &str = "\
create /live hello
create -e /live/eph e
create -s /live/seq- s
ls /live
get /live
set /live world
get -s /live
stat /live/eph
ls -s /live
getEphemerals /live
getAllChildrenNumber /live
create /live again
delete /live
delete -v 7 /live/eph
delete /live/seq-0000000001
get /missing
ls /live
sync /live
quit
";

fn zkcli(args: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zooscope"))
        .arg("zkcli")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zooscope zkcli starts");
    child
        .stdin
        .take()
        .expect("its input")
        .write_all(SCRIPT.as_bytes())
        .expect("the script is sent");
    let output = child.wait_with_output().expect("it ends");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The lines with dates and session ids blanked (they differ between any two runs).
fn comparable(output: &str) -> Vec<String> {
    output
        .lines()
        .map(|line| {
            let blank = ["ctime = ", "mtime = ", "ephemeralOwner = "]
                .iter()
                .find(|p| line.starts_with(*p));
            match blank {
                Some(prefix) => format!("{prefix}…"),
                None => line.to_owned(),
            }
        })
        .collect()
}

#[test]
fn the_shell_prints_the_same_on_the_real_server_as_on_the_model() {
    let server = real_server();
    let address = server.address();
    let real = comparable(&zkcli(&["-server", &address, "--real"]));
    let model = comparable(&zkcli(&["-server", &address]));
    assert!(
        real.iter()
            .any(|l| l.contains("Created /live/seq-0000000001")),
        "the real server numbered the sequential node: {real:#?}"
    );
    for (i, (r, m)) in real.iter().zip(&model).enumerate() {
        assert_eq!(
            r,
            m,
            "line {i} differs; real:\n{}\nmodel:\n{}",
            real.join("\n"),
            model.join("\n")
        );
    }
    assert_eq!(
        real.len(),
        model.len(),
        "real:\n{}\nmodel:\n{}",
        real.join("\n"),
        model.join("\n")
    );
}
