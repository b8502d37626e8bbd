//! Another client drives the TUI (issue 19 §3: `POST /tui/*` as editor plugins call it,
//! arriving as `tui.*` bus events): text appended to the prompt (control characters
//! removed), every command name mapped onto our actions (dotted and older underscore
//! names), a toast drawn safe and gone after its duration, a session selected. Safety: with
//! a permission dialog up and armed, appended text and a submit never answer it, and a
//! command that would open a popup is refused with a note; a toast is never drawn over it.

use crate::support::{bus, session_app};
use ocw_tui::model::Event;
use ocw_tui::ui::testing::{app_from_events, draw_app, fixture_events};
use ocw_tui::ui::{Action, App, UiOptions};
use serde_json::json;

fn append(app: &mut App, text: &str) -> Vec<Action> {
    bus(app, "tui.prompt.append", json!({ "text": text }))
}

fn command(app: &mut App, name: &str) -> Vec<Action> {
    bus(app, "tui.command.execute", json!({ "command": name }))
}

fn last_note(app: &App) -> String {
    app.notes()
        .last()
        .map(|n| n.text().to_string())
        .unwrap_or_default()
}

#[test]
fn appended_text_lands_in_the_prompt_cleaned_and_submit_sends_it() {
    let mut app = session_app("ses_1", 1_795_521_700_000);
    ocw_tui::ui::testing::type_text(&mut app, "look at ");
    assert!(append(&mut app, "@src/a.rs#L10-20\u{1b}]52;c;eA==\u{7} please\r\n").is_empty());
    let text = app.input_text();
    assert_eq!(text, "look at @src/a.rs#L10-20]52;c;eA== please\n");
    let out = command(&mut app, "prompt.submit");
    match out.as_slice() {
        [Action::Prompt {
            session_id, text, ..
        }] => {
            assert_eq!(session_id, "ses_1");
            assert!(text.starts_with("look at @src/a.rs#L10-20"), "{text}");
        }
        other => panic!("expected one prompt, got {other:?}"),
    }
    assert_eq!(app.input_text(), "");
}

#[test]
fn every_command_name_does_what_its_key_does() {
    let mut app = session_app("ses_1", 1_795_521_700_000);
    assert_eq!(command(&mut app, "session.new"), vec![Action::NewSession]);
    assert_eq!(command(&mut app, "session_new"), vec![Action::NewSession]);
    append(&mut app, "draft");
    assert!(command(&mut app, "prompt.clear").is_empty());
    assert_eq!(app.input_text(), "");
    append(&mut app, "draft");
    command(&mut app, "input_clear");
    assert_eq!(app.input_text(), "", "the older name clears too");
    command(&mut app, "session.list");
    assert!(app.session_list().is_some(), "session.list opens the list");
    command(&mut app, "session.list");
    assert!(
        app.session_list().is_some(),
        "and a second one keeps it open"
    );
    let mut app = session_app("ses_1", 1_795_521_700_000);
    command(&mut app, "help.show");
    assert!(app.help_open());
    let mut app = session_app("ses_1", 1_795_521_700_000);
    command(&mut app, "theme.list");
    assert!(app.theme_picker_open(), "theme.list opens the theme picker");
    // model.list is F4: the same picker, or the same note before the catalog is known.
    let mut app = session_app("ses_1", 1_795_521_700_000);
    let mut f4 = session_app("ses_1", 1_795_521_700_000);
    command(&mut app, "model.list");
    f4.handle_key(ocw_tui::ui::testing::key(crossterm::event::KeyCode::F(4)));
    assert_eq!(app.model_picker_open(), f4.model_picker_open());
    assert_eq!(last_note(&app), last_note(&f4));
    assert!(app.model_picker_open() || !last_note(&app).is_empty());
    let mut app = session_app("ses_1", 1_795_521_700_000);
    command(&mut app, "session.share");
    assert!(
        last_note(&app).contains("does not share"),
        "{}",
        last_note(&app)
    );
    command(&mut app, "app.exit");
    assert!(
        last_note(&app).contains("\"app.exit\", which ocw-tui does not have"),
        "{}",
        last_note(&app)
    );
    // `/tui/execute-command` with a dotted name publishes no command at all.
    bus(&mut app, "tui.command.execute", json!({}));
    assert!(
        last_note(&app).contains("without a name"),
        "{}",
        last_note(&app)
    );
    // Busy: session.interrupt aborts as Esc does.
    bus(
        &mut app,
        "session.status",
        json!({"sessionID": "ses_1", "status": {"type": "busy"}}),
    );
    assert_eq!(
        command(&mut app, "session_interrupt"),
        vec![Action::Abort {
            session_id: "ses_1".into()
        }]
    );
    assert_eq!(
        bus(
            &mut app,
            "tui.session.select",
            json!({"sessionID": "ses_2"})
        ),
        vec![Action::SwitchSession("ses_2".into())]
    );
}

#[test]
fn a_toast_is_drawn_safe_and_goes_after_its_duration() {
    let mut app = session_app("ses_1", 1_795_521_700_000);
    bus(
        &mut app,
        "tui.toast.show",
        json!({"title": "Build\u{1b}[2J", "message": "all green\u{7}", "variant": "success", "duration": 60000}),
    );
    let screen = draw_app(&app, 100, 30);
    assert!(screen.contains("all green␇"), "{screen}");
    assert!(screen.contains("Build␛[2J"), "{screen}");
    bus(
        &mut app,
        "tui.toast.show",
        json!({"message": "short lived", "variant": "info", "duration": 1}),
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    let screen = draw_app(&app, 100, 30);
    assert!(!screen.contains("short lived"), "{screen}");
    assert!(
        !screen.contains("all green"),
        "replaced by the newer one:\n{screen}"
    );
}

const LOG: &str = "tests/fixtures/opencode-1.18.33/write_edit.jsonl";

/// The write_edit log up to its first `permission.replied`: a dialog is up, on screen for
/// long, its keys armed.
fn dialog_up() -> App {
    let events = fixture_events(LOG);
    let app = app_from_events(&events, UiOptions::default(), |e| {
        matches!(e, Event::PermissionReplied { .. })
    });
    assert!(app.active_request().is_some(), "a dialog is up");
    app
}

#[test]
fn nothing_another_client_sends_answers_a_waiting_dialog() {
    let mut app = dialog_up();
    let id = app.active_request().unwrap().id().to_string();
    let mut out = append(&mut app, "y");
    out.extend(append(&mut app, "a\n"));
    out.extend(command(&mut app, "prompt.submit"));
    for name in [
        "session.new",
        "model.list",
        "help.show",
        "session.list",
        "agent.cycle",
    ] {
        out.extend(command(&mut app, name));
        assert!(
            last_note(&app).contains("not while a dialog waits"),
            "{name}: {}",
            last_note(&app)
        );
    }
    out.extend(bus(
        &mut app,
        "tui.session.select",
        json!({"sessionID": "ses_x"}),
    ));
    assert!(
        !out.iter().any(|a| matches!(
            a,
            Action::ReplyPermission { .. }
                | Action::ReplyQuestion { .. }
                | Action::RejectQuestion { .. }
                | Action::NewSession
                | Action::SwitchSession(_)
        )),
        "{out:?}"
    );
    assert_eq!(app.active_request().map(|r| r.id().to_string()), Some(id));
    assert!(!app.help_open() && !app.model_picker_open() && app.session_list().is_none());
    // The toast waits under the dialog.
    bus(
        &mut app,
        "tui.toast.show",
        json!({"message": "from the editor", "variant": "info", "duration": 60000}),
    );
    let screen = draw_app(&app, 120, 40);
    assert!(!screen.contains("from the editor"), "{screen}");
}

#[test]
fn a_permission_answered_by_another_client_closes_the_dialog() {
    let mut app = dialog_up();
    let r = app.active_request().unwrap().clone();
    bus(
        &mut app,
        "permission.replied",
        json!({"sessionID": r.session_id(), "requestID": r.id(), "reply": "once"}),
    );
    assert!(app.active_request().is_none());
}
