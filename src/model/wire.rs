//! The payloads the server sends inside events and HTTP answers (sessions, messages,
//! parts, tokens, requests, todos, statuses), as `serde` types. `event.rs` re-exports
//! them, so `model::event::SessionInfo` and friends keep their names.

use serde::Deserialize;
use serde_json::Value;

/// Token counts as the server reports them on a message or a step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, serde::Serialize)]
pub struct Tokens {
    #[serde(default)]
    pub input: u64,
    #[serde(default)]
    pub output: u64,
    #[serde(default)]
    pub reasoning: u64,
    #[serde(default)]
    pub cache: CacheTokens,
    /// The server's own total; absent on the first (empty) snapshot of a message.
    #[serde(default)]
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, serde::Serialize)]
pub struct CacheTokens {
    #[serde(default)]
    pub read: u64,
    #[serde(default)]
    pub write: u64,
}

impl Tokens {
    /// The server's total when it sent one, else the sum of the parts.
    pub fn total(&self) -> u64 {
        self.total.unwrap_or(
            self.input + self.output + self.reasoning + self.cache.read + self.cache.write,
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ModelRef {
    #[serde(default, rename = "providerID")]
    pub provider_id: String,
    #[serde(default, rename = "modelID", alias = "id")]
    pub model_id: String,
}

/// `info` of `session.created` / `session.updated` / `session.deleted`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct SessionInfo {
    pub id: String,
    #[serde(default, rename = "parentID")]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub directory: Option<String>,
    #[serde(default)]
    pub agent: Option<String>,
    #[serde(default)]
    pub model: Option<ModelRef>,
    /// Whole-session totals, when the server sends them.
    #[serde(default)]
    pub tokens: Option<Tokens>,
    #[serde(default)]
    pub time: Option<SessionTime>,
    #[serde(default)]
    pub cost: Option<f64>,
    /// Set while the session is reverted (`/undo`): the message it was reverted to.
    #[serde(default)]
    pub revert: Option<RevertInfo>,
}

/// `revert` of a session: messages from `messageID` on are undone (still listed by the
/// server, hidden by clients) until an unrevert or the next prompt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RevertInfo {
    #[serde(default, rename = "messageID")]
    pub message_id: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
pub struct SessionTime {
    #[serde(default)]
    pub created: f64,
    #[serde(default)]
    pub updated: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MessageTime {
    #[serde(default)]
    pub created: Option<f64>,
    #[serde(default)]
    pub completed: Option<f64>,
}

/// `info` of `message.updated`: a user or an assistant message.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MessageInfo {
    pub id: String,
    #[serde(default, rename = "sessionID")]
    pub session_id: Option<String>,
    #[serde(default)]
    pub role: String,
    #[serde(default, rename = "parentID")]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub tokens: Option<Tokens>,
    #[serde(default)]
    pub cost: Option<f64>,
    #[serde(default)]
    pub finish: Option<String>,
    #[serde(default)]
    pub agent: Option<String>,
    #[serde(default, rename = "modelID")]
    pub model_id: Option<String>,
    #[serde(default, rename = "providerID")]
    pub provider_id: Option<String>,
    #[serde(default)]
    pub error: Option<ErrorInfo>,
    #[serde(default)]
    pub time: MessageTime,
    /// A user message's turn summary: the files its turn changed (`summary.diffs`).
    #[serde(default)]
    pub summary: Option<MessageSummary>,
}

/// `info.summary` of a user message (computed after its turn).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MessageSummary {
    #[serde(default)]
    pub diffs: Vec<FileDiff>,
}

/// One file a turn changed: `{file, patch, additions, deletions, status}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FileDiff {
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub patch: String,
    #[serde(default)]
    pub additions: u64,
    #[serde(default)]
    pub deletions: u64,
    #[serde(default)]
    pub status: Option<String>,
}

/// An error as the server describes it (`session.error`, a failed message).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ErrorInfo {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub data: Value,
}

impl ErrorInfo {
    /// The human message: `data.message`, else the error's name.
    pub fn message(&self) -> String {
        match self.data.get("message").and_then(Value::as_str) {
            Some(m) => m.to_string(),
            None => self.name.clone(),
        }
    }
}

/// State of a `tool` part.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ToolState {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub input: Value,
    #[serde(default)]
    pub output: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub metadata: Value,
}

/// One part of a message: a full snapshot, as `message.part.updated` carries it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PartInfo {
    pub id: String,
    #[serde(default, rename = "messageID")]
    pub message_id: String,
    #[serde(default, rename = "sessionID")]
    pub session_id: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub synthetic: Option<bool>,
    #[serde(default)]
    pub tool: Option<String>,
    #[serde(default, rename = "callID")]
    pub call_id: Option<String>,
    #[serde(default)]
    pub state: Option<ToolState>,
    #[serde(default)]
    pub tokens: Option<Tokens>,
    #[serde(default)]
    pub cost: Option<f64>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A `permission.asked` request.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PermissionRequest {
    pub id: String,
    #[serde(rename = "sessionID")]
    pub session_id: String,
    #[serde(default)]
    pub permission: String,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub metadata: Value,
    #[serde(default)]
    pub always: Vec<String>,
    #[serde(default)]
    pub tool: Option<ToolRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ToolRef {
    #[serde(default, rename = "messageID")]
    pub message_id: String,
    #[serde(default, rename = "callID")]
    pub call_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct QuestionOption {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Question {
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub header: String,
    #[serde(default)]
    pub options: Vec<QuestionOption>,
    #[serde(default)]
    pub multiple: bool,
    /// Whether a typed ("Other") answer is allowed; the server's default is yes.
    #[serde(default = "yes")]
    pub custom: bool,
}

fn yes() -> bool {
    true
}

/// A `question.asked` request.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct QuestionRequest {
    pub id: String,
    #[serde(rename = "sessionID")]
    pub session_id: String,
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub tool: Option<ToolRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Todo {
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub priority: String,
}

/// `session.status`.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionStatus {
    Idle,
    Busy,
    Retry {
        attempt: u64,
        message: String,
        /// Epoch milliseconds of the next attempt.
        next: Option<f64>,
    },
}
