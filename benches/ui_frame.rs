//! UI performance figures (harness = false; prints, never asserts):
//! - frame time with a 100,000-line transcript at 200x50 (TestBackend): cold first frame,
//!   idle frame, frame after a streaming delta, frame scrolled to the middle, resize;
//! - time to apply 1,000,000 text deltas to a Store;
//! - resume of a 20,000-word answer: events applied and first frame drawn.
//!
//! Run: `cargo bench --bench ui_frame`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::model::{Event, Store};
use ocw_tui::ui::{App, UiInput, UiOptions};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::json;
use std::time::{Duration, Instant};

const SID: &str = "ses_bench";

fn ev(kind: &str, props: serde_json::Value) -> Event {
    Event::from_parts(kind, &props.to_string())
}

fn message(id: &str, role: &str) -> Event {
    ev(
        "message.updated",
        json!({"info": {"id": id, "sessionID": SID, "role": role}}),
    )
}

fn text(msg: &str, part: &str, text: &str) -> Event {
    ev(
        "message.part.updated",
        json!({"part": {"id": part, "messageID": msg, "sessionID": SID, "type": "text", "text": text}}),
    )
}

fn delta(msg: &str, part: &str, d: &str) -> Event {
    Event::PartDelta {
        session_id: SID.into(),
        message_id: msg.into(),
        part_id: part.into(),
        field: "text".into(),
        delta: d.into(),
    }
}

/// An app showing a session whose transcript renders to about `lines` lines at width 200.
fn big_app(lines: usize) -> App {
    let mut app = App::new(UiOptions::default());
    app.handle_input(UiInput::ShowSession(SID.into()));
    let per_msg = 100;
    let msgs = lines / (per_msg + 4);
    for m in 0..msgs {
        let u = format!("msg_{m:06}_a");
        app.handle_input(UiInput::Bus(message(&u, "user")));
        app.handle_input(UiInput::Bus(text(
            &u,
            &format!("{u}_p"),
            &format!("question {m}"),
        )));
        let a = format!("msg_{m:06}_b");
        app.handle_input(UiInput::Bus(message(&a, "assistant")));
        let mut body = String::new();
        for i in 0..per_msg {
            if i % 25 == 0 && std::env::var("NOCODE").is_err() {
                body.push_str("\n```rust\nlet x = 1;\n```\n\n");
            }
            body.push_str(&format!(
                "- item {i} of message {m}: some *markdown* text with `code` in it\n"
            ));
        }
        app.handle_input(UiInput::Bus(text(&a, &format!("{a}_p"), &body)));
    }
    app
}

fn time<F: FnMut()>(n: u32, mut f: F) -> Duration {
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    t.elapsed() / n
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn frames() {
    // Syntax highlighting assets load once per process (on the first code block shown):
    // measured apart so the first-frame figure is about the transcript.
    let t = Instant::now();
    let warm = big_app(1_000);
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    term.draw(|f| ocw_tui::ui::render(&warm, f)).expect("draw");
    let assets = t.elapsed();
    let t = Instant::now();
    let mut app = big_app(100_000);
    let built = t.elapsed();
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let t = Instant::now();
    term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    let cold = t.elapsed();
    let cold_layouts = app.layout().layouts();
    let (total, _, _) = app.view().metrics();
    let idle = time(1000, || {
        term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    });
    let last = app
        .store()
        .session(SID)
        .and_then(|s| s.messages.last())
        .map(|m| m.id.clone())
        .expect("messages");
    let part = format!("{last}_p");
    let d = delta(&last, &part, "streamed words ");
    let streaming = time(1000, || {
        app.handle_input(UiInput::Bus(d.clone()));
        term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    });
    for _ in 0..1000 {
        app.handle_key(KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE));
        term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    }
    let (_, _, top) = app.view().metrics();
    let scrolled = time(1000, || {
        app.handle_key(KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE));
        app.handle_key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE));
        term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    });
    let mut narrow = Terminal::new(TestBackend::new(120, 50)).expect("terminal");
    let before = app.layout().layouts();
    let t = Instant::now();
    narrow.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    let resize = t.elapsed();
    let resize_layouts = app.layout().layouts() - before;
    // The exact length (the frames above only laid out what they showed; the rest
    // counted with estimated heights): page through everything once.
    app.view_mut().scroll_to_top();
    while !app.view().following() {
        app.view_mut().scroll_by(50);
        term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    }
    let (exact, _, _) = app.view().metrics();
    println!("transcript: {exact} lines at 200x50 (estimated {total} before it was all shown; store built in {built:.2?})");
    println!("  highlighting assets + small first frame: {assets:.2?} (once per process)");
    println!(
        "  first frame (lays out the visible end):  {cold:.2?} ({cold_layouts} messages laid out)"
    );
    println!("  idle frame:                              {idle:.2?}");
    println!("  frame after a streaming delta:           {streaming:.2?}");
    println!("  frame scrolled up (top line {top}):     {scrolled:.2?}");
    println!("  resize to 120 columns (visible re-wrap): {resize:.2?} ({resize_layouts} messages laid out)");
}

fn deltas() {
    let mut store = Store::new();
    store.apply(&message("msg_1", "assistant"));
    store.apply(&text("msg_1", "prt_1", ""));
    let d = delta("msg_1", "prt_1", "word ");
    let t = Instant::now();
    for _ in 0..1_000_000 {
        store.apply(&d);
    }
    let one_part = t.elapsed();
    let mut store = Store::new();
    let mut evs = Vec::new();
    for m in 0..10 {
        let id = format!("msg_{m}");
        store.apply(&message(&id, "assistant"));
        for p in 0..10 {
            let pid = format!("prt_{m}_{p}");
            store.apply(&text(&id, &pid, ""));
            evs.push(delta(&id, &pid, "word "));
        }
    }
    let t = Instant::now();
    for i in 0..1_000_000 {
        store.apply(&evs[i % evs.len()]);
    }
    let spread = t.elapsed();
    println!("1,000,000 text deltas applied to a Store:");
    println!("  into one part:                 {one_part:.2?}");
    println!("  spread over 100 parts/10 msgs: {spread:.2?}");
}

fn resume() {
    let words: String = (0..20_000).map(|i| format!("word{i} ")).collect();
    let events = vec![
        message("msg_1", "user"),
        text("msg_1", "prt_u", "write a long answer"),
        message("msg_2", "assistant"),
        text("msg_2", "prt_a", &words),
    ];
    let t = Instant::now();
    let mut app = App::new(UiOptions::default());
    app.handle_input(UiInput::ShowSession(SID.into()));
    for e in events {
        app.handle_input(UiInput::Bus(e));
    }
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    term.draw(|f| ocw_tui::ui::render(&app, f)).expect("draw");
    let took = t.elapsed();
    let screen: String = term
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("word19999"), "last word on screen");
    println!("resume of a 20,000-word answer: applied and first frame drawn in {took:.2?} (last word on screen)");
}

fn main() {
    frames();
    deltas();
    resume();
    println!("peak RSS of this bench process: {:.1} MB", peak_rss_mb());
}
