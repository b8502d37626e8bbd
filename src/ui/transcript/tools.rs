//! Tool calls in the transcript: a header (status icon, tool name, the input that matters:
//! the bash command, the file path, the pattern), then a preview (command output, a
//! coloured diff for write/edit, the todo list, the subagent's progress for `task`).
//! Collapsed previews are a few lines; expanded shows everything.

use crate::model::state::{SessionState, Store, ToolCall, ToolStatus};
use crate::safe_text;
use crate::ui::{theme, transcript::diff, transcript::wrap};
use ratatui::text::{Line, Span};
use serde_json::Value;

/// Lines of output shown while a call is collapsed.
pub const PREVIEW_LINES: usize = 6;
const INDENT: &str = "    ";

fn input_str<'a>(call: &'a ToolCall, key: &str) -> Option<&'a str> {
    call.input.get(key).and_then(Value::as_str)
}

/// The one-line summary of a call: what it acts on.
pub fn summary(call: &ToolCall) -> String {
    let s = |k| input_str(call, k).map(str::to_string);
    let found = match call.tool.as_str() {
        "bash" => s("command").map(|c| c.lines().next().unwrap_or("").to_string()),
        "read" | "write" | "edit" | "list" => s("filePath").or_else(|| s("path")),
        "glob" | "grep" => s("pattern").map(|p| match s("path") {
            Some(path) => format!("{p}  in {path}"),
            None => p,
        }),
        "webfetch" => s("url"),
        "task" => s("description"),
        "skill" => s("name"),
        "todowrite" => Some(format!(
            "{} todos",
            call.input
                .get("todos")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        )),
        "question" => call
            .input
            .pointer("/questions/0/question")
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    };
    found
        .or_else(|| call.title.clone())
        .unwrap_or_else(|| compact_json(&call.input))
}

fn compact_json(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Object(m) if m.is_empty() => String::new(),
        other => other.to_string(),
    }
}

/// The header line of a call, e.g. `✓ bash  echo hi`.
pub fn header(call: &ToolCall, width: usize) -> Line<'static> {
    let status = theme::tool_status(call.status);
    let name = safe_text::one_line(&display_name(&call.tool)).into_owned();
    let mut spans = vec![
        Span::raw("  "),
        Span::styled(format!("{} ", theme::tool_icon(call.status)), status),
        Span::styled(
            name.clone(),
            theme::tool_name().patch(status_name(call.status)),
        ),
        Span::raw("  "),
    ];
    let used = 6 + wrap::width(&name);
    let room = width.saturating_sub(used + 1);
    let mut what = summary(call);
    if call.tool == "bash" {
        what = format!("$ {what}");
    }
    spans.push(Span::styled(
        wrap::truncate(&what, room),
        theme::tool_input(),
    ));
    Line::from(spans)
}

fn status_name(s: ToolStatus) -> ratatui::style::Style {
    match s {
        ToolStatus::Error => theme::error(),
        _ => theme::base(),
    }
}

fn display_name(tool: &str) -> String {
    match tool {
        "todowrite" => "todo".into(),
        other => other.to_string(),
    }
}

/// Output text to preview: bash's live `metadata.output`, else `output`.
fn output_text(call: &ToolCall) -> Option<&str> {
    call.metadata
        .get("output")
        .and_then(Value::as_str)
        .or(call.output.as_deref())
        .filter(|s| !s.trim().is_empty())
}

/// The question tool's answers, (question, answer(s) joined by ", ") per question: from
/// `metadata.answers` with the call's questions; `None` while unanswered.
fn question_answers(call: &ToolCall) -> Option<Vec<(String, String)>> {
    let answers = call.metadata.get("answers")?.as_array()?;
    let questions = call.input.get("questions").and_then(Value::as_array);
    let out: Vec<(String, String)> = answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let q = questions
                .and_then(|qs| qs.get(i))
                .and_then(|q| q.get("question"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let a = match a {
                Value::Array(xs) => xs
                    .iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let a = if a.is_empty() {
                "(no answer)".to_string()
            } else {
                a
            };
            (q, a)
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

fn preview_block(
    text: &str,
    width: usize,
    expanded: bool,
    tail: bool,
    out: &mut Vec<Line<'static>>,
) {
    // Colours (SGR) of the output are kept, inside this cell only; every other escape
    // sequence is dropped and other controls show visibly (`safe_text::sgr`).
    let lines = safe_text::sgr::lines(text.trim_end_matches('\n'), theme::tool_output());
    let prefix = [Span::styled(format!("{INDENT}│ "), theme::dim())];
    let n = lines.len();
    let (shown, hidden_before, hidden_after) = if expanded || n <= PREVIEW_LINES {
        (&lines[..], 0, 0)
    } else if tail {
        (&lines[n - PREVIEW_LINES..], n - PREVIEW_LINES, 0)
    } else {
        (&lines[..PREVIEW_LINES], 0, n - PREVIEW_LINES)
    };
    let more = |k: usize| {
        Line::from(Span::styled(
            format!(
                "{INDENT}… {k} more line{} (ctrl+o expands)",
                if k == 1 { "" } else { "s" }
            ),
            theme::hint(),
        ))
    };
    if hidden_before > 0 {
        out.push(more(hidden_before));
    }
    for l in shown {
        out.extend(wrap::wrap_chars(l, width, &prefix, &prefix));
    }
    if hidden_after > 0 {
        out.push(more(hidden_after));
    }
}

fn diff_block(d: &str, width: usize, expanded: bool, out: &mut Vec<Line<'static>>) {
    let lines = diff::render_unified(d, width, INDENT);
    let n = lines.len();
    let limit = if expanded { n } else { PREVIEW_LINES * 2 };
    out.extend(lines.into_iter().take(limit));
    if n > limit {
        out.push(Line::from(Span::styled(
            format!("{INDENT}… {} more diff lines (ctrl+o expands)", n - limit),
            theme::hint(),
        )));
    }
}

/// Renders one tool call: header and preview. `store` and `session` let `task` show its child.
pub fn render(
    call: &ToolCall,
    width: usize,
    expanded: bool,
    store: &Store,
    session: &SessionState,
) -> Vec<Line<'static>> {
    let mut out = vec![header(call, width)];
    let dim_prefix = [Span::raw(INDENT)];
    // What an approval mode allowed for this call, in its words (model/approval.rs).
    for line in auto_lines(call, session) {
        out.extend(wrap::wrap_words(
            &[Span::styled(line, theme::warning())],
            width,
            &dim_prefix,
            &dim_prefix,
        ));
    }
    match call.tool.as_str() {
        "bash" => {
            if let Some(desc) = input_str(call, "description") {
                out.push(Line::from(Span::styled(
                    format!("{INDENT}{}", safe_text::one_line(desc)),
                    theme::dim(),
                )));
            }
            if let Some(cmd) = input_str(call, "command").filter(|c| c.contains('\n')) {
                if expanded {
                    for l in cmd.lines().skip(1) {
                        out.push(Line::from(Span::styled(
                            format!("{INDENT}  {}", safe_text::one_line(l)),
                            theme::tool_input(),
                        )));
                    }
                }
            }
            if let Some(o) = output_text(call) {
                preview_block(o, width, expanded, true, &mut out);
            }
            if let Some(code) = call.metadata.get("exit").and_then(Value::as_i64) {
                if code != 0 {
                    out.push(Line::from(Span::styled(
                        format!("{INDENT}exit status {code}"),
                        theme::error(),
                    )));
                }
            }
        }
        "edit" | "write" | "patch" | "multiedit" => {
            let d = call
                .metadata
                .get("diff")
                .and_then(Value::as_str)
                .or_else(|| {
                    call.metadata
                        .pointer("/filediff/patch")
                        .and_then(Value::as_str)
                });
            if let Some(d) = d {
                let (a, r) = diff::stats(d);
                out.push(Line::from(vec![
                    Span::raw(INDENT),
                    Span::styled(format!("+{a}"), theme::diff_add()),
                    Span::raw(" "),
                    Span::styled(format!("-{r}"), theme::diff_del()),
                ]));
                diff_block(d, width, expanded, &mut out);
            } else if let Some(content) = input_str(call, "content") {
                let as_diff: String = content.lines().map(|l| format!("+{l}\n")).collect();
                diff_block(&as_diff, width, expanded, &mut out);
            }
        }
        "read" => {
            if expanded {
                if let Some(o) = output_text(call) {
                    preview_block(o, width, true, false, &mut out);
                }
            }
        }
        "todowrite" => {
            if let Some(todos) = call.input.get("todos").and_then(Value::as_array) {
                for t in todos {
                    let status = t.get("status").and_then(Value::as_str).unwrap_or("");
                    let content = t.get("content").and_then(Value::as_str).unwrap_or("");
                    let (mark, style) = match status {
                        "completed" => ("[x]", theme::dim()),
                        "in_progress" => ("[~]", theme::warning()),
                        "cancelled" => ("[-]", theme::dim()),
                        _ => ("[ ]", theme::base()),
                    };
                    out.extend(wrap::wrap_words(
                        &[Span::styled(format!("{mark} {content}"), style)],
                        width,
                        &dim_prefix,
                        &[Span::raw(format!("{INDENT}    "))],
                    ));
                }
            }
        }
        "task" => task_progress(call, width, store, session, &mut out),
        "question" => match question_answers(call) {
            // The answers themselves, not the server's sentence to the model around them.
            Some(answers) => {
                for (q, a) in answers {
                    let head = if q.is_empty() {
                        String::new()
                    } else {
                        format!("{q} → ")
                    };
                    out.extend(wrap::wrap_words(
                        &[
                            Span::styled(safe_text::one_line(&head).into_owned(), theme::dim()),
                            Span::styled(safe_text::one_line(&a).into_owned(), theme::base()),
                        ],
                        width,
                        &[Span::styled(format!("{INDENT}│ "), theme::dim())],
                        &[Span::styled(format!("{INDENT}│ "), theme::dim())],
                    ));
                }
            }
            None => {
                if let Some(o) = output_text(call) {
                    preview_block(o, width, expanded, false, &mut out);
                }
            }
        },
        _ => {
            if let Some(o) = output_text(call) {
                preview_block(o, width, expanded, false, &mut out);
            }
        }
    }
    if let Some(e) = &call.error {
        out.extend(wrap::wrap_words(
            &[Span::styled(e.trim().to_string(), theme::error())],
            width,
            &dim_prefix,
            &dim_prefix,
        ));
    }
    out
}

/// The lines approval modes left for `call`'s requests ("auto-allowed: edit src/x.rs").
fn auto_lines(call: &ToolCall, session: &SessionState) -> Vec<String> {
    session
        .permissions
        .iter()
        .filter(|p| {
            p.request
                .tool
                .as_ref()
                .is_some_and(|t| t.call_id == call.call_id)
        })
        .filter_map(|p| p.auto.as_deref())
        .map(|l| safe_text::one_line(l).into_owned())
        .collect()
}

/// The child session of a `task` call: `metadata.sessionId`, else the child whose title
/// names the task's description.
pub fn task_child<'a>(
    call: &ToolCall,
    store: &'a Store,
    session: &'a SessionState,
) -> Option<&'a SessionState> {
    if let Some(id) = call.metadata.get("sessionId").and_then(Value::as_str) {
        return store.session(id);
    }
    let desc = input_str(call, "description")?;
    store
        .children(&session.id)
        .find(|c| c.title.as_deref().is_some_and(|t| t.contains(desc)))
}

fn task_progress(
    call: &ToolCall,
    width: usize,
    store: &Store,
    session: &SessionState,
    out: &mut Vec<Line<'static>>,
) {
    if let Some(agent) = input_str(call, "subagent_type") {
        out.push(Line::from(Span::styled(
            format!("{INDENT}agent: {}", safe_text::one_line(agent)),
            theme::dim(),
        )));
    }
    let Some(child) = task_child(call, store, session) else {
        if matches!(call.status, ToolStatus::Pending | ToolStatus::Running) {
            out.push(Line::from(Span::styled(
                format!("{INDENT}subagent: starting…"),
                theme::dim(),
            )));
        }
        return;
    };
    let call_open = matches!(call.status, ToolStatus::Pending | ToolStatus::Running);
    let calls: Vec<&ToolCall> = child.tool_calls().collect();
    let state = if child.pending_permissions().next().is_some()
        || child.pending_questions().next().is_some()
    {
        Span::styled("waiting for your answer", theme::warning())
    } else if child.is_busy() {
        Span::styled("working", theme::warning())
    } else if call_open && child.assistant_messages().next().is_none() {
        // The child exists but has not begun: not "done" before it started.
        Span::styled("starting…", theme::warning())
    } else if call_open {
        Span::styled("working", theme::warning())
    } else {
        Span::styled("done", theme::ok())
    };
    out.push(Line::from(vec![
        Span::styled(format!("{INDENT}subagent: "), theme::dim()),
        state,
        Span::styled(
            match calls.len() {
                0 if call_open => " · no tool calls yet".to_string(),
                0 => " · no tool calls".to_string(),
                1 => " · 1 tool call".to_string(),
                n => format!(" · {n} tool calls"),
            },
            theme::dim(),
        ),
    ]));
    let skip = calls.len().saturating_sub(3);
    for c in &calls[skip..] {
        let line = format!("{} {} {}", theme::tool_icon(c.status), c.tool, summary(c));
        out.push(Line::from(vec![
            Span::raw(format!("{INDENT}  ")),
            Span::styled(
                wrap::truncate(&line, width.saturating_sub(INDENT.len() + 3)),
                theme::tool_status(c.status),
            ),
        ]));
    }
}
