//! The terminal runtime: raw mode and the draw loop, the background probe, the
//! clipboard (OSC 52) and the external editor.

pub(crate) mod background;
pub mod clipboard;
pub(crate) mod editor;
pub(crate) mod terminal;
