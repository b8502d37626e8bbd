//! Subagent sessions you can open: Enter on a focused `task` tool call shows its child
//! session in the same panes, live (its events reach the store like any other). While a
//! subagent is shown, Backspace on an empty prompt goes back to its parent (with the
//! `task` call focused) and Left / Right on an empty prompt show the previous / next
//! sibling. Works at any depth; the status bar names the path (`parent › child`).

use crate::model::state::{PartKind, SessionState, Store};
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::keymap::chord::Chord;
use crate::ui::keymap::names::KeyAction;
use crossterm::event::KeyEvent;
use serde_json::Value;

/// The child session id of the shown session's `task` call `part_id`, if it has one.
fn child_of(store: &Store, session: &SessionState, part_id: &str) -> Option<String> {
    let call = session
        .messages
        .iter()
        .flat_map(|m| &m.parts)
        .find(|p| p.id == part_id)
        .and_then(|p| match &p.kind {
            PartKind::Tool(c) if c.tool == "task" => Some(c),
            _ => None,
        })?;
    if let Some(id) = call.metadata.get("sessionId").and_then(Value::as_str) {
        return Some(id.to_string());
    }
    crate::ui::transcript::tools::task_child(call, store, session).map(|c| c.id.clone())
}

/// The `task` call of `parent` whose child is `child` (part id).
fn task_part_of(store: &Store, parent: &SessionState, child: &str) -> Option<String> {
    parent
        .messages
        .iter()
        .flat_map(|m| &m.parts)
        .filter(|p| matches!(&p.kind, PartKind::Tool(c) if c.tool == "task"))
        .find(|p| child_of(store, parent, &p.id).as_deref() == Some(child))
        .map(|p| p.id.clone())
}

/// The prompt's title while a subagent's session is shown: typing there sends nothing.
pub const SUBAGENT_PROMPT_TITLE: &str =
    " subagent's session: read only · Backspace goes back to the parent ";

impl App {
    /// True while the shown session is a subagent's (a child session).
    pub fn shows_subagent(&self) -> bool {
        self.session_id()
            .and_then(|id| self.store.session(id))
            .is_some_and(|s| s.parent_id.is_some())
    }

    /// Enter while a subagent's session is shown: a prompt there would run outside the
    /// subagent's task (under the top session's agent), so it is not sent; the text stays
    /// in the input and a note says where to type.
    pub(crate) fn subagent_refuses_prompt(&mut self) -> bool {
        if !self.shows_subagent() {
            return false;
        }
        let agent = self
            .session_id()
            .and_then(|id| self.store.session(id))
            .and_then(|s| s.agent.clone())
            .unwrap_or_else(|| "a subagent".into());
        self.note(
            format!(
                "not sent: this session belongs to {agent}, working for its parent; go back to the parent (Backspace on an empty prompt) to ask"
            ),
            true,
        );
        true
    }

    /// Enter on the focused tool call `part_id`: a `task` call with a child opens it
    /// (`None` for any other tool call).
    pub(crate) fn open_subagent(&mut self, part_id: &str) -> Option<Vec<Action>> {
        let sid = self.session_id()?.to_string();
        let s = self.store.session(&sid)?;
        let is_task =
            s.messages.iter().flat_map(|m| &m.parts).any(|p| {
                p.id == part_id && matches!(&p.kind, PartKind::Tool(c) if c.tool == "task")
            });
        if !is_task {
            return None;
        }
        let Some(child) = child_of(&self.store, s, part_id) else {
            self.note("the subagent has not started yet", false);
            return Some(Vec::new());
        };
        Some(self.show_subagent(child, true))
    }

    fn show_subagent(&mut self, id: String, opened: bool) -> Vec<Action> {
        self.close_find();
        self.view.clear_tool_focus();
        self.view.show(&id);
        self.sessions.older_requested = None;
        if opened {
            self.note(
                "subagent: Backspace goes back · Left/Right other subagents (empty prompt)",
                false,
            );
        }
        // Loads its history when it was not loaded (a resumed session), then shows it.
        self.sessions.shown_ahead.push_back(id.clone());
        vec![Action::SwitchSession(id)]
    }

    /// Backspace / Left / Right on an empty prompt while a subagent is shown (opencode's
    /// `session_parent`, `session_child_cycle_reverse` / `session_child_cycle`, keymap).
    pub(crate) fn subagent_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let action = self.keymap.single(Chord::of(&key))?;
        if !matches!(
            action,
            KeyAction::SessionParent
                | KeyAction::SessionChildCycle
                | KeyAction::SessionChildCycleReverse
        ) {
            return None;
        }
        self.subagent_move(action)
    }

    /// Goes to the shown subagent's parent, or its previous / next sibling; `None` when
    /// the prompt is not empty or no subagent is shown.
    pub(crate) fn subagent_move(&mut self, action: KeyAction) -> Option<Vec<Action>> {
        if !self.prompt.input.is_empty() {
            return None;
        }
        let sid = self.session_id()?.to_string();
        let parent = self.store.session(&sid)?.parent_id.clone()?;
        match action {
            KeyAction::SessionParent => {
                self.close_find();
                self.view.show(&parent);
                self.sessions.older_requested = None;
                let part = self
                    .store
                    .session(&parent)
                    .and_then(|p| task_part_of(&self.store, p, &sid));
                if let Some(part) = part {
                    self.view.focus_tool(&part);
                }
                self.sessions.shown_ahead.push_back(parent.clone());
                Some(vec![Action::SwitchSession(parent)])
            }
            KeyAction::SessionChildCycle | KeyAction::SessionChildCycleReverse => {
                let back = action == KeyAction::SessionChildCycleReverse;
                let mut siblings: Vec<&str> = self
                    .store
                    .children(&parent)
                    .map(|c| c.id.as_str())
                    .collect();
                siblings.sort_unstable();
                let at = siblings.iter().position(|c| *c == sid)?;
                let next = if back {
                    at.checked_sub(1)
                } else {
                    Some(at + 1).filter(|&i| i < siblings.len())
                };
                match next {
                    Some(i) => {
                        let id = siblings[i].to_string();
                        Some(self.show_subagent(id, false))
                    }
                    None => {
                        let edge = if back {
                            "this is the first subagent"
                        } else {
                            "this is the last subagent"
                        };
                        self.note(edge, false);
                        Some(Vec::new())
                    }
                }
            }
            _ => None,
        }
    }
}
