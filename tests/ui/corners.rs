//! Corners a new user tripped on (issue 18, "Wrong" 6, 8, 9, 10): what a subagent's
//! session shows and does with a prompt, the rename field, counts in the singular, a
//! permission type and the question tool's result in words, untitled sessions' names.

use crate::support::{bus, session_app};
use crossterm::event::KeyCode;
use ocw_tui::model::event::{SessionInfo, SessionTime};
use ocw_tui::ui::testing::{ctrl, draw_app, key, type_text};
use ocw_tui::ui::{Action, App, UiInput};
use serde_json::json;

/// 2026-12-06T20:31:16.323Z
const CREATED: u64 = 1_796_589_076_323;
const NOW: u64 = CREATED + 5 * 60_000;

fn session(app: &mut App, id: &str, parent: Option<&str>, title: &str) {
    bus(
        app,
        "session.updated",
        json!({"info": {"id": id, "parentID": parent, "title": title, "directory": "/p", "projectID": "x", "version": "1",
            "time": {"created": CREATED, "updated": CREATED}}}),
    );
}

fn user(app: &mut App, sid: &str, n: &str, agent: &str, text: &str) {
    let mid = format!("msg_{sid}_{n}");
    bus(
        app,
        "message.updated",
        json!({"info": {"id": mid, "sessionID": sid, "role": "user", "agent": agent}}),
    );
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": format!("prt_{sid}_{n}"), "messageID": mid, "sessionID": sid, "type": "text", "text": text}}),
    );
}

fn status_bar(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

/// ses_top (agent build) started ses_kid with the `explore` subagent.
fn with_subagent() -> App {
    let mut app = session_app("ses_top", NOW);
    session(&mut app, "ses_top", None, "Top session");
    session(
        &mut app,
        "ses_kid",
        Some("ses_top"),
        "look around (@explore subagent)",
    );
    user(&mut app, "ses_top", "1", "build", "look around");
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_a", "sessionID": "ses_top", "role": "assistant", "agent": "build"}}),
    );
    bus(
        &mut app,
        "message.part.updated",
        json!({"part": {"id": "prt_task", "messageID": "msg_a", "sessionID": "ses_top", "type": "tool", "tool": "task", "callID": "call_1",
            "state": {"status": "running", "input": {"description": "look around", "subagent_type": "explore", "prompt": "go"},
                "metadata": {"sessionId": "ses_kid"}}}}),
    );
    app
}

#[test]
fn a_subagents_session_shows_its_agent_and_refuses_a_prompt_with_a_note() {
    let mut app = with_subagent();
    assert!(status_bar(&draw_app(&app, 120, 12)).contains("build"));
    app.handle_input(UiInput::ShowSession("ses_kid".into()));
    let screen = draw_app(&app, 120, 12);
    let bar = status_bar(&screen);
    assert!(
        bar.contains("explore") && !bar.contains("build"),
        "the child's agent, not the parent's: {bar}"
    );
    assert!(screen.contains("subagent's session: read only"), "{screen}");
    // Typing there sends nothing; the text stays and a note says why and where to go.
    type_text(&mut app, "and also this");
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.input_text(), "and also this");
    let screen = draw_app(&app, 120, 12);
    assert!(screen.contains("not sent"), "{screen}");
    // Its own user message names the agent too (when the server sent it).
    user(&mut app, "ses_kid", "1", "explore", "go");
    assert!(status_bar(&draw_app(&app, 120, 12)).contains("explore"));
}

fn listed(id: &str, title: &str) -> SessionInfo {
    SessionInfo {
        id: id.into(),
        title: Some(title.into()),
        time: Some(SessionTime {
            created: CREATED as f64,
            updated: CREATED as f64,
        }),
        ..Default::default()
    }
}

#[test]
fn rename_keeps_the_old_title_and_the_field_scrolls_with_the_caret() {
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, "Fix the parser");
    app.handle_input(UiInput::Sessions(vec![listed("ses_a", "Fix the parser")]));
    app.handle_key(ctrl('s'));
    app.handle_key(ctrl('r'));
    // Typing appends to the old title (it is not selected and replaced).
    type_text(&mut app, " and the lexer, then the long tail ZZ");
    let screen = draw_app(&app, 100, 14);
    let top = screen
        .lines()
        .find(|l| l.contains("rename:"))
        .unwrap_or_default();
    assert!(
        top.contains("tail ZZ▏"),
        "the caret's end is in view: {screen}"
    );
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::RenameSession {
            session_id: "ses_a".into(),
            title: "Fix the parser and the lexer, then the long tail ZZ".into(),
        }]
    );
}

#[test]
fn untitled_sessions_show_a_local_time_then_their_first_words() {
    let title = "New session - 2026-12-06T20:31:16.323Z";
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, title);
    app.handle_input(UiInput::Sessions(vec![listed("ses_a", title)]));
    app.handle_key(ctrl('s'));
    let screen = draw_app(&app, 100, 12);
    assert!(!screen.contains("2026-12-06T20"), "{screen}");
    assert!(
        status_bar(&screen).contains("New session · 20:31"),
        "{screen}"
    );
    // A new session not in the listing yet: its first prompt's words.
    session(&mut app, "ses_new", None, title);
    user(
        &mut app,
        "ses_new",
        "1",
        "build",
        "refactor the greeter module please and add tests",
    );
    app.handle_input(UiInput::ShowSession("ses_new".into()));
    let screen = draw_app(&app, 100, 12);
    assert!(
        status_bar(&screen).contains("refactor the greeter module please and"),
        "{screen}"
    );
    assert!(!screen.contains("2026-12-06T20"), "{screen}");
}

#[test]
fn a_permission_outside_the_project_is_said_in_words() {
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, "Top");
    bus(
        &mut app,
        "permission.asked",
        json!({"id": "per_1", "sessionID": "ses_a", "permission": "external_directory",
            "patterns": ["/home/dev/other/*"], "metadata": {"filepath": "/home/dev/other/a.txt", "parentDir": "/home/dev/other"},
            "always": ["/home/dev/other/*"]}),
    );
    let screen = draw_app(&app, 100, 24);
    assert!(
        screen.contains("access outside the project: /home/dev/other"),
        "{screen}"
    );
    assert!(
        !screen.contains("Permission: external_directory"),
        "{screen}"
    );
}

#[test]
fn one_line_is_said_in_the_singular() {
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, "Top");
    user(&mut app, "ses_a", "1", "build", "think");
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_a", "sessionID": "ses_a", "role": "assistant", "agent": "build"}}),
    );
    bus(
        &mut app,
        "message.part.updated",
        json!({"part": {"id": "prt_r", "messageID": "msg_a", "sessionID": "ses_a", "type": "reasoning", "text": "one thought"}}),
    );
    let mut screen = draw_app(&app, 80, 12);
    if !screen.contains("▸ thinking") {
        app.view_mut().toggle_reasoning();
        screen = draw_app(&app, 80, 12);
    }
    assert!(screen.contains("thinking · 1 line "), "{screen}");
    assert!(!screen.contains("1 lines"), "{screen}");
}
