//! The side panel's commands on `App` (F3, `/details`) and the keys of its file list
//! (F6 focuses it, Up/Down move, Enter shows the file's diff, Esc goes back); the
//! panel itself is `side_panel.rs`, the diff popup `file_diff.rs`.

use crate::ui::action::Action;
use crate::ui::side_panel::changed_files;
use crossterm::event::{KeyCode, KeyEvent};

impl crate::ui::app::App {
    /// F3 / `/details`: opens (and fetches what it shows) or closes the side panel.
    pub(crate) fn toggle_side_panel(&mut self) -> Vec<crate::ui::action::Action> {
        self.side_panel.open = !self.side_panel.open;
        self.side_panel.file_focus = None;
        self.side_panel.diff_scroll = None;
        if !self.side_panel.open {
            return Vec::new();
        }
        match self.session_id() {
            Some(id) => vec![crate::ui::action::Action::FetchDetails {
                session_id: id.to_string(),
            }],
            None => Vec::new(),
        }
    }

    /// How many files the shown session changed (reverted turns left out).
    fn changed_file_count(&self) -> usize {
        self.session_id()
            .and_then(|id| self.store.session(id))
            .map_or(0, |s| changed_files(s).len())
    }

    /// Keys of the panel's file list and diff popup; `None` lets the key go on (typing is
    /// never blocked: letters still reach the prompt).
    pub(crate) fn side_panel_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let p = &mut self.side_panel;
        if !p.open {
            return None;
        }
        let f6 = key.code == KeyCode::F(6);
        if let Some(scroll) = p.diff_scroll {
            let next = match key.code {
                KeyCode::Esc => {
                    p.diff_scroll = None;
                    return Some(Vec::new());
                }
                KeyCode::Up => scroll.saturating_sub(1),
                KeyCode::Down => scroll.saturating_add(1),
                KeyCode::PageUp => scroll.saturating_sub(10),
                KeyCode::PageDown => scroll.saturating_add(10),
                KeyCode::Home => 0,
                _ => return None,
            };
            p.diff_scroll = Some(next);
            return Some(Vec::new());
        }
        if f6 {
            let n = self.changed_file_count();
            let p = &mut self.side_panel;
            p.file_focus = match p.file_focus {
                None if n > 0 => Some(0),
                _ => None,
            };
            if n == 0 {
                self.note("no changed files to browse", false);
            }
            return Some(Vec::new());
        }
        let i = p.file_focus?;
        let n = self.changed_file_count();
        let p = &mut self.side_panel;
        match key.code {
            KeyCode::Up => p.file_focus = Some(i.saturating_sub(1)),
            KeyCode::Down => p.file_focus = Some((i + 1).min(n.saturating_sub(1))),
            KeyCode::Enter if key.modifiers.is_empty() && i < n => p.diff_scroll = Some(0),
            KeyCode::Esc => p.file_focus = None,
            _ => return None,
        }
        Some(Vec::new())
    }
}
