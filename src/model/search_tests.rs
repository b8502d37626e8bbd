//! Unit tests of transcript search (`search.rs`).

use super::*;
use crate::model::event::Event;
use serde_json::json;

const SID: &str = "ses_1";

/// A session from (message id, role, parts as the server sends them).
fn session(messages: &[(&str, &str, Vec<Value>)]) -> SessionState {
    let mut s = SessionState::new(SID);
    for (mid, role, parts) in messages {
        let info = json!({"sessionID": SID, "info": {"id": mid, "role": role, "sessionID": SID, "time": {"created": 1}}});
        s.apply(&Event::from_parts("message.updated", &info.to_string()));
        for (i, p) in parts.iter().enumerate() {
            let mut p = p.clone();
            p["id"] = json!(format!("{mid}_p{i}"));
            p["messageID"] = json!(mid);
            p["sessionID"] = json!(SID);
            let props = json!({"sessionID": SID, "part": p});
            s.apply(&Event::from_parts(
                "message.part.updated",
                &props.to_string(),
            ));
        }
    }
    s
}

fn text(t: &str) -> Value {
    json!({"type": "text", "text": t})
}

fn spans(s: &SessionState, q: &str) -> Vec<(String, String, Field, String)> {
    search(s, q)
        .into_iter()
        .map(|h| {
            let m = s.message(&h.message_id).unwrap();
            let p = m.part(&h.part_id).unwrap();
            let hay = match (&p.kind, &h.field) {
                (PartKind::Text { text, .. }, _) | (PartKind::Reasoning { text }, _) => {
                    text.clone()
                }
                (PartKind::Tool(c), Field::ToolOutput) => c.output.clone().unwrap(),
                (PartKind::Tool(c), Field::ToolError) => c.error.clone().unwrap(),
                (PartKind::Tool(c), Field::ToolInput { key }) => {
                    let mut v = &c.input;
                    for k in key.split('.') {
                        v = match k.parse::<usize>() {
                            Ok(i) if v.is_array() => &v[i],
                            _ => &v[k],
                        };
                    }
                    v.as_str().unwrap().to_string()
                }
                _ => unreachable!(),
            };
            (h.message_id, h.part_id, h.field, hay[h.range].to_string())
        })
        .collect()
}

fn all_kinds() -> SessionState {
    session(&[
        ("m1", "user", vec![text("Please fix the Parser")]),
        (
            "m2",
            "assistant",
            vec![
                json!({"type": "reasoning", "text": "the parser is in src/parser.rs"}),
                json!({"type": "tool", "tool": "bash", "callID": "c1", "state": {
                    "status": "completed",
                    "input": {"command": "grep -n PARSER src", "description": "find it"},
                    "output": "src/parser.rs:1: mod parser;"}}),
                json!({"type": "tool", "tool": "edit", "callID": "c2", "state": {
                    "status": "error",
                    "input": {"edits": [{"newString": "x"}, {"newString": "parser2"}]},
                    "error": "parser.rs is read-only"}}),
                text("Fixed the parser."),
            ],
        ),
    ])
}

#[test]
fn finds_every_field_case_insensitively_in_transcript_order() {
    let s = all_kinds();
    let got = spans(&s, "parser");
    let want: Vec<(&str, &str, Field, &str)> = vec![
        ("m1", "m1_p0", Field::Text, "Parser"),
        ("m2", "m2_p0", Field::Reasoning, "parser"),
        ("m2", "m2_p0", Field::Reasoning, "parser"),
        (
            "m2",
            "m2_p1",
            Field::ToolInput {
                key: "command".into(),
            },
            "PARSER",
        ),
        ("m2", "m2_p1", Field::ToolOutput, "parser"),
        ("m2", "m2_p1", Field::ToolOutput, "parser"),
        (
            "m2",
            "m2_p2",
            Field::ToolInput {
                key: "edits.1.newString".into(),
            },
            "parser",
        ),
        ("m2", "m2_p2", Field::ToolError, "parser"),
        ("m2", "m2_p3", Field::Text, "parser"),
    ];
    let want: Vec<_> = want
        .into_iter()
        .map(|(m, p, f, t)| (m.to_string(), p.to_string(), f, t.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn matches_do_not_overlap_and_a_blank_query_finds_nothing() {
    let s = session(&[("m1", "user", vec![text("aaaa")])]);
    let r: Vec<_> = search(&s, "aa").into_iter().map(|h| h.range).collect();
    assert_eq!(r, [0..2, 2..4]);
    assert!(search(&s, "").is_empty());
    assert!(search(&s, "   ").is_empty());
}

#[test]
fn unicode_case_folding_and_byte_ranges_on_char_boundaries() {
    let s = session(&[("m1", "user", vec![text("Straße ÉCOLE école ñ")])]);
    let got: Vec<String> = spans(&s, "école").into_iter().map(|x| x.3).collect();
    assert_eq!(got, ["ÉCOLE", "école"]);
    let got: Vec<String> = spans(&s, "SSE").into_iter().map(|x| x.3).collect();
    assert!(got.is_empty(), "ß is not folded to ss: {got:?}");
    // An ASCII query next to multi-byte text.
    let got: Vec<String> = spans(&s, "cole").into_iter().map(|x| x.3).collect();
    assert_eq!(got, ["COLE", "cole"]);
}

#[test]
fn synthetic_text_and_other_parts_are_not_searched() {
    let s = session(&[(
        "m1",
        "user",
        vec![
            json!({"type": "text", "text": "hidden needle", "synthetic": true}),
            json!({"type": "step-start"}),
        ],
    )]);
    assert!(search(&s, "needle").is_empty());
}

#[test]
fn the_first_hit_comes_without_scanning_the_rest() {
    let s = all_kinds();
    let first = find_iter(&s.messages, "fix").next().unwrap();
    assert_eq!(first.message_id, "m1");
}

#[test]
fn cursor_counts_and_wraps_both_ways() {
    let s = all_kinds();
    let mut c = SearchCursor::new(search(&s, "parser"));
    assert_eq!(c.label(), "1 of 9");
    c.prev_hit();
    assert_eq!(c.label(), "9 of 9");
    assert_eq!(c.current().unwrap().part_id, "m2_p3");
    c.next_hit();
    assert_eq!(c.label(), "1 of 9");
    c.next_hit();
    c.next_hit();
    assert_eq!(c.position(), Some((3, 9)));
    let mut none = SearchCursor::new(Vec::new());
    assert_eq!(none.label(), "no matches");
    assert!(none.next_hit().is_none() && none.prev_hit().is_none());
}

#[test]
fn cursor_seeks_from_a_message_and_keeps_its_hit_on_refresh() {
    let s = all_kinds();
    let mut c = SearchCursor::new(search(&s, "parser"));
    let h = c.seek_message(&s.messages, "m2").unwrap();
    assert_eq!(h.message_id, "m2");
    assert_eq!(c.label(), "2 of 9");
    c.next_hit();
    let kept = c.current().cloned();
    // More hits arrive (the session grew): the cursor stays on its hit.
    let mut more = search(&s, "parser");
    more.push(more[0].clone());
    c.refresh(more);
    assert_eq!(c.current().cloned(), kept);
    assert_eq!(c.label(), "3 of 10");
    c.refresh(Vec::new());
    assert_eq!(c.label(), "no matches");
}
