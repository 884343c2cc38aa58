//! zkCli's commands on znodes and their watches: `create`, `ls`, `get`, `stat`, `set`,
//! `delete`, `deleteall`, `sync`, `addWatch`, `removewatches`, `getEphemerals`,
//! `getAllChildrenNumber` — each printing what `ZooKeeperMain`'s command of that name prints.
//!
//! Imports [`crate::zk`]; the shell's parsing, formatting and Java-isms from its siblings.

use super::{format, java, validate, Backend, CliError, Parsed, Shell};
use crate::ids::SessionId;
use crate::zk::client_watch::Registration;
use crate::zk::error::KeeperError;
use crate::zk::jute;
use crate::zk::op::{Op, OpResult, Reply};
use crate::zk::path;
use crate::zk::stat::{Stat, MAX_TTL_MS};
use crate::zk::watch::WatcherType;
use crate::zk::znode::CreateMode;

impl<B: Backend> Shell<B> {
    /// `set [-s] [-v version] path data`.
    pub(super) fn set(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let version = match cl.value('v') {
            Some(v) => java::parse_int(v)
                .ok_or_else(|| CliError::Crash(java::number_format_trace(v, java::SET_TRACE)))?,
            None => -1,
        };
        let path = cl.args[1].clone();
        validate(&path, false)?;
        self.flush_events();
        let data = Some(cl.args[2].clone().into_bytes());
        if !jute::fits(jute::set_data_request(&path, data.as_deref())) {
            return Err(self.lose_connection(&path));
        }
        let result = self.call(Op::SetData {
            path: path.clone(),
            data,
            version,
        });
        self.flush_events();
        let OpResult::Set(stat) = result? else {
            return Ok(());
        };
        if cl.has('s') {
            self.out.push_str(&format::stat(&stat));
        }
        Ok(())
    }

    /// `deleteall path`: the subtree, children first.
    pub(super) fn deleteall(&mut self, cl: &Parsed) -> Result<(), CliError> {
        if let Some(b) = cl.value('b') {
            if java::parse_int(b).is_none() {
                return Err(CliError::Message("-b argument must be an int value".into()));
            }
        }
        let path = cl.args[1].clone();
        validate(&path, false)?;
        self.flush_events();
        let tree = match self.subtree(&path) {
            Ok(t) => t,
            Err(e) => {
                self.flush_events();
                return Err(e.into());
            }
        };
        let mut failed = false;
        for p in tree.iter().rev() {
            let op = Op::Delete {
                path: p.clone(),
                version: -1,
            };
            failed |= self.call(op).is_err();
        }
        self.flush_events();
        if failed {
            self.print("Failed to delete some node(s) in the subtree!");
        }
        Ok(())
    }

    /// `sync path`: a real request (`SyncCommand` waits for its callback): through a follower
    /// it makes the follower catch up with its leader before it answers.
    pub(super) fn sync(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let path = cl.args[1].clone();
        validate(&path, false)?;
        self.flush_events();
        // A real request (`SyncCommand` waits for its callback): through a follower it
        // makes the follower catch up with its leader before it answers.
        let result = self.call(Op::Sync { path });
        self.flush_events();
        match result {
            Ok(_) => self.print("Sync is OK"),
            Err(e) => self.print(&format!("Sync has failed. rc={}", e.code())),
        }
        Ok(())
    }

    /// `addWatch [-m mode] path`: a persistent (recursive) watch.
    pub(super) fn add_watch(&mut self, cl: &Parsed) -> Result<(), CliError> {
        if cl.args.len() != 2 {
            return Err(CliError::Usage);
        }
        let recursive = match cl
            .value('m')
            .map(|m| java::ascii_upper_case(m).unwrap_or_default())
            .as_deref()
        {
            None | Some("PERSISTENT_RECURSIVE") => true,
            Some("PERSISTENT") => false,
            Some(_) => return Err(CliError::Usage),
        };
        let path = cl.args[1].clone();
        validate(&path, false)?;
        self.flush_events();
        self.call(Op::AddWatch {
            path: path.clone(),
            recursive,
        })?;
        let registration = if recursive {
            Registration::PersistentRecursive
        } else {
            Registration::Persistent
        };
        self.watches.register(registration, &path);
        Ok(())
    }

    /// `removewatches path [-c|-d|-a] [-l]`.
    pub(super) fn remove_watches(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let which = if cl.has('c') {
            WatcherType::Children
        } else if cl.has('d') {
            WatcherType::Data
        } else {
            WatcherType::Any
        };
        let path = cl.args[1].clone();
        validate(&path, false)?;
        self.flush_events();
        // The server removes what it has; the client then removes its own record and
        // answers for it. With -l a server-side failure is ignored.
        let on_server = self.call(Op::RemoveWatches {
            path: path.clone(),
            which,
        });
        if let (Err(e), false) = (on_server, cl.has('l')) {
            return Err(e.into());
        }
        let removed = self
            .watches
            .remove(&path, which)
            .ok_or_else(|| KeeperError::NoWatcher(path.clone()))?;
        for kind in removed {
            if self.print_watches {
                let kind = kind.to_string();
                self.out
                    .push_str(&format::watcher_lines("SyncConnected", &kind, Some(&path)));
            }
        }
        Ok(())
    }

    /// `getEphemerals [path]`.
    pub(super) fn get_ephemerals(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let prefix = cl.args.get(1).cloned().unwrap_or_else(|| "/".into());
        validate(&prefix, false)?;
        self.flush_events();
        let list = match self.call(Op::GetEphemerals { prefix })? {
            OpResult::Ephemerals(list) => list,
            _ => Vec::new(),
        };
        self.print(&format!("[{}]", list.join(", ")));
        Ok(())
    }

    /// `getAllChildrenNumber path`.
    pub(super) fn get_all_children_number(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let path = cl.args[1].clone();
        validate(&path, false)?;
        self.flush_events();
        if let OpResult::Count(n) = self.call(Op::GetAllChildrenNumber { path })? {
            self.print(&n.to_string());
        }
        Ok(())
    }

    pub(super) fn session_id(&self) -> SessionId {
        self.session.unwrap_or(SessionId(0))
    }

    /// `create [-s] [-e] [-c] [-t ttl] path [data] [acl]`.
    pub(super) fn create(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let (e, s, c, t) = (cl.has('e'), cl.has('s'), cl.has('c'), cl.has('t'));
        if c && (e || s) {
            return Err(CliError::Message(
                "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential."
                    .into(),
            ));
        }
        let mut ttl = None;
        if t {
            let value = cl.value('t').unwrap_or_default();
            ttl = Some(
                value
                    .parse::<i64>()
                    .map_err(|_| CliError::Message("-t argument must be a long value".into()))?,
            );
        }
        if e && t {
            return Err(CliError::Message(
                "TTLs cannot be used with Ephemeral znodes".into(),
            ));
        }
        if c && t {
            return Err(CliError::Message(
                "TTLs cannot be used with Container znodes".into(),
            ));
        }
        let mode = match (e, s, c, ttl) {
            (_, _, true, _) => CreateMode::Container,
            (_, true, _, Some(ttl)) => CreateMode::PersistentSequentialWithTtl(ttl),
            (_, false, _, Some(ttl)) => CreateMode::PersistentWithTtl(ttl),
            (true, true, _, None) => CreateMode::EphemeralSequential,
            (true, false, _, None) => CreateMode::Ephemeral,
            (false, true, _, None) => CreateMode::PersistentSequential,
            (false, false, _, None) => CreateMode::Persistent,
        };
        if let Some(ttl) = ttl {
            if ttl <= 0 || ttl > MAX_TTL_MS {
                return Err(CliError::Message(format!(
                    "ttl must be positive and cannot be larger than: {MAX_TTL_MS}"
                )));
            }
        }
        let path = cl.args[1].clone();
        let data = cl.args.get(2).map(|d| d.clone().into_bytes());
        validate(&path, mode.is_sequential())?;
        if !jute::fits(jute::create_request(&path, data.as_deref(), ttl.is_some())) {
            return Err(self.lose_connection(&path));
        }
        self.flush_events();
        let result = self.call(Op::Create {
            path: path.clone(),
            data,
            mode,
        });
        self.flush_events();
        if let OpResult::Created { path: created, .. } = result? {
            self.print(&format!("Created {created}"));
        }
        Ok(())
    }

    pub(super) fn ls(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let path = cl.args[1].clone();
        let watch = cl.has('w');
        validate(&path, false)?;
        self.flush_events();
        if cl.has('R') {
            // ZKUtil.visitSubTreeDFS: print a node, then its children, then recurse.
            let (children, _) = self.children(&path, watch)?;
            self.print(&path);
            self.ls_children(&path, children, watch);
            return Ok(());
        }
        let (mut children, stat) = self.get_children(&path, watch)?;
        let reply = jute::get_children_reply(children.iter().map(String::as_str), cl.has('s'));
        if !jute::fits(reply) {
            return Err(self.lose_connection(&path));
        }
        if watch {
            self.watches.register(Registration::GetChildren, &path);
        }
        children.sort_unstable();
        self.print(&format!("[{}]", children.join(", ")));
        if cl.has('s') {
            self.out.push_str(&format::stat(&stat));
        }
        Ok(())
    }

    pub(super) fn ls_children(&mut self, base: &str, children: Vec<String>, watch: bool) {
        let paths: Vec<String> = children.iter().map(|c| path::join(base, c)).collect();
        for p in &paths {
            self.print(p);
        }
        for p in paths {
            if let Ok((grandchildren, _)) = self.children(&p, watch) {
                self.ls_children(&p, grandchildren, watch);
            }
        }
    }

    /// Sends a request for the shell's session.
    pub(super) fn call(&mut self, op: Op) -> Reply {
        let session = self.session_id();
        self.backend.call(session, op, self.now)
    }

    /// `getChildren` (children sorted, as zkCli prints them).
    pub(super) fn get_children(
        &mut self,
        path: &str,
        watch: bool,
    ) -> Result<(Vec<String>, Stat), KeeperError> {
        let op = Op::GetChildren {
            path: path.to_owned(),
            watch,
        };
        match self.call(op)? {
            OpResult::Children(children, stat) => Ok((children.to_vec(), stat)),
            _ => Err(KeeperError::NoNode(path.to_owned())),
        }
    }

    /// `getChildren`, filing the watch with the client when one is left.
    pub(super) fn children(
        &mut self,
        path: &str,
        watch: bool,
    ) -> Result<(Vec<String>, Stat), KeeperError> {
        let result = self.get_children(path, watch)?;
        if watch {
            self.watches.register(Registration::GetChildren, path);
        }
        Ok(result)
    }

    /// Every path of the subtree at `path`, breadth first (`ZKUtil.listSubTreeBFS`).
    pub(super) fn subtree(&mut self, path: &str) -> Result<Vec<String>, KeeperError> {
        let mut out = vec![path.to_owned()];
        let mut i = 0;
        while i < out.len() {
            let base = out[i].clone();
            match self.get_children(&base, false) {
                Ok((children, _)) => out.extend(children.iter().map(|c| path::join(&base, c))),
                Err(e) if i == 0 => return Err(e),
                Err(_) => {}
            }
            i += 1;
        }
        Ok(out)
    }

    pub(super) fn get(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let path = cl.args[1].clone();
        validate(&path, false)?;
        self.flush_events();
        let op = Op::GetData {
            path: path.clone(),
            watch: cl.has('w'),
        };
        let OpResult::Data(data, stat) = self.call(op)? else {
            return Ok(());
        };
        if !jute::fits(jute::get_data_reply(data.as_deref())) {
            return Err(self.lose_connection(&path));
        }
        if cl.has('w') {
            self.watches.register(Registration::GetData, &path);
        }
        match data {
            Some(d) => {
                let text = String::from_utf8_lossy(&d).into_owned();
                self.print(&text);
            }
            None => self.print("null"),
        }
        if cl.has('s') {
            self.out.push_str(&format::stat(&stat));
        }
        Ok(())
    }

    pub(super) fn stat(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let path = cl.args[1].clone();
        validate(&path, false)?;
        self.flush_events();
        let op = Op::Exists {
            path: path.clone(),
            watch: cl.has('w'),
        };
        let found = match self.call(op)? {
            OpResult::Exists(found) => found,
            _ => None,
        };
        if cl.has('w') {
            let found = found.is_some();
            self.watches.register(Registration::Exists { found }, &path);
        }
        match found {
            Some(stat) => {
                self.out.push_str(&format::stat(&stat));
                Ok(())
            }
            None => Err(KeeperError::NoNode(path).into()),
        }
    }

    pub(super) fn delete(&mut self, cl: &Parsed) -> Result<(), CliError> {
        let path = cl.args[1].clone();
        let version = match cl.value('v') {
            Some(v) => java::parse_int(v)
                .ok_or_else(|| CliError::Crash(java::number_format_trace(v, java::DELETE_TRACE)))?,
            None => -1,
        };
        validate(&path, false)?;
        self.flush_events();
        let result = self.call(Op::Delete { path, version });
        self.flush_events();
        result.map(|_| ()).map_err(CliError::from)
    }
}
