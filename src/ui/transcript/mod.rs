//! The transcript pane: one session's messages as wrapped, styled lines.
//!
//! Invariant: a frame costs O(visible lines + messages), never O(transcript text). Only
//! the messages the viewport shows (and those a scroll moves across) are laid out
//! (`message::MsgLayout`, cached per message id, revision, width and view epoch); every
//! other message counts with a cheap estimated height until it is shown. Cumulative
//! heights give the message at any line by binary search. Scroll positions are anchored
//! at (message, line in it), so estimates turning exact above the view never move it, and
//! following the bottom only needs the last messages exact. A resize drops the layouts
//! and lays out the visible messages again: its cost does not grow with the transcript.

pub(crate) mod body;
pub(crate) mod compaction;
pub(crate) mod diff;
pub(crate) mod highlight;
pub(crate) mod markdown;
pub(crate) mod message;
pub(crate) mod text_cache;
pub(crate) mod tools;
pub(crate) mod wrap;

use crate::model::state::{SessionState, Store};
use crate::ui::app::view::{Scroll, ViewState};
use crate::ui::theme;
use crate::ui::transcript::message::{Extent, MsgLayout};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::cell::RefCell;
use std::collections::HashMap;

pub use message::error_lines;

/// Most layout rounds a frame runs while estimates turn exact (each round lays out at
/// least one more message, so the loop ends anyway; this caps a pathological frame).
const MAX_ROUNDS: usize = 64;

struct Entry {
    id: String,
    /// Revision of the message the layout (when `valid`) or the estimate is for.
    revision: u64,
    /// The layout matches the message, the width, the epoch and the position.
    valid: bool,
    /// `height` comes from a layout at this width (possibly of an older revision).
    measured: bool,
    first: bool,
    layout: MsgLayout,
    /// Exact when `valid`, else an estimate (or the last layout's height).
    height: usize,
    /// (revision, extent) for estimates at any width.
    extent: Option<(u64, Extent)>,
}

impl Entry {
    fn new(id: &str) -> Entry {
        Entry {
            id: id.to_string(),
            revision: u64::MAX,
            valid: false,
            measured: false,
            first: false,
            layout: MsgLayout::default(),
            height: 0,
            extent: None,
        }
    }
}

/// Cached layout of the shown session.
#[derive(Default)]
pub(crate) struct Cache {
    session: String,
    width: usize,
    /// The view's epoch and the theme the layouts were drawn in (lines carry colours).
    epoch: (u64, usize),
    session_rev: u64,
    child_rev: u64,
    entries: Vec<Entry>,
    /// `entries[i]` shows `session.messages[order[i]]`.
    order: Vec<usize>,
    index: HashMap<String, usize>,
    /// `prefix[i]` = lines above message `i`; one more entry than `entries`.
    prefix: Vec<usize>,
    /// `prefix` is exact up to and including this index.
    clean_upto: usize,
    /// Messages laid out since the cache was made (for tests and benches).
    pub(crate) layouts: u64,
}

impl Cache {
    pub(crate) fn total(&self) -> usize {
        self.prefix.last().copied().unwrap_or(0)
    }

    /// Display order of the session's messages: by id (opencode ids grow with time), so
    /// older history loaded later still lands above.
    /// Messages undone by a revert (`/undo`) are left out.
    fn order(session: &SessionState) -> Vec<usize> {
        let msgs = &session.messages;
        let sorted = msgs.windows(2).all(|w| w[0].id <= w[1].id);
        let mut order: Vec<usize> = (0..msgs.len()).collect();
        if session.revert.is_some() {
            order.retain(|&i| !session.reverted(&msgs[i]));
        }
        if !sorted {
            order.sort_by(|&a, &b| msgs[a].id.cmp(&msgs[b].id));
        }
        order
    }

    fn dirty(&mut self, i: usize) {
        self.clean_upto = self.clean_upto.min(i);
    }

    fn fix_prefix(&mut self) {
        if self.prefix.len() != self.entries.len() + 1 {
            self.prefix.resize(self.entries.len() + 1, 0);
            self.clean_upto = 0;
        }
        for i in self.clean_upto..self.entries.len() {
            self.prefix[i + 1] = self.prefix[i] + self.entries[i].height;
        }
        self.clean_upto = self.entries.len();
    }

    /// Syncs the entries with the session: new / reordered messages, stale layouts
    /// (revision, epoch, children of `task` calls, width). Lays nothing out: messages not
    /// laid out get an estimated height. O(messages), plus O(text) of new messages.
    fn update(&mut self, store: &Store, session: &SessionState, view: &ViewState, width: usize) {
        let child_rev: u64 = store.children(&session.id).map(|c| c.revision).sum();
        if self.session != session.id {
            *self = Cache {
                session: session.id.clone(),
                width,
                session_rev: u64::MAX,
                layouts: self.layouts,
                ..Cache::default()
            };
        }
        if self.width != width {
            self.width = width;
            self.session_rev = u64::MAX;
            // Layouts stay until laid out again (freeing them all here would cost
            // O(transcript)); only what the new frame shows is laid out.
            for e in &mut self.entries {
                e.valid = false;
                e.measured = false;
                e.revision = u64::MAX;
            }
        }
        let now = (view.epoch(), crate::ui::theme::id());
        let epoch_moved = self.epoch != now;
        let children_moved = self.child_rev != child_rev;
        if self.session_rev == session.revision && !epoch_moved && !children_moved {
            return;
        }
        self.epoch = now;
        self.child_rev = child_rev;
        self.session_rev = session.revision;
        self.order = Self::order(session);
        let same_shape = self.order.len() == self.entries.len()
            && self
                .order
                .iter()
                .zip(&self.entries)
                .all(|(&i, e)| session.messages[i].id == e.id);
        if !same_shape {
            let mut old: HashMap<String, Entry> =
                self.entries.drain(..).map(|e| (e.id.clone(), e)).collect();
            for &i in &self.order {
                let m = &session.messages[i];
                let e = old.remove(&m.id).unwrap_or_else(|| Entry::new(&m.id));
                self.entries.push(e);
            }
            self.index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.clone(), i))
                .collect();
            self.clean_upto = 0;
        }
        for (pos, &i) in self.order.iter().enumerate() {
            let m = &session.messages[i];
            let e = &mut self.entries[pos];
            let first = pos == 0;
            if e.valid
                && (e.revision != m.revision
                    || epoch_moved
                    || e.first != first
                    || (children_moved && e.layout.has_task))
            {
                e.valid = false;
            }
            if !e.valid && !e.measured && e.revision != m.revision {
                let extent = match e.extent {
                    Some((rev, x)) if rev == m.revision => x,
                    _ => Extent::of(m),
                };
                e.extent = Some((m.revision, extent));
                let h = extent.height(width) - usize::from(first);
                e.revision = m.revision;
                if h != e.height {
                    e.height = h;
                    self.clean_upto = self.clean_upto.min(pos);
                }
            }
        }
        self.fix_prefix();
    }

    /// Lays out the messages holding lines `lo..hi` that are not laid out. Returns true
    /// when a height changed (the prefix moved; the caller resolves its lines again).
    fn ensure(
        &mut self,
        lo: usize,
        hi: usize,
        store: &Store,
        session: &SessionState,
        view: &ViewState,
    ) -> bool {
        let body = self.total();
        if self.entries.is_empty() || lo >= body {
            return false;
        }
        let mut start = self.prefix.partition_point(|&p| p <= lo).saturating_sub(1);
        // Messages that took no room (empty so far) sit on the same line: they count too.
        while start > 0 && self.prefix[start - 1] == self.prefix[start] {
            start -= 1;
        }
        let mut changed = false;
        let mut i = start;
        while i < self.entries.len()
            && (i == start || self.prefix[i] < hi || self.entries[i].height == 0)
        {
            let e = &mut self.entries[i];
            if !e.valid {
                let m = &session.messages[self.order[i]];
                let first = i == 0;
                e.layout.rebuild(m, first, store, session, view, self.width);
                self.layouts += 1;
                e.valid = true;
                e.measured = true;
                e.first = first;
                e.revision = m.revision;
                if e.layout.height() != e.height {
                    e.height = e.layout.height();
                    changed = true;
                    self.dirty(i);
                }
            }
            i += 1;
        }
        self.fix_prefix();
        changed
    }

    fn line(&self, i: usize, session: &SessionState) -> Option<Line<'static>> {
        let (idx, off) = self.locate(i)?;
        let e = &self.entries[idx];
        let m = &session.messages[self.order[idx]];
        e.valid.then(|| e.layout.line(off, m)).flatten()
    }

    /// Index of the message holding line `i`, and the line's offset inside it.
    fn locate(&self, i: usize) -> Option<(usize, usize)> {
        let idx = self.prefix.partition_point(|&p| p <= i).checked_sub(1)?;
        (idx < self.entries.len()).then(|| (idx, i - self.prefix[idx]))
    }

    /// Tool headers on lines `top..top + height`: (row from the top, part id).
    fn tools_in(&self, top: usize, height: usize) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let Some((mut idx, _)) = self.locate(top) else {
            return out;
        };
        while idx < self.entries.len() && self.prefix[idx] < top + height {
            let e = &self.entries[idx];
            if e.valid {
                for (off, id) in &e.layout.tools {
                    let line = self.prefix[idx] + off;
                    if (top..top + height).contains(&line) {
                        out.push((line - top, id.clone()));
                    }
                }
            }
            idx += 1;
        }
        out
    }

    /// Messages with a line on lines `top..top + height`: (row of its first shown line,
    /// message id), top to bottom.
    fn messages_in(&self, top: usize, height: usize) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let Some((mut idx, _)) = self.locate(top) else {
            return out;
        };
        while idx < self.entries.len() && self.prefix[idx] < top + height {
            if self.entries[idx].height > 0 {
                let row = self.prefix[idx].saturating_sub(top);
                out.push((row, self.entries[idx].id.clone()));
            }
            idx += 1;
        }
        out
    }
}

/// The laid-out messages of the shown session, kept between frames by whoever owns the
/// `ViewState` (the app, the replay view).
#[derive(Default)]
pub struct LayoutCache(RefCell<Cache>);

impl LayoutCache {
    /// Messages laid out so far (benches and tests check laziness).
    #[doc(hidden)]
    pub fn layouts(&self) -> u64 {
        self.0.borrow().layouts
    }
}

/// Draws the transcript of `view`'s session, followed by `tail` (queued prompts, notes).
/// Updates `cache` and the view's scroll position (interior mutability; the store is read
/// only).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    store: &Store,
    view: &ViewState,
    cache: &LayoutCache,
    tail: &[Line<'static>],
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let session = view.session_id.as_deref().and_then(|id| store.session(id));
    let Some(session) = session else {
        view.set_visible_tools(area, Vec::new());
        view.set_visible_messages(Vec::new());
        // A session named but not seen yet (replay before its first event) is not an
        // invitation to type.
        let hint = if view.session_id.is_some() {
            "Nothing in this session yet."
        } else {
            "No session yet: type a prompt and press Enter (F1 for keys)."
        };
        let mut lines = vec![Line::from(Span::styled(hint, theme::hint()))];
        lines.extend(tail.iter().cloned());
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    let width = area.width as usize;
    let height = area.height as usize;
    let mut cache = cache.0.borrow_mut();
    cache.update(store, session, view, width);
    let top = resolve_top(&mut cache, store, session, view, height, tail.len());
    let body = cache.total();
    let total = body + tail.len();
    let max_top = total.saturating_sub(height);
    let marker = top < max_top && height > 1;
    let tools = cache.tools_in(top, height - usize::from(marker));
    let shown = cache.messages_in(top, height - usize::from(marker));
    let focused = view.focused_tool();
    let mut lines = Vec::with_capacity(height);
    for i in top..(top + height).min(total) {
        let l = if i < body {
            cache.line(i, session)
        } else {
            tail.get(i - body).cloned()
        };
        let mut l = l.unwrap_or_default();
        if let Some(mark) = view.search.as_ref().filter(|_| i < body) {
            l = crate::ui::overlay::find::highlight(l, &mark.query, current_in(&cache, i, mark));
        }
        let row = i - top;
        if focused.is_some_and(|f| tools.iter().any(|(r, id)| *r == row && id == f)) {
            // Every span, not just the line: a span's own colour (cyan names) would
            // otherwise stay on the cyan highlight and vanish.
            l = l.patch_style(theme::selected());
            for span in &mut l.spans {
                span.style = span.style.patch(theme::selected());
            }
        }
        lines.push(l);
    }
    view.set_metrics(total, height, top);
    view.set_visible_tools(area, tools);
    view.set_visible_messages(shown);
    drop(cache);
    frame.render_widget(Paragraph::new(lines), area);
    if marker {
        // The marker takes the whole last row (it never covers the end of a text line):
        // that row's line counts as one more below.
        let below = max_top - top + 1;
        let label = format!(
            " ↓ {below} more {} (End) ",
            crate::ui::words::noun(below, "line")
        );
        let w = wrap::width(&label) as u16;
        let row = Rect::new(area.x, area.bottom() - 1, area.width, 1);
        frame.render_widget(ratatui::widgets::Clear, row);
        if area.width > w {
            let r = Rect::new(area.right() - w, area.bottom() - 1, w, 1);
            frame.render_widget(Paragraph::new(Span::styled(label, theme::selected())), r);
        }
    }
}

/// Turns the view's scroll state (follow / anchored at a message line / pending moves)
/// into the top line for this frame, laying out what it shows (and what a scroll moved
/// across, so a scroll counts exact lines), and stores the new anchor.
fn resolve_top(
    cache: &mut Cache,
    store: &Store,
    session: &SessionState,
    view: &ViewState,
    height: usize,
    tail: usize,
) -> usize {
    let mut scroll = view.scroll.borrow_mut();
    let delta = view.pending.replace(0);
    let mut top = 0;
    let mut max_top = 0;
    for _ in 0..MAX_ROUNDS {
        max_top = (cache.total() + tail).saturating_sub(height);
        // (first line of the anchor's message, the anchored line)
        let (from, base) = match &*scroll {
            Scroll::Follow => (max_top, max_top),
            Scroll::Top => (0, 0),
            Scroll::Anchor { message, offset } => match cache.index.get(message) {
                Some(&i) => (cache.prefix[i], cache.prefix[i] + offset),
                None => (max_top, max_top),
            },
        };
        top = (base as isize + delta).clamp(0, max_top as isize) as usize;
        let lo = top.min(from);
        let hi = (top + height).max(base + 1);
        if !cache.ensure(lo, hi, store, session, view) {
            break;
        }
    }
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

/// The occurrence of the search's current match on transcript line `i`, if it is there.
fn current_in(cache: &Cache, i: usize, mark: &crate::ui::app::view::SearchMark) -> Option<usize> {
    let (mid, line, k) = mark.current.as_ref()?;
    let (idx, off) = cache.locate(i)?;
    (cache.entries[idx].id == *mid && off == *line).then_some(*k)
}
