//! End-to-end: the prompt history shared with opencode's own TUI, in its file
//! (`$XDG_STATE_HOME/opencode/prompt-history.jsonl`, the workspace's private state dir):
//! a prompt sent, then a restart, and Up brings it back; a file opencode wrote beforehand
//! (a long paste as a placeholder and a text part) is recalled, edited and sent whole, and
//! our line is appended in its format, the file's own lines and mode untouched; `--no-log` reads the
//! history but adds nothing; on exit the terminal says how to come back to the session.

use crate::support;

use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use support::{quit, start, MockModel, Tmux, Workspace};

fn history_file(ws: &Workspace) -> PathBuf {
    let state = ws
        .env()
        .into_iter()
        .find(|(k, _)| k == "XDG_STATE_HOME")
        .map(|(_, v)| PathBuf::from(v))
        .expect("the workspace has its own XDG_STATE_HOME");
    state.join("opencode/prompt-history.jsonl")
}

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The prompt box's first text row.
fn prompt_row(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    lines
        .iter()
        .rposition(|l| l.starts_with("╭ prompt"))
        .and_then(|i| lines.get(i + 1))
        .map(|l| {
            l.trim_matches(|c: char| c == '│' || c.is_whitespace())
                .to_string()
        })
        .unwrap_or_default()
}

#[test]
fn a_prompt_comes_back_with_up_after_a_restart_and_the_exit_says_how_to_return() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let file = history_file(&ws);
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.prompt("remember this prompt");
    t.wait_text("Hello! You said: remember this prompt. This is turn 1.", 60);
    quit(&t, &ws);
    let screen = t.wait_for("the way back on the terminal", 10, |s| {
        s.contains("to come back: ocw-tui --session ses_") && s.contains("ocw-tui --continue")
    });
    assert!(
        !screen.contains("Hello! You said"),
        "the TUI is gone:\n{screen}"
    );
    assert_eq!(
        lines(&file),
        [serde_json::json!({"input": "remember this prompt", "mode": "normal", "parts": []})]
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a history file we create is private");

    // Again, with --no-log: Up recalls it; what is sent now is not written.
    let t = Tmux::start(&ws, &["--no-log"]);
    t.wait_text("ready", 60);
    t.send_keys(&["Up"]);
    t.wait_for("the last prompt back in the input", 20, |s| {
        prompt_row(s) == "remember this prompt"
    });
    t.send_keys(&["C-c"]);
    t.wait_for("an empty prompt", 20, |s| {
        prompt_row(s).starts_with("Ask anything")
    });
    t.prompt("not written down");
    t.wait_text("Hello! You said: not written down. This is turn 1.", 60);
    quit(&t, &ws);
    assert_eq!(
        lines(&file).len(),
        1,
        "--no-log adds nothing to the history"
    );
}

#[test]
fn a_history_file_opencode_wrote_is_recalled_whole_and_appended_to_in_its_format() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let file = history_file(&ws);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    // As opencode 1.18's TUI writes it: a long paste is a placeholder in `input` and a
    // text part holding the pasted text.
    let before = concat!(
        r#"{"input":"an older prompt from opencode","parts":[],"mode":"normal"}"#,
        "\n",
        r#"{"input":"[Pasted ~3 lines] explain","parts":[{"type":"text","text":"alpha\nbeta\ngamma","source":{"text":{"start":0,"end":17,"value":"[Pasted ~3 lines]"}}}],"mode":"normal"}"#,
        "\n"
    );
    std::fs::write(&file, before).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let log = ws.root().join("tui.jsonl");
    let t = start(&ws, &log);
    t.send_keys(&["Up"]);
    t.wait_for("opencode's last prompt in the input", 20, |s| {
        prompt_row(s) == "[Pasted ~3 lines] explain"
    });
    t.send_keys(&["Up"]);
    t.wait_for("the one before", 20, |s| {
        prompt_row(s) == "an older prompt from opencode"
    });
    t.send_keys(&["Down"]);
    t.wait_for("the paste again", 20, |s| {
        prompt_row(s) == "[Pasted ~3 lines] explain"
    });
    // Edited (the paste stays attached to its token) and sent.
    t.type_text(" more");
    t.wait_for("the edit", 20, |s| {
        prompt_row(s) == "[Pasted ~3 lines] explain more"
    });
    t.send_keys(&["Enter"]);
    // The model got the pasted text, not the placeholder.
    t.wait_text("Hello! You said: alpha. This is turn 1.", 60);
    quit(&t, &ws);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with(before),
        "opencode's lines untouched:\n{text}"
    );
    let all = lines(&file);
    assert_eq!(all.len(), 3, "{text}");
    assert_eq!(all[2]["input"], "[Pasted ~3 lines] explain more");
    assert_eq!(all[2]["parts"][0]["text"], "alpha\nbeta\ngamma");
    assert_eq!(
        all[2]["parts"][0]["source"]["text"]["value"],
        "[Pasted ~3 lines]"
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the file keeps its mode");
}
