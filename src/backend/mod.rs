//! The backend facade: the `opencode serve` process (spawn or attach), the HTTP client,
//! the event stream, and the answering of permission and question requests. Nothing
//! outside this module builds URLs or touches the server process.

pub(crate) mod answer;
pub(crate) mod attach_url;
pub(crate) mod client;
pub(crate) mod config;
pub(crate) mod connection_file;
pub(crate) mod controller;
pub(crate) mod events;
pub mod fetch;
pub(crate) mod git_head;
pub(crate) mod model_memory;
pub(crate) mod procs;
pub(crate) mod prompt_history;
pub(crate) mod pump;
pub mod rule_file;
pub(crate) mod server;
pub(crate) mod session_pins;
pub(crate) mod settings;
pub(crate) mod sse;
pub(crate) mod tool_env;
pub mod tui_config;
pub(crate) mod version;

pub use client::{Client, ClientError};
pub use server::{Server, ServerError};
