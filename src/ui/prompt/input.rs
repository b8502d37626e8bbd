//! The prompt input: a tui-textarea (the editing) drawn by us with soft wrap measured in
//! display columns (CJK is two), growing up to `MAX_ROWS` rows and then scrolling with the
//! cursor; the line-editing keys of every field (line_edit.rs) with attachment tokens
//! deleted whole; prompt history (Up/Down on the first / last screen row walk it, keeping the
//! draft; the entries are opencode's, loaded at start: model/prompt_history.rs), Up/Down
//! between wrapped rows, multi-line editing (Alt+Enter, Ctrl+J) and paste.

use crate::model::prompt_history::{HistoryEntry, MAX_ENTRIES};
use crate::ui::prompt::line_edit::{self, Edit};
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent};
use std::cell::Cell;
use tui_textarea::{CursorMove, TextArea};
use unicode_width::UnicodeWidthChar;

const PLACEHOLDER: &str = "Ask anything · Enter sends · Alt+Enter newline · F1 keys";

/// Rows the input may grow to (text lines, without the frame).
pub const MAX_ROWS: u16 = 8;

pub struct PromptInput {
    textarea: TextArea<'static>,
    /// Oldest first, at most [`MAX_ENTRIES`].
    history: Vec<HistoryEntry>,
    /// Entries remembered since the front-end last took them (to append to the file).
    unsaved: Vec<HistoryEntry>,
    /// Position in `history` while walking it; `None` = editing the draft.
    walk: Option<usize>,
    draft: String,
    /// Text columns of the last frame (0 before the first): Up/Down move by screen rows.
    width: Cell<usize>,
    /// First screen row shown by the last frame (it moves only to keep the cursor in view).
    top: Cell<usize>,
    /// The screen cell of the caret in the last frame (focused only): where the terminal's
    /// own cursor goes, so an input method's pre-edit text lands there.
    caret: Cell<Option<ratatui::layout::Position>>,
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
            unsaved: Vec::new(),
            walk: None,
            draft: String::new(),
            width: Cell::new(0),
            top: Cell::new(0),
            caret: Cell::new(None),
        }
    }

    fn fresh(text: &str) -> TextArea<'static> {
        let mut t = TextArea::new(text.split('\n').map(str::to_string).collect());
        t.set_cursor_line_style(ratatui::style::Style::default());
        t.set_placeholder_text(PLACEHOLDER);
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

    /// Takes the text out (for sending); the caller remembers it ([`PromptInput::remember`]).
    pub fn take(&mut self) -> String {
        let text = self.text();
        self.clear();
        text
    }

    /// Adds a sent prompt to the history (not a blank one, nor the last one again): true
    /// when it was added.
    pub fn remember(&mut self, entry: HistoryEntry) -> bool {
        if entry.text.trim().is_empty() || self.history.last() == Some(&entry) {
            return false;
        }
        self.history.push(entry.clone());
        self.unsaved.push(entry);
        let drop = self.history.len().saturating_sub(MAX_ENTRIES);
        self.history.drain(..drop);
        self.walk = None;
        true
    }

    /// The history read at start-up (older than anything typed since), keeping the last
    /// [`MAX_ENTRIES`].
    pub fn load_history(&mut self, loaded: Vec<HistoryEntry>) {
        let typed = std::mem::replace(&mut self.history, loaded);
        for e in typed {
            if self.history.last() != Some(&e) {
                self.history.push(e);
            }
        }
        let drop = self.history.len().saturating_sub(MAX_ENTRIES);
        self.history.drain(..drop);
        if self.walk.is_some() {
            self.walk = None;
            self.draft.clear();
        }
    }

    /// The entries remembered since the last call, for the history file.
    pub fn take_unsaved(&mut self) -> Vec<HistoryEntry> {
        std::mem::take(&mut self.unsaved)
    }

    /// The history, oldest first.
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }

    /// The entry shown while walking the history (its pastes are to be attached again).
    pub fn recalled(&self) -> Option<&HistoryEntry> {
        self.walk.and_then(|i| self.history.get(i))
    }

    pub fn newline(&mut self) {
        self.textarea.insert_newline();
    }

    pub fn paste(&mut self, s: &str) {
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        self.textarea.insert_str(s);
    }

    /// Up on the first screen row: the previous prompt. Returns false when not at the edge.
    pub fn history_prev(&mut self) -> bool {
        if self.layout(self.width.get()).cursor.0 != 0 || self.history.is_empty() {
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
        self.textarea = Self::fresh(&self.history[next].text);
        true
    }

    /// Down on the last screen row: the next prompt, then the draft.
    pub fn history_next(&mut self) -> bool {
        let l = self.layout(self.width.get());
        if l.cursor.0 + 1 < l.height() {
            return false;
        }
        let Some(i) = self.walk else {
            return false;
        };
        if i + 1 < self.history.len() {
            self.walk = Some(i + 1);
            self.textarea = Self::fresh(&self.history[i + 1].text);
        } else {
            self.walk = None;
            let d = std::mem::take(&mut self.draft);
            self.textarea = Self::fresh(&d);
        }
        true
    }

    /// Any other key: edit the text. Up / Down move by screen rows of the wrapped text.
    pub fn key(&mut self, key: KeyEvent) {
        if key.modifiers.is_empty() && matches!(key.code, KeyCode::Up | KeyCode::Down) {
            let l = self.layout(self.width.get());
            let (row, col) = l.cursor;
            let target = if key.code == KeyCode::Up {
                row.checked_sub(1)
            } else {
                Some(row + 1)
            };
            if let Some(&r) = target.and_then(|t| l.rows.get(t)) {
                let chars: Vec<char> = self.textarea.lines()[r.line].chars().collect();
                let last_of_line = l
                    .rows
                    .get(target.unwrap_or(0) + 1)
                    .is_none_or(|n| n.line != r.line);
                let mut at = r.start;
                let mut c = 0;
                while at < r.end && c + chars[at].width().unwrap_or(0) <= col {
                    c += chars[at].width().unwrap_or(0);
                    at += 1;
                }
                if at == r.end && !last_of_line {
                    at = r.end.saturating_sub(1).max(r.start);
                }
                self.textarea
                    .move_cursor(CursorMove::Jump(r.line as u16, at as u16));
            }
            return;
        }
        self.edit(&key, &[]);
    }

    /// A line-editing key (line_edit.rs: the same keys as every text field), `tokens` the
    /// attachments' stand-ins (`[Image 1]`, `[Pasted 20 lines]`): a deletion reaching into
    /// one deletes it whole. `None`: not an editing key (nothing done; the key is never
    /// given to the text area's own bindings).
    pub fn edit(&mut self, key: &KeyEvent, tokens: &[String]) -> Option<()> {
        let e = line_edit::command(key)?;
        let (row, col) = self.textarea.cursor();
        let chars: Vec<char> = self.textarea.lines()[row].chars().collect();
        let ctrl_w = key.code == KeyCode::Char('w');
        if let Some((a, b)) = line_edit::deletion(e, &chars, col, ctrl_w) {
            let (a, b) = widen_to_tokens(&chars, (a, b), tokens);
            let yank = self.textarea.yank_text();
            self.jump(row, a);
            self.textarea.delete_str(b - a);
            if matches!(e, Edit::Backspace | Edit::Delete) {
                self.textarea.set_yank_text(yank);
            }
            return Some(());
        }
        let end = chars.len();
        match e {
            Edit::Insert(c) => self.textarea.insert_char(c),
            // At a line's edge a deletion joins the lines (as in editors).
            Edit::Backspace | Edit::KillToStart | Edit::KillWordBack if col == 0 => {
                self.textarea.delete_char();
            }
            Edit::Delete | Edit::KillToEnd | Edit::KillWordForward if col >= end => {
                self.textarea.delete_next_char();
            }
            Edit::Left => self.textarea.move_cursor(CursorMove::Back),
            Edit::Right => self.textarea.move_cursor(CursorMove::Forward),
            Edit::Home => self.textarea.move_cursor(CursorMove::Head),
            Edit::End => self.textarea.move_cursor(CursorMove::End),
            Edit::WordLeft if col == 0 => self.textarea.move_cursor(CursorMove::Back),
            Edit::WordRight if col >= end => self.textarea.move_cursor(CursorMove::Forward),
            Edit::WordLeft => self.jump(row, line_edit::word_back(&chars, col)),
            Edit::WordRight => self.jump(row, line_edit::word_forward(&chars, col)),
            Edit::Yank => {
                self.textarea.paste();
            }
            Edit::Undo => {
                self.textarea.undo();
            }
            Edit::Redo => {
                self.textarea.redo();
            }
            _ => {}
        }
        Some(())
    }

    fn jump(&mut self, row: usize, col: usize) {
        let to = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        self.textarea
            .move_cursor(CursorMove::Jump(to(row), to(col)));
    }
}

impl PromptInput {
    /// The cursor: (line, character column).
    pub fn cursor(&self) -> (usize, usize) {
        self.textarea.cursor()
    }

    /// Replaces the `n` characters before the cursor with `with` (a completed mention).
    pub fn replace_before_cursor(&mut self, n: usize, with: &str) {
        for _ in 0..n {
            self.textarea.delete_char();
        }
        self.textarea.insert_str(with);
    }
}

/// `range` (characters of a line) grown to cover whole every token it reaches into.
fn widen_to_tokens(chars: &[char], range: (usize, usize), tokens: &[String]) -> (usize, usize) {
    let (mut a, mut b) = range;
    let line: String = chars.iter().collect();
    for t in tokens.iter().filter(|t| !t.is_empty()) {
        let n = t.chars().count();
        for (byte, _) in line.match_indices(t.as_str()) {
            let start = line[..byte].chars().count();
            if start < b && a < start + n {
                a = a.min(start);
                b = b.max(start + n);
            }
        }
    }
    (a, b)
}

mod draw;
