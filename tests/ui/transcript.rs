//! Transcript behaviour: streaming deltas render the same as the whole text, the view
//! follows new output only at the bottom, resizes re-wrap, tool states and the subagent
//! (`task`) progress, and the status bar's states.

use crate::support::{ev, session_app};
use crossterm::event::KeyCode;
use ocw_tui::model::Event;
use ocw_tui::ui::testing::{ctrl, draw_app, key};
use ocw_tui::ui::{App, ConnectionState, UiInput};
use serde_json::json;

const SID: &str = "ses_main";

fn app() -> App {
    let mut app = session_app(SID, 1_000_000);
    bus(
        &mut app,
        ev(
            "session.updated",
            json!({"info": {"id": SID, "title": "Demo", "agent": "build", "model": {"providerID": "mock", "id": "m"}}}),
        ),
    );
    app
}

fn bus(app: &mut App, e: Event) {
    app.handle_input(UiInput::Bus(e));
}

fn user(app: &mut App, id: &str, text: &str) {
    bus(
        app,
        ev(
            "message.updated",
            json!({"info": {"id": id, "sessionID": SID, "role": "user", "time": {"created": 990_000}}}),
        ),
    );
    bus(
        app,
        ev(
            "message.part.updated",
            json!({"part": {"id": format!("{id}_p"), "messageID": id, "sessionID": SID, "type": "text", "text": text}}),
        ),
    );
}

fn assistant(app: &mut App, id: &str) {
    bus(
        app,
        ev(
            "message.updated",
            json!({"info": {"id": id, "sessionID": SID, "role": "assistant"}}),
        ),
    );
}

fn text_part(app: &mut App, msg: &str, part: &str, text: &str) {
    bus(
        app,
        ev(
            "message.part.updated",
            json!({"part": {"id": part, "messageID": msg, "sessionID": SID, "type": "text", "text": text}}),
        ),
    );
}

fn delta(app: &mut App, msg: &str, part: &str, d: &str) {
    bus(
        app,
        ev(
            "message.part.delta",
            json!({"sessionID": SID, "messageID": msg, "partID": part, "field": "text", "delta": d}),
        ),
    );
}

fn tool(app: &mut App, msg: &str, part: &str, tool: &str, state: serde_json::Value) {
    tool_in(app, SID, msg, part, tool, state);
}

fn tool_in(app: &mut App, sid: &str, msg: &str, part: &str, tool: &str, state: serde_json::Value) {
    bus(
        app,
        ev(
            "message.part.updated",
            json!({"part": {"id": part, "messageID": msg, "sessionID": sid, "type": "tool", "tool": tool, "callID": format!("call_{part}"), "state": state}}),
        ),
    );
}

fn long_markdown() -> String {
    let mut s = String::new();
    for i in 0..60 {
        s.push_str(&format!("## Section {i}\n\nParagraph {i} with *emphasis* and `code` that is long enough to wrap around the edge of a narrow pane.\n\n"));
        if i % 7 == 0 {
            s.push_str("```rust\nfn main() {\n\n    println!(\"blank line above\");\n}\n```\n\n");
        }
        if i % 5 == 0 {
            s.push_str("- one\n- two\n  - nested\n\n");
        }
    }
    s
}

#[test]
fn streamed_deltas_render_like_the_whole_text() {
    let text = long_markdown();
    let mut streamed = app();
    user(&mut streamed, "msg_1", "go");
    assistant(&mut streamed, "msg_2");
    text_part(&mut streamed, "msg_2", "prt_t", "");
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < bytes.len() {
        let mut j = (i + 37).min(bytes.len());
        while !text.is_char_boundary(j) {
            j += 1;
        }
        delta(&mut streamed, "msg_2", "prt_t", &text[i..j]);
        if n % 5 == 0 {
            draw_app(&streamed, 60, 30); // render mid-stream (fills the block cache)
        }
        i = j;
        n += 1;
    }
    let mut whole = app();
    user(&mut whole, "msg_1", "go");
    assistant(&mut whole, "msg_2");
    text_part(&mut whole, "msg_2", "prt_t", &text);
    for a in [&mut streamed, &mut whole] {
        a.view_mut().scroll_to_top();
    }
    let (s, w) = (draw_app(&streamed, 60, 2000), draw_app(&whole, 60, 2000));
    assert_eq!(s, w);
    assert!(s.contains("Section 59"));
    assert!(s.contains("▎ fn main() {"));
}

/// Fenced code keeps its indentation (leading blanks, nested blocks, a tab), whether the
/// text arrives whole or three words per delta.
#[test]
fn fenced_code_keeps_its_indentation() {
    let text = "Here:\n\n```rust\nfn main() {\n    println!(\"hello\");\n    if x {\n        y();\n\t}\n}\n```\n\n```\n  two spaces\n```\n\nThat is all.";
    let mut a = app();
    user(&mut a, "msg_1", "markdown");
    assistant(&mut a, "msg_2");
    text_part(&mut a, "msg_2", "prt_t", "");
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = 0;
        for _ in 0..3 {
            cut += rest[cut..].find(' ').map_or(rest.len() - cut, |i| i + 1);
            if cut >= rest.len() {
                break;
            }
        }
        delta(&mut a, "msg_2", "prt_t", &rest[..cut]);
        draw_app(&a, 50, 16);
        rest = &rest[cut..];
    }
    let screen = draw_app(&a, 50, 16);
    assert!(screen.contains("▎     println!(\"hello\");"), "{screen}");
    assert!(screen.contains("▎         y();"), "{screen}");
    assert!(screen.contains("▎   two spaces"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_view_follows_new_output_only_at_the_bottom() {
    let mut a = app();
    user(&mut a, "msg_1", "go");
    assistant(&mut a, "msg_2");
    let body: String = (0..100).map(|i| format!("line {i}\n\n")).collect();
    text_part(&mut a, "msg_2", "prt_t", &body);
    let screen = draw_app(&a, 40, 12);
    assert!(screen.contains("line 99"), "follows: {screen}");
    a.handle_key(key(KeyCode::PageUp));
    let up = draw_app(&a, 40, 12);
    assert!(!up.contains("line 99"));
    delta(&mut a, "msg_2", "prt_t", "\n\nline 100");
    let still = draw_app(&a, 40, 12);
    assert_eq!(
        up.lines().take(5).collect::<Vec<_>>(),
        still.lines().take(5).collect::<Vec<_>>(),
        "scrolled up: new output does not move the view"
    );
    assert!(still.contains("more lines (End)"));
    a.handle_key(key(KeyCode::End));
    assert!(draw_app(&a, 40, 12).contains("line 100"));
}

#[test]
fn a_resize_rewraps_and_keeps_the_end_in_view() {
    let mut a = app();
    user(&mut a, "msg_1", "go");
    assistant(&mut a, "msg_2");
    text_part(&mut a, "msg_2", "prt_t", &"word ".repeat(200));
    draw_app(&a, 100, 20);
    let narrow = draw_app(&a, 30, 20);
    assert!(narrow.lines().all(|l| l.chars().count() <= 30));
    insta::assert_snapshot!(narrow);
}

fn tools_app() -> App {
    let mut a = app();
    user(&mut a, "msg_1", "do things");
    assistant(&mut a, "msg_2");
    tool(
        &mut a,
        "msg_2",
        "prt_1",
        "bash",
        json!({"status": "pending", "input": {"command": "cargo build"}}),
    );
    tool(
        &mut a,
        "msg_2",
        "prt_2",
        "bash",
        json!({"status": "running", "input": {"command": "cargo test", "description": "run the tests"}, "metadata": {"output": "running 3 tests\n"}}),
    );
    let out: String = (1..=20).map(|i| format!("out {i}\n")).collect();
    tool(
        &mut a,
        "msg_2",
        "prt_3",
        "bash",
        json!({"status": "completed", "input": {"command": "seq"}, "output": out, "metadata": {"output": out, "exit": 0}}),
    );
    tool(
        &mut a,
        "msg_2",
        "prt_4",
        "read",
        json!({"status": "error", "input": {"filePath": "/nope.txt"}, "error": "File not found: /nope.txt"}),
    );
    tool(
        &mut a,
        "msg_2",
        "prt_5",
        "edit",
        json!({"status": "completed", "input": {"filePath": "src/a.rs"}, "metadata": {"diff": "--- a\n+++ b\n@@ -1,3 +1,3 @@\n fn a() {\n-    old();\n+    new();\n }\n"}}),
    );
    tool(
        &mut a,
        "msg_2",
        "prt_6",
        "todowrite",
        json!({"status": "completed", "input": {"todos": [{"content": "write code", "status": "completed"}, {"content": "test it", "status": "in_progress"}, {"content": "ship", "status": "pending"}]}}),
    );
    a
}

#[test]
fn tool_calls_in_each_state() {
    insta::assert_snapshot!(draw_app(&tools_app(), 80, 50));
}

#[test]
fn ctrl_o_expands_tool_output() {
    let mut a = tools_app();
    assert!(!draw_app(&a, 80, 60).contains("out 1\n"));
    a.handle_key(ctrl('o'));
    let screen = draw_app(&a, 80, 60);
    assert!(screen.contains("│ out 1\n"), "{screen}");
    assert!(screen.contains("│ out 20"));
}

#[tokio::test(start_paused = true)]
async fn task_tool_shows_the_subagent_progress() {
    let mut a = app();
    user(&mut a, "msg_1", "delegate");
    assistant(&mut a, "msg_2");
    bus(
        &mut a,
        ev(
            "session.created",
            json!({"info": {"id": "ses_child", "parentID": SID, "title": "Explore the code (@explore subagent)"}}),
        ),
    );
    tool(
        &mut a,
        "msg_2",
        "prt_t",
        "task",
        json!({"status": "running", "input": {"description": "Explore the code", "subagent_type": "explore"}, "metadata": {"sessionId": "ses_child"}}),
    );
    bus(
        &mut a,
        ev(
            "session.status",
            json!({"sessionID": "ses_child", "status": {"type": "busy"}}),
        ),
    );
    bus(
        &mut a,
        ev(
            "message.updated",
            json!({"info": {"id": "msg_c1", "sessionID": "ses_child", "role": "assistant"}}),
        ),
    );
    tool_in(
        &mut a,
        "ses_child",
        "msg_c1",
        "prt_c1",
        "glob",
        json!({"status": "completed", "input": {"pattern": "**/*.rs"}}),
    );
    tool_in(
        &mut a,
        "ses_child",
        "msg_c1",
        "prt_c2",
        "read",
        json!({"status": "running", "input": {"filePath": "src/main.rs"}}),
    );
    let screen = draw_app(&a, 80, 16);
    assert!(
        screen.contains("subagent: working · 2 tool calls"),
        "{screen}"
    );
    // A permission the child asks shows in its parent's view, naming the subagent.
    bus(
        &mut a,
        ev(
            "permission.asked",
            json!({"id": "per_c", "sessionID": "ses_child", "permission": "bash", "patterns": ["ls"], "metadata": {"command": "ls"}, "always": ["ls *"]}),
        ),
    );
    draw_app(&a, 80, 24);
    tokio::time::advance(ocw_tui::ui::overlay::guard::ARM_DELAY).await;
    insta::assert_snapshot!(draw_app(&a, 80, 24));
}

#[test]
fn status_bar_states() {
    let mut a = app();
    user(&mut a, "msg_1", "go");
    bus(
        &mut a,
        ev(
            "message.updated",
            json!({"info": {"id": "msg_2", "sessionID": SID, "role": "assistant", "tokens": {"input": 12_345, "output": 678, "reasoning": 9, "cache": {"read": 1000, "write": 20}}, "cost": 0.0123}}),
        ),
    );
    let bar = |a: &App| draw_app(a, 120, 6).lines().nth(5).unwrap_or("").to_string();
    let mut shots = vec![format!("ready:        {}", bar(&a))];
    bus(
        &mut a,
        ev(
            "session.status",
            json!({"sessionID": SID, "status": {"type": "busy"}}),
        ),
    );
    shots.push(format!("busy:         {}", bar(&a)));
    bus(
        &mut a,
        ev(
            "session.status",
            json!({"sessionID": SID, "status": {"type": "retry", "attempt": 2, "message": "rate limited", "next": 1_007_500}}),
        ),
    );
    shots.push(format!("retry:        {}", bar(&a)));
    a.handle_input(UiInput::Connection(ConnectionState::Reconnecting {
        attempt: 3,
        error: "connection refused".into(),
    }));
    shots.push(format!("reconnecting: {}", bar(&a)));
    a.handle_input(UiInput::Connection(ConnectionState::ServerDied {
        message: "exit status 1".into(),
    }));
    shots.push(format!("died:         {}", bar(&a)));
    a.handle_input(UiInput::Connection(ConnectionState::Connecting));
    shots.push(format!("connecting:   {}", bar(&a)));
    a.handle_input(UiInput::Connection(ConnectionState::Connected));
    bus(
        &mut a,
        ev(
            "message.updated",
            json!({"info": {"id": "msg_2", "sessionID": SID, "role": "assistant", "error": {"name": "MessageAbortedError", "data": {"message": "aborted"}}}}),
        ),
    );
    bus(
        &mut a,
        ev(
            "session.status",
            json!({"sessionID": SID, "status": {"type": "idle"}}),
        ),
    );
    shots.push(format!("aborted:      {}", bar(&a)));
    insta::assert_snapshot!(shots.join("\n"));
}

#[test]
fn an_error_note_is_shown_above_the_input() {
    let mut a = app();
    a.handle_input(UiInput::Note {
        text: "reply refused: request already resolved (404)".into(),
        error: true,
    });
    assert!(draw_app(&a, 80, 10).contains("reply refused: request already resolved (404)"));
}

#[tokio::test(start_paused = true)]
async fn session_list_pane_marks_busy_and_waiting_sessions() {
    let mut a = app();
    user(&mut a, "msg_1", "go");
    bus(
        &mut a,
        ev(
            "session.updated",
            json!({"info": {"id": "ses_b", "title": "Busy one"}}),
        ),
    );
    bus(
        &mut a,
        ev(
            "session.status",
            json!({"sessionID": "ses_b", "status": {"type": "busy"}}),
        ),
    );
    bus(
        &mut a,
        ev(
            "session.updated",
            json!({"info": {"id": "ses_w", "title": "Waiting one"}}),
        ),
    );
    bus(
        &mut a,
        ev(
            "question.asked",
            json!({"id": "que_w", "sessionID": "ses_w", "questions": []}),
        ),
    );
    for (id, title, error) in [
        ("ses_f", "Failed one", "ProviderAuthError"),
        ("ses_x", "Aborted one", "MessageAbortedError"),
    ] {
        bus(
            &mut a,
            ev(
                "session.updated",
                json!({"info": {"id": id, "title": title}}),
            ),
        );
        bus(
            &mut a,
            ev(
                "message.updated",
                json!({"info": {"id": format!("msg_{id}"), "sessionID": id, "role": "assistant", "error": {"name": error, "data": {"message": "x"}}}}),
            ),
        );
    }
    // The question of another session is queued as a dialog too; answer it away first.
    draw_app(&a, 90, 16);
    tokio::time::advance(ocw_tui::ui::overlay::guard::ARM_DELAY).await;
    a.handle_key(key(KeyCode::Esc));
    a.handle_key(ctrl('s'));
    let screen = draw_app(&a, 90, 16);
    assert!(screen.contains("✗ Failed one"));
    assert!(screen.contains("  Aborted one"), "an abort is no failure");
    insta::assert_snapshot!(screen);
}
