//! The terminal runtime: raw mode and the draw loop, the background probe, the
//! clipboard (OSC 52 out, Ctrl+V in), the external editor and Ctrl+Z (job control). The leader's sequence state is here,
//! as plain data: `App` holds it without importing `editor.rs`, which works on `App`.

pub(crate) mod background;
pub mod clipboard;
pub mod clipboard_paste;
pub(crate) mod editor;
pub(crate) mod frame_log;
pub(crate) mod notifier;
pub(crate) mod suspend;
pub(crate) mod terminal;

/// A key sequence in progress (the leader, Ctrl+X by default), kept in `App`.
#[derive(Debug, Default)]
pub struct EditorState {
    /// The keys of the sequence typed so far (ui/keymap/dispatch.rs).
    pub(crate) pending: crate::ui::keymap::dispatch::Pending,
}
