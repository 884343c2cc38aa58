//! `zooscope live --zk`, through the command line: attached to a ZooKeeper someone else runs
//! (here a real standalone 3.8 server the test starts and stops by PID, as `zkServer.sh start`
//! would run one), it draws that server, runs its candidates against it, refuses to kill a
//! server it does not own, and leaves the server running when it ends.
#![allow(clippy::expect_used)]

mod common;

use common::live::{alive, Live};
use common::real_server;
use serde_json::Value;

fn leaders(picture: &Value) -> usize {
    picture["processes"]
        .as_array()
        .map_or(0, |ps| ps.iter().filter(|p| p["role"] == "Leader").count())
}

#[test]
fn attached_to_a_running_server_it_draws_it_elects_and_leaves_it_running() {
    let server = real_server();
    let address = server.address();
    let mut live = Live::start(&["--zk", &address, "--processes", "3"]);
    let picture = live.wait_until("one leader among three candidates", |p| {
        leaders(p) == 1
            && p["processes"].as_array().is_some_and(|ps| {
                ps.iter()
                    .filter(|q| q["role"].get("Watching").is_some())
                    .count()
                    == 2
            })
    });
    // The one server, as its srvr says: standalone.
    let servers = picture["servers"].as_array().expect("servers");
    assert_eq!(servers.len(), 1, "{servers:?}");
    assert_eq!(servers[0]["role"], "Standalone", "{:?}", servers[0]);
    // The candidates' znodes are in the real server's tree.
    let dump = server.four_letter("dump").expect("dump answers");
    assert_eq!(
        dump.matches("/election/c_").count(),
        3,
        "three ephemerals in the server's dump: {dump}"
    );
    // Not Zooscope's server: it is not killed from the page.
    let (status, body) = live.command(r#"{"KillServer":1}"#);
    assert!(status >= 400, "{status}: {body}");
    assert!(alive(server.pid()));
    // Ending live mode ends its candidates and leaves the server serving.
    live.stop();
    assert!(alive(server.pid()), "the attached server was left running");
    let after = server.four_letter("srvr").expect("srvr answers");
    assert!(after.contains("Mode: standalone"), "{after}");
}
