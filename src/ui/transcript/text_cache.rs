//! The incremental render of a long streaming text part: complete markdown blocks (cut at
//! blank lines outside code fences) are rendered once and appended; only the live tail is
//! rendered again on each change, so a delta costs O(tail), not O(text).

use crate::ui::transcript::markdown;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Text parts shorter than this are rendered whole (exact markdown); longer ones in blocks.
const BLOCK_THRESHOLD: usize = 4096;

/// A live tail longer than this (one long paragraph, no blank line to cut at) has its
/// finished wrapped lines committed as `Block::Plain` when they are plain text.
const PARAGRAPH_CUT: usize = 8192;

/// Characters that may pair with a later one (emphasis, code spans, links, html): lines
/// holding one are never committed inside a paragraph, as the pair would restyle them.
const PAIRING: &[u8] = b"*_`~[]<>&\\";

/// Committed lines of a text part.
enum Block {
    Lines(Vec<Line<'static>>),
    /// Wrapped lines of plain paragraph text, kept as byte offsets into the source (4 bytes
    /// a line instead of an owned `Line`): line `i` is `src[starts[i]..starts[i + 1]]`
    /// (the last ends at `end`) with its whitespace folded as the markdown renderer does.
    Plain {
        starts: Vec<u32>,
        end: u32,
    },
}

impl Block {
    pub(crate) fn height(&self) -> usize {
        match self {
            Block::Lines(l) => l.len(),
            Block::Plain { starts, .. } => starts.len(),
        }
    }
}

/// Incrementally rendered markdown of one growing text part.
#[derive(Default)]
pub(crate) struct TextCache {
    width: usize,
    base: Style,
    /// Offset of the rendered source in the part's text (leading blanks trimmed).
    pub(crate) start: usize,
    committed_len: usize,
    blocks: Vec<Block>,
    /// `ends[i]` = committed lines up to and including `blocks[i]`.
    ends: Vec<usize>,
    tail: Vec<Line<'static>>,
    tail_len: usize,
    tail_valid: bool,
}

impl TextCache {
    /// `text` is the part's text, `src` the slice of it that is rendered.
    pub(crate) fn update(&mut self, text: &str, src: &str, width: usize, base: Style) {
        let start = src.as_ptr() as usize - text.as_ptr() as usize;
        if width != self.width
            || base != self.base
            || start != self.start
            || src.len() < self.committed_len
        {
            *self = TextCache {
                width,
                base,
                start,
                ..TextCache::default()
            };
        }
        if src.len() > BLOCK_THRESHOLD {
            if let Some(cut) = last_block_boundary(src, self.committed_len) {
                if cut > self.committed_len {
                    let chunk = &src[self.committed_len..cut];
                    let mut lines = markdown::render(chunk, width, base);
                    lines.push(Line::default());
                    self.commit(Block::Lines(lines));
                    self.committed_len = cut;
                    self.tail_valid = false;
                }
            }
        }
        if !self.tail_valid || self.tail_len != src.len() {
            // A long tail (a first render of a long paragraph) is laid out a bounded
            // piece at a time, so the whole never exists as lines at once.
            loop {
                let mut end = self.committed_len + 2 * PARAGRAPH_CUT;
                if src.len() > end {
                    while !src.is_char_boundary(end) {
                        end -= 1;
                    }
                    self.render_tail(&src[..end]);
                    if self.cut_paragraph(&src[..end]) {
                        continue;
                    }
                }
                self.render_tail(src);
                if src.len() - self.committed_len > PARAGRAPH_CUT && self.cut_paragraph(src) {
                    self.render_tail(src);
                }
                break;
            }
        }
    }

    fn render_tail(&mut self, src: &str) {
        self.tail = markdown::render(&src[self.committed_len..], self.width, self.base);
        self.tail_len = src.len();
        self.tail_valid = true;
    }

    fn commit(&mut self, b: Block) {
        let h = self.committed_height() + b.height();
        self.blocks.push(b);
        self.ends.push(h);
    }

    fn committed_height(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// Commits the finished wrapped lines at the start of the live tail when they are plain
    /// text of one paragraph: greedy wrapping never changes a line once the token after it
    /// is complete, so they stay what a render of the whole paragraph gives. Returns true
    /// when lines were committed (the tail starts later).
    fn cut_paragraph(&mut self, src: &str) -> bool {
        if src.len() > u32::MAX as usize {
            return false;
        }
        let from = self.committed_len;
        let t = &src.as_bytes()[from..];
        // The last token may still grow (and move back onto the line before).
        let last_token = t
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(0, |p| p + 1);
        let mut pos = skip_blanks(t, 0);
        let mut starts = Vec::new();
        for line in &self.tail {
            let [span] = &line.spans[..] else { break };
            if span.style != self.base || line.style != Style::default() || line.alignment.is_some()
            {
                break;
            }
            let Some(end) = match_line(t, pos, &span.content) else {
                break;
            };
            let next = skip_blanks(t, end);
            if next >= last_token || !starts_paragraph_text(&t[next..]) {
                break;
            }
            if t[pos..next].iter().any(|b| PAIRING.contains(b)) {
                break;
            }
            starts.push((from + pos) as u32);
            pos = next;
        }
        if starts.is_empty() {
            return false;
        }
        let end = (from + pos) as u32;
        match self.blocks.last_mut() {
            Some(Block::Plain { starts: s, end: e }) if *e as usize == from => {
                let n = starts.len();
                s.extend(starts);
                *e = end;
                if let Some(last) = self.ends.last_mut() {
                    *last += n;
                }
            }
            _ => self.commit(Block::Plain { starts, end }),
        }
        self.committed_len = end as usize;
        true
    }

    pub(crate) fn height(&self) -> usize {
        self.committed_height() + self.tail.len()
    }

    /// Line `i`; `src` is the rendered source (plain blocks are read from it).
    pub(crate) fn line(&self, i: usize, src: &str) -> Option<Line<'static>> {
        let c = self.committed_height();
        if i >= c {
            return self.tail.get(i - c).cloned();
        }
        let b = self.ends.partition_point(|&e| e <= i);
        let off = i - if b == 0 { 0 } else { self.ends[b - 1] };
        match self.blocks.get(b)? {
            Block::Lines(l) => l.get(off).cloned(),
            Block::Plain { starts, end } => {
                let a = starts[off] as usize;
                let z = starts.get(off + 1).copied().unwrap_or(*end) as usize;
                let s = src.get(a..z)?;
                // Equal to a rendered (so cleaned) line by `match_line`; cleaned again
                // so no path can carry a control character to the screen.
                let folded = fold_blanks(s);
                let shown = match crate::safe_text::one_line(&folded) {
                    std::borrow::Cow::Borrowed(_) => folded,
                    std::borrow::Cow::Owned(clean) => clean,
                };
                Some(Line::from(Span::styled(shown, self.base)))
            }
        }
    }
}

/// The first offset at or after `i` that is not ASCII whitespace.
fn skip_blanks(t: &[u8], mut i: usize) -> usize {
    while i < t.len() && t[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Paragraph source as the renderer shows it on one line: each source line trimmed, the
/// lines joined by one space (a soft break).
fn fold_blanks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for l in s.split('\n') {
        let l = l.trim_matches([' ', '\t', '\r']);
        if l.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// Where the source of a rendered plain line starting at `pos` ends, when folding that
/// source gives exactly the line (else `None`).
fn match_line(t: &[u8], pos: usize, line: &str) -> Option<usize> {
    let want = line.as_bytes();
    let (mut i, mut j) = (pos, 0);
    while j < want.len() {
        if want[j] == b' ' {
            // A soft break (with the blanks around it) shows as one space.
            let k = skip_blanks(t, i);
            if t[i..k].contains(&b'\n') {
                i = k;
                while want.get(j) == Some(&b' ') {
                    j += 1;
                }
                continue;
            }
        }
        if t.get(i) != Some(&want[j]) {
            return None;
        }
        i += 1;
        j += 1;
    }
    let s = std::str::from_utf8(&t[pos..i]).ok()?;
    (fold_blanks(s) == line).then_some(i)
}

/// Text that continues a paragraph when it starts a render of its own: a word that no
/// markdown block (list, heading, quote, fence, table, html) can start with.
fn starts_paragraph_text(t: &[u8]) -> bool {
    match t.first() {
        Some(b) if b.is_ascii_digit() => {
            let n = t.iter().take_while(|b| b.is_ascii_digit()).count();
            !matches!(t.get(n), Some(b'.' | b')'))
        }
        Some(b) => b.is_ascii_alphabetic() || *b >= 0x80,
        None => false,
    }
}

/// The byte offset just after the last blank line at or after `from` that is outside a
/// code fence (the source before `from` is assumed to end outside a fence).
fn last_block_boundary(src: &str, from: usize) -> Option<usize> {
    let mut pos = from;
    let mut fence: Option<&str> = None;
    let mut best = None;
    for line in src[from..].split_inclusive('\n') {
        let end = pos + line.len();
        let t = line.trim_start_matches(' ');
        if let Some(f) = fence {
            if t.trim_end().starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") {
            fence = Some("```");
        } else if t.starts_with("~~~") {
            fence = Some("~~~");
        } else if line.trim().is_empty() && line.ends_with('\n') && end < src.len() {
            best = Some(end);
        }
        pos = end;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(t: &TextCache, src: &str) -> Vec<Line<'static>> {
        (0..t.height()).map(|i| t.line(i, src).unwrap()).collect()
    }

    /// A long paragraph streamed in pieces shows exactly what a render of the whole gives,
    /// and most of it is kept as offsets.
    #[test]
    fn streamed_long_paragraph_matches_a_whole_render() {
        let mut text = String::new();
        let mut i = 0u64;
        while text.len() < 60_000 {
            i = i
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let w = match (i >> 33) % 23 {
                0 => "\n".to_string(),
                1 => "  ".to_string(),
                2 => "x".repeat(((i >> 40) % 90) as usize),
                3 => "3.".to_string(),
                4 => " \n  ".to_string(),
                5 => "日本語".to_string(),
                n => format!("w{n}"),
            };
            text.push_str(&w);
            text.push(' ');
        }
        for width in [20, 57, 140] {
            let mut t = TextCache::default();
            let mut at = 0;
            let mut step = 1;
            while at < text.len() {
                at = (at + step).min(text.len());
                while !text.is_char_boundary(at) {
                    at += 1;
                }
                step = step * 7 % 3001 + 1;
                let src = text[..at].trim_end();
                t.update(&text[..at], src, width, Style::default());
            }
            let src = text.trim_end();
            let want = markdown::render(src, width, Style::default());
            assert_eq!(lines_of(&t, src), want, "width {width}");
            assert!(
                t.tail.len() * 4 < want.len(),
                "width {width}: {} lines live",
                t.tail.len()
            );
            // A first render of the whole text ends the same.
            let mut t = TextCache::default();
            t.update(&text, src, width, Style::default());
            assert_eq!(lines_of(&t, src), want, "width {width}");
        }
    }

    /// A delimiter that a later one closes keeps the lines after it live.
    #[test]
    fn emphasis_across_a_long_paragraph_is_kept_exact() {
        let words: String = (0..3000).map(|i| format!("word{i} ")).collect();
        let text = format!("{words}*stressed {words} end*");
        let mut t = TextCache::default();
        for at in (0..text.len()).step_by(997).chain([text.len()]) {
            t.update(&text[..at], text[..at].trim_end(), 40, Style::default());
        }
        let want = markdown::render(&text, 40, Style::default());
        assert_eq!(lines_of(&t, &text), want);
    }
}
