//! The event model and the pure reducer shared by live sessions, replay and headless runs.

pub mod always;
pub mod approval;
pub mod attach;
pub mod catalog;
pub mod command;
pub mod event;
pub(crate) mod parts;
pub mod prompt_history;
pub mod reply;
pub mod search;
pub mod servers;
pub mod session_text;
pub mod session_tree;
pub mod state;
pub mod summary;
pub mod tui_config;
pub mod tui_request;
pub(crate) mod wire;

pub use event::Event;
pub use reply::PermissionReply;
pub use state::{SessionState, Store};
pub use summary::Summary;
