//! Shared pieces of popups: where a popup goes, its frame, and a one-line text field
//! (for a reject message, an "Other" answer). The frame and the scrolling body of a
//! dialog are in dialog_view.rs.

use crate::model::state::Store;
pub use crate::ui::overlay::dialog_view::{frame, DialogParts};
use crate::ui::prompt::line_edit::{Edit, LineField};
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// True for a key that may answer a dialog: no Ctrl, Alt, Super or Meta (Shift, which
/// comes with capitals, aside). A Ctrl+A typed out of habit must never allow anything.
pub fn plain(key: &KeyEvent) -> bool {
    key.modifiers.difference(KeyModifiers::SHIFT).is_empty()
}

/// A rectangle of `height` rows at the bottom of `area` (full width, capped to the area).
pub fn bottom(area: Rect, height: u16) -> Rect {
    let h = height.min(area.height);
    Rect::new(area.x, area.bottom() - h, area.width, h)
}

/// A centred rectangle of at most `w` x `h`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A one-line text field: the line-editing keys of every field (prompt/line_edit.rs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    field: LineField,
}

/// What a key did to a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    Edited,
    Submit,
    Cancel,
    Ignored,
}

impl TextField {
    pub fn text(&self) -> &str {
        self.field.text()
    }

    /// Types one character at the cursor.
    pub fn push(&mut self, c: char) {
        self.field.apply(Edit::Insert(c), false);
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FieldKey {
        match key.code {
            KeyCode::Enter | KeyCode::Esc if !key.modifiers.is_empty() => FieldKey::Ignored,
            KeyCode::Enter => FieldKey::Submit,
            KeyCode::Esc => FieldKey::Cancel,
            _ => match self.field.key(&key) {
                Some(_) => FieldKey::Edited,
                None => FieldKey::Ignored,
            },
        }
    }

    pub fn paste(&mut self, s: &str) {
        self.field.insert(s);
    }

    /// The text with the cursor: the character under it in reverse video, a block at the
    /// end.
    pub fn spans(&self) -> Vec<Span<'static>> {
        let (before, after) = self.field.split();
        let clean = |t: &str| crate::safe_text::one_line(t).into_owned();
        let mut chars = after.chars();
        let mut out = vec![Span::raw(clean(before))];
        match chars.next() {
            Some(c) => {
                out.push(Span::styled(
                    clean(&c.to_string()),
                    Style::default().add_modifier(Modifier::REVERSED),
                ));
                out.push(Span::raw(clean(chars.as_str())));
            }
            None => out.push(Span::styled("█", theme::dim())),
        }
        out
    }

    /// The field as a line with a cursor block.
    pub fn line(&self, label: &str) -> Line<'static> {
        let mut spans = vec![Span::styled(label.to_string(), theme::key())];
        spans.extend(self.spans());
        Line::from(spans)
    }
}

/// What a dialog needs to know about its surroundings.
#[derive(Debug, Clone, Copy)]
pub struct DialogContext<'a> {
    pub store: &'a Store,
    /// The session on screen (to tell "this session" from a subagent or another session).
    pub shown: Option<&'a str>,
    /// (index, count) in the queue of pending requests: "1 of 2".
    pub position: (usize, usize),
    /// Replay: highlight the recorded answer, take no keys.
    pub read_only: bool,
    /// False while the dialog's answer keys do not work (its keys dimmed).
    pub armed: bool,
    /// False while the prompt has the keys and the dialog waits for Tab.
    pub focused: bool,
    /// Set by the dialog's renderer in a frame that draws the last line of the request
    /// (approval safety: the approve keys stay disarmed until then).
    pub seen: &'a std::cell::Cell<bool>,
}

/// The hint of a dialog that waits while the person types in the prompt.
pub fn waiting_hint() -> Line<'static> {
    Line::from(Span::styled(
        "waiting for you · Tab answers this · what you type stays in your prompt",
        theme::warning(),
    ))
}

/// The hint of a dialog without the keys: waiting for Tab, or arming.
pub fn disarmed_hint(ctx: &DialogContext) -> Line<'static> {
    if ctx.focused {
        arming_hint()
    } else {
        waiting_hint()
    }
}

/// The hint of a dialog whose keys are not armed yet.
pub fn arming_hint() -> Line<'static> {
    Line::from(Span::styled(
        "keys arm in a moment · Tab returns to your prompt",
        theme::warning(),
    ))
}

impl DialogContext<'_> {
    /// "1 of 2" when several requests wait, else "".
    pub fn position_label(&self) -> String {
        if self.position.1 > 1 {
            format!("{} of {}", self.position.0 + 1, self.position.1)
        } else {
            String::new()
        }
    }
}

/// Rows kept for the transcript above a dialog, so the tool call it is about stays in view.
pub const KEEP_ABOVE: u16 = 3;

/// The key choices as lines of `width`: whole items, filled greedily (three spaces apart
/// when all fit on one line, else two).
pub fn key_lines(items: &[Vec<Span<'static>>], width: usize) -> Vec<Line<'static>> {
    let item_w = |it: &Vec<Span<'static>>| it.iter().map(Span::width).sum::<usize>();
    let one: usize = items.iter().map(item_w).sum::<usize>() + 3 * items.len().saturating_sub(1);
    let gap = if one <= width { 3 } else { 2 };
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut w = 0;
    for it in items {
        let iw = item_w(it);
        if !cur.is_empty() && w + gap + iw > width {
            out.push(Line::from(std::mem::take(&mut cur)));
            w = 0;
        }
        if !cur.is_empty() {
            cur.push(Span::raw(" ".repeat(gap)));
            w += gap;
        }
        cur.extend(it.iter().cloned());
        w += iw;
    }
    if !cur.is_empty() {
        out.push(Line::from(cur));
    }
    out
}

/// The rows of `area` a dialog gets, at its bottom: what it wants, leaving `KEEP_ABOVE`
/// rows of transcript above it, but never less than `min` (what `area` allows).
pub fn dialog_height(area: Rect, wanted: u16, min: u16) -> u16 {
    wanted
        .min(area.height.saturating_sub(KEEP_ABOVE))
        .max(min)
        .min(area.height)
}

/// Pushes `text` cut to `max` columns, matched letters (byte offsets) in `hi`; returns
/// the columns used.
pub(crate) fn push_highlighted(
    spans: &mut Vec<Span<'static>>,
    text: &str,
    positions: &[usize],
    base: Style,
    hi: Style,
    max: usize,
) -> usize {
    let cut = text.width() > max;
    let limit = if cut { max.saturating_sub(1) } else { max };
    let mut w = 0;
    let mut run = String::new();
    let mut run_hi = false;
    let mut pos = positions.iter().peekable();
    for (b, c) in text.char_indices() {
        let cw = c.width().unwrap_or(0);
        if w + cw > limit {
            break;
        }
        while pos.peek().is_some_and(|&&p| p < b) {
            pos.next();
        }
        let is_hi = pos.peek() == Some(&&b);
        if is_hi != run_hi && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hi { hi } else { base },
            ));
        }
        run_hi = is_hi;
        run.push(c);
        w += cw;
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hi { hi } else { base }));
    }
    if cut && max > 0 {
        spans.push(Span::styled("…", base));
        w += 1;
    }
    w
}

/// An offer above the requests (save a rule, build a plan): a title, a body and its keys,
/// dimmed with the arming hint until armed. Its heights and drawing are the same for all.
pub trait OfferView {
    const TITLE: &'static str;
    fn body(&self, width: usize) -> Vec<Line<'static>>;
    fn keys(&self, armed: bool, width: usize) -> Vec<Line<'static>>;

    /// (wanted, least) height at `width`.
    fn offer_heights(&self, armed: bool, width: u16) -> (u16, u16) {
        self.with_offer_parts(armed, |p| (p.wanted_height(width), p.min_height(width)))
    }

    /// Draws the offer into `area`; its keys dimmed until `armed`.
    fn draw_offer(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, armed: bool) {
        self.with_offer_parts(armed, |p| p.render(frame, area));
    }

    fn with_offer_parts<T>(&self, armed: bool, f: impl FnOnce(&DialogParts) -> T) -> T {
        let body = |w: usize| (self.body(w), None);
        let keys = |w: usize| self.keys(armed, w);
        f(&DialogParts {
            title: Self::TITLE,
            right: "",
            body: &body,
            hint: (!armed).then(arming_hint),
            keys: &keys,
            scroll: 0,
        })
    }
}
