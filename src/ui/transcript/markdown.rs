//! Markdown to wrapped, styled terminal lines (pulldown-cmark): headings, emphasis,
//! strikethrough, links, lists (nested, ordered, tasks), block quotes, rules, tables,
//! inline code and fenced code with syntax highlighting. Pure: the same source and width
//! always give the same lines, so callers cache the result per (source, width).

use crate::ui::{theme, transcript::highlight, transcript::wrap};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// Renders markdown `src` to lines of at most `width` cells, every line styled over `base`.
pub fn render(src: &str, width: usize, base: Style) -> Vec<Line<'static>> {
    let mut r = Renderer::new(width.max(8), base);
    let opts = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    for ev in Parser::new_ext(src, opts) {
        r.event(ev);
    }
    r.flush();
    r.out
}

struct ListLevel {
    next: Option<u64>,
}

struct Renderer {
    out: Vec<Line<'static>>,
    width: usize,
    base: Style,
    styles: Vec<Style>,
    cur: Vec<Span<'static>>,
    lists: Vec<ListLevel>,
    /// Marker of the list item whose first line is not written yet.
    marker: Option<String>,
    quote: usize,
    code: Option<(String, String)>,
    table: Option<Table>,
    link: Option<String>,
    need_blank: bool,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<Span<'static>>>>,
    row: Vec<Vec<Span<'static>>>,
    cell: Vec<Span<'static>>,
    header_rows: usize,
    /// Each column's alignment (`:---`, `:---:`, `---:`).
    align: Vec<pulldown_cmark::Alignment>,
}

impl Renderer {
    fn new(width: usize, base: Style) -> Self {
        Renderer {
            out: Vec::new(),
            width,
            base,
            styles: vec![base],
            cur: Vec::new(),
            lists: Vec::new(),
            marker: None,
            quote: 0,
            code: None,
            table: None,
            link: None,
            need_blank: false,
        }
    }

    fn style(&self) -> Style {
        *self.styles.last().unwrap_or(&self.base)
    }

    fn push_style(&mut self, f: impl FnOnce(Style) -> Style) {
        let s = f(self.style());
        self.styles.push(s);
    }

    fn pop_style(&mut self) {
        if self.styles.len() > 1 {
            self.styles.pop();
        }
    }

    /// Prefixes for (first line, continuation lines) at the current nesting.
    fn prefixes(&self) -> (Vec<Span<'static>>, Vec<Span<'static>>) {
        let mut base = Vec::new();
        for _ in 0..self.quote {
            base.push(Span::styled("│ ", theme::quote()));
        }
        let indent = "  ".repeat(self.lists.len().saturating_sub(1));
        if !indent.is_empty() {
            base.push(Span::raw(indent));
        }
        let mut first = base.clone();
        let mut rest = base;
        if !self.lists.is_empty() {
            let m = self.marker.clone().unwrap_or_default();
            let pad = " ".repeat(wrap::width(&m).max(2));
            if m.is_empty() {
                first.push(Span::raw(pad.clone()));
            } else {
                first.push(Span::styled(m, theme::list_marker()));
            }
            rest.push(Span::raw(pad));
        }
        (first, rest)
    }

    fn blank_if_needed(&mut self) {
        if self.need_blank && !self.out.is_empty() {
            let (_, rest) = self.prefixes();
            let quote_only: Vec<Span<'static>> = rest
                .into_iter()
                .filter(|s| s.content.contains('│'))
                .collect();
            self.out.push(Line::from(quote_only));
        }
        self.need_blank = false;
    }

    fn flush(&mut self) {
        if self.cur.is_empty() && self.marker.is_none() {
            return;
        }
        let spans = std::mem::take(&mut self.cur);
        let (first, rest) = self.prefixes();
        self.marker = None;
        self.out
            .extend(wrap::wrap_words(&spans, self.width, &first, &rest));
    }

    fn text(&mut self, t: &str) {
        let style = self.style();
        if let Some(table) = &mut self.table {
            table.cell.push(Span::styled(t.to_string(), style));
            return;
        }
        self.cur.push(Span::styled(t.to_string(), style));
    }

    fn event(&mut self, ev: Event<'_>) {
        if let Some((_, code)) = &mut self.code {
            match ev {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                let s = theme::inline_code();
                if let Some(table) = &mut self.table {
                    table.cell.push(Span::styled(t.to_string(), s));
                } else {
                    self.cur.push(Span::styled(t.to_string(), s));
                }
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => {
                let m = self.marker.take();
                self.flush();
                if m.is_some() {
                    self.marker = None;
                }
            }
            Event::Rule => {
                self.flush();
                self.blank_if_needed();
                let w = self.width.min(80);
                self.out
                    .push(Line::from(Span::styled("─".repeat(w), theme::rule())));
                self.need_blank = true;
            }
            Event::TaskListMarker(done) => {
                self.cur.push(Span::styled(
                    if done { "[x] " } else { "[ ] " },
                    theme::list_marker(),
                ));
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                let t = t.trim_end_matches('\n').to_string();
                self.cur.push(Span::styled(t, theme::dim()));
            }
            Event::FootnoteReference(t) => self.text(&format!("[^{t}]")),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph if self.marker.is_none() => {
                self.flush();
                self.blank_if_needed();
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.blank_if_needed();
                let l = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    _ => 3,
                };
                self.styles.push(self.base.patch(theme::heading(l)));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.blank_if_needed();
                self.quote += 1;
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                self.blank_if_needed();
                let lang = match kind {
                    // The tag is shown as a label: cleaned like any text of the model.
                    CodeBlockKind::Fenced(l) => crate::safe_text::one_line(&l).into_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank_if_needed();
                }
                self.lists.push(ListLevel { next: start });
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(ListLevel { next: Some(n) }) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => ["• ", "◦ ", "▪ "][(self.lists.len().saturating_sub(1)) % 3].to_string(),
                };
                self.marker = Some(marker);
                self.need_blank = false;
            }
            Tag::Emphasis => self.push_style(|s| s.add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(|s| s.add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(|s| s.add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                self.link = Some(dest_url.to_string());
                self.styles.push(theme::link());
            }
            Tag::Image { dest_url, .. } => {
                self.link = Some(dest_url.to_string());
                self.text("[image: ");
            }
            Tag::Table(align) => {
                self.flush();
                self.blank_if_needed();
                self.table = Some(Table {
                    align,
                    ..Table::default()
                });
            }
            Tag::TableHead | Tag::TableRow | Tag::TableCell => {}
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                self.need_blank = true;
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.pop_style();
                self.need_blank = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.need_blank = true;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                self.need_blank = self.lists.is_empty();
            }
            TagEnd::Item => self.flush(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.pop_style(),
            TagEnd::Link => {
                self.pop_style();
                if let Some(url) = self.link.take() {
                    let shown: String = self.cur.iter().map(|s| s.content.as_ref()).collect();
                    if !shown.ends_with(url.as_str()) && !url.is_empty() {
                        self.cur
                            .push(Span::styled(format!(" ({url})"), theme::dim()));
                    }
                }
            }
            TagEnd::Image => {
                self.link = None;
                self.text("]");
            }
            TagEnd::TableCell => {
                if let Some(t) = &mut self.table {
                    let cell = std::mem::take(&mut t.cell);
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                    t.header_rows = t.rows.len();
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::Table => self.end_table(),
            _ => {}
        }
    }

    fn end_code(&mut self) {
        let Some((lang, code)) = self.code.take() else {
            return;
        };
        let code = code.strip_suffix('\n').unwrap_or(&code);
        let (mut first, _) = self.prefixes();
        first.retain(|s| s.content.contains('│') || s.content.trim().is_empty());
        let mut gutter = first.clone();
        gutter.push(Span::styled("▎ ", theme::code_gutter()));
        let lines: Vec<Vec<Span<'static>>> = match highlight::highlight(code, &lang) {
            Some(h) => h,
            None => code
                .split('\n')
                .map(|l| vec![Span::styled(l.replace('\t', "    "), theme::code_block())])
                .collect(),
        };
        if !lang.is_empty() {
            let mut head = first.clone();
            head.push(Span::styled(lang.clone(), theme::dim()));
            self.out.push(Line::from(head));
        }
        for spans in lines {
            self.out
                .extend(wrap::wrap_chars(&spans, self.width, &gutter, &gutter));
        }
        self.need_blank = true;
    }

    fn end_table(&mut self) {
        let Some(t) = self.table.take() else { return };
        let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            return;
        }
        let mut widths = vec![0usize; cols];
        for row in &t.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(wrap::spans_width(cell));
            }
        }
        // Shrink the widest columns until the table fits.
        let sep = 3 * (cols - 1);
        while widths.iter().sum::<usize>() + sep > self.width {
            let Some((i, w)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
                break;
            };
            if *w <= 4 {
                break;
            }
            widths[i] -= 1;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::styled(" │ ", theme::rule()));
                }
                let cell = row.get(i).cloned().unwrap_or_default();
                let text: String = cell.iter().map(|s| s.content.as_ref()).collect();
                let shown = wrap::truncate(&text, *w);
                let pad = w.saturating_sub(wrap::width(&shown));
                let style = if r < t.header_rows {
                    theme::bold()
                } else {
                    cell.first().map(|s| s.style).unwrap_or(self.base)
                };
                let (before, after) = match t.align.get(i) {
                    Some(pulldown_cmark::Alignment::Right) => (pad, 0),
                    Some(pulldown_cmark::Alignment::Center) => (pad / 2, pad - pad / 2),
                    _ => (0, pad),
                };
                if before > 0 {
                    spans.push(Span::raw(" ".repeat(before)));
                }
                spans.push(Span::styled(shown, style));
                spans.push(Span::raw(" ".repeat(after)));
            }
            self.out.push(Line::from(spans));
            if r + 1 == t.header_rows {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.out
                    .push(Line::from(Span::styled(rule.join("─┼─"), theme::rule())));
            }
        }
        self.need_blank = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(src: &str, w: usize) -> Vec<String> {
        render(src, w, Style::default())
            .iter()
            .map(|l| l.to_string())
            .collect()
    }

    #[test]
    fn paragraphs_are_separated_and_wrapped() {
        assert_eq!(
            text("one two three\n\nfour", 10),
            vec!["one two", "three", "", "four"]
        );
    }

    #[test]
    fn lists_get_markers_and_hanging_indent() {
        assert_eq!(
            text("- alpha beta gamma\n- b\n\n1. x\n2. y", 12),
            vec!["• alpha beta", "  gamma", "• b", "", "1. x", "2. y"]
        );
    }

    #[test]
    fn nested_lists_indent() {
        assert_eq!(text("- a\n  - b", 20), vec!["• a", "  ◦ b"]);
    }

    #[test]
    fn fenced_code_keeps_lines_and_language() {
        assert_eq!(
            text("```\nlet x = 1;\n  y\n```", 30),
            vec!["▎ let x = 1;", "▎   y"]
        );
        let t = text("```rust\nfn a() {}\n```", 30);
        assert_eq!(t, vec!["rust", "▎ fn a() {}"]);
        // A hostile tag is a label like any text: cleaned before it becomes cells.
        let t = text("```sh\u{1b}]0;pwned\u{7}\necho\n```", 30);
        assert_eq!(t[0], "sh␛]0;pwned␇");
    }

    #[test]
    fn tables_align_columns() {
        assert_eq!(
            text("| a | bb |\n|---|---|\n| ccc | d |", 30),
            vec!["a   │ bb", "────┼───", "ccc │ d "]
        );
    }

    #[test]
    fn tables_honour_column_alignment() {
        assert_eq!(
            text(
                "| n | name | ok |
|--:|:----:|:--|
| 1 | ab | y |
| 100 | abcdef | yes |",
                40
            ),
            vec![
                "  n │  name  │ ok ",
                "────┼────────┼────",
                "  1 │   ab   │ y  ",
                "100 │ abcdef │ yes"
            ]
        );
    }
}
