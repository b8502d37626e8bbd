//! The side panel (F3, `/details`) and copy (`/copy`, Ctrl+X Y) on the app: what the panel
//! shows (todos, files changed from the user messages' `summary.diffs`, MCP, LSP, tokens
//! and cost), that it hides on narrow terminals, the keys, and the OSC 52 bytes queued
//! for the terminal. Snapshots of the panel, fed from a recorded fixture plus events.

use crossterm::event::KeyCode;
use ocw_tui::model::Event;
use ocw_tui::ui::side_panel::ServerStatus;
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, key, type_text};
use ocw_tui::ui::{Action, App, UiInput, UiOptions};

fn app() -> (App, String) {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/write_edit.jsonl");
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    let sid = app.session_id().unwrap().to_string();
    let user = app
        .store()
        .session(&sid)
        .unwrap()
        .messages
        .iter()
        .find(|m| m.role == ocw_tui::model::state::Role::User)
        .unwrap()
        .id
        .clone();
    let raw = |v: serde_json::Value| Event::parse(&v.to_string()).unwrap();
    app.handle_input(UiInput::Bus(raw(serde_json::json!({
        "type": "todo.updated",
        "properties": {"sessionID": sid, "todos": [
            {"content": "done item", "status": "completed", "priority": "medium"},
            {"content": "current item", "status": "in_progress", "priority": "medium"},
            {"content": "open item \u{1b}[31m", "status": "pending", "priority": "medium"}]}
    }))));
    app.handle_input(UiInput::Bus(raw(serde_json::json!({
        "type": "message.updated",
        "properties": {"sessionID": sid, "info": {"id": user, "sessionID": sid, "role": "user",
            "summary": {"diffs": [
                {"file": "notes.txt", "patch": "+a\n", "additions": 3, "deletions": 0, "status": "added"},
                {"file": "src/lib.rs", "patch": "-x\n+y\n", "additions": 1, "deletions": 1, "status": "modified"}]}}}
    }))));
    (app, sid)
}

fn servers() -> UiInput {
    UiInput::Servers {
        mcp: vec![
            ServerStatus {
                name: "mini".into(),
                status: "connected".into(),
                error: None,
            },
            ServerStatus {
                name: "broken".into(),
                status: "failed".into(),
                error: Some("ENOENT: no such file".into()),
            },
        ],
        lsp: vec![ServerStatus {
            name: "fake".into(),
            status: "connected".into(),
            error: None,
        }],
    }
}

#[test]
fn f3_opens_the_panel_and_asks_for_its_data() {
    let (mut app, sid) = app();
    assert!(!draw_app(&app, 120, 30).contains("Files changed"));
    let acts = app.handle_key(key(KeyCode::F(3)));
    assert_eq!(acts, vec![Action::FetchDetails { session_id: sid }]);
    app.handle_input(servers());
    let screen = draw_app(&app, 120, 30);
    assert!(screen.contains("Files changed"), "{screen}");
    assert!(screen.contains("notes.txt +3 -0"), "{screen}");
    assert!(screen.contains("src/lib.rs +1 -1"), "{screen}");
    assert!(screen.contains("▶ current item"), "{screen}");
    assert!(screen.contains("mini connected"), "{screen}");
    assert!(screen.contains("fake connected"), "{screen}");
    insta::assert_snapshot!("side_panel_120x30", screen);
    // F3 again closes it, and nothing is fetched.
    assert!(app.handle_key(key(KeyCode::F(3))).is_empty());
    assert!(!draw_app(&app, 120, 30).contains("Files changed"));
}

#[test]
fn details_command_toggles_the_panel() {
    let (mut app, sid) = app();
    let acts = type_text(&mut app, "/details");
    assert!(acts.is_empty());
    let acts = app.handle_key(key(KeyCode::Enter));
    assert_eq!(acts, vec![Action::FetchDetails { session_id: sid }]);
    assert!(draw_app(&app, 120, 30).contains("Todo"));
}

#[test]
fn the_panel_hides_on_a_narrow_terminal() {
    let (mut app, _) = app();
    app.handle_key(key(KeyCode::F(3)));
    app.handle_input(servers());
    let narrow = draw_app(&app, 90, 24);
    assert!(!narrow.contains("Files changed"), "{narrow}");
    insta::assert_snapshot!("side_panel_hidden_90x24", narrow);
}

#[test]
fn before_the_servers_answer_the_panel_says_it_waits() {
    let (mut app, _) = app();
    app.handle_key(key(KeyCode::F(3)));
    let screen = draw_app(&app, 110, 40);
    assert!(screen.contains("MCP"));
    assert!(screen.contains("…"));
}

#[test]
fn ctrl_x_y_and_copy_queue_osc52_of_the_last_answer() {
    let (mut app, sid) = app();
    let answer = app.store().session(&sid).unwrap().final_text();
    assert!(!answer.is_empty());
    assert!(app.handle_key(ctrl('x')).is_empty());
    let expected = ocw_tui::ui::runtime::clipboard::osc52(
        &answer,
        ocw_tui::ui::runtime::clipboard::Wrap::Plain,
    )
    .unwrap();
    assert_eq!(
        app.handle_key(key(KeyCode::Char('y'))),
        vec![Action::Copy(expected.clone())]
    );
    type_text(&mut app, "/copy");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::Copy(expected)]
    );
    assert!(app
        .notes()
        .last()
        .unwrap()
        .text()
        .starts_with("copied the last answer"));
}

#[test]
fn copy_over_the_limit_says_so_and_sends_nothing() {
    let (mut app, sid) = app();
    let big = "x".repeat(ocw_tui::ui::runtime::clipboard::MAX_BYTES + 1);
    let raw = serde_json::json!({"type": "message.part.updated", "properties": {"sessionID": sid,
        "part": {"id": "prt_zzzzbig", "sessionID": sid, "messageID": "msg_zzzzbig", "type": "text", "text": big}}});
    app.handle_input(UiInput::Bus(Event::MessageUpdated(
        ocw_tui::model::event::MessageInfo {
            id: "msg_zzzzbig".into(),
            session_id: Some(sid.clone()),
            role: "assistant".into(),
            ..Default::default()
        },
    )));
    app.handle_input(UiInput::Bus(Event::parse(&raw.to_string()).unwrap()));
    app.handle_key(ctrl('x'));
    assert!(app.handle_key(key(KeyCode::Char('y'))).is_empty());
    let note = &app.notes().last().unwrap();
    assert!(note.is_error());
    assert!(
        note.text().contains("over the 100 kB clipboard limit"),
        "{}",
        note.text()
    );
}

#[test]
fn export_asks_the_front_end_for_the_shown_session() {
    let (mut app, sid) = app();
    type_text(&mut app, "/export");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::Export {
            session_id: sid.clone(),
            path: None
        }]
    );
    type_text(&mut app, "/export notes/s.md");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::Export {
            session_id: sid,
            path: Some("notes/s.md".into())
        }]
    );
}

fn f6() -> crossterm::event::KeyEvent {
    key(KeyCode::F(6))
}

#[test]
fn enter_on_a_changed_file_shows_its_diff_and_esc_closes_it() {
    let (mut app, _) = app();
    app.handle_key(key(KeyCode::F(3)));
    app.handle_input(servers());
    // F6 gives the file list the keys: the first file is marked.
    assert!(app.handle_key(f6()).is_empty());
    let screen = draw_app(&app, 120, 30);
    assert!(screen.contains("▸ notes.txt"), "{screen}");
    // Down moves to the second file; Enter shows its diff over the transcript.
    app.handle_key(key(KeyCode::Down));
    assert!(draw_app(&app, 120, 30).contains("▸ src/lib.rs"));
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    let screen = draw_app(&app, 120, 30);
    assert!(screen.contains("src/lib.rs +1 -1"), "{screen}");
    assert!(screen.contains("Esc closes"), "{screen}");
    insta::assert_snapshot!("side_panel_file_diff_120x30", screen);
    // Esc closes the diff, the list keeps its focus; Esc again leaves the list.
    app.handle_key(key(KeyCode::Esc));
    let screen = draw_app(&app, 120, 30);
    assert!(!screen.contains("Esc closes"), "{screen}");
    assert!(screen.contains("▸ src/lib.rs"), "{screen}");
    app.handle_key(key(KeyCode::Esc));
    assert!(!draw_app(&app, 120, 30).contains("▸ "));
}

#[test]
fn typing_still_reaches_the_prompt_while_the_file_list_has_the_keys() {
    let (mut app, _) = app();
    app.handle_key(key(KeyCode::F(3)));
    app.handle_key(f6());
    type_text(&mut app, "hi");
    assert_eq!(app.input_text(), "hi");
    assert!(draw_app(&app, 120, 30).contains("▸ notes.txt"));
}

#[test]
fn a_diff_with_escape_sequences_is_shown_cleaned() {
    let (mut app, sid) = app();
    let user = app.store().session(&sid).unwrap().messages[0].id.clone();
    let raw = serde_json::json!({"type": "message.updated", "properties": {"sessionID": sid,
        "info": {"id": user, "sessionID": sid, "role": "user", "summary": {"diffs": [
            {"file": "evil.txt", "patch": "@@ -0,0 +1 @@\n+\u{1b}]0;pwned\u{7}x\n", "additions": 1, "deletions": 0}]}}}});
    app.handle_input(UiInput::Bus(Event::parse(&raw.to_string()).unwrap()));
    app.handle_key(key(KeyCode::F(3)));
    app.handle_key(f6());
    app.handle_key(key(KeyCode::Enter));
    let screen = draw_app(&app, 120, 30);
    assert!(screen.contains("evil.txt +1 -0"), "{screen}");
    assert!(!screen.contains('\u{1b}'), "{screen}");
}

#[test]
fn reverted_turns_are_left_out_of_the_file_list() {
    let (mut app, sid) = app();
    let user = app.store().session(&sid).unwrap().messages[0].id.clone();
    app.handle_key(key(KeyCode::F(3)));
    assert!(draw_app(&app, 120, 30).contains("notes.txt +3 -0"));
    // The session is reverted to its (only) user message: its changes are undone.
    let raw = serde_json::json!({"type": "session.updated", "properties": {"sessionID": sid,
        "info": {"id": sid, "title": "t", "directory": "/tmp", "time": {"created": 1, "updated": 2},
                 "revert": {"messageID": user}}}});
    app.handle_input(UiInput::Bus(Event::parse(&raw.to_string()).unwrap()));
    let screen = draw_app(&app, 120, 30);
    assert!(!screen.contains("notes.txt"), "{screen}");
    // F6 with nothing to browse says so.
    app.handle_key(f6());
    assert!(app
        .notes()
        .last()
        .unwrap()
        .text()
        .contains("no changed files"));
}

/// Issue 11 §7: the panel shows the context meter beside the cost, as the status bar does.
#[test]
fn the_panel_shows_how_full_the_context_is() {
    let (app, sid) = app();
    let s = app.store().session(&sid);
    let text = |lines: Vec<ratatui::text::Line<'static>>| {
        lines
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let with = text(ocw_tui::ui::side_panel::lines(
        app.side_panel(),
        s,
        Some(85),
        36,
    ));
    assert!(with.contains("context 85% full"), "{with}");
    let without = text(ocw_tui::ui::side_panel::lines(
        app.side_panel(),
        s,
        None,
        36,
    ));
    assert!(!without.contains("context"), "{without}");
}
