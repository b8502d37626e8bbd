//! Tabs (issue 20 §1) figures (harness = false; prints, never asserts):
//! - switching between two open 1,000-message sessions: `ShowSession` applied and the
//!   first frame drawn at 160x48 (p50 / p99 / max over 200 switches); goal under 16 ms;
//! - ten open sessions streaming at once for 10 simulated seconds (each 40 deltas a second
//!   with a message update every second, a frame every 16 ms as the live loop draws at most):
//!   the UI's time as a share of one core; goal under 10%.
//!
//! Run: `cargo bench --bench tabs`.

use ocw_tui::model::Event;
use ocw_tui::ui::{App, ConnectionState, UiInput, UiOptions};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::json;
use std::time::{Duration, Instant};

fn ev(kind: &str, props: serde_json::Value) -> Event {
    Event::from_parts(kind, &props.to_string())
}

fn bus(app: &mut App, e: Event) {
    app.handle_input(UiInput::Bus(e));
}

/// A session of `n` messages (questions and three-paragraph answers), shown once.
fn fill(app: &mut App, sid: &str, n: usize) {
    app.handle_input(UiInput::ShowSession(sid.into()));
    bus(
        app,
        ev(
            "session.updated",
            json!({"info": {"id": sid, "title": format!("session {sid}")}}),
        ),
    );
    for m in 0..n / 2 {
        for (role, body) in [
            ("user", format!("question {m}: what does step {m} change?")),
            (
                "assistant",
                format!(
                    "Step {m} changes the parser.\n\nIt reads `token_{m}` first, then the rest of the line, \
                     and keeps the position for the error messages.\n\n- one\n- two\n- three"
                ),
            ),
        ] {
            let id = format!("msg_{sid}_{m:05}_{role}");
            bus(app, ev("message.updated", json!({"info": {"id": id, "sessionID": sid, "role": role}})));
            bus(
                app,
                ev(
                    "message.part.updated",
                    json!({"part": {"id": format!("{id}_p"), "messageID": id, "sessionID": sid, "type": "text", "text": body}}),
                ),
            );
        }
    }
}

fn report(what: &str, mut v: Vec<Duration>) {
    v.sort();
    let p = |q: f64| v[((v.len() as f64 * q) as usize).min(v.len() - 1)];
    println!(
        "{what}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
        p(0.5).as_secs_f64() * 1e3,
        p(0.99).as_secs_f64() * 1e3,
        v[v.len() - 1].as_secs_f64() * 1e3,
        v.len()
    );
}

fn switch_bench() {
    let mut app = App::new(UiOptions::default());
    app.handle_input(UiInput::Connection(ConnectionState::Connected));
    fill(&mut app, "ses_a", 1_000);
    fill(&mut app, "ses_b", 1_000);
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    term.draw(|f| ocw_tui::ui::render(&app, f)).unwrap();
    let mut times = Vec::new();
    for i in 0..200 {
        let to = if i % 2 == 0 { "ses_a" } else { "ses_b" };
        let t = Instant::now();
        app.handle_input(UiInput::ShowSession(to.into()));
        term.draw(|f| ocw_tui::ui::render(&app, f)).unwrap();
        times.push(t.elapsed());
    }
    report(
        "switch between two 1,000-message sessions (show + first frame)",
        times,
    );
}

fn streaming_bench() {
    let mut app = App::new(UiOptions::default());
    app.handle_input(UiInput::Connection(ConnectionState::Connected));
    let sids: Vec<String> = (0..10).map(|i| format!("ses_{i:02}")).collect();
    for s in &sids {
        fill(&mut app, s, 100);
        bus(
            &mut app,
            ev(
                "session.status",
                json!({"sessionID": s, "status": {"type": "busy"}}),
            ),
        );
        let id = format!("msg_{s}_live");
        bus(
            &mut app,
            ev(
                "message.updated",
                json!({"info": {"id": id, "sessionID": s, "role": "assistant"}}),
            ),
        );
        bus(
            &mut app,
            ev(
                "message.part.updated",
                json!({"part": {"id": format!("{id}_p"), "messageID": id, "sessionID": s, "type": "text", "text": ""}}),
            ),
        );
    }
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let seconds = 10u64;
    let frame_ms = 16u64;
    let mut busy = Duration::ZERO;
    let mut w = 0u64;
    for ms in (0..seconds * 1000).step_by(frame_ms as usize) {
        let t = Instant::now();
        // 40 deltas a second per session: what arrived during this frame's 16 ms.
        let due = |at: u64| at * 40 / 1000;
        for s in &sids {
            for _ in due(ms)..due(ms + frame_ms) {
                w += 1;
                app.handle_input(UiInput::Bus(Event::PartDelta {
                    session_id: s.clone(),
                    message_id: format!("msg_{s}_live"),
                    part_id: format!("msg_{s}_live_p"),
                    field: "text".into(),
                    delta: format!("word{w} "),
                }));
            }
            if ms % 1000 == 0 {
                let id = format!("msg_{s}_live");
                bus(
                    &mut app,
                    ev(
                        "message.updated",
                        json!({"info": {"id": id, "sessionID": s, "role": "assistant",
                        "cost": ms as f64 / 1e5, "tokens": {"input": 100, "output": ms / 10}}}),
                    ),
                );
            }
        }
        app.tick();
        term.draw(|f| ocw_tui::ui::render(&app, f)).unwrap();
        busy += t.elapsed();
    }
    println!(
        "ten sessions streaming at once ({w} deltas in {seconds} s, a frame every {frame_ms} ms): {:.1}% of one core",
        busy.as_secs_f64() / seconds as f64 * 100.0
    );
}

fn main() {
    switch_bench();
    streaming_bench();
}
