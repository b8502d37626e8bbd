//! Notes about a passing state drop when that state ends, instead of lingering for their
//! whole time on screen: "restarting the opencode server…" once it is back, "models still
//! loading" once they came, "no session yet" once one is shown.

use super::App;
use crate::ui::action::{ConnectionState, UiInput};

/// F5 while the server is down.
pub(crate) const RESTARTING_NOTE: &str = "restarting the opencode server…";
/// Enter while the server is down.
pub(crate) const SERVER_DOWN_NOTE: &str =
    "the opencode server is down: press F5 to restart it, then Enter sends this prompt";
/// A model / variant / agent picker asked for before the catalog came.
pub(crate) const MODELS_LOADING_NOTE: &str = "the server's models and agents are still loading";
/// A server command typed before any session exists.
pub(crate) const NO_SESSION_NOTE: &str = "no session yet: wait a moment and press Enter again";

impl App {
    /// Drops the notes `input` makes untrue.
    pub(crate) fn drop_stale_notes(&mut self, input: &UiInput) {
        let stale: &[&str] = match input {
            UiInput::Connection(ConnectionState::Connected) => &[RESTARTING_NOTE, SERVER_DOWN_NOTE],
            UiInput::Catalog { .. } => &[MODELS_LOADING_NOTE],
            UiInput::ShowSession(_) => &[NO_SESSION_NOTE],
            _ => return,
        };
        self.notes.retain(|n| !stale.contains(&n.text.as_str()));
    }
}
