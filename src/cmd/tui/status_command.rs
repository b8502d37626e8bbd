//! The status line command (as Claude Code's `statusLine`): a command of the person's own
//! settings, run with the session as JSON on stdin whenever that JSON changes, at most
//! every 300 ms, each run given 1 s (then its whole process group is killed). Its first
//! line of output goes to the UI (`UiInput::StatusLine`). It runs on its own task: a slow
//! or failing command never delays a frame or a key.

use crate::ui::UiInput;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::watch;

/// Runs start at least this far apart.
pub const MIN_INTERVAL: Duration = Duration::from_millis(300);
/// A run that takes longer is killed.
pub const TIMEOUT: Duration = Duration::from_secs(1);
/// Output read from a run, at most.
const MAX_OUTPUT: usize = 16 * 1024;

/// The running status command: give it each new input; the task behind it runs the
/// command and reports. Dropped, it stops (a run in flight is killed).
pub struct StatusRunner {
    input: watch::Sender<String>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for StatusRunner {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl StatusRunner {
    /// Starts the task for `command` (run with `sh -c` in `dir`).
    pub fn start(command: String, dir: std::path::PathBuf, ui: UnboundedSender<UiInput>) -> Self {
        let (tx, rx) = watch::channel(String::new());
        let task = tokio::spawn(run_loop(command, dir, rx, ui));
        StatusRunner { input: tx, task }
    }

    /// The session's JSON changed: the command runs again (the latest input wins).
    pub fn input(&self, json: String) {
        self.input.send_replace(json);
    }
}

async fn run_loop(
    command: String,
    dir: std::path::PathBuf,
    mut rx: watch::Receiver<String>,
    ui: UnboundedSender<UiInput>,
) {
    let mut last_start: Option<tokio::time::Instant> = None;
    while rx.changed().await.is_ok() {
        if let Some(at) = last_start {
            tokio::time::sleep_until(at + MIN_INTERVAL).await;
        }
        let input = rx.borrow_and_update().clone();
        last_start = Some(tokio::time::Instant::now());
        let line = match run_once(&command, &dir, &input).await {
            Ok(line) => line,
            Err(e) => format!("status line: {e}"),
        };
        if ui.send(UiInput::StatusLine(line)).is_err() {
            return;
        }
    }
}

/// Kills a run's process group when it is dropped (timed out, or the task aborted).
struct GroupGuard(Option<i32>);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            crate::sys::kill(-pid, libc::SIGKILL);
        }
    }
}

/// One run: the first line of its output, or why there is none.
async fn run_once(command: &str, dir: &std::path::Path, input: &str) -> Result<String, String> {
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start `{command}`: {e}"))?;
    // Whatever happens, its process group goes when this run ends (a background child of
    // it too): on time-out, on the task's abort, and after it exited.
    let _group = GroupGuard(child.id().map(|p| p as i32));
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    let work = async {
        if let Some(mut s) = stdin.take() {
            // A command that does not read its input is fine.
            let _ = s.write_all(input.as_bytes()).await;
        }
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(MAX_OUTPUT as u64).read_to_end(&mut out).await;
        }
        let status = child.wait().await;
        (out, status)
    };
    let (out, status) = tokio::time::timeout(TIMEOUT, work)
        .await
        .map_err(|_| format!("`{command}` took over {} s", TIMEOUT.as_secs()))?;
    let text = String::from_utf8_lossy(&out);
    let first = text.lines().next().unwrap_or("").to_string();
    match status {
        Ok(s) if s.success() => Ok(first),
        Ok(s) => Err(format!("`{command}` failed ({s})")),
        Err(e) => Err(e.to_string()),
    }
}
