//! Nothing left behind, whatever ends the bridge: a supervisor process that outlives it just
//! long enough to kill what it started and remove its directories.
//!
//! A process that ends by Ctrl-C, SIGTERM or SIGHUP, or panics, runs its own cleanup (its
//! servers and candidates are killed on drop). One killed by SIGKILL runs nothing — so the
//! bridge first starts `zooscope reaper` with a pipe on its standard input, and tells it,
//! one line each, every process it starts (`pid 1234 <start time>`) and every directory it
//! makes (`dir /tmp/…`). However the bridge ends, the kernel closes the pipe; at end of input
//! the reaper kills every registered process that still runs (SIGKILL, by PID — and only if
//! that PID still names the process registered: its start time, from `/proc/PID/stat`, is the
//! same), removes the directories, and exits. Ctrl-C and a closed terminal signal the whole
//! process group; the reaper ignores SIGINT and SIGHUP so that it is still there to clean up.
//!
//! A directory left by a crash of the reaper too is removed at the next start: each one is
//! named by the PID that made it (`zooscope-zk-PID-N`), and is removed only once that PID is
//! gone ([`remove_stale_dirs`]).
//!
//! Registering is a no-op when no reaper runs (a test that starts a server of its own).
//!
//! Imports nothing from the rest of the crate; `nix` for signals (safe wrappers: the crate
//! forbids `unsafe`).

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;

/// The prefix of every directory Zooscope makes for its servers in the temporary directory.
pub const DIR_PREFIX: &str = "zooscope-zk-";

/// The running reaper, if one was started, and the pipe to it.
static REAPER: Mutex<Option<(Child, ChildStdin)>> = Mutex::new(None);

/// Starts `program reaper` (this binary's hidden subcommand) to clean up after this process,
/// unless one runs already.
pub fn start(program: &Path) -> std::io::Result<()> {
    let mut reaper = REAPER
        .lock()
        .map_err(|_| std::io::Error::other("reaper lock"))?;
    if reaper.is_some() {
        return Ok(());
    }
    let mut child = Command::new(program)
        .arg("reaper")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdin = child
        .stdin
        .take()
        .ok_or_else(|| std::io::Error::other("the reaper has no input"))?;
    *reaper = Some((child, stdin));
    Ok(())
}

/// Asks the reaper to kill process `pid` if this process dies first.
pub fn watch_process(pid: u32) {
    if let Some(started) = start_time(pid) {
        tell(&format!("pid {pid} {started}"));
    }
}

/// Asks the reaper to remove `dir` if this process dies first.
pub fn watch_dir(dir: &Path) {
    // A path with a line break in it cannot be told on one line: it is not ours.
    if let Some(text) = dir.to_str().filter(|t| !t.contains('\n')) {
        tell(&format!("dir {text}"));
    }
}

fn tell(line: &str) {
    if let Ok(mut reaper) = REAPER.lock() {
        if let Some((_, stdin)) = reaper.as_mut() {
            let _ = writeln!(stdin, "{line}");
            let _ = stdin.flush();
        }
    }
}

/// Sends `signal` to process `pid`.
pub fn signal(pid: u32, signal: Signal) {
    if let Ok(pid) = i32::try_from(pid) {
        let _ = kill(Pid::from_raw(pid), signal);
    }
}

/// When process `pid` started, in clock ticks since boot (field 22 of `/proc/PID/stat`):
/// with the PID, it names one process, even once the PID is reused.
pub fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// What a reaper was told to clean up.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Duties {
    /// Processes, with their start times.
    pub processes: Vec<(u32, u64)>,
    /// Directories.
    pub dirs: Vec<PathBuf>,
}

impl Duties {
    /// Reads one line of the pipe; anything else is ignored.
    pub fn take(&mut self, line: &str) {
        let mut words = line.splitn(3, ' ');
        match (words.next(), words.next(), words.next()) {
            (Some("pid"), Some(pid), Some(started)) => {
                if let (Ok(pid), Ok(started)) = (pid.parse(), started.trim().parse()) {
                    self.processes.push((pid, started));
                }
            }
            (Some("dir"), Some(first), rest) => {
                let path = match rest {
                    Some(rest) => format!("{first} {rest}"),
                    None => first.to_owned(),
                };
                let path = PathBuf::from(path);
                if is_ours(&path) {
                    self.dirs.push(path);
                }
            }
            _ => {}
        }
    }

    /// Kills every process that still is the one registered, and removes the directories.
    pub fn carry_out(&self) {
        for &(pid, started) in &self.processes {
            if start_time(pid) == Some(started) {
                signal(pid, Signal::SIGKILL);
            }
        }
        for dir in &self.dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Whether `dir` is one of the directories Zooscope makes (the reaper removes nothing else).
fn is_ours(dir: &Path) -> bool {
    dir.parent() == Some(std::env::temp_dir().as_path())
        && dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(DIR_PREFIX))
}

/// `zooscope reaper`: reads duties until its input ends, then carries them out.
pub fn run(input: impl BufRead) {
    let mut duties = Duties::default();
    for line in input.lines().map_while(Result::ok) {
        duties.take(&line);
    }
    duties.carry_out();
}

/// Removes the directories left by Zooscope processes that are gone (a crash of the bridge
/// and its reaper both); one whose maker still runs is left alone.
pub fn remove_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(DIR_PREFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_is_named_by_its_pid_and_start_time() {
        let me = std::process::id();
        let started = start_time(me);
        assert!(started.is_some_and(|t| t > 0), "{started:?}");
        assert_eq!(start_time(me), started);
        assert_eq!(start_time(u32::MAX), None);
    }

    #[test]
    fn duties_are_read_from_lines_and_nothing_else_is_taken() {
        let ours = std::env::temp_dir().join(format!("{DIR_PREFIX}1-0"));
        let mut duties = Duties::default();
        for line in [
            "pid 42 1234",
            &format!("dir {}", ours.display()),
            "dir /etc",
            "dir /tmp/../etc/zooscope-zk-1",
            "pid x 1",
            "rm -rf /",
            "",
        ] {
            duties.take(line);
        }
        assert_eq!(
            duties,
            Duties {
                processes: vec![(42, 1234)],
                dirs: vec![ours],
            }
        );
    }

    #[test]
    fn the_reaper_kills_the_process_it_was_told_of_and_spares_a_reused_pid() {
        let mut child = Command::new("sleep").arg("30").spawn().expect("sleep runs");
        let pid = child.id();
        let started = start_time(pid).expect("its start time");
        // The same PID with another start time is another process: spared.
        let mut duties = Duties::default();
        duties.take(&format!("pid {pid} {}", started + 1));
        duties.carry_out();
        assert!(
            matches!(child.try_wait(), Ok(None)),
            "a reused PID was killed"
        );
        let mut duties = Duties::default();
        duties.take(&format!("pid {pid} {started}"));
        duties.carry_out();
        let status = child.wait().expect("it ends");
        assert!(!status.success(), "{status:?}");
    }

    #[test]
    fn a_stale_directory_goes_and_a_living_makers_stays() {
        let temp = std::env::temp_dir();
        // PID 1 always runs; a PID above the kernel's maximum never does.
        let living = temp.join(format!("{DIR_PREFIX}1-77"));
        let stale = temp.join(format!("{DIR_PREFIX}4194399-77"));
        for dir in [&living, &stale] {
            std::fs::create_dir_all(dir.join("data")).expect("a directory");
        }
        remove_stale_dirs();
        assert!(living.is_dir() && !stale.exists());
        let _ = std::fs::remove_dir_all(living);
    }
}
