//! Every colour and text style of the UI, in one place. Widgets never name a colour:
//! they ask the theme for the style of a role (`theme::user()`, `theme::tool_status(..)`).
//! Colours are the terminal's 16 named colours so the user's palette applies.

use crate::model::state::ToolStatus;
use ratatui::style::{Color, Modifier, Style};

pub fn base() -> Style {
    Style::default()
}
pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}
pub fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
pub fn user_bar() -> Style {
    Style::default().fg(Color::Cyan)
}
pub fn user_text() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
pub fn reasoning() -> Style {
    Style::default()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC)
}
pub fn heading(level: u8) -> Style {
    let s = Style::default().add_modifier(Modifier::BOLD);
    match level {
        1 => s.fg(Color::Magenta).add_modifier(Modifier::UNDERLINED),
        2 => s.fg(Color::Magenta),
        _ => s.fg(Color::LightMagenta),
    }
}
pub fn inline_code() -> Style {
    Style::default().fg(Color::Yellow)
}
pub fn code_block() -> Style {
    Style::default().fg(Color::Gray)
}
pub fn code_gutter() -> Style {
    Style::default().fg(Color::DarkGray)
}
pub fn link() -> Style {
    Style::default()
        .fg(Color::Blue)
        .add_modifier(Modifier::UNDERLINED)
}
pub fn quote() -> Style {
    Style::default().fg(Color::Green)
}
pub fn list_marker() -> Style {
    Style::default().fg(Color::Cyan)
}
pub fn rule() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn tool_status(status: ToolStatus) -> Style {
    match status {
        ToolStatus::Pending => Style::default().fg(Color::DarkGray),
        ToolStatus::Running => Style::default().fg(Color::Yellow),
        ToolStatus::Completed => Style::default().fg(Color::Green),
        ToolStatus::Error => Style::default().fg(Color::Red),
    }
}
pub fn tool_icon(status: ToolStatus) -> &'static str {
    match status {
        ToolStatus::Pending => "○",
        ToolStatus::Running => "◐",
        ToolStatus::Completed => "✓",
        ToolStatus::Error => "✗",
    }
}
pub fn tool_name() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
pub fn tool_input() -> Style {
    Style::default().fg(Color::Cyan)
}
pub fn tool_output() -> Style {
    Style::default().fg(Color::Gray)
}
pub fn hint() -> Style {
    Style::default()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC)
}

pub fn diff_add() -> Style {
    Style::default().fg(Color::Green)
}
pub fn diff_del() -> Style {
    Style::default().fg(Color::Red)
}
pub fn diff_hunk() -> Style {
    Style::default().fg(Color::Cyan)
}
pub fn diff_meta() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn error() -> Style {
    Style::default().fg(Color::Red)
}
pub fn error_bold() -> Style {
    error().add_modifier(Modifier::BOLD)
}
pub fn warning() -> Style {
    Style::default().fg(Color::Yellow)
}
pub fn ok() -> Style {
    Style::default().fg(Color::Green)
}
pub fn queued() -> Style {
    Style::default()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC)
}

pub fn status_bar() -> Style {
    Style::default().bg(Color::Black).fg(Color::Gray)
}
pub fn status_title() -> Style {
    status_bar().add_modifier(Modifier::BOLD).fg(Color::White)
}
pub fn status_busy() -> Style {
    status_bar().fg(Color::Yellow)
}
pub fn status_idle() -> Style {
    status_bar().fg(Color::Green)
}
pub fn status_error() -> Style {
    status_bar().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn border() -> Style {
    Style::default().fg(Color::DarkGray)
}
pub fn border_focus() -> Style {
    Style::default().fg(Color::Cyan)
}
pub fn dialog_border() -> Style {
    Style::default().fg(Color::Yellow)
}
pub fn dialog_title() -> Style {
    Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}
pub fn selected() -> Style {
    Style::default()
        .fg(Color::Black)
        .bg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}
/// The recorded answer of a resolved request (read-only replay).
pub fn recorded() -> Style {
    Style::default()
        .fg(Color::Black)
        .bg(Color::Green)
        .add_modifier(Modifier::BOLD)
}
pub fn key() -> Style {
    Style::default()
        .fg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}
pub fn note_info() -> Style {
    Style::default().fg(Color::Cyan)
}

/// The syntect theme used for code blocks.
pub const SYNTAX_THEME: &str = "base16-ocean.dark";

/// A syntax-highlighting colour from the syntect theme (true colour).
pub fn syntax(r: u8, g: u8, b: u8) -> Style {
    Style::default().fg(Color::Rgb(r, g, b))
}
