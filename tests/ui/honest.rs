//! The UI must not lie (issue 8 §2, §4, §8): a dead server leaves no "working" on screen,
//! marks the cut answer interrupted and keeps what streamed; a prompt the user typed never
//! vanishes; notes wrap; an old error stays with its turn; the timer, the turn footer, the
//! subagent cell, the focus colours, the "more lines" marker and the mouse toggle.

use crate::support::{bus, session_app};
use crossterm::event::KeyCode;
use ocw_tui::ui::testing::{draw_app, key, type_text};
use ocw_tui::ui::{Action, App, ConnectionState, UiInput};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::json;
use std::time::Instant;

const SID: &str = "ses_main";
const NOW: u64 = 1_000_000;

fn app() -> App {
    let mut app = session_app(SID, NOW);
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": SID, "title": "Demo", "agent": "build"}}),
    );
    app
}

fn user(app: &mut App, id: &str, text: &str, created: u64) {
    bus(
        app,
        "message.updated",
        json!({"info": {"id": id, "sessionID": SID, "role": "user", "time": {"created": created}}}),
    );
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": format!("{id}_p"), "messageID": id, "sessionID": SID, "type": "text", "text": text}}),
    );
}

fn assistant(app: &mut App, id: &str, parent: &str, info: serde_json::Value) {
    let mut i = json!({"id": id, "sessionID": SID, "role": "assistant", "parentID": parent, "agent": "build"});
    for (k, v) in info.as_object().unwrap() {
        i[k] = v.clone();
    }
    bus(app, "message.updated", json!({ "info": i }));
}

fn text(app: &mut App, msg: &str, part: &str, text: &str) {
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": part, "messageID": msg, "sessionID": SID, "type": "text", "text": text}}),
    );
}

fn status(app: &mut App, sid: &str, kind: &str) {
    bus(
        app,
        "session.status",
        json!({"sessionID": sid, "status": {"type": kind}}),
    );
}

/// A turn streaming "tick0 … tick5" (not finished).
fn streaming() -> App {
    let mut a = app();
    user(&mut a, "msg_u1", "slow", NOW - 56_000);
    status(&mut a, SID, "busy");
    assistant(
        &mut a,
        "msg_a1",
        "msg_u1",
        json!({"time": {"created": NOW - 55_000}}),
    );
    text(
        &mut a,
        "msg_a1",
        "prt_a1",
        "tick0 tick1 tick2 tick3 tick4 tick5",
    );
    a
}

fn died(a: &mut App) {
    a.handle_input(UiInput::Connection(ConnectionState::ServerDied {
        message: "opencode serve exited (signal: 9 (SIGKILL))".into(),
    }));
}

fn note(a: &App) -> String {
    a.current_note(Instant::now())
        .map(|n| n.text().to_string())
        .unwrap_or_default()
}

#[test]
fn a_dead_server_leaves_no_working_and_marks_the_cut_answer_interrupted() {
    let mut a = streaming();
    assert!(draw_app(&a, 100, 20).contains("working 56s"));
    died(&mut a);
    let screen = draw_app(&a, 100, 20);
    assert!(screen.contains("tick5"), "{screen}");
    assert!(screen.contains("■ interrupted"), "{screen}");
    assert!(!screen.contains("working"), "{screen}");
    assert!(screen.contains("server down"), "prompt title: {screen}");
    assert_eq!(
        screen.matches("F5").count(),
        2,
        "title and status: {screen}"
    );
    // F5: the restarted server sends the history back without the streamed text (it was
    // never saved) and says the session is idle. What was shown stays, marked.
    a.handle_input(UiInput::Connection(ConnectionState::Connected));
    assistant(
        &mut a,
        "msg_a1",
        "msg_u1",
        json!({"time": {"created": NOW - 55_000}}),
    );
    text(&mut a, "msg_a1", "prt_a1", "");
    status(&mut a, SID, "idle");
    let screen = draw_app(&a, 100, 20);
    assert!(screen.contains("tick5"), "{screen}");
    assert!(screen.contains("■ interrupted"), "{screen}");
    assert!(screen.contains("interrupted · ready"), "{screen}");
}

#[test]
fn enter_while_the_server_is_dead_keeps_the_prompt_in_the_input() {
    let mut a = streaming();
    died(&mut a);
    type_text(&mut a, "while dead");
    assert_eq!(a.handle_key(key(KeyCode::Enter)), vec![]);
    assert_eq!(a.input_text(), "while dead");
    assert!(note(&a).contains("F5"), "{}", note(&a));
}

#[test]
fn a_queued_prompt_comes_back_into_the_input_when_the_server_dies() {
    let mut a = streaming();
    type_text(&mut a, "next task");
    let acts = a.handle_key(key(KeyCode::Enter));
    assert!(acts.is_empty(), "queued until the turn ends: {acts:?}");
    died(&mut a);
    assert_eq!(a.input_text(), "next task");
    assert!(note(&a).contains("back in the input"), "{}", note(&a));
    assert!(!draw_app(&a, 100, 20).contains("(queued)"));
}

#[test]
fn a_prompt_the_server_refused_comes_back_into_the_input() {
    let mut a = streaming();
    type_text(&mut a, "next task");
    a.handle_key(key(KeyCode::Enter));
    a.handle_input(UiInput::PromptFailed {
        session_id: SID.into(),
        text: "next task".into(),
        error: "connection refused".into(),
    });
    assert_eq!(a.input_text(), "next task");
    assert!(note(&a).contains("connection refused"), "{}", note(&a));
    assert!(!draw_app(&a, 100, 20).contains("(queued)"));
}

#[test]
fn esc_says_so_when_the_abort_drops_a_queued_prompt_and_aborting_goes_away() {
    let mut a = streaming();
    // The server took the queued prompt (its user message exists) but has not begun it.
    user(&mut a, "msg_u2", "then this", NOW - 10_000);
    let acts = a.handle_key(key(KeyCode::Esc));
    assert_eq!(
        acts,
        vec![Action::Abort {
            session_id: SID.into()
        }]
    );
    assert_eq!(note(&a), "aborting…");
    assistant(
        &mut a,
        "msg_a1",
        "msg_u1",
        json!({"error": {"name": "MessageAbortedError", "data": {"message": "Aborted"}},
               "time": {"created": NOW - 55_000, "completed": NOW}}),
    );
    status(&mut a, SID, "idle");
    let screen = draw_app(&a, 100, 20);
    assert!(screen.contains("■ interrupted"), "{screen}");
    assert!(!screen.contains("aborting"), "{screen}");
    assert_eq!(a.input_text(), "then this");
    assert!(note(&a).contains("back in the input"), "{}", note(&a));
}

#[test]
fn a_long_note_wraps_instead_of_being_cut_at_the_edge() {
    let mut a = app();
    a.handle_input(UiInput::Note {
        text: "cannot send the prompt: error sending request for url (http://127.0.0.1:4096/session): is it running, and is the password right?".into(),
        error: true,
    });
    let screen = draw_app(&a, 60, 20);
    assert!(screen.contains("password right?"), "{screen}");
}

#[test]
fn the_working_timer_does_not_restart_when_a_queued_prompt_starts() {
    let mut a = streaming();
    assistant(
        &mut a,
        "msg_a1",
        "msg_u1",
        json!({"finish": "stop", "time": {"created": NOW - 55_000, "completed": NOW - 6_000}}),
    );
    // The queued prompt starts 5 s ago; the session never went idle.
    user(&mut a, "msg_u2", "then this", NOW - 5_000);
    let screen = draw_app(&a, 100, 20);
    assert!(screen.contains("working 56s"), "{screen}");
}

#[test]
fn an_old_error_stays_with_its_turn() {
    let mut a = app();
    let err =
        json!({"name": "APIError", "data": {"message": "mock provider rejected the request"}});
    user(&mut a, "msg_u1", "error", NOW - 30_000);
    assistant(
        &mut a,
        "msg_a1",
        "msg_u1",
        json!({"error": err, "time": {"created": NOW - 29_000, "completed": NOW - 29_000}}),
    );
    bus(
        &mut a,
        "session.error",
        json!({"sessionID": SID, "error": err}),
    );
    for (i, t) in [(2, "second answer"), (3, "third answer")] {
        user(
            &mut a,
            &format!("msg_u{i}"),
            "again",
            NOW - 20_000 + i * 1000,
        );
        let id = format!("msg_a{i}");
        assistant(
            &mut a,
            &id,
            &format!("msg_u{i}"),
            json!({"finish": "stop", "time": {"created": NOW - 19_000 + i * 1000, "completed": NOW - 18_000 + i * 1000}}),
        );
        text(&mut a, &id, &format!("prt_{i}"), t);
    }
    let screen = draw_app(&a, 100, 40);
    assert_eq!(
        screen.matches("mock provider rejected").count(),
        1,
        "{screen}"
    );
    let error_at = screen.find("mock provider rejected").unwrap();
    assert!(error_at < screen.find("third answer").unwrap(), "{screen}");
}

#[test]
fn the_turn_footer_shows_the_turns_wall_time() {
    let mut a = app();
    user(&mut a, "msg_u1", "bash: ls", NOW - 10_000);
    // First step asked a permission (the user took 8 s), the last one took 0.1 s.
    assistant(
        &mut a,
        "msg_a1",
        "msg_u1",
        json!({"finish": "tool-calls", "time": {"created": NOW - 9_900, "completed": NOW - 200}}),
    );
    assistant(
        &mut a,
        "msg_a2",
        "msg_u1",
        json!({"finish": "stop", "modelID": "mock-model", "providerID": "mock", "time": {"created": NOW - 100, "completed": NOW}}),
    );
    text(&mut a, "msg_a2", "prt_2", "done");
    let screen = draw_app(&a, 100, 20);
    assert!(screen.contains("▣ build · mock-model · 10.0s"), "{screen}");
}

fn task_app(child_events: bool) -> App {
    let mut a = app();
    user(&mut a, "msg_u1", "delegate", NOW - 5_000);
    status(&mut a, SID, "busy");
    assistant(
        &mut a,
        "msg_a1",
        "msg_u1",
        json!({"time": {"created": NOW - 4_000}}),
    );
    bus(
        &mut a,
        "session.created",
        json!({"info": {"id": "ses_child", "parentID": SID, "title": "Explore (@explore subagent)"}}),
    );
    bus(
        &mut a,
        "message.part.updated",
        json!({"part": {"id": "prt_t", "messageID": "msg_a1", "sessionID": SID, "type": "tool", "tool": "task", "callID": "call_t",
            "state": {"status": "running", "input": {"description": "Explore", "subagent_type": "explore"}, "metadata": {"sessionId": "ses_child"}}}}),
    );
    if child_events {
        status(&mut a, "ses_child", "busy");
        bus(
            &mut a,
            "message.updated",
            json!({"info": {"id": "msg_c1", "sessionID": "ses_child", "role": "assistant"}}),
        );
        bus(
            &mut a,
            "message.part.updated",
            json!({"part": {"id": "prt_c1", "messageID": "msg_c1", "sessionID": "ses_child", "type": "tool", "tool": "glob", "callID": "c1",
                "state": {"status": "completed", "input": {"pattern": "*.rs"}}}}),
        );
    }
    a
}

#[test]
fn the_subagent_cell_is_not_done_before_it_starts_and_counts_in_english() {
    let screen = draw_app(&task_app(false), 100, 20);
    assert!(screen.contains("subagent: starting…"), "{screen}");
    assert!(!screen.contains("done"), "{screen}");
    let screen = draw_app(&task_app(true), 100, 20);
    assert!(
        screen.contains("subagent: working · 1 tool call"),
        "{screen}"
    );
    assert!(!screen.contains("1 tool calls"), "{screen}");
}

#[test]
fn the_focused_task_header_is_readable() {
    let mut a = task_app(true);
    let mut t = Terminal::new(TestBackend::new(100, 20)).unwrap();
    t.draw(|f| ocw_tui::ui::render(&a, f)).unwrap();
    a.handle_key(key(KeyCode::Tab));
    t.draw(|f| ocw_tui::ui::render(&a, f)).unwrap();
    let buf = t.backend().buffer();
    let text = ocw_tui::ui::testing::buffer_text(buf);
    let row = text
        .lines()
        .position(|l| l.contains("task") && l.contains("Explore"))
        .unwrap_or_else(|| panic!("task header: {text}"));
    let selected_bg = buf[(0, row as u16)].bg;
    for x in 0..buf.area.width {
        let c = &buf[(x, row as u16)];
        if c.symbol().trim().is_empty() {
            continue;
        }
        assert_eq!(c.bg, selected_bg, "highlighted row, column {x}: {text}");
        assert_ne!(c.fg, c.bg, "unreadable cell {:?} at column {x}", c.symbol());
    }
}

#[test]
fn the_more_lines_marker_covers_no_text() {
    let mut a = app();
    user(&mut a, "msg_u1", "long", NOW - 5_000);
    assistant(
        &mut a,
        "msg_a1",
        "msg_u1",
        json!({"finish": "stop", "time": {"created": NOW - 4_000, "completed": NOW}}),
    );
    let long = (0..400)
        .map(|i| format!("w{i:03}"))
        .collect::<Vec<_>>()
        .join(" ");
    text(&mut a, "msg_a1", "prt_1", &long);
    draw_app(&a, 60, 20);
    a.handle_key(key(KeyCode::PageUp));
    let screen = draw_app(&a, 60, 20);
    let marker = screen
        .lines()
        .find(|l| l.contains("more lines (End)"))
        .unwrap_or_else(|| panic!("no marker: {screen}"));
    assert!(marker.trim_start().starts_with('↓'), "{marker:?}\n{screen}");
}

#[test]
fn f12_toggles_the_mouse_capture_and_the_help_says_so() {
    let mut a = app();
    assert_eq!(
        a.handle_key(key(KeyCode::F(12))),
        vec![Action::MouseCapture(false)]
    );
    assert!(note(&a).contains("mouse off"), "{}", note(&a));
    assert_eq!(
        a.handle_key(key(KeyCode::F(12))),
        vec![Action::MouseCapture(true)]
    );
    assert!(note(&a).contains("mouse on"), "{}", note(&a));
    a.handle_key(key(KeyCode::F(1)));
    let screen = draw_app(&a, 100, 90);
    assert!(screen.contains("F12"), "{screen}");
}

/// Issue 8 §8: a server error that is a whole JavaScript stack shows as its first line and
/// a pointer to the diagnostic log, never twelve lines of stack in the transcript.
#[test]
fn a_server_error_shows_its_first_line_not_its_stack() {
    let mut a = app();
    let stack = "ProviderModelNotFoundError: model nothing not found\n    at getModel (/$bunfs/root/src/provider/provider.ts:912:13)\n    at async prompt (/$bunfs/root/src/session/prompt.ts:101:5)\n    at async run (/$bunfs/root/src/session/prompt.ts:44:3)\n    at processTicksAndRejections (native:7:39)";
    let err = json!({"name": "UnknownError", "data": {"message": stack}});
    user(&mut a, "msg_u1", "hello", NOW - 3_000);
    assistant(
        &mut a,
        "msg_a1",
        "msg_u1",
        json!({"error": err, "time": {"created": NOW - 2_000, "completed": NOW - 2_000}}),
    );
    let screen = draw_app(&a, 100, 30);
    assert!(
        screen.contains("✗ error: ProviderModelNotFoundError: model nothing not found"),
        "{screen}"
    );
    assert!(!screen.contains("getModel"), "{screen}");
    assert!(!screen.contains("processTicksAndRejections"), "{screen}");
    assert!(screen.contains("4 more lines"), "{screen}");
}
