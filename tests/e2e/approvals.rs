//! Approval modes end to end against the real opencode 1.18.33 and the scripted model (bash
//! and edit on `ask`): `--auto` runs a command with no dialog and the transcript says
//! "auto-allowed: …" under its tool call (the replay of the log too); accept edits writes and
//! edits a file unasked while a command still asks; Ctrl+X A switches the mode mid-session, both
//! ways; `run --auto` answers headless; and a `deny` rule of the config still denies in
//! auto mode (opencode refuses the tool itself and asks no one).

use crate::support;

use serde_json::Value;
use support::{log_events, ocw_run, MockModel, Tmux, Workspace};

/// The log's events of `kind`.
fn of_kind(log: &std::path::Path, kind: &str) -> Vec<Value> {
    log_events(log)
        .into_iter()
        .filter(|e| e["type"] == kind)
        .collect()
}

/// True when a line with `line` sits right under a line naming `call` (its tool call).
fn under_call(screen: &str, call: &str, line: &str) -> bool {
    let lines: Vec<&str> = screen.lines().collect();
    lines
        .windows(2)
        .any(|w| w[0].contains(call) && w[1].contains(line))
}

fn start(ws: &Workspace, log: &std::path::Path, args: &[&str]) -> Tmux {
    let mut all = vec!["--log", log.to_str().unwrap()];
    all.extend_from_slice(args);
    let t = Tmux::start(ws, &all);
    t.wait_text("ready", 60);
    t
}

#[test]
fn auto_runs_a_command_unasked_and_the_transcript_and_replay_say_so() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &["--auto"]);
    let screen = t.wait_text("⚠ approvals: auto", 10);
    assert!(screen.contains("ready"), "{screen}");
    t.prompt("bash: echo auto-ran");
    let screen = t.wait_for("the command to run unasked", 60, |s| {
        s.contains("Done: auto-ran")
            && under_call(s, "echo auto-ran", "auto-allowed: bash echo auto-ran")
    });
    assert!(!screen.contains("Permission: bash"), "{screen}");
    support::quit(&t, &ws);
    let replies = of_kind(&log, "permission.replied");
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0]["properties"]["reply"], "once");
    let records = of_kind(&log, "ocw.auto_allowed");
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(
        records[0]["properties"]["text"],
        "auto-allowed: bash echo auto-ran"
    );
    assert_eq!(
        records[0]["properties"]["requestID"],
        replies[0]["properties"]["requestID"]
    );

    // The replay of the log shows the same line under the same call.
    let r = Tmux::start(&ws, &["replay", "--instant", log.to_str().unwrap()]);
    r.wait_for("the replayed line", 30, |s| {
        under_call(s, "echo auto-ran", "auto-allowed: bash echo auto-ran")
    });
    r.send_keys(&["q"]);
    assert_eq!(r.exit_status(20), 0);
}

#[test]
fn accept_edits_writes_unasked_and_a_command_still_asks() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let dir = ws.project_dir().to_path_buf();
    let t = start(&ws, &log, &["--approvals", "edits"]);
    t.wait_text("⚠ approvals: accept edits", 10);
    t.prompt("write: notes.txt :: hello\nedit: notes.txt :: hello => there\nbash: echo after-edit");
    let screen = t.wait_for("the command's dialog after the unasked edit", 60, |s| {
        s.contains("Permission: bash") && s.contains("auto-allowed: edit notes.txt")
    });
    assert!(!screen.contains("Permission: edit"), "{screen}");
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "there",
        "written, then edited, unasked"
    );
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    t.wait_text("Done: after-edit", 60);
    support::quit(&t, &ws);
    let records = of_kind(&log, "ocw.auto_allowed");
    assert_eq!(
        records.len(),
        2,
        "the write and the edit were answered by the mode, not the command: {records:?}"
    );
    assert!(records.iter().all(|r| r["properties"]["mode"] == "edits"));
    assert_eq!(of_kind(&log, "permission.replied").len(), 3);
}

#[test]
fn ctrl_x_a_switches_the_mode_mid_session_both_ways() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log, &[]);
    // Ask: a dialog.
    t.prompt("bash: echo one");
    t.wait_text("Permission: bash", 60);
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    t.wait_text("Done: one", 60);
    // Ctrl+X A twice: accept edits, then auto.
    t.send_keys(&["C-x"]);
    t.send_keys(&["a"]);
    t.wait_text("⚠ approvals: accept edits", 10);
    t.send_keys(&["C-x"]);
    t.send_keys(&["a"]);
    t.wait_text("⚠ approvals: auto", 10);
    t.prompt("bash: echo two");
    let screen = t.wait_for("the command to run unasked", 60, |s| {
        s.contains("Done: two") && under_call(s, "echo two", "auto-allowed: bash echo two")
    });
    assert!(!screen.contains("Permission: bash"), "{screen}");
    // Once more: back to ask, and the next command asks again.
    t.send_keys(&["C-x"]);
    t.send_keys(&["a"]);
    t.wait_for("the mark to go", 10, |s| !s.contains("⚠ approvals"));
    t.prompt("bash: echo three");
    t.wait_text("Permission: bash", 60);
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    t.wait_text("Done: three", 60);
    support::quit(&t, &ws);
    assert_eq!(of_kind(&log, "ocw.auto_allowed").len(), 1);
    assert_eq!(of_kind(&log, "permission.replied").len(), 3);
}

#[test]
fn run_auto_answers_headless_and_names_each_answer() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("run.jsonl");
    let out = ocw_run(&ws)
        .args(["--auto", "--json", "--timeout", "60", "--log"])
        .arg(&log)
        .arg("bash: echo headless")
        // A subagent's request, in the session tree, too.
        .arg("task: bash: echo from-sub")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("auto-allowed: bash echo headless")
            && stderr.contains("auto-allowed: bash echo from-sub"),
        "{stderr}"
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &json["sessions"][0]["permissions"][0];
    assert_eq!(p["reply"], "once", "{json}");
    assert_eq!(p["auto"], "auto-allowed: bash echo headless", "{json}");
    let records = of_kind(&log, "ocw.auto_allowed");
    assert_eq!(records.len(), 2, "{records:?}");
    let root = json["sessions"][0]["session_id"].clone();
    assert_eq!(records[0]["properties"]["sessionID"], root);
    assert_ne!(
        records[1]["properties"]["sessionID"], root,
        "the second was the subagent's (child session) request"
    );
    support::assert_no_opencode_left(&ws, 5);
}

/// How a deny rule was verified: with `"bash": {"*": "ask", "rm *": "deny"}`, `run --auto`
/// asks the model to `rm` a file: opencode refuses the tool itself (no `permission.asked`
/// reaches any client), the file stays, and an allowed command in the same turn runs.
#[test]
fn a_deny_rule_still_denies_in_auto_mode() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let dir = ws.project_dir().to_path_buf();
    std::fs::write(dir.join("victim.txt"), "keep me").unwrap();
    let mut config = mock.opencode_config();
    config["permission"]["bash"] = serde_json::json!({"*": "ask", "rm *": "deny"});
    let log = ws.root().join("run.jsonl");
    let out = ocw_run(&ws)
        .env("OPENCODE_CONFIG_CONTENT", config.to_string())
        .args(["--auto", "--json", "--timeout", "60", "--log"])
        .arg(&log)
        .arg("bash: rm victim.txt\nbash: echo still-here")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("victim.txt")).unwrap(),
        "keep me",
        "the denied command did not run"
    );
    let asked: Vec<String> = of_kind(&log, "permission.asked")
        .iter()
        .map(|e| {
            e["properties"]["metadata"]["command"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(
        asked,
        ["echo still-here"],
        "the denied command was never asked"
    );
    let records = of_kind(&log, "ocw.auto_allowed");
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(!stderr.contains("auto-allowed: bash rm"), "{stderr}");
    support::assert_no_opencode_left(&ws, 5);
}
