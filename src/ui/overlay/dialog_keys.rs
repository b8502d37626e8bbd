//! The approval focus rule's key path (DESIGN.md, approval safety): with a dialog up, a
//! key goes to the dialog or to the prompt, never to a popup it covers; Tab moves the focus
//! between them; a dialog answers only while it has the focus, its keys are armed and the
//! whole request has been drawn; no key with Ctrl or Alt answers. Pastes only insert text
//! into the focused field, and keys in the same burst as a paste are pasted text.

use crate::model::PermissionReply;
use crate::ui::action::Action;
use crate::ui::app::{App, Request};
use crate::ui::overlay::guard::Focus;
use crate::ui::overlay::permission::{PermissionDialog, PermissionOutcome};
use crate::ui::overlay::popup;
use crate::ui::overlay::question::{QuestionDialog, QuestionOutcome};
use crate::ui::overlay::save_rule::SaveRuleOutcome;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::time::Instant;

/// Said when a key with Ctrl or Alt reaches a dialog (it answers nothing).
const MODIFIED_KEY_NOTE: &str =
    "the dialog waits for its answer: keys with Ctrl or Alt do nothing here";

impl App {
    /// Bracketed paste. A paste only ever inserts text into the field that has the focus:
    /// the prompt, or the dialog's own text field (reject message, "Other" answer); a
    /// dialog without one drops it with a note. A paste counts as typing: a dialog that
    /// comes during or right after it waits for a deliberate Tab.
    pub fn paste(&mut self, s: &str) {
        let now = Instant::now();
        match self.dialog_focus(now) {
            Some(Focus::Dialog { .. }) => {
                self.guard.pasted_into_dialog(now);
                let taken = match self.active_request().cloned() {
                    _ if self.save_offer.is_some() => false,
                    Some(Request::Permission { id, .. }) => {
                        self.permission_ui.get_mut(&id).is_some_and(|d| d.paste(s))
                    }
                    Some(Request::Question { id, .. }) => {
                        self.question_ui.get_mut(&id).is_some_and(|d| d.paste(s))
                    }
                    None => false,
                };
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
                self.paste_into_prompt(s);
            }
        }
    }

    /// Keys that came in the same burst as a paste, after an end-of-paste marker inside
    /// the pasted text (`ESC [201~`): they are pasted text, never keys. Characters and
    /// Enter (as a new line) are pasted; other keys are dropped.
    pub fn paste_tail(&mut self, keys: &[KeyEvent]) {
        let mut text = String::new();
        let mut dropped = 0;
        for k in keys {
            match k.code {
                KeyCode::Char(c)
                    if !k
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    text.push(c)
                }
                KeyCode::Enter => text.push('\n'),
                KeyCode::Tab => text.push('\t'),
                _ => dropped += 1,
            }
        }
        if !text.is_empty() {
            self.paste(&text);
        }
        self.note(
            format!(
                "the paste held an end-of-paste marker: the {} key(s) after it were pasted as text{}",
                keys.len(),
                if dropped > 0 {
                    format!(" ({dropped} dropped)")
                } else {
                    String::new()
                }
            ),
            false,
        );
        self.sync_slash();
        self.sync_guard();
    }

    /// Who has the keys while a dialog is up (`None`: no dialog is up).
    pub fn dialog_focus(&self, now: Instant) -> Option<Focus> {
        self.shown_dialog()?;
        Some(self.guard.focus(now))
    }

    /// A key while a dialog is up: Tab moves the focus between the prompt and the dialog;
    /// the dialog answers only while it has the focus and its keys are armed.
    pub(crate) fn key_with_dialog(&mut self, key: KeyEvent, now: Instant) -> Vec<Action> {
        if self.show_help {
            // Opened over the dialog (F1): it only scrolls and closes.
            return self.help_key(key);
        }
        let tab = key.code == KeyCode::Tab && key.modifiers.is_empty();
        match self.guard.focus(now) {
            Focus::Prompt => {
                if tab {
                    self.guard.focus_dialog(now);
                    return Vec::new();
                }
                self.guard.typed(now);
                let prompt_popup = self.slash.popup.is_some() || self.mention.picker.is_some();
                if key.code == KeyCode::Esc && !prompt_popup {
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
                let r = self.active_request().cloned();
                let typing_field = r.as_ref().is_some_and(|r| self.dialog_typing(r));
                if tab {
                    self.guard.focus_prompt();
                    return Vec::new();
                }
                if key.code == KeyCode::F(1) {
                    self.show_help = true;
                    return Vec::new();
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
                if self.save_offer.is_some() {
                    return self.save_offer_key(key);
                }
                match r {
                    Some(r) => self.dialog_key(&r, key, answers_now),
                    None => Vec::new(),
                }
            }
        }
    }

    fn save_offer_key(&mut self, key: KeyEvent) -> Vec<Action> {
        let Some(offer) = &self.save_offer else {
            return Vec::new();
        };
        match offer.handle_key(key) {
            SaveRuleOutcome::Save(agent) => {
                let o = self.save_offer.take().expect("offer present");
                vec![Action::SaveAlwaysRule {
                    permission: o.permission,
                    patterns: o.patterns,
                    agent,
                }]
            }
            SaveRuleOutcome::Skip => {
                self.save_offer = None;
                Vec::new()
            }
            SaveRuleOutcome::Nothing => Vec::new(),
        }
    }

    /// True while the dialog's text field (reject message, "Other" answer) has the keys.
    pub(crate) fn dialog_typing(&self, r: &Request) -> bool {
        match r {
            Request::Permission { id, .. } => self
                .permission_ui
                .get(id)
                .is_some_and(|d| d.message.is_some()),
            Request::Question { id, .. } => self
                .question_ui
                .get(id)
                .and_then(|d| d.answers.get(d.tab))
                .is_some_and(|a| a.editing),
        }
    }

    /// A key for the dialog on top; `armed`: its answer keys work (else it only scrolls).
    fn dialog_key(&mut self, r: &Request, key: KeyEvent, armed: bool) -> Vec<Action> {
        match r {
            Request::Permission { session_id, id } => {
                let Some(entry) = self
                    .store
                    .session(session_id)
                    .and_then(|s| s.permissions.iter().find(|p| &p.request.id == id))
                else {
                    return Vec::new();
                };
                let req = entry.request.clone();
                let d = self
                    .permission_ui
                    .entry(id.clone())
                    .or_insert_with(|| PermissionDialog::new(id));
                match d.handle_key(key, armed) {
                    PermissionOutcome::Reply { reply, message } => {
                        self.answered.insert(id.clone());
                        self.permission_ui.remove(id);
                        if reply == PermissionReply::Always {
                            return self.chose_always(&req, message);
                        }
                        vec![Action::ReplyPermission {
                            request_id: id.clone(),
                            reply,
                            message,
                        }]
                    }
                    PermissionOutcome::Nothing => Vec::new(),
                }
            }
            Request::Question { session_id, id } => {
                let Some(req) = self
                    .store
                    .session(session_id)
                    .and_then(|s| s.questions.iter().find(|q| &q.request.id == id))
                    .map(|q| q.request.clone())
                else {
                    return Vec::new();
                };
                let d = self
                    .question_ui
                    .entry(id.clone())
                    .or_insert_with(|| QuestionDialog::new(&req));
                match d.handle_key(key, &req, armed) {
                    QuestionOutcome::Reply(answers) => {
                        self.answered.insert(id.clone());
                        self.question_ui.remove(id);
                        vec![Action::ReplyQuestion {
                            request_id: id.clone(),
                            answers,
                        }]
                    }
                    QuestionOutcome::Reject => {
                        self.answered.insert(id.clone());
                        self.question_ui.remove(id);
                        vec![Action::RejectQuestion {
                            request_id: id.clone(),
                        }]
                    }
                    QuestionOutcome::Nothing => Vec::new(),
                }
            }
        }
    }
}
