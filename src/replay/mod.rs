//! Replay of saved logs: the Markdown export, the timeline (records, state checkpoints,
//! seeking by event and by turn), the pacing of playback and the replay view drawn with
//! the UI's panes. No terminal here (the loop that owns one is `replay_cmd`) and no I/O
//! beyond reading the log.

pub mod markdown;
pub mod pace;
pub mod stream;
pub mod timeline;
pub mod view;

pub use pace::Pacer;
pub use timeline::{Cursor, EndedEarly, Timeline};
pub use view::{Flow, ReplayView};
