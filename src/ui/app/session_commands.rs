//! What the user does *to* the shown session (issue 11): `/undo` (Ctrl+X U) reverts to
//! before the last prompt that is not undone yet and puts that prompt back into the
//! input; `/redo` (Ctrl+X R) brings back everything undone (and takes those prompts
//! back out of the input); `/compact` summarises;
//! `/rename NEW TITLE`; `/fork` picks the message to fork before (or the whole session:
//! overlay/fork.rs).
//! The server refuses revert / unrevert while the session works, so we say so first.

use crate::model::state::{Message, Role, SessionState};
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::transcript::compaction::is_compaction;

/// The user's prompts of a session that are not undone, oldest first.
pub(crate) fn prompts(s: &SessionState) -> Vec<&Message> {
    let mut v: Vec<&Message> = s
        .messages
        .iter()
        .filter(|m| m.role == Role::User && !s.reverted(m) && !is_compaction(m))
        .collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

impl App {
    /// The shown session's id when it is idle; else says that `what` cannot be done while
    /// it works (the server refuses it) and gives `None`.
    pub(crate) fn shown_idle_session(&mut self, what: &str) -> Option<String> {
        let sid = self.session_id()?.to_string();
        if self.busy() {
            self.note(
                format!("cannot {what} while the session works (wait for the turn to end, or Esc aborts it)"),
                true,
            );
            return None;
        }
        Some(sid)
    }

    /// `/undo`, Ctrl+X U.
    pub(crate) fn undo(&mut self) -> Vec<Action> {
        let Some(sid) = self.shown_idle_session("undo") else {
            return Vec::new();
        };
        let last = self
            .store
            .session(&sid)
            .and_then(|s| prompts(s).last().map(|m| (m.id.clone(), m.text())));
        let Some((message_id, text)) = last else {
            self.note("nothing to undo", false);
            return Vec::new();
        };
        let now = self.prompt.input.text();
        if now.trim().is_empty() {
            self.prompt.input.set_text(&text);
        } else if !now.contains(&text) {
            self.prompt.input.set_text(&format!("{text}\n{now}"));
        }
        vec![Action::Revert {
            session_id: sid,
            message_id,
        }]
    }

    /// The text of prompt `message_id` of session `sid`, put back into the input when that
    /// is empty: a revert or fork to before that prompt (the timeline, the fork picker)
    /// leaves it ready to edit and send again, and never overwrites a draft.
    pub(crate) fn prompt_back_into_empty_input(&mut self, sid: &str, message_id: &str) {
        if !self.prompt.input.text().trim().is_empty() {
            return;
        }
        let text = self
            .store
            .session(sid)
            .and_then(|s| s.message(message_id))
            .map(|m| m.text())
            .unwrap_or_default();
        self.prompt.input.set_text(&text);
    }

    /// `/redo`, Ctrl+X R: the prompts `/undo` put back leave the input again.
    pub(crate) fn redo(&mut self) -> Vec<Action> {
        let Some(sid) = self.shown_idle_session("redo") else {
            return Vec::new();
        };
        let Some(s) = self.store.session(&sid) else {
            return Vec::new();
        };
        if s.revert.is_none() {
            self.note("nothing to redo", false);
            return Vec::new();
        }
        // Every prompt undo put back leaves the input (two undos put two there); what the
        // person typed besides stays.
        let undone: Vec<String> = (s.messages.iter())
            .filter(|m| m.role == Role::User && s.reverted(m) && !is_compaction(m))
            .map(|m| m.text())
            .filter(|t| !t.trim().is_empty())
            .collect();
        let mut now = self.prompt.input.text();
        let before = now.clone();
        for t in &undone {
            if let Some(i) = now.find(t.as_str()) {
                now.replace_range(i..i + t.len(), "");
            }
        }
        if now != before {
            let rest = now.trim_matches('\n').to_string();
            if rest.trim().is_empty() {
                self.prompt.input.clear();
            } else {
                self.prompt.input.set_text(&rest);
            }
        }
        vec![Action::Unrevert { session_id: sid }]
    }

    /// `/compact`: with the session's last model (the front-end prefers `--model`).
    pub(crate) fn compact(&mut self) -> Vec<Action> {
        let Some(sid) = self.session_id().map(str::to_string) else {
            return Vec::new();
        };
        let model = self.store.session(&sid).and_then(|s| s.model.clone());
        vec![Action::Compact {
            session_id: sid,
            model,
        }]
    }

    /// `/rename NEW TITLE`.
    pub(crate) fn rename(&mut self, title: &str) -> Vec<Action> {
        let Some(sid) = self.session_id().map(str::to_string) else {
            return Vec::new();
        };
        if title.trim().is_empty() {
            self.note(
                "usage: /rename NEW TITLE (or Ctrl+R in the session list)",
                true,
            );
            return Vec::new();
        }
        vec![Action::RenameSession {
            session_id: sid,
            title: title.trim().to_string(),
        }]
    }
}
