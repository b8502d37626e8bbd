//! The replay says what the live UI said (issue 8 §8): no `✗ error: Aborted` where live
//! showed "■ interrupted", no "(esc aborts)" hint, "no turns" for an empty session, Esc
//! does not quit (only `q` is documented), and a session with no event yet is not an
//! invitation to type a prompt.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::log::LogReader;
use ocw_tui::replay::{Flow, ReplayView, Timeline};
use ocw_tui::ui::testing::buffer_text;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::{json, Value};

const T0: u64 = 1_795_521_632_000;

/// One log line: `{"type","properties","ocw_time"}`.
fn line(t: u64, kind: &str, props: Value) -> String {
    json!({"type": kind, "properties": props, "ocw_time": T0 + t}).to_string()
}

fn replay(lines: &[String]) -> ReplayView {
    let text = lines.join("\n") + "\n";
    let reader = LogReader::new(std::io::Cursor::new(text.into_bytes()));
    ReplayView::new(Timeline::load(reader).unwrap(), 1.0, false)
}

fn draw(v: &ReplayView, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| v.render(f)).unwrap();
    buffer_text(t.backend().buffer())
}

fn press(v: &mut ReplayView, code: KeyCode) -> Flow {
    v.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn session(t: u64, id: &str) -> String {
    line(
        t,
        "session.created",
        json!({"sessionID": id, "info": {"id": id, "title": format!("title {id}")}}),
    )
}

/// A turn of `sid` aborted by the user: the answer carries MessageAbortedError and the
/// server sends `session.error` Aborted twice (as 1.18.33 does), then idle.
fn aborted_turn(sid: &str) -> Vec<String> {
    let aborted = json!({"name": "MessageAbortedError", "data": {"message": "Aborted"}});
    vec![
        session(0, sid),
        line(
            10,
            "message.updated",
            json!({"sessionID": sid, "info": {"id": "msg_u1", "sessionID": sid, "role": "user", "time": {"created": T0 + 10}}}),
        ),
        line(
            11,
            "message.part.updated",
            json!({"sessionID": sid, "part": {"id": "prt_u1", "messageID": "msg_u1", "sessionID": sid, "type": "text", "text": "slow"}}),
        ),
        line(
            12,
            "session.status",
            json!({"sessionID": sid, "status": {"type": "busy"}}),
        ),
        line(
            20,
            "message.updated",
            json!({"sessionID": sid, "info": {"id": "msg_a1", "sessionID": sid, "role": "assistant", "parentID": "msg_u1", "time": {"created": T0 + 20}}}),
        ),
        line(
            30,
            "message.part.updated",
            json!({"sessionID": sid, "part": {"id": "prt_a1", "messageID": "msg_a1", "sessionID": sid, "type": "text", "text": "tick0 tick1"}}),
        ),
        line(
            900,
            "message.updated",
            json!({"sessionID": sid, "info": {"id": "msg_a1", "sessionID": sid, "role": "assistant", "parentID": "msg_u1", "error": aborted, "time": {"created": T0 + 20, "completed": T0 + 900}}}),
        ),
        line(
            901,
            "session.error",
            json!({"sessionID": sid, "error": aborted}),
        ),
        line(
            902,
            "session.error",
            json!({"sessionID": sid, "error": aborted}),
        ),
        line(903, "session.idle", json!({"sessionID": sid})),
    ]
}

#[test]
fn an_aborted_turn_shows_interrupted_and_no_aborted_error() {
    let mut v = replay(&aborted_turn("ses_a"));
    press(&mut v, KeyCode::End);
    let screen = draw(&v, 80, 16);
    assert!(screen.contains("■ interrupted"), "{screen}");
    assert!(!screen.contains("✗ error"), "{screen}");
}

#[test]
fn a_working_session_has_no_esc_hint_in_replay() {
    let mut v = replay(&aborted_turn("ses_a"));
    press(&mut v, KeyCode::Char(' '));
    v.seek(6);
    let screen = draw(&v, 100, 16);
    assert!(screen.contains("working"), "{screen}");
    assert!(!screen.contains("esc aborts"), "{screen}");
}

#[test]
fn an_empty_session_has_no_turns() {
    let v = replay(&[
        session(0, "ses_empty"),
        line(
            5,
            "session.updated",
            json!({"sessionID": "ses_empty", "info": {"id": "ses_empty", "title": "empty"}}),
        ),
    ]);
    let screen = draw(&v, 100, 10);
    assert!(!screen.contains("turn 1/1"), "{screen}");
    assert!(screen.contains("no turns"), "{screen}");
}

#[test]
fn esc_does_not_quit_the_replay_and_q_does() {
    let mut v = replay(&aborted_turn("ses_a"));
    assert_eq!(press(&mut v, KeyCode::Esc), Flow::Continue);
    assert_eq!(press(&mut v, KeyCode::Char('q')), Flow::Quit);
}

#[test]
fn tab_to_a_session_before_its_first_event_does_not_ask_for_a_prompt() {
    let mut lines = aborted_turn("ses_a");
    lines.extend(aborted_turn("ses_b").into_iter().map(|l| {
        // The second session starts a second later.
        let mut v: Value = serde_json::from_str(&l).unwrap();
        v["ocw_time"] = json!(v["ocw_time"].as_u64().unwrap() + 1000);
        v.to_string()
    }));
    let mut v = replay(&lines);
    press(&mut v, KeyCode::Tab);
    let screen = draw(&v, 100, 12);
    assert!(screen.contains("session 2/2"), "{screen}");
    assert!(!screen.contains("type a prompt"), "{screen}");
    assert!(screen.contains("Nothing in this session yet"), "{screen}");
}
