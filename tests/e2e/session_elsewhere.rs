//! `--session ID` of a session recorded in another project (issue 18): the TUI opens it in
//! that session's own directory (a note names it), and a prompt typed there is answered
//! (before, it was asked on an instance the TUI never showed and stayed stuck).

use crate::support;

use serde_json::Value;
use support::{git_init, ocw, quit, MockModel, Tmux, Workspace};

#[test]
fn a_session_of_another_project_opens_in_its_own_directory() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let other = ws.root().join("other-project");
    std::fs::create_dir_all(&other).unwrap();
    git_init(&other);
    git_init(ws.project_dir());
    // A session recorded in the other project.
    let out = ocw(&ws)
        .args([
            "run",
            "--dir",
            other.to_str().unwrap(),
            "--json",
            "--timeout",
            "60",
        ])
        .arg("first over there")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = summary["sessions"][0]["session_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{summary}"))
        .to_string();
    // Opened from this project.
    let t = Tmux::start(&ws, &["--no-log", "--session", &id]);
    // The note (shown for 8 s) names the session's own directory.
    let screen = t.wait_for("the session and where it was opened", 90, |s| {
        s.contains("You said: first over there") && s.contains("opened there")
    });
    assert!(screen.contains("other-project"), "{screen}");
    t.wait_text("ready", 30);
    t.prompt("second here");
    t.wait_for("the second turn's answer", 90, |s| {
        s.contains("You said: second here. This is turn 2.")
    });
    quit(&t, &ws);
}
