//! Live sessions side by side (issue 20 §1): every top-level session shown in this run is a
//! tab; the strip shows each one's state (working, waiting for you, unread, failed) and
//! cost; Alt+N and the leader with Left / Right switch; a background session's permission
//! raises its badge and a note naming it, its dialog shows only on its own screen, and a key
//! pressed on another session's screen never answers it.

use crate::support::{bus, session_app};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::ui::overlay::guard::ARM_DELAY;
use ocw_tui::ui::testing::{ctrl, draw_app, key};
use ocw_tui::ui::{Action, App, UiInput};
use serde_json::json;

fn alt(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)
}

fn titled(app: &mut App, sid: &str, title: &str) {
    bus(
        app,
        "session.updated",
        json!({"info": {"id": sid, "title": title}}),
    );
}

/// Two sessions, "Fix the parser" shown first, then "Write the docs" (shown now).
fn two() -> App {
    let mut app = session_app("ses_a", 1_795_521_700_000);
    titled(&mut app, "ses_a", "Fix the parser");
    app.handle_input(UiInput::ShowSession("ses_b".into()));
    titled(&mut app, "ses_b", "Write the docs");
    app
}

fn strip(app: &App) -> String {
    draw_app(app, 100, 24)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn one_session_has_no_strip_two_have_tabs_and_alt_n_switches() {
    let mut one = session_app("ses_a", 1_795_521_700_000);
    titled(&mut one, "ses_a", "Fix the parser");
    assert!(!strip(&one).contains("1 Fix the parser"));
    let mut app = two();
    let s = strip(&app);
    assert!(
        s.contains("1 Fix the parser") && s.contains("2 Write the docs"),
        "{s}"
    );
    assert_eq!(
        app.handle_key(alt('1')),
        vec![Action::SwitchSession("ses_a".into())]
    );
    assert!(app.handle_key(alt('2')).is_empty(), "already shown");
    assert!(app.handle_key(alt('5')).is_empty());
    // The leader, then Right / Left: round the tabs.
    app.handle_key(ctrl('x'));
    assert_eq!(
        app.handle_key(key(KeyCode::Right)),
        vec![Action::SwitchSession("ses_a".into())]
    );
    app.handle_key(ctrl('x'));
    assert_eq!(
        app.handle_key(key(KeyCode::Left)),
        vec![Action::SwitchSession("ses_a".into())]
    );
}

#[test]
fn a_background_turn_shows_working_then_unread_until_shown() {
    let mut app = two();
    bus(
        &mut app,
        "session.status",
        json!({"sessionID": "ses_a", "status": {"type": "busy"}}),
    );
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_a1", "sessionID": "ses_a", "role": "assistant", "cost": 0.5}}),
    );
    let s = strip(&app);
    let tab1 = s.split('│').next().unwrap_or("");
    assert!(
        ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"]
            .iter()
            .any(|c| tab1.contains(c)),
        "working: {s}"
    );
    assert!(tab1.contains("$0.50"), "{s}");
    bus(
        &mut app,
        "session.status",
        json!({"sessionID": "ses_a", "status": {"type": "idle"}}),
    );
    let s = strip(&app);
    assert!(
        s.split('│').next().unwrap_or("").contains('●'),
        "unread: {s}"
    );
    app.handle_input(UiInput::ShowSession("ses_a".into()));
    assert!(!strip(&app).contains('●'), "read once shown");
}

#[tokio::test(start_paused = true)]
async fn a_background_permission_waits_for_its_own_screen() {
    let mut app = two();
    tokio::time::advance(std::time::Duration::from_secs(5)).await;
    bus(
        &mut app,
        "permission.asked",
        json!({"id": "per_1", "sessionID": "ses_a", "permission": "bash",
            "patterns": ["rm -rf build"], "metadata": {"command": "rm -rf build"}, "always": ["rm *"]}),
    );
    assert!(
        app.active_request().is_none(),
        "not on the docs session's screen"
    );
    let screen = draw_app(&app, 100, 24);
    assert!(!screen.contains("Permission: bash"), "{screen}");
    assert!(
        screen.lines().next().unwrap_or("").contains('?'),
        "the badge: {screen}"
    );
    assert!(
        screen.contains("asks permission: bash in “Fix the parser” (Alt+1 shows it)"),
        "{screen}"
    );
    // Keys on this screen answer nothing of it.
    tokio::time::advance(ARM_DELAY * 2).await;
    for c in ['y', 'a'] {
        let out = app.handle_key(key(KeyCode::Char(c)));
        assert!(
            !out.iter()
                .any(|a| matches!(a, Action::ReplyPermission { .. })),
            "{out:?}"
        );
    }
    // Shown (a moment later): its dialog comes up. The letters typed meanwhile are still in
    // the prompt, which keeps the keys; Tab answers the dialog once seen and armed.
    tokio::time::advance(std::time::Duration::from_secs(2)).await;
    app.handle_input(UiInput::ShowSession("ses_a".into()));
    let screen = draw_app(&app, 100, 24);
    assert!(screen.contains("Permission: bash"), "{screen}");
    assert!(screen.contains("Tab answers"), "{screen}");
    tokio::time::advance(ARM_DELAY).await;
    let out = app.handle_key(key(KeyCode::Char('y')));
    assert!(
        !out.iter()
            .any(|a| matches!(a, Action::ReplyPermission { .. })),
        "{out:?}"
    );
    assert_eq!(app.input_text(), "yay");
    app.handle_key(key(KeyCode::Tab));
    tokio::time::advance(ARM_DELAY).await;
    draw_app(&app, 100, 24);
    let out = app.handle_key(key(KeyCode::Char('y')));
    assert!(
        matches!(&out[..], [Action::ReplyPermission { request_id, .. }] if request_id == "per_1"),
        "{out:?}"
    );
}

/// The session list marks the open tabs with their number (Alt+N).
#[test]
fn the_session_list_marks_the_open_tabs() {
    let mut app = two();
    titled(&mut app, "ses_c", "Never opened");
    app.handle_key(ctrl('s'));
    let screen = draw_app(&app, 100, 24);
    let row = |t: &str| {
        screen
            .lines()
            .find(|l| l.starts_with('│') && l.contains(t))
            .unwrap_or("")
            .chars()
            .take(34)
            .collect::<String>()
    };
    assert!(row("Fix the parser").contains("#1"), "{screen}");
    assert!(row("Write the docs").contains("#2"), "{screen}");
    assert!(!row("Never opened").contains('#'), "{screen}");
}
