//! How `App` applies what the outside world says (`UiInput`): bus events into the store
//! (with the dialog queue, the working timers, queued prompts, notifications), the
//! connection state (a dead server interrupts what was running), notes, lists and
//! catalogs. Pure: no terminal, no I/O; what it decides leaves as `Action`s.

use super::{App, Request, ABORTING_NOTE, ASKS_PERMISSION};
use crate::model::event::{Event, SessionStatus};
use crate::ui::action::{Action, ConnectionState, UiInput};
use crate::ui::overlay::{DialogState, PermissionDialog, QuestionDialog};

impl App {
    /// Applies what the outside world says. Returns actions it makes due (a prompt typed
    /// before any session existed, sent once one is shown).
    pub fn handle_input(&mut self, input: UiInput) -> Vec<Action> {
        let mut out = Vec::new();
        // A streamed delta changes nothing the status line command is given.
        let delta = matches!(&input, UiInput::Bus(Event::PartDelta { .. }));
        self.drop_stale_notes(&input);
        match input {
            UiInput::Bus(ev) => {
                self.apply_event(&ev);
                self.refresh_timeline();
                out.extend(self.always_after_event(&ev));
                out.extend(self.approvals_after_event(&ev));
                // Another client's `/tui/*` request (remote.rs).
                if let Some(req) = crate::model::tui_request::TuiRequest::from_event(&ev) {
                    out.extend(self.remote_request(req));
                }
            }
            UiInput::Connection(c) => {
                let died = matches!(c, ConnectionState::ServerDied { .. })
                    && !matches!(self.connection, ConnectionState::ServerDied { .. });
                if matches!(c, ConnectionState::Reconnecting { .. })
                    && matches!(self.connection, ConnectionState::Connected)
                {
                    self.remember_running();
                }
                if let ConnectionState::ServerDied { message } = &c {
                    self.notify(format!("opencode server died: {message}"));
                }
                if matches!(c, ConnectionState::Connected) {
                    // tui.json's one warning, once the server is there (a slow start
                    // would outlast the note).
                    if let Some(w) = self.keymap.warning.take() {
                        self.note(w, true);
                    }
                }
                self.connection = c;
                if died {
                    self.server_died();
                }
            }
            UiInput::ServerVersion(v) => self.opts.server_version = v,
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
            UiInput::GitBranch(branch) => self.opts.git_branch = branch,
            UiInput::ProjectDir(dir) => self.opts.project_dir = Some(dir),
            UiInput::StatusLine(text) => self.status_line.shown = Some(text),
            UiInput::Note { text, error } => {
                if error {
                    self.notify(text.clone());
                }
                self.note(text, error);
            }
            UiInput::SessionTextPending(n) => self.sessions.text_pending = n,
            UiInput::SessionText(t) => self.sessions.texts.insert(t),
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
                if from.as_deref() != Some(id.as_str()) {
                    self.drop_build_offer(None);
                }
                self.left_session(from.as_deref(), &id);
                if self.sessions.shown_ahead.front() == Some(&id) {
                    // Already shown by a subagent key; the user may have moved on since.
                    self.sessions.shown_ahead.pop_front();
                } else {
                    self.view.show(&id);
                }
                self.sessions.older_requested = None;
                self.tab_shown(&id);
                self.approvals_shown(&id);
                // Typed before the session existed: the first goes now (or waits for a
                // working session's turn), the rest queue behind it, in order.
                let mut wait = self.busy() || self.prompt.queued.iter().any(|q| q.session_id == id);
                for typed in std::mem::take(&mut self.prompt.pending) {
                    let text = typed.text.clone();
                    let action = self.prompt_action(id.clone(), typed);
                    if wait {
                        self.queue_prompt(id.clone(), text, action);
                    } else {
                        out.push(action);
                        wait = true;
                    }
                }
            }
            UiInput::Servers { mcp, lsp } => {
                self.side_panel.mcp = Some(mcp);
                self.side_panel.lsp = Some(lsp);
            }
            UiInput::FileResults { query, paths } => self.file_results(&query, paths),
            UiInput::ServerCommands(list) => self.server_commands_arrived(list),
            UiInput::PromptHistory(entries) => self.prompt.input.load_history(entries),
            UiInput::Catalog { catalog, memory } => {
                out.push(self.models.arrived(
                    catalog,
                    memory,
                    self.opts.model_label.as_deref(),
                    self.opts.agent_label.as_deref(),
                ));
            }
        }
        if !delta {
            self.sync_status_input();
        }
        out.extend(self.jump_to_found());
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

    /// The stream is lost: which answers were streaming (see `running_at_loss`).
    fn remember_running(&mut self) {
        for s in self.store.sessions().iter().filter(|s| s.is_busy()) {
            if let Some(m) = unfinished_answer(s) {
                self.sessions
                    .running_at_loss
                    .insert(s.id.clone(), m.id.clone());
            }
        }
    }

    /// After a lost stream: a fetched part that would shorten the text of an answer that
    /// was streaming at the loss (a restarted server lost what streamed) is not applied.
    fn shortens_a_cut_answer(&self, ev: &Event) -> bool {
        let Event::PartUpdated(p) = ev else {
            return false;
        };
        if self.sessions.running_at_loss.get(&p.session_id) != Some(&p.message_id) {
            return false;
        }
        let Some(new) = p.text.as_deref() else {
            return false;
        };
        self.store
            .session(&p.session_id)
            .and_then(|s| s.messages.iter().find(|m| m.id == p.message_id))
            .and_then(|m| m.parts.iter().find(|q| q.id == p.id))
            .is_some_and(|q| match &q.kind {
                crate::model::state::PartKind::Text { text, .. }
                | crate::model::state::PartKind::Reasoning { text } => new.len() < text.len(),
                _ => false,
            })
    }

    /// A session that was streaming when the stream was lost is idle again: an answer
    /// still unfinished was cut off (by a restarted server): marked as the F5 path does.
    fn idle_after_loss(&mut self, sid: &str) {
        let Some(mid) = self.sessions.running_at_loss.remove(sid) else {
            return;
        };
        let cut = self
            .store
            .session(sid)
            .and_then(|s| s.messages.iter().find(|m| m.id == mid))
            .is_some_and(|m| m.completed_ms.is_none() && m.error.is_none() && m.finish.is_none());
        if cut {
            self.sessions.interrupted.insert(mid.clone());
            self.apply_event(&aborted(sid, &mid, "the server restarted"));
        }
    }

    /// The server died: nothing runs any more. Each working session's unfinished answer
    /// is marked interrupted (what streamed so far stays) and the session goes idle, so
    /// no "working" stays on screen and a queued prompt comes back into the input.
    fn server_died(&mut self) {
        let mut events = Vec::new();
        for s in self.store.sessions().iter().filter(|s| s.is_busy()) {
            if let Some(m) = unfinished_answer(s) {
                self.sessions.interrupted.insert(m.id.clone());
                events.push(aborted(&s.id, &m.id, "the server died"));
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
        if self.shortens_a_cut_answer(ev) {
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
                self.drop_build_offer(Some(&sid));
                self.started_working(&sid);
            } else if was_busy && !busy {
                self.idle_after_loss(&sid);
                self.stopped_working(&sid, shown.as_deref() == Some(sid.as_str()));
                self.tab_finished(&sid);
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
                    let text = format!("{ASKS_PERMISSION}{}", p.permission);
                    self.notify_for(&p.session_id, text);
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
                    self.notify_for(&q.session_id, "opencode has a question".to_string());
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
                self.offer_build_after_plan(session_id);
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
        if aborted {
            self.mark_stopped_turn(sid);
        }
        self.after_turn(sid, aborted, taken);
    }

    /// A turn the user stopped (Esc) that the server ended without marking any answer
    /// aborted (during a provider retry there may be no answer at all): its unfinished
    /// answer, or else the turn itself, shows "■ interrupted".
    fn mark_stopped_turn(&mut self, sid: &str) {
        use crate::model::state::Role;
        let Some(s) = self.store.session(sid) else {
            return;
        };
        let Some(ui) = s.messages.iter().rposition(|m| m.role == Role::User) else {
            return;
        };
        if s.assistant_messages()
            .next_back()
            .is_some_and(|m| m.error.is_some())
        {
            return; // the server marked the abort (or the failure) on the last answer
        }
        let prompt = s.messages[ui].id.clone();
        let answers: Vec<_> = s.messages[ui + 1..]
            .iter()
            .filter(|m| m.role == Role::Assistant)
            .collect();
        if answers.iter().any(|m| m.error.is_some()) {
            return; // already marked (or failed), as the server said
        }
        let event = match answers.last() {
            // Unfinished, or ended without a finish reason: the server stopped it (an Esc
            // during a provider retry ends the empty answer "completed", with no error).
            Some(m) if m.finish.is_none() => aborted(sid, &m.id, "stopped"),
            // The last step ended asking for more (tool calls), or no step answered yet.
            Some(m) if m.finish.as_deref() != Some("tool-calls") => return,
            _ => {
                let mut e = aborted(sid, &format!("ocw_stopped_{prompt}"), "stopped");
                if let Event::MessageUpdated(info) = &mut e {
                    info.parent_id = Some(prompt);
                }
                e
            }
        };
        self.apply_event(&event);
    }

    fn resolved(&mut self, request_id: &str) {
        self.dialogs.resolved(request_id);
    }
}

/// The last assistant message of a session still streaming (no end, no error).
fn unfinished_answer(
    s: &crate::model::state::SessionState,
) -> Option<&crate::model::state::Message> {
    s.messages.iter().rev().find(|m| {
        m.role == crate::model::state::Role::Assistant
            && m.completed_ms.is_none()
            && m.error.is_none()
    })
}

/// The event that marks `message` aborted ("■ interrupted"), saying `why`.
fn aborted(sid: &str, message: &str, why: &str) -> Event {
    Event::MessageUpdated(crate::model::event::MessageInfo {
        id: message.to_string(),
        session_id: Some(sid.to_string()),
        role: "assistant".into(),
        error: Some(crate::model::event::ErrorInfo {
            name: "MessageAbortedError".into(),
            data: serde_json::json!({ "message": why }),
        }),
        ..Default::default()
    })
}
