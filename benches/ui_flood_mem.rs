//! Memory of the UI under a flood of text deltas, without a server (harness = false;
//! prints, never asserts): 200,000 one-word deltas (about 2 MB, one paragraph) into one
//! text part of the `hello` fixture's session, a 140x40 frame drawn every 500 deltas (or
//! once at the end with `UI_FLOOD_DRAW=end`). Prints the RSS growth against the text held,
//! and the same for the `Store` alone, each measured in a child process of its own (freed
//! memory stays with glibc's malloc, so one figure must not see the other's).
//!
//! Run: `cargo bench --bench ui_flood_mem`. `FLOOD_DELTAS` changes the count.

use ocw_tui::model::{Event, Store};
use ocw_tui::ui::testing::{app_from_events, draw_app, fixture_events};
use ocw_tui::ui::{UiInput, UiOptions};
use std::time::Instant;

fn rss_kb() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn deltas() -> u32 {
    std::env::var("FLOOD_DELTAS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000)
}

fn report(what: &str, text: usize, base: u64, started: Instant) {
    let growth = rss_kb().saturating_sub(base);
    println!(
        "{what}: text {:.2} MB, RSS growth {:.1} MB = {:.1}x the text, {:.2} s",
        text as f64 / 1048576.0,
        growth as f64 / 1024.0,
        growth as f64 * 1024.0 / text as f64,
        started.elapsed().as_secs_f64()
    );
}

fn ui(draw_every: Option<u32>) {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/hello.jsonl");
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    let sid = app.session_id().expect("a session").to_string();
    let (msg, part) = ("msg_zz".to_string(), "prt_zz".to_string());
    let info = format!(
        r#"{{"type":"message.updated","properties":{{"sessionID":"{sid}","info":{{"id":"{msg}","sessionID":"{sid}","role":"assistant"}}}}}}"#
    );
    let text = format!(
        r#"{{"type":"message.part.updated","properties":{{"sessionID":"{sid}","part":{{"id":"{part}","messageID":"{msg}","sessionID":"{sid}","type":"text","text":""}}}}}}"#
    );
    for e in [info, text] {
        app.handle_input(UiInput::Bus(Event::parse(&e).expect("event")));
    }
    let _ = draw_app(&app, 140, 40);
    let base = rss_kb();
    let started = Instant::now();
    let mut len = 0;
    for i in 1..=deltas() {
        let d = format!("word{i} ");
        len += d.len();
        app.handle_input(UiInput::Bus(Event::PartDelta {
            session_id: sid.clone(),
            message_id: msg.clone(),
            part_id: part.clone(),
            field: "text".into(),
            delta: d,
        }));
        if draw_every.is_some_and(|n| i % n == 0) {
            let _ = draw_app(&app, 140, 40);
        }
    }
    let _ = draw_app(&app, 140, 40);
    let what = match draw_every {
        Some(n) => format!("ui, a frame every {n} deltas"),
        None => "ui, one frame at the end".to_string(),
    };
    report(&what, len, base, started);
}

fn store_only() {
    let mut store = Store::new();
    let (sid, msg, part) = ("ses_a", "msg_zz", "prt_zz");
    let e = format!(
        r#"{{"type":"message.part.updated","properties":{{"sessionID":"{sid}","part":{{"id":"{part}","messageID":"{msg}","sessionID":"{sid}","type":"text","text":""}}}}}}"#
    );
    store.apply(&Event::parse(&e).expect("event"));
    let base = rss_kb();
    let started = Instant::now();
    let mut len = 0;
    for i in 1..=deltas() {
        let d = format!("word{i} ");
        len += d.len();
        store.apply(&Event::PartDelta {
            session_id: sid.into(),
            message_id: msg.into(),
            part_id: part.into(),
            field: "text".into(),
            delta: d,
        });
    }
    report("store alone", len, base, started);
}

fn main() {
    match std::env::var("UI_FLOOD_PART").as_deref() {
        Ok("ui") => ui(Some(500)),
        Ok("ui-end") => ui(None),
        Ok("store") => store_only(),
        _ => {
            let only = std::env::var("UI_FLOOD_DRAW").unwrap_or_default();
            let parts: &[&str] = if only == "end" {
                &["ui-end"]
            } else {
                &["ui", "ui-end", "store"]
            };
            let me = std::env::current_exe().expect("own path");
            for p in parts {
                let st = std::process::Command::new(&me)
                    .env("UI_FLOOD_PART", p)
                    .status()
                    .expect("child");
                assert!(st.success(), "{p} failed");
            }
        }
    }
}
