//! Keys of the session list (Ctrl+S / F2): typing filters by title, Up/Down move, Enter
//! switches, Ctrl+N creates, Ctrl+R renames (the title is edited on the list's top line,
//! Enter saves), Delete deletes after a `y` (a running session asks twice and is stopped
//! before it is deleted), Ctrl+F forks the session, Esc clears the filter, then closes.

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::session_index::{marks, Inner, SessionRows};
use crate::ui::overlay::sessions::{ListMode, Row};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

impl App {
    /// One key while the session list is open.
    pub(crate) fn session_list_keys(&mut self, key: KeyEvent) -> Vec<Action> {
        let rows = self.session_rows();
        let shown = self.session_id().map(str::to_string);
        let Some(list) = self.session_list.as_mut() else {
            return Vec::new();
        };
        let ctrl =
            |c: char| key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c);
        match &mut list.mode {
            ListMode::Rename { id, title } => {
                match key.code {
                    KeyCode::Esc => list.mode = ListMode::Browse,
                    KeyCode::Enter => {
                        let a = Action::RenameSession {
                            session_id: id.clone(),
                            title: title.trim().to_string(),
                        };
                        list.mode = ListMode::Browse;
                        return vec![a];
                    }
                    KeyCode::Backspace => {
                        title.pop();
                    }
                    _ => {
                        if let Some(c) = typed(&key) {
                            title.push(c);
                        }
                    }
                }
                Vec::new()
            }
            ListMode::ConfirmDelete {
                id,
                title,
                busy,
                warned,
            } => {
                if typed(&key) != Some('y') {
                    list.mode = ListMode::Browse;
                    self.note("nothing deleted", false);
                    return Vec::new();
                }
                if *busy && !*warned {
                    *warned = true;
                    let t = format!("\"{title}\" is running: y again stops it and deletes it; any other key keeps it");
                    self.note(t, true);
                    return Vec::new();
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
                out
            }
            ListMode::Browse => {
                let row = rows.get(list.cursor).cloned();
                match key.code {
                    KeyCode::Esc if !list.filter.is_empty() => {
                        list.filter.clear();
                        list.cursor = 0;
                    }
                    KeyCode::Esc | KeyCode::F(2) => self.session_list = None,
                    _ if ctrl('s') => self.session_list = None,
                    KeyCode::Up => list.cursor = list.cursor.saturating_sub(1),
                    KeyCode::Down => {
                        list.cursor = (list.cursor + 1).min(rows.len().saturating_sub(1))
                    }
                    KeyCode::Enter => {
                        if let Some(r) = row {
                            self.session_list = None;
                            if shown.as_deref() != Some(r.id.as_str()) {
                                return vec![Action::SwitchSession(r.id)];
                            }
                        }
                    }
                    _ if ctrl('n') => {
                        self.session_list = None;
                        return vec![Action::NewSession];
                    }
                    _ if ctrl('r') => {
                        if let Some(r) = row {
                            list.mode = ListMode::Rename {
                                id: r.id,
                                title: r.title,
                            };
                        }
                    }
                    KeyCode::Delete => {
                        if let Some(r) = row {
                            let busy = self.store.session(&r.id).is_some_and(|s| s.is_busy());
                            list.mode = ListMode::ConfirmDelete {
                                id: r.id,
                                title: r.title.clone(),
                                busy,
                                warned: false,
                            };
                            let more = if busy { " (it is running)" } else { "" };
                            self.note(
                                format!(
                                    "delete \"{}\"{more}? y deletes it, any other key keeps it",
                                    r.title
                                ),
                                busy,
                            );
                        }
                    }
                    _ if ctrl('f') => {
                        if let Some(r) = row {
                            self.session_list = None;
                            return vec![Action::Fork {
                                session_id: r.id,
                                message_id: None,
                            }];
                        }
                    }
                    KeyCode::Backspace => {
                        list.filter.pop();
                        list.cursor = 0;
                    }
                    _ => {
                        if let Some(c) = typed(&key) {
                            list.filter.push(c);
                            list.cursor = 0;
                        }
                    }
                }
                Vec::new()
            }
        }
    }
}

impl App {
    /// The session list's rows, filtered by its filter when it is open.
    pub fn session_rows(&self) -> SessionRows {
        let filter = self
            .session_list
            .as_ref()
            .map(|l| l.filter.to_lowercase())
            .unwrap_or_default();
        let mut cache = self.session_index.inner.borrow_mut();
        if cache
            .as_ref()
            .is_none_or(|c| c.generation != self.sessions_gen)
        {
            *cache = Some(Inner::build(self.sessions_gen, &self.sessions, &self.store));
        }
        let Some(inner) = cache.as_mut() else {
            return SessionRows::default();
        };
        let hits = inner.matching(&filter);
        let extra = self
            .store
            .sessions()
            .iter()
            .filter(|s| s.parent_id.is_none() && !s.deleted && !inner.listed(&s.id))
            .map(|s| Row {
                id: s.id.clone(),
                title: s.title.clone().unwrap_or_else(|| s.id.clone()),
                updated_ms: None,
            })
            .filter(|r| filter.is_empty() || r.title.to_lowercase().contains(&filter))
            .collect();
        SessionRows {
            base: inner.rows.clone(),
            hits,
            extra,
            marks: marks(&self.store),
        }
    }
}
