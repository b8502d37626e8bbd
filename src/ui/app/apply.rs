//! How `App` applies what the outside world says (`UiInput`): bus events into the store
//! (with the dialog queue, the working timers, queued prompts, notifications), the
//! connection state (a dead server interrupts what was running), notes, lists and
//! catalogs. Pure: no terminal, no I/O; what it decides leaves as `Action`s.

use super::{App, Request, ABORTING_NOTE};
use crate::model::event::{Event, SessionStatus};
use crate::ui::action::{Action, ConnectionState, UiInput};
use crate::ui::overlay::{DialogState, PermissionDialog, QuestionDialog};

impl App {
    /// Applies what the outside world says. Returns actions it makes due (a prompt typed
    /// before any session existed, sent once one is shown).
    pub fn handle_input(&mut self, input: UiInput) -> Vec<Action> {
        let mut out = Vec::new();
        self.drop_stale_notes(&input);
        match input {
            UiInput::Bus(ev) => {
                self.apply_event(&ev);
                out.extend(self.always_after_event(&ev));
            }
            UiInput::Connection(c) => {
                let died = matches!(c, ConnectionState::ServerDied { .. })
                    && !matches!(self.connection, ConnectionState::ServerDied { .. });
                if let ConnectionState::ServerDied { message } = &c {
                    self.notify(format!("opencode server died: {message}"));
                }
                self.connection = c;
                if died {
                    self.server_died();
                }
            }
            UiInput::PromptFailed {
                session_id,
                text,
                error,
            } => {
                if let Some(i) = self
                    .prompt
                    .queued
                    .iter()
                    .position(|q| q.session_id == session_id && q.text == text)
                {
                    self.prompt.queued.remove(i);
                }
                self.give_back(&text);
                self.note(
                    format!("cannot send the prompt: {error}; it is back in the input"),
                    true,
                );
            }
            UiInput::LogFailed { error } => {
                // One note and one bell for the first failure; the marker says the rest.
                if self.log_failed.is_none() {
                    let text = format!(
                        "cannot write the session log: {error}; events are shown but not recorded (log ✗ in the status bar)"
                    );
                    self.notify(text.clone());
                    self.note(text, true);
                    self.log_failed = Some(error);
                }
            }
            UiInput::Note { text, error } => {
                if error {
                    self.notify(text.clone());
                }
                self.note(text, error);
            }
            UiInput::Sessions(list) => {
                self.sessions.listed = list;
                self.sessions.listed_gen += 1;
            }
            UiInput::ShowSession(id) => {
                if self.side_panel.open && self.session_id() != Some(id.as_str()) {
                    out.push(Action::FetchDetails {
                        session_id: id.clone(),
                    });
                }
                let from = self.session_id().map(str::to_string);
                self.left_session(from.as_deref(), &id);
                if self.sessions.shown_ahead.front() == Some(&id) {
                    // Already shown by a subagent key; the user may have moved on since.
                    self.sessions.shown_ahead.pop_front();
                } else {
                    self.view.show(&id);
                }
                self.sessions.older_requested = None;
                if let Some(text) = self.prompt.pending_prompt.take() {
                    let files = std::mem::take(&mut self.prompt.pending_files);
                    out.push(self.prompt_action(id, text, files));
                }
            }
            UiInput::Servers { mcp, lsp } => {
                self.side_panel.mcp = Some(mcp);
                self.side_panel.lsp = Some(lsp);
            }
            UiInput::FileResults { query, paths } => self.file_results(&query, paths),
            UiInput::ServerCommands(list) => self.server_commands_arrived(list),
            UiInput::Catalog { catalog, memory } => {
                out.push(self.models.arrived(
                    catalog,
                    memory,
                    self.opts.model_label.as_deref(),
                    self.opts.agent_label.as_deref(),
                ));
            }
        }
        out.append(&mut self.outbox);
        self.sync_guard();
        out
    }

    /// Puts a prompt that was not sent back into the input (before what is typed there).
    pub(crate) fn give_back(&mut self, text: &str) {
        let now = self.prompt.input.text();
        if now.trim().is_empty() {
            self.prompt.input.set_text(text);
        } else if !now.contains(text) {
            self.prompt.input.set_text(&format!("{text}\n{now}"));
        }
    }

    /// The server died: nothing runs any more. Each working session's unfinished answer
    /// is marked interrupted (what streamed so far stays) and the session goes idle, so
    /// no "working" stays on screen and a queued prompt comes back into the input.
    fn server_died(&mut self) {
        let mut events = Vec::new();
        for s in self.store.sessions().iter().filter(|s| s.is_busy()) {
            if let Some(m) = s.messages.iter().rev().find(|m| {
                m.role == crate::model::state::Role::Assistant
                    && m.completed_ms.is_none()
                    && m.error.is_none()
            }) {
                self.sessions.interrupted.insert(m.id.clone());
                events.push(Event::MessageUpdated(crate::model::event::MessageInfo {
                    id: m.id.clone(),
                    session_id: Some(s.id.clone()),
                    role: "assistant".into(),
                    error: Some(crate::model::event::ErrorInfo {
                        name: "MessageAbortedError".into(),
                        data: serde_json::json!({"message": "the server died"}),
                    }),
                    ..Default::default()
                }));
            }
            events.push(Event::Status {
                session_id: s.id.clone(),
                status: SessionStatus::Idle,
            });
        }
        for ev in events {
            self.apply_event(&ev);
        }
    }

    fn apply_event(&mut self, ev: &Event) {
        if matches!(ev, Event::Heartbeat | Event::ServerConnected) {
            return;
        }
        match ev {
            Event::PartUpdated(p) if self.sessions.interrupted.contains(&p.message_id) => return,
            Event::PartDelta { message_id, .. }
                if self.sessions.interrupted.contains(message_id) =>
            {
                return
            }
            _ => {}
        }
        let shown = self.session_id().map(str::to_string);
        let was_busy = ev
            .session_id()
            .and_then(|id| self.store.session(id))
            .is_some_and(|s| s.is_busy());
        self.store.apply(ev);
        if let Some(sid) = ev.session_id() {
            let sid = sid.to_string();
            let busy = self.store.session(&sid).is_some_and(|s| s.is_busy());
            if busy && !was_busy {
                self.started_working(&sid);
            } else if was_busy && !busy {
                self.stopped_working(&sid, shown.as_deref() == Some(sid.as_str()));
            }
        }
        match ev {
            Event::PermissionAsked(p) => {
                let r = Request::Permission {
                    session_id: p.session_id.clone(),
                    id: p.id.clone(),
                };
                if self
                    .dialogs
                    .arrived(r, DialogState::Permission(PermissionDialog::new(&p.id)))
                {
                    self.notify(format!("opencode asks permission: {}", p.permission));
                }
            }
            Event::QuestionAsked(q) => {
                let r = Request::Question {
                    session_id: q.session_id.clone(),
                    id: q.id.clone(),
                };
                if self
                    .dialogs
                    .arrived(r, DialogState::Question(QuestionDialog::new(q)))
                {
                    self.notify("opencode has a question");
                }
            }
            Event::PermissionReplied {
                request_id,
                session_id,
                reply,
            } => {
                self.permission_replied(session_id, reply);
                self.resolved(request_id);
            }
            Event::QuestionReplied { request_id, .. }
            | Event::QuestionRejected { request_id, .. } => self.resolved(request_id),
            Event::SessionError { session_id, error } => {
                let mine = session_id.is_none() || session_id.as_deref() == shown.as_deref();
                if mine && error.name != "MessageAbortedError" {
                    self.notify(format!("error: {}", error.message()));
                }
            }
            Event::Status {
                session_id,
                status: SessionStatus::Idle,
            }
            | Event::Idle { session_id }
                if was_busy && Some(session_id.as_str()) == shown.as_deref() =>
            {
                self.notify("turn finished");
            }
            _ => {}
        }
    }

    /// A session starts working: its timer counts from the prompt that started it (a
    /// queued prompt sent later in the same stretch does not restart it).
    fn started_working(&mut self, sid: &str) {
        let prompt = self
            .store
            .session(sid)
            .and_then(|s| {
                s.messages
                    .iter()
                    .rev()
                    .find(|m| m.role == crate::model::state::Role::User)
            })
            .and_then(|m| m.created_ms);
        let now = self.now_ms() as f64;
        self.sessions
            .busy_since
            .insert(sid.to_string(), prompt.map_or(now, |p| p.min(now)));
    }

    /// A session stops working: the abort note goes (the transcript says "■ interrupted"),
    /// and its queued prompts go on (prompt_queue.rs): the next one is sent, or (after an
    /// abort, a reject, a failure, a dead server) they come back into the input with one
    /// the server took but never answered (the session's last messages are prompts).
    fn stopped_working(&mut self, sid: &str, shown: bool) {
        self.sessions.busy_since.remove(sid);
        if shown {
            self.notes.retain(|n| n.text != ABORTING_NOTE);
        }
        let dead = matches!(self.connection, ConnectionState::ServerDied { .. });
        let aborted = self.sessions.abort_requested.remove(sid);
        let mut taken: Vec<String> = Vec::new();
        if aborted || dead {
            if let Some(s) = self.store.session(sid) {
                let answered = s
                    .messages
                    .iter()
                    .rposition(|m| m.role == crate::model::state::Role::Assistant);
                // Prompts after the last answer that were sent while it was still running
                // (another client's); a prompt whose turn was cut before any answer is on screen.
                if let Some(ai) = answered {
                    let done = s.messages[ai].completed_ms;
                    taken.extend(
                        s.messages[ai + 1..]
                            .iter()
                            .filter(|m| m.role == crate::model::state::Role::User)
                            .filter(|m| {
                                m.created_ms
                                    .is_some_and(|u| !matches!(done, Some(c) if c <= u))
                            })
                            .map(|m| m.text())
                            .filter(|t| !t.trim().is_empty()),
                    );
                }
            }
        }
        self.after_turn(sid, aborted, taken);
    }

    fn resolved(&mut self, request_id: &str) {
        self.dialogs.resolved(request_id);
    }
}
