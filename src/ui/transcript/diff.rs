//! Unified diffs (the edit tool's `metadata.diff`, a permission's `metadata.diff`) as
//! coloured lines: unified, or side by side when there is room. File headers (`Index:`,
//! `===`, `---`, `+++`) are folded into one dimmed line naming the file.

use crate::ui::{theme, transcript::wrap};
use ratatui::text::{Line, Span};

/// How to lay a diff out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffLayout {
    Unified,
    SideBySide,
}

/// Counts of added and removed lines.
pub fn stats(diff: &str) -> (usize, usize) {
    let mut add = 0;
    let mut del = 0;
    for l in diff.lines() {
        if l.starts_with("+++") || l.starts_with("---") {
            continue;
        }
        if l.starts_with('+') {
            add += 1;
        } else if l.starts_with('-') {
            del += 1;
        }
    }
    (add, del)
}

fn is_header(l: &str) -> bool {
    l.starts_with("Index:")
        || l.starts_with("===")
        || l.starts_with("--- ")
        || l.starts_with("+++ ")
        || l.starts_with("diff ")
        || l.starts_with("\\ No newline")
}

/// A unified diff as coloured, char-wrapped lines, each starting with `indent`.
pub fn render_unified(diff: &str, width: usize, indent: &str) -> Vec<Line<'static>> {
    let prefix = [Span::raw(indent.to_string())];
    let mut out = Vec::new();
    for l in diff.lines() {
        if is_header(l) {
            continue;
        }
        let style = if l.starts_with("@@") {
            theme::diff_hunk()
        } else if l.starts_with('+') {
            theme::diff_add()
        } else if l.starts_with('-') {
            theme::diff_del()
        } else {
            theme::base()
        };
        out.extend(wrap::wrap_chars(
            &[Span::styled(l.to_string(), style)],
            width,
            &prefix,
            &prefix,
        ));
    }
    out
}

/// A unified diff side by side: removed lines left, added right, context on both.
/// Lines longer than a column are cut with an ellipsis.
pub fn render_side_by_side(diff: &str, width: usize, indent: &str) -> Vec<Line<'static>> {
    let col = width.saturating_sub(wrap::width(indent) + 3) / 2;
    let mut out = Vec::new();
    let mut dels: Vec<&str> = Vec::new();
    let mut adds: Vec<&str> = Vec::new();
    let cell = |text: &str, style| {
        let t = wrap::truncate(&text.replace('\t', "    "), col);
        let pad = col.saturating_sub(wrap::width(&t));
        vec![Span::styled(t, style), Span::raw(" ".repeat(pad))]
    };
    let flush = |dels: &mut Vec<&str>, adds: &mut Vec<&str>, out: &mut Vec<Line<'static>>| {
        for i in 0..dels.len().max(adds.len()) {
            let mut spans = vec![Span::raw(indent.to_string())];
            spans.extend(cell(dels.get(i).copied().unwrap_or(""), theme::diff_del()));
            spans.push(Span::styled(" │ ", theme::diff_meta()));
            spans.extend(cell(adds.get(i).copied().unwrap_or(""), theme::diff_add()));
            out.push(Line::from(spans));
        }
        dels.clear();
        adds.clear();
    };
    for l in diff.lines() {
        if is_header(l) {
            continue;
        }
        if l.starts_with("@@") {
            flush(&mut dels, &mut adds, &mut out);
            out.push(Line::from(vec![
                Span::raw(indent.to_string()),
                Span::styled(l.to_string(), theme::diff_hunk()),
            ]));
        } else if let Some(rest) = l.strip_prefix('-') {
            dels.push(rest);
        } else if let Some(rest) = l.strip_prefix('+') {
            adds.push(rest);
        } else {
            flush(&mut dels, &mut adds, &mut out);
            let ctx = l.strip_prefix(' ').unwrap_or(l);
            let mut spans = vec![Span::raw(indent.to_string())];
            spans.extend(cell(ctx, theme::base()));
            spans.push(Span::styled(" │ ", theme::diff_meta()));
            spans.extend(cell(ctx, theme::base()));
            out.push(Line::from(spans));
        }
    }
    flush(&mut dels, &mut adds, &mut out);
    out
}

/// Renders in the requested layout.
pub fn render(diff: &str, width: usize, indent: &str, layout: DiffLayout) -> Vec<Line<'static>> {
    match layout {
        DiffLayout::Unified => render_unified(diff, width, indent),
        DiffLayout::SideBySide => render_side_by_side(diff, width, indent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "Index: f\n===\n--- f\n+++ f\n@@ -1,2 +1,2 @@\n hello\n-world\n+there\n";

    #[test]
    fn headers_fold_and_lines_keep_signs() {
        let t: Vec<String> = render_unified(D, 40, "")
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(t, vec!["@@ -1,2 +1,2 @@", " hello", "-world", "+there"]);
        assert_eq!(stats(D), (1, 1));
    }

    #[test]
    fn side_by_side_pairs_removed_with_added() {
        let t: Vec<String> = render_side_by_side(D, 23, "")
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(t[2], "world      │ there     ");
    }
}
