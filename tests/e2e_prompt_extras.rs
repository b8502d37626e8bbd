//! End to end, in tmux against the real opencode 1.18.33 and the scripted model: an `@`
//! mention of a file and of a directory reaches the model with the file's content / the
//! directory's listing, a `!` command runs in the shell and the model sees its output next
//! turn, and a long paste shown as `[Pasted N lines]` reaches the model whole.

mod support;

use serde_json::Value;
use support::{assert_no_opencode_left, MockModel, Tmux, Workspace};

fn start(ws: &Workspace) -> Tmux {
    let t = Tmux::start(ws, &[]);
    t.wait_text("ready", 60);
    t
}

fn quit(t: &Tmux, ws: &Workspace) {
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(ws, 5);
}

/// Every chat request the model received, as text (titles left out).
fn model_requests(mock: &MockModel) -> Vec<String> {
    mock.requests()
        .into_iter()
        .filter(|r| r.get("tools").is_some())
        .map(|r| r["messages"].to_string())
        .collect()
}

fn last_request(mock: &MockModel) -> Value {
    mock.requests()
        .into_iter()
        .rev()
        .find(|r| r.get("tools").is_some())
        .expect("a model request")
}

#[test]
fn a_mentioned_file_and_directory_reach_the_model() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let src = ws.project_dir().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("main.rs"), "fn main() { let marker = 4242; }\n").unwrap();
    std::fs::write(src.join("helper_zq.rs"), "// helper\n").unwrap();
    let t = start(&ws);
    t.type_text("look at @src/mai");
    t.wait_text("› src/main.rs", 30);
    t.send_keys(&["Tab"]);
    t.wait_text("look at @src/main.rs", 10);
    t.type_text("and @sr");
    let screen = t.wait_for("the directory in the picker", 30, |s| s.contains("src/ "));
    assert!(screen.contains("files"), "{screen}");
    // Move to the directory entry and take it.
    for _ in 0..10 {
        if t.screen().contains("› src/ ") {
            break;
        }
        t.send_keys(&["Down"]);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    t.send_keys(&["Enter"]);
    t.wait_text("and @src/", 10);
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: look at @src/main.rs and @src/", 60);
    let req = last_request(&mock)["messages"].to_string();
    assert!(
        req.contains("let marker = 4242;"),
        "the file's content: {req}"
    );
    assert!(
        req.contains("<type>directory</type>") && req.contains("helper_zq.rs"),
        "the directory's listing: {req}"
    );
    quit(&t, &ws);
}

#[test]
fn a_bang_command_runs_in_the_shell_and_the_model_sees_its_output() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = start(&ws);
    t.type_text("!echo shell-out-$((40+37))");
    t.wait_text("! shell", 10);
    t.send_keys(&["Enter"]);
    // The tool cell with the command's output, from the bus.
    let screen = t.wait_text("shell-out-77", 60);
    assert!(screen.contains("bash"), "a tool cell: {screen}");
    assert!(
        model_requests(&mock).is_empty(),
        "the model is not called by a shell command"
    );
    t.prompt("what did it print");
    t.wait_text("Hello! You said: what did it print", 60);
    let req = last_request(&mock)["messages"].to_string();
    assert!(
        req.contains("shell-out-77"),
        "the next turn carries the output: {req}"
    );
    quit(&t, &ws);
}

#[test]
fn a_long_paste_shows_as_a_token_and_reaches_the_model_whole() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = start(&ws);
    let text: String = (1..=120).map(|i| format!("pasted row {i}\n")).collect();
    t.type_text("summarise ");
    t.command(&["set-buffer", "-b", "ocwpaste", &text]);
    t.command(&["paste-buffer", "-p", "-b", "ocwpaste", "-t", &t.name()]);
    t.wait_text("summarise [Pasted 120 lines]", 10);
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: summarise pasted row 1.", 60);
    let req = last_request(&mock)["messages"].to_string();
    for i in [1, 60, 120] {
        assert!(
            req.contains(&format!("pasted row {i}\\n")),
            "row {i}: {req}"
        );
    }
    quit(&t, &ws);
}
