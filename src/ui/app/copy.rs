//! Copy to the clipboard (OSC 52, `clipboard.rs`): `/copy` or Ctrl+X Y copies the last
//! answer, or the focused tool call's output when one has the focus (Tab); `/copy code`
//! copies the last code block of the last answer. When the transcript is scrolled up,
//! "the answer" is the first answer the view shows instead of the last one (the note
//! names its turn). The bytes leave as
//! [`Action::Copy`] and the terminal loop writes them; a text over the 100 kB limit
//! is not copied and a note says so. Only printable text, tabs and newlines are copied
//! (`safe_text::paste`: escape sequences and controls removed, so a pasted answer cannot
//! end a bracketed paste and run a command); the note counts what was removed.

use crate::model::state::{PartKind, Role};
use crate::safe_text::paste::for_clipboard;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::runtime::clipboard::{osc52, Wrap};

/// What to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWhat {
    /// The focused tool call's output, else the last answer.
    Focused,
    /// The last answer.
    Answer,
    /// The last fenced code block of the last answer.
    Code,
}

/// The body of the last fenced code block of a Markdown text.
pub fn last_code_block(text: &str) -> Option<String> {
    let mut last = None;
    let mut open: Option<(String, Vec<&str>)> = None;
    for line in text.lines() {
        let t = line.trim_start();
        match &mut open {
            None => {
                let fence: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
                if fence.len() >= 3 && fence.chars().all(|c| c == fence.chars().next().unwrap()) {
                    open = Some((fence, Vec::new()));
                }
            }
            Some((fence, body)) => {
                if t.starts_with(fence.as_str())
                    && t.trim_end().chars().all(|c| c == '`' || c == '~')
                {
                    last = Some(body.join("\n"));
                    open = None;
                } else {
                    body.push(line);
                }
            }
        }
    }
    last
}

impl App {
    /// The focused tool call's output (or error), if a tool call has the focus.
    fn focused_tool_text(&self) -> Option<String> {
        let part_id = self.view.focused_tool()?;
        let s = self.store.session(self.session_id()?)?;
        s.messages
            .iter()
            .flat_map(|m| m.parts.iter())
            .find(|p| p.id == part_id)
            .and_then(|p| match &p.kind {
                PartKind::Tool(t) => t.output.clone().or_else(|| t.error.clone()),
                _ => None,
            })
    }

    /// When the transcript is scrolled up: the first assistant message with text the
    /// last frame showed, and its turn (1-based count of the user prompts up to it).
    fn scrolled_answer(&self) -> Option<(String, usize)> {
        if self.view.following() {
            return None;
        }
        let s = self.store.session(self.session_id()?)?;
        self.view.visible_messages().iter().find_map(|id| {
            let m = s
                .messages
                .iter()
                .find(|m| &m.id == id && m.role == Role::Assistant)?;
            let text = m.text().trim().to_string();
            let turn = s
                .messages
                .iter()
                .filter(|u| u.role == Role::User && u.id < m.id && !s.reverted(u))
                .count();
            (!text.is_empty()).then_some((text, turn.max(1)))
        })
    }

    /// Copies `what` (a note says what was copied, or why not).
    pub(crate) fn copy(&mut self, what: CopyWhat) -> Vec<Action> {
        let (answer, label) = match self.scrolled_answer() {
            Some((text, turn)) => (text, format!("the answer of turn {turn}")),
            None => {
                let last = self
                    .session_id()
                    .and_then(|id| self.store.session(id))
                    .map(|s| s.final_text())
                    .unwrap_or_default();
                (last, "the last answer".to_string())
            }
        };
        let (text, label) = match what {
            CopyWhat::Focused => match self.focused_tool_text() {
                Some(t) => (t, "the tool output".to_string()),
                None => (answer, label),
            },
            CopyWhat::Answer => (answer, label),
            CopyWhat::Code => match last_code_block(&answer) {
                Some(t) => (t, format!("the last code block of {label}")),
                None => {
                    self.note(format!("nothing copied: {label} has no code block"), false);
                    return Vec::new();
                }
            },
        };
        self.copy_text(&text, &label)
    }

    /// Copies `text` (named `label` in the note), cleaned of control characters.
    pub(crate) fn copy_text(&mut self, text: &str, label: &str) -> Vec<Action> {
        if text.trim().is_empty() {
            self.note("nothing to copy yet", false);
            return Vec::new();
        }
        let clean = for_clipboard(text);
        match osc52(&clean.text, Wrap::Plain) {
            Ok(bytes) => {
                let n = clean.text.chars().count();
                let note = match clean.removed {
                    0 => format!("copied {label} ({n} characters)"),
                    1 => format!("copied {label} ({n} characters; 1 control character removed)"),
                    k => format!("copied {label} ({n} characters; {k} control characters removed)"),
                };
                self.note(note, false);
                vec![Action::Copy(bytes)]
            }
            Err(e) => {
                self.note(e.to_string(), true);
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::last_code_block;

    #[test]
    fn the_last_fenced_block_is_found() {
        let t = "intro\n```rust\nfn a() {}\n```\nthen\n````\nx ```\ny\n````\nend";
        assert_eq!(last_code_block(t).as_deref(), Some("x ```\ny"));
        assert_eq!(last_code_block("no code"), None);
        assert_eq!(last_code_block("```\nunclosed"), None);
    }
}
