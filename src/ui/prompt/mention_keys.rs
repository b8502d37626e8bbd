//! The App's side of the prompt extras (mention.rs): the `@` picker's keys and results,
//! pastes into the prompt, `!` shell commands and the prompt action with its files.

use crate::model::attach::{media_mime, FileAttachment};
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::fuzzy::Kind;
use crate::ui::overlay::picker::{Picker, PickerItem, PickerOutcome, QueryInput};
use crate::ui::prompt::mention::{
    find_token, pasted_media, Attached, MentionPicker, LONG_PASTE_LINES,
};
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    /// True while the prompt is a `!` shell command.
    pub fn shell_mode(&self) -> bool {
        self.input.text().starts_with('!')
    }

    /// A paste into the prompt: a path to an existing image or PDF becomes an attachment
    /// (`[Image 1]`), a paste of more than [`LONG_PASTE_LINES`] lines a `[Pasted N lines]`
    /// token (sent whole), anything else text.
    pub(crate) fn paste_into_prompt(&mut self, s: &str) {
        if let Some((path, mime)) = pasted_media(s) {
            let token = self.mention.token_for(mime);
            self.input.paste(&format!("{token} "));
            self.mention.attached.push(Attached::File {
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
            while self.mention.attached.iter().any(|a| a.token() == token) {
                n += 1;
                token = format!("[Pasted {lines} lines #{n}]");
            }
            self.input.paste(&token);
            self.mention.attached.push(Attached::Pasted { token, text });
            return;
        }
        self.input.paste(s);
    }

    /// The `@` picker's keys when it is open: moving, choosing (Tab / Enter), closing
    /// (Esc). `None`: the key is not the picker's (it edits the prompt).
    pub(crate) fn mention_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let mp = self.mention.picker.as_mut()?;
        match mp.picker.handle_key(key) {
            PickerOutcome::Handled | PickerOutcome::QueryChanged => Some(Vec::new()),
            PickerOutcome::Closed => {
                self.mention.dismissed = Some(mp.at);
                self.mention.picker = None;
                Some(Vec::new())
            }
            PickerOutcome::Chosen { id, .. } => {
                self.choose_mention(&id);
                Some(Vec::new())
            }
            PickerOutcome::Ignored => {
                // Enter with no result: the prompt is sent as typed.
                if key.code == KeyCode::Enter {
                    self.mention.picker = None;
                }
                None
            }
        }
    }

    /// Replaces the `@query` being typed by the chosen path's token and attaches it.
    fn choose_mention(&mut self, path: &str) {
        let Some(mp) = self.mention.picker.take() else {
            return;
        };
        let (row, cur) = self.input.cursor();
        let typed = cur.saturating_sub(mp.at.1);
        let dir = path.ends_with('/');
        let (token, mime) = match media_mime(path).filter(|_| !dir) {
            Some(m) => (self.mention.token_for(m), m),
            None => (format!("@{path}"), "text/plain"),
        };
        if row == mp.at.0 {
            self.input
                .replace_before_cursor(typed, &format!("{token} "));
        }
        if !self.mention.attached.iter().any(|a| a.token() == token) {
            self.mention.attached.push(Attached::File {
                token,
                path: path.to_string(),
                mime: mime.to_string(),
                dir,
            });
        }
    }

    /// After the prompt's text changed: opens, narrows or closes the `@` picker (asking
    /// the server for files when the query changed) and drops attachments whose token
    /// was edited away.
    pub(crate) fn after_prompt_edit(&mut self) -> Vec<Action> {
        if !self.mention.attached.is_empty() {
            let text = self.input.text();
            self.mention
                .attached
                .retain(|a| find_token(&text, a.token()).is_some());
        }
        let found = if self.shell_mode() {
            None
        } else {
            self.typed_mention()
        };
        let Some((at, query)) = found else {
            self.mention.picker = None;
            self.mention.dismissed = None;
            return Vec::new();
        };
        if self.mention.dismissed == Some(at) {
            return Vec::new();
        }
        let mp = self.mention.picker.get_or_insert_with(|| {
            let mut picker = Picker::new(
                "files · Tab/Enter attach · Esc",
                Kind::Paths,
                QueryInput::External,
            );
            picker.set_loading(true);
            MentionPicker {
                picker,
                at,
                asked: String::from("\u{0}"),
            }
        });
        mp.at = at;
        mp.picker.set_query(&query);
        if mp.asked == query {
            return Vec::new();
        }
        mp.asked = query.clone();
        mp.picker.set_loading(true);
        vec![Action::FindFiles { query }]
    }

    /// The server's files for a query: shown if the picker still asks for it.
    pub(crate) fn file_results(&mut self, query: &str, paths: Vec<String>) {
        let Some(mp) = self.mention.picker.as_mut() else {
            return;
        };
        if mp.asked != query {
            return;
        }
        let items = paths
            .into_iter()
            .map(|p| {
                let item = PickerItem::new(p.clone(), p.clone());
                if p.ends_with('/') {
                    item.tag("dir")
                } else {
                    item
                }
            })
            .collect();
        mp.picker.set_items(items);
        mp.picker.set_loading(false);
    }

    /// The `@` before the cursor (row, char column) and what follows it, when the cursor
    /// is in a mention being typed: the `@` starts the line or follows a space, and no
    /// space comes after it.
    fn typed_mention(&self) -> Option<((usize, usize), String)> {
        let (row, col) = self.input.cursor();
        let text = self.input.text();
        let line = text.split('\n').nth(row)?;
        let before: Vec<char> = line.chars().take(col).collect();
        let at = before.iter().rposition(|&c| c == '@')?;
        if at > 0 && !before[at - 1].is_whitespace() {
            return None;
        }
        let query: String = before[at + 1..].iter().collect();
        if query.chars().any(char::is_whitespace) {
            return None;
        }
        Some(((row, at), query))
    }

    /// A prompt starting with `!`: the shell command to run, or `None` for a prompt.
    /// While the agent works nothing is sent (the server refuses): the text stays.
    pub(crate) fn shell_submit(&mut self, text: &str) -> Option<Vec<Action>> {
        let command = text.strip_prefix('!')?.trim();
        self.mention.finish("");
        if command.is_empty() {
            return Some(Vec::new());
        }
        let Some(sid) = self.session_id().map(str::to_string) else {
            self.input.set_text(text);
            self.note("no session yet: the shell command stays in the input", true);
            return Some(Vec::new());
        };
        if self.busy() {
            self.input.set_text(text);
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

    /// The prompt action, with its files (if any).
    pub(crate) fn prompt_action(
        &self,
        session_id: String,
        text: String,
        files: Vec<FileAttachment>,
    ) -> Action {
        Action::Prompt {
            session_id,
            text,
            files,
        }
    }

    /// Draws the `@` picker above the prompt box.
    pub(crate) fn render_mention(
        &self,
        frame: &mut ratatui::Frame,
        input_area: ratatui::layout::Rect,
    ) {
        let Some(mp) = &self.mention.picker else {
            return;
        };
        let h = mp.picker.height(12).min(input_area.y);
        if h < 3 {
            return;
        }
        let area = ratatui::layout::Rect {
            x: input_area.x,
            y: input_area.y - h,
            width: input_area.width.min(80),
            height: h,
        };
        mp.picker.render(frame, area);
    }
}
