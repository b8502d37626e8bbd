//! Browsing while a dialog waits (issue 18): Ctrl+S opens the session list over the dialog
//! (the dialog stays drawn beside it, and the list's keys never answer it); Esc comes
//! back to the dialog, which does not answer at once; PgUp scrolls the transcript when
//! the dialog has nothing to scroll.

use crossterm::event::KeyCode;
use ocw_tui::model::Event;
use ocw_tui::ui::overlay::guard::ARM_DELAY;
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, key};
use ocw_tui::ui::{Action, App, UiInput, UiOptions};

const DIR: &str = "tests/fixtures/opencode-1.18.33";

/// The `bash_once` fixture with its permission asked, two sessions listed.
fn asked_with_two_sessions() -> App {
    let events = fixture_events(&format!("{DIR}/bash_once.jsonl"));
    let at = events
        .iter()
        .position(|e| matches!(e, Event::PermissionAsked(_)))
        .expect("a request in the fixture");
    let mut app = app_from_events(&events[..at], UiOptions::default(), |_| false);
    let sid = app.session_id().expect("a session").to_string();
    let info = |id: &str, title: &str| {
        serde_json::from_value::<ocw_tui::model::event::SessionInfo>(serde_json::json!({
            "id": id, "title": title,
            "time": {"created": 1_795_521_000_000u64, "updated": 1_795_521_000_000u64}
        }))
        .expect("session info")
    };
    app.handle_input(UiInput::Sessions(vec![
        info(&sid, "This one"),
        info("ses_other", "Another one"),
    ]));
    app.handle_input(UiInput::Bus(events[at].clone()));
    assert!(app.active_request().is_some());
    app
}

fn is_reply(a: &Action) -> bool {
    matches!(
        a,
        Action::ReplyPermission { .. }
            | Action::ReplyQuestion { .. }
            | Action::RejectQuestion { .. }
            | Action::SaveAlwaysRule { .. }
    )
}

#[tokio::test(start_paused = true)]
async fn ctrl_s_under_a_dialog_browses_sessions_and_esc_comes_back_to_it_unanswered() {
    let mut app = asked_with_two_sessions();
    draw_app(&app, 110, 30);
    tokio::time::advance(ARM_DELAY).await;
    // The dialog has the focus and its keys are armed: Ctrl+S still browses.
    let acts = app.handle_key(ctrl('s'));
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    let screen = draw_app(&app, 110, 30);
    assert!(
        screen.contains("Another one"),
        "the list is drawn:\n{screen}"
    );
    assert!(
        screen.contains("Permission: bash"),
        "the dialog stays on screen beside it:\n{screen}"
    );
    // The list's keys (filter letters, moves) answer nothing.
    for k in [
        KeyCode::Char('y'),
        KeyCode::Char('a'),
        KeyCode::Backspace,
        KeyCode::Backspace,
        KeyCode::Down,
        KeyCode::Up,
        KeyCode::Char('n'),
        KeyCode::Tab,
    ] {
        let acts = app.handle_key(key(k));
        assert!(!acts.iter().any(is_reply), "{k:?}: {acts:?}");
        assert!(app.active_request().is_some(), "{k:?} answered the dialog");
    }
    assert_eq!(app.session_list_filter(), Some("n"), "typed into the list");
    // Esc clears the filter, Esc again comes back.
    app.handle_key(key(KeyCode::Esc));
    let acts = app.handle_key(key(KeyCode::Esc));
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert!(app.session_list_filter().is_none(), "the list closed");
    assert!(app.active_request().is_some(), "the dialog still waits");
    let screen = draw_app(&app, 110, 30);
    assert!(screen.contains("Permission: bash"), "{screen}");
    // A key right after coming back does not answer: the dialog arms afresh.
    assert!(app.handle_key(key(KeyCode::Char('y'))).is_empty());
    assert!(app.active_request().is_some());
    tokio::time::advance(ARM_DELAY).await;
    draw_app(&app, 110, 30);
    let acts = app.handle_key(key(KeyCode::Char('y')));
    assert!(
        matches!(&acts[..], [Action::ReplyPermission { .. }]),
        "{acts:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn ctrl_s_browses_while_the_prompt_has_the_keys_too_and_enter_switches() {
    let mut app = asked_with_two_sessions();
    // Typing while the dialog came: the prompt keeps the keys.
    app.handle_key(key(KeyCode::Char('x')));
    let acts = app.handle_key(ctrl('s'));
    assert!(acts.contains(&Action::RefreshSessions), "{acts:?}");
    let screen = draw_app(&app, 110, 30);
    assert!(screen.contains("Another one"), "{screen}");
    assert!(screen.contains("Esc: back to the dialog"), "{screen}");
    app.handle_key(key(KeyCode::Down));
    let acts = app.handle_key(key(KeyCode::Enter));
    assert_eq!(acts, vec![Action::SwitchSession("ses_other".into())]);
    assert!(app.active_request().is_some(), "the dialog still waits");
    assert_eq!(app.input_text(), "x", "the prompt kept its text");
}

#[tokio::test(start_paused = true)]
async fn page_up_under_a_dialog_with_nothing_to_scroll_scrolls_the_transcript() {
    let mut app = asked_with_two_sessions();
    draw_app(&app, 100, 16);
    tokio::time::advance(ARM_DELAY).await;
    draw_app(&app, 100, 16);
    assert!(app.view().following());
    let acts = app.handle_key(key(KeyCode::PageUp));
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert!(!app.view().following(), "the transcript scrolled up");
    assert!(app.active_request().is_some());
}
