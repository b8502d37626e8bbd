//! The transcript of a reduced log as Markdown (`ocw-tui replay --export-markdown OUT`):
//! per session, each prompt and answer in order, reasoning, every tool call with its
//! command / diff / output, the outcome of each permission and question, errors and the
//! totals. Reads a [`Store`] only, so it shows exactly what the reducer made of the log.
//!
//! Code blocks use a fence longer than any run of backticks inside them, so a tool
//! output holding ``` cannot break out of its block.

use crate::model::state::{
    Message, PartKind, PermissionEntry, QuestionEntry, Role, SessionState, Store, ToolCall,
};
use serde_json::Value;
use std::fmt::Write;

/// Tool output longer than this many lines is cut (the rest counted) in the export.
const MAX_OUTPUT_LINES: usize = 200;

/// The whole log as one Markdown document.
pub fn export(store: &Store, skipped_lines: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# opencode transcript\n");
    for s in store.sessions() {
        session(&mut out, s);
    }
    let _ = writeln!(
        out,
        "---\n\n{} events, {} skipped lines.",
        store.events, skipped_lines
    );
    out
}

fn session(out: &mut String, s: &SessionState) {
    let title = s.title.as_deref().unwrap_or("(untitled)");
    let _ = writeln!(out, "## {}\n", inline(title));
    let _ = write!(out, "Session `{}`", s.id);
    if let Some(p) = &s.parent_id {
        let _ = write!(out, " (subagent of `{p}`)");
    }
    if let Some(m) = &s.model {
        let _ = write!(out, ", model `{m}`");
    }
    out.push_str(".\n\n");
    let mut turn = 0;
    for m in &s.messages {
        match m.role {
            Role::User => {
                turn += 1;
                user(out, m, turn);
            }
            _ => assistant(out, s, m),
        }
    }
    // Requests whose tool call never showed up in the log still get their outcome.
    let orphan_perms: Vec<&PermissionEntry> = s
        .permissions
        .iter()
        .filter(|p| !has_call(s, p.request.tool.as_ref().map(|t| t.call_id.as_str())))
        .collect();
    for p in orphan_perms {
        permission(out, p);
    }
    for q in s
        .questions
        .iter()
        .filter(|q| !has_call(s, q.request.tool.as_ref().map(|t| t.call_id.as_str())))
    {
        question(out, q);
    }
    if !s.errors.is_empty() {
        let _ = writeln!(out, "### Errors\n");
        for e in &s.errors {
            let _ = writeln!(out, "- **{}**: {}", inline(&e.name), inline(&e.message()));
        }
        out.push('\n');
    }
    totals(out, s);
}

fn has_call(s: &SessionState, call_id: Option<&str>) -> bool {
    call_id.is_some_and(|id| s.tool_calls().any(|t| t.call_id == id))
}

fn user(out: &mut String, m: &Message, turn: usize) {
    let _ = writeln!(out, "### Turn {turn}\n");
    let text = m.text();
    let _ = writeln!(out, "**Prompt:**\n");
    for line in text.trim_end().lines() {
        let _ = writeln!(out, "> {line}");
    }
    out.push('\n');
}

fn assistant(out: &mut String, s: &SessionState, m: &Message) {
    for part in &m.parts {
        match &part.kind {
            PartKind::Text {
                text,
                synthetic: false,
            } if !text.trim().is_empty() => {
                let _ = writeln!(out, "{}\n", text.trim_end());
            }
            PartKind::Reasoning { text } if !text.trim().is_empty() => {
                let _ = writeln!(out, "> *Reasoning:*");
                for line in text.trim_end().lines() {
                    let _ = writeln!(out, "> {line}");
                }
                out.push('\n');
            }
            PartKind::Tool(call) => tool(out, s, call),
            _ => {}
        }
    }
    if let Some(e) = &m.error {
        let _ = writeln!(
            out,
            "**Error** {}: {}\n",
            inline(&e.name),
            inline(&e.message())
        );
    }
}

fn tool(out: &mut String, s: &SessionState, call: &ToolCall) {
    let title = call.title.as_deref().unwrap_or("");
    let _ = write!(out, "**Tool `{}`** ({})", call.tool, call.status.as_str());
    if !title.is_empty() {
        let _ = write!(out, ": {}", inline(title));
    }
    out.push_str("\n\n");
    let input = &call.input;
    let str_of = |k: &str| input.get(k).and_then(Value::as_str);
    match call.tool.as_str() {
        "bash" => {
            if let Some(c) = str_of("command") {
                fenced(out, "sh", c);
            }
        }
        "write" => {
            if let Some(c) = str_of("content") {
                fenced(out, "", c);
            }
        }
        "edit" => {
            if let Some(d) = call.metadata.get("diff").and_then(Value::as_str) {
                fenced(out, "diff", d);
            }
        }
        "question" => {}
        _ if !input.is_null() && input.as_object().is_none_or(|o| !o.is_empty()) => {
            let json = serde_json::to_string_pretty(input).unwrap_or_default();
            fenced(out, "json", &json);
        }
        _ => {}
    }
    for p in s.permissions.iter().filter(|p| {
        p.request
            .tool
            .as_ref()
            .is_some_and(|t| t.call_id == call.call_id)
    }) {
        permission(out, p);
    }
    for q in s.questions.iter().filter(|q| {
        q.request
            .tool
            .as_ref()
            .is_some_and(|t| t.call_id == call.call_id)
    }) {
        question(out, q);
    }
    if call.tool != "question" {
        if let Some(o) = &call.output {
            let _ = writeln!(out, "Output:\n");
            fenced(out, "", &cut_lines(o));
        }
    }
    if let Some(e) = &call.error {
        let _ = writeln!(out, "Error: {}\n", inline(e));
    }
}

fn permission(out: &mut String, p: &PermissionEntry) {
    let outcome = match p.reply.as_deref() {
        // Answered by an approval mode (`--auto`, accept edits).
        Some("once") if p.auto.is_some() => "auto-allowed once",
        Some("once") => "allowed once",
        Some("always") => "allowed always",
        Some("reject") => "rejected",
        Some(other) => other,
        None => "unanswered",
    };
    let patterns: Vec<String> = p
        .request
        .patterns
        .iter()
        .map(|x| format!("`{x}`"))
        .collect();
    let _ = writeln!(
        out,
        "- Permission **{}** {}: **{}**\n",
        p.request.permission,
        patterns.join(", "),
        outcome
    );
}

fn question(out: &mut String, q: &QuestionEntry) {
    for (i, item) in q.request.questions.iter().enumerate() {
        let answer = match (&q.answers, q.rejected) {
            (_, true) => "**rejected**".to_string(),
            (Some(a), _) => match a.get(i) {
                Some(labels) if !labels.is_empty() => {
                    let l: Vec<String> = labels
                        .iter()
                        .map(|x| format!("**{}**", inline(x)))
                        .collect();
                    l.join(", ")
                }
                _ => "(no answer)".to_string(),
            },
            (None, false) => "**unanswered**".to_string(),
        };
        let options: Vec<String> = item.options.iter().map(|o| inline(&o.label)).collect();
        let _ = writeln!(
            out,
            "- Question: {} (options: {}) -> {}",
            inline(&item.question),
            options.join(" / "),
            answer
        );
    }
    out.push('\n');
}

fn totals(out: &mut String, s: &SessionState) {
    let t = s.tokens();
    let _ = writeln!(out, "### Totals\n");
    let _ = writeln!(
        out,
        "| messages | input | output | reasoning | cache read | cache write | total | cost |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | ${:.4} |\n",
        s.assistant_messages().count(),
        t.input,
        t.output,
        t.reasoning,
        t.cache_read,
        t.cache_write,
        t.total,
        s.cost()
    );
}

/// A fenced code block whose fence cannot occur inside `body`; its language tag holds no
/// control character and no backtick.
fn fenced(out: &mut String, lang: &str, body: &str) {
    let lang: String = lang
        .chars()
        .filter(|&c| !crate::safe_text::needs_care(c) && c != '`')
        .collect();
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(
        out,
        "{fence}{lang}\n{}\n{fence}\n",
        body.trim_end_matches('\n')
    );
}

fn cut_lines(text: &str) -> String {
    let total = text.lines().count();
    if total <= MAX_OUTPUT_LINES {
        return text.to_string();
    }
    let mut kept: String = text
        .lines()
        .take(MAX_OUTPUT_LINES)
        .collect::<Vec<_>>()
        .join("\n");
    let _ = write!(kept, "\n... ({} more lines)", total - MAX_OUTPUT_LINES);
    kept
}

/// Text for one line of Markdown: newlines folded, characters that would start markup escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_outgrows_backticks_in_the_body() {
        let mut out = String::new();
        fenced(&mut out, "", "a ```` b");
        assert!(out.starts_with("`````\n"), "{out}");
    }

    #[test]
    fn long_output_is_cut_with_a_count() {
        let text: String = (0..250).map(|i| format!("l{i}\n")).collect();
        let cut = cut_lines(&text);
        assert!(cut.ends_with("... (50 more lines)"));
    }

    #[test]
    fn inline_escapes_markup() {
        assert_eq!(inline("a*b\nc"), "a\\*b c");
    }
}
