//! `App`: the whole view state of the interactive UI around one `Store` (the reducer's
//! state). `handle_input` (apply.rs) applies what the outside world says; `handle_key` (keys.rs)
//! turns key presses into `Action`s. Both are pure (no terminal, no I/O), so tests drive
//! them directly. Drawing is `ui::render(&App, frame)`.
//!
//! Dialogs: every pending permission / question of any session is queued in arrival
//! order; a request leaves the queue when we answer it (so it is answered at most once)
//! or when the store shows it answered elsewhere (`permission.replied`, ...).

mod access;
pub(crate) mod always;
mod apply;
pub(crate) mod copy;
pub(crate) mod keys;
pub(crate) mod session_actions;
pub(crate) mod subagent;
pub(crate) mod view;

use crate::model::event::{SessionInfo, SessionStatus};
use crate::model::state::Store;
use crate::ui::action::{Action, ConnectionState, UiOptions};
use crate::ui::app::view::ViewState;
use crate::ui::overlay::guard::KeyGuard;
use crate::ui::overlay::{Dialogs, SaveRuleOffer};
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
    pub(crate) session_id: String,
    pub(crate) text: String,
    /// What sends it (a prompt, with its files, or a server command).
    pub(crate) action: Action,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub(crate) text: String,
    pub(crate) error: bool,
    pub(crate) at: Instant,
}

/// What a Ctrl+C did, so the next one knows whether it may quit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CtrlC {
    Cleared,
    Aborted,
    /// Showed "press Ctrl+C again to quit".
    Warned,
}

pub struct App {
    pub(crate) store: Store,
    pub(crate) view: ViewState,
    /// The transcript laid out for `view` (kept between frames).
    pub(crate) layout: crate::ui::transcript::LayoutCache,
    pub(crate) opts: UiOptions,
    pub(crate) input: PromptInput,
    pub(crate) connection: ConnectionState,
    /// The project's sessions as last listed.
    pub(crate) sessions: Vec<SessionInfo>,
    /// Bumped with every new `sessions` listing (keys the session list's index).
    pub(crate) sessions_gen: u64,
    pub(crate) session_index: crate::ui::overlay::session_index::SessionIndex,
    /// The open popups, bottom first (overlay/stack.rs).
    pub(crate) overlays: crate::ui::overlay::OverlayStack,
    /// The pending requests of every session with their dialogs, what we answered and
    /// the save-rule offer (overlay/dialogs.rs).
    pub(crate) dialogs: Dialogs,
    /// Client-side "always" rules, scoped to an agent and a session tree (always.rs).
    pub(crate) always_rules: crate::model::always::AlwaysRules,
    pub(crate) queued: Vec<QueuedPrompt>,
    /// Sessions (and their ancestors) with a permission rejected during the current
    /// turn: their queued prompts come back into the input (prompt_queue.rs).
    pub(crate) queue_rejected: HashSet<String>,
    /// Actions decided on the way (a queued prompt to send now, a notification), handed
    /// out with what `handle_input` / `handle_key` return.
    pub(crate) outbox: Vec<Action>,
    /// Typed before any session existed: sent once one is shown.
    pub(crate) pending_prompt: Option<String>,
    pub(crate) notes: Vec<Note>,
    /// The last Ctrl+C and what it did (a second one quits only after a warning).
    pub(crate) last_ctrl_c: Option<(tokio::time::Instant, CtrlC)>,
    /// Approval safety: who has the keys, the prompt or the dialog on top (guard.rs).
    pub(crate) guard: KeyGuard,
    /// Set by drawing once the dialog on top has been on screen (reset when another
    /// comes): its keys answer only after that.
    pub(crate) dialog_seen: std::cell::Cell<bool>,
    /// The session log could not be written (the first error): `log ✗` in the status bar.
    pub(crate) log_failed: Option<String>,
    pub(crate) spinner: usize,
    /// Epoch ms to draw with (tests and replay pin it); `None` = the wall clock.
    pub(crate) clock_ms: Option<u64>,
    pub(crate) older_requested: Option<(String, usize)>,
    /// Epoch ms at which each working session started its current stretch of work.
    pub(crate) busy_since: HashMap<String, f64>,
    /// Assistant messages cut off by a dead server: shown as interrupted, never changed
    /// by the history a restarted server sends (it lost the streamed text).
    pub(crate) interrupted: HashSet<String>,
    /// Whether the terminal's mouse is captured (wheel, clicks); F12 toggles it so the
    /// terminal's own text selection works.
    pub(crate) mouse_capture: bool,
    /// Sessions we asked to abort (their queued prompts are dropped by the server).
    pub(crate) abort_requested: HashSet<String>,
    /// The side panel (F3, `/details`).
    pub(crate) side_panel: crate::ui::side_panel::SidePanel,
    /// `@` mentions, pasted files and long pastes of the prompt (mention.rs).
    pub(crate) mention: crate::ui::prompt::mention::Mentions,
    /// The `/` completion and the server's commands (slash.rs).
    pub(crate) slash: crate::ui::prompt::SlashState,
    /// The Ctrl+X leader (Ctrl+X E: compose in `$EDITOR`, editor.rs).
    pub(crate) editor: crate::ui::runtime::EditorState,
    /// Model, variant and agent switching (models.rs).
    pub(crate) models: crate::ui::prompt::model_choice::ModelState,
    /// Sessions shown at once by a subagent key whose `SwitchSession` has not come back as
    /// `ShowSession` yet (subagent.rs): their late echo must not undo a later move.
    pub(crate) shown_ahead: std::collections::VecDeque<String>,
    /// The files (mentions, pasted images) of [`App::pending_prompt`].
    pub(crate) pending_files: Vec<crate::model::attach::FileAttachment>,
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
            overlays: Default::default(),
            dialogs: Dialogs::default(),
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

    /// Requests whose dialog is to be shown, in order.
    pub fn active_requests(&self) -> Vec<&Request> {
        self.dialogs.active_requests(&self.store)
    }

    /// The dialog that receives keys, if any.
    pub fn active_request(&self) -> Option<&Request> {
        self.dialogs.active(&self.store)
    }

    /// The offer to save an "always" rule, while it is up.
    pub fn save_offer(&self) -> Option<&SaveRuleOffer> {
        self.dialogs.save_offer()
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

    /// Tells the focus rule which dialog is on top (guard.rs). A dialog that comes while a
    /// popup is open waits for a deliberate Tab; the help overlay, which holds nothing,
    /// closes for it.
    pub(crate) fn sync_guard(&mut self) {
        let shown = self.shown_dialog();
        let popup_open = self.popup_open();
        if !self.guard.is_shown(shown.as_ref()) {
            self.dialog_seen.set(false);
            if shown.is_some() {
                self.overlays.close_for_dialog();
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

    /// A popup that takes keys is open (it steps aside while a dialog is up); the prompt's
    /// own popups (`/`, `@`) do not count.
    pub fn popup_open(&self) -> bool {
        self.overlays
            .iter()
            .any(|o| !o.closes_for_dialog() && !o.prompt_popup())
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
