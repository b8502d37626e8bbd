//! Syntax highlighting of fenced code blocks (syntect, pure-Rust regex engine). The syntax
//! and theme sets load once, on the first code block. Very long blocks are left plain so a
//! huge paste cannot stall a frame. The syntect theme follows the palette (a light one
//! on light backgrounds; none in mono).

use crate::ui::theme;
use ratatui::text::Span;
use std::sync::OnceLock;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Blocks longer than this (in bytes) are not highlighted.
const MAX_HIGHLIGHT_BYTES: usize = 64 * 1024;

struct Assets {
    syntaxes: SyntaxSet,
    dark: Theme,
    light: Theme,
}

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let syntaxes = SyntaxSet::load_defaults_newlines();
        let mut themes = ThemeSet::load_defaults();
        let mut take = |p| {
            theme::syntax_theme(p)
                .and_then(|name| themes.themes.remove(name))
                .unwrap_or_default()
        };
        let dark = take(theme::Palette::Dark);
        let light = take(theme::Palette::Light);
        Assets {
            syntaxes,
            dark,
            light,
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
    let palette = theme::palette();
    theme::syntax_theme(palette)?;
    let a = assets();
    let th = if palette == theme::Palette::Light {
        &a.light
    } else {
        &a.dark
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
            .filter_map(|(style, text)| {
                let text = text.trim_end_matches(['\n', '\r']);
                (!text.is_empty()).then(|| {
                    Span::styled(
                        text.replace('\t', "    "),
                        theme::syntax(style.foreground.r, style.foreground.g, style.foreground.b),
                    )
                })
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
}
