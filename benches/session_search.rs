//! The search across sessions at scale (harness = false; prints, never asserts): an App
//! with 200 listed sessions whose 20,000 messages' text has arrived (`-- S M` to change:
//! S sessions of M messages each; about 600 bytes a message), plus the shown session with
//! 200 messages in the store (searched there), driven as the terminal loop drives it, each
//! step timed up to its frame drawn at 200x50 (TestBackend):
//! - the text arriving (`UiInput::SessionText` per session: indexed, lower-cased once);
//! - open: Ctrl+S and its first frame;
//! - each key of a query found in a few sessions' answers, typed one by one, with its frame;
//! - each key of a query found nowhere (every message scanned), then Backspace;
//! - a message streamed into the shown session, then a key (the store searched again).
//!
//! Each figure is wall time and the thread's CPU time (a loaded machine inflates only the
//! first). Goal: a key under 200 ms once the text has arrived (the cache is warm).
//! Run: `cargo bench --bench session_search [-- S M]`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::model::event::SessionInfo;
use ocw_tui::model::session_text::{MessageText, SessionText};
use ocw_tui::model::state::Role;
use ocw_tui::model::Event;
use ocw_tui::ui::{App, UiInput, UiOptions};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::Duration;

#[path = "common/clock.rs"]
mod clock;
use clock::{ms, Clock};

const WORDS: &[&str] = &[
    "the", "function", "returns", "a", "value", "when", "called", "with", "parser", "config",
    "error", "handling", "should", "be", "tested", "module", "struct", "field", "index", "render",
    "frame", "widget", "layout", "buffer", "string", "vector", "option", "result", "async",
    "await", "server", "client", "request", "response", "header", "body", "token", "session",
    "message", "part", "tool", "bash", "edit", "write", "read", "file", "path",
];

/// A deterministic pseudo-random stream of words (a linear congruential generator).
struct Words(u64);

impl Words {
    fn next(&mut self) -> &'static str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        WORDS[(self.0 >> 33) as usize % WORDS.len()]
    }
    /// About `bytes` bytes of text in lines of about 80.
    fn text(&mut self, bytes: usize) -> String {
        let mut s = String::with_capacity(bytes + 16);
        let mut line = 0;
        while s.len() < bytes {
            let w = self.next();
            s.push_str(w);
            line += w.len() + 1;
            if line > 80 {
                s.push('\n');
                line = 0;
            } else {
                s.push(' ');
            }
        }
        s
    }
}

fn bus(app: &mut App, kind: &str, props: serde_json::Value) {
    app.handle_input(UiInput::Bus(Event::from_parts(kind, &props.to_string())));
}

fn message(app: &mut App, sid: &str, i: usize, text: &str) {
    let id = format!("msg_{i:06}");
    let role = if i % 2 == 0 { "user" } else { "assistant" };
    bus(
        app,
        "message.updated",
        serde_json::json!({"info": {"id": id, "sessionID": sid, "role": role}}),
    );
    bus(
        app,
        "message.part.updated",
        serde_json::json!({"part": {"id": format!("prt_{i:06}"), "messageID": id, "sessionID": sid, "type": "text", "text": text}}),
    );
}

fn main() {
    let nums: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sessions = nums.first().copied().unwrap_or(200);
    let per = nums.get(1).copied().unwrap_or(100);
    let now_ms = 1_795_521_700_000u64;
    let mut words = Words(7);
    let mut app = App::new(UiOptions::default());
    app.pin_clock(now_ms);
    app.handle_input(UiInput::ShowSession("ses_live".into()));
    for i in 0..200 {
        let t = words.text(600);
        message(&mut app, "ses_live", i, &t);
    }
    let listing: Vec<SessionInfo> = std::iter::once("ses_live".to_string())
        .chain((0..sessions).map(|i| format!("ses_{i:05}")))
        .enumerate()
        .map(|(i, id)| {
            let updated = now_ms - (i as u64) * 3_600_000;
            serde_json::from_value(serde_json::json!({
                "id": id, "title": format!("Session {i}"), "directory": "/p",
                "time": {"created": updated, "updated": updated},
            }))
            .expect("session info")
        })
        .collect();
    app.handle_input(UiInput::Sessions(listing));
    // The texts: one session in 20 has "zanzibar harbour" in one old answer.
    let texts: Vec<SessionText> = (0..sessions)
        .map(|s| SessionText {
            session_id: format!("ses_{s:05}"),
            updated_ms: Some(now_ms),
            messages: (0..per)
                .map(|m| {
                    let mut text = words.text(600);
                    if s % 20 == 3 && m == 7 {
                        text.push_str("\nwe sailed to zanzibar harbour at dawn\n");
                    }
                    MessageText {
                        id: format!("msg_{m:06}"),
                        role: if m % 2 == 0 {
                            Role::User
                        } else {
                            Role::Assistant
                        },
                        text,
                    }
                })
                .collect(),
        })
        .collect();
    let bytes: usize = texts
        .iter()
        .flat_map(|t| &t.messages)
        .map(|m| m.text.len())
        .sum();
    println!(
        "search across {sessions} sessions of {per} messages ({} messages, {:.1} MB of text) + 200 live messages (200x50 frames)",
        sessions * per,
        bytes as f64 / 1e6
    );
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let t = Clock::start();
    for text in texts {
        app.handle_input(UiInput::SessionText(text));
    }
    println!("text arrived (indexed): {}", ms(t.read()));

    let draw = |app: &App, term: &mut Terminal<TestBackend>| {
        term.draw(|f| ocw_tui::ui::render(app, f)).expect("draw");
    };
    let t = Clock::start();
    app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    draw(&app, &mut term);
    println!("open (Ctrl+S + first frame): {}", ms(t.read()));

    let mut worst = (Duration::ZERO, Duration::ZERO);
    let mut key = |app: &mut App, term: &mut Terminal<TestBackend>, code: KeyCode, what: &str| {
        let t = Clock::start();
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        draw(app, term);
        let d = t.read();
        worst = (worst.0.max(d.0), worst.1.max(d.1));
        println!("{what} + frame: {}", ms(d));
    };
    for c in "zanzibar".chars() {
        key(&mut app, &mut term, KeyCode::Char(c), &format!("key {c:?}"));
    }
    println!("sessions found: {}", app.session_rows().len());
    for _ in 0.."zanzibar".len() {
        key(&mut app, &mut term, KeyCode::Backspace, "Backspace");
    }
    for c in "qqxyz".chars() {
        key(
            &mut app,
            &mut term,
            KeyCode::Char(c),
            &format!("nowhere key {c:?}"),
        );
    }
    key(&mut app, &mut term, KeyCode::Backspace, "nowhere Backspace");
    let t = words.text(600);
    message(&mut app, "ses_live", 200, &t);
    key(
        &mut app,
        &mut term,
        KeyCode::Char('z'),
        "key after a streamed message",
    );
    println!("worst key: {}", ms(worst));
}
