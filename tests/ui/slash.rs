//! The `/` completion popup and slash-line dispatch, and the `$EDITOR` request keys, on an
//! `App` fed from a recorded fixture (no terminal): the actions emitted, what the input
//! holds, and snapshots of the popup.

use crossterm::event::KeyCode;
use ocw_tui::model::command::ServerCommand;
use ocw_tui::model::event::SessionStatus;
use ocw_tui::model::Event;
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, key, type_text};
use ocw_tui::ui::{Action, App, UiInput, UiOptions};

fn server(name: &str, description: &str, source: &str, hints: &[&str]) -> ServerCommand {
    ServerCommand {
        name: name.into(),
        description: description.into(),
        source: source.into(),
        hints: hints.iter().map(|h| h.to_string()).collect(),
    }
}

fn app() -> App {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/hello.jsonl");
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    app.handle_input(UiInput::ServerCommands(vec![
        server("init", "guided AGENTS.md setup", "command", &["$ARGUMENTS"]),
        server("greet", "Greet someone by name", "command", &["$ARGUMENTS"]),
        server("stats", "Show project stats", "command", &[]),
        server("mini:review-pr", "Review a pull request", "mcp", &["$1"]),
        server(
            "customize-opencode",
            &"Use ONLY when the user is editing opencode's own configuration. ".repeat(8),
            "skill",
            &[],
        ),
    ]));
    app
}

fn popup_labels(app: &App) -> Vec<String> {
    app.slash_popup()
        .expect("the popup is open")
        .results()
        .map(|i| i.label.clone())
        .collect()
}

fn sid(app: &App) -> String {
    app.session_id().unwrap().to_string()
}

#[test]
fn slash_opens_the_popup_with_client_and_server_commands() {
    let mut app = app();
    assert!(app.slash_popup().is_none());
    type_text(&mut app, "/");
    let labels = popup_labels(&app);
    for l in [
        "/new",
        "/editor",
        "/quit",
        "/init",
        "/greet",
        "/mini:review-pr",
    ] {
        assert!(labels.contains(&l.to_string()), "{l} in {labels:?}");
    }
    insta::assert_snapshot!(draw_app(&app, 100, 24));
}

#[test]
fn typing_filters_and_tab_completes_the_name() {
    let mut app = app();
    type_text(&mut app, "/gr");
    assert_eq!(popup_labels(&app)[0], "/greet");
    insta::assert_snapshot!(draw_app(&app, 100, 24));
    assert!(app.handle_key(key(KeyCode::Tab)).is_empty());
    assert_eq!(app.input_text(), "/greet ");
    assert!(
        app.slash_popup().is_none(),
        "closed once the name is complete"
    );
    type_text(&mut app, "Alice and Bob");
    let out = app.handle_key(key(KeyCode::Enter));
    assert_eq!(
        out,
        vec![Action::RunCommand {
            session_id: sid(&app),
            command: "greet".into(),
            arguments: "Alice and Bob".into(),
            text: "/greet Alice and Bob".into(),
        }]
    );
    assert!(app.input_text().is_empty());
}

#[test]
fn enter_runs_a_command_without_arguments_and_completes_one_with() {
    let mut app = app();
    type_text(&mut app, "/stat");
    let out = app.handle_key(key(KeyCode::Enter));
    assert!(
        matches!(&out[..], [Action::RunCommand { command, arguments, .. }] if command == "stats" && arguments.is_empty()),
        "{out:?}"
    );
    // `/greet` takes $ARGUMENTS: Enter completes it, a second Enter runs it.
    type_text(&mut app, "/gree");
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.input_text(), "/greet ");
    // A client command runs at once.
    app.clear_input();
    type_text(&mut app, "/hel");
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    assert!(app.help_open(), "/help ran");
}

#[test]
fn arrows_move_in_the_popup_not_the_history_and_esc_closes_without_aborting() {
    let mut app = app();
    let id = sid(&app);
    app.handle_input(UiInput::Bus(Event::Status {
        session_id: id,
        status: SessionStatus::Busy,
    }));
    type_text(&mut app, "/");
    let first = app.slash_popup().unwrap().selected().unwrap().id.clone();
    app.handle_key(key(KeyCode::Down));
    let second = app.slash_popup().unwrap().selected().unwrap().id.clone();
    assert_ne!(first, second);
    assert_eq!(app.input_text(), "/");
    assert!(
        app.handle_key(key(KeyCode::Esc)).is_empty(),
        "Esc does not abort"
    );
    assert!(app.slash_popup().is_none());
    type_text(&mut app, "x");
    assert!(app.slash_popup().is_none(), "stays closed for this line");
}

#[test]
fn multi_line_arguments_are_sent_whole() {
    let mut app = app();
    type_text(&mut app, "/greet Alice");
    app.handle_key(ctrl('j'));
    type_text(&mut app, "and Bob");
    let out = app.handle_key(key(KeyCode::Enter));
    assert!(
        matches!(&out[..], [Action::RunCommand { arguments, .. }] if arguments == "Alice\nand Bob"),
        "{out:?}"
    );
}

#[test]
fn an_unknown_word_is_held_back_once_then_sent_as_text() {
    let mut app = app();
    type_text(&mut app, "/nosuch thing");
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.input_text(), "/nosuch thing", "kept in the input");
    let note = &app.notes().last().unwrap().text();
    assert!(
        note.contains("unknown command; Enter again sends it as text"),
        "{note}"
    );
    insta::assert_snapshot!(draw_app(&app, 100, 24));
    let out = app.handle_key(key(KeyCode::Enter));
    assert_eq!(
        out,
        vec![Action::Prompt {
            session_id: sid(&app),
            text: "/nosuch thing".into(),
            files: vec![],
            agents: vec![],
        }]
    );
}

#[test]
fn a_path_is_sent_at_once() {
    let mut app = app();
    type_text(&mut app, "/etc/hosts is it there?");
    let out = app.handle_key(key(KeyCode::Enter));
    assert!(
        matches!(&out[..], [Action::Prompt { text, files, .. }] if text == "/etc/hosts is it there?" && files.is_empty()),
        "{out:?}"
    );
    type_text(&mut app, "/README.md");
    assert!(matches!(
        &app.handle_key(key(KeyCode::Enter))[..],
        [Action::Prompt { .. }]
    ));
}

#[test]
fn a_busy_session_queues_the_command() {
    let mut app = app();
    let id = sid(&app);
    app.handle_input(UiInput::Bus(Event::Status {
        session_id: id.clone(),
        status: SessionStatus::Busy,
    }));
    type_text(&mut app, "/greet Carol");
    let out = app.handle_key(key(KeyCode::Enter));
    assert!(out.is_empty(), "queued here until the turn ends: {out:?}");
    assert_eq!(app.queued().len(), 1);
    assert_eq!(app.queued()[0].text(), "/greet Carol");
    let out = app.handle_input(UiInput::Bus(Event::Status {
        session_id: id.clone(),
        status: SessionStatus::Idle,
    }));
    assert!(matches!(&out[..], [Action::RunCommand { .. }]), "{out:?}");
    assert!(app.queued().is_empty());
}

#[test]
fn server_commands_arriving_late_fill_the_open_popup() {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/hello.jsonl");
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    type_text(&mut app, "/zz");
    assert!(popup_labels(&app).is_empty());
    app.handle_input(UiInput::ServerCommands(vec![server(
        "zzfix",
        "late",
        "command",
        &[],
    )]));
    assert_eq!(popup_labels(&app), vec!["/zzfix"]);
}

#[test]
fn ctrl_x_e_and_slash_editor_ask_for_the_editor() {
    let mut app = app();
    type_text(&mut app, "draft");
    assert!(app.handle_key(ctrl('x')).is_empty());
    assert_eq!(
        app.handle_key(key(KeyCode::Char('e'))),
        vec![Action::OpenEditor]
    );
    assert_eq!(app.input_text(), "draft", "the chord typed nothing");
    // Ctrl+X then another key: nothing (the key is swallowed, as in a chord).
    assert!(app.handle_key(ctrl('x')).is_empty());
    assert!(app.handle_key(key(KeyCode::Char('q'))).is_empty());
    assert_eq!(app.input_text(), "draft");
    app.clear_input();
    type_text(&mut app, "/editor start here");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::OpenEditor]
    );
    assert_eq!(app.input_text(), "start here");
}

/// F1 lists every client command of the table, with the key that does the same.
#[test]
fn the_help_lists_every_client_command_with_its_key() {
    let mut app = app();
    app.handle_key(key(KeyCode::F(1)));
    let screen = draw_app(&app, 100, 250);
    let keymap = ocw_tui::ui::keymap::Keymap::default();
    for c in ocw_tui::ui::commands::CLIENT_COMMANDS {
        let shown = match ocw_tui::ui::commands::key_of(c, &keymap) {
            Some(k) => format!("/{} · {k}", c.name),
            None => format!("/{} ", c.name),
        };
        assert!(screen.contains(&shown), "{shown} missing:\n{screen}");
    }
}

#[test]
fn ctrl_p_opens_a_palette_of_every_command_that_runs_the_chosen_one() {
    let mut app = app();
    assert!(app.handle_key(ctrl('p')).is_empty());
    let screen = draw_app(&app, 100, 30);
    assert!(
        screen.contains("Commands"),
        "the palette is drawn:\n{screen}"
    );
    assert!(
        screen.contains("/sessions"),
        "client commands listed:\n{screen}"
    );
    assert!(screen.contains("Ctrl+S"), "with their keys:\n{screen}");
    // Typed text filters the palette, never the prompt.
    type_text(&mut app, "stats");
    assert_eq!(app.input_text(), "");
    let screen = draw_app(&app, 100, 30);
    assert!(
        screen.contains("/stats"),
        "server commands listed:\n{screen}"
    );
    assert!(!screen.contains("/sessions"), "filtered:\n{screen}");
    // Enter on a server command puts it into the prompt to finish there.
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.input_text(), "/stats ");
    // A client command without arguments runs at once.
    app.clear_input();
    app.handle_key(ctrl('p'));
    type_text(&mut app, "new");
    let out = app.handle_key(key(KeyCode::Enter));
    assert!(out.contains(&Action::NewSession), "{out:?}");
    // Esc closes it and the prompt has the keys again.
    app.handle_key(ctrl('p'));
    app.handle_key(key(KeyCode::Esc));
    type_text(&mut app, "hi");
    assert_eq!(app.input_text(), "hi");
}

#[test]
fn a_palette_opened_before_the_servers_list_came_lists_it_once_it_has() {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/hello.jsonl");
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    app.handle_key(ctrl('p'));
    assert!(draw_app(&app, 100, 30).contains("loading"));
    app.handle_input(UiInput::ServerCommands(vec![server(
        "stats",
        "Show project stats",
        "command",
        &[],
    )]));
    type_text(&mut app, "stats");
    let screen = draw_app(&app, 100, 30);
    assert!(screen.contains("Show project stats"), "{screen}");
}
