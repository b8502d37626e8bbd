//! The reducer: `SessionState::apply(&Event)` for one session and `Store::apply` routing
//! every event of the bus to its session. Pure and synchronous (no I/O, no clock): live
//! sessions, replay and the headless summary all feed events through this one code path.
//!
//! Invariants: one `Message` per message id and one `Part` per part id (latest snapshot
//! wins, deltas append); token totals are the sum of the *last* snapshot of each assistant
//! message (never every snapshot); each permission / question is one entry whose outcome
//! is set once, whoever answered it.

use super::approval::AUTO_ALLOWED_EVENT;
use super::event::{
    ErrorInfo, Event, MessageInfo, PartInfo, SessionInfo, SessionStatus, Todo, Tokens,
};
use std::collections::HashMap;

pub use super::parts::*;

/// Everything known about one session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionState {
    pub id: String,
    pub parent_id: Option<String>,
    pub title: Option<String>,
    pub directory: Option<String>,
    pub agent: Option<String>,
    /// `provider/model` as last seen.
    pub model: Option<String>,
    pub messages: Vec<Message>,
    message_index: HashMap<String, usize>,
    pub status: SessionStatus,
    pub permissions: Vec<PermissionEntry>,
    pub questions: Vec<QuestionEntry>,
    pub errors: Vec<ErrorInfo>,
    /// For each of `errors`, the turn it belongs to: the id of the last user message
    /// seen when it arrived (`None` before any prompt).
    pub error_turns: Vec<Option<String>>,
    pub todos: Vec<Todo>,
    pub deleted: bool,
    tokens: TokenTotals,
    cost: f64,
    /// Totals the server sent on the session itself (cover history not loaded here).
    pub server_tokens: Option<Tokens>,
    pub server_cost: Option<f64>,
    /// Bumped on every change to this session.
    pub revision: u64,
    /// While reverted (`/undo`): the first undone message; it and every later message
    /// are hidden. From the session's info, so it survives a resync or a restart.
    pub revert: Option<String>,
}

impl SessionState {
    pub fn new(id: &str) -> SessionState {
        SessionState {
            id: id.to_string(),
            parent_id: None,
            title: None,
            directory: None,
            agent: None,
            model: None,
            messages: Vec::new(),
            message_index: HashMap::new(),
            status: SessionStatus::Idle,
            permissions: Vec::new(),
            questions: Vec::new(),
            errors: Vec::new(),
            error_turns: Vec::new(),
            todos: Vec::new(),
            deleted: false,
            tokens: TokenTotals::default(),
            cost: 0.0,
            server_tokens: None,
            server_cost: None,
            revision: 0,
            revert: None,
        }
    }

    /// Token totals: the last snapshot of each assistant message, summed.
    pub fn tokens(&self) -> TokenTotals {
        self.tokens
    }

    /// Cost: the last snapshot of each assistant message, summed.
    pub fn cost(&self) -> f64 {
        self.cost
    }

    pub fn message(&self, id: &str) -> Option<&Message> {
        self.message_index.get(id).map(|&i| &self.messages[i])
    }

    pub fn assistant_messages(&self) -> impl DoubleEndedIterator<Item = &Message> {
        self.messages.iter().filter(|m| m.role == Role::Assistant)
    }

    /// The trimmed text of the last assistant message that has text ("" if none).
    pub fn final_text(&self) -> String {
        self.assistant_messages()
            .rev()
            .map(|m| m.text())
            .map(|t| t.trim().to_string())
            .find(|t| !t.is_empty())
            .unwrap_or_default()
    }

    /// Every tool call of the session, in order of appearance.
    pub fn tool_calls(&self) -> impl Iterator<Item = &ToolCall> {
        self.messages.iter().flat_map(|m| {
            m.parts.iter().filter_map(|p| match &p.kind {
                PartKind::Tool(t) => Some(t),
                _ => None,
            })
        })
    }

    pub fn pending_permissions(&self) -> impl Iterator<Item = &PermissionEntry> {
        self.permissions.iter().filter(|p| p.reply.is_none())
    }

    pub fn pending_questions(&self) -> impl Iterator<Item = &QuestionEntry> {
        self.questions.iter().filter(|q| q.is_pending())
    }

    pub fn is_busy(&self) -> bool {
        !matches!(self.status, SessionStatus::Idle)
    }

    fn message_slot(&mut self, id: &str) -> &mut Message {
        let idx = match self.message_index.get(id) {
            Some(&i) => i,
            None => {
                self.message_index
                    .insert(id.to_string(), self.messages.len());
                self.messages.push(Message::new(id, Role::Unknown));
                self.messages.len() - 1
            }
        };
        &mut self.messages[idx]
    }

    fn apply_session_info(&mut self, info: &SessionInfo) {
        if info.parent_id.is_some() {
            self.parent_id = info.parent_id.clone();
        }
        if let Some(t) = &info.title {
            self.title = Some(t.clone());
        }
        if let Some(d) = &info.directory {
            self.directory = Some(d.clone());
        }
        if let Some(a) = &info.agent {
            self.agent = Some(a.clone());
        }
        if let Some(m) = &info.model {
            self.model = Some(format!("{}/{}", m.provider_id, m.model_id));
        }
        if info.tokens.is_some() {
            self.server_tokens = info.tokens;
        }
        if info.cost.is_some() {
            self.server_cost = info.cost;
        }
        // The server always sends the whole session: no `revert` means none.
        self.revert = info.revert.as_ref().map(|r| r.message_id.clone());
    }

    /// True when `m` is undone by the session's revert (hidden from the transcript).
    pub fn reverted(&self, m: &Message) -> bool {
        self.revert.as_deref().is_some_and(|r| m.id.as_str() >= r)
    }

    fn apply_message(&mut self, info: &MessageInfo) {
        let role = match info.role.as_str() {
            "user" => Role::User,
            "assistant" => Role::Assistant,
            _ => Role::Unknown,
        };
        if role == Role::User {
            if let Some(a) = &info.agent {
                self.agent = Some(a.clone());
            }
        }
        let msg = self.message_slot(&info.id);
        let old_tokens = msg.tokens;
        let old_cost = msg.cost;
        let was_counted = msg.role == Role::Assistant;
        if role != Role::Unknown {
            msg.role = role;
        }
        if let Some(t) = info.tokens {
            msg.tokens = t;
        }
        if let Some(c) = info.cost {
            msg.cost = c;
        }
        if info.finish.is_some() {
            msg.finish = info.finish.clone();
        }
        if info.error.is_some() {
            msg.error = info.error.clone();
        }
        msg.created_ms = info.time.created.or(msg.created_ms);
        msg.completed_ms = info.time.completed.or(msg.completed_ms);
        if info.parent_id.is_some() {
            msg.parent_id = info.parent_id.clone();
        }
        if info.agent.is_some() {
            msg.agent = info.agent.clone();
        }
        if let (Some(p), Some(m)) = (&info.provider_id, &info.model_id) {
            msg.model = Some(format!("{p}/{m}"));
        }
        if let Some(summary) = &info.summary {
            msg.diffs = summary.diffs.clone();
        }
        msg.revision += 1;
        let (new_tokens, new_cost, counted) = (msg.tokens, msg.cost, msg.role == Role::Assistant);
        if let Some(m) = msg.model.clone() {
            if counted {
                self.model = Some(m);
            }
        }
        if was_counted {
            self.tokens.sub(&old_tokens);
            self.cost -= old_cost;
        }
        if counted {
            self.tokens.add(&new_tokens);
            self.cost += new_cost;
        }
    }

    fn apply_part(&mut self, info: &PartInfo) {
        let kind = match info.kind.as_str() {
            "text" => PartKind::Text {
                text: info.text.clone().unwrap_or_default(),
                synthetic: info.synthetic.unwrap_or(false),
            },
            "reasoning" => PartKind::Reasoning {
                text: info.text.clone().unwrap_or_default(),
            },
            "tool" => {
                let state = info.state.clone().unwrap_or_default();
                PartKind::Tool(ToolCall {
                    call_id: info.call_id.clone().unwrap_or_default(),
                    tool: info.tool.clone().unwrap_or_default(),
                    status: ToolStatus::parse(&state.status),
                    input: state.input,
                    output: state.output,
                    title: state.title,
                    error: state.error,
                    metadata: state.metadata,
                })
            }
            "step-start" => PartKind::StepStart,
            "step-finish" => PartKind::StepFinish {
                tokens: info.tokens.unwrap_or_default(),
                cost: info.cost.unwrap_or(0.0),
            },
            other => PartKind::Other {
                kind: other.to_string(),
            },
        };
        let msg = self.message_slot(&info.message_id);
        msg.upsert_part(Part {
            id: info.id.clone(),
            kind,
        });
        msg.revision += 1;
    }

    fn apply_delta(&mut self, message_id: &str, part_id: &str, field: &str, delta: &str) {
        if field != "text" {
            return;
        }
        let msg = self.message_slot(message_id);
        match msg.part_slot(part_id) {
            Some(Part {
                kind: PartKind::Text { text, .. } | PartKind::Reasoning { text },
                ..
            }) => text.push_str(delta),
            Some(_) => return,
            // A delta for a part we never saw: keep the text rather than lose it.
            None => msg.upsert_part(Part {
                id: part_id.to_string(),
                kind: PartKind::Text {
                    text: delta.to_string(),
                    synthetic: false,
                },
            }),
        }
        msg.revision += 1;
    }

    /// Applies one event that belongs to this session.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::SessionCreated(info) | Event::SessionUpdated(info) => {
                self.apply_session_info(info)
            }
            Event::SessionDeleted(info) => {
                self.apply_session_info(info);
                self.deleted = true;
            }
            Event::MessageUpdated(info) => self.apply_message(info),
            Event::MessageRemoved { message_id, .. } => {
                if let Some(i) = self.message_index.remove(message_id) {
                    let m = self.messages.remove(i);
                    if m.role == Role::Assistant {
                        self.tokens.sub(&m.tokens);
                        self.cost -= m.cost;
                    }
                    for v in self.message_index.values_mut() {
                        if *v > i {
                            *v -= 1;
                        }
                    }
                }
            }
            Event::PartUpdated(part) => self.apply_part(part),
            Event::PartDelta {
                message_id,
                part_id,
                field,
                delta,
                ..
            } => self.apply_delta(message_id, part_id, field, delta),
            Event::PartRemoved {
                message_id,
                part_id,
                ..
            } => {
                if self.message_index.contains_key(message_id) {
                    let msg = self.message_slot(message_id);
                    msg.remove_part(part_id);
                    msg.revision += 1;
                }
            }
            Event::Status { status, .. } => self.status = status.clone(),
            Event::Idle { .. } => self.status = SessionStatus::Idle,
            Event::SessionError { error, .. } => {
                let turn = self.messages.iter().rev().find(|m| m.role == Role::User);
                self.error_turns.push(turn.map(|m| m.id.clone()));
                self.errors.push(error.clone());
            }
            Event::PermissionAsked(req) => {
                if !self.permissions.iter().any(|p| p.request.id == req.id) {
                    self.permissions.push(PermissionEntry {
                        request: req.clone(),
                        reply: None,
                        auto: None,
                    });
                }
            }
            Event::PermissionReplied {
                request_id, reply, ..
            } => {
                if let Some(p) = self
                    .permissions
                    .iter_mut()
                    .find(|p| &p.request.id == request_id)
                {
                    p.reply = Some(reply.clone());
                }
            }
            Event::QuestionAsked(req) => {
                if !self.questions.iter().any(|q| q.request.id == req.id) {
                    self.questions.push(QuestionEntry {
                        request: req.clone(),
                        answers: None,
                        rejected: false,
                    });
                }
            }
            Event::QuestionReplied {
                request_id,
                answers,
                ..
            } => {
                if let Some(q) = self
                    .questions
                    .iter_mut()
                    .find(|q| &q.request.id == request_id)
                {
                    q.answers = Some(answers.clone());
                }
            }
            Event::QuestionRejected { request_id, .. } => {
                if let Some(q) = self
                    .questions
                    .iter_mut()
                    .find(|q| &q.request.id == request_id)
                {
                    q.rejected = true;
                }
            }
            Event::TodoUpdated { todos, .. } => self.todos = todos.clone(),
            Event::Other {
                kind, properties, ..
            } if kind == AUTO_ALLOWED_EVENT => {
                // Its tool call's message is laid out again, with the line.
                let msg = mark_auto(&mut self.permissions, properties);
                if let Some(m) = msg.filter(|m| self.message_index.contains_key(m)) {
                    self.message_slot(&m).revision += 1;
                }
            }
            Event::ServerConnected | Event::Heartbeat | Event::Other { .. } => return,
        }
        self.revision += 1;
    }
}

/// Every session seen on the bus, in order of first appearance, with the tree of
/// parent and child (subagent) sessions.
#[derive(Debug, Clone, Default)]
pub struct Store {
    sessions: Vec<SessionState>,
    index: HashMap<String, usize>,
    /// Events applied so far.
    pub events: u64,
    /// `session.error` events that named no session.
    pub global_errors: Vec<ErrorInfo>,
}

impl Store {
    pub fn new() -> Store {
        Store::default()
    }

    /// Routes one event to its session. Returns the id of the session it changed, if any.
    pub fn apply(&mut self, event: &Event) -> Option<&str> {
        self.events += 1;
        let sid = match event {
            Event::SessionError {
                session_id: None,
                error,
            } => {
                self.global_errors.push(error.clone());
                return None;
            }
            Event::Other {
                kind,
                session_id: Some(sid),
                ..
            } if kind == AUTO_ALLOWED_EVENT => sid,
            Event::ServerConnected | Event::Heartbeat | Event::Other { .. } => return None,
            other => other.session_id()?,
        };
        let idx = self.slot(sid);
        let session = &mut self.sessions[idx];
        session.apply(event);
        Some(&session.id)
    }

    /// Applies an event we made ourselves (history, pending requests fetched over HTTP)
    /// without counting it as a received event.
    pub fn apply_fetched(&mut self, event: &Event) {
        self.apply(event);
        self.events -= 1;
    }

    fn slot(&mut self, sid: &str) -> usize {
        match self.index.get(sid) {
            Some(&i) => i,
            None => {
                self.index.insert(sid.to_string(), self.sessions.len());
                self.sessions.push(SessionState::new(sid));
                self.sessions.len() - 1
            }
        }
    }

    pub fn session(&self, id: &str) -> Option<&SessionState> {
        self.index.get(id).map(|&i| &self.sessions[i])
    }

    pub fn sessions(&self) -> &[SessionState] {
        &self.sessions
    }
}
