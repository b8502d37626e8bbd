//! What the prompt carries besides its text: `@` file and agent mentions (a picker fed by the
//! server's `GET /find/file`, asked through [`Action::FindFiles`] and answered with
//! [`UiInput::FileResults`], so typing never waits), pasted images and PDFs (`[Image 1]`,
//! `[PDF 1]`), long pastes (`[Pasted 120 lines]`, sent whole) and `!` shell mode. Each
//! attachment stands in the input as a token; when the user edits its token away, the
//! attachment goes too. This file holds the state; `mention_keys.rs` the App's side; the
//! open `@` picker is a prompt popup on the overlay stack (overlay/mention_picker.rs).
//!
//! [`UiInput::FileResults`]: crate::ui::action::UiInput::FileResults

use crate::model::attach::{media_mime, AgentMention, FileAttachment};

/// A paste of more lines than this shows as `[Pasted N lines]`.
pub const LONG_PASTE_LINES: usize = 20;
/// Attachments kept set aside for an undo (the oldest go first).
const MAX_SET_ASIDE: usize = 32;
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
    /// `@name`: the prompt goes to that subagent.
    Agent { token: String, name: String },
}

impl Attached {
    pub fn token(&self) -> &str {
        match self {
            Attached::File { token, .. }
            | Attached::Pasted { token, .. }
            | Attached::Agent { token, .. } => token,
        }
    }
}

/// A prompt ready to go: its text (long pastes expanded) and its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outgoing {
    pub text: String,
    pub files: Vec<FileAttachment>,
    pub agents: Vec<AgentMention>,
}

/// The prompt's attachments.
#[derive(Debug, Default)]
pub struct Mentions {
    pub attached: Vec<Attached>,
    /// Attachments whose token was edited away, newest last: an undo or a yank that
    /// brings the token back brings the attachment back with it ([`Mentions::revive`]).
    removed: Vec<Attached>,
    /// The `@` whose picker Esc closed (it stays closed while that mention is typed).
    pub(crate) dismissed: Option<(usize, usize)>,
    images: usize,
    pdfs: usize,
}

impl Mentions {
    /// A token for the next image / PDF / paste, unique in the input.
    pub(crate) fn token_for(&mut self, mime: &str) -> String {
        if mime == "application/pdf" {
            self.pdfs += 1;
            format!("[PDF {}]", self.pdfs)
        } else {
            self.images += 1;
            format!("[Image {}]", self.images)
        }
    }

    /// After an edit: the attachments whose token is no longer in `text` are set aside.
    pub(crate) fn set_aside_missing(&mut self, text: &str) {
        let (kept, gone): (Vec<Attached>, Vec<Attached>) = std::mem::take(&mut self.attached)
            .into_iter()
            .partition(|a| find_token(text, a.token()).is_some());
        self.attached = kept;
        self.removed.extend(gone);
        // Enough for any undo a person does; a session of edits does not hoard pastes.
        let extra = self.removed.len().saturating_sub(MAX_SET_ASIDE);
        self.removed.drain(..extra);
    }

    /// After an undo, redo or yank: each set-aside attachment whose token is back in
    /// `text` is attached again (the newest of those sharing a token).
    pub(crate) fn revive(&mut self, text: &str) {
        let mut i = self.removed.len();
        while i > 0 {
            i -= 1;
            let token = self.removed[i].token();
            let attached = self.attached.iter().any(|a| a.token() == token);
            if !attached && find_token(text, token).is_some() {
                let a = self.removed.remove(i);
                self.attached.push(a);
            }
        }
    }

    /// The text to send and its parts: long pastes expanded, each file and agent whose
    /// token is still in the text attached with its character range. Clears the
    /// attachments.
    pub fn finish(&mut self, text: &str) -> Outgoing {
        let attached = std::mem::take(&mut self.attached);
        self.removed.clear();
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
        let mut out = Outgoing::default();
        for a in attached {
            let Some(i) = find_token(&text, a.token()) else {
                continue;
            };
            let start = text[..i].chars().count();
            let end = start + a.token().chars().count();
            match a {
                Attached::File {
                    token,
                    path,
                    mime,
                    dir,
                } => out.files.push(FileAttachment {
                    end,
                    start,
                    path,
                    mime,
                    dir,
                    token,
                    lines: None,
                }),
                Attached::Agent { name, .. } => out.agents.push(AgentMention { name, start, end }),
                Attached::Pasted { .. } => {}
            }
        }
        out.text = text;
        out
    }
}

/// Byte offset of `token` in `text` as a whole word (not the start of a longer path).
pub(crate) fn find_token(text: &str, token: &str) -> Option<usize> {
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
pub(crate) fn pasted_media(s: &str) -> Option<(String, &'static str)> {
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
    fn an_attachment_edited_away_comes_back_only_with_its_token() {
        let mut m = Mentions::default();
        let paste = |n: usize| Attached::Pasted {
            token: format!("[Pasted {n} lines]"),
            text: "x\n".repeat(n),
        };
        m.attached.push(paste(30));
        m.set_aside_missing("explain ");
        assert!(m.attached.is_empty());
        m.revive("explain this");
        assert!(m.attached.is_empty(), "not back without its token");
        m.revive("explain [Pasted 30 lines]");
        assert_eq!(m.attached, vec![paste(30)]);
        // Sending forgets what was set aside; at most MAX_SET_ASIDE are kept.
        m.set_aside_missing("");
        m.finish("");
        m.revive("[Pasted 30 lines]");
        assert!(m.attached.is_empty());
        for n in 0..MAX_SET_ASIDE + 5 {
            m.attached.push(paste(n + 100));
            m.set_aside_missing("");
        }
        let last = 100 + MAX_SET_ASIDE + 4;
        m.revive(&format!("[Pasted 100 lines] [Pasted {last} lines]"));
        assert_eq!(m.attached, vec![paste(last)], "the oldest went");
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
        m.attached.push(Attached::Agent {
            token: "@general".into(),
            name: "general".into(),
        });
        let out = m.finish("é [Pasted 3 lines] then @src/é.rs @general");
        assert_eq!(out.text, "é a\nb\nc then @src/é.rs @general");
        assert_eq!(out.files.len(), 1);
        assert_eq!((out.files[0].start, out.files[0].end), (13, 22));
        let agent = &out.agents[0];
        assert_eq!(
            (agent.name.as_str(), agent.start, agent.end),
            ("general", 23, 31)
        );
        assert!(m.attached.is_empty());
    }
}
