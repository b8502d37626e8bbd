//! The replay's keys: the one table the bar's hint, the F1 / `?` help box and the README's
//! replay section are written from, and the help box drawn over the replay.

use crate::ui::{overlay::popup, theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// Every replay key, with what it does (shown by F1 / `?`).
pub const KEYS: &[(&str, &str)] = &[
    (
        "Space",
        "play / pause (at the end: play again from the start)",
    ),
    ("← → / h l", "step one event back / forward (pauses)"),
    ("[ ]", "previous / next turn"),
    ("Home g / End G", "the start / the end of the log"),
    ("+ -", "speed up / slow down"),
    (
        "Tab / Shift+Tab",
        "next / previous session (same place in the log)",
    ),
    ("↑ ↓ / k j, PgUp PgDn", "scroll the transcript"),
    ("e", "expand / collapse every tool output"),
    ("t", "next question of a several-question dialog"),
    ("F1 / ?", "this help (any key closes it)"),
    ("q / Ctrl+C", "quit the replay"),
];

/// The short hint on the timeline bar.
pub const HINT: &str = " ? keys · q quit ";

/// Draws the help box centred on `area`.
pub fn render(frame: &mut Frame, area: Rect) {
    let key_w = KEYS
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<key_w$}  "), theme::key()),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        " Replay is read-only: nothing is sent to any server.",
        theme::dim(),
    )));
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 3;
    let height = lines.len() as u16 + 2;
    let r = popup::centered(area, width.min(area.width), height.min(area.height));
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme::border())
                .title(" Replay keys "),
        ),
        r,
    );
}
