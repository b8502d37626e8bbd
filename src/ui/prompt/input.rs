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
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui::Frame;
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

    /// Screen rows of the text at `width` columns (0: no wrapping) and the cursor's
    /// (row, column).
    fn layout(&self, width: usize) -> Layout {
        let width = if width == 0 { usize::MAX } else { width };
        let (cl, cc) = self.textarea.cursor();
        let mut rows = Vec::new();
        let mut cursor = (0, 0);
        for (i, line) in self.textarea.lines().iter().enumerate() {
            let chars: Vec<char> = line.chars().collect();
            let first = rows.len();
            rows.extend(
                break_line(&chars, width)
                    .into_iter()
                    .map(|(start, end)| Row {
                        line: i,
                        start,
                        end,
                    }),
            );
            if i == cl {
                let n = rows.len() - first;
                let k = (0..n)
                    .find(|&k| cc < rows[first + k].end || k + 1 == n)
                    .unwrap_or(0);
                let r = rows[first + k];
                let col: usize = chars[r.start..cc.min(chars.len()).max(r.start)]
                    .iter()
                    .map(|c| c.width().unwrap_or(0))
                    .sum();
                cursor = (first + k, col);
                if col >= width {
                    // At the end of a full row: the cursor opens the next one.
                    cursor = (first + k + 1, 0);
                }
            }
        }
        Layout { rows, cursor }
    }

    /// Height with the frame, for a box `width` columns wide.
    pub fn height(&self, width: u16) -> u16 {
        let inner = text_width(width.saturating_sub(2)).max(1) as usize;
        (self.layout(inner).height() as u16).clamp(1, MAX_ROWS) + 2
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, title: &str, focused: bool) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .border_style(if focused {
                theme::border_focus()
            } else {
                theme::border()
            })
            .title(title.to_string());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        self.caret.set(None);
        if inner.width == 0 || inner.height == 0 {
            return;
        }
        // One cell of padding on each side: the text does not touch the border.
        let framed = inner;
        let pad = (inner.width - text_width(inner.width)) / 2;
        let inner = Rect {
            x: inner.x + pad,
            width: text_width(inner.width),
            ..inner
        };
        let width = inner.width as usize;
        self.width.set(width);
        let cursor_style = Style::default().add_modifier(Modifier::REVERSED);
        if self.is_empty() {
            // The caret's cell (in the padding) in reverse video marks the focus without
            // colour too; the placeholder starts where typed text will.
            let cur = if focused {
                cursor_style
            } else {
                Style::default()
            };
            let line = Line::from(vec![
                Span::styled(" ", theme::hint().patch(cur)),
                Span::styled(PLACEHOLDER, theme::hint()),
            ]);
            frame.render_widget(Paragraph::new(line).style(theme::hint()), framed);
            if focused {
                self.caret.set(Some(framed.as_position()));
            }
            return;
        }
        let l = self.layout(width);
        let h = inner.height as usize;
        let (crow, ccol) = l.cursor;
        let mut top = self.top.get().min(l.height().saturating_sub(h));
        if crow < top {
            top = crow;
        } else if crow >= top + h {
            top = crow + 1 - h;
        }
        self.top.set(top);
        let lines = self.textarea.lines();
        let shown: Vec<Line> = (top..top + h)
            .map(|i| match l.rows.get(i) {
                Some(r) => {
                    let text: String = lines[r.line]
                        .chars()
                        .skip(r.start)
                        .take(r.end - r.start)
                        .collect();
                    Line::raw(text)
                }
                None => Line::default(),
            })
            .collect();
        frame.render_widget(Paragraph::new(shown), inner);
        if focused && crow >= top && crow < top + h && ccol < width {
            let x = inner.x + ccol as u16;
            let y = inner.y + (crow - top) as u16;
            self.caret.set(Some(ratatui::layout::Position::new(x, y)));
            if let Some(cell) = frame.buffer_mut().cell_mut((x, y)) {
                if cell.symbol().is_empty() {
                    // The right half of a wide character: mark its left half.
                    if let Some(left) = frame.buffer_mut().cell_mut((x.saturating_sub(1), y)) {
                        left.set_style(cursor_style);
                    }
                } else {
                    cell.set_style(cursor_style);
                }
            }
        }
    }

    /// Where the last frame drew the caret, when the prompt had the focus.
    pub fn caret(&self) -> Option<ratatui::layout::Position> {
        self.caret.get()
    }
}

/// Columns for text inside a frame `inner` columns wide: one cell of padding on each
/// side when there is room.
fn text_width(inner: u16) -> u16 {
    if inner >= 4 {
        inner - 2
    } else {
        inner
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

/// One screen row of the input: characters `start..end` of line `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    line: usize,
    start: usize,
    end: usize,
}

struct Layout {
    rows: Vec<Row>,
    /// (screen row, display column) of the cursor.
    cursor: (usize, usize),
}

impl Layout {
    /// Rows needed, counting the one a cursor past a full row opens.
    fn height(&self) -> usize {
        self.rows.len().max(self.cursor.0 + 1)
    }
}

/// Breaks one line into rows of at most `width` display columns: after the last space that
/// fits (a space at the edge hangs past it, as in editors), else at the edge. Returns
/// char-index ranges; an empty line is one empty row.
fn break_line(chars: &[char], width: usize) -> Vec<(usize, usize)> {
    let mut rows = Vec::new();
    let (mut start, mut col, mut i) = (0, 0, 0);
    let mut last_space: Option<usize> = None;
    while i < chars.len() {
        let w = chars[i].width().unwrap_or(0);
        if col + w > width && i > start {
            let end = if chars[i] == ' ' {
                i + 1
            } else {
                last_space.filter(|&s| s >= start).map_or(i, |s| s + 1)
            };
            rows.push((start, end));
            (start, col, i, last_space) = (end, 0, end, None);
            continue;
        }
        if chars[i] == ' ' {
            last_space = Some(i);
        }
        col += w;
        i += 1;
    }
    rows.push((start, chars.len()));
    rows
}

#[cfg(test)]
mod tests {
    use super::break_line;

    fn rows(s: &str, w: usize) -> Vec<String> {
        let c: Vec<char> = s.chars().collect();
        break_line(&c, w)
            .into_iter()
            .map(|(a, b)| c[a..b].iter().collect())
            .collect()
    }

    #[test]
    fn words_wrap_at_spaces_and_long_words_at_the_edge() {
        assert_eq!(rows("aaa bbb ccc", 7), ["aaa bbb ", "ccc"]);
        assert_eq!(rows("aaa bbb ccc", 6), ["aaa ", "bbb ", "ccc"]);
        assert_eq!(rows("aaaa bbbb", 4), ["aaaa ", "bbbb"]);
        assert_eq!(rows("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(rows("", 4), [""]);
    }

    #[test]
    fn wide_characters_count_two_columns() {
        assert_eq!(rows("日本語テキスト", 6), ["日本語", "テキス", "ト"]);
        assert_eq!(rows("ab日本", 5), ["ab日", "本"]);
    }
}
