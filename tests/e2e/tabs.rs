//! Tabs (issue 20 §1) against the real opencode 1.18.33 in tmux: two sessions stream at
//! once, the one in the background shown working on its tab and then unread; a permission
//! asked in the background session raises its `?` and a note naming it, nothing on the
//! shown session's screen answers it, and it is answered after switching with Alt+1.

use crate::support;

use support::{MockModel, Tmux, Workspace};

const SPINNER: [char; 8] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧'];

/// The first tab's part of the strip (the top row, up to the first `│`).
fn tab1(screen: &str) -> String {
    let top = screen.lines().next().unwrap_or("");
    if !top.contains(" 2 ") {
        return String::new();
    }
    top.split('│').next().unwrap_or("").to_string()
}

#[test]
fn two_sessions_stream_at_once_and_a_background_permission_waits_for_its_tab() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start(&ws, &["--log", log.to_str().unwrap()]);
    t.wait_text("ready", 60);
    // Session 1: a long, slow answer.
    t.prompt("slow: 400\nwords: 90");
    t.wait_text("word1 ", 60);
    // Session 2 (Ctrl+N) streams too, while 1 goes on in the background.
    t.send_keys(&["C-n"]);
    t.wait_for("the second tab", 30, |s| {
        s.lines().next().is_some_and(|l| l.contains(" 2 "))
    });
    t.prompt("slow: 300\nwords: 30");
    let screen = t.wait_for("both working: 2 on screen, 1 on its tab", 60, |s| {
        s.contains("word3 ") && tab1(s).contains(SPINNER)
    });
    assert!(screen.contains("working"), "{screen}");
    // Session 1's turn ends while 2 is shown: unread.
    t.wait_for("tab 1 unread", 90, |s| tab1(s).contains('●'));

    // A permission asked in session 1 while session 2 is shown.
    t.send_keys(&["M-1"]);
    t.wait_for("session 1 shown", 30, |s| s.contains("word90"));
    t.prompt("slow: 1200\nbash: echo from-one");
    t.send_keys(&["M-2"]);
    let screen = t.wait_for("tab 1's badge and the note", 60, |s| {
        tab1(s).contains('?') && s.contains("asks permission: bash in")
    });
    assert!(screen.contains("(Alt+1 shows it)"), "{screen}");
    assert!(
        !screen.contains("Permission: bash"),
        "not on session 2's screen: {screen}"
    );
    // Keys here answer nothing of it.
    t.send_keys(&["y"]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(!t.screen().contains("Done: from-one"));
    t.send_keys(&["C-u"]);
    // Switched to it: its dialog; answered there.
    t.send_keys(&["M-1"]);
    t.wait_text("Permission: bash", 30);
    // Keys were typed just before it showed: the prompt keeps them until Tab (the focus
    // rule), as for any dialog that comes while one types.
    if !t.screen().contains("the dialog above has the keys") {
        t.send_keys(&["Tab"]);
    }
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    t.wait_text("Done: from-one", 60);
    support::quit(&t, &ws);
}
