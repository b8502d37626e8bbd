//! `--attach` to a server that is restarted mid-turn (issue 18): when the event stream
//! comes back, the resync brings the history without what streamed and says the session
//! is idle. The partial answer must stay, marked "■ interrupted" as the F5 path marks it;
//! a turn that really finished while the stream was away is not marked. Esc during a
//! provider retry leaves the same marker.

use crate::support::{bus, session_app};
use ocw_tui::ui::testing::draw_app;
use ocw_tui::ui::{App, ConnectionState, UiInput};
use serde_json::json;

const SID: &str = "ses_main";
const NOW: u64 = 1_000_000;

fn streaming() -> App {
    let mut a = session_app(SID, NOW);
    bus(
        &mut a,
        "session.updated",
        json!({"info": {"id": SID, "title": "Demo", "agent": "build"}}),
    );
    bus(
        &mut a,
        "message.updated",
        json!({"info": {"id": "msg_u1", "sessionID": SID, "role": "user", "time": {"created": NOW - 20_000}}}),
    );
    bus(
        &mut a,
        "message.part.updated",
        json!({"part": {"id": "prt_u1", "messageID": "msg_u1", "sessionID": SID, "type": "text", "text": "slow"}}),
    );
    status(&mut a, "busy");
    assistant(&mut a, json!({}));
    text(&mut a, "tick0 tick1 tick2 tick3");
    a
}

fn assistant(a: &mut App, extra: serde_json::Value) {
    let mut info = json!({"id": "msg_a1", "sessionID": SID, "role": "assistant", "parentID": "msg_u1", "agent": "build", "time": {"created": NOW - 19_000}});
    for (k, v) in extra.as_object().unwrap() {
        info[k] = v.clone();
    }
    bus(a, "message.updated", json!({ "info": info }));
}

fn text(a: &mut App, t: &str) {
    bus(
        a,
        "message.part.updated",
        json!({"part": {"id": "prt_a1", "messageID": "msg_a1", "sessionID": SID, "type": "text", "text": t}}),
    );
}

fn status(a: &mut App, kind: &str) {
    bus(
        a,
        "session.status",
        json!({"sessionID": SID, "status": {"type": kind}}),
    );
}

fn lose_and_reconnect(a: &mut App) {
    a.handle_input(UiInput::Connection(ConnectionState::Reconnecting {
        attempt: 1,
        error: "connection refused".into(),
    }));
    a.handle_input(UiInput::Connection(ConnectionState::Connected));
}

#[test]
fn a_restarted_server_s_resync_marks_the_partial_answer_interrupted() {
    let mut a = streaming();
    lose_and_reconnect(&mut a);
    // The restarted server's history: the answer without the streamed text, then idle.
    assistant(&mut a, json!({}));
    text(&mut a, "");
    status(&mut a, "idle");
    let screen = draw_app(&a, 100, 20);
    assert!(screen.contains("tick3"), "what streamed stays: {screen}");
    assert!(screen.contains("■ interrupted"), "{screen}");
    assert!(!screen.contains("working"), "{screen}");
}

#[test]
fn a_turn_that_finished_while_the_stream_was_away_is_not_marked() {
    let mut a = streaming();
    lose_and_reconnect(&mut a);
    assistant(
        &mut a,
        json!({"finish": "stop", "time": {"created": NOW - 19_000, "completed": NOW - 1_000}}),
    );
    text(&mut a, "tick0 tick1 tick2 tick3 tick4 done");
    status(&mut a, "idle");
    let screen = draw_app(&a, 100, 20);
    assert!(screen.contains("tick4 done"), "{screen}");
    assert!(!screen.contains("interrupted"), "{screen}");
}

/// Esc during a provider retry: the server goes idle without an aborted answer (there is
/// none yet); the turn still says "■ interrupted".
#[test]
fn esc_during_a_provider_retry_leaves_an_interrupted_marker() {
    use ocw_tui::ui::testing::key;
    let mut a = session_app(SID, NOW);
    bus(
        &mut a,
        "message.updated",
        json!({"info": {"id": "msg_u1", "sessionID": SID, "role": "user", "time": {"created": NOW - 20_000}}}),
    );
    bus(
        &mut a,
        "message.part.updated",
        json!({"part": {"id": "prt_u1", "messageID": "msg_u1", "sessionID": SID, "type": "text", "text": "hello"}}),
    );
    bus(
        &mut a,
        "session.status",
        json!({"sessionID": SID, "status": {"type": "retry", "attempt": 2, "message": "rate limited", "next": NOW + 5_000}}),
    );
    assert!(draw_app(&a, 100, 20).contains("rate limited"));
    let acts = a.handle_key(key(crossterm::event::KeyCode::Esc));
    assert!(!acts.is_empty(), "Esc aborts");
    status(&mut a, "idle");
    let screen = draw_app(&a, 100, 20);
    assert!(screen.contains("■ interrupted"), "{screen}");
    assert!(!screen.contains("rate limited"), "{screen}");
}

/// Esc during a provider retry as opencode 1.18.33 ends it: the empty answer of the retried
/// step is marked completed, with neither an error nor a finish reason, then the session
/// goes idle. The turn still says "■ interrupted".
#[test]
fn esc_during_a_retry_whose_empty_answer_the_server_completes_is_marked() {
    use ocw_tui::ui::testing::key;
    let mut a = session_app(SID, NOW);
    bus(
        &mut a,
        "message.updated",
        json!({"info": {"id": "msg_u1", "sessionID": SID, "role": "user", "time": {"created": NOW - 20_000}}}),
    );
    status(&mut a, "busy");
    assistant(&mut a, json!({}));
    bus(
        &mut a,
        "session.status",
        json!({"sessionID": SID, "status": {"type": "retry", "attempt": 1, "message": "scripted HTTP 429", "next": NOW + 2_000}}),
    );
    assert!(!a.handle_key(key(crossterm::event::KeyCode::Esc)).is_empty());
    assistant(
        &mut a,
        json!({"time": {"created": NOW - 19_000, "completed": NOW - 1_000}}),
    );
    status(&mut a, "idle");
    let screen = draw_app(&a, 100, 20);
    assert!(screen.contains("■ interrupted"), "{screen}");
    assert!(!screen.contains("scripted HTTP 429"), "{screen}");
}
