//! The prompt and what it carries: the input, `@` mentions and pastes, `/` completion,
//! the prompts queued while the agent works, and the model / agent the next prompt uses.
//! The `/` completion's state is here, as plain data: `App` holds it without importing
//! `slash.rs`, which works on `App`.

pub(crate) mod history;
pub mod input;
pub mod line_edit;
pub(crate) mod mention;
mod mention_keys;
pub(crate) mod model_choice;
pub(crate) mod queue;
pub(crate) mod slash;

use crate::model::command::ServerCommand;

/// The completion's state, kept in `App` (the open list is an overlay: slash_popup.rs).
#[derive(Debug, Default)]
pub struct SlashState {
    /// The server's commands as last fetched.
    pub commands: Vec<ServerCommand>,
    /// The server's list arrived (until then the popup says "loading…").
    pub loaded: bool,
    /// Esc closed the popup: it stays closed while the line is still one `/word`.
    pub(crate) dismissed: bool,
    /// The unknown `/word` line the user was warned about: Enter on it again sends it.
    pub(crate) unknown_warned: Option<String>,
}
