//! Syntax highlighting of fenced code blocks (syntect, pure-Rust regex engine). The syntax
//! and theme sets load once, on the first code block. Very long blocks are left plain so a
//! huge paste cannot stall a frame. The system theme draws with a syntect theme (a light
//! one on light backgrounds); an opencode theme with its own `syntax*` colours: a syntect
//! theme whose colours only number the token kinds (comment, keyword, …) tells which
//! of them each run is. None in mono.

use crate::ui::theme;
use ratatui::text::Span;
use std::sync::OnceLock;
use syntect::easy::HighlightLines;
use syntect::highlighting::{
    Color as SColor, ScopeSelectors, StyleModifier, Theme, ThemeItem, ThemeSet, ThemeSettings,
};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Blocks longer than this (in bytes) are not highlighted.
const MAX_HIGHLIGHT_BYTES: usize = 64 * 1024;

struct Assets {
    syntaxes: SyntaxSet,
    dark: Theme,
    light: Theme,
    /// Token kinds as colours (red channel: `SyntaxColors::by_index`).
    kinds: Theme,
}

/// The scopes of each token kind, in `SyntaxColors::by_index` order.
const KINDS: [&str; 9] = [
    "comment, punctuation.definition.comment",
    "keyword, storage, keyword.control",
    "entity.name.function, support.function, variable.function, meta.function-call.identifier",
    "variable, variable.parameter, variable.other",
    "string, punctuation.definition.string, constant.character",
    "constant.numeric, constant.language, constant.other",
    "entity.name.type, entity.name.class, entity.name.struct, entity.name.enum, \
     support.type, support.class",
    "keyword.operator",
    "punctuation",
];

/// Index 255 (no kind): the default colour.
fn kind_color(i: u8) -> SColor {
    SColor {
        r: i,
        g: 0,
        b: 0,
        a: 255,
    }
}

fn kinds_theme() -> Theme {
    let scopes = KINDS
        .iter()
        .enumerate()
        .filter_map(|(i, sel)| {
            Some(ThemeItem {
                scope: sel.parse::<ScopeSelectors>().ok()?,
                style: StyleModifier {
                    foreground: Some(kind_color(i as u8)),
                    background: None,
                    font_style: None,
                },
            })
        })
        .collect();
    Theme {
        settings: ThemeSettings {
            foreground: Some(kind_color(255)),
            ..ThemeSettings::default()
        },
        scopes,
        ..Theme::default()
    }
}

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let syntaxes = SyntaxSet::load_defaults_newlines();
        let mut themes = ThemeSet::load_defaults();
        let mut take = |name| themes.themes.remove(name).unwrap_or_default();
        let dark = take("base16-ocean.dark");
        let light = take("InspiredGitHub");
        Assets {
            syntaxes,
            dark,
            light,
            kinds: kinds_theme(),
        }
    })
}

/// Highlights `code` as `lang`; one span list per source line (no newlines).
/// Returns `None` when the language is unknown or the block too long.
pub fn highlight(code: &str, lang: &str) -> Option<Vec<Vec<Span<'static>>>> {
    let lang = lang.split([',', ' ', '{']).next().unwrap_or("").trim();
    if lang.is_empty() || code.len() > MAX_HIGHLIGHT_BYTES {
        return None;
    }
    let kind = theme::syntax_kind();
    let a = assets();
    let th = match kind {
        theme::Syntax::None => return None,
        theme::Syntax::Syntect(theme::Variant::Dark) => &a.dark,
        theme::Syntax::Syntect(theme::Variant::Light) => &a.light,
        theme::Syntax::Colors(_) => &a.kinds,
    };
    let style = |c: SColor| match kind {
        theme::Syntax::Colors(colors) => match colors.by_index(c.r) {
            Some(col) => ratatui::style::Style::default().fg(col),
            None => ratatui::style::Style::default(),
        },
        _ => theme::syntax(c.r, c.g, c.b),
    };
    let syntax = a
        .syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| a.syntaxes.find_syntax_by_extension(lang))?;
    let mut h = HighlightLines::new(syntax, th);
    let mut out = Vec::new();
    for line in LinesWithEndings::from(code) {
        let ranges = h.highlight_line(line, &a.syntaxes).ok()?;
        let spans = ranges
            .into_iter()
            .filter_map(|(style_of, text)| {
                let text = text.trim_end_matches(['\n', '\r']);
                (!text.is_empty())
                    .then(|| Span::styled(text.replace('\t', "    "), style(style_of.foreground)))
            })
            .collect();
        out.push(spans);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rust_is_highlighted_and_unknown_is_not() {
        let h = super::highlight("fn main() {}\n", "rust").expect("rust known");
        assert_eq!(h.len(), 1);
        assert!(h[0].len() > 1, "several styled runs");
        assert!(super::highlight("x", "no-such-lang").is_none());
    }

    #[test]
    fn each_palette_has_its_own_code_colours() {
        use crate::ui::theme::{with_palette, Palette};
        let fg = |p| {
            with_palette(p, || super::highlight("fn main() {}\n", "rust")).map(|h| h[0][0].style.fg)
        };
        let (dark, light) = (fg(Palette::Dark), fg(Palette::Light));
        assert!(dark.is_some() && light.is_some());
        assert_ne!(dark, light, "the light theme is not the dark one");
        assert_eq!(fg(Palette::Mono), None, "no colour at all under NO_COLOR");
    }

    #[test]
    fn an_opencode_theme_colours_code_with_its_syntax_keys() {
        use crate::ui::theme::{with_theme, Variant};
        use ratatui::style::Color;
        let h = with_theme("opencode", Variant::Dark, || {
            super::highlight("fn main() { let s = \"x\"; } // c\n", "rust")
        })
        .unwrap()
        .expect("rust known");
        let colour_of = |t: &str| {
            h[0].iter()
                .find(|s| s.content.contains(t))
                .and_then(|s| s.style.fg)
        };
        // opencode's dark syntaxKeyword (darkAccent), syntaxString (darkGreen),
        // syntaxComment (darkStep11) and syntaxFunction (darkStep9).
        assert_eq!(colour_of("fn"), Some(Color::Rgb(0x9d, 0x7c, 0xd8)));
        assert_eq!(colour_of("x"), Some(Color::Rgb(0x7f, 0xd8, 0x8f)));
        assert_eq!(colour_of("//"), Some(Color::Rgb(0x80, 0x80, 0x80)));
        assert_eq!(colour_of("main"), Some(Color::Rgb(0xfa, 0xb2, 0x83)));
    }
}
