//! End-to-end tests of slash commands and composing in `$EDITOR`: the real `ocw-tui` in
//! tmux against the real opencode 1.18.33 and the scripted model. A workspace command
//! (`.opencode/command/greet.md` with `$ARGUMENTS`) is completed from the popup and run;
//! the model's recorded request holds the expanded template. Unknown `/words` are held
//! back once; paths are sent at once. A fake editor (a shell script) edits the prompt, and
//! a failing one leaves it and the screen intact.

use crate::support;

use serde_json::Value;
use support::{MockModel, Tmux, Workspace};

const READY: &str = "ready";

fn quit(t: &Tmux, ws: &Workspace) {
    t.send_keys(&["C-c"]);
    support::quit(t, ws);
}

/// The text of every user message the scripted model received (string or parts).
fn user_texts(mock: &MockModel) -> Vec<String> {
    let mut out = Vec::new();
    for r in mock.requests() {
        if r.get("tools").is_none() {
            continue; // the title generator
        }
        for m in r["messages"].as_array().into_iter().flatten() {
            if m["role"] != "user" {
                continue;
            }
            match &m["content"] {
                Value::String(s) => out.push(s.clone()),
                Value::Array(parts) => out.push(
                    parts
                        .iter()
                        .filter_map(|p| p["text"].as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                _ => {}
            }
        }
    }
    out
}

fn greet_workspace(mock: &MockModel) -> Workspace {
    let ws = Workspace::new(mock);
    let dir = ws.project_dir().join(".opencode/command");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("greet.md"),
        "---\ndescription: Greet someone by name\n---\nPlease greet $ARGUMENTS warmly.\n",
    )
    .unwrap();
    ws
}

#[test]
fn a_workspace_command_is_completed_from_the_popup_and_the_model_gets_its_template() {
    let mock = MockModel::start_blocking(0);
    let ws = greet_workspace(&mock);
    let t = Tmux::start(&ws, &[]);
    t.wait_text(READY, 60);
    t.type_text("/gr");
    let screen = t.wait_text("Greet someone by name", 30);
    assert!(screen.contains("/greet"), "{screen}");
    t.send_keys(&["Tab"]);
    t.wait_for("the popup to close", 10, |s| {
        !s.contains("Greet someone by name")
    });
    t.type_text("Alice and Bob");
    t.send_keys(&["Enter"]);
    let screen = t.wait_text("Hello! You said: Please greet Alice and Bob warmly.", 60);
    assert!(
        screen.contains("▌ Please greet Alice and Bob warmly."),
        "the expanded template is the user message:\n{screen}"
    );
    let texts = user_texts(&mock);
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Please greet Alice and Bob warmly.")),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t.contains("/greet")), "{texts:?}");
    quit(&t, &ws);
}

#[test]
fn an_unknown_command_is_held_back_once_and_a_path_is_sent_at_once() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = Tmux::start(&ws, &[]);
    t.wait_text(READY, 60);
    // Wait for the server's list (the popup shows /init) so "unknown" is final.
    t.type_text("/ini");
    t.wait_text("guided AGENTS.md setup", 30);
    t.type_text("t2 now");
    t.send_keys(&["Enter"]);
    let screen = t.wait_text("unknown command; Enter again sends it as text", 10);
    assert!(
        screen.contains("/init2 now"),
        "kept in the input:\n{screen}"
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(user_texts(&mock).is_empty(), "nothing was sent");
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: /init2 now. This is turn 1.", 60);
    t.prompt("/etc/hosts is a file");
    t.wait_text("Hello! You said: /etc/hosts is a file. This is turn 2.", 60);
    quit(&t, &ws);
}

fn script(ws: &Workspace, name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = ws.root().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn the_editor_edits_the_prompt_and_the_screen_comes_back() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let editor = script(&ws, "fake-editor", "echo 'added in the editor' >> \"$1\"");
    let t = Tmux::start_with_env(&ws, &[("VISUAL", &editor), ("EDITOR", "false")], &[]);
    t.wait_text(READY, 60);
    t.type_text("draft line");
    t.send_keys(&["C-x", "e"]);
    // The whole screen is redrawn after the editor; wait until the redraw
    // reaches the status bar rather than reading a half-drawn frame.
    let screen = t.wait_for("the prompt and the status bar back", 20, |s| {
        s.contains("added in the editor") && s.contains(READY)
    });
    assert!(screen.contains("draft line"), "{screen}");
    assert!(screen.contains("prompt edited"), "{screen}");
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: draft line. This is turn 1.", 60);
    assert!(
        user_texts(&mock)
            .iter()
            .any(|u| u == "draft line\nadded in the editor"),
        "{:?}",
        user_texts(&mock)
    );
    quit(&t, &ws);
}

#[test]
fn a_failing_editor_leaves_the_prompt_and_says_so() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let editor = script(&ws, "bad-editor", "echo clobbered > \"$1\"; exit 3");
    let t = Tmux::start_with_env(&ws, &[("VISUAL", &editor)], &[]);
    t.wait_text(READY, 60);
    t.prompt("/editor keep me");
    // The whole screen back (a loaded machine may be caught drawing it).
    let screen = t.wait_for("the note and the screen back", 20, |s| {
        s.contains("exit 3") && s.contains(READY)
    });
    assert!(screen.contains("the prompt is unchanged"), "{screen}");
    assert!(
        screen.contains("│ keep me"),
        "the input holds the text:\n{screen}"
    );
    assert!(screen.contains(READY), "the status bar is back:\n{screen}");
    assert!(!screen.contains("clobbered"), "{screen}");
    // A missing editor: said, and the UI goes on.
    quit(&t, &ws);
    let t = Tmux::start_with_env(&ws, &[("VISUAL", "/nonexistent/editor")], &[]);
    t.wait_text(READY, 60);
    t.type_text("still here");
    t.send_keys(&["C-x", "C-e"]);
    // The TUI's own note (the shell's "not found" may show on the bare terminal while the
    // editor runs, before the screen is back).
    let screen = t.wait_for("the note and the screen back", 20, |s| {
        s.contains("exit 127 (not found?)") && s.contains(READY)
    });
    assert!(screen.contains("still here"), "{screen}");
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: still here.", 60);
    quit(&t, &ws);
}

#[test]
fn ctrl_p_finds_a_workspace_command_in_the_palette_and_runs_it() {
    let mock = MockModel::start_blocking(0);
    let ws = greet_workspace(&mock);
    let t = Tmux::start(&ws, &[]);
    t.wait_text(READY, 60);
    t.send_keys(&["C-p"]);
    t.wait_text("Commands", 20);
    t.type_text("greet");
    let screen = t.wait_text("Greet someone by name", 30);
    assert!(
        screen.contains("/greet"),
        "the server's command is listed:\n{screen}"
    );
    t.send_keys(&["Enter"]);
    // A server command goes into the prompt to be finished there.
    t.wait_for("the palette to close", 10, |s| {
        !s.contains("Greet someone by name")
    });
    t.type_text("Carol");
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: Please greet Carol warmly.", 60);
    quit(&t, &ws);
}
