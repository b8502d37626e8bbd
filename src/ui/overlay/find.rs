//! Search in the transcript (Ctrl+F): a query typed in a bar above the prompt, searched
//! over the whole shown session with `model::search` (text, reasoning, tool input, output
//! and errors). Opening a search also asks for the history not paged in yet (`LoadOlder`,
//! through the controller's fetched path): the hits grow as it arrives. Matches are
//! highlighted in the visible lines (reverse video without colour), the current one
//! stronger; `n` / Enter and `N` / Shift+Enter move between them, scroll the match into
//! view (a collapsed tool output holding it opens) and the bar counts "3 of 17". It sits
//! on the overlay stack and reserves the row under the transcript. Esc closes; Ctrl+F or
//! `/` edits the query again; any other key closes the search and goes on as usual
//! (PgUp/PgDn/Home/End scroll and keep it). The keys are in `find_keys.rs`.

use crate::model::search::{find_in_str, find_iter, Hit, SearchCursor};
use crate::model::state::SessionState;
use crate::ui::theme;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::cell::{Cell, RefCell};

/// The open search bar (an overlay: find_keys.rs).
#[derive(Debug, Default)]
pub struct Find {
    pub query: String,
    /// The query's editing state (line_edit.rs: the keys of every field); `query` follows it.
    pub(crate) field: crate::ui::prompt::line_edit::LineField,
    /// The query is being typed (the bar has the keys); else the hits are browsed.
    pub editing: bool,
    pub session_id: String,
    pub(crate) cursor: RefCell<SearchCursor>,
    /// Messages the hits were found in (`None`: not searched yet); more messages (older
    /// history paged in, a new turn) search again.
    pub(crate) counted: Cell<Option<usize>>,
}

impl Find {
    /// The hits, found again when the session has more messages than last time.
    pub(crate) fn fresh(&self, session: Option<&SessionState>) {
        let (Some(n), Some(s)) = (self.counted.get(), session) else {
            return;
        };
        if s.messages.len() != n {
            self.counted.set(Some(s.messages.len()));
            self.cursor.borrow_mut().refresh(hits(s, &self.query));
        }
    }

    /// "3 of 17", "no matches", or `None` before the first search.
    pub fn label(&self, session: Option<&SessionState>) -> Option<String> {
        self.fresh(session);
        self.counted.get()?;
        Some(self.cursor.borrow().label())
    }
}

/// Every hit in transcript order (messages by id, as the transcript shows them: older
/// history loaded later sits at the end of the store's list).
pub fn hits(s: &SessionState, query: &str) -> Vec<Hit> {
    let mut v: Vec<Hit> = find_iter(&s.messages, query).collect();
    if !s.messages.windows(2).all(|w| w[0].id <= w[1].id) {
        v.sort_by(|a, b| a.message_id.cmp(&b.message_id));
    }
    v
}

/// Style of a match (reverse video without colour).
pub fn match_style() -> Style {
    theme::find_match()
}

/// Style of the current match (also bold and underlined: told apart without colour).
pub fn current_style() -> Style {
    theme::find_current()
}

/// `line` with every occurrence of `query` highlighted; occurrence `current` (if any)
/// in the current match's style.
pub fn highlight(line: Line<'static>, query: &str, current: Option<usize>) -> Line<'static> {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let ranges = find_in_str(&text, query);
    if ranges.is_empty() {
        return line;
    }
    let mut spans = Vec::with_capacity(line.spans.len() + 2 * ranges.len());
    let mut off = 0;
    for span in line.spans {
        let s = span.content.as_ref();
        let (start, end) = (off, off + s.len());
        off = end;
        let mut at = start;
        for (k, r) in ranges.iter().enumerate() {
            let (a, b) = (r.start.max(start), r.end.min(end));
            if a >= b {
                continue;
            }
            if a > at {
                spans.push(Span::styled(
                    s[at - start..a - start].to_string(),
                    span.style,
                ));
            }
            let st = if Some(k) == current {
                current_style()
            } else {
                match_style()
            };
            spans.push(Span::styled(
                s[a - start..b - start].to_string(),
                span.style.patch(st),
            ));
            at = b;
        }
        if at < end {
            spans.push(Span::styled(s[at - start..].to_string(), span.style));
        }
    }
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

/// The search bar (one row above the prompt).
pub fn render_bar(frame: &mut Frame, area: Rect, f: &Find, session: Option<&SessionState>) {
    if area.height == 0 {
        return;
    }
    let query = crate::safe_text::one_line(&f.query).into_owned();
    let mut spans = vec![
        Span::styled(" search: ", theme::key()),
        Span::styled(query.clone(), theme::base()),
    ];
    let hint = if f.editing {
        "  Enter searches · Esc closes".to_string()
    } else {
        let label = f.label(session).unwrap_or_default();
        spans.push(Span::styled(format!("  {label}"), theme::dialog_title()));
        "  · n next · N previous · / edit · Esc close".to_string()
    };
    spans.push(Span::styled(hint, theme::hint()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if f.editing {
        let before = crate::safe_text::one_line(f.field.split().0).into_owned();
        let x = area.x + 9 + crate::ui::transcript::wrap::width(&before) as u16;
        if x < area.right() {
            frame.set_cursor_position(Position::new(x, area.y));
        }
    }
}
