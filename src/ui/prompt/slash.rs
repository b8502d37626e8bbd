//! The `/` completion popup and how a typed `/word args` line is sent. Typing `/` at the
//! start of an empty prompt opens a fuzzy-filtered list (`picker.rs`) of our client
//! commands (`commands.rs`) and the server's (`GET /command`, fed as
//! `UiInput::ServerCommands`), each with its description, argument hints and source.
//!
//! Keys while it is open: Up/Down (Ctrl+P/N, PgUp/PgDn) move, Tab completes `/name ` (type
//! the arguments after it), Enter runs the chosen command at once when it takes no
//! arguments, and completes like Tab when it does (`/rename`, a server command whose
//! template has `$ARGUMENTS` / `$1`), so a second Enter runs it; Esc closes the list (it
//! stays closed for this line). The list closes by itself once the line holds a space.
//! The list itself is a prompt popup on the overlay stack (overlay/slash_popup.rs).
//!
//! On Enter, a line `/word rest...` runs the client command `word`, else the server command
//! `word` with the rest of the line (and the following lines) as its arguments; a word
//! holding `/` or `.` is a path (`/etc/hosts ...`) and is sent as text at once; any other
//! unknown word is never sent silently: the first Enter says so, a second Enter on the same
//! text sends it as a prompt.

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::commands;

/// Said on the first Enter of an unknown `/word` (after the word).
pub const UNKNOWN_NOTE: &str = "unknown command; Enter again sends it as text";

impl App {
    /// Enter on a `/` line: `Some` when the line was a command (run, or held back as
    /// unknown), `None` when it is to be sent as a prompt.
    pub(crate) fn slash_submit(&mut self) -> Option<Vec<Action>> {
        let text = self.prompt.input.text();
        let rest = text.trim_start().strip_prefix('/')?;
        let (word, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let args = args.trim().to_string();
        if word.is_empty() {
            return None;
        }
        if let Some(command) = commands::lookup(word) {
            self.take_prompt();
            return Some((command.run)(self, &args));
        }
        if self.prompt.slash.commands.iter().any(|c| c.name == word) {
            let Some(sid) = self.session_id().map(str::to_string) else {
                self.note(crate::ui::app::stale_notes::NO_SESSION_NOTE, true);
                return Some(Vec::new());
            };
            let command = word.to_string();
            let text = self.take_prompt();
            self.view.scroll_to_bottom();
            let action = Action::RunCommand {
                session_id: sid.clone(),
                command,
                arguments: args,
                text: text.clone(),
            };
            if self.busy() {
                // Queued here like a prompt, sent when the turn ends (prompt_queue.rs).
                return Some(self.queue_prompt(sid, text, action));
            }
            return Some(vec![action]);
        }
        if word.contains(['/', '.']) {
            // A path such as `/etc/hosts ...`: a prompt.
            return None;
        }
        if self.prompt.slash.unknown_warned.as_deref() == Some(text.as_str()) {
            self.prompt.slash.unknown_warned = None;
            return None;
        }
        let word = word.to_string();
        self.prompt.slash.unknown_warned = Some(text.clone());
        let loading = if self.prompt.slash.loaded {
            ""
        } else {
            " (the server's commands are still loading)"
        };
        self.note(format!("/{word}: {UNKNOWN_NOTE}{loading}"), false);
        Some(Vec::new())
    }
}
