//! Syntax highlighting of fenced code blocks (syntect, pure-Rust regex engine). The syntax
//! and theme sets load once, on the first code block. Very long blocks are left plain so a
//! huge paste cannot stall a frame.

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
    theme: Theme,
}

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let syntaxes = SyntaxSet::load_defaults_newlines();
        let mut themes = ThemeSet::load_defaults();
        let theme = themes
            .themes
            .remove(theme::SYNTAX_THEME)
            .or_else(|| themes.themes.into_values().next())
            .unwrap_or_default();
        Assets { syntaxes, theme }
    })
}

/// Highlights `code` as `lang`; one span list per source line (no newlines).
/// Returns `None` when the language is unknown or the block too long.
pub fn highlight(code: &str, lang: &str) -> Option<Vec<Vec<Span<'static>>>> {
    let lang = lang.split([',', ' ', '{']).next().unwrap_or("").trim();
    if lang.is_empty() || code.len() > MAX_HIGHLIGHT_BYTES {
        return None;
    }
    let a = assets();
    let syntax = a
        .syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| a.syntaxes.find_syntax_by_extension(lang))?;
    let mut h = HighlightLines::new(syntax, &a.theme);
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
}
