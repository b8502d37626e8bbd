//! A queued prompt is delivered exactly once or is back in the input (issue 16 §13), end
//! to end: the real `ocw-tui` in tmux against the real opencode 1.18.33 and the scripted
//! model, whose request log tells how often the queued text reached the model. Esc (abort)
//! and a rejected permission: the text is back in the input and reached the model zero
//! times; Enter then sends it, and the model sees it exactly once. A turn that ends
//! normally sends the queued prompt by itself, once.

use crate::support;

use serde_json::Value;
use std::time::Duration;
use support::{quit, MockModel, Tmux, Workspace};

fn texts(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p["text"].as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// The most user messages holding `marker` in any one request to the model (each request
/// carries the whole conversation, so this is how many times the session holds it).
fn times_in_context(mock: &MockModel, marker: &str) -> usize {
    mock.requests()
        .iter()
        .map(|r| {
            r["messages"]
                .as_array()
                .map(|m| {
                    m.iter()
                        .filter(|m| m["role"] == "user" && texts(&m["content"]).contains(marker))
                        .count()
                })
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
}

/// The text of the input box (the lines between its borders, below the transcript).
fn input_holds(screen: &str, text: &str) -> bool {
    screen
        .lines()
        .rev()
        .take(6)
        .any(|l| l.contains(text) && !l.contains("(queued)") && !l.contains("You said"))
}

#[test]
fn esc_gives_a_queued_prompt_back_unsent_and_enter_sends_it_once() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    t.prompt("slowly\nslow: 300\nwords: 200");
    t.wait_text("word6", 60);
    t.prompt("then this");
    t.wait_text("then this  (queued)", 10);
    t.send_keys(&["Escape"]);
    t.wait_text("■ interrupted", 30);
    let screen = t.wait_text("back in the input", 20);
    assert!(input_holds(&screen, "then this"), "{screen}");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(times_in_context(&mock, "then this"), 0, "never sent");
    assert!(!t.screen().contains("You said: then this"));
    t.send_keys(&["Enter"]);
    t.wait_text("You said: then this.", 60);
    assert_eq!(times_in_context(&mock, "then this"), 1, "sent exactly once");
    quit(&t, &ws);
}

#[test]
fn a_rejected_permission_gives_the_queued_prompt_back_unsent() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    // Slow chunks: time to queue a prompt before the permission dialog takes the keys.
    t.prompt("please run\nslow: 1500\nbash: echo hi");
    t.wait_text("working", 30);
    t.prompt("after that");
    t.wait_text("after that  (queued)", 10);
    t.wait_text("Permission: bash", 60);
    t.wait_dialog_keys();
    t.send_keys(&["n"]);
    let screen = t.wait_text("back in the input", 30);
    assert!(screen.contains("rejected"), "{screen}");
    assert!(input_holds(&screen, "after that"), "{screen}");
    t.wait_for("the turn to end", 30, |s| !s.contains("working"));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(times_in_context(&mock, "after that"), 0, "never sent");
    t.send_keys(&["Enter"]);
    t.wait_text("You said: after that.", 60);
    assert_eq!(
        times_in_context(&mock, "after that"),
        1,
        "sent exactly once"
    );
    quit(&t, &ws);
}

#[test]
fn a_queued_prompt_is_sent_once_when_the_turn_ends() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    // A turn long enough (about 10 s) that the queued state is on screen on a loaded machine.
    t.prompt("slowly\nslow: 200\nwords: 150");
    t.wait_text("word3", 60);
    t.prompt("next one");
    t.wait_text("next one  (queued)", 10);
    t.wait_text("You said: next one.", 60);
    t.wait_for("the turn to end", 30, |s| !s.contains("working"));
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(times_in_context(&mock, "next one"), 1);
    assert!(!t.screen().contains("(queued)"));
    quit(&t, &ws);
}
