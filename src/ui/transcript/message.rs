//! Layout of one transcript message: its styled, wrapped lines (`MsgLayout`), rebuilt
//! when the message's revision, the width or the view's toggles change, and a cheap
//! height estimate for messages not laid out yet.
//! A long streaming text part keeps a `TextCache` (text_cache.rs).

use crate::model::state::{Message, PartKind, Role, SessionState, Store};
use crate::ui::app::view::ViewState;
use crate::ui::transcript::text_cache::TextCache;
use crate::ui::{theme, transcript::tools, transcript::wrap};
use ratatui::text::{Line, Span};
use std::collections::HashMap;

enum Piece {
    Lines(Vec<Line<'static>>),
    Text(String, Box<TextCache>),
}

impl Piece {
    fn height(&self) -> usize {
        match self {
            Piece::Lines(l) => l.len(),
            Piece::Text(_, t) => t.height(),
        }
    }
    fn line(&self, i: usize, m: &Message) -> Option<Line<'static>> {
        match self {
            Piece::Lines(l) => l.get(i).cloned(),
            Piece::Text(id, t) => {
                let text = m
                    .parts
                    .iter()
                    .find(|p| &p.id == id)
                    .and_then(|p| match &p.kind {
                        PartKind::Text { text, .. } | PartKind::Reasoning { text } => Some(text),
                        _ => None,
                    });
                let src = text.and_then(|s| s.get(t.start..)).unwrap_or("");
                t.line(i, src)
            }
        }
    }
}

/// The laid-out lines of one message (valid for one revision, width and view epoch).
#[derive(Default)]
pub(crate) struct MsgLayout {
    pieces: Vec<Piece>,
    height: usize,
    pub(crate) has_task: bool,
    /// (line offset in the message, part id) of each tool call's header line.
    pub(crate) tools: Vec<(usize, String)>,
}

impl MsgLayout {
    pub(crate) fn height(&self) -> usize {
        self.height
    }

    /// Line `i` of the layout of `m` (the message it was laid out for: long texts are
    /// read from it).
    pub(crate) fn line(&self, mut i: usize, m: &Message) -> Option<Line<'static>> {
        for p in &self.pieces {
            let h = p.height();
            if i < h {
                return p.line(i, m);
            }
            i -= h;
        }
        None
    }

    /// Lays `m` out again, reusing the incremental caches of its text parts.
    pub(crate) fn rebuild(
        &mut self,
        m: &Message,
        first: bool,
        store: &Store,
        session: &SessionState,
        view: &ViewState,
        width: usize,
    ) {
        let mut old_text: HashMap<String, Box<TextCache>> = self
            .pieces
            .drain(..)
            .filter_map(|p| match p {
                Piece::Text(id, t) => Some((id, t)),
                Piece::Lines(_) => None,
            })
            .collect();
        let mut b = Builder::default();
        self.has_task = false;
        self.tools.clear();
        match m.role {
            Role::User if crate::ui::transcript::compaction::is_compaction(m) => {
                b.lines
                    .push(crate::ui::transcript::compaction::divider(width));
            }
            // A user message with no typed text (a `!` command's, the one an automatic
            // compaction leaves): nothing to show, not an empty `▌` row.
            Role::User if m.text().trim().is_empty() => {}
            Role::User => {
                let text = m.text();
                let bar = [Span::styled("▌ ", theme::user_bar())];
                for l in text.trim_end().split('\n') {
                    b.lines.extend(wrap::wrap_words(
                        &[Span::styled(l, theme::user_text())],
                        width,
                        &bar,
                        &bar,
                    ));
                }
            }
            Role::Assistant | Role::Unknown => {
                for part in &m.parts {
                    match &part.kind {
                        PartKind::Text { text, synthetic } => {
                            if *synthetic || text.trim().is_empty() {
                                continue;
                            }
                            let mut t = old_text.remove(&part.id).unwrap_or_default();
                            t.update(text, text.trim_end(), width, theme::base());
                            b.text(part.id.clone(), t);
                        }
                        PartKind::Reasoning { text } => {
                            if text.trim().is_empty() {
                                continue;
                            }
                            let collapsed = view.reasoning_collapsed(&part.id);
                            let n = text.trim().lines().count();
                            let head = if collapsed {
                                format!(
                                    "▸ thinking · {} (ctrl+r shows)",
                                    crate::ui::words::count(n, "line")
                                )
                            } else {
                                "▾ thinking".to_string()
                            };
                            b.lines
                                .push(Line::from(Span::styled(head, theme::reasoning())));
                            if !collapsed {
                                let mut t = old_text.remove(&part.id).unwrap_or_default();
                                t.update(text, text.trim(), width, theme::reasoning());
                                b.text(part.id.clone(), t);
                            }
                        }
                        PartKind::Tool(call) => {
                            self.has_task |= call.tool == "task";
                            let expanded = view.tool_expanded(&part.id);
                            let at = b.height();
                            self.tools.push((at, part.id.clone()));
                            b.lines
                                .extend(tools::render(call, width, expanded, store, session));
                        }
                        PartKind::StepStart
                        | PartKind::StepFinish { .. }
                        | PartKind::Other { .. } => {}
                    }
                }
                if let Some(err) = &m.error {
                    if err.name != "MessageAbortedError" {
                        b.lines.extend(error_lines(&err.message(), width));
                    } else {
                        b.lines.push(Line::from(Span::styled(
                            "  ■ interrupted",
                            theme::warning(),
                        )));
                    }
                }
                if let Some(f) = footer(m, session) {
                    b.lines.push(f);
                }
            }
        }
        b.flush();
        let mut pieces = b.pieces;
        // A message with nothing to show takes no room (not even its separator).
        if !first && pieces.iter().any(|p| p.height() > 0) {
            pieces.insert(0, Piece::Lines(vec![Line::default()]));
            for t in &mut self.tools {
                t.0 += 1;
            }
        }
        self.height = pieces.iter().map(Piece::height).sum();
        self.pieces = pieces;
    }
}

/// Accumulates a message's pieces: plain lines, then text caches, in order.
#[derive(Default)]
struct Builder {
    pieces: Vec<Piece>,
    lines: Vec<Line<'static>>,
    done: usize,
}

impl Builder {
    fn flush(&mut self) {
        if !self.lines.is_empty() {
            self.done += self.lines.len();
            self.pieces
                .push(Piece::Lines(std::mem::take(&mut self.lines)));
        }
    }
    fn text(&mut self, id: String, t: Box<TextCache>) {
        self.flush();
        self.done += t.height();
        self.pieces.push(Piece::Text(id, t));
    }
    fn height(&self) -> usize {
        self.done + self.lines.len()
    }
}

/// What a height estimate needs of a message, independent of the width: lines it has
/// whatever the width (text lines, tool calls, footer, separator) and the bytes that wrap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Extent {
    lines: usize,
    bytes: usize,
}

impl Extent {
    /// O(parts): the newlines of a long text are extrapolated from `WINDOWS` samples of
    /// `WINDOW` bytes spread over it, so estimating a whole transcript never reads it all.
    pub(crate) fn of(m: &Message) -> Extent {
        const WINDOW: usize = 128;
        const WINDOWS: usize = 4;
        let mut x = Extent { lines: 1, bytes: 0 };
        let mut text = |s: &str| {
            let b = s.as_bytes();
            x.lines += if b.len() <= WINDOW * WINDOWS {
                count_newlines(b)
            } else {
                let step = (b.len() - WINDOW) / (WINDOWS - 1);
                let n: usize = (0..WINDOWS)
                    .map(|k| count_newlines(&b[k * step..k * step + WINDOW]))
                    .sum();
                n * b.len() / (WINDOW * WINDOWS)
            } + 1;
            x.bytes += s.len();
        };
        match m.role {
            Role::User => {
                for p in &m.parts {
                    if let PartKind::Text { text: t, .. } = &p.kind {
                        text(t);
                    }
                }
            }
            Role::Assistant | Role::Unknown => {
                let mut extra = usize::from(m.finish.is_some()) + usize::from(m.error.is_some());
                for p in &m.parts {
                    match &p.kind {
                        PartKind::Text { text: t, synthetic } if !synthetic => text(t),
                        PartKind::Reasoning { text: t } => {
                            text(t);
                            extra += 1;
                        }
                        PartKind::Tool(_) => extra += 3,
                        _ => {}
                    }
                }
                x.lines += extra;
            }
        }
        x
    }

    /// The guessed height at `width`: every line, plus the wraps of its bytes assuming a
    /// line fills half the width before it ends.
    pub(crate) fn height(self, width: usize) -> usize {
        let w = width.max(10);
        self.lines + (self.bytes / w).saturating_sub(self.lines / 2)
    }
}

/// Number of `\n` bytes (byte-wide counters over runs of 255 bytes: vectorises well).
fn count_newlines(b: &[u8]) -> usize {
    b.chunks(255)
        .map(|c| {
            c.iter()
                .fold(0u8, |a, &x| a.wrapping_add(u8::from(x == b'\n'))) as usize
        })
        .sum()
}

/// `✗ error: ...` lines for an error message.
pub fn error_lines(msg: &str, width: usize) -> Vec<Line<'static>> {
    let first = [Span::styled("✗ error: ", theme::error_bold())];
    let rest = [Span::raw("         ")];
    // A server error can be a whole JavaScript stack: its first line says what happened,
    // the rest goes to the diagnostic log (written where the event arrives).
    let mut lines = msg.trim().lines().filter(|l| !l.trim().is_empty());
    let head = lines.next().unwrap_or_default();
    let mut out = wrap::wrap_words(&[Span::styled(head, theme::error())], width, &first, &rest);
    let more = lines.count();
    if more > 0 {
        let hint = format!("({more} more lines: see the diagnostic log, --debug-log FILE)");
        out.extend(wrap::wrap_words(
            &[Span::styled(hint, theme::dim())],
            width,
            &rest,
            &rest,
        ));
    }
    out
}

/// `▣ agent · model · 12.3s` under a turn's last answer: the turn's wall time, from its
/// prompt to this answer's end (permission waits and every step included).
fn footer(m: &Message, session: &SessionState) -> Option<Line<'static>> {
    let finish = m.finish.as_deref()?;
    if finish == "tool-calls" {
        return None;
    }
    let mut bits = Vec::new();
    if let Some(a) = &m.agent {
        bits.push(a.clone());
    }
    if let Some(model) = &m.model {
        bits.push(model.rsplit('/').next().unwrap_or(model).to_string());
    }
    let prompt = m
        .parent_id
        .as_deref()
        .and_then(|p| session.message(p))
        .and_then(|p| p.created_ms);
    if let (Some(c), Some(d)) = (prompt.or(m.created_ms), m.completed_ms) {
        bits.push(format!("{:.1}s", (d - c).max(0.0) / 1000.0));
    }
    Some(Line::from(Span::styled(
        format!("▣ {}", crate::safe_text::one_line(&bits.join(" · "))),
        theme::dim(),
    )))
}

#[cfg(test)]
mod tests {
    #[test]
    fn newlines_are_counted_exactly() {
        let s = "a\nbb\n\n\u{e9}\u{a0}\n\n\n\n\n\n\nxyz\n\u{8a}\x0b";
        let want = s.bytes().filter(|&b| b == b'\n').count();
        for i in 0..s.len() {
            let b = &s.as_bytes()[i..];
            let want = b.iter().filter(|&&c| c == b'\n').count();
            assert_eq!(super::count_newlines(b), want);
        }
        assert_eq!(super::count_newlines(s.as_bytes()), want);
    }
}
