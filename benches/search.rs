//! Transcript search speed: builds a 2,000-message Store (1,000 turns: a prompt, then an
//! answer with reasoning, a bash call with ~2 kB of output and ~1 kB of text) through the
//! reducer, and prints the time to the first match and to all matches for a common word,
//! a rare one (only near the end) and a non-ASCII one; then the app's own path (Ctrl+F, the
//! query, Enter: hits found, the match scrolled into view, the frame drawn at 120x40).
//! `cargo bench --bench search`.

use ocw_tui::model::search::{find_iter, SearchCursor};
use ocw_tui::model::{Event, Store};
use serde_json::json;
use std::time::Instant;

const SID: &str = "ses_bench";

fn apply(store: &mut Store, kind: &str, props: serde_json::Value) {
    store.apply(&Event::from_parts(kind, &props.to_string()));
}

fn part(store: &mut Store, mid: &str, n: usize, mut p: serde_json::Value) {
    p["id"] = json!(format!("prt_{mid}_{n}"));
    p["messageID"] = json!(mid);
    p["sessionID"] = json!(SID);
    apply(
        store,
        "message.part.updated",
        json!({"sessionID": SID, "part": p}),
    );
}

fn build() -> Store {
    let mut store = Store::new();
    let prose = "The parser reads each line of the configuration file and builds the tree. ";
    let output: String = (0..40)
        .map(|i| format!("src/module_{i}/file.rs:{i}: fn handler_{i}() -> Result<()>\n"))
        .collect();
    for turn in 0..1000 {
        let (u, a) = (format!("msg_u{turn:04}"), format!("msg_a{turn:04}"));
        for (mid, role) in [(&u, "user"), (&a, "assistant")] {
            apply(
                &mut store,
                "message.updated",
                json!({"sessionID": SID, "info": {"id": mid, "role": role, "sessionID": SID, "time": {"created": turn}}}),
            );
        }
        let rare = if turn == 995 { " zebrafinch" } else { "" };
        part(
            &mut store,
            &u,
            0,
            json!({"type": "text", "text": format!("Please look at step {turn} of the build{rare}")}),
        );
        part(
            &mut store,
            &a,
            0,
            json!({"type": "reasoning", "text": prose.repeat(4)}),
        );
        part(
            &mut store,
            &a,
            1,
            json!({"type": "tool", "tool": "bash", "callID": format!("c{turn}"), "state": {
            "status": "completed", "input": {"command": "grep -rn handler src", "description": "find handlers"},
            "output": output}}),
        );
        part(
            &mut store,
            &a,
            2,
            json!({"type": "text", "text": format!("{} Ünïcode café.", prose.repeat(13))}),
        );
    }
    store
}

fn main() {
    let t = Instant::now();
    let store = build();
    let s = store.session(SID).unwrap();
    let bytes: usize = s
        .messages
        .iter()
        .flat_map(|m| &m.parts)
        .map(|p| format!("{:?}", p.kind).len())
        .sum();
    println!(
        "search in {} messages (~{:.1} MB of parts), built in {:.2} s:",
        s.messages.len(),
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    for q in ["parser", "zebrafinch", "CAFÉ", "nothing-like-this"] {
        let t = Instant::now();
        let first = find_iter(&s.messages, q).next();
        let first_t = t.elapsed();
        let t = Instant::now();
        let all: Vec<_> = find_iter(&s.messages, q).collect();
        let all_t = t.elapsed();
        let cursor = SearchCursor::new(all);
        println!(
            "  {q:?}: first match {:.3} ms ({}), all matches {:.2} ms ({})",
            first_t.as_secs_f64() * 1000.0,
            first.map_or("none".to_string(), |h| h.message_id),
            all_t.as_secs_f64() * 1000.0,
            cursor.hits().len()
        );
    }
    app_path(store);
}

/// Time from Enter in the search bar to the frame showing the match, through `App`.
fn app_path(store: Store) {
    use crossterm::event::KeyCode;
    use ocw_tui::ui::testing::{ctrl, draw_app, key, type_text};
    use ocw_tui::ui::{App, UiInput, UiOptions};
    let mut app = App::with_store(UiOptions::default(), store);
    app.handle_input(UiInput::ShowSession(SID.into()));
    draw_app(&app, 120, 40);
    for q in ["parser", "zebrafinch", "CAFÉ"] {
        app.handle_key(ctrl('f'));
        type_text(&mut app, q);
        let t = Instant::now();
        app.handle_key(key(KeyCode::Enter));
        let screen = draw_app(&app, 120, 40);
        let first = t.elapsed();
        let t = Instant::now();
        app.handle_key(key(KeyCode::Char('N')));
        draw_app(&app, 120, 40);
        let step = t.elapsed();
        let label = screen
            .lines()
            .find(|l| l.contains("search:"))
            .unwrap_or("")
            .trim()
            .to_string();
        println!(
            "  app {q:?}: Enter to the frame showing the match {:.2} ms, N + frame {:.2} ms [{label}]",
            first.as_secs_f64() * 1000.0,
            step.as_secs_f64() * 1000.0
        );
        app.handle_key(key(KeyCode::Esc));
    }
}
