//! Subagent sessions you can open: Enter on a focused `task` call shows the child session
//! (live, from the store), at depth 2 too; Backspace (empty prompt) goes back, Left /
//! Right move between siblings; the status bar shows the path parent › child.

use crate::support::bus;
use crossterm::event::KeyCode;
use ocw_tui::ui::testing::{draw_app, key};
use ocw_tui::ui::theme::{self, Palette};
use ocw_tui::ui::{Action, App, UiInput};
use serde_json::json;

fn session(app: &mut App, id: &str, parent: Option<&str>, title: &str) {
    bus(
        app,
        "session.updated",
        json!({"info": {"id": id, "parentID": parent, "title": title, "directory": "/p", "projectID": "x", "version": "1",
            "time": {"created": 1, "updated": 1}}}),
    );
}

/// A message in `sid` with a text part and, when `child` is given, a task call to it.
fn answer(app: &mut App, sid: &str, n: &str, text: &str, child: Option<&str>) {
    let mid = format!("msg_{sid}_{n}");
    bus(
        app,
        "message.updated",
        json!({"info": {"id": mid, "sessionID": sid, "role": "assistant"}}),
    );
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": format!("prt_{sid}_{n}t"), "messageID": mid, "sessionID": sid, "type": "text", "text": text}}),
    );
    if let Some(c) = child {
        bus(
            app,
            "message.part.updated",
            json!({"part": {"id": format!("prt_{sid}_{n}k"), "messageID": mid, "sessionID": sid, "type": "tool", "tool": "task", "callID": format!("call_{n}"),
                "state": {"status": "running", "input": {"description": format!("job {c}"), "subagent_type": "general", "prompt": "go"},
                    "metadata": {"sessionId": c}}}}),
        );
    }
}

/// ses_a (top) → task to ses_b and to ses_c (siblings); ses_b → task to ses_d (depth 2).
fn app() -> App {
    app_with(ocw_tui::ui::UiOptions::default())
}

fn app_with(opts: ocw_tui::ui::UiOptions) -> App {
    let mut a = crate::support::session_app_with("ses_a", 1_000_000, opts);
    session(&mut a, "ses_a", None, "Top session");
    session(&mut a, "ses_b", Some("ses_a"), "job B (@general subagent)");
    session(&mut a, "ses_c", Some("ses_a"), "job C (@general subagent)");
    session(&mut a, "ses_d", Some("ses_b"), "job D (@general subagent)");
    answer(&mut a, "ses_a", "1", "two subagents", Some("ses_b"));
    answer(&mut a, "ses_a", "2", "and", Some("ses_c"));
    answer(&mut a, "ses_b", "1", "B works", Some("ses_d"));
    answer(&mut a, "ses_c", "1", "C works", None);
    answer(&mut a, "ses_d", "1", "deep answer from D", None);
    a
}

const W: u16 = 80;
const H: u16 = 20;

/// Focuses the first task call on screen (Tab) and presses Enter.
fn open_first_task(a: &mut App) -> Vec<Action> {
    draw_app(a, W, H);
    a.handle_key(key(KeyCode::Tab));
    let first = a.view().visible_tools()[0].clone();
    while a.view().focused_tool() != Some(first.as_str()) {
        a.handle_key(key(KeyCode::Tab));
    }
    a.handle_key(key(KeyCode::Enter))
}

#[test]
fn enter_opens_the_child_backspace_returns_left_right_move_at_depth_two() {
    let mut a = app();
    let out = open_first_task(&mut a);
    assert_eq!(out, vec![Action::SwitchSession("ses_b".into())]);
    assert_eq!(a.session_id(), Some("ses_b"));
    let s = draw_app(&a, W, H);
    assert!(s.contains("B works"), "{s}");
    assert!(s.contains("Top session › job B"), "breadcrumb: {s}");
    // Depth 2: B's own task call opens D.
    let out = open_first_task(&mut a);
    assert_eq!(out, vec![Action::SwitchSession("ses_d".into())]);
    let s = draw_app(&a, W, H);
    assert!(s.contains("deep answer from D"), "{s}");
    assert!(s.contains("Top session › job B (@general… › job D"), "{s}");
    // Live: the child's new output shows at once.
    answer(&mut a, "ses_d", "2", "more from D", None);
    assert!(draw_app(&a, W, H).contains("more from D"));
    // Backspace: back to B, then to the top session.
    assert_eq!(
        a.handle_key(key(KeyCode::Backspace)),
        vec![Action::SwitchSession("ses_b".into())]
    );
    assert_eq!(a.session_id(), Some("ses_b"));
    a.handle_key(key(KeyCode::Right));
    assert_eq!(a.session_id(), Some("ses_c"), "Right: the next sibling");
    assert!(draw_app(&a, W, H).contains("C works"));
    a.handle_key(key(KeyCode::Right));
    assert_eq!(a.session_id(), Some("ses_c"), "no sibling after the last");
    a.handle_key(key(KeyCode::Left));
    assert_eq!(a.session_id(), Some("ses_b"));
    a.handle_key(key(KeyCode::Backspace));
    assert_eq!(a.session_id(), Some("ses_a"));
    // At the top, Backspace and Left are the prompt's again.
    assert!(a.handle_key(key(KeyCode::Backspace)).is_empty());
    assert_eq!(a.session_id(), Some("ses_a"));
}

#[test]
fn typing_in_a_child_keeps_backspace_for_the_text() {
    let mut a = app();
    open_first_task(&mut a);
    a.handle_key(key(KeyCode::Char('x')));
    a.handle_key(key(KeyCode::Backspace));
    assert_eq!(a.session_id(), Some("ses_b"), "Backspace deleted the x");
    assert!(a.input_text().is_empty());
}

#[test]
fn snapshot_subagent_at_depth_two() {
    theme::with_palette(Palette::Dark, || {
        let mut a = app();
        open_first_task(&mut a);
        open_first_task(&mut a);
        draw_app(&a, W, H);
        insta::assert_snapshot!(draw_app(&a, W, H));
    });
}

/// The front-end answers each `SwitchSession` with a `ShowSession` once the history is
/// loaded, possibly after the user has moved on: opening B then D at once, B's late echo
/// must not take the view back to B (a Backspace there would land on the top session).
#[test]
fn a_late_show_session_does_not_undo_a_later_move() {
    let mut a = app();
    open_first_task(&mut a);
    open_first_task(&mut a);
    assert_eq!(a.session_id(), Some("ses_d"));
    a.handle_input(UiInput::ShowSession("ses_b".into()));
    assert_eq!(a.session_id(), Some("ses_d"), "B's echo came late");
    a.handle_input(UiInput::ShowSession("ses_d".into()));
    assert_eq!(a.session_id(), Some("ses_d"));
    a.handle_key(key(KeyCode::Backspace));
    assert_eq!(a.session_id(), Some("ses_b"));
    a.handle_input(UiInput::ShowSession("ses_b".into()));
    assert_eq!(a.session_id(), Some("ses_b"));
    // A switch from elsewhere (the session list) still shows.
    a.handle_input(UiInput::ShowSession("ses_c".into()));
    assert_eq!(a.session_id(), Some("ses_c"));
}

/// tui.json's `session_parent` / `session_child_cycle` (opencode's names) move the keys:
/// opencode's Up for the parent, Alt+N for the next sibling; Backspace and Right are the
/// prompt's again.
#[test]
fn the_subagent_keys_follow_tui_json() {
    let tui = ocw_tui::model::tui_config::TuiConfig::from_layers(&[(
        "tui.json".into(),
        serde_json::json!({"keybinds": {"session_parent": "up", "session_child_cycle": "alt+n"}}),
    )]);
    let mut a = app_with(ocw_tui::ui::UiOptions {
        tui,
        ..Default::default()
    });
    open_first_task(&mut a);
    assert_eq!(a.session_id(), Some("ses_b"));
    a.handle_key(key(KeyCode::Right));
    a.handle_key(key(KeyCode::Backspace));
    assert_eq!(
        a.session_id(),
        Some("ses_b"),
        "Right and Backspace do nothing here now"
    );
    a.handle_key(crossterm::event::KeyEvent::new(
        KeyCode::Char('n'),
        crossterm::event::KeyModifiers::ALT,
    ));
    assert_eq!(a.session_id(), Some("ses_c"), "Alt+N: the next sibling");
    a.handle_key(key(KeyCode::Left));
    assert_eq!(
        a.session_id(),
        Some("ses_b"),
        "Left is still the previous one"
    );
    assert_eq!(
        a.handle_key(key(KeyCode::Up)),
        vec![Action::SwitchSession("ses_a".into())]
    );
}
