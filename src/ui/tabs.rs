//! The tab strip (issue 20 §1): one row above the transcript while more than one
//! top-level session is open in this run (app/tabs.rs). Each tab: its number (Alt+N), its
//! title, its state (a spinner while it works, `?` while it waits for you, `✗` after an
//! error, `●` when its turn ended while you looked elsewhere) and its cost; the shown one
//! stands out.

use crate::ui::app::tabs::Tab;
use crate::ui::overlay::session_index::Mark;
use crate::ui::{theme, transcript::wrap};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// Rows the strip takes: one with two tabs or more, else none.
pub fn height(tabs: usize) -> u16 {
    u16::from(tabs > 1)
}

/// The spans of one tab, its title cut to `title_max` columns.
fn tab_spans(i: usize, t: &Tab, title_max: usize, spinner: usize) -> Vec<Span<'static>> {
    let base = if t.shown {
        theme::selected()
    } else {
        theme::status_bar()
    };
    let title = wrap::truncate(&crate::safe_text::one_line(&t.title), title_max.max(3));
    let mut out = vec![Span::styled(format!(" {} {title}", i + 1), base)];
    let (mark, style) = match t.mark {
        Mark::Busy => (Some(SPINNER[spinner % SPINNER.len()]), theme::status_busy()),
        Mark::Waiting => (Some("?"), theme::status_busy()),
        Mark::Failed => (Some("✗"), theme::status_error()),
        Mark::Idle if t.unread => (Some("●"), theme::status_busy()),
        Mark::Idle => (None, base),
    };
    if let Some(m) = mark {
        out.push(Span::styled(format!(" {m}"), style));
    }
    if t.cost > 0.0 {
        out.push(Span::styled(format!(" ${:.2}", t.cost), base));
    }
    out.push(Span::styled(" ", base));
    out
}

/// Draws the strip into `area` (one row); titles shrink until every tab fits.
pub fn render(frame: &mut Frame, area: Rect, tabs: &[Tab], spinner: usize) {
    if area.height == 0 || tabs.len() < 2 {
        return;
    }
    let width = area.width as usize;
    let mut title_max = 24;
    let line = loop {
        let mut spans = Vec::new();
        for (i, t) in tabs.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled("│", theme::status_bar()));
            }
            spans.extend(tab_spans(i, t, title_max, spinner));
        }
        if wrap::spans_width(&spans) <= width || title_max <= 6 {
            break spans;
        }
        title_max -= 2;
    };
    frame.render_widget(
        Paragraph::new(Line::from(line)).style(theme::status_bar()),
        area,
    );
}
