//! The status line command's output (app/status_input.rs gives it its input): its first
//! line, its colours kept and every other escape sequence dropped (`safe_text::sgr`),
//! drawn at the right of the status bar in at most half of it; the status bar's own
//! parts fit into the rest.

use crate::ui::{theme, transcript::wrap};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws `text` at the right of `bar`; returns what is left of the bar for the rest.
pub fn render(frame: &mut Frame, bar: Rect, text: Option<&str>) -> Rect {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return bar;
    };
    let spans: Vec<Span<'static>> = crate::safe_text::sgr::lines(text, theme::status_bar())
        .into_iter()
        .next()
        .unwrap_or_default();
    let max = (bar.width / 2).saturating_sub(1) as usize;
    if max < 4 {
        return bar;
    }
    let spans = fit(spans, max);
    let w = wrap::spans_width(&spans) as u16 + 2;
    let area = Rect::new(bar.x + bar.width - w, bar.y, w, 1);
    let mut line = vec![Span::styled(" ", theme::status_bar())];
    line.extend(spans);
    line.push(Span::styled(" ", theme::status_bar()));
    frame.render_widget(
        Paragraph::new(Line::from(line)).style(theme::status_bar()),
        area,
    );
    Rect::new(bar.x, bar.y, bar.width - w, 1)
}

/// The spans cut to `max` columns (the last one shortened with `…`).
fn fit(spans: Vec<Span<'static>>, max: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = wrap::width(&s.content);
        if used + w <= max {
            used += w;
            out.push(s);
            continue;
        }
        let room = max.saturating_sub(used);
        if room > 0 {
            out.push(Span::styled(wrap::truncate(&s.content, room), s.style));
        }
        break;
    }
    out
}
