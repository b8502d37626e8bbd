//! The replay view as a user sees it (ratatui `TestBackend` + insta snapshots): paused
//! mid-stream, at a permission dialog with the recorded reply, at a question, at the end,
//! and the keys that move through the log.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::log::{self, LogReader};
use ocw_tui::replay::{Flow, ReplayView, Timeline};
use ocw_tui::ui::testing::buffer_text;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn replay(rel: &str) -> ReplayView {
    let t = Timeline::load(log::open(fixture(rel).to_str().unwrap()).unwrap()).unwrap();
    ReplayView::new(t, 1.0, false)
}

fn draw(v: &ReplayView, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| v.render(f)).unwrap();
    buffer_text(t.backend().buffer())
}

/// The style of the first cell of `needle` on the dialog's choices line.
fn style_of(v: &ReplayView, needle: &str) -> ratatui::style::Style {
    let mut t = Terminal::new(TestBackend::new(90, 24)).unwrap();
    t.draw(|f| v.render(f)).unwrap();
    let buf = t.backend().buffer().clone();
    let text = buffer_text(&buf);
    let (y, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("y allow once"))
        .expect("choices line");
    let x = line[..line.find(needle).unwrap()].chars().count();
    let cell = &buf[(x as u16, y as u16)];
    ratatui::style::Style::default()
        .fg(cell.fg)
        .bg(cell.bg)
        .add_modifier(cell.modifier)
}

fn press(v: &mut ReplayView, code: KeyCode) -> Flow {
    v.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

#[test]
fn paused_mid_stream_shows_the_text_so_far() {
    let mut v = replay("opencode-1.18.33/hello.jsonl");
    press(&mut v, KeyCode::Char(' '));
    // Line 17: the third delta ("Hello" " from" " the").
    v.seek(17);
    let screen = draw(&v, 90, 16);
    assert!(screen.contains("Hello from the"), "{screen}");
    assert!(!screen.contains("Hello from the mock"), "{screen}");
    assert!(screen.contains("⏸ paused"), "{screen}");
    assert!(screen.contains("event 17/25"), "{screen}");
    insta::assert_snapshot!("paused_mid_stream", screen);
}

#[test]
fn permission_dialog_shows_the_recorded_reply_and_closes_on_it() {
    let mut v = replay("opencode-1.18.33/bash_once.jsonl");
    press(&mut v, KeyCode::Char(' '));
    v.seek(19); // permission.asked (line 19) played, its reply (line 20) not yet
    let screen = draw(&v, 90, 24);
    assert!(screen.contains("Permission: bash"), "{screen}");
    assert!(screen.contains("recorded reply: once"), "{screen}");
    insta::assert_snapshot!("at_permission_dialog", screen);
    // The recorded reply ("once") is the highlighted choice, "reject" is not.
    let (once, reject) = (style_of(&v, "allow once"), style_of(&v, "reject  "));
    assert_eq!(
        once,
        ocw_tui::ui::theme::recorded(),
        "recorded choice highlighted"
    );
    assert_ne!(reject, ocw_tui::ui::theme::recorded());
    press(&mut v, KeyCode::Right);
    let screen = draw(&v, 90, 24);
    assert!(
        !screen.contains("Permission: bash"),
        "closed on the reply: {screen}"
    );
}

#[test]
fn question_dialog_highlights_the_recorded_answer() {
    let mut v = replay("opencode-1.18.33/question.jsonl");
    v.seek(16); // question.asked (15) and the running tool (16), reply at 17
    let screen = draw(&v, 90, 24);
    assert!(screen.contains("Which DB?"), "{screen}");
    assert!(screen.contains("postgres"), "{screen}");
    assert!(screen.contains("recorded answer highlighted"), "{screen}");
    v.seek(17);
    assert!(!draw(&v, 90, 24).contains("recorded answer highlighted"));
}

#[test]
fn t_shows_the_next_question_of_a_several_question_dialog() {
    let mut v = replay("opencode-1.18.33/question_multi.jsonl");
    v.seek(16);
    let screen = draw(&v, 90, 26);
    assert!(screen.contains("Which languages?"), "{screen}");
    press(&mut v, KeyCode::Char('t'));
    let screen = draw(&v, 90, 26);
    assert!(screen.contains("Which license?"), "{screen}");
    assert!(screen.contains("MIT"), "{screen}");
}

#[test]
fn unanswered_request_says_so() {
    let text = std::fs::read_to_string(fixture("opencode-1.18.33/bash_once.jsonl")).unwrap();
    let cut: String = text.lines().take(19).map(|l| format!("{l}\n")).collect();
    let t = Timeline::load(LogReader::new(cut.as_bytes())).unwrap();
    let mut v = ReplayView::new(t, 1.0, true);
    let screen = draw(&v, 100, 24);
    assert!(screen.contains("(no reply recorded)"), "{screen}");
    assert!(screen.contains("ended early"), "{screen}");
    press(&mut v, KeyCode::Char('q'));
}

#[test]
fn end_of_a_two_turn_log() {
    let v = ReplayView::new(
        Timeline::load(
            log::open(
                fixture("opencode-1.18.33/write_edit.jsonl")
                    .to_str()
                    .unwrap(),
            )
            .unwrap(),
        )
        .unwrap(),
        1.0,
        true,
    );
    let screen = draw(&v, 90, 30);
    assert!(screen.contains("■ end"), "{screen}");
    assert!(screen.contains("event 74/74"), "{screen}");
    assert!(screen.contains("turn 2/2"), "{screen}");
    assert!(screen.contains("Σ 340"), "{screen}");
    insta::assert_snapshot!("at_end", screen);
}

#[test]
fn keys_move_through_the_log() {
    let mut v = replay("opencode-1.18.33/write_edit.jsonl");
    assert_eq!(v.pos(), 0);
    assert!(!v.pacer.paused());
    press(&mut v, KeyCode::Char(']'));
    assert_eq!(v.pos(), 4, "first prompt");
    press(&mut v, KeyCode::Char(']'));
    assert_eq!(v.pos(), 40, "second prompt");
    press(&mut v, KeyCode::Char('['));
    assert_eq!(v.pos(), 4);
    press(&mut v, KeyCode::Right);
    assert_eq!(v.pos(), 5);
    assert!(v.pacer.paused(), "stepping pauses");
    press(&mut v, KeyCode::Left);
    press(&mut v, KeyCode::Left);
    assert_eq!(v.pos(), 3);
    press(&mut v, KeyCode::End);
    assert_eq!(v.pos(), 74);
    press(&mut v, KeyCode::Home);
    assert_eq!(v.pos(), 0);
    press(&mut v, KeyCode::Char('G'));
    assert_eq!(v.pos(), 74);
    press(&mut v, KeyCode::Char('g'));
    assert_eq!(v.pos(), 0);
    press(&mut v, KeyCode::Char('+'));
    press(&mut v, KeyCode::Char('+'));
    assert_eq!(v.pacer.speed(), 4.0);
    press(&mut v, KeyCode::Char('-'));
    assert_eq!(v.pacer.speed(), 2.0);
    press(&mut v, KeyCode::Char(' '));
    assert!(!v.pacer.paused());
    assert!(draw(&v, 90, 10).contains("▶ playing  2x"));
    assert_eq!(press(&mut v, KeyCode::Char('q')), Flow::Quit);
}

#[test]
fn playing_reaches_the_end_and_space_there_restarts() {
    let mut v = replay("opencode-1.18.33/hello.jsonl");
    while v.play_next() {}
    assert!(v.at_end());
    assert_eq!(
        v.store().sessions()[0].final_text(),
        "Hello from the mock model."
    );
    press(&mut v, KeyCode::Char(' ')); // pause
    press(&mut v, KeyCode::Char(' ')); // play again: from the start
    assert_eq!(v.pos(), 0);
    assert!(!v.pacer.paused());
}

#[test]
fn several_sessions_one_is_watched_and_tab_switches() {
    let mut v = replay("opencode-run-1.18.33/five_runs.jsonl");
    let screen = draw(&v, 100, 12);
    assert!(screen.contains("session 1/5 (Tab)"), "{screen}");
    press(&mut v, KeyCode::Tab);
    press(&mut v, KeyCode::Tab);
    press(&mut v, KeyCode::Tab);
    press(&mut v, KeyCode::End);
    let screen = draw(&v, 100, 12);
    assert!(screen.contains("session 4/5"), "{screen}");
    assert!(screen.contains("The answer is 42."), "{screen}");
    assert!(
        !screen.contains("Wrote file"),
        "only the watched run: {screen}"
    );
    let mut w = replay("opencode-run-1.18.33/five_runs.jsonl");
    assert!(w.watch_session("ses_df274c6c0ffe0mWSomG4WBdLhb"));
    press(&mut w, KeyCode::End);
    let screen = draw(&w, 100, 12);
    assert!(
        screen.contains("mock provider rejected the request"),
        "{screen}"
    );
}

#[test]
fn skipped_lines_are_shown_in_the_timeline_bar() {
    let text = std::fs::read_to_string(fixture("opencode-1.18.33/hello.jsonl")).unwrap();
    let mut damaged = String::new();
    for (i, l) in text.lines().enumerate() {
        damaged.push_str(l);
        damaged.push('\n');
        if i == 4 {
            damaged.push_str("garbage\n[1, 2]\n");
        }
    }
    let t = Timeline::load(LogReader::new(damaged.as_bytes())).unwrap();
    let v = ReplayView::new(t, 1.0, true);
    let screen = draw(&v, 120, 10);
    assert!(
        screen.contains("2 skipped lines (2 so far): 6, 7"),
        "{screen}"
    );
}
