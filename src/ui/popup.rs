//! Shared pieces of popups: where a popup goes, its frame, and a one-line text field
//! (for a reject message, an "Other" answer).

use crate::model::state::Store;
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear};
use ratatui::Frame;

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
