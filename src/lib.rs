//! ocw-tui: a client of `opencode serve`. The library holds the backend (server
//! lifecycle, HTTP client, event stream, request answering), the event model and its
//! reducer, and the session log; the binary adds the CLI, the TUI and replay.
#![deny(unsafe_code)]

pub mod backend;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod log;
pub mod model;
pub mod replay;
pub mod safe_text;
mod sys;
pub mod ui;
pub mod usage;
