//! The UI before the server (issue 18): drawn at once with the start-up in it, the prompt
//! taking keys, prompts sent meanwhile queued (shown so) and sent in order once the
//! session is there; and Ctrl+Z asks to suspend wherever the keys are (never an undo).

use crate::support::{bus, enter, session_app};
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, type_text};
use ocw_tui::ui::{Action, App, ConnectionState, UiInput, UiOptions};
use serde_json::json;

const SID: &str = "ses_started";

fn starting() -> App {
    let mut app = App::new(UiOptions::default());
    app.handle_input(UiInput::Connection(ConnectionState::Starting {
        what: "starting opencode serve in ~/src/app".into(),
    }));
    app
}

fn prompt(text: &str) -> Action {
    Action::Prompt {
        session_id: SID.into(),
        text: text.into(),
        files: vec![],
        agents: vec![],
    }
}

#[test]
fn the_screen_says_the_server_starts_and_the_prompt_takes_keys() {
    let mut app = starting();
    let screen = draw_app(&app, 100, 20);
    assert!(
        screen.contains("starting opencode serve in ~/src/app …"),
        "{screen}"
    );
    // "ready" is the status bar's word once a prompt goes out at once (tests wait for it).
    assert!(!screen.contains("ready"), "{screen}");
    type_text(&mut app, "hel");
    assert_eq!(app.input_text(), "hel");
    assert!(draw_app(&app, 100, 20).contains("hel"));
}

#[test]
fn prompts_sent_while_the_server_starts_wait_and_go_out_once_in_order() {
    let mut app = starting();
    assert_eq!(
        enter(&mut app, "first"),
        vec![],
        "no session asked for: the start-up picks it"
    );
    assert_eq!(enter(&mut app, "second"), vec![]);
    assert_eq!(app.input_text(), "");
    let screen = draw_app(&app, 100, 20);
    assert!(
        screen.contains("first  (queued)") && screen.contains("second  (queued)"),
        "{screen}"
    );
    // The start-up is over: the session is shown, then the connection is up.
    let out = app.handle_input(UiInput::ShowSession(SID.into()));
    assert_eq!(out, vec![prompt("first")], "the first goes at once");
    assert!(app
        .handle_input(UiInput::Connection(ConnectionState::Connected))
        .is_empty());
    let screen = draw_app(&app, 100, 20);
    assert!(screen.contains("second  (queued)"), "{screen}");
    assert!(!screen.contains("first  (queued)"), "{screen}");
    assert!(!screen.contains("starting opencode serve"), "{screen}");
    // Its turn runs and ends: the second goes, once.
    app.pin_clock(2_000_000);
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_u1", "sessionID": SID, "role": "user", "time": {"created": 1_000_000}}}),
    );
    let status = |app: &mut App, kind: &str| {
        bus(
            app,
            "session.status",
            json!({"sessionID": SID, "status": {"type": kind}}),
        )
    };
    assert!(status(&mut app, "busy").is_empty());
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_a1", "sessionID": SID, "role": "assistant", "parentID": "msg_u1",
            "agent": "build", "finish": "stop", "time": {"created": 1_000_001, "completed": 1_500_000}}}),
    );
    assert_eq!(status(&mut app, "idle"), vec![prompt("second")]);
    assert!(app.queued().is_empty());
}

#[test]
fn ctrl_z_suspends_and_undoes_nothing() {
    let mut app = session_app(SID, 1_000_000);
    type_text(&mut app, "draft");
    assert_eq!(app.handle_key(ctrl('z')), vec![Action::Suspend]);
    assert_eq!(app.input_text(), "draft", "the input is kept");
    // With a permission dialog up too (it keeps waiting for its answer).
    let events = fixture_events("tests/fixtures/opencode-1.18.33/bash_once.jsonl");
    let mut app = app_from_events(&events, UiOptions::default(), |e| {
        matches!(e, ocw_tui::model::Event::PermissionReplied { .. })
    });
    assert!(app.active_request().is_some());
    draw_app(&app, 80, 30);
    assert_eq!(app.handle_key(ctrl('z')), vec![Action::Suspend]);
    assert!(app.active_request().is_some(), "the dialog still waits");
}
