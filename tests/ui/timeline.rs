//! The timeline (issue 20 §3: `/timeline`, Ctrl+X G): the session's prompts newest first
//! with their time and the files each turn changed; Enter scrolls the transcript to the
//! prompt; `u` twice reverts to before it (the prompt back in the input); `f` forks before
//! it; `c` copies it.

use crate::support::{bus, enter, session_app};
use crossterm::event::KeyCode;
use ocw_tui::ui::testing::{ctrl, draw_app, key};
use ocw_tui::ui::{Action, App};
use serde_json::json;

const SID: &str = "ses_tl";
/// 2026-11-17 14:10 UTC: the pinned clock; the prompts are at 14:02 and 14:05.
const NOW: u64 = 1_795_356_600_000;

/// Two turns: the first changed src/cli.rs and its answer is long (off the screen once the
/// second turn is at the bottom); the second changed nothing.
fn two_turns() -> App {
    let mut app = session_app(SID, NOW);
    let prompts = [
        ("msg_1", "add a --verbose flag", NOW - 8 * 60_000),
        ("msg_3", "now write the tests", NOW - 5 * 60_000),
    ];
    for (i, (id, text, at)) in prompts.iter().enumerate() {
        let mut info = json!({"id": id, "sessionID": SID, "role": "user", "time": {"created": at}});
        if i == 0 {
            info["summary"] = json!({"diffs": [{"file": "src/cli.rs", "patch": "",
                "additions": 12, "deletions": 3, "status": "modified"}]});
        }
        bus(&mut app, "message.updated", json!({ "info": info }));
        bus(
            &mut app,
            "message.part.updated",
            json!({"part": {"id": format!("prt_{id}"), "messageID": id, "sessionID": SID, "type": "text", "text": text}}),
        );
        let answer = format!("msg_{}", 2 * i + 2);
        bus(
            &mut app,
            "message.updated",
            json!({"info": {"id": answer, "sessionID": SID, "role": "assistant", "parentID": id, "finish": "stop"}}),
        );
        let body = if i == 0 {
            (1..=60)
                .map(|n| format!("step {n} of the flag"))
                .collect::<Vec<_>>()
                .join("\n\n")
        } else {
            "Tests written.".to_string()
        };
        bus(
            &mut app,
            "message.part.updated",
            json!({"part": {"id": format!("prt_{answer}"), "messageID": answer, "sessionID": SID, "type": "text", "text": body}}),
        );
    }
    app
}

#[test]
fn the_timeline_lists_prompts_newest_first_with_time_and_files_and_enter_jumps() {
    let mut app = two_turns();
    let screen = draw_app(&app, 100, 30);
    assert!(
        !screen.contains("add a --verbose flag"),
        "scrolled off: {screen}"
    );
    assert!(enter(&mut app, "/timeline").is_empty());
    assert!(app.timeline_open());
    let screen = draw_app(&app, 100, 30);
    let newest = screen
        .find("now write the tests")
        .expect("second prompt listed");
    let oldest = screen
        .find("add a --verbose flag")
        .expect("first prompt listed");
    assert!(newest < oldest, "newest first: {screen}");
    assert!(screen.contains("14:05"), "{screen}");
    assert!(screen.contains("14:02 · 1 file: cli.rs +12 −3"), "{screen}");
    app.handle_key(key(KeyCode::Down));
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    assert!(!app.timeline_open());
    let screen = draw_app(&app, 100, 30);
    assert!(
        screen.contains("add a --verbose flag"),
        "jumped there: {screen}"
    );
    assert!(!screen.contains("Tests written."), "{screen}");
}

#[test]
fn u_twice_reverts_to_before_the_prompt_f_forks_c_copies() {
    let mut app = two_turns();
    // Ctrl+X G opens it, as opencode's <leader>g.
    app.handle_key(ctrl('x'));
    app.handle_key(key(KeyCode::Char('g')));
    assert!(app.timeline_open());
    draw_app(&app, 100, 30);
    app.handle_key(key(KeyCode::Down));
    // The first u only asks.
    assert!(app.handle_key(key(KeyCode::Char('u'))).is_empty());
    assert!(app.timeline_open());
    assert!(draw_app(&app, 100, 30).contains("u again reverts"));
    let out = app.handle_key(key(KeyCode::Char('u')));
    assert_eq!(
        out,
        vec![Action::Revert {
            session_id: SID.into(),
            message_id: "msg_1".into()
        }]
    );
    assert_eq!(
        app.input_text(),
        "add a --verbose flag",
        "the prompt is back"
    );
    // Moving between the two u's disarms the revert.
    let mut app = two_turns();
    enter(&mut app, "/timeline");
    app.handle_key(key(KeyCode::Char('u')));
    app.handle_key(key(KeyCode::Down));
    assert!(app.handle_key(key(KeyCode::Char('u'))).is_empty());
    assert!(app.timeline_open());
    // f forks before the selected prompt.
    let mut app = two_turns();
    enter(&mut app, "/timeline");
    let out = app.handle_key(key(KeyCode::Char('f')));
    assert_eq!(
        out,
        vec![Action::Fork {
            session_id: SID.into(),
            message_id: Some("msg_3".into())
        }]
    );
    // c copies it.
    let mut app = two_turns();
    enter(&mut app, "/timeline");
    let out = app.handle_key(key(KeyCode::Char('c')));
    assert!(matches!(&out[..], [Action::Copy(_)]), "{out:?}");
    assert!(draw_app(&app, 100, 30).contains("copied the prompt"));
}

/// A turn's changed files arrive a moment after it ends: the open timeline follows, the
/// selection kept.
#[test]
fn the_open_timeline_follows_the_session() {
    let mut app = two_turns();
    enter(&mut app, "/timeline");
    app.handle_key(key(KeyCode::Down));
    assert!(!draw_app(&app, 100, 30).contains("docs.md"));
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_3", "sessionID": SID, "role": "user",
            "time": {"created": NOW - 5 * 60_000},
            "summary": {"diffs": [{"file": "docs.md", "patch": "", "additions": 4, "deletions": 0}]}}}),
    );
    let screen = draw_app(&app, 100, 30);
    assert!(screen.contains("1 file: docs.md +4 −0"), "{screen}");
    // Still on the first prompt: u u reverts that one.
    app.handle_key(key(KeyCode::Char('u')));
    let out = app.handle_key(key(KeyCode::Char('u')));
    assert!(
        matches!(&out[..], [Action::Revert { message_id, .. }] if message_id == "msg_1"),
        "{out:?}"
    );
}
