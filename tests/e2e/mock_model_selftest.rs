//! Tests of the scripted mock model: its script planning, its HTTP serving, and end to
//! end against the real `opencode serve` (these fail when opencode is not installed).
//! `serve_mock_forever` (ignored) runs a mock for manual testing.

use crate::support;

use futures_util::StreamExt;
use serde_json::{json, Value};
use support::mock_script::{plan, Completion, Reply, USAGE_TEXT, USAGE_TITLE, USAGE_TOOL_STEP};
use support::{Api, MockModel, Workspace};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---------------------------------------------------------------- planning (pure)

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

/// The assistant tool-call message and tool result opencode sends back after a step.
fn tool_round(output: &str) -> [Value; 2] {
    [
        json!({"role": "assistant", "content": "Running it.", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "bash", "arguments": "{}"}}]}),
        json!({"role": "tool", "tool_call_id": "call_1", "content": output}),
    ]
}

fn args(c: &Completion, i: usize) -> Value {
    serde_json::from_str(&c.tool_calls[i].arguments).expect("tool arguments are JSON")
}

#[test]
fn request_without_tools_is_answered_as_a_title() {
    let c = completion(plan(&json!({"messages": [user("bash: echo hi")]})));
    assert_eq!(c.full_text(), "Mock title");
    assert_eq!(c.usage, USAGE_TITLE);
    assert_eq!(c.finish_reason(), "stop");
}

#[test]
fn plain_prompt_says_hello_with_the_turn_number() {
    let c = completion(plan(&request(json!([
        {"role": "system", "content": "sys"},
        user("first"),
        {"role": "assistant", "content": "Hello! ..."},
        {"role": "user", "content": [{"type": "text", "text": "second\nmore lines"}]},
    ]))));
    assert_eq!(c.full_text(), "Hello! You said: second. This is turn 2.");
    assert!(c.text.len() > 2, "streamed in several chunks: {:?}", c.text);
    assert_eq!(c.usage, USAGE_TEXT);
}

#[test]
fn steps_run_one_per_tool_round_then_done_with_the_result() {
    let prompt = user("please run\nbash: echo hi\nread: a.txt");
    let first = completion(plan(&request(json!([prompt]))));
    assert_eq!(first.full_text(), "Running it.");
    assert_eq!(first.finish_reason(), "tool_calls");
    assert_eq!(first.usage, USAGE_TOOL_STEP);
    assert_eq!(first.tool_calls[0].name, "bash");
    assert_eq!(
        args(&first, 0),
        json!({"command": "echo hi", "description": "run a command"})
    );

    let [call, result] = tool_round("hi\n");
    let second = completion(plan(&request(json!([prompt, call, result]))));
    assert_eq!(second.tool_calls[0].name, "read");
    assert_eq!(args(&second, 0), json!({"filePath": "a.txt"}));

    let [call2, result2] = tool_round("\n  line one of a.txt  \nline two");
    let last = completion(plan(&request(json!([
        prompt, call, result, call2, result2
    ]))));
    assert!(last.tool_calls.is_empty());
    assert_eq!(last.full_text(), "Done: line one of a.txt");
    assert_eq!(last.usage, USAGE_TEXT);
}

#[test]
fn actions_joined_by_double_semicolon_are_one_response() {
    let c = completion(plan(&request(json!([user(
        "bash: echo a ;; write: b.txt :: x\\ny ;; edit: c.txt :: old => new"
    )]))));
    let names: Vec<&str> = c.tool_calls.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["bash", "write", "edit"]);
    assert_eq!(args(&c, 1), json!({"filePath": "b.txt", "content": "x\ny"}));
    assert_eq!(
        args(&c, 2),
        json!({"filePath": "c.txt", "oldString": "old", "newString": "new"})
    );
}

#[test]
fn question_task_tool_and_todo_actions() {
    let c = completion(plan(&request(json!([user(
        "question: Which color? | red, green ;; questions-multi ;; task: bash: echo child\\nread: x \
         ;; tool: glob {\"pattern\":\"*.rs\"} ;; todo: +plan, >build, ship"
    )]))));
    assert_eq!(
        args(&c, 0),
        json!({"questions": [{"question": "Which color?", "header": "Which", "options": [
            {"label": "red", "description": "option 1"}, {"label": "green", "description": "option 2"}]}]})
    );
    let multi = args(&c, 1);
    assert_eq!(multi["questions"].as_array().unwrap().len(), 2);
    assert_eq!(multi["questions"][1]["multiple"], true);
    assert_eq!(
        args(&c, 2),
        json!({"description": "subtask", "prompt": "bash: echo child\nread: x", "subagent_type": "general"})
    );
    assert_eq!(c.tool_calls[3].name, "glob");
    assert_eq!(c.tool_calls[3].arguments, "{\"pattern\":\"*.rs\"}");
    assert_eq!(c.tool_calls[4].name, "todowrite");
    let todo = args(&c, 4);
    let statuses: Vec<&str> = todo["todos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["completed", "in_progress", "pending"]);
}

#[test]
fn modifiers_shape_the_final_answer() {
    let words = completion(plan(&request(json!([user(
        "words: 7\nreason: think first"
    )]))));
    assert_eq!(
        words.full_text(),
        "word1 word2 word3 word4 word5 word6 word7"
    );
    assert_eq!(words.reasoning.concat(), "think first");

    let flood = completion(plan(&request(json!([user("deltas: 500")]))));
    assert_eq!(flood.text.len(), 500);
    assert!(flood.flood);

    let say = completion(plan(&request(json!([user(r"say: a \e]0;t\a b\\n")]))));
    assert_eq!(say.full_text(), "a \x1b]0;t\x07 b\\n");

    let md = completion(plan(&request(json!([user("markdown\nslow: 25")]))));
    assert_eq!(md.full_text(), support::mock_script::MARKDOWN_SAMPLE);
    assert_eq!(md.delay, std::time::Duration::from_millis(25));

    let prompt = user("bash: echo hi\nerror: boom");
    assert!(matches!(
        plan(&request(json!([prompt]))),
        Reply::Completion(_)
    ));
    let [call, result] = tool_round("hi");
    assert_eq!(
        plan(&request(json!([prompt, call, result]))),
        Reply::Error {
            status: 400,
            message: "boom".into()
        }
    );
}

// ---------------------------------------------------------------- HTTP serving

/// Reads one chunked HTTP response (head and body) from a raw connection.
async fn read_chunked_response(stream: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"0\r\n\r\n") {
        let n = stream.read(&mut byte).await.expect("read response");
        assert_eq!(
            n,
            1,
            "connection closed early: {}",
            String::from_utf8_lossy(&buf)
        );
        buf.push(byte[0]);
    }
    String::from_utf8(buf).unwrap()
}

#[tokio::test]
async fn serves_keep_alive_chunked_bodies_and_closes_on_request() {
    let mock = MockModel::start().await;
    let mut conn = tokio::net::TcpStream::connect(("127.0.0.1", mock.port()))
        .await
        .unwrap();
    let body = request(json!([user("hello")])).to_string();
    let (a, b) = body.split_at(body.len() / 2);
    let chunked = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    conn.write_all(chunked.as_bytes()).await.unwrap();
    let first = read_chunked_response(&mut conn).await;
    assert!(first.starts_with("HTTP/1.1 200 OK\r\n"), "{first}");
    assert!(first.contains("Hello! "), "{first}");
    assert!(first.contains("data: [DONE]"), "{first}");

    let plain = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(plain.as_bytes()).await.unwrap();
    let second = read_chunked_response(&mut conn).await;
    assert!(second.contains("\"finish_reason\":\"stop\""), "{second}");

    conn.write_all(b"GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut rest = String::new();
    conn.read_to_string(&mut rest).await.unwrap();
    assert!(rest.contains("\"mock-model\""), "{rest}");
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn streams_openai_chunks_with_tool_calls_usage_and_done() {
    use eventsource_stream::Eventsource;
    let mock = MockModel::start().await;
    let client = reqwest::Client::new();
    let body = request(json!([user("bash: echo hi ;; bash: echo ho")]));
    let response = client
        .post(format!("{}/chat/completions", mock.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let events: Vec<String> = response
        .bytes_stream()
        .eventsource()
        .map(|e| e.expect("SSE event").data)
        .collect()
        .await;
    assert_eq!(events.last().map(String::as_str), Some("[DONE]"));
    let chunks: Vec<Value> = events[..events.len() - 1]
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    let mut arguments = [String::new(), String::new()];
    for chunk in &chunks {
        assert_eq!(chunk["object"], "chat.completion.chunk");
        for call in chunk["choices"][0]["delta"]["tool_calls"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let index = call["index"].as_u64().unwrap() as usize;
            arguments[index] += call["function"]["arguments"].as_str().unwrap_or("");
        }
    }
    assert_eq!(
        arguments[1],
        r#"{"command":"echo ho","description":"run a command"}"#
    );
    let last = chunks.last().unwrap();
    assert_eq!(last["choices"][0]["finish_reason"], "tool_calls");
    assert_eq!(
        last["usage"],
        json!({"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120})
    );
    assert_eq!(mock.requests(), vec![body]);

    let error = client
        .post(format!("{}/chat/completions", mock.base_url()))
        .json(&request(json!([user("error: nope")])))
        .send()
        .await
        .unwrap();
    assert_eq!(error.status(), 400);
    let error: Value = error.json().await.unwrap();
    assert_eq!(error["error"]["message"], "nope");
}

// ---------------------------------------------------------------- against real opencode

#[tokio::test]
async fn hello_streams_text_and_second_turn_sees_the_first() {
    let mock = MockModel::start().await;
    let ws = Workspace::new(&mock);
    let mut api = Api::start(&ws, Some("s3cret")).await;
    let session = api.new_session().await;

    api.prompt(&session, "hello").await;
    let part = api
        .wait_text("Hello! You said: hello. This is turn 1.")
        .await;
    let streamed: String = api
        .seen
        .iter()
        .filter(|e| e["type"] == "message.part.delta" && e["properties"]["partID"] == part["id"])
        .map(|e| e["properties"]["delta"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(streamed, "Hello! You said: hello. This is turn 1.");
    api.wait_idle(&session).await;
    assert_eq!(api.tokens(&session), (40, 10));

    api.prompt(&session, "again").await;
    api.wait_text("Hello! You said: again. This is turn 2.")
        .await;
    api.wait_idle(&session).await;
    assert_eq!(api.tokens(&session), (80, 20));
    assert!(
        mock.requests().iter().any(|r| r.get("tools").is_none()),
        "a title request"
    );
}

#[tokio::test]
async fn bash_step_asks_permission_and_finishes_with_its_output() {
    let mock = MockModel::start().await;
    let ws = Workspace::new(&mock);
    let mut api = Api::start(&ws, Some("s3cret")).await;
    let session = api.new_session().await;

    api.prompt(&session, "please run\nbash: echo hi").await;
    let asked = api
        .wait_for("permission.asked", |e| e["type"] == "permission.asked")
        .await;
    assert_eq!(asked["properties"]["permission"], "bash");
    assert_eq!(asked["properties"]["metadata"]["command"], "echo hi");
    let id = asked["properties"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        api.post(&format!("/permission/{id}/reply"), json!({"reply": "once"}))
            .await,
        true
    );

    let tool = api
        .wait_for("completed bash part", |e| {
            let part = &e["properties"]["part"];
            part["type"] == "tool"
                && part["tool"] == "bash"
                && part["state"]["status"] == "completed"
        })
        .await;
    assert_eq!(
        tool["properties"]["part"]["state"]["output"]
            .as_str()
            .map(str::trim),
        Some("hi")
    );
    api.wait_text("Done: hi").await;
    api.wait_idle(&session).await;
    assert_eq!(api.tokens(&session), (140, 30));
}

#[tokio::test]
async fn subagent_permission_and_question_reach_the_client() {
    let mock = MockModel::start().await;
    let ws = Workspace::new(&mock);
    let mut api = Api::start(&ws, Some("s3cret")).await;
    let session = api.new_session().await;

    api.prompt(
        &session,
        "task: bash: echo child\nquestion: Which color? | red, green",
    )
    .await;
    let asked = api
        .wait_for("child permission", |e| e["type"] == "permission.asked")
        .await;
    let child = asked["properties"]["sessionID"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(
        child, session,
        "the subagent's permission comes with the child session id"
    );
    assert!(api.seen.iter().any(|e| e["type"] == "session.created"
        && e["properties"]["info"]["id"] == child.as_str()
        && e["properties"]["info"]["parentID"] == session.as_str()));
    let id = asked["properties"]["id"].as_str().unwrap().to_string();
    api.post(&format!("/permission/{id}/reply"), json!({"reply": "once"}))
        .await;
    api.wait_text("Done: child").await;

    let question = api
        .wait_for("question.asked", |e| e["type"] == "question.asked")
        .await;
    assert_eq!(question["properties"]["sessionID"], session.as_str());
    assert_eq!(question["properties"]["questions"][0]["header"], "Which");
    let id = question["properties"]["id"].as_str().unwrap().to_string();
    api.post(
        &format!("/question/{id}/reply"),
        json!({"answers": [["green"]]}),
    )
    .await;
    let done = api
        .wait_for("Done: after the answer", |e| {
            let part = &e["properties"]["part"];
            e["type"] == "message.part.updated"
                && part["sessionID"] == session.as_str()
                && part["text"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Done: ") && t.contains("green"))
        })
        .await;
    assert!(done["properties"]["part"]["text"].as_str().unwrap().len() <= "Done: ".len() + 80);
    api.wait_idle(&session).await;
}

#[tokio::test]
async fn error_line_fails_the_turn_with_session_error() {
    let mock = MockModel::start().await;
    let ws = Workspace::new(&mock);
    let mut api = Api::start(&ws, Some("s3cret")).await;
    let session = api.new_session().await;

    api.prompt(&session, "error: mock provider rejected the request")
        .await;
    let error = api
        .wait_for("session.error", |e| e["type"] == "session.error")
        .await;
    assert_eq!(
        error["properties"]["error"]["data"]["message"],
        "mock provider rejected the request"
    );
    api.wait_idle(&session).await;
}

#[tokio::test]
async fn status_line_answers_that_http_status_and_opencode_retries_it() {
    let mock = MockModel::start().await;
    let ws = Workspace::new(&mock);
    let mut api = Api::start(&ws, Some("s3cret")).await;
    let session = api.new_session().await;

    api.prompt(&session, "overloaded\nstatus: 429").await;
    let retry = api
        .wait_for("session.status retry", |e| {
            e["type"] == "session.status" && e["properties"]["status"]["type"] == "retry"
        })
        .await;
    assert_eq!(retry["properties"]["status"]["attempt"], 1);
    assert_eq!(
        retry["properties"]["status"]["message"],
        "scripted HTTP 429"
    );
    api.post(&format!("/session/{session}/abort"), serde_json::json!({}))
        .await;
    api.wait_idle(&session).await;
}

// ---------------------------------------------------------------- manual use

/// Serves a mock model until killed, for manual testing (e.g. ocw-tui in tmux):
/// `OCW_MOCK_PORT=4599 cargo test --test e2e -- --ignored --nocapture serve_mock_forever`
/// (`OCW_MOCK_SCENARIO=FILE` adds a scenario, as scripts/record-demo.sh does)
#[test]
#[ignore = "serves until killed; run by hand"]
fn serve_mock_forever() {
    let port = std::env::var("OCW_MOCK_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    // `OCW_MOCK_SCENARIO=FILE`: play that scenario (see tests/support/mock_scenario.rs).
    let scenario = std::env::var_os("OCW_MOCK_SCENARIO").map(|file| {
        support::mock_scenario::Scenario::load(std::path::Path::new(&file))
            .unwrap_or_else(|e| panic!("{e}"))
    });
    let mock = MockModel::start_with_scenario(port, scenario);
    println!(
        "mock model listening: base_url {} port {}",
        mock.base_url(),
        mock.port()
    );
    println!(
        "export OPENCODE_CONFIG_CONTENT='{}' OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1",
        mock.opencode_config()
    );
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
