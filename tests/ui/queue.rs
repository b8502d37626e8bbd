//! A queued prompt (Enter while the agent works) is delivered exactly once or is back in
//! the input, never both and never neither (issue 16 §13), on every path: the turn ends
//! normally (sent once, the next one after the next turn), abort, a rejected permission,
//! a failed turn, server death and restart, `/undo` while busy, a session switch, a slash
//! command. The App is fed inputs; the actions it emits and the input text are asserted.

use crate::support::{bus, enter, session_app};
use crossterm::event::KeyCode;
use ocw_tui::ui::testing::{ctrl, draw_app, key};
use ocw_tui::ui::{Action, App, ConnectionState, UiInput};
use serde_json::json;

const SID: &str = "ses_main";
const OTHER: &str = "ses_other";
const NOW: u64 = 1_000_000;

fn status(app: &mut App, sid: &str, kind: &str) -> Vec<Action> {
    bus(
        app,
        "session.status",
        json!({"sessionID": sid, "status": {"type": kind}}),
    )
}

fn assistant(app: &mut App, sid: &str, id: &str, info: serde_json::Value) {
    let mut i = json!({"id": id, "sessionID": sid, "role": "assistant", "parentID": "msg_u1",
        "agent": "build", "time": {"created": NOW - 50_000}});
    for (k, v) in info.as_object().unwrap() {
        i[k] = v.clone();
    }
    bus(app, "message.updated", json!({ "info": i }));
}

/// The shown session `SID` working on its first prompt (`OTHER` exists too).
fn busy() -> App {
    let mut app = session_app(SID, NOW);
    for (id, title) in [(SID, "Main"), (OTHER, "Other")] {
        bus(
            &mut app,
            "session.updated",
            json!({"info": {"id": id, "title": title, "agent": "build"}}),
        );
    }
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_u1", "sessionID": SID, "role": "user", "time": {"created": NOW - 60_000}}}),
    );
    status(&mut app, SID, "busy");
    assistant(&mut app, SID, "msg_a1", json!({}));
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

/// The turn ends normally: the answer completes and the session goes idle.
fn finish(app: &mut App, msg: &str) -> Vec<Action> {
    assistant(
        app,
        SID,
        msg,
        json!({"finish": "stop", "time": {"created": NOW - 50_000, "completed": NOW}}),
    );
    status(app, SID, "idle")
}

fn last_note(app: &App) -> String {
    app.notes()
        .last()
        .map(|n| n.text().to_string())
        .unwrap_or_default()
}

fn prompts(actions: &[Action]) -> usize {
    actions
        .iter()
        .filter(|a| matches!(a, Action::Prompt { .. } | Action::RunCommand { .. }))
        .count()
}

#[test]
fn enter_while_busy_only_queues_and_the_end_of_the_turn_sends_it_once() {
    let mut app = busy();
    assert_eq!(
        enter(&mut app, "next task"),
        vec![],
        "nothing reaches the server yet"
    );
    assert!(draw_app(&app, 80, 24).contains("next task  (queued)"));
    assert_eq!(app.input_text(), "");
    assert_eq!(finish(&mut app, "msg_a1"), vec![prompt("next task")]);
    assert!(app.queued().is_empty());
    assert!(!draw_app(&app, 80, 24).contains("(queued)"));
    // Its own turn: busy, then idle again; nothing more is sent.
    status(&mut app, SID, "busy");
    assert_eq!(prompts(&finish(&mut app, "msg_a2")), 0);
    assert_eq!(app.input_text(), "");
}

#[test]
fn two_queued_prompts_go_one_per_turn_in_order() {
    let mut app = busy();
    assert_eq!(enter(&mut app, "first"), vec![], "nothing sent while busy");
    assert_eq!(enter(&mut app, "second"), vec![], "nothing sent while busy");
    assert_eq!(finish(&mut app, "msg_a1"), vec![prompt("first")]);
    status(&mut app, SID, "busy");
    assert_eq!(finish(&mut app, "msg_a2"), vec![prompt("second")]);
    status(&mut app, SID, "busy");
    assert_eq!(prompts(&finish(&mut app, "msg_a3")), 0);
}

#[test]
fn an_abort_gives_the_queued_prompt_back_and_sends_nothing() {
    let mut app = busy();
    assert_eq!(
        enter(&mut app, "then this"),
        vec![],
        "nothing sent while busy"
    );
    assert_eq!(
        app.handle_key(key(KeyCode::Esc)),
        vec![Action::Abort {
            session_id: SID.into()
        }]
    );
    assistant(
        &mut app,
        SID,
        "msg_a1",
        json!({"error": {"name": "MessageAbortedError", "data": {"message": "Aborted"}},
               "time": {"created": NOW - 50_000, "completed": NOW}}),
    );
    assert_eq!(prompts(&status(&mut app, SID, "idle")), 0);
    assert_eq!(app.input_text(), "then this");
    assert!(last_note(&app).contains("abort"), "{}", last_note(&app));
    assert!(app.queued().is_empty());
    // Enter sends it once, now that the session is idle.
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![prompt("then this")]
    );
}

#[test]
fn a_rejected_permission_gives_the_queued_prompt_back() {
    let mut app = busy();
    assert_eq!(
        enter(&mut app, "after the write"),
        vec![],
        "nothing sent while busy"
    );
    bus(
        &mut app,
        "permission.asked",
        json!({"id": "per_1", "sessionID": SID, "permission": "bash", "patterns": ["rm x"],
               "metadata": {}, "always": [], "tool": {"messageID": "msg_a1", "callID": "c1"}}),
    );
    bus(
        &mut app,
        "permission.replied",
        json!({"sessionID": SID, "requestID": "per_1", "reply": "reject"}),
    );
    // opencode ends the turn (the tool failed), with no error on the message.
    assert_eq!(prompts(&finish(&mut app, "msg_a1")), 0);
    assert_eq!(app.input_text(), "after the write");
    assert!(last_note(&app).contains("rejected"), "{}", last_note(&app));
    assert!(app.queued().is_empty());
}

#[test]
fn a_reject_inside_a_subagent_also_stops_its_parent_s_queue() {
    let mut app = busy();
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": "ses_child", "parentID": SID, "title": "sub"}}),
    );
    assert_eq!(enter(&mut app, "later"), vec![], "nothing sent while busy");
    bus(
        &mut app,
        "permission.replied",
        json!({"sessionID": "ses_child", "requestID": "per_9", "reply": "reject"}),
    );
    assert_eq!(prompts(&finish(&mut app, "msg_a1")), 0);
    assert_eq!(app.input_text(), "later");
}

#[test]
fn a_failed_turn_gives_the_queued_prompt_back() {
    let mut app = busy();
    assert_eq!(enter(&mut app, "more"), vec![], "nothing sent while busy");
    assistant(
        &mut app,
        SID,
        "msg_a1",
        json!({"error": {"name": "APIError", "data": {"message": "rate limited"}},
               "time": {"created": NOW - 50_000, "completed": NOW}}),
    );
    assert_eq!(prompts(&status(&mut app, SID, "idle")), 0);
    assert_eq!(app.input_text(), "more");
    assert!(last_note(&app).contains("failed"), "{}", last_note(&app));
}

#[test]
fn server_death_gives_it_back_and_a_restart_sends_nothing_by_itself() {
    let mut app = busy();
    assert_eq!(enter(&mut app, "queued"), vec![], "nothing sent while busy");
    let out = app.handle_input(UiInput::Connection(ConnectionState::ServerDied {
        message: "opencode serve exited".into(),
    }));
    assert_eq!(prompts(&out), 0);
    assert_eq!(app.input_text(), "queued");
    assert!(
        last_note(&app).contains("server died"),
        "{}",
        last_note(&app)
    );
    assert_eq!(
        app.handle_key(key(KeyCode::F(5))),
        vec![Action::RestartServer]
    );
    let out = app.handle_input(UiInput::Connection(ConnectionState::Connected));
    assert_eq!(prompts(&out), 0);
    assert_eq!(prompts(&status(&mut app, SID, "idle")), 0);
    assert_eq!(app.input_text(), "queued", "in the input once");
    assert_eq!(app.handle_key(key(KeyCode::Enter)), vec![prompt("queued")]);
}

#[test]
fn undo_while_busy_is_refused_and_the_queued_prompt_still_goes_once() {
    let mut app = busy();
    assert_eq!(enter(&mut app, "queued"), vec![], "nothing sent while busy");
    app.handle_key(ctrl('x'));
    app.handle_key(key(KeyCode::Char('u')));
    assert!(app.queued().len() == 1, "still queued");
    assert_eq!(app.input_text(), "");
    assert_eq!(finish(&mut app, "msg_a1"), vec![prompt("queued")]);
}

#[test]
fn a_session_switch_keeps_it_queued_for_its_session_and_sends_it_there_once() {
    let mut app = busy();
    assert_eq!(
        enter(&mut app, "for main"),
        vec![],
        "nothing sent while busy"
    );
    app.handle_input(UiInput::ShowSession(OTHER.into()));
    assert!(
        last_note(&app).contains("stays queued"),
        "{}",
        last_note(&app)
    );
    assert!(
        !draw_app(&app, 80, 24).contains("(queued)"),
        "not shown in the other session"
    );
    assert_eq!(app.input_text(), "");
    assert_eq!(finish(&mut app, "msg_a1"), vec![prompt("for main")]);
    app.handle_input(UiInput::ShowSession(SID.into()));
    assert!(app.queued().is_empty());
    assert_eq!(app.input_text(), "");
}

#[test]
fn a_prompt_the_server_refuses_when_finally_sent_comes_back_into_the_input() {
    let mut app = busy();
    assert_eq!(enter(&mut app, "queued"), vec![], "nothing sent while busy");
    assert_eq!(finish(&mut app, "msg_a1"), vec![prompt("queued")]);
    app.handle_input(UiInput::PromptFailed {
        session_id: SID.into(),
        text: "queued".into(),
        error: "connection refused".into(),
    });
    assert_eq!(app.input_text(), "queued");
}

#[test]
fn another_client_s_prompt_does_not_unqueue_ours() {
    let mut app = busy();
    assert_eq!(enter(&mut app, "mine"), vec![], "nothing sent while busy");
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_u9", "sessionID": SID, "role": "user", "time": {"created": NOW - 1000}}}),
    );
    assert_eq!(app.queued().len(), 1);
    assert_eq!(finish(&mut app, "msg_a1"), vec![prompt("mine")]);
}
