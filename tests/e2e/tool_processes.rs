//! Agent tools do not outlive ocw-tui: the real opencode 1.18.33 runs `bash: sleep 309` for
//! the scripted model; quitting the TUI with Ctrl+D, SIGHUP to the TUI and SIGTERM to
//! `ocw-tui run` all leave no `sleep` (nor any other process) in the workspace. After
//! `kill -9` of ocw-tui only the server is sure to go (PDEATHSIG): that is what is checked,
//! and the README says the tool may survive.

use crate::support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::{
    assert_no_opencode_left, ocw_tui_bin, opencode_processes_in, MockModel, Tmux, Workspace,
};

const ALLOW_BASH: &str = r#"{"permission":{"bash":"allow"}}"#;

/// The turn: a marker file (so the test knows the tool runs), then a long sleep.
fn prompt(marker: &str) -> String {
    format!("bash: touch {marker}; sleep 309")
}

fn wait_until(what: &str, secs: u64, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + crate::support::patience(secs);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Live processes in the workspace whose command line is `sleep 309`.
fn sleeps(ws: &Workspace) -> Vec<u32> {
    opencode_processes_in(ws.root())
        .into_iter()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| c.split(|b| *b == 0).any(|a| a == b"309"))
        })
        .collect()
}

fn wait_tool(ws: &Workspace, marker: &Path) {
    wait_until("the tool to start", 90, || marker.exists());
    wait_until("sleep 309 to run", 20, || !sleeps(ws).is_empty());
}

fn signal(pid: u32, sig: &str) {
    Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .unwrap();
}

/// Kills what a failed check left, so the machine is not littered.
fn sweep(ws: &Workspace) {
    for pid in opencode_processes_in(ws.root()) {
        signal(pid, "KILL");
    }
}

fn assert_nothing_left(ws: &Workspace) {
    let left = sleeps(ws);
    if !left.is_empty() {
        sweep(ws);
        panic!("the agent's `sleep 309` outlived ocw-tui: {left:?}");
    }
    assert_no_opencode_left(ws, 10);
}

/// The pid of the ocw-tui process running in the workspace (under tmux).
fn tui_pid(ws: &Workspace) -> u32 {
    let bin = ocw_tui_bin().canonicalize().unwrap();
    let mut found = None;
    wait_until("ocw-tui to run", 20, || {
        found = opencode_processes_in(ws.root())
            .into_iter()
            .find(|p| std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|e| e == bin));
        found.is_some()
    });
    found.unwrap()
}

fn tui_with_a_running_tool(ws: &Workspace) -> Tmux {
    let t = Tmux::start(ws, &["--config", ALLOW_BASH]);
    t.wait_text("ready", 90);
    let marker = ws.project_dir().join("tool-started-ctrl-d");
    t.prompt(&prompt(marker.file_name().unwrap().to_str().unwrap()));
    wait_tool(ws, &marker);
    t
}

#[test]
fn ctrl_d_with_a_running_tool_leaves_no_tool_behind() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = tui_with_a_running_tool(&ws);
    t.send_keys(&["C-d"]);
    let status = t.exit_status(30);
    assert_nothing_left(&ws);
    assert_eq!(status, 0);
}

#[test]
fn sighup_to_the_tui_leaves_no_tool_behind() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = tui_with_a_running_tool(&ws);
    signal(tui_pid(&ws), "HUP");
    let status = t.exit_status(30);
    assert_nothing_left(&ws);
    assert_eq!(status, 129);
}

fn run_with_a_running_tool(ws: &Workspace, marker: &str) -> Child {
    let child = ws
        .command(ocw_tui_bin())
        .env("OPENCODE_BIN", support::opencode_bin())
        .args(["run", "--config", ALLOW_BASH, &prompt(marker)])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_tool(ws, &ws.project_dir().join(marker));
    child
}

#[test]
fn sigterm_to_run_leaves_no_tool_behind() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let mut child = run_with_a_running_tool(&ws, "tool-started-term");
    signal(child.id(), "TERM");
    let status = child.wait().unwrap();
    assert_nothing_left(&ws);
    assert_eq!(status.code(), Some(143));
}

#[test]
fn after_kill_9_of_ocw_tui_its_server_is_gone() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let mut child = run_with_a_running_tool(&ws, "tool-started-kill");
    signal(child.id(), "KILL");
    let _ = child.wait();
    let servers = || {
        opencode_processes_in(ws.root())
            .into_iter()
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains("serve"))
            })
            .count()
    };
    let deadline = Instant::now() + crate::support::patience(10);
    while servers() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let left = servers();
    // Best effort only (README, Security): the tool itself may survive a SIGKILL of
    // ocw-tui; the test cleans it up.
    sweep(&ws);
    assert_eq!(left, 0, "the server outlived a SIGKILL of ocw-tui");
}
