//! zkCli's commands about identity, ACLs, quotas and configuration.
//!
//! Zooscope does not model ACLs, quotas or reconfiguration: every znode carries ZooKeeper's
//! default ACL (`world:anyone:cdrwa`, `/zookeeper/config` read-only), no quota is ever set and
//! the ensemble's membership is fixed. The commands that only *read* those things answer as a
//! fresh 3.8 server does; the ones that would change them say plainly that they are outside
//! the simulation instead of pretending to work.
//!
//! Imports [`crate::zk`]; outside the crate, `base64`, `sha1`.

use super::{format, validate, Backend, CliError, Parsed, Shell};
use crate::zk::error::KeeperError;
use crate::zk::java_order;
use crate::zk::op::{Op, OpResult};
use base64::Engine;
use sha1::{Digest, Sha1};

/// The address the server sees the console's connection come from.
const CLIENT_IP: &str = "127.0.0.1";

/// Authentication schemes a default 3.8 server has providers for.
const KNOWN_SCHEMES: [&str; 2] = ["digest", "ip"];

impl<B: Backend> Shell<B> {
    /// `whoami`: the connection's authenticated identities, in the order of the server's
    /// hash set of `Id`s (the ip identity first, then each `addauth digest`).
    pub(super) fn whoami(&mut self, _: &Parsed) -> Result<(), CliError> {
        self.flush_events();
        self.print("Auth scheme: User");
        let ip = ("ip".to_owned(), CLIENT_IP.to_owned());
        let ids: Vec<(String, String)> = std::iter::once(ip)
            .chain(
                self.digest_ids
                    .iter()
                    .map(|id| ("digest".to_owned(), id.clone())),
            )
            .collect();
        let members = ids
            .iter()
            .zip(0..)
            .map(|((scheme, id), seq)| ((scheme, id), java_order::record_hash(&[scheme, id]), seq))
            .collect();
        for (scheme, id) in java_order::iteration_order(members, ids.len()) {
            // DigestAuthenticationProvider.getUserName: the part before the first ':'.
            let user = id.split(':').next().unwrap_or_default();
            self.print(&format!("{scheme}: {user}"));
        }
        Ok(())
    }

    /// `addauth scheme auth`: a digest identity is added (`user:password` → `user`); the ip
    /// scheme adds the address the session already has; an unknown scheme fails the
    /// authentication, and the server drops the connection.
    pub(super) fn addauth(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let scheme = cl.args[1].as_str();
        let auth = cl.args.get(2).map(String::as_str).unwrap_or_default();
        if !KNOWN_SCHEMES.contains(&scheme) {
            // The auth packet goes out on its own; the client learns of the failure with its
            // next request (see `Shell::auth_failure`).
            self.auth_failed = true;
            return Ok(());
        }
        if scheme == "digest" {
            let id = digest_id(auth);
            if !self.digest_ids.contains(&id) {
                self.digest_ids.push(id);
            }
        }
        Ok(())
    }

    /// `getAcl [-s] path`: the default ACLs every znode has here.
    pub(super) fn get_acl(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let path = cl.args[1].clone();
        validate(&path, false)?;
        self.flush_events();
        let op = Op::Exists {
            path: path.clone(),
            watch: false,
        };
        let stat = match self.call(op)? {
            OpResult::Exists(Some(stat)) => stat,
            _ => return Err(KeeperError::NoNode(path).into()),
        };
        let perms = if path == "/zookeeper/config" {
            "r"
        } else {
            "cdrwa"
        };
        self.print("'world,'anyone");
        self.print(&format!(": {perms}"));
        if cl.has('s') {
            self.out.push_str(&format::stat(&stat));
        }
        Ok(())
    }

    /// `config [-c] [-w] [-s]`: the dynamic configuration in `/zookeeper/config`, empty on a
    /// standalone server (`-c` prints the client connection string, a blank).
    pub(super) fn config(&mut self, cl: &Parsed) -> Result<(), CliError> {
        self.flush_events();
        let op = Op::GetData {
            path: "/zookeeper/config".to_owned(),
            watch: cl.has('w'),
        };
        let OpResult::Data(data, stat) = self.call(op)? else {
            return Ok(());
        };
        if cl.has('w') {
            self.watches.register(
                crate::zk::client_watch::Registration::GetData,
                "/zookeeper/config",
            );
        }
        let text = String::from_utf8_lossy(data.as_deref().unwrap_or_default()).into_owned();
        if cl.has('c') {
            self.print(&format!("{text} "));
        } else {
            self.print(&text);
        }
        if cl.has('s') {
            self.out.push_str(&format::stat(&stat));
        }
        Ok(())
    }

    /// `listquota path`: no quota is ever set here, so none exists.
    pub(super) fn listquota(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let path = cl.args[1].clone();
        self.flush_events();
        self.print(&format!(
            "absolute path is /zookeeper/quota{path}/zookeeper_limits"
        ));
        self.print(&format!("quota for {path} does not exist."));
        Ok(())
    }
}

impl<B: Backend> Shell<B> {
    /// The next request after a failed `addauth`: the client sees `AuthFailed`, the request
    /// fails with it, and the connection is gone (the session itself lives on in the server
    /// until it expires). `whoami` prints its header and nothing else, as recorded.
    pub(super) fn auth_failure(&mut self, command: &str, cl: &Parsed) -> CliError {
        self.auth_failed = false;
        self.flush_events();
        self.print_state_event("AuthFailed");
        self.session = None;
        self.watches.clear();
        if command == "whoami" {
            self.print("Auth scheme: User");
            return CliError::Silent;
        }
        let path = cl.args.get(1).cloned().unwrap_or_default();
        CliError::Keeper(KeeperError::AuthFailed(path))
    }
}

/// `DigestAuthenticationProvider.generateDigest`: `user:base64(sha1(user:password))`, the
/// identity the server records for `addauth digest user:password`.
fn digest_id(auth: &str) -> String {
    let user = auth.split(':').next().unwrap_or_default();
    let hash = Sha1::digest(auth.as_bytes());
    let encoded = base64::engine::general_purpose::STANDARD.encode(hash);
    format!("{user}:{encoded}")
}

/// What Zooscope answers for a command that would change something it does not simulate.
pub(super) fn not_simulated(command: &str) -> Option<&'static str> {
    Some(match command {
        "setAcl" => "setAcl is not supported by Zooscope: it does not simulate ACLs, every znode keeps world:anyone:cdrwa",
        "setquota" | "delquota" => "Quotas are not supported by Zooscope: it does not simulate them",
        "reconfig" => "reconfig is not supported by Zooscope: the ensemble's membership is fixed",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_ids_are_what_zookeeper_generates() {
        assert_eq!(digest_id("user:pass"), "user:smGaoVKd/cQkjm7b88GyorAUz20=");
        assert_eq!(digest_id("nocolon"), "nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g=");
    }
}
