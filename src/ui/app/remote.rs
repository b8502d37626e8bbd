//! What another client of the server asks of the TUI (an editor plugin calling
//! `POST /tui/*`: opencode.nvim, the VS Code extension): text appended to the prompt, a
//! command, a toast, a session to show. The server routes each to the project it names,
//! so the bus of our project carries only ours.
//!
//! Approval safety: anyone who holds the server's password can send these, so none of them
//! is a key. They never reach a dialog (appended text goes to the prompt input whoever has
//! the focus, a submitted prompt is sent or queued as Enter at the prompt would), never move
//! the focus, and while a dialog waits, only the prompt's own commands, scrolling and an
//! abort are done (a popup it would open is refused with a note). Their text is made safe
//! for the terminal before it reaches the screen.

use super::App;
use crate::model::tui_request::{TuiCommand, TuiRequest};
use crate::ui::action::Action;
use crate::ui::overlay::models::PickerKind;
use crate::ui::overlay::toast::Toast;
use std::time::Instant;

/// The longest text one append may add (characters); the rest is dropped with a note.
const APPEND_MAX: usize = 100_000;

impl App {
    /// A `tui.*` event of the bus: does what it asks. Returns the actions it makes.
    pub(crate) fn remote_request(&mut self, req: TuiRequest) -> Vec<Action> {
        match req {
            TuiRequest::Append(text) => {
                self.append_to_prompt(&text);
                Vec::new()
            }
            TuiRequest::Command(name) => self.remote_command(&name),
            TuiRequest::Toast(t) => {
                self.toast = Some(Toast::new(&t, Instant::now()));
                Vec::new()
            }
            TuiRequest::SelectSession(id) => {
                if self.dialog_up() {
                    self.refused("select a session");
                    return Vec::new();
                }
                if self.session_id() == Some(id.as_str()) {
                    return Vec::new();
                }
                vec![Action::SwitchSession(id)]
            }
        }
    }

    /// Text another client sends (a selection from an editor, `@file#L10-20`): added at
    /// the end of the prompt input, cleaned of control characters (newlines and tabs kept).
    fn append_to_prompt(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n");
        let mut clean: String = text
            .chars()
            .filter(|c| matches!(c, '\n' | '\t') || !crate::safe_text::needs_care(*c))
            .take(APPEND_MAX)
            .collect();
        if text.chars().count() > APPEND_MAX {
            self.note(
                format!("another client's text was cut to {APPEND_MAX} characters"),
                true,
            );
        }
        if clean.is_empty() {
            return;
        }
        let now = self.prompt.input.text();
        if now.is_empty() {
            self.prompt.input.set_text(&clean);
        } else {
            clean.insert_str(0, &now);
            self.prompt.input.set_text(&clean);
        }
    }

    /// `tui.command.execute`: the command the name means, done as its key would.
    fn remote_command(&mut self, name: &str) -> Vec<Action> {
        let Some(cmd) = TuiCommand::from_name(name) else {
            let shown = crate::safe_text::one_line(name);
            let what = if shown.is_empty() {
                "another client asked for a command without a name (/tui/execute-command \
                 takes opencode's keybind names, such as session_new)"
                    .to_string()
            } else {
                format!("another client asked for \"{shown}\", which ocw-tui does not have")
            };
            self.note(what, false);
            return Vec::new();
        };
        use TuiCommand as C;
        let harmless = matches!(
            cmd,
            C::PromptSubmit
                | C::PromptClear
                | C::SessionInterrupt
                | C::PageUp
                | C::PageDown
                | C::HalfPageUp
                | C::HalfPageDown
                | C::LineUp
                | C::LineDown
                | C::First
                | C::Last
        );
        if self.dialog_up() && !harmless {
            self.refused(cmd.name());
            return Vec::new();
        }
        let half = || (self.view.metrics().1 / 2).max(1) as isize;
        match cmd {
            C::PromptSubmit => return self.submit(),
            C::PromptClear => {
                self.prompt.input.clear();
                self.prompt.mention.attached.clear();
                return self.after_prompt_edit();
            }
            C::SessionNew => return vec![Action::NewSession],
            C::SessionList => {
                if self.session_list().is_none() {
                    return self.toggle_session_list();
                }
            }
            C::SessionShare => self.note(
                "another client asked to share the session: ocw-tui does not share sessions",
                false,
            ),
            C::SessionInterrupt => return self.abort().into_iter().collect(),
            C::SessionCompact => return self.compact(),
            C::SessionUndo => return self.undo(),
            C::SessionRedo => return self.redo(),
            C::SessionExport => {
                if let Some(id) = self.session_id() {
                    return vec![Action::Export {
                        session_id: id.to_string(),
                        path: None,
                    }];
                }
            }
            C::PageUp => {
                self.view.page_up();
                return self.maybe_load_older();
            }
            C::PageDown => self.view.page_down(),
            C::HalfPageUp => {
                self.view.scroll_by(-half());
                return self.maybe_load_older();
            }
            C::HalfPageDown => self.view.scroll_by(half()),
            C::LineUp => {
                self.view.scroll_by(-1);
                return self.maybe_load_older();
            }
            C::LineDown => self.view.scroll_by(1),
            C::First => {
                self.view.scroll_to_top();
                return self.maybe_load_older();
            }
            C::Last => self.view.scroll_to_bottom(),
            C::AgentCycle => {
                // As Tab with no tool call focused.
                self.view.clear_tool_focus();
                return self.cycle_agent(true).unwrap_or_default();
            }
            C::AgentList => return self.open_model_picker(PickerKind::Agent),
            C::ModelList => return self.open_model_picker(PickerKind::Model),
            C::VariantList => return self.open_model_picker(PickerKind::Variant),
            C::HelpShow => self.open_help(false),
            C::ThemeList => return self.open_theme_picker(),
            C::SidebarToggle => return self.toggle_side_panel(),
            C::ThinkingToggle => self.view.toggle_reasoning(),
            C::MessagesCopy => return self.copy(crate::ui::app::copy::CopyWhat::Answer),
        }
        Vec::new()
    }

    /// A request that would open or change something while a dialog waits: not done.
    fn refused(&mut self, what: &str) {
        self.note(
            format!("another client asked for {what}: not while a dialog waits for your answer"),
            false,
        );
    }
}
