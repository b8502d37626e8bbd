//! Issue 19 §1 end to end: the real `ocw-tui` in tmux against the real opencode 1.18.33
//! and the scripted model, with a project `.opencode/tui.json` (JSONC) that remaps
//! `session_new` to a leader sequence of its own and `session_list` to F8. The remapped
//! keys start a new session and list both; Ctrl+N, no longer bound, starts none; the
//! palette shows the new keys; the one name we do not have is said once; the file is not
//! written.

use crate::support;

use support::{MockModel, Tmux, Workspace};

const TUI_JSON: &str = r#"{
  // opencode's own file, comments and a trailing comma included
  "$schema": "https://opencode.ai/tui.json",
  "keybinds": {
    "session_new": "<leader>w",
    "session_list": "f8",
    "session_share": "<leader>g",
  },
}
"#;

#[test]
fn a_project_tui_json_remaps_session_new_and_the_new_key_starts_a_session() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let file = ws.project_dir().join(".opencode/tui.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, TUI_JSON).unwrap();
    let t = Tmux::start(&ws, &[]);
    let screen = t.wait_for("ready and the warning", 60, |s| {
        s.contains("ready") && s.contains("session_share")
    });
    assert!(screen.contains("tui.json"), "{screen}");
    t.prompt("first");
    t.wait_text("You said: first", 60);
    t.wait_idle();
    t.prompt("/rename Alpha");
    // Ctrl+N is no longer bound: nothing happens (checked in the list below).
    t.send_keys(&["C-n"]);
    // The remapped key: Ctrl+X (the leader) then W.
    t.send_keys(&["C-x"]);
    t.send_keys(&["w"]);
    t.wait_for("the new session", 30, |s| !s.contains("You said: first"));
    t.prompt("second");
    t.wait_text("You said: second", 60);
    t.wait_idle();
    t.prompt("/rename Beta");
    t.send_keys(&["F8"]);
    let screen = t.wait_for("both sessions in the list", 30, |s| {
        support::in_session_list(s, "Alpha") && support::in_session_list(s, "Beta")
    });
    assert!(
        !support::in_session_list(&screen, "New session"),
        "Ctrl+N made no session:\n{screen}"
    );
    t.send_keys(&["Escape"]);
    t.wait_for("the list to close", 10, |s| {
        !support::in_session_list(s, "Alpha")
    });
    // The palette shows the keys in effect.
    t.send_keys(&["C-p"]);
    t.type_text("/new");
    let screen = t.wait_text("Ctrl+X W", 10);
    assert!(screen.contains("start a new session"), "{screen}");
    t.send_keys(&["Escape"]);
    t.wait_for("the palette to close", 10, |s| !s.contains("Ctrl+X W"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        TUI_JSON,
        "not written"
    );
    support::quit(&t, &ws);
}
