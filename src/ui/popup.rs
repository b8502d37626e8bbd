//! Shared pieces of popups: where a popup goes, its frame, and a one-line text field
//! (for a reject message, an "Other" answer).

use crate::model::state::Store;
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear};
use ratatui::Frame;

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

/// A one-line text field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    pub text: String,
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
    pub fn handle_key(&mut self, key: KeyEvent) -> FieldKey {
        match key.code {
            KeyCode::Enter | KeyCode::Esc if !key.modifiers.is_empty() => FieldKey::Ignored,
            KeyCode::Enter => FieldKey::Submit,
            KeyCode::Esc => FieldKey::Cancel,
            KeyCode::Backspace => {
                self.text.pop();
                FieldKey::Edited
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.text.clear();
                FieldKey::Edited
            }
            KeyCode::Char('w') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                let t = self.text.trim_end();
                let cut = t.rfind(' ').map(|i| i + 1).unwrap_or(0);
                self.text.truncate(cut);
                FieldKey::Edited
            }
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                self.text.push(c);
                FieldKey::Edited
            }
            _ => FieldKey::Ignored,
        }
    }

    pub fn paste(&mut self, s: &str) {
        self.text.push_str(&s.replace(['\r', '\n'], " "));
    }

    /// The field as a line with a cursor block.
    pub fn line(&self, label: &str) -> Line<'static> {
        Line::from(vec![
            Span::styled(label.to_string(), theme::key()),
            Span::raw(crate::safe_text::one_line(&self.text).into_owned()),
            Span::styled("█", theme::dim()),
        ])
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
    fn hint_lines(&self, width: usize) -> Vec<Line<'static>> {
        match &self.hint {
            Some(h) => crate::ui::wrap::wrap_words(&h.spans, width, &[], &[]),
            None => Vec::new(),
        }
    }

    /// Height the dialog wants at `width` (frame included): everything, no scrolling.
    pub fn wanted_height(&self, width: u16) -> u16 {
        let w = width.saturating_sub(4) as usize;
        let n = (self.body)(w).0.len() + self.hint_lines(w).len() + (self.keys)(w).len();
        (n + 2) as u16
    }

    /// The least height that shows the request (two body lines) and the keys, framed.
    pub fn min_height(&self, width: u16) -> u16 {
        let w = width.saturating_sub(4) as usize;
        ((self.body)(w).0.len().min(2) + (self.keys)(w).len() + 2) as u16
    }

    /// Draws the dialog into `area`. Rows go to the keys first, then two body lines, then
    /// the frame (without room for it, a title row), then the hint, then the rest of the
    /// body, which scrolls.
    pub fn render(&self, f: &mut Frame, area: Rect) {
        if area.height == 0 || area.width < 4 {
            return;
        }
        let framed_keys = (self.keys)(area.width.saturating_sub(4) as usize).len() as u16;
        let body_min = ((self.body)(area.width.saturating_sub(2) as usize).0.len() as u16).min(2);
        let inner = if area.height >= framed_keys + 4 {
            frame(f, area, self.title, self.right)
        } else if area.height < framed_keys + body_min + 1 {
            // Not even a title row: the request and the keys come first.
            f.render_widget(Clear, area);
            Rect::new(area.x + 1, area.y, area.width - 2, area.height)
        } else {
            // No room for a frame: a title row, and one column of padding.
            f.render_widget(Clear, area);
            let title = Line::from(Span::styled(
                crate::ui::wrap::truncate(&format!(" {} ", self.title), area.width as usize),
                theme::dialog_title(),
            ));
            f.render_widget(ratatui::widgets::Paragraph::new(title), area);
            let rest = area.height.saturating_sub(1);
            Rect::new(
                area.x + 1,
                area.y + area.height - rest,
                area.width - 2,
                rest,
            )
        };
        let width = inner.width as usize;
        let keys = (self.keys)(width);
        let keys_h = (keys.len() as u16).min(inner.height);
        let (body, keep) = (self.body)(width);
        let mut hint = self.hint_lines(width);
        let room = inner.height - keys_h;
        if room < body_min + hint.len() as u16 {
            hint.clear();
        }
        let hint_h = hint.len() as u16;
        let body_h = room - hint_h;
        let max_scroll = (body.len() as u16).saturating_sub(body_h);
        let mut scroll = self.scroll.min(max_scroll);
        if let Some(k) = keep.map(|k| k as u16) {
            if k < scroll {
                scroll = k;
            } else if body_h > 0 && k >= scroll + body_h {
                scroll = k + 1 - body_h;
            }
        }
        let at = |y: u16, h: u16| Rect::new(inner.x, inner.y + y, inner.width, h);
        f.render_widget(
            ratatui::widgets::Paragraph::new(body).scroll((scroll, 0)),
            at(0, body_h),
        );
        f.render_widget(ratatui::widgets::Paragraph::new(hint), at(body_h, hint_h));
        f.render_widget(
            ratatui::widgets::Paragraph::new(keys),
            at(body_h + hint_h, keys_h),
        );
    }
}

/// The rows of `area` a dialog gets, at its bottom: what it wants, leaving `KEEP_ABOVE`
/// rows of transcript above it, but never less than `min` (what `area` allows).
pub fn dialog_height(area: Rect, wanted: u16, min: u16) -> u16 {
    wanted
        .min(area.height.saturating_sub(KEEP_ABOVE))
        .max(min)
        .min(area.height)
}
