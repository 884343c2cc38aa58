//! A real ZooKeeper ensemble of 1, 3 or 5 servers on loopback, for live mode and its tests.
//!
//! Each member is the installed ZooKeeper 3.8 (found as [`Installation::find`] finds it) run as
//! `QuorumPeerMain` in the foreground as our child, with its own `myid`, data directory and
//! `zoo.cfg` under one temporary directory, on free loopback ports (a client port, a quorum
//! port and an election port each), a short `tickTime` and every four-letter word enabled.
//! One member alone runs standalone, as `zkServer.sh start` with a one-server `zoo.cfg` does.
//! A member can be killed (SIGKILL, by its PID) and started again with the same `myid` and data
//! directory; every member still running is stopped by PID when the ensemble is dropped, so a
//! panicking owner leaves nothing behind.
//!
//! Imports [`crate::zookeeper`]'s way of running one server and asking its four-letter words.

use crate::zookeeper::{
    four_letter, free_port, fresh_dir, spawn_server, wait_serving, Installation, ServerSettings,
};
use crate::LiveError;
use std::path::PathBuf;
use std::process::Child;
use std::time::Duration;

/// How long a member may take to serve after it starts (a JVM's start on a busy machine,
/// then an election).
const START_PATIENCE: Duration = Duration::from_secs(90);

/// One server of the ensemble.
#[derive(Debug)]
struct Member {
    id: u8,
    client_port: u16,
    quorum_port: u16,
    election_port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl Member {
    fn address(&self) -> String {
        format!("127.0.0.1:{}", self.client_port)
    }
}

/// A real ensemble we started.
#[derive(Debug)]
pub struct RealEnsemble {
    installation: Installation,
    settings: ServerSettings,
    members: Vec<Member>,
    dir: PathBuf,
}

impl RealEnsemble {
    /// The sizes an ensemble may have: one standalone server, or an odd number that survives
    /// losing a minority.
    pub const SIZES: [usize; 3] = [1, 3, 5];

    /// Starts `size` servers (1, 3 or 5) and waits until every one serves.
    pub fn start(
        installation: &Installation,
        size: usize,
        settings: ServerSettings,
    ) -> Result<RealEnsemble, LiveError> {
        if !Self::SIZES.contains(&size) {
            return Err(LiveError::Measurement(format!(
                "an ensemble has 1, 3 or 5 servers, not {size}"
            )));
        }
        let dir = fresh_dir()?;
        let mut members = Vec::with_capacity(size);
        for id in 1..=size {
            let id = u8::try_from(id).unwrap_or(u8::MAX);
            let member_dir = dir.join(format!("zk{id}"));
            std::fs::create_dir_all(member_dir.join("data"))
                .map_err(|e| LiveError::io("creating a data directory", e))?;
            std::fs::write(member_dir.join("data").join("myid"), format!("{id}\n"))
                .map_err(|e| LiveError::io("writing myid", e))?;
            members.push(Member {
                id,
                client_port: free_port()?,
                quorum_port: free_port()?,
                election_port: free_port()?,
                dir: member_dir,
                child: None,
            });
        }
        let mut ensemble = RealEnsemble {
            installation: installation.clone(),
            settings,
            members,
            dir,
        };
        for id in ensemble.ids() {
            ensemble.launch(id)?;
        }
        for id in ensemble.ids() {
            ensemble.wait(id)?;
        }
        Ok(ensemble)
    }

    /// The members' ids (`myid`), from 1.
    pub fn ids(&self) -> Vec<u8> {
        self.members.iter().map(|m| m.id).collect()
    }

    /// The connect string a client uses: every member's client address.
    pub fn connect_string(&self) -> String {
        let addresses: Vec<String> = self.members.iter().map(Member::address).collect();
        addresses.join(",")
    }

    /// Member `id`'s client address (`127.0.0.1:port`).
    pub fn address(&self, id: u8) -> Option<String> {
        self.member(id).map(Member::address)
    }

    /// Member `id`'s process id, while it runs.
    pub fn pid(&self, id: u8) -> Option<u32> {
        self.member(id)?.child.as_ref().map(Child::id)
    }

    /// Whether member `id` runs (it may be electing, not yet serving).
    pub fn is_running(&mut self, id: u8) -> bool {
        self.members
            .iter_mut()
            .find(|m| m.id == id)
            .and_then(|m| m.child.as_mut())
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// The `zoo.cfg` member `id` runs with, as written to its directory.
    pub fn zoo_cfg(&self, id: u8) -> Option<String> {
        let member = self.member(id)?;
        let mut lines = vec![
            format!("tickTime={}", self.settings.tick_ms),
            format!("dataDir={}", member.dir.join("data").display()),
            format!("clientPort={}", member.client_port),
            "clientPortAddress=127.0.0.1".to_owned(),
        ];
        if self.members.len() > 1 {
            lines.push("initLimit=10".to_owned());
            lines.push("syncLimit=5".to_owned());
            for m in &self.members {
                lines.push(format!(
                    "server.{}=127.0.0.1:{}:{}",
                    m.id, m.quorum_port, m.election_port
                ));
            }
        }
        lines.push("admin.enableServer=false".to_owned());
        lines.push("4lw.commands.whitelist=*".to_owned());
        Some(lines.join("\n") + "\n")
    }

    /// Kills member `id` (SIGKILL, by its PID): its clients lose their connection and move to
    /// another member; the others elect a new leader if it led.
    pub fn kill(&mut self, id: u8) -> Result<(), LiveError> {
        let member = self.member_mut(id)?;
        if let Some(mut child) = member.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        Ok(())
    }

    /// Starts member `id` again (same `myid`, same data): it rejoins the ensemble once a
    /// quorum is up. It is not waited for: with a majority down, it waits for the others.
    pub fn restart(&mut self, id: u8) -> Result<(), LiveError> {
        if self.is_running(id) {
            return Ok(());
        }
        self.launch(id)
    }

    /// Asks member `id` a four-letter word.
    pub fn four_letter(&self, id: u8, word: &str) -> std::io::Result<String> {
        let address = self
            .address(id)
            .ok_or_else(|| std::io::Error::other(format!("no server zk{id}")))?;
        four_letter(&address, word)
    }

    fn member(&self, id: u8) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    fn member_mut(&mut self, id: u8) -> Result<&mut Member, LiveError> {
        self.members
            .iter_mut()
            .find(|m| m.id == id)
            .ok_or_else(|| LiveError::Measurement(format!("no server zk{id} in this ensemble")))
    }

    fn launch(&mut self, id: u8) -> Result<(), LiveError> {
        let config = self.zoo_cfg(id).unwrap_or_default();
        let installation = self.installation.clone();
        let member = self.member_mut(id)?;
        let cfg = member.dir.join("zoo.cfg");
        std::fs::write(&cfg, config).map_err(|e| LiveError::io("writing zoo.cfg", e))?;
        member.child = Some(spawn_server(
            &installation,
            &member.dir,
            &cfg,
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
        )?);
        Ok(())
    }

    fn wait(&mut self, id: u8) -> Result<(), LiveError> {
        let member = self.member_mut(id)?;
        let address = member.address();
        let dir = member.dir.clone();
        match member.child.as_mut() {
            Some(child) => wait_serving(child, &address, &dir, START_PATIENCE),
            None => Ok(()),
        }
    }
}

impl Drop for RealEnsemble {
    fn drop(&mut self) {
        // By PID: these children and no other process.
        for member in &mut self.members {
            if let Some(mut child) = member.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
