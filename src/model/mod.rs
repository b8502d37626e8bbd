//! The event model and the pure reducer shared by live sessions, replay and headless runs.

pub mod event;
pub mod parts;
pub mod reply;
pub mod state;
pub mod summary;
pub mod wire;

pub use event::Event;
pub use reply::PermissionReply;
pub use state::{SessionState, Store};
pub use summary::Summary;
