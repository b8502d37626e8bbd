//! The pieces of a session's state the reducer builds: messages and their parts, tool
//! calls, permission and question entries, token totals. `state.rs` re-exports them.

use super::event::{ErrorInfo, PermissionRequest, QuestionRequest, Tokens};
use serde_json::Value;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    Assistant,
    /// A part or delta arrived before its `message.updated`.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolStatus {
    Pending,
    Running,
    Completed,
    Error,
}

impl ToolStatus {
    pub(super) fn parse(s: &str) -> ToolStatus {
        match s {
            "running" => ToolStatus::Running,
            "completed" => ToolStatus::Completed,
            "error" => ToolStatus::Error,
            _ => ToolStatus::Pending,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ToolStatus::Pending => "pending",
            ToolStatus::Running => "running",
            ToolStatus::Completed => "completed",
            ToolStatus::Error => "error",
        }
    }
}

/// The latest known state of one tool call (one `tool` part).
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub call_id: String,
    pub tool: String,
    pub status: ToolStatus,
    pub input: Value,
    pub output: Option<String>,
    pub title: Option<String>,
    pub error: Option<String>,
    pub metadata: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    Text { text: String, synthetic: bool },
    Reasoning { text: String },
    Tool(ToolCall),
    StepStart,
    StepFinish { tokens: Tokens, cost: f64 },
    Other { kind: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub id: String,
    pub kind: PartKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: String,
    pub role: Role,
    pub parts: Vec<Part>,
    part_index: HashMap<String, usize>,
    /// Last snapshot of the message's tokens (assistant messages).
    pub tokens: Tokens,
    pub cost: f64,
    pub finish: Option<String>,
    pub error: Option<ErrorInfo>,
    pub created_ms: Option<f64>,
    pub completed_ms: Option<f64>,
    /// The user message an assistant message answers (`parentID`): its turn's prompt.
    pub parent_id: Option<String>,
    pub agent: Option<String>,
    pub model: Option<String>,
    /// Bumped on every change: renderers cache per (id, revision).
    pub revision: u64,
    /// A user message: the files its turn changed (`info.summary.diffs`).
    pub diffs: Vec<crate::model::wire::FileDiff>,
}

impl Message {
    pub(super) fn new(id: &str, role: Role) -> Message {
        Message {
            id: id.to_string(),
            role,
            parts: Vec::new(),
            part_index: HashMap::new(),
            tokens: Tokens::default(),
            cost: 0.0,
            finish: None,
            error: None,
            created_ms: None,
            completed_ms: None,
            parent_id: None,
            agent: None,
            model: None,
            revision: 0,
            diffs: Vec::new(),
        }
    }

    /// The message's text: its non-synthetic text parts joined.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            if let PartKind::Text {
                text,
                synthetic: false,
            } = &part.kind
            {
                out.push_str(text);
            }
        }
        out
    }

    pub fn part(&self, id: &str) -> Option<&Part> {
        self.part_index.get(id).map(|&i| &self.parts[i])
    }

    pub(super) fn part_slot(&mut self, id: &str) -> Option<&mut Part> {
        let idx = *self.part_index.get(id)?;
        Some(&mut self.parts[idx])
    }

    pub(super) fn upsert_part(&mut self, part: Part) {
        match self.part_index.get(&part.id) {
            Some(&i) => self.parts[i] = part,
            None => {
                self.part_index.insert(part.id.clone(), self.parts.len());
                self.parts.push(part);
            }
        }
    }

    pub(super) fn remove_part(&mut self, id: &str) {
        if let Some(i) = self.part_index.remove(id) {
            self.parts.remove(i);
            for v in self.part_index.values_mut() {
                if *v > i {
                    *v -= 1;
                }
            }
        }
    }
}

/// What became of a permission request.
#[derive(Debug, Clone, PartialEq)]
pub struct PermissionEntry {
    pub request: PermissionRequest,
    /// `once` / `always` / `reject`, or `None` while pending.
    pub reply: Option<String>,
    /// The transcript line when an approval mode answered it ("auto-allowed: edit x").
    pub auto: Option<String>,
}

/// Our record of an approval mode's answer (`ocw.auto_allowed` properties): sets the
/// request's line; returns the message of its tool call.
pub(crate) fn mark_auto(
    permissions: &mut [PermissionEntry],
    props: &serde_json::Value,
) -> Option<String> {
    let id = props.get("requestID")?.as_str()?;
    let text = props.get("text")?.as_str()?;
    let p = permissions.iter_mut().find(|p| p.request.id == id)?;
    p.auto = Some(text.to_string());
    p.request.tool.as_ref().map(|t| t.message_id.clone())
}

/// What became of a question request.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionEntry {
    pub request: QuestionRequest,
    pub answers: Option<Vec<Vec<String>>>,
    pub rejected: bool,
}

impl QuestionEntry {
    pub fn is_pending(&self) -> bool {
        self.answers.is_none() && !self.rejected
    }
}

/// Token totals of a session, with the cache split out.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct TokenTotals {
    pub input: u64,
    pub output: u64,
    pub reasoning: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub total: u64,
}

impl TokenTotals {
    pub(super) fn add(&mut self, t: &Tokens) {
        self.input += t.input;
        self.output += t.output;
        self.reasoning += t.reasoning;
        self.cache_read += t.cache.read;
        self.cache_write += t.cache.write;
        self.total += t.total();
    }
    pub(super) fn sub(&mut self, t: &Tokens) {
        self.input = self.input.saturating_sub(t.input);
        self.output = self.output.saturating_sub(t.output);
        self.reasoning = self.reasoning.saturating_sub(t.reasoning);
        self.cache_read = self.cache_read.saturating_sub(t.cache.read);
        self.cache_write = self.cache_write.saturating_sub(t.cache.write);
        self.total = self.total.saturating_sub(t.total());
    }
}
