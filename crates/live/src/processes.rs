//! Candidate processes started by us: real OS processes (`zooscope candidate …`), each
//! followed through the JSON lines it prints, each killed by its PID.

use crate::candidate::{Recipe, Report};
use crate::LiveError;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A group of candidate processes; every one still running is killed and reaped on drop.
#[derive(Debug)]
pub struct Candidates {
    children: Vec<Child>,
    reports: mpsc::Receiver<(usize, String)>,
    sender: mpsc::Sender<(usize, String)>,
}

impl Candidates {
    /// An empty group.
    pub fn new() -> Candidates {
        let (sender, reports) = mpsc::channel();
        Candidates {
            children: Vec::new(),
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
        recipe: Recipe,
        session_timeout_ms: u32,
    ) -> Result<usize, LiveError> {
        let mut child = Command::new(program)
            .arg("candidate")
            .arg("--zk")
            .arg(zk)
            .arg("--recipe")
            .arg(recipe.name())
            .arg("--session-timeout")
            .arg(session_timeout_ms.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| LiveError::io(format!("starting {}", program.display()), e))?;
        let index = self.children.len();
        let stdout = child.stdout.take();
        self.children.push(child);
        let sender = self.sender.clone();
        std::thread::spawn(move || {
            let Some(stdout) = stdout else { return };
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send((index, line)).is_err() {
                    return;
                }
            }
        });
        Ok(index)
    }

    /// The next report of any candidate, waiting at most `patience`.
    pub fn next_report(&self, patience: Duration) -> Result<(usize, Report), LiveError> {
        let (index, line) = self.reports.recv_timeout(patience).map_err(|_| {
            LiveError::Measurement(format!(
                "no candidate reported anything for {} ms",
                patience.as_millis()
            ))
        })?;
        let report = serde_json::from_str(&line)
            .map_err(|_| LiveError::Measurement(format!("candidate {index} printed {line:?}")))?;
        Ok((index, report))
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
