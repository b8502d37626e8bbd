//! The side panel's commands on `App` (F3, `/details`); the panel itself is `side_panel.rs`.

impl crate::ui::app::App {
    /// F3 / `/details`: opens (and fetches what it shows) or closes the side panel.
    pub(crate) fn toggle_side_panel(&mut self) -> Vec<crate::ui::action::Action> {
        self.side_panel.open = !self.side_panel.open;
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
}
