//! The transcript pane: one session's messages as wrapped, styled lines.
//!
//! Invariant: a frame costs O(visible lines + messages), never O(transcript text).
//! Each message's lines are cached per (message id, revision, width, view epoch); only a
//! message whose revision moved is rendered again. A long streaming text part is cut into
//! committed markdown blocks (cut at blank lines outside code fences, appended once) and a
//! live tail re-rendered on each change, so a delta costs O(tail). Cumulative heights give
//! the message at any line by binary search. A resize re-wraps everything once.

use crate::model::state::{Message, PartKind, Role, SessionState, Store};
use crate::ui::view::{Scroll, ViewState};
use crate::ui::{markdown, theme, tools, wrap};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::collections::HashMap;

/// Text parts shorter than this are rendered whole (exact markdown); longer ones in blocks.
const BLOCK_THRESHOLD: usize = 4096;

/// Incrementally rendered markdown of one growing text part.
#[derive(Default)]
struct TextCache {
    width: usize,
    committed_len: usize,
    committed: Vec<Line<'static>>,
    tail: Vec<Line<'static>>,
    tail_len: usize,
    tail_valid: bool,
}

impl TextCache {
    fn update(&mut self, src: &str, width: usize, base: Style) {
        if width != self.width || src.len() < self.committed_len {
            *self = TextCache {
                width,
                ..TextCache::default()
            };
        }
        if src.len() > BLOCK_THRESHOLD {
            if let Some(cut) = last_block_boundary(src, self.committed_len) {
                if cut > self.committed_len {
                    let chunk = &src[self.committed_len..cut];
                    self.committed.extend(markdown::render(chunk, width, base));
                    self.committed.push(Line::default());
                    self.committed_len = cut;
                    self.tail_valid = false;
                }
            }
        }
        if !self.tail_valid || self.tail_len != src.len() {
            self.tail = markdown::render(&src[self.committed_len..], width, base);
            self.tail_len = src.len();
            self.tail_valid = true;
        }
    }

    fn height(&self) -> usize {
        self.committed.len() + self.tail.len()
    }

    fn line(&self, i: usize) -> Option<&Line<'static>> {
        if i < self.committed.len() {
            self.committed.get(i)
        } else {
            self.tail.get(i - self.committed.len())
        }
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
    fn line(&self, i: usize) -> Option<&Line<'static>> {
        match self {
            Piece::Lines(l) => l.get(i),
            Piece::Text(_, t) => t.line(i),
        }
    }
}

struct MsgEntry {
    id: String,
    revision: u64,
    has_task: bool,
    pieces: Vec<Piece>,
    height: usize,
}

impl MsgEntry {
    fn line(&self, mut i: usize) -> Option<&Line<'static>> {
        for p in &self.pieces {
            let h = p.height();
            if i < h {
                return p.line(i);
            }
            i -= h;
        }
        None
    }
}

/// Cached layout of the shown session.
#[derive(Default)]
pub(crate) struct Cache {
    session: String,
    width: usize,
    epoch: u64,
    session_rev: u64,
    child_rev: u64,
    entries: Vec<MsgEntry>,
    /// `prefix[i]` = lines above message `i`; one more entry than `entries`.
    prefix: Vec<usize>,
}

impl Cache {
    pub(crate) fn total(&self) -> usize {
        self.prefix.last().copied().unwrap_or(0)
    }

    /// Display order of the session's messages: by id (opencode ids grow with time), so
    /// older history loaded later still lands above.
    fn order(session: &SessionState) -> Vec<usize> {
        let msgs = &session.messages;
        let sorted = msgs.windows(2).all(|w| w[0].id <= w[1].id);
        let mut order: Vec<usize> = (0..msgs.len()).collect();
        if !sorted {
            order.sort_by(|&a, &b| msgs[a].id.cmp(&msgs[b].id));
        }
        order
    }

    fn update(&mut self, store: &Store, session: &SessionState, view: &ViewState, width: usize) {
        let child_rev: u64 = store.children(&session.id).map(|c| c.revision).sum();
        if self.session != session.id || self.width != width {
            *self = Cache {
                session: session.id.clone(),
                width,
                session_rev: u64::MAX,
                ..Cache::default()
            };
        }
        let epoch_moved = self.epoch != view.epoch();
        let children_moved = self.child_rev != child_rev;
        if self.session_rev == session.revision && !epoch_moved && !children_moved {
            return;
        }
        self.epoch = view.epoch();
        self.child_rev = child_rev;
        self.session_rev = session.revision;
        let order = Self::order(session);
        let same_shape = order.len() == self.entries.len()
            && order
                .iter()
                .zip(&self.entries)
                .all(|(&i, e)| session.messages[i].id == e.id);
        if !same_shape {
            let mut old: HashMap<String, MsgEntry> =
                self.entries.drain(..).map(|e| (e.id.clone(), e)).collect();
            for &i in &order {
                let m = &session.messages[i];
                let e = old.remove(&m.id).unwrap_or(MsgEntry {
                    id: m.id.clone(),
                    revision: u64::MAX,
                    has_task: false,
                    pieces: Vec::new(),
                    height: 0,
                });
                self.entries.push(e);
            }
            self.prefix.clear();
        }
        let mut first_changed = if same_shape { usize::MAX } else { 0 };
        for (pos, &i) in order.iter().enumerate() {
            let m = &session.messages[i];
            let e = &mut self.entries[pos];
            let stale = e.revision != m.revision || epoch_moved || (children_moved && e.has_task);
            if stale {
                rebuild(e, m, pos == 0, store, session, view, width);
                first_changed = first_changed.min(pos);
            }
        }
        if self.prefix.len() != self.entries.len() + 1 {
            first_changed = 0;
            self.prefix.resize(self.entries.len() + 1, 0);
        }
        if first_changed != usize::MAX {
            for i in first_changed..self.entries.len() {
                self.prefix[i + 1] = self.prefix[i] + self.entries[i].height;
            }
        }
    }

    fn line(&self, i: usize) -> Option<&Line<'static>> {
        let idx = self.prefix.partition_point(|&p| p <= i).checked_sub(1)?;
        self.entries.get(idx)?.line(i - self.prefix[idx])
    }

    /// Index of the message holding line `i`, and the line's offset inside it.
    fn locate(&self, i: usize) -> Option<(usize, usize)> {
        let idx = self.prefix.partition_point(|&p| p <= i).checked_sub(1)?;
        (idx < self.entries.len()).then(|| (idx, i - self.prefix[idx]))
    }
}

fn rebuild(
    e: &mut MsgEntry,
    m: &Message,
    first: bool,
    store: &Store,
    session: &SessionState,
    view: &ViewState,
    width: usize,
) {
    let mut old_text: HashMap<String, Box<TextCache>> = e
        .pieces
        .drain(..)
        .filter_map(|p| match p {
            Piece::Text(id, t) => Some((id, t)),
            Piece::Lines(_) => None,
        })
        .collect();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut lines: Vec<Line<'static>> = Vec::new();
    e.has_task = false;
    match m.role {
        Role::User => {
            let text = m.text();
            let bar = [Span::styled("▌ ", theme::user_bar())];
            for l in text.trim_end().split('\n') {
                lines.extend(wrap::wrap_words(
                    &[Span::styled(l, theme::user_text())],
                    width,
                    &bar,
                    &bar,
                ));
            }
        }
        Role::Assistant | Role::Unknown => {
            let flush = |lines: &mut Vec<Line<'static>>, pieces: &mut Vec<Piece>| {
                if !lines.is_empty() {
                    pieces.push(Piece::Lines(std::mem::take(lines)));
                }
            };
            for part in &m.parts {
                match &part.kind {
                    PartKind::Text { text, synthetic } => {
                        if *synthetic || text.trim().is_empty() {
                            continue;
                        }
                        flush(&mut lines, &mut pieces);
                        let mut t = old_text.remove(&part.id).unwrap_or_default();
                        t.update(text.trim_end(), width, theme::base());
                        pieces.push(Piece::Text(part.id.clone(), t));
                    }
                    PartKind::Reasoning { text } => {
                        if text.trim().is_empty() {
                            continue;
                        }
                        let collapsed = view.reasoning_collapsed(&part.id);
                        let n = text.trim().lines().count();
                        let head = if collapsed {
                            format!("▸ thinking · {n} lines (ctrl+r shows)")
                        } else {
                            "▾ thinking".to_string()
                        };
                        lines.push(Line::from(Span::styled(head, theme::reasoning())));
                        if !collapsed {
                            flush(&mut lines, &mut pieces);
                            let mut t = old_text.remove(&part.id).unwrap_or_default();
                            t.update(text.trim(), width, theme::reasoning());
                            pieces.push(Piece::Text(part.id.clone(), t));
                        }
                    }
                    PartKind::Tool(call) => {
                        e.has_task |= call.tool == "task";
                        let expanded = view.tool_expanded(&part.id);
                        lines.extend(tools::render(call, width, expanded, store, session));
                    }
                    PartKind::StepStart | PartKind::StepFinish { .. } | PartKind::Other { .. } => {}
                }
            }
            if let Some(err) = &m.error {
                if err.name != "MessageAbortedError" {
                    lines.extend(error_lines(&err.message(), width));
                } else {
                    lines.push(Line::from(Span::styled(
                        "  ■ interrupted",
                        theme::warning(),
                    )));
                }
            }
            if let Some(f) = footer(m) {
                lines.push(f);
            }
            flush(&mut lines, &mut pieces);
        }
    }
    if !lines.is_empty() {
        pieces.push(Piece::Lines(lines));
    }
    // A message with nothing to show takes no room (not even its separator).
    if !first && pieces.iter().any(|p| p.height() > 0) {
        pieces.insert(0, Piece::Lines(vec![Line::default()]));
    }
    e.height = pieces.iter().map(Piece::height).sum();
    e.pieces = pieces;
    e.revision = m.revision;
}

/// `✗ error: ...` lines for an error message.
pub fn error_lines(msg: &str, width: usize) -> Vec<Line<'static>> {
    let first = [Span::styled("✗ error: ", theme::error_bold())];
    let rest = [Span::raw("         ")];
    let mut out = Vec::new();
    for (i, l) in msg.trim().lines().enumerate() {
        let p: &[Span<'static>] = if i == 0 { &first } else { &rest };
        out.extend(wrap::wrap_words(
            &[Span::styled(l, theme::error())],
            width,
            p,
            &rest,
        ));
    }
    out
}

fn footer(m: &Message) -> Option<Line<'static>> {
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
    if let (Some(c), Some(d)) = (m.created_ms, m.completed_ms) {
        bits.push(format!("{:.1}s", (d - c).max(0.0) / 1000.0));
    }
    Some(Line::from(Span::styled(
        format!("▣ {}", bits.join(" · ")),
        theme::dim(),
    )))
}

/// Draws the transcript of `view`'s session, followed by `tail` (queued prompts, notes).
/// Updates the view's cache and scroll position (interior mutability; the store is read only).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    store: &Store,
    view: &ViewState,
    tail: &[Line<'static>],
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let session = view.session_id.as_deref().and_then(|id| store.session(id));
    let Some(session) = session else {
        let mut lines = vec![Line::from(Span::styled(
            "No session yet: type a prompt and press Enter (F1 for keys).",
            theme::hint(),
        ))];
        lines.extend(tail.iter().cloned());
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    let width = area.width as usize;
    let height = area.height as usize;
    let mut cache = view.cache.borrow_mut();
    cache.update(store, session, view, width);
    let body = cache.total();
    let total = body + tail.len();
    let max_top = total.saturating_sub(height);
    let top = resolve_top(&cache, view, max_top);
    let mut lines = Vec::with_capacity(height);
    for i in top..(top + height).min(total) {
        let l = if i < body {
            cache.line(i).cloned()
        } else {
            tail.get(i - body).cloned()
        };
        lines.push(l.unwrap_or_default());
    }
    view.set_metrics(total, height, top);
    drop(cache);
    frame.render_widget(Paragraph::new(lines), area);
    if top < max_top {
        let below = max_top - top;
        let label = format!(" ↓ {below} more lines (End) ");
        let w = wrap::width(&label) as u16;
        if area.width > w {
            let r = Rect::new(area.right() - w, area.bottom() - 1, w, 1);
            frame.render_widget(Paragraph::new(Span::styled(label, theme::selected())), r);
        }
    }
}

/// Turns the view's scroll state (follow / anchored at a message line / pending moves)
/// into the top line for this frame, and stores the new anchor.
fn resolve_top(cache: &Cache, view: &ViewState, max_top: usize) -> usize {
    let mut scroll = view.scroll.borrow_mut();
    let delta = view.pending.replace(0);
    let base = match &*scroll {
        Scroll::Follow => max_top,
        Scroll::Top => 0,
        Scroll::Anchor { message, offset } => cache
            .entries
            .iter()
            .position(|e| &e.id == message)
            .map(|i| cache.prefix[i] + offset)
            .unwrap_or(max_top),
    };
    let top = (base as isize + delta).clamp(0, max_top as isize) as usize;
    if top >= max_top && (delta > 0 || matches!(*scroll, Scroll::Follow)) {
        *scroll = Scroll::Follow;
    } else if let Some((idx, off)) = cache.locate(top) {
        *scroll = Scroll::Anchor {
            message: cache.entries[idx].id.clone(),
            offset: off,
        };
    } else {
        *scroll = Scroll::Top;
    }
    top
}
