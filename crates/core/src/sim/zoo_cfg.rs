//! The `zoo.cfg` a simulated ensemble corresponds to: what each server of a real ensemble with
//! the same settings would run with — `tickTime`, the data directory and client port of
//! Debian's package, and for an ensemble `initLimit`, `syncLimit` and one `server.N` line per
//! member in the production layout (`zkN:2888:3888`). The simulation reads no file; this is
//! the lecture's set-up, written out for the run on screen.
//!
//! Imports the world's [`Config`].

use crate::sim::Config;

/// The `zoo.cfg` each server of a real ensemble configured like `config` would run with (the
/// same for every member: only the `myid` file in its `dataDir` differs).
pub fn zoo_cfg(config: &Config) -> String {
    let mut lines = vec![
        format!("tickTime={}", config.tick_ms),
        "dataDir=/var/lib/zookeeper".to_owned(),
        "clientPort=2181".to_owned(),
    ];
    if config.servers > 1 {
        lines.push(format!("initLimit={}", config.timing.init_limit));
        lines.push(format!("syncLimit={}", config.timing.sync_limit));
        for n in 1..=config.servers {
            lines.push(format!("server.{n}=zk{n}:2888:3888"));
        }
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standalone_server_has_no_ensemble_lines() {
        let config = Config {
            servers: 1,
            ..Config::default()
        };
        let cfg = zoo_cfg(&config);
        assert!(cfg.contains("tickTime=") && cfg.contains("clientPort=2181\n"));
        assert!(!cfg.contains("server.") && !cfg.contains("initLimit"));
    }

    #[test]
    fn an_ensemble_lists_every_member() {
        let config = Config {
            servers: 3,
            ..Config::default()
        };
        let cfg = zoo_cfg(&config);
        for n in 1..=3 {
            assert!(
                cfg.contains(&format!("server.{n}=zk{n}:2888:3888\n")),
                "{cfg}"
            );
        }
        assert!(cfg.contains(&format!("initLimit={}\n", config.timing.init_limit)));
    }
}
