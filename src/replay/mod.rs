//! Replay of saved logs: the Markdown export, the timeline (records, state checkpoints,
//! seeking by event and by turn), the pacing of playback and the replay view drawn with
//! the UI's panes. No terminal here (the loop that owns one is `cmd/replay.rs`) and no I/O
//! beyond reading the log.

pub(crate) mod export;
pub(crate) mod help;
pub(crate) mod pace;
pub(crate) mod reduce;
pub(crate) mod screen;
pub(crate) mod timeline;

pub use pace::Pacer;
pub use screen::{Flow, ReplayView};
pub use timeline::{Cursor, EndedEarly, Timeline};
