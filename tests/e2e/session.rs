//! End-to-end tests of what the user does *to* a session (issue 11 §1-§3): the real
//! `ocw-tui` in tmux against the real opencode 1.18.33 and the scripted model. Undo and
//! redo are checked on the file on disk (the project is a git repo, as revert needs);
//! compact, rename, delete and fork in the log of events the server sent; `--continue`
//! against the session list.

use crate::support;

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use support::{log_events, MockModel, Tmux, Workspace};

/// Edits and commands run without a dialog: these tests are about the session.
const ALLOW: &str = r#"{"permission":{"edit":"allow","bash":"allow"}}"#;

fn of_type(path: &Path, kind: &str) -> Vec<Value> {
    log_events(path)
        .into_iter()
        .filter(|e| e["type"] == kind)
        .collect()
}

/// The project as a git repo with `notes.txt` = "alpha" committed (revert restores files
/// from opencode's git snapshots).
fn git_project(ws: &Workspace) {
    let dir = ws.project_dir();
    std::fs::write(dir.join("notes.txt"), "alpha\n").unwrap();
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &[
            "-c",
            "user.email=t@example.com",
            "-c",
            "user.name=t",
            "commit",
            "-qm",
            "start",
        ],
    ] {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .status()
            .expect("git runs")
            .success();
        assert!(ok, "git {args:?}");
    }
}

fn start(ws: &Workspace, log: &Path, extra: &[&str]) -> Tmux {
    let mut args = vec!["--log", log.to_str().unwrap(), "--config", ALLOW];
    args.extend_from_slice(extra);
    let t = Tmux::start(ws, &args);
    t.wait_text("ready", 60);
    t
}

fn wait_file(ws: &Workspace, name: &str, want: &str) {
    let path = ws.project_dir().join(name);
    let deadline = std::time::Instant::now() + crate::support::patience(30);
    loop {
        let now = std::fs::read_to_string(&path).unwrap_or_default();
        if now == want {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{name} is {now:?}, expected {want:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn quit(t: &Tmux, ws: &Workspace) {
    t.send_keys(&["Escape"]);
    t.send_keys(&["Escape"]);
    t.send_keys(&["C-c"]);
    support::quit(t, ws);
}

#[test]
fn ctrl_x_u_restores_the_file_and_the_prompt_and_ctrl_x_r_redoes() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    git_project(&ws);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &[]);
    t.prompt("change the notes\nwrite: notes.txt :: changed");
    t.wait_text("Done:", 60);
    t.wait_idle();
    wait_file(&ws, "notes.txt", "changed");

    // (Ctrl+Z is no longer undo: `ui session_ops::ctrl_z_and_ctrl_y_neither_undo_nor_redo_a_turn`
    // and `e2e startup::ctrl_z_suspends_to_the_shell_and_fg_brings_the_tui_back`.)

    // Ctrl+X U (opencode's leader key) undoes the turn, the file too.
    t.send_keys(&["C-x", "u"]);
    wait_file(&ws, "notes.txt", "alpha\n");
    let screen = t.wait_for("the turn to leave the transcript", 20, |s| {
        !s.contains("Done:")
    });
    assert!(
        !screen.contains("▌ change the notes"),
        "the undone prompt is hidden:\n{screen}"
    );
    assert!(
        screen.contains("change the notes") && screen.contains("write: notes.txt"),
        "the undone prompt is back in the input:\n{screen}"
    );

    t.send_keys(&["C-x", "r"]);
    wait_file(&ws, "notes.txt", "changed");
    let screen = t.wait_text("Done:", 20);
    assert!(screen.contains("▌ change the notes"), "{screen}");
    assert!(
        screen.contains("Ask anything"),
        "redo takes the prompt out of the input again:\n{screen}"
    );

    // Undo again, then a new prompt: the revert becomes final (the server removes the
    // undone messages) and the file stays as it was before the turn.
    t.prompt("/undo");
    wait_file(&ws, "notes.txt", "alpha\n");
    t.wait_for("the undone turn to go", 20, |s| !s.contains("Done:"));
    t.send_keys(&["C-c"]);
    t.prompt("hello");
    t.wait_text("You said: hello", 60);
    t.wait_idle();
    assert!(!of_type(&log, "message.removed").is_empty());
    assert_eq!(
        std::fs::read_to_string(ws.project_dir().join("notes.txt")).unwrap(),
        "alpha\n"
    );
    t.send_keys(&["C-x", "r"]);
    let screen = t.wait_text("nothing to redo", 10);
    assert!(!screen.contains("change the notes"), "{screen}");
    quit(&t, &ws);
}

#[test]
fn undo_survives_a_restart_of_the_client() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    git_project(&ws);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &[]);
    t.prompt("first turn");
    t.wait_text("You said: first turn", 60);
    t.wait_idle();
    t.prompt("second turn");
    t.wait_text("You said: second turn", 60);
    t.wait_idle();
    t.prompt("/undo");
    t.wait_for("the second turn to go", 20, |s| {
        !s.contains("You said: second turn")
    });
    quit(&t, &ws);
    // A new client on the same project: the session is still reverted.
    let log2 = ws.root().join("tui2.jsonl");
    let t = start(&ws, &log2, &["--continue"]);
    let screen = t.wait_text("You said: first turn", 30);
    assert!(!screen.contains("second turn"), "{screen}");
    quit(&t, &ws);
}

#[test]
fn compact_shows_a_divider_and_the_summary() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &[]);
    t.prompt("hello");
    t.wait_text("You said: hello", 60);
    t.wait_idle();
    t.prompt("/compact");
    let screen = t.wait_text("compacted · the model sees the summary below", 60);
    assert!(screen.contains("▌ hello"), "history stays above:\n{screen}");
    t.wait_for("the compaction to finish", 30, |s| {
        !of_type(&log, "session.compacted").is_empty() && !s.contains("working ·")
    });
    let summarised = mock.requests().iter().any(|r| {
        r.to_string()
            .contains("You are a context summarization agent")
    });
    assert!(summarised, "the model was asked for a summary");
    quit(&t, &ws);
}

#[test]
fn rename_delete_and_the_list() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &[]);
    t.prompt("hello");
    t.wait_text("You said: hello", 60);
    t.wait_idle();
    t.prompt("/rename Keep this one");
    t.wait_for("the rename", 20, |_| {
        of_type(&log, "session.updated")
            .iter()
            .any(|e| e["properties"]["info"]["title"] == "Keep this one")
    });
    // A second session, renamed from the list.
    t.send_keys(&["C-n"]);
    t.wait_for("the new session", 20, |s| !s.contains("You said: hello"));
    t.prompt("another");
    t.wait_text("You said: another", 60);
    t.wait_idle();
    t.send_keys(&["C-s"]);
    t.wait_text("Keep this one", 10);
    t.send_keys(&["C-r"]);
    t.wait_text("rename:", 10);
    for _ in 0..60 {
        t.send_keys(&["BSpace"]);
    }
    t.type_text("Doomed");
    t.send_keys(&["Enter"]);
    let screen = t.wait_for("the new title", 20, |s| {
        support::in_session_list(s, "Doomed")
    });
    assert!(
        support::in_session_list(&screen, "Keep this one"),
        "{screen}"
    );
    // Typing filters by title.
    t.type_text("keep");
    let screen = t.wait_for("the filter", 10, |s| !support::in_session_list(s, "Doomed"));
    assert!(
        support::in_session_list(&screen, "Keep this one"),
        "{screen}"
    );
    t.send_keys(&["Escape"]);
    t.wait_for("the filter to clear", 10, |s| {
        support::in_session_list(s, "Doomed")
    });
    // Delete "Doomed" (the shown one, first in the list): asked, then confirmed.
    let doomed = of_type(&log, "session.updated")
        .into_iter()
        .find(|e| e["properties"]["info"]["title"] == "Doomed")
        .map(|e| e["properties"]["info"]["id"].as_str().unwrap().to_string())
        .expect("renamed session");
    t.send_keys(&["DC"]);
    t.wait_text("y deletes it", 10);
    t.send_keys(&["n"]);
    t.wait_text("nothing deleted", 10);
    assert!(of_type(&log, "session.deleted").is_empty());
    t.send_keys(&["DC"]);
    t.wait_text("y deletes it", 10);
    t.send_keys(&["y"]);
    let screen = t.wait_for("the deletion", 20, |s| {
        s.contains("session deleted") && !support::in_session_list(s, "Doomed")
    });
    assert!(
        support::in_session_list(&screen, "Keep this one"),
        "{screen}"
    );
    let deleted = of_type(&log, "session.deleted");
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["properties"]["info"]["id"], doomed.as_str());
    // The shown session went: the other one is shown.
    t.send_keys(&["Escape"]);
    t.wait_text("You said: hello", 20);
    quit(&t, &ws);
}

#[test]
fn fork_before_an_earlier_prompt() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &[]);
    t.prompt("turn one");
    t.wait_text("You said: turn one", 60);
    t.wait_idle();
    t.prompt("turn two");
    t.wait_text("You said: turn two", 60);
    t.wait_idle();
    t.prompt("/fork");
    let screen = t.wait_text("fork from", 10);
    assert!(screen.contains("the whole session"), "{screen}");
    // Items: whole session, "turn two", "turn one": fork before "turn two".
    t.send_keys(&["Down"]);
    t.send_keys(&["Enter"]);
    let screen = t.wait_text("forked into", 30);
    assert!(screen.contains("(fork #1)"), "{screen}");
    let screen = t.wait_for("the fork's transcript", 20, |s| {
        s.contains("You said: turn one") && !s.contains("You said: turn two")
    });
    assert!(
        screen.contains("turn two"),
        "the prompt forked before is in the input:\n{screen}"
    );
    let created = of_type(&log, "session.created");
    assert!(
        created.iter().any(|e| e["properties"]["info"]["title"]
            .as_str()
            .is_some_and(|t| t.ends_with("(fork #1)"))),
        "{created:?}"
    );
    quit(&t, &ws);
}

#[test]
fn continue_opens_the_session_the_list_shows_first() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &[]);
    t.prompt("old session");
    t.wait_text("You said: old session", 60);
    t.wait_idle();
    t.prompt("/rename Older");
    t.send_keys(&["C-n"]);
    t.wait_for("the new session", 20, |s| {
        !s.contains("You said: old session")
    });
    t.prompt("new session");
    t.wait_text("You said: new session", 60);
    t.wait_idle();
    t.prompt("/rename Newer");
    // Back to the older one and a turn there: it is now the latest updated.
    t.send_keys(&["C-s"]);
    t.wait_text("Older", 10);
    t.type_text("older");
    t.send_keys(&["Enter"]);
    t.wait_text("You said: old session", 20);
    t.prompt("again");
    t.wait_text("You said: again", 60);
    t.wait_idle();
    quit(&t, &ws);
    let t = start(&ws, &ws.root().join("tui2.jsonl"), &["--continue"]);
    t.wait_text("You said: again", 30);
    t.send_keys(&["C-s"]);
    let screen = t.wait_text("Newer", 10);
    let first = screen
        .lines()
        .find(|l| l.contains("Older") || l.contains("Newer"))
        .unwrap();
    assert!(
        first.contains("▶") && first.contains("Older"),
        "the latest is first and shown:\n{screen}"
    );
    quit(&t, &ws);
}

#[test]
fn deleting_a_running_session_warns_twice_and_stops_it_first() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &[]);
    t.prompt("a quick one");
    t.wait_text("You said: a quick one", 60);
    t.wait_idle();
    t.send_keys(&["C-n"]);
    t.wait_for("the new session", 20, |s| {
        !s.contains("You said: a quick one")
    });
    t.prompt("slow\nbash: sleep 8");
    t.wait_text("working ·", 30);
    t.send_keys(&["C-s"]);
    t.wait_text("filter:", 10);
    t.send_keys(&["DC"]);
    t.wait_text("(it is running)", 10);
    t.send_keys(&["y"]);
    t.wait_text("y again stops it and deletes it", 10);
    assert!(of_type(&log, "session.deleted").is_empty());
    t.send_keys(&["y"]);
    let screen = t.wait_for("the deletion", 30, |s| s.contains("session deleted"));
    assert!(
        !screen.contains("working ·"),
        "the other session is shown, idle:\n{screen}"
    );
    let deleted = of_type(&log, "session.deleted");
    assert_eq!(deleted.len(), 1);
    let gone = deleted[0]["properties"]["info"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Stopped before it was deleted: the server never retries the dead turn.
    std::thread::sleep(std::time::Duration::from_secs(3));
    let retried = of_type(&log, "session.status").into_iter().any(|e| {
        e["properties"]["sessionID"] == gone.as_str()
            && e["properties"]["status"]["type"] == "retry"
    });
    assert!(!retried, "the deleted session kept running");
    let aborted = of_type(&log, "message.updated").into_iter().any(|e| {
        e["properties"]["info"]["sessionID"] == gone.as_str()
            && e["properties"]["info"]["error"]["name"] == "MessageAbortedError"
    });
    assert!(aborted, "the turn was aborted first");
    quit(&t, &ws);
}

/// Ctrl+Z where no shell could bring ocw-tui back (a tmux pane's own command, as here): a
/// note says so, nothing is suspended, and the keys still work (F1 opens the help).
#[test]
fn ctrl_z_without_job_control_says_so_and_the_keys_still_work() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &[]);
    t.send_keys(&["C-z"]);
    t.wait_text("no job-control shell", 20);
    t.send_keys(&["F1"]);
    t.wait_for("the help after Ctrl+Z", 20, |s| s.contains("Keys"));
    t.send_keys(&["Escape"]);
    t.wait_for("the help closed", 20, |s| !s.contains("Keys"));
    quit(&t, &ws);
}
