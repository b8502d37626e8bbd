//! The session list (Ctrl+S / F2) on the overlay stack: it reserves the screen's left
//! column. Typing filters by title and by the text of every message (session_search.rs: the hit's
//! line shows under its row; the first key asks for the text), Up/Down move, Enter switches
//! (to the message found), Ctrl+N creates, Ctrl+R
//! renames (the title is edited on the list's top line, Enter saves), Alt+P pins / unpins
//! (pins first, kept across restarts by the backend), Delete deletes after
//! a `y` (a running session asks twice and is stopped before it is deleted), Ctrl+F forks
//! the session, Esc clears the filter, then closes. Its data (the listing, the index) stays
//! on `App`.

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::session_index::{marks, Inner, SessionRows};
use crate::ui::overlay::sessions::{self, ListMode, Row};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration, Reserve};
use crate::ui::prompt::line_edit::LineField;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;

/// Width of the session list pane.
const WIDTH: u16 = 34;

fn typed(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// The session list pane, when open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionList {
    pub cursor: usize,
    /// Typed text: only sessions whose title holds it are listed (the line-editing keys
    /// of every field edit it).
    pub filter: LineField,
    pub mode: ListMode,
    /// Opened over a waiting dialog (Ctrl+S there): drawn and given keys over it.
    pub browsing: bool,
    /// The sessions' text was asked for (the first filter typed since the list opened).
    pub asked: bool,
}

impl SessionList {
    /// One key while the session list is open.
    fn keys(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        let rows = app.session_rows_filtered(self.filter.text());
        let shown = app.session_id().map(str::to_string);
        let list = self;
        let ctrl =
            |c: char| key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c);
        match &mut list.mode {
            ListMode::Rename { id, title } => {
                match key.code {
                    KeyCode::Esc => list.mode = ListMode::Browse,
                    KeyCode::Enter => {
                        let a = Action::RenameSession {
                            session_id: id.clone(),
                            title: title.text().trim().to_string(),
                        };
                        list.mode = ListMode::Browse;
                        return Handled::Done(vec![a]);
                    }
                    _ => {
                        title.key(&key);
                    }
                }
                Handled::Done(Vec::new())
            }
            ListMode::ConfirmDelete {
                id,
                title,
                busy,
                warned,
            } => {
                if typed(&key) != Some('y') {
                    list.mode = ListMode::Browse;
                    app.note("nothing deleted", false);
                    return Handled::Done(Vec::new());
                }
                if *busy && !*warned {
                    *warned = true;
                    let t = format!("\"{title}\" is running: y again stops it and deletes it; any other key keeps it");
                    app.note(t, true);
                    return Handled::Done(Vec::new());
                }
                let (id, busy) = (id.clone(), *busy);
                list.mode = ListMode::Browse;
                let mut out = vec![Action::DeleteSession {
                    session_id: id.clone(),
                    busy,
                }];
                if shown.as_deref() == Some(id.as_str()) {
                    // The shown session goes: show the next one, else a new one.
                    out.push(match rows.iter().find(|r| r.id != id) {
                        Some(r) => Action::SwitchSession(r.id.clone()),
                        None => Action::NewSession,
                    });
                }
                Handled::Done(out)
            }
            ListMode::Browse => {
                let row = rows.get(list.cursor).cloned();
                match key.code {
                    KeyCode::Esc if !list.filter.is_empty() => {
                        list.filter.clear();
                        list.cursor = 0;
                    }
                    KeyCode::Esc | KeyCode::F(2) => return Handled::Close(Vec::new()),
                    _ if ctrl('s') => return Handled::Close(Vec::new()),
                    KeyCode::Up => list.cursor = list.cursor.saturating_sub(1),
                    KeyCode::Down => {
                        list.cursor = (list.cursor + 1).min(rows.len().saturating_sub(1))
                    }
                    KeyCode::Enter => {
                        if let Some(r) = row {
                            if let Some(h) = rows.text_hit(&r.id) {
                                app.jump_to_message(&r.id, &h.message_id, list.filter.text());
                            }
                            if shown.as_deref() != Some(r.id.as_str()) {
                                return Handled::Close(vec![Action::SwitchSession(r.id)]);
                            }
                            return Handled::Close(Vec::new());
                        }
                    }
                    _ if ctrl('n') => {
                        return Handled::Close(vec![Action::NewSession]);
                    }
                    _ if ctrl('r') => {
                        if let Some(r) = row {
                            list.mode = ListMode::Rename {
                                id: r.id,
                                title: LineField::new(&r.title),
                            };
                        }
                    }
                    KeyCode::Delete => {
                        if let Some(r) = row {
                            let busy = app.store.session(&r.id).is_some_and(|s| s.is_busy());
                            list.mode = ListMode::ConfirmDelete {
                                id: r.id,
                                title: r.title.clone(),
                                busy,
                                warned: false,
                            };
                            let more = if busy { " (it is running)" } else { "" };
                            app.note(
                                format!(
                                    "delete \"{}\"{more}? y deletes it, any other key keeps it",
                                    r.title
                                ),
                                busy,
                            );
                        }
                    }
                    KeyCode::Char('p') if key.modifiers == KeyModifiers::ALT => {
                        if let Some(r) = row {
                            let pinned = app.toggle_pin(&r.id);
                            // The cursor follows the row to its new place.
                            let rows = app.session_rows_filtered(list.filter.text());
                            list.cursor = rows.iter().position(|x| x.id == r.id).unwrap_or(0);
                            return Handled::Done(vec![Action::PinSession {
                                session_id: r.id,
                                pinned,
                            }]);
                        }
                    }
                    _ if ctrl('f') => {
                        if let Some(r) = row {
                            return Handled::Close(vec![Action::Fork {
                                session_id: r.id,
                                message_id: None,
                            }]);
                        }
                    }
                    _ => {
                        if list.filter.key(&key) == Some(true) {
                            list.cursor = 0;
                            if !list.asked && !list.filter.is_empty() {
                                list.asked = true;
                                return Handled::Done(vec![Action::FetchSessionText]);
                            }
                        }
                    }
                }
                Handled::Done(Vec::new())
            }
        }
    }
}

impl Overlay for SessionList {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        self.keys(key, app)
    }
    fn render(&self, app: &App, frame: &mut Frame, areas: &Areas) {
        let rows = app.session_rows_filtered(self.filter.text());
        sessions::render(
            frame,
            areas.left,
            &rows,
            app.session_id(),
            (self.cursor, &self.filter, &self.mode, self.browsing),
            (app.now_ms(), app.opts.utc_offset_ms),
        );
    }
    fn hint(&self) -> &'static str {
        "Enter switch · Alt+P pin · Ctrl+N new · Ctrl+R rename · Del delete · Ctrl+F fork · Esc closes"
    }
    fn reserve(&self) -> Option<Reserve> {
        Some(Reserve::Left(WIDTH))
    }
    fn over_dialogs(&self) -> bool {
        self.browsing
    }
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "View",
    keys: &[(
        "{session_list}",
        "session list: type to filter by title or by any message's text (its line shown; Enter opens at it), Enter switch, Alt+P pin / unpin (pins first, kept), Ctrl+N new, Ctrl+R rename, Del delete (asks), Ctrl+F fork; also over a waiting dialog (Esc back to it)",
    )],
    open_on_key: None,
};

impl App {
    /// Ctrl+S / F2, `/sessions`: opens the session list on the shown session (and
    /// refreshes it), or closes it.
    pub(crate) fn toggle_session_list(&mut self) -> Vec<Action> {
        if self.overlays.close::<SessionList>() {
            return Vec::new();
        }
        let rows = self.session_rows();
        let cursor = self
            .session_id()
            .and_then(|id| rows.iter().position(|r| r.id == id))
            .unwrap_or(0);
        self.overlays.push(Box::new(SessionList {
            cursor,
            ..Default::default()
        }));
        vec![Action::RefreshSessions]
    }

    /// Ctrl+S / F2 while a dialog waits: the session list opens over it to browse (its
    /// keys never answer the dialog); Esc or Ctrl+S comes back to the dialog.
    pub(crate) fn browse_sessions_over_dialog(&mut self) -> Vec<Action> {
        self.overlays.close::<SessionList>();
        let rows = self.session_rows();
        let cursor = self
            .session_id()
            .and_then(|id| rows.iter().position(|r| r.id == id))
            .unwrap_or(0);
        self.overlays.push(Box::new(SessionList {
            cursor,
            browsing: true,
            ..Default::default()
        }));
        // The prompt's title says it ("browsing · the dialog waits · Esc comes back to
        // it") for as long as it is true; a note would outlive the browsing.
        vec![Action::RefreshSessions]
    }

    /// Pins or unpins session `id` (the list shows pins first): true when it is now pinned.
    pub(crate) fn toggle_pin(&mut self, id: &str) -> bool {
        let pins = &mut self.sessions.pinned;
        let was = pins.iter().any(|p| p == id);
        pins.retain(|p| p != id);
        if !was {
            pins.push(id.to_string());
        }
        !was
    }

    /// The open session list, if any.
    pub fn session_list(&self) -> Option<&SessionList> {
        self.overlays.get::<SessionList>()
    }

    /// The session list's rows, filtered by its filter when it is open.
    pub fn session_rows(&self) -> SessionRows {
        let filter = self.session_list().map(|l| l.filter.text().to_string());
        self.session_rows_filtered(filter.as_deref().unwrap_or_default())
    }

    /// The session list's rows whose title holds `filter`.
    pub(crate) fn session_rows_filtered(&self, filter: &str) -> SessionRows {
        let filter = filter.to_lowercase();
        let mut cache = self.sessions.index.inner.borrow_mut();
        if cache
            .as_ref()
            .is_none_or(|c| c.generation != self.sessions.listed_gen)
        {
            *cache = Some(Inner::build(
                self.sessions.listed_gen,
                &self.sessions.listed,
                &self.store,
                (self.now_ms(), self.opts.utc_offset_ms),
            ));
        }
        let Some(inner) = cache.as_mut() else {
            return SessionRows::default();
        };
        let mut hits = inner.matching(&filter);
        // Sessions found in their messages' text join those found by title, in order.
        let texts = self.text_hits(&filter);
        let mut found_at: Vec<u32> = texts.keys().filter_map(|id| inner.position(id)).collect();
        if !found_at.is_empty() {
            found_at.extend(hits.iter().copied());
            found_at.sort_unstable();
            found_at.dedup();
            hits = std::sync::Arc::new(found_at);
        }
        let pinned_ids = &self.sessions.pinned;
        let extra: Vec<Row> = self
            .store
            .sessions()
            .iter()
            .filter(|s| s.parent_id.is_none() && !s.deleted && !inner.listed(&s.id))
            .map(|s| Row {
                id: s.id.clone(),
                title: s.title.as_deref().map_or_else(
                    || s.id.clone(),
                    |t| {
                        let (now, offset) = (self.now_ms(), self.opts.utc_offset_ms);
                        crate::ui::words::session_title(t, Some(s), now, offset)
                    },
                ),
                updated_ms: None,
            })
            .filter(|r| {
                filter.is_empty()
                    || r.title.to_lowercase().contains(&filter)
                    || texts.contains_key(&r.id)
            })
            .collect();
        // Pinned sessions of this listing go first, newest first (no cost without pins).
        let mut pinned_at: Vec<u32> = pinned_ids
            .iter()
            .filter_map(|id| inner.position(id))
            .collect();
        pinned_at.sort_unstable();
        pinned_at.dedup();
        let mut pinned: Vec<Row> = Vec::new();
        if !pinned_at.is_empty() {
            let (top, rest): (Vec<u32>, Vec<u32>) = hits
                .iter()
                .partition(|k| pinned_at.binary_search(k).is_ok());
            pinned.extend(top.iter().map(|&k| inner.rows[k as usize].clone()));
            hits = std::sync::Arc::new(rest);
        }
        let (extra_pinned, extra): (Vec<Row>, Vec<Row>) =
            extra.into_iter().partition(|r| pinned_ids.contains(&r.id));
        pinned.extend(extra_pinned);
        SessionRows {
            pinned,
            base: inner.rows.clone(),
            hits,
            extra,
            marks: marks(&self.store),
            texts,
            searching: self.sessions.text_pending,
            // Numbered only while there are tabs (two or more open).
            tabs: (self.sessions.open.iter().enumerate())
                .filter(|_| self.sessions.open.len() > 1)
                .map(|(i, id)| (id.clone(), i + 1))
                .collect(),
        }
    }
}
