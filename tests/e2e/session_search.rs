//! End-to-end test of the search across sessions (issue 20 §2) in tmux against the real
//! opencode and the scripted model: a word found only in an old session's answer (the
//! Markdown sample's "emphasis", not in any prompt or title) is found from the session list
//! after a restart (the old session is not loaded: its text is fetched over HTTP), with its
//! line under the row, and Enter opens that session at that answer, not at its end.

use crate::support;

use support::{MockModel, Tmux, Workspace};

#[test]
fn a_word_found_only_in_an_old_sessions_answer_is_found_from_the_session_list() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start(&ws, &["--log", log.to_str().unwrap()]);
    t.wait_text("ready", 60);
    // The old session: the Markdown answer, then a long answer after it.
    t.prompt("markdown");
    t.wait_text("second item with", 60);
    t.wait_idle();
    t.prompt("words: 600");
    t.wait_text("word600", 60);
    t.wait_idle();
    t.prompt("/rename Old one");
    t.wait_for("the rename", 20, |s| s.contains("Old one"));
    // A newer session, the one `--continue` opens.
    t.send_keys(&["C-n"]);
    t.wait_for("the new session", 20, |s| !s.contains("word600"));
    t.prompt("hello");
    t.wait_text("You said: hello", 60);
    t.wait_idle();
    t.prompt("/rename Newer");
    t.wait_for("the rename", 20, |s| s.contains("Newer"));
    support::quit(&t, &ws);

    let t = Tmux::start(&ws, &["--continue", "--no-log"]);
    t.wait_text("You said: hello", 60);
    t.send_keys(&["C-s"]);
    t.wait_for("the list", 20, |s| support::in_session_list(s, "Old one"));
    t.type_text("emphasis");
    let screen = t.wait_for("the old session found by its answer", 60, |s| {
        support::in_session_list(s, "Old one")
            && support::in_session_list(s, "↳")
            && support::in_session_list(s, "emphasis")
    });
    assert!(!support::in_session_list(&screen, "Newer"), "{screen}");
    assert!(!support::in_session_list(&screen, "searching"), "{screen}");
    t.send_keys(&["Enter"]);
    let screen = t.wait_for("the old session at that answer", 30, |s| {
        s.contains("second item with") && !s.contains("Sessions")
    });
    assert!(
        !screen.contains("word600"),
        "the view is at the answer, not at the session's end:\n{screen}"
    );
    support::quit(&t, &ws);
}
