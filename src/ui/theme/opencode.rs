//! An opencode-format theme's colour keys mapped onto our roles: text and `textMuted`
//! for text and hints, `primary` for the user's bar, focus and selection, `border*`,
//! `diff*`, `markdown*`, `syntax*`, `success` / `warning` / `error` / `info` for tool
//! status, notes and dialogs, `backgroundPanel` under the status bar. A key the theme
//! lacks falls back to a near one (`markdownHeading` -> `primary`, `diffAdded` ->
//! `success`, …), so a partial custom theme still draws. `background` (unless `"none"`)
//! is painted under every cell, as opencode does.

use super::format::{Resolved, Variant};
use super::roles::{Roles, Syntax, SyntaxColors, AGENT_KEYS};
use ratatui::style::{Color, Modifier, Style};

/// Black or white, whichever reads on `bg` (opencode's rule: luminance above one half
/// is light). Unknown colours (ANSI indices) get black.
fn contrast(bg: Option<Color>) -> Color {
    match bg {
        Some(Color::Rgb(r, g, b))
            if 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b) <= 127.5 =>
        {
            Color::White
        }
        _ => Color::Black,
    }
}

/// The roles of theme `r` drawn on a `variant` background.
pub fn roles(r: &Resolved, variant: Variant) -> Roles {
    let c = |keys: &[&str]| r.first(keys);
    let fg = |keys: &[&str]| match c(keys) {
        Some(col) => Style::default().fg(col),
        None => Style::default(),
    };
    let bold = Modifier::BOLD;
    let text = &["text"][..];
    let muted = &["textMuted", "text"][..];
    let primary = &["primary", "accent", "text"][..];
    let success = &["success", "primary"][..];
    let warning_k = &["warning", "primary"][..];
    let error_k = &["error", "primary"][..];
    let info = &["info", "secondary", "primary"][..];
    let dim = fg(muted);
    let italic = |s: Style| s.add_modifier(Modifier::ITALIC);
    let heading = fg(&["markdownHeading", "primary"]).add_modifier(bold);

    // The text on a coloured bar: the theme's own `selectedListItemText`, else its
    // background, else (a transparent background) black or white by contrast.
    let explicit = r.get("selectedListItemText").flatten();
    let background = r.get("background").flatten();
    let on = |bg: Option<Color>| {
        let text = explicit.or(background).unwrap_or_else(|| contrast(bg));
        let s = Style::default().fg(text).add_modifier(bold);
        match bg {
            Some(bg) => s.bg(bg),
            None => s.add_modifier(Modifier::REVERSED),
        }
    };

    let panel = c(&["backgroundPanel", "backgroundElement"]);
    let mut status_bar = fg(muted);
    if let Some(bg) = panel {
        status_bar = status_bar.bg(bg);
    }
    let warning = fg(warning_k);
    let syntax = SyntaxColors {
        comment: c(&["syntaxComment", "textMuted"]),
        keyword: c(&["syntaxKeyword", "accent"]),
        function: c(&["syntaxFunction", "primary"]),
        variable: c(&["syntaxVariable", "text"]),
        string: c(&["syntaxString", "success"]),
        number: c(&["syntaxNumber", "warning"]),
        r#type: c(&["syntaxType", "info"]),
        operator: c(&["syntaxOperator", "text"]),
        punctuation: c(&["syntaxPunctuation", "text"]),
        default: c(&["markdownCodeBlock", "text"]),
    };
    Roles {
        variant,
        mono: false,
        background,
        text: c(text),
        base: fg(text),
        dim,
        user_bar: fg(primary),
        user_text: fg(text).add_modifier(bold),
        reasoning: italic(dim),
        heading: [heading.add_modifier(Modifier::UNDERLINED), heading, heading],
        inline_code: fg(&["markdownCode", "accent"]),
        code_block: fg(&["markdownCodeBlock", "text"]),
        code_gutter: fg(&["borderActive", "border", "textMuted"]),
        link: fg(&["markdownLink", "primary"]).add_modifier(Modifier::UNDERLINED),
        quote: fg(&["markdownBlockQuote", "textMuted"]),
        list_marker: fg(&["markdownListItem", "primary"]),
        rule: fg(&["markdownHorizontalRule", "border", "textMuted"]),
        tool_input: fg(info),
        tool_output: fg(text),
        hint: italic(dim),
        diff_add: fg(&["diffAdded", "success"]),
        diff_del: fg(&["diffRemoved", "error"]),
        diff_hunk: fg(&["diffHunkHeader", "info"]),
        diff_meta: fg(&["diffLineNumber", "textMuted"]),
        error: fg(error_k),
        warning,
        ok: fg(success),
        queued: italic(dim),
        status_bar,
        status_title: status_bar.patch(fg(text)).add_modifier(bold),
        status_busy: status_bar.patch(warning),
        status_idle: status_bar.patch(fg(success)),
        status_error: status_bar.patch(fg(error_k)).add_modifier(bold),
        border: fg(&["border", "textMuted"]),
        border_focus: fg(primary),
        dialog_border: warning,
        selected: on(c(primary)),
        recorded: on(c(success)),
        key: fg(&["accent", "primary"]).add_modifier(bold),
        note_info: fg(info),
        find_match: on(c(warning_k)).remove_modifier(bold),
        find_current: on(c(error_k)).add_modifier(Modifier::UNDERLINED),
        agent: AGENT_KEYS.map(|k| c(&[k, "primary"])),
        syntax: Syntax::Colors(syntax),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::theme::format::parse;

    fn roles_of(json: &str) -> Roles {
        let f = parse(json).unwrap();
        roles(&f.resolve(Variant::Dark).unwrap(), Variant::Dark)
    }

    #[test]
    fn keys_map_onto_roles() {
        let r = roles_of(
            r##"{"theme": {"primary": "#fab283", "text": "#eeeeee", "textMuted": "#808080",
                "background": "#0a0a0a", "diffAdded": "#7fd88f", "syntaxKeyword": "#9d7cd8",
                "backgroundPanel": "#141414", "error": "#e06c75"}}"##,
        );
        assert_eq!(r.base.fg, Some(Color::Rgb(0xee, 0xee, 0xee)));
        assert_eq!(r.dim.fg, Some(Color::Rgb(0x80, 0x80, 0x80)));
        assert_eq!(r.user_bar.fg, Some(Color::Rgb(0xfa, 0xb2, 0x83)));
        assert_eq!(r.diff_add.fg, Some(Color::Rgb(0x7f, 0xd8, 0x8f)));
        assert_eq!(r.status_bar.bg, Some(Color::Rgb(0x14, 0x14, 0x14)));
        // Selection: primary under the background's colour.
        assert_eq!(r.selected.bg, Some(Color::Rgb(0xfa, 0xb2, 0x83)));
        assert_eq!(r.selected.fg, Some(Color::Rgb(0x0a, 0x0a, 0x0a)));
        let Syntax::Colors(s) = r.syntax else {
            panic!("own syntax colours")
        };
        assert_eq!(s.keyword, Some(Color::Rgb(0x9d, 0x7c, 0xd8)));
        // Absent keys fall back: no `diffRemoved` -> error; no `syntaxString` -> success,
        // absent too -> none.
        assert_eq!(r.diff_del.fg, Some(Color::Rgb(0xe0, 0x6c, 0x75)));
        assert_eq!(s.string, None);
    }

    #[test]
    fn a_transparent_background_selects_by_contrast() {
        let dark_primary = roles_of(r##"{"theme": {"primary": "#202020", "background": "none"}}"##);
        assert_eq!(dark_primary.selected.fg, Some(Color::White));
        let light_primary =
            roles_of(r##"{"theme": {"primary": "#f0f0f0", "background": "none"}}"##);
        assert_eq!(light_primary.selected.fg, Some(Color::Black));
        let explicit = roles_of(
            r##"{"theme": {"primary": "#f0f0f0", "background": "none", "selectedListItemText": "#ff0000"}}"##,
        );
        assert_eq!(explicit.selected.fg, Some(Color::Rgb(255, 0, 0)));
    }
}
