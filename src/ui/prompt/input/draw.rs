//! Drawing the prompt input: soft wrap measured in display columns (CJK is two), the
//! frame with its title, the placeholder, the rows scrolled to keep the cursor in view,
//! and where the caret went (for the terminal's own cursor).

use super::{PromptInput, MAX_ROWS, PLACEHOLDER};
use crate::ui::theme;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

impl PromptInput {
    /// Screen rows of the text at `width` columns (0: no wrapping) and the cursor's
    /// (row, column).
    pub(super) fn layout(&self, width: usize) -> Layout {
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

/// One screen row of the input: characters `start..end` of line `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Row {
    pub(super) line: usize,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) struct Layout {
    pub(super) rows: Vec<Row>,
    /// (screen row, display column) of the cursor.
    pub(super) cursor: (usize, usize),
}

impl Layout {
    /// Rows needed, counting the one a cursor past a full row opens.
    pub(super) fn height(&self) -> usize {
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
