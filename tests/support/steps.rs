//! The steps every end-to-end test takes around the feature it checks: start ocw-tui in
//! tmux and wait for it to be ready, quit it and check that no opencode is left, run it
//! headless, read its log, and make the project a git repository.

use super::{assert_no_opencode_left, ocw_tui_bin, opencode_bin, Tmux, Workspace};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

/// Starts `ocw-tui --log LOG` in tmux and waits until the status bar says "ready".
pub fn start(ws: &Workspace, log: &Path) -> Tmux {
    let t = Tmux::start(ws, &["--log", log.to_str().unwrap()]);
    t.wait_text("ready", 60);
    t
}

/// Quits with Ctrl+D (on an empty prompt): exit status 0 and no opencode left behind.
pub fn quit(t: &Tmux, ws: &Workspace) {
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(ws, 10);
}

/// `ocw-tui` in the workspace with the opencode under test and no stdin, ready for arguments.
pub fn ocw(ws: &Workspace) -> Command {
    let mut c = ws.command(ocw_tui_bin());
    c.stdin(Stdio::null()).env("OPENCODE_BIN", opencode_bin());
    c
}

/// `ocw-tui run --dir PROJECT` in the workspace, ready for more arguments.
pub fn ocw_run(ws: &Workspace) -> Command {
    let mut c = ocw(ws);
    c.arg("run").arg("--dir").arg(ws.project_dir());
    c
}

/// The events of an ocw-tui log, one JSON object per line. A last line still being
/// written (no newline yet) is left out; any other line that is not JSON fails the test.
pub fn log_events(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    complete
        .lines()
        .map(|l| serde_json::from_str(l).expect("log lines are JSON"))
        .collect()
}

/// Makes `dir` a git repository with one empty commit (undo and the file diff need one).
pub fn git_init(dir: &Path) {
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .current_dir(dir)
            .status()
            .expect("git is needed for this test")
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["commit", "-q", "--allow-empty", "-m", "init"]);
}

/// True when the session list pane (the left 34 columns, inside its border) shows `text`.
pub fn in_session_list(screen: &str, text: &str) -> bool {
    screen
        .lines()
        .filter(|l| l.starts_with('│'))
        .any(|l| l.chars().take(34).collect::<String>().contains(text))
}
