//! The key help overlay (`?` on an empty input, or F1). Any key closes it.

use crate::ui::{popup, theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// (keys, what they do), grouped under headings (keys empty).
pub const KEYS: &[(&str, &str)] = &[
    ("", "Prompt"),
    ("Enter", "send (queued while the agent works)"),
    ("Alt+Enter, Ctrl+J", "new line"),
    ("Up / Down", "prompt history (at the first / last line)"),
    ("Esc", "abort the running turn"),
    ("Ctrl+C", "clear the input, or abort; twice quits"),
    ("Ctrl+D", "quit (on an empty input)"),
    ("", "View"),
    ("PgUp / PgDn, wheel", "scroll the transcript"),
    (
        "Home / End",
        "top / bottom (empty input; else Ctrl+Home/End)",
    ),
    ("Ctrl+O", "expand / collapse every tool output"),
    (
        "Tab / Shift+Tab",
        "focus a tool call on screen (Enter or o expands it)",
    ),
    ("click", "expand / collapse the tool call clicked"),
    ("Ctrl+R", "show / hide reasoning"),
    (
        "Ctrl+S, F2",
        "session list (Enter switch, n new, r refresh)",
    ),
    ("Ctrl+N", "new session"),
    (
        "F12",
        "mouse capture on / off (off: the terminal selects text)",
    ),
    ("F5", "restart the server (after it died)"),
    ("", "Permission dialog"),
    ("y / 1", "allow once"),
    ("a / 2", "allow always (then offer to save the rule)"),
    ("n / 3, Esc", "reject"),
    ("m", "reject with a message to the agent"),
    ("d, Up/Down", "diff layout, scroll"),
    ("", "Question dialog"),
    (
        "digits, Up/Down+Enter",
        "choose (toggle when several allowed)",
    ),
    ("Space", "toggle"),
    ("Left / Right, Tab", "next / previous question, review"),
    ("Esc", "reject the question"),
];

pub fn lines() -> Vec<Line<'static>> {
    KEYS.iter()
        .map(|(k, what)| {
            if k.is_empty() {
                Line::from(Span::styled(what.to_string(), theme::dialog_title()))
            } else {
                Line::from(vec![
                    Span::styled(format!("  {k:<24}"), theme::key()),
                    Span::raw(what.to_string()),
                ])
            }
        })
        .collect()
}

pub fn render(frame: &mut Frame, area: Rect) {
    let lines = lines();
    let r = popup::centered(area, 76, lines.len() as u16 + 2);
    let inner = popup::frame(frame, r, "Keys", "any key closes");
    frame.render_widget(Paragraph::new(lines), inner);
}
