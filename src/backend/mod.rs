//! The backend facade: the `opencode serve` process (spawn or attach), the HTTP client,
//! the event stream, and the answering of permission and question requests. Nothing
//! outside this module builds URLs or touches the server process.

pub mod answer;
pub mod client;
pub mod config;
pub mod controller;
pub mod events;
pub mod resync;
pub mod rule_file;
pub mod server;
pub mod sse;
pub mod version;

pub use client::{Client, ClientError};
pub use server::{Server, ServerError};
