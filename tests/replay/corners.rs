//! Replay corners a user tripped on (issue 18): a forked session deleted later in the log is
//! not "the log ended early" in every session; Tab after `--instant` keeps the place and the
//! pace; the bar shows a key hint, F1 / `?` list every key, and the end says how to leave.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::log;
use ocw_tui::replay::{ReplayView, Timeline};
use ocw_tui::ui::testing::buffer_text;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn load(rel: &str) -> Timeline {
    let path = format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    Timeline::load(log::open(&path).unwrap()).unwrap()
}

fn draw(v: &ReplayView, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| v.render(f)).unwrap();
    buffer_text(t.backend().buffer())
}

fn press(v: &mut ReplayView, code: KeyCode) {
    v.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// `hello.jsonl` plus a fork of its session that was busy and then deleted (the shape
/// opencode logs when a fork is thrown away mid-turn).
const FORK_DELETED: &str = "edited/fork_deleted.jsonl";

#[test]
fn a_deleted_fork_does_not_make_the_log_end_early() {
    let t = load(FORK_DELETED);
    assert_eq!(t.roots.len(), 2, "the session and its fork");
    assert_eq!(t.ended_early, None);
    let mut v = ReplayView::new(t, 1.0, true);
    for _ in 0..2 {
        let screen = draw(&v, 100, 14);
        assert!(!screen.contains("ended early"), "{screen}");
        press(&mut v, KeyCode::Tab);
    }
}

#[test]
fn a_session_cut_mid_turn_warns_only_where_it_is_watched() {
    // hello.jsonl cut mid-stream, followed by a second, complete session.
    let hello = std::fs::read_to_string(format!(
        "{}/tests/fixtures/opencode-1.18.33/hello.jsonl",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let cut: Vec<&str> = hello.lines().take(17).collect();
    let other: Vec<String> = hello
        .lines()
        .map(|l| {
            l.replace(
                "ses_df2922947ffe1k2UfuYGuTtkaE",
                "ses_df2922947ffe1otherSession0",
            )
        })
        .map(|l| {
            l.replace("msg_20d6", "msg_30d6")
                .replace("prt_20d6", "prt_30d6")
        })
        .collect();
    let text = format!("{}\n{}\n", cut.join("\n"), other.join("\n"));
    let t = Timeline::load(log::LogReader::new(text.as_bytes())).unwrap();
    assert!(t.ended_early.is_some());
    let mut v = ReplayView::new(t, 1.0, true);
    let first = draw(&v, 120, 14);
    assert!(first.contains("ended early"), "{first}");
    press(&mut v, KeyCode::Tab);
    let second = draw(&v, 120, 14);
    assert!(second.contains("session 2/2"), "{second}");
    assert!(!second.contains("ended early"), "{second}");
}

#[test]
fn tab_after_instant_stays_at_the_end_and_keeps_the_pace() {
    let mut v = ReplayView::new(load("opencode-run-1.18.33/five_runs.jsonl"), 4.0, true);
    let end = v.timeline.len();
    assert_eq!(v.pos(), end);
    press(&mut v, KeyCode::Tab);
    assert_eq!(v.pos(), end, "Tab does not restart playback");
    assert_eq!(v.pacer.speed(), 4.0);
    let screen = draw(&v, 100, 12);
    assert!(screen.contains("■ end"), "{screen}");
    assert!(screen.contains("session 2/5"), "{screen}");
    press(&mut v, KeyCode::BackTab);
    assert_eq!(v.pos(), end);
}

#[test]
fn the_bar_hints_at_the_keys_and_f1_lists_them_all() {
    let mut v = ReplayView::new(load("opencode-1.18.33/hello.jsonl"), 1.0, false);
    let screen = draw(&v, 100, 14);
    assert!(screen.contains("? keys"), "{screen}");
    assert!(screen.contains("q quit"), "{screen}");
    for key in [KeyCode::F(1), KeyCode::Char('?')] {
        press(&mut v, key);
        let help = draw(&v, 100, 30);
        for line in [
            "Space",
            "play / pause",
            "step",
            "turn",
            "speed",
            "Tab",
            "expand",
            "quit",
        ] {
            assert!(help.contains(line), "{line:?} in\n{help}");
        }
        // Any key closes the help and does nothing else.
        let pos = v.pos();
        press(&mut v, KeyCode::Char('q'));
        assert_eq!(v.pos(), pos);
        let back = draw(&v, 100, 30);
        assert!(!back.contains("play / pause"), "{back}");
    }
}

#[test]
fn the_end_says_how_to_leave() {
    let v = ReplayView::new(load("opencode-1.18.33/hello.jsonl"), 1.0, true);
    let screen = draw(&v, 100, 16);
    assert!(screen.contains("End of the log"), "{screen}");
    assert!(screen.contains("q to quit"), "{screen}");
}
