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
pub(crate) mod approvals;
pub(crate) mod copy;
pub(crate) mod keys;
pub(crate) mod parts;
mod remote;
pub(crate) mod session_commands;
pub(crate) mod stale_notes;
pub(crate) mod status_input;
pub(crate) mod subagent;
pub(crate) mod tabs;
pub(crate) mod view;

use crate::model::event::SessionStatus;
use crate::model::state::Store;
use crate::ui::action::{Action, ConnectionState, UiOptions};
use crate::ui::app::view::ViewState;
use crate::ui::overlay::guard::KeyGuard;
use crate::ui::overlay::{Dialogs, SaveRuleOffer};
pub use parts::QueuedPrompt;
use parts::{PromptParts, SessionBook};
use std::time::{Duration, Instant};

/// How long a note stays on screen.
pub const NOTE_TTL: Duration = Duration::from_secs(8);
/// Two Ctrl+C within this quit.
pub const QUIT_WINDOW: Duration = Duration::from_secs(1);
/// The note shown while an abort is on its way (dropped when the turn ends).
pub const ABORTING_NOTE: &str = "aborting…";
/// How a permission request is announced (a notification, and for a session not on screen
/// a note): `ASKS_PERMISSION` then the permission (app/tabs.rs takes it back when the request
/// is answered as it comes).
pub(crate) const ASKS_PERMISSION: &str = "opencode asks permission: ";

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

/// The whole view state of the interactive UI, in parts: the view (what is shown and how:
/// `store`, `view`, `layout`), the prompt ([`PromptParts`]), the dialogs (the pending
/// requests and the approval focus rule's state), the overlays (the popup stack), the
/// session bookkeeping ([`SessionBook`]), and the status line's state.
pub struct App {
    // The view.
    pub(crate) store: Store,
    pub(crate) view: ViewState,
    /// The transcript laid out for `view` (kept between frames).
    pub(crate) layout: crate::ui::transcript::LayoutCache,
    /// The side panel (F3, `/details`).
    pub(crate) side_panel: crate::ui::side_panel::SidePanel,
    pub(crate) opts: UiOptions,
    // The prompt.
    pub(crate) prompt: PromptParts,
    /// Model, variant and agent the next prompts use (prompt/model_choice.rs).
    pub(crate) models: crate::ui::prompt::model_choice::ModelState,
    // The dialogs.
    /// The pending requests of every session with their dialogs, what we answered and
    /// the save-rule offer (overlay/dialogs.rs).
    pub(crate) dialogs: Dialogs,
    /// Approval safety: who has the keys, the prompt or the dialog on top (guard.rs).
    pub(crate) guard: KeyGuard,
    /// Set by drawing once the dialog on top has been on screen (reset when another
    /// comes): its keys answer only after that.
    pub(crate) dialog_seen: std::cell::Cell<bool>,
    /// Client-side "always" rules, scoped to an agent and a session tree (always.rs).
    pub(crate) always_rules: crate::model::always::AlwaysRules,
    /// The approval mode switched in the TUI, for a session tree (approvals.rs).
    pub(crate) approvals: approvals::Approvals,
    // The overlays.
    /// The open popups, bottom first (overlay/stack.rs).
    pub(crate) overlays: crate::ui::overlay::OverlayStack,
    // The session bookkeeping.
    pub(crate) sessions: SessionBook,
    // The status line and the outside world.
    pub(crate) connection: ConnectionState,
    pub(crate) notes: Vec<Note>,
    /// The session log could not be written (the first error): `log ✗` in the status bar.
    pub(crate) log_failed: Option<String>,
    pub(crate) spinner: usize,
    /// Epoch ms to draw with (tests and replay pin it); `None` = the wall clock.
    pub(crate) clock_ms: Option<u64>,
    /// The last Ctrl+C and what it did (a second one quits only after a warning).
    pub(crate) last_ctrl_c: Option<(tokio::time::Instant, CtrlC)>,
    /// Whether the terminal's mouse is captured (wheel, clicks); F12 toggles it so the
    /// terminal's own text selection works.
    pub(crate) mouse_capture: bool,
    /// Actions decided on the way (a queued prompt to send now, a notification), handed
    /// out with what `handle_input` / `handle_key` return.
    pub(crate) outbox: Vec<Action>,
    /// The toast another client showed (`/tui/show-toast`), until it runs out.
    pub(crate) toast: Option<crate::ui::overlay::toast::Toast>,
    /// The status line command's input given and output shown (app/status_input.rs).
    pub(crate) status_line: status_input::StatusLineState,
    /// The effective key bindings (tui.json over the defaults: ui/keymap).
    pub(crate) keymap: crate::ui::keymap::Keymap,
    /// The wheel's step (tui.json's `scroll_speed`, `scroll_acceleration`).
    pub(crate) wheel: crate::ui::keymap::wheel::Wheel,
}

impl App {
    pub fn new(opts: UiOptions) -> App {
        let sessions = SessionBook {
            pinned: opts.pinned_sessions.clone(),
            ..SessionBook::default()
        };
        let keymap = crate::ui::keymap::Keymap::from_config(&opts.tui);
        let wheel = crate::ui::keymap::wheel::Wheel::new(&opts.tui);
        let mut app = App {
            store: Store::new(),
            view: ViewState::default(),
            layout: Default::default(),
            side_panel: Default::default(),
            opts,
            prompt: PromptParts::default(),
            models: Default::default(),
            dialogs: Dialogs::default(),
            guard: KeyGuard::default(),
            dialog_seen: std::cell::Cell::new(false),
            always_rules: Default::default(),
            approvals: Default::default(),
            overlays: Default::default(),
            sessions,
            connection: ConnectionState::Connecting,
            notes: Vec::new(),
            log_failed: None,
            spinner: 0,
            clock_ms: None,
            last_ctrl_c: None,
            mouse_capture: true,
            outbox: Vec::new(),
            toast: None,
            status_line: Default::default(),
            keymap,
            wheel,
        };
        // Custom theme files skipped at start-up, said once.
        for w in crate::ui::theme::take_warnings() {
            app.note(w, true);
        }
        app
    }

    /// True while the TUI is up before the server (`ConnectionState::Starting`): prompts
    /// typed now wait for the session the start-up picks.
    pub fn starting(&self) -> bool {
        matches!(self.connection, ConnectionState::Starting { .. })
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

    pub(crate) fn notify(&mut self, what: impl Into<String>) {
        if self.opts.notify {
            self.outbox.push(Action::Notify(what.into()));
        }
    }

    /// Tells the focus rule which dialog is on top (guard.rs). A dialog that comes while a
    /// popup is open or the prompt holds unsent text (a sentence paused in, whose next
    /// letters must not answer it) waits for a deliberate Tab; the help overlay, which
    /// holds nothing, closes for it.
    pub(crate) fn sync_guard(&mut self) {
        let shown = self.shown_dialog();
        let occupied = self.popup_open() || !self.prompt.input.is_empty();
        if !self.guard.is_shown(shown.as_ref()) {
            self.dialog_seen.set(false);
            if shown.is_some() {
                self.overlays.close_for_dialog();
            }
        }
        self.guard
            .sync(shown, tokio::time::Instant::now(), occupied);
        // The dialog on top keeps one state from its first frame on, so what that frame
        // drew (its scroll room) is known to the keys.
        if let Some(r) = self.active_request().cloned() {
            if self.dialogs.state(r.id()).is_none() {
                if let Some(st) = self.dialogs.take_state(&r, &self.store) {
                    self.dialogs.put_back(r.id(), st);
                }
            }
        }
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
        if self.busy()
            || matches!(
                self.connection,
                ConnectionState::Connecting | ConnectionState::Starting { .. }
            )
        {
            at(now + Duration::from_millis(if retrying { 1000 } else { 120 }));
        }
        // Redraw when a dialog takes the focus or its keys arm (the dimmed keys light up).
        let tnow = tokio::time::Instant::now();
        if let Some(t) = self.guard.changes_at(tnow) {
            at(now + t.saturating_duration_since(tnow));
        }
        if let Some(t) = self.toast.as_ref().and_then(|t| t.changes_at(now)) {
            at(t);
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
