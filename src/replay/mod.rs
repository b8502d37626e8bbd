//! Replay of saved logs: the Markdown export, the timeline (records, state checkpoints,
//! seeking by event and by turn), the pacing of playback and the replay view drawn with
//! the UI's panes. No terminal here (the loop that owns one is `replay_cmd`) and no I/O
//! beyond reading the log.

pub mod export;
pub mod pace;
pub mod reduce;
pub mod screen;
pub mod timeline;

pub use pace::Pacer;
pub use screen::{Flow, ReplayView};
pub use timeline::{Cursor, EndedEarly, Timeline};
