//! The prompt input: a tui-textarea with prompt history (Up/Down at the first / last line
//! walk it, keeping the draft), multi-line editing (Alt+Enter, Ctrl+J) and paste.

use crate::ui::theme;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, BorderType, Borders};
use ratatui::Frame;
use tui_textarea::{CursorMove, TextArea};

/// Rows the input may grow to (text lines, without the frame).
pub const MAX_ROWS: u16 = 8;

pub struct PromptInput {
    textarea: TextArea<'static>,
    history: Vec<String>,
    /// Position in `history` while walking it; `None` = editing the draft.
    walk: Option<usize>,
    draft: String,
}

impl Default for PromptInput {
    fn default() -> Self {
        Self::new()
    }
}

impl PromptInput {
    pub fn new() -> Self {
        PromptInput {
            textarea: Self::fresh(""),
            history: Vec::new(),
            walk: None,
            draft: String::new(),
        }
    }

    fn fresh(text: &str) -> TextArea<'static> {
        let mut t = TextArea::new(text.split('\n').map(str::to_string).collect());
        t.set_cursor_line_style(ratatui::style::Style::default());
        t.set_placeholder_text("Ask anything · Enter sends · Alt+Enter newline · F1 keys");
        t.set_placeholder_style(theme::hint());
        t.move_cursor(CursorMove::Bottom);
        t.move_cursor(CursorMove::End);
        t
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.textarea.lines().iter().all(|l| l.is_empty())
    }

    pub fn set_text(&mut self, text: &str) {
        self.textarea = Self::fresh(text);
    }

    pub fn clear(&mut self) {
        self.set_text("");
        self.walk = None;
    }

    /// Takes the text out (for sending) and remembers it in the history.
    pub fn take(&mut self) -> String {
        let text = self.text();
        if !text.trim().is_empty() && self.history.last() != Some(&text) {
            self.history.push(text.clone());
        }
        self.clear();
        text
    }

    pub fn history(&self) -> &[String] {
        &self.history
    }

    pub fn newline(&mut self) {
        self.textarea.insert_newline();
    }

    pub fn paste(&mut self, s: &str) {
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        self.textarea.insert_str(s);
    }

    /// Up at the first line: the previous prompt. Returns false when not at the edge.
    pub fn history_prev(&mut self) -> bool {
        if self.textarea.cursor().0 != 0 || self.history.is_empty() {
            return false;
        }
        let next = match self.walk {
            None => {
                self.draft = self.text();
                self.history.len() - 1
            }
            Some(0) => return true,
            Some(i) => i - 1,
        };
        self.walk = Some(next);
        let t = self.history[next].clone();
        self.textarea = Self::fresh(&t);
        true
    }

    /// Down at the last line: the next prompt, then the draft.
    pub fn history_next(&mut self) -> bool {
        let last_row = self.textarea.lines().len().saturating_sub(1);
        if self.textarea.cursor().0 != last_row {
            return false;
        }
        let Some(i) = self.walk else {
            return false;
        };
        if i + 1 < self.history.len() {
            self.walk = Some(i + 1);
            let t = self.history[i + 1].clone();
            self.textarea = Self::fresh(&t);
        } else {
            self.walk = None;
            let d = std::mem::take(&mut self.draft);
            self.textarea = Self::fresh(&d);
        }
        true
    }

    /// Any other key: edit the text.
    pub fn key(&mut self, key: KeyEvent) {
        self.textarea.input(key);
    }

    /// Height with the frame.
    pub fn height(&self) -> u16 {
        (self.textarea.lines().len() as u16).clamp(1, MAX_ROWS) + 2
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, title: &str, focused: bool) {
        let mut ta = self.textarea.clone();
        ta.set_block(
            Block::default()
                .borders(Borders::ALL)
                .border_type(BorderType::Rounded)
                .border_style(if focused {
                    theme::border_focus()
                } else {
                    theme::border()
                })
                .title(title.to_string()),
        );
        if !focused {
            ta.set_cursor_style(ratatui::style::Style::default());
        }
        frame.render_widget(&ta, area);
    }
}
