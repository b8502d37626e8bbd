//! The command line without opencode: usage errors, help and completions, and what ocw-tui
//! says about the server version and routes it finds (fake servers on loopback).

#[path = "cli/server_version.rs"]
mod server_version;
#[path = "cli/usage.rs"]
mod usage;
