//! The side panel's commands on `App` (F3, `/details`). The panel itself is a pane
//! (side_panel/mod.rs) on `App`; its file list (F6) and the file diff are overlays
//! (overlay/file_diff.rs).

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::file_diff::{FileDiff, FileList};
use crate::ui::side_panel::changed_files;

impl App {
    /// F3 / `/details`: opens (and fetches what it shows) or closes the side panel.
    pub(crate) fn toggle_side_panel(&mut self) -> Vec<Action> {
        self.side_panel.open = !self.side_panel.open;
        self.overlays.close::<FileDiff>();
        self.overlays.close::<FileList>();
        if !self.side_panel.open {
            return Vec::new();
        }
        match self.session_id() {
            Some(id) => vec![Action::FetchDetails {
                session_id: id.to_string(),
            }],
            None => Vec::new(),
        }
    }

    /// How many files the shown session changed (reverted turns left out).
    pub(crate) fn changed_file_count(&self) -> usize {
        self.session_id()
            .and_then(|id| self.store.session(id))
            .map_or(0, |s| changed_files(s).len())
    }
}
