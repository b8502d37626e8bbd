//! The resolved styles of every role the UI draws with ([`Roles`]), built once per theme:
//! widgets read a field, never look a colour up by name. Two builders live here: the
//! `system` theme (the terminal's 16 named colours, so the user's palette applies; darker
//! fixed shades on a light background) and mono (`NO_COLOR`: attributes only, selection
//! in reverse video). opencode-format themes are built in `opencode.rs`.

use super::format::Variant;
use ratatui::style::{Color, Modifier, Style};

/// How code blocks are coloured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Syntax {
    /// Not at all (mono).
    None,
    /// A syntect theme for this background (the system theme).
    Syntect(Variant),
    /// The theme's own `syntax*` colours.
    Colors(SyntaxColors),
}

/// A theme's code colours, by token kind; `default` for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SyntaxColors {
    pub comment: Option<Color>,
    pub keyword: Option<Color>,
    pub function: Option<Color>,
    pub variable: Option<Color>,
    pub string: Option<Color>,
    pub number: Option<Color>,
    pub r#type: Option<Color>,
    pub operator: Option<Color>,
    pub punctuation: Option<Color>,
    pub default: Option<Color>,
}

impl SyntaxColors {
    /// By the index `highlight.rs` encodes token kinds with (0 comment … 8 punctuation;
    /// anything else the default).
    pub fn by_index(&self, i: u8) -> Option<Color> {
        match i {
            0 => self.comment,
            1 => self.keyword,
            2 => self.function,
            3 => self.variable,
            4 => self.string,
            5 => self.number,
            6 => self.r#type,
            7 => self.operator,
            8 => self.punctuation,
            _ => None,
        }
        .or(self.default)
    }
}

/// Every role's style, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Roles {
    pub variant: Variant,
    pub mono: bool,
    /// The theme's background and text, painted under and over every cell the widgets
    /// left at the terminal's default ([`paint`](crate::ui::theme::paint)); none: the
    /// terminal's own (system, mono, a theme whose `background` is `"none"`).
    pub background: Option<Color>,
    pub text: Option<Color>,
    pub base: Style,
    pub dim: Style,
    pub user_bar: Style,
    pub user_text: Style,
    pub reasoning: Style,
    pub heading: [Style; 3],
    pub inline_code: Style,
    pub code_block: Style,
    pub code_gutter: Style,
    pub link: Style,
    pub quote: Style,
    pub list_marker: Style,
    pub rule: Style,
    pub tool_input: Style,
    pub tool_output: Style,
    pub hint: Style,
    pub diff_add: Style,
    pub diff_del: Style,
    pub diff_hunk: Style,
    pub diff_meta: Style,
    pub error: Style,
    pub warning: Style,
    pub ok: Style,
    pub queued: Style,
    pub status_bar: Style,
    pub status_title: Style,
    pub status_busy: Style,
    pub status_idle: Style,
    pub status_error: Style,
    pub border: Style,
    pub border_focus: Style,
    pub dialog_border: Style,
    pub selected: Style,
    pub recorded: Style,
    pub key: Style,
    pub note_info: Style,
    pub find_match: Style,
    pub find_current: Style,
    /// opencode's agent colours by name: secondary, accent, success, warning, primary,
    /// error, info (see [`AGENT_KEYS`]).
    pub agent: [Option<Color>; 7],
    pub syntax: Syntax,
}

/// The theme keys agents are coloured with, in [`Roles::agent`]'s order.
pub const AGENT_KEYS: [&str; 7] = [
    "secondary",
    "accent",
    "success",
    "warning",
    "primary",
    "error",
    "info",
];

/// Light-background shades outside the user's 16 colours (the named yellow, cyan and
/// green are pale on white in most palettes).
const AMBER: Color = Color::Indexed(130);
const TEAL: Color = Color::Indexed(30);
const GREEN: Color = Color::Indexed(28);

/// The `system` theme for `variant`: named ANSI colours (the terminal's palette).
pub fn system(variant: Variant) -> Roles {
    let light = variant == Variant::Light;
    let fg = |dark: Color, lt: Color| Style::default().fg(if light { lt } else { dark });
    let dim = fg(Color::DarkGray, Color::DarkGray);
    let italic = |s: Style| s.add_modifier(Modifier::ITALIC);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let status_bar = if light {
        Style::default().bg(Color::Gray).fg(Color::Black)
    } else {
        Style::default().bg(Color::Black).fg(Color::Gray)
    };
    let warning = fg(Color::Yellow, AMBER);
    let heading = bold.patch(fg(Color::Magenta, Color::Blue));
    let cyan = fg(Color::Cyan, TEAL);
    let on = |bg: Color| {
        Style::default()
            .fg(Color::Black)
            .bg(bg)
            .add_modifier(Modifier::BOLD)
    };
    let agent = |c: Color| Some(c);
    Roles {
        variant,
        mono: false,
        background: None,
        text: None,
        base: Style::default(),
        dim,
        user_bar: fg(Color::Cyan, Color::Blue),
        user_text: bold,
        reasoning: italic(dim),
        heading: [
            heading.add_modifier(Modifier::UNDERLINED),
            heading,
            bold.patch(fg(Color::LightMagenta, Color::Blue)),
        ],
        inline_code: fg(Color::Yellow, Color::Magenta),
        code_block: fg(Color::Gray, Color::Reset),
        code_gutter: dim,
        link: fg(Color::Blue, Color::Blue).add_modifier(Modifier::UNDERLINED),
        quote: fg(Color::Green, GREEN),
        list_marker: cyan,
        rule: dim,
        tool_input: cyan,
        tool_output: fg(Color::Gray, Color::Reset),
        hint: italic(dim),
        diff_add: fg(Color::Green, GREEN),
        diff_del: fg(Color::Red, Color::Red),
        diff_hunk: cyan,
        diff_meta: dim,
        error: fg(Color::Red, Color::Red),
        warning,
        ok: fg(Color::Green, GREEN),
        queued: italic(dim),
        status_bar,
        status_title: status_bar
            .add_modifier(Modifier::BOLD)
            .patch(fg(Color::White, Color::Black)),
        status_busy: status_bar.patch(warning),
        status_idle: status_bar.patch(fg(Color::Green, GREEN)),
        status_error: status_bar
            .patch(fg(Color::Red, Color::Red))
            .add_modifier(Modifier::BOLD),
        border: dim,
        border_focus: cyan,
        dialog_border: warning,
        selected: on(Color::Cyan),
        recorded: on(Color::Green),
        key: cyan.add_modifier(Modifier::BOLD),
        note_info: cyan,
        find_match: Style::default().fg(Color::Black).bg(Color::Yellow),
        find_current: Style::default()
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            .fg(Color::Black)
            .bg(Color::LightRed),
        agent: [
            agent(Color::Blue),
            agent(Color::Magenta),
            agent(if light { GREEN } else { Color::Green }),
            agent(if light { AMBER } else { Color::Yellow }),
            agent(Color::LightRed),
            agent(Color::Red),
            agent(if light { TEAL } else { Color::Cyan }),
        ],
        syntax: Syntax::Syntect(variant),
    }
}

/// No colour at all (`NO_COLOR`): dim text is the DIM attribute, what is selected or
/// focused is reverse video or bold, so nothing depends on colour.
pub fn mono() -> Roles {
    let none = Style::default();
    let dim = none.add_modifier(Modifier::DIM);
    let bold = none.add_modifier(Modifier::BOLD);
    let italic = dim.add_modifier(Modifier::ITALIC);
    let rev = none.add_modifier(Modifier::REVERSED);
    Roles {
        variant: Variant::Dark,
        mono: true,
        background: None,
        text: None,
        base: none,
        dim,
        user_bar: none,
        user_text: bold,
        reasoning: italic,
        heading: [bold.add_modifier(Modifier::UNDERLINED), bold, bold],
        inline_code: none,
        code_block: none,
        code_gutter: dim,
        link: none.add_modifier(Modifier::UNDERLINED),
        quote: none,
        list_marker: none,
        rule: dim,
        tool_input: none,
        tool_output: none,
        hint: italic,
        diff_add: none,
        diff_del: none,
        diff_hunk: none,
        diff_meta: dim,
        error: none,
        warning: none,
        ok: none,
        queued: italic,
        status_bar: rev,
        status_title: rev.add_modifier(Modifier::BOLD),
        status_busy: rev,
        status_idle: rev,
        status_error: rev.add_modifier(Modifier::BOLD),
        border: dim,
        border_focus: bold,
        dialog_border: bold,
        selected: rev.add_modifier(Modifier::BOLD),
        recorded: rev.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        key: bold,
        note_info: none,
        find_match: rev,
        find_current: rev.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        agent: [None; 7],
        syntax: Syntax::None,
    }
}

impl Roles {
    /// The same with every colour passed through `f` (true colour to 256 colours).
    pub fn map_colors(mut self, f: fn(Color) -> Color) -> Roles {
        let style = |s: &mut Style| {
            s.fg = s.fg.map(f);
            s.bg = s.bg.map(f);
        };
        for s in [
            &mut self.base,
            &mut self.dim,
            &mut self.user_bar,
            &mut self.user_text,
            &mut self.reasoning,
            &mut self.inline_code,
            &mut self.code_block,
            &mut self.code_gutter,
            &mut self.link,
            &mut self.quote,
            &mut self.list_marker,
            &mut self.rule,
            &mut self.tool_input,
            &mut self.tool_output,
            &mut self.hint,
            &mut self.diff_add,
            &mut self.diff_del,
            &mut self.diff_hunk,
            &mut self.diff_meta,
            &mut self.error,
            &mut self.warning,
            &mut self.ok,
            &mut self.queued,
            &mut self.status_bar,
            &mut self.status_title,
            &mut self.status_busy,
            &mut self.status_idle,
            &mut self.status_error,
            &mut self.border,
            &mut self.border_focus,
            &mut self.dialog_border,
            &mut self.selected,
            &mut self.recorded,
            &mut self.key,
            &mut self.note_info,
            &mut self.find_match,
            &mut self.find_current,
        ] {
            style(s);
        }
        for h in &mut self.heading {
            style(h);
        }
        for a in self
            .agent
            .iter_mut()
            .chain([&mut self.background, &mut self.text])
        {
            *a = a.map(f);
        }
        if let Syntax::Colors(c) = &mut self.syntax {
            for x in [
                &mut c.comment,
                &mut c.keyword,
                &mut c.function,
                &mut c.variable,
                &mut c.string,
                &mut c.number,
                &mut c.r#type,
                &mut c.operator,
                &mut c.punctuation,
                &mut c.default,
            ] {
                *x = x.map(f);
            }
        }
        self
    }
}
