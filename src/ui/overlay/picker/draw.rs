//! Drawing the picker: its height, the frame with the query line and status, the scrolled
//! rows (label, description, right-aligned tag, group headings).

use super::{Picker, QueryInput, Row};
use crate::safe_text::one_line;
use crate::ui::overlay::popup;
use crate::ui::theme;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

impl Picker {
    /// The height the picker wants (borders, query line, rows), at most `max`.
    pub fn height(&self, max: u16) -> u16 {
        let query = u16::from(self.input == QueryInput::Own);
        let rows = self.rows.len().clamp(1, 200) as u16;
        (2 + query + rows).min(max)
    }

    /// Draws the picker over `area` (it clears it first). Best at 30x8 or more.
    pub fn render(&self, frame: &mut Frame, area: Rect) {
        frame.render_widget(Clear, area);
        let status = self.status();
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::border_focus())
            .title(Span::styled(format!(" {} ", self.title), theme::bold()));
        if !status.is_empty() {
            block = block.title_bottom(
                Line::from(Span::styled(format!(" {status} "), theme::hint()))
                    .alignment(Alignment::Right),
            );
        }
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.width == 0 || inner.height == 0 {
            return;
        }
        let mut list = inner;
        let width = inner.width as usize;
        if self.input == QueryInput::Own {
            // The query with its cursor mark (dim) where the cursor is.
            let shown = fit(
                &one_line(&self.field.with_cursor("▏")),
                width.saturating_sub(2),
            );
            let (before, after) = shown.split_once('▏').unwrap_or((shown.as_str(), ""));
            let line = Line::from(vec![
                Span::styled("> ", theme::key()),
                Span::raw(before.to_string()),
                Span::styled("▏", theme::dim()),
                Span::raw(after.to_string()),
            ]);
            frame.render_widget(Paragraph::new(line), Rect { height: 1, ..inner });
            list.y += 1;
            list.height -= 1;
        }
        let h = list.height as usize;
        if h == 0 {
            return;
        }
        self.page.set(h);
        if self.rows.is_empty() {
            let text = if self.loading {
                "loading…"
            } else {
                "no matches"
            };
            let line = Line::from(Span::styled(format!("  {text}"), theme::hint()));
            frame.render_widget(Paragraph::new(line), list);
            return;
        }
        let offset = self.scroll(h);
        let lines: Vec<Line> = self.rows[offset..(offset + h).min(self.rows.len())]
            .iter()
            .map(|r| match r {
                Row::Heading(g) => Line::from(Span::styled(
                    fit(g, width),
                    theme::bold().patch(theme::dim()),
                )),
                Row::Item(i) => self.item_line(*i, width),
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), list);
    }

    /// The bottom-border text: loading, position and what is not shown.
    fn status(&self) -> String {
        let mut parts = Vec::new();
        if self.loading && !self.rows.is_empty() {
            parts.push("loading…".to_string());
        }
        if let (Some(s), true) = (self.selected, self.matches.len() > 1) {
            parts.push(format!("{}/{}", s + 1, self.matches.len()));
        }
        if self.hidden() > 0 {
            parts.push(format!("{} more", self.hidden()));
        }
        parts.join(" · ")
    }

    /// The first row shown, moved so that the selection (and its heading) is in view.
    fn scroll(&self, h: usize) -> usize {
        let mut off = self.offset.get();
        if let Some(s) = self.selected {
            let row = self
                .rows
                .iter()
                .position(|r| *r == Row::Item(s))
                .unwrap_or(0);
            let top = if row > 0 && matches!(self.rows[row - 1], Row::Heading(_)) && h > 1 {
                row - 1
            } else {
                row
            };
            if top < off {
                off = top;
            }
            if row >= off + h {
                off = row + 1 - h;
            }
        }
        off = off.min(self.rows.len().saturating_sub(h));
        self.offset.set(off);
        off
    }

    fn item_line(&self, i: usize, width: usize) -> Line<'static> {
        let m = &self.matches[i];
        let item = &self.items[m.index];
        let selected = self.selected == Some(i);
        let base = if selected {
            theme::selected()
        } else {
            theme::base()
        };
        let hi = if selected {
            theme::selected().add_modifier(Modifier::UNDERLINED)
        } else {
            theme::key()
        };
        let desc_style = if selected { base } else { theme::dim() };
        let mut spans = vec![Span::styled(if selected { "› " } else { "  " }, base)];
        let mut room = width.saturating_sub(2);
        let tag = item.tag.as_deref().unwrap_or("");
        let tag_w = tag.width().min(room / 3);
        let tag_room = if tag_w > 0 { tag_w + 1 } else { 0 };
        let label_w = popup::push_highlighted(
            &mut spans,
            &item.label,
            &m.positions,
            base,
            hi,
            room.saturating_sub(tag_room),
        );
        room -= label_w;
        let desc_room = room.saturating_sub(tag_room + 2);
        if !item.description.is_empty() && desc_room >= 4 {
            let d = fit(&item.description, desc_room);
            room -= d.width() + 2;
            spans.push(Span::styled("  ", base));
            spans.push(Span::styled(d, desc_style));
        }
        if tag_w > 0 {
            let t = fit(tag, tag_w);
            spans.push(Span::styled(" ".repeat(room - t.width()), base));
            let mut style = if selected { base } else { theme::hint() };
            if let (Some(c), false) = (item.tag_color, theme::palette() == theme::Palette::Mono) {
                style = style.fg(c).remove_modifier(Modifier::DIM);
            }
            spans.push(Span::styled(t, style));
        } else if selected {
            spans.push(Span::styled(" ".repeat(room), base));
        }
        Line::from(spans)
    }
}

/// `s` cut to `max` columns, with "…" when cut.
fn fit(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    crate::ui::transcript::wrap::truncate(s, max)
}
