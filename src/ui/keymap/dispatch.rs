//! The keymap's side of the key dispatch (app/keys.rs calls it at the prompt, after the
//! layers: a dialog with the focus and the popups get their keys first): a sequence in
//! progress (the leader, with its timeout), a key bound alone to an action, and what each
//! action does, through the same calls as its slash command.

use super::chord::Chord;
use super::names::KeyAction;
use super::Resolved;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::commands;
use crossterm::event::{KeyCode, KeyEvent};
use tokio::time::Instant;

/// The keys of a sequence typed so far (after the leader) and when it began.
#[derive(Debug, Default)]
pub struct Pending {
    pub(crate) chords: Vec<Chord>,
    pub(crate) at: Option<Instant>,
}

impl App {
    /// Drops a sequence in progress and its note.
    pub(crate) fn clear_sequence(&mut self) {
        let p = &mut self.prompt.editor.pending;
        if p.chords.is_empty() {
            return;
        }
        p.chords.clear();
        p.at = None;
        self.notes.retain(|n| !n.text.contains(" … "));
    }

    /// A key that starts, continues or ends a sequence (`<leader>n`); `None` when it is
    /// not part of one. After the leader a key that completes nothing is dropped.
    pub(crate) fn sequence_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let now = Instant::now();
        let chord = Chord::of(&key);
        let timeout = self.keymap.leader_timeout;
        let expired = (self.prompt.editor.pending.at)
            .is_some_and(|at| now.saturating_duration_since(at) > timeout);
        if expired {
            self.clear_sequence();
        }
        let typed = self.prompt.editor.pending.chords.clone();
        match self.keymap.resolve(&typed, chord) {
            Resolved::Pending => {
                self.clear_sequence();
                let p = &mut self.prompt.editor.pending;
                p.chords = typed;
                p.chords.push(chord);
                p.at = Some(now);
                let note = self.keymap.leader_note(&p.chords);
                self.note(note, false);
                Some(Vec::new())
            }
            _ if typed.is_empty() => None,
            Resolved::Action(a) => {
                self.clear_sequence();
                Some(self.run_key_action(a, &key).unwrap_or_default())
            }
            Resolved::Nothing => {
                self.clear_sequence();
                Some(Vec::new())
            }
        }
    }

    /// A key bound alone to an action, when the action applies now (`None`: on to the
    /// rest of the prompt's keys).
    pub(crate) fn keymap_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let action = self.keymap.single(Chord::of(&key))?;
        self.run_key_action(action, &key)
    }

    /// True while a tool call on screen has the focus (its own Enter / Esc / Tab).
    fn tool_focused(&self) -> bool {
        self.view
            .focused_tool()
            .is_some_and(|f| self.view.visible_tools().iter().any(|t| t == f))
    }

    /// Runs our slash command `name` (the same code as typing it).
    fn command(&mut self, name: &str) -> Vec<Action> {
        match commands::lookup(name) {
            Some(c) => (c.run)(self, ""),
            None => Vec::new(),
        }
    }

    /// Does `action` for `key`; `None` when it does not apply now (the key goes on).
    pub(crate) fn run_key_action(
        &mut self,
        action: KeyAction,
        key: &KeyEvent,
    ) -> Option<Vec<Action>> {
        use KeyAction as A;
        let empty = self.prompt.input.is_empty();
        // An editing key of the prompt (Home, a letter) scrolls only on an empty prompt.
        let edits = key
            .modifiers
            .difference(crossterm::event::KeyModifiers::SHIFT)
            .is_empty()
            && !matches!(
                key.code,
                KeyCode::F(_)
                    | KeyCode::Esc
                    | KeyCode::PageUp
                    | KeyCode::PageDown
                    | KeyCode::Tab
                    | KeyCode::BackTab
                    | KeyCode::Enter
            );
        let scrolls = matches!(
            action,
            A::MessagesPageUp
                | A::MessagesPageDown
                | A::MessagesLineUp
                | A::MessagesLineDown
                | A::MessagesCopy
        );
        if self.tool_focused() {
            if matches!(
                action,
                A::InputSubmit | A::SessionInterrupt | A::AgentCycle | A::AgentCycleReverse
            ) {
                return None;
            }
            if !scrolls {
                self.view.clear_tool_focus();
            }
        }
        Some(match action {
            A::AppExit if !empty => return None,
            A::AppExit => vec![Action::Quit],
            A::CommandList => self.open_palette(),
            A::HelpShow => self.command("help"),
            A::EditorOpen => vec![Action::OpenEditor],
            A::ThemeList => self.open_theme_picker(),
            A::ApprovalModeCycle => self.cycle_approvals(),
            A::SidebarToggle => self.command("details"),
            A::SessionExport => self.command("export"),
            A::SessionNew => vec![Action::NewSession],
            A::SessionList => self.command("sessions"),
            A::SessionFork => self.command("fork"),
            A::SessionTimeline => self.command("timeline"),
            A::SessionTabNext => self.cycle_tab(true),
            A::SessionTabPrevious => self.cycle_tab(false),
            A::SessionInterrupt => vec![self.abort()?],
            A::SessionCompact => self.command("compact"),
            // Only in a subagent's session, on an empty prompt (app/subagent.rs).
            A::SessionParent | A::SessionChildCycle | A::SessionChildCycleReverse => {
                self.subagent_move(action)?
            }
            A::ModelList => self.command("models"),
            A::AgentList => self.command("agents"),
            A::AgentCycle | A::AgentCycleReverse => self.cycle_agent(action == A::AgentCycle)?,
            A::VariantCycle => self.cycle_variant(),
            A::VariantList => self.command("variants"),
            A::MessagesPageUp => {
                self.view.page_up();
                self.maybe_load_older()
            }
            A::MessagesPageDown => {
                self.view.page_down();
                Vec::new()
            }
            A::MessagesLineUp => {
                self.view.scroll_by(-1);
                self.maybe_load_older()
            }
            A::MessagesLineDown => {
                self.view.scroll_by(1);
                Vec::new()
            }
            A::MessagesFirst if edits && !empty => return None,
            A::MessagesFirst => {
                self.view.scroll_to_top();
                self.maybe_load_older()
            }
            A::MessagesLast if edits && !empty => return None,
            A::MessagesLast => {
                self.view.scroll_to_bottom();
                Vec::new()
            }
            A::MessagesCopy => self.copy(crate::ui::app::copy::CopyWhat::Focused),
            A::MessagesUndo => self.command("undo"),
            A::MessagesRedo => self.command("redo"),
            A::ToolDetails => {
                self.view.toggle_expand_all();
                Vec::new()
            }
            A::DisplayThinking => self.command("thinking"),
            A::InputSubmit => {
                let out = self.submit();
                if !out.is_empty() {
                    self.guard.typing_sent();
                }
                out
            }
            A::InputNewline => {
                self.prompt.input.newline();
                Vec::new()
            }
            A::InputPaste => vec![Action::PasteClipboard],
            A::TerminalSuspend => vec![Action::Suspend],
        })
    }
}
