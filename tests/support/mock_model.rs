//! A scripted OpenAI-compatible model server for end-to-end tests: owns the HTTP/1.1
//! serving (hand-written, on its own thread and tokio runtime, so a test that blocks its
//! own thread or pauses its clock cannot stall it) and the SSE rendering of replies.
//! What to answer is decided in `mock_script.rs` from the last user message.
//!
//! # Endpoints
//! - `POST /v1/chat/completions`: `stream: true` answers SSE `chat.completion.chunk`s and
//!   `data: [DONE]`; otherwise one `chat.completion` JSON. Every body is recorded
//!   ([`MockModel::requests`]).
//! - `GET /v1/models`: lists `mock-model`. Anything else: 404.
//!
//! # Token usage (what end-to-end tests assert as totals)
//! - a tool-call step: prompt 100 / completion 20 (total 120), `finish_reason: tool_calls`
//! - a text answer (final answer of a turn): prompt 40 / completion 10 (total 50), `stop`
//! - a title request (no `tools`): prompt 5 / completion 2 (total 7), `stop`
//!
//! So `please run\nbash: echo hi` costs input 140 / output 30 in the session (title apart).
//!
//! # Script grammar (lines of the LAST user message)
//! A scenario (`mock_scenario.rs`), when given, can instead map a natural prompt to a script
//! of this grammar with natural text around it; the rest of this section is unchanged.
//! A request without `tools` is the title generator: the answer is `Mock title`.
//! Otherwise each line of the last user message's text (string content, or the text parts
//! of an array, joined by `\n`) is read, trimmed; lines that match nothing are prose.
//!
//! *Steps* are lines starting with an action keyword. Step k (0-based) runs when k
//! assistant messages with `tool_calls` already follow that user message, so each tool
//! result brings the next step. A step streams the text `Running it.` then its tool
//! calls, all in ONE response; several actions in one line, separated by ` ;; `, are
//! several tool calls of that response (e.g. two permissions asked at once).
//!
//! | action | tool call arguments |
//! |---|---|
//! | `bash: CMD` | bash `{"command":CMD,"description":"run a command"}` |
//! | `write: PATH :: CONTENT` | write `{"filePath":PATH,"content":CONTENT}` |
//! | `edit: PATH :: OLD => NEW` | edit `{"filePath":PATH,"oldString":OLD,"newString":NEW}` |
//! | `read: PATH` | read `{"filePath":PATH}` |
//! | `question: QUESTION? \| a, b, c` | question: one question, header = its first word without trailing punctuation, options `a`,`b`,`c` described `option 1`.. |
//! | `questions-multi` (colon optional) | question: two questions, see below |
//! | `task: PROMPT` | task `{"description":"subtask","prompt":PROMPT,"subagent_type":"general"}` |
//! | `tool: NAME JSON` | tool NAME with JSON sent verbatim as arguments (`{}` if absent) |
//! | `todo: +a, >b, c` | todowrite; `+` completed, `>` `in_progress`, else pending; priority medium, ids 1.. |
//!
//! In CONTENT, OLD, NEW and PROMPT a literal `\n` is a newline, so `task: bash: echo a\nbash: echo b`
//! gives the subagent (whose user message is PROMPT) a two-step script.
//! `questions-multi` asks `Which license?` (header `License`, options `MIT` "permissive",
//! `GPL` "copyleft") then `Which languages?` (header `Langs`, `"multiple": true`, options
//! `rust` "fast", `go` "simple", `zig` "new"); answer e.g. `[["MIT"],["rust","zig"]]`.
//!
//! *Modifiers* (anywhere in the message):
//! - `reason: TEXT`: TEXT streamed as `delta.reasoning_content` before the final answer
//!   (several lines are joined by `\n`).
//! - `words: N`: the final answer is `word1 word2 ... wordN`, three words per chunk.
//! - `deltas: N`: the final answer is `word1 ... wordN`, ONE word per chunk, written back
//!   to back without flushing (flood test).
//! - `markdown`: the final answer is [`MARKDOWN_SAMPLE`] (heading, bold, list, inline
//!   code, fenced rust block).
//! - `error: MSG`: instead of the final answer (so after the steps, if any) answer HTTP 400
//!   `{"error":{"message":MSG,"type":"invalid_request_error"}}`; opencode reports a
//!   `session.error` (`APIError`, not retried).
//! - `status: N`: the error answer (with `error: MSG`, or alone: `scripted HTTP N`) has HTTP
//!   status N. opencode retries 429 and 5xx (`session.status` `retry` with its attempt and
//!   message, calling the model again, for as long as the turn runs: Esc stops it).
//! - `slow: MS`: sleep MS milliseconds before each chunk of every response of the turn.
//! - `say: TEXT`: the final answer is TEXT (after `markdown` in precedence, before
//!   `Done:`), with `\e` = ESC, `\a` = BEL, `\n` = newline, `\\` = backslash, so an answer
//!   can carry raw escape sequences (`say: \e]0;pwned\a` sets a terminal's title).
//! - `usage: N`: the final answer reports N prompt tokens instead of 40 (context meter).
//!
//! *Final answer* (once all steps ran, or with none), first that applies: `deltas`,
//! `words`, `markdown`, `say`; else if the last message is a tool result:
//! `Done: <its first non-empty line, trimmed, at most 80 chars>` (with several calls in the
//! last step, the last result); else
//! `Hello! You said: <first line of the prompt>. This is turn N.` with N = the number of
//! user messages in the request (proves context carries across turns).
//! Text is streamed in small chunks (two words each unless said otherwise above).
//!
//! Every response ends with a chunk carrying `usage` and `finish_reason`, then `data: [DONE]`.
//! Tool call ids are `call_1`, `call_2`, ... counted per server.

use super::mock_scenario::Scenario;
use super::mock_script::{plan_with, Completion, Reply};

use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, BufWriter};
use tokio::net::{TcpListener, TcpStream};

/// A running mock model server; stops when dropped.
pub struct MockModel {
    addr: SocketAddr,
    shared: Arc<Shared>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<Value>>,
    next_call: AtomicU64,
    scenario: Option<Scenario>,
}

impl MockModel {
    /// Starts a server on `127.0.0.1:0`.
    pub async fn start() -> MockModel {
        MockModel::start_blocking(0)
    }

    /// Starts a server on `127.0.0.1:port` (0 = any) from non-async code.
    pub fn start_blocking(port: u16) -> MockModel {
        MockModel::start_with_scenario(port, None)
    }

    /// Starts a server on `127.0.0.1:port` (0 = any) that plays `scenario` (see
    /// `mock_scenario.rs`) for the prompts it matches, from non-async code.
    pub fn start_with_scenario(port: u16, scenario: Option<Scenario>) -> MockModel {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("mock model: cannot bind 127.0.0.1:{port}: {e}"));
        listener
            .set_nonblocking(true)
            .expect("mock model: set_nonblocking");
        let addr = listener.local_addr().expect("mock model: local_addr");
        let shared = Arc::new(Shared {
            scenario,
            ..Shared::default()
        });
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let server_shared = shared.clone();
        std::thread::Builder::new()
            .name(format!("mock-model-{}", addr.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("mock model: tokio runtime");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("mock model: listener");
                    tokio::select! {
                        _ = stopped => {}
                        () = accept_loop(listener, server_shared) => {}
                    }
                });
                // Dropping the runtime cancels the connection tasks still running.
                runtime.shutdown_background();
            })
            .expect("mock model: spawn thread");
        MockModel {
            addr,
            shared,
            _shutdown: shutdown,
        }
    }

    /// `http://127.0.0.1:PORT/v1`, the provider's `baseURL`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The JSON bodies of the `/chat/completions` requests received so far, in order.
    pub fn requests(&self) -> Vec<Value> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The opencode config that makes `mock/mock-model` the model, with bash and edit
    /// permissions on `ask` (give it as `OPENCODE_CONFIG_CONTENT`).
    pub fn opencode_config(&self) -> Value {
        json!({
            "provider": {"mock": {
                "npm": "@ai-sdk/openai-compatible",
                "name": "Mock",
                "options": {"baseURL": self.base_url(), "apiKey": "x"},
                "models": {"mock-model": {"name": "Mock Model", "tool_call": true}}
            }},
            "model": "mock/mock-model",
            "permission": {"bash": "ask", "edit": "ask"}
        })
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let shared = shared.clone();
                tokio::spawn(async move {
                    // A client that hangs up mid-answer (abort) is normal: ignore the error.
                    let _ = serve_connection(stream, shared).await;
                });
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
        }
    }
}

struct Request {
    method: String,
    path: String,
    keep_alive: bool,
    body: Vec<u8>,
}

type Writer = BufWriter<tokio::net::tcp::OwnedWriteHalf>;

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (read, write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut writer = BufWriter::new(write);
    while let Some(request) = read_request(&mut reader, &mut writer).await? {
        respond(&request, &mut writer, &shared).await?;
        writer.flush().await?;
        if !request.keep_alive {
            break;
        }
    }
    writer.shutdown().await
}

const MAX_HEAD: usize = 1 << 20;

/// Reads one request (head and body); `None` when the client closed the connection.
async fn read_request<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
    writer: &mut Writer,
) -> std::io::Result<Option<Request>> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let mut line = String::new();
    // Tolerate stray empty lines between requests.
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().ok_or_else(|| bad("no method"))?.to_string();
    let path = parts.next().ok_or_else(|| bad("no path"))?.to_string();
    let version = parts.next().unwrap_or("HTTP/1.0").to_string();
    let mut headers = Vec::new();
    let mut head_size = line.len();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Err(bad("eof in headers"));
        }
        head_size += line.len();
        if head_size > MAX_HEAD {
            return Err(bad("head too large"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((name, value)) = l.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    let connection = header("connection").unwrap_or_default();
    let keep_alive = if version == "HTTP/1.1" {
        !connection.contains("close")
    } else {
        connection.contains("keep-alive")
    };
    if header("expect").is_some_and(|e| e.contains("100-continue")) {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        writer.flush().await?;
    }
    let mut body = Vec::new();
    if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        loop {
            line.clear();
            reader.read_line(&mut line).await?;
            let size = line.trim().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size.trim(), 16).map_err(|_| bad("bad chunk size"))?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    line.clear();
                    if reader.read_line(&mut line).await? == 0 || line.trim().is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..]).await?;
            line.clear();
            reader.read_line(&mut line).await?; // CRLF after the chunk data
        }
    } else if let Some(length) = header("content-length") {
        let length: usize = length.parse().map_err(|_| bad("bad content-length"))?;
        body.resize(length, 0);
        reader.read_exact(&mut body).await?;
    }
    Ok(Some(Request {
        method,
        path,
        keep_alive,
        body,
    }))
}

async fn respond(request: &Request, w: &mut Writer, shared: &Shared) -> std::io::Result<()> {
    let path = request.path.split('?').next().unwrap_or("");
    match (request.method.as_str(), path) {
        ("GET", p) if p.ends_with("/models") => {
            let models = json!({"object": "list", "data": [
                {"id": "mock-model", "object": "model", "created": 0, "owned_by": "mock"}]});
            write_json(w, 200, &models, request.keep_alive).await
        }
        ("POST", p) if p.ends_with("/chat/completions") => {
            let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
                return write_json(
                    w,
                    400,
                    &error_body("request body is not JSON"),
                    request.keep_alive,
                )
                .await;
            };
            shared.requests.lock().unwrap().push(body.clone());
            let model = body["model"].as_str().unwrap_or("mock-model").to_string();
            match plan_with(&body, shared.scenario.as_ref()) {
                Reply::Error { status, message } => {
                    write_json(w, status, &error_body(&message), request.keep_alive).await
                }
                Reply::Completion(c) => {
                    let ids: Vec<String> = c
                        .tool_calls
                        .iter()
                        .map(|_| {
                            format!(
                                "call_{}",
                                shared.next_call.fetch_add(1, Ordering::SeqCst) + 1
                            )
                        })
                        .collect();
                    if body["stream"] == true {
                        write_stream(w, &c, &ids, &model, request.keep_alive).await
                    } else {
                        let json = completion_json(&c, &ids, &model);
                        write_json(w, 200, &json, request.keep_alive).await
                    }
                }
            }
        }
        _ => {
            let body = error_body(&format!(
                "mock model: no route for {} {path}",
                request.method
            ));
            write_json(w, 404, &body, request.keep_alive).await
        }
    }
}

fn error_body(message: &str) -> Value {
    json!({"error": {"message": message, "type": "invalid_request_error"}})
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

async fn write_json(
    w: &mut Writer,
    status: u16,
    body: &Value,
    keep_alive: bool,
) -> std::io::Result<()> {
    let body = body.to_string();
    let connection = if keep_alive { "keep-alive" } else { "close" };
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: {connection}\r\n\r\n",
        reason_phrase(status),
        body.len()
    );
    w.write_all(head.as_bytes()).await?;
    w.write_all(body.as_bytes()).await
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn usage_json(c: &Completion) -> Value {
    json!({"prompt_tokens": c.usage.prompt, "completion_tokens": c.usage.completion,
           "total_tokens": c.usage.prompt + c.usage.completion})
}

/// The SSE `delta`s of a completion, in streaming order (without the final chunk).
fn deltas(c: &Completion, ids: &[String]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    out.extend(c.reasoning.iter().map(|r| json!({"reasoning_content": r})));
    out.extend(c.text.iter().map(|t| json!({"content": t})));
    for (index, (call, id)) in c.tool_calls.iter().zip(ids).enumerate() {
        out.push(
            json!({"tool_calls": [{"index": index, "id": id, "type": "function",
            "function": {"name": call.name, "arguments": ""}}]}),
        );
        // Arguments in two pieces, as real providers split them.
        let args = &call.arguments;
        let mid = (0..=args.len() / 2)
            .rev()
            .find(|&i| args.is_char_boundary(i))
            .unwrap_or(0);
        for piece in [&args[..mid], &args[mid..]] {
            if !piece.is_empty() {
                out.push(
                    json!({"tool_calls": [{"index": index, "function": {"arguments": piece}}]}),
                );
            }
        }
    }
    if let Some(first) = out.first_mut() {
        first["role"] = json!("assistant");
    }
    out
}

async fn write_stream<W: AsyncWrite + Unpin>(
    w: &mut W,
    c: &Completion,
    ids: &[String],
    model: &str,
    keep_alive: bool,
) -> std::io::Result<()> {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: {connection}\r\n\r\n"
    );
    w.write_all(head.as_bytes()).await?;
    w.flush().await?;
    let id = format!(
        "chatcmpl-mock-{}",
        ids.first().map_or("text", |s| s.as_str())
    );
    let created = unix_now();
    let chunk = |delta: Value, finish: Value| {
        json!({"id": id, "object": "chat.completion.chunk", "created": created, "model": model,
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
    };
    let mut events: Vec<Value> = deltas(c, ids)
        .into_iter()
        .map(|d| chunk(d, Value::Null))
        .collect();
    let mut last = chunk(json!({}), json!(c.finish_reason()));
    last["usage"] = usage_json(c);
    events.push(last);
    for event in &events {
        if !c.delay.is_zero() {
            tokio::time::sleep(c.delay).await;
        }
        write_chunk(w, &format!("data: {event}\n\n")).await?;
        if !c.flood {
            w.flush().await?;
        }
    }
    write_chunk(w, "data: [DONE]\n\n").await?;
    w.write_all(b"0\r\n\r\n").await?;
    w.flush().await
}

/// One HTTP/1.1 chunk of a chunked response.
async fn write_chunk<W: AsyncWrite + Unpin>(w: &mut W, data: &str) -> std::io::Result<()> {
    w.write_all(format!("{:x}\r\n{data}\r\n", data.len()).as_bytes())
        .await
}

/// A non-streaming `chat.completion` (for requests without `stream: true`).
fn completion_json(c: &Completion, ids: &[String], model: &str) -> Value {
    let mut message = json!({"role": "assistant", "content": c.full_text()});
    if !c.reasoning.is_empty() {
        message["reasoning_content"] = json!(c.reasoning.concat());
    }
    if !c.tool_calls.is_empty() {
        let calls: Vec<Value> = c
            .tool_calls
            .iter()
            .zip(ids)
            .map(|(call, id)| {
                json!({"id": id, "type": "function",
                "function": {"name": call.name, "arguments": call.arguments}})
            })
            .collect();
        message["tool_calls"] = json!(calls);
    }
    json!({"id": "chatcmpl-mock", "object": "chat.completion", "created": unix_now(), "model": model,
           "choices": [{"index": 0, "message": message, "finish_reason": c.finish_reason()}],
           "usage": usage_json(c)})
}
