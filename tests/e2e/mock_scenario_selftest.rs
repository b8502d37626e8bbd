//! Tests of the mock model's scenarios (tests/support/mock_scenario.rs): a natural prompt
//! played as a script with natural text around it, the title, the fallback to the grammar,
//! clear errors for a bad file, the demo's own scenario (scripts/demo-scenario.json), and
//! end to end against the real `opencode serve` (fails when opencode is not installed).

use crate::support;

use serde_json::{json, Value};
use support::mock_scenario::Scenario;
use support::mock_script::{plan, plan_with, Completion, Reply, Script};
use support::{Api, MockModel, Workspace};

fn tools() -> Value {
    json!([{"type": "function", "function": {"name": "bash", "parameters": {}}}])
}

fn request(messages: Value) -> Value {
    json!({"model": "mock-model", "stream": true, "tools": tools(), "messages": messages})
}

fn completion(reply: Reply) -> Completion {
    match reply {
        Reply::Completion(c) => c,
        Reply::Error { message, .. } => panic!("expected a completion, got error {message}"),
    }
}

fn user(text: &str) -> Value {
    json!({"role": "user", "content": text})
}

fn tool_round(output: &str) -> [Value; 2] {
    [
        json!({"role": "assistant", "content": "x", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "bash", "arguments": "{}"}}]}),
        json!({"role": "tool", "tool_call_id": "call_1", "content": output}),
    ]
}

fn scenario() -> Scenario {
    Scenario::parse(
        r#"{"title": "Tidy up the greeting",
            "turns": [
              {"when": "list the files",
               "script": ["bash: ls", "bash: wc -l *"],
               "steps": ["Let me look.", ["Now the sizes", "of each."]],
               "answer": "First: {result}. All:\n{output}"},
              {"when": "database",
               "script": ["question: Which database? | sqlite, postgres"],
               "answer": ["{answer} it is.", "Shall I go ahead?"]},
              {"when": "explain", "model": "big-model", "script": ["say: the big one"]}
            ]}"#,
    )
    .expect("the test scenario parses")
}

#[test]
fn a_natural_prompt_plays_its_turn_with_natural_text() {
    let s = scenario();
    let prompt = user("Could you LIST THE FILES please?");
    let first = completion(plan_with(&request(json!([prompt])), Some(&s)));
    assert_eq!(first.full_text(), "Let me look.");
    assert_eq!(first.tool_calls[0].name, "bash");
    assert!(first.tool_calls[0].arguments.contains(r#""command":"ls""#));

    let [a, t] = tool_round("a.txt\nb.txt\n");
    let second = completion(plan_with(&request(json!([prompt, a, t])), Some(&s)));
    assert_eq!(second.full_text(), "Now the sizes\nof each.");
    assert!(second.tool_calls[0].arguments.contains("wc -l"));

    let [a, t] = tool_round("a.txt\nb.txt\n");
    let [a2, t2] = tool_round("  3 a.txt\n  4 b.txt\n");
    let last = completion(plan_with(&request(json!([prompt, a, t, a2, t2])), Some(&s)));
    assert_eq!(last.full_text(), "First: 3 a.txt. All:\n3 a.txt\n  4 b.txt");
    assert!(last.tool_calls.is_empty());
}

#[test]
fn the_last_step_text_is_reused_and_the_default_stays_running_it() {
    let s = Scenario::parse(
        r#"{"turns": [{"when": "go", "script": ["bash: a", "bash: b"], "steps": ["Working."]},
                      {"when": "plain", "script": ["bash: a"]}]}"#,
    )
    .unwrap();
    let [a, t] = tool_round("out");
    let second = completion(plan_with(&request(json!([user("go"), a, t])), Some(&s)));
    assert_eq!(second.full_text(), "Working.");
    let plain = completion(plan_with(&request(json!([user("plain")])), Some(&s)));
    assert_eq!(plain.full_text(), "Running it.");
    let [a, t] = tool_round("out\n");
    let done = completion(plan_with(&request(json!([user("plain"), a, t])), Some(&s)));
    assert_eq!(
        done.full_text(),
        "Done: out",
        "no answer: the grammar's final answer"
    );
}

#[test]
fn the_answer_names_the_choice_of_a_question() {
    let s = scenario();
    let prompt = user("Now add a database");
    let ask = completion(plan_with(&request(json!([prompt])), Some(&s)));
    assert_eq!(ask.full_text(), "Running it.");
    assert_eq!(ask.tool_calls[0].name, "question");
    let [a, t] = tool_round(
        r#"User has answered your questions: "Which database?"="sqlite". You can now continue with the user's answers in mind."#,
    );
    let done = completion(plan_with(&request(json!([prompt, a, t])), Some(&s)));
    assert_eq!(done.full_text(), "sqlite it is.\nShall I go ahead?");
}

#[test]
fn the_title_comes_from_the_scenario_and_unmatched_prompts_use_the_grammar() {
    let s = scenario();
    let title = completion(plan_with(&json!({"messages": [user("hi")]}), Some(&s)));
    assert_eq!(title.full_text(), "Tidy up the greeting");
    let hello = completion(plan_with(&request(json!([user("hi")])), Some(&s)));
    assert_eq!(hello.full_text(), "Hello! You said: hi. This is turn 1.");
    let grammar = completion(plan_with(&request(json!([user("bash: echo x")])), Some(&s)));
    assert_eq!(grammar.tool_calls[0].name, "bash");
    assert_eq!(
        completion(plan(&json!({"messages": [user("hi")]}))).full_text(),
        "Mock title",
        "without a scenario nothing changes"
    );
}

#[test]
fn chunk_sets_the_words_per_chunk_of_the_scenario_text_only() {
    let s = Scenario::parse(
        r#"{"chunk": 4, "turns": [{"when": "go", "script": ["reason: a b c d e"], "answer": "one two three four five six"}]}"#,
    )
    .unwrap();
    let c = completion(plan_with(&request(json!([user("go")])), Some(&s)));
    assert_eq!(c.text, ["one two three four ", "five six"]);
    assert_eq!(c.reasoning, ["a b c d ", "e"]);
    let hello = completion(plan_with(
        &request(json!([user("hi there you all")])),
        Some(&s),
    ));
    assert_eq!(
        hello.text[0], "Hello! You ",
        "unmatched prompts keep two words a chunk"
    );
}

#[test]
fn a_turn_with_a_model_matches_only_that_model() {
    let s = scenario();
    let mut req = request(json!([user("explain it")]));
    let other = completion(plan_with(&req, Some(&s)));
    assert_eq!(
        other.full_text(),
        "Hello! You said: explain it. This is turn 1."
    );
    req["model"] = json!("big-model");
    assert_eq!(
        completion(plan_with(&req, Some(&s))).full_text(),
        "the big one"
    );
}

#[test]
fn a_bad_scenario_says_what_is_wrong() {
    let e = Scenario::parse(r#"{"turns": [{"when": "a", "anwser": "x"}]}"#).unwrap_err();
    assert!(e.contains("anwser") && e.contains("expected"), "{e}");
    let e = Scenario::parse(r#"{"turns": [{"when": " "}]}"#).unwrap_err();
    assert!(e.contains("turn 1") && e.contains("empty \"when\""), "{e}");
    let e = Scenario::load(std::path::Path::new("/nonexistent/s.json")).unwrap_err();
    assert!(
        e.contains("/nonexistent/s.json") && e.contains("cannot read"),
        "{e}"
    );
}

#[test]
fn the_demo_scenario_loads_and_every_turn_calls_real_tools() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/demo-scenario.json");
    let s = Scenario::load(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.title.is_some());
    for turn in &s.turns {
        let script = Script::parse(&turn.script_text());
        assert!(
            !script.steps.is_empty(),
            "turn {:?} runs no tool",
            turn.when
        );
        for call in script.steps.iter().flatten() {
            let args: Value = serde_json::from_str(&call.arguments)
                .unwrap_or_else(|e| panic!("turn {:?}: {} arguments: {e}", turn.when, call.name));
            assert!(args.is_object(), "{args}");
        }
        assert!(turn.answer.is_some(), "turn {:?} has no answer", turn.when);
    }
}

// ---------------------------------------------------------------- against real opencode

#[tokio::test]
async fn opencode_plays_a_scenario_turn_from_a_natural_prompt() {
    let mock = MockModel::start_with_scenario(0, Some(scenario()));
    let ws = Workspace::new(&mock);
    let mut api = Api::start(&ws, Some("s3cret")).await;
    let session = api.new_session().await;

    api.prompt(&session, "Please list the files").await;
    for _ in 0..2 {
        let asked = api
            .wait_for("permission.asked", |e| e["type"] == "permission.asked")
            .await;
        let id = asked["properties"]["id"].as_str().unwrap().to_string();
        api.post(&format!("/permission/{id}/reply"), json!({"reply": "once"}))
            .await;
    }
    let answer = api
        .wait_for("the templated answer", |e| {
            e["type"] == "message.part.updated"
                && e["properties"]["part"]["text"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("First: ") && t.contains("All:"))
        })
        .await;
    let answer = answer["properties"]["part"]["text"].as_str().unwrap();
    assert!(!answer.contains('{'), "placeholders filled: {answer}");
    api.wait_idle(&session).await;
    let texts: Vec<&str> = api
        .seen
        .iter()
        .filter(|e| e["type"] == "message.part.updated")
        .filter_map(|e| e["properties"]["part"]["text"].as_str())
        .collect();
    for said in ["Let me look.", "Now the sizes\nof each."] {
        assert!(texts.contains(&said), "{said:?} not in {texts:?}");
    }
    api.wait_for("the scenario's title", |e| {
        e["type"] == "session.updated" && e["properties"]["info"]["title"] == "Tidy up the greeting"
    })
    .await;
}
