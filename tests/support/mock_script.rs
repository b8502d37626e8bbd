//! The mock model's brain: reads one chat-completions request and plans the reply
//! (text, reasoning, tool calls, usage, pacing) from the script in the last user
//! message, or from the scenario turn that message matches (`mock_scenario.rs`).
//! Pure: no I/O, no clock. The grammar is documented in `mock_model.rs`.

use super::mock_scenario::{request_model, Scenario, Turn};
use serde_json::{json, Value};
use std::time::Duration;

/// Text of every title-generator answer (requests without `tools`).
pub const TITLE_TEXT: &str = "Mock title";
/// Text streamed before the tool calls of every step.
pub const STEP_TEXT: &str = "Running it.";
/// Final answer of a `markdown` script.
pub const MARKDOWN_SAMPLE: &str = r#"# Mock report

This is **bold** text with `inline code` in it.

- first item
- second item with **emphasis**
- third item

```rust
fn main() {
    println!("hello");
}
```

That is all."#;

/// Token usage reported by the final chunk of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub prompt: u64,
    pub completion: u64,
}

/// Usage of a response that calls tools (a script step).
pub const USAGE_TOOL_STEP: Usage = Usage {
    prompt: 100,
    completion: 20,
};
/// Usage of a text answer (the final answer of a turn).
pub const USAGE_TEXT: Usage = Usage {
    prompt: 40,
    completion: 10,
};
/// Usage of a title-generator answer.
pub const USAGE_TITLE: Usage = Usage {
    prompt: 5,
    completion: 2,
};

/// What the mock answers to one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// An HTTP error with an `OpenAI` error body.
    Error { status: u16, message: String },
    /// A completion (streamed as SSE when the request asks for `stream: true`).
    Completion(Completion),
}

/// A planned completion: every field is streamed in order reasoning, text, tool calls.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// `delta.reasoning_content` chunks.
    pub reasoning: Vec<String>,
    /// `delta.content` chunks.
    pub text: Vec<String>,
    pub tool_calls: Vec<ToolCall>,
    pub usage: Usage,
    /// Pause between two chunks (`slow:`).
    pub delay: Duration,
    /// Flood mode (`deltas:`): chunks are written back to back, not flushed one by one.
    pub flood: bool,
}

impl Completion {
    fn answer(text: Vec<String>, usage: Usage) -> Completion {
        Completion {
            reasoning: Vec::new(),
            text,
            tool_calls: Vec::new(),
            usage,
            delay: Duration::ZERO,
            flood: false,
        }
    }

    /// `tool_calls` when the completion calls tools, else `stop`.
    pub fn finish_reason(&self) -> &'static str {
        if self.tool_calls.is_empty() {
            "stop"
        } else {
            "tool_calls"
        }
    }

    /// The whole answer text (all text chunks joined).
    pub fn full_text(&self) -> String {
        self.text.concat()
    }
}

/// One tool call: the function name and its JSON arguments (sent verbatim).
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub name: String,
    pub arguments: String,
}

impl ToolCall {
    fn new(name: &str, arguments: Value) -> ToolCall {
        ToolCall {
            name: name.to_string(),
            arguments: arguments.to_string(),
        }
    }
}

const STEP_KEYWORDS: &[&str] = &[
    "bash",
    "write",
    "edit",
    "read",
    "question",
    "questions-multi",
    "task",
    "tool",
    "todo",
];

/// A parsed script: the steps (each one response with one or more tool calls) and the
/// modifiers of the final answer.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Script {
    pub steps: Vec<Vec<ToolCall>>,
    pub reasoning: Option<String>,
    pub words: Option<usize>,
    pub markdown: bool,
    pub error: Option<String>,
    /// `status: N`: the HTTP status of the error answer (400 unless said).
    pub error_status: Option<u16>,
    pub slow_ms: Option<u64>,
    pub deltas: Option<usize>,
    /// `say: TEXT`: the final answer, escapes decoded (see [`decode_say`]).
    pub say: Option<String>,
    /// `usage: N`: the final answer reports N prompt tokens (context meter tests).
    pub usage_prompt: Option<u64>,
}

impl Script {
    /// Parses the lines of a user message; lines that are not script lines are ignored.
    pub fn parse(prompt: &str) -> Script {
        let mut script = Script::default();
        for line in prompt.lines().map(str::trim) {
            if line == "markdown" || line == "questions-multi" {
                script.apply(line, "");
                continue;
            }
            if let Some((keyword, rest)) = line.split_once(':') {
                script.apply(keyword.trim(), rest.trim());
            }
        }
        script
    }

    fn apply(&mut self, keyword: &str, rest: &str) {
        if STEP_KEYWORDS.contains(&keyword) {
            let step: Vec<ToolCall> = format!("{keyword}: {rest}")
                .split(" ;; ")
                .filter_map(parse_action)
                .collect();
            if !step.is_empty() {
                self.steps.push(step);
            }
            return;
        }
        match keyword {
            "reason" => {
                let text = match self.reasoning.take() {
                    Some(before) => format!("{before}\n{rest}"),
                    None => rest.to_string(),
                };
                self.reasoning = Some(text);
            }
            "words" => self.words = rest.parse().ok().or(self.words),
            "deltas" => self.deltas = rest.parse().ok().or(self.deltas),
            "slow" => self.slow_ms = rest.parse().ok().or(self.slow_ms),
            "markdown" => self.markdown = true,
            "error" => self.error = Some(rest.to_string()),
            "status" => self.error_status = rest.parse().ok().or(self.error_status),
            "say" => self.say = Some(decode_say(rest)),
            "usage" => self.usage_prompt = rest.parse().ok().or(self.usage_prompt),
            _ => {}
        }
    }
}

/// Parses one action (`keyword: args`) into a tool call.
fn parse_action(action: &str) -> Option<ToolCall> {
    let action = action.trim();
    let (keyword, rest) = match action.split_once(':') {
        Some((k, r)) => (k.trim(), r.trim()),
        None => (action, ""),
    };
    let call = match keyword {
        "bash" => ToolCall::new(
            "bash",
            json!({"command": rest, "description": "run a command"}),
        ),
        "write" => {
            let (path, content) = split_pair(rest, "::");
            ToolCall::new(
                "write",
                json!({"filePath": path, "content": unescape(content)}),
            )
        }
        "edit" => {
            let (path, change) = split_pair(rest, "::");
            let (old, new) = split_pair(change, "=>");
            ToolCall::new(
                "edit",
                json!({"filePath": path, "oldString": unescape(old), "newString": unescape(new)}),
            )
        }
        "read" => ToolCall::new("read", json!({"filePath": rest})),
        "question" => {
            let (question, options) = split_pair(rest, "|");
            let header = question
                .split_whitespace()
                .next()
                .unwrap_or("Question")
                .trim_end_matches(|c: char| !c.is_alphanumeric());
            let options: Vec<Value> = options
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .enumerate()
                .map(|(i, label)| json!({"label": label, "description": format!("option {}", i + 1)}))
                .collect();
            ToolCall::new(
                "question",
                json!({"questions": [{"question": question, "header": header, "options": options}]}),
            )
        }
        "questions-multi" => ToolCall::new("question", questions_multi()),
        "task" => ToolCall::new(
            "task",
            json!({"description": "subtask", "prompt": unescape(rest), "subagent_type": "general"}),
        ),
        "tool" => {
            let (name, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let args = args.trim();
            ToolCall {
                name: name.to_string(),
                arguments: if args.is_empty() { "{}" } else { args }.to_string(),
            }
        }
        "todo" => ToolCall::new("todowrite", json!({"todos": todos(rest)})),
        _ => return None,
    };
    Some(call)
}

/// The two questions of `questions-multi` (the second allows several answers).
pub fn questions_multi() -> Value {
    json!({"questions": [
        {"question": "Which license?", "header": "License", "options": [
            {"label": "MIT", "description": "permissive"},
            {"label": "GPL", "description": "copyleft"}]},
        {"question": "Which languages?", "header": "Langs", "multiple": true, "options": [
            {"label": "rust", "description": "fast"},
            {"label": "go", "description": "simple"},
            {"label": "zig", "description": "new"}]}
    ]})
}

/// `todo: +done item, >current item, open item`: `+` completed, `>` `in_progress`.
fn todos(list: &str) -> Vec<Value> {
    list.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .enumerate()
        .map(|(i, item)| {
            let (status, content) = if let Some(c) = item.strip_prefix('+') {
                ("completed", c)
            } else if let Some(c) = item.strip_prefix('>') {
                ("in_progress", c)
            } else {
                ("pending", item)
            };
            json!({"content": content.trim(), "status": status, "priority": "medium", "id": (i + 1).to_string()})
        })
        .collect()
}

/// Splits `a SEP b` at the first separator (both sides trimmed); no separator: `(s, "")`.
fn split_pair<'a>(s: &'a str, sep: &str) -> (&'a str, &'a str) {
    match s.split_once(sep) {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (s.trim(), ""),
    }
}

/// A literal `\n` in a script argument is a newline.
fn unescape(s: &str) -> String {
    s.replace("\\n", "\n")
}

/// The text of a `say:` line: `\e` is ESC, `\a` BEL, `\n` a newline, `\\` a backslash
/// (so an answer can carry raw escape sequences, as a hostile model's would).
pub fn decode_say(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('e') => out.push('\x1b'),
            Some('a') => out.push('\x07'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The text of a message: a string `content`, or the text parts of an array joined by `\n`.
pub fn message_text(message: &Value) -> String {
    match &message["content"] {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p["text"].as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// Splits text into small chunks of `per_chunk` words (whitespace kept), so that
/// concatenating the chunks gives the text back.
pub fn chunk_words(text: &str, per_chunk: usize) -> Vec<String> {
    let tokens: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    tokens
        .chunks(per_chunk.max(1))
        .map(<[&str]>::concat)
        .collect()
}

/// `word1 word2 ... wordN`.
pub fn numbered_words(n: usize) -> String {
    (1..=n)
        .map(|i| format!("word{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Plans the reply to one `/chat/completions` request body.
pub fn plan(request: &Value) -> Reply {
    plan_with(request, None)
}

/// [`plan`], with a scenario that may map the prompt to a script and natural text.
pub fn plan_with(request: &Value, scenario: Option<&Scenario>) -> Reply {
    let no_messages = Vec::new();
    let messages = request["messages"].as_array().unwrap_or(&no_messages);
    let has_tools = request["tools"].as_array().is_some_and(|t| !t.is_empty());
    if !has_tools {
        let title = scenario
            .and_then(|s| s.title.as_deref())
            .unwrap_or(TITLE_TEXT);
        return Reply::Completion(Completion::answer(chunk_words(title, 2), USAGE_TITLE));
    }
    let user_index = messages.iter().rposition(|m| m["role"] == "user");
    let prompt = user_index.map_or_else(String::new, |i| message_text(&messages[i]));
    let turn = scenario.and_then(|s| s.turn_for(&prompt, request_model(request)));
    let script = Script::parse(&turn.map_or_else(|| prompt.clone(), Turn::script_text));
    // Words per chunk of the text this turn says (the grammar's own texts keep theirs).
    let per = scenario
        .and_then(|s| s.chunk)
        .filter(|_| turn.is_some())
        .unwrap_or(2);
    let after_user = &messages[user_index.map_or(0, |i| i + 1)..];
    let steps_done = after_user
        .iter()
        .filter(|m| {
            m["role"] == "assistant" && m["tool_calls"].as_array().is_some_and(|c| !c.is_empty())
        })
        .count();
    let delay = Duration::from_millis(script.slow_ms.unwrap_or(0));

    if let Some(step) = script.steps.get(steps_done) {
        let text = turn.and_then(|t| t.step_text(steps_done));
        let text = text.as_deref().unwrap_or(STEP_TEXT);
        let mut completion = Completion::answer(chunk_words(text, per), USAGE_TOOL_STEP);
        completion.tool_calls.clone_from(step);
        completion.delay = delay;
        return Reply::Completion(completion);
    }
    if script.error.is_some() || script.error_status.is_some() {
        let status = script.error_status.unwrap_or(400);
        return Reply::Error {
            status,
            message: script
                .error
                .unwrap_or_else(|| format!("scripted HTTP {status}")),
        };
    }
    let mut flood = false;
    let text = if let Some(n) = script.deltas {
        flood = true;
        chunk_words(&numbered_words(n), 1)
    } else if let Some(n) = script.words {
        chunk_words(&numbered_words(n), 3)
    } else if script.markdown {
        chunk_words(MARKDOWN_SAMPLE, 3)
    } else if let Some(say) = &script.say {
        chunk_words(say, 2)
    } else if let Some(answer) = turn.and_then(|t| {
        let last_tool = messages.last().filter(|m| m["role"] == "tool");
        t.render_answer(last_tool.map(message_text).as_deref())
    }) {
        chunk_words(&answer, per)
    } else if let Some(tool) = messages.last().filter(|m| m["role"] == "tool") {
        chunk_words(&format!("Done: {}", first_line(&message_text(tool), 80)), 2)
    } else {
        let turn = messages.iter().filter(|m| m["role"] == "user").count();
        let said = prompt.lines().next().unwrap_or("").trim();
        chunk_words(&format!("Hello! You said: {said}. This is turn {turn}."), 2)
    };
    let usage = Usage {
        prompt: script.usage_prompt.unwrap_or(USAGE_TEXT.prompt),
        ..USAGE_TEXT
    };
    let mut completion = Completion::answer(text, usage);
    completion.reasoning = script
        .reasoning
        .map(|r| chunk_words(&r, per))
        .unwrap_or_default();
    completion.delay = delay;
    completion.flood = flood;
    Reply::Completion(completion)
}

/// The first non-empty line of `text`, trimmed, at most `max` characters.
fn first_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    line.chars().take(max).collect()
}
