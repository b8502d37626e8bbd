//! The session list's search across sessions (issue 20 §2): the first typed key asks for
//! the sessions' text, "searching N sessions…" while it comes, a session found in a
//! message shows with the matching line (cleaned) under its row, a title match stays a
//! plain row, a message of a session the store holds is found from the store, and Enter
//! on a hit opens the session scrolled to that message (asking for older history first
//! when it is not paged in).

use crate::support::{bus, session_app};
use crossterm::event::KeyCode;
use ocw_tui::model::event::{SessionInfo, SessionTime};
use ocw_tui::model::session_text::{MessageText, SessionText};
use ocw_tui::model::state::Role;
use ocw_tui::ui::testing::{ctrl, draw_app, key, type_text};
use ocw_tui::ui::{Action, App, UiInput};
use serde_json::json;

const NOW: u64 = 1_796_589_076_323;

fn listed(id: &str, title: &str) -> SessionInfo {
    SessionInfo {
        id: id.into(),
        title: Some(title.into()),
        time: Some(SessionTime {
            created: (NOW - 60_000) as f64,
            updated: (NOW - 60_000) as f64,
        }),
        ..Default::default()
    }
}

fn text(id: &str, role: Role, t: &str) -> MessageText {
    MessageText {
        id: id.into(),
        role,
        text: t.into(),
    }
}

/// The old session's 40 messages: the word is in the answer `msg_05`, on its second line.
fn old_messages() -> Vec<MessageText> {
    (0..40)
        .map(|i| {
            let id = format!("msg_{i:02}");
            match i {
                5 => text(
                    &id,
                    Role::Assistant,
                    "Sure.\nThe Zebra \x1b[31mcrossing\x1b[0m is striped.\nBye.",
                ),
                _ if i % 2 == 0 => text(&id, Role::User, &format!("question {i}")),
                _ => text(&id, Role::Assistant, &format!("answer {i}")),
            }
        })
        .collect()
}

fn app() -> App {
    let mut app = session_app("ses_cur", NOW);
    app.handle_input(UiInput::Sessions(vec![
        listed("ses_cur", "Current work"),
        listed("ses_old", "Old chat"),
        listed("ses_zoo", "Zebra notes"),
    ]));
    app
}

fn list_column(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.chars().take(34).collect::<String>() + "\n")
        .collect()
}

/// Moves the list's cursor to the row of session `id`.
fn select(app: &mut App, id: &str) {
    let rows = app.session_rows();
    let at = (0..rows.len())
        .find(|&i| rows.get(i).is_some_and(|r| r.id == id))
        .unwrap_or_else(|| panic!("no row {id}"));
    for _ in 0..rows.len() {
        app.handle_key(key(KeyCode::Up));
    }
    for _ in 0..at {
        app.handle_key(key(KeyCode::Down));
    }
}

#[test]
fn a_word_in_an_old_answer_is_found_and_enter_opens_the_session_there() {
    let mut app = app();
    app.handle_key(ctrl('s'));
    let asked = type_text(&mut app, "zebra");
    assert_eq!(
        asked,
        vec![Action::FetchSessionText],
        "the first key asks for the text, once"
    );
    app.handle_input(UiInput::SessionTextPending(2));
    let screen = list_column(&draw_app(&app, 100, 20));
    assert!(screen.contains("searching 2 sessions…"), "{screen}");
    assert!(
        screen.contains("Zebra notes") && !screen.contains("Old chat"),
        "titles match meanwhile: {screen}"
    );
    app.handle_input(UiInput::SessionText(SessionText {
        session_id: "ses_old".into(),
        updated_ms: Some(NOW - 60_000),
        messages: old_messages(),
    }));
    app.handle_input(UiInput::SessionText(SessionText {
        session_id: "ses_zoo".into(),
        updated_ms: Some(NOW - 60_000),
        messages: vec![text("msg_z", Role::User, "nothing striped here")],
    }));
    app.handle_input(UiInput::SessionTextPending(0));
    let screen = draw_app(&app, 100, 20);
    assert!(!screen.contains('\x1b'), "the text is cleaned: {screen:?}");
    let list = list_column(&screen);
    assert!(!list.contains("searching"), "{list}");
    let lines: Vec<&str> = list.lines().collect();
    let old = lines
        .iter()
        .position(|l| l.contains("Old chat"))
        .unwrap_or_else(|| panic!("the old session is found: {list}"));
    assert!(
        lines[old + 1].contains("↳ The Zebra") && lines[old + 1].contains("crossing"),
        "its matching line under it: {list}"
    );
    let zoo = lines
        .iter()
        .position(|l| l.contains("Zebra notes"))
        .unwrap();
    assert!(
        !lines[zoo + 1].contains('↳'),
        "a title match has no text line: {list}"
    );
    assert!(!list.contains("Current work"), "{list}");
    // Enter on the hit: the session is asked for; once shown, the view is at the message.
    select(&mut app, "ses_old");
    let out = app.handle_key(key(KeyCode::Enter));
    assert_eq!(out, vec![Action::SwitchSession("ses_old".into())]);
    // The front-end loads the session's history (logged events), then shows it.
    for (i, m) in old_messages().iter().enumerate() {
        let role = if m.role == Role::User {
            "user"
        } else {
            "assistant"
        };
        bus(
            &mut app,
            "message.updated",
            json!({"info": {"id": m.id, "sessionID": "ses_old", "role": role}}),
        );
        bus(
            &mut app,
            "message.part.updated",
            json!({"part": {"id": format!("prt_{i:02}"), "messageID": m.id, "sessionID": "ses_old", "type": "text", "text": m.text}}),
        );
    }
    app.handle_input(UiInput::ShowSession("ses_old".into()));
    let screen = draw_app(&app, 100, 20);
    assert!(
        screen.contains("is striped") && !screen.contains("answer 39"),
        "the view is at the message, not at the end: {screen}"
    );
}

#[test]
fn a_hit_not_paged_in_asks_for_the_older_history_then_scrolls_there() {
    let mut app = app();
    app.handle_key(ctrl('s'));
    type_text(&mut app, "zebra");
    app.handle_input(UiInput::SessionText(SessionText {
        session_id: "ses_old".into(),
        updated_ms: None,
        messages: old_messages(),
    }));
    select(&mut app, "ses_old");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::SwitchSession("ses_old".into())]
    );
    // Only the newest page came: the message is older.
    let newest = &old_messages()[30..];
    let page = |app: &mut App, ms: &[MessageText]| {
        for m in ms {
            bus(
                app,
                "message.updated",
                json!({"info": {"id": m.id, "sessionID": "ses_old", "role": "assistant"}}),
            );
            bus(
                app,
                "message.part.updated",
                json!({"part": {"id": format!("p{}", m.id), "messageID": m.id, "sessionID": "ses_old", "type": "text", "text": m.text}}),
            );
        }
    };
    page(&mut app, newest);
    let out = app.handle_input(UiInput::ShowSession("ses_old".into()));
    assert!(
        out.contains(&Action::LoadOlder {
            session_id: "ses_old".into()
        }),
        "{out:?}"
    );
    page(&mut app, &old_messages()[..30]);
    let screen = draw_app(&app, 100, 20);
    assert!(screen.contains("is striped"), "{screen}");
}

#[test]
fn a_message_of_a_session_the_store_holds_is_found_from_the_store() {
    let mut app = app();
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_live", "sessionID": "ses_cur", "role": "assistant"}}),
    );
    bus(
        &mut app,
        "message.part.updated",
        json!({"part": {"id": "prt_live", "messageID": "msg_live", "sessionID": "ses_cur", "type": "text", "text": "a giraffe walked in"}}),
    );
    app.handle_key(ctrl('s'));
    type_text(&mut app, "GIRAFFE");
    let list = list_column(&draw_app(&app, 100, 20));
    assert!(
        list.contains("Current work") && list.contains("↳ a giraffe walked in"),
        "{list}"
    );
    // Nothing matches: the list says so.
    type_text(&mut app, "xyz");
    let list = list_column(&draw_app(&app, 100, 20));
    assert!(list.contains("no matches"), "{list}");
}
