//! The reducer over the real recorded logs in `tests/fixtures/opencode-1.18.33`, against
//! figures worked out by hand from each log (the last `message.updated` snapshot of each
//! assistant message; the last snapshot of each text part; the permission and question
//! events). py-opencode-wrapper 0.3.1 gets several of these wrong (it sums every snapshot,
//! lists a tool once per update, and takes the user's prompt as the answer).

use ocw_tui::model::event::SessionStatus;
use ocw_tui::model::state::{PartKind, TokenTotals, ToolStatus};
use ocw_tui::model::{Event, SessionState, Store};

fn load(name: &str) -> Store {
    let path = format!(
        "{}/tests/fixtures/opencode-1.18.33/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut reader = ocw_tui::log::open(&path).unwrap();
    let mut store = Store::new();
    while let Some(rec) = reader.next_record().unwrap() {
        store.apply(&rec.event);
    }
    assert_eq!(reader.skipped, 0);
    store
}

fn only(store: &Store) -> &SessionState {
    assert_eq!(store.sessions().len(), 1);
    &store.sessions()[0]
}

fn totals(input: u64, output: u64, total: u64) -> TokenTotals {
    TokenTotals {
        input,
        output,
        total,
        ..Default::default()
    }
}

#[test]
fn bash_once_counts_each_message_once_and_the_tool_once() {
    let store = load("bash_once.jsonl");
    let s = only(&store);
    // Two assistant messages, each sent three times: 100/20 (total 120) + 40/10 (total 50).
    assert_eq!(s.tokens(), totals(140, 30, 170));
    assert_eq!(s.assistant_messages().count(), 2);
    // Five snapshots of one tool part: one call, completed, with its output.
    let calls: Vec<_> = s.tool_calls().collect();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].status, ToolStatus::Completed);
    assert_eq!(calls[0].output.as_deref(), Some("hi\n"));
    assert_eq!(calls[0].input["command"], "echo hi");
    assert_eq!(s.final_text(), "Done: hi");
    assert_eq!(s.permissions.len(), 1);
    assert_eq!(s.permissions[0].reply.as_deref(), Some("once"));
    assert_eq!(s.permissions[0].request.patterns, vec!["echo hi"]);
    assert_eq!(s.title.as_deref(), Some("Mock title"));
    assert_eq!(s.status, SessionStatus::Idle);
    assert_eq!(store.events, 43);
}

#[test]
fn bash_reject_ends_with_an_errored_tool() {
    let store = load("bash_reject.jsonl");
    let s = only(&store);
    assert_eq!(s.tokens(), totals(100, 20, 120));
    assert_eq!(s.permissions[0].reply.as_deref(), Some("reject"));
    let calls: Vec<_> = s.tool_calls().collect();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].status, ToolStatus::Error);
    assert_eq!(s.final_text(), "Running it.");
}

#[test]
fn hello_streams_into_one_text() {
    let store = load("hello.jsonl");
    let s = only(&store);
    assert_eq!(s.tokens(), totals(40, 10, 50));
    assert_eq!(s.final_text(), "Hello from the mock model.");
    // The user's prompt is a user message, never the answer.
    let user = s
        .messages
        .iter()
        .find(|m| m.role == ocw_tui::model::state::Role::User);
    assert!(user.is_some());
    assert_ne!(user.unwrap().text(), s.final_text());
}

#[test]
fn long_stream_of_three_thousand_words_is_not_duplicated() {
    let store = load("long.jsonl");
    let s = only(&store);
    assert_eq!(s.tokens(), totals(500, 3000, 3500));
    let text = s.final_text();
    assert_eq!(text.split_whitespace().count(), 3000);
    assert!(text.starts_with("word0 word1"));
    assert!(text.ends_with("word2999"));
}

#[test]
fn multi_turn_sums_four_assistant_messages() {
    let store = load("multi_turn.jsonl");
    let s = only(&store);
    assert_eq!(s.assistant_messages().count(), 4);
    assert_eq!(s.tokens(), totals(220, 50, 270));
    assert_eq!(s.final_text(), "Hello from the mock model.");
    assert_eq!(s.tool_calls().count(), 1);
    assert_eq!(s.permissions[0].reply.as_deref(), Some("once"));
}

#[test]
fn provider_error_is_recorded_with_the_servers_message() {
    let store = load("provider_error.jsonl");
    let s = only(&store);
    assert_eq!(s.tokens(), TokenTotals::default());
    assert_eq!(s.errors.len(), 1);
    assert_eq!(s.errors[0].name, "APIError");
    assert_eq!(s.errors[0].message(), "mock provider rejected the request");
    assert_eq!(s.final_text(), "");
}

#[test]
fn question_answer_is_recorded() {
    let store = load("question.jsonl");
    let s = only(&store);
    assert_eq!(s.questions.len(), 1);
    let q = &s.questions[0];
    assert_eq!(q.request.questions[0].question, "Which DB?");
    assert_eq!(q.request.questions[0].options.len(), 2);
    assert_eq!(q.answers, Some(vec![vec!["postgres".to_string()]]));
    assert!(!q.rejected);
    assert_eq!(s.tokens(), totals(140, 30, 170));
}

#[test]
fn two_questions_with_multi_select_keep_every_label() {
    let store = load("question_multi.jsonl");
    let q = &only(&store).questions[0];
    assert_eq!(q.request.questions.len(), 2);
    assert!(q.request.questions[0].multiple);
    assert_eq!(
        q.answers,
        Some(vec![
            vec!["rust".to_string(), "zig".to_string()],
            vec!["MIT".to_string()]
        ])
    );
}

#[test]
fn reasoning_is_kept_apart_from_the_answer() {
    let store = load("reasoning.jsonl");
    let s = only(&store);
    let reasoning: Vec<_> = s
        .messages
        .iter()
        .flat_map(|m| &m.parts)
        .filter_map(|p| match &p.kind {
            PartKind::Reasoning { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(reasoning, vec!["Let me think about it."]);
    assert_eq!(s.final_text(), "The answer is 42.");
}

#[test]
fn write_then_edit_has_two_tools_and_two_permissions() {
    let store = load("write_edit.jsonl");
    let s = only(&store);
    assert_eq!(s.tokens(), totals(280, 60, 340));
    let tools: Vec<_> = s
        .tool_calls()
        .map(|t| (t.tool.as_str(), t.status))
        .collect();
    assert_eq!(
        tools,
        vec![
            ("write", ToolStatus::Completed),
            ("edit", ToolStatus::Completed)
        ]
    );
    assert_eq!(s.permissions.len(), 2);
    assert!(s
        .permissions
        .iter()
        .all(|p| p.reply.as_deref() == Some("once")));
    assert_eq!(s.final_text(), "Done: Edit applied successfully.");
}

fn ev(json: &str) -> Event {
    Event::parse(json).unwrap()
}

#[test]
fn permission_resolved_by_the_server_is_not_pending() {
    let mut store = Store::new();
    for id in ["per_1", "per_2"] {
        store.apply(&ev(&format!(
            r#"{{"type":"permission.asked","properties":{{"id":"{id}","sessionID":"ses_a","permission":"bash","patterns":["echo {id}"],"always":["echo *"]}}}}"#
        )));
    }
    assert_eq!(
        store
            .session("ses_a")
            .unwrap()
            .pending_permissions()
            .count(),
        2
    );
    // We answer the first with "always"; the server approves the second by itself.
    for id in ["per_1", "per_2"] {
        store.apply(&ev(&format!(
            r#"{{"type":"permission.replied","properties":{{"sessionID":"ses_a","requestID":"{id}","reply":"always"}}}}"#
        )));
    }
    let s = store.session("ses_a").unwrap();
    assert_eq!(s.pending_permissions().count(), 0);
    assert!(s
        .permissions
        .iter()
        .all(|p| p.reply.as_deref() == Some("always")));
}

#[test]
fn subagent_sessions_at_any_depth_belong_to_the_tree() {
    let mut store = Store::new();
    store.apply(&ev(r#"{"type":"session.created","properties":{"sessionID":"ses_root","info":{"id":"ses_root"}}}"#));
    store.apply(&ev(r#"{"type":"session.created","properties":{"sessionID":"ses_c1","info":{"id":"ses_c1","parentID":"ses_root"}}}"#));
    store.apply(&ev(r#"{"type":"session.created","properties":{"sessionID":"ses_c2","info":{"id":"ses_c2","parentID":"ses_c1"}}}"#));
    store.apply(&ev(r#"{"type":"session.created","properties":{"sessionID":"ses_other","info":{"id":"ses_other"}}}"#));
    assert!(store.is_in_tree("ses_c2", "ses_root"));
    assert!(store.is_in_tree("ses_c1", "ses_root"));
    assert!(!store.is_in_tree("ses_other", "ses_root"));
    assert_eq!(store.children("ses_root").count(), 1);
}

#[test]
fn delta_for_an_unknown_part_keeps_the_text() {
    let mut store = Store::new();
    store.apply(&ev(r#"{"type":"message.part.delta","properties":{"sessionID":"s","messageID":"m","partID":"p","field":"text","delta":"abc"}}"#));
    store.apply(&ev(r#"{"type":"message.updated","properties":{"sessionID":"s","info":{"id":"m","role":"assistant","tokens":{"input":1,"output":2,"total":3}}}}"#));
    let s = store.session("s").unwrap();
    assert_eq!(s.final_text(), "abc");
    assert_eq!(s.tokens().total, 3);
}
