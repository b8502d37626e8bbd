//! Typing never waits (harness = false; prints, never asserts): keystroke-to-frame latency
//! (p50 / p99 / max) of the App at 120x40 on a TestBackend
//! - while the `@` picker refreshes against a project of 50,000 files: each key is typed
//!   into an `@` mention, the search it asks for is answered the way the front-end answers
//!   it (`UiInput::FileResults`, at most 50 paths, picked from the 50,000 outside the
//!   timing: the server does that in its own process), and the frame is drawn;
//! - while a 100,000-word answer streams (three words per delta, 50 deltas between two
//!   keystrokes): the deltas that arrived since the last frame, the key and the frame.
//!
//! Both again with a status line command configured (the app then builds the command's
//! JSON input after each key and event; the command itself runs on its own task, so a slow
//! one cannot show here).
//!
//! Run: `cargo bench --bench prompt_latency`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::model::Event;
use ocw_tui::ui::{Action, App, UiInput, UiOptions};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::json;
use std::time::{Duration, Instant};

const SID: &str = "ses_bench";

fn ev(kind: &str, props: serde_json::Value) -> Event {
    Event::from_parts(kind, &props.to_string())
}

fn app(status_line: bool) -> App {
    let mut app = App::new(UiOptions {
        status_line,
        ..UiOptions::default()
    });
    app.handle_input(UiInput::Connection(ocw_tui::ui::ConnectionState::Connected));
    app.handle_input(UiInput::ShowSession(SID.into()));
    app
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn report(what: &str, mut v: Vec<Duration>) {
    v.sort();
    let p = |q: f64| v[((v.len() as f64 * q) as usize).min(v.len() - 1)];
    println!(
        "{what}: {} keys, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        v.len(),
        p(0.50).as_secs_f64() * 1e3,
        p(0.99).as_secs_f64() * 1e3,
        v[v.len() - 1].as_secs_f64() * 1e3
    );
}

/// The server's answer: up to 50 paths holding the query's letters in order.
fn find(paths: &[String], query: &str) -> Vec<String> {
    let q: Vec<char> = query.to_lowercase().chars().collect();
    paths
        .iter()
        .filter(|p| {
            let mut it = q.iter().peekable();
            for c in p.chars() {
                if it.peek() == Some(&&c) {
                    it.next();
                }
            }
            it.peek().is_none()
        })
        .take(50)
        .cloned()
        .collect()
}

fn picker_bench(status_line: bool) {
    let paths: Vec<String> = (0..50_000)
        .map(|i| format!("crates/mod_{:03}/src/file_{i:05}.rs", i % 500))
        .collect();
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut times = Vec::new();
    let queries = ["crates/mod_123/src/file_1", "mod_4file_4", "src/file_49999"];
    for round in 0..20 {
        for q in queries {
            let mut app = app(status_line);
            let mut typed = String::from("see @");
            for c in typed.clone().chars() {
                app.handle_key(key(c));
            }
            for c in q.chars() {
                typed.push(c);
                // The answer to the previous query arrives just before this key.
                let t = Instant::now();
                let out = app.handle_key(key(c));
                let asked: Vec<String> = out
                    .into_iter()
                    .filter_map(|a| match a {
                        Action::FindFiles { query } => Some(query),
                        _ => None,
                    })
                    .collect();
                term.draw(|f| ocw_tui::ui::render(&app, f)).unwrap();
                times.push(t.elapsed());
                for query in asked {
                    let found = find(&paths, &query);
                    let t = Instant::now();
                    app.handle_input(UiInput::FileResults {
                        query,
                        paths: found,
                    });
                    term.draw(|f| ocw_tui::ui::render(&app, f)).unwrap();
                    if round > 0 {
                        times.push(t.elapsed());
                    }
                }
            }
        }
    }
    let what = "@ picker, 50,000-file project (key + frame, answer + frame)";
    report(&label(what, status_line), times);
}

fn stream_bench(status_line: bool) {
    let mut app = app(status_line);
    let (u, a) = ("msg_u", "msg_a");
    app.handle_input(UiInput::Bus(ev(
        "message.updated",
        json!({"info": {"id": u, "sessionID": SID, "role": "user"}}),
    )));
    app.handle_input(UiInput::Bus(ev(
        "message.updated",
        json!({"info": {"id": a, "sessionID": SID, "role": "assistant"}}),
    )));
    app.handle_input(UiInput::Bus(ev(
        "message.part.updated",
        json!({"part": {"id": "prt_a", "messageID": a, "sessionID": SID, "type": "text", "text": ""}}),
    )));
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut times = Vec::new();
    let words = 100_000;
    let mut w = 0;
    let prompt = "what does the long answer say about @src/ma";
    let mut k = 0;
    while w < words {
        let t = Instant::now();
        for _ in 0..50 {
            let d = format!("word{} word{} word{} ", w + 1, w + 2, w + 3);
            w += 3;
            app.handle_input(UiInput::Bus(Event::PartDelta {
                session_id: SID.into(),
                message_id: a.into(),
                part_id: "prt_a".into(),
                field: "text".into(),
                delta: d,
            }));
        }
        let c = prompt.chars().nth(k % prompt.len()).unwrap_or('x');
        if k % prompt.len() == 0 {
            app.clear_input();
        }
        k += 1;
        app.handle_key(key(c));
        term.draw(|f| ocw_tui::ui::render(&app, f)).unwrap();
        times.push(t.elapsed());
    }
    let what = "typing while a 100,000-word answer streams (50 deltas + key + frame)";
    report(&label(what, status_line), times);
}

fn label(what: &str, status_line: bool) -> String {
    if status_line {
        format!("{what}, with a status line command")
    } else {
        what.to_string()
    }
}

fn main() {
    for status_line in [false, true] {
        picker_bench(status_line);
        stream_bench(status_line);
    }
}
