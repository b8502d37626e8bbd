//! End-to-end tests of copy, export and the side panel: the real `ocw-tui` in tmux against
//! the real opencode 1.18.33 and the scripted model. Copy: with tmux's `set-clipboard on`,
//! Ctrl+Y puts the last answer in a tmux paste buffer (`tmux show-buffer`). Export:
//! `/export` writes the session as Markdown into the project dir and says where. Side
//! panel: after a `todo:` and a `write:` turn, F3 shows the todos and the written file
//! with its +/- counts (from the user message's `summary.diffs`).

use crate::support;

use std::process::Command;
use support::{git_init, quit, MockModel, Tmux, Workspace};

const ALLOW_EDIT: &str = r#"{"permission":{"edit":"allow","bash":"allow"}}"#;

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(args)
        .output()
        .expect("tmux is needed for this test");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every tmux paste buffer's content.
fn buffers() -> Vec<String> {
    tmux(&["list-buffers", "-F", "#{buffer_name}"])
        .lines()
        .map(|b| tmux(&["show-buffer", "-b", b]))
        .collect()
}

#[test]
fn ctrl_y_copies_the_last_answer_into_tmux_and_export_writes_the_session() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    // tmux stores an OSC 52 from a pane as a paste buffer.
    tmux(&["set", "-s", "set-clipboard", "on"]);
    // A word of its own: tmux's buffers are shared by every session on its server (an
    // earlier run's copy may still be there).
    let word = format!(
        "copy{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let answer = format!("Hello! You said: {word} this answer. This is turn 1.");
    let answer = answer.as_str();
    t.prompt(&format!("{word} this answer"));
    t.wait_text(answer, 60);
    assert!(!buffers().iter().any(|b| b == answer));
    t.send_keys(&["C-x", "y"]);
    t.wait_text("copied the last answer", 10);
    let deadline = std::time::Instant::now() + crate::support::patience(10);
    while !buffers().iter().any(|b| b == answer) {
        assert!(
            std::time::Instant::now() < deadline,
            "no tmux buffer holds the answer: {:?}",
            buffers()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // /export: a new Markdown file in the project dir, named after the session.
    t.prompt("/export");
    let screen = t.wait_text("exported to", 30);
    let files: Vec<_> = std::fs::read_dir(ws.project_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.contains("ses_"), "{name}");
    let flat: String = screen.lines().map(str::trim).collect::<Vec<_>>().join("");
    assert!(flat.contains(&name), "the note says where:\n{screen}");
    let md = std::fs::read_to_string(&files[0]).unwrap();
    assert!(md.contains(&format!("{word} this answer")), "{md}");
    assert!(md.contains(answer), "{md}");
    // A second export never overwrites the first.
    t.prompt("/export");
    t.wait_for("the second export", 30, |_| {
        std::fs::read_dir(ws.project_dir())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|e| e == "md")
            })
            .count()
            == 2
    });
    assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), md);
    quit(&t, &ws);
}

#[test]
fn the_side_panel_shows_the_todos_and_the_written_file() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    git_init(ws.project_dir());
    let t = Tmux::start(&ws, &["--config", ALLOW_EDIT]);
    t.wait_text("ready", 60);
    t.prompt("plan and write\ntodo: +done item, >current item, open item\nwrite: notes.txt :: one\\ntwo\\nthree");
    t.wait_text("Done: Wrote file successfully.", 60);
    t.send_keys(&["F3"]);
    let screen = t.wait_for("the panel with the todos and the file", 30, |s| {
        s.contains("▶ current item") && s.contains("notes.txt +3 -0")
    });
    assert!(screen.contains("✓ done item"), "{screen}");
    assert!(screen.contains("○ open item"), "{screen}");
    assert!(screen.contains("MCP"), "{screen}");
    // F3 hides it again.
    t.send_keys(&["F3"]);
    t.wait_for("the panel to close", 10, |s| !s.contains("Files changed"));
    quit(&t, &ws);
}

#[test]
fn enter_on_a_changed_file_shows_its_diff_and_undo_takes_it_off_the_list() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    git_init(ws.project_dir());
    let t = Tmux::start(&ws, &["--config", ALLOW_EDIT]);
    t.wait_text("ready", 60);
    t.prompt("write it\nwrite: notes.txt :: alpha\\nbravo\\ncharlie");
    t.wait_text("Done: Wrote file successfully.", 60);
    t.send_keys(&["F3"]);
    t.wait_text("notes.txt +3 -0", 30);
    // F6 gives the file list the keys, Enter shows the diff the server kept.
    t.send_keys(&["F6"]);
    t.wait_text("▸ notes.txt", 10);
    t.send_keys(&["Enter"]);
    let screen = t.wait_for("the diff popup", 10, |s| {
        s.contains("Esc closes") && s.contains("+charlie")
    });
    assert!(screen.contains("+alpha"), "{screen}");
    t.send_keys(&["Escape"]);
    t.wait_for("the popup to close", 10, |s| !s.contains("Esc closes"));
    t.send_keys(&["Escape"]);
    // An Escape followed at once by `/` reaches the terminal as Alt+/ (one sequence): let
    // the Escape be read on its own before typing.
    std::thread::sleep(std::time::Duration::from_millis(400));
    // Undo the turn: the file is back as it was, and off the panel's list.
    t.prompt("/undo");
    t.wait_for("the file list without the undone turn", 30, |s| {
        s.contains("Files changed") && !s.contains("notes.txt +3")
    });
    assert!(!ws.project_dir().join("notes.txt").exists());
    // The undone prompt came back into the input: Ctrl+C clears it before Ctrl+D quits.
    t.wait_text("write: notes.txt", 10);
    t.send_keys(&["C-c"]);
    t.wait_for("the empty prompt", 10, |s| !s.contains("write: notes.txt"));
    quit(&t, &ws);
}

/// Issue 16 §10: an answer whose code block ends a bracketed paste (`ESC [201~`) and then
/// holds a command: `/copy code` puts the block on the clipboard (a tmux buffer) without
/// a single control byte, and the note says what was removed.
#[test]
fn copy_code_never_puts_an_escape_on_the_clipboard() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    tmux(&["set", "-s", "set-clipboard", "on"]);
    t.prompt(r"say: Run this:\n```sh\necho pasted\e[201~\ntouch /tmp/ocw-pwned-by-paste\n```\nend");
    // The answer's totals (40 in, 10 out) in the status bar: the turn is over.
    t.wait_for("the answer", 60, |s| s.contains("Σ 50"));
    let before = buffers().len();
    t.prompt("/copy code");
    let screen = t.wait_text("control", 10);
    let flat: String = screen.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    assert!(flat.contains("1 control character removed"), "{screen}");
    let deadline = std::time::Instant::now() + crate::support::patience(10);
    let copied = loop {
        let all = buffers();
        if let Some(b) = all
            .iter()
            .find(|b| b.contains("touch /tmp/ocw-pwned-by-paste"))
        {
            break b.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no tmux buffer holds the code block ({before} before): {all:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(!copied.contains('\x1b'), "{copied:?}");
    assert!(
        !copied
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{copied:?}"
    );
    assert_eq!(copied, "echo pasted\ntouch /tmp/ocw-pwned-by-paste");
    quit(&t, &ws);
}
