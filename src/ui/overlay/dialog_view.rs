//! Approval safety, "what you approve is what you saw": how a dialog's body scrolls. A
//! body that does not fit shows how many lines are hidden above and below and a
//! scrollbar; the frame in which its last line is drawn records the request as seen
//! (`Tracking`), and until then the dialog shows its "read to the end" key line instead
//! of its choices. `DialogView` keeps what the last frame drew (scroll offset, page
//! height) for the scroll keys, and the wrapped body per width, so a 10,000-character
//! command is wrapped once, not on every frame.

use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Borders, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};
use ratatui::Frame;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

/// Clears `area` and draws a dialog frame; returns the inner area.
pub fn frame(frame: &mut Frame, area: Rect, title: &str, right: &str) -> Rect {
    frame.render_widget(Clear, area);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme::dialog_border())
        .title(Line::from(Span::styled(
            format!(" {} ", crate::safe_text::one_line(title)),
            theme::dialog_title(),
        )));
    if !right.is_empty() {
        block = block.title(
            Line::from(Span::styled(format!(" {right} "), theme::dialog_title())).right_aligned(),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // One column of padding inside the frame.
    Rect::new(
        inner.x.saturating_add(1).min(inner.right()),
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    )
}

/// What a dialog shows. `body` and `keys` build their lines for an inner width (it depends
/// on whether the dialog has room for its frame). The body scrolls; the hint and the key
/// lines stay at the bottom.
pub struct DialogParts<'a> {
    pub title: &'a str,
    pub right: &'a str,
    /// The body lines, and the index of a line to keep in view (a cursor), if any.
    pub body: &'a dyn Fn(usize) -> (Vec<Line<'static>>, Option<usize>),
    pub hint: Option<Line<'static>>,
    pub keys: &'a dyn Fn(usize) -> Vec<Line<'static>>,
    pub scroll: u16,
}

impl DialogParts<'_> {
    pub(crate) fn hint_lines(&self, width: usize) -> Vec<Line<'static>> {
        match &self.hint {
            Some(h) => crate::ui::transcript::wrap::wrap_words(&h.spans, width, &[], &[]),
            None => Vec::new(),
        }
    }

    /// Height the dialog wants at `width` (frame included): everything, no scrolling.
    pub fn wanted_height(&self, width: u16) -> u16 {
        let w = width.saturating_sub(4) as usize;
        let n = (self.body)(w).0.len() + self.hint_lines(w).len() + (self.keys)(w).len();
        (n + 2) as u16
    }

    /// The least height that shows the request (two body lines, and the hidden-lines
    /// marker when there are more) and the keys, framed.
    pub fn min_height(&self, width: u16) -> u16 {
        let w = width.saturating_sub(4) as usize;
        let body = (self.body)(w).0.len();
        (body.min(2) + usize::from(body > 2) + (self.keys)(w).len() + 2) as u16
    }

    /// Draws the dialog into `area` (dialog_view.rs: the body scrolls, a marker and a
    /// scrollbar say what is hidden).
    pub fn render(&self, f: &mut Frame, area: Rect) {
        render(self, f, area, None);
    }

    /// Draws the dialog of a live request, which records when its end has been seen.
    pub fn render_tracked(&self, f: &mut Frame, area: Rect, t: &Tracking) {
        render(self, f, area, Some(t));
    }

    /// Height the dialog wants at `width` when its key lines until seen are `unseen`.
    /// (The rows of the keys and of the hint are the most of either state.)
    pub fn wanted_height_tracked(
        &self,
        width: u16,
        unseen: &dyn Fn(usize) -> Vec<Line<'static>>,
        unseen_hint: Option<&Line<'static>>,
    ) -> u16 {
        let w = width.saturating_sub(4) as usize;
        let extra = unseen(w).len().saturating_sub((self.keys)(w).len());
        let hint = unseen_hint
            .map(|h| crate::ui::transcript::wrap::wrap_words(&h.spans, w, &[], &[]).len())
            .unwrap_or(0);
        let extra_hint = hint.saturating_sub(self.hint_lines(w).len());
        self.wanted_height(width) + (extra + extra_hint) as u16
    }

    /// The least height of a tracked dialog (see [`DialogParts::wanted_height_tracked`]).
    pub fn min_height_tracked(
        &self,
        width: u16,
        unseen: &dyn Fn(usize) -> Vec<Line<'static>>,
    ) -> u16 {
        let w = width.saturating_sub(4) as usize;
        let extra = unseen(w).len().saturating_sub((self.keys)(w).len()) as u16;
        self.min_height(width) + extra
    }
}

/// Wrapped bodies kept per dialog (the framed and the unframed width, and one more).
const CACHED_WIDTHS: usize = 3;

/// What the last frame of one dialog drew, shared by the copies of its state that are
/// drawn (an `Rc` in the dialog's state), and its wrapped body.
#[derive(Debug, Default)]
pub struct DialogView {
    /// The scroll offset drawn last (after clamping); `None` before the first frame.
    shown: Cell<Option<u16>>,
    max_scroll: Cell<u16>,
    page: Cell<u16>,
    /// The parts (question tabs) whose last line has been drawn.
    ends: RefCell<BTreeSet<usize>>,
    bodies: RefCell<Vec<(String, Rc<Vec<Line<'static>>>)>>,
}

/// A view is a cache of drawing, not state: two dialog states compare equal whatever
/// their views hold.
impl PartialEq for DialogView {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl DialogView {
    /// The body wrapped for `key` (width and whatever else shapes it), made once.
    pub fn body(
        &self,
        key: String,
        make: impl FnOnce() -> Vec<Line<'static>>,
    ) -> Rc<Vec<Line<'static>>> {
        // The lines carry the theme's colours.
        let key = format!("{key}/{}", crate::ui::theme::id());
        let mut bodies = self.bodies.borrow_mut();
        if let Some(i) = bodies.iter().position(|(k, _)| *k == key) {
            let hit = bodies.remove(i);
            let lines = Rc::clone(&hit.1);
            bodies.insert(0, hit);
            return lines;
        }
        let lines = Rc::new(make());
        bodies.insert(0, (key, Rc::clone(&lines)));
        bodies.truncate(CACHED_WIDTHS);
        lines
    }

    /// True when a scroll key that way (`up`) would move the dialog's body: it was drawn
    /// taller than its room and is not at that end yet (before the first frame: true).
    pub fn can_scroll(&self, up: bool) -> bool {
        match self.shown.get() {
            None => true,
            Some(at) if up => at > 0,
            Some(at) => at < self.max_scroll.get(),
        }
    }

    /// True once the last line of `part` has been drawn.
    pub fn end_seen(&self, part: usize) -> bool {
        self.ends.borrow().contains(&part)
    }

    /// The scroll offset drawn last, or `fallback` before the first frame.
    pub fn shown_scroll(&self, fallback: u16) -> u16 {
        self.shown.get().unwrap_or(fallback)
    }

    /// The new scroll offset for a scroll key (↑ ↓ j k by a line when `lines`, PgUp PgDn
    /// by a page, Home End), or `None` for any other key. Scroll keys never answer.
    pub fn scroll_key(&self, key: &KeyEvent, scroll: u16, lines: bool) -> Option<u16> {
        let drawn = self.shown.get().is_some();
        let base = self.shown_scroll(scroll);
        let max = if drawn {
            self.max_scroll.get()
        } else {
            u16::MAX
        };
        let page = if drawn { self.page.get().max(1) } else { 10 };
        let new = match key.code {
            KeyCode::Up | KeyCode::Char('k') if lines => base.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') if lines => base.saturating_add(1),
            KeyCode::PageUp => base.saturating_sub(page),
            KeyCode::PageDown => base.saturating_add(page),
            KeyCode::Home => 0,
            KeyCode::End => max,
            _ => return None,
        };
        Some(new.min(max))
    }
}

/// How a live dialog tracks that its request has been seen.
pub struct Tracking<'a> {
    /// The app's "seen" flag: set in a frame that draws the last line of part 0.
    pub seen: &'a Cell<bool>,
    pub view: &'a DialogView,
    /// Which part of the request the body is (a question's tab; 0 for a permission).
    pub part: usize,
    /// Whether this part was seen before this frame.
    pub seen_before: bool,
    /// The key lines shown until the part has been seen.
    pub unseen_keys: &'a dyn Fn(usize) -> Vec<Line<'static>>,
    /// The hint shown until the part has been seen.
    pub unseen_hint: Option<Line<'static>>,
}

/// The "read to the end" key line of a request not yet seen to its end.
pub fn read_to_end(width: usize) -> Vec<Line<'static>> {
    let full = crate::ui::transcript::wrap::wrap_words(
        &[
            Span::styled("↓", theme::key()),
            Span::styled(" read to the end to answer", theme::warning()),
            Span::styled(" · PgDn End", theme::hint()),
        ],
        width,
        &[],
        &[],
    );
    // A narrow screen: one row, so the request itself keeps the rows.
    // (The marker above it names the keys.)
    let short = Line::from(vec![
        Span::styled("↓", theme::key()),
        Span::styled(" read to the end to answer", theme::warning()),
    ]);
    if full.len() > 1 && short.width() <= width {
        vec![short]
    } else {
        full
    }
}

/// The marker of a body that does not fit: how many lines are hidden, and the key.
/// `keys`: whether the dialog scrolls with ↓/PgDn (a live request does).
fn marker(above: usize, below: usize, width: usize, keys: bool) -> Line<'static> {
    use crate::ui::words::{count, noun};
    let k = if keys { " · ↓/PgDn" } else { "" };
    let (text, style) = match (above, below) {
        (0, b) => (
            format!("↓ {b} more {}{k}", noun(b, "line")),
            theme::warning(),
        ),
        (a, 0) => (
            format!("↑ {} above · end of request", count(a, "line")),
            theme::hint(),
        ),
        (a, b) => (
            format!("↑ {a} · ↓ {b} more {}{k}", noun(b, "line")),
            theme::warning(),
        ),
    };
    Line::from(Span::styled(
        crate::ui::transcript::wrap::truncate(&text, width),
        style,
    ))
}

/// Draws `p` into `area`. Rows go to the keys first, then two body lines, then the
/// frame (without room for it, a title row), then the hidden-lines marker, then the
/// hint, then the rest of the body, which scrolls.
pub fn render(p: &DialogParts, f: &mut Frame, area: Rect, t: Option<&Tracking>) {
    if area.height == 0 || area.width < 4 {
        return;
    }
    // Until the request has been seen, rows for the keys and the hint of either state
    // (the frame that draws the end switches to the choices in place).
    let tracked = t.filter(|t| !t.seen_before);
    let keys_at = |w: usize| {
        let seen = (p.keys)(w);
        let unseen = tracked.map(|t| (t.unseen_keys)(w)).unwrap_or_default();
        (seen.len().max(unseen.len()) as u16, seen, unseen)
    };
    let framed_w = area.width.saturating_sub(4) as usize;
    let framed_keys = keys_at(framed_w).0;
    let body_min = (len16((p.body)(framed_w).0.len())).min(2);
    let inner = if area.height >= framed_keys + 4 {
        frame(f, area, p.title, p.right)
    } else if area.height < framed_keys + body_min + 1 {
        // Not even a title row: the request and the keys come first.
        f.render_widget(Clear, area);
        Rect::new(area.x + 1, area.y, area.width - 2, area.height)
    } else {
        // No room for a frame: a title row, and one column of padding.
        f.render_widget(Clear, area);
        let title = Line::from(Span::styled(
            crate::ui::transcript::wrap::truncate(&format!(" {} ", p.title), area.width as usize),
            theme::dialog_title(),
        ));
        f.render_widget(Paragraph::new(title), area);
        let rest = area.height.saturating_sub(1);
        Rect::new(
            area.x + 1,
            area.y + area.height - rest,
            area.width - 2,
            rest,
        )
    };
    let width = inner.width as usize;
    let (keys_h, keys_seen, keys_unseen) = keys_at(width);
    let keys_h = keys_h.min(inner.height);
    let (body, keep) = (p.body)(width);
    let n = len16(body.len());
    let hint_seen = p.hint_lines(width);
    let hint_unseen = tracked
        .and_then(|t| t.unseen_hint.as_ref())
        .map(|h| crate::ui::transcript::wrap::wrap_words(&h.spans, width, &[], &[]))
        .unwrap_or_default();
    let mut hint_h = len16(hint_seen.len().max(hint_unseen.len()));
    let room = inner.height - keys_h;
    let seen_before = tracked.is_none();
    let (body_h, marker_h) = if n + hint_h <= room {
        (room - hint_h, 0)
    } else if n <= room {
        // The whole request rather than the hint.
        hint_h = 0;
        (room, 0)
    } else {
        // A request not yet seen always says what is hidden; one seen already, under
        // three rows, keeps two lines of it and the scrollbar alone says that more follows.
        let marker_h = u16::from(room >= 3 || (room == 2 && tracked.is_some()));
        if room < marker_h + body_min + hint_h {
            hint_h = 0;
        }
        (room - marker_h - hint_h, marker_h)
    };
    let max_scroll = n.saturating_sub(body_h);
    let mut scroll = p.scroll.min(max_scroll);
    if let Some(k) = keep.map(len16).filter(|_| seen_before) {
        if k < scroll {
            scroll = k;
        } else if body_h > 0 && k >= scroll + body_h {
            scroll = k + 1 - body_h;
        }
    }
    // Seen is a fact of drawing: this frame draws the last line. (Counted in `usize`: a
    // body of more than 65,535 rows can never be scrolled to its end, so never seen.)
    let shows_end =
        body.is_empty() || (body_h > 0 && scroll as usize + body_h as usize >= body.len());
    if let Some(t) = t {
        t.view.shown.set(Some(scroll));
        t.view.max_scroll.set(max_scroll);
        // A page keeps one line of the last one in view, when there are lines to spare.
        t.view.page.set(if body_h > 3 {
            body_h - 1
        } else {
            body_h.max(1)
        });
        if shows_end {
            t.view.ends.borrow_mut().insert(t.part);
            if t.part == 0 {
                t.seen.set(true);
            }
        }
    }
    let (keys, hint) = if t.is_none() || seen_before || shows_end {
        (keys_seen, hint_seen)
    } else {
        (keys_unseen, hint_unseen)
    };
    let hint = if hint_h > 0 { hint } else { Vec::new() };
    let at = |y: u16, h: u16| Rect::new(inner.x, inner.y + y, inner.width, h);
    let from = (scroll as usize).min(body.len());
    let to = (from + body_h as usize).min(body.len());
    f.render_widget(Paragraph::new(body[from..to].to_vec()), at(0, body_h));
    if n > body_h && body_h > 0 && inner.right() < area.right() {
        let mut state = ScrollbarState::new(max_scroll as usize + 1)
            .position(scroll as usize)
            .viewport_content_length(body_h as usize);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some("│"))
            .thumb_symbol("█")
            .track_style(theme::dim())
            .thumb_style(theme::warning());
        let col = Rect::new(inner.right(), inner.y, 1, body_h);
        f.render_stateful_widget(bar, col, &mut state);
    }
    if marker_h > 0 {
        let above = scroll as usize;
        let below = body.len().saturating_sub(scroll as usize + body_h as usize);
        f.render_widget(
            Paragraph::new(marker(above, below, width, t.is_some())),
            at(body_h, marker_h),
        );
    }
    f.render_widget(Paragraph::new(hint), at(body_h + marker_h, hint_h));
    f.render_widget(Paragraph::new(keys), at(body_h + marker_h + hint_h, keys_h));
}

fn len16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// "this session" / "subagent 'title'" / "session 'title'".
pub fn session_label(store: &crate::model::state::Store, sid: &str, shown: Option<&str>) -> String {
    let s = store.session(sid);
    let title = s
        .and_then(|s| s.title.clone())
        .unwrap_or_else(|| sid.to_string());
    match shown {
        Some(me) if me == sid => "this session".into(),
        Some(me) if store.is_in_tree(sid, me) => format!("subagent \"{title}\""),
        _ if s.and_then(|s| s.parent_id.as_ref()).is_some() => format!("subagent \"{title}\""),
        _ => format!("session \"{title}\""),
    }
}
