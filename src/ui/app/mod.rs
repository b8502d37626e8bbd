//! `App`: the whole view state of the interactive UI around one `Store` (the reducer's
//! state). `handle_input` applies what the outside world says; `handle_key` (keys.rs)
//! turns key presses into `Action`s. Both are pure (no terminal, no I/O), so tests drive
//! them directly. Drawing is `ui::render(&App, frame)`.
//!
//! Dialogs: every pending permission / question of any session is queued in arrival
//! order; a request leaves the queue when we answer it (so it is answered at most once)
//! or when the store shows it answered elsewhere (`permission.replied`, ...).

pub mod always;
pub mod copy;
pub(crate) mod keys;
pub(crate) mod session_ops;
pub mod subagent;
pub mod view;

use crate::model::event::{Event, SessionInfo, SessionStatus};
use crate::model::state::Store;
use crate::ui::action::{Action, ConnectionState, UiInput, UiOptions};
use crate::ui::app::view::ViewState;
use crate::ui::overlay::guard::{KeyGuard, Shown};
use crate::ui::overlay::permission::PermissionDialog;
use crate::ui::overlay::question::QuestionDialog;
use crate::ui::overlay::save_rule::SaveRuleOffer;
use crate::ui::prompt::input::PromptInput;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// How long a note stays on screen.
pub const NOTE_TTL: Duration = Duration::from_secs(8);
/// Two Ctrl+C within this quit.
pub const QUIT_WINDOW: Duration = Duration::from_secs(1);
/// The note shown while an abort is on its way (dropped when the turn ends).
pub const ABORTING_NOTE: &str = "aborting…";

/// A pending request, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Request {
    Permission { session_id: String, id: String },
    Question { session_id: String, id: String },
}

impl Request {
    pub fn id(&self) -> &str {
        match self {
            Request::Permission { id, .. } | Request::Question { id, .. } => id,
        }
    }
    pub fn session_id(&self) -> &str {
        match self {
            Request::Permission { session_id, .. } | Request::Question { session_id, .. } => {
                session_id
            }
        }
    }
}

/// A prompt typed while the session was busy: kept here, shown as queued, and sent when
/// the turn ends (or put back into the input: prompt_queue.rs).
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedPrompt {
    pub session_id: String,
    pub text: String,
    /// What sends it (a prompt, with its files, or a server command).
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub error: bool,
    pub at: Instant,
}

/// What a Ctrl+C did, so the next one knows whether it may quit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CtrlC {
    Cleared,
    Aborted,
    /// Showed "press Ctrl+C again to quit".
    Warned,
}

/// The session list pane, when open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionList {
    pub cursor: usize,
    /// Typed text: only sessions whose title holds it are listed.
    pub filter: String,
    pub mode: crate::ui::overlay::sessions::ListMode,
}

pub struct App {
    pub store: Store,
    pub view: ViewState,
    /// The transcript laid out for `view` (kept between frames).
    pub layout: crate::ui::transcript::LayoutCache,
    pub opts: UiOptions,
    pub input: PromptInput,
    pub connection: ConnectionState,
    /// The project's sessions as last listed.
    pub sessions: Vec<SessionInfo>,
    /// Bumped with every new `sessions` listing (keys the session list's index).
    pub(crate) sessions_gen: u64,
    pub(crate) session_index: crate::ui::overlay::session_index::SessionIndex,
    pub session_list: Option<SessionList>,
    pub show_help: bool,
    /// Scroll state of the help overlay (reset when it closes).
    pub help: crate::ui::overlay::help::HelpState,
    /// Pending requests in arrival order (answered ones are dropped).
    pub queue: Vec<Request>,
    pub permission_ui: HashMap<String, PermissionDialog>,
    pub question_ui: HashMap<String, QuestionDialog>,
    /// Requests we replied to (never answered twice).
    pub answered: HashSet<String>,
    pub save_offer: Option<SaveRuleOffer>,
    /// Client-side "always" rules, scoped to an agent and a session tree (always.rs).
    pub always_rules: crate::model::always::AlwaysRules,
    pub queued: Vec<QueuedPrompt>,
    /// Sessions (and their ancestors) with a permission rejected during the current
    /// turn: their queued prompts come back into the input (prompt_queue.rs).
    pub(crate) queue_rejected: HashSet<String>,
    /// Actions decided on the way (a queued prompt to send now, a notification), handed
    /// out with what `handle_input` / `handle_key` return.
    pub(crate) outbox: Vec<Action>,
    /// Typed before any session existed: sent once one is shown.
    pub pending_prompt: Option<String>,
    pub notes: Vec<Note>,
    /// The last Ctrl+C and what it did (a second one quits only after a warning).
    pub(crate) last_ctrl_c: Option<(tokio::time::Instant, CtrlC)>,
    /// Approval safety: who has the keys, the prompt or the dialog on top (guard.rs).
    pub(crate) guard: KeyGuard,
    /// Set by drawing once the dialog on top has been on screen (reset when another
    /// comes): its keys answer only after that.
    pub(crate) dialog_seen: std::cell::Cell<bool>,
    /// The session log could not be written (the first error): `log ✗` in the status bar.
    pub log_failed: Option<String>,
    pub spinner: usize,
    /// Epoch ms to draw with (tests and replay pin it); `None` = the wall clock.
    pub clock_ms: Option<u64>,
    pub(crate) older_requested: Option<(String, usize)>,
    /// Epoch ms at which each working session started its current stretch of work.
    pub busy_since: HashMap<String, f64>,
    /// Assistant messages cut off by a dead server: shown as interrupted, never changed
    /// by the history a restarted server sends (it lost the streamed text).
    pub interrupted: HashSet<String>,
    /// Whether the terminal's mouse is captured (wheel, clicks); F12 toggles it so the
    /// terminal's own text selection works.
    pub mouse_capture: bool,
    /// Sessions we asked to abort (their queued prompts are dropped by the server).
    pub(crate) abort_requested: HashSet<String>,
    /// The side panel (F3, `/details`).
    pub side_panel: crate::ui::side_panel::SidePanel,
    /// `@` mentions, pasted files and long pastes of the prompt (mention.rs).
    pub mention: crate::ui::prompt::mention::Mentions,
    /// The `/` completion and the server's commands (slash.rs).
    pub slash: crate::ui::prompt::prompt_state::SlashState,
    /// Compose in `$EDITOR` (editor.rs).
    pub editor: crate::ui::prompt::prompt_state::EditorState,
    /// Model, variant and agent switching (models.rs).
    pub models: crate::ui::prompt::model_choice::ModelState,
    /// `/fork`: choose the message to fork before.
    pub fork_picker: Option<crate::ui::overlay::picker::Picker>,
    /// The transcript search bar (Ctrl+F), when open (find.rs).
    pub find: Option<crate::ui::overlay::find::FindState>,
    /// Sessions shown at once by a subagent key whose `SwitchSession` has not come back as
    /// `ShowSession` yet (subagent.rs): their late echo must not undo a later move.
    pub(crate) shown_ahead: std::collections::VecDeque<String>,
    /// The files (mentions, pasted images) of [`App::pending_prompt`].
    pub pending_files: Vec<crate::model::attach::FileAttachment>,
}

impl App {
    pub fn new(opts: UiOptions) -> App {
        App {
            store: Store::new(),
            view: ViewState::default(),
            layout: Default::default(),
            opts,
            input: PromptInput::new(),
            connection: ConnectionState::Connecting,
            sessions: Vec::new(),
            sessions_gen: 0,
            session_index: Default::default(),
            session_list: None,
            show_help: false,
            help: Default::default(),
            queue: Vec::new(),
            permission_ui: HashMap::new(),
            question_ui: HashMap::new(),
            answered: HashSet::new(),
            save_offer: None,
            always_rules: Default::default(),
            queued: Vec::new(),
            queue_rejected: HashSet::new(),
            outbox: Vec::new(),
            pending_prompt: None,
            notes: Vec::new(),
            last_ctrl_c: None,
            guard: KeyGuard::default(),
            dialog_seen: std::cell::Cell::new(false),
            log_failed: None,
            spinner: 0,
            clock_ms: None,
            older_requested: None,
            busy_since: HashMap::new(),
            interrupted: HashSet::new(),
            mouse_capture: true,
            abort_requested: HashSet::new(),
            side_panel: Default::default(),
            mention: Default::default(),
            slash: Default::default(),
            editor: Default::default(),
            models: Default::default(),
            fork_picker: None,
            find: None,
            shown_ahead: Default::default(),
            pending_files: Vec::new(),
        }
    }

    /// The shown session's id.
    pub fn session_id(&self) -> Option<&str> {
        self.view.session_id.as_deref()
    }

    pub fn now_ms(&self) -> u64 {
        self.clock_ms.unwrap_or_else(crate::log::now_ms)
    }

    /// True while the shown session is working.
    pub fn busy(&self) -> bool {
        self.session_id()
            .and_then(|id| self.store.session(id))
            .is_some_and(|s| s.is_busy())
    }

    fn still_pending(&self, r: &Request) -> bool {
        if self.answered.contains(r.id()) {
            return false;
        }
        let Some(s) = self.store.session(r.session_id()) else {
            return false;
        };
        match r {
            Request::Permission { id, .. } => s.pending_permissions().any(|p| &p.request.id == id),
            Request::Question { id, .. } => s.pending_questions().any(|q| &q.request.id == id),
        }
    }

    /// Requests whose dialog is to be shown, in order.
    pub fn active_requests(&self) -> Vec<&Request> {
        self.queue
            .iter()
            .filter(|r| self.still_pending(r))
            .collect()
    }

    /// The dialog that receives keys, if any.
    pub fn active_request(&self) -> Option<&Request> {
        self.active_requests().into_iter().next()
    }

    pub fn note(&mut self, text: impl Into<String>, error: bool) {
        self.notes.push(Note {
            text: text.into(),
            error,
            at: Instant::now(),
        });
        if self.notes.len() > 50 {
            self.notes.remove(0);
        }
    }

    /// The note to show now, if a recent one exists.
    pub fn current_note(&self, now: Instant) -> Option<&Note> {
        self.notes
            .last()
            .filter(|n| now.saturating_duration_since(n.at) < NOTE_TTL)
    }

    fn notify(&mut self, what: impl Into<String>) {
        if self.opts.notify {
            self.outbox.push(Action::Notify(what.into()));
        }
    }

    /// Applies what the outside world says. Returns actions it makes due (a prompt typed
    /// before any session existed, sent once one is shown).
    pub fn handle_input(&mut self, input: UiInput) -> Vec<Action> {
        let mut out = Vec::new();
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
                    .queued
                    .iter()
                    .position(|q| q.session_id == session_id && q.text == text)
                {
                    self.queued.remove(i);
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
                self.sessions = list;
                self.sessions_gen += 1;
            }
            UiInput::ShowSession(id) => {
                if self.side_panel.open && self.session_id() != Some(id.as_str()) {
                    out.push(Action::FetchDetails {
                        session_id: id.clone(),
                    });
                }
                let from = self.session_id().map(str::to_string);
                self.left_session(from.as_deref(), &id);
                if self.shown_ahead.front() == Some(&id) {
                    // Already shown by a subagent key; the user may have moved on since.
                    self.shown_ahead.pop_front();
                } else {
                    self.view.show(&id);
                }
                self.older_requested = None;
                if let Some(text) = self.pending_prompt.take() {
                    let files = std::mem::take(&mut self.pending_files);
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
        let now = self.input.text();
        if now.trim().is_empty() {
            self.input.set_text(text);
        } else if !now.contains(text) {
            self.input.set_text(&format!("{text}\n{now}"));
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
                self.interrupted.insert(m.id.clone());
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

    /// The dialog on top now, for the focus rule.
    pub(crate) fn shown_dialog(&self) -> Option<Shown> {
        if self.save_offer.is_some() {
            return Some(Shown::SaveOffer);
        }
        self.active_request()
            .map(|r| Shown::Request(r.id().to_string()))
    }

    /// Tells the focus rule which dialog is on top (guard.rs). A dialog that comes while a
    /// popup is open waits for a deliberate Tab; the help overlay, which holds nothing,
    /// closes for it.
    pub(crate) fn sync_guard(&mut self) {
        let shown = self.shown_dialog();
        let popup_open = self.popup_open();
        if !self.guard.is_shown(shown.as_ref()) {
            self.dialog_seen.set(false);
            if shown.is_some() && self.show_help {
                self.show_help = false;
                self.help = Default::default();
            }
        }
        self.guard
            .sync(shown, tokio::time::Instant::now(), popup_open);
    }

    /// True while the dialog on top does not answer keys (the prompt has the focus, or the
    /// dialog has just got it).
    pub fn dialog_held(&self) -> bool {
        self.guard.holds(tokio::time::Instant::now()) || !self.dialog_seen_whole()
    }

    /// True once the whole request of the dialog on top has been drawn.
    pub(crate) fn dialog_seen_whole(&self) -> bool {
        self.dialog_seen.get()
    }

    /// True while the prompt has the keys although a dialog is up (drawn dimmed, waiting
    /// for Tab).
    pub fn dialog_waits_for_tab(&self) -> bool {
        self.guard.waits_for_tab(tokio::time::Instant::now())
    }

    /// A popup that takes keys is open (it steps aside while a dialog is up).
    pub fn popup_open(&self) -> bool {
        self.show_help
            || self.session_list.is_some()
            || self.fork_picker.is_some()
            || self.models.picker.is_some()
            || self.find.is_some()
            || self.side_panel.diff_scroll.is_some()
            || self.side_panel.file_focus.is_some()
    }

    fn apply_event(&mut self, ev: &Event) {
        if matches!(ev, Event::Heartbeat | Event::ServerConnected) {
            return;
        }
        match ev {
            Event::PartUpdated(p) if self.interrupted.contains(&p.message_id) => return,
            Event::PartDelta { message_id, .. } if self.interrupted.contains(message_id) => return,
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
                if !self.queue.contains(&r) {
                    self.queue.push(r);
                    self.permission_ui
                        .insert(p.id.clone(), PermissionDialog::new(&p.id));
                    self.notify(format!("opencode asks permission: {}", p.permission));
                }
            }
            Event::QuestionAsked(q) => {
                let r = Request::Question {
                    session_id: q.session_id.clone(),
                    id: q.id.clone(),
                };
                if !self.queue.contains(&r) {
                    self.queue.push(r);
                    self.question_ui
                        .insert(q.id.clone(), QuestionDialog::new(q));
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
        self.busy_since
            .insert(sid.to_string(), prompt.map_or(now, |p| p.min(now)));
    }

    /// A session stops working: the abort note goes (the transcript says "■ interrupted"),
    /// and its queued prompts go on (prompt_queue.rs): the next one is sent, or (after an
    /// abort, a reject, a failure, a dead server) they come back into the input with one
    /// the server took but never answered (the session's last messages are prompts).
    fn stopped_working(&mut self, sid: &str, shown: bool) {
        self.busy_since.remove(sid);
        if shown {
            self.notes.retain(|n| n.text != ABORTING_NOTE);
        }
        let dead = matches!(self.connection, ConnectionState::ServerDied { .. });
        let aborted = self.abort_requested.remove(sid);
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
        if let Some(i) = self.queue.iter().position(|r| r.id() == request_id) {
            self.queue.remove(i);
            self.permission_ui.remove(request_id);
            self.question_ui.remove(request_id);
        }
    }

    /// When the loop should wake up next without input: a spinner / countdown tick while
    /// the shown session works, or a note's expiry. `None` = sleep until input.
    pub fn next_tick(&self, now: Instant) -> Option<Instant> {
        let mut t: Option<Instant> = None;
        let mut at = |i: Instant| t = Some(t.map_or(i, |x: Instant| x.min(i)));
        let retrying = self
            .session_id()
            .and_then(|id| self.store.session(id))
            .is_some_and(|s| matches!(s.status, SessionStatus::Retry { .. }));
        if self.busy() || matches!(self.connection, ConnectionState::Connecting) {
            at(now + Duration::from_millis(if retrying { 1000 } else { 120 }));
        }
        // Redraw when a dialog takes the focus or its keys arm (the dimmed keys light up).
        let tnow = tokio::time::Instant::now();
        if let Some(t) = self.guard.changes_at(tnow) {
            at(now + t.saturating_duration_since(tnow));
        }
        if let Some(n) = self.notes.last() {
            let end = n.at + NOTE_TTL;
            if end > now {
                at(end);
            }
        }
        t
    }

    /// Advances the spinner (called on each tick).
    pub fn tick(&mut self) {
        self.spinner = self.spinner.wrapping_add(1);
    }
}
