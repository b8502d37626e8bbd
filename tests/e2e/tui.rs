//! End-to-end tests of the interactive TUI: the real `ocw-tui` binary in tmux against the
//! real opencode 1.18.33 and the scripted model, driven by key presses and read from the
//! screen, as a person would use it.

use crate::support;

use serde_json::Value;
use std::time::Duration;
use support::{
    assert_no_opencode_left, log_events, opencode_processes_in, quit, start, MockModel, Tmux,
    Workspace,
};

/// Waits until the dialog on screen takes keys (approval safety: a new dialog lets typing
/// go on to the prompt for a moment).
fn wait_armed(t: &Tmux) -> String {
    t.wait_dialog_keys()
}

#[test]
fn prompt_streams_the_answer_and_quits_cleanly() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.prompt("hello");
    let screen = t.wait_text("Hello! You said: hello. This is turn 1.", 60);
    assert!(
        screen.contains("▌ hello"),
        "the prompt is in the transcript:\n{screen}"
    );
    // Totals of the turn in the status bar: 40 in, 10 out, 50 in all.
    let screen = t.wait_for("the totals", 20, |s| {
        s.contains("in 40") && s.contains("Σ 50")
    });
    assert!(screen.contains("Mock title"), "{screen}");
    quit(&t, &ws);
    let events = log_events(&log);
    assert!(events.iter().any(|e| e["type"] == "message.part.delta"));
}

#[test]
fn allow_once_from_the_dialog_runs_the_command() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.prompt("please run\nbash: echo hi");
    let screen = t.wait_text("Permission: bash", 60);
    assert!(screen.contains("$ echo hi"), "{screen}");
    wait_armed(&t);
    t.send_keys(&["y"]);
    t.wait_text("Done: hi", 60);
    let screen = t.wait_for("the dialog to close", 10, |s| {
        !s.contains("Permission: bash")
    });
    assert!(screen.contains("✓ bash"), "{screen}");
    quit(&t, &ws);
    let replied: Vec<_> = log_events(&log)
        .into_iter()
        .filter(|e| e["type"] == "permission.replied")
        .collect();
    assert_eq!(replied.len(), 1);
    assert_eq!(replied[0]["properties"]["reply"], "once");
}

#[test]
fn answering_a_question_sends_the_choice() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.prompt("ask me\nquestion: Which DB? | sqlite, postgres");
    let screen = t.wait_text("Question from this session", 60);
    assert!(screen.contains("2. ( ) postgres"), "{screen}");
    wait_armed(&t);
    t.send_keys(&["2"]);
    t.wait_text("\"Which DB?\"=\"postgres\"", 60);
    quit(&t, &ws);
    let replied: Vec<_> = log_events(&log)
        .into_iter()
        .filter(|e| e["type"] == "question.replied")
        .collect();
    assert_eq!(
        replied[0]["properties"]["answers"],
        serde_json::json!([["postgres"]])
    );
}

#[test]
fn always_answers_two_simultaneous_permissions() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.prompt("two at once\nbash: echo a ;; bash: echo b");
    let screen = t.wait_text("Permission: bash", 60);
    assert!(
        screen.contains("1 of 2"),
        "both requests are queued:\n{screen}"
    );
    wait_armed(&t);
    t.send_keys(&["a"]);
    // "always" covers the sibling: ocw-tui's rule (for the build agent) answers it `once` and
    // its dialog closes by itself; then the offer to save the rule shows the exact rule.
    // (Waiting for the whole offer: while the sibling's dialog closes, a frame can show
    // both, the offer half covered.)
    t.wait_for("the offer to save the rule", 30, |s| {
        s.contains("opencode.json") && s.contains("echo *") && !s.contains("1 of 2")
    });
    wait_armed(&t);
    t.send_keys(&["n"]);
    let screen = t.wait_for("both calls to complete", 60, |s| {
        s.contains("Done: ") && !s.contains("Permission: bash")
    });
    assert_eq!(screen.matches("✓ bash").count(), 2, "{screen}");
    assert!(
        !ws.project_dir().join("opencode.json").exists(),
        "skipped: nothing saved"
    );
    quit(&t, &ws);
    let replies: Vec<_> = log_events(&log)
        .into_iter()
        .filter(|e| e["type"] == "permission.replied")
        .map(|e| e["properties"]["reply"].as_str().unwrap().to_string())
        .collect();
    // The server never hears `always` (it would reach every agent of the session).
    assert_eq!(replies, vec!["once", "once"]);
}

#[test]
fn esc_aborts_the_running_turn() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.prompt("slowly\nslow: 400\nwords: 100");
    t.wait_text("word3", 60);
    t.send_keys(&["Escape"]);
    let screen = t.wait_text("interrupted", 30);
    assert!(
        !screen.contains("word100"),
        "the stream stopped early:\n{screen}"
    );
    t.wait_for("the turn to end", 30, |s| !s.contains("working"));
    std::thread::sleep(Duration::from_secs(2));
    assert!(!t.screen().contains("word100"));
    quit(&t, &ws);
    assert!(log_events(&log).iter().any(|e| e["type"] == "session.error"
        && e["properties"]["error"]["name"] == "MessageAbortedError"));
}

#[test]
fn ctrl_c_twice_quits_and_stops_the_server() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    assert!(
        !opencode_processes_in(ws.root()).is_empty(),
        "a server runs"
    );
    t.send_keys(&["C-c"]);
    t.send_keys(&["C-c"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 5);
}

#[test]
fn resume_shows_the_newest_history_and_pages_older_in_at_the_top() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    // Three turns on one session, headless; then the TUI resumes it.
    let out = support::ocw_run(&ws)
        .args(["--json", "first turn", "second turn", "third turn"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = json["sessions"][0]["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    // Two messages a page: the third turn's prompt and answer.
    let t = Tmux::start_with_env(&ws, &[("OCW_HISTORY_PAGE", "2")], &["--session", &id]);
    let screen = t.wait_text("You said: third turn. This is turn 3.", 60);
    assert!(
        !screen.contains("first turn"),
        "only the newest page at first:\n{screen}"
    );
    // Scrolling to the top asks for the older messages.
    t.send_keys(&["Home"]);
    let screen = t.wait_text("You said: first turn. This is turn 1.", 30);
    assert!(screen.contains("▌ first turn"), "{screen}");
    quit(&t, &ws);
}

/// Approval safety: typing that goes on while a permission dialog opens never answers it.
/// The user sends `bash: echo typed` and at once keeps typing a sentence full of y, a and
/// n; the dialog opens in the middle of it. Nothing is replied, the prompt holds the
/// whole sentence, the dialog still waits; a deliberate `y` after a pause answers it.
#[test]
fn typing_on_while_a_permission_dialog_opens_never_answers_it() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.prompt("bash: echo typed");
    let words = "yes and any nay yay anyway ".repeat(6);
    let mut typed = String::new();
    let mut after_dialog = None;
    for c in words.chars() {
        t.type_text(&c.to_string());
        typed.push(c);
        std::thread::sleep(Duration::from_millis(60));
        if after_dialog.is_none() && t.screen().contains("Permission: bash") {
            after_dialog = Some(typed.len());
        }
        // Go on for a good while after the dialog appeared, then stop.
        if after_dialog.is_some_and(|n| typed.len() >= n + 25) {
            break;
        }
    }
    assert!(
        after_dialog.is_some_and(|n| n > 0),
        "the dialog must open while the user types:\n{}",
        t.screen()
    );
    let screen = t.wait_for("the typing to settle", 10, |s| s.contains(typed.trim_end()));
    assert!(screen.contains("Permission: bash"), "{screen}");
    // Nothing answered it, even a while later.
    std::thread::sleep(Duration::from_secs(1));
    let replies = |kind: &str| {
        log_events(&log)
            .into_iter()
            .filter(|e| e["type"] == kind)
            .count()
    };
    assert_eq!(replies("permission.replied"), 0, "{}", t.screen());
    let screen = t.screen();
    assert!(
        screen.contains("Permission: bash"),
        "the dialog still waits:\n{screen}"
    );
    assert!(
        screen.contains(typed.trim_end()),
        "the whole sentence:\n{screen}"
    );
    assert!(screen.contains("Tab answers this"), "{screen}");
    // A deliberate Tab moves the keys to the dialog; then y answers it once, and the
    // sentence stays in the prompt.
    t.send_keys(&["Tab"]);
    t.wait_text("the dialog above has the keys", 10);
    wait_armed(&t);
    t.send_keys(&["y"]);
    t.wait_text("Done: typed", 60);
    let screen = t.wait_for("the dialog to close", 10, |s| {
        !s.contains("Permission: bash")
    });
    assert!(screen.contains(typed.trim_end()), "{screen}");
    assert_eq!(replies("permission.replied"), 1);
    t.send_keys(&["C-c"]);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 5);
}

// Esc with a queued prompt: tests/e2e/queue.rs (the prompt is queued by the client).

/// Issue 18: the status bar shows the project folder and its git branch, and follows a
/// branch switch made outside the TUI.
#[test]
fn the_status_bar_shows_the_project_folder_and_follows_the_git_branch() {
    let mock = MockModel::start_blocking(0);
    let ws = support::Workspace::new(&mock);
    support::git_init(ws.project_dir());
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(ws.project_dir())
            .status()
            .expect("git")
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["branch", "-M", "trunk"]);
    let log = ws.root().join("tui.jsonl");
    let t = support::start(&ws, &log);
    let folder = ws
        .project_dir()
        .file_name()
        .expect("a folder name")
        .to_string_lossy()
        .into_owned();
    // With the agent and model (the catalog comes a moment after "ready").
    let screen = t.wait_for("the folder and branch", 30, |s| {
        s.contains(&format!("{folder} ⎇ trunk")) && s.contains("mock/mock-model")
    });
    assert!(screen.contains("ready"), "{screen}");
    git(&["checkout", "-q", "-b", "topic-2"]);
    t.wait_for("the new branch", 30, |s| {
        s.contains(&format!("{folder} ⎇ topic-2"))
    });
    support::quit(&t, &ws);
}
