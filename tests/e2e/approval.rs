//! End-to-end tests of the approval focus rule (issue 15 §1-3): the real `ocw-tui` in tmux
//! against the real opencode 1.18.33 and the scripted model. Each reproduces a way in which
//! a permission or question used to be answered without a deliberate decision: typing on
//! after a pause, a popup's keys reaching a dialog under it, and bytes after an
//! end-of-paste marker inside a paste. The server's own `permission.replied` /
//! `question.replied` events in the log say whether anything was answered.

use crate::support;

use std::time::Duration;
use support::{git_init, log_events, start, MockModel, Tmux, Workspace};

fn count(log: &std::path::Path, kind: &str) -> usize {
    log_events(log)
        .into_iter()
        .filter(|e| e["type"] == kind)
        .count()
}

fn quit(t: &Tmux, ws: &Workspace) {
    // A sentence that Enter queued is sent when the turn ends; a Ctrl+C before that would
    // abort the turn and give it back into the prompt after the prompt was seen empty (a
    // loaded machine ends the turn late). So the queue drains first; then Ctrl+C clears what
    // is in the prompt and Ctrl+D quits on an empty prompt.
    t.wait_for("the queued prompt to be sent", 90, |s| {
        !s.contains("(queued)")
    });
    t.send_keys(&["C-c"]);
    t.wait_for("an empty prompt", 10, |s| s.contains("Ask anything"));
    support::quit(t, ws);
}

/// Types `text` one character every `gap`.
fn type_slowly(t: &Tmux, text: &str, gap: Duration) {
    for c in text.chars() {
        t.type_text(&c.to_string());
        std::thread::sleep(gap);
    }
}

/// §1: the person types while the dialog opens, pauses 1.5 s to think, types on (with a
/// `y` and a space in it) and presses Enter to queue: nothing is answered. Tab then moves
/// the focus to the dialog, and only then does `y` allow it.
#[test]
fn typing_on_after_a_pause_and_enter_never_answer_the_dialog() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.prompt("bash: echo typed");
    // The person types on while the dialog opens, and some more after.
    let sentence =
        "after this, could you please also look at the tests and the docs and ".repeat(3);
    let mut after = None;
    for (i, c) in sentence.chars().enumerate() {
        t.type_text(&c.to_string());
        std::thread::sleep(Duration::from_millis(60));
        if after.is_none() && t.screen().contains("Permission: bash") {
            after = Some(i);
        }
        if after.is_some_and(|n| i >= n + 8) {
            break;
        }
    }
    assert!(
        after.is_some_and(|n| n > 0),
        "the dialog must open while the person types:\n{}",
        t.screen()
    );
    std::thread::sleep(Duration::from_millis(1500));
    type_slowly(&t, " yes also check", Duration::from_millis(80));
    // (The prompt may wrap the long sentence: look for its last word.)
    let screen = t.wait_for("the typing to land in the prompt", 10, |s| {
        s.contains("check")
    });
    assert!(
        screen.contains("Tab answers"),
        "the dialog waits:\n{screen}"
    );
    assert!(screen.contains("your prompt has the keys"), "{screen}");
    std::thread::sleep(Duration::from_millis(800));
    t.send_keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(count(&log, "permission.replied"), 0, "{}", t.screen());
    let screen = t.screen();
    assert!(
        screen.contains("Permission: bash"),
        "still waiting:\n{screen}"
    );
    // The deliberate way: Tab, the keys arm, y.
    t.send_keys(&["Tab"]);
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    // The command ran; then the queued sentence went to the model as the next prompt.
    t.wait_text("✓ bash  $ echo typed", 60);
    t.wait_text("You said: after this, could you", 60);
    assert_eq!(count(&log, "permission.replied"), 1);
    quit(&t, &ws);
}

/// §1, questions: Enter after a pause used to pick the highlighted option.
#[test]
fn enter_after_a_pause_never_picks_a_question_option() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    // `slow` makes the question arrive after the typing has begun.
    t.prompt("slow: 800\nquestion: Which colour? | red, green, blue");
    // Type on until the question opens mid-sentence (under load the server may take much
    // longer than the sentence), then five characters more.
    let mut opened = None;
    let deadline = std::time::Instant::now() + support::patience(60);
    for (i, c) in "and then also the other thing that I wanted "
        .chars()
        .cycle()
        .enumerate()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the question never opened: {}",
            t.screen()
        );
        t.type_text(&c.to_string());
        std::thread::sleep(Duration::from_millis(60));
        // The dialog itself (its options), not the question's tool call in the transcript,
        // which a loaded machine draws well before the request arrives.
        if opened.is_none() && t.screen().contains("( ) red") {
            opened = Some(i);
        }
        if opened.is_some_and(|n| i >= n + 5) {
            break;
        }
    }
    assert!(opened.is_some_and(|n| n > 0), "{}", t.screen());
    std::thread::sleep(Duration::from_millis(1500));
    t.send_keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(count(&log, "question.replied"), 0, "{}", t.screen());
    assert!(t.screen().contains("Which colour?"), "{}", t.screen());
    t.send_keys(&["Tab"]);
    t.wait_dialog_keys();
    t.send_keys(&["2"]);
    t.wait_for("the answer", 30, |_| count(&log, "question.replied") == 1);
    let replied = log_events(&log)
        .into_iter()
        .find(|e| e["type"] == "question.replied")
        .expect("replied");
    assert_eq!(replied["properties"]["answers"][0][0], "green");
    quit(&t, &ws);
}

/// §2: a permission that arrives while a popup is open is drawn on top; the popup's keys
/// (Enter in the fork picker, `y` in the delete confirmation, Enter and Esc in the file
/// diff) answer nothing, reject nothing and do nothing under it.
#[test]
fn a_popups_keys_never_answer_a_dialog_that_came_over_it() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    git_init(ws.project_dir());
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    // A first turn that changes a file (for the side panel's diff) and gives /fork a prompt.
    t.prompt("write: notes.txt :: hello");
    t.wait_text("Permission: edit", 60);
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    t.wait_for("the first turn", 60, |_| count(&log, "session.idle") >= 1);
    let mut replies = count(&log, "permission.replied");

    // 1. The fork picker: Enter would fork.
    t.prompt("slow: 700\nbash: echo one");
    std::thread::sleep(Duration::from_millis(200));
    t.type_text("/fork");
    std::thread::sleep(Duration::from_millis(500));
    t.send_keys(&["Enter"]);
    t.wait_text("fork from", 10);
    let screen = t.wait_text("Permission: bash", 60);
    assert!(screen.contains("Tab answers"), "{screen}");
    t.send_keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(count(&log, "permission.replied"), replies, "{}", t.screen());
    t.send_keys(&["Tab"]);
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    t.wait_text("Done: one", 60);
    replies += 1;
    assert_eq!(count(&log, "permission.replied"), replies);
    // The picker comes back after the dialog, as it was.
    t.wait_text("fork from", 10);
    t.send_keys(&["Escape"]);
    t.wait_for("the picker to close", 10, |_| {
        count(&log, "session.idle") >= 2
    });

    // 2. The session list's delete confirmation: y would delete.
    t.prompt("slow: 700\nbash: echo two");
    std::thread::sleep(Duration::from_millis(200));
    t.send_keys(&["C-s"]);
    std::thread::sleep(Duration::from_millis(400));
    t.send_keys(&["Delete"]);
    t.wait_for("the confirmation", 10, |s| {
        s.to_lowercase().contains("delete")
    });
    t.wait_text("Permission: bash", 60);
    t.send_keys(&["y"]);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(count(&log, "permission.replied"), replies, "{}", t.screen());
    assert_eq!(count(&log, "session.deleted"), 0, "nothing deleted");
    t.send_keys(&["Tab"]);
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    t.wait_text("Done: two", 60);
    replies += 1;
    t.send_keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    t.send_keys(&["Escape"]);
    t.send_keys(&["C-c"]); // the y typed into the prompt meanwhile

    // 3. The side panel's file diff: Enter and Esc ("Esc closes") used to allow / reject.
    t.prompt("slow: 900\nbash: echo three");
    std::thread::sleep(Duration::from_millis(200));
    t.send_keys(&["F3"]);
    std::thread::sleep(Duration::from_millis(300));
    t.send_keys(&["F6"]);
    std::thread::sleep(Duration::from_millis(300));
    t.send_keys(&["Enter"]);
    t.wait_text("Esc closes", 10);
    let screen = t.wait_text("Permission: bash", 60);
    assert!(
        screen.contains("$ echo three"),
        "the dialog is drawn over the diff:\n{screen}"
    );
    t.send_keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(400));
    t.send_keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(count(&log, "permission.replied"), replies, "{}", t.screen());
    assert!(t.screen().contains("Permission: bash"));
    t.send_keys(&["Tab"]);
    t.wait_dialog_keys();
    t.send_keys(&["n"]);
    t.wait_for("the reject", 30, |_| {
        count(&log, "permission.replied") == replies + 1
    });
    quit(&t, &ws);
}

/// Sends raw bytes to the program, as a terminal would write them.
fn send_bytes(t: &Tmux, bytes: &[u8]) {
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut args = vec!["send-keys".to_string(), "-t".into(), t.name(), "-H".into()];
    args.extend(hex);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    t.command(&args);
}

/// A bracketed paste of `inner` (which may hold its own end marker).
fn paste_bytes(inner: &[u8]) -> Vec<u8> {
    let mut v = b"\x1b[200~".to_vec();
    v.extend_from_slice(inner);
    v.extend_from_slice(b"\x1b[201~");
    v
}

/// §3: a paste whose text holds the end-of-paste marker: what follows the marker is pasted
/// text. `y` after it answers no armed dialog; `!touch FILE` and a carriage return in an
/// empty prompt run nothing; text, a marker and a carriage return submit nothing.
#[test]
fn bytes_after_an_end_of_paste_marker_never_answer_run_or_submit() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    let pwned = ws.project_dir().join("PWNED");

    // An empty prompt: `ESC[201~!touch PWNED` + CR inside one paste.
    send_bytes(&t, &paste_bytes(b"\x1b[201~!touch PWNED\r"));
    std::thread::sleep(Duration::from_millis(800));
    t.wait_text("end-of-paste marker", 10);
    assert!(!pwned.exists(), "the pasted command ran");
    assert_eq!(count(&log, "message.updated"), 0, "nothing was sent");
    t.send_keys(&["C-c"]); // clears the prompt

    // Text, a marker and a carriage return: not submitted.
    send_bytes(&t, &paste_bytes(b"explain this\x1b[201~\r"));
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(count(&log, "message.updated"), 0, "nothing was sent");
    t.send_keys(&["C-c"]);

    // An armed dialog with the keys: a paste with `ESC[201~y` answers nothing.
    t.prompt("bash: echo pasted");
    t.wait_text("Permission: bash", 60);
    t.wait_dialog_keys();
    send_bytes(&t, &paste_bytes(b"x\x1b[201~y"));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(count(&log, "permission.replied"), 0, "{}", t.screen());
    assert!(t.screen().contains("Permission: bash"));
    assert!(!pwned.exists());
    t.wait_dialog_keys();
    t.send_keys(&["n"]);
    t.wait_for("the reject", 30, |_| count(&log, "permission.replied") == 1);
    quit(&t, &ws);
}

/// Issue 18: while a permission waits, Ctrl+S browses the session list beside it (typing,
/// moving and Esc there answer nothing: the dialog is still on screen, the server saw no
/// reply), Esc comes back to the dialog, and only then does its own key answer it.
#[test]
fn ctrl_s_browses_sessions_under_a_waiting_dialog_and_esc_comes_back_to_it() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.prompt("bash: echo browsed");
    t.wait_text("Permission: bash", 60);
    t.wait_dialog_keys();
    t.send_keys(&["C-s"]);
    let screen = t.wait_for("the session list over the dialog", 20, |s| {
        s.contains("Esc: back to the dialog") && s.contains("Permission: bash")
    });
    assert!(screen.contains("Sessions"), "{screen}");
    // Keys that would answer the dialog go to the list's filter.
    t.type_text("yn");
    t.wait_for("the filter", 10, |s| s.contains("filter: yn"));
    t.send_keys(&["BSpace", "BSpace", "Down", "Up", "Escape"]);
    let screen = t.wait_for("back at the dialog", 20, |s| {
        !s.contains("Esc: back to the dialog") && s.contains("Permission: bash")
    });
    assert!(!screen.contains("filter:"), "the list closed:\n{screen}");
    assert_eq!(count(&log, "permission.replied"), 0, "{screen}");
    // The dialog is still live: its own key answers it, once armed again.
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    t.wait_text("✓ bash  $ echo browsed", 60);
    t.wait_for("the reply in the log", 30, |_| {
        count(&log, "permission.replied") == 1
    });
    quit(&t, &ws);
}
