//! Candidate processes started by us: real OS processes (`zooscope candidate …`), each
//! followed through the JSON lines it prints (and the end of them, when it exits), killed
//! (SIGKILL) by its child handle, or asked to stop gracefully — its standard input closed, on
//! which it closes its session and exits. Pausing one is a signal to its PID, which the live
//! driver sends.
//!
//! Each process is registered with the [`crate::reaper`], which kills it if the bridge dies
//! without doing so itself.
//!
//! Imports [`crate::candidate`]'s reports and the reaper; from the core, the recipe.

use crate::candidate::Report;
use crate::LiveError;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use zooscope_core::recipe::RecipeKind;

/// How one candidate was started, to start it again.
#[derive(Debug, Clone)]
struct Launch {
    program: std::path::PathBuf,
    zk: String,
    recipe: RecipeKind,
    session_timeout_ms: u32,
}

/// What one candidate printed: a line, or (`None`) the end of its output — it exited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// Which candidate.
    pub index: usize,
    /// The process that printed it (a candidate started again is another process).
    pub pid: u32,
    /// The line, or `None` at the end.
    pub line: Option<String>,
}

/// A group of candidate processes; every one still running is killed and reaped on drop.
#[derive(Debug)]
pub struct Candidates {
    children: Vec<Child>,
    launches: Vec<Launch>,
    reports: mpsc::Receiver<Printed>,
    sender: mpsc::Sender<Printed>,
}

impl Candidates {
    /// An empty group.
    pub fn new() -> Candidates {
        let (sender, reports) = mpsc::channel();
        Candidates {
            children: Vec::new(),
            launches: Vec::new(),
            reports,
            sender,
        }
    }

    /// Starts one more candidate: `program candidate --zk … --recipe … --session-timeout …`.
    /// Returns its index in the group.
    pub fn spawn(
        &mut self,
        program: &Path,
        zk: &str,
        recipe: RecipeKind,
        session_timeout_ms: u32,
    ) -> Result<usize, LiveError> {
        let launch = Launch {
            program: program.to_owned(),
            zk: zk.to_owned(),
            recipe,
            session_timeout_ms,
        };
        let index = self.children.len();
        let child = self.launch(index, &launch)?;
        self.children.push(child);
        self.launches.push(launch);
        Ok(index)
    }

    /// Starts candidate `index`: the next new one, or one that ran before again. Returns its
    /// PID.
    pub fn start_at(
        &mut self,
        index: usize,
        program: &Path,
        zk: &str,
        recipe: RecipeKind,
        session_timeout_ms: u32,
    ) -> Result<u32, LiveError> {
        if index < self.children.len() {
            self.respawn(index)?;
        } else if index == self.children.len() {
            self.spawn(program, zk, recipe, session_timeout_ms)?;
        } else {
            return Err(LiveError::Measurement(format!(
                "candidate {index} cannot start before candidate {}",
                self.children.len()
            )));
        }
        self.pid(index)
            .ok_or_else(|| LiveError::Measurement(format!("no candidate {index}")))
    }

    /// Starts candidate `index` again, as it was started first (a new process, a new
    /// session); the old one, if it still runs, is killed first.
    pub fn respawn(&mut self, index: usize) -> Result<(), LiveError> {
        let launch = self
            .launches
            .get(index)
            .cloned()
            .ok_or_else(|| LiveError::Measurement(format!("no candidate {index}")))?;
        self.kill(index);
        let child = self.launch(index, &launch)?;
        if let Some(slot) = self.children.get_mut(index) {
            *slot = child;
        }
        Ok(())
    }

    /// Runs a candidate and follows its reports under `index`.
    fn launch(&self, index: usize, launch: &Launch) -> Result<Child, LiveError> {
        let mut child = Command::new(&launch.program)
            .arg("candidate")
            .arg("--zk")
            .arg(&launch.zk)
            .arg("--recipe")
            .arg(launch.recipe.name())
            .arg("--session-timeout")
            .arg(launch.session_timeout_ms.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| LiveError::io(format!("starting {}", launch.program.display()), e))?;
        let pid = child.id();
        crate::reaper::watch_process(pid);
        let stdout = child.stdout.take();
        let sender = self.sender.clone();
        std::thread::spawn(move || {
            let Some(stdout) = stdout else { return };
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let printed = Printed {
                    index,
                    pid,
                    line: Some(line),
                };
                if sender.send(printed).is_err() {
                    return;
                }
            }
            let _ = sender.send(Printed {
                index,
                pid,
                line: None,
            });
        });
        Ok(child)
    }

    /// The process id of candidate `index`.
    pub fn pid(&self, index: usize) -> Option<u32> {
        self.children.get(index).map(Child::id)
    }

    /// Everything printed since the last look (never waits).
    pub fn printed(&self) -> Vec<Printed> {
        self.reports.try_iter().collect()
    }

    /// The next report of any candidate, waiting at most `patience` (a candidate's exit is
    /// skipped).
    pub fn next_report(&self, patience: Duration) -> Result<(usize, Report), LiveError> {
        let deadline = Instant::now() + patience;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let printed = self.reports.recv_timeout(left).map_err(|_| {
                LiveError::Measurement(format!(
                    "no candidate reported anything for {} ms",
                    patience.as_millis()
                ))
            })?;
            let Some(line) = printed.line else { continue };
            let report = serde_json::from_str(&line).map_err(|_| {
                LiveError::Measurement(format!("candidate {} printed {line:?}", printed.index))
            })?;
            return Ok((printed.index, report));
        }
    }

    /// Waits until `wanted` picks a report; `wanted` sees every report on the way.
    pub fn wait_for<T>(
        &self,
        patience: Duration,
        mut wanted: impl FnMut(usize, &Report) -> Option<T>,
    ) -> Result<T, LiveError> {
        let deadline = Instant::now() + patience;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (index, report) = self.next_report(left)?;
            if let Some(found) = wanted(index, &report) {
                return Ok(found);
            }
        }
    }

    /// SIGKILL: the process dies at once; its session lingers until the server expires it.
    pub fn kill(&mut self, index: usize) {
        if let Some(child) = self.children.get_mut(index) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Closes candidate `index`'s standard input, on which it closes its session and exits;
    /// whether it has exited is for [`Candidates::has_exited`] to see later.
    pub fn close_input(&mut self, index: usize) {
        if let Some(child) = self.children.get_mut(index) {
            drop(child.stdin.take());
        }
    }

    /// Whether candidate `index` has exited (it is then reaped).
    pub fn has_exited(&mut self, index: usize) -> bool {
        self.children
            .get_mut(index)
            .is_none_or(|child| !matches!(child.try_wait(), Ok(None)))
    }
}

impl Default for Candidates {
    fn default() -> Self {
        Candidates::new()
    }
}

impl Drop for Candidates {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
