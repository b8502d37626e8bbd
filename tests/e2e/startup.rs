//! End-to-end tests of the TUI's start-up and job control (issue 18): the screen is there
//! before the server, keys typed meanwhile reach the prompt (sent once, never echoed
//! raw), a failed start-up still ends with its error after the terminal is restored; and
//! Ctrl+Z suspends to the shell, `fg` brings the TUI back connected, the server runs on
//! meanwhile and dies with ocw-tui if it is killed while stopped.

use crate::support;

use std::path::{Path, PathBuf};
use support::{
    assert_no_opencode_left, log_events, ocw_tui_bin, opencode_bin, opencode_processes_in,
    MockModel, Tmux, Workspace,
};

/// An opencode that waits for `gate` to exist before it starts: the test holds the
/// server's start-up open as long as it needs (no timing).
fn gated_opencode(ws: &Workspace) -> (PathBuf, PathBuf) {
    let gate = ws.root().join("gate");
    let wrapper = ws.root().join("gated-opencode");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nwhile [ ! -e '{}' ]; do sleep 0.05; done\nexec '{}' \"$@\"\n",
            gate.display(),
            opencode_bin().display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    (wrapper, gate)
}

/// The requests of turns (not titles: those carry no tools) the model got.
fn turns(mock: &MockModel) -> usize {
    mock.requests()
        .iter()
        .filter(|r| r.get("tools").is_some_and(|t| !t.is_null()))
        .count()
}

#[test]
fn keys_typed_while_the_server_starts_reach_the_prompt_once() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let (wrapper, gate) = gated_opencode(&ws);
    let t = Tmux::start(
        &ws,
        &[
            "--log",
            log.to_str().unwrap(),
            "--opencode-bin",
            wrapper.to_str().unwrap(),
            // The time at the gate counts: room for a loaded machine.
            "--startup-timeout",
            "300",
        ],
    );
    // The TUI is drawn while the server is still starting (held at the gate).
    t.wait_for("the TUI saying the server starts", 30, |s| {
        s.contains("starting opencode serve in") && s.contains(" prompt ")
    });
    t.type_text("hello");
    t.send_keys(&["Enter"]);
    let screen = t.wait_for(
        "the prompt shown queued, the server still starting",
        30,
        |s| s.contains("hello  (queued)") && s.contains("starting opencode serve in"),
    );
    assert!(
        !screen.contains("hellohello"),
        "typed once, not echoed:\n{screen}"
    );
    std::fs::write(&gate, "").unwrap();
    let screen = t.wait_text("Hello! You said: hello. This is turn 1.", 90);
    assert_eq!(
        screen.matches("▌ hello").count(),
        1,
        "the prompt once in the transcript:\n{screen}"
    );
    assert!(!screen.contains("(queued)"), "{screen}");
    assert_eq!(turns(&mock), 1, "the model got the prompt once");
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 10);
    // Back on the shell's screen: nothing typed was echoed raw, no cooked start-up line.
    let after = t.screen();
    assert!(
        !after.contains("hello") && !after.contains("starting opencode serve"),
        "nothing left on the terminal:\n{after}"
    );
    let users = log_events(&log)
        .iter()
        .filter(|e| e["type"] == "message.updated" && e["properties"]["info"]["role"] == "user")
        .filter_map(|e| e["properties"]["info"]["id"].as_str().map(str::to_string))
        .collect::<std::collections::HashSet<_>>();
    assert_eq!(users.len(), 1, "one user message: {users:?}");
}

#[test]
fn quitting_while_the_server_starts_stops_it() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let (wrapper, _gate) = gated_opencode(&ws);
    let t = Tmux::start(
        &ws,
        &["--no-log", "--opencode-bin", wrapper.to_str().unwrap()],
    );
    t.wait_text("starting opencode serve in", 30);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 10);
}

#[test]
fn an_unknown_session_ends_with_its_error_on_a_restored_terminal() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = Tmux::start(&ws, &["--no-log", "--session", "ses_nosuchsession"]);
    assert_eq!(t.exit_status(60), 1);
    let screen = t.screen();
    assert!(
        screen.contains("ocw-tui: cannot open session ses_nosuchsession"),
        "{screen}"
    );
    // The TUI's screen is gone (main screen back): no status bar, no prompt box.
    assert!(
        !screen.contains(" prompt ") && !screen.contains("starting opencode serve"),
        "{screen}"
    );
    assert_no_opencode_left(&ws, 10);
}

/// The state letter of `/proc/PID/stat` (`T`: stopped).
fn state(pid: u32) -> String {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next().map(str::to_string))
        .unwrap_or_default()
}

fn ocw_command(project: &Path, log: &Path) -> String {
    format!(
        "{} --log {} {}",
        ocw_tui_bin().display(),
        log.display(),
        project.display()
    )
}

#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_brings_the_tui_back() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start_shell(&ws);
    t.type_text(&ocw_command(ws.project_dir(), &log));
    t.send_keys(&["Enter"]);
    t.wait_text("ready", 60);
    t.prompt("hello");
    t.wait_text("Hello! You said: hello. This is turn 1.", 60);
    t.send_keys(&["C-z"]);
    let screen = t.wait_for("the shell's job report", 20, |s| s.contains("Stopped"));
    assert!(
        !screen.contains("You said"),
        "the TUI's screen is left:\n{screen}"
    );
    // The server runs on while ocw-tui is stopped.
    let server = opencode_processes_in(ws.root());
    assert!(!server.is_empty(), "the server is still there");
    for pid in &server {
        assert_ne!(state(*pid), "T", "the server is not stopped");
    }
    t.type_text("fg");
    t.send_keys(&["Enter"]);
    t.wait_for("the TUI redrawn with its transcript", 30, |s| {
        s.contains("Hello! You said: hello. This is turn 1.") && s.contains("ready")
    });
    t.prompt("again");
    t.wait_text("Hello! You said: again. This is turn 2.", 60);
    // Stopped again, then killed outright: the server dies with it.
    t.send_keys(&["C-z"]);
    t.wait_for("the shell's job report", 20, |s| s.contains("Stopped"));
    t.type_text("kill -KILL %1");
    t.send_keys(&["Enter"]);
    // (bash reports "Killed" only at a later prompt: the processes say it.)
    assert_no_opencode_left(&ws, 30);
}

#[test]
fn attach_still_works_and_a_wrong_password_ends_with_its_error() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(support::spawn_opencode_serve(&ws, Some("s3cret-pass")));
    let t = Tmux::start(
        &ws,
        &["--no-log", "--attach", server.url(), "--password", "wrong"],
    );
    assert_eq!(t.exit_status(60), 1);
    let screen = t.screen();
    assert!(
        screen.contains("ocw-tui:") && screen.contains("401") && screen.contains("password"),
        "{screen}"
    );
    assert!(
        !screen.contains(" prompt ") && !screen.contains("s3cret-pass"),
        "{screen}"
    );
    drop(t);
    let t = Tmux::start(
        &ws,
        &[
            "--no-log",
            "--attach",
            server.url(),
            "--password",
            "s3cret-pass",
        ],
    );
    t.wait_text("ready", 60);
    t.prompt("hello");
    t.wait_text("Hello! You said: hello. This is turn 1.", 60);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
}
