//! One tool call expanded at a time: Tab / Shift+Tab focus the tool calls on screen,
//! Enter or `o` expand / collapse the focused one, Esc leaves; a click on a tool header
//! expands / collapses that call.

use crate::support::{bus, session_app};
use crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ocw_tui::ui::testing::{buffer_text, draw_app, key, type_text};
use ocw_tui::ui::theme;
use ocw_tui::ui::{Action, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::json;

const SID: &str = "ses_focus";

fn tool(app: &mut App, part: &str, command: &str, lines: usize) {
    let out: String = (1..=lines)
        .map(|i| format!("{command} out {i}\n"))
        .collect();
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": part, "messageID": "msg_2", "sessionID": SID, "type": "tool", "tool": "bash", "callID": format!("call_{part}"),
            "state": {"status": "completed", "input": {"command": command}, "output": out, "metadata": {"output": out, "exit": 0}}}}),
    );
}

/// A turn with three bash calls of 20 output lines each (collapsed: 6 shown).
fn app() -> App {
    let mut app = session_app(SID, 1_000_000);
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_1", "sessionID": SID, "role": "user"}}),
    );
    bus(
        &mut app,
        "message.part.updated",
        json!({"part": {"id": "prt_u", "messageID": "msg_1", "sessionID": SID, "type": "text", "text": "run things"}}),
    );
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_2", "sessionID": SID, "role": "assistant"}}),
    );
    for (p, c) in [("prt_a", "alpha"), ("prt_b", "beta"), ("prt_c", "gamma")] {
        tool(&mut app, p, c, 20);
    }
    app
}

/// The style of the first cell of the screen row holding `text`.
fn header_style(app: &App, text: &str) -> ratatui::style::Style {
    let mut t = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    t.draw(|f| ocw_tui::ui::render(app, f)).expect("draw");
    let buf = t.backend().buffer();
    let row = buffer_text(buf)
        .lines()
        .position(|l| l.contains(text))
        .expect("row on screen") as u16;
    buf[(3, row)].style()
}

const W: u16 = 70;
const H: u16 = 40;

fn shift_tab() -> KeyEvent {
    KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
}

#[test]
fn tab_focuses_a_tool_call_and_enter_expands_only_that_one() {
    let mut a = app();
    let collapsed = draw_app(&a, W, H);
    assert!(!collapsed.contains("alpha out 3\n"), "{collapsed}");
    assert!(a.handle_key(key(KeyCode::Tab)).is_empty());
    assert_eq!(
        a.view().focused_tool(),
        Some("prt_a"),
        "the first one on screen"
    );
    insta::assert_snapshot!(draw_app(&a, W, H));
    assert_eq!(
        header_style(&a, "$ alpha").bg,
        theme::selected().bg,
        "highlighted"
    );
    assert_ne!(header_style(&a, "$ beta").bg, theme::selected().bg);
    assert!(a.handle_key(key(KeyCode::Enter)).is_empty(), "nothing sent");
    let expanded = draw_app(&a, W, H);
    assert!(expanded.contains("alpha out 3\n"), "{expanded}");
    assert!(
        !expanded.contains("beta out 3\n"),
        "only the focused call expands"
    );
    a.handle_key(key(KeyCode::Tab));
    assert_eq!(a.view().focused_tool(), Some("prt_b"));
    a.handle_key(key(KeyCode::Char('o')));
    let both = draw_app(&a, W, H);
    assert!(both.contains("beta out 3\n"));
    // Enter again collapses.
    a.handle_key(key(KeyCode::Enter));
    assert!(!draw_app(&a, W, H).contains("beta out 3\n"));
}

#[test]
fn shift_tab_cycles_backwards_and_esc_leaves_the_focus() {
    let mut a = app();
    draw_app(&a, W, 80);
    a.handle_key(shift_tab());
    assert_eq!(
        a.view().focused_tool(),
        Some("prt_c"),
        "from nothing: the last"
    );
    a.handle_key(shift_tab());
    assert_eq!(a.view().focused_tool(), Some("prt_b"));
    a.handle_key(key(KeyCode::Tab));
    a.handle_key(key(KeyCode::Tab));
    assert_eq!(a.view().focused_tool(), Some("prt_a"), "Tab wraps around");
    a.handle_key(key(KeyCode::Esc));
    assert_eq!(a.view().focused_tool(), None);
    // Enter is the prompt's again.
    type_text(&mut a, "next");
    assert_eq!(
        a.handle_key(key(KeyCode::Enter)),
        vec![Action::Prompt {
            session_id: SID.into(),
            text: "next".into(),
            files: vec![],
            agents: vec![],
        }]
    );
}

#[test]
fn typing_leaves_the_focus_and_goes_to_the_prompt() {
    let mut a = app();
    draw_app(&a, W, H);
    a.handle_key(key(KeyCode::Tab));
    type_text(&mut a, "hi");
    assert_eq!(a.view().focused_tool(), None);
    assert_eq!(a.input_text(), "hi");
}

#[test]
fn tab_with_no_tool_call_on_screen_says_so() {
    let mut a = app();
    a.handle_key(key(KeyCode::Tab));
    assert_eq!(a.view().focused_tool(), None, "nothing drawn yet");
    assert!(draw_app(&a, W, H).contains("no tool call on screen"));
}

#[test]
fn clicking_a_tool_header_expands_and_collapses_it() {
    let mut a = app();
    let screen = draw_app(&a, W, H);
    let row = screen
        .lines()
        .position(|l| l.contains("$ beta"))
        .expect("beta's header on screen") as u16;
    let click = |row| {
        TermEvent::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    assert!(a.handle_event(click(row)).is_empty());
    let expanded = draw_app(&a, W, H);
    assert!(expanded.contains("beta out 3\n"), "{expanded}");
    assert!(!expanded.contains("alpha out 3\n"));
    assert_eq!(a.view().focused_tool(), Some("prt_b"));
    // A click on an output line does nothing; on the header again collapses.
    a.handle_event(click(row + 2));
    assert!(draw_app(&a, W, H).contains("beta out 3\n"));
    let row = draw_app(&a, W, H)
        .lines()
        .position(|l| l.contains("$ beta"))
        .expect("header") as u16;
    a.handle_event(click(row));
    assert!(!draw_app(&a, W, H).contains("beta out 3\n"));
}
