//! The search bar (find.rs) on the overlay stack, and its keys: Ctrl+F opens the bar, the
//! query is typed, Enter searches, n / N move between the hits and scroll the current one
//! into view. While the hits are browsed, scrolling keys pass through (`Handled::Pass`).

use crate::model::search::{find_in_str, Field, Hit, SearchCursor};
use crate::ui::action::Action;
use crate::ui::app::view::SearchMark;
use crate::ui::app::App;
use crate::ui::overlay::find::{hits, render_bar, Find};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration, Reserve};
use crate::ui::transcript::message::MsgLayout;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;

fn plain(key: &KeyEvent) -> bool {
    key.modifiers.difference(KeyModifiers::SHIFT).is_empty()
}

impl Overlay for Find {
    /// While it is open the bar takes its keys; `Pass`: the key is not the search's (it
    /// goes on as usual).
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        let ctrl_f = key.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(key.code, KeyCode::Char('f') | KeyCode::Char('F'));
        let Some(shown) = app.session_id() else {
            return Handled::Pass;
        };
        if self.session_id != shown {
            // Another session is shown: this search is over (Ctrl+F opens a new one).
            app.view.search = None;
            return Handled::CloseAndPass;
        }
        let close = |app: &mut App| {
            app.view.search = None;
            Handled::Close(Vec::new())
        };
        let scroll = matches!(
            key.code,
            KeyCode::PageUp | KeyCode::PageDown | KeyCode::Home | KeyCode::End
        );
        if self.editing {
            match key.code {
                KeyCode::Esc => return close(app),
                KeyCode::Enter if key.modifiers.is_empty() => {
                    return Handled::Done(app.run_find(self))
                }
                _ if scroll => return Handled::Pass,
                _ => {
                    if self.field.key(&key) == Some(true) {
                        self.query = self.field.text().to_string();
                    }
                }
            }
            return Handled::Done(Vec::new());
        }
        match key.code {
            KeyCode::Esc => return close(app),
            _ if ctrl_f => self.editing = true,
            KeyCode::Char('/') if key.modifiers.is_empty() => self.editing = true,
            KeyCode::Char('n') if key.modifiers.is_empty() => app.find_step(self, true),
            KeyCode::Enter if key.modifiers.is_empty() => app.find_step(self, true),
            KeyCode::Char('N') if plain(&key) => app.find_step(self, false),
            KeyCode::Enter if key.modifiers == KeyModifiers::SHIFT => app.find_step(self, false),
            _ if scroll => return Handled::Pass,
            _ => {
                app.view.search = None;
                return Handled::CloseAndPass;
            }
        }
        Handled::Done(Vec::new())
    }
    fn render(&self, app: &App, frame: &mut Frame, areas: &Areas) {
        let s = app.session_id().and_then(|id| app.store.session(id));
        render_bar(frame, areas.row, self, s);
    }
    fn hint(&self) -> &'static str {
        "n next · N previous · / edit · Esc close"
    }
    fn reserve(&self) -> Option<Reserve> {
        Some(Reserve::Row)
    }
}

/// Ctrl+F at the prompt, on a shown session.
fn open_on_key(app: &mut App, key: &KeyEvent) -> Option<Vec<Action>> {
    let ctrl_f = key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('f') | KeyCode::Char('F'));
    if !ctrl_f {
        return None;
    }
    let shown = app.session_id()?.to_string();
    app.close_find();
    app.overlays.push(Box::new(Find {
        editing: true,
        session_id: shown,
        ..Find::default()
    }));
    Some(Vec::new())
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "View",
    keys: &[(
        "Ctrl+F",
        "search the session (Enter: n/Enter next, N/Shift+Enter previous, / edits, Esc closes)",
    )],
    open_on_key: Some(open_on_key),
};

impl App {
    /// Closes the search and its highlights.
    pub(crate) fn close_find(&mut self) {
        self.overlays.close::<Find>();
        self.view.search = None;
    }

    /// The open search bar, if any.
    pub fn find(&self) -> Option<&Find> {
        self.overlays.get::<Find>()
    }

    /// Searches the typed query: lands on the first hit at or after the message at the top
    /// of the view (from the bottom: the newest hit), and asks for the history not loaded.
    fn run_find(&mut self, f: &mut Find) -> Vec<Action> {
        f.editing = false;
        let sid = f.session_id.clone();
        let Some(s) = self.store.session(&sid) else {
            return Vec::new();
        };
        let found = hits(s, &f.query);
        let from = match &*self.view.scroll.borrow() {
            crate::ui::app::view::Scroll::Anchor { message, .. } if !message.is_empty() => {
                Some(message.clone())
            }
            crate::ui::app::view::Scroll::Top => Some(String::new()),
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
        self.find_jump(f);
        // The whole session: the history not paged in yet comes through the fetched path.
        if self.sessions.older_requested.as_ref() != Some(&(sid.clone(), n)) {
            self.sessions.older_requested = Some((sid.clone(), n));
            return vec![Action::LoadOlder { session_id: sid }];
        }
        Vec::new()
    }

    fn find_step(&mut self, f: &Find, forward: bool) {
        f.fresh(self.store.session(&f.session_id));
        {
            let mut c = f.cursor.borrow_mut();
            if forward {
                c.next_hit();
            } else {
                c.prev_hit();
            }
        }
        self.find_jump(f);
    }

    /// Scrolls the current hit into view and marks it.
    fn find_jump(&mut self, f: &Find) {
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
    pub(crate) fn rendered_occurrence(
        &self,
        sid: &str,
        hit: &Hit,
        query: &str,
        nth: usize,
    ) -> (usize, usize) {
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
