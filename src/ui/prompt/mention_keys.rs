//! The App's side of the prompt extras (mention.rs): pastes into the prompt, `!` shell
//! commands and the prompt action with its files. The `@` picker is
//! overlay/mention_picker.rs.

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::prompt::mention::{pasted_media, Attached, Outgoing, LONG_PASTE_LINES};

impl App {
    /// True while the prompt is a `!` shell command.
    pub fn shell_mode(&self) -> bool {
        self.prompt.input.text().starts_with('!')
    }

    /// A paste into the prompt: a path to an existing image or PDF becomes an attachment
    /// (`[Image 1]`), a paste of more than [`LONG_PASTE_LINES`] lines a `[Pasted N lines]`
    /// token (sent whole), anything else text.
    pub(crate) fn paste_into_prompt(&mut self, s: &str) {
        if let Some((path, mime)) = pasted_media(s) {
            let token = self.prompt.mention.token_for(mime);
            self.prompt.input.paste(&format!("{token} "));
            self.prompt.mention.attached.push(Attached::File {
                token,
                path,
                mime: mime.to_string(),
                dir: false,
            });
            return;
        }
        let text = s.replace("\r\n", "\n").replace('\r', "\n");
        let lines = text.lines().count();
        if lines > LONG_PASTE_LINES {
            let mut token = format!("[Pasted {lines} lines]");
            let mut n = 1;
            while self
                .prompt
                .mention
                .attached
                .iter()
                .any(|a| a.token() == token)
            {
                n += 1;
                token = format!("[Pasted {lines} lines #{n}]");
            }
            self.prompt.input.paste(&token);
            self.prompt
                .mention
                .attached
                .push(Attached::Pasted { token, text });
            return;
        }
        self.prompt.input.paste(s);
    }

    /// A prompt starting with `!`: the shell command to run, or `None` for a prompt.
    /// While the agent works nothing is sent (the server refuses): the text stays.
    pub(crate) fn shell_submit(&mut self, text: &str) -> Option<Vec<Action>> {
        let command = text.strip_prefix('!')?.trim();
        self.finish_mentions("");
        if command.is_empty() {
            return Some(Vec::new());
        }
        let Some(sid) = self.session_id().map(str::to_string) else {
            self.prompt.input.set_text(text);
            self.note("no session yet: the shell command stays in the input", true);
            return Some(Vec::new());
        };
        if self.busy() {
            self.prompt.input.set_text(text);
            self.note(
                "the agent is working: a shell command runs once it is idle (Enter again then)",
                false,
            );
            return Some(Vec::new());
        }
        self.view.scroll_to_bottom();
        Some(vec![Action::Shell {
            session_id: sid,
            command: command.to_string(),
        }])
    }

    /// The prompt action, with its files and agents (if any).
    pub(crate) fn prompt_action(&self, session_id: String, out: Outgoing) -> Action {
        Action::Prompt {
            session_id,
            text: out.text,
            files: out.files,
            agents: out.agents,
        }
    }
}
