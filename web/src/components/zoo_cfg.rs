//! The lecture's set-up: the `zoo.cfg` of each server, every line beside what it means — on
//! a live page the file each real server Zooscope started runs with, in the simulation the
//! file a real ensemble with the same settings would read.
//!
//! Imports from the core `picture`.

use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::picture::{Picture, Source};

/// Props of [`ZooCfgPanel`].
#[derive(Properties, PartialEq)]
pub struct ZooCfgPanelProps {
    /// The picture, whose servers may carry their configuration.
    pub picture: Rc<Picture>,
    /// Open the first server's file (a tour's step explains it).
    #[prop_or(false)]
    pub open: bool,
}

/// What a `zoo.cfg` key means, in the lecture's words (ZooKeeper's administrator's guide).
pub fn explain(key: &str) -> &'static str {
    match key {
        "tickTime" => {
            "The basic unit of time, in ms: the servers ping each other every tick, and every \
             timeout is counted in ticks — a session's must lie between 2 and 20 of them. (A \
             client pings its server about every third of its session timeout, not every tick.)"
        }
        "initLimit" => {
            "How many ticks a follower may take to connect to the leader and catch up with it."
        }
        "syncLimit" => {
            "How many ticks a follower may fall behind the leader before the leader drops it."
        }
        "dataDir" => {
            "Where the server keeps its snapshots and transaction log; its myid file says which \
             server.N it is."
        }
        "clientPort" => "The port clients connect to: zkCli, and the election's processes.",
        "clientPortAddress" => "The address it listens on for clients: loopback only.",
        "admin.enableServer" => "The AdminServer (HTTP, port 8080 by default) is off.",
        "4lw.commands.whitelist" => {
            "The four-letter words it answers (srvr, cons, dump, wchp, …): all of them, so that \
             Zooscope can watch it."
        }
        k if k.starts_with("server.") => {
            "A member of the ensemble (N is its myid): followers talk to the leader on the first \
             port, the servers elect a leader on the second."
        }
        _ => "A setting Zooscope does not explain.",
    }
}

/// The panel.
#[function_component(ZooCfgPanel)]
pub fn zoo_cfg_panel(props: &ZooCfgPanelProps) -> Html {
    let configs: Vec<(String, &str)> = props
        .picture
        .servers
        .iter()
        .filter_map(|s| Some((s.id.to_string(), s.config.as_deref()?)))
        .collect();
    if configs.is_empty() {
        return html! {};
    }
    let simulated = matches!(props.picture.source, Source::Simulation);
    html! {
        <section class={classes!("panel", "zoo-cfg", props.open.then_some("opened"))} aria-labelledby="zoo-cfg-title" data-panel="zoo-cfg">
            <h2 id="zoo-cfg-title">{ "zoo.cfg" }</h2>
            if simulated {
                <p class="hint">{ "What each server of a real ensemble with these settings would read (zkServer.sh start reads conf/zoo.cfg; dataDir/myid says which server.N it is)." }</p>
            }
            { for configs.iter().enumerate().map(|(i, (server, config))| html! {
                <details data-cfg-server={server.clone()} open={props.open && i == 0}>
                    <summary>{ format!("{server}'s zoo.cfg") }</summary>
                    <dl class="cfg">
                        { for config.lines().filter_map(|line| line.split_once('=')).map(|(key, value)| html! {
                            <>
                                <dt data-cfg-key={key.to_owned()}><code>{ format!("{key}={value}") }</code></dt>
                                <dd>{ explain(key) }</dd>
                            </>
                        }) }
                    </dl>
                </details>
            }) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_line_zooscope_writes_is_explained() {
        for key in [
            "tickTime",
            "initLimit",
            "syncLimit",
            "dataDir",
            "clientPort",
            "clientPortAddress",
            "server.1",
            "server.3",
            "admin.enableServer",
            "4lw.commands.whitelist",
        ] {
            assert_ne!(
                explain(key),
                "A setting Zooscope does not explain.",
                "{key}"
            );
        }
        assert_eq!(
            explain("jute.maxbuffer"),
            "A setting Zooscope does not explain."
        );
    }
}
