//! Session actions on the UI side (issue 11 §1-§3), without a server: `/undo` and `/redo`
//! (Ctrl+X U / Ctrl+X R; Ctrl+Z is not undo) and the transcript hiding what a revert undid, `/compact` and its
//! divider, `/rename`, `/fork` and its picker, and the session list (filter, age groups,
//! rename, delete with confirm). Snapshots of each new surface.

use crate::support::ev;
use crossterm::event::KeyCode;
use ocw_tui::model::event::{SessionInfo, SessionStatus, SessionTime};
use ocw_tui::model::Event;
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, key, type_text};
use ocw_tui::ui::{Action, App, UiInput, UiOptions};

const DIR: &str = "tests/fixtures/opencode-1.18.33";
const U1: &str = "msg_20d6f0f7c001h7OcsrENkLMrh0";
const U3: &str = "msg_20d6f17fd00111FJtDc9ZT6edl";
/// The pinned clock of `app_from_events`.
const NOW: u64 = 1_795_521_700_000;

/// Three turns: "say hello", "please run / bash: ls", "say hello again".
fn three_turns() -> App {
    let events = fixture_events(&format!("{DIR}/multi_turn.jsonl"));
    app_from_events(&events, UiOptions::default(), |_| false)
}

fn sid(app: &App) -> String {
    app.session_id().unwrap().to_string()
}

/// The server's `session.updated` after a revert to `message_id` (None: unreverted).
fn reverted(app: &mut App, message_id: Option<&str>) {
    let id = sid(app);
    let mut info = serde_json::json!({"id": id, "title": "Three turns"});
    if let Some(m) = message_id {
        info["revert"] = serde_json::json!({"messageID": m, "snapshot": "abc"});
    }
    app.handle_input(UiInput::Bus(ev(
        "session.updated",
        serde_json::json!({"sessionID": id, "info": info}),
    )));
}

/// The leader key Ctrl+X, then `c`.
fn leader(app: &mut App, c: char) -> Vec<Action> {
    assert!(app.handle_key(ctrl('x')).is_empty());
    app.handle_key(key(KeyCode::Char(c)))
}

fn command(app: &mut App, line: &str) -> Vec<Action> {
    let mut out = type_text(app, line);
    out.extend(app.handle_key(key(KeyCode::Enter)));
    out
}

#[test]
fn undo_reverts_the_last_prompt_and_puts_it_back_into_the_input() {
    let mut app = three_turns();
    let id = sid(&app);
    let acts = command(&mut app, "/undo");
    assert_eq!(
        acts,
        vec![Action::Revert {
            session_id: id.clone(),
            message_id: U3.into(),
        }]
    );
    assert_eq!(app.input_text(), "say hello again");
    // The server says the session is reverted: the turn leaves the transcript.
    assert!(draw_app(&app, 80, 40).contains("say hello again"));
    app.clear_input();
    reverted(&mut app, Some(U3));
    let screen = draw_app(&app, 80, 40);
    assert!(!screen.contains("say hello again"), "{screen}");
    assert!(screen.contains("say hello"), "{screen}");
    // Repeated undo goes further back (the undone prompt is not undone twice).
    let acts = leader(&mut app, 'u');
    assert_eq!(
        acts,
        vec![Action::Revert {
            session_id: id,
            message_id: "msg_20d6f1660001n2A6xX7adXSJF5".into(),
        }]
    );
    assert_eq!(app.input_text(), "please run\nbash: ls");
}

#[test]
fn redo_unreverts_and_takes_the_prompt_out_of_the_input() {
    let mut app = three_turns();
    let id = sid(&app);
    assert!(leader(&mut app, 'r').is_empty());
    assert!(draw_app(&app, 80, 40).contains("nothing to redo"));
    leader(&mut app, 'u');
    reverted(&mut app, Some(U3));
    assert_eq!(
        leader(&mut app, 'r'),
        vec![Action::Unrevert {
            session_id: id.clone()
        }]
    );
    assert!(
        app.input_text().is_empty(),
        "the prompt /undo gave back is gone"
    );
    reverted(&mut app, None);
    assert!(draw_app(&app, 80, 40).contains("say hello again"));
}

#[test]
fn ctrl_z_and_ctrl_y_neither_undo_nor_redo_a_turn() {
    let mut app = three_turns();
    assert_eq!(
        app.handle_key(ctrl('z')),
        vec![Action::Suspend],
        "Ctrl+Z suspends and reverts nothing"
    );
    assert!(app.input_text().is_empty());
    reverted(&mut app, Some(U3));
    assert!(
        app.handle_key(ctrl('y')).is_empty(),
        "Ctrl+Y redoes nothing"
    );
}

#[test]
fn two_undos_then_a_redo_leave_neither_undone_prompt_in_the_input() {
    let mut app = three_turns();
    type_text(&mut app, "my draft");
    leader(&mut app, 'u');
    reverted(&mut app, Some(U3));
    leader(&mut app, 'u');
    reverted(&mut app, Some("msg_20d6f1660001n2A6xX7adXSJF5"));
    assert_eq!(
        app.input_text(),
        "please run\nbash: ls\nsay hello again\nmy draft"
    );
    assert!(!leader(&mut app, 'r').is_empty());
    assert_eq!(app.input_text(), "my draft", "only what was typed stays");
    // Without a draft the input is empty.
    let mut app = three_turns();
    leader(&mut app, 'u');
    reverted(&mut app, Some(U3));
    leader(&mut app, 'u');
    reverted(&mut app, Some("msg_20d6f1660001n2A6xX7adXSJF5"));
    leader(&mut app, 'r');
    assert!(app.input_text().is_empty(), "{:?}", app.input_text());
}

#[test]
fn undo_and_redo_wait_for_the_turn_to_end() {
    let mut app = three_turns();
    let id = sid(&app);
    app.handle_input(UiInput::Bus(Event::Status {
        session_id: id,
        status: SessionStatus::Busy,
    }));
    assert!(leader(&mut app, 'u').is_empty());
    assert!(app.input_text().is_empty());
    assert!(draw_app(&app, 100, 40).contains("cannot undo while the session works"));
}

#[test]
fn the_revert_survives_a_resync_and_reverting_to_the_first_prompt_empties_the_transcript() {
    let mut app = three_turns();
    reverted(&mut app, Some(U1));
    // A resync refetches the session: the same info, the same hiding.
    reverted(&mut app, Some(U1));
    insta::assert_snapshot!("reverted_to_the_first_prompt", draw_app(&app, 80, 16));
}

#[test]
fn compact_rename_and_their_arguments() {
    let mut app = three_turns();
    let id = sid(&app);
    assert_eq!(
        command(&mut app, "/compact"),
        vec![Action::Compact {
            session_id: id.clone(),
            model: Some("mock/mock-model".into()),
        }]
    );
    assert_eq!(
        command(&mut app, "/rename  A better title "),
        vec![Action::RenameSession {
            session_id: id,
            title: "A better title".into(),
        }]
    );
    // `/rename` takes an argument: the first Enter completes it in the `/` popup, the
    // second runs it without one, which only says how to use it.
    assert!(command(&mut app, "/rename").is_empty());
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    assert!(draw_app(&app, 100, 40).contains("usage: /rename NEW TITLE"));
}

#[test]
fn a_compaction_shows_as_a_divider_above_the_summary() {
    let mut app = three_turns();
    let id = sid(&app);
    let user = "msg_30000000000000000000000001";
    let summary = "msg_30000000000000000000000002";
    for (kind, props) in [
        (
            "message.updated",
            serde_json::json!({"sessionID": id, "info": {"id": user, "sessionID": id, "role": "user", "time": {"created": 1}}}),
        ),
        (
            "message.part.updated",
            serde_json::json!({"sessionID": id, "part": {"id": "prt_c1", "messageID": user, "sessionID": id, "type": "compaction", "auto": false}}),
        ),
        (
            "message.updated",
            serde_json::json!({"sessionID": id, "info": {"id": summary, "sessionID": id, "role": "assistant", "parentID": user, "summary": true, "mode": "compaction", "time": {"created": 2, "completed": 3}}}),
        ),
        (
            "message.part.updated",
            serde_json::json!({"sessionID": id, "part": {"id": "prt_c2", "messageID": summary, "sessionID": id, "type": "text", "text": "We said hello and listed files."}}),
        ),
    ] {
        app.handle_input(UiInput::Bus(ev(kind, props)));
    }
    insta::assert_snapshot!("compaction_divider", draw_app(&app, 80, 14));
}

#[test]
fn fork_picker_lists_the_prompts_and_forks_before_the_chosen_one() {
    let mut app = three_turns();
    let id = sid(&app);
    assert!(command(&mut app, "/fork").is_empty());
    insta::assert_snapshot!("fork_picker", draw_app(&app, 80, 20));
    // Whole session first, then the prompts newest first: Down twice = "please run".
    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Down));
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::Fork {
            session_id: id.clone(),
            message_id: Some("msg_20d6f1660001n2A6xX7adXSJF5".into()),
        }]
    );
    assert_eq!(app.input_text(), "please run\nbash: ls");
    assert!(!app.fork_picker_open());
    app.clear_input();
    command(&mut app, "/fork");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::Fork {
            session_id: id,
            message_id: None,
        }]
    );
    command(&mut app, "/fork");
    app.handle_key(key(KeyCode::Esc));
    assert!(!app.fork_picker_open());
}

fn listed(id: &str, title: &str, ago_ms: u64) -> SessionInfo {
    SessionInfo {
        id: id.into(),
        title: Some(title.into()),
        time: Some(SessionTime {
            created: 0.0,
            updated: (NOW - ago_ms) as f64,
        }),
        ..Default::default()
    }
}

/// The shown session first (newest), then others of today and earlier.
fn with_list() -> App {
    let mut app = three_turns();
    let id = sid(&app);
    app.handle_input(UiInput::Sessions(vec![
        listed(&id, "Three turns", 30_000),
        listed("ses_b", "Fix the parser", 3 * 3_600_000),
        listed("ses_c", "Write the README", 26 * 3_600_000),
        listed("ses_d", "Parser benchmarks", 9 * 86_400_000),
    ]));
    app.handle_key(ctrl('s'));
    app
}

#[test]
fn the_list_shows_ages_grouped_and_filters_by_title() {
    let mut app = with_list();
    insta::assert_snapshot!("session_list_groups", draw_app(&app, 90, 14));
    type_text(&mut app, "PARSER");
    let screen = draw_app(&app, 90, 14);
    assert!(!screen.contains("README"), "{screen}");
    insta::assert_snapshot!("session_list_filtered", screen);
    // Enter opens the first match; Esc first clears the filter, then closes.
    app.handle_key(key(KeyCode::Backspace));
    assert_eq!(app.session_list_filter().unwrap(), "PARSE");
    app.handle_key(key(KeyCode::Esc));
    assert!(app.session_list_filter().unwrap().is_empty());
    app.handle_key(key(KeyCode::Esc));
    assert!(app.session_list_filter().is_none());
    app.handle_key(ctrl('s'));
    type_text(&mut app, "bench");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::SwitchSession("ses_d".into())]
    );
}

#[test]
fn the_list_renames_on_its_top_line() {
    let mut app = with_list();
    app.handle_key(key(KeyCode::Down));
    app.handle_key(ctrl('r'));
    for _ in 0.."parser".len() {
        app.handle_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "lexer");
    insta::assert_snapshot!("session_list_rename", draw_app(&app, 90, 14));
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::RenameSession {
            session_id: "ses_b".into(),
            title: "Fix the lexer".into(),
        }]
    );
}

#[test]
fn delete_asks_first_and_the_shown_session_is_replaced() {
    let mut app = with_list();
    let id = sid(&app);
    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Delete));
    insta::assert_snapshot!("session_list_confirm_delete", draw_app(&app, 90, 14));
    assert!(app.handle_key(key(KeyCode::Char('n'))).is_empty());
    app.handle_key(key(KeyCode::Delete));
    assert_eq!(
        app.handle_key(key(KeyCode::Char('y'))),
        vec![Action::DeleteSession {
            session_id: "ses_b".into(),
            busy: false,
        }]
    );
    // The shown one: deleted, then the next session is shown.
    app.handle_key(key(KeyCode::Up));
    app.handle_key(key(KeyCode::Delete));
    assert_eq!(
        app.handle_key(key(KeyCode::Char('y'))),
        vec![
            Action::DeleteSession {
                session_id: id,
                busy: false,
            },
            Action::SwitchSession("ses_b".into()),
        ]
    );
}

#[test]
fn a_running_session_is_deleted_only_after_a_second_warning() {
    let mut app = with_list();
    let id = sid(&app);
    app.handle_input(UiInput::Bus(Event::Status {
        session_id: id.clone(),
        status: SessionStatus::Busy,
    }));
    app.handle_key(key(KeyCode::Delete));
    assert!(app.handle_key(key(KeyCode::Char('y'))).is_empty());
    let screen = draw_app(&app, 120, 14);
    assert!(screen.contains("is running: y again stops it"), "{screen}");
    let acts = app.handle_key(key(KeyCode::Char('y')));
    assert_eq!(
        acts[0],
        Action::DeleteSession {
            session_id: id,
            busy: true,
        }
    );
}

/// Issue 18: Alt+P pins the session under the cursor: it moves to the top under "Pinned"
/// (the cursor with it), the backend is asked to keep it, Alt+P again unpins; a start with
/// a pin kept shows it first, also when filtering.
#[test]
fn alt_p_pins_a_session_first_and_a_kept_pin_is_first_at_the_next_start() {
    let mut app = with_list();
    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Down));
    let alt_p =
        crossterm::event::KeyEvent::new(KeyCode::Char('p'), crossterm::event::KeyModifiers::ALT);
    assert_eq!(
        app.handle_key(alt_p),
        vec![Action::PinSession {
            session_id: "ses_c".into(),
            pinned: true
        }]
    );
    let screen = draw_app(&app, 90, 14);
    let at = |s: &str| screen.find(s).unwrap_or_else(|| panic!("{s}:\n{screen}"));
    assert!(at("Pinned") < at("Write the README"), "{screen}");
    assert!(at("Write the README") < at("Today"), "{screen}");
    assert!(at("Today") < at("Three turns"), "{screen}");
    assert_eq!(
        app.session_list_filter(),
        Some(""),
        "Alt+P is no filter text"
    );
    // The cursor followed the row: Enter opens it.
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::SwitchSession("ses_c".into())]
    );
    app.handle_key(ctrl('s'));
    // The pinned row is the first: Up to it.
    for _ in 0..3 {
        app.handle_key(key(KeyCode::Up));
    }
    let acts = app.handle_key(alt_p);
    assert!(
        matches!(&acts[..], [Action::PinSession { pinned: false, session_id }] if session_id == "ses_c"),
        "{acts:?}"
    );
    assert!(!draw_app(&app, 90, 14).contains("Pinned"));

    // The next start, with "Parser benchmarks" pinned: first, also in a filter.
    let events = fixture_events(&format!("{DIR}/multi_turn.jsonl"));
    let opts = UiOptions {
        pinned_sessions: vec!["ses_d".into(), "ses_elsewhere".into()],
        ..UiOptions::default()
    };
    let mut app = app_from_events(&events, opts, |_| false);
    let id = sid(&app);
    app.handle_input(UiInput::Sessions(vec![
        listed(&id, "Three turns", 30_000),
        listed("ses_b", "Fix the parser", 3 * 3_600_000),
        listed("ses_d", "Parser benchmarks", 9 * 86_400_000),
    ]));
    app.handle_key(ctrl('s'));
    type_text(&mut app, "parser");
    let screen = draw_app(&app, 90, 14);
    let at = |s: &str| screen.find(s).unwrap_or_else(|| panic!("{s}:\n{screen}"));
    assert!(at("Pinned") < at("Parser benchmarks"), "{screen}");
    assert!(at("Parser benchmarks") < at("Fix the parser"), "{screen}");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::SwitchSession("ses_d".into())]
    );
}
