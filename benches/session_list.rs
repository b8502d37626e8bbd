//! Session list figures at scale (harness = false; prints, never asserts): an App that
//! holds N listed sessions (default 100,000; `-- N` to change), driven as the terminal
//! loop drives it, each step timed up to its frame drawn at 200x50 (TestBackend):
//! - open: Ctrl+S (the list opens) and its first frame;
//! - each filter key of `session 4` typed one by one, then Backspace, each with its frame;
//! - a new listing arriving while the list is open (re-index) and its frame.
//!
//! Each figure is wall time and the thread's CPU time (a loaded machine inflates only the
//! first). Goal: open under 100 ms and a filter key under 16 ms at 100,000 sessions.
//! Run: `cargo bench --bench session_list [-- N]`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::model::event::SessionInfo;
use ocw_tui::ui::{App, UiInput, UiOptions};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::Duration;

#[path = "common/clock.rs"]
mod clock;
use clock::{ms, Clock};

const DAY_MS: u64 = 86_400_000;

fn listing(n: usize, now_ms: u64) -> Vec<SessionInfo> {
    (0..n)
        .map(|i| {
            let updated = now_ms - (i as u64) * 60_000;
            serde_json::from_value(serde_json::json!({
                "id": format!("ses_{i:08}"),
                "title": format!("Session {i} about topic {}", i % 97),
                "directory": "/p",
                "time": {"created": updated, "updated": updated},
            }))
            .expect("session info")
        })
        .collect()
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let now_ms = 1_795_521_700_000u64 + DAY_MS;
    let mut app = App::new(UiOptions::default());
    app.pin_clock(now_ms);
    app.handle_input(UiInput::ShowSession("ses_00000000".into()));
    app.handle_input(UiInput::Sessions(listing(n, now_ms)));
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    println!("session list with {n} sessions (200x50 frames)");

    let t = Clock::start();
    app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    println!("open (Ctrl+S + first frame): {}", ms(t.read()));

    let mut worst = (Duration::ZERO, Duration::ZERO);
    for c in "session 4".chars() {
        let t = Clock::start();
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
        let d = t.read();
        worst = (worst.0.max(d.0), worst.1.max(d.1));
        println!("filter key {c:?} + frame: {}", ms(d));
    }
    println!("worst filter key: {}", ms(worst));
    let t = Clock::start();
    app.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    println!("Backspace + frame: {}", ms(t.read()));
    let t = Clock::start();
    app.handle_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    println!("Down + frame: {}", ms(t.read()));

    let fresh = listing(n, now_ms);
    let t = Clock::start();
    app.handle_input(UiInput::Sessions(fresh));
    term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    println!(
        "new listing while open (re-index + frame): {}",
        ms(t.read())
    );
}
