//! Every colour and text style of the UI, in one place. Widgets never name a colour:
//! they ask the theme for the style of a role (`theme::user()`, `theme::tool_status(..)`).
//! Three palettes: `Dark` (the terminal's 16 named colours, so the user's palette applies),
//! `Light` (darker shades that stay readable on a light background) and `Mono` (`NO_COLOR`:
//! no colour at all; selection is reverse video, dim text uses the DIM attribute).
//! The palette is chosen once at start-up (`init`); tests pick one per thread (`with_palette`).

use crate::model::state::ToolStatus;
use ratatui::style::{Color, Modifier, Style};
use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

/// The colour set the UI draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    Dark,
    Light,
    /// No colour (`NO_COLOR`): attributes only.
    Mono,
}

/// `--theme`: which palette to use, or detect the terminal's background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ThemeChoice {
    Dark,
    Light,
    #[default]
    Auto,
}

static PALETTE: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static OVERRIDE: Cell<Option<Palette>> = const { Cell::new(None) };
}

/// The palette in use (this thread's override, else the process-wide one).
pub fn palette() -> Palette {
    OVERRIDE
        .with(Cell::get)
        .unwrap_or(match PALETTE.load(Ordering::Relaxed) {
            1 => Palette::Light,
            2 => Palette::Mono,
            _ => Palette::Dark,
        })
}

/// Sets the process-wide palette.
pub fn set_palette(p: Palette) {
    let v = match p {
        Palette::Dark => 0,
        Palette::Light => 1,
        Palette::Mono => 2,
    };
    PALETTE.store(v, Ordering::Relaxed);
}

/// Runs `f` with palette `p` on this thread (tests snapshot each palette side by side).
pub fn with_palette<R>(p: Palette, f: impl FnOnce() -> R) -> R {
    let before = OVERRIDE.with(|o| o.replace(Some(p)));
    let r = f();
    OVERRIDE.with(|o| o.set(before));
    r
}

/// Whether `NO_COLOR` asks for no colour (set and not empty, as no-color.org says).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Picks the palette at start-up: `NO_COLOR` wins, then `--theme dark|light`, then
/// (auto) the terminal's background (`background::detect`), dark when unknown. Call it
/// before the terminal enters raw mode / the alternate screen.
pub fn init(choice: ThemeChoice) -> Palette {
    let p = if no_color_env() {
        Palette::Mono
    } else {
        match choice {
            ThemeChoice::Dark => Palette::Dark,
            ThemeChoice::Light => Palette::Light,
            ThemeChoice::Auto => match crate::ui::runtime::background::detect() {
                Some(crate::ui::runtime::background::Background::Light) => Palette::Light,
                _ => Palette::Dark,
            },
        }
    };
    set_palette(p);
    p
}

/// Light-background shades outside the user's 16 colours (the named yellow, cyan and
/// green are pale on white in most palettes).
const AMBER: Color = Color::Indexed(130);
const TEAL: Color = Color::Indexed(30);
const GREEN: Color = Color::Indexed(28);

/// A foreground colour: `dark` on the dark palette, `light` on the light one, none in mono.
fn fg(dark: Color, light: Color) -> Style {
    match palette() {
        Palette::Dark => Style::default().fg(dark),
        Palette::Light => Style::default().fg(light),
        Palette::Mono => Style::default(),
    }
}

fn mono() -> bool {
    palette() == Palette::Mono
}

pub fn base() -> Style {
    Style::default()
}
pub fn dim() -> Style {
    if mono() {
        return Style::default().add_modifier(Modifier::DIM);
    }
    fg(Color::DarkGray, Color::DarkGray)
}
pub fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
pub fn user_bar() -> Style {
    fg(Color::Cyan, Color::Blue)
}
pub fn user_text() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
pub fn reasoning() -> Style {
    dim().add_modifier(Modifier::ITALIC)
}
pub fn heading(level: u8) -> Style {
    let s = Style::default().add_modifier(Modifier::BOLD);
    match level {
        1 => s
            .patch(fg(Color::Magenta, Color::Blue))
            .add_modifier(Modifier::UNDERLINED),
        2 => s.patch(fg(Color::Magenta, Color::Blue)),
        _ => s.patch(fg(Color::LightMagenta, Color::Blue)),
    }
}
pub fn inline_code() -> Style {
    fg(Color::Yellow, Color::Magenta)
}
pub fn code_block() -> Style {
    fg(Color::Gray, Color::Reset)
}
pub fn code_gutter() -> Style {
    dim()
}
pub fn link() -> Style {
    fg(Color::Blue, Color::Blue).add_modifier(Modifier::UNDERLINED)
}
pub fn quote() -> Style {
    fg(Color::Green, GREEN)
}
pub fn list_marker() -> Style {
    fg(Color::Cyan, TEAL)
}
pub fn rule() -> Style {
    dim()
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
    fg(Color::Cyan, TEAL)
}
pub fn tool_output() -> Style {
    fg(Color::Gray, Color::Reset)
}
pub fn hint() -> Style {
    dim().add_modifier(Modifier::ITALIC)
}

pub fn diff_add() -> Style {
    fg(Color::Green, GREEN)
}
pub fn diff_del() -> Style {
    fg(Color::Red, Color::Red)
}
pub fn diff_hunk() -> Style {
    fg(Color::Cyan, TEAL)
}
pub fn diff_meta() -> Style {
    dim()
}

pub fn error() -> Style {
    fg(Color::Red, Color::Red)
}
pub fn error_bold() -> Style {
    error().add_modifier(Modifier::BOLD)
}
pub fn warning() -> Style {
    fg(Color::Yellow, AMBER)
}
pub fn ok() -> Style {
    fg(Color::Green, GREEN)
}
pub fn queued() -> Style {
    dim().add_modifier(Modifier::ITALIC)
}

pub fn status_bar() -> Style {
    match palette() {
        Palette::Dark => Style::default().bg(Color::Black).fg(Color::Gray),
        Palette::Light => Style::default().bg(Color::Gray).fg(Color::Black),
        Palette::Mono => Style::default().add_modifier(Modifier::REVERSED),
    }
}
pub fn status_title() -> Style {
    status_bar()
        .add_modifier(Modifier::BOLD)
        .patch(fg(Color::White, Color::Black))
}
pub fn status_busy() -> Style {
    status_bar().patch(fg(Color::Yellow, AMBER))
}
pub fn status_idle() -> Style {
    status_bar().patch(fg(Color::Green, GREEN))
}
pub fn status_error() -> Style {
    status_bar()
        .patch(fg(Color::Red, Color::Red))
        .add_modifier(Modifier::BOLD)
}

pub fn border() -> Style {
    dim()
}
pub fn border_focus() -> Style {
    if mono() {
        return Style::default().add_modifier(Modifier::BOLD);
    }
    fg(Color::Cyan, TEAL)
}
pub fn dialog_border() -> Style {
    if mono() {
        return Style::default().add_modifier(Modifier::BOLD);
    }
    fg(Color::Yellow, AMBER)
}
pub fn dialog_title() -> Style {
    dialog_border().add_modifier(Modifier::BOLD)
}
/// What the cursor is on (a button, an option, a list row, the focused tool call). In
/// mono it is reverse video, so selection never depends on colour.
pub fn selected() -> Style {
    match palette() {
        Palette::Dark | Palette::Light => Style::default()
            .fg(Color::Black)
            .bg(Color::Cyan)
            .add_modifier(Modifier::BOLD),
        Palette::Mono => Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
    }
}
/// The recorded answer of a resolved request (read-only replay).
pub fn recorded() -> Style {
    match palette() {
        Palette::Dark | Palette::Light => Style::default()
            .fg(Color::Black)
            .bg(Color::Green)
            .add_modifier(Modifier::BOLD),
        Palette::Mono => Style::default()
            .add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED),
    }
}
pub fn key() -> Style {
    fg(Color::Cyan, TEAL).add_modifier(Modifier::BOLD)
}
pub fn note_info() -> Style {
    fg(Color::Cyan, TEAL)
}

/// The syntect theme for code blocks on `p` (`None`: no highlighting, in mono).
pub fn syntax_theme(p: Palette) -> Option<&'static str> {
    match p {
        Palette::Dark => Some("base16-ocean.dark"),
        Palette::Light => Some("InspiredGitHub"),
        Palette::Mono => None,
    }
}

/// A syntax-highlighting colour from the syntect theme (true colour).
pub fn syntax(r: u8, g: u8, b: u8) -> Style {
    Style::default().fg(Color::Rgb(r, g, b))
}
