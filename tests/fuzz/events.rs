//! Hostile input to the event parser, the reducer, the summary, the log reader and the
//! TUI's rendering (proptest): arbitrary JSON shaped like events (real keys and types, ids
//! that collide), and the recorded opencode 1.18.33 fixture lines mutated byte-wise and
//! value-wise. Nothing may panic. Plus the single cases: a 10 MB event, unknown types, an
//! event for an unknown session, a delta for an unknown part.
//!
//! `OCW_FUZZ_CASES=N` sets the cases per property (default 300); each property prints the
//! inputs it tried and the time it took (`cargo test --test fuzz events:: -- --nocapture`).

use ocw_tui::log::LogReader;
use ocw_tui::model::{Event, Store, Summary};
use ocw_tui::ui::testing::draw_app;
use ocw_tui::ui::{App, UiInput, UiOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};
use std::time::Instant;

const FIXTURES: &str = "tests/fixtures/opencode-1.18.33";

const TYPES: &[&str] = &[
    "server.connected",
    "server.heartbeat",
    "session.created",
    "session.updated",
    "session.deleted",
    "session.status",
    "session.idle",
    "session.error",
    "session.diff",
    "message.updated",
    "message.removed",
    "message.part.updated",
    "message.part.delta",
    "message.part.removed",
    "permission.asked",
    "permission.replied",
    "question.asked",
    "question.replied",
    "question.rejected",
    "todo.updated",
    "catalog.updated",
    "no.such.type",
];

const KEYS: &[&str] = &[
    "id",
    "sessionID",
    "messageID",
    "partID",
    "parentID",
    "requestID",
    "type",
    "info",
    "part",
    "delta",
    "field",
    "text",
    "role",
    "status",
    "tokens",
    "cost",
    "time",
    "created",
    "completed",
    "state",
    "tool",
    "callID",
    "input",
    "output",
    "title",
    "error",
    "name",
    "data",
    "message",
    "questions",
    "options",
    "label",
    "answers",
    "reply",
    "permission",
    "patterns",
    "metadata",
    "todos",
    "attempt",
    "next",
    "finish",
    "synthetic",
    "cache",
    "read",
    "write",
    "multiple",
];

const IDS: &[&str] = &[
    "ses_a", "ses_b", "msg_1", "msg_2", "prt_1", "prt_2", "per_1", "que_1",
];

fn cases() -> u32 {
    std::env::var("OCW_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        (0..IDS.len()).prop_map(|i| json!(IDS[i])),
        (0..TYPES.len()).prop_map(|i| json!(TYPES[i])),
        ".{0,24}".prop_map(Value::from),
        Just(json!("busy")),
        Just(json!("idle")),
        Just(json!("retry")),
        Just(json!("text")),
        Just(json!("tool")),
        Just(json!("completed")),
    ]
}

/// JSON values made of the keys and values events really use, up to a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(((0..KEYS.len()), inner), 0..8).prop_map(|kv| {
                let map: Map<String, Value> = kv
                    .into_iter()
                    .map(|(k, v)| (KEYS[k].to_string(), v))
                    .collect();
                Value::Object(map)
            }),
        ]
    })
}

/// An event line: a known (or unknown) type with arbitrary properties.
fn event_line() -> impl Strategy<Value = String> {
    prop_oneof![
        ((0..TYPES.len()), json_value())
            .prop_map(|(t, p)| json!({"type": TYPES[t], "properties": p}).to_string()),
        json_value().prop_map(|v| v.to_string()),
        ".{0,64}",
    ]
}

fn fixture_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            let text = std::fs::read_to_string(&path).unwrap();
            lines.extend(text.lines().map(str::to_string));
        }
    }
    assert!(lines.len() > 100, "the fixtures are there");
    lines
}

/// Replaces one node (chosen by `pick`) of `v` with `new`, walking objects and arrays.
fn replace_node(v: &mut Value, pick: &mut usize, new: &Value) -> bool {
    if *pick == 0 {
        *v = new.clone();
        return true;
    }
    *pick -= 1;
    match v {
        Value::Object(m) => m.values_mut().any(|c| replace_node(c, pick, new)),
        Value::Array(a) => a.iter_mut().any(|c| replace_node(c, pick, new)),
        _ => false,
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    FlipByte(usize, u8),
    Truncate(usize),
    DeleteRange(usize, usize),
    DuplicateRange(usize, usize),
    ReplaceNode(usize, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::FlipByte(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 0usize..64).prop_map(|(i, n)| Mutation::DeleteRange(i, n)),
        (any::<usize>(), 0usize..64).prop_map(|(i, n)| Mutation::DuplicateRange(i, n)),
        (0usize..64, json_value()).prop_map(|(i, v)| Mutation::ReplaceNode(i, v)),
    ]
}

fn mutate(line: &str, muts: &[Mutation]) -> Vec<u8> {
    let mut bytes = line.as_bytes().to_vec();
    for m in muts {
        let len = bytes.len().max(1);
        match m {
            Mutation::FlipByte(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % len] ^= b | 1;
                }
            }
            Mutation::Truncate(i) => bytes.truncate(i % len),
            Mutation::DeleteRange(i, n) => {
                let a = (i % len).min(bytes.len());
                let b = (a + n).min(bytes.len());
                bytes.drain(a..b);
            }
            Mutation::DuplicateRange(i, n) => {
                let a = (i % len).min(bytes.len());
                let b = (a + n).min(bytes.len());
                let chunk = bytes[a..b].to_vec();
                bytes.splice(b..b, chunk);
            }
            Mutation::ReplaceNode(i, new) => {
                if let Ok(mut v) = serde_json::from_slice::<Value>(&bytes) {
                    let mut pick = *i;
                    replace_node(&mut v, &mut pick, new);
                    bytes = v.to_string().into_bytes();
                }
            }
        }
    }
    bytes
}

/// Everything downstream of a batch of lines: parse, reduce, summarise, read as a log,
/// and show in the TUI (the session of the first event that names one).
fn exercise(lines: &[Vec<u8>], draw: bool) {
    let mut store = Store::new();
    let mut events = Vec::new();
    for l in lines {
        if let Ok(text) = std::str::from_utf8(l) {
            if let Ok(ev) = Event::parse(text) {
                store.apply(&ev);
                events.push(ev);
            }
        }
    }
    let summary = Summary::of(&store, 0).to_json();
    assert!(serde_json::from_str::<Value>(&summary).is_ok());
    let roots: Vec<String> = store.sessions().iter().map(|s| s.id.clone()).collect();
    for r in &roots {
        let _ = Summary::of_tree(&store, r, 0).to_json();
    }
    let mut log = Vec::new();
    for l in lines {
        log.extend_from_slice(l);
        log.push(b'\n');
    }
    let reader = LogReader::new(std::io::Cursor::new(log));
    for rec in reader {
        let _ = rec;
    }
    if draw {
        let mut app = App::new(UiOptions::default());
        app.handle_input(UiInput::Connection(ocw_tui::ui::ConnectionState::Connected));
        if let Some(first) = roots.first() {
            app.handle_input(UiInput::ShowSession(first.clone()));
        }
        for ev in events {
            app.handle_input(UiInput::Bus(ev));
        }
        let _ = draw_app(&app, 60, 16);
    }
}

fn run_property<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    let started = Instant::now();
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let inputs = std::sync::atomic::AtomicU64::new(0);
    let result = runner.run(&strategy, |v| {
        inputs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        test(v);
        Ok(())
    });
    eprintln!(
        "fuzz {name}: {} inputs in {:.1} s",
        inputs.into_inner(),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn arbitrary_event_shaped_json_never_panics() {
    run_property(
        "arbitrary events",
        prop::collection::vec(event_line(), 1..40),
        |lines| {
            let lines: Vec<Vec<u8>> = lines.into_iter().map(String::into_bytes).collect();
            exercise(&lines, true);
        },
    );
}

#[test]
fn mutated_fixture_lines_never_panic() {
    let fixtures = fixture_lines();
    let n = fixtures.len();
    run_property(
        "mutated fixtures",
        prop::collection::vec(((0..n), prop::collection::vec(mutation(), 1..4)), 1..60),
        |picks| {
            let lines: Vec<Vec<u8>> = picks
                .iter()
                .map(|(i, muts)| mutate(&fixtures[*i], muts))
                .collect();
            exercise(&lines, true);
        },
    );
}

#[test]
fn whole_fixtures_with_a_few_mutated_lines_never_panic() {
    let names = ["bash_once", "question_multi", "write_edit", "multi_turn"];
    let logs: Vec<Vec<String>> = names
        .iter()
        .map(|n| {
            std::fs::read_to_string(format!("{FIXTURES}/{n}.jsonl"))
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect()
        })
        .collect();
    run_property(
        "mutated whole logs",
        (
            0..logs.len(),
            prop::collection::vec(
                (any::<usize>(), prop::collection::vec(mutation(), 1..3)),
                1..6,
            ),
        ),
        |(which, muts)| {
            let mut lines: Vec<Vec<u8>> =
                logs[which].iter().map(|l| l.clone().into_bytes()).collect();
            for (i, m) in muts {
                let i = i % lines.len();
                let text = String::from_utf8_lossy(&lines[i]).into_owned();
                lines[i] = mutate(&text, &m);
            }
            exercise(&lines, true);
        },
    );
}

fn line(v: Value) -> Vec<u8> {
    v.to_string().into_bytes()
}

#[test]
fn a_10_mb_event_is_applied_whole() {
    let big = "x".repeat(10 * 1024 * 1024);
    let lines = vec![
        line(
            json!({"type": "message.updated", "properties": {"sessionID": "ses_a",
            "info": {"id": "msg_1", "sessionID": "ses_a", "role": "assistant", "time": {"created": 1}}}}),
        ),
        line(
            json!({"type": "message.part.updated", "properties": {"sessionID": "ses_a",
            "part": {"id": "prt_1", "sessionID": "ses_a", "messageID": "msg_1", "type": "text", "text": ""}}}),
        ),
        line(
            json!({"type": "message.part.delta", "properties": {"sessionID": "ses_a",
            "messageID": "msg_1", "partID": "prt_1", "field": "text", "delta": big}}),
        ),
    ];
    let mut store = Store::new();
    for l in &lines {
        store.apply(&Event::parse(std::str::from_utf8(l).unwrap()).unwrap());
    }
    assert_eq!(
        store.session("ses_a").unwrap().final_text().len(),
        big.len()
    );
    exercise(&lines, true);
}

#[test]
fn unknown_types_sessions_and_parts_are_kept_not_fatal() {
    let lines = [
        json!({"type": "brand.new.event", "properties": {"sessionID": "ses_x", "what": [1, 2]}}),
        json!({"type": "message.part.delta", "properties": {"sessionID": "ses_never_seen",
            "messageID": "msg_9", "partID": "prt_unknown", "field": "text", "delta": "kept"}}),
        json!({"type": "message.part.delta", "properties": {"sessionID": "ses_never_seen",
            "messageID": "msg_9", "partID": "prt_unknown", "field": "text", "delta": " too"}}),
        json!({"type": "session.status", "properties": {"sessionID": "ses_other", "status": {"type": "warp"}}}),
        json!({"type": "permission.replied", "properties": {"sessionID": "ses_y", "requestID": "per_none", "reply": "once"}}),
    ];
    let mut store = Store::new();
    for l in &lines {
        let ev = Event::parse(&l.to_string()).expect("parses");
        store.apply(&ev);
    }
    let s = store
        .session("ses_never_seen")
        .expect("the unknown session is created");
    assert_eq!(
        s.messages[0].text(),
        "kept too",
        "the delta is kept, in order"
    );
    let lines: Vec<Vec<u8>> = lines.into_iter().map(line).collect();
    exercise(&lines, true);
}
