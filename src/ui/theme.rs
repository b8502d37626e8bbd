//! Every colour and text style of the UI, in one place. Widgets never name a colour:
//! they ask the theme for the style of a role (`theme::user()`, `theme::tool_status(..)`).
//! The theme in use is one of opencode's (its built-ins, custom files: `catalog.rs`,
//! read with `format.rs`, mapped onto our roles by `opencode.rs`), `system` (the
//! terminal's 16 named colours, so the user's palette applies; the default) or, under
//! `NO_COLOR`, mono (no colour at all; selection is reverse video). Each theme is resolved
//! once into a [`Roles`] struct (`roles.rs`); a role is a field read, no lookup by name.
//! Chosen at start-up (`init`: `--theme`, the terminal's background picks the dark or
//! light variant), switched live (`select`: the theme picker, tui.json); tests pick one
//! per thread (`with_palette`, `with_theme`).

mod catalog;
mod current;
pub mod format;
mod opencode;
mod roles;

use crate::model::state::ToolStatus;
pub use catalog::{Source, BUILTIN, SYSTEM};
pub use current::{
    active, current_name, id, init, list, no_color_env, palette, roles, select, swatch,
    take_warnings, to_256, truecolor_env, warn, warnings, with_palette, with_theme, Active,
    Palette, UnknownTheme,
};
pub use format::Variant;
use ratatui::style::{Color, Modifier, Style};
pub use roles::{Roles, Syntax, SyntaxColors};
fn mono() -> bool {
    roles().mono
}

pub fn base() -> Style {
    roles().base
}
pub fn dim() -> Style {
    roles().dim
}
pub fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
pub fn user_bar() -> Style {
    roles().user_bar
}
pub fn user_text() -> Style {
    roles().user_text
}
pub fn reasoning() -> Style {
    roles().reasoning
}
pub fn heading(level: u8) -> Style {
    let h = &roles().heading;
    h[usize::from(level.clamp(1, 3) - 1)]
}
pub fn inline_code() -> Style {
    roles().inline_code
}
pub fn code_block() -> Style {
    roles().code_block
}
pub fn code_gutter() -> Style {
    roles().code_gutter
}
pub fn link() -> Style {
    roles().link
}
pub fn quote() -> Style {
    roles().quote
}
pub fn list_marker() -> Style {
    roles().list_marker
}
pub fn rule() -> Style {
    roles().rule
}

pub fn tool_status(status: ToolStatus) -> Style {
    match status {
        ToolStatus::Pending => dim(),
        ToolStatus::Running => warning(),
        ToolStatus::Completed => ok(),
        ToolStatus::Error => error(),
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
    roles().tool_input
}
pub fn tool_output() -> Style {
    roles().tool_output
}
pub fn hint() -> Style {
    roles().hint
}

pub fn diff_add() -> Style {
    roles().diff_add
}
pub fn diff_del() -> Style {
    roles().diff_del
}
pub fn diff_hunk() -> Style {
    roles().diff_hunk
}
pub fn diff_meta() -> Style {
    roles().diff_meta
}

pub fn error() -> Style {
    roles().error
}
pub fn error_bold() -> Style {
    error().add_modifier(Modifier::BOLD)
}
pub fn warning() -> Style {
    roles().warning
}
pub fn ok() -> Style {
    roles().ok
}
pub fn queued() -> Style {
    roles().queued
}

pub fn status_bar() -> Style {
    roles().status_bar
}
pub fn status_title() -> Style {
    roles().status_title
}
pub fn status_busy() -> Style {
    roles().status_busy
}
pub fn status_idle() -> Style {
    roles().status_idle
}
pub fn status_error() -> Style {
    roles().status_error
}

pub fn border() -> Style {
    roles().border
}
pub fn border_focus() -> Style {
    roles().border_focus
}
pub fn dialog_border() -> Style {
    roles().dialog_border
}
pub fn dialog_title() -> Style {
    dialog_border().add_modifier(Modifier::BOLD)
}
/// What the cursor is on (a button, an option, a list row, the focused tool call). In
/// mono it is reverse video, so selection never depends on colour.
pub fn selected() -> Style {
    roles().selected
}
/// The recorded answer of a resolved request (read-only replay).
pub fn recorded() -> Style {
    roles().recorded
}
pub fn key() -> Style {
    roles().key
}
pub fn note_info() -> Style {
    roles().note_info
}
/// A search match (reverse video without colour).
pub fn find_match() -> Style {
    roles().find_match
}
/// The current search match (also bold and underlined: told apart without colour).
pub fn find_current() -> Style {
    roles().find_current
}

/// The colour of opencode's theme key `name` among those agents are coloured with
/// (`primary`, `secondary`, `accent`, `success`, `warning`, `error`, `info`); none in mono.
pub fn agent_color(name: &str) -> Option<Color> {
    let i = roles::AGENT_KEYS.iter().position(|k| *k == name)?;
    roles().agent[i]
}

/// A syntax-highlighting colour from a syntect theme (true colour, or its nearest
/// 256-colour index on a terminal without it).
pub fn syntax(r: u8, g: u8, b: u8) -> Style {
    let c = Color::Rgb(r, g, b);
    Style::default().fg(if current::truecolor() { c } else { to_256(c) })
}

/// Paints the theme's background under, and its text colour over, every cell of `buf`
/// still at the terminal's default (after all widgets drew, so cleared popups are painted
/// too). Nothing for a theme without a background (system, mono, `"none"`).
pub fn paint(buf: &mut ratatui::buffer::Buffer) {
    let r = roles();
    let Some(bg) = r.background else {
        return;
    };
    for cell in &mut buf.content {
        if cell.bg == Color::Reset {
            cell.bg = bg;
        }
        if cell.fg == Color::Reset {
            if let Some(fg) = r.text {
                cell.fg = fg;
            }
        }
    }
}

/// How code blocks are coloured with the theme in use.
pub fn syntax_kind() -> Syntax {
    if mono() {
        return Syntax::None;
    }
    roles().syntax
}

#[cfg(test)]
mod tests;
