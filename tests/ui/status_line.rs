//! The status line command (issue 20 §5), the UI's side: with a command configured the app
//! emits the session as JSON (Claude Code's field names) whenever that JSON changes, and
//! never for a change that leaves it as it was; the command's first line shows at the right
//! of the status bar with its colours, every other escape sequence dropped.

use crate::support::{bus, session_app_with};
use ocw_tui::ui::testing::{draw_app, draw_app_buffer};
use ocw_tui::ui::{Action, App, UiInput, UiOptions};
use serde_json::{json, Value};

const SID: &str = "ses_sl";

fn app(status_line: bool) -> App {
    session_app_with(
        SID,
        1_795_521_700_000,
        UiOptions {
            status_line,
            project_dir: Some("/home/me/src/greeter".into()),
            model_label: Some("mock/mock-model".into()),
            ..UiOptions::default()
        },
    )
}

fn inputs(out: &[Action]) -> Vec<Value> {
    out.iter()
        .filter_map(|a| match a {
            Action::StatusInput(j) => Some(serde_json::from_str(j).unwrap()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_session_goes_to_the_command_as_claude_code_json_when_it_changes() {
    let mut a = app(true);
    let out = bus(
        &mut a,
        "session.updated",
        json!({"info": {"id": SID, "title": "Add a verbose flag"}}),
    );
    let sent = inputs(&out);
    assert_eq!(sent.len(), 1, "{out:?}");
    let j = &sent[0];
    assert_eq!(j["session_id"], SID);
    assert_eq!(j["workspace"]["current_dir"], "/home/me/src/greeter");
    assert_eq!(j["model"]["id"], "mock/mock-model");
    assert_eq!(j["cost"]["total_cost_usd"], 0.0);
    assert_eq!(j["session_title"], "Add a verbose flag");
    // An event that changes nothing the JSON says: nothing sent.
    let out = bus(&mut a, "server.heartbeat", json!({}));
    assert!(inputs(&out).is_empty(), "{out:?}");
    // A priced answer: the cost and tokens go again.
    let out = bus(
        &mut a,
        "message.updated",
        json!({"info": {"id": "msg_1", "sessionID": SID, "role": "assistant", "cost": 0.25,
            "tokens": {"input": 1200, "output": 300, "reasoning": 0, "cache": {"read": 0, "write": 0}}}}),
    );
    let sent = inputs(&out);
    assert_eq!(sent.len(), 1, "{out:?}");
    assert_eq!(sent[0]["cost"]["total_cost_usd"], 0.25);
    assert_eq!(sent[0]["context_window"]["total_input_tokens"], 1200);
    assert_eq!(sent[0]["context_window"]["total_output_tokens"], 300);
    // No command configured: no input at all.
    let mut a = app(false);
    let out = bus(
        &mut a,
        "session.updated",
        json!({"info": {"id": SID, "title": "x"}}),
    );
    assert!(inputs(&out).is_empty());
}

#[test]
fn its_first_line_shows_at_the_right_with_colours_and_no_other_escapes() {
    let mut a = app(true);
    a.handle_input(UiInput::StatusLine(
        "\u{1b}[32m⎇ main\u{1b}[0m · $0.25\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J".into(),
    ));
    let screen = draw_app(&a, 100, 20);
    let bar = screen.lines().last().unwrap_or("").to_string();
    assert!(bar.trim_end().ends_with("⎇ main · $0.25"), "{bar:?}");
    assert!(!bar.contains("52;c") && !bar.contains("[2J"), "{bar:?}");
    // ⎇ in green (SGR 32 is the terminal's own green).
    let buf = draw_app_buffer(&a, 100, 20);
    let x = (0..100)
        .find(|&x| buf[(x, 19)].symbol() == "⎇")
        .expect("the branch sign");
    assert_eq!(buf[(x, 19)].fg, ratatui::style::Color::Green);
    // The bar's own state still shows on the left.
    assert!(bar.contains("ready"), "{bar:?}");
    // At most half the bar: a long line is cut.
    a.handle_input(UiInput::StatusLine("x".repeat(300)));
    let bar = draw_app(&a, 100, 20)
        .lines()
        .last()
        .unwrap_or("")
        .to_string();
    assert!(bar.contains('…') && bar.contains("ready"), "{bar:?}");
}
