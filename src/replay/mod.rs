//! Replay of saved logs: the Markdown export, the timeline (records, state checkpoints,
//! seeking by event and by turn) and the pacing of playback. Pure: no terminal, no I/O
//! beyond reading the log; the interactive view lives in `replay_cmd` on top of `ui`.

pub mod markdown;
pub mod pace;
pub mod timeline;

pub use pace::Pacer;
pub use timeline::{Cursor, EndedEarly, Timeline};
