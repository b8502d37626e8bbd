//! The approval focus rule, once (DESIGN.md, approval safety; guard.rs is its state):
//! while a dialog is up the popups step aside (kept, not drawn, given no keys) and a key
//! or paste goes to the dialog layer or to the prompt, never to a popup it covers; Tab
//! moves the focus between them; a dialog answers only while it has the focus, its keys
//! are armed and the whole request has been drawn; no key with Ctrl or Alt answers.
//! Browsing is allowed under a dialog: Ctrl+S / F2 open the session list over it (its
//! keys are the list's, never the dialog's; back from it the dialog arms afresh or waits
//! for Tab), and PgUp / PgDn scroll the transcript when the dialog has nothing to scroll.

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::keymap::chord::Chord;
use crate::ui::keymap::names::KeyAction;
use crate::ui::overlay::dialogs::Offer;
use crate::ui::overlay::guard::{Focus, Shown};
use crate::ui::overlay::popup;
use crate::ui::overlay::stack::Handled;
use crossterm::event::{KeyCode, KeyEvent};
use tokio::time::Instant;

/// True when `key` alone is bound to `action` and may be taken over a dialog: a plain
/// character never is (the dialog's answers and the prompt's text are characters).
fn over_dialog(app: &App, action: KeyAction, key: &KeyEvent) -> bool {
    let character = matches!(key.code, KeyCode::Char(_)) && popup::plain(key);
    !character && app.keymap.is(action, Chord::of(key))
}

/// Said when a key with Ctrl or Alt reaches a dialog (it answers nothing).
const MODIFIED_KEY_NOTE: &str =
    "the dialog waits for its answer: keys with Ctrl or Alt do nothing here";

/// The approval focus rule: who gets a key or a paste, the dialog layer or the prompt.
impl App {
    /// The dialog on top now, for the focus rule: the offer (save a rule, build a plan),
    /// else the first pending request.
    pub(crate) fn shown_dialog(&self) -> Option<Shown> {
        match self.dialogs.offer() {
            Some(Offer::SaveRule(_)) => return Some(Shown::SaveOffer),
            Some(Offer::BuildPlan(o)) => return Some(Shown::BuildOffer(o.session_id.clone())),
            None => {}
        }
        self.active_request()
            .map(|r| Shown::Request(r.id().to_string()))
    }

    /// True while a dialog is up: the popups step aside (not drawn, given no keys).
    pub(crate) fn dialog_up(&self) -> bool {
        self.shown_dialog().is_some()
    }

    /// Who has the keys while a dialog is up (`None`: no dialog is up).
    pub fn dialog_focus(&self, now: Instant) -> Option<Focus> {
        self.shown_dialog()?;
        Some(self.guard.focus(now))
    }

    /// A key for the layers: with a dialog up the focus rule decides (always `Some`);
    /// else the overlay on top, if one takes it.
    pub(crate) fn layers_key(&mut self, key: KeyEvent, now: Instant) -> Option<Vec<Action>> {
        if self.dialog_up() {
            return Some(self.key_with_dialog(key, now));
        }
        // Typing: a dialog that comes within a moment of it waits for a deliberate Tab.
        self.guard.typed(now);
        self.overlay_key(key)
    }

    /// A key while a dialog is up: Tab moves the focus between the prompt and the dialog;
    /// the dialog answers only while it has the focus and its keys are armed.
    fn key_with_dialog(&mut self, key: KeyEvent, now: Instant) -> Vec<Action> {
        if self.browsing_over_dialog() {
            // The help opened over the dialog (F1), or the session list browsed over it
            // (Ctrl+S): the key is theirs, never the dialog's. Back from them, the dialog
            // does not answer at once (it arms afresh, or waits for Tab).
            let had_focus = matches!(self.guard.focus(now), Focus::Dialog { .. });
            let out = self.overlay_key(key).unwrap_or_default();
            if !self.browsing_over_dialog() {
                self.guard.back_from_browsing(had_focus, now);
            }
            return out;
        }
        if over_dialog(self, KeyAction::SessionList, &key) {
            // The session list opens over the dialog, whoever has the focus.
            return self.browse_sessions_over_dialog();
        }
        if matches!(key.code, KeyCode::PageUp | KeyCode::PageDown)
            && key.modifiers.is_empty()
            && matches!(self.guard.focus(now), Focus::Dialog { .. })
            && !self.dialog_scrolls(key.code == KeyCode::PageUp)
        {
            // A dialog with nothing (more) to scroll that way: the transcript scrolls.
            return self.scroll_under_dialog(key);
        }
        let tab = key.code == KeyCode::Tab && key.modifiers.is_empty();
        match self.guard.focus(now) {
            Focus::Prompt => {
                if tab {
                    self.guard.focus_dialog(now);
                    return Vec::new();
                }
                self.guard.typed(now);
                let prompt_popup = self.overlays.prompt_popup_open();
                let interrupt = key.code == KeyCode::Esc
                    || over_dialog(self, KeyAction::SessionInterrupt, &key);
                if interrupt && !prompt_popup {
                    // Esc meant to close a popup (or abort) must not reject or abort under
                    // a dialog the person has not turned to yet.
                    self.note(
                        "a dialog waits: Tab answers it (Esc there rejects); Esc here does nothing",
                        false,
                    );
                    return Vec::new();
                }
                let before = self.popup_open();
                let out = self.main_key(key);
                if !before && self.popup_open() {
                    self.note(
                        "a dialog waits: that opens once it is answered (Tab answers it)",
                        false,
                    );
                }
                out
            }
            Focus::Dialog { armed } => {
                let typing_field =
                    self.dialogs.offer().is_none() && self.dialogs.typing(&self.store);
                if tab {
                    self.guard.focus_prompt();
                    return Vec::new();
                }
                if key.code == KeyCode::F(1) || over_dialog(self, KeyAction::HelpShow, &key) {
                    self.open_help(false);
                    return Vec::new();
                }
                if let Some(out) = self.sequence_over_dialog(key) {
                    return out;
                }
                if !popup::plain(&key) && !typing_field {
                    self.note(MODIFIED_KEY_NOTE, false);
                    return Vec::new();
                }
                let scroll = matches!(
                    key.code,
                    KeyCode::Up
                        | KeyCode::Down
                        | KeyCode::PageUp
                        | KeyCode::PageDown
                        | KeyCode::Home
                        | KeyCode::End
                );
                // Typing into the dialog's own text field answers nothing until Enter.
                let field_edit = typing_field && key.code != KeyCode::Enter;
                let answers_now = armed && self.dialog_seen_whole();
                if !(answers_now || scroll || field_edit) {
                    self.note(
                        "the dialog's keys arm once it has been on screen a moment and read to the end",
                        false,
                    );
                    return Vec::new();
                }
                self.dialogs.set_armed(answers_now);
                let out = self.dialog_layer_key(key);
                self.dialogs.set_armed(false);
                out
            }
        }
    }

    /// The leader and the key after it, while the dialog has the focus: a sequence, never
    /// an answer (Ctrl+X A meant to switch the approval mode must not answer "allow
    /// always"). After a leader that timed out the next key still answers nothing. `None`:
    /// not part of a sequence.
    fn sequence_over_dialog(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let after_leader = !self.prompt.editor.pending.chords.is_empty();
        let before = self.popup_open();
        match self.sequence_key(key) {
            Some(out) => {
                if !before && self.popup_open() {
                    self.note(
                        "a dialog waits: that opens once it is answered (Tab answers it)",
                        false,
                    );
                }
                Some(out)
            }
            None if after_leader => {
                self.note(
                    "the leader timed out: that key answered nothing (press it again)",
                    false,
                );
                Some(Vec::new())
            }
            None => None,
        }
    }

    /// True while a popup allowed over the dialog (help, the browsed session list) is on top.
    pub(crate) fn browsing_over_dialog(&self) -> bool {
        self.overlays.top().is_some_and(|o| o.over_dialogs())
    }

    /// True when PgUp (`up`) / PgDn would move the body of the dialog on top.
    fn dialog_scrolls(&self, up: bool) -> bool {
        if self.dialogs.offer().is_some() {
            return false;
        }
        self.active_request()
            .and_then(|r| self.dialogs.state(r.id()))
            .is_some_and(|st| st.view().can_scroll(up))
    }

    /// PgUp / PgDn for the transcript above the dialog (it answers nothing).
    fn scroll_under_dialog(&mut self, key: KeyEvent) -> Vec<Action> {
        if key.code == KeyCode::PageUp {
            self.view.page_up();
            return self.maybe_load_older();
        }
        self.view.page_down();
        Vec::new()
    }

    /// A key for the dialog on top (the save-rule offer, else the first request), handed
    /// to it as an [`Overlay`] with the app; it closes once answered.
    fn dialog_layer_key(&mut self, key: KeyEvent) -> Vec<Action> {
        if let Some(mut offer) = self.dialogs.take_offer() {
            return match offer.overlay_mut().key(key, self) {
                Handled::Done(out) => {
                    self.dialogs.put_offer(offer);
                    out
                }
                Handled::Pass => {
                    self.dialogs.put_offer(offer);
                    Vec::new()
                }
                Handled::Close(out) => out,
                // A dialog never hands a key on to what it covers.
                Handled::CloseAndPass => Vec::new(),
            };
        }
        let Some(r) = self.active_request().cloned() else {
            return Vec::new();
        };
        let Some(mut state) = self.dialogs.take_state(&r, &self.store) else {
            return Vec::new();
        };
        match state.overlay_mut().key(key, self) {
            Handled::Done(out) => {
                self.dialogs.put_back(r.id(), state);
                out
            }
            Handled::Pass => {
                self.dialogs.put_back(r.id(), state);
                Vec::new()
            }
            Handled::Close(out) => out,
            Handled::CloseAndPass => Vec::new(),
        }
    }

    /// Bracketed paste. A paste only ever inserts text into the field that has the focus:
    /// the prompt, or the dialog's own text field (reject message, "Other" answer); a
    /// dialog without one drops it with a note. A paste counts as typing: a dialog that
    /// comes during or right after it waits for a deliberate Tab.
    pub fn paste(&mut self, s: &str) {
        let now = Instant::now();
        match self.dialog_focus(now) {
            Some(Focus::Dialog { .. }) => {
                self.guard.pasted_into_dialog(now);
                let taken = self.dialogs.offer().is_none() && self.dialog_layer_paste(s);
                if !taken {
                    self.note(
                        "the paste was dropped: the dialog has the keys (Tab returns to your prompt)",
                        false,
                    );
                }
            }
            Some(Focus::Prompt) => {
                self.guard.typed(now);
                self.paste_into_prompt(s);
            }
            None => {
                self.guard.typed(now);
                if !self.overlay_paste(s) {
                    self.paste_into_prompt(s);
                }
            }
        }
    }

    /// A paste for the request's dialog on top: true when its text field took it.
    fn dialog_layer_paste(&mut self, s: &str) -> bool {
        let Some(r) = self.active_request().cloned() else {
            return false;
        };
        let Some(mut state) = self.dialogs.take_state(&r, &self.store) else {
            return false;
        };
        let taken = state.overlay_mut().paste(s, self);
        self.dialogs.put_back(r.id(), state);
        taken
    }
}
