//! Wrapping styled text to a width: word wrap for prose (long words are broken), char
//! wrap for code. Widths are terminal cells (unicode-width over grapheme clusters), so
//! wide characters never straddle the edge. Output lines own their text (`'static`).
//! Every span is cleaned (`safe_text::one_line`) before it is measured: no control or
//! bidi character leaves these functions, and the visible stand-ins count in widths.

use crate::safe_text;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of a string in cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Display width of spans.
pub fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(|s| width(&s.content)).sum()
}

/// Builds lines of at most `width` cells, merging adjacent runs of one style.
struct LineBuilder<'p> {
    out: Vec<Line<'static>>,
    cur: Vec<Span<'static>>,
    cur_w: usize,
    width: usize,
    first: &'p [Span<'static>],
    rest: &'p [Span<'static>],
    started: bool,
}

impl<'p> LineBuilder<'p> {
    fn new(width: usize, first: &'p [Span<'static>], rest: &'p [Span<'static>]) -> Self {
        let mut b = LineBuilder {
            out: Vec::new(),
            cur: Vec::new(),
            cur_w: 0,
            width,
            first,
            rest,
            started: false,
        };
        b.open();
        b
    }

    fn open(&mut self) {
        let prefix = if self.started { self.rest } else { self.first };
        self.started = true;
        self.cur = prefix.to_vec();
        self.cur_w = spans_width(prefix);
    }

    fn avail(&self) -> usize {
        self.width.saturating_sub(self.cur_w)
    }

    /// Room for text on an empty line (at least one cell so progress is guaranteed).
    fn line_room(&self) -> usize {
        self.width.saturating_sub(spans_width(self.rest)).max(1)
    }

    fn push(&mut self, text: &str, style: Style, w: usize) {
        if text.is_empty() {
            return;
        }
        self.cur_w += w;
        if let Some(last) = self.cur.last_mut() {
            if last.style == style {
                last.content.to_mut().push_str(text);
                return;
            }
        }
        self.cur.push(Span::styled(text.to_string(), style));
    }

    fn break_line(&mut self) {
        let prefix_len = if self.out.is_empty() {
            self.first.len()
        } else {
            self.rest.len()
        };
        if self.cur.len() > prefix_len {
            if let Some(last) = self.cur.last_mut() {
                let t = last.content.trim_end().len();
                if t < last.content.len() {
                    last.content.to_mut().truncate(t);
                }
            }
        }
        let spans = std::mem::take(&mut self.cur);
        self.out.push(Line::from(spans));
        self.open();
    }

    fn at_line_start(&self) -> bool {
        let prefix = if self.out.is_empty() {
            self.first
        } else {
            self.rest
        };
        self.cur_w == spans_width(prefix)
    }

    /// Pushes a token that may not fit, breaking it by grapheme.
    fn push_broken(&mut self, text: &str, style: Style) {
        let mut chunk = String::new();
        let mut chunk_w = 0;
        for g in text.graphemes(true) {
            let gw = width(g);
            if chunk_w + gw > self.avail() && (chunk_w > 0 || !self.at_line_start()) {
                let c = std::mem::take(&mut chunk);
                self.push(&c, style, chunk_w);
                chunk_w = 0;
                self.break_line();
            }
            chunk.push_str(g);
            chunk_w += gw;
        }
        self.push(&chunk, style, chunk_w);
    }

    fn finish(mut self) -> Vec<Line<'static>> {
        let spans = std::mem::take(&mut self.cur);
        self.out.push(Line::from(spans));
        self.out
    }
}

/// Word-wraps one logical line. The first output line starts with `first`, the others
/// with `rest` (list indents, quote bars). Always returns at least one line.
pub fn wrap_words(
    spans: &[Span<'_>],
    max: usize,
    first: &[Span<'static>],
    rest: &[Span<'static>],
) -> Vec<Line<'static>> {
    let mut b = LineBuilder::new(max.max(1), first, rest);
    for span in spans {
        let style = span.style;
        let content = safe_text::one_line(&span.content);
        for token in split_words(&content) {
            let w = width(token);
            let is_space = token.starts_with(char::is_whitespace);
            if w <= b.avail() {
                if is_space && b.at_line_start() && !b.out.is_empty() {
                    continue; // no leading blanks on continuation lines
                }
                b.push(token, style, w);
            } else if is_space {
                b.break_line();
            } else if w <= b.line_room() {
                b.break_line();
                b.push(token, style, w);
            } else {
                b.push_broken(token, style);
            }
        }
    }
    b.finish()
}

/// Char-wraps one logical line (code, diffs, command output): no word boundaries.
pub fn wrap_chars(
    spans: &[Span<'_>],
    max: usize,
    first: &[Span<'static>],
    rest: &[Span<'static>],
) -> Vec<Line<'static>> {
    let mut b = LineBuilder::new(max.max(1), first, rest);
    for span in spans {
        let text = safe_text::one_line(&span.content);
        // Fast path: ASCII (clean, so printable) that fits.
        if text.is_ascii() && b.avail() >= text.len() {
            b.push(&text, span.style, text.len());
        } else {
            b.push_broken(&text, span.style);
        }
    }
    b.finish()
}

/// Splits text into alternating runs of non-whitespace and whitespace.
fn split_words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let space = rest.starts_with(char::is_whitespace);
        let end = rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace() != space)
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let (tok, tail) = rest.split_at(end);
        rest = tail;
        Some(tok)
    })
}

/// Cuts a string to at most `max` cells, with an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    let s = safe_text::one_line(s);
    let s = s.as_ref();
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for g in s.graphemes(true) {
        let gw = width(g);
        if w + gw + 1 > max {
            break;
        }
        out.push_str(g);
        w += gw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn words_wrap_at_spaces_and_long_words_break() {
        let l = wrap_words(&[Span::raw("hello brave new world")], 11, &[], &[]);
        assert_eq!(text(&l), vec!["hello brave", "new world"]);
        let l = wrap_words(&[Span::raw("abcdefghijkl")], 5, &[], &[]);
        assert_eq!(text(&l), vec!["abcde", "fghij", "kl"]);
    }

    #[test]
    fn prefixes_apply_to_first_and_rest() {
        let first = [Span::raw("- ")];
        let rest = [Span::raw("  ")];
        let l = wrap_words(&[Span::raw("one two three")], 9, &first, &rest);
        assert_eq!(text(&l), vec!["- one two", "  three"]);
    }

    #[test]
    fn wide_chars_never_straddle() {
        let l = wrap_chars(&[Span::raw("日本語です")], 5, &[], &[]);
        assert_eq!(text(&l), vec!["日本", "語で", "す"]);
    }

    #[test]
    fn controls_are_shown_and_counted_in_widths() {
        let l = wrap_chars(&[Span::raw("ab\x1b[2Jcd")], 4, &[], &[]);
        assert_eq!(text(&l), vec!["ab␛[", "2Jcd"]);
        let l = wrap_words(&[Span::raw("x\u{202E}y z")], 20, &[], &[]);
        assert_eq!(text(&l), vec!["x⟨U+202E⟩y z"]);
        assert_eq!(truncate("\x07\x07\x07", 2), "␇…");
    }

    #[test]
    fn truncate_adds_ellipsis() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
