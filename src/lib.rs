//! ocw-tui: a client of `opencode serve`. Layers, each importing only those below it:
//! `model` (events and the pure reducer), `log` (the session log), `backend` (server,
//! HTTP, event stream, the session controller), `ui` and `replay` (screens that read the
//! model and emit actions), `cli` (arguments only) and `cmd` (the front-ends: TUI, `run`,
//! `replay`). `tests/layers.rs` checks the rules and the absence of import cycles.
#![deny(unsafe_code)]

pub mod backend;
pub(crate) mod cli;
pub mod cmd;
pub(crate) mod diag;
pub mod log;
pub mod model;
pub mod replay;
pub mod safe_text;
mod sys;
pub mod ui;
pub(crate) mod usage;
