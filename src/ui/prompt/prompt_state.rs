//! The state of the prompt's helpers, kept in `App`: the `/` completion (driven by
//! `slash.rs`) and the `$EDITOR` request (`editor.rs`). Plain data, so `app.rs` holds it
//! without importing the code that works on it.

use crate::model::command::ServerCommand;

/// The completion's state (the open list is an overlay: slash.rs).
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

/// The editor request and the Ctrl+X leader.
#[derive(Debug, Default)]
pub struct EditorState {
    /// The user asked for the editor: the loop runs it before the next frame.
    pub wanted: bool,
    /// Ctrl+X was pressed: the next key completes the chord.
    pub(crate) leader: bool,
}
