//! Search in the transcript (Ctrl+F): a query typed in a bar above the prompt, searched
//! over the whole shown session with `model::search` (text, reasoning, tool input, output
//! and errors). Opening a search also asks for the history not paged in yet (`LoadOlder`,
//! through the controller's fetched path): the hits grow as it arrives. Matches are
//! highlighted in the visible lines (reverse video without colour), the current one
//! stronger; `n` / Enter and `N` / Shift+Enter move between them, scroll the match into
//! view (a collapsed tool output holding it opens) and the bar counts "3 of 17". Esc
//! closes; Ctrl+F or `/` edits the query again; any other key closes the search and goes
//! on as usual (PgUp/PgDn/Home/End scroll and keep it).

use crate::model::search::{find_in_str, find_iter, Field, Hit, SearchCursor};
use crate::model::state::SessionState;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::message::MsgLayout;
use crate::ui::theme::{self, Palette};
use crate::ui::view::SearchMark;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::cell::{Cell, RefCell};

/// The open search bar.
#[derive(Debug, Default)]
pub struct FindState {
    pub query: String,
    /// The query is being typed (the bar has the keys); else the hits are browsed.
    pub editing: bool,
    pub session_id: String,
    cursor: RefCell<SearchCursor>,
    /// Messages the hits were found in (`None`: not searched yet); more messages (older
    /// history paged in, a new turn) search again.
    counted: Cell<Option<usize>>,
}

impl FindState {
    /// The hits, found again when the session has more messages than last time.
    fn fresh(&self, session: Option<&SessionState>) {
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

    /// (1-based position, count) of the current hit.
    pub fn position(&self) -> Option<(usize, usize)> {
        self.cursor.borrow().position()
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

fn plain(key: &KeyEvent) -> bool {
    key.modifiers.difference(KeyModifiers::SHIFT).is_empty()
}

impl App {
    /// Keys of the search: Ctrl+F opens it; while it is open the bar takes its keys.
    /// `None`: the key is not the search's (it goes on as usual).
    pub(crate) fn find_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let ctrl_f = key.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(key.code, KeyCode::Char('f') | KeyCode::Char('F'));
        let shown = self.session_id()?.to_string();
        if self.find.as_ref().is_some_and(|f| f.session_id != shown) {
            self.close_find();
        }
        let Some(f) = &mut self.find else {
            if !ctrl_f {
                return None;
            }
            self.find = Some(FindState {
                editing: true,
                session_id: shown,
                ..FindState::default()
            });
            return Some(Vec::new());
        };
        let scroll = matches!(
            key.code,
            KeyCode::PageUp | KeyCode::PageDown | KeyCode::Home | KeyCode::End
        );
        if f.editing {
            match key.code {
                KeyCode::Esc => self.close_find(),
                KeyCode::Enter if key.modifiers.is_empty() => return Some(self.run_find()),
                KeyCode::Backspace => {
                    f.query.pop();
                }
                KeyCode::Char(c) if plain(&key) => f.query.push(c),
                _ if scroll => return None,
                _ => {}
            }
            return Some(Vec::new());
        }
        match key.code {
            KeyCode::Esc => self.close_find(),
            _ if ctrl_f => f.editing = true,
            KeyCode::Char('/') if key.modifiers.is_empty() => f.editing = true,
            KeyCode::Char('n') if key.modifiers.is_empty() => self.find_step(true),
            KeyCode::Enter if key.modifiers.is_empty() => self.find_step(true),
            KeyCode::Char('N') if plain(&key) => self.find_step(false),
            KeyCode::Enter if key.modifiers == KeyModifiers::SHIFT => self.find_step(false),
            _ if scroll => return None,
            _ => {
                self.close_find();
                return None;
            }
        }
        Some(Vec::new())
    }

    /// Closes the search and its highlights.
    pub(crate) fn close_find(&mut self) {
        self.find = None;
        self.view.search = None;
    }

    /// Searches the typed query: lands on the first hit at or after the message at the top
    /// of the view (from the bottom: the newest hit), and asks for the history not loaded.
    fn run_find(&mut self) -> Vec<Action> {
        let Some(f) = &mut self.find else {
            return Vec::new();
        };
        f.editing = false;
        let sid = f.session_id.clone();
        let Some(s) = self.store.session(&sid) else {
            return Vec::new();
        };
        let found = hits(s, &f.query);
        let from = match &*self.view.scroll.borrow() {
            crate::ui::view::Scroll::Anchor { message, .. } if !message.is_empty() => {
                Some(message.clone())
            }
            crate::ui::view::Scroll::Top => Some(String::new()),
            _ => None,
        };
        let mut cursor = SearchCursor::new(found);
        match from {
            Some(m) => {
                let i = cursor
                    .hits()
                    .iter()
                    .position(|h| h.message_id >= m)
                    .unwrap_or(0);
                for _ in 0..i {
                    cursor.next_hit();
                }
            }
            None => {
                cursor.prev_hit();
            }
        }
        let n = s.messages.len();
        f.counted.set(Some(n));
        *f.cursor.borrow_mut() = cursor;
        self.find_jump();
        // The whole session: the history not paged in yet comes through the fetched path.
        if self.older_requested.as_ref() != Some(&(sid.clone(), n)) {
            self.older_requested = Some((sid.clone(), n));
            return vec![Action::LoadOlder { session_id: sid }];
        }
        Vec::new()
    }

    fn find_step(&mut self, forward: bool) {
        let Some(f) = &self.find else { return };
        f.fresh(self.store.session(&f.session_id));
        {
            let mut c = f.cursor.borrow_mut();
            if forward {
                c.next_hit();
            } else {
                c.prev_hit();
            }
        }
        self.find_jump();
    }

    /// Scrolls the current hit into view and marks it.
    fn find_jump(&mut self) {
        let Some(f) = &self.find else { return };
        let query = f.query.clone();
        let hit = f.cursor.borrow().current().cloned();
        let nth = hit.as_ref().map_or(0, |h| {
            let c = f.cursor.borrow();
            let at = c.position().map_or(0, |(i, _)| i - 1);
            c.hits()[..at]
                .iter()
                .filter(|x| x.message_id == h.message_id)
                .count()
        });
        let Some(hit) = hit else {
            self.view.search = Some(SearchMark {
                query,
                current: None,
            });
            return;
        };
        if matches!(hit.field, Field::ToolOutput | Field::ToolError)
            && !self.view.tool_expanded(&hit.part_id)
        {
            self.view.toggle_tool(&hit.part_id);
        }
        let (line, k) = self.rendered_occurrence(&f.session_id.clone(), &hit, &query, nth);
        let (_, height, _) = self.view.metrics();
        self.view.scroll_to_line(&hit.message_id, line, height / 3);
        self.view.search = Some(SearchMark {
            query,
            current: Some((hit.message_id.clone(), line, k)),
        });
    }

    /// The `nth` occurrence of `query` in the laid-out lines of the hit's message: (line in
    /// the message, occurrence in that line). The last one when fewer show (a tool input
    /// the header does not show), else the message's first line.
    fn rendered_occurrence(&self, sid: &str, hit: &Hit, query: &str, nth: usize) -> (usize, usize) {
        let Some(s) = self.store.session(sid) else {
            return (0, usize::MAX);
        };
        let Some(m) = s.message(&hit.message_id) else {
            return (0, usize::MAX);
        };
        let width = match self.view.transcript_area().width {
            0 => 80,
            w => w as usize,
        };
        let first = s.messages.iter().all(|x| x.id >= m.id);
        let mut layout = MsgLayout::default();
        layout.rebuild(m, first, &self.store, s, &self.view, width);
        let mut seen = Vec::new();
        for i in 0..layout.height() {
            let Some(l) = layout.line(i, m) else { continue };
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            for k in 0..find_in_str(&text, query).len() {
                seen.push((i, k));
                if seen.len() > nth {
                    return (i, k);
                }
            }
        }
        seen.last().copied().unwrap_or((0, usize::MAX))
    }
}

/// Style of a match (reverse video without colour).
pub fn match_style() -> Style {
    match theme::palette() {
        Palette::Mono => Style::default().add_modifier(Modifier::REVERSED),
        _ => Style::default().fg(Color::Black).bg(Color::Yellow),
    }
}

/// Style of the current match (also bold and underlined: told apart without colour).
pub fn current_style() -> Style {
    let s = Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    match theme::palette() {
        Palette::Mono => s.add_modifier(Modifier::REVERSED),
        _ => s.fg(Color::Black).bg(Color::LightRed),
    }
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
pub fn render_bar(frame: &mut Frame, area: Rect, f: &FindState, session: Option<&SessionState>) {
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
        let x = area.x + 9 + crate::ui::wrap::width(&query) as u16;
        if x < area.right() {
            frame.set_cursor_position(Position::new(x, area.y));
        }
    }
}
