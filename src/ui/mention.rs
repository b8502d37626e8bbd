//! What the prompt carries besides its text: `@` file mentions (a file picker fed by the
//! server's `GET /find/file`, asked through [`Action::FindFiles`] and answered with
//! [`UiInput::FileResults`], so typing never waits), pasted images and PDFs (`[Image 1]`,
//! `[PDF 1]`), long pastes (`[Pasted 120 lines]`, sent whole) and `!` shell mode. Each
//! attachment stands in the input as a token; when the user edits its token away, the
//! attachment goes too.
//!
//! [`UiInput::FileResults`]: crate::ui::action::UiInput::FileResults

use crate::model::attach::{media_mime, FileAttachment};
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::fuzzy::Kind;
use crate::ui::picker::{Picker, PickerItem, PickerOutcome, QueryInput};
use crossterm::event::{KeyCode, KeyEvent};

/// A paste of more lines than this shows as `[Pasted N lines]`.
pub const LONG_PASTE_LINES: usize = 20;
/// Results asked of `GET /find/file` (its default is 10, its cap 200).
pub const FIND_LIMIT: usize = 50;

/// One thing attached to the prompt, standing in the input as `token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attached {
    File {
        token: String,
        path: String,
        mime: String,
        dir: bool,
    },
    /// A long paste: the input shows the token, the prompt sends `text`.
    Pasted { token: String, text: String },
}

impl Attached {
    pub fn token(&self) -> &str {
        match self {
            Attached::File { token, .. } | Attached::Pasted { token, .. } => token,
        }
    }
}

/// The `@` picker: where its `@` is (row, char column) and the query last asked for.
#[derive(Debug)]
pub struct MentionPicker {
    pub picker: Picker,
    pub at: (usize, usize),
    pub asked: String,
}

/// The prompt's attachments and the open `@` picker.
#[derive(Debug, Default)]
pub struct Mentions {
    pub picker: Option<MentionPicker>,
    pub attached: Vec<Attached>,
    /// The `@` whose picker Esc closed (it stays closed while that mention is typed).
    dismissed: Option<(usize, usize)>,
    images: usize,
    pdfs: usize,
}

impl Mentions {
    /// A token for the next image / PDF / paste, unique in the input.
    fn token_for(&mut self, mime: &str) -> String {
        if mime == "application/pdf" {
            self.pdfs += 1;
            format!("[PDF {}]", self.pdfs)
        } else {
            self.images += 1;
            format!("[Image {}]", self.images)
        }
    }

    /// The text to send and its files: long pastes expanded, each file whose token is
    /// still in the text attached with its character range. Clears the attachments.
    pub fn finish(&mut self, text: &str) -> (String, Vec<FileAttachment>) {
        let attached = std::mem::take(&mut self.attached);
        self.picker = None;
        self.dismissed = None;
        self.images = 0;
        self.pdfs = 0;
        let mut text = text.to_string();
        for a in &attached {
            if let Attached::Pasted { token, text: t } = a {
                if let Some(i) = find_token(&text, token) {
                    text.replace_range(i..i + token.len(), t);
                }
            }
        }
        let mut files = Vec::new();
        for a in attached {
            if let Attached::File {
                token,
                path,
                mime,
                dir,
            } = a
            {
                if let Some(i) = find_token(&text, &token) {
                    let start = text[..i].chars().count();
                    files.push(FileAttachment {
                        end: start + token.chars().count(),
                        start,
                        path,
                        mime,
                        dir,
                        token,
                    });
                }
            }
        }
        (text, files)
    }
}

/// Byte offset of `token` in `text` as a whole word (not the start of a longer path).
fn find_token(text: &str, token: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(token).map(|i| i + from) {
        let after = text[i + token.len()..].chars().next();
        if after.is_none_or(|c| c.is_whitespace() || ",.;:!?)]".contains(c)) {
            return Some(i);
        }
        from = i + token.len();
    }
    None
}

/// A pasted string that names one existing image or PDF: its absolute path and mime.
fn pasted_media(s: &str) -> Option<(String, &'static str)> {
    let t = s.trim();
    if t.is_empty() || t.contains('\n') {
        return None;
    }
    let t = t.trim_matches(|c| c == '\'' || c == '"');
    let t = t.strip_prefix("file://").unwrap_or(t);
    let t = t.replace("\\ ", " ");
    let mime = media_mime(&t)?;
    let path = std::path::Path::new(&t);
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    abs.is_file().then(|| (abs.display().to_string(), mime))
}

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

    /// The prompt action: with its files when it has any.
    pub(crate) fn prompt_action(
        &self,
        session_id: String,
        text: String,
        files: Vec<FileAttachment>,
    ) -> Action {
        if files.is_empty() {
            Action::Prompt { session_id, text }
        } else {
            Action::PromptWithFiles {
                session_id,
                text,
                files,
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_counts_only_as_a_whole_word() {
        assert_eq!(find_token("see @a.rs please", "@a.rs"), Some(4));
        assert_eq!(find_token("see @a.rsx", "@a.rs"), None);
        assert_eq!(find_token("@a.rsx and @a.rs.", "@a.rs"), Some(11));
    }

    #[test]
    fn finish_expands_pastes_and_measures_files_in_chars() {
        let mut m = Mentions::default();
        m.attached.push(Attached::Pasted {
            token: "[Pasted 3 lines]".into(),
            text: "a\nb\nc".into(),
        });
        m.attached.push(Attached::File {
            token: "@src/é.rs".into(),
            path: "src/é.rs".into(),
            mime: "text/plain".into(),
            dir: false,
        });
        m.attached.push(Attached::File {
            token: "@gone.rs".into(),
            path: "gone.rs".into(),
            mime: "text/plain".into(),
            dir: false,
        });
        let (text, files) = m.finish("é [Pasted 3 lines] then @src/é.rs");
        assert_eq!(text, "é a\nb\nc then @src/é.rs");
        assert_eq!(files.len(), 1);
        assert_eq!((files[0].start, files[0].end), (13, 22));
        assert!(m.attached.is_empty());
    }
}
