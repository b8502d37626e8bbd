//! The summary of a run or a log (`ocw-tui run --json`, `ocw-tui replay --summary --json`):
//! derived from a [`Store`] only, so live, replay and headless agree by construction.

use super::state::{SessionState, Store, TokenTotals};
use serde::Serialize;

/// Lines of a final text shown in the plain-text summary.
const TEXT_LINES_SHOWN: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub sessions: Vec<SessionSummary>,
    pub events: u64,
    pub skipped_lines: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionSummary {
    pub session_id: String,
    pub title: Option<String>,
    pub final_text: String,
    pub assistant_messages: usize,
    pub tokens: TokenTotals,
    pub cost: f64,
    pub tool_calls: Vec<ToolCallSummary>,
    pub permissions: Vec<PermissionSummary>,
    pub questions: Vec<QuestionSummary>,
    pub errors: Vec<ErrorSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolCallSummary {
    pub call_id: String,
    pub tool: String,
    pub status: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PermissionSummary {
    pub id: String,
    pub permission: String,
    pub patterns: Vec<String>,
    pub reply: Option<String>,
    /// Set when an approval mode answered it: its line ("auto-allowed: bash ls").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionSummary {
    pub id: String,
    pub questions: Vec<String>,
    pub answers: Option<Vec<Vec<String>>>,
    pub rejected: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorSummary {
    pub name: String,
    pub message: String,
}

impl SessionSummary {
    pub fn of(s: &SessionState) -> SessionSummary {
        SessionSummary {
            session_id: s.id.clone(),
            title: s.title.clone(),
            final_text: s.final_text(),
            assistant_messages: s.assistant_messages().count(),
            tokens: s.tokens(),
            cost: s.cost(),
            tool_calls: s
                .tool_calls()
                .map(|t| ToolCallSummary {
                    call_id: t.call_id.clone(),
                    tool: t.tool.clone(),
                    status: t.status.as_str().to_string(),
                    title: t.title.clone(),
                })
                .collect(),
            permissions: s
                .permissions
                .iter()
                .map(|p| PermissionSummary {
                    id: p.request.id.clone(),
                    permission: p.request.permission.clone(),
                    patterns: p.request.patterns.clone(),
                    reply: p.reply.clone(),
                    auto: p.auto.clone(),
                })
                .collect(),
            questions: s
                .questions
                .iter()
                .map(|q| QuestionSummary {
                    id: q.request.id.clone(),
                    questions: q
                        .request
                        .questions
                        .iter()
                        .map(|x| x.question.clone())
                        .collect(),
                    answers: q.answers.clone(),
                    rejected: q.rejected,
                })
                .collect(),
            errors: s
                .errors
                .iter()
                .map(|e| ErrorSummary {
                    name: e.name.clone(),
                    message: e.message(),
                })
                .collect(),
        }
    }
}

impl Summary {
    /// Summarises every session of the store, in order of first appearance.
    pub fn of(store: &Store, skipped_lines: u64) -> Summary {
        Summary {
            sessions: store.sessions().iter().map(SessionSummary::of).collect(),
            events: store.events,
            skipped_lines,
        }
    }

    /// Summarises only `root` and its descendant sessions (a headless run).
    pub fn of_tree(store: &Store, root: &str, skipped_lines: u64) -> Summary {
        Summary {
            sessions: store
                .sessions()
                .iter()
                .filter(|s| store.is_in_tree(&s.id, root))
                .map(SessionSummary::of)
                .collect(),
            events: store.events,
            skipped_lines,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("summary serialises")
    }

    /// A plain-text rendering for people.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        for s in &self.sessions {
            let _ = writeln!(
                out,
                "session {}  {}",
                s.session_id,
                s.title.as_deref().unwrap_or("(untitled)")
            );
            let t = &s.tokens;
            let _ = writeln!(
                out,
                "  messages: {}  tokens: in {} out {} reasoning {} cache r/w {}/{} total {}  cost: ${:.4}",
                s.assistant_messages, t.input, t.output, t.reasoning, t.cache_read, t.cache_write, t.total, s.cost
            );
            for c in &s.tool_calls {
                let _ = writeln!(
                    out,
                    "  tool {} [{}] {}",
                    c.tool,
                    c.status,
                    c.title.as_deref().unwrap_or("")
                );
            }
            for p in &s.permissions {
                let _ = writeln!(
                    out,
                    "  permission {} {:?} -> {}",
                    p.permission,
                    p.patterns,
                    p.reply.as_deref().unwrap_or("(unanswered)")
                );
            }
            for q in &s.questions {
                let outcome = match (&q.answers, q.rejected) {
                    (_, true) => "rejected".to_string(),
                    (Some(a), _) => format!("{a:?}"),
                    (None, false) => "(unanswered)".to_string(),
                };
                let _ = writeln!(out, "  question {:?} -> {}", q.questions, outcome);
            }
            for e in &s.errors {
                let _ = writeln!(out, "  error {}: {}", e.name, e.message);
            }
            if !s.final_text.is_empty() {
                let _ = writeln!(out, "  final text:");
                let lines: Vec<&str> = s.final_text.lines().collect();
                for line in lines.iter().take(TEXT_LINES_SHOWN) {
                    let _ = writeln!(out, "    {line}");
                }
                if lines.len() > TEXT_LINES_SHOWN {
                    let more = lines.len() - TEXT_LINES_SHOWN;
                    let _ = writeln!(out, "    ... ({more} more lines; --json has it all)");
                }
            }
        }
        let _ = writeln!(
            out,
            "{} events, {} skipped lines",
            self.events, self.skipped_lines
        );
        out
    }
}
